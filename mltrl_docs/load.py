"""Load one file: a Markdown file becomes a Card, an InvalidCard or an Attachment;
a glossary file becomes GlossaryTerms. Every problem is a located Finding.

A file is a card when its frontmatter has ``level:``. When the frontmatter is
too broken to parse, the raw text decides, so a broken card is listed as an
invalid card rather than mistaken for a page or dropped.

What a file may make the loader do is bounded by the site's ``limits:``
(settings.Limits): its size, its YAML's depth and values, a title's and a
glossary name's length. Invisible control characters are reported where they
are and replaced, so none reaches a page; a card holding one is invalid.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mltrl_docs import assemble, frontmatter, ids, schema
from mltrl_docs.body import read_body
from mltrl_docs.findings import Finding, Position, Severity, cut, error, has_errors
from mltrl_docs.levels import level
from mltrl_docs.model import Attachment, Card, Cited, GlossaryTerm, InvalidCard
from mltrl_docs.references import reference
from mltrl_docs.yamldata import DataPath, Positions, YamlDocument, YamlProblem, YamlSyntaxError, read_yaml

if TYPE_CHECKING:
    from mltrl_docs.settings import Limits

Loaded = Card | InvalidCard | Attachment | None
MAX_TITLE = 200
"""Characters of a card or page title at most: it is shown in every navigation (the default
of ``limits.title``)."""
MAX_GLOSSARY_NAME = 100
"""Characters of a glossary term, alias, team name or team word at most (the default of
``limits.glossary_name``)."""
HEAD_BYTES = 4_000
"""The start of a file that cannot be read as text, kept to tell a card from a page."""
_LEVEL_BYTES = re.compile(rb"^level[ \t]*:", re.MULTILINE)
_H1 = re.compile(r"^#[ \t]+(.+)$", re.MULTILINE)
"""An ATX h1 line; its closing '#'s are stripped in code (a lazy group before a trailing run
is quadratic on a long line)."""


def _limits(limits: Limits | None) -> Limits:
    """``limits``, or the defaults (imported here: settings imports this module)."""
    if limits is not None:
        return limits
    from mltrl_docs.settings import Limits

    return Limits()


def read_text(path: Path, max_bytes: int = frontmatter.MAX_FILE_BYTES) -> tuple[str | None, list[Finding], bytes]:
    """The file's text with invisible control characters replaced, and findings: why it
    cannot be read as UTF-8 text (then the text is None), or where it holds invisible
    characters; and its first HEAD_BYTES bytes. The size is checked before reading, so a
    huge file is never read whole."""
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            return None, [error("io", "not a regular file (a pipe, socket or device); not read", path,
                                Position(1, 1), hint="replace it with a text file")], b""
        if status.st_size > max_bytes:
            return None, [_problem("limit", path, frontmatter.too_big(status.st_size, max_bytes))], _head(path)
        with path.open("rb") as file:
            data = file.read(max_bytes + 1)  # the file may have grown since stat
    except OSError as exc:
        return None, [error("io", f"cannot read file: {exc.strerror or exc}", path, Position(1, 1),
                            hint="check the file's permissions")], b""
    if len(data) > max_bytes:
        return None, [_problem("limit", path, frontmatter.too_big(len(data), max_bytes))], data[:HEAD_BYTES]
    text = frontmatter.decode(data, max_bytes)
    if isinstance(text, frontmatter.TextProblem):
        return None, [_problem("encoding", path, text)], data[:HEAD_BYTES]
    text, problems = frontmatter.invisible_characters(text)
    findings = [_problem("control-character" if p.severity is Severity.ERROR else "bidi", path, p) for p in problems]
    return text, findings, data[:HEAD_BYTES]


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as file:
            return file.read(HEAD_BYTES)
    except OSError:
        return b""


def _problem(rule: str, path: Path, problem: frontmatter.TextProblem) -> Finding:
    return Finding(problem.severity, rule, problem.message, path, problem.position, hint=problem.hint)


def yaml_findings(problems: list[YamlProblem], path: Path, severity: Severity = Severity.ERROR) -> list[Finding]:
    """Findings for YAML problems (or, with ``severity``, for ``YamlDocument.warnings``)."""
    return [Finding(severity, p.rule, p.message, path, p.position, hint=p.hint) for p in problems]


def load_markdown(path: Path, project_id: str, limits: Limits | None = None) -> tuple[Loaded, list[Finding]]:
    """Read a Markdown file of a project folder; ``limits`` are the site's (default: the defaults)."""
    limits = _limits(limits)
    text, found, head = read_text(path, limits.file_bytes)
    if text is None:
        is_card = bool(_LEVEL_BYTES.search(head))
        return (_invalid(path, project_id, found, title_limit=limits.title) if is_card else None), found
    loaded, findings = _load_text(path, project_id, text, limits)
    errors = tuple(f for f in found if f.severity is Severity.ERROR)
    if errors and isinstance(loaded, Card):  # an invisible character: listed, never rendered
        loaded = InvalidCard.of(loaded, errors, project_id)
    elif errors and isinstance(loaded, InvalidCard):
        loaded = dataclasses.replace(loaded, findings=errors + loaded.findings)
    return loaded, found + findings


