"""The shipped JSON Schemas and how their errors are explained."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from conftest import FIXTURES, REPO
from mltrl_docs.findings import Position
from mltrl_docs.frontmatter import split
from mltrl_docs.model import DatasetRole, DeploymentTestKind, ProductionChange
from mltrl_docs.resources import SCHEMA_NAMES, load_schema
from mltrl_docs.schema import check, field_name
from mltrl_docs.yamldata import read_yaml

SPEC = REPO.parent / "shared" / "spec" / "card-format.md"
CARD_EXAMPLE = FIXTURES / "spec" / "level-card-example.md"
GLOSSARY_EXAMPLE = FIXTURES / "spec" / "glossary-example.yml"


def _frontmatter(path: Path):
    parts = split(path.read_text(encoding="utf-8"))
    return read_yaml(parts.frontmatter, parts.frontmatter_line)


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_schemas_are_valid_draft_2020_12(name: str) -> None:
    schema = load_schema(name)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def _properties(node: Any, where: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        for name, sub in node.get("properties", {}).items():
            yield f"{where}.{name}", sub
            yield from _properties(sub, f"{where}.{name}")
        for key in ("items", "additionalProperties"):
            if isinstance(node.get(key), dict):
                yield from _properties(node[key], f"{where}[{key}]")


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_every_property_has_a_description(name: str) -> None:
    missing = [where for where, sub in _properties(load_schema(name)) if not sub.get("description")]
    assert missing == []


CLOSED = {
    ".status": {"draft", "in-review", "approved", "rejected"},
    ".reviewers[items].decision": {"pending", "approved", "changes-requested", "rejected"},
    ".transition.kind": {"advance", "switchback"},
    ".transition.switchback": {"discovery", "review", "embedded"},
    ".ethics.pre_development": {"not-started", "in-progress", "complete", "not-applicable"},
    ".ethics.post_development": {"not-started", "in-progress", "complete", "not-applicable"},
    ".requirements[items].kind": {"research", "product"},
    ".requirements[items].verification": {"test", "analysis", "inspection", "demonstration"},
    ".requirements[items].status": {"not-started", "in-progress", "verified", "failed", "waived"},
    ".tech_debt[items].change": {"gained", "mitigated"},
}


def test_closed_vocabularies_are_enums_with_the_spec_words() -> None:
    found = dict(_properties(load_schema("level-card")))
    for where, words in CLOSED.items():
        assert set(found[where]["enum"]) == words, where


def test_spec_card_example_is_accepted() -> None:
    document = _frontmatter(CARD_EXAMPLE)
    assert document.problems == []
    assert check("level-card", document, CARD_EXAMPLE, Position(1, 1)) == []


def test_spec_glossary_example_is_accepted() -> None:
    document = read_yaml(GLOSSARY_EXAMPLE.read_text(encoding="utf-8"))
    assert check("glossary", document, GLOSSARY_EXAMPLE, Position(1, 1)) == []


@pytest.mark.skipif(not SPEC.is_file(), reason="the shared spec is not checked out beside the repo")
def test_fixtures_are_the_spec_examples_verbatim() -> None:
    blocks = dict(re.findall(r"```(\w+)\n(.*?)```", SPEC.read_text(), re.S))
    assert CARD_EXAMPLE.read_text(encoding="utf-8") == blocks["markdown"]
    assert GLOSSARY_EXAMPLE.read_text(encoding="utf-8") == blocks["yaml"]


def test_quoted_iso_dates_and_yaml_dates_are_both_accepted() -> None:
    for written in ("2021-06-14", "'2021-06-14'", '"2021-06-14"'):
        text = CARD_EXAMPLE.read_text(encoding="utf-8").replace("date: 2021-06-14", f"date: {written}")
        parts = split(text)
        document = read_yaml(parts.frontmatter, 2)
        assert check("level-card", document, CARD_EXAMPLE, Position(1, 1)) == [], written


def test_extension_fields_are_allowed() -> None:
    document = read_yaml("mltrl: 1\nproject: A\ntitle: t\nlevel: 0\ndate: 2020-01-01\nstatus: draft\n"
                         "owners: [x]\nx-cost-centre: 42\n")
    assert check("level-card", document, Path("c.md"), Position(1, 1)) == []


def test_unknown_field_suggests_the_closest_name() -> None:
    document = read_yaml("mltrl: 1\nproject: A\ntitle: t\nlevel: 0\ndate: 2020-01-01\nstatus: draft\n"
                         "owners: [x]\ntech-debt: []\n", first_line=2)
    [finding] = check("level-card", document, Path("c.md"), Position(1, 1))
    assert finding.position == Position(9, 1)
    assert finding.hint == "did you mean 'tech_debt'?"


def test_one_finding_per_field_when_several_validators_fail() -> None:
    document = read_yaml("mltrl: 1\nproject: A\ntitle: t\nlevel: 0\ndate: 2020-1-1\nstatus: draft\nowners: [x]\n")
    findings = check("level-card", document, Path("c.md"), Position(1, 1))
    assert [f.field for f in findings] == ["date"]


def test_yaml_problem_hides_the_schema_error_at_the_same_field() -> None:
    document = read_yaml("mltrl: 1\nproject: A\ntitle: t\nlevel: 0\ndate: 2020-01-01\nstatus: off\nowners: [x]\n")
    findings = check("level-card", document, Path("c.md"), Position(1, 1))
    assert [(f.rule, f.field) for f in findings] == [("yaml", "status")]


def test_field_names() -> None:
    assert field_name(()) == "frontmatter"
    assert field_name(("requirements", 2, "risk", "impact")) == "requirements[2].risk.impact"
    assert field_name((0,)) == "[0]"


@pytest.mark.parametrize("field,value", [("project", "P1\n"), ("requirements", [
    {"id": "1.2\n", "kind": "research", "text": "T.", "verification": "test", "status": "verified"}])])
def test_a_pattern_ending_in_dollar_does_not_accept_a_final_newline(field: str, value: Any) -> None:
    """JSON Schema's '$' is the end of the text; Python's also matches before a last '\\n'."""
    from conftest import card_text

    parts = split(card_text(**{field: value}))
    document = read_yaml(parts.frontmatter, parts.frontmatter_line)
    findings = check("level-card", document, Path("c.md"), Position(1, 1))
    assert [f.field for f in findings] == [field if field == "project" else "requirements[0].id"]


# --- format 1.1 -------------------------------------------------------------------------------

DOCS = REPO / "docs" / "card-format.md"
FORMAT_1_1 = FIXTURES / "format-1.1"
REQUIREMENT = {"id": "1", "kind": "research", "text": "T.", "verification": "test", "status": "in-progress"}


def format_1_1_fields(name: str) -> list[tuple[str | int, ...]]:
    """The fields format 1.1 adds, read from the schema's one list of them (its top-level
    ``if mltrl is 1 then`` branch); ``0`` stands for any list item."""
    schema = load_schema(name)
    assert schema["if"]["properties"]["mltrl"] == {"const": 1} and schema["if"]["required"] == ["mltrl"]
    found: list[tuple[str | int, ...]] = []

    def walk(node: dict[str, Any], path: tuple[str | int, ...]) -> None:
        if "x-since" in node:
            assert node["x-since"] == "1.1" and node["not"] == {}, path
            found.append(path)
        for key, sub in node.get("properties", {}).items():
            walk(sub, (*path, key))
        if "items" in node:
            walk(node["items"], (*path, 0))

    walk(schema["then"], ())
    return found


def _declared(schema: dict[str, Any], path: tuple[str | int, ...]) -> dict[str, Any]:
    node = schema
    for part in path:
        node = node["items"] if isinstance(part, int) else node["properties"][part]
    return node


@pytest.mark.parametrize("name", ["level-card", "glossary"])
def test_every_format_1_1_field_is_declared_and_described_as_1_1(name: str) -> None:
    schema = load_schema(name)
    fields = format_1_1_fields(name)
    assert fields
    for path in fields:
        assert _declared(schema, path)["description"].startswith("Format 1.1. "), path
    described = {where for where, sub in _properties(schema) if sub.get("description", "").startswith("Format 1.1")}
    listed = {"".join("[items]" if isinstance(p, int) else f".{p}" for p in path) for path in fields}
    assert described == listed, "a field described as 'Format 1.1' is missing from the schema's if/then list"


# A valid value for every 1.1 field: a card with it is valid at 1.1 and rejected at 1.
V1_1_SAMPLES: dict[tuple[str | int, ...], dict[str, Any]] = {
    ("reviewers", 0, "role"): {"reviewers": [{"name": "Lin Chen", "decision": "approved", "role": "qa"}]},
    ("reviewers", 0, "requested"): {"reviewers": [{"name": "Lin Chen", "decision": "pending",
                                                   "requested": "2024-03-02"}]},
    ("requirements", 0, "risk", "mitigation"): {"requirements": [
        {**REQUIREMENT, "risk": {"likelihood": 2, "impact": 3, "mitigation": "A fallback serves the old model."}}]},
    ("requirements", 0, "validation"): {"requirements": [{**REQUIREMENT, "validation": {"how": "Users asked."}}]},
    ("datasets",): {"datasets": [{"name": "query-logs", "version": "1.0.0"}]},
    ("monitoring",): {"monitoring": {"drift": ["PSI over query length"]}},
    ("deployment_tests",): {"deployment_tests": [{"kind": "shadow"}]},
    ("production",): {"production": {"change": "retired"}},
}


def test_every_format_1_1_field_has_a_sample() -> None:
    assert sorted(map(str, V1_1_SAMPLES)) == sorted(map(str, format_1_1_fields("level-card")))


def _card_document(**fields: Any):
    from conftest import card_text

    parts = split(card_text(**fields))
    return read_yaml(parts.frontmatter, parts.frontmatter_line)


@pytest.mark.parametrize("path", list(V1_1_SAMPLES), ids=field_name)
def test_a_format_1_card_using_a_1_1_field_is_rejected_at_that_field(path: tuple[str | int, ...]) -> None:
    document = _card_document(mltrl=1, **V1_1_SAMPLES[path])
    [finding] = check("level-card", document, Path("c.md"), Position(1, 1))
    assert finding.message == f"{field_name(path)} is a format 1.1 field: write mltrl: 1.1"
    assert (finding.rule, finding.field, finding.position) == ("schema", field_name(path), document.keys[path])
    assert "mltrl: 1.1" in (finding.hint or "")
    for mltrl in (1.1, "1.1"):
        assert check("level-card", _card_document(mltrl=mltrl, **V1_1_SAMPLES[path]), Path("c.md"),
                     Position(1, 1)) == [], mltrl


@pytest.mark.parametrize("written", ["2", "1.3", "'1'", "'1.10'", "'1.20'", "true", "null", "[1]"])
def test_the_format_version_is_1_1_1_or_1_2(written: str) -> None:
    document = read_yaml(f"mltrl: {written}\nproject: A\ntitle: t\nlevel: 0\ndate: 2020-01-01\nstatus: draft\n"
                         "owners: [x]\n")
    findings = check("level-card", document, Path("c.md"), Position(1, 1))
    assert [(f.field, f.position) for f in findings] == [("mltrl", Position(1, 8))]
    assert findings[0].message in ("mltrl must be 1, 1.1 or 1.2 (the card format version)", "mltrl is empty")


def test_a_format_1_glossary_using_a_term_source_is_rejected_at_that_term() -> None:
    text = ("mltrl: 1\nterms:\n  - term: A\n    definition: x.\n  - term: B\n    definition: y.\n"
            "    source: Our team\n")
    [finding] = check("glossary", read_yaml(text), Path("g.yml"), Position(1, 1))
    assert (finding.field, finding.position) == ("terms[1].source", Position(7, 5))
    assert finding.message == "terms[1].source is a format 1.1 field: write mltrl: 1.1"
    assert check("glossary", read_yaml(text.replace("mltrl: 1\n", "mltrl: 1.1\n")), Path("g.yml"),
                 Position(1, 1)) == []


CLOSED_1_1 = {
    ".datasets[items].role": DatasetRole,
    ".deployment_tests[items].kind": DeploymentTestKind,
    ".production.change": ProductionChange,
}


def test_format_1_1_vocabularies_are_the_models() -> None:
    found = dict(_properties(load_schema("level-card")))
    for where, words in CLOSED_1_1.items():
        assert found[where]["enum"] == [w.value for w in words], where


# (fields of a 1.1 card, the field a finding names, a part of its message)
BAD_1_1_VALUES: list[tuple[dict[str, Any], tuple[str | int, ...], str]] = [
    ({"reviewers": [{"name": "L", "decision": "approved", "role": ""}]}, ("reviewers", 0, "role"), "is empty"),
    ({"reviewers": [{"name": "L", "decision": "approved", "role": ["qa"]}]}, ("reviewers", 0, "role"),
     "must be text"),
    ({"reviewers": [{"name": "L", "decision": "pending", "requested": "2024-13-01"}]},
     ("reviewers", 0, "requested"), "not a valid date"),
    ({"reviewers": [{"name": "L", "decision": "pending", "requested": "next week"}]},
     ("reviewers", 0, "requested"), "not a valid date"),
    ({"requirements": [{**REQUIREMENT, "risk": {"likelihood": 1, "impact": 1, "mitigation": 5}}]},
     ("requirements", 0, "risk", "mitigation"), "must be text"),
    ({"requirements": [{**REQUIREMENT, "validation": "Users asked."}]}, ("requirements", 0, "validation"),
     "must be a mapping"),
    ({"requirements": [{**REQUIREMENT, "validation": {"by": "Priya"}}]}, ("requirements", 0, "validation"),
     "missing required field 'how'"),
    ({"requirements": [{**REQUIREMENT, "validation": {"how": "x", "date": "2024/01/01"}}]},
     ("requirements", 0, "validation", "date"), "not a valid date"),
    ({"requirements": [{**REQUIREMENT, "validation": {"how": "x", "who": "Priya"}}]},
     ("requirements", 0, "validation", "who"), "unknown field 'who'"),
    ({"datasets": {"name": "logs"}}, ("datasets",), "must be a list"),
    ({"datasets": [{"version": "1.0.0"}]}, ("datasets", 0), "missing required field 'name'"),
    ({"datasets": [{"name": "logs", "role": "training"}]}, ("datasets", 0, "role"), "is not a valid role"),
    ({"datasets": [{"name": "logs", "version": 1.1}]}, ("datasets", 0, "version"), "must be text"),
    ({"datasets": [{"name": "logs", "slices": "all"}]}, ("datasets", 0, "slices"), "must be a list"),
    ({"datasets": [{"name": "logs", "link": ""}]}, ("datasets", 0, "link"), "is empty"),
    ({"monitoring": {"metrics": [{"name": "NDCG"}]}}, ("monitoring", "metrics", 0),
     "missing required field 'threshold'"),
    ({"monitoring": {"metrics": [{"name": "NDCG", "threshold": True}]}}, ("monitoring", "metrics", 0, "threshold"),
     "must be text or a number"),
    ({"monitoring": {"metrics": [{"name": "NDCG", "threshold": ""}]}}, ("monitoring", "metrics", 0, "threshold"),
     "is empty"),
    ({"monitoring": {"drift": "PSI"}}, ("monitoring", "drift"), "must be a list"),
    ({"monitoring": {"dashbord": "https://grafana.example.internal"}}, ("monitoring", "dashbord"),
     "unknown field 'dashbord'"),
    ({"deployment_tests": [{"kind": "ab"}]}, ("deployment_tests", 0, "kind"), "is not a valid kind"),
    ({"deployment_tests": [{"text": "One week."}]}, ("deployment_tests", 0), "missing required field 'kind'"),
    ({"deployment_tests": [{"kind": "shadow", "evidence": "runs.csv"}]}, ("deployment_tests", 0, "evidence"),
     "must be a list"),
    ({"production": {"change": "sunset"}}, ("production", "change"), "is not a valid change"),
    ({"production": {"reason": "Old."}}, ("production",), "missing required field 'change'"),
]


@pytest.mark.parametrize(("fields", "at", "message"), BAD_1_1_VALUES,
                         ids=[f"{field_name(at)}-{i}" for i, (_, at, _) in enumerate(BAD_1_1_VALUES)])
def test_a_bad_1_1_value_is_a_located_error(fields: dict[str, Any], at: tuple[str | int, ...], message: str) -> None:
    document = _card_document(mltrl=1.1, **fields)
    [finding] = check("level-card", document, Path("c.md"), Position(1, 1))
    assert (finding.rule, finding.field) == ("schema", field_name(at)) and message in finding.message
    assert finding.position in (document.keys.get(at), document.values.get(at)) and finding.position.line > 1
    assert finding.hint


def test_a_bad_1_1_value_has_a_useful_hint() -> None:
    hints = {field_name(at): check("level-card", _card_document(mltrl=1.1, **fields), Path("c.md"),
                                   Position(1, 1))[0].hint for fields, at, _ in BAD_1_1_VALUES}
    assert hints["datasets[0].role"] == "use one of: train, validation, test, monitoring, other (did you mean 'train'?)"
    assert hints["deployment_tests[0].kind"].endswith("(did you mean 'a-b'?)")
    assert hints["datasets[0].version"] == 'write it in quotes: "1.1"'
    assert hints["monitoring.dashbord"] == "did you mean 'dashboard'?"


def test_the_format_1_1_fixtures_are_valid() -> None:
    cards = sorted(FORMAT_1_1.rglob("*.md"))
    assert len(cards) == 3
    for path in cards:
        assert check("level-card", _frontmatter(path), path, Position(1, 1)) == [], path
    glossary = FORMAT_1_1 / "ranker" / "glossary.yml"
    assert check("glossary", read_yaml(glossary.read_text(encoding="utf-8")), glossary, Position(1, 1)) == []


# --- every format 1 file stays valid ---------------------------------------------------------

WALKED = (FIXTURES, REPO / "tests" / "corpus", REPO / "site_example")


def _cards_and_glossaries() -> Iterator[tuple[str, Path]]:
    """(schema name, file) for every card and glossary file of the test fixtures, the malformed
    corpus and the example site."""
    for folder in WALKED:
        for path in sorted(folder.rglob("*")):
            if not path.is_file():
                continue
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue
            if path.suffix == ".md" and re.search(r"^level\s*:", text, re.MULTILINE):
                yield "level-card", path
            elif path.suffix in (".yml", ".yaml") and re.search(r"^terms\s*:", text, re.MULTILINE):
                yield "glossary", path


def _read(name: str, path: Path):
    """The file's YAML document, or None for the corpus's files that are no YAML at all."""
    from mltrl_docs.yamldata import YamlSyntaxError

    text = path.read_text(encoding="utf-8")
    try:
        if name == "glossary":
            return read_yaml(text)
        parts = split(text)
        return read_yaml(parts.frontmatter, parts.frontmatter_line)
    except (YamlSyntaxError, AttributeError, TypeError):
        return None


def test_every_format_1_file_is_still_valid() -> None:
    """Format 1.1 is backwards compatible. Every card and glossary of the fixtures and the
    example site passes, whether it declares 1 or 1.1; no file of the malformed corpus gains a
    finding about format 1.1 (test_corpus holds their exact findings)."""
    versions: dict[str, int] = {}
    for name, path in _cards_and_glossaries():
        document = _read(name, path)
        findings = check(name, document, path, Position(1, 1)) if document is not None else []
        if "corpus" in path.relative_to(REPO).parts:
            assert not any("format 1.1" in f.message for f in findings), path
            continue
        assert findings == [], (path, findings)
        declared = document.data["mltrl"]
        versions[f"{name} {declared}"] = versions.get(f"{name} {declared}", 0) + 1
    assert versions.get("level-card 1", 0) >= 3 and versions.get("glossary 1", 0) >= 3, versions
    assert versions.get("level-card 1.1", 0) >= 3 and versions.get("glossary 1.1", 0) >= 1, versions


def test_the_format_document_describes_every_1_1_field() -> None:
    text = DOCS.read_text(encoding="utf-8")
    assert "mltrl: 1.1" in text and "is a format 1.1 field: write mltrl: 1.1" in text
    for name in ("level-card", "glossary"):
        for path in format_1_1_fields(name):
            assert f"`{path[-1]}`" in text, path


# --- the fast path (schema.fast_accepts) -----------------------------------------------------


def test_format_1_1_files_take_the_fast_path() -> None:
    """``mltrl: 1.1`` is a float, but no whole number: fastjsonschema and jsonschema judge it
    alike, so a valid 1.1 card (and one with a threshold of 0.7) is accepted without jsonschema."""
    from mltrl_docs.schema import fast_accepts

    for path in sorted(FORMAT_1_1.rglob("*.md")):
        document = _frontmatter(path)
        assert document.data["mltrl"] in (1.1, "1.1") and fast_accepts("level-card", document), path
    document = _card_document(mltrl=1.1, monitoring={"metrics": [{"name": "NDCG@10", "threshold": 0.7}]})
    assert not document.has_whole_float and fast_accepts("level-card", document)
    glossary = read_yaml("mltrl: 1.1\nterms:\n  - {term: A, definition: B., source: C}\n")
    assert fast_accepts("glossary", glossary)


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_the_fast_path_formats_no_message_and_still_says_no(name: str) -> None:
    """fastjsonschema's code fills each ``no``'s path in with ``**locals()`` (hundreds of locals), and
    valid cards take ``no`` branches of ``if`` and ``anyOf``: the fast path is compiled without it, as
    the schema's own function, and still rejects what breaks the schema."""
    from mltrl_docs.schema import _fast_validator, fast_accepts

    validator = _fast_validator(name)
    assert validator.func.__name__.startswith("validate_urn_mltrl_docs_schema_" + name.replace("-", "_"))
    assert "locals" not in validator.func.__code__.co_names
    assert not fast_accepts(name, read_yaml("unknown_key_of_no_schema: 1\n"))


