"""Views: a query's answer shown inside a hand-written page of the site, as a table, a list,
a count, or a bar or pie chart.

A page asks for a view with a fenced block or a comment (``docs/views.md``)::

    ```mltrl-view bar title="Projects by phase"
    projects group by phase
    ```

    <!-- mltrl-view pie: projects group by team -->

``find_views`` finds them in a page's Markdown (one pass over its lines, skipping every other
fenced code block, so a page can show a view's source in a longer fence); ``Views`` answers
each query once per build and renders each block to one raw HTML block that Python-Markdown
passes through as it is (no blank line inside); ``splice`` puts them in the page. A view that
cannot be shown (a bad query, an unknown form, a chart without ``group by``) becomes a visible
error box, and its finding is located in the page's file at the line and column of the problem.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from mltrl_docs.dossier import CheckedDossier
from mltrl_docs.findings import Finding, Position, Severity, error
from mltrl_docs.messages import Messages
from mltrl_docs.query import Query, Tables, answer, parse
from mltrl_docs.query.answer import Answer, Column, Entity, Row, Subject, Value, ValueType
from mltrl_docs.render.charts import BarChart, PieChart, bar_chart, pie_chart
from mltrl_docs.render.html import Renderer, UrlFor
from mltrl_docs.render.pages import card_uri, project_id_uri, requirement_anchor

MARK = "mltrl-view"
"""The word that opens a view: a fence's info string starts with it, or a comment does."""


class Form(StrEnum):
    """How a view shows its answer."""

    TABLE = "table"
    LIST = "list"
    COUNT = "count"
    BAR = "bar"
    PIE = "pie"


CHARTS = (Form.BAR, Form.PIE)
"""Forms that draw the answer's groups, so their query needs ``group by``."""

OPTIONS = ("title",)
"""What a view's header may set besides its form (``title="..."``)."""

NOUNS: dict[Entity, tuple[str, str]] = {
    Entity.PROJECTS: ("view.count.projects", "view.empty.projects"),
    Entity.CARDS: ("view.count.cards", "view.empty.cards"),
    Entity.REQUIREMENTS: ("view.count.requirements", "view.empty.requirements"),
    Entity.REVIEWS: ("view.count.reviews", "view.empty.reviews"),
    Entity.FINDINGS: ("view.count.findings", "view.empty.findings"),
    Entity.TERMS: ("view.count.terms", "view.empty.terms"),
}
"""Per entity: the message counting it ("12 requirements") and the one saying none matched."""

_TOP = Position(1, 1)



# --- finding views in a page ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ViewBlock:
    """One view written in a page: where it is, what it asks and how to show it."""

    path: Path
    """The page's file."""
    start: int
    """Index of the block's first line in the page's Markdown."""
    end: int
    """Index after its last line."""
    query: str
    at: Position
    """Where ``query`` starts in the file: the query's findings are located from here."""
    form: Form = Form.TABLE
    form_at: Position = _TOP
    """Where the form word is (where the view opens when it names none)."""
    title: str | None = None
    problems: tuple[Finding, ...] = ()
    """What is wrong with the block itself (its form, its options, an unclosed block)."""
    after: str = ""
    """Text after a comment's ``-->`` on its last line: kept, below the view."""


def find_views(markdown: str, path: Path, first_line: int = 1) -> list[ViewBlock]:
    """Every view block of a page's Markdown, in order; ``first_line``: the file's line number of
    the Markdown's first line (MkDocs hands plugins the page without its front matter). Each line
    is read once or twice: a fence is skipped to its close (a fence never closed runs to the page's
    end, as CommonMark reads it; an unclosed view's opening line alone is replaced, by its error),
    a view comment is read to its ``-->`` (once one is never closed, no later one can be)."""
    lines = markdown.split("\n")
    found: list[ViewBlock] = []
    index = 0
    unclosed = False
    while index < len(lines):
        line = lines[index]
        fence = _fence(line)
        if fence is not None:
            char, length, info_at = fence
            close = _closing(lines, index + 1, char, length)
            if _word(line, info_at) == MARK:
                found.append(_fenced_view(lines, index, close, info_at, path, first_line))
            index = (close if close is not None else len(lines)) + 1
            continue
        header_at = _comment(line)
        if header_at is not None:
            block = None if unclosed else _comment_view(lines, index, header_at, path, first_line)
            if block is None:
                unclosed = True
                opened = Position(first_line + index, (_indent(line) or 0) + 1)
                problem = error("view-syntax", "the view comment is never closed", path, opened,
                                hint="end it with '-->'")
                block = ViewBlock(path, index, index + 1, "", opened, problems=(problem,))
            found.append(block)
            index = block.end
            continue
        index += 1
    return found


