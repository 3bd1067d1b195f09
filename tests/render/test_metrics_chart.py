"""Geometry of the requirements-over-time chart: every mark inside the plot area, round
count ticks, a date scale for short and long histories, and nothing to draw when empty."""

from __future__ import annotations

import datetime as dt

from mltrl_docs.metrics import VerifiedPoint
from mltrl_docs.render.metrics_chart import HEIGHT, WIDTH, metrics_chart

TODAY = dt.date(2021, 12, 31)
SERIES = (
    VerifiedPoint(dt.date(2020, 1, 1), 1, 2, 1),
    VerifiedPoint(dt.date(2020, 3, 1), 1, 6, 2),
    VerifiedPoint(dt.date(2020, 7, 1), 2, 7, 2),
    VerifiedPoint(dt.date(2021, 3, 1), 6, 8, 3),
)


def test_vertices_inside_the_plot_area_and_in_date_order() -> None:
    chart = metrics_chart(SERIES, TODAY)
    assert 0 < chart.x0 < chart.x1 < WIDTH and 0 < chart.y1 < chart.y0 < HEIGHT
    assert [v.point for v in chart.vertices] == list(SERIES)
    for v in chart.vertices:
        assert chart.x0 <= v.x <= chart.x1
        assert chart.y1 <= v.listed_y <= chart.y0 and chart.y1 <= v.verified_y <= chart.y0
        assert v.verified_y >= v.listed_y  # never more verified than listed: never above it
    xs = [v.x for v in chart.vertices]
    assert xs == sorted(xs) and xs[0] == chart.x0 and xs[-1] < chart.x1  # today is after the last card
    assert (chart.start, chart.end) == (dt.date(2020, 1, 1), TODAY)


def test_step_paths_hold_each_value_to_the_next_date_and_end_at_today() -> None:
    chart = metrics_chart(SERIES, TODAY)
    first, *rest = chart.vertices
    assert chart.verified.startswith(f"M{first.x} {first.verified_y} ")
    assert all(f"H{v.x} V{v.verified_y}" in chart.verified for v in rest)
    assert all(f"H{v.x} V{v.listed_y}" in chart.listed for v in rest)
    assert chart.verified.endswith(f"H{chart.x1}") and chart.listed.endswith(f"H{chart.x1}")


def test_count_ticks_are_round_and_reach_the_highest_count() -> None:
    chart = metrics_chart(SERIES, TODAY)
    # 8 listed at most: steps of 2 keep to 5 intervals.
    assert [t.label for t in chart.y_ticks] == ["0", "2", "4", "6", "8"]
    assert chart.y_ticks[0].position == chart.y0 and chart.y_ticks[-1].position == chart.y1
    big = metrics_chart([VerifiedPoint(dt.date(2020, 1, 1), 130, 1234)], TODAY)
    assert [t.label for t in big.y_ticks] == ["0", "500", "1000", "1500"]
    assert all(big.y1 <= t.position <= big.y0 for t in big.y_ticks)


def test_date_labels_months_for_a_short_history_years_for_a_long_one() -> None:
    short = metrics_chart(SERIES, TODAY)  # 2020-01-01 to 2021-12-31: only one new year in it
    assert [t.label for t in short.x_ticks][:3] == ["2020-02", "2020-04", "2020-06"]
    assert len(short.x_ticks) == 12 and short.x_ticks[-1].label == "2021-12"
    long = metrics_chart([VerifiedPoint(dt.date(2015, 6, 1), 0, 1)], dt.date(2024, 6, 1))
    assert [t.label for t in long.x_ticks] == [str(y) for y in range(2016, 2025)]
    for chart in (short, long):
        assert all(chart.x0 <= t.position <= chart.x1 for t in chart.x_ticks)


def test_dates_at_the_ends_of_the_calendar_draw_inside_the_area() -> None:
    chart = metrics_chart([VerifiedPoint(dt.date.min, 0, 3), VerifiedPoint(dt.date.max, 3, 3)], dt.date(2024, 1, 1))
    assert 1 <= len(chart.x_ticks) <= 12 and all(chart.x0 <= t.position <= chart.x1 for t in chart.x_ticks)
    assert [v.x for v in chart.vertices] == [chart.x0, chart.x1]
    december = metrics_chart([VerifiedPoint(dt.date(9999, 12, 1), 0, 1)], dt.date.max)
    assert [(t.position, t.label) for t in december.x_ticks] == [(december.x0, "9999-12-01"),
                                                                  (december.x1, "9999-12-31")]


def test_a_single_card_on_the_build_date() -> None:
    chart = metrics_chart([VerifiedPoint(TODAY, 0, 0)], TODAY)
    [vertex] = chart.vertices
    assert vertex.x == chart.x0 and vertex.listed_y == vertex.verified_y == chart.y0
    assert [t.label for t in chart.x_ticks] == ["2021-12-31"]
    assert [t.label for t in chart.y_ticks] == ["0", "1"]


def test_an_empty_portfolio_has_nothing_to_draw() -> None:
    chart = metrics_chart((), TODAY)
    assert chart.empty and chart.vertices == () and chart.verified == chart.listed == ""
    assert chart.x_ticks == () and chart.start is None and chart.end is None
    assert [t.label for t in chart.y_ticks] == ["0", "1"]
