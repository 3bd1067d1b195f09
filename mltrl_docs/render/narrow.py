"""Page HTML held at one byte per character while the host holds every page.

MkDocs keeps each page's HTML from the moment it is read until the whole site is written, and
Python stores a text at the width of its widest character: one arrow (``→``) in a page of
Latin-1 text makes the whole page two bytes per character. The pages the plugin hands MkDocs hold
a few such symbols of their own (arrows, minus signs, check marks) in otherwise Latin-1 text;
written as character references they read the same in every browser, and the page is held at
half the size. A page whose text is mostly beyond Latin-1 (a card written in Greek or Japanese)
is left as it is: references would make it longer, and it is wide anyway.
"""

from __future__ import annotations

MAX_GROWTH = 16
"""A page is narrowed when its references add at most a 1/MAX_GROWTH of its length."""


def narrow(html: str) -> str:
    """``html`` with its characters beyond Latin-1 as character references (``&#8594;``), when
    they are few enough (``MAX_GROWTH``); else ``html`` itself. Only in text and attribute values
    may such characters stand in a page, where a reference means the same character."""
    if html.isascii():
        return html
    narrowed = html.encode("latin-1", "xmlcharrefreplace").decode("latin-1")
    return narrowed if len(narrowed) - len(html) <= len(html) // MAX_GROWTH else html
