"""What a build may reuse from the one before: each file's reading, keyed by its bytes.

``mkdocs serve`` rebuilds the whole site when one card changes. Reading a card (YAML with
positions, the schema, the body) is most of the cost of loading a dossier, and its result
depends only on the file's bytes and how it is read (its folder's project id, the limits).
A ``FileCache`` kept across rebuilds hands back the earlier result while the bytes are the
same. A file is read again, and its bytes compared whole, whenever its status (inode, size,
modification and change times) is not the one it had when it was last read, and always while
that reading was less than ``SETTLED_NS`` after the file's last change (git's "racily clean"
rule: a change in the same clock tick as the reading leaves the status as it was). A file
restored with an old date has a new change time, which only the kernel sets. Entries of files a
build did not ask for are dropped when it ends (``sweep``), so memory follows the dossier, not
the number of edits.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from mltrl_docs.memo import Memo

T = TypeVar("T")

MAX_CACHED_BYTES = 8 * 1024 * 1024
"""Files larger than this are read every time (the loader refuses most of them anyway)."""

SETTLED_NS = 2_000_000_000
"""How long before a reading a file must have last changed for its status to stand for its
bytes: more than any file system's time stamps are coarse (FAT's two seconds)."""

Status = tuple[int, int, int, int, int]
"""What ``os.stat`` says of a file that changes when its bytes do: device, inode, size,
modification and change times (ns)."""


@dataclass(frozen=True, slots=True)
class _Reading:
    status: Status
    data: bytes
    read_at: int
    """``time.time_ns()`` just before the bytes were read."""

    def holds(self, status: Status) -> bool:
        """The file is as it was read: the same status, and its last change well before the reading."""
        return status == self.status and max(status[3], status[4]) < self.read_at - SETTLED_NS


class FileCache:
    """Results of reading files, reused while each file's bytes stay the same."""

    def __init__(self) -> None:
        self._entries: dict[tuple[Path, Hashable], tuple[bytes, object]] = {}
        self._used: set[tuple[Path, Hashable]] = set()
        self._readings: dict[Path, _Reading] = {}
        """Each file's bytes as last read, with its status then (``data``)."""
        self.made: Memo[Hashable, Any] = Memo()
        """What a build made of its readings (a project of its folder's cards), kept for the
        next while made of the same ones: the very same object, rebuild after rebuild."""
        self.hits = 0
        """How many reads this build reused (for the plugin's log and the tests)."""
        self.misses = 0

    def read(self, path: Path, how: Hashable, reader: Callable[[], T]) -> T:
        """``reader()``'s result for ``path`` read ``how`` (the arguments besides the file that
        the result depends on): the earlier one while the file holds the same bytes."""
        key = (path, how)
        data = self._bytes(path)
        self._used.add(key)
        if data is not None:
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
        reading = self._readings.get(path)
        return reading.data if reading is not None else None

    def sweep(self) -> None:
        """End a build: forget the files it did not read, and reset the counts."""
        for key in self._entries.keys() - self._used:
            del self._entries[key]
        read = {path for path, _ in self._used}
        for path in self._readings.keys() - read:
            del self._readings[path]
        self._used.clear()
        self.made.sweep()
        self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def _bytes(self, path: Path) -> bytes | None:
        """The file's bytes (the last reading's while it holds), or None when it cannot be
        cached (missing, not a plain file, too big): the reader then reports it as it always does."""
        try:
            found = os.stat(path)
            if not stat.S_ISREG(found.st_mode) or found.st_size > MAX_CACHED_BYTES:
                self._readings.pop(path, None)
                return None
            status = (found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns)
            reading = self._readings.get(path)
            if reading is not None and reading.holds(status):
                return reading.data
            read_at = time.time_ns()
            with open(path, "rb") as file:
                data = file.read(MAX_CACHED_BYTES + 1)
        except OSError:
            self._readings.pop(path, None)
            return None
        self._readings[path] = _Reading(status, data, read_at)
        return data
