"""Pages rendered again only when what they show changed (``mkdocs serve``).

A generated page is a template applied to its ``SitePage`` (its context: the project, its
cards, their gate results, findings, history) and to what every page shares (the site's
labels, glossary, build date, the set of pages links may point to). When both are the same
as in the last build, so is the page. ``same`` compares them by value, the way the cards'
equality does not: a card, project or report is compared field by field (most cards are the
very objects of the last build, reused by ``FileCache``, and compare at once). A page may leave
out of the comparison what its template never shows (``Unshown``: an organisation page shows no
card's body, so an edit to one body renders that card's pages again, not the portfolio's).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

R = TypeVar("R")

Unshown = frozenset[tuple[type, str]]
"""Fields a page never shows, as (dataclass, field name): left out when its context is compared."""

SHOWN: Unshown = frozenset()
"""Nothing left out: every value of the context is compared."""

_FIELDS: dict[tuple[type, Unshown], tuple[str, ...]] = {}


Compared = dict[tuple[int, int, Unshown], tuple[bool, object, object]]
"""Dataclasses already compared in one build, by the two objects' ids (``same``'s ``compared``):
a project is held by each of its pages' contexts, by the history's every event, by its team's
and owner's pages, and compared once. The objects are kept with the answer, so no id is reused."""


def same(a: object, b: object, unshown: Unshown = SHOWN, compared: Compared | None = None) -> bool:
    """``a`` and ``b`` hold the same values: dataclasses field by field (whatever their own
    equality; a field declared ``compare=False``, such as a cache, is not a value, nor is a field
    in ``unshown``), sequences and mappings item by item in order, anything else by ``==``. False
    may be wrong (a mapping built in another order), which costs a rendering; True never is,
    for whatever does not read the ``unshown`` fields. ``compared``: the answers of this build so far."""
    if a is b:
        return True
    kind = type(a)
    if kind is not type(b):
        return False
    if kind in (str, int, float, bool, bytes):
        return a == b
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)):
        if len(a) != len(b):
            return False
        if a == b:  # at C speed; True only when every item is equal (or the very same object)
            return True
        return all(same(x, y, unshown, compared) for x, y in zip(a, b, strict=True))
    if isinstance(a, Mapping):  # item by item in order: keys may be objects equal only to themselves
        assert isinstance(b, Mapping)
        return len(a) == len(b) and all(same(x, y, unshown, compared)
                                        for x, y in zip(a.items(), b.items(), strict=True))
    if dataclasses.is_dataclass(a):
        if _compares_values(kind) and a == b:
            return True
        key = (id(a), id(b), unshown)
        if compared is not None and (known := compared.get(key)) is not None:
            return known[0]
        names = _FIELDS.get((kind, unshown))
        if names is None:
            names = _FIELDS[(kind, unshown)] = tuple(f.name for f in dataclasses.fields(a)
                                                     if f.compare and (kind, f.name) not in unshown)
        answer = all(same(getattr(a, name), getattr(b, name), unshown, compared) for name in names)
        if compared is not None:
            compared[key] = (answer, a, b)
        return answer
    if isinstance(a, (set, frozenset)):
        return a == b
    return bool(a == b)


def _compares_values(kind: type) -> bool:
    """The dataclass's own ``==`` compares its fields (not only identity)."""
    params = getattr(kind, "__dataclass_params__", None)
    return bool(params is not None and params.eq)


@dataclass(slots=True)
class _Entry(Generic[R]):
    page: object
    result: R


class Rendered(Generic[R]):
    """The last build's result for each page (``R``: what the adapter keeps of a rendering),
    given back while the page and what every page shares are the same."""

    def __init__(self) -> None:
        self._entries: dict[str, _Entry[R]] = {}
        self._shared: object = None
        self._compared: Compared = {}

    def begin(self, shared: object) -> None:
        """Start a build whose pages all share ``shared`` (labels, glossary, build date, the
        pages that exist); when that changed, no page of the last build is reused."""
        if not same(shared, self._shared):
            self._entries.clear()
        self._shared = shared
        self._compared = {}

    def get(self, uri: str, page: object, unshown: Unshown = SHOWN) -> R | None:
        """The result for ``page`` at ``uri`` when it is the same page as last time, but for
        what the page never shows (``unshown``)."""
        entry = self._entries.get(uri)
        if entry is None or not same(entry.page, page, unshown, self._compared):
            return None
        entry.page = page  # the same: the last build's objects need not outlive this build's
        return entry.result

    def put(self, uri: str, page: object, result: R) -> None:
        self._entries[uri] = _Entry(page, result)
        self._compared = {}  # the pages are compared: let go of the last build's objects

    def keep(self, uris: set[str]) -> None:
        """Forget the pages a build no longer has."""
        for uri in self._entries.keys() - uris:
            del self._entries[uri]

    def __len__(self) -> int:
        return len(self._entries)
