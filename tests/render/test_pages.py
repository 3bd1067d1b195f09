"""The page list: URIs, and the per-project finding counts the portfolio shows."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

from htmltext import INLINE
from mltrl_docs.dossier import CheckedDossier, build_dossier
from mltrl_docs.production import Line
from mltrl_docs.render.html import Renderer
from mltrl_docs.render.pages import SitePage, card_stem, evidence_files, open_findings, site_pages


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
        "dossier/index.md", "dossier/levels.md", "dossier/history.md", "dossier/changes.md", "dossier/requirements.md",
        "dossier/findings.md", "dossier/metrics.md", "dossier/teams/index.md", "dossier/glossary/index.md",
        "dossier/C1/index.md"}
    assert f"dossier/C1/{card_stem(cards[0])}.md" in pages and "dossier/C1/pages/docs/ethics.md" in pages
    assert pages[f"dossier/C1/{card_stem(cards[1])}.md"].context.previous is cards[0]


def test_a_project_page_holds_its_own_cards_approvals_only(write_card, tmp_path: Path) -> None:
    """An edit to one project leaves another project's pages the same (``render.reuse``)."""
    write_card("src/a/L2.md", project="A")
    write_card("src/b/L2.md", project="B")
    dossier = build_dossier([tmp_path / "src"])
    pages = {p.uri: p for p in site_pages(dossier, "dossier")}
    for project in ("A", "B"):
        for uri in (f"dossier/{project}/index.md", f"dossier/{project}/packet.md"):
            assert set(pages[uri].context.approved) == {card.path for card in dossier.projects[project].cards}


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


# --- the production line beside the development line (MLTRL level 9) ----------------------

V1 = {"code": "1.8.3", "model": "1.2.0", "data": "2.2.0"}
PRODUCT = {"id": "5", "kind": "product", "text": "Publish a mask for every tile.", "verification": "test",
           "status": "verified"}


def write_cloud_mask(write_card: Callable[..., Path], **l5: object) -> None:
    """cloud-mask: v1 at level 9 since 2023-03-06, then 9 -> 4 for v2, now at level 5; and a plain project."""
    write_card("src/cm/L8.md", project="P04.3", level=8, date="2022-11-21", requirements=[PRODUCT])
    write_card("src/cm/L9.md", project="P04.3", level=9, date="2023-03-06", versions=V1,
               transition={"from": 8, "kind": "advance"}, requirements=[PRODUCT])
    write_card("src/cm/L4.md", project="P04.3", level=4, date="2025-09-08", versions={"model": "2.1.0"},
               transition={"from": 9, "kind": "switchback", "switchback": "embedded"})
    write_card("src/cm/L5.md", project="P04.3", level=5, date="2026-10-12", versions={"model": "2.1.0"},
               transition={"from": 4, "kind": "advance"}, **l5)
    write_card("src/mvbo/L4.md", project="R02.1", level=4, date="2024-01-01")


def rendered(dossier: CheckedDossier) -> dict[str, str]:
    """Every page's HTML, links left as page URIs."""
    renderer = Renderer("dossier")
    return {page.uri: renderer.render(page, lambda uri: uri, {}) for page in site_pages(dossier, "dossier")}


def text(markup: str) -> str:
    """Visible text: inline elements join the words around them, others separate them."""
    spaced = re.sub(r"</?(\w+)[^>]*>", lambda m: "" if m.group(1) in INLINE else " ", markup)
    return " ".join(html.unescape(spaced).split())


def level_rows(markup: str) -> dict[int, str]:
    """The levels page's "projects here now" text of each level."""
    rows = re.findall(r'<tr id="level-(\d)">(.*?)</tr>', markup, re.DOTALL)
    return {int(number): text(re.split(r"<td[^>]*>", row)[-1]) for number, row in rows}


