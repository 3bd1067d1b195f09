"""The cards that changed since a day, as ``mltrl-docs diff`` prints them: text for terminals,
JSON for tools (keys below, dates ISO 8601) and Markdown for a pull-request comment.

Card text comes from many teams, so every value is made inert for its format: one line in
text (``terminal.one_line``, so a value can never start a CI command); in Markdown, ``<``,
``>`` and ``&`` as character references and every other character that means something to
CommonMark or GitHub (backticks, pipes, emphasis, brackets, ``$``) backslash-escaped, and a
section's line diff inside a code fence longer than any run of backticks in it.

JSON (``version`` 1; ``schema/diff-output.schema.json`` describes every key)::

    {"version": 1, "since": {"date", "ref", "commits", "days", "text"}, "today",
     "changes": [{"project", "title", "team",
                  "card": {"file", "level", "status", "date", "changed", "commit",
                           "transition": null | {"from", "kind", "switchback", "reason"}},
                  "baseline": null | {"file", "level", "status", "date"},
                  "level": null | {"before", "after"}, "status": null | {"before", "after"},
                  "versions": [{"name", "before", "after"}],
                  "requirements": [{"id", "change", "kind", "text", "status", "reworded", "status_change",
                                    "risk_change", "acceptance": [{"criterion", "change", "threshold",
                                                                   "evidence", "measured", "passed"}]}],
                  "reviewers": [{"name", "change", "decision", "role"}],
                  "sections": [{"title", "change", "added", "removed", "line", "diff", "truncated",
                                "whole"}]}]}

``change`` is ``added``, ``removed`` or ``changed``; every ``{"before", "after"}`` pair is null
when nothing changed; ``baseline`` null means the card has no earlier approved card, so
everything on it is new.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from mltrl_docs.changes import (
    AcceptanceChange,
    CardChange,
    Changed,
    ChangeEntry,
    ChangeKind,
    RequirementChange,
    ReviewerChange,
    SectionDiff,
    Since,
)
from mltrl_docs.model import Card, Risk, Transition
from mltrl_docs.paths import display
from mltrl_docs.terminal import line_start, one_line

FORMATS = ("text", "json", "markdown")
_MARK = {ChangeKind.ADDED: "+", ChangeKind.REMOVED: "-", ChangeKind.CHANGED: "~"}
LEAD = "(before the first heading)"
"""How the text before a body's first heading (the TL;DR lead) is named."""


def _value(value: object) -> str:
    if value is None:
        return "none"
    if isinstance(value, Risk):
        return f"{value.likelihood}x{value.impact}"
    if isinstance(value, bool):
        return "met" if value else "missed"
    return str(getattr(value, "value", value))


def _pair(change: Changed[Any] | None) -> str:
    return "" if change is None else f"{_value(change.before)} -> {_value(change.after)}"


def _grouped(entries: Sequence[ChangeEntry]) -> list[list[ChangeEntry]]:
    """Entries by project, projects in the order of their newest entry."""
    groups: dict[str, list[ChangeEntry]] = {}
    for entry in entries:
        groups.setdefault(entry.project.id, []).append(entry)
    return list(groups.values())


def _count(entries: Sequence[ChangeEntry]) -> str:
    cards, projects = len(entries), len({e.project.id for e in entries})
    return f"{cards} card{'s' if cards != 1 else ''} in {projects} project{'s' if projects != 1 else ''}"


def _transition(transition: Transition | None) -> str:
    if transition is None or transition.kind is None:
        return ""
    kind = transition.kind.value + (f" ({transition.switchback.value})" if transition.switchback else "")
    return f" ({kind}" + (f" from {transition.from_level}" if transition.from_level is not None else "") + ")"


def _baseline_words(change: CardChange) -> str:
    base = change.baseline
    if base is None:
        return "first approved baseline: none (everything on the card is new)"
    return f"against the approved level-{base.level.number} card {base.path.name} ({base.date.isoformat()})"


def _acceptance_words(change: AcceptanceChange) -> str:
    parts = [f"'{change.label}' {change.kind.value}"]
    result = change.after_result or change.before_result
    if change.kind is not ChangeKind.CHANGED and result is not None:
        parts.append(f"{result.shown}, {_value(result.passed) if result.passed is not None else 'not judged'}")
    for name, pair in (("threshold", change.threshold), ("evidence", change.evidence), ("measured", change.measured),
                       ("result", change.passed)):
        if change.kind is ChangeKind.CHANGED and pair is not None:
            parts.append(f"{name} {_pair(pair)}")
    return ", ".join(parts)


