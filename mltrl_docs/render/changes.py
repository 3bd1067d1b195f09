"""What changed since the last approved card, as pages show it: a card's change from its
project's previous approved card (``changes.CardChange``) and the 'What changed' list
(``changes.ChangeReport.since``), said in the site's language once, here, so that templates
only place it.

The analysis is ``mltrl_docs.changes``'; this module adds the words: a criterion's measured
value and verdict in the site's language (``render.acceptance``), a section's diff cut into
lines that say whether they were added, removed or kept (a sign and a class, never colour
alone), the text before a body's first heading named, and since when the list runs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import NamedTuple

from mltrl_docs.changes import (
    DEFAULT_DAYS,
    AcceptanceChange,
    CardChange,
    Changed,
    ChangeEntry,
    ChangeKind,
    ChangeReport,
    Fallback,
    RequirementChange,
    SectionDiff,
    Since,
    SinceSetting,
)
from mltrl_docs.dossier import CheckedDossier
from mltrl_docs.evidence import AcceptanceResult, Verdict, number_text
from mltrl_docs.frontmatter import isolated
from mltrl_docs.memo import Memo
from mltrl_docs.messages import Messages, english, value_key
from mltrl_docs.model import Acceptance, Card, Project
from mltrl_docs.provenance import ProvenanceReport
from mltrl_docs.render.acceptance import counts_text, unbroken
from mltrl_docs.render.transitions import move

SECTION_ANCHOR = "changes-since-approved"
DETAILED_ENTRIES = 200
"""The 'What changed' page details its newest entries up to this many; older ones say how much
changed in one line and link to their card page, where the whole change is: a page listing
thousands of changes stays quick to build and to read."""
"""The id of the card page's section: pages that show a change compactly link to it."""


class LineKind(StrEnum):
    HUNK = "hunk"
    """``@@ -a,b +c,d @@``: where the lines below are in the section before and after."""
    ADDED = "added"
    REMOVED = "removed"
    CONTEXT = "context"
    """Unchanged, shown around a change."""


class DiffLine(NamedTuple):
    """One line of a section's diff: its sign, kept apart from the card's own text. A tuple: card
    pages print tens of thousands of lines, and the template unpacks each rather than looking up
    its three attributes one by one."""

    kind: LineKind
    sign: str
    """``+``, ``-``, a space (context) or ``@@`` (a hunk header, whose ``text`` is its ranges)."""
    text: str


@dataclass(frozen=True, slots=True)
class SectionChange:
    """A body section added, removed or changed, with its diff as lines."""

    diff: SectionDiff
    title: str
    """The heading, or (the text before the first heading) ``changes.section.lead`` in the site's language."""
    size: str
    """The lines added and removed, in words (``lines_text``)."""

    @property
    def kind(self) -> ChangeKind:
        return self.diff.kind

    @property
    def lines(self) -> tuple[DiffLine, ...]:
        """The diff's lines, each with its sign apart: made when a page shows them, not kept with
        every card's context until its page is rendered (a third of a 1,000-card build's contexts)."""
        return tuple(diff_lines(self.diff.lines))


@dataclass(frozen=True, slots=True)
class CriterionChange:
    """An acceptance criterion added, removed, or with its threshold, evidence or result changed."""

    change: AcceptanceChange
    metric: str
    slice: str | None
    threshold: Changed[str] | None
    """What it asks (``>= 0.7``; empty: every selected test passes, or nothing), before and after, when that changed."""
    measured: Changed[str] | None
    """What the evidence shows (``0.73``, ``4 passed``, ``not read``: in the site's language; empty: not judged)."""
    verdict: Changed[Verdict | None] | None
    """Met, missed or not judged (``unknown``), before and after (None: no such criterion then)."""
    evidence: Changed[str] | None
    """The evidence file as the card names it, when it changed (empty: none)."""
    said: str
    """For an added or removed criterion, its line as it stands ("criterion added: F1, needs >= 0.7,
    measured 0.73"), in the site's language, said once; empty for a changed one (its pairs say it)."""

    @property
    def kind(self) -> ChangeKind:
        return self.change.kind

    @property
    def result(self) -> Verdict | None:
        """The verdict as it stands (on the card; on the baseline for a removed criterion)."""
        if self.verdict is not None:
            return self.verdict.after if self.change.after is not None else self.verdict.before
        return _verdict(self.change.after_result or self.change.before_result)


@dataclass(frozen=True, slots=True)
class RequirementChangeView:
    """One requirement added, removed, or changed, with its criteria's changes in words."""

    change: RequirementChange
    criteria: tuple[CriterionChange, ...]

    @property
    def kind(self) -> ChangeKind:
        return self.change.kind


