"""Findings as text (file:line:col, for people and editors), JSON (for tools) and
GitHub workflow annotations (for pull requests). One wording everywhere: the three
severities are "error", "warning" and "note" in every output (``WORDS``; the gate policy's
settings call a note ``info``, the value of ``Severity.INFO``)."""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mltrl_docs.dossier import CheckedDossier
from mltrl_docs.findings import Finding, Severity
from mltrl_docs.paths import display
from mltrl_docs.repositories import Repository, own_repository, repository_path, work_tree
from mltrl_docs.terminal import line_start, one_line

FORMATS = ("text", "json", "github")

WORDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
"""What each severity is called in the CLI's text, JSON and annotations."""


@dataclass(frozen=True, slots=True)
class Tally:
    """What a check looked at: the projects, cards and glossary terms it reports on."""

    projects: int = 0
    cards: int = 0
    invalid_cards: int = 0
    glossary_terms: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.projects + other.projects, self.cards + other.cards,
                     self.invalid_cards + other.invalid_cards, self.glossary_terms + other.glossary_terms)

    @classmethod
    def of(cls, checked: CheckedDossier) -> Tally:
        """Everything in ``checked``."""
        return cls(len(checked.projects), len(checked.cards), len(checked.invalid_cards), _terms(checked))


def location(finding: Finding) -> str:
    """``path:line:col`` (as far as known); a bundle's file as ``bundle: path:line:col``."""
    return _position(display(finding.path) + (f": {finding.bundled}" if finding.bundled is not None else ""), finding)


def _position(text: str, finding: Finding) -> str:
    if finding.line is not None:
        text += f":{finding.line}"
        if finding.column is not None:
            text += f":{finding.column}"
    return text


def text_line(finding: Finding) -> str:
    """``path:LINE:COL: error: <what> (<field>) [<rule>]`` and an indented hint line; line
    breaks inside any part are escaped, so a value can never start a line of its own."""
    line = f"{line_start(one_line(location(finding)))}: {WORDS[finding.severity]}: {one_line(finding.message)}"
    if finding.field:
        line += f" ({one_line(finding.field)})"
    line += f" [{finding.rule}]"
    if finding.hint:
        line += f"\n    hint: {one_line(finding.hint)}"
    return line


def counts(findings: Iterable[Finding]) -> Counter[Severity]:
    return Counter(f.severity for f in findings)


def summary(checked: Tally, findings: Sequence[Finding]) -> str:
    tally = counts(findings)
    return (
        f"checked {checked.projects} projects, {checked.cards + checked.invalid_cards} cards "
        f"({checked.invalid_cards} invalid), {checked.glossary_terms} glossary terms: "
        + ", ".join(counted(tally[severity], word) for severity, word in WORDS.items())
    )


def _terms(checked: CheckedDossier) -> int:
    """Org terms plus every project's own."""
    dossier = checked.dossier
    return len(dossier.glossary) + sum(len(p.glossary) for p in dossier.projects.values())


def counted(n: int, word: str) -> str:
    """``1 error``, ``2 errors``: a count of one of the CLI's English words."""
    return f"{n} {word}" + ("" if n == 1 else "s")


def as_text(checked: Tally, findings: Sequence[Finding],
            repositories: Mapping[Path, Repository] | None = None) -> str:
    lines = [text_line(f) for f in findings]
    lines.append(summary(checked, findings))
    return "\n".join(lines) + "\n"


def finding_dict(finding: Finding, repositories: Mapping[Path, Repository] | None = None) -> dict[str, Any]:
    inside, repository = annotation_path(finding.path, repositories)
    return {
        "file": display(finding.path),
        "bundled_file": finding.bundled,
        "repository_file": inside,
        "repository": repository,
        "line": finding.line,
        "column": finding.column,
        "severity": WORDS[finding.severity],
        "rule": finding.rule,
        "message": finding.message,
        "field": finding.field,
        "hint": finding.hint,
        "project": finding.project,
        "related": list(finding.related),
    }


