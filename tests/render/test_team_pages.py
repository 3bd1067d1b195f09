"""Team and owner pages: the 'Teams and owners' page in the navigation, a page per team and owner outside
it, at safe and unique slugs; what each shows (projects, gaps, open reviews, metrics, a team's maturity
stage), escaped; the links to them from the portfolio, dossiers and cards, text when the site leaves
them out; in English and German."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from html import unescape
from pathlib import Path

import pytest

from conftest import run_cli, run_mkdocs
from mltrl_docs.dossier import CheckedDossier, build_dossier, build_site
from mltrl_docs.messages import english, load_messages
from mltrl_docs.render.contexts import HolderContext, TeamsContext
from mltrl_docs.render.html import Renderer
from mltrl_docs.render.navigation import NavSection, navigation
from mltrl_docs.render.pages import OPTIONAL_PAGES, SitePage, site_pages
from mltrl_docs.render.site import front_matter
from mltrl_docs.settings import load_settings

TODAY = dt.date(2024, 6, 1)
HOSTILE = "<script>alert('t')</script> \"><img src=x onerror=alert(1)> {{ 7*191 }}"
SETTINGS = """sources: [src]
build_date: 2024-06-01
teams:
  stages:
    Vision: Automated model deployment
"""


def _requirement(rid: str, status: str) -> dict[str, object]:
    return {"id": rid, "kind": "research", "text": f"requirement {rid}", "verification": "test", "status": status}


def _site(write_card: Callable[..., Path], write: Callable[..., Path], tmp_path: Path,
          settings: str = SETTINGS) -> CheckedDossier:
    """A1 (team Vision, owners Ada and Bo) declares level 3 but earns less, waits for a reviewer since
    2024-05-02; B1 (Vision, owner Bo) is in review; C1 (team Core, owner Cy) switched back once."""
    write_card("src/a/L2.md", project="A1", title="Anomaly finder", level=2, date="2023-01-01", team="Vision",
               owners=["Ada"])
    write_card("src/a/L3.md", project="A1", title="Anomaly finder", level=3, date="2024-01-01", team="Vision",
               owners=["Ada", "Bo"], mltrl="1.1", transition={"from": 2, "kind": "advance"},
               requirements=[_requirement("1", "in-progress")],
               reviewers=[{"name": "Pat", "decision": "pending", "requested": "2024-05-02", "role": "peer"}])
    write_card("src/b/L1.md", project="B1", title="Batch scorer", level=1, date="2024-05-20", team="Vision",
               owners=["Bo"], status="in-review", reviewers=[])
    write_card("src/c/L4.md", project="C1", title="Core model", level=4, date="2022-01-01", team="Core", owners=["Cy"])
    write_card("src/c/L3.md", project="C1", title="Core model", level=3, date="2023-01-01", team="Core", owners=["Cy"],
               transition={"from": 4, "kind": "switchback", "switchback": "review", "reason": "R"})
    settings_file, findings = load_settings(write("mltrl-docs.yml", settings))
    assert settings_file is not None, findings
    return build_site(settings_file)


def _pages(dossier: CheckedDossier, include: tuple[str, ...] = OPTIONAL_PAGES, messages=None) -> dict[str, SitePage]:
    return {page.uri: page for page in site_pages(dossier, "dossier", include, messages)}


def _render(pages: dict[str, SitePage], uri: str, renderer: Renderer | None = None) -> str:
    return (renderer or Renderer("dossier")).render(pages[uri], lambda u: u if u in pages else None, {})


def _text(html: str) -> str:
    """The page's words: each tag a space, entities read, spaces collapsed."""
    spaced = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))
    return spaced.replace(" ,", ",").replace("( ", "(").replace(" )", ")")


# --- which pages, where ------------------------------------------------------------------------


