"""Glossary terms in rendered HTML: find them in text, link them to their entry.

Works on the HTML the renderer produced (well-formed, escaped), touching only text
between tags and never inside links, code, headings, SVG, scripts or attributes.
Each run of text is unescaped and put in NFC before names are looked for, so a
name never matches inside an entity ('GT' in '&gt;') and 'café' is found however
it was typed; the pieces are written back escaped. All names of a scope are
compiled into one regular expression shaped as a trie (``proof of concept(
development)?``), so the longest name at a position wins and a page is scanned
once however many terms there are.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from html import escape, unescape
from unicodedata import normalize

from mltrl_docs.glossary import Entry, Glossary, LinkMode, Scope, fold, plurals

MAX_NAME = 200
"""Longest name (folded) that is linked: the trie nests up to one group per character, and
Python's regex compiler recurses per group. Longer names are the loader's to report."""
_OPENING = re.compile(r"<(?:(!--)|(/?)([a-zA-Z][a-zA-Z0-9]*+)(?:[^<>]*+(>))?)")
"""The start of a comment or tag, and a tag's end when no '<' comes first (the usual case,
read in one go; a scan never passes the next '<', so all of them read the page once). Other
ends are found by ``_Ends``."""
_SKIP = frozenset({"a", "abbr", "button", "code", "h1", "h2", "h3", "h4", "h5", "h6", "kbd", "label",
                   "option", "pre", "samp", "script", "select", "style", "svg", "textarea", "title"})
"""Elements whose text is never linked: links and code keep their meaning, headings their
anchors, and SVG, scripts and form controls are not prose."""
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                   "track", "wbr"})
_OPT_IN = "data-terms"

_Trie = dict[str, "_Trie"]


def _trie_pattern(names: Iterable[str]) -> str:
    """One alternation for many names, sharing prefixes; longer continuations are tried
    first, so the longest name matching at a position wins. Written from an explicit
    stack (a name of any length is no recursion), with one group per node that branches
    or ends a name: ``a(?:b|)`` for 'a' and 'ab'."""
    trie: _Trie = {}
    for name in names:
        node = trie
        for char in name:
            node = node.setdefault(char, {})
        node[""] = {}
    parts: list[str] = []
    stack: list[str | _Trie] = [trie]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            parts.append(item)
            continue
        chars = sorted(char for char in item if char)
        if not chars:
            continue
        grouped = len(chars) > 1 or "" in item
        todo: list[str | _Trie] = ["(?:"] if grouped else []
        for index, char in enumerate(chars):
            todo += ["|"] if index else []
            todo += [r"\s++" if char == " " else re.escape(char), item[char]]
        if grouped:
            todo.append("|)" if "" in item else ")")
        stack.extend(reversed(todo))
    return "".join(parts)


def _compile(names: list[str]) -> re.Pattern[str]:
    """The matcher's expression. Compiling recurses once per nested group (up to MAX_NAME),
    so called from deep in a stack it could run out: then only names of half the length are
    linked, and so on down to none."""
    limit = MAX_NAME
    while True:
        kept = [name for name in names if len(name) <= limit]
        pattern = _trie_pattern(kept) if kept else r"(?!x)x"
        try:
            return re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.IGNORECASE)
        except RecursionError:
            if not kept:
                raise
            limit //= 2


class TermMatcher:
    """Finds a scope's names in plain (unescaped, NFC) text."""

    def __init__(self, scope: Scope) -> None:
        self.entries: dict[str, Entry] = dict(scope.names)
        """By folded name, as the scope has them."""
        names = set(self.entries) | set(_spellings(self.entries))
        self.pattern = _compile(sorted(name for name in names if 0 < len(name) <= MAX_NAME))

    def find(self, text: str) -> Iterator[tuple[re.Match[str], Entry]]:
        """Names in ``text``, which must already be plain and NFC (see ``plain``)."""
        for match in self.pattern.finditer(text):
            entry = self.entries.get(fold(match.group()))
            if entry is not None:
                yield match, entry

    def uses(self, text: str) -> set[Entry]:
        """Every entry whose names appear in plain ``text``; agrees with what pages link."""
        return {entry for _, entry in self.find(normalize("NFC", text))}


