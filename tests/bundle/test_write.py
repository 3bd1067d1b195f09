"""``mltrl-docs bundle``: one JSON file with everything a portal needs, following its schema,
the same bytes for the same cards (issue 15, item 1)."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from conftest import REPO, run_cli
from mltrl_docs.bundle.model import BUNDLE_VERSION
from mltrl_docs.resources import load_schema

from .support import bundle, team_site


def _keys_match(schema: dict[str, Any], node: dict[str, Any], value: Any, seen: set[str], where: str = "") -> None:
    """At every object of ``value`` the keys are the schema's properties (maps: any key, each value checked)."""
    if "$ref" in node:
        node = schema["$defs"][node["$ref"].rsplit("/", 1)[1]]
    if isinstance(value, dict) and "properties" in node:
        assert set(value) == set(node["properties"]), f"{where}: {set(value) ^ set(node['properties'])}"
        seen.add(where)
        for key, sub in value.items():
            _keys_match(schema, node["properties"][key], sub, seen, f"{where}.{key}")
    elif isinstance(value, dict) and isinstance(node.get("additionalProperties"), dict):
        for sub in value.values():
            _keys_match(schema, node["additionalProperties"], sub, seen, f"{where}{{}}")
    elif isinstance(value, list) and isinstance(node.get("items"), dict):
        for sub in value:
            _keys_match(schema, node["items"], sub, seen, f"{where}[]")


def test_the_example_bundle_follows_its_schema_and_carries_every_card(tmp_path: Path) -> None:
    data = bundle(REPO / "site_example", tmp_path / "readiness.json")
    schema = load_schema("bundle")
    Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(data)
    seen: set[str] = set()
    _keys_match(schema, schema, data, seen)
    # every kind of object the schema describes was written, so the key check above covered it
    assert {".cards[].requirements[].acceptance[]", ".cards[].requirements[].acceptance[].counts",
            ".provenance.files{}", ".provenance.decisions{}[]", ".provenance.commits{}", ".sources[]",
            ".pages[]", ".files[]", ".findings[]", ".glossary_terms[]"} <= seen
    assert data["bundle_version"] == BUNDLE_VERSION == schema["properties"]["bundle_version"]["const"]
    cards = {card["path"]: card for card in data["cards"]}
    assert len(cards) == 29 and all(path.startswith("site_example/dossiers/") for path in cards)
    for path, card in cards.items():  # the very bytes of each card, by the path it has in the repository
        assert card["content"] == (REPO / path).read_text(encoding="utf-8")
        assert card["sha256"] == hashlib.sha256((REPO / path).read_bytes()).hexdigest()
    assert {p["path"] for p in data["pages"]} >= {"site_example/glossary/org.yml",
                                                  "site_example/dossiers/neuropath/ethics.md"}
    judged = [a for c in cards.values() for r in c["requirements"] for a in r["acceptance"]]
    assert any(a["passed"] is True for a in judged) and any(a["passed"] is False for a in judged)
    assert any(a["counts"] for a in judged)
    assert {t["project"] for t in data["glossary_terms"]} >= {None, "P07.1"}
    assert data["files"] and all(
        hashlib.sha256((REPO / f["path"]).read_bytes()).hexdigest() == f["sha256"] for f in data["files"])


def test_the_bundle_carries_provenance_and_the_commit_it_was_made_from(tmp_path: Path) -> None:
    data = bundle(REPO / "site_example", tmp_path / "b.json")
    history = data["provenance"]
    if history["unavailable"] is not None or not history["files"]:  # a tarball of the repository: no git
        return
    assert data["repository"]["commit"] and len(data["repository"]["commit"]) == 40
    card = next(iter(history["files"].values()))
    assert card["commits"] and all(sha in history["commits"] for sha in card["commits"])
    decisions = [d for found in history["decisions"].values() for d in found if d is not None]
    assert decisions and all(d["commit"] is None or d["author"] == history["commits"][d["commit"]]["author"]
                             for d in decisions)
    assert {"shallow", "truncated", "head"} <= set(history["repositories"][0])


