"""Production and development lines: MLTRL's level 9 monitors one version and improves the next."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from mltrl_docs.body import read_body
from mltrl_docs.dossier import build_dossier
from mltrl_docs.levels import level
from mltrl_docs.model import Card, CardStatus, Production, ProductionChange, Versions
from mltrl_docs.production import Ending, ProductionLines, Tenure, production_lines

WriteCard = Callable[..., Path]
BODY = read_body("")


def card(number: int, date: str, model: str | None = None, production: Production | None = None) -> Card:
    """A card built without a file: level ``number`` entered on ``date``, running ``model``."""
    return Card(path=Path(f"/memory/cloud-mask/L{number}-{date}.md"), project_id="P04.3", title="Cloud mask",
                level=level(number), date=dt.date.fromisoformat(date), status=CardStatus.APPROVED,
                owners=("Yuki Tanaka",), body=BODY, versions=Versions(model=model), production=production)


def climb(numbers: range, year: int, model: str) -> list[Card]:
    """One card per level, one year apart from ``year`` on."""
    return [card(n, f"{year + i}-03-01", model) for i, n in enumerate(numbers)]


def test_a_project_never_at_level_9_has_no_production_line() -> None:
    cards = climb(range(2, 7), 2020, "0.1.0")
    lines = production_lines(cards)
    assert lines == ProductionLines((), cards[-1])
    assert lines.production is None and lines.development is cards[-1] and not lines.both
    assert all(lines.tenure_of(c) is None and lines.ended_at(c) is None for c in cards)
    assert lines.on(dt.date(2023, 1, 1)) is None
    assert production_lines([]) == ProductionLines()
    assert production_lines([]).development is None


def test_a_card_at_level_9_is_the_version_in_production_and_the_only_line() -> None:
    cards = climb(range(7, 10), 2020, "1.2.0")
    lines = production_lines(cards)
    running = lines.production
    assert running == Tenure(cards[-1]) and running.running and running.ending is Ending.RUNNING
    assert (running.since, running.until, running.versions.model) == (dt.date(2022, 3, 1), None, "1.2.0")
    assert lines.development is None and not lines.both
    assert lines.tenure_of(cards[-1]) is running and lines.tenure_of(cards[0]) is None


def test_after_9_to_4_the_version_in_production_runs_while_the_next_one_climbs() -> None:
    v1 = climb(range(7, 10), 2020, "1.2.0")            # 7, 8, 9 in 2020..2022
    switchback = card(4, "2023-03-01", "2.0.0")       # the predefined 9 -> 4
    v2 = [switchback, *climb(range(5, 9), 2024, "2.1.0")]  # 4 .. 8 in 2023..2027
    for index in range(len(v2)):
        lines = production_lines(v1 + v2[:index + 1])
        assert lines.production == Tenure(v1[-1]), f"v1 runs while v2 is at level {v2[index].level.number}"
        assert lines.development is v2[index] and lines.both
        assert lines.on(v2[index].date) == Tenure(v1[-1])
    released = card(9, "2028-03-01", "2.1.0")
    lines = production_lines(v1 + v2 + [released])
    assert lines.tenures == (Tenure(v1[-1], released), Tenure(released))
    old, new = lines.tenures
    assert (old.since, old.until, old.ending, old.reason) == (
        dt.date(2022, 3, 1), dt.date(2028, 3, 1), Ending.SUPERSEDED, None)
    assert lines.production is new and new.versions.model == "2.1.0"
    assert lines.development is None and not lines.both
    assert lines.ended_at(released) is old and lines.tenure_of(released) is new
    assert lines.on(dt.date(2028, 2, 28)) is old and lines.on(released.date) is new
    assert lines.on(dt.date(2022, 2, 28)) is None


@pytest.mark.parametrize(("change", "ending"), [
    (ProductionChange.RETIRED, Ending.RETIRED),
    (ProductionChange.REPLACED, Ending.REPLACED),
])
def test_a_later_card_retires_or_replaces_the_version_in_production(change: ProductionChange, ending: Ending) -> None:
    deployed = card(9, "2022-03-01", "1.2.0")
    switchback = card(4, "2023-03-01", "2.0.0")
    ended = card(5, "2024-03-01", "2.0.0", Production(change, "Customers moved to the vendor mask."))
    later = card(6, "2025-03-01", "2.0.0", Production(change, "Copied forward; nothing left to end."))
    lines = production_lines([deployed, switchback, ended, later])
    assert lines.tenures == (Tenure(deployed, ended),)
    tenure = lines.tenures[0]
    assert (tenure.ending, tenure.until, tenure.reason) == (ending, dt.date(2024, 3, 1),
                                                            "Customers moved to the vendor mask.")
    assert lines.production is None and lines.development is later and not lines.both
    assert lines.ended_at(ended) is tenure and lines.ended_at(later) is None
    assert lines.on(switchback.date) is tenure and lines.on(ended.date) is None


def test_a_production_change_with_nothing_in_production_ends_nothing() -> None:
    cards = [card(4, "2020-03-01"), card(5, "2021-03-01", production=Production(ProductionChange.RETIRED))]
    assert production_lines(cards) == ProductionLines((), cards[-1])


def test_a_level_9_card_that_records_its_own_retirement_leaves_nothing_in_production() -> None:
    """A card is updated until it is left: the level-9 card itself may say its version was retired."""
    before = card(9, "2020-03-01", "1.0.0")
    retired = card(9, "2023-01-09", "2.0.0", Production(ProductionChange.RETIRED, "Superseded by P07.2."))
    lines = production_lines([before, retired])
    assert lines.tenures == (Tenure(before, retired), Tenure(retired, retired))
    assert [t.ending for t in lines.tenures] == [Ending.SUPERSEDED, Ending.RETIRED]
    own = lines.tenures[1]
    assert (own.until, own.reason, own.running) == (None, "Superseded by P07.2.", False)
    assert lines.production is None and lines.development is None
    assert lines.tenure_of(retired) is own
    assert lines.on(retired.date) is own and lines.on(dt.date(2024, 1, 1)) is None


def test_cards_are_taken_in_date_order() -> None:
    deployed, switchback = card(9, "2022-03-01"), card(4, "2023-03-01")
    assert production_lines([switchback, deployed]) == production_lines([deployed, switchback])


def test_the_result_is_immutable() -> None:
    lines = production_lines([card(9, "2022-03-01")])
    with pytest.raises(dataclasses.FrozenInstanceError):
        lines.tenures = ()  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        lines.tenures[0].ended_by = None  # type: ignore[misc]


def test_lines_from_card_files(write_card: WriteCard, tmp_path: Path) -> None:
    """Real card files (format 1.1): v1 deployed, 9 -> 4 for v2, then v1 replaced by a vendor service."""
    write_card("src/cm/L8.md", project="P04.3", level=8, date="2022-11-21")
    write_card("src/cm/L9.md", project="P04.3", level=9, date="2023-03-06", transition={"from": 8, "kind": "advance"},
               versions={"code": "1.8.3", "model": "1.2.0", "data": "2.2.0"})
    write_card("src/cm/L4.md", project="P04.3", level=4, date="2025-09-08",
               transition={"from": 9, "kind": "switchback", "switchback": "embedded"}, versions={"model": "2.1.0"})
    write_card("src/cm/L5.md", mltrl="1.1", project="P04.3", level=5, date="2026-10-12",
               transition={"from": 4, "kind": "advance"},
               production={"change": "replaced", "reason": "The vendor mask replaced v1 for all customers."})
    dossier = build_dossier([tmp_path / "src"])
    assert not [f for f in dossier.findings if f.path.name.startswith("L")], dossier.findings
    cards = dossier.projects["P04.3"].cards
    lines = production_lines(cards)
    assert lines.tenures == (Tenure(cards[1], cards[3]),)
    assert lines.tenures[0].versions.model == "1.2.0" and lines.tenures[0].ending is Ending.REPLACED
    assert lines.tenures[0].reason == "The vendor mask replaced v1 for all customers."
    assert lines.production is None and lines.development is cards[3]
    # before the L5 card was written, v1 ran beside v2 at level 4
    before = production_lines(cards[:3])
    assert before.production == Tenure(cards[1]) and before.development is cards[2] and before.both
