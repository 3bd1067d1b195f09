"""Issue 13, item 6: one vocabulary, and schemas that say what mltrl-docs reads and prints.

* ``check --format json`` output validates against ``schema/check-output.schema.json``;
* every schema carries a versioned ``$id`` (a URN with its format version);
* an editor (YAML 1.2, the settings schema) and ``check`` accept the same documented settings.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from conftest import REPO
from mltrl_docs.cli import main
from mltrl_docs.load import FORMAT_VERSIONS_WRITTEN
from mltrl_docs.resources import OUTPUT_SCHEMA_NAMES, SCHEMA_NAMES, load_schema
from mltrl_docs.settings import load_settings

# --- check --format json ----------------------------------------------------------------------


def _check_json(*args: str, cwd: Path) -> dict[str, Any]:
    previous = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, ["check", "--format", "json", *args], catch_exceptions=False)
    finally:
        os.chdir(previous)
    return json.loads(result.output)


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


# --- $id --------------------------------------------------------------------------------------

VERSIONS = {"level-card": FORMAT_VERSIONS_WRITTEN[-1], "glossary": FORMAT_VERSIONS_WRITTEN[-1],
            "settings": "1", "check-output": "1"}


@pytest.mark.parametrize("name", SCHEMA_NAMES + OUTPUT_SCHEMA_NAMES)
def test_every_schema_has_a_versioned_id(name: str) -> None:
    schema = load_schema(name)
    assert schema["$id"] == f"urn:mltrl-docs:schema:{name}:{VERSIONS[name]}"
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_the_level_card_schema_id_names_the_newest_format() -> None:
    assert load_schema("level-card")["$id"].endswith(":1.2") and "1.2" in json.dumps(
        load_schema("level-card")["properties"]["mltrl"])


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
