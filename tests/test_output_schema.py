"""Issue 13, item 6: one vocabulary, and schemas that say what mltrl-docs reads and prints.

* ``check --format json`` output validates against ``schema/check-output.schema.json``, and the
  JSON of ``check --next``, ``diff`` and ``glossary`` against ``next-output``, ``diff-output`` and
  ``glossary-output`` (and ``query`` against ``query-output``), whose properties are the output's keys at
  every level;
* every schema carries a versioned ``$id`` (a URN with its format version);
* an editor (YAML 1.2, the settings schema) and ``check`` accept the same documented settings.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from conftest import REPO, run_cli
from mltrl_docs.load import FORMAT_VERSIONS_WRITTEN
from mltrl_docs.resources import OUTPUT_SCHEMA_NAMES, SCHEMA_NAMES, load_schema
from mltrl_docs.settings import load_settings

# --- check --format json ----------------------------------------------------------------------


def _check_json(*args: str, cwd: Path) -> dict[str, Any]:
    return json.loads(run_cli("check", "--format", "json", *args, cwd=cwd).output)


def test_check_json_of_the_example_validates_against_its_schema() -> None:
    output = _check_json(str(REPO / "site_example"), cwd=REPO)
    Draft202012Validator(load_schema("check-output")).validate(output)
    assert output["findings"] and {f["severity"] for f in output["findings"]} <= {"error", "warning", "note"}


def test_check_json_with_every_severity_and_null_positions_validates(write, write_card, tmp_path: Path) -> None:
    write("d/p/L2.md", "---\nmltrl: 1\nproject: C1\ntitle: T\nlevel: 2\ndate: 2024-03-01\nstatus: approvedd\n"
                       "owners: [A]\nlinks: {docs: gone.md}\n---\nBody ![x](https://cdn.example/x.png)\n")
    write_card("d/q/L1.md", project="C2", level=1, date="2023-01-01")
    write_card("d/r/L1.md", project="C2", level=1)  # a duplicate id; related names the other folder
    write("d/.hidden/x.md", "x\n")  # a note without a line
    output = _check_json("d", cwd=tmp_path)
    Draft202012Validator(load_schema("check-output")).validate(output)
    severities = {f["severity"] for f in output["findings"]}
    assert {"error", "warning", "note"} <= severities
    assert any(f["line"] is None for f in output["findings"]) and any(f["related"] for f in output["findings"])
    assert output["version"] == load_schema("check-output")["properties"]["version"]["const"]


def test_the_schema_names_every_key_the_output_has(write_card, tmp_path: Path) -> None:
    write_card("d/p/L2.md", links={"docs": "gone.md"})
    output = _check_json("d", cwd=tmp_path)
    schema = load_schema("check-output")
    assert set(output) == set(schema["properties"])
    assert set(output["summary"]) == set(schema["properties"]["summary"]["properties"])
    assert set(output["findings"][0]) == set(schema["$defs"]["finding"]["properties"])


# --- check --next, diff and glossary --format json ------------------------------------------------


def _json(*args: str, cwd: Path, exit_codes: tuple[int, ...] = (0,)) -> dict[str, Any]:
    result = run_cli(*args, "--format", "json", cwd=cwd)
    assert result.exit_code in exit_codes, result.output
    return json.loads(result.output)


def _validate(name: str, output: dict[str, Any]) -> None:
    schema = load_schema(name)
    Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(output)
    assert output["version"] == schema["properties"]["version"]["const"]


def _keys_match(root: dict[str, Any], node: dict[str, Any], value: Any, where: str, seen: set[str]) -> None:
    """At every object of ``value``, its keys are exactly the schema's properties (``where``
    names the place in the schema, a ``$ref`` by its definition); ``seen`` gathers the places."""
    if "$ref" in node:
        name = node["$ref"].removeprefix("#/$defs/")
        _keys_match(root, root["$defs"][name], value, f"#/$defs/{name}", seen)
    elif isinstance(value, dict) and "properties" in node:
        assert set(value) == set(node["properties"]), where
        seen.add(where)
        for key, sub in node["properties"].items():
            _keys_match(root, sub, value[key], f"{where}.{key}", seen)
    elif isinstance(value, dict) and isinstance(node.get("additionalProperties"), dict):
        for item in value.values():
            _keys_match(root, node["additionalProperties"], item, f"{where}[*]", seen)
    elif isinstance(value, list) and isinstance(node.get("items"), dict):
        for item in value:
            _keys_match(root, node["items"], item, f"{where}[]", seen)


def _objects(node: dict[str, Any], where: str) -> Iterator[str]:
    """The places in a schema that describe an object by its properties (named as ``_keys_match`` names them)."""
    if "properties" in node:
        yield where
        for key, sub in node["properties"].items():
            yield from _objects(sub, f"{where}.{key}")
    for key, mark in (("items", "[]"), ("additionalProperties", "[*]")):
        if isinstance(node.get(key), dict):
            yield from _objects(node[key], where + mark)


def _every_object_matches(name: str, *outputs: dict[str, Any]) -> None:
    """The schema's properties are the outputs' keys at every level, and the outputs between them
    show every object the schema describes: the code and the schema cannot drift apart."""
    schema, seen = load_schema(name), set[str]()
    for output in outputs:
        _keys_match(schema, schema, output, "#", seen)
    described = {*_objects(schema, "#"), *(p for d, sub in schema.get("$defs", {}).items()
                                           for p in _objects(sub, f"#/$defs/{d}"))}
    assert described - seen == set(), "no output shows these: give the test one that does"


def test_diff_json_of_the_example_validates_and_names_every_key(write, write_card, tmp_path: Path) -> None:
    example = _json("diff", "site_example", "--since", "2000-01-01", cwd=REPO)
    _validate("diff-output", example)
    changes = example["changes"]
    assert any(c["baseline"] is None for c in changes) and any(c["baseline"] for c in changes)
    assert any(r["risk_change"] for c in changes for r in c["requirements"])
    assert {r["change"] for c in changes for r in c["reviewers"]} == {"added", "removed", "changed"}
    assert any(s["line"] is None for c in changes for s in c["sections"])
    # what the example does not show: a reworded requirement whose acceptance result changed
    write("s/mltrl-docs.yml", "sources: [d]\nbuild_date: 2024-12-01\n")
    write("s/d/p/evidence/old.json", '{"test": {"f1": 0.64}}')
    write("s/d/p/evidence/new.json", '{"test": {"f1": 0.75}}')

    def requirement(text: str, status: str, source: str) -> dict[str, Any]:
        return {"id": "1", "kind": "research", "text": text, "verification": "test", "status": status,
                "acceptance": [{"metric": "F1", "op": ">=", "value": 0.7, "source": source, "select": "test.f1"}]}

    write_card("s/d/p/L2.md", mltrl=1.2, level=2, date="2024-01-01",
               requirements=[requirement("F1 shall reach 0.7.", "in-progress", "evidence/old.json")])
    write_card("s/d/p/L3.md", mltrl=1.2, level=3, date="2024-06-01", status="in-review",
               transition={"from": 2, "kind": "advance", "reason": "Gate passed."},
               requirements=[requirement("F1 shall reach at least 0.7.", "verified", "evidence/new.json")])
    reworded = _json("diff", "s", "--since", "2024-05-01", cwd=tmp_path)
    _validate("diff-output", reworded)
    [requirement_change] = reworded["changes"][0]["requirements"]
    assert requirement_change["reworded"] and requirement_change["acceptance"][0]["change"] == "changed"
    _every_object_matches("diff-output", example, reworded)


def test_next_json_validates_and_names_every_key(write, tmp_path: Path) -> None:
    output = _json("check", "--next", "P07.1", "site_example", cwd=REPO, exit_codes=(1,))
    _validate("next-output", output)
    assert output["file"] and output["next"] == output["declared"] + 1 and output["gap"]
    assert all(item["line"] is None or item["column"] for item in output["gap"])
    _every_object_matches("next-output", output)
    # a project with no valid card: every key is there all the same
    write("s/mltrl-docs.yml", "sources: [d]\n")
    write("s/d/p/L2.md", "---\nmltrl: 1\nproject: C1\ntitle: T\nlevel: 2\ndate: 2024-03-01\nstatus: approvedd\n"
                         "owners: [A]\n---\nx\n")
    invalid = _json("check", "--next", "p", "s", cwd=tmp_path, exit_codes=(1,))
    _validate("next-output", invalid)
    assert invalid == {"version": 1, "project": "p", "file": None, "declared": None, "earned": None, "next": None,
                       "gap": []}


def test_glossary_json_validates_and_names_every_key() -> None:
    site = "site_example"
    every = _json("glossary", "--site", site, cwd=REPO)
    _validate("glossary-output", every)
    terms = every["terms"]
    assert any(t["project"] for t in terms) and any(t["teams"] for t in terms) and any(t["level"] for t in terms)
    assert {t["defined_in"] == "built-in" for t in terms} == {True, False}
    scoped = _json("glossary", "--site", site, "--project", next(t["project"] for t in terms if t["project"]),
                   cwd=REPO)
    one = _json("glossary", "--site", site, "switchback", cwd=REPO)
    for output in (scoped, one):
        _validate("glossary-output", output)
    assert [t["term"] for t in one["terms"]] == ["Switchback"]
    _every_object_matches("glossary-output", every, scoped, one)


def test_query_json_validates_and_names_every_key() -> None:
    """Plain, shown, grouped (a list field's texts as keys, and the rows with none), and a date, a list and
    a null among the values."""
    site = "site_example"
    plain = _json("query", "cards where current show project, date, owners, switchback", site, cwd=REPO)
    grouped = _json("query", "projects group by coupled limit 2", site, cwd=REPO)
    for output in (plain, grouped):
        _validate("query-output", output)
    assert plain["group_by"] is None and plain["groups"] == [] and plain["matched"] == len(plain["rows"]) == 5
    assert any(row["switchback"] is None for row in plain["rows"]) and all(
        isinstance(row["owners"], list) for row in plain["rows"])
    assert grouped["group_by"] == {"name": "coupled", "type": "list"} and grouped["groups"][0]["key"] is None
    assert grouped["groups_matched"] > len(grouped["groups"]) == 2
    _every_object_matches("query-output", plain, grouped)


@pytest.mark.parametrize("name", OUTPUT_SCHEMA_NAMES)
def test_every_output_schema_describes_every_property(name: str) -> None:
    """A description on every property, definition and item; no object open to other keys."""
    def walk(node: Any, where: str) -> Iterator[str]:
        if isinstance(node, dict):
            if "properties" in node and node.get("additionalProperties") is not False:
                yield f"{where}: not closed (additionalProperties false)"
            for key, sub in node.get("properties", {}).items():
                if not sub.get("description"):
                    yield f"{where}.{key}: no description"
            for key, sub in node.get("$defs", {}).items():
                if not sub.get("description"):
                    yield f"{where}/$defs/{key}: no description"
            for key, sub in node.items():
                if key in ("items", "additionalProperties") and isinstance(sub, dict) and not sub.get("description"):
                    if "$ref" not in sub:
                        yield f"{where}[{key}]: no description"
                yield from walk(sub, f"{where}.{key}")

    assert list(walk(load_schema(name), name)) == []


# --- $id --------------------------------------------------------------------------------------

VERSIONS = {"level-card": FORMAT_VERSIONS_WRITTEN[-1], "glossary": FORMAT_VERSIONS_WRITTEN[-1],
            "settings": "1", "bundle": "1", "check-output": "1", "next-output": "1", "diff-output": "1",
            "readiness-diff-output": "1",
            "glossary-output": "1", "query-output": "1"}


@pytest.mark.parametrize("name", SCHEMA_NAMES + OUTPUT_SCHEMA_NAMES)
def test_every_schema_has_a_versioned_id(name: str) -> None:
    schema = load_schema(name)
    assert schema["$id"] == f"urn:mltrl-docs:schema:{name}:{VERSIONS[name]}"
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_the_level_card_schema_id_names_the_newest_format() -> None:
    assert load_schema("level-card")["$id"].endswith(":1.2") and "1.2" in json.dumps(
        load_schema("level-card")["properties"]["mltrl"])


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    assert len(keys) == len(set(keys)), f"a key twice: {sorted(k for k in keys if keys.count(k) > 1)}"
    return dict(pairs)


def test_every_schema_file_is_registered_and_has_a_versioned_urn() -> None:
    """So that the test above covers every file in schema/; and a key written twice (which JSON
    parsers silently resolve to the last) is refused."""
    files = sorted((REPO / "schema").glob("*.schema.json"))
    assert {f.name.removesuffix(".schema.json") for f in files} == {*SCHEMA_NAMES, *OUTPUT_SCHEMA_NAMES}
    for file in files:
        schema = json.loads(file.read_text(encoding="utf-8"), object_pairs_hook=_no_duplicate_keys)
        assert re.fullmatch(rf"urn:mltrl-docs:schema:{file.name.removesuffix('.schema.json')}:[0-9]+(\.[0-9]+)?",
                            schema["$id"]), file.name


@pytest.mark.parametrize("name", OUTPUT_SCHEMA_NAMES)
def test_an_output_schema_id_names_the_version_its_output_gives(name: str) -> None:
    schema = load_schema(name)
    assert schema["$id"].endswith(f":{schema['properties']['version']['const']}")
    assert schema["required"][0] == "version"


# --- editor and check agree on settings ----------------------------------------------------------


class _Yaml12(yaml.SafeLoader):
    """What an editor's YAML language server reads (YAML 1.2 core schema): only true and false
    are booleans, and dates stay text."""


_Yaml12.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers
            if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Yaml12.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                              list("tTfF"))


def _editor_accepts(text: str) -> bool:
    return not list(Draft202012Validator(load_schema("settings")).iter_errors(yaml.load(text, _Yaml12)))


def _check_accepts(text: str, tmp_path: Path) -> bool:
    (tmp_path / "d").mkdir(exist_ok=True)
    (tmp_path / "glossary").mkdir(exist_ok=True)
    (tmp_path / "glossary" / "org.yml").write_text("mltrl: 1\nterms: []\n", encoding="utf-8")
    path = tmp_path / "mltrl-docs.yml"
    path.write_text(text, encoding="utf-8")
    settings, findings = load_settings(path)
    return settings is not None and not [f for f in findings if f.severity.value == "error"]


_SETTING = re.compile(r"`((?:" + "|".join(load_schema("settings")["properties"]) + r"): [^`]+)`")


def _documented() -> list[str]:
    """Every settings example the docs give: README's inline `key: value` snippets, the
    example's settings file with its commented-out settings turned on, and each value a
    vocabulary names, written plain (as people write them)."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    found = [m.group(1) for m in _SETTING.finditer(readme) if "YYYY" not in m.group(1)]
    for page in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md")),
                 *sorted((REPO / "site_example" / "docs").glob("*.md"))]:
        blocks = re.findall(r"```ya?ml\n(.*?)```", page.read_text(encoding="utf-8"), flags=re.DOTALL)
        found += [block for block in blocks if re.search(r"^sources:", block, flags=re.MULTILINE)]
    example = (REPO / "site_example" / "mltrl-docs.yml").read_text(encoding="utf-8")
    found.append(example)
    found.append(re.sub(r"^# (?=\s*[a-z_][a-z0-9_.-]*:\s)", "", example, flags=re.MULTILINE))
    found += [f"link_terms: {word}" for word in load_schema("settings")["properties"]["link_terms"]["enum"]]
    found += [f"gates: {{stale: {word}}}" for word in load_schema("settings")["$defs"]["switch"]["then"]["enum"]]
    found += ["gates: {stale: true}", "gates: {stale: false}", "provenance: false", "builtin_glossary: false"]
    return found


