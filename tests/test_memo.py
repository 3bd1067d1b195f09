"""memo.py: a result is reused while its inputs are the same objects or equal, and forgotten when
a build no longer asks for it."""

from __future__ import annotations

from mltrl_docs.memo import Memo


class Thing:
    """Compared by identity, as cards are."""


def test_a_result_is_reused_while_its_inputs_are_the_same_and_worked_out_again_when_one_is_not() -> None:
    memo: Memo[str, list[str]] = Memo()
    calls: list[str] = []
    thing = Thing()

    def work() -> list[str]:
        calls.append("worked")
        return ["result"]

    first = memo.get("a", (thing, (1, 2)), work)
    assert memo.get("a", (thing, (1, 2)), work) is first  # the same object, and an equal tuple
    assert calls == ["worked"] and memo.hits == 1
    assert memo.get("a", (Thing(), (1, 2)), work) is not first  # another object that is not equal
    assert memo.get("a", (thing, (1, 3)), work) is not first
    assert memo.get("a", (thing,), work) is not first  # fewer inputs
    assert len(calls) == 4


def test_a_build_that_does_not_ask_for_a_key_drops_it_and_clear_drops_all() -> None:
    memo: Memo[str, int] = Memo()
    counter = iter(range(100))
    memo.get("kept", (), lambda: next(counter))
    memo.get("dropped", (), lambda: next(counter))
    memo.sweep()
    assert memo.hits == 0
    assert memo.get("kept", (), lambda: next(counter)) == 0  # asked in the next build: still there
    memo.sweep()  # "dropped" was not asked for in that build
    assert memo.get("dropped", (), lambda: next(counter)) == 2
    memo.clear()
    assert memo.get("kept", (), lambda: next(counter)) == 3
