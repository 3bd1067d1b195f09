"""Generated pages' HTML, held compressed while the host does not read it.

MkDocs renders every page's content first and keeps it to the end of the build, then builds
(templates, search, writing) one page after the other. A dossier's generated pages are most
of a site's bytes: about 30 MB of HTML and search views per 1,000 cards, all of it alive at once
for the whole build. Between its render and its build each page waits here instead, compressed
with zlib at its fastest level (about four times smaller: 19 MiB less at the peak of a 1,000-card
build, for about 3% more CPU time), and is given back whole for the events that read it.

Core layer: no MkDocs; the plugin decides when a page is held and when it is shown.
"""

from __future__ import annotations

import zlib

LEVEL = 1
"""zlib's fastest level: held text is read back once, so speed matters more than size."""


class Held:
    """Each held page's HTML and search view (the text the host's search indexes instead, or
    None), by page URI."""

    __slots__ = ("_pages",)

    def __init__(self) -> None:
        self._pages: dict[str, tuple[bytes, bytes | None]] = {}

    def hold(self, uri: str, html: str, search: str | None) -> None:
        self._pages[uri] = (_packed(html), None if search is None else _packed(search))

    def shown(self, uri: str) -> tuple[str, str | None] | None:
        """The page's HTML and search view as they were held (the page stays held: the host may
        build it again, as ``mkdocs serve`` rebuilds do); None for a page not held."""
        held = self._pages.get(uri)
        if held is None:
            return None
        html, search = held
        return _unpacked(html), None if search is None else _unpacked(search)

    def clear(self) -> None:
        self._pages.clear()

    def __contains__(self, uri: object) -> bool:
        return uri in self._pages

    def __len__(self) -> int:
        return len(self._pages)


def _packed(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8", "surrogatepass"), LEVEL)


def _unpacked(data: bytes) -> str:
    return zlib.decompress(data).decode("utf-8", "surrogatepass")
