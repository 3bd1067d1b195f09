"""Issue 15, item 2: the site's 'Readiness changes' page, given a previous bundle (``compare:``):
counts first, a filterable table of every change, escaped bundle text, in the site's language; a
previous bundle that is missing or bad is a located finding and a page that says so, never a crash."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import BODY, run_cli, run_mkdocs
from htmltext import Page
from mltrl_docs.findings import Severity
from mltrl_docs.settings import load_settings
from tests.bundle.support import portal

HOSTILE = "<img src=x onerror=alert(1)>"
Write = Callable[..., Path]


def _sites(write: Write, write_card: Write, settings: str = "") -> Path:
    """An old site, bundled; a new one that compares itself with it: A1 advanced to level 3 with a new
    review, H1 is new and its title is markup. The new site's mkdocs.yml."""
    write("old/mltrl-docs.yml", "sources: [d]\nbuild_date: 2026-12-01\n")
    write_card("old/d/a/L2-2024-03-01.md", project="A1")
    assert run_cli("bundle", str(write("old/x", "").parent), "--out", str(write("old.json", "").parent / "old.json"),
                   ).exit_code == 0
    write_card("new/d/a/L2-2024-03-01.md", project="A1")
    write_card("new/d/a/L3-2024-09-01.md", BODY, project="A1", level=3, date="2024-09-01",
               transition={"from": 2, "kind": "advance"},
               reviewers=[{"name": "Ana <b>Ruiz</b>", "decision": "approved", "date": "2024-09-03"}])
    write_card("new/d/h/L1-2024-03-01.md", project="H1", level=1, title=HOSTILE)
    return portal(write("new/x", "").parent, "sources: [d]\nbuild_date: 2026-12-01\ncompare: {bundle: ../old.json}\n"
                  + settings)


def _page(site: Path) -> Page:
    return Page(site / "dossier" / "readiness-changes" / "index.html")


def test_the_page_lists_every_change_with_counts_first(write: Write, write_card: Write, tmp_path: Path) -> None:
    config = _sites(write, write_card)
    built = run_mkdocs(config, tmp_path / "site")
    assert built.returncode == 0, built.stderr[-3000:]
    page = _page(tmp_path / "site")
    text = page.text
    assert "What changed across the portfolio since the previous bundle ../old.json, checked on 2026-12-01" in text
    assert text.index("1 project added") < text.index("1 level advanced") < text.index("2 new reviews") < text.index(
        "Project Card Change What changed")
    assert "A1 L3-2024-09-01 Advance Level 2 to 3: advanced from level 2 to 3" in text
    assert "A1 L3-2024-09-01 New review Ana <b>Ruiz</b>: approved on 2024-09-03" in text
    assert f"H1 Project added {HOSTILE}, at level 1" in text
    html = (tmp_path / "site" / "dossier" / "readiness-changes" / "index.html").read_text(encoding="utf-8")
    assert HOSTILE not in html and "&lt;img src=x onerror=alert(1)&gt;" in html and "<b>Ruiz" not in html
    assert not any(tag == "img" for tag, _ in page.tags)
    assert "../A1/L3-2024-09-01/" in page.links and "../H1/" in page.links
    table = next(attrs for tag, attrs in page.tags if tag == "table")
    assert "data-mltrl-filter" in table and "mltrl-sortable" in (table.get("class") or "")
    nav = Page(tmp_path / "site" / "dossier" / "index.html").text
    assert nav.index("What changed") < nav.index("Readiness changes") < nav.index("Requirements")


def test_the_page_in_german(write: Write, write_card: Write, tmp_path: Path) -> None:
    config = _sites(write, write_card, "language: de\n")
    built = run_mkdocs(config, tmp_path / "site")
    assert built.returncode == 0, built.stderr[-3000:]
    text = _page(tmp_path / "site").text
    assert "Was sich im Portfolio seit dem vorigen Bundle ../old.json geändert hat, geprüft am 01.12.2026" in text
    assert "1 Projekt hinzugekommen" in text and "1 Stufe aufgestiegen" in text and "2 neue Reviews" in text
    assert "Aufstieg Stufe 2 nach 3: von Stufe 2 auf 3 aufgestiegen" in text and "Projekt Karte Änderung" in text
    assert "Neues Review Ana <b>Ruiz</b>: freigegeben am 03.09.2024" in text
    assert "Readiness changes" not in text


