"""Compiled Jinja templates, kept for the next render and, given a folder, for the next build.

Compiling a template is the dearest thing Jinja does: at 1,000 cards, compiling the plugin's
templates and the theme's (MkDocs compiles the theme's anew for every build, and for every
``mkdocs serve`` rebuild) is about a twentieth of a build. ``TemplateCode`` keeps each template's
code in memory and, with a ``folder``, on disk: a second ``mkdocs build`` in the same checkout
loads the code instead of compiling it. Jinja checks every entry against its template's source
(a checksum) and against the Python that wrote it (a magic header); the checksum here also covers
the environment's compile options (``_options``), so an edited template, an upgraded theme or
Jinja, another Python, or a site that turns on an extension (MkDocs adds i18n for a theme
``locale``) or changes a delimiter is compiled again, never served code compiled under other
options. The folder is a cache: a file that cannot
be read or written is compiled or skipped, never an error.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from types import CodeType
from typing import Any

import jinja2
from jinja2 import BytecodeCache, Environment
from jinja2.bccache import Bucket


class TemplateCode(BytecodeCache):
    """Each template's code by its cache key, with the checksum of the source it came from."""

    def __init__(self, folder: Path | None = None) -> None:
        self._code: dict[str, tuple[str, CodeType]] = {}
        self.folder = folder
        """Where compiled code is kept between builds (None: in memory only)."""

    def get_bucket(self, environment: Environment, name: str, filename: str | None, source: str) -> Bucket:
        """Jinja's bucket, keyed and checked by the options the code is compiled under as well.

        In the key, so that two environments over one template (a site built with and without a
        locale) keep their code side by side; in the checksum, so that no entry is ever loaded
        under options other than its own.
        """
        options = _options(environment).encode("utf-8")
        key = hashlib.sha1(self.get_cache_key(name, filename).encode("ascii") + b"\0" + options)
        checksum = hashlib.sha1(source.encode("utf-8") + b"\0" + options)
        bucket = Bucket(environment, key.hexdigest(), checksum.hexdigest())
        self.load_bytecode(bucket)
        return bucket

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


def _options(environment: Environment) -> str:
    """Everything in an environment that changes the code Jinja compiles from one source.

    Read at each lookup, not once: MkDocs and themes add extensions to an environment after
    making it. Callables are named by module and qualified name (a repr holds an address).
    """
    options: list[object] = [
        jinja2.__version__,
        sorted(environment.extensions),
        environment.block_start_string, environment.block_end_string,
        environment.variable_start_string, environment.variable_end_string,
        environment.comment_start_string, environment.comment_end_string,
        environment.line_statement_prefix, environment.line_comment_prefix,
        environment.trim_blocks, environment.lstrip_blocks,
        environment.keep_trailing_newline, environment.newline_sequence,
        environment.optimized, environment.is_async,
        _named(environment.autoescape), _named(environment.finalize),
        _named(environment.code_generator_class),
        _generator_options(environment),
        getattr(environment, "newstyle_gettext", None),  # i18n's calls are compiled one way or the other
    ]
    return repr(options)


def _generator_options(environment: Environment) -> object:
    """What a code generator of the environment's own says its code depends on besides the
    options above (``compile_options``, as ``render.direct.DirectCalls`` has); None otherwise."""
    options = getattr(environment.code_generator_class, "compile_options", None)
    return options(environment) if callable(options) else None


def _named(value: Any) -> object:
    """A callable by its module and qualified name; any other value as it is."""
    if callable(value):
        return f"{getattr(value, '__module__', '?')}.{getattr(value, '__qualname__', type(value).__qualname__)}"
    return value
