"""Finding project folders, refusing symlinks that leave the source, surviving symlink
loops, and naming every Markdown file that is not read."""

from __future__ import annotations

import os
from pathlib import Path

from mltrl_docs.findings import Finding, Severity
from mltrl_docs.sources import HIDDEN_COUNT, discover


def _named(findings: list[Finding], root: Path) -> list[tuple[str, str, str]]:
    """(severity, rule, path relative to root) of each finding, in order."""
    return [(f.severity.value, f.rule, f.path.relative_to(root).as_posix()) for f in findings]


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
    assert _named(found.findings, tmp_path / "src") == [("info", "hidden", ".git"), ("info", "hidden", "a/.draft.md")]
    assert "its 1 Markdown file is not published" in found.findings[0].message


def test_missing_source_is_reported(tmp_path: Path) -> None:
    found = discover([tmp_path / "nope"])
    assert found.findings[0].rule == "source"


def test_card_at_the_source_root_is_reported_not_dropped(write, tmp_path: Path) -> None:
    write("src/L1.md", "---\nmltrl: 1\nlevel: 1\n---\n")
    write("src/README.md", "# About these dossiers\n")
    found = discover([tmp_path / "src"])
    assert [(f.severity, f.rule, f.path.name) for f in found.findings] == [
        (Severity.ERROR, "layout", "L1.md"), (Severity.INFO, "layout", "README.md")]
    assert "not published" in found.findings[1].message


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
    assert names == ["shared/ethics.md"]  # the real folder first; links to it are skipped
    assert _named(found.findings, tmp_path / "src") == [("info", "symlink", "p/alias"),
                                                        ("info", "symlink", "p/shared/loop")]
    assert [f.message for f in found.findings] == ["symlink to a folder already read (p/shared/); skipped",
                                                   "symlink to a folder already read (p/); skipped"]


def test_symlink_loops_are_findings_not_crashes(write, tmp_path: Path) -> None:
    write("src/p/card.md", "---\nlevel: 1\n---\n")
    p = tmp_path / "src/p"
    os.symlink("self.md", p / "self.md")  # a card that links to itself
    os.symlink("b.md", p / "a.md")  # a loop between two links
    os.symlink("a.md", p / "b.md")
    os.symlink("..", p / "up")  # a folder link to its parent (the source)
    os.symlink("loopdir", p / "loopdir")
    os.symlink("gone.md", p / "broken.md")
    found = discover([tmp_path / "src"])
    assert [x.name for x in found.projects[0].markdown] == ["card.md"]
    assert _named(found.findings, tmp_path / "src") == [
        ("error", "symlink", "p/a.md"), ("error", "symlink", "p/b.md"), ("error", "symlink", "p/broken.md"),
        ("error", "symlink", "p/loopdir"), ("error", "symlink", "p/self.md"), ("info", "symlink", "p/up"),
    ]
    assert "loop" in found.findings[0].message and "does not exist" in found.findings[2].message
    assert found.findings[5].message == "symlink to a folder already read (the source folder); skipped"


def test_a_looping_source_is_reported(tmp_path: Path) -> None:
    os.symlink(tmp_path / "src", tmp_path / "src")
    found = discover([tmp_path / "src"])
    assert [(f.rule, f.message) for f in found.findings] == [("source", "dossier source folder is a symlink loop")]


def test_a_project_reached_through_a_symlink_is_read_once(write_card, tmp_path: Path) -> None:
    write_card("src/real/L2.md")
    os.symlink(tmp_path / "src/real", tmp_path / "src/alias")
    found = discover([tmp_path / "src"])
    assert [p.folder.name for p in found.projects] == ["real"]
    assert _named(found.findings, tmp_path / "src") == [("info", "symlink", "alias")]
    assert found.findings[0].message == "symlink to real/, which is read under its own name; skipped"


def test_a_symlinked_project_folder_to_an_unread_folder_is_a_project(write_card, tmp_path: Path) -> None:
    write_card("src/.store/p/L2.md")
    os.symlink(tmp_path / "src/.store/p", tmp_path / "src/p")
    found = discover([tmp_path / "src"])
    assert [(p.folder.name, [m.name for m in p.markdown]) for p in found.projects] == [("p", ["L2.md"])]
    assert found.projects[0].markdown[0] == tmp_path / "src/p/L2.md"


def test_sources_listed_twice_or_nested_load_each_project_once(write_card, tmp_path: Path) -> None:
    write_card("src/p/L2.md")
    src = tmp_path / "src"
    found = discover([src, src, src / "p", tmp_path / "src/./"])
    assert [p.folder.name for p in found.projects] == ["p"]
    assert [(f.severity, f.rule) for f in found.findings] == [(Severity.WARNING, "source")] * 3
    assert "listed twice" in found.findings[0].message and "inside source" in found.findings[1].message


def test_hidden_and_skipped_folders_are_reported_once_with_their_markdown_count(write_card, write,
                                                                              tmp_path: Path) -> None:
    write_card("src/p/L2.md")
    for name in ("a", "b", "c"):
        write(f"src/p/.drafts/{name}.md", "# Draft\n")
    write("src/p/node_modules/pkg/README.md", "# Package\n")
    write("src/p/__pycache__/x.pyc", b"\x00")
    write("src/p/.cache/data.bin", b"\x00")
    found = discover([tmp_path / "src"])
    assert _named(found.findings, tmp_path / "src") == [("info", "hidden", "p/.drafts"),
                                                        ("info", "hidden", "p/node_modules")]
    assert "its 3 Markdown files are not published" in found.findings[0].message
    assert found.findings[1].message.startswith("skipped folder is not read")


def test_a_huge_hidden_folder_is_not_counted_beyond_a_bound(write_card, tmp_path: Path) -> None:
    write_card("src/p/L2.md")
    hidden = tmp_path / "src/p/.big"
    hidden.mkdir()
    for index in range(HIDDEN_COUNT + 10):
        (hidden / f"{index}.md").touch()
    found = discover([tmp_path / "src"])
    [finding] = found.findings
    assert "at least" in finding.message and finding.path == hidden


def test_md_in_any_case_is_markdown_and_markdown_suffix_is_reported(write_card, write, tmp_path: Path) -> None:
    write_card("src/p/L2.MD")
    write("src/p/notes.markdown", "# Notes\n")
    write("src/top.markdown", "# Top\n")
    found = discover([tmp_path / "src"])
    assert [m.name for m in found.projects[0].markdown] == ["L2.MD"]
    assert _named(found.findings, tmp_path / "src") == [("info", "layout", "p/notes.markdown"),
                                                        ("info", "layout", "top.markdown")]


def test_a_stray_card_at_the_top_is_found_without_reading_it_whole(write, tmp_path: Path) -> None:
    write("src/L1.MD", "\ufeff---\nlevel: 1\n---\n" + "x" * 2_000_000)
    found = discover([tmp_path / "src"])
    assert [(f.severity, f.rule) for f in found.findings] == [(Severity.ERROR, "layout")]
