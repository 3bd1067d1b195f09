"""How a project came to a card's level, said once for every page that says it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from mltrl_docs.dossier import build_dossier
from mltrl_docs.model import SwitchbackKind, Transition, TransitionKind
from mltrl_docs.render.feed import history
from mltrl_docs.render.transitions import move

ADVANCE, SWITCHBACK, REVIEW = TransitionKind.ADVANCE, TransitionKind.SWITCHBACK, SwitchbackKind.REVIEW


@pytest.mark.parametrize(("transition", "first", "kind", "text"), [
    (None, True, "entered", "entered MLTRL at level 6"),
    (Transition(None, ADVANCE), True, "entered", "entered MLTRL at level 6"),  # never "advance from LNone"
    (Transition(None, SWITCHBACK, REVIEW), True, "entered", "entered MLTRL at level 6"),
    (Transition(None, None, reason="Bought in."), True, "entered", "entered MLTRL at level 6"),
    (Transition(5, ADVANCE), False, "advance", "advanced from level 5 to 6"),
    (Transition(8, SWITCHBACK, REVIEW), False, "switchback", "review switchback from level 8 to 6"),
    (Transition(8, SWITCHBACK), False, "switchback", "switchback from level 8 to 6"),
    (Transition(None, ADVANCE), False, "advance", "advanced to level 6"),  # the rules report the missing 'from'
    (Transition(5, None), False, "move", "moved from level 5 to 6"),
    (None, False, "move", "moved to level 6"),
])
def test_each_transition_reads_as_one_phrase(write_card, tmp_path: Path, transition, first, kind, text) -> None:
    write_card("src/p/a.md", level=6, date="2024-01-01")
    card = replace(build_dossier([tmp_path / "src"]).projects["C1"].cards[0], transition=transition)
    assert (move(card, first).kind, move(card, first).text) == (kind, text)


def test_the_history_feed_says_a_project_entered_at_its_first_level(write_card, tmp_path: Path) -> None:
    write_card("src/p/a.md", level=6, date="2024-01-01", transition={"kind": "advance", "reason": "Bought in."})
    write_card("src/p/b.md", level=7, date="2024-06-01", transition={"from": 6, "kind": "advance"})
    events = history(build_dossier([tmp_path / "src"]).dossier)
    assert [(e.kind, e.summary) for e in events if e.kind != "review"] == [
        ("advance", "advanced from level 6 to 7"), ("entered", "entered MLTRL at level 6: Bought in.")]
