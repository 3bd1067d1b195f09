"""Results one build worked out, kept for the next (``mkdocs serve``), each with its inputs.

A ``serve`` rebuild after one edit sees the same cards as the build before it, as the very
same objects (``FileCache`` hands back an unchanged file's reading), so what was worked out
from them (a card's change from its baseline, the glossary terms its text uses) can be handed
back instead of being worked out again. A ``Memo`` keeps each result with the inputs it came
from and hands it back while every input is the same object, or equal to it; entries a build
did not ask for are dropped when it ends (``sweep``), so memory follows the dossier, not the
number of edits, as ``FileCache`` does for files.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Memo(Generic[K, V]):
    """Results by key, each reused while its inputs are the same."""

    def __init__(self) -> None:
        self._kept: dict[K, tuple[tuple[object, ...], V]] = {}
        self._used: set[K] = set()
        self.hits = 0
        """How many results this build reused (for the tests)."""

    def get(self, key: K, inputs: tuple[object, ...], work: Callable[[], V]) -> V:
        """``work()``, or the result kept under ``key`` when it came from the same ``inputs``:
        each the same object or an equal one (objects compared by identity, as cards are, must
        be the very same)."""
        self._used.add(key)
        kept = self._kept.get(key)
        if kept is not None and _same(kept[0], inputs):
            self.hits += 1
            return kept[1]
        value = work()
        self._kept[key] = (inputs, value)
        return value

    def clear(self) -> None:
        """Forget everything: what the results were worked out with changed as a whole."""
        self._kept.clear()

    def sweep(self) -> None:
        """End a build: forget the keys it did not ask for, and reset the count."""
        for key in self._kept.keys() - self._used:
            del self._kept[key]
        self._used.clear()
        self.hits = 0


def _same(kept: tuple[object, ...], inputs: tuple[object, ...]) -> bool:
    return len(kept) == len(inputs) and all(a is b or a == b for a, b in zip(kept, inputs, strict=True))


def recall(memo: Memo[K, V] | None, key: K, inputs: tuple[object, ...], work: Callable[[], V]) -> V:
    """``memo.get(key, inputs, work)``; without a memo (a single build, nothing to reuse), ``work()``."""
    return work() if memo is None else memo.get(key, inputs, work)
