"""render/narrow.py: a page of Latin-1 text with a few wider symbols is held at one byte per
character, reading the same; a page mostly beyond Latin-1 is left as it is."""

from __future__ import annotations

import html
import sys

from mltrl_docs.render.narrow import MAX_GROWTH, narrow


def test_a_few_wide_symbols_become_references_and_the_page_reads_the_same() -> None:
    page = "<p>Level: L2 → L3 · −0.5 ✓ café</p>" + "<p>Plain text.</p>" * 20
    narrowed = narrow(page)
    assert narrowed.isascii() is False and max(map(ord, narrowed)) <= 0xFF  # café stays: it is Latin-1
    assert "&#8594;" in narrowed and "&#8722;" in narrowed and html.unescape(narrowed) == page
    assert sys.getsizeof(narrowed) < sys.getsizeof(page) * 0.6


def test_a_page_mostly_beyond_latin1_and_an_ascii_page_are_left_as_they_are() -> None:
    greek = "<p>Κάρτα επιπέδου: η ομάδα έγραψε τα ευρήματα.</p>"
    assert narrow(greek) is greek
    ascii_page = "<p>plain</p>"
    assert narrow(ascii_page) is ascii_page
    bound = "x" * (MAX_GROWTH * 7) + "→"  # its one reference adds 6 characters: within the bound
    assert narrow(bound) != bound and narrow(bound + "→") == bound + "→"
