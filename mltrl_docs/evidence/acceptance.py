"""Judge every acceptance criterion of a dossier against its evidence file, once per build.

Each file is read at most once per evaluation (cached by its resolved path) and only up to a
size bound, and only from inside the card's own project folder (symlinks resolved), the folder
whose files the site may publish: a card cannot make the build read, and quote in its findings,
other files of the machine. Nothing here raises on a team's file or reader: whatever goes wrong
becomes the criterion's ``problem``, which the ``evidence-unreadable`` gate rule reports at the
criterion.
"""

from __future__ import annotations

import math
import stat
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from mltrl_docs.evidence.readers import (
    MAX_EVIDENCE_BYTES,
    Evidence,
    EvidenceError,
    EvidenceReader,
    Registry,
    SelectError,
    registry,
)
from mltrl_docs.evidence.report import AcceptanceResult, EvidenceReport, RequirementEvidence
from mltrl_docs.model import Acceptance, Card, Dossier, Reference, Requirement
from mltrl_docs.references import real_path
from mltrl_docs.schema import field_name


@dataclass(frozen=True, slots=True)
class _Unread:
    """Why a file gave nothing to judge."""

    problem: str
    reported: bool = False
    reader: str | None = None


class _Files:
    """The evidence files of one evaluation, each read once."""

    def __init__(self, readers: Registry | None, max_bytes: int) -> None:
        self._registry = readers
        self.max_bytes = max_bytes
        self._read: dict[Path, tuple[EvidenceReader | None, Evidence | _Unread]] = {}
        self._found: dict[tuple[Path, str, Path | None], tuple[EvidenceReader | None, Evidence | _Unread]] = {}
        """By file, as written, and project folder: a project's criteria mostly share a few files, found once."""

    @property
    def registry(self) -> Registry:
        """Built on first use: a dossier without criteria never looks up entry points."""
        if self._registry is None:
            self._registry = registry()
        return self._registry

    def get(self, ref: Reference, folder: Path | None) -> tuple[EvidenceReader | None, Evidence | _Unread]:
        """The file ``ref`` names, read when it lies inside ``folder`` (the project's, resolved)."""
        if ref.is_url:
            if not ref.safe:
                return None, _Unread("the URL is not allowed", reported=True)
            return None, _Unread(f"'{ref.target}' is a URL; acceptance evidence is a file next to the card "
                                 "(the check works offline and reads nothing from the network)")
        path = ref.resolved
        if path is None:
            return None, _Unread("an absolute path", reported=True)
        key = (path, ref.target, folder)
        found = self._found.get(key)
        if found is None:
            found = self._found[key] = self._find(ref, path, folder)
        return found

    def _find(self, ref: Reference, path: Path, folder: Path | None) -> tuple[EvidenceReader | None,
                                                                                Evidence | _Unread]:
        """The file when it exists and lies inside ``folder``, read once whatever names it."""
        if not path.exists():
            return None, _Unread(f"'{ref.target}' does not exist", reported=True)
        real = real_path(path)
        if folder is None or real is None or folder not in real.parents:
            return None, _Unread(f"'{ref.target}' is outside the project's folder; acceptance evidence is read "
                                 "only from inside it")
        if path not in self._read:
            self._read[path] = self._load(path, ref.target)
        return self._read[path]

    def _load(self, path: Path, target: str) -> tuple[EvidenceReader | None, Evidence | _Unread]:
        reader = self.registry.reader(path)
        try:
            status = path.stat()
        except FileNotFoundError:
            return reader, _Unread(f"'{target}' does not exist", reported=True)
        except OSError as exc:
            return reader, _Unread(f"'{target}' cannot be read: {exc.strerror or exc}")
        if not stat.S_ISREG(status.st_mode):
            return reader, _Unread(f"'{target}' is not a regular file")
        if reader is None:
            return None, _Unread(self._no_reader(path, target))
        if status.st_size > self.max_bytes:
            return reader, _Unread(f"'{target}' is {status.st_size:,} bytes; evidence files are read up to "
                                   f"{self.max_bytes:,} bytes", reader=reader.name)
        try:
            with path.open("rb") as file:
                data = file.read(self.max_bytes + 1)
        except OSError as exc:
            return reader, _Unread(f"'{target}' cannot be read: {exc.strerror or exc}", reader=reader.name)
        if len(data) > self.max_bytes:
            return reader, _Unread(f"'{target}' is over {self.max_bytes:,} bytes; not read", reader=reader.name)
        try:
            return reader, reader.read(data, path)
        except EvidenceError as exc:
            return reader, _Unread(f"'{target}' cannot be read as {reader.name}: {exc}", reader=reader.name)
        except Exception as exc:  # a reader's bug is the author's finding, not a crash
            return reader, _Unread(f"the {reader.name} reader failed on '{target}': {type(exc).__name__}: {exc}",
                                   reader=reader.name)

    def _no_reader(self, path: Path, target: str) -> str:
        known = ", ".join(sorted(self.registry.by_suffix))
        text = f"no evidence reader reads '{path.suffix or target}' files (readers: {known})"
        if self.registry.broken:
            text += "; plug-ins that failed to load: " + "; ".join(self.registry.broken)
        return text


