"""Timeline geometry: one point per card, steps up and down, time at each level."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from mltrl_docs.dossier import build_dossier
from mltrl_docs.render.timeline import HEIGHT, LEFT, WIDTH, timeline


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