def _requirement_words(change: RequirementChange) -> str:
    r = change.requirement
    if change.kind is not ChangeKind.CHANGED:
        parts = [f"{r.id} ({r.kind.value}, {r.status.value}): {r.text}"]
    else:
        parts = [f"{r.id}:"]
        if change.text is not None:
            parts.append(f"reworded from \"{change.text.before}\" to \"{change.text.after}\";")
        if change.status is not None:
            parts.append(f"status {_pair(change.status)};")
        if change.risk is not None:
            parts.append(f"risk {_pair(change.risk)};")
    parts += [f"acceptance {_acceptance_words(a)};" for a in change.acceptance]
    return " ".join(parts).rstrip(";")


def _reviewer_words(change: ReviewerChange) -> str:
    review = change.after or change.before
    assert review is not None
    role = f", {review.role}" if review.role else ""
    if change.kind is not ChangeKind.CHANGED:
        return f"{review.name} ({review.decision.value}{role})"
    return f"{review.name}{role}: {_pair(change.decision)}"


def _section_name(diff: SectionDiff) -> str:
    return diff.title or LEAD


def _section_counts(diff: SectionDiff) -> str:
    counts = f"+{diff.added} -{diff.removed}"
    return counts + (" (replaced whole: too long to diff line by line)" if diff.whole else "")


# --- text ------------------------------------------------------------------------------


def as_text(entries: Sequence[ChangeEntry], since: Since) -> str:
    """For terminals: a block per project, a line per change (section diffs as line counts)."""
    lines = [f"Changes since {since.text}: {_count(entries)}"]
    for group in _grouped(entries):
        project = group[0].project
        team = f" ({project.current.team})" if project.current and project.current.team else ""
        lines += ["", f"{project.id} {project.title}{team}"]
        for entry in group:
            lines += _text_card(entry)
    return "".join(line_start(one_line(line)) + "\n" for line in lines)


def _text_card(entry: ChangeEntry) -> list[str]:
    card, change = entry.card, entry.change
    lines = [f"  {display(card.path)}: level {card.level.number}, {card.status.value}, dated {card.date.isoformat()}",
             f"    {_baseline_words(change)}"]
    if change.level is not None:
        lines.append(f"    level: {_pair(change.level)}{_transition(card.transition)}")
    if change.status is not None:
        lines.append(f"    status: {_pair(change.status)}")
    if change.versions:
        lines.append("    versions: " + ", ".join(f"{v.name} {_value(v.before)} -> {_value(v.after)}"
                                                   for v in change.versions))
    for title, items in (("requirements", [f"{_MARK[r.kind]} {_requirement_words(r)}" for r in change.requirements]),
                         ("reviewers", [f"{_MARK[r.kind]} {_reviewer_words(r)}" for r in change.reviewers]),
                         ("sections (lines added and removed)",
                          [f"{_MARK[s.kind]} {_section_name(s)}: {_section_counts(s)}" for s in change.sections])):
        if items:
            lines.append(f"    {title}:")
            lines += [f"      {item}" for item in items]
    if change.empty:
        lines.append("    nothing changed")
    return lines


# --- JSON ------------------------------------------------------------------------------


def _json_pair(change: Changed[Any] | None) -> dict[str, Any] | None:
    if change is None:
        return None
    return {"before": _json_value(change.before), "after": _json_value(change.after)}


def _json_value(value: object) -> object:
    if isinstance(value, Risk):
        return {"likelihood": value.likelihood, "impact": value.impact, "score": value.score,
                "mitigation": value.mitigation}
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(getattr(value, "value", value))


def _json_card(card: Card) -> dict[str, Any]:
    return {"file": display(card.path), "level": card.level.number, "status": card.status.value,
            "date": card.date.isoformat()}


def _json_entry(entry: ChangeEntry) -> dict[str, Any]:
    card, change = entry.card, entry.change
    t = card.transition
    return {
        "project": entry.project.id,
        "title": card.title,
        "team": card.team,
        "card": {**_json_card(card), "changed": entry.when.isoformat(),
                 "commit": entry.commit.sha if entry.commit else None,
                 "transition": None if t is None else {
                     "from": t.from_level, "kind": t.kind.value if t.kind else None,
                     "switchback": t.switchback.value if t.switchback else None, "reason": t.reason}},
        "baseline": _json_card(change.baseline) if change.baseline else None,
        "level": _json_pair(change.level),
        "status": _json_pair(change.status),
        "versions": [{"name": v.name, "before": v.before, "after": v.after} for v in change.versions],
        "requirements": [{
            "id": r.id, "change": r.kind.value, "kind": r.requirement.kind.value, "text": r.requirement.text,
            "status": r.requirement.status.value, "reworded": _json_pair(r.text),
            "status_change": _json_pair(r.status), "risk_change": _json_pair(r.risk),
            "acceptance": [{"criterion": a.label, "change": a.kind.value, "threshold": _json_pair(a.threshold),
                            "evidence": _json_pair(a.evidence), "measured": _json_pair(a.measured),
                            "passed": _json_pair(a.passed)}
                           for a in r.acceptance],
        } for r in change.requirements],
        "reviewers": [{"name": r.name, "change": r.kind.value, "decision": _json_pair(r.decision),
                       "role": _json_pair(Changed(r.before.role if r.before else None,
                                                  r.after.role if r.after else None))}
                      for r in change.reviewers],
        "sections": [{"title": s.title, "change": s.kind.value, "added": s.added, "removed": s.removed,
                      "line": s.line, "diff": list(s.lines), "truncated": s.truncated, "whole": s.whole}
                     for s in change.sections],
    }


