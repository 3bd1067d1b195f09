"""What changed: every card against its project's previous approved card, and the cards that
changed since a day or a git ref (issue 12). Part of the analysis layer: it reads a
``CheckedDossier`` (the model, the gate report's approvals, the evidence report and, when it
was read, the provenance from git), renders nothing and never imports MkDocs. The card and
dossier pages, the 'What changed' page and ``mltrl-docs diff`` all read ``ChangeReport``.

Readings chosen here:

* A card's **baseline** is the latest earlier card of its project whose approval holds
  (``GateReport.approved``: status approved, and the review recorded on it backs it). An
  approved card whose review does not hold is no baseline; the approved card before it is.
* A card with no such earlier card has **no baseline** ("first approved baseline: none"): it is
  compared with nothing, so everything on it is new: every requirement, reviewer and section
  added, every version set, the level and status from none.
* Requirements are matched by id (of a duplicated id, the n-th with the n-th), reviewers by
  name (ignoring case and spacing), sections by heading (matched as the ``sections`` rule
  does, the n-th of a repeated heading with the n-th) and acceptance criteria by what they
  measure (kind, metric or else selector, and slice), whichever file holds the evidence. A
  requirement's text counts as reworded when it differs beyond spacing. Acceptance results
  are those of the evidence report: each criterion judged against its file as it is now.
* Each section is diffed on its own lines, from its heading to the next heading of any depth
  (a sub-heading is a section of its own); the text before the first heading (the TL;DR lead)
  is a section with an empty title. Blank lines at either end of a section do not count.
* Line diffs are ``difflib``'s over whole lines. Their cost is bounded: a card is at most the
  loader's ``limits.file_bytes`` (1 MiB by default), a section longer than ``MAX_DIFF_LINES``
  lines on either side is counted as replaced whole instead of diffed, and at most
  ``MAX_SHOWN_LINES`` lines of each diff are kept (the counts cover all of it).
* A card **changed since** a day when its date, or its last change by git (the provenance,
  when it was read), is on or after that day; since a git ref, the day is the ref's commit's,
  and a card whose file a later commit changed (or that has changes not committed yet) counts
  too. Only the card's own file counts: evidence that changed shows as changed acceptance
  results of the cards that cite it, and as ``suspect-evidence``.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Generic, TypeVar

from mltrl_docs.body import Body
from mltrl_docs.dossier import CheckedDossier
from mltrl_docs.evidence import AcceptanceResult, EvidenceReport
from mltrl_docs.findings import Finding, Severity
from mltrl_docs.gates.history import last_change
from mltrl_docs.gates.locate import key_of
from mltrl_docs.memo import Memo
from mltrl_docs.model import (
    Acceptance,
    Card,
    CardStatus,
    Decision,
    Project,
    Requirement,
    RequirementStatus,
    Review,
    Risk,
)
from mltrl_docs.provenance import Commit, ProvenanceReport
from mltrl_docs.provenance.git import git
from mltrl_docs.settings import Settings

T = TypeVar("T")

MAX_DIFF_LINES = 2000
"""Lines of one section (either side) beyond which it is counted as replaced whole, not diffed."""
MAX_SHOWN_LINES = 200
"""Lines of one section's diff kept to show (headers, context and changes)."""
CONTEXT_LINES = 1
"""Unchanged lines shown around each change."""
DEFAULT_DAYS = 90
"""``changes.since`` by default: the cards changed in the 90 days before the build date."""
MAX_REF = 256
"""Characters of a git ref (the settings schema's bound)."""
REMEMBERED_DIFFS = 20_000
"""Pairs of bodies whose section diffs are remembered (``_section_diffs``): every card of a large
dossier with its baseline, and the last edits' versions of it."""


class SinceError(ValueError):
    """A ``since`` that names no day: a git ref that does not resolve, or text that is no date."""


class ChangeKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


@dataclass(frozen=True, slots=True)
class Changed(Generic[T]):
    """A value before (on the baseline) and after (on the card)."""

    before: T
    after: T


