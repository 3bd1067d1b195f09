"""What changed in a portfolio's readiness between two bundles (``mltrl-docs diff OLD NEW``, the
site's 'Readiness changes' page): projects added or removed, levels advanced or switched back,
earned levels, requirements whose status, text or acceptance result changed, gate findings
newly passed or newly failing, and reviewers' decisions added.

Both sides are bundles (``mltrl_docs.bundle``): what a repository's check said when the bundle
was made, its earned levels and findings under its own gates. A site compares its own bundle
(``bundle.write.bundle_of``) with a previous one, so a build and the command agree.

A card is the same card on both sides when its project, level and date are (its page's stem,
``L4-2026-02-16``), whatever its path; a requirement when its id is, on the project's current
card. Only the cards whose bytes differ are read again (for their reviewers and transition),
so a portfolio of thousands of unchanged cards is compared by its recorded data alone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from mltrl_docs.bundle.model import RULE
from mltrl_docs.bundle.read import file_bytes, read_bundle
from mltrl_docs.changes import Changed, ChangeKind
from mltrl_docs.findings import Finding, Position, error
from mltrl_docs.gates.catalogue import RULES
from mltrl_docs.load import load_text
from mltrl_docs.model import Card, Decision, Review, Transition
from mltrl_docs.settings import Limits

GATE_RULES = frozenset(rule.name for rule in RULES)
"""The rules whose findings are gates: a finding of another rule (schema, reference) is no gate."""
FAILING = frozenset({"error", "warning"})
"""A gate finding of these severities fails its gate; a note (a rule set to ``info``) does not."""


@dataclass(frozen=True, slots=True)
class CriterionState:
    """One acceptance criterion's result, as a bundle records it."""

    label: str
    passed: bool | None


@dataclass(frozen=True, slots=True)
class RequirementState:
    """One requirement of a card, as a bundle records it."""

    id: str
    kind: str
    status: str
    text: str
    verified: bool
    verdict: str | None
    """The acceptance verdict (passed, failed, unknown), None without criteria."""
    criteria: tuple[CriterionState, ...] = ()


@dataclass(frozen=True, slots=True)
class CardState:
    """One valid card, as a bundle records it."""

    project: str
    level: int
    date: str
    """ISO 8601."""
    path: str
    """As the bundle names it."""
    title: str
    status: str
    earned: int | None
    current: bool
    first: bool
    """The project's first card (its transition reads 'entered MLTRL')."""
    requirements: tuple[RequirementState, ...]
    sha256: str
    text: str = field(repr=False, compare=False)
    """The card's text, read again only when the other side's card differs."""

    @property
    def stem(self) -> str:
        """``L4-2026-02-16``: the card's name in its project, on both sides (its page's name)."""
        return f"L{self.level}-{self.date}"

    def read(self) -> Card | None:
        """The card as the loader reads it (for its reviewers and transition); None when it no longer reads."""
        loaded, _ = load_text(Path(self.path), self.project, self.text)
        return loaded if isinstance(loaded, Card) else None


@dataclass(frozen=True, slots=True)
class GateFinding:
    """A gate rule's finding that fails it, on a project or one of its cards."""

    project: str
    card: str | None
    """The card's stem, None when it is about the project."""
    rule: str
    field: str | None
    severity: str
    message: str

    @property
    def key(self) -> tuple[str, str | None, str, str | None]:
        """What makes it the same finding on both sides (its message may count days)."""
        return self.project, self.card, self.rule, self.field


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A portfolio's readiness as one bundle records it."""

    checked_on: str | None
    commit: str | None
    cards: Mapping[str, tuple[CardState, ...]]
    """Project id -> its valid cards, oldest first (a project with invalid cards only has none)."""
    findings: tuple[GateFinding, ...] = ()

    def current(self, project: str) -> CardState | None:
        return next((c for c in self.cards.get(project, ()) if c.current), None)

    def card(self, project: str, stem: str) -> CardState | None:
        return next((c for c in self.cards.get(project, ()) if c.stem == stem), None)


