"""Glossary terms in the authors' prose: find them in text, link them to their entry.

Pages link terms while they are rendered, never by reading their HTML again: the
Markdown renderer hands each run of a body's text (outside links, code and headings)
to the page's ``TermLinker``, and templates pass requirement texts and reasons
through its ``terms`` filter (render.markdown, render.html). A run is escaped text
with no tag in it; it is unescaped and put in NFC before names are looked for, so a
name never matches inside an entity ('GT' in '&gt;') and 'café' is found however it
was typed, and the pieces are written back escaped. All names of a scope are
compiled into one regular expression shaped as a trie (``proof of concept(
development)?``), so the longest name at a position wins and a text is scanned once
however many terms there are.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from functools import cached_property, lru_cache
from html import escape, unescape
from unicodedata import normalize

from mltrl_docs.glossary import Entry, Glossary, LinkMode, Scope, fold, plurals

MAX_NAME = 200
"""Longest name (folded) that is linked: the trie nests up to one group per character, and
Python's regex compiler recurses per group. Longer names are the loader's to report."""

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


def _compile(names: tuple[str, ...], fold_case: bool = True) -> re.Pattern[str]:
    """The matcher's expression (``fold_case``: case-insensitive). Compiling recurses once per
    nested group (up to MAX_NAME), so called from deep in a stack it could run out: then only
    names of half the length are linked, and so on down to none (that narrower expression is
    not kept)."""
    limit = MAX_NAME
    while True:
        kept = tuple(name for name in names if len(name) <= limit)
        try:
            return _compiled(kept, fold_case) if limit == MAX_NAME else _expression(kept, fold_case)
        except RecursionError:
            if not kept:
                raise
            limit //= 2


@lru_cache(maxsize=128)
def _compiled(names: tuple[str, ...], fold_case: bool) -> re.Pattern[str]:
    """``_expression``, kept by its names: every ``mkdocs serve`` rebuild asks again for the same
    glossary's (writing the trie was a twentieth of a rebuild at 1,000 cards)."""
    return _expression(names, fold_case)


def _expression(names: tuple[str, ...], fold_case: bool) -> re.Pattern[str]:
    pattern = _trie_pattern(names) if names else r"(?!x)x"
    return re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.IGNORECASE if fold_case else 0)


class TermMatcher:
    """Finds a scope's names in plain (unescaped, NFC) text.

    A text is scanned case-folded, with an expression of the names case-folded that compares
    characters as they are: Python's case-insensitive matching compares each character through
    its case table and finds no first characters to skip to, which made it three times slower.
    Where case folding changes a text's length ('ß' folds to 'ss'), positions in the folded text
    are not the text's own, and the text is scanned as it is, case-insensitively (``pattern``)."""

    def __init__(self, scope: Scope) -> None:
        self.entries: dict[str, Entry] = dict(scope.names)
        """By folded name, as the scope has them."""
        names = set(self.entries) | set(_spellings(self.entries))
        self._names = tuple(sorted(name for name in names if 0 < len(name) <= MAX_NAME))
        self.folded = _compile(tuple(sorted({name.casefold() for name in self._names})), fold_case=False)
        """The names case-folded, matched in case-folded text as they are."""

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        """The names as written, lower-cased and folded, matched case-insensitively: compiled
        when a text first needs it."""
        return _compile(self._names)

    def find(self, text: str) -> Iterator[tuple[int, int, Entry]]:
        """Names in ``text``, which must already be plain and NFC (see ``plain``): where each starts
        and ends, and its entry."""
        folded = text.casefold()
        scanned, pattern = (folded, self.folded) if len(folded) == len(text) else (text, self.pattern)
        for match in pattern.finditer(scanned):
            start, end = match.span()
            entry = self.entries.get(fold(text[start:end]))
            if entry is not None:
                yield start, end, entry

    def uses(self, text: str) -> set[Entry]:
        """Every entry whose names appear in plain ``text``; agrees with what pages link."""
        return {entry for _, _, entry in self.find(normalize("NFC", text))}


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


class TermLinker:
    """One page's term linking, fed the page's prose in document order as it is rendered: each
    run of text of a card or attachment body by the Markdown renderer (render.markdown), each
    requirement text or reason by the templates' ``terms`` filter (render.html). It remembers
    the entries linked so far, so "first" means the first use on the page, wherever it is.
    ``render(entry, text)`` makes the link around the author's own (escaped) text."""

    def __init__(self, matcher: TermMatcher, render: Callable[[Entry, str], str], mode: LinkMode = "first") -> None:
        self.matcher = matcher
        self.render = render
        self.mode = mode
        self.linked: set[Entry] = set()

    def link(self, text: str) -> str:
        """``text``, one run of escaped text with no tag in it (what lies between two tags of the
        page), with its terms linked; unchanged when nothing in it is. A run that is linked is
        written back from its plain form: escaped again, and in NFC."""
        if self.mode == "off" or not text.strip():
            return text
        words = plain(text)
        parts: list[str] = []
        last = 0
        for start, end, entry in self.matcher.find(words):
            if self.mode == "first" and entry in self.linked:
                continue
            self.linked.add(entry)
            parts.append(escape(words[last:start], quote=False))
            parts.append(self.render(entry, escape(words[start:end], quote=False)))
            last = end
        if not parts:
            return text
        parts.append(escape(words[last:], quote=False))
        return "".join(parts)
