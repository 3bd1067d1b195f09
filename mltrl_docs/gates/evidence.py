"""Rules on a card's acceptance criteria (scope CARD, card format 1.2): what the evidence files
say about the requirements' declared status. The criteria are judged once, before the gates
(``mltrl_docs.evidence``); these checks only turn the results into shortfalls. That a
contradicted requirement no longer counts as verified is not a finding of its own: it is
``EvidenceReport.verified``, which the exit rules read."""

from __future__ import annotations

from collections.abc import Iterator

from mltrl_docs.evidence import AcceptanceResult, criterion_field, number_text
from mltrl_docs.gates.locate import requirement_at, requirement_field
from mltrl_docs.gates.rule import Context, Shortfall
from mltrl_docs.model import Acceptance


def label(criterion: Acceptance) -> str:
    """How messages name a criterion: its metric (or selector, or file), and its slice."""
    name = criterion.metric or criterion.select or criterion.source.target
    return f"'{name}'" + (f" (slice {criterion.slice})" if criterion.slice else "")


def _unit(criterion: Acceptance) -> str:
    return f" {criterion.unit}" if criterion.unit else ""


def outcome(result: AcceptanceResult) -> str:
    """What the evidence showed, beside what the criterion asks: 'measured 0.68, needs >= 0.7
    (evidence/metrics.json at test.f1)' or 'tests in evidence/junit.xml: 11 passed, 1 failed'."""
    criterion = result.criterion
    where = f"{criterion.source.target}" + (f" at '{criterion.select}'" if criterion.select else "")
    if result.counts is not None:
        return f"tests {where}: {result.counts.text}; every selected test must pass and at least one must run"
    if result.measured is None or criterion.op is None or criterion.value is None:
        return f"{where}: not read"
    unit = _unit(criterion)
    return (f"measured {number_text(result.measured)}{unit}, needs {criterion.op.value} "
            f"{number_text(criterion.value)}{unit} ({where})")


def evidence_contradicts(ctx: Context) -> Iterator[Shortfall]:
    """A requirement declared verified whose evidence misses a criterion: one shortfall per
    missed criterion, at its threshold (or its tests)."""
    card = ctx.card
    for found in ctx.evidence.of_card(card):
        if not found.contradicts:
            continue
        r = found.requirement
        for result in found.failing:
            key = "tests" if result.criterion.tests else "value"
            yield ctx.shortfall(
                card, f"requirement {r.id} is verified, but its evidence misses acceptance criterion "
                f"{label(result.criterion)}: {outcome(result)}; it does not count as verified",
                card.where(*result.path, key), criterion_field(result, key),
                "record evidence that meets the criterion, or set the requirement's status to failed "
                "(or in-progress) until it does",
                f"Meet acceptance criterion {label(result.criterion)} of requirement {r.id}, or change its status",
            )


def evidence_passes(ctx: Context) -> Iterator[Shortfall]:
    """A requirement declared failed whose evidence now meets every criterion: a note, since
    whether it is verified is the review's call."""
    card = ctx.card
    for found in ctx.evidence.of_card(card):
        if not found.now_passes:
            continue
        r = found.requirement
        met = "; ".join(f"{label(res.criterion)} {outcome(res)}" for res in found.results)
        yield ctx.shortfall(
            card, f"requirement {r.id} is failed, but its evidence now meets every acceptance criterion ({met})",
            requirement_at(card, r, "status"), requirement_field(r, "status"),
            "if the review agrees, set status: verified",
            f"Review requirement {r.id}: its evidence now passes",
        )


_HINTS = {
    "select": "check select: a dotted path in JSON (test.cirrus.f1), ROW/COLUMN in CSV (the first column names "
              "the rows), a suite name or test-name prefix in JUnit XML",
    "tests": "point tests: at a JUnit XML report next to the card (a path relative to it)",
    "source": "point source: at a JSON or CSV file next to the card (a path relative to it)",
}


def evidence_unreadable(ctx: Context) -> Iterator[Shortfall]:
    """A criterion that cannot be judged: its file is unreadable or malformed, no reader reads
    it, its selector names nothing, or the value there is no number. A missing file or an
    absolute path is the ``path`` rule's finding already, and not reported again."""
    card = ctx.card
    for found in ctx.evidence.of_card(card):
        r = found.requirement
        for result in found.results:
            if result.problem is None or result.reported:
                continue
            key = result.problem_key or result.criterion.key
            yield ctx.shortfall(
                card, f"acceptance criterion {label(result.criterion)} of requirement {r.id} cannot be judged: "
                f"{result.problem}", card.where(*result.path, key), criterion_field(result, key),
                _HINTS.get(key, _HINTS["source"]),
                f"Make the evidence of requirement {r.id} readable ({label(result.criterion)})",
            )
