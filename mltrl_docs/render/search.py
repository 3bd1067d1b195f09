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


_TERM_LINK = re.compile(r'<a class="mltrl-term"[^>]*+>')
"""A glossary term's link as ``_term.html`` opens it: its definition twice (tooltip and screen
readers). Search indexes the text, not the attributes, and its HTML parser takes most of its
time on them: the view opens the link bare. (Card text is escaped: no '>' inside a tag.)"""


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
    its template's text; a MARKED page's template marks the parts that are its own. Glossary
    links are bare in it (``_TERM_LINK``): what search indexes of them is their text."""
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
    view = "\n".join(parts)
    return _TERM_LINK.sub("<a>", view) if 'class="mltrl-term"' in view else view


def unmarked(html: str) -> str:
    """``html`` without the search marks, as the page is published."""
    start, end = SEARCH_MARKS
    return html.replace(start, "").replace(end, "") if start in html else html