def load_text(path: Path, project_id: str, text: str, limits: Limits | None = None) -> tuple[Loaded, list[Finding]]:
    """Read a card or page given as text, as ``load_markdown`` reads a file: a bundle's card,
    compared where it is no file (``readiness_diff``)."""
    return _load_text(path, project_id, text, _limits(limits))


def _load_text(path: Path, project_id: str, text: str, limits: Limits) -> tuple[Loaded, list[Finding]]:
    if not text.strip():
        finding = Finding(Severity.WARNING, "empty", "file is empty", path, Position(1, 1),
                          hint="write the page or card, or delete the file")
        page, found = _page(path, None, None, limits.title)
        return page, [finding, *found]
    parts = frontmatter.split(text)
    if isinstance(parts, frontmatter.TextProblem):
        finding = error("frontmatter", parts.message, path, parts.position, hint=parts.hint)
        is_card = frontmatter.looks_like_card(text)
        return (_invalid(path, project_id, [finding], title_limit=limits.title) if is_card else None), [finding]
    if parts.frontmatter is None:
        return _page(path, parts, None, limits.title)
    try:
        document = read_yaml(parts.frontmatter, parts.frontmatter_line, max_depth=limits.yaml_depth,
                             max_nodes=limits.yaml_nodes)
    except YamlSyntaxError as exc:
        [finding] = yaml_findings([exc.problem], path)
        return (_invalid(path, project_id, [finding], title_limit=limits.title) if parts.looks_like_card
                else None), [finding]
    data_ = document.data
    if not (isinstance(data_, dict) and frontmatter.card_like(data_)) and not parts.looks_like_card:
        return _attachment(path, parts, document, limits)
    return _card(path, project_id, parts, document, limits)


def _card(path: Path, project_id: str, parts: frontmatter.SplitText,
          document: YamlDocument, limits: Limits) -> tuple[Loaded, list[Finding]]:
    fence = Position(parts.frontmatter_line - 1, 1)
    document.problems += format_version_problems(document)
    findings, touched = schema.check_touching("level-card", document, path, fence)
    if isinstance(document.data, dict) and "level" not in document.data:
        findings = [*_no_level(document, path, fence), *(f for f in findings if f.message != _MISSING_LEVEL)]
    findings += _too_long(document, ("title",), "title", limits.title, "limits.title", path)
    findings += yaml_findings(document.warnings, path, Severity.WARNING)
    # Schema errors do not stop the check of what they do not touch: one run reports all it can.
    data = document.data if isinstance(document.data, dict) and () not in touched else {}
    findings += ids.card_findings(_untouched(data, touched), document.where, path)
    positions = Positions.of(document)
    if has_errors(findings):
        invalid = _invalid(path, project_id, findings, document.data, limits.title)
        return dataclasses.replace(invalid, citations=tuple(_citations(data, path, touched)),
                                   coupled=tuple(_coupled(data, touched)), positions=positions), findings
    body = read_body(parts.body, parts.body_line)
    return assemble.card(document.data, body, path, positions), findings


