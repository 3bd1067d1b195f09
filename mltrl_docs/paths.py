"""How file paths are shown to people: relative to where they run the command."""

from __future__ import annotations

import os
from pathlib import Path


def display(path: Path, start: Path | None = None) -> str:
    """``path`` relative to ``start`` (default: the working directory) when it is below it,
    else absolute; always with forward slashes, as editors and CI annotations expect."""
    base = (start or Path.cwd()).resolve()
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(base).as_posix()
    except ValueError:
        return absolute.as_posix()