def as_json(entries: Sequence[ChangeEntry], since: Since, today: dt.date | None = None) -> str:
    """For tools: the keys the module's docstring lists."""
    payload = {
        "version": 1,
        "since": {"date": since.date.isoformat(), "ref": since.ref,
                  "commits": sorted({c.sha for c in since.commits.values()}), "days": since.days,
                  "text": since.text},
        "today": today.isoformat() if today is not None else None,
        "changes": [_json_entry(entry) for entry in entries],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


# --- Markdown --------------------------------------------------------------------------

_ESCAPED = frozenset("\\`*_{}[]()#!|~$^")
_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}


def md(text: object) -> str:
    """``text`` as inert inline Markdown on one line: no HTML, no code span, no emphasis, link,
    table cell break or math can come from it."""
    out: list[str] = []
    for char in one_line(" ".join(str(text).split())):
        if char in _ENTITIES:
            out.append(_ENTITIES[char])
        elif char in _ESCAPED:
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out)


def _md(text: str) -> str:
    """``md``, with arrows that read as arrows in the Markdown source too."""
    return md(text.replace(" -> ", " \u2192 "))


def fenced(lines: Sequence[str], info: str = "diff") -> list[str]:
    """``lines`` in a code fence no line of them can close: longer than any run of backticks."""
    longest = run = 0
    body = [one_line(line) for line in lines]
    for line in body:
        for char in line:
            run = run + 1 if char == "`" else 0
            longest = max(longest, run)
        run = 0
    fence = "`" * max(3, longest + 1)
    return [fence + info, *body, fence]


def as_markdown(entries: Sequence[ChangeEntry], since: Since) -> str:
    """For a pull-request comment: a heading per project, a table of what changed per card,
    a list of requirements and reviewers, and each section's line diff in a code block."""
    lines = [f"## What changed since {md(since.text)}", "", f"{_count(entries)}."]
    for group in _grouped(entries):
        project = group[0].project
        team = f" ({md(project.current.team)})" if project.current and project.current.team else ""
        lines += ["", f"### {md(project.id)}: {md(project.title)}{team}"]
        for entry in group:
            lines += _md_card(entry)
    return "\n".join(lines) + "\n"


def _md_card(entry: ChangeEntry) -> list[str]:
    card, change = entry.card, entry.change
    words = _baseline_words(change)
    heading = (f"#### {md(display(card.path))}: level {card.level.number}, {card.status.value}, "
               f"dated {card.date.isoformat()}")
    lines = ["", heading, "", md(words[:1].upper() + words[1:]) + "."]
    rows = []
    if change.level is not None:
        rows.append(("level", _value(change.level.before),
                     f"{_value(change.level.after)}{_transition(card.transition)}"))
    if change.status is not None:
        rows.append(("status", _value(change.status.before), _value(change.status.after)))
    rows += [(f"versions.{v.name}", _value(v.before), _value(v.after)) for v in change.versions]
    if rows:
        lines += ["", "| field | before | after |", "| --- | --- | --- |"]
        lines += [f"| {_md(a)} | {_md(b)} | {_md(c)} |" for a, b, c in rows]
    if change.requirements:
        lines += ["", "**Requirements**", ""]
        lines += [f"- {r.kind.value}: {_md(_requirement_words(r))}" for r in change.requirements]
    if change.reviewers:
        lines += ["", "**Reviewers and decisions**", ""]
        lines += [f"- {r.kind.value}: {_md(_reviewer_words(r))}" for r in change.reviewers]
    for diff in change.sections:
        lines += ["", f"**{md(_section_name(diff))}** ({diff.kind.value}, {_section_counts(diff)})"]
        if diff.lines:
            lines += ["", *fenced(diff.lines)]
            if diff.truncated:
                lines += ["", f"(the first {len(diff.lines)} lines of the diff)"]
    if change.empty:
        lines += ["", "Nothing changed."]
    return lines


RENDERERS = {"text": as_text, "markdown": as_markdown}


def render(output_format: str, entries: Sequence[ChangeEntry], since: Since, today: dt.date | None = None) -> str:
    """``entries`` in ``output_format`` (text, json or markdown)."""
    if output_format == "json":
        return as_json(entries, since, today)
    return RENDERERS[output_format](entries, since)
