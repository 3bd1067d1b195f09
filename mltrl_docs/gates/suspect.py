"""Suspect evidence (scope PROJECT): the evidence an approval rests on changed after it, as
Doorstop flags a suspect link. The approval looked at is the project's latest card whose
approval holds (``GateReport.approved``): the one the project stands on now. An earlier card's
approval has been superseded by a later gated review, which saw the evidence as it was then.

Two ways to tell that a file changed, each optional:

* by content: an acceptance criterion's ``sha256`` (card format 1.2) is the hash of its file
  when the card was approved; a file whose content no longer has it is suspect. This needs
  no git, so it runs in every check and build;
* by git: a cited evidence file (a requirement's evidence, an acceptance criterion's file, a
  deployment test's evidence) committed after the commit that recorded the card's latest
  approving decision (``ProvenanceReport.approval``), or changed locally and not committed
  yet. Only when the provenance was read (a build, ``mltrl-docs check``), and only for files
  without a ``sha256``: a hash that still matches says the content is what was approved,
  whatever git says.
"""

from __future__ import annotations

import hashlib
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from mltrl_docs.evidence import MAX_EVIDENCE_BYTES
from mltrl_docs.findings import Position
from mltrl_docs.gates.rule import Context, Shortfall
from mltrl_docs.model import Acceptance, Card, Project, Reference, Requirement
from mltrl_docs.provenance import Commit, DecisionRecord, ProvenanceReport
from mltrl_docs.references import real_path
from mltrl_docs.yamldata import DataPath


def standing_approval(project: Project, approved: Mapping[Path, bool]) -> Card | None:
    """The project's latest card whose approval holds (None: none)."""
    return next((card for card in reversed(project.cards) if approved.get(card.path)), None)


def file_sha256(path: Path, folder: Path | None, max_bytes: int = MAX_EVIDENCE_BYTES) -> str | None:
    """The SHA-256 of ``path`` (lower-case hex), read only when it is a regular file inside
    ``folder`` (the project's, resolved) and no bigger than the evidence readers read; None
    otherwise: a missing, foreign or oversized file is another rule's finding."""
    real = real_path(path)
    if real is None or folder is None or folder not in real.parents:
        return None
    try:
        status = real.stat()
        if not stat.S_ISREG(status.st_mode) or status.st_size > max_bytes:
            return None
        with real.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError:
        return None
    return hashlib.sha256(data).hexdigest() if len(data) <= max_bytes else None


@dataclass(frozen=True, slots=True)
class _File:
    """One evidence file the card cites: where, and as what."""

    reference: Reference
    path: DataPath
    what: str


def evidence_files(card: Card) -> Iterator[_File]:
    """The files (not URLs) a card cites as evidence: its requirements' evidence, its acceptance
    criteria's files and its deployment tests' evidence, each file once."""
    seen: set[Path] = set()
    for cited in card.cited():
        ref = cited.reference
        if cited.path[0] not in ("requirements", "deployment_tests") or ref.is_url or ref.resolved is None:
            continue
        if ref.resolved not in seen:
            seen.add(ref.resolved)
            yield _File(ref, cited.path, cited.what)


def _when(commit: Commit) -> str:
    return commit.committed.date().isoformat()


def _hashed(card: Card, folder: Path | None) -> Iterator[tuple[Requirement, Acceptance, str]]:
    """Each criterion of ``card`` with a ``sha256``, and its file's hash now (when it can be read)."""
    for requirement in card.requirements:
        for criterion in requirement.acceptance:
            if criterion.sha256 is None or criterion.source.is_url or criterion.source.resolved is None:
                continue
            digest = file_sha256(criterion.source.resolved, folder)
            if digest is not None:
                yield requirement, criterion, digest


def suspect_evidence(ctx: Context) -> Iterator[Shortfall]:
    """The evidence of the project's standing approval that changed after it: by a criterion's
    ``sha256``, else by git."""
    card = standing_approval(ctx.project, ctx.system.get("approved", {}))
    if card is None:
        return
    folder = real_path(ctx.project.folder)
    checked: set[Path] = set()
    for requirement, criterion, digest in _hashed(card, folder):
        path = criterion.source.resolved
        assert path is not None
        checked.add(path)
        if digest == criterion.sha256:
            continue
        at = ("requirements", requirement.index, "acceptance", criterion.index, "sha256")
        yield ctx.shortfall(
            card, f"acceptance evidence '{criterion.source.target}' of requirement {requirement.id} changed after "
            f"the approval of this level-{card.level.number} card: its SHA-256 is now {digest[:12]}..., not the "
            f"{(criterion.sha256 or '')[:12]}... recorded at approval",
            card.where(*at), f"requirements[{requirement.index}].acceptance[{criterion.index}].sha256",
            f"review the changed evidence again; when the review accepts it, write sha256: {digest}",
            f"Re-review the evidence '{criterion.source.target}' of requirement {requirement.id}, which changed "
            "after the approval",
        )
    record = ctx.provenance.approval(card)
    if record is None or record.commit is None or record.uncommitted:
        return
    position, field = _decision(card, record)
    for file in evidence_files(card):
        path = file.reference.resolved
        assert path is not None
        if path in checked:
            continue
        changed = _changes(ctx.provenance, path, record.commit)
        if changed is None:
            continue
        yield ctx.shortfall(
            card, f"{file.what} '{file.reference.target}' changed after the approval of this "
            f"level-{card.level.number} card: {changed}; {record.reviewer}'s approval was recorded in commit "
            f"{record.commit.short} on {_when(record.commit)}",
            position, field,
            "review the changed evidence again, then record the reviewer's decision anew (a new commit of its "
            "line) or write the next card; pin acceptance files with sha256: to say which content was approved",
            f"Re-review the evidence '{file.reference.target}', which changed after the approval",
        )


def _changes(provenance: ProvenanceReport, path: Path, since: Commit) -> str | None:
    """How ``path`` changed after ``since``, in words; None when it did not."""
    commits = provenance.changed_after(path, since)
    history = provenance.file(path)
    parts: list[str] = []
    if commits:
        newest = commits[0]
        more = len(commits) - 1
        parts.append(f"in commit {newest.short} on {_when(newest)} by {newest.author}"
                     + (f" and {more} earlier commit{'s' if more > 1 else ''}" if more else ""))
    if history is not None and history.local_changes:
        parts.append("with changes not committed yet")
    return " and ".join(parts) if parts else None


def _decision(card: Card, record: DecisionRecord) -> tuple[Position, str | None]:
    """The position and field of the decision line ``record`` is about."""
    for index in range(len(card.reviewers)):
        position = card.where("reviewers", index, "decision")
        if position.line == record.line:
            return position, f"reviewers[{index}].decision"
    return Position(record.line, 1), "reviewers"