def test_the_teams_page_is_in_the_navigation_and_each_team_and_owner_page_is_not(write_card, write,
                                                                                 tmp_path: Path) -> None:
    pages = _pages(_site(write_card, write, tmp_path))
    ours = {uri: page for uri, page in pages.items() if "/teams/" in uri or "/owners/" in uri}
    assert {uri: (page.title, page.template, page.in_nav) for uri, page in ours.items()} == {
        "dossier/teams/index.md": ("Teams and owners", "teams.html", True),
        "dossier/teams/core.md": ("Team: Core", "team.html", False),
        "dossier/teams/vision.md": ("Team: Vision", "team.html", False),
        "dossier/owners/ada.md": ("Owner: Ada", "owner.html", False),
        "dossier/owners/bo.md": ("Owner: Bo", "owner.html", False),
        "dossier/owners/cy.md": ("Owner: Cy", "owner.html", False),
    }
    assert isinstance(ours["dossier/teams/index.md"].context, TeamsContext)
    assert all(isinstance(page.context, HolderContext) for uri, page in ours.items() if "index" not in uri)
    # After the metrics page, before the glossary, in the navigation's order.
    listed = [uri for uri, page in pages.items() if page.in_nav and page.project is None]
    assert listed.index("dossier/teams/index.md") == listed.index("dossier/metrics.md") + 1


def test_the_navigation_does_not_grow_with_the_teams(write_card, tmp_path: Path) -> None:
    """Issue 14: a page's navigation never grows with the portfolio; 60 teams and owners add one entry."""
    def entries(found: tuple[NavSection | str, ...]) -> list[str]:
        return [e if isinstance(e, str) else e.title for e in found]

    write_card("src/p0/L1.md", project="P0", level=1, team="Team 0")
    dossier = build_dossier([tmp_path / "src"], today=TODAY)
    few = entries(navigation(site_pages(dossier, "dossier"), dossier, english()))
    for n in range(1, 60):
        write_card(f"src/p{n}/L1.md", project=f"P{n}", level=1, team=f"Team {n}", owners=[f"Owner {n}"])
    dossier = build_dossier([tmp_path / "src"], today=TODAY)
    pages = site_pages(dossier, "dossier")
    many = entries(navigation(pages, dossier, english()))
    assert len([p for p in pages if p.uri.startswith(("dossier/teams/", "dossier/owners/"))]) == 1 + 60 + 60
    assert "dossier/teams/index.md" in few and few[:-1] == many[:-1]  # the last: the phase's project count


def test_left_out_there_are_no_team_pages_and_names_are_text(write_card, write, tmp_path: Path) -> None:
    dossier = _site(write_card, write, tmp_path)
    pages = _pages(dossier, tuple(kind for kind in OPTIONAL_PAGES if kind != "teams"))
    assert not [uri for uri in pages if "/teams/" in uri or "/owners/" in uri]
    for uri in ("dossier/index.md", "dossier/A1/index.md", "dossier/A1/L3-2024-01-01.md", "dossier/A1/packet.md"):
        html = _render(pages, uri)
        assert "Vision" in html and "/teams/" not in html and "/owners/" not in html, uri


def test_other_pages_link_the_teams_and_owners(write_card, write, tmp_path: Path) -> None:
    pages = _pages(_site(write_card, write, tmp_path))
    team = '<a href="dossier/teams/vision.md">Vision</a>'
    ada, bo = '<a href="dossier/owners/ada.md">Ada</a>', '<a href="dossier/owners/bo.md">Bo</a>'
    assert team in _render(pages, "dossier/index.md")  # the portfolio's team column
    for uri in ("dossier/A1/index.md", "dossier/A1/packet.md", "dossier/A1/L3-2024-01-01.md"):
        assert f"{ada}, {bo} ({team})" in _render(pages, uri), uri
    # An older card's owners are linked where they hold a project now.
    assert f"{ada} ({team})" in _render(pages, "dossier/A1/L2-2023-01-01.md")


def test_a_site_with_no_team_lists_its_owners(write_card, tmp_path: Path) -> None:
    write_card("src/p/L1.md", project="P1", level=1)
    pages = _pages(build_dossier([tmp_path / "src"], today=TODAY))
    html = _render(pages, "dossier/teams/index.md")
    assert "No project's current card names a team (team)." in _text(html)
    assert '<a href="dossier/owners/ada-okafor.md">Ada Okafor</a>' in html


# --- what a team's and an owner's page show ----------------------------------------------------