def _untouched(data: dict[str, Any], touched: set[DataPath]) -> dict[str, Any]:
    """``project`` and the ``coupled`` ids that no error touches (for ``ids.card_findings``)."""
    kept: dict[str, Any] = {}
    if isinstance(data.get("project"), str) and not schema.touches(touched, ("project",)):
        kept["project"] = data["project"]
    kept["coupled"] = [value if not schema.touches(touched, ("coupled", index)) else None
                       for index, value in enumerate(data["coupled"])] if isinstance(data.get("coupled"), list) else []
    return kept


def _coupled(data: dict[str, Any], touched: set[DataPath]) -> Iterator[tuple[int, str]]:
    """(index, id) of each ``coupled`` entry of an invalid card that no error touches."""
    entries = data.get("coupled")
    for index, value in enumerate(entries if isinstance(entries, list) else ()):
        if isinstance(value, str) and not schema.touches(touched, ("coupled", index)) and ids.id_problem(value) is None:
            yield index, value


def _citations(data: dict[str, Any], path: Path, touched: set[DataPath]) -> Iterator[Cited]:
    """What an invalid card cites, as ``Card.cited`` lists it, where no error touches it: the
    references are checked all the same (``rules.references``)."""
    found: list[Cited] = []

    def cite(target: Any, at: DataPath, what: str) -> None:
        if isinstance(target, str) and target.strip() and not schema.touches(touched, at):
            found.append(Cited(reference(target, path), at, what))

    links = data.get("links")
    for name, url in links.items() if isinstance(links, dict) else ():
        cite(url, ("links", name), f"link '{name}'")
    for i, requirement in _mappings(data.get("requirements")):
        rid = requirement.get("id")
        name = str(rid) if isinstance(rid, str | int | float) and not isinstance(rid, bool) else f"#{i + 1}"
        for j, target in _entries(requirement.get("evidence")):
            cite(target, ("requirements", i, "evidence", j), f"evidence of requirement {name}")
        for k, criterion in _mappings(requirement.get("acceptance")):
            key = "tests" if "tests" in criterion else "source"
            cite(criterion.get(key), ("requirements", i, "acceptance", k, key),
                 f"acceptance evidence of requirement {name}")
    ethics = data.get("ethics")
    if isinstance(ethics, dict):
        cite(ethics.get("checklist"), ("ethics", "checklist"), "ethics checklist")
    for i, dataset in _mappings(data.get("datasets")):
        cite(dataset.get("link"), ("datasets", i, "link"), f"link of dataset '{dataset.get('name')}'")
    monitoring = data.get("monitoring")
    if isinstance(monitoring, dict):
        cite(monitoring.get("dashboard"), ("monitoring", "dashboard"), "monitoring dashboard")
    for i, test in _mappings(data.get("deployment_tests")):
        for j, target in _entries(test.get("evidence")):
            cite(target, ("deployment_tests", i, "evidence", j), f"evidence of {test.get('kind')} test {i + 1}")
    return iter(found)


def _entries(value: Any) -> Iterator[tuple[int, Any]]:
    return enumerate(value if isinstance(value, list) else ())


