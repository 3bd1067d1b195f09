"""Findings: what every stage of the pipeline reports, located at file:line:col.

Stages never raise on bad input; they return findings, so one bad card cannot
hide the rest of the dossier (Doorstop's issue objects, StrictDoc's locations).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import NamedTuple


class Severity(StrEnum):
    """How much a finding matters; ``error`` makes a card or file invalid."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Sort key: errors first."""
        return {"error": 0, "warning": 1, "info": 2}[self.value]


MAX_TEXT = 600
"""Characters of a finding's message or hint at most."""


class Position(NamedTuple):
    """A 1-based line and column in a source file (a tuple: cheap, and it sorts)."""

    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem, located in one file."""

    severity: Severity
    rule: str
    """Short stable name of the check (``schema``, ``yaml``, ``transition`` ...)."""
    message: str
    """What is wrong, in one sentence."""
    path: Path
    """The file the finding is about (absolute)."""
    position: Position | None = None
    field: str | None = None
    """Readable field path such as ``requirements[1].status``."""
    hint: str | None = None
    """How to fix it, in one line."""
    project: str | None = None
    related: tuple[str, ...] = ()
    """Other places involved (``file:line`` strings), e.g. the first of two duplicates."""
    applies_from: int | None = None
    """The level a gate rule applies from (gate findings only)."""
    bundled: str | None = None
    """When ``path`` is a bundle (``mltrl_docs.bundle``): the file inside it the finding is about,
    as the bundle names it; ``line`` and ``column`` are then that file's."""

    def __post_init__(self) -> None:
        # Messages quote what the author wrote; a megabyte of it would be printed, logged and
        # published on the findings page as often as it is found. The middle is cut.
        for name in ("message", "hint"):
            text = getattr(self, name)
            if text is not None and len(text) > MAX_TEXT:
                object.__setattr__(self, name, text[: MAX_TEXT - 60] + " … " + text[-57:])

    @property
    def line(self) -> int | None:
        return self.position.line if self.position else None

    @property
    def column(self) -> int | None:
        return self.position.column if self.position else None

    def sort_key(self) -> tuple[str, str, int, int, int, str]:
        return (
            str(self.path),
            self.bundled or "",
            self.line or 0,
            self.column or 0,
            self.severity.rank,
            self.message,
        )


def cut(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, ending in '…' when it was longer: what a title or
    a message quotes from a file stays short wherever it is shown."""
    return text if len(text) <= limit else text[: max(limit - 1, 0)].rstrip() + "…"


def error(rule: str, message: str, path: Path, position: Position | None = None, **kw: object) -> Finding:
    """Shorthand used by every check: most findings are errors."""
    return Finding(Severity.ERROR, rule, message, path, position, **kw)  # type: ignore[arg-type]


FAIL_ON: dict[str, tuple[Severity, ...]] = {
    "error": (Severity.ERROR,), "warning": (Severity.ERROR, Severity.WARNING), "never": ()}
"""What fails a run, by the name users choose it with (``check --fail-on``, the plugin's
``fail_on``): the severities that make ``check`` exit 1 and ``mkdocs build`` fail."""


def failing(findings: Iterable[Finding], fail_on: str) -> list[Finding]:
    """The findings that fail a run set to ``fail_on`` (a key of ``FAIL_ON``)."""
    return [f for f in findings if f.severity in FAIL_ON[fail_on]]


def has_errors(findings: list[Finding] | tuple[Finding, ...]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)