def _changed(before: T, after: T) -> Changed[T] | None:
    return None if before == after else Changed(before, after)


def _kind(before: object | None, after: object | None) -> ChangeKind:
    return ChangeKind.ADDED if before is None else ChangeKind.REMOVED if after is None else ChangeKind.CHANGED


def criterion_label(criterion: Acceptance) -> str:
    """How a criterion is named: its metric (or selector, or file), and its slice."""
    name = criterion.metric or criterion.select or criterion.source.target
    return name + (f" (slice {criterion.slice})" if criterion.slice else "")


def _threshold(criterion: Acceptance) -> str:
    if criterion.tests:
        return "every selected test passes"
    if criterion.op is None or criterion.value is None:
        return ""
    unit = f" {criterion.unit}" if criterion.unit else ""
    return f"{criterion.op.value} {criterion.value:g}{unit}"


@dataclass(frozen=True, slots=True)
class AcceptanceChange:
    """One acceptance criterion added, removed, or whose threshold or result changed."""

    before: Acceptance | None
    after: Acceptance | None
    before_result: AcceptanceResult | None = None
    """The baseline's criterion judged against its evidence (None: not judged)."""
    after_result: AcceptanceResult | None = None

    @property
    def kind(self) -> ChangeKind:
        return _kind(self.before, self.after)

    @property
    def label(self) -> str:
        criterion = self.after or self.before
        assert criterion is not None
        return criterion_label(criterion)

    @property
    def threshold(self) -> Changed[str | None] | None:
        """What the criterion asks ('>= 0.7'), when that changed."""
        return _changed(_threshold(self.before) if self.before else None,
                        _threshold(self.after) if self.after else None)

    @property
    def evidence(self) -> Changed[str | None] | None:
        """The evidence file as the card names it, when it changed."""
        return _changed(self.before.source.target if self.before else None,
                        self.after.source.target if self.after else None)

    @property
    def measured(self) -> Changed[str | None] | None:
        """What the evidence shows ('0.73', '12 passed, 1 failed', 'not read'), when it changed."""
        return _changed(self.before_result.shown if self.before_result else None,
                        self.after_result.shown if self.after_result else None)

    @property
    def passed(self) -> Changed[bool | None] | None:
        """Met (True), missed (False) or not judged (None), when that changed."""
        return _changed(self.before_result.passed if self.before_result else None,
                        self.after_result.passed if self.after_result else None)


@dataclass(frozen=True, slots=True)
class RequirementChange:
    """One requirement added, removed, or changed (text, status, risk, acceptance results)."""

    id: str
    before: Requirement | None
    after: Requirement | None
    acceptance: tuple[AcceptanceChange, ...] = ()
    """Its criteria that were added, removed or whose threshold or result changed."""

    @property
    def kind(self) -> ChangeKind:
        return _kind(self.before, self.after)

    @property
    def requirement(self) -> Requirement:
        """The requirement as the card has it (as the baseline had it, when removed)."""
        found = self.after or self.before
        assert found is not None
        return found

    @property
    def text(self) -> Changed[str] | None:
        """Before and after, when the text was reworded (spacing aside)."""
        if self.before is None or self.after is None:
            return None
        if " ".join(self.before.text.split()) == " ".join(self.after.text.split()):
            return None
        return Changed(self.before.text, self.after.text)

    @property
    def status(self) -> Changed[RequirementStatus] | None:
        if self.before is None or self.after is None:
            return None
        return _changed(self.before.status, self.after.status)

    @property
    def risk(self) -> Changed[Risk | None] | None:
        if self.before is None or self.after is None:
            return None
        return _changed(self.before.risk, self.after.risk)


@dataclass(frozen=True, slots=True)
class VersionChange:
    """One of ``versions`` (code, model, data) set, bumped or dropped."""

    name: str
    before: str | None
    after: str | None