def _mappings(value: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    return ((i, item) for i, item in _entries(value) if isinstance(item, dict))


_MISSING_LEVEL = "missing required field 'level'"
"""The schema's message for a card without ``level:``, which ``_no_level`` says better."""


def _no_level(document: YamlDocument, path: Path, fence: Position) -> list[Finding]:
    """A card-like frontmatter (``frontmatter.card_like``) without ``level:``: without this
    error the file would be published as a page, and its project's level silently drop."""
    keys = list(document.data)
    typo = frontmatter.level_typo(keys)
    marks = " and ".join(f"'{key}:'" for key in keys if key in frontmatter.CARD_MARKS)
    message = f"frontmatter looks like a level card (it has {marks} and card fields) but has no 'level:'"
    if typo is not None:
        line = document.keys.get((typo,))
        hint = (f"did you mean 'level' for '{typo}'" + (f" (line {line.line})" if line else "")
                + "? write 'level: N' (0..9) to make it a card")
    else:
        hint = ("add 'level: N' (0..9) to make it a card; a page of the project keeps only page fields "
                "such as title and tags")
    return [error("card", message, path, fence, field="level", hint=hint)]


FORMAT_VERSIONS_WRITTEN = ("1", "1.1", "1.2")
"""How a format version is written as a YAML number; ``mltrl: "1.1"`` in quotes is text."""
FORMAT_VERSIONS: dict[float, str] = {1: "1", 1.1: "1.1", 1.2: "1.2"}
"""Each format version as YAML reads it, and as it is written."""


def format_version_problems(document: YamlDocument) -> list[YamlProblem]:
    """``mltrl`` written as a number YAML reads as a format version, but not as one is written:
    ``mltrl: 1.10`` is the number 1.1, ``mltrl: 1.20`` 1.2 and ``mltrl: 1.0`` the number 1, which the
    schema would take for formats 1.1, 1.2 and 1 (a YAML 1.1 surprise, card-format.md). Other numbers are the
    schema's to reject; a spelling the reader already reported (``01``, YAML 1.1 octal) is not
    reported twice."""
    data = document.data
    if not isinstance(data, dict):
        return []
    value, written = data.get("mltrl"), document.raw.get(("mltrl",))
    if written is None or isinstance(value, bool) or not isinstance(value, int | float):
        return []
    if written.strip() in FORMAT_VERSIONS_WRITTEN or value not in FORMAT_VERSIONS:
        return []
    if any(problem.path == ("mltrl",) for problem in document.problems):
        return []
    read = FORMAT_VERSIONS[value]
    position = document.values.get(("mltrl",)) or document.where(("mltrl",)) or Position(1, 1)
    return [YamlProblem(f"mltrl is written '{written}', which YAML reads as the number {read}; a format "
                        "version is written exactly 1, 1.1 or 1.2",
                        f"write 'mltrl: {read}' if you mean format {read} (the formats are 1, 1.1 and 1.2)",
                        position, ("mltrl",))]


def _attachment(path: Path, parts: frontmatter.SplitText,
                document: YamlDocument, limits: Limits) -> tuple[Loaded, list[Finding]]:
    findings = yaml_findings(document.problems, path) + yaml_findings(document.warnings, path, Severity.WARNING)
    meta = document.data if isinstance(document.data, dict) else {}
    if document.data is not None and not isinstance(document.data, dict):
        findings.append(error("frontmatter", "frontmatter must be 'key: value' lines", path,
                              Position(parts.frontmatter_line, 1),
                              hint="write a mapping, e.g. 'title: Ethics checklist'"))
    page, found = _page(path, parts, document if "title" in meta else None, limits.title)
    if isinstance(meta.get("checklist"), str):  # the page follows a checklist template
        page = dataclasses.replace(page, checklist=meta["checklist"].strip())
    return page, findings + found


def _page(path: Path, parts: frontmatter.SplitText | None, document: YamlDocument | None,
          limit: int) -> tuple[Attachment, list[Finding]]:
    """An attachment whose title (frontmatter ``title``, first heading or file name) fits
    ``limits.title``: a longer one is cut and reported, so it never fills a navigation."""
    body, line = (parts.body, parts.body_line) if parts is not None else ("", 1)
    meta_title = document.data.get("title") if document is not None else None
    title = _page_title(path, body, meta_title)
    if len(title) <= limit:
        return Attachment(path, title, body, line), []
    if document is not None and isinstance(meta_title, str) and meta_title.strip():
        where = document.values.get(("title",)) or Position(1, 1)
    else:
        index = body.find(title[:limit])
        where = Position(parts.body_line + body.count("\n", 0, index), 1) if parts and index >= 0 else Position(1, 1)
    finding = _length_finding("page title", len(title), limit, "limits.title", path, where,
                              "keep a page title to a line, and put the rest in the page")
    return Attachment(path, cut(title, limit), body, line), [finding]


def _too_long(document: YamlDocument, path_: DataPath, what: str, limit: int, setting: str,
              path: Path) -> list[Finding]:
    """An error when the text at ``path_`` is longer than ``limit`` characters."""
    value = _at(document.data, path_)
    if not isinstance(value, str) or len(value.strip()) <= limit:
        return []
    where = document.values.get(path_) or document.where(path_) or Position(1, 1)
    hint = ("keep the title to the technology's name and put the rest in the TL;DR" if what == "title"
            else "a name is a few words: put the rest in the term's definition")
    return [_length_finding(what, len(value.strip()), limit, setting, path, where, hint, schema.field_name(path_))]


def _length_finding(what: str, length: int, limit: int, setting: str, path: Path, where: Position,
                    hint: str, field: str | None = None) -> Finding:
    return error("limit", f"{what} is {length:,} characters; the limit is {limit:,} ({setting})", path, where,
                 field=field, hint=f"{hint} (or raise {setting} in mltrl-docs.yml)")


def _at(data: Any, path_: DataPath) -> Any:
    for part in path_:
        if isinstance(data, dict) and isinstance(part, str):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data


def _page_title(path: Path, body: str, title: Any) -> str:
    if isinstance(title, str) and title.strip():
        return title.strip()
    heading = _H1.search(body)
    if heading:
        return heading.group(1).rstrip(" \t#") or heading.group(1)[:1]
    return path.stem.replace("-", " ").replace("_", " ").strip().capitalize() or path.name


def _invalid(path: Path, project_id: str, findings: list[Finding], data: Any = None,
             title_limit: int = MAX_TITLE) -> InvalidCard:
    """Keep what can be trusted of a broken card, so it can still be listed by title and level
    (a title cut to ``title_limit``: an over-long one is what may have made it invalid)."""
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
        title=cut(title.strip(), title_limit) if isinstance(title, str) and title.strip() else None,
        level=level(number) if type(number) is int and 0 <= number <= 9 else None,
        date=date,
    )