def judge(card: Card, requirement: Requirement, criterion: Acceptance, files: _Files,
          folder: Path | None) -> AcceptanceResult:
    """One criterion against its file, which must be inside ``folder``."""
    path = ("requirements", requirement.index, "acceptance", criterion.index)
    base = AcceptanceResult(criterion, path, card.where(*path))
    reader, evidence = files.get(criterion.source, folder)
    name = reader.name if reader is not None else None
    if isinstance(evidence, _Unread):
        return _unjudged(base, evidence.problem, criterion.key, evidence.reader or name, evidence.reported)
    where = f"'{criterion.source.target}'" + (f" at '{criterion.select}'" if criterion.select else "")
    try:
        if criterion.tests:
            counts = evidence.tests(criterion.select)
            return _with(base, reader=name, counts=counts, passed=counts.ok)
        assert criterion.select is not None and criterion.op is not None and criterion.value is not None
        raw = evidence.value(criterion.select)
    except SelectError as exc:
        return _unjudged(base, f"{where}: {exc}", "select" if criterion.select else criterion.key, name)
    except EvidenceError as exc:
        return _unjudged(base, f"{where}: {exc}", criterion.key, name)
    except Exception as exc:  # see _Files._load
        return _unjudged(base, f"the {name} reader failed on {where}: {type(exc).__name__}: {exc}",
                         criterion.key, name)
    measured = _number(raw)
    if measured is None:
        return _unjudged(base, f"{where}: the value is {_describe(raw)}, not a number, so '{criterion.op.value} "
                         f"{criterion.value}' cannot be judged", "select", name)
    return _with(base, reader=name, measured=measured, passed=criterion.op.holds(measured, criterion.value))


def _with(base: AcceptanceResult, **judged: Any) -> AcceptanceResult:
    """``base`` (a criterion and where it is written, nothing judged yet) with what was judged:
    made directly: ``dataclasses.replace`` looks every field up by name, once per criterion."""
    return AcceptanceResult(base.criterion, base.path, base.position, **judged)


def _unjudged(base: AcceptanceResult, problem: str, key: str, reader: str | None,
              reported: bool = False) -> AcceptanceResult:
    return _with(base, reader=reader, problem=problem, problem_key=key, reported=reported)


def _number(value: object) -> float | None:
    """A finite number, else None (true/false are YAML's and JSON's booleans, not 1 and 0)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:  # an integer beyond any float
        return None
    return number if math.isfinite(number) else None


def _describe(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return f"{value}, which is not finite" if isinstance(value, float) else "too large"
    if isinstance(value, str):
        return f"the text '{value[:60]}'"
    if isinstance(value, list):
        return f"a list of {len(value)} item{'s' if len(value) != 1 else ''}"
    if isinstance(value, dict):
        return f"a mapping (keys: {', '.join(str(k) for k in list(value)[:8])})"
    return type(value).__name__


def evaluate_evidence(dossier: Dossier, *, applied: bool = True, readers: Registry | None = None,
                      max_bytes: int = MAX_EVIDENCE_BYTES) -> EvidenceReport:
    """Every acceptance criterion of the dossier's valid cards judged; ``applied``: whether a
    contradiction takes a requirement out of the verified ones (the site's
    ``evidence-contradicts`` rule is on); ``readers``: default, the built-in ones and the
    entry points'."""
    files = _Files(readers, max_bytes)
    found: dict[tuple[Path, int], RequirementEvidence] = {}
    for project in dossier.projects.values():
        folder: Path | None = None
        for card in project.cards:
            for requirement in card.requirements:
                if not requirement.acceptance:
                    continue
                folder = folder or real_path(project.folder)
                found[(card.path, requirement.index)] = RequirementEvidence(card.path, requirement, tuple(
                    judge(card, requirement, c, files, folder) for c in requirement.acceptance))
    return EvidenceReport(MappingProxyType(found), applied)


def criterion_field(result: AcceptanceResult, key: str | None = None) -> str:
    """``requirements[2].acceptance[0].select``: how findings name a criterion's field."""
    return field_name((*result.path, key) if key else result.path)