@dataclass(frozen=True, slots=True)
class ReviewerChange:
    """A reviewer added or removed, or whose decision (or role) changed."""

    name: str
    before: Review | None
    after: Review | None

    @property
    def kind(self) -> ChangeKind:
        return _kind(self.before, self.after)

    @property
    def decision(self) -> Changed[Decision | None]:
        """The decision before and after (None where the reviewer is not on that card)."""
        return Changed(self.before.decision if self.before else None, self.after.decision if self.after else None)


@dataclass(frozen=True, slots=True)
class SectionDiff:
    """One body section added, removed or changed, with its line diff."""

    title: str
    """The heading as written (on the card, else on the baseline); '' for the text before the
    first heading (the TL;DR lead)."""
    kind: ChangeKind
    added: int
    """Lines added (all of its diff, whatever ``lines`` keeps)."""
    removed: int
    text: str
    """``lines`` joined by newlines (which no line holds: they are a body's lines): one string a
    diff, not one per line, for every card's changes a build keeps until its pages are rendered."""
    truncated: bool = False
    """``lines`` stops at ``MAX_SHOWN_LINES``."""
    whole: bool = False
    """Too long to diff line by line (``MAX_DIFF_LINES``): counted as replaced whole, no lines kept."""
    line: int | None = None
    """The heading's line in the card's file (None: removed, or the text before the first heading)."""

    @property
    def lines(self) -> tuple[str, ...]:
        """The unified diff without its file headers: '@@ -a,b +c,d @@' hunk headers, then lines
        starting with ' ' (context), '-' (removed) or '+' (added)."""
        return tuple(self.text.split("\n")) if self.text else ()


@dataclass(frozen=True, slots=True)
class CardChange:
    """A card against its baseline, the project's previous approved card (None: no baseline,
    so everything is new). Each tuple holds only what changed."""

    card: Card
    baseline: Card | None
    level: Changed[int | None] | None
    status: Changed[CardStatus | None] | None
    versions: tuple[VersionChange, ...]
    requirements: tuple[RequirementChange, ...]
    reviewers: tuple[ReviewerChange, ...]
    sections: tuple[SectionDiff, ...]

    @property
    def first(self) -> bool:
        """No earlier approved card: the first approved baseline is none."""
        return self.baseline is None

    @property
    def empty(self) -> bool:
        """Nothing changed (a card that repeats its baseline)."""
        return not (self.level or self.status or self.versions or self.requirements or self.reviewers
                    or self.sections)


@dataclass(frozen=True, slots=True)
class ChangeEntry:
    """One card that changed since a day: the 'What changed' page's row and ``diff``'s item."""

    project: Project
    card: Card
    change: CardChange
    when: dt.date
    """The later of the card's date and its last change by git."""
    commit: Commit | None = None
    """The commit of that last change, when it is git's (None: the card's date, or changes not
    committed yet)."""


@dataclass(frozen=True, slots=True)
class Since:
    """Since when: a day, and the git ref it came from with its commit in each repository."""

    date: dt.date
    ref: str | None = None
    commits: Mapping[Path, Commit] = field(default_factory=lambda: MappingProxyType({}))
    """By repository root: the commit ``ref`` names there."""
    days: int | None = None
    """When given as a number of days before ``today``."""

    @property
    def text(self) -> str:
        """'2026-09-02 (90 days before 2026-12-01)', 'v1.2 (commit 1a2b3c4, 2026-01-05)', '2026-01-01'."""
        if self.ref is not None:
            commits = ", ".join(dict.fromkeys(c.short for c in self.commits.values()))
            return f"{self.ref} (commit {commits}, {self.date.isoformat()})"
        if self.days is not None:
            until = (self.date + dt.timedelta(self.days)).isoformat()
            return f"{self.date.isoformat()} ({self.days} days before {until})"
        return self.date.isoformat()


# --- one card against its baseline -----------------------------------------------------


