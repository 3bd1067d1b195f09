"""The readiness diff (``readiness_diff``) as people and tools read it: text for terminals, JSON
for tools and Markdown for a pull-request comment (``mltrl-docs diff OLD NEW``), and the rows of
the site's 'Readiness changes' page.

Everything in a bundle is untrusted: in text every value is one line that cannot start a CI
command (``terminal``), in Markdown inert (``change_report.md``), on the page escaped by the
template.

JSON (``version`` 1; ``schema/readiness-diff-output.schema.json`` describes every key)::

    {"version": 1, "old": {"bundle", "checked_on", "commit", "projects"}, "new": {...},
     "counts": {"added", "removed", "advanced", "switched_back", "earned", "requirements", "passed",
                "failing", "reviews"},
     "projects": [{"project", "change", "title", "level"}],
     "levels": [{"project", "title", "before", "after", "move", "card", "said",
                 "transition": null | {"from", "kind", "switchback", "reason"}}],
     "earned": [{"project", "title", "before", "after", "declared"}],
     "requirements": [{"project", "card", "id", "change", "kind", "text", "status", "status_change",
                       "reworded", "acceptance"}],
     "gates": [{"project", "card", "rule", "field", "severity", "message", "change"}],
     "reviews": [{"project", "card", "level", "reviewer", "role", "decision", "date", "note"}]}
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import partial
from typing import Any

from mltrl_docs.change_report import md
from mltrl_docs.changes import Changed, ChangeKind
from mltrl_docs.findings import Finding, Severity
from mltrl_docs.messages import Messages, english, value_key
from mltrl_docs.model import Decision, RequirementStatus
from mltrl_docs.paths import relative
from mltrl_docs.readiness_diff import (
    EarnedEntry,
    GateEntry,
    LevelEntry,
    ReadinessDiff,
    RequirementEntry,
    ReviewEntry,
    Snapshot,
    previous_bundle,
    readiness_diff,
    snapshot,
)
from mltrl_docs.render.transitions import move_to
from mltrl_docs.settings import Settings
from mltrl_docs.terminal import line_start, one_line

FORMATS = ("text", "json", "markdown")
COUNTS = ("added", "removed", "advanced", "switched_back", "earned", "requirements", "passed", "failing", "reviews")
"""The counts' keys, in the order every output lists them (``ReadinessDiff.counts``)."""
_WORDS = {"added": "projects added", "removed": "projects removed", "advanced": "levels advanced",
          "switched_back": "switched back", "earned": "earned levels changed", "requirements": "requirements changed",
          "passed": "gate findings passed", "failing": "gate findings failing", "reviews": "new reviews"}
ROW_KINDS = ("project_added", "project_removed", "advance", "switchback", "earned", "requirement_added",
             "requirement_removed", "requirement_changed", "gate_passed", "gate_failing", "review")
"""The kinds of the page's rows (``Row.kind``), each with its message ``readiness.kind.<kind>``."""
_VERDICTS = frozenset({"passed", "failed", "unknown"})


def said(entry: LevelEntry, messages: Messages | None = None) -> str:
    """How the project came to its new level, in the words of the card's transition
    (``advanced from level 4 to 5``); ``messages``: the site's (default: English)."""
    return move_to(entry.transition, entry.level.after, entry.first, messages or english()).text


def _none(value: object) -> str:
    return "none" if value is None else str(value)


def _dash(value: object) -> str:
    """A value on the page; a dash for none (a word would be English on every site)."""
    return "\u2013" if value is None else str(value)


def _pair(change: Changed[Any] | None) -> str:
    return "" if change is None else f"{_none(change.before)} -> {_none(change.after)}"


def _side(snapshot: Snapshot, label: str) -> str:
    commit = f", commit {snapshot.commit[:7]}" if snapshot.commit else ""
    return f"{label} (checked on {_none(snapshot.checked_on)}{commit})"


def _counts(diff: ReadinessDiff) -> str:
    counts = diff.counts
    return ", ".join(f"{counts[key]} {_WORDS[key]}" for key in COUNTS)


def _project(entry: Any) -> str:
    return f"{entry.project} {entry.title}" if getattr(entry, "title", None) else str(entry.project)


def _level_words(entry: LevelEntry) -> str:
    return f"level {_pair(entry.level)}, {entry.move.value}: {said(entry)} ({entry.card})"


def _requirement_words(entry: RequirementEntry) -> str:
    r = entry.requirement
    if entry.change is not ChangeKind.CHANGED:
        return f"{entry.id} ({r.kind}, {r.status}) {entry.change.value}: {r.text}"
    parts = []
    if entry.status is not None:
        parts.append(f"status {_pair(entry.status)}")
    if entry.text is not None:
        parts.append(f"reworded from \"{entry.text.before}\" to \"{entry.text.after}\"")
    if entry.acceptance is not None:
        parts.append(f"acceptance {_pair(entry.acceptance)}")
    return f"{entry.id}: " + "; ".join(parts)


