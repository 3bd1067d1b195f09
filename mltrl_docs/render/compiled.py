"""Compiled Jinja templates, kept for the next render and, given a folder, for the next build.

Compiling a template is the dearest thing Jinja does: at 1,000 cards, compiling the plugin's
templates and the theme's (MkDocs compiles the theme's anew for every build, and for every
``mkdocs serve`` rebuild) is about a twentieth of a build. ``TemplateCode`` keeps each template's
code in memory and, with a ``folder``, on disk: a second ``mkdocs build`` in the same checkout
loads the code instead of compiling it. Jinja checks every entry against its template's source
(a checksum) and against the Python that wrote it (a magic header), so an edited template, an
upgraded theme or another Python is compiled again. The folder is a cache: a file that cannot
be read or written is compiled or skipped, never an error.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from types import CodeType

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket


class TemplateCode(BytecodeCache):
    """Each template's code by its cache key, with the checksum of the source it came from."""

    def __init__(self, folder: Path | None = None) -> None:
        self._code: dict[str, tuple[str, CodeType]] = {}
        self.folder = folder
        """Where compiled code is kept between builds (None: in memory only)."""

    def load_bytecode(self, bucket: Bucket) -> None:
        kept = self._code.get(bucket.key)
        if kept is not None and kept[0] == bucket.checksum:
            bucket.code = kept[1]
            return
        if self.folder is None:
            return
        try:
            with open(self._file(bucket.key), "rb") as file:
                bucket.load_bytecode(file)  # leaves the bucket empty on another Python or source
        except Exception:
            bucket.reset()
        if bucket.code is not None:
            self._code[bucket.key] = (bucket.checksum, bucket.code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is None:
            return
        self._code[bucket.key] = (bucket.checksum, bucket.code)
        if self.folder is None:
            return
        try:  # written aside, then moved: a build running beside this one reads a whole file or none
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".", suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as file:
                    bucket.write_bytecode(file)
                os.replace(temporary, self._file(bucket.key))
            except BaseException:
                os.unlink(temporary)
                raise
        except OSError:
            pass

    def _file(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / f"{key}.jinja"