def baseline(project: Project, card: Card, approved: Mapping[Path, bool]) -> Card | None:
    """The latest card of ``project`` before ``card`` whose approval holds (None: none)."""
    earlier: list[Card] = []
    for other in project.cards:
        if other is card:
            break
        earlier.append(other)
    return next((other for other in reversed(earlier) if approved.get(other.path)), None)


def card_change(card: Card, base: Card | None, evidence: EvidenceReport | None = None) -> CardChange:
    """What changed from ``base`` (None: nothing, so everything is new) to ``card``; acceptance
    results from ``evidence`` (None: criteria compared as written)."""
    return CardChange(
        card=card,
        baseline=base,
        level=_changed(base.level.number if base else None, card.level.number),
        status=_changed(base.status if base else None, card.status),
        versions=tuple(VersionChange(name, before, after) for name in ("code", "model", "data")
                       if (before := getattr(base.versions, name) if base else None)
                       != (after := getattr(card.versions, name))),
        requirements=tuple(_requirements(base, card, evidence)),
        reviewers=tuple(_reviewers(base.reviewers if base else (), card.reviewers)),
        sections=_section_diffs(base.body if base else None, card.body),
    )


def _pair(before: Iterable[T], after: Iterable[T], key: Callable[[T], object]) -> Iterator[tuple[T | None, T | None]]:
    """Items matched by ``key`` (the n-th of a repeated key with the n-th): those of ``after``
    in its order, each with its match or None, then the unmatched of ``before``."""
    waiting: dict[object, list[T]] = {}
    for item in before:
        waiting.setdefault(key(item), []).append(item)
    for item in after:
        matches = waiting.get(key(item))
        yield (matches.pop(0) if matches else None), item
    for items in waiting.values():
        for item in items:
            yield item, None


def _requirements(base: Card | None, card: Card, evidence: EvidenceReport | None) -> Iterator[RequirementChange]:
    for before, after in _pair(base.requirements if base else (), card.requirements, lambda r: r.id):
        criteria = tuple(_criteria(base, before, card, after, evidence))
        found = RequirementChange((after or before).id, before, after, criteria)  # type: ignore[union-attr]
        if found.kind is not ChangeKind.CHANGED or found.text or found.status or found.risk or criteria:
            yield found


def _criterion_key(criterion: Acceptance) -> tuple[object, ...]:
    """What makes two criteria the same one: what they measure (their metric, else their
    selector) on which slice, whatever file the evidence is in (new evidence, same criterion)."""
    return criterion.key, criterion.metric or criterion.select or "", criterion.slice


def _results(card: Card | None, requirement: Requirement | None,
             evidence: EvidenceReport | None) -> dict[int, AcceptanceResult]:
    if card is None or requirement is None or evidence is None:
        return {}
    found = evidence.of(card, requirement)
    return {result.criterion.index: result for result in found.results} if found else {}


def _criteria(base: Card | None, before: Requirement | None, card: Card, after: Requirement | None,
              evidence: EvidenceReport | None) -> Iterator[AcceptanceChange]:
    old, new = _results(base, before, evidence), _results(card, after, evidence)
    for was, now in _pair(before.acceptance if before else (), after.acceptance if after else (), _criterion_key):
        change = AcceptanceChange(was, now, old.get(was.index) if was else None, new.get(now.index) if now else None)
        if (change.kind is not ChangeKind.CHANGED or change.threshold or change.measured or change.passed
                or change.evidence):
            yield change


def _name(review: Review) -> str:
    return " ".join(review.name.casefold().split())


def _reviewers(before: Sequence[Review], after: Sequence[Review]) -> Iterator[ReviewerChange]:
    for was, now in _pair(before, after, _name):
        change = ReviewerChange((now or was).name, was, now)  # type: ignore[union-attr]
        if was is None or now is None or was.decision is not now.decision or was.role != now.role:
            yield change


# --- body sections ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Part:
    title: str
    key: str
    lines: tuple[str, ...]
    line: int | None


