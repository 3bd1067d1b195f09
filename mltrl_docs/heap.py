"""Giving the C heap's free memory back to the system after each `mkdocs serve` build.

A rebuild allocates and frees tens of megabytes (every page's navigation and search text, the
site's exports). glibc's malloc keeps what is freed for the process's next allocations, so a
server's resident memory climbs rebuild after rebuild towards the highest of their transient
peaks, although what is alive stays the same (1,000 cards: 196 MiB after the first build, 218
MiB after six edits, 171 MiB once trimmed). ``malloc_trim`` hands the free pages back. Where the
C library has no such call (musl, macOS, Windows) nothing is done.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable
from functools import cache


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, looked up in the process's own C library; None where there is none."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        own = ctypes.CDLL(None)  # the symbols the process has loaded, its C library's among them
    except OSError:  # pragma: no cover - a Linux process always has its own symbols
        return None
    trim: Callable[[int], int] | None = getattr(own, "malloc_trim", None)
    return trim


def give_back() -> bool:
    """Return the heap's free pages to the system; False where the C library cannot."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
