"""Rules on the card a project leaves (scope EXIT): what a level's gated review asks for
before the project may go on. Each check is handed that card in ``ctx.card``; the
engine decides which cards those are (see ``engine``)."""

from __future__ import annotations

from collections.abc import Iterator

from mltrl_docs.gates.locate import (
    body_start,
    requirement_at,
    requirement_field,
    where,
    written_section,
)
from mltrl_docs.gates.rule import Context, Shortfall
from mltrl_docs.model import Card, DatasetRole, RequirementKind


def _leaving(ctx: Context) -> str:
    level = ctx.option("level")
    return f"the project leaves this level-{level} card for level {level + 1}"


def leave_first_principles(ctx: Context) -> Iterator[Shortfall]:
    """The level-0 card has its hypotheses, research plan and data-readiness findings written."""
    card = ctx.card
    for heading in ctx.option("sections"):
        if written_section(card, heading) is None:
            yield ctx.shortfall(
                card, f"the body has no written '{heading}' section; {_leaving(ctx)}, and "
                "graduating from first principles takes written hypotheses, a research plan and "
                "data-readiness findings", body_start(card), "body",
                f"add a '## {heading}' section with its text (a heading alone does not count)",
                f"Write the '{heading}' section", ctx.option("level"),
            )


def leave_research(ctx: Context) -> Iterator[Shortfall]:
    """Every research requirement of the card left is verified or waived."""
    yield from _closed(ctx, RequirementKind.RESEARCH)


def leave_product(ctx: Context) -> Iterator[Shortfall]:
    """Every product requirement of the card left is verified or waived."""
    yield from _closed(ctx, RequirementKind.PRODUCT)


def _closed(ctx: Context, kind: RequirementKind) -> Iterator[Shortfall]:
    """Closed as the evidence report says (``EvidenceReport.closed``): a requirement declared
    verified whose acceptance evidence misses a criterion is not."""
    card, level = ctx.card, ctx.option("level")
    for r in card.requirements:
        if r.kind is kind and not ctx.evidence.closed(card, r):
            contradicted = r.status.closed
            said = "verified, but its evidence misses an acceptance criterion" if contradicted else r.status.value
            yield ctx.shortfall(
                card, f"{kind.value} requirement {r.id} is {said}, but {_leaving(ctx)}; "
                f"{ctx.rule.name} needs every {kind.value} requirement verified or waived",
                requirement_at(card, r, "status"), requirement_field(r, "status"),
                "meet its acceptance criteria (see evidence-contradicts), or set its status to what the evidence "
                "shows" if contradicted else "verify it (with evidence), or waive it with a reason",
                f"Meet the acceptance criteria of {kind.value} requirement {r.id} (its evidence contradicts "
                "verified)" if contradicted else f"Verify or waive {kind.value} requirement {r.id} ({r.status.value})",
                level,
            )


def _linked(card: Card, names: tuple[str, ...]) -> bool:
    wanted = {name.casefold() for name in names}
    return any(key.casefold() in wanted for key in card.links)


def leave_capability(ctx: Context) -> Iterator[Shortfall]:
    """Leaving the ML-capability level (the valley of death): something the working group
    can run (a demo, example scripts or an API) is linked, and product requirements exist,
    each with a risk score."""
    card, level, names = ctx.card, ctx.option("level"), ctx.option("links")
    if not _linked(card, names):
        shown = ", ".join(names)
        yield ctx.shortfall(
            card, f"no demo, example scripts or API is linked (links: {shown}); {_leaving(ctx)}, "
            "and the hand-off to productization gives the working group something to run",
            where(card, "links"), "links",
            f"link what the working group can run under links (one of: {shown})",
            "Link a demo, example scripts or an API for the working group", level,
        )
    product = [r for r in card.requirements if r.kind is RequirementKind.PRODUCT]
    if not product:
        yield ctx.shortfall(
            card, f"the card lists no product requirement; {_leaving(ctx)}, and the level-{level} "
            "review agrees the product requirements before productization starts",
            where(card, "requirements"), "requirements",
            "add the product requirements the review agreed (kind: product), each with a risk",
            "Agree the product requirements (kind: product)", level,
        )
    for r in product:
        if r.risk is None:
            yield ctx.shortfall(
                card, f"product requirement {r.id} has no risk score; {_leaving(ctx)}, and the product "
                "requirements it hands over are risk-scored", requirement_at(card, r),
                requirement_field(r, "risk"), "add risk: {likelihood: 1..5, impact: 1..5}",
                f"Score the risk of product requirement {r.id}", level,
            )


def leave_integrations(ctx: Context) -> Iterator[Shortfall]:
    """Leaving integrations: the tests ran on named, use-case data slices."""
    card = ctx.card
    sliced = any(d.slices for d in card.datasets if d.role in (DatasetRole.TEST, None))
    if sliced or written_section(card, "Data slices") is not None:
        return
    yield ctx.shortfall(
        card, f"the card names no data slices its tests ran on; {_leaving(ctx)}, and integration "
        "adds tests for the critical scenarios and data slices of the use case",
        where(card, "datasets"), "datasets",
        "name the slices: datasets: [{name, version, role: test, slices: [...]}] (format 1.1), "
        "or a '## Data slices' section listing them with the tests' results",
        "Name the data slices the integration tests ran on", ctx.option("level"),
    )


def leave_flight_ready(ctx: Context) -> Iterator[Shortfall]:
    """Leaving flight-ready: the deployment tests are named and a product datasheet is linked
    (the completed post-development ethics checklist is the ethics-post rule)."""
    card, level = ctx.card, ctx.option("level")
    if not card.deployment_tests and written_section(card, "Deployment tests") is None:
        yield ctx.shortfall(
            card, f"the card names no deployment test (shadow, canary, A/B or blue/green); {_leaving(ctx)}",
            where(card, "deployment_tests"), "deployment_tests",
            "list them: deployment_tests: [{kind: shadow|canary|a-b|blue-green, text, evidence}] "
            "(format 1.1), or a '## Deployment tests' section",
            "Name the deployment tests (shadow, canary, A/B or blue/green) and their results", level,
        )
    names = ctx.option("links")
    if not _linked(card, names):
        yield ctx.shortfall(
            card, f"no product datasheet is linked (links: {', '.join(names)}); {_leaving(ctx)}",
            where(card, "links"), "links", f"link the datasheet under links: {names[0]}: path-or-URL",
            "Link the product datasheet", level,
        )