def test_a_team_page_shows_its_projects_gaps_reviews_metrics_and_maturity(write_card, write, tmp_path: Path) -> None:
    pages = _pages(_site(write_card, write, tmp_path))
    html = _render(pages, "dossier/teams/vision.md")
    text = _text(html)
    # The maturity stage beside the readiness of its projects, in the summary.
    assert "MLOps maturity (John, Olsson and Bosch, 2021) stage 2 of 4: Automated model deployment" in text
    assert "Readiness of its projects A1 L3 ⚠ earns L" in text and "B1 L1" in text
    assert "Owners Ada, Bo" in text and "Open reviews 2 waiting, the longest for 30 days" in text
    # Projects: linked, declared level with its name and phase, earned level, the current card.
    assert '<a href="dossier/A1/index.md">A1</a>' in html and '<a href="dossier/B1/index.md">B1</a>' in html
    assert "L3 System development (Prototyping) ⚠ earns L0 level 3 card of 2024-01-01 approved" in text
    assert '<a href="dossier/A1/L3-2024-01-01.md">level 3 card of' in html
    # What blocks each next level: the dossier's gap list, and why the earned level is lower.
    gates = pages["dossier/A1/index.md"].context.gates  # type: ignore[attr-defined]
    assert gates.gap and all(item.text in _text(html) for item in gates.gap)
    assert "A1 to level 4" in text and "B1 to level 2" in text
    assert '<a href="dossier/A1/index.md#gates">why</a>' in html
    assert html.count('<ul class="mltrl-gap">') == sum(1 for p in ("A1", "B1")
                                                       if pages[f"dossier/{p}/index.md"].context.gates.gap)  # type: ignore[attr-defined]
    # Open reviews, the longest waiting first.
    assert re.search(r"Pat peer 2024-05-02 \(asked\) 30 days.*in review; no reviewer named 2024-05-20 \(the card's "
                     r"date\) 12 days", text)
    # The metrics over its projects alone: A1's two cards and B1's one; A1's pending review, B1's none.
    assert "Projects 2 with 3 cards" in text and "1 advance, 0 switchbacks" in text and "; 1 pending" in text
    assert "Core model" not in html


def test_a_team_with_no_stage_and_an_owner_page(write_card, write, tmp_path: Path) -> None:
    pages = _pages(_site(write_card, write, tmp_path))
    core = _text(_render(pages, "dossier/teams/core.md"))
    assert "MLOps maturity of the team not stated (a site states it under teams.stages in mltrl-docs.yml)" in core
    assert "Switchbacks" in core and "L4 L3 1 1 review" in core  # its one switchback, by levels
    bo = _render(pages, "dossier/owners/bo.md")
    assert '<th>Teams</th><td><a href="dossier/teams/vision.md">Vision</a></td>' in bo
    assert "A1" in bo and "B1" in bo and "C1" not in bo
    index = _text(_render(pages, "dossier/teams/index.md"))
    assert "Vision 2 projects: A1 L3" in index and "stage 2 of 4: Automated model deployment" in index
    assert "Core 1 project: C1 L3" in index and "not stated" in index
    assert "Bo 2 projects: A1 L3" in index


def test_own_scale_without_a_name(write_card, write, tmp_path: Path) -> None:
    dossier = _site(write_card, write, tmp_path, "sources: [src]\nbuild_date: 2024-06-01\nteams:\n  maturity:\n"
                                                 "    stages: [ad hoc, managed]\n  stages: {Core: managed}\n")
    pages = _pages(dossier)
    assert "MLOps maturity of the team stage 2 of 2: managed" in _text(_render(pages, "dossier/teams/core.md"))
    assert "<th>MLOps maturity of the team</th>" in _render(pages, "dossier/teams/index.md")


# --- hostile names -----------------------------------------------------------------------------