@dataclass(frozen=True, slots=True)
class Counts:
    """How much changed, for a summary line."""

    requirements_added: int
    requirements_removed: int
    requirements_changed: int
    sections: int
    """Body sections added, removed or changed."""
    lines_added: int
    lines_removed: int
    reviewers: int


@dataclass(frozen=True, slots=True)
class Fact:
    """A card-wide value that changed (level, status, versions), said once: pages list it as
    "label: before → after" wherever the change is shown."""

    label: str
    text: str


@dataclass(frozen=True, slots=True)
class ChangeView:
    """A card against its project's previous approved card, in words (``change.baseline`` None:
    there is none, so everything on the card is new)."""

    change: CardChange
    requirements: tuple[RequirementChangeView, ...]
    sections: tuple[SectionChange, ...]
    counts: Counts
    summary: str
    """``counts`` in one line of the site's language (``summary_text``), said once for the card page,
    the dossier, the packet and the 'What changed' page; empty when nothing is counted."""
    facts: tuple[Fact, ...]
    """Level, status and versions before and after, those that changed (``facts_of``), said once for
    the same pages: the 'What changed' page of a large portfolio lists thousands."""

    @property
    def card(self) -> Card:
        return self.change.card

    @property
    def baseline(self) -> Card | None:
        return self.change.baseline

    @property
    def empty(self) -> bool:
        return self.change.empty


class EntryKind(StrEnum):
    NEW = "new"
    """The card is dated on or after the day the list starts: a new card."""
    COMMITTED = "committed"
    """An older card that a commit changed since then."""
    LOCAL = "local"
    """An older card with changes not committed yet."""
    EDITED = "edited"
    """An older card changed since then, by no one commit git names (since a git ref: a later commit)."""


@dataclass(frozen=True, slots=True)
class EntryView:
    """One row of the 'What changed' page: a card that changed since the day the list starts."""

    entry: ChangeEntry
    view: ChangeView
    kind: EntryKind
    said: str
    """The kind of change in words: ``new card: advanced from level 4 to 5``, ``changed in commit 1a2b3c4``."""
    detailed: bool = True
    """The page details this change (one of the newest ``DETAILED_ENTRIES``); else it says how much changed."""

    @property
    def project(self) -> Project:
        return self.entry.project

    @property
    def card(self) -> Card:
        return self.entry.card

    @property
    def team(self) -> str | None:
        """The card's team, else its project's current card's."""
        current = self.entry.project.current
        return self.entry.card.team or (current.team if current is not None else None)


@dataclass(frozen=True, slots=True)
class Note:
    """Something the list of changes could not see, or why it does not start where the setting says:
    a message (``changes.unseen.*``, ``changes.fallback.*``) and its values, which the page fills in
    (its dates kept whole on one line)."""

    key: str
    date: dt.date | None = None
    since: dt.date | None = None
    value: str = ""
    days: int = 0


@dataclass(frozen=True, slots=True)
class SinceShown:
    """Since when the 'What changed' page lists changes, and what it could not see."""

    since: Since
    today: dt.date
    """The build date (a number of days counts back from it)."""
    notes: tuple[Note, ...] = ()

    @property
    def kind(self) -> str:
        """How it was given, naming its message ``changes.since.<kind>``: ``ref``, ``days`` or ``date``."""
        return "ref" if self.since.ref is not None else "days" if self.since.days is not None else "date"

    @property
    def commits(self) -> str:
        """The short hashes of the commits a git ref names (one per repository it is in)."""
        return ", ".join(dict.fromkeys(c.short for c in self.since.commits.values()))


def change_view(change: CardChange, messages: Messages | None = None) -> ChangeView:
    """``change`` said in the site's ``messages`` (default: English)."""
    m = messages or english()
    requirements = tuple(RequirementChangeView(r, tuple(_criterion(a, m) for a in r.acceptance))
                         for r in change.requirements)
    sections = tuple(SectionChange(d, d.title or m.text("changes.section.lead"), lines_text(d.added, d.removed, m))
                     for d in change.sections)
    counts = Counts(
        sum(r.kind is ChangeKind.ADDED for r in change.requirements),
        sum(r.kind is ChangeKind.REMOVED for r in change.requirements),
        sum(r.kind is ChangeKind.CHANGED for r in change.requirements),
        len(change.sections), sum(d.added for d in change.sections), sum(d.removed for d in change.sections),
        len(change.reviewers))
    return ChangeView(change, requirements, sections, counts, summary_text(counts, m), facts_of(change, m))