def snapshot(bundle: Mapping[str, Any]) -> Snapshot:
    """The readiness a bundle's data (schema-checked: ``bundle.read.read_bundle``, or made by
    ``bundle.write.bundle_of``) records."""
    entries: dict[str, list[dict[str, Any]]] = {}
    for entry in bundle["cards"]:
        entries.setdefault(entry["project"], [])
        if entry["valid"] and entry["level"] is not None and entry["date"] is not None:
            entries[entry["project"]].append(entry)
    cards: dict[str, tuple[CardState, ...]] = {}
    stems: dict[str, tuple[str, str]] = {}
    for project, found in sorted(entries.items()):
        ordered = sorted(found, key=lambda e: (e["date"], e["level"]))
        cards[project] = tuple(_card(entry, index == 0) for index, entry in enumerate(ordered))
        stems.update((c.path, (project, c.stem)) for c in cards[project])
    findings = []
    for found in bundle["findings"]:
        if found["rule"] not in GATE_RULES or found["severity"] not in FAILING:
            continue
        project, stem = stems.get(found["path"], (found["project"], None))
        if project is not None:
            findings.append(GateFinding(project, stem, found["rule"], found["field"], found["severity"],
                                        found["message"]))
    return Snapshot(bundle["checked_on"], bundle["repository"]["commit"], cards, tuple(findings))


def _card(entry: Mapping[str, Any], first: bool) -> CardState:
    requirements = tuple(RequirementState(
        r["id"], r["kind"], r["status"], r["text"], r["verified"], r["verdict"],
        tuple(CriterionState(_criterion(a), a["passed"]) for a in r["acceptance"])) for r in entry["requirements"])
    return CardState(entry["project"], entry["level"], entry["date"], entry["path"], entry["title"] or "",
                     entry["status"] or "", entry["earned_level"], entry["current"], first, requirements,
                     entry["sha256"], _text(entry))


def _criterion(acceptance: Mapping[str, Any]) -> str:
    what = acceptance["metric"] or ("tests" if acceptance["tests"] else "")
    if acceptance["op"] is not None:
        what += f" {acceptance['op']} {acceptance['value']}"
    return f"{what} ({acceptance['evidence']})" if acceptance["evidence"] else what


def _text(entry: Mapping[str, Any]) -> str:
    """A card's text as the bundle holds it; "" when it does not decode."""
    data = file_bytes(entry)
    try:
        return data.decode("utf-8", "surrogatepass") if data is not None else ""
    except UnicodeDecodeError:
        return ""


class Move(StrEnum):
    ADVANCE = "advance"
    SWITCHBACK = "switchback"


class GateChange(StrEnum):
    PASSED = "passed"
    """Reported before, not now: the gate passes."""
    FAILING = "failing"
    """Reported now, not before: the gate fails."""


@dataclass(frozen=True, slots=True)
class ProjectEntry:
    """A project found on one side only."""

    project: str
    change: ChangeKind
    """added (new) or removed (gone)."""
    title: str | None
    level: int | None
    """Its current level on the side it is on (None: no valid card)."""


@dataclass(frozen=True, slots=True)
class LevelEntry:
    """A project whose current level changed."""

    project: str
    title: str
    level: Changed[int]
    move: Move
    """advance (up) or switchback (down)."""
    card: str
    """The new current card's stem."""
    transition: Transition | None
    """How its card says the project got there (None: it says nothing, or cannot be read)."""
    first: bool
    """The new current card is the project's first."""


@dataclass(frozen=True, slots=True)
class EarnedEntry:
    """A project whose earned level (what its current card's gates allow) changed."""

    project: str
    title: str
    earned: Changed[int | None]
    declared: int


@dataclass(frozen=True, slots=True)
class RequirementEntry:
    """A requirement of a project's current card that was added, removed or changed."""

    project: str
    card: str
    """The current card's stem (on the new side; the old one for a removed requirement of a removed card)."""
    id: str
    change: ChangeKind
    requirement: RequirementState
    """As it is now (as it was, when removed)."""
    status: Changed[str] | None = None
    text: Changed[str] | None = None
    acceptance: Changed[str | None] | None = None
    """The acceptance verdict before and after, when it or any criterion's result changed."""


