"""Acceptance results as pages show them: one line per criterion (what is measured, the threshold,
the measured value or the test counts, the verdict, the evidence file) under its requirement, and
whether the evidence contradicts what the card declares.

The judging is the analysis layer's (``mltrl_docs.evidence``); here its results are said in the
site's language, once, so templates only place them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from mltrl_docs.evidence import AcceptanceResult, EvidenceReport, RequirementEvidence, TestCounts, Verdict, number_text
from mltrl_docs.frontmatter import isolated
from mltrl_docs.messages import Messages, english
from mltrl_docs.model import Card, Reference, Requirement


@dataclass(frozen=True, slots=True)
class CriterionLine:
    """One acceptance criterion, judged, in words."""

    result: AcceptanceResult
    metric: str
    """What is measured, as the card names it (its ``select`` or evidence file when it names nothing)."""
    slice: str | None
    """The data slice the criterion is about, if it names one."""
    threshold: str
    """``>= 0.7``, ``< 10 s``; empty for a test criterion (every selected test must pass)."""
    measured: str
    """``0.73``, ``7.8 s``, ``4 passed, 1 failed`` or ``not read``, in the site's language."""
    verdict: Verdict
    """``passed``, ``failed`` or ``unknown`` (could not be judged: see ``problem``)."""
    evidence: Reference
    """The evidence file as the card names it (pages link it where the site publishes it)."""
    problem: str | None
    """Why it could not be judged (the check's words, as its findings say it)."""
    tests: bool
    """A test criterion (JUnit XML): ``measured`` is the selected tests' outcomes."""
    said: str
    """The line's words: what it measures, against which threshold, and what was measured
    (``acceptance.line``, or ``acceptance.line.tests``), with no break inside the threshold or
    the measured value. Said once here: a card page shows thousands of these."""


@dataclass(frozen=True, slots=True)
class RequirementResults:
    """A requirement's criteria in words, and what they say against its declared status."""

    evidence: RequirementEvidence
    criteria: tuple[CriterionLine, ...]

    @property
    def requirement(self) -> Requirement:
        return self.evidence.requirement

    @property
    def verdict(self) -> Verdict:
        return self.evidence.verdict

    @property
    def contradicts(self) -> bool:
        """Declared verified, and the evidence misses a criterion: flagged wherever the status is shown."""
        return self.evidence.contradicts

    @property
    def now_passes(self) -> bool:
        """Declared failed, and the evidence now meets every criterion: a note beside the status."""
        return self.evidence.now_passes


def counts_text(counts: TestCounts, messages: Messages | None = None) -> str:
    """``4 passed, 1 failed``: the outcomes that occurred, in the site's language."""
    m = messages or english()
    parts = [m.plural(key, n) for key, n in (("acceptance.counts.passed", counts.passed),
                                             ("acceptance.counts.failed", counts.failed),
                                             ("acceptance.counts.errored", counts.errored),
                                             ("acceptance.counts.skipped", counts.skipped)) if n]
    return ", ".join(parts) or m.text("acceptance.counts.none")


def criterion_line(result: AcceptanceResult, messages: Messages | None = None) -> CriterionLine:
    """One judged criterion, said in the site's ``messages`` (default: English)."""
    m = messages or english()
    criterion = result.criterion
    unit = f" {criterion.unit}" if criterion.unit else ""
    if criterion.op is not None and criterion.value is not None and not criterion.tests:
        threshold = f"{criterion.op.value} {number_text(criterion.value)}{unit}"
    else:
        threshold = ""
    if result.counts is not None:
        measured = counts_text(result.counts, m)
    elif result.measured is not None:
        measured = number_text(result.measured) + unit
    else:
        measured = m.text("acceptance.measured.not_read")
    verdict = Verdict.UNKNOWN if result.passed is None else Verdict.PASSED if result.passed else Verdict.FAILED
    metric = criterion.metric or criterion.select or criterion.source.target
    what = (m.text("acceptance.metric_slice", metric=isolated(metric), slice=isolated(criterion.slice))
            if criterion.slice else isolated(metric))
    if criterion.tests:
        said = m.text("acceptance.line.tests", metric=what, measured=unbroken(measured))
    else:
        said = m.text("acceptance.line", metric=what, threshold=unbroken(threshold), measured=unbroken(measured))
    return CriterionLine(result, metric, criterion.slice, threshold, measured, verdict, criterion.source,
                         result.problem, criterion.tests, said)


def unbroken(text: str) -> str:
    """``text`` with no-break spaces, kept on one line wherever it falls: ``>= 0.7 s``, ``1.0.0 → 1.1.0``."""
    return text.replace(" ", "\u00a0")


def card_results(card: Card, report: EvidenceReport,
                 messages: Messages | None = None) -> Mapping[int, RequirementResults]:
    """The card's requirements that have acceptance criteria, by requirement index (``Requirement.index``:
    two requirements of a card may share an id, an error, and both are shown)."""
    return MappingProxyType({found.requirement.index: RequirementResults(
        found, tuple(criterion_line(result, messages) for result in found.results))
        for found in report.of_card(card)})
