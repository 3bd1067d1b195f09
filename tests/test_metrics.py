"""Portfolio metrics, on a small real portfolio with every number worked out by hand.

Portfolio (today = 2021-12-31):

- A: L2 2020-01-01 -> L3 2020-07-01 (advance) -> L2 2021-01-01 (discovery switchback).
- B: L4 2020-03-01 -> L5 2020-09-01 (advance) -> L4 2021-03-01 (review switchback).
- C: L0 2021-03-01, the newest card of the portfolio (same date as B's last card).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from mltrl_docs.body import read_body
from mltrl_docs.dossier import build_dossier
from mltrl_docs.findings import Severity
from mltrl_docs.levels import level
from mltrl_docs.memo import Memo
from mltrl_docs.metrics import (
    UNNAMED,
    KindCount,
    PairCount,
    PortfolioMetrics,
    ProjectMetrics,
    ReviewTimes,
    VerifiedPoint,
    measurer,
    org_series,
    portfolio_metrics,
    review_times,
    stays,
    switchback_counts,
    switchbacks,
)
from mltrl_docs.model import (
    Card,
    CardStatus,
    Decision,
    Dossier,
    Project,
    Review,
    SwitchbackKind,
    Transition,
    TransitionKind,
)

TODAY = dt.date(2021, 12, 31)


def _reqs(*statuses: str) -> list[dict[str, Any]]:
    return [{"id": str(i + 1), "kind": "research", "text": "The model shall work.", "verification": "test",
             "status": status, **({"reason": "Out of scope."} if status == "waived" else {})}
            for i, status in enumerate(statuses)]


def _review(name: str, decision: str = "approved", date: str | None = None,
            requested: str | None = None) -> dict[str, str]:
    review = {"name": name, "decision": decision}
    if date:
        review["date"] = date
    if requested:
        review["requested"] = requested
    return review


@pytest.fixture
def portfolio(write_card: Callable[..., Path], tmp_path: Path) -> Dossier:
    card = {"mltrl": "1.1"}
    write_card("src/a/1.md", **card, project="A", level=2, date="2020-01-01",
               reviewers=[_review("X", date="2020-01-11", requested="2020-01-01"), _review("Y", date="2020-01-05")],
               requirements=_reqs("verified", "in-progress"))
    write_card("src/a/2.md", **card, project="A", level=3, date="2020-07-01", status="in-review",
               transition={"from": 2, "kind": "advance"},
               reviewers=[_review("Z", date="2020-08-03", requested="2020-07-20"),
                          _review("W", "pending", requested="2020-07-20")],
               requirements=_reqs("verified", "verified", "waived"))
    write_card("src/a/3.md", **card, project="A", level=2, date="2021-01-01",
               transition={"from": 3, "kind": "switchback", "switchback": "discovery", "reason": "Data drifted."},
               reviewers=[_review("V", date="2021-01-02", requested="2021-01-05")],
               requirements=_reqs("verified", "verified", "verified"))
    write_card("src/b/1.md", **card, project="B", level=4, date="2020-03-01",
               reviewers=[_review("T", date="2020-03-21", requested="2020-03-01")],
               requirements=_reqs("not-started", "not-started", "in-progress", "failed"))
    write_card("src/b/2.md", **card, project="B", level=5, date="2020-09-01",
               transition={"from": 4, "kind": "advance"},
               reviewers=[_review("U", date="2020-09-10")],
               requirements=_reqs("verified", "verified", "in-progress", "failed"))
    write_card("src/b/3.md", **card, project="B", level=4, date="2021-03-01",
               transition={"from": 5, "kind": "switchback", "switchback": "review", "reason": "Review asked."},
               reviewers=[_review("T", date="2021-03-04", requested="2021-03-01")],
               requirements=_reqs("verified", "verified", "verified", "in-progress", "in-progress"))
    write_card("src/c/1.md", **card, project="C", level=0, date="2021-03-01",
               reviewers=[_review("S", date="2021-03-08", requested="2021-03-01")])
    checked = build_dossier([tmp_path / "src"])
    # The one error is V's decision dated before its request (rules.py): the card still
    # loads, and the metrics count that review as inconsistent.
    assert [(f.rule, f.path.parent.name, f.field) for f in checked.findings if f.severity is Severity.ERROR] == [
        ("date", "a", "reviewers[0].date")]
    return checked.dossier


@pytest.fixture
def metrics(portfolio: Dossier) -> PortfolioMetrics:
    return portfolio_metrics(portfolio, TODAY)


def test_time_at_each_level_per_card(portfolio: Dossier) -> None:
    a = stays(portfolio.projects["A"], TODAY)
    assert [(s.level, s.days, s.ongoing) for s in a] == [(2, 182, False), (3, 184, False), (2, 364, True)]
    b = stays(portfolio.projects["B"], TODAY)
    assert [(s.level, s.days, s.ongoing) for s in b] == [(4, 184, False), (5, 181, False), (4, 305, True)]


def test_the_current_level_runs_to_today_not_to_the_newest_card(metrics: PortfolioMetrics) -> None:
    a = metrics.projects[0]
    # The portfolio's newest card is C's (2021-03-01): A's current stay still runs to today.
    assert a.project_id == "A" and a.current.end == TODAY and a.current.days == 364
    assert a.days == 730  # 2020-01-01 to 2021-12-31


def test_time_at_each_level_across_the_org(metrics: PortfolioMetrics) -> None:
    by_level = {lt.level: lt for lt in metrics.levels}
    assert [lt.level for lt in metrics.levels] == list(range(10))
    assert (by_level[2].days, by_level[2].median_days, by_level[2].total_days, by_level[2].ongoing) == \
        ((182, 364), 273.0, 546, 1)
    assert (by_level[4].days, by_level[4].median_days, by_level[4].ongoing) == ((184, 305), 244.5, 1)
    assert (by_level[3].median_days, by_level[5].median_days, by_level[0].median_days) == (184.0, 181.0, 305.0)
    assert by_level[9].stays == 0 and by_level[9].median_days is None and by_level[9].total_days == 0


def test_time_at_each_level_per_project(metrics: PortfolioMetrics) -> None:
    a, b, c = metrics.projects
    assert [(lt.level, lt.stays, lt.total_days) for lt in a.levels] == [(2, 2, 546), (3, 1, 184)]
    assert [(lt.level, lt.stays, lt.total_days) for lt in b.levels] == [(4, 2, 489), (5, 1, 181)]
    assert [(lt.level, lt.total_days, lt.ongoing) for lt in c.levels] == [(0, 305, 1)]


def test_review_turnaround_across_the_org(metrics: PortfolioMetrics) -> None:
    # Measured: X 10, Z 14, T 20, T 3, S 7. Y and U have no request date; W is pending;
    # V's decision is dated before its request.
    assert metrics.reviews == ReviewTimes((10, 14, 20, 3, 7), not_measured=2, pending=1, inconsistent=1)
    assert metrics.reviews.median_days == 10.0 and metrics.reviews.reviews == 9


def test_review_turnaround_per_level(metrics: PortfolioMetrics) -> None:
    by_level = {lr.level: lr.times for lr in metrics.reviews_by_level}
    assert sorted(by_level) == [0, 2, 3, 4, 5]
    assert by_level[0] == ReviewTimes((7,))
    assert by_level[2] == ReviewTimes((10,), not_measured=1, inconsistent=1)
    assert by_level[3] == ReviewTimes((14,), pending=1)
    assert by_level[4].days == (20, 3) and by_level[4].median_days == 11.5
    assert by_level[5] == ReviewTimes((), not_measured=1) and by_level[5].median_days is None


def test_review_turnaround_per_project(metrics: PortfolioMetrics) -> None:
    a, b, c = metrics.projects
    assert (a.reviews.median_days, a.reviews.measured, a.reviews.not_measured, a.reviews.pending,
            a.reviews.inconsistent) == (12.0, 2, 1, 1, 1)
    assert (b.reviews.median_days, b.reviews.not_measured) == (11.5, 1)
    assert [(t.reviewer, t.level, t.requested, t.decided, t.days) for t in a.turnarounds] == [
        ("X", 2, dt.date(2020, 1, 1), dt.date(2020, 1, 11), 10),
        ("Z", 3, dt.date(2020, 7, 20), dt.date(2020, 8, 3), 14)]
    assert c.reviews.days == (7,)


def test_a_reviewer_without_requested_is_not_measured_never_guessed() -> None:
    card = _object_cards()[0]
    reviews = [Review("Y", Decision.APPROVED, dt.date(2020, 1, 5)),
               Review("Q", Decision.APPROVED, None, requested=dt.date(2020, 1, 1)),
               Review("P", Decision.PENDING, None, requested=dt.date(2020, 1, 1)),
               Review("R", Decision.REJECTED, dt.date(2020, 1, 9), requested=dt.date(2020, 1, 2))]
    times = review_times((card, r) for r in reviews)
    assert times == ReviewTimes((7,), not_measured=2, pending=1)


def test_switchbacks_by_kind_and_pair(metrics: PortfolioMetrics) -> None:
    assert metrics.switchbacks.total == 2 and metrics.advances == 2
    assert metrics.switchbacks.by_kind == (KindCount("discovery", 1), KindCount("review", 1), KindCount("embedded", 0))
    assert metrics.switchbacks.pairs == (PairCount(3, 2, 1, (KindCount("discovery", 1),)),
                                         PairCount(5, 4, 1, (KindCount("review", 1),)))
    a, b, c = metrics.projects
    assert [(s.from_level, s.to_level, s.kind, s.date) for s in a.switchbacks] == [
        (3, 2, "discovery", dt.date(2021, 1, 1))]
    assert (a.advances, b.advances, c.advances) == (1, 1, 0)
    assert b.switchback_counts.by_kind[1] == KindCount("review", 1) and c.switchback_counts.total == 0


def test_a_switchback_without_from_or_kind_uses_the_previous_level_and_counts_as_unnamed() -> None:
    first, second = _object_cards()
    project = Project("A", Path("a"), Path("."), (first, dataclasses.replace(
        second, transition=Transition(None, TransitionKind.SWITCHBACK, None))))
    found = switchbacks(project)
    assert [(s.from_level, s.to_level, s.kind) for s in found] == [(3, 2, UNNAMED)]
    counts = switchback_counts([*found, dataclasses.replace(found[0], kind=SwitchbackKind.EMBEDDED.value)])
    assert counts.by_kind[-2:] == (KindCount("embedded", 1), KindCount(UNNAMED, 1))
    assert counts.pairs == (PairCount(3, 2, 2, (KindCount("embedded", 1), KindCount(UNNAMED, 1))),)


def test_requirements_verified_over_time_per_project(metrics: PortfolioMetrics) -> None:
    a, b, c = metrics.projects
    # A's L3 card: 2 verified, 1 waived (listed, not verified).
    assert [(p.date, p.verified, p.listed) for p in a.requirements] == [
        (dt.date(2020, 1, 1), 1, 2), (dt.date(2020, 7, 1), 2, 3), (dt.date(2021, 1, 1), 3, 3)]
    assert [(p.verified, p.listed) for p in b.requirements] == [(0, 4), (2, 4), (3, 5)]
    assert [(p.verified, p.listed) for p in c.requirements] == [(0, 0)]


def test_requirements_verified_over_time_across_the_org(metrics: PortfolioMetrics) -> None:
    """Each date counts every project's latest card on or before it; B and C share 2021-03-01."""
    assert metrics.requirements == (
        VerifiedPoint(dt.date(2020, 1, 1), 1, 2, 1),
        VerifiedPoint(dt.date(2020, 3, 1), 1, 6, 2),
        VerifiedPoint(dt.date(2020, 7, 1), 2, 7, 2),
        VerifiedPoint(dt.date(2020, 9, 1), 4, 7, 2),
        VerifiedPoint(dt.date(2021, 1, 1), 5, 7, 2),
        VerifiedPoint(dt.date(2021, 3, 1), 6, 8, 3),
    )


