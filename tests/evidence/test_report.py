"""The evidence report (mltrl_docs/evidence/report.py): verdicts, and the one notion of verified
that the gates and every count (mltrl_docs/metrics.py) use."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from mltrl_docs.body import read_body
from mltrl_docs.evidence import (
    NO_EVIDENCE,
    AcceptanceResult,
    EvidenceReport,
    RequirementEvidence,
    Verdict,
)
from mltrl_docs.evidence.report import number_text
from mltrl_docs.findings import Position
from mltrl_docs.levels import level
from mltrl_docs.metrics import tally, verified_counts
from mltrl_docs.model import (
    Acceptance,
    Card,
    CardStatus,
    Comparison,
    Reference,
    Requirement,
    RequirementKind,
    RequirementStatus,
    Verification,
)

CRITERION = Acceptance(Reference("m.json", is_url=False, resolved=Path("/p/m.json")), op=Comparison.AT_LEAST,
                       value=0.7, select="f1")


def result(passed: bool | None) -> AcceptanceResult:
    return AcceptanceResult(CRITERION, ("requirements", 0, "acceptance", 0), Position(9, 9),
                            measured=None if passed is None else (0.8 if passed else 0.6), passed=passed,
                            problem="unreadable" if passed is None else None)


def requirement(status: RequirementStatus, index: int = 0) -> Requirement:
    return Requirement(str(index + 1), RequirementKind.RESEARCH, "Shall.", Verification.TEST, status, index=index,
                       acceptance=(CRITERION,))


def card(*requirements: Requirement) -> Card:
    return Card(Path("/p/L2.md"), "C1", "T", level(2), dt.date(2024, 1, 1), CardStatus.DRAFT, ("A",),
                read_body("", 1), requirements=requirements)


def test_the_verdict_of_a_requirements_criteria() -> None:
    r = requirement(RequirementStatus.VERIFIED)
    assert RequirementEvidence(Path("c"), r, (result(True), result(True))).verdict is Verdict.PASSED
    assert RequirementEvidence(Path("c"), r, (result(True), result(None))).verdict is Verdict.UNKNOWN
    assert RequirementEvidence(Path("c"), r, (result(None), result(False))).verdict is Verdict.FAILED


def test_contradicted_is_verified_and_failing_and_now_passes_is_failed_and_passing() -> None:
    verified, failed = requirement(RequirementStatus.VERIFIED), requirement(RequirementStatus.FAILED)
    assert RequirementEvidence(Path("c"), verified, (result(False),)).contradicts
    assert not RequirementEvidence(Path("c"), verified, (result(None),)).contradicts
    assert not RequirementEvidence(Path("c"), failed, (result(False),)).contradicts
    assert RequirementEvidence(Path("c"), failed, (result(True),)).now_passes
    assert not RequirementEvidence(Path("c"), failed, (result(None),)).now_passes


def report_of(the_card: Card, *passed: bool | None, applied: bool = True) -> EvidenceReport:
    return EvidenceReport({(the_card.path, r.index): RequirementEvidence(the_card.path, r, (result(p),))
                           for r, p in zip(the_card.requirements, passed, strict=True)}, applied)


def test_verified_means_declared_verified_and_not_contradicted() -> None:
    the_card = card(requirement(RequirementStatus.VERIFIED, 0), requirement(RequirementStatus.VERIFIED, 1),
                    requirement(RequirementStatus.VERIFIED, 2), requirement(RequirementStatus.WAIVED, 3),
                    requirement(RequirementStatus.FAILED, 4))
    report = report_of(the_card, False, True, None, False, True)
    assert [report.verified(the_card, r) for r in the_card.requirements] == [False, True, True, False, False]
    assert [report.closed(the_card, r) for r in the_card.requirements] == [False, True, True, True, False]
    assert [report.contradicted(the_card, r) for r in the_card.requirements] == [True, False, False, False, False]
    assert [e.requirement.index for e in report.of_card(the_card)] == [0, 1, 2, 3, 4]
    ignored = report.applying(False)
    assert [ignored.verified(the_card, r) for r in the_card.requirements] == [True, True, True, False, False]
    assert report.applying(True) is report
    assert [NO_EVIDENCE.verified(the_card, r) for r in the_card.requirements] == [True, True, True, False, False]


def test_every_count_of_verified_requirements_leaves_the_contradicted_out() -> None:
    the_card = card(requirement(RequirementStatus.VERIFIED, 0), requirement(RequirementStatus.VERIFIED, 1),
                    requirement(RequirementStatus.WAIVED, 2))
    report = report_of(the_card, False, True, True)
    counted = tally(the_card.requirements, report.verified_on(the_card))
    assert (counted.verified, counted.contradicted, counted.of("verified"), counted.waived, counted.total) == (
        1, 1, 2, 1, 3)
    assert tally(the_card.requirements).verified == 2
    assert verified_counts(the_card, report) == (1, 3) and verified_counts(the_card) == (2, 3)


def test_numbers_are_shown_as_short_as_they_read() -> None:
    assert [number_text(v) for v in (0.73, 12.0, 1e-05, 3)] == ["0.73", "12", "1e-05", "3"]
    assert result(True).shown == "0.8" and result(None).shown == "not read"