def test_the_same_cards_give_the_same_bytes(tmp_path: Path) -> None:
    site = team_site(tmp_path / "team", "T1.1")
    bundle(site, tmp_path / "one.json")
    bundle(site, tmp_path / "two.json")
    assert (tmp_path / "one.json").read_bytes() == (tmp_path / "two.json").read_bytes()
    data = json.loads((tmp_path / "one.json").read_text(encoding="utf-8"))
    assert [c["path"] for c in data["cards"]] == sorted(c["path"] for c in data["cards"])
    assert data["repository"] == {"commit": None, "dirty": False}  # not in git
    assert {f["path"] for f in data["files"]} == {"dossiers/t1.1/evidence/psi.csv"}
    assert data["provenance"]["files"] == {}


def test_files_over_the_size_limit_are_left_out_and_listed(tmp_path: Path) -> None:
    site = team_site(tmp_path / "team", "T1.1")
    (site / "mltrl-docs.yml").write_text("sources: [dossiers]\nlimits: {file_bytes: 8192}\n", encoding="utf-8")
    (site / "dossiers" / "t1.1" / "evidence" / "psi.csv").write_bytes(b"x" * 10000)
    data = bundle(site, tmp_path / "b.json")
    assert data["files"] == []
    assert data["omitted"] == [{"path": "dossiers/t1.1/evidence/psi.csv", "cited_by": data["cards"][1]["path"],
                                "size": 10000, "reason": "larger than limits.file_bytes (10,000 bytes; the limit "
                                                         "is 8,192)"}]


def test_binary_files_are_carried_as_base64(tmp_path: Path) -> None:
    site = team_site(tmp_path / "team", "T1.1")
    png = b"\x89PNG\r\n\x1a\n\x00\x00\xff"
    (site / "dossiers" / "t1.1" / "evidence" / "psi.csv").write_bytes(png)
    data = bundle(site, tmp_path / "b.json")
    assert data["files"][0]["encoding"] == "base64" and base64.b64decode(data["files"][0]["content"]) == png


def test_the_repository_comes_from_the_sources_entry_or_the_command(tmp_path: Path) -> None:
    site = team_site(tmp_path / "team", "T1.1")
    data = bundle(site, tmp_path / "a.json", "--repo-url", "https://git.example.org/team/cards", "--branch", "dev")
    assert data["sources"] == [{"path": "dossiers", "repository": {
        "url": "https://git.example.org/team/cards", "branch": "dev", "edit_uri": "edit/dev/", "folder": "dossiers"}}]
    (site / "mltrl-docs.yml").write_text("sources:\n  - path: dossiers\n    repo_url: https://git.example.org/v/c\n"
                                         "    folder: cards\n    edit_uri: blob/main/\n", encoding="utf-8")
    data = bundle(site, tmp_path / "b.json")
    assert data["sources"][0]["repository"] == {"url": "https://git.example.org/v/c", "branch": "main",
                                                "edit_uri": "blob/main/", "folder": "cards"}


def test_a_bad_repo_url_is_a_usage_error(tmp_path: Path) -> None:
    site = team_site(tmp_path / "team", "T1.1")
    result = run_cli("bundle", str(site), "--out", str(tmp_path / "b.json"), "--repo-url", "javascript:alert(1)")
    assert result.exit_code == 2 and "not an http(s) address" in result.output
    assert not (tmp_path / "b.json").exists()


def test_schema_command_writes_the_bundle_schema(tmp_path: Path) -> None:
    result = run_cli("schema", "--out", str(tmp_path))
    assert result.exit_code == 0
    assert json.loads((tmp_path / "bundle.schema.json").read_text(encoding="utf-8"))["$id"] == \
        "urn:mltrl-docs:schema:bundle:1"