def test_a_current_card_dated_after_today_stays_zero_days(write_card: Callable[..., Path], tmp_path: Path) -> None:
    write_card("src/p/1.md", project="P", level=2, date="2022-01-01")
    project = build_dossier([tmp_path / "src"]).projects["P"]
    [stay] = stays(project, TODAY)
    assert (stay.days, stay.end, stay.ongoing) == (0, dt.date(2022, 1, 1), True)


def test_projects_without_a_valid_card_are_left_out(write_card: Callable[..., Path], write: Callable[..., Path],
                                                     tmp_path: Path) -> None:
    write_card("src/p/1.md", project="P", level=2, date="2021-01-01")
    write("src/q/1.md", "---\nmltrl: 1\nlevel: 12\n---\n")
    dossier = build_dossier([tmp_path / "src"]).dossier
    assert set(dossier.projects) >= {"P"} and len(dossier.projects) == 2
    metrics = portfolio_metrics(dossier, TODAY)
    assert [p.project_id for p in metrics.projects] == ["P"] and metrics.cards == 1


def test_an_empty_portfolio() -> None:
    metrics = portfolio_metrics(Dossier(), TODAY)
    assert metrics.projects == () and metrics.requirements == () and metrics.reviews == ReviewTimes()
    assert metrics.switchbacks.total == 0 and all(lt.stays == 0 for lt in metrics.levels)
    assert org_series([]) == ()