def test_a_project_in_production_is_listed_at_level_9_and_at_its_development_level(
        write_card, tmp_path: Path) -> None:
    write_cloud_mask(write_card)
    dossier = build_dossier([tmp_path / "src"])
    pages: dict[str, SitePage] = {p.uri: p for p in site_pages(dossier, "dossier")}
    by_level = pages["dossier/levels.md"].context.by_level
    cards = dossier.projects["P04.3"].cards
    assert [(e.project.id, e.card, e.line, e.current) for e in by_level[9]] == [
        ("P04.3", cards[1], Line.PRODUCTION, False)]
    assert [(e.project.id, e.card, e.line, e.current) for e in by_level[5]] == [
        ("P04.3", cards[3], Line.DEVELOPMENT, True)]
    assert [(e.project.id, e.line, e.tenure) for e in by_level[4]] == [("R02.1", None, None)]
    assert sum(len(entries) for entries in by_level.values()) == 3

    out = rendered(dossier)
    rows = level_rows(out["dossier/levels.md"])
    assert rows[9] == "P04.3 in production (code 1.8.3, model 1.2.0, data 2.2.0)"
    assert rows[5] == "P04.3 in development"
    assert rows[4] == "R02.1" and rows[8] == "none"


def test_the_portfolio_shows_the_version_in_production_beside_the_development_line(
        write_card, tmp_path: Path) -> None:
    write_cloud_mask(write_card)
    portfolio = rendered(build_dossier([tmp_path / "src"]))["dossier/index.md"]
    row = {project: text(found[0]) for project in ("P04.3", "R02.1")
           if (found := re.findall(rf"<tr>\s*<td[^>]*><a[^>]*>{re.escape(project)}</a>.*?</tr>", portfolio, re.DOTALL))}
    assert "L5 Machine learning capability" in row["P04.3"]
    assert "in production: level 9, code 1.8.3, model 1.2.0, data 2.2.0 since 2023-03-06" in row["P04.3"]
    assert "in production" not in row["R02.1"]
    # one board card per project (its newest card), and v1 as an extra production card at level 9
    assert portfolio.count('class="mltrl-board-card"') == 2
    assert portfolio.count('class="mltrl-board-card mltrl-board-card-production"') == 1
    assert "in production since 2023-03-06" in text(portfolio.split('id="board"')[1])


def test_the_dossier_shows_both_lines_and_marks_the_production_card_in_the_history(
        write_card, tmp_path: Path) -> None:
    write_cloud_mask(write_card)
    page = text(rendered(build_dossier([tmp_path / "src"]))["dossier/P04.3/index.md"])
    assert "In development L5 Machine learning capability (Prototyping) since 2026-10-12" in page
    assert ("In production L9 Deployment (Deployment) since 2023-03-06 · code 1.8.3, model 1.2.0, data 2.2.0 · "
            "level-9 card") in page
    history = page.split("Level history")[-1].split("Requirement matrix")[0]
    assert "L9 Deployment (Deployment) in production since 2023-03-06, still running" in history
    assert "L5 Machine learning capability (Prototyping) in development" in history
    matrix = page.split("Requirement matrix")[1]
    assert "verified production" in matrix and "removed" not in matrix.split("removed: no longer listed")[1]


def test_a_retired_version_leaves_one_line_and_its_reason_is_escaped(write_card, tmp_path: Path) -> None:
    write_cloud_mask(write_card, mltrl="1.1",
                     production={"change": "retired", "reason": "<script>alert(1)</script> v1 is switched off."})
    out = rendered(build_dossier([tmp_path / "src"]))
    rows = level_rows(out["dossier/levels.md"])
    assert rows[9] == "none" and rows[5] == "P04.3"
    project = out["dossier/P04.3/index.md"]
    assert "<script>alert(1)" not in project
    assert "&lt;script&gt;alert(1)&lt;/script&gt; v1 is switched off." in project
    page = text(project)
    assert "Current level L5" in page and "In development" not in page
    assert ("In production nothing: the version of the level-9 card ran 2023-03-06 to 2026-10-12, retired "
            "(recorded on the L5 card of 2026-10-12): <script>alert(1)</script> v1 is switched off.") in page
    assert "was in production 2023-03-06 to 2026-10-12, retired" in page
    assert "retired here: the version in production since 2023-03-06" in page
    assert "in production: nothing (retired 2026-10-12)" in text(out["dossier/index.md"])