def test_docs_give_settings_examples() -> None:
    assert len(_documented()) > 20 and "link_terms: off" in _documented()


@pytest.mark.parametrize("example", _documented())
def test_editor_schema_and_check_agree_on_every_documented_example(example: str, tmp_path: Path) -> None:
    text = example if re.search(r"^sources:", example, flags=re.MULTILINE) else f"sources: [d]\n{example}\n"
    assert _editor_accepts(text), text
    assert _check_accepts(text, tmp_path), text


@pytest.mark.parametrize("text", ["link_terms: yes", "link_terms: Off", "gates: {stale: no}", "link_terms: false"])
def test_editor_schema_and_check_reject_alike(text: str, tmp_path: Path) -> None:
    text = f"sources: [d]\n{text}\n"
    assert not _editor_accepts(text)
    assert not _check_accepts(text, tmp_path)


def test_link_terms_off_unquoted_turns_linking_off(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    path = tmp_path / "mltrl-docs.yml"
    for text in ("link_terms: off", "link_terms: 'off'"):
        path.write_text(f"sources: [d]\n{text}\ngates: {{stale: off, sections: on}}\n", encoding="utf-8")
        settings, findings = load_settings(path)
        assert settings is not None and findings == []
        assert settings.link_terms == "off"
        assert settings.gates.severity("stale") is None


def test_a_card_status_no_is_still_a_yaml_error(write_card, write) -> None:
    from mltrl_docs.load import load_markdown

    path = write("d/p/L2.md", "---\nmltrl: 1\nproject: C1\ntitle: T\nlevel: 2\ndate: 2024-03-01\nstatus: no\n"
                              "owners: [A]\n---\nx\n")
    _, findings = load_markdown(path, "p")
    assert [f.rule for f in findings if f.field == "status"] == ["yaml"]