def _object_cards() -> tuple[Card, Card]:
    """Two cards of one project built in memory (for fields the schema would refuse)."""

    def card(number: int, date: dt.date) -> Card:
        return Card(Path(f"{number}.md"), "A", "T", level(number), date, CardStatus.APPROVED, ("O",), read_body(""))

    return card(3, dt.date(2020, 1, 1)), card(2, dt.date(2020, 6, 1))


def test_a_version_in_production_stays_at_level_9_while_the_next_one_climbs() -> None:
    """9 -> 4 (embedded): v1's level-9 stay runs on to ``today`` beside v2's stays; once v2
    reaches 9, v1's stay ends there and v2's runs."""

    def card(number: int, date: str, before: int | None = None) -> Card:
        kind = None if before is None else (
            TransitionKind.ADVANCE if number == before + 1 else TransitionKind.SWITCHBACK)
        return Card(Path(f"{date}.md"), "A", "T", level(number), dt.date.fromisoformat(date), CardStatus.APPROVED,
                    ("O",), read_body(""), transition=None if before is None else Transition(before, kind))

    v1 = card(9, "2020-01-01")
    climbing = (v1, card(4, "2020-06-01", 9), card(5, "2021-01-01", 4))
    project = Project("A", Path("a"), Path("."), climbing)
    assert [(s.level, s.end, s.ongoing) for s in stays(project, TODAY)] == [
        (9, TODAY, True), (4, dt.date(2021, 1, 1), False), (5, TODAY, True)]
    arrived = Project("A", Path("a"), Path("."), (*climbing, card(9, "2021-06-01", 5)))
    assert [(s.level, s.end, s.ongoing) for s in stays(arrived, TODAY)] == [
        (9, dt.date(2021, 6, 1), False), (4, dt.date(2021, 1, 1), False), (5, dt.date(2021, 6, 1), False),
        (9, TODAY, True)]