@pytest.mark.parametrize(("content", "said"), [
    ('{"bundle_version": 1,\n "cards": [}', "old.json:2:"),
    ('{"bundle_version": 9}', "bundle_version 9 is not one this mltrl-docs reads"),
])
def test_a_bad_previous_bundle_is_a_located_finding_and_the_site_builds(write: Write, write_card: Write,
                                                                       tmp_path: Path, content: str,
                                                                       said: str) -> None:
    config = _sites(write, write_card)
    (tmp_path / "old.json").write_text(content, encoding="utf-8")
    built = run_mkdocs(config, tmp_path / "site")
    assert built.returncode == 1 and "Traceback" not in built.stderr  # fail_on: error, the site written first
    assert said in built.stderr and "[bundle]" in built.stderr
    text = _page(tmp_path / "site").text
    assert "The previous bundle ../old.json could not be read, so nothing is compared" in text and said in text
    assert (tmp_path / "site" / "dossier" / "H1" / "index.html").is_file()


def test_a_missing_previous_bundle_is_reported_at_its_setting(write: Write, write_card: Write,
                                                             tmp_path: Path) -> None:
    config = _sites(write, write_card)
    (tmp_path / "old.json").unlink()
    built = run_mkdocs(config, tmp_path / "site", strict=False)
    assert built.returncode == 1
    assert "mltrl-docs.yml:3:19: error: the previous bundle 'old.json' does not exist (compare.bundle)" in built.stderr
    assert "could not be read" in _page(tmp_path / "site").text


def test_the_setting_is_checked_with_a_suggestion(write: Write) -> None:
    settings, findings = load_settings(write("s/mltrl-docs.yml", "sources: [d]\ncompare: {bundel: old.json}\n"))
    assert settings is None
    assert any(f.severity is Severity.ERROR and "did you mean 'bundle'" in (f.hint or "") for f in findings), findings
    settings, _ = load_settings(write("t/mltrl-docs.yml", "sources: [d]\ncompare: {bundle: b/old.json}\n"))
    assert settings is not None and settings.compare is not None
    assert settings.compare.bundle.parts[-2:] == ("b", "old.json") and settings.compare.at is not None


def test_the_example_shows_its_portfolio_diff(example_site: Path) -> None:
    page = Page(example_site / "dossier" / "readiness-changes" / "index.html")
    text = page.text
    assert "since the previous bundle bundles/previous.json" in text and "commit 3b64e30" in text
    assert "2 earned levels changed" in text and "7 requirements changed" in text
    assert "P12.2 L8-2026-07-06 Earned level Earned level 7 to 8" in text
    assert "R02.1 L4-2026-02-16 Requirement changed 1.2:" in text and "Acceptance result – → fail" in text
    assert "Gate finding passed monitoring (warning)" in text
    readiness = json.loads((example_site / "dossier" / "readiness.json").read_text(encoding="utf-8"))
    assert readiness["bundle_version"] == 1  # the page compares the site's own readiness.json


def test_hostile_text_in_the_previous_bundle_reaches_the_page_as_text(write: Write, write_card: Write,
                                                                      tmp_path: Path) -> None:
    """The previous bundle is another CI job's file: a project id, a title and a finding's message that are
    markup are shown as text, and a project the site does not have gets no link."""
    config = _sites(write, write_card)
    data = json.loads((tmp_path / "old.json").read_text(encoding="utf-8"))
    card = data["cards"][0]
    data["cards"].append({**card, "project": "<b>X1</b>", "title": HOSTILE, "path": "d/x/L2.md"})
    data["findings"].append({"path": card["path"], "line": 1, "column": 1, "severity": "warning", "rule": "sections",
                             "message": f"{HOSTILE} <script>alert(2)</script>", "field": "body", "hint": None,
                             "project": "A1"})
    (tmp_path / "old.json").write_text(json.dumps(data), encoding="utf-8")
    built = run_mkdocs(config, tmp_path / "site")
    assert built.returncode == 0, built.stderr[-3000:]
    page = _page(tmp_path / "site")
    assert f"<b>X1</b> Project removed {HOSTILE}, was at level 2" in page.text
    assert f"Gate finding passed sections (warning): {HOSTILE} <script>alert(2)</script>" in page.text
    assert not any(tag in ("img", "b") for tag, _ in page.tags)
    html = (tmp_path / "site" / "dossier" / "readiness-changes" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(2)" not in html and "<b>X1" not in html
