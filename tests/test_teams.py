"""Who holds which projects (``mltrl_docs.teams``): teams and owners as the current cards name them,
their open reviews and metrics, a team's maturity stage, slugs safe as file names and URLs, and the
settings' teams checked against the cards once they are read."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from fuzz_strategies import budget
from mltrl_docs.dossier import build_dossier, build_site
from mltrl_docs.findings import Severity
from mltrl_docs.settings import MLOPS_STAGES, MaturityScale, TeamSettings, load_settings
from mltrl_docs.teams import MAX_SLUG, RESERVED, Kind, holder_metrics, holders, maturity_stage, slug_base, slugs

TODAY = dt.date(2024, 6, 1)


# --- slugs -------------------------------------------------------------------------------------


def test_a_slug_is_the_name_in_ascii_lower_case_words() -> None:
    assert slug_base("Optimisation research", "team") == "optimisation-research"
    assert slug_base("Müller & Søn", "team") == "muller-sn"
    assert slug_base("Straße 5", "team") == "strasse-5"
    assert slug_base("Équipe données (Paris)", "team") == "equipe-donnees-paris"
    assert slug_base("<script>alert(1)</script>", "team") == "script-alert-1-script"
    assert slug_base("../../etc/passwd", "team") == "etc-passwd"
    assert slug_base("..", "team") == "team"
    assert slug_base("数据团队", "team") == "team"  # no letter in ASCII: the kind's word
    assert slug_base("  ", "owner") == "owner"
    assert slug_base("🄐 Ⅻ", "team") == "a-xii"  # compatibility forms come out in lower case too
    assert slug_base("x" * 500, "team") == "x" * MAX_SLUG
    assert slug_base("ab " * 40, "team").endswith("ab") and len(slug_base("ab " * 40, "team")) <= MAX_SLUG


def test_names_that_meet_on_one_slug_get_suffixes_in_code_point_order() -> None:
    assert slugs(["vision", "Vision", "VISION"], "team") == {"VISION": "vision", "Vision": "vision-2",
                                                            "vision": "vision-3"}
    # A suffix never takes another name's own slug.
    assert slugs(["Vision", "vision", "Vision 2"], "team") == {"Vision": "vision", "Vision 2": "vision-2",
                                                              "vision": "vision-3"}
    assert slugs(["数据", "データ"], "team") == {"数据": "team-2", "データ": "team"}


def test_reserved_slugs_are_never_taken() -> None:
    found = slugs(["Index", "CON", "lpt1", "Aux team"], "team")
    assert found == {"Index": "index-2", "CON": "con-2", "lpt1": "lpt1-2", "Aux team": "aux-team"}
    assert "index" in RESERVED and "nul" in RESERVED


def test_slugs_do_not_depend_on_the_order_of_the_names() -> None:
    names = ["A b", "a-b", "A  B", "a_b", "Ärzte", "arzte", "数据", "x"]
    expected = slugs(names, "team")
    for seed in range(5):
        shuffled = names[:]
        random.Random(seed).shuffle(shuffled)
        assert slugs(shuffled, "team") == expected


@budget(0.5)
@given(st.lists(st.text(max_size=80), max_size=12))
def test_slugs_are_unique_safe_and_never_reserved(names: list[str]) -> None:
    found = slugs(names, "team")
    assert set(found) == set(names)
    assert len(set(found.values())) == len(found)
    for slug in found.values():
        assert slug and slug.isascii() and slug == slug.lower() and slug not in RESERVED
        assert all(c.isalnum() or c == "-" for c in slug) and not slug.startswith("-") and not slug.endswith("-")
        assert ".." not in slug and "/" not in slug


# --- who holds what ----------------------------------------------------------------------------


def _reviewers(*reviews: tuple[str, str, str | None]) -> list[dict[str, str]]:
    return [{"name": name, "decision": decision, **({"requested": requested} if requested else {}),
             **({"date": "2024-05-01"} if decision != "pending" else {})} for name, decision, requested in reviews]


def _portfolio(write_card: Callable[..., Path], write: Callable[..., Path]) -> None:
    """Three projects: A1 and B1 of team Vision (A1's old card was team Old), C1 of team Core; A1 waits
    for two reviewers, B1 is in review with nobody pending; D1 has no valid card."""
    write_card("src/a/L1.md", project="A1", level=1, date="2022-01-01", team="Old", owners=["Ada"], mltrl="1.1",
               reviewers=_reviewers(("Rev", "approved", "2022-01-02")))
    write_card("src/a/L2.md", project="A1", level=2, date="2024-01-01", team="Vision", owners=["Ada", "Bo"],
               transition={"from": 1, "kind": "advance"}, mltrl="1.1",
               reviewers=_reviewers(("Pat", "pending", "2024-05-02"), ("Quinn", "pending", None),
                                    ("Rev", "approved", "2024-04-01")))
    write_card("src/b/L3.md", project="B1", level=3, date="2024-05-20", team="Vision", owners=["Bo"],
               status="in-review", reviewers=_reviewers(("Rev", "approved", None)))
    write_card("src/c/L4.md", project="C1", level=4, date="2023-01-01", team="Core", owners=["Cy"])
    write_card("src/c/L2.md", project="C1", level=2, date="2022-01-01", team="Core", owners=["Cy"])
    write("src/d/L1.md", "---\nmltrl: 1\nproject: D1\nlevel: 1\ntitle: x\nstatus: aproved\nteam: Ghost\n---\n")


def test_teams_and_owners_are_the_current_cards(write_card, write, tmp_path: Path) -> None:
    _portfolio(write_card, write)
    found = holders(build_dossier([tmp_path / "src"], today=TODAY))
    assert [(h.name, h.slug, [s.project.id for s in h.projects]) for h in found.teams] == [
        ("Core", "core", ["C1"]), ("Vision", "vision", ["A1", "B1"])]
    assert [(h.name, [s.project.id for s in h.projects]) for h in found.owners] == [
        ("Ada", ["A1"]), ("Bo", ["A1", "B1"]), ("Cy", ["C1"])]
    vision = found.teams[1]
    assert vision.kind is Kind.TEAM and vision.owners == ("Ada", "Bo") and vision.teams == ("Vision",)
    assert found.owners[1].teams == ("Vision",) and found.of(Kind.OWNER) is found.owners
    assert vision.stage is None


def test_open_reviews_wait_since_the_request_or_the_cards_date(write_card, write, tmp_path: Path) -> None:
    _portfolio(write_card, write)
    vision = holders(build_dossier([tmp_path / "src"], today=TODAY)).teams[1]
    waiting = [(r.project.id, r.reviewer.name if r.reviewer else None, r.since, r.asked, r.days)
               for r in vision.reviews]
    assert waiting == [
        ("A1", "Quinn", dt.date(2024, 1, 1), False, 152),  # no request date: the card's
        ("A1", "Pat", dt.date(2024, 5, 2), True, 30),
        ("B1", None, dt.date(2024, 5, 20), False, 12),  # in review, no reviewer pending
    ]


def test_the_gap_and_the_earned_level_come_from_the_gates(write_card, write, tmp_path: Path) -> None:
    _portfolio(write_card, write)
    checked = build_dossier([tmp_path / "src"], today=TODAY)
    core = holders(checked).teams[0]
    [standing] = core.projects
    assert standing.gates is checked.gates.projects["C1"] and standing.card is checked.projects["C1"].current


def test_a_teams_metrics_count_its_projects_alone(write_card, write, tmp_path: Path) -> None:
    _portfolio(write_card, write)
    checked = build_dossier([tmp_path / "src"], today=TODAY)
    teams = holders(checked).teams
    core, vision = (holder_metrics(team, checked) for team in teams)
    assert [p.project_id for p in core.projects] == ["C1"] and [p.project_id for p in vision.projects] == ["A1", "B1"]
    assert core.cards == 2 and vision.cards == 3
    assert vision.reviews.pending == 2 and core.reviews.pending == 0
    assert core.today == TODAY and core.levels[4].ongoing == 1


def test_a_teams_stage_is_its_place_on_the_scale() -> None:
    settings = TeamSettings(stages={"Vision": "Automated model deployment"})
    stage = maturity_stage("Vision", settings)
    assert stage is not None and (stage.number, stage.count, stage.name) == (2, 4, "Automated model deployment")
    assert stage.scale == "MLOps maturity (John, Olsson and Bosch, 2021)"
    assert maturity_stage("Core", settings) is None
    own = maturity_stage("Core", TeamSettings(MaturityScale(("ad hoc", "repeatable", "managed"), None),
                                              {"Core": "managed"}))
    assert own is not None and (own.number, own.count, own.scale) == (3, 3, None)
    assert MaturityScale().stages == MLOPS_STAGES and len(MLOPS_STAGES) == 4


# --- the settings' teams against the cards -------------------------------------------------------


def test_a_team_no_current_card_names_is_a_located_warning(write_card, write, tmp_path: Path) -> None:
    _portfolio(write_card, write)
    path = write("mltrl-docs.yml", "sources: [src]\nteams:\n  stages:\n    Vision: Automated model deployment\n"
                                   "    Visoin: Automated data collection\n    Old: Automated data collection\n")
    settings, findings = load_settings(path)
    assert settings is not None and findings == []
    checked = build_site(settings, TODAY)
    warned = [f for f in checked.findings if f.path == path.resolve()]
    assert [(f.severity, f.rule, f.position.line if f.position else None, f.field) for f in warned] == [
        (Severity.WARNING, "settings", 5, "teams.stages.Visoin"),
        (Severity.WARNING, "settings", 6, "teams.stages.Old")]  # Old is only an old card's team
    assert warned[0].message == "teams.stages names team 'Visoin', but no project's current card has that team"
    assert warned[0].hint is not None and warned[0].hint.startswith("did you mean 'Vision'?")
    assert "(Core, Vision)" in warned[0].hint
    assert checked.teams is settings.teams
    vision = holders(checked).teams[1]
    assert vision.stage is not None and vision.stage.number == 2


def test_without_the_setting_nothing_is_checked(write_card, write, tmp_path: Path) -> None:
    _portfolio(write_card, write)
    settings, _ = load_settings(write("mltrl-docs.yml", "sources: [src]\n"))
    assert settings is not None and settings.teams.stages == {}
    checked = build_site(settings, TODAY)
    assert not [f for f in checked.findings if f.field and f.field.startswith("teams")]
    assert all(h.stage is None for h in holders(checked).teams)


def test_the_check_warns_of_a_team_only_a_bundle_could_have(tmp_path: Path) -> None:
    """A portal's teams are its bundles' too (``bundle.site.build_portal``); `mltrl-docs check` reports the
    team no current card names at its line in mltrl-docs.yml."""
    from bundle.support import bundle, portal, team_site
    from conftest import run_cli
    from mltrl_docs.bundle.site import build_portal

    site = team_site(tmp_path / "team", "T1")
    for card in (site / "dossiers" / "t1").glob("L*.md"):
        card.write_text(card.read_text(encoding="utf-8").replace("team: Research\n", "team: Bundled\n"),
                        encoding="utf-8")
    bundle(site, tmp_path / "portal" / "b.json")
    portal(tmp_path / "portal", "bundles: [b.json]\nteams:\n  stages:\n    Bundled: Automated model deployment\n"
                                "    Bundlde: Automated data collection\n")
    result = run_cli("check", str(tmp_path / "portal"))
    assert "mltrl-docs.yml:5:5: warning: teams.stages names team 'Bundlde', but no project's current card has " \
           "that team" in result.output
    assert "did you mean 'Bundled'?" in result.output and "'Bundled', but" not in result.output
    settings, _ = load_settings(tmp_path / "portal" / "mltrl-docs.yml")
    assert settings is not None
    checked, _ = build_portal(settings, tmp_path / "work")
    [team] = holders(checked).teams
    assert (team.name, team.stage.number if team.stage else None) == ("Bundled", 2)
