"""Where a shortfall is reported, and what counts as written in a card's body."""

from __future__ import annotations

from functools import lru_cache

from mltrl_docs.body import Section, heading_key
from mltrl_docs.findings import Position
from mltrl_docs.model import Card, Requirement


def where(card: Card, *path: str | int) -> Position:
    """Position of a frontmatter field or its nearest written parent, else of ``level``."""
    for length in range(len(path), 0, -1):
        found = card.positions.get(tuple(path[:length]))
        if found:
            return found
    return card.where("level")


def body_start(card: Card) -> Position:
    """The body's first non-blank line: where a missing section is reported."""
    for offset, line in enumerate(card.body.markdown.split("\n")):
        if line.strip():
            return Position(card.body.line + offset, 1)
    return where(card, "level")


def requirement_at(card: Card, requirement: Requirement, *rest: str) -> Position:
    return where(card, "requirements", requirement.index, *rest)


def requirement_field(requirement: Requirement, name: str) -> str:
    return f"requirements[{requirement.index}].{name}"


@lru_cache(maxsize=256)
def section_key(title: str) -> str:
    """``heading_key`` without spaces, so 'Model/algorithm info' is 'Model / algorithm info'.
    Cached: the names asked for are the policy's few headings, asked of every card."""
    return heading_key(title).replace(" ", "")


def key_of(section: Section) -> str:
    """A card section's ``section_key``, from the key the body already computed."""
    return section.key.replace(" ", "")


def has_text(section: Section) -> bool:
    """A section counts when it says something: a line that is not a heading, not blank and
    not only a template's ``<!-- prompt -->``."""
    text = _without_comments(section.markdown)
    return any(line.strip() and not line.lstrip().startswith("#") for line in text.split("\n"))


def written_section(card: Card, title: str) -> Section | None:
    """The card's section called ``title`` (any depth, matched loosely) when it has text."""
    key = section_key(title)
    return next((s for s in card.body.sections if key_of(s) == key and has_text(s)), None)


def named_section(card: Card, title: str) -> Section | None:
    """The card's section called ``title``, with or without text."""
    key = section_key(title)
    return next((s for s in card.body.sections if key_of(s) == key), None)


def _without_comments(text: str) -> str:
    """``text`` without its HTML comments, scanned once with ``find`` (a lazy regex restarts
    at every unclosed ``<!--``: quadratic)."""
    kept: list[str] = []
    start = 0
    while (opening := text.find("<!--", start)) != -1:
        kept.append(text[start:opening])
        closing = text.find("-->", opening + 4)
        if closing == -1:
            return "".join(kept)
        start = closing + 3
    kept.append(text[start:])
    return "".join(kept)