def facts_of(change: CardChange, messages: Messages) -> tuple[Fact, ...]:
    """The card-wide values that changed, in words: "Level: L1 → L2", "Status: approved → in-review",
    "Versions: code 1.0.0 → 1.1.0; model none → 0.1.0" (a version's change kept on one line)."""
    none = messages.text("changes.none")
    facts: list[Fact] = []
    if change.level:
        before = none if change.level.before is None else f"L{change.level.before}"
        facts.append(Fact(messages.text("changes.field.level"), f"{before} → L{change.level.after}"))
    if change.status:
        before, after = (none if s is None else messages.text(value_key(s))
                         for s in (change.status.before, change.status.after))
        facts.append(Fact(messages.text("changes.field.status"), f"{before} → {after}"))
    if change.versions:
        facts.append(Fact(messages.text("changes.field.versions"), "; ".join(
            messages.text(f"changes.version.{v.name}") + " "
            + unbroken(f"{isolated(v.before) if v.before else none} → {isolated(v.after) if v.after else none}")
            for v in change.versions)))
    return tuple(facts)


def summary_text(counts: Counts, messages: Messages) -> str:
    """How much changed, in one line: "2 requirements added · 5 body sections changed (40 lines
    added, 31 removed)"; only the counts that are not zero, in this order."""
    parts = [messages.plural(f"changes.count.{name}", number)
             for name in _COUNTED if (number := getattr(counts, name))]
    if counts.sections:
        parts.append(messages.plural("changes.count.sections", counts.sections) + " (" + lines_text(
            counts.lines_added, counts.lines_removed, messages) + ")")
    return " · ".join(parts)


def lines_text(added: int, removed: int, messages: Messages) -> str:
    """ "40 lines added, 31 removed": a diff's size in the site's language."""
    return messages.text("changes.lines", added=messages.plural("changes.lines.added", added),
                         removed=messages.plural("changes.lines.removed", removed))


_COUNTED = ("requirements_added", "requirements_removed", "requirements_changed", "reviewers")
"""The counts the summary line names by a number alone, in its order (body sections follow, with their lines)."""


def diff_lines(lines: Iterable[str]) -> Iterable[DiffLine]:
    """A unified diff's lines (``SectionDiff.lines``), each with its sign apart from its text."""
    for line in lines:
        if line.startswith("@@"):
            yield DiffLine(LineKind.HUNK, "@@", line[2:])
        elif line.startswith("+"):
            yield DiffLine(LineKind.ADDED, "+", line[1:])
        elif line.startswith("-"):
            yield DiffLine(LineKind.REMOVED, "-", line[1:])
        else:
            yield DiffLine(LineKind.CONTEXT, " ", line[1:])


def _verdict(result: AcceptanceResult | None) -> Verdict | None:
    if result is None:
        return None
    return Verdict.UNKNOWN if result.passed is None else Verdict.PASSED if result.passed else Verdict.FAILED


def _threshold(criterion: Acceptance | None) -> str:
    if criterion is None or criterion.tests or criterion.op is None or criterion.value is None:
        return ""
    unit = f" {criterion.unit}" if criterion.unit else ""
    return f"{criterion.op.value} {number_text(criterion.value)}{unit}"


def _measured(result: AcceptanceResult | None, messages: Messages) -> str:
    if result is None:
        return ""
    unit = f" {result.criterion.unit}" if result.criterion.unit else ""
    if result.counts is not None:
        return counts_text(result.counts, messages)
    if result.measured is not None:
        return number_text(result.measured) + unit
    return messages.text("acceptance.measured.not_read")


def _pair(before: str, after: str) -> Changed[str] | None:
    return None if before == after else Changed(before, after)


def _criterion(change: AcceptanceChange, messages: Messages) -> CriterionChange:
    criterion = change.after or change.before
    assert criterion is not None
    before_verdict, after_verdict = _verdict(change.before_result), _verdict(change.after_result)
    metric = criterion.metric or criterion.select or criterion.source.target
    shown = said = ""
    if change.kind is not ChangeKind.CHANGED:
        result = change.after_result or change.before_result
        threshold, measured = _threshold(criterion), _measured(result, messages)
        if criterion.tests:
            shown = messages.text("changes.criterion.tests", measured=measured or "-")
        elif threshold:
            shown = messages.text("changes.criterion.shown", threshold=threshold, measured=measured or "-")
        what = (messages.text("acceptance.metric_slice", metric=isolated(metric), slice=isolated(criterion.slice))
                if criterion.slice else isolated(metric))
        said = messages.text(f"changes.criterion.{change.kind.value}", metric=what, shown=shown)
    return CriterionChange(
        change, metric, criterion.slice,
        _pair(_threshold(change.before), _threshold(change.after)) if change.kind is ChangeKind.CHANGED else None,
        _pair(_measured(change.before_result, messages), _measured(change.after_result, messages))
        if change.kind is ChangeKind.CHANGED else None,
        None if before_verdict == after_verdict or change.kind is not ChangeKind.CHANGED
        else Changed(before_verdict, after_verdict),
        _pair(change.before.source.target if change.before else "", change.after.source.target if change.after else "")
        if change.kind is ChangeKind.CHANGED else None,
        said)