def test_the_fast_path_takes_criteria_with_and_without_tests_and_rejects_a_mixed_one() -> None:
    """The ``if``/``then``/``else`` of an acceptance criterion, on the fast path as in jsonschema."""
    from mltrl_docs.schema import fast_accepts

    value = {"metric": "F1", "op": ">=", "value": 0.7, "source": "m.json", "select": "f1"}
    tests = {"tests": "junit.xml", "select": "tests.test_mask"}
    requirement = {**REQUIREMENT, "acceptance": [value, tests]}
    assert fast_accepts("level-card", _card_document(mltrl=1.2, requirements=[requirement]))
    for mixed in ({**tests, "source": "m.json"}, {**value, "tests": "junit.xml"}, {"metric": "F1", "op": ">="}):
        document = _card_document(mltrl=1.2, requirements=[{**REQUIREMENT, "acceptance": [mixed]}])
        assert not fast_accepts("level-card", document)
        assert check("level-card", document, Path("c.md"), Position(1, 1)), mixed


@pytest.mark.parametrize("fields,field", [
    ({"level": 3.0}, "level"),
    ({"requirements": [{**REQUIREMENT, "risk": {"likelihood": 2.0, "impact": 3}}]}, "requirements[0].risk.likelihood"),
])
def test_a_whole_number_float_goes_to_jsonschema_which_explains_it(fields: dict[str, Any], field: str) -> None:
    """fastjsonschema would take 3.0 for a level: such a card is judged by jsonschema, in
    format 1.1 as in format 1, with the same message."""
    from mltrl_docs.schema import fast_accepts

    found = []
    for mltrl in (1, 1.1):
        document = _card_document(mltrl=mltrl, **fields)
        assert document.has_whole_float and not fast_accepts("level-card", document)
        [finding] = check("level-card", document, Path("c.md"), Position(1, 1))
        found.append((finding.field, finding.message, finding.hint))
    assert found[0] == found[1] and found[0][0] == field and "without the decimal point" in (found[0][2] or "")


