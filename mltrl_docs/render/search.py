"""What the site's search indexes of each generated page: each text once.

A card's text appears on its card page, again in its project's dossier (the TL;DR, the
requirement matrix), in the review packet and in the organisation's aggregate pages. Indexed
everywhere, a search for a requirement lists a dozen hits for one sentence, and the host's
search plugin parses every byte of every page to find out which parts to skip (Material's
``data-search-exclude`` is applied after parsing). So each page kind says what search gets
(``Search``): the whole page, only the parts its template marks (``SEARCH_MARKS``, around a
card's own text), or nothing. The plugin hands the host's search that view and keeps the page.
"""

from __future__ import annotations

import re
from enum import StrEnum

SEARCH_MARKS = ("<!--mltrl-search-->", "<!--/mltrl-search-->")
"""HTML comments around the parts of a page search indexes (templates write them through the
``search_from``/``search_to`` globals). Card text is escaped, so it can never write a comment."""


_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9]*+)(\s[^<>]*+)>")
"""A start tag with attributes. Search indexes a page's text and, of the attributes, reads only a
heading's ``id`` (where a section starts), ``data-search-exclude`` and two classes
(``READ_CLASSES``); its HTML parser spends most
of its time on the rest (a glossary link carries its definition twice, a level its phase and
meaning): the view opens every other tag bare. (Text is escaped: no '<' or '>' inside a tag.)"""

_HEADING_ID = re.compile(r'\sid="([^"]*+)"')
"""A heading's id, as the templates and markdown-it write it (double quotes, escaped)."""

_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

_CLASS = re.compile(r'\sclass="([^"]*+)"')

READ_CLASSES = frozenset({"headerlink", "linenodiv"})
"""The classes Material's search parser reads: a heading's permalink (left out of the section's
title: without its class, every title would end with the permalink's pilcrow) and a code
block's line numbers (left out of the text)."""


class Search(StrEnum):
    """What the host's search indexes of a generated page."""

    PAGE = "page"
    """Its title and text, not the frame around them (the "as of" line): text no other page
    holds (the glossary, an attachment)."""
    MARKED = "marked"
    """Only the marked parts: a card page's own text, a dossier's title and TL;DR."""
    NONE = "none"
    """Nothing: the page repeats what the card and dossier pages hold (portfolio, matrices,
    history, findings, packets)."""


def search_view(html: str, search: Search) -> str | None:
    """The HTML the host's search should index for a page rendered as ``html``: the marked parts
    joined, or None (NONE: leave the page out). A PAGE page's frame marks its title and all of
    its template's text; a MARKED page's template marks the parts that are its own. Its tags are
    bare but for what search reads of them (``_TAG``)."""
    if search is Search.NONE:
        return None
    start, end = SEARCH_MARKS
    parts: list[str] = []
    at = html.find(start)
    while at >= 0:
        close = html.find(end, at)
        if close < 0:
            parts.append(html[at + len(start):])
            break
        parts.append(html[at + len(start):close])
        at = html.find(start, close + len(end))
    return _TAG.sub(_bare, "\n".join(parts))


def _bare(tag: re.Match[str]) -> str:
    """The start tag as search reads it: a heading with its id, any tag excluded from search as it
    is, a permalink or line numbers with their class (``READ_CLASSES``), any other without its
    attributes."""
    name, attributes = tag.group(1), tag.group(2)
    if "data-search-exclude" in attributes:
        return tag.group()
    if name.lower() in _HEADINGS and (found := _HEADING_ID.search(attributes)) is not None:
        return f'<{name} id="{found.group(1)}">'
    if (found := _CLASS.search(attributes)) is not None and found.group(1) in READ_CLASSES:
        return f'<{name} class="{found.group(1)}">'
    return f"<{name}>"


def unmarked(html: str) -> str:
    """``html`` without the search marks, as the page is published."""
    start, end = SEARCH_MARKS
    return html.replace(start, "").replace(end, "") if start in html else html
