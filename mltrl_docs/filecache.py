"""What a build may reuse from the one before: each file's reading, keyed by its bytes.

``mkdocs serve`` rebuilds the whole site when one card changes. Reading a card (YAML with
positions, the schema, the body) is most of the cost of loading a dossier, and its result
depends only on the file's bytes and how it is read (its folder's project id, the limits).
A ``FileCache`` kept across rebuilds hands back the earlier result while the bytes are the
same: compared whole, never by date or hash, so a file restored with an old date, or
changed within one clock tick, is read again. Entries of files a build did not ask for are
dropped when it ends (``sweep``), so memory follows the dossier, not the number of edits.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

MAX_CACHED_BYTES = 8 * 1024 * 1024
"""Files larger than this are read every time (the loader refuses most of them anyway)."""


class FileCache:
    """Results of reading files, reused while each file's bytes stay the same."""

    def __init__(self) -> None:
        self._entries: dict[tuple[Path, Hashable], tuple[bytes, object]] = {}
        self._used: set[tuple[Path, Hashable]] = set()
        self._data: dict[Path, bytes] = {}
        """Each file's bytes as this build last read them (``data``)."""
        self.hits = 0
        """How many reads this build reused (for the plugin's log and the tests)."""
        self.misses = 0

    def read(self, path: Path, how: Hashable, reader: Callable[[], T]) -> T:
        """``reader()``'s result for ``path`` read ``how`` (the arguments besides the file that
        the result depends on): the earlier one while the file holds the same bytes."""
        key = (path, how)
        data = _bytes(path)
        self._used.add(key)
        if data is None:
            self._data.pop(path, None)
        else:
            self._data[path] = data
            cached = self._entries.get(key)
            if cached is not None and cached[0] == data:
                self.hits += 1
                return cached[1]  # type: ignore[return-value]  # stored by this method for this key
        self.misses += 1
        result = reader()
        if data is not None:
            self._entries[key] = (data, result)
        else:
            self._entries.pop(key, None)
        return result

    def data(self, path: Path) -> bytes | None:
        """The bytes of ``path`` as this build read them (until the next build's ``sweep``), for
        whatever else publishes the file (the site's readiness.json): each file read once."""
        return self._data.get(path)

    def sweep(self) -> None:
        """End a build: forget the files it did not read, and reset the counts."""
        for key in self._entries.keys() - self._used:
            del self._entries[key]
        read = {path for path, _ in self._used}
        for path in self._data.keys() - read:
            del self._data[path]
        self._used.clear()
        self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)


def _bytes(path: Path) -> bytes | None:
    """The file's bytes, or None when it cannot be cached (missing, not a plain file, too big):
    the reader then reports it as it always does."""
    try:
        status = os.stat(path)
        if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_CACHED_BYTES:
            return None
        with open(path, "rb") as file:
            return file.read(MAX_CACHED_BYTES + 1)
    except OSError:
        return None