@pytest.mark.parametrize("team", [HOSTILE, "../../etc/passwd", "..", "Équipe données", "数据团队", "Index", "CON"])
def test_a_hostile_team_name_is_text_and_its_page_a_safe_path(write_card, tmp_path: Path, team: str) -> None:
    write_card("src/p/L1.md", project="P1", level=1, team=team, owners=[team])
    pages = _pages(build_dossier([tmp_path / "src"], today=TODAY))
    [team_uri] = [uri for uri in pages if uri.startswith("dossier/teams/") and uri != "dossier/teams/index.md"]
    [owner_uri] = [uri for uri in pages if uri.startswith("dossier/owners/")]
    for uri in (team_uri, owner_uri):
        slug = uri.split("/")[-1].removesuffix(".md")
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug) and slug not in ("index", "con"), uri
    for uri in (team_uri, owner_uri, "dossier/teams/index.md", "dossier/index.md", "dossier/P1/index.md"):
        html = _render(pages, uri)
        assert "<script" not in html and "<img src=x" not in html and "1337" not in html, uri
    if team == HOSTILE:
        html = _render(pages, team_uri)
        assert "&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;" in html and "{{ 7*191 }}" in html
        assert "&lt;script&gt;" in front_matter(pages[team_uri])


def test_names_that_meet_on_one_slug_get_pages_of_their_own(write_card, tmp_path: Path) -> None:
    for n, team in enumerate(["Vision", "vision", "VISION", "Vision 2"]):
        write_card(f"src/p{n}/L1.md", project=f"P{n}", level=1, team=team)
    pages = _pages(build_dossier([tmp_path / "src"], today=TODAY))
    titles = {uri: page.title for uri, page in pages.items() if uri.startswith("dossier/teams/")}
    assert titles == {"dossier/teams/index.md": "Teams and owners", "dossier/teams/vision.md": "Team: VISION",
                      "dossier/teams/vision-2.md": "Team: Vision 2", "dossier/teams/vision-3.md": "Team: Vision",
                      "dossier/teams/vision-4.md": "Team: vision"}
    assert '<a href="dossier/teams/vision-4.md">vision</a>' in _render(pages, "dossier/index.md")


# --- languages, and the sites the adapters build ------------------------------------------------


def test_the_pages_speak_german(write_card, write, tmp_path: Path) -> None:
    german, _ = load_messages("de")
    pages = _pages(_site(write_card, write, tmp_path), messages=german)
    renderer = Renderer("dossier")
    renderer.use_messages(german)
    assert pages["dossier/teams/index.md"].title == "Teams und Verantwortliche"
    assert pages["dossier/owners/bo.md"].title == "Verantwortlich: Bo"
    text = _text(_render(pages, "dossier/teams/vision.md", renderer))
    assert "Stufe 2 von 4: Automated model deployment" in text and "Offene Reviews" in text
    assert "2 warten (längste Wartezeit 30 Tage)" in text and "A1 zur Stufe 4" in text
    assert "waiting" not in text and "Projects" not in text


def test_mkdocs_builds_the_pages_outside_the_navigation(write_card, write, tmp_path: Path) -> None:
    _site(write_card, write, tmp_path)
    write("mkdocs.yml", "site_name: t\ndocs_dir: docs\nplugins:\n  - mltrl: {settings: mltrl-docs.yml}\n")
    write("docs/index.md", "# Home\n")
    built = run_mkdocs(tmp_path / "mkdocs.yml", tmp_path / "site")
    assert built.returncode == 0, built.stderr[-2000:]
    site = tmp_path / "site" / "dossier"
    for page in ("teams/index.html", "teams/vision/index.html", "teams/core/index.html", "owners/bo/index.html"):
        assert (site / page).is_file(), page
    portfolio = (site / "index.html").read_text(encoding="utf-8")
    nav = portfolio[:portfolio.index('<div class="mltrl')]
    assert "Teams and owners" in nav and "teams/vision/" not in nav and "owners/bo/" not in nav
    assert 'href="teams/vision/"' in portfolio


def test_render_writes_the_pages_for_a_host_without_the_plugin(write_card, write, tmp_path: Path) -> None:
    _site(write_card, write, tmp_path)
    write("mkdocs.yml", "site_name: t\nplugins:\n  - mltrl: {settings: mltrl-docs.yml}\n")
    result = run_cli("render", str(tmp_path / "out"), cwd=tmp_path)
    assert result.exit_code in (0, 1), result.output
    docs = tmp_path / "out" / "docs" / "dossier"
    assert (docs / "teams" / "index.md").is_file() and (docs / "teams" / "vision.md").is_file()
    assert 'href="../../owners/ada/"' in (docs / "teams" / "vision.md").read_text(encoding="utf-8")
