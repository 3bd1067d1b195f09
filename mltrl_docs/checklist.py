"""Count the answered questions of an attachment that follows the ethics checklist template.

MLTRL's ethics checklist has three parts: pre-development questions per project
(answered at intake; they decide whether the project is taken on),
post-development questions per project (answered once development is done) and
the organisation's guiding questions (answered once, with stated positions).
``templates/ethics-checklist.md`` is our version of it, and a page that follows it
says so in its frontmatter (``checklist: mltrl-ethics/1``), so a team's other
notes are never mistaken for a checklist.

The structure is read with markdown-it, never with expressions: a ``##`` heading
names a part, ``###`` headings are subsections, and each question is a top-level
ordered list item that starts with a bold question. Everything else in the item
is its answer. A question counts as answered when the answer says something other
than the template's placeholder (*Not answered yet.*) and does not start with
**Open:**, which lets a team keep notes on a question it has not settled.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from mltrl_docs.body import heading_key
from mltrl_docs.model import Attachment, Card, Project

TEMPLATE = "mltrl-ethics"
"""The frontmatter marker's name: ``checklist: mltrl-ethics/1``."""
VERSION = 1
"""The template version ``templates/ethics-checklist.md`` is."""
PLACEHOLDER = "Not answered yet."
"""The template's answer under every question: an answer that still starts with it is none."""
OPEN = "open:"
"""An answer that starts with this word (any case, emphasis ignored) is a note, not an answer."""

_md = MarkdownIt("commonmark", {"html": False, "typographer": False})


class Part(StrEnum):
    PRE_DEVELOPMENT = "pre-development"
    POST_DEVELOPMENT = "post-development"
    ORGANISATION = "organisation"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {Part.PRE_DEVELOPMENT: "Pre-development", Part.POST_DEVELOPMENT: "Post-development",
           Part.ORGANISATION: "Organisation"}
EXPECTED = {Part.PRE_DEVELOPMENT: 19, Part.POST_DEVELOPMENT: 15, Part.ORGANISATION: 6}
"""How many questions each part of the template has (MLTRL's checklist: 19, 15 and 6)."""
_PART_WORDS = (("predevelopment", Part.PRE_DEVELOPMENT), ("postdevelopment", Part.POST_DEVELOPMENT),
               ("organisation", Part.ORGANISATION), ("organization", Part.ORGANISATION))
"""Words of a ``##`` heading (as ``heading_key`` folds them) that name a part."""


@dataclass(frozen=True, slots=True)
class Question:
    part: Part
    number: int
    """1-based, in the order of the part (the template numbers them the same way)."""
    text: str
    line: int
    """File line of the question."""
    answered: bool


@dataclass(frozen=True, slots=True)
class PartCount:
    part: Part
    answered: int
    total: int

    @property
    def label(self) -> str:
        return self.part.label


@dataclass(frozen=True, slots=True)
class Checklist:
    """The questions of one checklist page, with whether each is answered."""

    version: int | None
    """The template version the page names; None when the marker names none."""
    questions: tuple[Question, ...]

    def count(self, part: Part) -> PartCount:
        mine = [q for q in self.questions if q.part is part]
        return PartCount(part, sum(q.answered for q in mine), len(mine))

    @property
    def parts(self) -> tuple[PartCount, ...]:
        """The three parts, in the template's order (a part the page lacks counts 0 of 0)."""
        return tuple(self.count(part) for part in Part)

    @property
    def summary(self) -> str:
        """One line, e.g. 'Pre-development: 17 of 19 answered · Post-development: 0 of 15 · ...'."""
        counts = [f"{c.label}: {c.answered} of {c.total}" for c in self.parts]
        return " · ".join([counts[0] + " answered", *counts[1:]])


def template_version(marker: str | None) -> tuple[bool, int | None]:
    """Whether a frontmatter ``checklist:`` value names this template, and the version it
    names: ``mltrl-ethics/1`` is (True, 1), a bare ``mltrl-ethics`` is (True, None)."""
    if marker is None:
        return False, None
    name, _, version = marker.strip().partition("/")
    if name.strip().casefold() != TEMPLATE:
        return False, None
    version = version.strip()
    if not version:
        return True, None
    if version.isascii() and version.isdigit() and len(version) <= 6:
        return True, int(version)
    return False, None