def test_an_invalid_1_1_card_is_explained_as_before() -> None:
    """The fast path only ever says yes: an invalid 1.1 card gets jsonschema's explanation."""
    document = _card_document(mltrl=1.1, status="finished", monitoring={"metrics": [{"name": "m", "threshold": 0.7}]})
    [finding] = check("level-card", document, Path("c.md"), Position(1, 1))
    assert (finding.field, finding.message) == ("status", "'finished' is not a valid status")


# --- format 1.2 -------------------------------------------------------------------------------

CRITERION = {"metric": "cirrus F1", "op": ">=", "value": 0.7, "source": "evidence/metrics.json",
             "select": "test.cirrus.f1"}


def format_1_2_fields(name: str) -> list[tuple[str | int, ...]]:
    """The fields format 1.2 adds, read from the schema's one list of them: the ``allOf`` branch
    "if mltrl is 1 or 1.1 then these are absent"; ``0`` stands for any list item."""
    schema = load_schema(name)
    [branch] = schema["allOf"]
    assert branch["if"]["properties"]["mltrl"] == {"enum": [1, 1.1, "1.1"]} and branch["if"]["required"] == ["mltrl"]
    found: list[tuple[str | int, ...]] = []

    def walk(node: dict[str, Any], path: tuple[str | int, ...]) -> None:
        if "x-since" in node:
            assert node["x-since"] == "1.2" and node["not"] == {}, path
            found.append(path)
        for key, sub in node.get("properties", {}).items():
            walk(sub, (*path, key))
        if "items" in node:
            walk(node["items"], (*path, 0))

    walk(branch["then"], ())
    return found


