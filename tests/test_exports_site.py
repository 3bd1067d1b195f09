"""The files a dossier site publishes beside its pages (render.exports, render.badge): built by the plugin
into a small site and read back, linked from the pages they come from, left out with the page kind
``exports``; and written by ``mltrl-docs export`` without a build."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import card_text, run_cli
from htmltext import Page
from mltrl_docs.render.pages import OPTIONAL_PAGES
from test_plugin import mkdocs_build

SVG = "{http://www.w3.org/2000/svg}"
REQ = {"id": "1", "kind": "research", "text": "=HYPERLINK(\"http://evil.example\",\"x\") flags drift",
       "verification": "test", "status": "verified"}
REQ2 = {"id": "2", "kind": "product", "text": "Pages the on-call engineer, \"fast\".", "verification": "test",
        "status": "in-progress"}


def make_site(root: Path, plugin: dict[str, Any] | None = None, **config: Any) -> Path:
    """A site of two projects: C1 at level 3 with two cards (its evidence earns less: its level-3 card is not
    approved by anyone), D2 at level 1; ``plugin``: the plugin's options; ``config``: mkdocs.yml's."""
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (root / "mltrl-docs.yml").write_text("sources: [dossiers]\n", encoding="utf-8")
    cards = {
        "c1/L2.md": card_text(level=2, date="2024-01-01", requirements=[REQ], team="@Ops; Müller"),
        "c1/L3.md": card_text(level=3, date="2024-06-01", transition={"from": 2, "kind": "advance"},
                              requirements=[REQ, REQ2], status="in-review", reviewers=[], team="@Ops; Müller"),
        "d2/L1.md": card_text(project="D2", title="Überwachung <b>x</b>", level=1, date="2024-02-01"),
    }
    for name, text in cards.items():
        (root / "dossiers" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "dossiers" / name).write_text(text, encoding="utf-8")
    settings = {"settings": "mltrl-docs.yml", "fail_on": "never", **(plugin or {})}
    mkdocs = {"site_name": "Exports", "theme": {"name": "mkdocs"}, "plugins": [{"mltrl": settings}], **config}
    (root / "mkdocs.yml").write_text(yaml.safe_dump(mkdocs, sort_keys=False), encoding="utf-8")
    return root


def build(root: Path) -> Path:
    result = mkdocs_build(root / "mkdocs.yml", root / "site", strict=False)  # the cards draw warnings
    assert result.returncode == 0, result.stderr[-3000:]
    return root / "site"


def read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and raw.endswith(b"\r\n")
    return list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(make_site(tmp_path_factory.mktemp("exports"), site_url="https://portal.example.org/ml/"))


def test_the_portfolio_csv_lies_beside_the_portfolio_and_is_linked_from_it(built: Path) -> None:
    rows = read_csv(built / "dossier" / "portfolio.csv")
    assert rows[0][:4] == ["project", "title", "team", "level"]
    assert [row[0] for row in rows[1:]] == ["C1", "D2"]
    assert rows[1][2] == "'@Ops; Müller" and rows[2][1] == "Überwachung <b>x</b>"  # text, as the card says it
    page = Page(built / "dossier" / "index.html")
    assert "portfolio.csv" in page.links and "Download as CSV" in page.text
    [link] = [attrs for tag, attrs in page.tags if tag == "a" and attrs.get("href") == "portfolio.csv"]
    assert link["download"] == "portfolio.csv" and link["type"] == "text/csv"


def test_each_dossier_links_its_matrix_csv(built: Path) -> None:
    rows = read_csv(built / "dossier" / "C1" / "requirements.csv")
    assert rows[0][-2:] == ["L3 2024-06-01", "L2 2024-01-01"]
    assert rows[1][:3] == ["1", "research", "'" + REQ["text"]]
    assert rows[2][2] == REQ2["text"] and rows[2][-2:] == ["in-progress; new", ""]
    page = Page(built / "dossier" / "C1" / "index.html")
    assert "requirements.csv" in page.links
    [link] = [attrs for tag, attrs in page.tags if tag == "a" and attrs.get("href") == "requirements.csv"]
    assert link["download"] == "C1-requirements.csv"
    # The packet's matrix is the last two cards only: it links no CSV of its own.
    packet = Page(built / "dossier" / "C1" / "packet" / "index.html")
    assert not any(link.endswith(".csv") for link in packet.links)


def test_each_dossier_shows_its_badge_and_the_absolute_snippet(built: Path) -> None:
    svg = (built / "dossier" / "C1" / "badge.svg").read_text(encoding="utf-8")
    root = ET.fromstring(svg)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts[:2] == ["MLTRL", "L3 System development · Prototyping"]
    assert texts[2].startswith("earns L")  # its level-3 card is not approved: the evidence earns less
    assert root.get("role") == "img" and root.findtext(f"{SVG}title").startswith("C1: MLTRL level 3")
    page = Page(built / "dossier" / "C1" / "index.html")
    [img] = [attrs for tag, attrs in page.tags if tag == "img" and "mltrl-badge" in (attrs.get("class") or "")]
    assert img["src"] == "badge.svg" and img["alt"] == root.findtext(f"{SVG}title")
    assert ("[![MLTRL badge of C1](https://portal.example.org/ml/dossier/C1/badge.svg)]"
            "(https://portal.example.org/ml/dossier/C1/)") in page.text
    assert ('<a href="https://portal.example.org/ml/dossier/C1/"><img src="https://portal.example.org/ml/dossier/'
            'C1/badge.svg" alt="MLTRL badge of C1" height="20"></a>') in page.text
    assert "The addresses are absolute, from the site's address" in page.text
    assert "mltrl-badge-embed" in page.classes
    d2 = ET.fromstring((built / "dossier" / "D2" / "badge.svg").read_text(encoding="utf-8"))
    assert [t.text for t in d2.iter(f"{SVG}text")][:2] == ["MLTRL", "L1 Goal-oriented research · Research"]


def test_without_site_url_the_snippet_is_relative_and_says_so(tmp_path: Path) -> None:
    site = build(make_site(tmp_path, plugin={"pages": ["cards", "exports"]}))
    page = Page(site / "dossier" / "D2" / "index.html")
    assert "[![MLTRL badge of D2](dossier/D2/badge.svg)](dossier/D2/)" in page.text
    assert "The site's address is not known (no site_url in mkdocs.yml)" in page.text


def test_a_site_without_exports_publishes_and_links_none(tmp_path: Path) -> None:
    kinds = [kind for kind in OPTIONAL_PAGES if kind != "exports"]
    site = build(make_site(tmp_path, plugin={"pages": kinds}, site_url="https://portal.example.org/"))
    assert not list(site.rglob("*.csv")) and not list(site.rglob("badge.svg"))
    for path in ("dossier/index.html", "dossier/C1/index.html"):
        page = Page(site / path)
        assert not any(link.endswith((".csv", ".svg")) for link in page.links)
        assert "Download as CSV" not in page.text and "mltrl-badge-embed" not in page.classes


def test_the_german_site_labels_the_links_and_the_badge_in_german(tmp_path: Path) -> None:
    root = make_site(tmp_path)
    (root / "mltrl-docs.yml").write_text("sources: [dossiers]\nlanguage: de\n", encoding="utf-8")
    site = build(root)
    assert "Als CSV herunterladen" in Page(site / "dossier" / "index.html").text
    svg = ET.fromstring((site / "dossier" / "D2" / "badge.svg").read_text(encoding="utf-8"))
    assert [t.text for t in svg.iter(f"{SVG}text")] == ["MLTRL", "L1 Zielgerichtete Forschung · Forschung",
                                                       "erreicht L0"]  # its ethics checklist is not under way
    # The CSV holds the data's own values, the same in every language.
    assert read_csv(site / "dossier" / "portfolio.csv")[2][4:6] == ["Goal-oriented research", "research"]


def test_the_cli_writes_the_sites_files_without_a_build(tmp_path: Path, built: Path) -> None:
    root = make_site(tmp_path / "site")
    result = run_cli("export", str(root), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == ["C1/badge.svg", "C1/requirements.csv", "D2/badge.svg", "D2/requirements.csv", "portfolio.csv"]
    for name in written:  # the site's own files (its site_url changes only the dossier page's snippet)
        assert (out / name).read_bytes() == (built / "dossier" / name).read_bytes(), name
    assert len(result.output.splitlines()) == len(written)  # one line per file written