# --- the 'What changed' list -----------------------------------------------------------


def since_shown(since: Since, dossier: CheckedDossier, notes: Sequence[Note] = ()) -> SinceShown:
    """Since when the list runs, with ``notes`` and what the dossier's git history cannot show."""
    return SinceShown(since, dossier.today, (*notes, *unseen(since, dossier.provenance)))


def setting_shown(setting: SinceSetting, dossier: CheckedDossier) -> SinceShown:
    """``changes.since`` as resolved for a build (``changes.since_setting``): when the list does not start
    where the setting says, a note says why and where it starts instead."""
    notes: list[Note] = []
    if setting.fallback is Fallback.DEFAULT:
        notes.append(Note("changes.fallback.default", value=str(setting.value), days=DEFAULT_DAYS))
    elif setting.fallback is Fallback.HORIZON:
        notes.append(Note("changes.fallback.horizon", date=setting.since.date, value=str(setting.value)))
    return since_shown(setting.since, dossier, notes)


def unseen(since: Since, provenance: ProvenanceReport) -> tuple[Note, ...]:
    """What a list since ``since`` cannot see in git: without git, cards count by their dates only;
    in a shallow clone (or past ``provenance.max_commits``) whose history starts after the day, a
    card last changed before that start counts by its date only."""
    if not provenance.repositories:
        return (Note("changes.unseen.no_git"),)
    notes: list[Note] = []
    for repository in provenance.repositories:
        if not (repository.shallow or repository.truncated) or repository.horizon is None:
            continue
        horizon = repository.horizon.date()
        note = Note("changes.unseen.shallow" if repository.shallow else "changes.unseen.truncated", horizon, since.date)
        if horizon > since.date and note not in notes:
            notes.append(note)
    return tuple(notes)


class ChangeViews:
    """Each card's change in words, said once per build: its card page, its dossier page and the
    'What changed' page show the same ``ChangeView``."""

    def __init__(self, report: ChangeReport, messages: Messages | None = None,
                 kept: Memo[Path, ChangeView] | None = None) -> None:
        """``kept``: the views an earlier build said in the same ``messages`` (``mkdocs serve``),
        reused for a card whose change is the same (the report's ``kept`` hands back the object)."""
        self.report = report
        self.messages = messages or english()
        self.kept = kept
        self._views: dict[Path, ChangeView] = {}

    def of(self, card: Card) -> ChangeView:
        """``card`` against its project's previous approved card."""
        view = self._views.get(card.path)
        if view is None:
            change = self.report.of(card)
            view = (change_view(change, self.messages) if self.kept is None
                    else self.kept.get(card.path, (change,), lambda: change_view(change, self.messages)))
            self._views[card.path] = view
        return view

    def current(self, project: Project) -> ChangeView | None:
        """The project's current card's change (the dossier page's)."""
        return self.of(project.current) if project.current is not None else None


def entry_view(entry: ChangeEntry, since: Since, view: ChangeView, messages: Messages | None = None, *,
               detailed: bool = True) -> EntryView:
    """One card of the list, with the kind of its change in words (``view``: its change, said once for its pages)."""
    m = messages or english()
    card = entry.card
    if card.date >= since.date:
        kind = EntryKind.NEW
        said = m.text("changes.entry.new", move=move(card, card is entry.project.cards[0], m).text)
    elif entry.commit is not None:
        kind, said = EntryKind.COMMITTED, m.text("changes.entry.committed", sha=entry.commit.short)
    elif entry.when > card.date:
        kind, said = EntryKind.LOCAL, m.text("changes.entry.local")
    else:
        kind, said = EntryKind.EDITED, m.text("changes.entry.edited")
    return EntryView(entry, view, kind, said, detailed)


def entry_views(entries: Sequence[ChangeEntry], since: Since, views: ChangeViews) -> tuple[EntryView, ...]:
    """The list's rows, newest first (as ``entries`` are), the newest ``DETAILED_ENTRIES`` detailed."""
    return tuple(entry_view(entry, since, views.of(entry.card), views.messages, detailed=index < DETAILED_ENTRIES)
                 for index, entry in enumerate(entries))
