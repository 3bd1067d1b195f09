"""`mltrl-docs check` as a pre-commit hook and CI step runs it: many paths, files that are not
cards, --fail-on, one severity vocabulary, counts of what was asked (issue 13)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mltrl_docs import cli
from test_init import PROJECT, run, site  # noqa: F401  (the fixture)


def test_many_paths_build_the_site_once_and_count_only_what_was_asked(site: Path,  # noqa: F811
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    (site / "dossiers" / "other").mkdir()
    (site / "dossiers" / "other" / "L0.md").write_text("---\nmltrl: 1\nproject: Q\nlevel: 0\n---\n", encoding="utf-8")
    calls = []
    real = cli.build_site

    def counted(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(cli, "build_site", counted)
    cards = sorted(str(p.relative_to(site)) for p in (site / PROJECT).glob("L*.md"))
    result = run("check", *cards, str(PROJECT / "ethics.md"), "mkdocs.yml", "docs/index.md", "glossary/org.yml",
                 cwd=site)
    assert len(calls) == 1
    assert "dossiers/other" not in result.output  # its errors are not reported
    assert "mkdocs.yml: note: not a level card, a glossary or a site's settings" in result.output
    assert "docs/index.md: note: not a level card" in result.output
    assert result.output.splitlines()[-1] == ("checked 1 projects, 2 cards (0 invalid), 1 glossary terms: "
                                              "0 errors, 0 warnings, 2 notes")
    assert result.exit_code == 0
    whole = run("check", *cards, "mltrl-docs.yml", cwd=site)  # the settings changed: the whole site
    assert len(calls) == 2 and "dossiers/other/L0.md" in whole.output and whole.exit_code == 1
    assert whole.output.splitlines()[-1].startswith("checked 2 projects, 3 cards (1 invalid)")
    only_cards = run("check", *cards, "--format", "json", cwd=site)
    summary = json.loads(only_cards.output)["summary"]
    assert (summary["projects"], summary["cards"], summary["invalid_cards"]) == (1, 2, 0)
    assert only_cards.exit_code == 0, only_cards.output


def test_one_vocabulary_error_warning_note(site: Path) -> None:  # noqa: F811
    (site / "docs" / "notes.yml").write_text("a: 1\n", encoding="utf-8")
    text = run("check", "docs/notes.yml", cwd=site)
    assert "docs/notes.yml: note: " in text.output and text.output.endswith("0 errors, 0 warnings, 1 note\n")
    data = json.loads(run("check", "docs/notes.yml", "--format", "json", cwd=site).output)
    assert data["summary"]["notes"] == 1 and "infos" not in data["summary"]
    assert data["findings"][0]["severity"] == "note"
    for word in ("info", "infos"):
        assert f" {word}" not in text.output


def test_fail_on(site: Path) -> None:  # noqa: F811
    assert run("new", str(site / PROJECT), "--date", "2099-01-01", cwd=site).exit_code == 0
    assert run("check", cwd=site).exit_code == 1
    assert run("check", "--fail-on", "warning", cwd=site).exit_code == 1
    assert run("check", "--fail-on", "error", cwd=site).exit_code == 0
    (site / PROJECT / "L0-bad.md").write_text("---\nlevel: 0\n---\n", encoding="utf-8")
    assert run("check", "--fail-on", "error", cwd=site).exit_code == 1
    assert run("check", "--fail-on", "never", cwd=site).exit_code == 0


def test_next_honours_format_github(site: Path) -> None:  # noqa: F811
    result = run("check", "--next", "R01.1", "--format", "github", cwd=site)
    assert result.exit_code == 1
    first, last = result.output.splitlines()[0], result.output.splitlines()[-1]
    assert first.startswith(f"::notice file={PROJECT.as_posix()}/L1-")
    assert ",title=mltrl-docs next level 2%3A research-requirements::Add at least one research requirement" in first
    assert last.startswith("R01.1 (Example project): declared level 1, earned level 1")


def test_glossary_of_an_unknown_project_is_a_usage_error(site: Path) -> None:  # noqa: F811
    result = run("glossary", "--project", "NOPE", cwd=site)
    assert result.exit_code == 2 and "error: no project 'NOPE' (projects: R01.1)" in result.output
    assert run("glossary", "--project", "R01.1", cwd=site / PROJECT).exit_code == 0


def test_settings_search_stops_at_the_repository_root(site: Path, tmp_path: Path) -> None:  # noqa: F811
    (site / "repo" / ".git").mkdir(parents=True)
    result = run("check", cwd=site / "repo")
    assert result.exit_code == 2 and "give a PATH" in result.output
