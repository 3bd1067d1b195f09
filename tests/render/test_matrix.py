"""Requirement matrix marks and the risk grid."""

from __future__ import annotations

from pathlib import Path

from mltrl_docs.dossier import build_dossier
from mltrl_docs.render.matrix import requirement_matrix, risk_band, risk_matrix


def req(rid: str, status: str, text: str = "Shall.", kind: str = "research", **extra) -> dict:
    return {"id": rid, "kind": kind, "text": text, "verification": "test", "status": status, **extra}


def test_matrix_follows_ids_and_marks_changes(write_card, tmp_path: Path) -> None:
    write_card("src/p/a.md", level=2, date="2020-01-01",
               requirements=[req("1", "in-progress"), req("2", "not-started")])
    write_card("src/p/b.md", level=3, date="2021-01-01", transition={"from": 2, "kind": "advance"},
               requirements=[req("1", "verified", "Shall, reworded."), req("1.10", "in-progress"),
                             req("1.2", "verified"),
                             req("9", "not-started", kind="product", risk={"likelihood": 4, "impact": 4})])
    cards = build_dossier([tmp_path / "src"]).projects["C1"].cards
    matrix = requirement_matrix(cards)
    assert [r.id for r in matrix.research] == ["1", "1.2", "1.10", "2"]
    assert [r.id for r in matrix.product] == ["9"]
    one, _one_two, one_ten, two = matrix.research
    # The columns run newest first: the current card's status is the first a reviewer sees.
    assert [c.date.isoformat() for c in matrix.cards] == ["2021-01-01", "2020-01-01"]
    assert [(c.requirement.status.value if c.requirement else None, c.mark) for c in one.cells] == [
        ("verified", "changed"), ("in-progress", "")]
    assert one.latest.text == "Shall, reworded."
    assert [c.mark for c in one_ten.cells] == ["new", ""]
    assert (two.cells[0].requirement, two.cells[0].mark) == (None, "removed")

    grid = risk_matrix(cards[-1])
    assert [row[0].likelihood for row in grid] == [5, 4, 3, 2, 1]
    assert [r.id for r in grid[1][3].requirements] == ["9"] and grid[1][3].band == "critical"


def test_risk_bands() -> None:
    assert [risk_band(s) for s in (1, 4, 5, 9, 10, 14, 15, 25)] == [
        "low", "low", "medium", "medium", "high", "high", "critical", "critical"]



def test_requirements_of_the_version_in_production_are_not_removed_while_it_runs(write_card, tmp_path: Path) -> None:
    """cloud-mask: v1's product requirements stay with v1 in production while v2 climbs after 9 -> 4."""
    product = [req("5", "verified", "Publish a mask per tile.", kind="product"),
               req("6", "verified", "Omission error at most 5%.", kind="product"),
               req("7", "verified", "Record the model version.", kind="product")]
    write_card("src/cm/L8.md", level=8, date="2022-11-21", requirements=[req("1", "verified"), *product])
    write_card("src/cm/L9.md", level=9, date="2023-03-06", transition={"from": 8, "kind": "advance"},
               requirements=product)
    write_card("src/cm/L4.md", level=4, date="2025-09-08",
               transition={"from": 9, "kind": "switchback", "switchback": "embedded"},
               requirements=[req("10", "verified", "Label thin cirrus.")])
    write_card("src/cm/L5.md", level=5, date="2026-10-12", transition={"from": 4, "kind": "advance"},
               requirements=[req("10", "verified", "Label thin cirrus."),
                             req("5", "in-progress", "Publish a mask per tile.", kind="product")])
    cards = build_dossier([tmp_path / "src"]).projects["C1"].cards
    l9 = cards[1]
    matrix = requirement_matrix(cards)
    rows = {row.id: row for row in (*matrix.research, *matrix.product)}

    assert matrix.cards == tuple(reversed(cards))

    def seen(rid: str) -> list[tuple[str | None, str]]:  # in date order, oldest card first
        return [(c.requirement.status.value if c.requirement else None, c.mark) for c in reversed(rows[rid].cells)]

    # v1's research requirement left before level 9: removed as before
    assert seen("1") == [("verified", ""), (None, "removed"), (None, ""), (None, "")]
    # v2 lists 5 again; 6 and 7 are carried by v1 in production, with v1's status
    assert seen("5") == [("verified", ""), ("verified", ""), ("verified", "production"), ("in-progress", "")]
    assert seen("6") == seen("7") == [("verified", ""), ("verified", ""), ("verified", "production"),
                                      ("verified", "production")]
    carried = rows["6"].cells[1]  # the L4 card's column: the second, newest first
    assert carried.production is l9 and carried.requirement is l9.requirements[1]
    assert "removed" not in {c.mark for row in matrix.product for c in row.cells}
    assert seen("10") == [(None, ""), (None, ""), ("verified", "new"), ("verified", "")]


def test_requirements_are_removed_once_the_version_leaves_production(write_card, tmp_path: Path) -> None:
    """When v2 reaches level 9 it replaces v1: what v2 does not list is removed there."""
    write_card("src/cm/L8.md", level=8, date="2022-01-01", requirements=[req("5", "verified", kind="product")])
    write_card("src/cm/L9.md", level=9, date="2023-01-01", transition={"from": 8, "kind": "advance"},
               requirements=[req("5", "verified", kind="product"), req("6", "verified", kind="product")])
    write_card("src/cm/L8b.md", level=8, date="2024-01-01", transition={"from": 9, "kind": "switchback",
                                                                         "switchback": "review"},
               requirements=[req("6", "in-progress", kind="product")])
    write_card("src/cm/L9b.md", level=9, date="2025-01-01", transition={"from": 8, "kind": "advance"},
               requirements=[req("6", "verified", kind="product")])
    cards = build_dossier([tmp_path / "src"]).projects["C1"].cards
    five = requirement_matrix(cards).product[0]
    assert five.id == "5"
    assert [(c.requirement is not None, c.mark) for c in five.cells] == [
        (False, "removed"), (True, "production"), (True, ""), (True, "")]


def test_a_retired_version_carries_nothing(write_card, tmp_path: Path) -> None:
    write_card("src/cm/L8.md", level=8, date="2022-01-01", requirements=[req("5", "verified", kind="product")])
    write_card("src/cm/L9.md", level=9, date="2023-01-01", transition={"from": 8, "kind": "advance"},
               requirements=[req("5", "verified", kind="product")])
    write_card("src/cm/L4.md", level=4, date="2024-01-01", transition={"from": 9, "kind": "switchback",
                                                                        "switchback": "embedded"})
    write_card("src/cm/L5.md", mltrl="1.1", level=5, date="2025-01-01", transition={"from": 4, "kind": "advance"},
               production={"change": "retired", "reason": "Customers moved to v2 previews."})
    cards = build_dossier([tmp_path / "src"]).projects["C1"].cards
    assert [c.mark for c in requirement_matrix(cards).product[0].cells] == ["removed", "production", "", ""]
