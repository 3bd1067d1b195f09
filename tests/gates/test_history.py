"""Rules on a project's history and system (mltrl_docs/gates/history.py): debrief,
switchback-known, embedded-switchback, coupled-readiness and stale. They are reported on
the cards they concern and never lower an earned level."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from mltrl_docs.dossier import build_site
from mltrl_docs.findings import Severity
from mltrl_docs.gates import BY_NAME, GateSettings
from mltrl_docs.settings import Settings
from provenance.support import Repo, needs_git

from .support import (
    GOOD_BODY,
    NO_DEBRIEF,
    WriteCard,
    assert_located,
    body_line,
    gates,
    history,
    line_of,
    of,
    one_card,
    sb,
    settings,
    single,
    without,
)

# --- debrief ---------------------------------------------------------------------------------


def test_debrief_needed_on_every_card_left(write_card: WriteCard, tmp_path: Path) -> None:
    paths = history(write_card, [2, 3, 4], {0: {"body": NO_DEBRIEF}, 2: {"body": NO_DEBRIEF}})
    report = gates(tmp_path)
    finding = single(report, "debrief")
    assert_located(finding, "debrief", paths[0], body_line(paths[0]), "body", None)
    assert finding.message == "the project has left this level-2 card, but it has no Stage debrief"
    assert [report.earned[p] for p in paths] == [2, 3, 4]
    assert [g.rule for g in report.projects["C1"].gap] == ["debrief"]


def test_debrief_that_only_repeats_the_questions_is_unanswered(write_card: WriteCard, tmp_path: Path) -> None:
    template = GOOD_BODY[: GOOD_BODY.index("1. Ada")] + (
        "1. What was accomplished, and by whom?\n2. What was punted or de-scoped?\n"
        "3. What was learned?\n4. What tech debt was gained? Mitigated?\n")
    paths = history(write_card, [2, 3], {0: {"body": template}})
    finding = single(gates(tmp_path), "debrief")
    assert finding.line == line_of(paths[0], "## Stage debrief")
    assert finding.message.endswith("has a Stage debrief that only repeats MLTRL's questions")


# --- switchbacks -----------------------------------------------------------------------------


def test_switchback_known_allows_a_level_held_before(write_card: WriteCard, tmp_path: Path) -> None:
    history(write_card, [6, 7, 6])
    assert of(gates(tmp_path), "switchback-known") == []


def test_switchback_known_flags_a_level_never_held(write_card: WriteCard, tmp_path: Path) -> None:
    paths = history(write_card, [6, 7, 5])
    report = gates(tmp_path)
    finding = single(report, "switchback-known")
    assert_located(finding, "switchback-known", paths[2], line_of(paths[2], "kind: switchback"),
                   "transition.kind", None)
    assert finding.message == "the project switches back to level 5, which it has never held before"
    assert report.earned[paths[2]] == 5


def test_embedded_switchback_predefined_pairs_pass(write_card: WriteCard, tmp_path: Path) -> None:
    history(write_card, [2, 3, 4, 2], {3: {"transition": sb(4, "embedded")}})
    assert of(gates(tmp_path), "embedded-switchback") == []


def test_embedded_switchback_other_pairs_fail(write_card: WriteCard, tmp_path: Path) -> None:
    paths = history(write_card, [2, 3, 4, 3], {3: {"transition": sb(4, "embedded")}})
    finding = single(gates(tmp_path), "embedded-switchback")
    assert_located(finding, "embedded-switchback", paths[3], line_of(paths[3], "switchback: embedded"),
                   "transition.switchback", None)
    assert finding.message == ("an embedded switchback from level 4 to level 3 is not one MLTRL predefines "
                               "(allowed: 9 to 4, 4 to 2)")
    assert of(gates(tmp_path, settings(embedded_switchback={"pairs": [[4, 3]]})), "embedded-switchback") == []


def test_embedded_switchback_with_no_pairs_allowed(write_card: WriteCard, tmp_path: Path) -> None:
    history(write_card, [2, 3, 4, 2], {3: {"transition": sb(4, "embedded")}})
    finding = single(gates(tmp_path, settings(embedded_switchback={"pairs": []})), "embedded-switchback")
    assert finding.message.endswith("(allowed: none)")


def test_discovery_switchbacks_are_not_embedded(write_card: WriteCard, tmp_path: Path) -> None:
    history(write_card, [2, 3, 4, 3])
    assert of(gates(tmp_path), "embedded-switchback") == []


# --- coupled readiness -----------------------------------------------------------------------


def test_coupled_readiness_names_the_limiting_project(write_card: WriteCard, tmp_path: Path) -> None:
    paths = history(write_card, [5, 6], {1: {"coupled": ["C2"]}})
    history(write_card, [2, 3], folder="q", project="C2")
    finding = single(gates(tmp_path), "coupled-readiness")
    assert_located(finding, "coupled-readiness", paths[1], line_of(paths[1], "coupled:"), "coupled", None,
                   Severity.INFO)
    assert finding.message == ("the system this project is coupled with stands at earned level 3 (declared 3), "
                               "below this project's earned level 6; limited by C2 (Drift monitor, level 3)")


def test_coupled_readiness_compares_earned_levels(write_card: WriteCard, tmp_path: Path) -> None:
    """C2 declares 7, above C1's 6, but earns 3: the system stands at 3. C1 declaring 6 but
    earning 2 is below that: nothing to say."""
    history(write_card, [5, 6], {1: {"coupled": ["C2"]}})
    history(write_card, [6, 7], {1: {"body": without("Intended use")}}, folder="q", project="C2")
    finding = single(gates(tmp_path), "coupled-readiness")
    assert finding.message == ("the system this project is coupled with stands at earned level 3 (declared 6), "
                               "below this project's earned level 6; limited by C2 (Drift monitor, earns level 3)")
    history(write_card, [5, 6], {1: {"coupled": ["C2"], "body": without("Data considerations")}})
    assert of(gates(tmp_path), "coupled-readiness") == []


def test_coupled_readiness_is_silent_when_the_coupled_project_is_not_lower(write_card: WriteCard,
                                                                          tmp_path: Path) -> None:
    history(write_card, [5, 6], {1: {"coupled": ["C2"]}})
    history(write_card, [6, 7], folder="q", project="C2")
    assert of(gates(tmp_path), "coupled-readiness") == []


def test_coupled_readiness_never_lowers_an_earned_level(write_card: WriteCard, tmp_path: Path) -> None:
    paths = history(write_card, [5, 6], {1: {"coupled": ["C2"]}})
    history(write_card, [0], folder="q", project="C2")
    report = gates(tmp_path)
    assert report.earned[paths[1]] == 6 and report.projects["C1"].readiness.level == 0
    assert report.projects["C1"].gap == ()


# --- stale -----------------------------------------------------------------------------------


def test_stale_is_on_by_default_as_a_note_after_365_days(write_card: WriteCard, tmp_path: Path) -> None:
    path = one_card(write_card, 2, date="2001-01-01")
    finding = single(gates(tmp_path, GateSettings(), today=dt.date(2002, 1, 2)), "stale")
    assert_located(finding, "stale", path, line_of(path, "date: '2001"), "date", None, Severity.INFO)
    assert finding.message == ("the current level-2 card has been unchanged for 366 days (entered 2001-01-01, no "
                               "later change known); stale flags a current card unchanged for more than 365 days")
    assert of(gates(tmp_path, GateSettings(), today=dt.date(2002, 1, 1)), "stale") == []
    assert BY_NAME["stale"].severity is Severity.INFO and GateSettings().option("stale", "days") == 365


def test_stale_flags_an_old_current_card(write_card: WriteCard, tmp_path: Path) -> None:
    paths = history(write_card, [2, 3])  # 2010-01-01 and 2011-01-01
    chosen = settings(stale={"days": 30})
    finding = single(gates(tmp_path, chosen, today=dt.date(2011, 2, 1)), "stale")
    assert_located(finding, "stale", paths[1], line_of(paths[1], "date: '2011"), "date", None, Severity.INFO)
    assert finding.message == ("the current level-3 card has been unchanged for 31 days (entered 2011-01-01, no "
                               "later change known); stale flags a current card unchanged for more than 30 days")
    assert of(gates(tmp_path, chosen, today=dt.date(2011, 1, 31)), "stale") == []
    assert len(of(gates(tmp_path, settings(stale=True), today=dt.date(2012, 1, 2)), "stale")) == 1
    assert of(gates(tmp_path, settings(stale=True), today=dt.date(2012, 1, 1)), "stale") == []
    assert {f.severity for f in of(gates(tmp_path, settings(stale="warning"), today=dt.date(2012, 1, 2)),
                                    "stale")} == {Severity.WARNING}


@needs_git
def test_stale_counts_from_the_cards_last_commit_where_git_is_read(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A card dated 2020 but committed on 1 March 2024 changed then; one with changes not committed
    yet changes today."""
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    repo = Repo(tmp_path / "repo")
    path = repo.card("dossiers/p/L2.md", date="2020-01-01")
    sha = repo.commit("Card", when="2024-03-01T10:00:00+00:00")

    def stale_at(day: dt.date, provenance: bool = True) -> list[str]:
        settings = Settings(sources=((repo.root / "dossiers").resolve(),), build_date=day)
        return [f.message for f in build_site(settings, provenance=provenance).findings if f.rule == "stale"]

    assert stale_at(dt.date(2025, 2, 28)) == []
    assert stale_at(dt.date(2025, 3, 2)) == [(
        f"the current level-2 card has been unchanged for 366 days (last changed in commit {sha[:7]} on 2024-03-01); "
        "stale flags a current card unchanged for more than 365 days")]
    assert len(stale_at(dt.date(2025, 2, 28), provenance=False)) == 1  # by its date alone: 2020
    path.write_text(path.read_text() + "\nA new line.\n", encoding="utf-8")
    assert stale_at(dt.date(2030, 1, 1)) == []