def splice(markdown: str, blocks: Sequence[ViewBlock], shown: Sequence[str]) -> str:
    """The page's Markdown with each block replaced by its HTML (one raw HTML block each, set off
    by blank lines); ``shown`` is in the order of ``blocks``."""
    lines = markdown.split("\n")
    out: list[str] = []
    done = 0
    for block, html in zip(blocks, shown, strict=True):
        out += lines[done:block.start]
        out += ["", html, ""]
        if block.after:
            out += [block.after]
        done = block.end
    out += lines[done:]
    return "\n".join(out)


def _indent(line: str) -> int | None:
    """The number of leading spaces when it is 0-3 (a block may start there), else None."""
    spaces = len(line) - len(line.lstrip(" "))
    return spaces if spaces <= 3 else None


def _fence(line: str) -> tuple[str, int, int] | None:
    """(fence character, fence length, index of the info string) when ``line`` opens a fenced
    code block (CommonMark: 0-3 spaces, then three or more backticks or tildes)."""
    spaces = _indent(line)
    if spaces is None or spaces >= len(line) or line[spaces] not in "`~":
        return None
    char = line[spaces]
    end = spaces
    while end < len(line) and line[end] == char:
        end += 1
    if end - spaces < 3 or (char == "`" and "`" in line[end:]):
        return None
    return char, end - spaces, end


def _closing(lines: list[str], start: int, char: str, length: int) -> int | None:
    """The index of the line that closes a fence of ``length`` ``char``s, from ``start``; None: none does."""
    for index in range(start, len(lines)):
        line = lines[index]
        spaces = _indent(line)
        if spaces is None:
            continue
        rest = line[spaces:]
        run = len(rest) - len(rest.lstrip(char))
        if run >= length and not rest[run:].strip(" \t"):
            return index
    return None


def _word(line: str, at: int) -> str:
    """The word starting at ``at`` after any spaces (a fence's info string's first word)."""
    start = len(line) - len(line[at:].lstrip(" \t"))
    end = start
    while end < len(line) and not line[end].isspace() and line[end] != ":":
        end += 1
    return line[start:end]


def _comment(line: str) -> int | None:
    """Where the header after ``<!-- mltrl-view`` starts, when ``line`` opens a view comment."""
    spaces = _indent(line)
    if spaces is None or not line.startswith("<!--", spaces):
        return None
    at = len(line) - len(line[spaces + 4:].lstrip(" \t"))
    if not line.startswith(MARK, at):
        return None
    after = at + len(MARK)
    if after < len(line) and not (line[after].isspace() or line[after] == ":"):
        return None
    return after


def _fenced_view(lines: list[str], index: int, close: int | None, info_at: int, path: Path,
                 first_line: int) -> ViewBlock:
    line = lines[index]
    line_no = first_line + index
    form, form_at, title, problems = _header(line, line.index(MARK, info_at) + len(MARK), len(line), path, line_no)
    if close is None:
        fence = line.strip()[:info_at - (_indent(line) or 0)]
        problems.append(error("view-syntax", f"the view opened with '{line.strip()}' is never closed", path,
                              Position(line_no, (_indent(line) or 0) + 1),
                              hint=f"end the block with a line of {fence}"))
        return ViewBlock(path, index, index + 1, "", Position(line_no + 1, 1), form, form_at, title, tuple(problems))
    query = "\n".join(lines[index + 1:close])
    return ViewBlock(path, index, close + 1, query, Position(line_no + 1, 1), form, form_at, title, tuple(problems))


def _comment_view(lines: list[str], index: int, header_at: int, path: Path, first_line: int) -> ViewBlock | None:
    """A ``<!-- mltrl-view [FORM] [title="..."]: QUERY -->`` comment, which may go on over lines;
    None when no ``-->`` closes it."""
    line = lines[index]
    line_no = first_line + index
    opened = Position(line_no, (_indent(line) or 0) + 1)
    colon = _header_end(line, header_at)
    close, end = index, line.find("-->", colon + 1 if colon is not None else header_at)
    while end < 0:
        close += 1
        if close == len(lines):
            return None
        end = lines[close].find("-->")
    after = lines[close][end + 3:].strip()
    if colon is None:  # what follows the mark cannot be told apart from a query
        words = len(line) - len(line[header_at:].lstrip(" \t"))
        problem = error("view-syntax", "the view comment has no ':' before its query", path,
                        Position(line_no, words + 1),
                        hint=f"write the query after a colon: <!-- {MARK} bar: projects group by phase -->")
        return ViewBlock(path, index, close + 1, "", opened, problems=(problem,), after=after)
    form, form_at, title, problems = _header(line, header_at, colon, path, line_no)
    start = colon + 1
    while start < len(line) and line[start] in " \t":
        start += 1
    if close == index:
        query = line[start:end]
    else:
        query = "\n".join([line[start:], *lines[index + 1:close], lines[close][:end]])
    return ViewBlock(path, index, close + 1, query.rstrip(), Position(line_no, start + 1), form, form_at, title,
                     tuple(problems), after)