def test_a_measurer_measures_each_project_once_and_again_only_when_its_cards_change(portfolio: Dossier) -> None:
    """The org's metrics page and every team's and owner's page measure the same projects: once
    per build; across `mkdocs serve` rebuilds (a memo), again only for a project whose cards are
    not the very same objects. What it measures is what portfolio_metrics works out alone."""
    memo: Memo[str, ProjectMetrics | None] = Memo()
    measure = measurer(TODAY, memo=memo)
    whole = portfolio_metrics(portfolio, TODAY, measure=measure)
    assert whole == portfolio_metrics(portfolio, TODAY) and memo.hits == 0
    for project in portfolio.projects.values():
        measure(project)
    assert memo.hits == 3
    memo.sweep()
    edited = dataclasses.replace(portfolio.projects["A"], cards=portfolio.projects["A"].cards[:2])
    again = Dossier({**portfolio.projects, "A": edited}, portfolio.glossary, portfolio.sources)
    assert portfolio_metrics(again, TODAY, measure=measurer(TODAY, memo=memo)) == portfolio_metrics(again, TODAY)
    assert memo.hits == 2


def test_the_org_series_sums_each_projects_latest_counts_at_every_date() -> None:
    """``_org_series`` keeps its sums as the projects' counts change (linear in the cards); checked
    against summing every project's latest counts afresh at each date."""
    import random

    from mltrl_docs.metrics import VerifiedPoint, _org_series

    rng = random.Random(3)
    start = dt.date(2024, 1, 1)
    series = [(f"P{p}", tuple(VerifiedPoint(start + dt.timedelta(days=rng.randint(0, 40)), v, v + rng.randint(0, 3), 1)
                              for v in sorted(rng.randint(0, 6) for _ in range(rng.randint(1, 6)))))
              for p in range(12)]
    series = [(pid, tuple(sorted(points, key=lambda point: point.date))) for pid, points in series]
    expected = []
    for date in sorted({point.date for _, points in series for point in points}):
        latest = {}
        for pid, points in sorted(series):
            for point in points:  # the project's last card on or before the date, in the order given
                if point.date <= date:
                    latest[pid] = point
        expected.append(VerifiedPoint(date, sum(p.verified for p in latest.values()),
                                      sum(p.listed for p in latest.values()), len(latest)))
    assert _org_series(series) == tuple(expected)