def _parts(body: Body | None) -> list[_Part]:
    """The body cut at every heading: the text before the first one, then each section's own
    lines (without its heading), blank lines at either end dropped."""
    if body is None:
        return []
    lines = body.markdown.split("\n")
    starts = [section.line - body.line for section in body.sections]
    parts = [_Part("", "", _trimmed(lines[: starts[0] if starts else len(lines)]), None)]
    for index, section in enumerate(body.sections):
        end = starts[index + 1] if index + 1 < len(starts) else len(lines)
        parts.append(_Part(section.title, key_of(section), _trimmed(lines[starts[index] + 1 : end]), section.line))
    return [part for part in parts if part.key or part.lines]


def _trimmed(lines: list[str]) -> tuple[str, ...]:
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return tuple(lines[start:end])


@lru_cache(maxsize=REMEMBERED_DIFFS)
def _section_diffs(before: Body | None, after: Body) -> tuple[SectionDiff, ...]:
    """``section_diffs``, remembered by the two bodies' text: under ``mkdocs serve`` an edit
    leaves every other card's body as it was (most are the very objects of the last build), and
    diffing every card against its baseline again was about 5% of a ``--dirty`` rebuild at 1,000 cards."""
    return tuple(section_diffs(before, after))


def forget_diffs() -> None:
    """Let go of the remembered section diffs and the bodies they were made from: a build that
    will not run again (``mkdocs build``) has no use for them once its pages are rendered."""
    _section_diffs.cache_clear()


def section_diffs(before: Body | None, after: Body) -> Iterator[SectionDiff]:
    """Each section added, removed or changed from ``before`` (None: an empty body) to ``after``."""
    for was, now in _pair(_parts(before), _parts(after), lambda part: part.key):
        old = was.lines if was else ()
        new = now.lines if now else ()
        if was is not None and now is not None and old == new:
            continue
        title = (now or was).title  # type: ignore[union-attr]
        yield _diff(title, _kind(was, now), old, new, now.line if now else None)


def _diff(title: str, kind: ChangeKind, old: tuple[str, ...], new: tuple[str, ...], line: int | None) -> SectionDiff:
    if len(old) > MAX_DIFF_LINES or len(new) > MAX_DIFF_LINES:
        return SectionDiff(title, kind, len(new), len(old), "", whole=True, line=line)
    added = removed = 0
    kept: list[str] = []
    truncated = False
    lines = difflib.unified_diff(old, new, lineterm="", n=CONTEXT_LINES)
    next(lines, None), next(lines, None)  # the '---' and '+++' file headers
    for text in lines:
        if text.startswith("+"):
            added += 1
        elif text.startswith("-"):
            removed += 1
        if len(kept) < MAX_SHOWN_LINES:
            kept.append(text)
        else:
            truncated = True
    return SectionDiff(title, kind, added, removed, "\n".join(kept), truncated, line=line)


# --- since when ------------------------------------------------------------------------