def test_every_format_1_2_field_is_declared_and_described_as_1_2() -> None:
    schema = load_schema("level-card")
    fields = format_1_2_fields("level-card")
    assert fields == [("requirements", 0, "acceptance")]
    for path in fields:
        assert _declared(schema, path)["description"].startswith("Format 1.2. "), path
    described = {where for where, sub in _properties(schema) if sub.get("description", "").startswith("Format 1.2")}
    assert described == {".requirements[items].acceptance"}
    assert "allOf" not in load_schema("glossary")  # format 1.2 adds no glossary field


@pytest.mark.parametrize("mltrl", [1, 1.1, "1.1"])
def test_a_1_or_1_1_card_using_acceptance_is_rejected_at_that_field(mltrl: object) -> None:
    document = _card_document(mltrl=mltrl, requirements=[{**REQUIREMENT, "acceptance": [CRITERION]}])
    [finding] = check("level-card", document, Path("c.md"), Position(1, 1))
    path = ("requirements", 0, "acceptance")
    assert finding.message == "requirements[0].acceptance is a format 1.2 field: write mltrl: 1.2"
    assert (finding.rule, finding.field, finding.position) == ("schema", "requirements[0].acceptance",
                                                               document.keys[path])
    assert "mltrl: 1.2" in (finding.hint or "")


