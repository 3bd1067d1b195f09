"""Read a card body's structure with markdown-it-py: sections, the TL;DR lead, the debrief.

Only the block structure that decides what a section heading is gets parsed:
fences and indented code (a '## x' inside them is not a heading, which a regex
would get wrong), HTML blocks, headings and paragraphs. Inline parsing, lists,
block quotes and link references are switched off, which halves the time of a
large check. One thing they decide is restored by hand: a line under a list item
or a quote is never its setext underline (``- item`` then ``---`` is a list and a
rule, not a heading named "- item").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark").disable(["inline", "list", "blockquote", "reference"])

_TLDR_LEAD = re.compile(r"^(?:\*\*|__)\s*+TL;?\s*+DR\s*+:?\s*+(?:\*\*|__)\s*+:?\s*+", re.IGNORECASE)
"""Possessive spaces: with backtracking, ``\\s*:?\\s*`` splits a long run of spaces every
possible way before failing (quadratic)."""
_LIST_MARKER = re.compile(r"^[^\S\n]*+(?:\d++[.)]|[-*+])\s+", re.MULTILINE)
"""Indentation within the line only: ``^\\s*`` ran from every blank line's start to the end of
a run of blank lines (quadratic)."""
_LIST_OR_QUOTE_LINE = re.compile(r"^ {0,3}(?:\d{1,9}[.)]|[-*+])(?:[ \t]|$)|^ {0,3}>", re.MULTILINE)
_NOT_WORD = re.compile(r"[^\w\s]|_")
_SPACES = re.compile(r"\s+")

DEBRIEF_QUESTIONS = (
    "What was accomplished, and by whom?",
    "What was punted or de-scoped?",
    "What was learned?",
    "What tech debt was gained? Mitigated?",
)
"""MLTRL's default stage-debrief questions; a debrief that only repeats them is empty."""


def heading_key(title: str) -> str:
    """Case- and punctuation-insensitive form used to match expected headings."""
    return _SPACES.sub(" ", _NOT_WORD.sub("", title.lower())).strip()


_QUESTION_KEYS = tuple(heading_key(q) for q in DEBRIEF_QUESTIONS)
_DEBRIEF_KEYS = ("stage debrief", "mltrl stage debrief", "debrief")


@dataclass(frozen=True, slots=True)
class Section:
    """A heading and the Markdown under it, up to the next heading of its rank or higher."""

    title: str
    key: str
    depth: int
    """1 for '#', 2 for '##' ..."""
    line: int
    """File line of the heading."""
    source: str = field(repr=False)
    """The whole body's Markdown, which every section of the body shares: a card keeps its
    text once, not once more in its sections (a dossier holds every card's body for the build)."""
    start: int
    end: int
    """Where ``markdown`` is in ``source``."""

    @property
    def markdown(self) -> str:
        """The Markdown under the heading, without the blank lines at either end."""
        return self.source[self.start : self.end]


@dataclass(frozen=True, slots=True)
class Body:
    """A card body: its Markdown, its sections and the parts MLTRL gives meaning to."""

    markdown: str
    line: int
    """File line where the body starts."""
    sections: tuple[Section, ...]
    tldr: str | None
    """The TL;DR lead paragraph's text (without the label), or the TL;DR section's."""
    tldr_line: int | None
    debrief: Section | None
    debrief_answered: bool
    """The debrief says something beyond MLTRL's four template questions."""

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == heading_key(key)), None)

    @property
    def headings(self) -> frozenset[str]:
        keys = {s.key for s in self.sections}
        if self.tldr is not None:
            keys.add("tldr")
        return frozenset(keys)


def read_body(markdown: str, first_line: int = 1) -> Body:
    """Parse ``markdown`` (which starts on file line ``first_line``)."""
    lines = markdown.split("\n")
    tokens = _md.parse(markdown)
    headings: list[tuple[int, int, str]] = []  # (source index, depth, title)
    lead: tuple[str, int] | None = None
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.map:
            content = tokens[index + 1].content
            if token.markup in ("=", "-") and _LIST_OR_QUOTE_LINE.search(content):
                continue  # a list item or quote followed by a rule, see the module docstring
            headings.append((token.map[0], int(token.tag[1]), content.strip()))
        elif (
            token.type == "paragraph_open" and token.level == 0 and not headings
            and lead is None and token.map
        ):
            content = tokens[index + 1].content
            match = _TLDR_LEAD.match(content)
            if match:
                lead = (" ".join(content[match.end() :].split()), token.map[0])
    sections = tuple(_sections(headings, markdown, lines, first_line))
    tldr, tldr_line = (lead[0], first_line + lead[1]) if lead else (None, None)
    if tldr is None:
        heading = next((s for s in sections if s.key == "tldr"), None)
        if heading is not None:
            tldr, tldr_line = " ".join(heading.markdown.split()), heading.line
    debrief = next((s for s in sections if s.key in _DEBRIEF_KEYS), None)
    return Body(
        markdown=markdown,
        line=first_line,
        sections=sections,
        tldr=tldr,
        tldr_line=tldr_line,
        debrief=debrief,
        debrief_answered=debrief is not None and _answers(debrief.markdown),
    )


def _sections(headings: list[tuple[int, int, str]], markdown: str, lines: list[str], first_line: int):
    """Scans forward by index (a slice per heading copies the rest of the list: quadratic);
    the scans of one depth never overlap, so all of them are at most six passes."""
    starts = [0]  # where each line starts in ``markdown``; one past the end last
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    for position, (start, depth, title) in enumerate(headings):
        end = len(lines)
        for later in range(position + 1, len(headings)):
            if headings[later][1] <= depth:
                end = headings[later][0]
                break
        # The lines after the heading up to line ``end``, without the newline before it, and
        # without the newlines at either end.
        first = min(starts[start + 1], len(markdown))
        last = max(starts[end] - 1, first)
        while first < last and markdown[first] == "\n":
            first += 1
        while last > first and markdown[last - 1] == "\n":
            last -= 1
        yield Section(title, heading_key(title), depth, first_line + start, markdown, first, last)


def _answers(markdown: str) -> bool:
    text = heading_key(_LIST_MARKER.sub(" ", markdown))
    for question in _QUESTION_KEYS:
        text = text.replace(question, " ")
    return bool(text.strip())