def _spellings(entries: dict[str, Entry]) -> Iterator[str]:
    """Names as written and in lower case, besides their folded form: case folding changes
    the length of a few ('straße' folds to 'strasse', 'İ' to 'i̇'), and the regex's own
    case-insensitive match compares one character with one, so it needs those as well. Runs
    of spaces are made one, as in the folded form (the pattern matches any run there)."""
    for entry in set(entries.values()):
        term = entry.term
        for name in (term.term, *term.aliases, *term.teams.values()):
            for written in (name, *plurals(name)):
                spelled = " ".join(normalize("NFC", written).split())
                for form in {spelled, spelled.lower()}:
                    if entries.get(fold(form)) is entry:
                        yield form


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


def plain(html_text: str) -> str:
    """Escaped HTML text as the reader sees it, in NFC: what names are matched against."""
    return normalize("NFC", unescape(html_text) if "&" in html_text else html_text)


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
    ends = _Ends(html)
    for opening in _OPENING.finditer(html):
        start = opening.start()
        if start < position:
            continue  # inside the comment or tag just read
        end = opening.end() if opening.group(4) else ends.of(opening)
        if end < 0:
            continue  # an unclosed '<!--' or '<a' is text
        if start > position:
            text = html[position:start]
            out.append(_link_text(text, matcher, render, mode, linked) if prose and not blocked else text)
        tag = html[start:end]
        out.append(tag)
        position = end
        name = (opening.group(3) or "").lower()
        if not name or name in _VOID or tag.endswith("/>"):
            continue
        if opening.group(2):
            while stack:
                opened, prose, blocked = stack.pop()
                if opened == name:
                    break
            continue
        stack.append((name, prose, blocked))
        prose = prose or _OPT_IN in tag
        blocked = blocked or name in _SKIP
    if position < len(html):
        out.append(html[position:])
    return "".join(out)


class _Ends:
    """Where comments and tags end when ``_OPENING`` could not tell: the next '-->' or '>',
    found with str.find and remembered while it lies ahead, and never looked for again once
    there is none. The ``<!--.*?-->|</?[a-zA-Z][a-zA-Z0-9]*[^>]*>`` this replaces searched
    to the end of the page again for every unclosed '<!--' or '<a' (quadratic)."""

    def __init__(self, html: str) -> None:
        self.html = html
        self.comment = self.tag = -2
        """Position of the next '-->' and '>' found so far; -1: none up to the end."""

    def of(self, opening: re.Match[str]) -> int:
        """The end of the comment or tag ``opening`` starts, or -1 when it is never closed."""
        if opening.group(1):
            start = opening.start() + 4
            if self.comment != -1 and self.comment < start:
                self.comment = self.html.find("-->", start)
            return self.comment + 3 if self.comment >= 0 else -1
        if self.tag != -1 and self.tag < opening.end():
            self.tag = self.html.find(">", opening.end())
        return self.tag + 1 if self.tag >= 0 else -1


def _link_text(text: str, matcher: TermMatcher, render: Callable[[Entry, str], str], mode: LinkMode,
               linked: set[Entry]) -> str:
    """One run of escaped text between tags; unchanged when nothing in it is linked."""
    if not text.strip():
        return text
    words = plain(text)
    parts: list[str] = []
    last = 0
    for match, entry in matcher.find(words):
        if mode == "first" and entry in linked:
            continue
        linked.add(entry)
        parts.append(escape(words[last:match.start()], quote=False))
        parts.append(render(entry, escape(match.group(), quote=False)))
        last = match.end()
    if not parts:
        return text
    parts.append(escape(words[last:], quote=False))
    return "".join(parts)
