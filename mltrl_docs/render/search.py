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

import html
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


_TOKEN = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*+)((?:[^<>\"']|\"[^\"]*+\"|'[^']*+')*+)>")
"""A start or end tag (quoted attribute values may hold '>')."""

KEPT_BY_SEARCH = frozenset({"p", "code", "pre", "li", "ol", "ul", "sub", "sup"})
"""The tags Material's search parser keeps in a section's text (its ``Parser.keep``)."""

SKIPPED_BY_SEARCH = frozenset({"script", "style", "object"})
"""The tags whose content Material's search parser leaves out (its ``Parser.skip``)."""

VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
                  "source", "track", "wbr"})
"""Tags with no end tag (as Material's search parser lists them)."""


def flattened(view: str) -> str:
    """``view`` with the tags Material's search parser reads nothing of taken out, for the same
    sections, titles and text from far less work (it spends most of its time on tags: a card's
    view has ~240, most of them table cells, links and spans). A tag stays where taking it out
    could change what the parser makes: a heading and all inside it, a kept tag (``KEPT_BY_SEARCH``),
    a skipped or excluded element and all inside it, an element holding any of those, a tag with
    attributes, the first tag when no text comes before it (the parser opens its first section
    there), and a tag next to text that is only whitespace (the parser collapses such text by
    itself, not as part of the text around it) but inside ``pre``. Anything not as the templates
    write it (a comment, tags that do not nest) leaves the view as it is. Not for MkDocs' own
    search, which joins the texts between tags with spaces."""
    parts = _TOKEN.split(view)  # text, then each tag as its three groups, then text: [t, /, name, attrs, t, ...]
    pieces = parts[::4]
    if any("<" in piece or ">" in piece for piece in pieces):
        return view
    ends, names, attrs = parts[1::4], [name.lower() for name in parts[2::4]], parts[3::4]
    count = len(names)
    partner = [-1] * count
    kept = [False] * count
    in_pre = [False] * count
    open_: list[int] = []
    pre = sealed = 0  # open pre elements; open headings, skipped and excluded elements (all inside them stays)
    for index in range(count):
        name = names[index]
        in_pre[index] = pre > 0
        if ends[index]:
            if not open_ or names[open_[-1]] != name:
                return view
            start = open_.pop()
            partner[start], partner[index] = index, start
            if name == "pre":
                pre -= 1
            if kept[start] and _seals(name, attrs[start]):
                sealed -= 1
            continue
        seals = _seals(name, attrs[index])
        if sealed or seals or name in KEPT_BY_SEARCH or attrs[index].strip():
            kept[index] = True
            if seals and name not in VOID:
                for ancestor in open_:
                    kept[ancestor] = True
                sealed += 1
        if name not in VOID:
            open_.append(index)
            if name == "pre":
                pre += 1
    for index in open_:  # open to the end of the view: the parser never closes them
        kept[index] = True
    first = next((i for i in range(count) if not ends[i] and names[i] not in VOID), None)
    if first is not None and not any(pieces[:first + 1]):  # the parser opens its first section there
        kept[first] = True
    for index in range(count):
        if not kept[index] and not in_pre[index] and (_blank(pieces[index]) or _blank(pieces[index + 1])):
            kept[index] = True
    for index in range(count):
        if kept[index] and partner[index] >= 0:
            kept[partner[index]] = True
    out = [pieces[0]]
    for index in range(count):
        if kept[index]:
            out.append(f"<{ends[index]}{parts[4 * index + 2]}{attrs[index]}>")
        out.append(pieces[index + 1])
    return "".join(out)


def _seals(name: str, attributes: str) -> bool:
    """Search reads nothing inside it as text of its own section: a heading (its title), a
    skipped or excluded element."""
    return name in _HEADINGS or name in SKIPPED_BY_SEARCH or "data-search-exclude" in attributes


def _blank(piece: str) -> bool:
    """Text the parser takes as whitespace alone (``&nbsp;`` too), which it collapses by itself."""
    return piece != "" and (piece.isspace() or ("&" in piece and html.unescape(piece).isspace()))
