"""The provenance cache: what git said last build, kept while the repository stays put.

Reading a repository's history takes seconds; asking whether it moved takes milliseconds.
One JSON file per site holds each repository's histories and decision lines, under a key
of what they depend on (HEAD, the shallow boundary, the paths read, the commit limit; a
changed card by its content hash); an entry of an earlier HEAD is where the next read starts
(the commits since, joined to it). A missing, corrupt or foreign file is a cache miss and
is rewritten; writing goes to a temporary file renamed over the old one, so a build stopped
half-way, or two builds at once, never leave a torn file. A cache never fails a build.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

CACHE_FILE = "provenance.json"
FORMAT = "mltrl-docs provenance cache 2"
"""Changed whenever what is stored changes: an older file is then a miss, never misread."""


class Cache:
    """The cache file's repositories (root -> entry), read once and written once per build."""

    def __init__(self, file: Path | None, repositories: dict[str, Any] | None = None) -> None:
        self.file = file
        self._old: dict[str, Any] = repositories or {}
        self._new: dict[str, Any] = {}
        self._changed = False

    @classmethod
    def load(cls, cache_dir: Path | None) -> Cache:
        """The cache in ``cache_dir`` (None: no cache), empty when unreadable or foreign."""
        if cache_dir is None:
            return cls(None)
        file = cache_dir / CACHE_FILE
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError, UnicodeDecodeError, RecursionError):
            return cls(file)
        if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("repositories"), dict):
            return cls(file)
        return cls(file, data["repositories"])

    def entry(self, root: str, key: dict[str, Any]) -> dict[str, Any] | None:
        """The stored entry of the repository at ``root`` if it was made under ``key``."""
        entry = self._old.get(root)
        if isinstance(entry, dict) and entry.get("key") == key:
            self._new[root] = entry
            return entry
        return None

    def earlier(self, root: str) -> dict[str, Any] | None:
        """The stored entry of the repository at ``root`` whatever its key: the histories at an
        earlier HEAD, which a build after a commit continues instead of reading them all again."""
        entry = self._old.get(root)
        return entry if isinstance(entry, dict) else None

    def put(self, root: str, entry: dict[str, Any]) -> None:
        """Keep ``entry`` (its ``key`` included) for the next build."""
        self._new[root] = entry
        self._changed = True

    def touched(self) -> None:
        """An entry kept with ``entry`` was added to (decisions blamed this build)."""
        self._changed = True

    def save(self) -> None:
        """Write the entries used this build (others are dropped, so the file stays the size of
        the site), atomically; a cache that cannot be written is left alone."""
        if self.file is None or not (self._changed or set(self._new) != set(self._old)):
            return
        text = json.dumps({"format": FORMAT, "repositories": self._new}, ensure_ascii=True, sort_keys=True,
                          separators=(",", ":"))
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".provenance-", suffix=".tmp", dir=self.file.parent)
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as out:
                    out.write(text)
                os.replace(temporary, self.file)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError:
            return