def parse_since(text: str) -> int | dt.date | str:
    """What ``--since`` says: digits are days, YYYY-MM-DD a date, anything else a git ref."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if len(text) == 10 and text[4] == text[7] == "-" and text[:4].isdigit():
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise SinceError(f"'{text}' is not a date (YYYY-MM-DD)") from None
    return text


def resolve_since(value: int | dt.date | str, sources: Sequence[Path], today: dt.date) -> Since:
    """The day (and commits) ``value`` names: days before ``today``, a date, or a git ref resolved
    in the repositories of ``sources`` (locally: ``git rev-parse``, never the network). Raises
    ``SinceError`` for a ref that names no commit in any of them, or sources outside git."""
    if isinstance(value, bool):
        raise SinceError(f"'{value}' is not a number of days, a date or a git ref")
    if isinstance(value, int):
        return Since(today - dt.timedelta(days=value), days=value)
    if isinstance(value, dt.date):
        return Since(value)
    ref = value.strip()
    if not ref or ref.startswith("-") or len(ref) > MAX_REF or any(c.isspace() or ord(c) < 32 for c in ref):
        raise SinceError(f"'{ref}' is not a git ref (a tag, branch or commit, with no spaces, not starting with '-')")
    roots = _roots(sources)
    if not roots:
        raise SinceError(f"'{ref}' is not a number of days or a date (YYYY-MM-DD), and no source is in a git "
                         "repository to look it up as a git ref")
    commits: dict[Path, Commit] = {}
    for root in roots:
        commit = _commit(root, ref)
        if commit is not None:
            commits[root] = commit
    if not commits:
        names = ", ".join(str(root) for root in roots)
        raise SinceError(f"git ref '{ref}' names no commit in the sources' repository ({names})")
    return Since(min(c.committed.date() for c in commits.values()), ref, MappingProxyType(commits))


def _roots(sources: Sequence[Path]) -> list[Path]:
    roots: list[Path] = []
    for source in sources:
        if not source.is_dir():
            continue
        found = git(source, ["rev-parse", "--show-toplevel"])
        if found.out is not None:
            root = Path(found.out.decode("utf-8", "replace").strip())
            if root not in roots:
                roots.append(root)
    return roots


def _commit(root: Path, ref: str) -> Commit | None:
    """The commit ``ref`` names in the repository at ``root``; None when it names none."""
    found = git(root, ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"])
    if found.out is None:
        return None
    sha = found.out.decode("ascii", "replace").strip()
    shown = git(root, ["show", "-s", "--no-color", "--encoding=UTF-8", "--format=%H%x00%aN%x00%aE%x00%aI%x00%cI%x00%s",
                       sha, "--"])
    if shown.out is None:
        return None
    parts = shown.out.decode("utf-8", "replace").rstrip("\n").split("\x00")
    if len(parts) != 6:
        return None
    try:
        return Commit(parts[0], parts[1], parts[2], dt.datetime.fromisoformat(parts[3]),
                      dt.datetime.fromisoformat(parts[4]), parts[5][:200])
    except ValueError:
        return None


class Fallback(StrEnum):
    """Why a site's list of changes does not start where ``changes.since`` says."""

    DEFAULT = "default"
    """The setting names no day (a git ref that is no commit): the list shows the default 90 days."""
    HORIZON = "horizon"
    """A git ref that a shallow clone's history does not reach: the list starts where that history does."""


@dataclass(frozen=True, slots=True)
class SinceSetting:
    """``changes.since`` resolved once for a build: since when its list of changes runs, and the
    finding when the setting could not be used as written."""

    since: Since
    value: int | dt.date | str
    """The setting as written (or its default)."""
    finding: Finding | None = None
    """An error at the setting's line when it names no day; a note when it names a git ref a shallow
    clone does not hold."""
    fallback: Fallback | None = None


def since_setting(settings: Settings, checked: CheckedDossier) -> SinceSetting:
    """``settings.changes.since`` resolved as of ``checked.today`` in the sources' repositories.
    Never raises: a value that names no day is an error finding located at the setting, and the
    list falls back to the default (``DEFAULT_DAYS``); a git ref that names no commit in a
    shallow clone is a note, and the list starts where the clone's history does (what a clone
    of depth 1 can see)."""
    value = settings.changes.since
    try:
        return SinceSetting(resolve_since(value, settings.sources, checked.today), value)
    except SinceError as exc:
        problem = str(exc)
    path = settings.file or Path("mltrl-docs.yml")
    horizons = [r.horizon for r in checked.provenance.repositories if r.shallow and r.horizon is not None]
    if isinstance(value, str) and horizons:
        start = min(horizons).date()
        return SinceSetting(Since(start), value, Finding(
            Severity.INFO, "settings", f"changes.since: {problem}, and this clone is shallow: its history starts on "
            f"{start.isoformat()}, so the 'What changed' list starts there", path, settings.changes.at,
            field="changes.since", hint="fetch the whole history (git fetch --unshallow), or fetch the ref"),
            Fallback.HORIZON)
    default = Since(checked.today - dt.timedelta(days=DEFAULT_DAYS), days=DEFAULT_DAYS)
    return SinceSetting(default, value, Finding(
        Severity.ERROR, "settings", f"changes.since: {problem}; the 'What changed' list shows the last "
        f"{DEFAULT_DAYS} days instead", path, settings.changes.at, field="changes.since",
        hint="give a number of days (90), a date (2026-01-01) or a tag, branch or commit of the sources' "
             "repository (v1.2)"), Fallback.DEFAULT)