@pytest.mark.parametrize("mltrl", [1.2, "1.2"])
def test_a_1_2_card_may_use_every_older_field_and_acceptance(mltrl: object) -> None:
    fields = {k: v for sample in V1_1_SAMPLES.values() for k, v in sample.items() if k != "requirements"}
    requirement = {**REQUIREMENT, "risk": {"likelihood": 2, "impact": 3, "mitigation": "A fallback."},
                   "validation": {"how": "Users asked."},
                   "acceptance": [CRITERION, {"tests": "evidence/junit.xml", "select": "tests.test_mask"},
                                  {"tests": "evidence/junit.xml"},
                                  {**CRITERION, "slice": "snow", "unit": "points", "note": "Per slice.", "value": 3}]}
    assert check("level-card", _card_document(mltrl=mltrl, requirements=[requirement], **fields), Path("c.md"),
                 Position(1, 1)) == []


BAD_ACCEPTANCE: list[tuple[dict[str, Any], tuple[str | int, ...], str]] = [
    ({**CRITERION, "op": "=>"}, ("op",), "is not a valid op"),
    ({**CRITERION, "value": "0.7"}, ("value",), "must be a number"),
    ({**CRITERION, "value": True}, ("value",), "must be a number"),
    ({k: v for k, v in CRITERION.items() if k != "select"}, (), "missing required field 'select'"),
    ({k: v for k, v in CRITERION.items() if k != "op"}, (), "missing required field 'op'"),
    ({"tests": "junit.xml", "op": ">=", "value": 1}, (), "a criterion with 'tests' reads test results"),
    ({"tests": "junit.xml", "source": "m.json"}, (), "a criterion with 'tests' reads test results"),
    ({**CRITERION, "treshold": 0.7}, ("treshold",), "unknown field 'treshold'"),
    ({**CRITERION, "source": ""}, ("source",), "is empty"),
]