def _header_end(line: str, start: int) -> int | None:
    """The index of the ``:`` that ends a comment's header (outside quotes), or None."""
    quote: str | None = None
    index = start
    while index < len(line):
        char = line[index]
        if quote is not None:
            if char == "\\":
                index += 1
            elif char == quote:
                quote = None
        elif char in "\"'":
            quote = char
        elif char == ":":
            return index
        elif line.startswith("-->", index):
            return None
        index += 1
    return None


def _header(line: str, start: int, end: int, path: Path, line_no: int
            ) -> tuple[Form, Position, str | None, list[Finding]]:
    """The form and options written in ``line[start:end]``: ``[FORM] [title="..."]``."""
    form: Form | None = None
    form_at = Position(line_no, start - len(MARK) + 1)
    title: str | None = None
    problems: list[Finding] = []
    index = start
    while index < end:
        if line[index] in " \t":
            index += 1
            continue
        word_end = index
        while word_end < end and not line[word_end].isspace() and line[word_end] not in "=\"'":
            word_end += 1
        word = line[index:word_end]
        here = Position(line_no, index + 1)
        if word_end < end and line[word_end] == "=":
            value, index = _quoted(line, word_end + 1, end)
            if word not in OPTIONS:
                guess = difflib.get_close_matches(word, OPTIONS, n=1)
                problems.append(error("view-syntax", f"unknown view option '{word}'"
                                      + (f"; did you mean '{guess[0]}'?" if guess else ""), path, here,
                                      hint="a view takes a form and title=\"...\""))
            elif value is None:
                problems.append(error("view-syntax", f"the {word} needs a quoted text", path,
                                      Position(line_no, word_end + 2),
                                      hint=f"quote it and end the quote: {word}=\"Projects by phase\""))
            else:
                title = value
            continue
        if not word:  # a quote where a word was expected
            problems.append(error("view-syntax", f"unexpected {line[index]!r} in the view's header", path, here,
                                  hint="quote a text only after title="))
            index += 1
            continue
        if form is not None or word.lower() not in set(Form):
            if form is None:
                guess = difflib.get_close_matches(word.lower(), list(Form), n=1)
                problems.append(error("view-form", f"unknown view form '{word}'"
                                      + (f"; did you mean '{guess[0]}'?" if guess else ""), path, here,
                                      hint="one of " + ", ".join(Form) + " (table when none is named)"))
            else:
                problems.append(error("view-syntax", f"unexpected '{word}' after the view's form '{form}'",
                                      path, here, hint="a view takes one form and title=\"...\""))
            form = form or Form.TABLE
        else:
            form, form_at = Form(word.lower()), here
        index = word_end
    return form or Form.TABLE, form_at, title, problems


def _quoted(line: str, start: int, end: int) -> tuple[str | None, int]:
    """The text of a quoted value at ``start`` ("..." or '...', backslash escapes), and where it
    ends; (None, the next space) when it is not quoted or not closed."""
    if start >= end or line[start] not in "\"'":
        stop = start
        while stop < end and not line[stop].isspace():
            stop += 1
        return None, stop
    quote = line[start]
    parts: list[str] = []
    index = start + 1
    while index < end:
        char = line[index]
        if char == "\\" and index + 1 < end:
            parts.append(line[index + 1])
            index += 2
            continue
        if char == quote:
            return "".join(parts), index + 1
        parts.append(char)
        index += 1
    return None, end


# --- an answer as a page shows it -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ShownRow:
    href: str | None
    """The page of what the row is about (its first cell links there); None: no page."""
    cells: tuple[str, ...]
    """Each column's value as text."""
    fields: tuple[tuple[str, str], ...] = ()
    """(field label, value) of each column after the first that has a value: what a list item says after its link."""