def _gate_words(entry: GateEntry) -> str:
    f = entry.finding
    where = f"{f.project} {f.card}" if f.card else f.project
    field = f" ({f.field})" if f.field else ""
    return f"{entry.change.value}: {where} [{f.rule}, {f.severity}]{field} {f.message}"


def _review_words(entry: ReviewEntry) -> str:
    r = entry.review
    role = f", {r.role}" if r.role else ""
    day = f" on {r.date.isoformat()}" if r.date else ""
    return f"{entry.project} {entry.card}: {r.name}{role}: {r.decision.value}{day}"


def _earned_words(entry: EarnedEntry) -> str:
    return f"{_project(entry)}: earned level {_pair(entry.earned)} (declares {entry.declared})"


def _sections(diff: ReadinessDiff) -> list[tuple[str, list[str]]]:
    """Each part of the diff with its lines, in the order the outputs show them."""
    return [
        ("Projects", [f"{_project(p)}: {p.change.value}"
                      + (f" (level {p.level})" if p.level is not None else "") for p in diff.projects]),
        ("Levels", [f"{_project(e)}: {_level_words(e)}" for e in diff.levels]),
        ("Earned levels", [_earned_words(e) for e in diff.earned]),
        ("Requirements", [f"{e.project} {e.card} {_requirement_words(e)}"
                          for e in diff.requirements]),
        ("Gate findings", [_gate_words(e) for e in diff.gates]),
        ("New reviews", [_review_words(e) for e in diff.reviews]),
    ]


def as_text(diff: ReadinessDiff, old: str, new: str) -> str:
    """For terminals: the counts, then a block per kind of change, a line per change."""
    lines = [f"Readiness changes from {_side(diff.old, old)} to {_side(diff.new, new)}", _counts(diff)]
    for title, items in _sections(diff):
        if items:
            lines += ["", f"{title}:", *(f"  {item}" for item in items)]
    if diff.empty:
        lines += ["", "Nothing changed."]
    return "".join(line_start(one_line(line)) + "\n" for line in lines)


def as_markdown(diff: ReadinessDiff, old: str, new: str) -> str:
    """For a pull-request comment: the counts as a table, then a list per kind of change."""
    lines = [f"## Readiness changes from {md(_side(diff.old, old))} to {md(_side(diff.new, new))}", "",
             "| " + " | ".join(md(_WORDS[key]) for key in COUNTS) + " |",
             "|" + " --- |" * len(COUNTS),
             "| " + " | ".join(str(diff.counts[key]) for key in COUNTS) + " |"]
    for title, items in _sections(diff):
        if items:
            lines += ["", f"### {title}", "", *(f"- {md(item.replace(' -> ', ' → '))}" for item in items)]
    if diff.empty:
        lines += ["", "Nothing changed."]
    return "\n".join(lines) + "\n"


def _json_pair(change: Changed[Any] | None) -> dict[str, Any] | None:
    return None if change is None else {"before": change.before, "after": change.after}


def _json_side(snapshot: Snapshot, label: str) -> dict[str, Any]:
    return {"bundle": label, "checked_on": snapshot.checked_on, "commit": snapshot.commit,
            "projects": len(snapshot.cards)}


def as_data(diff: ReadinessDiff, old: str, new: str) -> dict[str, Any]:
    """The JSON output's value (the keys the module's docstring lists)."""
    return {
        "version": 1,
        "old": _json_side(diff.old, old),
        "new": _json_side(diff.new, new),
        "counts": diff.counts,
        "projects": [{"project": p.project, "change": p.change.value, "title": p.title, "level": p.level}
                     for p in diff.projects],
        "levels": [{"project": e.project, "title": e.title, "before": e.level.before, "after": e.level.after,
                    "move": e.move.value, "card": e.card, "said": said(e),
                    "transition": None if e.transition is None else {
                        "from": e.transition.from_level,
                        "kind": e.transition.kind.value if e.transition.kind else None,
                        "switchback": e.transition.switchback.value if e.transition.switchback else None,
                        "reason": e.transition.reason}} for e in diff.levels],
        "earned": [{"project": e.project, "title": e.title, "before": e.earned.before, "after": e.earned.after,
                    "declared": e.declared} for e in diff.earned],
        "requirements": [{"project": e.project, "card": e.card, "id": e.id, "change": e.change.value,
                          "kind": e.requirement.kind, "text": e.requirement.text, "status": e.requirement.status,
                          "status_change": _json_pair(e.status), "reworded": _json_pair(e.text),
                          "acceptance": _json_pair(e.acceptance)} for e in diff.requirements],
        "gates": [{"project": g.finding.project, "card": g.finding.card, "rule": g.finding.rule,
                   "field": g.finding.field, "severity": g.finding.severity, "message": g.finding.message,
                   "change": g.change.value} for g in diff.gates],
        "reviews": [{"project": r.project, "card": r.card, "level": r.level, "reviewer": r.review.name,
                     "role": r.review.role, "decision": r.review.decision.value,
                     "date": r.review.date.isoformat() if r.review.date else None, "note": r.review.note}
                    for r in diff.reviews],
    }


