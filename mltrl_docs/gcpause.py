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


def settle() -> None:
    """Collect what is garbage now, then leave every object alive out of later collections
    (``gc.freeze``): what a long-running process keeps from then on (``mkdocs serve``: modules,
    compiled templates, the readings and renderings kept for the next rebuild) is a heap the
    collector would otherwise walk whole about once per rebuild (a seventh of a rebuild at
    1,000 cards). Objects freed by their count are freed as before; a cycle among the objects
    frozen here that becomes garbage later stays, a bounded cost paid once."""
    gc.collect()
    gc.freeze()


def unsettle() -> None:
    """Give what ``settle`` froze back to the collector (the process goes on without the server)."""
    gc.unfreeze()
