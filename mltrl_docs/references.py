"""Links, evidence and checklists: tell URLs from paths, and unsafe URLs from safe ones.

Card text comes from many teams and ends up as ``href``s, so anything that is
not plainly ``http``, ``https`` or ``mailto`` (``javascript:``, ``data:``,
``file:``, a protocol-relative ``//host``) is refused, after removing the
whitespace and control characters browsers ignore inside a scheme.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path, PurePath, PurePosixPath
from urllib.parse import unquote, urlsplit

from mltrl_docs.model import Reference

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_IGNORED_BY_BROWSERS = re.compile(r"[\x00-\x20\x7f]")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")


def scheme_of(target: str) -> str | None:
    """The URL scheme as a browser would see it, or None for a relative path."""
    squeezed = _IGNORED_BY_BROWSERS.sub("", target)
    match = _SCHEME.match(squeezed)
    if match:
        return match.group(1).lower()
    if squeezed.startswith(("//", "\\\\", "/\\", "\\/")):
        return ""  # protocol-relative: leaves the site, but names no scheme
    return None


def is_url(target: str) -> bool:
    return scheme_of(target) is not None


def is_safe_url(target: str) -> bool:
    scheme = scheme_of(target)
    if scheme not in SAFE_SCHEMES:
        return False
    if scheme == "mailto":
        return True
    try:
        parts = urlsplit(target.strip())
        parts.port  # noqa: B018 - raises ValueError for a malformed host or port
    except ValueError:
        return False
    return bool(parts.netloc)


def reference(target: str, card_path: Path) -> Reference:
    """Classify ``target`` written in the file ``card_path``."""
    if is_url(target):
        return Reference(target, is_url=True, safe=is_safe_url(target))
    return Reference(target, is_url=False, resolved=resolve_path(target, card_path))


def resolve_path(target: str, card_path: Path) -> Path | None:
    """The file a relative path names; None for an absolute path (not allowed). Inside
    ``resolving()``, each target is resolved once per folder."""
    memo = _RESOLVED.get()
    if memo is None:
        return _resolve_path(target, card_path)
    key = (os.path.dirname(card_path), target)
    if key not in memo:
        memo[key] = _resolve_path(target, card_path)
    return memo[key]


def _resolve_path(target: str, card_path: Path) -> Path | None:
    path_part = unquote(target.split("#", 1)[0].split("?", 1)[0]).strip()
    if not path_part or PurePosixPath(path_part).is_absolute() or path_part.startswith("\\"):
        return None
    return resolved(card_path.parent / path_part)


def is_hidden(relative: PurePath) -> bool:
    """A path through a hidden folder or to a hidden file ('.dvc/x.csv'): MkDocs and most hosts
    never publish those, so the site does not link or copy them."""
    return any(part.startswith(".") and part not in (".", "..") for part in relative.parts)


def real_path(path: Path) -> Path | None:
    """``path`` with every symlink resolved; None for a symlink loop or an unreadable link
    (Python 3.11's ``resolve`` raises on a loop)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return None


def resolved(path: Path) -> Path:
    """``path`` with its symlinks resolved, or, for a symlink loop, absolute and normalised as
    written: a path that does not exist, which the rules and discovery then report."""
    return real_path(path) or Path(os.path.normpath(os.path.abspath(path)))


_RESOLVED: ContextVar[dict[tuple[str, str], Path | None] | None] = ContextVar("resolved", default=None)


@contextmanager
def resolving() -> Iterator[None]:
    """Resolve each path once while loading a dossier: the cards of a project name the same
    evidence files, and resolving one asks the file system about every folder above it. Only
    for the span of one reading: a file system may change between two builds of ``mkdocs serve``."""
    token = _RESOLVED.set({})
    try:
        yield
    finally:
        _RESOLVED.reset(token)
