"""How file paths are shown to people.

Two audiences, two rules. A command's output (``file:line:col`` prefixes) names files
relative to where it runs, as editors and terminals expect: ``display`` (CI annotations,
which a CI system maps from the repository's top, use ``repositories.repository_path``). Text
that is stored or published (finding messages, site pages, the search index) must
read the same wherever the build ran and never show the build machine's folders:
``relative``, always from an explicit base such as the site's config folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from mltrl_docs.repositories import work_tree

_ALIASES: dict[Path, str] = {}
"""Folders ``display`` names by another name while ``aliased`` is in effect."""


@contextmanager
def aliased(aliases: Mapping[Path, str]) -> Iterator[None]:
    """While in effect, ``display`` names a file under one of the folders of ``aliases`` by that
    folder's name and the file's path inside it (``bundles/team-a.json: dossiers/x/L2.md``): the
    folders an imported bundle is unpacked into are a command's own business, not its user's."""
    _ALIASES.update(aliases)
    try:
        yield
    finally:
        for folder in aliases:
            _ALIASES.pop(folder, None)


def display(path: Path, start: Path | None = None) -> str:
    """``path`` relative to ``start`` (default: the working directory) when it is below it, or
    in the same git work tree (``../dossiers/p/L1.md`` from ``docs/``, as a CI job run in a
    sub-folder prints it); else absolute. Always with forward slashes, as editors expect."""
    base = _resolved(str(start) if start is not None else os.getcwd())
    absolute = Path(os.path.abspath(path))
    for folder, name in _ALIASES.items():
        if folder in absolute.parents:
            return f"{name}: {absolute.relative_to(folder).as_posix()}"
    try:
        return absolute.relative_to(base).as_posix()
    except ValueError:
        pass
    top = work_tree(base)
    if top is not None and (absolute == top or top in absolute.parents):
        return Path(os.path.relpath(absolute, base)).as_posix()
    return absolute.as_posix()


@lru_cache(maxsize=64)
def _resolved(folder: str) -> Path:
    """``folder`` with its symlinks resolved, once per folder: a build names thousands of files
    from the same working directory, and resolving it asks the file system about every folder
    above it. (A symlink above the working directory changed while ``mkdocs serve`` runs would
    leave paths named from where it pointed before: cosmetic, and only in the terminal.)"""
    return Path(folder).resolve()


def relative(path: Path, base: Path) -> str:
    """``path`` relative to ``base``, with ``..`` where it lies outside it; forward slashes.
    Never absolute (on another drive, where no relative path exists: the file's name).
    When a symlink in either folder makes the plain path leave ``base``, the folders'
    real paths are compared too, and the shorter way wins (the file's own name is kept)."""
    try:
        plain = os.path.relpath(os.path.abspath(path), os.path.abspath(base))
        real = os.path.relpath(os.path.join(os.path.realpath(os.path.dirname(os.path.abspath(path))),
                                            os.path.basename(path)), os.path.realpath(base))
    except ValueError:
        return Path(path).name
    return Path(min(plain, real, key=lambda p: (p.split(os.sep).count(".."), p != plain))).as_posix()
