"""Finding project folders, and refusing symlinks that leave the source."""

from __future__ import annotations

import os
from pathlib import Path

from mltrl_docs.sources import discover


def test_projects_files_and_glossary_are_found_in_order(write, tmp_path: Path) -> None:
    write("src/b/card.md", "---\nlevel: 1\n---\n")
    write("src/a/L1.md", "---\nlevel: 1\n---\n")
    write("src/a/sub/notes.md", "# Notes\n")
    write("src/a/glossary.yml", "mltrl: 1\nterms: []\n")
    write("src/a/evidence.csv", "x\n")
    write("src/.git/x.md", "---\nlevel: 1\n---\n")
    write("src/a/.draft.md", "---\nlevel: 1\n---\n")
    found = discover([tmp_path / "src"])
    assert [p.folder.name for p in found.projects] == ["a", "b"]
    a = found.projects[0]
    assert [p.relative_to(a.folder).as_posix() for p in a.markdown] == ["L1.md", "sub/notes.md"]
    assert a.glossary == a.folder / "glossary.yml"
    assert found.findings == []


def test_missing_source_is_reported(tmp_path: Path) -> None:
    found = discover([tmp_path / "nope"])
    assert found.findings[0].rule == "source"


def test_card_at_the_source_root_is_reported_not_dropped(write, tmp_path: Path) -> None:
    write("src/L1.md", "---\nmltrl: 1\nlevel: 1\n---\n")
    write("src/README.md", "# About these dossiers\n")
    found = discover([tmp_path / "src"])
    assert [(f.rule, f.path.name) for f in found.findings] == [("layout", "L1.md")]


def test_symlinks_leaving_the_source_are_refused(write, tmp_path: Path) -> None:
    secret = write("outside/secret.md", "---\nlevel: 1\n---\n")
    write("src/p/card.md", "---\nlevel: 1\n---\n")
    os.symlink(secret, tmp_path / "src/p/leak.md")
    os.symlink(tmp_path / "outside", tmp_path / "src/p/more")
    os.symlink(tmp_path / "outside", tmp_path / "src/whole-project")
    found = discover([tmp_path / "src"])
    assert [p.folder.name for p in found.projects] == ["p"]
    assert [p.name for p in found.projects[0].markdown] == ["card.md"]
    refused = sorted(f.path.name for f in found.findings if f.rule == "symlink")
    assert refused == ["leak.md", "more", "whole-project"]


def test_symlinks_inside_the_source_are_followed_once(write, tmp_path: Path) -> None:
    write("src/p/shared/ethics.md", "# Ethics\n")
    os.symlink(tmp_path / "src/p/shared", tmp_path / "src/p/alias")
    os.symlink(tmp_path / "src/p", tmp_path / "src/p/shared/loop")
    found = discover([tmp_path / "src"])
    names = [p.relative_to(tmp_path / "src/p").as_posix() for p in found.projects[0].markdown]
    assert names in (["alias/ethics.md"], ["shared/ethics.md"])
    assert found.findings == []
