"""Load one file: a Markdown file becomes a Card, an InvalidCard or an Attachment;
a glossary file becomes GlossaryTerms. Every problem is a located Finding.

A file is a card when its frontmatter has ``level:``. When the frontmatter is
too broken to parse, the raw text decides, so a broken card is listed as an
invalid card rather than mistaken for a page or dropped.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from mltrl_docs import assemble, frontmatter, schema
from mltrl_docs.body import read_body
from mltrl_docs.findings import Finding, Position, Severity, error, has_errors
from mltrl_docs.levels import level
from mltrl_docs.model import Attachment, Card, GlossaryTerm, InvalidCard
from mltrl_docs.yamldata import YamlDocument, YamlSyntaxError, read_yaml

Loaded = Card | InvalidCard | Attachment | None
_LEVEL_BYTES = re.compile(rb"^level[ \t]*:", re.MULTILINE)
_H1 = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.MULTILINE)


def read_text(path: Path) -> tuple[str | None, Finding | None, bytes]:
    """The file's text, or a finding saying why it cannot be read as UTF-8 text."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, error("io", f"cannot read file: {exc.strerror or exc}", path, Position(1, 1),
                           hint="check the file's permissions"), b""
    text = frontmatter.decode(data)
    if isinstance(text, frontmatter.TextProblem):
        return None, error("encoding", text.message, path, text.position, hint=text.hint), data
    return text, None, data


def load_markdown(path: Path, project_id: str) -> tuple[Loaded, list[Finding]]:
    """Read a Markdown file of a project folder."""
    text, problem, data = read_text(path)
    if text is None:
        assert problem is not None
        is_card = bool(_LEVEL_BYTES.search(data[:4000]))
        return (_invalid(path, project_id, [problem]) if is_card else None), [problem]
    if not text.strip():
        finding = Finding(Severity.WARNING, "empty", "file is empty", path, Position(1, 1),
                          hint="write the page or card, or delete the file")
        return Attachment(path, _page_title(path, "", None)), [finding]
    parts = frontmatter.split(text)
    if isinstance(parts, frontmatter.TextProblem):
        finding = error("frontmatter", parts.message, path, parts.position, hint=parts.hint)
        is_card = frontmatter.looks_like_card(text)
        return (_invalid(path, project_id, [finding]) if is_card else None), [finding]
    if parts.frontmatter is None:
        return Attachment(path, _page_title(path, parts.body, None)), []
    try:
        document = read_yaml(parts.frontmatter, parts.frontmatter_line)
    except YamlSyntaxError as exc:
        p = exc.problem
        finding = error("yaml", p.message, path, p.position, hint=p.hint)
        return (_invalid(path, project_id, [finding]) if parts.looks_like_card else None), [finding]
    data_ = document.data
    if not (isinstance(data_, dict) and "level" in data_) and not parts.looks_like_card:
        return _attachment(path, parts, document)
    return _card(path, project_id, parts, document)


def _card(path: Path, project_id: str, parts: frontmatter.SplitText,
          document: YamlDocument) -> tuple[Loaded, list[Finding]]:
    fence = Position(parts.frontmatter_line - 1, 1)
    findings = schema.check("level-card", document, path, fence)
    if has_errors(findings):
        return _invalid(path, project_id, findings, document.data), findings
    body = read_body(parts.body, parts.body_line)
    return assemble.card(document.data, body, path, document.keys | _values_only(document)), findings


def _values_only(document: YamlDocument) -> dict:
    """Value positions for paths that have no key (list items)."""
    return {p: pos for p, pos in document.values.items() if p not in document.keys}


def _attachment(path: Path, parts: frontmatter.SplitText,
                document: YamlDocument) -> tuple[Loaded, list[Finding]]:
    findings = [error("yaml", p.message, path, p.position, hint=p.hint) for p in document.problems]
    meta = document.data if isinstance(document.data, dict) else {}
    if document.data is not None and not isinstance(document.data, dict):
        findings.append(error("frontmatter", "frontmatter must be 'key: value' lines", path,
                              Position(parts.frontmatter_line, 1), hint="write a mapping, e.g. 'title: Ethics checklist'"))
    return Attachment(path, _page_title(path, parts.body, meta.get("title"))), findings


def _page_title(path: Path, body: str, title: Any) -> str:
    if isinstance(title, str) and title.strip():
        return title.strip()
    heading = _H1.search(body)
    if heading:
        return heading.group(1)
    return path.stem.replace("-", " ").replace("_", " ").strip().capitalize() or path.name


def _invalid(path: Path, project_id: str, findings: list[Finding], data: Any = None) -> InvalidCard:
    """Keep what can be trusted of a broken card, so it can still be listed by title and level."""
    data = data if isinstance(data, dict) else {}
    title = data.get("title")
    number = data.get("level")
    date = None
    if isinstance(data.get("date"), str):
        try:
            date = dt.date.fromisoformat(data["date"])
        except ValueError:
            date = None
    return InvalidCard(
        path=path,
        project_id=project_id,
        findings=tuple(f for f in findings if f.severity is Severity.ERROR),
        title=title.strip() if isinstance(title, str) and title.strip() else None,
        level=level(number) if type(number) is int and 0 <= number <= 9 else None,
        date=date,
    )


def load_glossary(path: Path, project: str | None = None) -> tuple[list[GlossaryTerm], list[Finding]]:
    """Read a glossary file; a broken file yields no terms and says why."""
    text, problem, _ = read_text(path)
    if text is None:
        assert problem is not None
        return [], [problem]
    try:
        document = read_yaml(text, 1)
    except YamlSyntaxError as exc:
        p = exc.problem
        return [], [error("yaml", p.message, path, p.position, hint=p.hint)]
    if document.data is None:
        return [], [error("glossary", "glossary file is empty", path, Position(1, 1),
                          hint="start it with 'mltrl: 1' and a 'terms:' list")]
    findings = schema.check("glossary", document, path, Position(1, 1))
    bad_terms = _bad_terms(findings) if has_errors(findings) else set()
    if bad_terms is None:
        return [], findings
    positions = document.keys | _values_only(document)
    terms = assemble.glossary_terms(document.data, path, positions, project, skip=bad_terms)
    return terms, findings


_TERM_FIELD = re.compile(r"^terms\[(\d+)\]")


def _bad_terms(findings: list[Finding]) -> set[int] | None:
    """Indices of the terms with errors, or None when an error is outside any term."""
    bad: set[int] = set()
    for finding in findings:
        if finding.severity is not Severity.ERROR:
            continue
        match = _TERM_FIELD.match(finding.field or "")
        if match is None:
            return None
        bad.add(int(match.group(1)))
    return bad
