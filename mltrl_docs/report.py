"""Findings as text (file:line:col, for people and editors), JSON (for tools) and
GitHub workflow annotations (for pull requests). One wording everywhere."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from mltrl_docs.dossier import CheckedDossier
from mltrl_docs.findings import Finding, Severity
from mltrl_docs.paths import display
from mltrl_docs.terminal import line_start, one_line

FORMATS = ("text", "json", "github")


def location(finding: Finding) -> str:
    """``path:line:col`` (as far as known)."""
    text = display(finding.path)
    if finding.line is not None:
        text += f":{finding.line}"
        if finding.column is not None:
            text += f":{finding.column}"
    return text


def text_line(finding: Finding) -> str:
    """``path:LINE:COL: error: <what> (<field>) [<rule>]`` and an indented hint line; line
    breaks inside any part are escaped, so a value can never start a line of its own."""
    line = f"{line_start(one_line(location(finding)))}: {finding.severity.value}: {one_line(finding.message)}"
    if finding.field:
        line += f" ({one_line(finding.field)})"
    line += f" [{finding.rule}]"
    if finding.hint:
        line += f"\n    hint: {one_line(finding.hint)}"
    return line


def counts(findings: Iterable[Finding]) -> Counter[Severity]:
    return Counter(f.severity for f in findings)


def summary(dossiers: Sequence[CheckedDossier], findings: Sequence[Finding]) -> str:
    tally = counts(findings)
    projects = sum(len(d.projects) for d in dossiers)
    cards = sum(len(d.cards) for d in dossiers)
    invalid = sum(len(d.invalid_cards) for d in dossiers)
    terms = sum(_terms(d) for d in dossiers)
    return (
        f"checked {projects} projects, {cards + invalid} cards ({invalid} invalid), {terms} glossary terms: "
        f"{_plural(tally[Severity.ERROR], 'error')}, {_plural(tally[Severity.WARNING], 'warning')}, "
        f"{_plural(tally[Severity.INFO], 'note')}"
    )


def _terms(checked: CheckedDossier) -> int:
    """Org terms plus every project's own."""
    dossier = checked.dossier
    return len(dossier.glossary) + sum(len(p.glossary) for p in dossier.projects.values())


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def as_text(dossiers: Sequence[CheckedDossier], findings: Sequence[Finding]) -> str:
    lines = [text_line(f) for f in findings]
    lines.append(summary(dossiers, findings))
    return "\n".join(lines) + "\n"


def finding_dict(finding: Finding) -> dict[str, Any]:
    return {
        "file": display(finding.path),
        "line": finding.line,
        "column": finding.column,
        "severity": finding.severity.value,
        "rule": finding.rule,
        "message": finding.message,
        "field": finding.field,
        "hint": finding.hint,
        "project": finding.project,
        "related": list(finding.related),
    }


def as_json(dossiers: Sequence[CheckedDossier], findings: Sequence[Finding]) -> str:
    tally = counts(findings)
    payload = {
        "version": 1,
        "summary": {
            "projects": sum(len(d.projects) for d in dossiers),
            "cards": sum(len(d.cards) for d in dossiers),
            "invalid_cards": sum(len(d.invalid_cards) for d in dossiers),
            "glossary_terms": sum(_terms(d) for d in dossiers),
            "errors": tally[Severity.ERROR],
            "warnings": tally[Severity.WARNING],
            "infos": tally[Severity.INFO],
        },
        "findings": [finding_dict(f) for f in findings],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_line(finding: Finding) -> str:
    """One GitHub Actions workflow command, e.g. ``::error file=a.md,line=3,col=1,title=...::msg``."""
    props = [f"file={_escape_property(display(finding.path))}"]
    if finding.line is not None:
        props.append(f"line={finding.line}")
    if finding.column is not None:
        props.append(f"col={finding.column}")
    props.append(f"title={_escape_property('mltrl-docs ' + finding.rule)}")
    message = finding.message + (f" ({finding.field})" if finding.field else "")
    if finding.hint:
        message += f"\nhint: {finding.hint}"
    return f"::{_GITHUB_LEVEL[finding.severity]} {','.join(props)}::{_escape_data(message)}"


def as_github(dossiers: Sequence[CheckedDossier], findings: Sequence[Finding]) -> str:
    lines = [github_line(f) for f in findings]
    lines.append(summary(dossiers, findings))
    return "\n".join(lines) + "\n"


RENDERERS = {"text": as_text, "json": as_json, "github": as_github}


def gap_text(project_id: str, dossier: CheckedDossier) -> str:
    """The checklist of `mltrl-docs check --next`: what the current card must change to pass
    the next level's gates (the same items the dossier page lists)."""
    project = dossier.projects[project_id]
    gates = dossier.gates.projects.get(project_id)
    if gates is None or project.current is None:
        return f"{project_id}: no valid card, so no level to move on from\n"
    card = project.current
    head = f"{project_id} ({one_line(project.title)}): declared level {gates.declared}, earned level {gates.earned}"
    if gates.declared >= 9:
        return head + "; level 9 is the last level\n"
    if not gates.gap:
        return head + f"; nothing stands between {one_line(display(card.path))} and the gates of level {gates.declared + 1}\n"
    lines = [head + f"; to pass the gates of level {gates.declared + 1}, {one_line(display(card.path))} needs:"]
    for item in gates.gap:
        where = f" (line {item.position.line})" if item.position else ""
        lines.append(f"  [ ] {one_line(item.text)}{where} [{item.rule}]")
    return "\n".join(lines) + "\n"


def gap_json(project_id: str, dossier: CheckedDossier) -> str:
    project = dossier.projects[project_id]
    gates = dossier.gates.projects.get(project_id)
    data: dict[str, Any] = {"project": project_id, "card": display(project.current.path) if project.current else None}
    if gates is not None:
        data |= {"declared": gates.declared, "earned": gates.earned, "next": min(gates.declared + 1, 9),
                 "gap": [{"rule": i.rule, "text": i.text, "field": i.field,
                          "line": i.position.line if i.position else None} for i in gates.gap]}
    return json.dumps(data, indent=2) + "\n"