def test_a_bundle_reads_no_file_again_that_the_build_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the build's ``FileCache`` (``mkdocs serve``), the site's readiness.json takes each
    card's and page's bytes as the build read them, and is the bundle made afresh."""
    from mltrl_docs.bundle.write import BundleMemo
    from mltrl_docs.dossier import build_site
    from mltrl_docs.filecache import FileCache
    from mltrl_docs.render.site import readiness_json
    from mltrl_docs.settings import load_settings

    site = team_site(tmp_path / "team", "P1.1")
    settings, _ = load_settings(site / "mltrl-docs.yml")
    assert settings is not None
    cache = FileCache()
    checked = build_site(settings, files=cache)
    cache.sweep()
    afresh = readiness_json(settings, checked)
    opened: list[Path] = []
    real = Path.open
    monkeypatch.setattr(Path, "open", lambda self, *args, **kwargs: opened.append(self) or real(self, *args, **kwargs))
    assert readiness_json(settings, checked, memo=BundleMemo(cache.data)) == afresh
    cards = {card.path for project in checked.dossier.projects.values() for card in project.cards}
    assert cards and all(cache.data(card) is not None for card in cards)
    assert not cards & set(opened), opened
    small = BundleMemo(cache.data)
    settings = dataclasses.replace(settings, limits=dataclasses.replace(settings.limits, file_bytes=10))
    omitted = json.loads(readiness_json(settings, checked, memo=small))["omitted"]
    assert {o["path"].rsplit("/", 1)[-1] for o in omitted} >= {card.name for card in cards}
    assert all("larger than limits.file_bytes (" in o["reason"] and o["size"] for o in omitted if o["size"])


def test_a_bundle_made_with_the_last_ones_memo_is_the_bundle_made_afresh(tmp_path: Path) -> None:
    """``BundleMemo`` (the site's readiness.json on every ``mkdocs serve`` rebuild): after an edit to
    a card, an evidence file its requirement cites, a file it no longer cites and a card removed,
    the bytes are those of a bundle made with no memo; unchanged cards are not made nor encoded again."""
    from mltrl_docs.bundle.write import BundleMemo
    from mltrl_docs.dossier import build_site
    from mltrl_docs.filecache import FileCache
    from mltrl_docs.render.site import readiness_json
    from mltrl_docs.settings import load_settings

    site = team_site(tmp_path / "team", "P1.1")
    cards = site / "dossiers" / "p1.1"
    memo, files = BundleMemo(), FileCache()
    encoded: list[str] = []
    made: list[str] = []
    import mltrl_docs.bundle.write as write

    def both() -> bytes:
        settings, _ = load_settings(site / "mltrl-docs.yml")
        assert settings is not None
        checked = build_site(settings, files=files)  # as `mkdocs serve` reads: the same cards, the same objects
        files.sweep()
        afresh = readiness_json(settings, checked)
        made.clear()
        entry = write._card_entry
        write._card_entry = lambda card, *rest: made.append(card.path.name) or entry(card, *rest)  # type: ignore
        try:
            kept = readiness_json(settings, checked, memo=memo)
        finally:
            write._card_entry = entry  # type: ignore[assignment]
        assert kept == afresh
        return kept

    first = json.loads(both())
    assert len(made) == len(first["cards"]) > 1
    real = write._json

    def counting(value: object) -> str:
        if isinstance(value, dict) and "requirements" in value:
            encoded.append(value["path"])
        return real(value)

    write._json = counting  # type: ignore[assignment]
    try:
        both()
        assert encoded == []  # (the plain dumps encodes the bundle whole) every card as the memo has it
        assert made == []  # nor made again
        assert first["cards"]
        (cards / "evidence" / "psi.csv").write_text("slice,psi\nall,0.12\n", encoding="utf-8")
        current = sorted(cards.glob("L1-*.md"))[0]
        current.write_text(current.read_text(encoding="utf-8") + "\nA line more.\n", encoding="utf-8")
        data = json.loads(both())
        assert encoded == [path for path in (c["path"] for c in data["cards"]) if path.endswith(current.name)]
        assert current.name in made and len(made) < len(first["cards"])
        assert [f["content"] for f in data["files"] if f["path"].endswith("/psi.csv")] == ["slice,psi\nall,0.12\n"]
        current.write_text(current.read_text(encoding="utf-8").replace("evidence: [evidence/psi.csv]", "evidence: []"),
                           encoding="utf-8")
        assert not json.loads(both())["files"]
        sorted(cards.glob("L0-*.md"))[0].unlink()
        assert len(json.loads(both())["cards"]) == len(first["cards"]) - 1
    finally:
        write._json = real  # type: ignore[assignment]
