"""Glossary terms in rendered HTML: find them in text, link them to their entry.

Works on the HTML the renderer produced (well-formed, escaped), touching only text
between tags and never inside links, code, headings, SVG, scripts or attributes.
All names of a scope are compiled into one regular expression shaped as a trie
(``proof of concept( development)?``), so the longest name at a position wins and
a page is scanned once however many terms there are.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from html import escape

from mltrl_docs.glossary import Entry, Glossary, LinkMode, Scope, fold

_TAG = re.compile(r"<!--.*?-->|<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*>", re.DOTALL)
_SKIP = frozenset({"a", "abbr", "button", "code", "h1", "h2", "h3", "h4", "h5", "h6", "kbd", "label",
                   "option", "pre", "samp", "script", "select", "style", "svg", "textarea", "title"})
"""Elements whose text is never linked: links and code keep their meaning, headings their
anchors, and SVG, scripts and form controls are not prose."""
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                   "track", "wbr"})
_OPT_IN = "data-terms"


def _html_form(name: str) -> str:
    """A name as it appears in escaped HTML text ('V&V' -> 'v&amp;v'), folded."""
    return fold(escape(name, quote=False))


def _trie_pattern(names: Iterable[str]) -> str:
    """One alternation for many names, sharing prefixes; longer continuations are tried
    first, so the longest name matching at a position wins."""
    trie: dict[str, dict] = {}
    for name in names:
        node = trie
        for char in name:
            node = node.setdefault(char, {})
        node[""] = {}
    return _emit(trie)


def _emit(node: dict[str, dict]) -> str:
    branches = [(r"\s+" if char == " " else re.escape(char)) + _emit(child)
                for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" in node:
        return f"(?:{body})?"
    return body


class TermMatcher:
    """Finds a scope's names in escaped HTML text."""

    def __init__(self, scope: Scope) -> None:
        self.entries: dict[str, Entry] = {_html_form(name): entry for name, entry in scope.names.items()}
        names = sorted(self.entries, key=len, reverse=True)
        pattern = _trie_pattern(names) if names else r"(?!x)x"
        self.pattern = re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.IGNORECASE)

    def find(self, text: str) -> Iterator[tuple[re.Match[str], Entry]]:
        for match in self.pattern.finditer(text):
            entry = self.entries.get(fold(match.group()))
            if entry is not None:
                yield match, entry

    def uses(self, text: str) -> set[Entry]:
        """Every entry whose names appear in plain ``text`` (escaped first, as pages are)."""
        return {entry for _, entry in self.find(escape(text, quote=False))}


class ScopeMatchers:
    """One TermMatcher per glossary scope, compiled on first use: the org's, and one per
    project that has its own glossary (every other project shares the org's)."""

    def __init__(self, glossary: Glossary) -> None:
        self.glossary = glossary
        self._compiled: dict[str | None, TermMatcher] = {}

    def of(self, project: str | None) -> TermMatcher:
        scope = project if project in self.glossary.projects else None
        matcher = self._compiled.get(scope)
        if matcher is None:
            matcher = self._compiled[scope] = TermMatcher(self.glossary.scope(scope))
        return matcher


def link_terms(html: str, matcher: TermMatcher, render: Callable[[Entry, str], str],
               mode: LinkMode = "first") -> str:
    """``html`` with terms linked inside elements marked ``data-terms`` (the authors' prose:
    card bodies, requirement texts; never the page's own labels), on the first use of each
    entry per page or on every use. ``render(entry, text)`` makes the link around the
    author's own (escaped) text."""
    if mode == "off" or _OPT_IN not in html:
        return html
    linked: set[Entry] = set()
    out: list[str] = []
    stack: list[tuple[str, bool, bool]] = []
    """Open elements: (name, inside prose, inside an element whose text is never linked)."""
    prose = blocked = False
    position = 0
    for tag in _TAG.finditer(html):
        if tag.start() > position:
            text = html[position:tag.start()]
            out.append(_link_text(text, matcher, render, mode, linked) if prose and not blocked else text)
        out.append(tag.group())
        position = tag.end()
        name = (tag.group(2) or "").lower()
        if not name or name in _VOID or tag.group().endswith("/>"):
            continue
        if tag.group(1):
            while stack:
                opened, prose, blocked = stack.pop()
                if opened == name:
                    break
            continue
        stack.append((name, prose, blocked))
        prose = prose or _OPT_IN in tag.group()
        blocked = blocked or name in _SKIP
    if position < len(html):
        out.append(html[position:])
    return "".join(out)


def _link_text(text: str, matcher: TermMatcher, render: Callable[[Entry, str], str], mode: LinkMode,
               linked: set[Entry]) -> str:
    if not text.strip():
        return text
    parts: list[str] = []
    last = 0
    for match, entry in matcher.find(text):
        if mode == "first" and entry in linked:
            continue
        linked.add(entry)
        parts.append(text[last:match.start()])
        parts.append(render(entry, match.group()))
        last = match.end()
    if not parts:
        return text
    parts.append(text[last:])
    return "".join(parts)