def read_checklist(attachment: Attachment) -> Checklist | None:
    """The attachment's checklist, or None when its frontmatter does not say it follows the template."""
    follows, version = template_version(attachment.checklist)
    if not follows:
        return None
    return Checklist(version, _questions(attachment.body, attachment.body_line))


def checklist_page(card: Card, project: Project) -> Attachment | None:
    """The attachment page of ``project`` that the card's ``ethics.checklist`` names (a path
    relative to the card that resolves to the page's file), or None (a URL, or no such page)."""
    ref = card.ethics.checklist
    if ref is None or ref.is_url or ref.resolved is None:
        return None
    return next((a for a in project.attachments if a.path == ref.resolved), None)


def card_checklist(card: Card, project: Project) -> Checklist | None:
    """The answer counts of the page the card's ``ethics.checklist`` names, when that page is
    one of the project's attachments and follows the checklist template."""
    page = checklist_page(card, project)
    return read_checklist(page) if page is not None else None


@lru_cache(maxsize=8)
def _questions(markdown: str, first_line: int) -> tuple[Question, ...]:
    """``questions`` of a page, kept for the next card that cites the same page (every card of a
    project may name one checklist, and the gates and the site both read it)."""
    return tuple(questions(markdown, first_line))


def questions(markdown: str, first_line: int = 1) -> list[Question]:
    """The questions in ``markdown`` (which starts on file line ``first_line``), by part."""
    tokens = _md.parse(markdown)
    found: list[Question] = []
    numbers = dict.fromkeys(Part, 0)
    part: Part | None = None
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "heading_open" and token.level == 0 and token.tag in ("h1", "h2"):
            part = _part(tokens[index + 1].content) if token.tag == "h2" else None
        elif token.type == "ordered_list_open" and token.level == 0 and part is not None:
            end = _closing(tokens, index)
            for start, stop in _items(tokens, index + 1, end):
                question = _question(tokens[start:stop], part, first_line, numbers[part] + 1)
                if question is not None:
                    numbers[part] += 1
                    found.append(question)
            index = end
        index += 1
    return found


def _part(title: str) -> Part | None:
    key = heading_key(title)
    return next((part for word, part in _PART_WORDS if word in key), None)


def _closing(tokens: Sequence[Token], start: int) -> int:
    """Index of the token that closes the one at ``start`` (same nesting level)."""
    opening = tokens[start]
    for index in range(start + 1, len(tokens)):
        if tokens[index].level == opening.level and tokens[index].nesting == -1:
            return index
    return len(tokens) - 1


def _items(tokens: Sequence[Token], start: int, end: int) -> list[tuple[int, int]]:
    """(first, after-last) token indices of each item of the list between ``start`` and ``end``."""
    items = []
    index = start
    while index < end:
        if tokens[index].type == "list_item_open":
            close = _closing(tokens, index)
            items.append((index + 1, close))
            index = close
        index += 1
    return items


def _question(item: Sequence[Token], part: Part, first_line: int, number: int) -> Question | None:
    """A list item that opens with a bold question; None for any other item."""
    if len(item) < 2 or item[0].type != "paragraph_open" or item[1].type != "inline":
        return None
    children = list(item[1].children or ())
    while children and children[0].type == "text" and not children[0].content.strip():
        del children[0]  # markdown-it puts an empty text token before a leading '**'
    if not children or children[0].type != "strong_open":
        return None
    close = _closing(children, 0)
    text = _plain(children[1:close]).strip()
    if not text:
        return None
    answer = " ".join([_plain(children[close + 1 :]), *(_plain(t.children or ()) if t.type == "inline"
                                                        else t.content for t in item[3:])])
    line = first_line + (item[0].map[0] if item[0].map else 0)
    return Question(part, number, " ".join(text.split()), line, _answered(answer))


def _plain(tokens: Sequence[Token]) -> str:
    """The words of inline tokens, markup left out."""
    parts = []
    for token in tokens:
        if token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif token.children:
            parts.append(_plain(token.children))
    return "".join(parts)


def _answered(answer: str) -> bool:
    """Says something, and neither still starts with the placeholder nor is marked open."""
    folded = " ".join(answer.split()).casefold()
    return bool(folded) and not folded.startswith((OPEN, PLACEHOLDER.casefold()))
