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
    blocks = dict((lang, text) for lang, text in re.findall(r"```(\w+)\n(.*?)```", SPEC.read_text(), re.S))
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