@pytest.mark.parametrize(("criterion", "at", "message"), BAD_ACCEPTANCE,
                         ids=[f"{i}-{m[:20]}" for i, (_, _, m) in enumerate(BAD_ACCEPTANCE)])
def test_a_bad_criterion_is_a_located_error(criterion: dict[str, Any], at: tuple[str | int, ...],
                                            message: str) -> None:
    document = _card_document(mltrl=1.2, requirements=[{**REQUIREMENT, "acceptance": [criterion]}])
    [finding] = check("level-card", document, Path("c.md"), Position(1, 1))
    path = ("requirements", 0, "acceptance", 0, *at)
    assert (finding.rule, finding.field) == ("schema", field_name(path)) and message in finding.message
    assert finding.position in (document.keys.get(path), document.values.get(path)) and finding.position.line > 1
    assert finding.hint


def test_a_criterion_hint_says_what_the_missing_field_is() -> None:
    criterion = {k: v for k, v in CRITERION.items() if k != "op"}
    document = _card_document(mltrl=1.2, requirements=[{**REQUIREMENT, "acceptance": [criterion]}])
    [finding] = check("level-card", document, Path("c.md"), Position(1, 1))
    assert finding.hint is not None and finding.hint.startswith("add 'op:': how the measured value must compare")