def as_json(checked: Tally, findings: Sequence[Finding],
            repositories: Mapping[Path, Repository] | None = None) -> str:
    tally = counts(findings)
    payload = {
        "version": 1,
        "summary": {
            "projects": checked.projects,
            "cards": checked.cards,
            "invalid_cards": checked.invalid_cards,
            "glossary_terms": checked.glossary_terms,
            "errors": tally[Severity.ERROR],
            "warnings": tally[Severity.WARNING],
            "notes": tally[Severity.INFO],
        },
        "findings": [finding_dict(f, repositories) for f in findings],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation_path(path: Path, repositories: Mapping[Path, Repository] | None = None) -> tuple[str, str | None]:
    """Where a CI system finds ``path``, from the top of a repository, and that repository's web
    address when it is not the one checked out here: a card of a source that names its own
    repository (``sources: [{path, repo_url}]``) is named inside that repository; any other file
    from the top of the work tree the command runs in, else of its own work tree (a checkout
    beside it), else as ``display`` names it."""
    own = own_repository(path, repositories or {})
    if own is not None:
        return own[1].file_path(own[0], path), own[1].url
    here = work_tree(Path.cwd().resolve())
    absolute = Path(os.path.abspath(path))
    if here is not None and here in absolute.parents:
        return absolute.relative_to(here).as_posix(), None
    return repository_path(absolute) or display(path), None


def github_line(finding: Finding, repositories: Mapping[Path, Repository] | None = None) -> str:
    """One GitHub Actions workflow command, e.g. ``::error file=a.md,line=3,col=1,title=...::msg``;
    the file named from the top of its repository (``annotation_path``), which GitHub maps."""
    file, elsewhere = annotation_path(finding.path, repositories)
    props = [f"file={_escape_property(file)}"]
    if finding.line is not None and finding.bundled is None:  # a bundle's line is its file's, said below
        props.append(f"line={finding.line}")
    if finding.column is not None and finding.bundled is None:
        props.append(f"col={finding.column}")
    props.append(f"title={_escape_property('mltrl-docs ' + finding.rule)}")
    message = finding.message + (f" ({finding.field})" if finding.field else "")
    if finding.bundled is not None:
        message = f"{_position(finding.bundled, finding)}: {message}"
    if elsewhere is not None:
        message += f"\nin {elsewhere}: {file}"
    if finding.hint:
        message += f"\nhint: {finding.hint}"
    return f"::{_GITHUB_LEVEL[finding.severity]} {','.join(props)}::{_escape_data(message)}"


def as_github(checked: Tally, findings: Sequence[Finding],
              repositories: Mapping[Path, Repository] | None = None) -> str:
    lines = [github_line(f, repositories) for f in findings]
    lines.append(summary(checked, findings))
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
        return head + (f"; nothing stands between {one_line(display(card.path))} "
                       f"and the gates of level {gates.declared + 1}\n")
    lines = [head + f"; to pass the gates of level {gates.declared + 1}, {one_line(display(card.path))} needs:"]
    for item in gates.gap:
        where = f" (line {item.position.line})" if item.position else ""
        lines.append(f"  [ ] {one_line(item.text)}{where} [{item.rule}]")
    return "\n".join(lines) + "\n"


def gap_github(project_id: str, dossier: CheckedDossier) -> str:
    """``check --next --format github``: each item as a notice on its line of the card (so the
    pull request shows what is left where it is to be done), then the text's first line."""
    project = dossier.projects[project_id]
    gates = dossier.gates.projects.get(project_id)
    head = gap_text(project_id, dossier).splitlines()[0]
    if gates is None or project.current is None or gates.declared >= 9 or not gates.gap:
        return line_start(head) + "\n"
    card, _ = annotation_path(project.current.path)
    lines = []
    for item in gates.gap:
        props = [f"file={_escape_property(card)}"]
        if item.position is not None:
            props += [f"line={item.position.line}", f"col={item.position.column}"]
        props.append(f"title={_escape_property(f'mltrl-docs next level {gates.declared + 1}: {item.rule}')}")
        lines.append(f"::notice {','.join(props)}::{_escape_data(item.text)}")
    lines.append(line_start(head.rstrip(":")))
    return "\n".join(lines) + "\n"


def gap_json(project_id: str, dossier: CheckedDossier) -> str:
    """``check --next --format json``, as ``schema/next-output.schema.json`` describes it: every
    key always there, null (and an empty gap) when the project has no valid card."""
    project = dossier.projects[project_id]
    gates = dossier.gates.projects.get(project_id)
    data: dict[str, Any] = {"version": 1, "project": project_id,
                            "file": display(project.current.path) if project.current else None,
                            "declared": None, "earned": None, "next": None, "gap": []}
    if gates is not None:
        data |= {"declared": gates.declared, "earned": gates.earned, "next": min(gates.declared + 1, 9),
                 "gap": [{"rule": i.rule, "text": i.text, "field": i.field,
                          "line": i.position.line if i.position else None,
                          "column": i.position.column if i.position else None} for i in gates.gap]}
    return json.dumps(data, indent=2) + "\n"