def test_a_level_9_card_that_records_its_own_retirement_stays_at_level_9(write_card, tmp_path: Path) -> None:
    write_card("src/ranker/L9.md", mltrl="1.1", project="P03.1", level=9, date="2023-01-09",
               production={"change": "replaced", "reason": "The learned re-ranker took over."})
    out = rendered(build_dossier([tmp_path / "src"]))
    assert level_rows(out["dossier/levels.md"])[9] == "P03.1 was in production (replaced outside the project)"
    page = text(out["dossier/P03.1/index.md"])
    assert ("In production nothing: the version of the level-9 card ran from 2023-01-09, replaced outside the "
            "project: The learned re-ranker took over.") in page


def test_when_the_next_version_reaches_level_9_it_replaces_the_one_in_production(write_card, tmp_path: Path) -> None:
    write_cloud_mask(write_card)
    for number, date in ((6, "2027-03-01"), (7, "2027-09-01"), (8, "2028-03-01"), (9, "2028-09-01")):
        write_card(f"src/cm/L{number}b.md", project="P04.3", level=number, date=date, versions={"model": "2.1.0"},
                   transition={"from": number - 1, "kind": "advance"})
    out = rendered(build_dossier([tmp_path / "src"]))
    rows = level_rows(out["dossier/levels.md"])
    assert rows[9] == "P04.3 in production (model 2.1.0)" and rows[5] == "none"
    page = text(out["dossier/P04.3/index.md"])
    assert "Current level L9" in page and "In development" not in page
    assert ("was in production 2023-03-06 to 2028-09-01, replaced by the next version (level-9 card of "
            "2028-09-01)") in page
    assert "in production since 2028-09-01, still running" in page


def test_a_version_in_production_without_versions_is_listed_plainly(write_card, tmp_path: Path) -> None:
    write_card("src/p/L9.md", project="P1", level=9, date="2024-01-01")
    assert level_rows(rendered(build_dossier([tmp_path / "src"]))["dossier/levels.md"])[9] == "P1 in production"


def test_time_at_the_current_level_counts_to_the_build_date(write_card, tmp_path: Path) -> None:
    """Not to the portfolio's newest card (B's, here): A has been at level 2 all year."""
    import datetime as dt

    write_card("src/a/L2.md", project="A", date="2024-01-01")
    write_card("src/b/L2.md", project="B", date="2024-06-01")
    out = rendered(build_dossier([tmp_path / "src"], today=dt.date(2024, 12, 31)))
    assert "365 days so far" in text(out["dossier/A/index.md"])
    assert "213 days so far" in text(out["dossier/B/index.md"])


def test_tags_reach_the_page_list_and_show_as_escaped_chips(write_card, tmp_path: Path) -> None:
    write_card("src/a/L2.md", project="A", date="2024-01-01", tags=["retired-tag"])
    write_card("src/a/L3.md", project="A", level=3, date="2024-02-01", transition={"from": 2, "kind": "advance"},
               tags=["<b>bold</b>", "vision"])
    dossier = build_dossier([tmp_path / "src"])
    first, current = dossier.projects["A"].cards
    pages = {p.uri: p for p in site_pages(dossier, "dossier")}
    assert pages["dossier/A/index.md"].tags == ("<b>bold</b>", "vision")  # the project's tags: its current card's
    assert pages[f"dossier/A/{card_stem(first)}.md"].tags == ("retired-tag",)
    assert pages[f"dossier/A/{card_stem(current)}.md"].tags == ("<b>bold</b>", "vision")
    assert pages["dossier/index.md"].tags == ()
    out = rendered(dossier)
    chips = ('<span class="mltrl-tags"><span class="mltrl-tag md-tag">&lt;b&gt;bold&lt;/b&gt;</span> '
             '<span class="mltrl-tag md-tag">vision</span></span>')
    assert chips in out["dossier/A/index.md"] and chips in out[f"dossier/A/{card_stem(current)}.md"]
    assert "<b>bold" not in out["dossier/A/index.md"] and "retired-tag" not in out["dossier/A/index.md"]
    assert "Tags" not in text(out["dossier/index.md"])


