"""render/kept.py: what site_pages keeps between serve rebuilds is dropped when the messages or
the glossary it was worked out with change."""

from __future__ import annotations

from pathlib import Path

import pytest

from mltrl_docs.glossary import build_glossary, builtin_terms
from mltrl_docs.messages import load_messages
from mltrl_docs.render.kept import Kept

CARD = Path("p/L2.md")
"""A card's key (what is kept for it does not matter here)."""


@pytest.mark.parametrize("said", ["views", "timelines", "moves"])
def test_what_is_said_in_words_is_kept_while_the_messages_say_the_same_and_dropped_when_they_do_not(
        said: str) -> None:
    kept = Kept()
    memo = getattr(kept, said)
    key = CARD if said == "views" else "P1"
    english, _ = load_messages("en")
    kept.said_in(english)
    memo.get(key, (), lambda: "view")
    again, _ = load_messages("en")  # a new object (each build loads them), the same words
    kept.said_in(again)
    assert memo.get(key, (), lambda: "other") == "view"
    relabelled, _ = load_messages("en", {"timeline.step.advance": "step up"})
    kept.said_in(relabelled)
    assert memo.get(key, (), lambda: "other") == "other"
    german, _ = load_messages("de")
    kept.said_in(german)
    assert memo.get(key, (), lambda: "third") == "third"


def test_a_projects_matrix_is_kept_whatever_the_words() -> None:
    kept = Kept()
    english, _ = load_messages("en")
    kept.said_in(english)
    kept.matrices.get("P1", (), lambda: "matrix")
    german, _ = load_messages("de")
    kept.said_in(german)  # the matrix holds no words
    assert kept.matrices.get("P1", (), lambda: "other") == "matrix"
    kept.sweep()
    kept.sweep()  # a build that did not ask for it
    assert kept.matrices.get("P1", (), lambda: "again") == "again"


def test_the_matchers_are_kept_while_the_glossary_holds_the_same_terms() -> None:
    kept = Kept()
    first, _ = build_glossary([], {})
    matchers = kept.matchers(first)
    kept.terms.get(CARD, (), lambda: frozenset({"anchor"}))
    rebuilt, _ = build_glossary([], {})  # a new glossary object of the same (built-in) terms
    assert kept.matchers(rebuilt) is matchers
    assert kept.terms.get(CARD, (), lambda: frozenset()) == {"anchor"}
    term = builtin_terms()[0]
    fewer, _ = build_glossary([], {"P1": [term]})  # a project's own glossary: another scope, other anchors
    assert kept.matchers(fewer) is not matchers
    assert kept.terms.get(CARD, (), lambda: frozenset()) == frozenset()