def as_json(diff: ReadinessDiff, old: str, new: str) -> str:
    return json.dumps(as_data(diff, old, new), indent=2, ensure_ascii=False) + "\n"


RENDERERS = {"text": as_text, "json": as_json, "markdown": as_markdown}


def render(output_format: str, diff: ReadinessDiff, old: str, new: str) -> str:
    """``diff`` in ``output_format`` (text, json or markdown); ``old`` and ``new`` name the two sides."""
    return RENDERERS[output_format](diff, old, new)


# --- the site's page ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the page's table: which project and card, what kind of change, in words."""

    project: str
    card: str | None
    card_uri: str | None
    """The card's page on this site (None: the card is not on it, or there is none)."""
    kind: str
    """The message key's last part: project_added, project_removed, advance, switchback, earned,
    requirement, gate_passed, gate_failing, review."""
    values: Mapping[str, object]
    """The message's values (texts from the bundles, escaped by the template)."""


def rows(diff: ReadinessDiff, prefix: str, messages: Messages | None = None) -> tuple[Row, ...]:
    """The page's rows: every change, by project, in the order the outputs list them."""
    m = messages or english()

    def word(kind: type[StrEnum], value: object) -> str:
        """A bundle's value in the site's words; as it is written when this mltrl-docs knows no such value."""
        try:
            return m.text(value_key(kind(str(value))))
        except ValueError:
            return _dash(value)

    def verdict(value: object) -> str:
        return m.text(f"acceptance.verdict.{value}") if value in _VERDICTS else _dash(value)

    def pair(change: Changed[Any] | None, said: Callable[[object], str]) -> str:
        return "" if change is None else f"{said(change.before)} \u2192 {said(change.after)}"

    def uri(project: str, card: str | None) -> str | None:
        return f"{prefix}/{project}/{card}.md" if card is not None and diff.new.card(project, card) else None

    found = [Row(p.project, None, None, "project_added" if p.change is ChangeKind.ADDED else "project_removed",
                 {"title": p.title or "", "level": _dash(p.level)}) for p in diff.projects]
    found += [Row(e.project, e.card, uri(e.project, e.card), e.move.value,
                  {"before": e.level.before, "after": e.level.after, "said": said(e, m)}) for e in diff.levels]
    for earned in diff.earned:
        current = diff.new.current(earned.project)
        card = current.stem if current is not None else None
        found.append(Row(earned.project, card, uri(earned.project, card), "earned",
                         {"before": _dash(earned.earned.before), "after": _dash(earned.earned.after),
                          "declared": earned.declared}))
    found += [Row(r.project, r.card, uri(r.project, r.card), "requirement_" + r.change.value,
                  {"id": r.id, "text": r.requirement.text, "status": pair(r.status, partial(word, RequirementStatus)),
                   "reworded": r.text.before if r.text else "", "acceptance": pair(r.acceptance, verdict)})
              for r in diff.requirements]
    found += [Row(g.finding.project, g.finding.card, uri(g.finding.project, g.finding.card), "gate_" + g.change.value,
                  {"rule": g.finding.rule, "severity": word(Severity, g.finding.severity),
                   "message": g.finding.message}) for g in diff.gates]
    found += [Row(v.project, v.card, uri(v.project, v.card), "review",
                  {"reviewer": v.review.name, "role": v.review.role or "",
                   "decision": word(Decision, v.review.decision), "date": v.review.date}) for v in diff.reviews]
    return tuple(sorted(found, key=lambda row: row.project))


@dataclass(frozen=True, slots=True)
class Comparison:
    """What a site compares itself with (``compare.bundle``): the previous bundle as the settings
    name it, and the diff; None when the bundle could not be read (its findings say why)."""

    previous: str
    diff: ReadinessDiff | None
    findings: tuple[Finding, ...] = ()
    """What reading the previous bundle found (the page lists them; the build reports them)."""


def site_comparison(settings: Settings, readiness: bytes) -> Comparison | None:
    """The site's own bundle (``readiness``: its ``readiness.json``, ``render.site.readiness_json``)
    against the previous bundle its setting ``compare.bundle`` names; None when it names none. Never
    raises: a bundle that cannot be read is a finding (``Comparison.findings``), for the adapter to report.
    Every writer of the site calls it through ``render.site.site_readiness`` and passes the result to ``site_pages``."""
    compare = settings.compare
    if compare is None:
        return None
    previous, findings = previous_bundle(compare.bundle, settings.limits, settings.file, compare.at)
    folder = settings.file.parent if settings.file is not None else None
    label = relative(compare.bundle, folder) if folder is not None else compare.bundle.name
    diff = readiness_diff(previous, snapshot(json.loads(readiness))) if previous is not None else None
    return Comparison(label, diff, tuple(findings))
