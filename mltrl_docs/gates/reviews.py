"""Rules on a card's gated review and waivers (scope CARD): they never lower an earned
level, but a card whose review falls short is not *earned-approved*, and leaving its
level waits for them (the gap lists them)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from mltrl_docs.gates.locate import requirement_at, requirement_field, where
from mltrl_docs.gates.rule import Context, Shortfall
from mltrl_docs.model import Card, CardStatus, Decision, RequirementStatus

_BLOCKING = {Decision.REJECTED: "rejected", Decision.CHANGES_REQUESTED: "requested changes to"}


def name_key(name: str) -> str:
    return " ".join(name.casefold().split())


def review(ctx: Context) -> Iterator[Shortfall]:
    """An approved card shows its gated review: an approver, nobody rejecting or asking for
    changes, no owner reviewing."""
    if ctx.card.status is CardStatus.APPROVED:
        yield from review_problems(ctx)


def review_problems(ctx: Context) -> Iterator[Shortfall]:
    """What the reviewers list lacks for a gated review, whatever the card's status."""
    card = ctx.card
    if not any(r.decision is Decision.APPROVED for r in card.reviewers):
        yield ctx.shortfall(
            card, f"the level-{card.level.number} card is {card.status.value}, but no reviewer's decision is approved",
            where(card, "reviewers") if card.reviewers else where(card, "status"), "reviewers",
            "record the gated review: a reviewer with decision: approved (or set status back to in-review)",
            "Record a reviewer whose decision is approved",
        )
    owners = {name_key(o) for o in card.owners}
    for index, reviewer in enumerate(card.reviewers):
        verb = _BLOCKING.get(reviewer.decision)
        if verb is not None:
            yield ctx.shortfall(
                card, f"reviewer {reviewer.name} {verb} this level, but the card is {card.status.value}",
                where(card, "reviewers", index, "decision"), f"reviewers[{index}].decision",
                "settle it first: make the changes and record the reviewer's new decision, "
                "or set status: rejected (or in-review)",
                f"Settle {reviewer.name}'s decision ({reviewer.decision.value})",
            )
        if name_key(reviewer.name) in owners:
            yield ctx.shortfall(
                card, f"{reviewer.name} is both an owner and a reviewer of this card; "
                "a gated review needs reviewers who do not own the project",
                where(card, "reviewers", index, "name"), f"reviewers[{index}].name",
                "ask someone outside the project's owners to review this level",
                f"Have someone who is not an owner review in place of {reviewer.name}",
            )


def required_roles(table: Mapping[int, tuple[str, ...]], level: int) -> tuple[str, ...]:
    """The roles the table asks of a level: its own entry, or the nearest lower one's."""
    entries = [start for start in table if start <= level]
    return table[max(entries)] if entries else ()


def review_roles(ctx: Context) -> Iterator[Shortfall]:
    """An approved card's review has an approving reviewer in each role its level asks for."""
    if ctx.card.status is CardStatus.APPROVED:
        yield from missing_roles(ctx)


def missing_roles(ctx: Context) -> Iterator[Shortfall]:
    card = ctx.card
    approving = {r.role for r in card.reviewers if r.decision is Decision.APPROVED and r.role}
    for role in required_roles(ctx.option("table"), card.level.number):
        if role not in approving:
            yield ctx.shortfall(
                card, f"no reviewer with role {role} approved this level-{card.level.number} card; "
                f"review-roles asks for {', '.join(required_roles(ctx.option('table'), card.level.number))} "
                f"from level {_from(ctx.option('table'), card.level.number)}",
                where(card, "reviewers") if card.reviewers else where(card, "status"), "reviewers",
                f"add the {role} reviewer of this gated review: {{name: ..., role: {role}, decision: approved}}",
                f"Have a reviewer with role {role} review this level",
            )


def _from(table: Mapping[int, tuple[str, ...]], level: int) -> int:
    return max(start for start in table if start <= level)


def waiver_reason(ctx: Context) -> Iterator[Shortfall]:
    """A waived requirement says why."""
    card = ctx.card
    for r in card.requirements:
        if r.status is RequirementStatus.WAIVED and not (r.reason or "").strip():
            yield ctx.shortfall(
                card, f"requirement {r.id} is waived without a reason",
                requirement_at(card, r, "status"), requirement_field(r, "reason"),
                "add reason: why it no longer needs to be met, and who agreed",
                f"Give the waiver of requirement {r.id} a reason",
            )


def approving_roles(card: Card) -> tuple[str, ...]:
    """The roles of the reviewers who approved the card, in order, each once."""
    return tuple(dict.fromkeys(r.role for r in card.reviewers if r.decision is Decision.APPROVED and r.role))
