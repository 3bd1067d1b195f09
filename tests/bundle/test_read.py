"""Importing bundles: each is checked (JSON, version, schema, every path, size and hash), a bad
one is reported at the bundle file and its JSON path, and never hides the rest of the site
(issue 15, items 3 to 5)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import run_cli
from mltrl_docs.bundle.model import path_problem
from mltrl_docs.bundle.read import import_bundles, json_path
from mltrl_docs.settings import Limits

from .support import bundle, entry, save, team_site


@pytest.fixture
def good(tmp_path: Path) -> dict[str, Any]:
    """The bundle of a one-project site (T1.1)."""
    return bundle(team_site(tmp_path / "team", "T1.1"), tmp_path / "team.json")


def _check(folder: Path, settings: str, *args: str) -> tuple[int, str]:
    (folder / "mltrl-docs.yml").write_text(settings, encoding="utf-8")
    result = run_cli("check", *args, cwd=folder)
    return result.exit_code, result.output


def _json(folder: Path, settings: str) -> dict[str, Any]:
    return json.loads(_check(folder, settings, "--format", "json", "--fail-on", "never")[1])


def test_a_bundle_alone_is_checked_as_its_sources_are(tmp_path: Path, good: dict[str, Any]) -> None:
    save(good, tmp_path / "portal" / "bundles" / "team.json")
    code, output = _check(tmp_path / "portal", "bundles: [bundles/*.json]\n")
    assert code == 0, output
    assert "checked 1 projects, 2 cards (0 invalid)" in output


def test_a_finding_names_the_bundle_and_the_file_and_line_inside_it(tmp_path: Path, good: dict[str, Any]) -> None:
    card = good["cards"][1]
    card.update(entry(card["path"], card["content"].replace("status: approved", "status: approvedd")))
    name = card["path"]
    save(good, tmp_path / "portal" / "bundles" / "team-a.json")
    code, output = _check(tmp_path / "portal", "bundles: [bundles/team-a.json]\n")
    assert code == 1
    assert f"bundles/team-a.json: {name}:7:9: error: 'approvedd' is not a valid status" in output
    found = _json(tmp_path / "portal", "bundles: [bundles/team-a.json]\n")["findings"]
    schema = next(f for f in found if f["rule"] == "schema")
    assert (schema["file"], schema["bundled_file"], schema["line"], schema["column"]) == (
        "bundles/team-a.json", name, 7, 9)
    annotations = _check(tmp_path / "portal", "bundles: [bundles/team-a.json]\n", "--format", "github")[1]
    line = next(a for a in annotations.splitlines() if "approvedd" in a)
    assert line.startswith(f"::error file=bundles/team-a.json,title=mltrl-docs schema::{name}:7:9: ")


def test_malformed_json_is_located_by_the_decoder(tmp_path: Path) -> None:
    (tmp_path / "portal").mkdir()
    (tmp_path / "portal" / "bad.json").write_text('{\n  "bundle_version": 1,\n  "cards": [,]\n}\n', encoding="utf-8")
    code, output = _check(tmp_path / "portal", "bundles: [bad.json]\n")
    assert code == 1 and "bad.json:3:13: error: bundle is not valid JSON: Expecting value [bundle]" in output


@pytest.mark.parametrize(("version", "message"), [
    (None, "not a bundle: it has no bundle_version (bundle_version) [bundle]"),
    (2, "bundle_version 2 is not one this mltrl-docs reads (it reads 1) (bundle_version) [bundle]"),
    ("1", 'bundle_version "1" is not one this mltrl-docs reads (it reads 1)'),
])
def test_a_wrong_or_missing_version_says_which_versions_are_read(tmp_path: Path, good: dict[str, Any],
                                                                 version: Any, message: str) -> None:
    if version is None:
        del good["bundle_version"]
    else:
        good["bundle_version"] = version
    save(good, tmp_path / "portal" / "b.json")
    code, output = _check(tmp_path / "portal", "bundles: [b.json]\n")
    assert code == 1 and f"b.json: error: {message}" in output


def test_a_schema_violation_is_located_by_its_json_path_and_leaves_out_only_that_card(
        tmp_path: Path, good: dict[str, Any]) -> None:
    del good["cards"][1]["project"]
    save(good, tmp_path / "portal" / "b.json")
    code, output = _check(tmp_path / "portal", "bundles: [b.json]\n")
    assert code == 1
    assert "b.json: error: bundle does not follow its schema: 'project' is a required property (cards[1])" in output
    assert "checked 1 projects, 1 cards" in output  # the other card is still there


def test_a_broken_top_level_leaves_out_the_bundle_but_not_the_site(tmp_path: Path, good: dict[str, Any]) -> None:
    del good["provenance"]
    save(good, tmp_path / "portal" / "b.json")
    team_site(tmp_path / "portal", "L1.1")  # a local source beside it
    code, output = _check(tmp_path / "portal", "sources: [dossiers]\nbundles: [b.json]\n")
    assert code == 1
    assert "bundle left out: its errors are not in one card, page or file" in output
    assert "checked 1 projects, 2 cards" in output


@pytest.mark.parametrize("path", ["../../etc/passwd", "/etc/passwd", "dossiers/t1.1/../../x.md", "C:/x.md",
                                  "dossiers\\t1.1\\x.md", "dossiers//x.md", "dossiers/t1.1/\x00.md"])
def test_a_path_that_could_escape_is_an_error_never_read_or_written(tmp_path: Path, good: dict[str, Any],
                                                                    path: str) -> None:
    good["cards"][0]["path"] = path
    good["files"].append({**entry("x", "owned\n"), "path": path})
    save(good, tmp_path / "portal" / "b.json")
    imports = import_bundles([tmp_path / "portal" / "b.json"], tmp_path / "work", Limits())
    messages = [(f.field, f.message) for f in imports.findings]
    assert ("cards[0].path", messages[0][1]) in messages and messages[0][1].startswith("unsafe path in bundle")
    assert any(field and field.startswith("files[") for field, _ in messages)
    unpacked = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()}
    assert all(p.startswith(("work/0/", "portal/", "team/", "team.json")) for p in unpacked), unpacked
    assert not (tmp_path / "etc").exists() and path_problem(path) is not None


def test_a_file_whose_hash_or_size_is_wrong_is_left_out(tmp_path: Path, good: dict[str, Any]) -> None:
    good["files"][0]["content"] = "slice,psi\nall,0.5\n"  # changed after the bundle was made
    save(good, tmp_path / "b.json")
    imports = import_bundles([tmp_path / "b.json"], tmp_path / "w", Limits())
    assert any("does not have its sha256" in f.message and f.field == "files[0].sha256" for f in imports.findings)
    good["files"][0] = entry(good["files"][0]["path"], "x" * 5000)
    save(good, tmp_path / "c.json")
    imports = import_bundles([tmp_path / "c.json"], tmp_path / "v", Limits(file_bytes=2048))
    assert any("5,000 bytes; the limit is 2,048 (limits.file_bytes)" in f.message for f in imports.findings)
    assert not list((tmp_path / "v").rglob("psi.csv"))
    imports = import_bundles([tmp_path / "c.json"], tmp_path / "u", Limits(bundle_bytes=1024))
    assert imports.bundles == () and "(limits.bundle_bytes); not read" in imports.findings[0].message


def test_a_glob_that_matches_nothing_is_a_warning_and_a_missing_file_an_error(tmp_path: Path) -> None:
    team_site(tmp_path / "portal", "L1.1")
    code, output = _check(tmp_path / "portal", "sources: [dossiers]\nbundles: [teams/*.json, gone.json]\n")
    assert code == 1
    assert "mltrl-docs.yml:2:11: warning: no file matches the bundle pattern 'teams/*.json' (bundles[0])" in output
    assert "mltrl-docs.yml:2:25: error: bundle file 'gone.json' does not exist (bundles[1])" in output
    assert "checked 1 projects, 2 cards" in output


def test_a_project_id_in_two_places_names_both_and_the_site_keeps_the_first(tmp_path: Path) -> None:
    bundle(team_site(tmp_path / "a", "T1.1", title="From team A"), tmp_path / "portal" / "bundles" / "a.json")
    first = bundle(team_site(tmp_path / "b", "T1.1", title="From team B"),
                   tmp_path / "portal" / "bundles" / "b.json")["cards"][0]["path"]
    code, output = _check(tmp_path / "portal", "bundles: [bundles/*.json]\n")
    assert code == 1
    assert (f"bundles/b.json: {first}:3:1: error: project id 'T1.1' is in two places: bundles/a.json: "
            "dossiers/t1.1/ and bundles/b.json: dossiers/t1.1/; the site keeps bundles/a.json: dossiers/t1.1/ and "
            "leaves this bundle's project out") in output
    assert "checked 1 projects, 2 cards" in output
    team_site(tmp_path / "portal", "T1.1", title="Local")  # a local source comes first (init: its settings too)
    code, output = _check(tmp_path / "portal", "sources: [dossiers]\nbundles: [bundles/*.json]\n")
    assert "project id 'T1.1' is in two places: dossiers/t1.1/ and bundles/a.json: dossiers/t1.1/; the site " \
           "keeps dossiers/t1.1/" in output


def test_json_path_reads_as_written() -> None:
    assert json_path(("cards", 3, "path")) == "cards[3].path"
    assert json_path(()) == ""


def test_diff_lists_a_bundles_cards_named_by_the_bundle(tmp_path: Path, good: dict[str, Any]) -> None:
    save(good, tmp_path / "portal" / "bundles" / "team.json")
    (tmp_path / "portal" / "mltrl-docs.yml").write_text("bundles: [bundles/team.json]\n", encoding="utf-8")
    result = run_cli("diff", "--since", "2000-01-01", cwd=tmp_path / "portal")
    assert result.exit_code == 0, result.output
    assert f"  bundles/team.json: {good['cards'][1]['path']}: level 1, approved" in result.output
    assert "mltrl-docs-" not in result.output  # never the folder it is unpacked in


def test_a_site_without_bundles_does_not_load_jsonschema() -> None:
    """jsonschema (~3 MiB with its dependencies) explains why a bundle or an invalid card fails;
    the plugin alone, and a valid card, never need it (fastjsonschema accepts valid files)."""
    code = "import sys, mltrl_docs.plugin, mltrl_docs.bundle.read; print('jsonschema' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
