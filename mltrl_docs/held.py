"""Generated pages' HTML, held outside memory while the host does not read it.

MkDocs renders every page's content first and keeps it to the end of the build, then builds
(templates, search, writing) one page after the other. A dossier's generated pages are most
of a site's bytes: about 30 MB of HTML and search views per 1,000 cards, all of it alive at once
for the whole build. Between its render and its build each page waits here instead, written to
an unnamed temporary file in the site's folder (the disk the site is written to anyway; the
system's page cache, not the build's memory, keeps it at hand) and read back whole for the
events that read it. Where no such file can be made or written (a read-only or full disk), pages
wait in memory compressed with zlib at its fastest level (about four times smaller), as they
did before they were spilled.

Core layer: no MkDocs; the plugin decides when a page is held and when it is shown.
"""

from __future__ import annotations

import tempfile
import weakref
import zlib
from pathlib import Path
from typing import IO

LEVEL = 1
"""zlib's fastest level, for pages held in memory: read back once, speed matters more than size."""

_Spilled = tuple[int, int, int]
"""Where a page is in the spill file: its offset, its HTML's length, its search view's (-1: none)."""
_Packed = tuple[bytes, bytes | None]
"""A page held in memory: its HTML and its search view, compressed."""


class Held:
    """Each held page's HTML and search view (the text the host's search indexes instead, or
    None), by page URI. ``folder``: where the spill file is made (None: the system's temporary
    folder)."""

    __slots__ = ("__weakref__", "_close", "_end", "_file", "_folder", "_pages", "_spills")

    def __init__(self, folder: Path | None = None) -> None:
        self._pages: dict[str, _Spilled | _Packed] = {}
        self._file: IO[bytes] | None = None
        self._close: weakref.finalize[[], Held] | None = None
        """Closes the spill file when this is let go without ``clear`` (a build that failed)."""
        self._end = 0
        self._folder = folder
        self._spills = True
        """False once the spill file could not be made or written: pages are held in memory."""

    def hold(self, uri: str, html: str, search: str | None) -> None:
        page = html.encode("utf-8", "surrogatepass")
        view = None if search is None else search.encode("utf-8", "surrogatepass")
        self._pages[uri] = self._spilled(page, view) or (_packed(page), None if view is None else _packed(view))

    def shown(self, uri: str) -> tuple[str, str | None] | None:
        """The page's HTML and search view as they were held (the page stays held: the host may
        build it again, as ``mkdocs serve`` rebuilds do); None for a page not held."""
        held = self._pages.get(uri)
        if held is None:
            return None
        if isinstance(held[0], int):
            start, pages, views = held
            assert self._file is not None
            self._file.seek(start)
            data = self._file.read(pages + max(views, 0))
            html, search = data[:pages], None if views < 0 else data[pages:]
        else:
            packed, view = held
            html, search = zlib.decompress(packed), None if view is None else zlib.decompress(view)
        return _text(html), None if search is None else _text(search)

    def clear(self) -> None:
        """Let go of every page, and of the spill file (the system removes it once closed)."""
        self._pages.clear()
        if self._close is not None:
            self._close()
        self._file = self._close = None
        self._end = 0

    def _spilled(self, page: bytes, view: bytes | None) -> _Spilled | None:
        """Where ``page`` and ``view`` were written in the spill file; None if they were not."""
        if not self._spills:
            return None
        try:
            if self._file is None:
                if self._folder is not None:
                    self._folder.mkdir(parents=True, exist_ok=True)
                self._file = tempfile.TemporaryFile(prefix=".mltrl-held-", dir=self._folder)
                self._close = weakref.finalize(self, self._file.close)
            self._file.seek(self._end)
            self._file.write(page)
            if view is not None:
                self._file.write(view)
        except OSError:  # no room or no right to write: memory it is, for the rest of the build
            self._spills = False
            return None
        start, self._end = self._end, self._end + len(page) + (0 if view is None else len(view))
        return start, len(page), -1 if view is None else len(view)

    def __contains__(self, uri: object) -> bool:
        return uri in self._pages

    def __len__(self) -> int:
        return len(self._pages)


def _packed(data: bytes) -> bytes:
    return zlib.compress(data, LEVEL)


def _text(data: bytes) -> str:
    return data.decode("utf-8", "surrogatepass")
