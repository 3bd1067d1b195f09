"""Pages rendered again only when what they show changed: ``same`` compares by value, never says
"the same" wrongly, and leaves out what is not a value (a cache); ``Rendered`` forgets every page
when what all pages share changed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from mltrl_docs.messages import english, messages_for
from mltrl_docs.render.reuse import Rendered, same


@dataclass(frozen=True, eq=False)
class Held:
    """A value equal only to itself, as a card's report is."""

    name: str
    items: tuple[int, ...] = ()
    seen: dict[str, int] = field(default_factory=dict, compare=False)


def test_same_compares_dataclasses_field_by_field_whatever_their_equality() -> None:
    assert Held("a", (1, 2)) != Held("a", (1, 2))
    assert same(Held("a", (1, 2)), Held("a", (1, 2)))
    assert not same(Held("a", (1, 2)), Held("a", (1, 3)))
    assert not same(Held("a"), Held("b"))


def test_a_field_that_takes_no_part_in_comparison_is_not_a_value() -> None:
    used = Held("a", (1,))
    used.seen["x"] = 1  # a cache filled while a page rendered
    assert same(used, Held("a", (1,)))


def test_sequences_and_mappings_compare_item_by_item_in_order() -> None:
    assert same([Held("a")], (Held("a"),)) is False  # another type is another value
    assert same({"k": Held("a")}, {"k": Held("a")})
    assert not same({"k": Held("a"), "l": 1}, {"l": 1, "k": Held("a")})  # False may be wrong, True never
    assert not same((1, 2), (1, 2, 3))


def test_the_messages_date_cache_never_makes_two_builds_differ() -> None:
    first, second = messages_for("en"), messages_for("en")
    first.date(dt.date(2024, 6, 1))
    assert same(first, second) and not same(first, messages_for("de"))
    assert english().date(dt.date(2024, 6, 1)) == "2024-06-01"


def test_rendered_forgets_every_page_when_what_they_share_changed() -> None:
    rendered: Rendered[str] = Rendered()
    rendered.begin(Held("labels"))
    rendered.put("p.md", Held("page"), "<p>1</p>")
    rendered.begin(Held("labels"))
    assert rendered.get("p.md", Held("page")) == "<p>1</p>"
    assert rendered.get("p.md", Held("other page")) is None
    rendered.put("p.md", Held("page"), "<p>1</p>")
    rendered.begin(Held("other labels"))
    assert rendered.get("p.md", Held("page")) is None


@dataclass(frozen=True, eq=False)
class Shelf:
    """A value holding others, as a project holds its cards."""

    label: str
    held: tuple[Held, ...] = ()


def test_what_a_page_never_shows_is_left_out_of_the_comparison_and_nothing_else() -> None:
    unshown = frozenset({(Held, "items")})
    before, after = Shelf("s", (Held("a", (1,)),)), Shelf("s", (Held("a", (2,)),))
    assert not same(before, after) and same(before, after, unshown)
    assert not same(before, Shelf("s", (Held("b", (1,)),)), unshown)  # the other fields still count
    assert not same(before, Shelf("t", (Held("a", (1,)),)), unshown)
    rendered: Rendered[str] = Rendered()
    rendered.begin(Held("labels"))
    rendered.put("p.md", before, "<p>1</p>")
    assert rendered.get("p.md", after) is None
    assert rendered.get("p.md", after, unshown) == "<p>1</p>"


def test_two_objects_are_compared_once_per_build() -> None:
    """A project is held by many pages' contexts: ``compared`` answers it again without a walk."""
    from mltrl_docs.render.reuse import SHOWN, Compared

    before, after = Shelf("s", (Held("a", (1,)),)), Shelf("s", (Held("a", (1,)),))
    compared: Compared = {}
    assert same(before, after, compared=compared)
    assert compared[(id(before), id(after), SHOWN)][0] is True
    assert compared[(id(before.held[0]), id(after.held[0]), SHOWN)][0] is True
    compared[(id(before), id(after), SHOWN)] = (False, before, after)  # the recorded answer is the one given
    assert not same(before, after, compared=compared) and same(before, after)


def test_a_page_given_back_keeps_this_builds_context_not_the_last_ones() -> None:
    """Under `mkdocs serve` the last build's contexts would otherwise live on beside this build's
    equal ones, a second copy of every unchanged page's context (5 MiB at 1,000 cards)."""
    import gc
    import weakref

    rendered: Rendered[str] = Rendered()
    rendered.begin(Held("labels"))
    last, now = Shelf("s", (Held("a", (1,)),)), Shelf("s", (Held("a", (1,)),))
    rendered.put("p.md", last, "<p>1</p>")
    gone = weakref.ref(last.held[0])
    del last
    rendered.begin(Held("labels"))
    assert rendered.get("p.md", now) == "<p>1</p>"
    rendered.begin(Held("labels"))  # the next build: the comparisons of this one let go
    gc.collect()
    assert gone() is None
    assert rendered.get("p.md", Shelf("s", (Held("a", (1,)),))) == "<p>1</p>"
