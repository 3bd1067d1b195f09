"""What the acceptance criteria of a dossier's requirements came to: each criterion's measured
value or test counts beside its threshold, each requirement's verdict, and the one notion of
"verified" that the gates and every count use.

A requirement declared ``verified`` whose criteria its evidence now fails is *contradicted*: it
does not count as verified, for the earned level or in any "n of m verified".
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import partial
from pathlib import Path
from types import MappingProxyType

from mltrl_docs.evidence.readers import TestCounts
from mltrl_docs.findings import Position
from mltrl_docs.model import Acceptance, Card, Comparison, Reference, Requirement, RequirementStatus
from mltrl_docs.yamldata import DataPath


@dataclass(frozen=True, slots=True)
class AcceptanceResult:
    """One criterion judged against its evidence file."""

    criterion: Acceptance
    path: DataPath
    """Where the criterion is written: ``("requirements", i, "acceptance", j)``."""
    position: Position
    """The criterion's position in the card (``Card.where(*path)``)."""
    reader: str | None = None
    """The reader that read the file ('JSON', 'CSV', 'JUnit XML', a plug-in's name)."""
    measured: float | None = None
    """The value read (value criteria)."""
    counts: TestCounts | None = None
    """The selected tests' outcomes (test criteria)."""
    passed: bool | None = None
    """True: met; False: missed; None: could not be judged (see ``problem``)."""
    problem: str | None = None
    """Why it could not be judged, naming the file and the selector."""
    problem_key: str | None = None
    """The criterion's key the problem is about (``select``, ``source``, ``tests``)."""
    reported: bool = False
    """The problem is another rule's finding already (a missing file or absolute path: the
    ``path`` rule; an unsafe URL: the ``url`` rule), so it is not reported twice."""

    @property
    def evidence(self) -> Reference:
        """The evidence file as the card names it."""
        return self.criterion.source

    @property
    def file(self) -> Path | None:
        return self.criterion.source.resolved

    @property
    def op(self) -> Comparison | None:
        return self.criterion.op

    @property
    def threshold(self) -> float | None:
        return self.criterion.value

    @property
    def shown(self) -> str:
        """The measurement in a few words: '0.73', '12 passed, 1 failed', or 'not read'."""
        if self.counts is not None:
            return self.counts.text
        if self.measured is not None:
            return number_text(self.measured)
        return "not read"


def number_text(value: float) -> str:
    """A number as short as it reads: 0.73, 12 (not 12.0)."""
    if math.isfinite(value) and value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


class Verdict(StrEnum):
    PASSED = "passed"
    """Every criterion is met."""
    FAILED = "failed"
    """At least one criterion is missed."""
    UNKNOWN = "unknown"
    """None is missed, but at least one could not be judged."""


@dataclass(frozen=True, slots=True)
class RequirementEvidence:
    """A requirement's criteria, judged."""

    card: Path
    requirement: Requirement
    results: tuple[AcceptanceResult, ...]
    verdict: Verdict = field(init=False)
    """Failed if any criterion is missed, else unknown if any could not be judged, else passed:
    judged once, since every count of verified requirements asks it again."""

    def __post_init__(self) -> None:
        passed = {result.passed for result in self.results}
        verdict = Verdict.FAILED if False in passed else Verdict.UNKNOWN if None in passed else Verdict.PASSED
        object.__setattr__(self, "verdict", verdict)

    @property
    def failing(self) -> tuple[AcceptanceResult, ...]:
        return tuple(result for result in self.results if result.passed is False)

    @property
    def contradicts(self) -> bool:
        """Declared verified, but the evidence misses a criterion."""
        return self.requirement.status is RequirementStatus.VERIFIED and self.verdict is Verdict.FAILED

    @property
    def now_passes(self) -> bool:
        """Declared failed, but the evidence now meets every criterion."""
        return self.requirement.status is RequirementStatus.FAILED and self.verdict is Verdict.PASSED


@dataclass(frozen=True, slots=True)
class EvidenceReport:
    """Every requirement with acceptance criteria, by (card path, requirement index): indices,
    not ids, because two requirements of one card may share an id (an error, but both are shown)."""

    requirements: Mapping[tuple[Path, int], RequirementEvidence] = field(
        default_factory=lambda: MappingProxyType({}))
    applied: bool = True
    """False when the site turned ``evidence-contradicts`` off: the results are still read and
    shown, but a contradiction no longer takes a requirement out of the verified ones."""

    def of(self, card: Card, requirement: Requirement) -> RequirementEvidence | None:
        """The requirement's judged criteria; None when it has none."""
        return self.requirements.get((card.path, requirement.index))

    def of_card(self, card: Card) -> tuple[RequirementEvidence, ...]:
        """The card's requirements that have criteria, in the card's order."""
        return tuple(found for r in card.requirements if (found := self.of(card, r)) is not None)

    def contradicted(self, card: Card, requirement: Requirement) -> bool:
        """Declared verified, and the evidence misses a criterion (while the rule is on)."""
        found = self.of(card, requirement)
        return self.applied and found is not None and found.contradicts

    def verified(self, card: Card, requirement: Requirement) -> bool:
        """The one notion of verified: declared ``verified`` and not contradicted by its
        evidence. The gates (leaving levels 4 and 8) and every "n of m verified" use it."""
        return requirement.status is RequirementStatus.VERIFIED and not self.contradicted(card, requirement)

    def closed(self, card: Card, requirement: Requirement) -> bool:
        """Nothing more to do for a gate: verified (as ``verified`` says) or waived."""
        return requirement.status is RequirementStatus.WAIVED or self.verified(card, requirement)

    def verified_on(self, card: Card) -> Callable[[Requirement], bool]:
        """``verified`` for the requirements of one card (what ``metrics.tally`` takes)."""
        return partial(self.verified, card)

    def applying(self, applied: bool) -> EvidenceReport:
        return self if applied == self.applied else replace(self, applied=applied)


NO_EVIDENCE = EvidenceReport()
"""A report with no criteria: every requirement is as verified as it is declared."""