def _gain_a_paragraph(path: Path) -> None:
    """A paragraph under the file's first section, where no rule looks for it."""
    text = path.read_text(encoding="utf-8")
    head, rule, rest = text.partition("\n## ")
    heading, newline, section = rest.partition("\n")
    path.write_text(f"{head}{rule}{heading}{newline}\nA paragraph the body gained.\n{section}", encoding="utf-8")


def _kept_alike(tmp_path: Path, edit: Callable[[Path], None]) -> tuple[dict[str, SitePage], set[str]]:
    """The example's pages after ``edit(dossiers folder)``, and the URIs of those among them whose
    context compares the same as before but for what the page never shows (``unshown``), each
    checked to render to the very same HTML as before: ``BODIES_UNSHOWN``, proved for that edit."""
    import shutil

    from mltrl_docs.dossier import build_site
    from mltrl_docs.render.pages import unshown
    from mltrl_docs.render.reuse import same
    from mltrl_docs.settings import load_settings

    shutil.copytree(Path(__file__).parents[2] / "site_example", tmp_path / "site")
    settings, _ = load_settings(tmp_path / "site" / "mltrl-docs.yml")
    assert settings is not None

    def pages() -> dict[str, SitePage]:
        return {page.uri: page for page in site_pages(build_site(settings), "dossier")}

    before = pages()
    edit(tmp_path / "site" / "dossiers")
    after = pages()
    renderer = Renderer("dossier")
    kept = {uri for uri, page in after.items() if uri in before and unshown(page)
            and same(before[uri], page, unshown(page)) and not same(before[uri], page)}  # a body it holds differs
    for uri in kept:
        assert renderer.render(before[uri], lambda u: u, {}) == renderer.render(after[uri], lambda u: u, {}), uri
    assert all(unshown(page, templates_shipped=False) == frozenset() for page in after.values())
    return after, kept


def test_the_pages_that_show_no_body_render_the_same_whatever_the_bodies(tmp_path: Path) -> None:
    """Every body of the example changed (cards and attachments): the organisation's pages that
    compare the same but for the bodies are most of them (their findings, metrics and changes are
    worked out of the bodies, so a change there shows in their contexts, not only in the bodies)."""
    def every_body(dossiers: Path) -> None:
        for path in dossiers.rglob("*.md"):
            if path.read_text(encoding="utf-8").startswith("---"):
                _gain_a_paragraph(path)

    after, kept = _kept_alike(tmp_path, every_body)
    assert {"portfolio.html", "history.html", "levels.html", "requirements.html", "teams.html", "team.html",
            "owner.html", "findings.html", "metrics.html"} <= {after[uri].template for uri in kept}


def test_a_card_page_shows_its_own_body_and_not_its_siblings(tmp_path: Path) -> None:
    """One card's body changed: the pages of the project's other cards, which hold the edited card
    in their project, compare the same but for it and render the same; the card's own page does
    not (its ``body``), nor does the next card's (its changes since the edited one)."""
    folder = "cloud-mask"
    def second_card(dossiers: Path) -> None:
        _gain_a_paragraph(sorted((dossiers / folder).glob("L*.md"))[1])

    after, kept = _kept_alike(tmp_path, second_card)
    cards = sorted(uri for uri, page in after.items() if page.template == "card.html"
                   and page.source is not None and page.source.parent.name == folder)
    assert len(cards) >= 5, cards
    assert cards[1] not in kept and cards[0] in kept and len(set(cards[3:]) & kept) >= 2, (cards, kept)


def test_an_attachments_body_is_shown_on_its_own_page_and_worked_out_elsewhere(tmp_path: Path) -> None:
    """An ethics checklist's body changed (a paragraph, its answers as they were): the project's
    card pages, which hold it in their project, compare the same but for it and render the same;
    its own page shows it, and the dossier page counts its answers (worked out, in its context)."""
    def checklist(dossiers: Path) -> None:
        _gain_a_paragraph(dossiers / "neuropath" / "ethics.md")

    after, kept = _kept_alike(tmp_path, checklist)
    cards = {uri for uri, page in after.items() if page.template == "card.html"
             and page.source is not None and page.source.parent.name == "neuropath"}
    assert cards and cards <= kept
    assert not any(after[uri].template == "attachment.html" for uri in kept)
