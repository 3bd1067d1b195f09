"""Requirement matrix marks and the risk grid."""

from __future__ import annotations

from pathlib import Path

from mltrl_docs.dossier import build_dossier
from mltrl_docs.render.matrix import requirement_matrix, risk_band, risk_matrix


def req(rid: str, status: str, text: str = "Shall.", kind: str = "research", **extra) -> dict:
    return {"id": rid, "kind": kind, "text": text, "verification": "test", "status": status, **extra}


def test_matrix_follows_ids_and_marks_changes(write_card, tmp_path: Path) -> None:
    write_card("src/p/a.md", level=2, date="2020-01-01", requirements=[req("1", "in-progress"), req("2", "not-started")])
    write_card("src/p/b.md", level=3, date="2021-01-01", transition={"from": 2, "kind": "advance"},
               requirements=[req("1", "verified", "Shall, reworded."), req("1.10", "in-progress"), req("1.2", "verified"),
                             req("9", "not-started", kind="product", risk={"likelihood": 4, "impact": 4})])
    cards = build_dossier([tmp_path / "src"]).projects["C1"].cards
    matrix = requirement_matrix(cards)
    assert [r.id for r in matrix.research] == ["1", "1.2", "1.10", "2"]
    assert [r.id for r in matrix.product] == ["9"]
    one, one_two, one_ten, two = matrix.research
    assert [(c.requirement.status.value if c.requirement else None, c.mark) for c in one.cells] == [
        ("in-progress", ""), ("verified", "changed")]
    assert one.latest.text == "Shall, reworded."
    assert [c.mark for c in one_ten.cells] == ["", "new"]
    assert [(c.requirement, c.mark) for c in two.cells][1] == (None, "removed")

    grid = risk_matrix(cards[-1])
    assert [row[0].likelihood for row in grid] == [5, 4, 3, 2, 1]
    assert [r.id for r in grid[1][3].requirements] == ["9"] and grid[1][3].band == "critical"


def test_risk_bands() -> None:
    assert [risk_band(s) for s in (1, 4, 5, 9, 10, 14, 15, 25)] == [
        "low", "low", "medium", "medium", "high", "high", "critical", "critical"]

