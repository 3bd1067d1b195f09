"""The page list: URIs, and the per-project finding counts the portfolio shows."""

from __future__ import annotations

from pathlib import Path

from mltrl_docs.dossier import build_dossier
from mltrl_docs.render.pages import card_stem, evidence_files, open_findings, site_pages


def test_open_findings_count_per_project_folder(write_card, write, tmp_path: Path) -> None:
    write_card("src/a/card.md", project="A")
    write_card("src/b/card.md", project="B", links={"x": "javascript:1"})
    write("src/b/notes/empty.md", "")
    assert open_findings(build_dossier([tmp_path / "src"])) == {"A": 0, "B": 2}


def test_page_uris_and_nav_membership(write_card, write, tmp_path: Path) -> None:
    write_card("src/p/a.md", level=2, date="2020-01-01")
    write_card("src/p/b.md", level=3, date="2021-01-01", transition={"from": 2, "kind": "advance"})
    write("src/p/docs/ethics.md", "# Ethics\n")
    dossier = build_dossier([tmp_path / "src"])
    pages = {p.uri: p for p in site_pages(dossier, "dossier")}
    cards = dossier.projects["C1"].cards
    assert {u for u, p in pages.items() if p.in_nav} == {
        "dossier/index.md", "dossier/levels.md", "dossier/history.md", "dossier/requirements.md",
        "dossier/findings.md", "dossier/glossary/index.md", "dossier/C1/index.md"}
    assert f"dossier/C1/{card_stem(cards[0])}.md" in pages and "dossier/C1/pages/docs/ethics.md" in pages
    assert pages[f"dossier/C1/{card_stem(cards[1])}.md"].context["previous"] is cards[0]


def test_evidence_files_inside_the_project_with_safe_suffixes_are_published(write_card, write, tmp_path: Path) -> None:
    for name in ("ev/metrics.csv", "ev/Plot.PNG", "ev/report.html", "ev/chart.svg", "ev/run.sh", "check.pdf"):
        write(f"src/p/{name}", "x")
    write("src/outside.csv", "x")
    requirements = [{"id": "1", "kind": "research", "text": "t", "verification": "test", "status": "verified",
                     "evidence": ["ev/metrics.csv", "ev/Plot.PNG", "ev/report.html", "ev/chart.svg",
                                  "ev/run.sh", "../outside.csv", "https://example.org/x.csv"]}]
    write_card("src/p/a.md", requirements=requirements, ethics={"pre_development": "complete",
                                                                "checklist": "check.pdf"})
    dossier = build_dossier([tmp_path / "src"])
    folder = tmp_path / "src" / "p"
    assert evidence_files(dossier, "d") == {
        folder / "ev" / "metrics.csv": "d/C1/files/ev/metrics.csv",
        folder / "ev" / "Plot.PNG": "d/C1/files/ev/Plot.PNG",
        folder / "check.pdf": "d/C1/files/check.pdf",
    }


def test_evidence_symlinked_out_of_the_project_is_not_published(write_card, write, tmp_path: Path) -> None:
    secret = write("secret.txt", "x")
    (tmp_path / "src" / "p").mkdir(parents=True)
    (tmp_path / "src" / "p" / "leak.txt").symlink_to(secret)
    requirements = [{"id": "1", "kind": "research", "text": "t", "verification": "test", "status": "verified",
                     "evidence": ["leak.txt"]}]
    write_card("src/p/a.md", requirements=requirements)
    assert evidence_files(build_dossier([tmp_path / "src"])) == {}
