"""Timeline geometry: one point per card, steps up and down, time at each level."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace
from pathlib import Path

from conftest import REPO
from mltrl_docs.dossier import build_dossier, build_site
from mltrl_docs.levels import LEVELS
from mltrl_docs.model import Card, SwitchbackKind, Transition, TransitionKind
from mltrl_docs.render.timeline import HEIGHT, LABEL_GAP, LEFT, POINT_RADIUS, WIDTH, Box, Timeline, timeline
from mltrl_docs.settings import load_settings


def test_points_runs_and_steps(write_card, tmp_path: Path) -> None:
    write_card("src/p/a.md", level=2, date="2020-01-01")
    write_card("src/p/b.md", level=3, date="2020-07-01", transition={"from": 2, "kind": "advance"})
    write_card("src/p/c.md", level=2, date="2021-01-01",
               transition={"from": 3, "kind": "switchback", "switchback": "discovery", "reason": "r"})
    cards = build_dossier([tmp_path / "src"]).projects["C1"].cards
    t = timeline(cards, dt.date(2021, 12, 31))
    assert [p.card.level.number for p in t.points] == [2, 3, 2]
    assert [p.days for p in t.points] == [182, 184, 364]
    assert t.points[0].x == LEFT and all(0 <= p.x <= WIDTH and 0 <= p.y <= HEIGHT for p in t.points)
    assert t.points[1].y < t.points[0].y  # higher level, higher on the chart
    assert [(s.switchback, s.label) for s in t.steps] == [(False, "advance"), (True, "discovery switchback")]
    assert [tick.label for tick in t.ticks] == ["2021"]
    assert len(t.runs) == 3 and t.runs[-1].x2 > t.runs[-1].x1


def test_no_cards_no_points() -> None:
    t = timeline([], dt.date(2024, 1, 1))
    assert t.points == () and len(t.levels) == 10


def test_dates_at_the_ends_of_the_calendar_draw_without_overflow(write_card, tmp_path: Path) -> None:
    write_card("src/p/a.md", level=2, date="0001-01-01")
    write_card("src/p/b.md", level=3, date="9999-12-31", transition={"from": 2, "kind": "advance"})
    cards = build_dossier([tmp_path / "src"]).projects["C1"].cards
    t = timeline(cards, dt.date(9999, 12, 31))
    assert [p.days for p in t.points] == [(dt.date.max - dt.date.min).days, 0]
    assert 1 <= len(t.ticks) <= 12 and all(LEFT <= tick.x <= WIDTH for tick in t.ticks)


def _card(base: Card, level: int, date: dt.date, before: int | None, kind: str = "review") -> Card:
    """``base`` moved to ``level`` on ``date``: an advance from ``before``, or a switchback of ``kind``."""
    if before is None:
        return replace(base, level=LEVELS[level], date=date, transition=None)
    back = level < before
    return replace(base, level=LEVELS[level], date=date, transition=Transition(
        before, TransitionKind.SWITCHBACK if back else TransitionKind.ADVANCE, SwitchbackKind(kind) if back else None))


def _history(base: Card, seed: int) -> list[Card]:
    """A made-up history: up and down by one to three levels, some moves days apart."""
    rng = random.Random(seed)
    level, date = rng.randrange(10), dt.date(2015, 1, 1)
    cards = [_card(base, level, date, None)]
    for _ in range(rng.randrange(2, 12)):
        step = rng.choice([1, 1, 1, -1, -1, -2, -3, 2])
        after = min(max(level + step, 0), 9)
        if after == level:
            continue
        date += dt.timedelta(days=rng.choice([3, 10, 40, 120, 400]))
        cards.append(_card(base, after, date, level, rng.choice(["discovery", "review", "embedded"])))
        level = after
    return cards


def _clearance_problems(t: Timeline) -> list[str]:
    r = POINT_RADIUS
    points = [(p, Box(p.x - r, p.y - r, p.x + r, p.y + r)) for p in t.points]
    labels = [s.placed for s in t.steps if s.placed is not None]
    problems = [f"'{label.text}' at {label.x},{label.y} covers the point of {p.card.date}"
                for label in labels for p, box in points if label.box.overlaps(box)]
    problems += [f"'{label.text}' runs out of the chart" for label in labels
                 if label.box.x0 < LEFT or label.box.x1 > WIDTH or label.box.y0 < 0 or label.box.y1 > HEIGHT]
    return problems


def test_a_switchback_label_never_covers_a_point(write_card, tmp_path: Path) -> None:
    write_card("src/p/a.md", level=2, date="2020-01-01")
    base = build_dossier([tmp_path / "src"]).projects["C1"].cards[0]
    for seed in range(300):
        cards = _history(base, seed)
        for as_of in (cards[-1].date, cards[-1].date + dt.timedelta(days=3000)):
            t = timeline(cards, as_of)
            assert all(s.placed is not None for s in t.steps if s.switchback)
            assert _clearance_problems(t) == [], f"seed {seed}, as of {as_of}"


def test_the_examples_labels_sit_beside_their_steps_clear_of_points_labels_and_other_steps() -> None:
    """The issue's case: neuropath's "review switchback" covered the point of its next card."""
    settings, _ = load_settings(REPO / "site_example" / "mltrl-docs.yml")
    assert settings is not None
    for today in (dt.date(2026, 10, 12), dt.date(2026, 12, 1), dt.date(2028, 6, 1)):
        dossier = build_site(settings, today=today)
        for project in dossier.projects.values():
            t = timeline(project.cards, today)
            assert _clearance_problems(t) == [], project.id
            labelled = [s for s in t.steps if s.placed is not None]
            boxes = [s.placed.box for s in labelled if s.placed is not None]
            assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:]), project.id
            for s in labelled:
                assert s.placed is not None and abs(s.placed.x - s.x) == LABEL_GAP, project.id
                others = [o for o in t.steps if o is not s]
                assert not any(s.placed.box.overlaps(Box(o.x - 1, min(o.y1, o.y2), o.x + 1, max(o.y1, o.y2)))
                               for o in others), project.id


def test_the_current_level_counts_to_the_build_date_not_to_the_charts_end(write_card, tmp_path: Path) -> None:
    write_card("src/p/a.md", level=2, date="2020-01-01")
    write_card("src/p/b.md", level=3, date="2020-07-01", transition={"from": 2, "kind": "advance"})
    cards = build_dossier([tmp_path / "src"], today=dt.date(2020, 7, 11)).projects["C1"].cards
    assert [p.days for p in timeline(cards, dt.date(2020, 7, 11)).points] == [182, 10]
    # The chart still leaves room after the newest card, and a card dated after the build
    # date has been there 0 days (the rules report it).
    t = timeline(cards, dt.date(2020, 6, 1))
    assert [p.days for p in t.points] == [182, 0] and t.points[-1].x < WIDTH - 40