@dataclass(frozen=True, slots=True)
class GateEntry:
    """A gate finding newly passed (gone) or newly failing (new)."""

    change: GateChange
    finding: GateFinding
    card_exists: bool
    """Its card is on the new side (the site has its page)."""


@dataclass(frozen=True, slots=True)
class ReviewEntry:
    """A reviewer's decision on a card that the old side did not have."""

    project: str
    card: str
    level: int
    review: Review


@dataclass(frozen=True, slots=True)
class ReadinessDiff:
    """Everything that changed across the portfolio, each list by project id."""

    old: Snapshot
    new: Snapshot
    projects: tuple[ProjectEntry, ...] = ()
    levels: tuple[LevelEntry, ...] = ()
    earned: tuple[EarnedEntry, ...] = ()
    requirements: tuple[RequirementEntry, ...] = ()
    gates: tuple[GateEntry, ...] = ()
    reviews: tuple[ReviewEntry, ...] = ()

    @property
    def counts(self) -> dict[str, int]:
        """How many of each, in the order pages and outputs list them."""
        return {"added": sum(p.change is ChangeKind.ADDED for p in self.projects),
                "removed": sum(p.change is ChangeKind.REMOVED for p in self.projects),
                "advanced": sum(e.move is Move.ADVANCE for e in self.levels),
                "switched_back": sum(e.move is Move.SWITCHBACK for e in self.levels),
                "earned": len(self.earned), "requirements": len(self.requirements),
                "passed": sum(g.change is GateChange.PASSED for g in self.gates),
                "failing": sum(g.change is GateChange.FAILING for g in self.gates),
                "reviews": len(self.reviews)}

    @property
    def empty(self) -> bool:
        return not any(self.counts.values())


def readiness_diff(old: Snapshot, new: Snapshot, projects: Collection[str] = ()) -> ReadinessDiff:
    """What changed from ``old`` to ``new``; ``projects``: only these (default: all)."""
    def wanted(project: str) -> bool:
        return not projects or project in projects

    ids = sorted(p for p in {*old.cards, *new.cards} if wanted(p))
    entries: list[ProjectEntry] = []
    levels: list[LevelEntry] = []
    earned: list[EarnedEntry] = []
    requirements: list[RequirementEntry] = []
    reviews: list[ReviewEntry] = []
    for project in ids:
        before, after = old.current(project), new.current(project)
        if project not in old.cards or project not in new.cards:
            side = after if project in new.cards else before
            entries.append(ProjectEntry(project, ChangeKind.ADDED if project in new.cards else ChangeKind.REMOVED,
                                        side.title if side else None, side.level if side else None))
        if project in new.cards:
            reviews += _reviews(project, old, new)
        if before is None or after is None:
            continue
        if before.level != after.level:
            read = after.read()
            levels.append(LevelEntry(project, after.title, Changed(before.level, after.level),
                                     Move.ADVANCE if after.level > before.level else Move.SWITCHBACK, after.stem,
                                     read.transition if read is not None else None, after.first))
        if before.earned != after.earned:
            earned.append(EarnedEntry(project, after.title, Changed(before.earned, after.earned), after.level))
        requirements += _requirements(before, after)
    passed, failing = _unmatched([f for f in old.findings if wanted(f.project)],
                                 [f for f in new.findings if wanted(f.project)])
    gates = [GateEntry(GateChange.PASSED, f, f.card is not None and new.card(f.project, f.card) is not None)
             for f in passed]
    gates += [GateEntry(GateChange.FAILING, f, f.card is not None) for f in failing]
    gates.sort(key=lambda g: (g.finding.project, g.finding.card or "", g.finding.rule, g.finding.field or "",
                              g.change.value))
    return ReadinessDiff(old, new, tuple(entries), tuple(levels), tuple(earned), tuple(requirements), tuple(gates),
                         tuple(reviews))


