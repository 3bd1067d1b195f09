"""Evidence readers: how a file of results (JUnit XML, JSON, CSV, or a type a plug-in adds) is
read once and then asked for a value or a count of tests.

A reader is chosen by the file's suffix. The built-in readers come first; other packages add
readers through the entry point group ``mltrl_docs.evidence_readers`` (each entry names a reader
object, or a class whose instance is one), so a team can read its own result format without
changing this package. Whatever a reader raises becomes a located finding naming the reader:
one team's broken plug-in or file never stops the build.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

ENTRY_POINT_GROUP = "mltrl_docs.evidence_readers"

MAX_EVIDENCE_BYTES = 8 * 1_048_576
"""Bytes of one evidence file at most. Results files run larger than cards (a JUnit report of a
few thousand tests is a megabyte or two), but a bigger one is a mistake or an attack, and is
reported, never read."""


class EvidenceError(Exception):
    """The file is not what its reader reads (malformed XML, not JSON...): said in one sentence."""


class SelectError(Exception):
    """The selector names nothing in the file, or something that is no value: said in one sentence."""


@dataclass(frozen=True, slots=True)
class TestCounts:
    """What a selection of tests did: JUnit's four outcomes."""

    __test__ = False  # a name pytest would otherwise try to collect as a test class

    passed: int = 0
    failed: int = 0
    errored: int = 0
    skipped: int = 0

    @property
    def total(self) -> int:
        return self.passed + self.failed + self.errored + self.skipped

    @property
    def ok(self) -> bool:
        """Every selected test that ran passed, and at least one did: a skipped test shows
        nothing, so a selection that only skipped does not show the requirement met."""
        return self.failed == 0 and self.errored == 0 and self.passed > 0

    @property
    def text(self) -> str:
        """'12 passed, 1 failed', naming only the outcomes that occurred."""
        parts = [f"{n} {word}" for n, word in ((self.passed, "passed"), (self.failed, "failed"),
                                               (self.errored, "errored"), (self.skipped, "skipped")) if n]
        return ", ".join(parts) or "no tests"


@runtime_checkable
class Evidence(Protocol):
    """One parsed evidence file: what criteria select from."""

    def value(self, select: str) -> object:
        """The value at ``select`` as the file holds it (a number, text, ...); raises
        SelectError when it names nothing, EvidenceError when the file holds no values."""
        ...

    def tests(self, select: str | None) -> TestCounts:
        """The outcomes of the tests ``select`` names (None: every test); raises SelectError
        when it names none, EvidenceError when the file holds no test results."""
        ...


@runtime_checkable
class EvidenceReader(Protocol):
    """Reads one kind of evidence file."""

    name: str
    """Shown in findings: 'JUnit XML', 'JSON', 'CSV', or the plug-in's own name."""
    suffixes: tuple[str, ...]
    """The file suffixes it reads, lower case with the dot: ('.json',)."""

    def read(self, data: bytes, path: Path) -> Evidence:
        """The parsed file; raises EvidenceError for a file it cannot read."""
        ...


@dataclass(frozen=True, slots=True)
class Registry:
    """The readers by suffix, and the plug-ins that could not be loaded (named when a file of a
    type nobody reads turns up, so the author sees why)."""

    by_suffix: Mapping[str, EvidenceReader]
    broken: tuple[str, ...] = ()
    """'name: why' for each entry point that failed to load or is no reader."""

    def reader(self, path: Path) -> EvidenceReader | None:
        return self.by_suffix.get(path.suffix.lower())


def builtin_readers() -> tuple[EvidenceReader, ...]:
    """The readers shipped here (imported on use: a dossier without criteria never needs them)."""
    from mltrl_docs.evidence.jsondoc import JsonReader
    from mltrl_docs.evidence.junit import JUnitReader
    from mltrl_docs.evidence.tabular import CsvReader

    return (JUnitReader(), JsonReader(), CsvReader())


def registry(extra: Iterable[EvidenceReader] = ()) -> Registry:
    """The built-in readers, then ``extra``, then the entry points' readers, sorted by entry-point
    name. The first reader of a suffix keeps it: a plug-in adds file types, and never changes
    how a file the dossier already reads is judged."""
    by_suffix: dict[str, EvidenceReader] = {}
    broken: list[str] = []

    def add(reader: EvidenceReader) -> None:
        for suffix in reader.suffixes:
            by_suffix.setdefault(suffix.lower(), reader)

    for reader in (*builtin_readers(), *extra):
        add(reader)
    for entry in sorted(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        try:
            loaded = entry.load()
            reader = loaded() if isinstance(loaded, type) else loaded
        except Exception as exc:  # a plug-in's failure is reported, never raised
            broken.append(f"{entry.name}: {type(exc).__name__}: {exc}")
            continue
        if not isinstance(reader, EvidenceReader) or not isinstance(getattr(reader, "suffixes", None), tuple):
            broken.append(f"{entry.name}: {entry.value} is no evidence reader (it needs name, suffixes and read)")
            continue
        add(reader)
    return Registry(by_suffix, tuple(broken))
