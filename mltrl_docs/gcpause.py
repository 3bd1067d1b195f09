"""Pausing Python's cyclic garbage collector while a bulk of long-lived objects is made.

Loading a dossier and reading a git history each allocate hundreds of thousands of small,
acyclic objects that all stay alive: the collector would rescan every one of them again and
again (a fifth of a 3,000-card check, a third of a cold history read). Any cycles made
meanwhile are collected once it resumes.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