@dataclass(frozen=True, slots=True)
class ShownGroup:
    label: str
    count: int
    rows: tuple[ShownRow, ...]
    """The group's rows where the form lists them (a table, a list); empty for a count or a chart."""


@dataclass(frozen=True, slots=True)
class ShownView:
    """Everything a view's template shows (``view.html``)."""

    form: Form
    title: str | None
    query: str
    headers: tuple[str, ...]
    """Each column's field as the site's language names it (``field_label``)."""
    rows: tuple[ShownRow, ...]
    """Without ``group by``: the answer's rows."""
    groups: tuple[ShownGroup, ...]
    """With ``group by``: its groups, largest first."""
    group_by: str | None
    """The grouped field, named as ``headers`` name fields."""
    matched: int
    count_key: str
    empty_key: str
    groups_total: int = 0
    bar: BarChart | None = None
    pie: PieChart | None = None

    @property
    def empty(self) -> bool:
        return not self.rows and not self.groups

    @property
    def shown(self) -> int:
        """Rows on the page: fewer than ``matched`` after a ``limit``."""
        return len(self.rows) + sum(len(group.rows) for group in self.groups)

    @property
    def groups_matched(self) -> int:
        """With ``group by``: the groups before a ``limit`` (as many as shown when the answer does not say)."""
        return max(self.groups_total, len(self.groups))

    @property
    def label(self) -> str:
        """What names the view to a screen reader: its title, else its query."""
        return self.title or " ".join(self.query.split())


@dataclass(frozen=True, slots=True)
class Links:
    """Links from a page to what a row is about; every URL from ``url_for`` (relative to the page,
    None for a page the site does not have, so the row is text)."""

    url_for: UrlFor
    prefix: str
    glossary_uri: str
    checked: CheckedDossier

    def href(self, subject: Subject) -> str | None:
        uri, fragment = self._target(subject)
        url = self.url_for(uri) if uri is not None else None
        return None if url is None else url + fragment

    def _target(self, subject: Subject) -> tuple[str | None, str]:
        entity = subject.entity
        if entity is Entity.PROJECTS:
            return (project_id_uri(self.prefix, subject.project) if subject.project else None), ""
        if entity is Entity.TERMS:
            entry = self.checked.glossary.lookup(subject.term, subject.project) if subject.term else None
            return self.glossary_uri, f"#{entry.anchor}" if entry is not None else ""
        if subject.card is None:  # a finding outside any card, a card that is not published
            return None, ""
        if entity is Entity.REQUIREMENTS and subject.requirement is not None:
            return card_uri(self.prefix, subject.card), f"#{requirement_anchor(subject.requirement)}"
        return card_uri(self.prefix, subject.card), ""


def shown_view(found: Answer, block: ViewBlock, links: Links, messages: Messages) -> ShownView:
    """What ``block`` shows of ``found``: texts in the site's language, rows linked, charts laid out."""
    count_key, empty_key = NOUNS[found.entity]
    labels = {column.name: field_label(column.name, messages)
              for column in (*found.columns, *((found.group_by,) if found.group_by is not None else ()))}

    def row(item: Row) -> ShownRow:
        cells = tuple(_text(value, column, messages) for value, column in zip(item.values, found.columns, strict=True))
        return ShownRow(links.href(item.subject), cells,
                        tuple((labels[column.name], cell) for column, cell in zip(found.columns[1:], cells[1:],
                                                                                  strict=True) if cell))

    group_by = found.group_by
    listed = block.form in (Form.TABLE, Form.LIST)  # a count or a chart shows a group's size, not its rows
    groups = tuple(ShownGroup(_key(group.key, group_by, messages), group.count,
                              tuple(map(row, group.rows)) if listed else ())
                   for group in found.groups) if group_by is not None else ()
    rows = () if group_by is not None else tuple(map(row, found.rows))
    sizes = [(group.label, group.count) for group in groups]
    headers = tuple(labels[column.name] for column in found.columns)
    return ShownView(block.form, block.title, block.query, headers, rows, groups,
                     labels[group_by.name] if group_by is not None else None, found.matched, count_key, empty_key,
                     found.groups_matched, bar_chart(sizes) if block.form is Form.BAR and sizes else None,
                     pie_chart(sizes) if block.form is Form.PIE and sizes else None)


def field_label(name: str, messages: Messages) -> str:
    """What a view calls a field of the query language in its headers, list items and group headings
    (``view.field.<name>``: "Days at level" for ``at_level``), in the site's language."""
    return messages.text(f"view.field.{name}")