def load_glossary(path: Path, project: str | None = None,
                  limits: Limits | None = None) -> tuple[list[GlossaryTerm], list[Finding]]:
    """Read a glossary file; a broken file yields no terms and says why, a broken term
    (or one with a name longer than ``limits.glossary_name``) is reported and skipped."""
    limits = _limits(limits)
    text, found, _ = read_text(path, limits.file_bytes)
    if text is None:
        return [], found
    try:
        document = read_yaml(text, 1, max_depth=limits.yaml_depth, max_nodes=limits.yaml_nodes)
    except YamlSyntaxError as exc:
        return [], found + yaml_findings([exc.problem], path)
    if document.data is None:
        return [], [*found, error("glossary", "glossary file is empty", path, Position(1, 1),
                                  hint="start it with 'mltrl: 1' and a 'terms:' list")]
    document.problems += format_version_problems(document)
    findings = schema.check("glossary", document, path, Position(1, 1))
    bad_terms = _bad_terms(findings) if has_errors(findings) else set()
    found += yaml_findings(document.warnings, path, Severity.WARNING)
    if bad_terms is None:
        return [], found + findings
    long_names, too_long = _long_names(document, path, limits.glossary_name)
    positions = Positions.of(document)
    terms = assemble.glossary_terms(document.data, path, positions, project, skip=bad_terms | too_long)
    return terms, found + findings + long_names


def _long_names(document: YamlDocument, path: Path, limit: int) -> tuple[list[Finding], set[int]]:
    """Findings for names over ``limits.glossary_name``, and the indices of their terms."""
    terms = document.data.get("terms") if isinstance(document.data, dict) else None
    findings: list[Finding] = []
    bad: set[int] = set()
    for index, term in enumerate(terms if isinstance(terms, list) else ()):
        if not isinstance(term, dict):
            continue
        names: list[tuple[DataPath, str]] = [(("terms", index, "term"), "glossary term")]
        aliases = term.get("aliases")
        names += [(("terms", index, "aliases", i), "alias") for i in range(len(aliases))] \
            if isinstance(aliases, list) else []
        teams = term.get("teams")
        for team in teams if isinstance(teams, dict) else ():
            names.append((("terms", index, "teams", team), "team word"))
            if len(team) > limit:
                where = document.keys.get(("terms", index, "teams", team)) or Position(1, 1)
                findings.append(_length_finding("team name", len(team), limit, "limits.glossary_name", path, where,
                                                "a team name is a few words",
                                                schema.field_name(("terms", index, "teams"))))
                bad.add(index)
        for name_path, what in names:
            found = _too_long(document, name_path, what, limit, "limits.glossary_name", path)
            if found:
                findings += found
                bad.add(index)
    return findings, bad


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

