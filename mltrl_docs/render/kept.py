"""What ``site_pages`` keeps from one ``mkdocs serve`` build for the next.

After an edit to one card, most of what the pages' contexts are made of is what the last build
worked out from the same cards: each card's change from its baseline, that change in words, the
glossary terms each card's text uses (a scan of every card's text), and each project's metrics,
timeline, requirement matrix and moves between levels in words. ``Kept`` holds them
(``memo.Memo``), checks once per build that what they were said with (the messages, the
glossary) is still the same, and drops what a build no longer asks for.
"""

from __future__ import annotations

from pathlib import Path

from mltrl_docs.changes import CardChange
from mltrl_docs.glossary import Glossary
from mltrl_docs.memo import Memo
from mltrl_docs.messages import Messages
from mltrl_docs.metrics import ProjectMetrics
from mltrl_docs.render.autolink import ScopeMatchers
from mltrl_docs.render.changes import ChangeView
from mltrl_docs.render.matrix import RequirementMatrix
from mltrl_docs.render.timeline import Timeline
from mltrl_docs.render.transitions import Move


class Kept:
    """The plugin's, across the rebuilds of one ``mkdocs serve``."""

    def __init__(self) -> None:
        self.changes: Memo[Path, CardChange] = Memo()
        self.views: Memo[Path, ChangeView] = Memo()
        self.terms: Memo[Path, frozenset[str]] = Memo()
        """By card: the anchors of the glossary entries its text uses (anchors, not entries:
        each build makes its glossary's entries anew)."""
        self.metrics: Memo[str, ProjectMetrics | None] = Memo()
        """By project id: its metrics (``metrics.measurer``)."""
        self.timelines: Memo[str, Timeline] = Memo()
        """By project id: its timeline (labels in the messages: forgotten when they change)."""
        self.matrices: Memo[str, RequirementMatrix] = Memo()
        """By project id: its requirement matrix (from its cards and their evidence)."""
        self.moves: Memo[str, dict[Path, Move]] = Memo()
        """By project id: how it came to each card's level, in words (forgotten when they change)."""
        self._messages: Messages | None = None
        self._glossary: tuple[object, ...] | None = None
        self._matchers: ScopeMatchers | None = None

    def said_in(self, messages: Messages) -> None:
        """This build's messages: the views said in others are forgotten."""
        if self._messages is None or not (self._messages.language == messages.language
                                          and self._messages.table == messages.table):
            self.views.clear()
            self.timelines.clear()
            self.moves.clear()
        self._messages = messages

    def matchers(self, glossary: Glossary) -> ScopeMatchers:
        """The term matchers of ``glossary``: the last build's (their patterns compiled) while its
        entries are the same terms under the same anchors; else new ones, and the terms each card
        uses are found again."""
        signature = tuple((entry.anchor, entry.term, entry.builtin) for entry in glossary.entries)
        if self._matchers is None or signature != self._glossary:
            self._matchers, self._glossary = ScopeMatchers(glossary), signature
            self.terms.clear()
        return self._matchers

    def sweep(self) -> None:
        """End a build: forget the cards it did not show."""
        self.changes.sweep()
        self.views.sweep()
        self.terms.sweep()
        self.metrics.sweep()
        self.timelines.sweep()
        self.matrices.sweep()
        self.moves.sweep()