def _text(value: Value, column: Column, messages: Messages) -> str:
    """One cell as text: a date in the site's format, days as "N days", yes/no, a list joined."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return messages.text("view.value.yes" if value else "view.value.no")
    if isinstance(value, dt.date):
        return messages.date(value)
    if isinstance(value, int) and column.type is ValueType.DAYS:
        return messages.plural("common.days", value)
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, tuple):
        return ", ".join(value)
    return str(value)


def _key(value: Value, column: Column, messages: Messages) -> str:
    """A group's name: its value as a cell shows it, or "none" for the rows without one."""
    text = _text(value, column, messages)
    return text if text else messages.text("view.group.none")


# --- rendering --------------------------------------------------------------------------------


def render_view(renderer: Renderer, view: ShownView) -> str:
    """``view`` as one raw HTML block (``view.html``)."""
    return one_block(renderer.env.get_template("view.html").render(view=view))


def render_problems(renderer: Renderer, block: ViewBlock, findings: Sequence[Finding]) -> str:
    """The error box that stands in a page for a view that cannot be shown (``view_error.html``)."""
    return one_block(renderer.env.get_template("view_error.html").render(block=block, findings=findings))


def one_block(html: str) -> str:
    """``html`` without blank lines, so that Python-Markdown takes it as one raw HTML block and
    passes it through (a blank line would end the block; HTML reads a line break as a space)."""
    return "\n".join(line for line in html.split("\n") if line.strip())


def chart_needs_groups(block: ViewBlock) -> Finding:
    """A bar or pie chart of an answer without ``group by``: located at the form's word."""
    what = "a bar chart" if block.form is Form.BAR else "a pie chart"
    return error("view-form", f"{what} needs 'group by FIELD'", block.path, block.form_at,
                 hint="add 'group by FIELD' to the query (e.g. 'projects group by phase'), or show the answer as a "
                      "table or a count")


def parse_view(block: ViewBlock) -> tuple[Query | None, list[Finding]]:
    """The block's query, parsed and checked at its place in the page (its findings located
    there); None when it has no query or a mistake."""
    if not block.query.strip():
        return None, [error("view-syntax", "the view has no query", block.path, block.at,
                            hint=f"write one, e.g. {MARK} bar: projects group by phase")]
    return parse(block.query, block.path, block.at)


def view_findings(block: ViewBlock) -> list[Finding]:
    """What ``Views.show`` reports of ``block``, found without the dossier or its answer (its form
    and options, its query, a chart without ``group by``): ``mltrl-docs check --docs``."""
    if any(problem.severity is Severity.ERROR for problem in block.problems):
        return list(block.problems)
    parsed, findings = parse_view(block)
    findings = [*block.problems, *findings]
    if parsed is not None and block.form in CHARTS and parsed.group_by is None:
        findings.append(chart_needs_groups(block))
    return findings


@dataclass(eq=False)
class Views:
    """One build's views: the dossier's tables built once (when a page first asks), each query
    text answered once, whichever pages show it. A new build makes a new one (``mkdocs serve``)."""

    checked: CheckedDossier
    renderer: Renderer
    _answers: dict[str, Answer] = field(default_factory=dict)
    _tables: Tables | None = None

    def show(self, block: ViewBlock, url_for: UrlFor) -> tuple[str, list[Finding]]:
        """The block's HTML (its view, or an error box) and its findings."""
        if any(problem.severity is Severity.ERROR for problem in block.problems):
            return render_problems(self.renderer, block, block.problems), list(block.problems)
        found, findings = self._answer(block)
        findings = [*block.problems, *findings]
        if found is not None and block.form in CHARTS and found.group_by is None:
            findings.append(chart_needs_groups(block))
        errors = [f for f in findings if f.severity is Severity.ERROR]
        if found is None or errors:
            return render_problems(self.renderer, block, errors or findings), findings
        links = Links(url_for, self.renderer.prefix, self.renderer.glossary_uri, self.checked)
        return render_view(self.renderer, shown_view(found, block, links, self.renderer.messages)), findings

    def _answer(self, block: ViewBlock) -> tuple[Answer | None, list[Finding]]:
        """Parsed at the block's place (its findings located there), answered once per query text."""
        parsed, findings = parse_view(block)
        if parsed is None:
            return None, findings
        key = block.query.strip()
        found = self._answers.get(key)
        if found is None:
            if self._tables is None:  # file names in answers as the site's pages name them
                self._tables = Tables(self.checked, root=self.renderer.root)
            found = self._answers[key] = answer(parsed, self._tables)
        return found, findings