def test_the_comparison_vocabulary_is_the_models() -> None:
    from mltrl_docs.model import Comparison

    found = dict(_properties(load_schema("level-card")))
    assert found[".requirements[items].acceptance[items].op"]["enum"] == [c.value for c in Comparison]


def test_format_1_2_cards_take_the_fast_path() -> None:
    from mltrl_docs.schema import fast_accepts

    document = _card_document(mltrl=1.2, requirements=[{**REQUIREMENT, "acceptance": [CRITERION]}])
    assert fast_accepts("level-card", document)
    rejected = _card_document(mltrl=1.1, requirements=[{**REQUIREMENT, "acceptance": [CRITERION]}])
    assert not fast_accepts("level-card", rejected)


def test_a_glossary_may_declare_1_2() -> None:
    text = "mltrl: 1.2\nterms:\n  - {term: A, definition: B., source: C}\n"
    assert check("glossary", read_yaml(text), Path("g.yml"), Position(1, 1)) == []


def test_the_format_document_describes_1_2() -> None:
    text = DOCS.read_text(encoding="utf-8")
    assert "## Format 1.2 additions" in text and "is a format 1.2 field: write mltrl: 1.2" in text
    for word in ("`acceptance`", "`op`", "`value`", "`source`", "`select`", "`tests`", "`slice`", "`unit`",
                 "`note`", "`metric`", "evidence-contradicts", "evidence-passes", "evidence-unreadable"):
        assert word in text, word
