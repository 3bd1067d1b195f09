"""Acceptance criteria checked against evidence (card format 1.2): readers for JUnit XML, JSON
and CSV (more through the ``mltrl_docs.evidence_readers`` entry points), the judging of every
criterion once per build, and the report the gates, the counts and the pages read.

Part of the analysis layer: it reads the model and files, never renders, never imports MkDocs.
"""

from mltrl_docs.evidence.acceptance import criterion_field, evaluate_evidence
from mltrl_docs.evidence.readers import (
    ENTRY_POINT_GROUP,
    MAX_EVIDENCE_BYTES,
    Evidence,
    EvidenceError,
    EvidenceReader,
    Registry,
    SelectError,
    TestCounts,
    registry,
)
from mltrl_docs.evidence.report import (
    NO_EVIDENCE,
    AcceptanceResult,
    EvidenceReport,
    RequirementEvidence,
    Verdict,
    number_text,
)

__all__ = [
    "ENTRY_POINT_GROUP", "MAX_EVIDENCE_BYTES", "NO_EVIDENCE", "AcceptanceResult", "Evidence", "EvidenceError",
    "EvidenceReader", "EvidenceReport", "Registry", "RequirementEvidence", "SelectError", "TestCounts", "Verdict",
    "criterion_field", "evaluate_evidence", "number_text", "registry",
]