def _unmatched(was: list[GateFinding], now: list[GateFinding]) -> tuple[list[GateFinding], list[GateFinding]]:
    """The findings of ``was`` that ``now`` has not, and those of ``now`` that ``was`` has not: the
    same message on the same card, rule and field is the same finding; of the rest, one whose
    message changed (a count of days) still pairs with one of the same card, rule and field."""
    unpaired = Counter(was)
    new: dict[tuple[str, str | None, str, str | None], list[GateFinding]] = {}
    for finding in now:
        if unpaired[finding]:
            unpaired[finding] -= 1
        else:
            new.setdefault(finding.key, []).append(finding)
    gone: list[GateFinding] = []
    for finding in unpaired.elements():
        same = new.get(finding.key)
        if same:
            same.pop()
        else:
            gone.append(finding)
    return gone, [finding for found in new.values() for finding in found]


def _requirements(before: CardState, after: CardState) -> list[RequirementEntry]:
    was = {r.id: r for r in before.requirements}
    now = {r.id: r for r in after.requirements}
    found: list[RequirementEntry] = []
    for rid in sorted({*was, *now}, key=_id_key):
        a, b = was.get(rid), now.get(rid)
        if a is None and b is not None:
            found.append(RequirementEntry(after.project, after.stem, rid, ChangeKind.ADDED, b))
        elif b is None and a is not None:
            found.append(RequirementEntry(after.project, after.stem, rid, ChangeKind.REMOVED, a))
        elif a is not None and b is not None:
            status = Changed(a.status, b.status) if a.status != b.status else None
            text = Changed(a.text, b.text) if a.text != b.text else None
            acceptance = (Changed(a.verdict, b.verdict)
                          if a.verdict != b.verdict or a.criteria != b.criteria else None)
            if status or text or acceptance:
                found.append(RequirementEntry(after.project, after.stem, rid, ChangeKind.CHANGED, b, status, text,
                                              acceptance))
    return found


def _id_key(rid: str) -> tuple[bool, tuple[int, ...], str]:
    """``2.10`` after ``2.9``; an id that is no dotted number (a hostile bundle's) after them, by text."""
    parts = rid.split(".")
    numeric = all(p.isascii() and p.isdigit() for p in parts)
    return not numeric, tuple(int(p) for p in parts) if numeric else (), rid


def _reviews(project: str, old: Snapshot, new: Snapshot) -> list[ReviewEntry]:
    """Each decision (not pending) on a card of ``new`` that the same card of ``old`` did not record."""
    found: list[ReviewEntry] = []
    for card in new.cards[project]:
        earlier = old.card(project, card.stem)
        if earlier is not None and earlier.sha256 == card.sha256:
            continue
        now = card.read()
        if now is None:
            continue
        was = earlier.read() if earlier is not None else None
        recorded = {(r.name, r.decision) for r in was.reviewers} if was is not None else set()
        found += [ReviewEntry(project, card.stem, card.level, review) for review in now.reviewers
                  if review.decision is not Decision.PENDING and (review.name, review.decision) not in recorded]
    return found


def previous_bundle(file: Path, limits: Limits, settings_file: Path | None = None,
                    at: Position | None = None) -> tuple[Snapshot | None, list[Finding]]:
    """The readiness the previous bundle ``file`` records (the setting ``compare.bundle``, or
    ``mltrl-docs diff OLD NEW``), checked as an import checks a bundle; None, with findings,
    when it cannot be used. A file that does not exist is reported where the settings name it."""
    if not file.is_file() and settings_file is not None:
        return None, [error(RULE, f"the previous bundle '{file.name}' does not exist", settings_file, at,
                            field="compare.bundle",
                            hint="write the bundle's path relative to this file (an earlier build's readiness.json, "
                                 "or one 'mltrl-docs bundle --out' wrote), or remove compare:")]
    data, findings = read_bundle(file, limits)
    return (snapshot(data) if data is not None else None), findings
