"""A generated page's headings: unique ids, permalinks, and the outline a theme shows as the
page's table of contents.

Hand-written pages get these from Python-Markdown's ``toc`` extension; generated pages are
rendered by Jinja and markdown-it and never pass through it, so ``outline`` does the same
over their HTML: every heading gets an id (its own, when a template gave it one; else one
made from its text), no id is used twice on the page, and with a ``Permalink`` each heading
ends with the same ``<a class="headerlink">`` the extension writes, so themes style both
alike. The page's title (its first ``h1``) is the outline's root, its ``h2`` and ``h3``
headings the entries, as in a hand-written page's TOC.

The HTML is the renderer's own: well-formed, every text escaped (a card's text cannot
hold a tag), so its tags are found by pattern.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape, unescape
from unicodedata import normalize

TOC_LEVELS = (2, 3)
"""Heading levels listed under the page title (deeper ones still get ids and permalinks)."""

_HEADING = re.compile(r"<h([1-6])((?:\s[^<>]*)?)>(.*?)</h\1\s*>", re.DOTALL | re.IGNORECASE)
_ID = re.compile(r"""\sid\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.IGNORECASE)
_TAG = re.compile(r"<[^<>]*>")
_NOT_SLUG = re.compile(r"[^\w\s-]+")
_SPACES = re.compile(r"[\s-]+")


@dataclass(frozen=True, slots=True)
class Permalink:
    """The link each heading ends with (Python-Markdown's ``toc`` options of the same names)."""

    text: str = "&para;"
    """Its content, as HTML (the extension's ``permalink: true`` writes a pilcrow)."""
    title: str = "Permanent link"
    css_class: str = "headerlink"
    leading: bool = False
    """Put it before the heading's text instead of after it."""


@dataclass(slots=True)
class Heading:
    level: int
    id: str
    """As written in the HTML (escaped): ready for an ``href="#..."``."""
    title: str
    """The heading's text, escaped, without its markup."""
    children: list[Heading] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Outline:
    html: str
    """The page with ids and permalinks on its headings."""
    toc: tuple[Heading, ...]
    """The page title's heading with the h2/h3 entries under it (or the entries alone when the
    page has no h1)."""
    anchors: frozenset[str]
    """Every id on the page (unescaped), for a host that checks links to them."""


def outline(html: str, permalink: Permalink | None = None) -> Outline:
    """Ids on every heading of ``html``, unique on the page, a permalink on each if asked, and
    the table of contents."""
    taken = {_id_value(m) for m in _ID.finditer(html)}
    used: set[str] = set()
    root: Heading | None = None
    entries: list[Heading] = []

    def rewrite(match: re.Match[str]) -> str:
        nonlocal root
        level, attributes, inner = int(match.group(1)), match.group(2), match.group(3)
        title = _text(inner)
        own = _ID.search(attributes)
        if own is not None and _id_value(own) not in used:
            anchor = own.group(own.lastindex or 1)
        else:
            anchor = escape(_unique(_slug(title), taken | used))
            attributes = (_ID.sub("", attributes, count=1) if own else attributes) + f' id="{anchor}"'
        used.add(unescape(anchor))
        heading = Heading(level, anchor, escape(title, quote=False))
        if level == 1 and root is None:
            root = heading
        elif level in TOC_LEVELS:
            entries.append(heading)
        if permalink is not None and 'class="' + permalink.css_class + '"' not in inner:
            link = (f'<a class="{escape(permalink.css_class)}" href="#{anchor}"'
                    + (f' title="{escape(permalink.title)}"' if permalink.title else "") + f">{permalink.text}</a>")
            inner = link + inner if permalink.leading else inner + link
        return f"<h{level}{attributes}>{inner}</h{level}>"

    rewritten = _HEADING.sub(rewrite, html)
    nested = _nest(entries)
    if root is not None:
        root.children = nested
        toc: tuple[Heading, ...] = (root,)
    else:
        toc = tuple(nested)
    return Outline(rewritten, toc, frozenset(taken | used))


def _nest(headings: list[Heading]) -> list[Heading]:
    """Each heading under the nearest earlier one of a higher rank (h3 under h2)."""
    top: list[Heading] = []
    stack: list[Heading] = []
    for heading in headings:
        while stack and stack[-1].level >= heading.level:
            stack.pop()
        (stack[-1].children if stack else top).append(heading)
        stack.append(heading)
    return top


def _id_value(match: re.Match[str]) -> str:
    return unescape(match.group(match.lastindex or 1))


def _text(inner: str) -> str:
    """A heading's text: its markup dropped, entities read, spaces collapsed."""
    return " ".join(unescape(_TAG.sub("", inner)).split())


def _slug(text: str) -> str:
    """An id from a heading's text, as Python-Markdown's ``slugify_unicode`` makes them:
    lower case, letters, digits, '_' and '-' only; ``section`` when nothing is left."""
    slug = _SPACES.sub("-", _NOT_SLUG.sub("", normalize("NFKC", text).lower())).strip("-_")
    return slug or "section"


def _unique(slug: str, taken: set[str]) -> str:
    """``slug``, or ``slug_1``, ``slug_2``... (Python-Markdown's scheme) if the page has it."""
    candidate, n = slug, 0
    while candidate in taken:
        n += 1
        candidate = f"{slug}_{n}"
    return candidate