# --- the whole dossier -----------------------------------------------------------------


class ChangeReport:
    """Every card's change from its baseline, worked out on first asking, and the cards that
    changed since a day. Built once per build from its ``CheckedDossier``."""

    def __init__(self, checked: CheckedDossier, kept: Memo[Path, CardChange] | None = None) -> None:
        """``kept``: the changes an earlier build worked out (``mkdocs serve``), reused for a card
        whose file, baseline and both cards' acceptance results are as they were."""
        self.checked = checked
        self.kept = kept
        self._changes: dict[Path, CardChange] = {}
        self._projects = {card.path: project for project in checked.projects.values() for card in project.cards}

    def of(self, card: Card) -> CardChange:
        """``card`` against its project's previous approved card."""
        found = self._changes.get(card.path)
        if found is None:
            base = baseline(self._projects[card.path], card, self.checked.gates.approved)
            evidence = self.checked.evidence
            if self.kept is None:
                found = card_change(card, base, evidence)
            else:
                results = (evidence.of_card(card), evidence.of_card(base) if base is not None else ())
                found = self.kept.get(card.path, (card, base, results), lambda: card_change(card, base, evidence))
            self._changes[card.path] = found
        return found

    def current(self, project_id: str) -> CardChange | None:
        """The project's current card against its previous approved card (the dossier page's)."""
        project = self.checked.projects.get(project_id)
        current = project.current if project is not None else None
        return self.of(current) if current is not None else None

    def since(self, since: Since | dt.date, *, projects: Collection[str] = (),
              teams: Collection[str] = ()) -> list[ChangeEntry]:
        """The cards that changed since ``since`` (see the module's docstring), newest first;
        only ``projects`` (ids) and ``teams`` (a card's or its project's current team) when given."""
        when = since if isinstance(since, Since) else Since(since)
        provenance = self.checked.provenance
        today = self.checked.today
        entries: list[ChangeEntry] = []
        for project in self.checked.projects.values():
            if projects and project.id not in projects:
                continue
            current_team = project.current.team if project.current else None
            for card in project.cards:
                if teams and card.team not in teams and current_team not in teams:
                    continue
                changed, commit = last_change(card, provenance, today)
                if _counts(card, changed, when, provenance):
                    entries.append(ChangeEntry(project, card, self.of(card), changed, commit))
        entries.sort(key=lambda e: (-e.when.toordinal(), -e.card.date.toordinal(), e.project.id, e.card.path.name))
        return entries


def _counts(card: Card, changed: dt.date, since: Since, provenance: ProvenanceReport) -> bool:
    """Did ``card`` change since ``since``? Its date or its last change (``changed``) is on or
    after the day; in the repository of a git ref, its date is, or a commit after the ref's
    changed its file (or it has changes not committed yet): a card last changed by the ref's
    own commit, or before it on the same day, did not change since the ref."""
    repository = provenance.repository(card.path) if since.commits else None
    commit = since.commits.get(repository.root) if repository is not None else None
    if commit is None:
        return changed >= since.date
    history = provenance.file(card.path)
    return card.date >= since.date or bool(provenance.changed_after(card.path, commit)) or (
        history is not None and (history.local_changes or history.untracked))


def changes_since(checked: CheckedDossier, since: Since | dt.date, *, projects: Collection[str] = (),
                  teams: Collection[str] = ()) -> list[ChangeEntry]:
    """``ChangeReport(checked).since(...)``: the cards that changed since ``since``, newest first."""
    return ChangeReport(checked).since(since, projects=projects, teams=teams)
