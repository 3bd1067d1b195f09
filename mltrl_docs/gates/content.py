"""Rules on what a card shows at a level (scope LEVEL): they decide its earned level.

Each check reads ``ctx.level``, the level the card is judged at, which the engine
walks down from the declared level to find the highest one the card passes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from mltrl_docs.gates.locate import (
    body_start,
    key_of,
    requirement_at,
    requirement_field,
    section_key,
    where,
    written_section,
)
from mltrl_docs.gates.rule import Context, LevelRange, Shortfall
from mltrl_docs.model import EthicsStatus, RequirementKind, RequirementStatus

SEMVER = re.compile(
    r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)"
    r"(?:-((?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*)"
    r"(?:\.(?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?"
)
"""semver.org's regular expression (with ASCII digits), matched against the whole text."""

TLDR = "tldr"


def _range(ctx: Context) -> LevelRange:
    return LevelRange(ctx.option("from"), ctx.option("to"))


def research_requirements(ctx: Context) -> Iterator[Shortfall]:
    """The card lists at least one research requirement."""
    yield from _has_kind(ctx, RequirementKind.RESEARCH)


def product_requirements(ctx: Context) -> Iterator[Shortfall]:
    """The card lists at least one product requirement."""
    yield from _has_kind(ctx, RequirementKind.PRODUCT)


def _has_kind(ctx: Context, kind: RequirementKind) -> Iterator[Shortfall]:
    card, levels = ctx.card, _range(ctx)
    if not levels.covers(ctx.level, card.level.number) or any(r.kind is kind for r in card.requirements):
        return
    yield ctx.shortfall(
        card, f"the card lists no {kind.value} requirement; {ctx.rule.name} applies {levels.text}",
        where(card, "requirements"), "requirements",
        f"add a requirement with kind: {kind.value}, a verification method and a status",
        f"Add at least one {kind.value} requirement", levels.start,
    )


def risk_scored(ctx: Context) -> Iterator[Shortfall]:
    """Every product requirement has a risk (likelihood x impact)."""
    start = ctx.option("from")
    if ctx.level < start:
        return
    for r in ctx.card.requirements:
        if r.kind is RequirementKind.PRODUCT and r.risk is None:
            yield ctx.shortfall(
                ctx.card, f"product requirement {r.id} has no risk (likelihood x impact); "
                f"risk-scored applies from level {start}",
                requirement_at(ctx.card, r), requirement_field(r, "risk"),
                "add risk: {likelihood: 1..5, impact: 1..5} (and, in format 1.1, its mitigation)",
                f"Give product requirement {r.id} a risk (likelihood and impact, 1 to 5 each)", start,
            )


def high_risk_open(ctx: Context) -> Iterator[Shortfall]:
    """No requirement scoring at or above the threshold is not-started or failed."""
    start, threshold = ctx.option("from"), ctx.option("score")
    if ctx.level < start:
        return
    for r in ctx.card.requirements:
        if r.risk is None or r.risk.score < threshold:
            continue
        if r.status not in (RequirementStatus.NOT_STARTED, RequirementStatus.FAILED):
            continue
        score = f"risk score {r.risk.score} ({r.risk.likelihood} x {r.risk.impact})"
        todo = (f"Start work on requirement {r.id} ({score}, not-started)"
                if r.status is RequirementStatus.NOT_STARTED
                else f"Address failed requirement {r.id} ({score})")
        yield ctx.shortfall(
            ctx.card, f"requirement {r.id} has {score} and is {r.status.value}; high-risk-open applies "
            f"from level {start} to requirements scoring {threshold} or more",
            requirement_at(ctx.card, r, "status"), requirement_field(r, "status"),
            "start the work (or rework what failed), or mitigate the risk and score it again",
            todo, start,
        )


_DONE = (EthicsStatus.COMPLETE, EthicsStatus.NOT_APPLICABLE)


def ethics_pre(ctx: Context) -> Iterator[Shortfall]:
    """Started (in progress or done) from one level, complete or not applicable from another."""
    status, card = ctx.card.ethics.pre_development, ctx.card
    started, complete = ctx.option("started"), ctx.option("from")
    said = status.value if status is not None else "not given"
    if ctx.level >= complete and status not in _DONE:
        yield ctx.shortfall(
            card, f"ethics.pre_development is {said}; ethics-pre needs it complete or not-applicable "
            f"from level {complete}", where(card, "ethics", "pre_development"), "ethics.pre_development",
            "finish the pre-development ethics checklist and set pre_development: complete (or not-applicable)",
            f"Complete the pre-development ethics checklist (ethics.pre_development is {said})", complete,
        )
    elif started is not None and ctx.level >= started and status in (None, EthicsStatus.NOT_STARTED):
        yield ctx.shortfall(
            card, f"ethics.pre_development is {said}; from level {started} the pre-development checklist "
            "is under way (it decides whether the project is taken on at all)",
            where(card, "ethics", "pre_development"), "ethics.pre_development",
            "answer the pre-development ethics checklist with the working group and set "
            "pre_development: in-progress (or complete)",
            "Start the pre-development ethics checklist", started,
        )


def ethics_post(ctx: Context) -> Iterator[Shortfall]:
    """The post-development ethics checklist is complete or not applicable."""
    status, card, start = ctx.card.ethics.post_development, ctx.card, ctx.option("from")
    if ctx.level < start or status in _DONE:
        return
    said = status.value if status is not None else "not given"
    yield ctx.shortfall(
        card, f"ethics.post_development is {said}; ethics-post applies from level {start} "
        "and needs it complete or not-applicable",
        where(card, "ethics", "post_development"), "ethics.post_development",
        "finish the post-development ethics checklist and set post_development: complete (or not-applicable)",
        f"Complete the post-development ethics checklist (ethics.post_development is {said})", start,
    )


def versions(ctx: Context) -> Iterator[Shortfall]:
    """The named versions are present and semantic."""
    for key in (option.name for option in ctx.rule.options):
        start = ctx.option(key)
        if start is None or ctx.level < start:
            continue
        value = getattr(ctx.card.versions, key, None)
        if value is not None and SEMVER.fullmatch(str(value)):
            continue
        what = "is missing" if value is None else f"'{value}' is not a semantic version"
        yield ctx.shortfall(
            ctx.card, f"versions.{key} {what}; versions expects one from level {start}",
            where(ctx.card, "versions", key), f"versions.{key}",
            "write MAJOR.MINOR.PATCH in quotes, e.g. \"1.2.0\" (optionally -rc.1 or +build.5)",
            f"Set versions.{key} to a semantic version (e.g. 1.0.0)", start,
        )


def sections(ctx: Context) -> Iterator[Shortfall]:
    """The body has every heading the levels up to the judged one need."""
    card = ctx.card
    present = {key_of(s) for s in card.body.sections}
    if card.body.tldr:
        present.add(TLDR)
    for start, headings in sorted(ctx.option("table").items()):
        if start > ctx.level:
            continue
        for heading in headings:
            if section_key(heading) in present:
                continue
            hint = (f"start the body with a bold '**TL;DR**:' paragraph, or add a '## {heading}' heading"
                    if section_key(heading) == TLDR else f"add a '## {heading}' heading and its text")
            yield ctx.shortfall(
                card, f"the body has no '{heading}' section; sections expects it from level {start}",
                body_start(card), "body", hint, f"Add a '## {heading}' section", start,
            )


def monitoring(ctx: Context) -> Iterator[Shortfall]:
    """The version in production is watched: metrics with alert thresholds and drift checks,
    in the ``monitoring`` block (format 1.1) or a written 'Monitoring' section."""
    card, start = ctx.card, ctx.option("from")
    if ctx.level < start or written_section(card, "Monitoring") is not None:
        return
    block = card.monitoring
    missing = []
    if block is None or not block.metrics:
        missing.append("metrics with alert thresholds")
    if block is None or not block.drift:
        missing.append("drift checks")
    if not missing:
        return
    yield ctx.shortfall(
        card, f"the card does not say how the version in production is monitored ({' and '.join(missing)} "
        f"missing); monitoring applies from level {start}",
        where(card, "monitoring") if block is not None else body_start(card), "monitoring",
        "add a monitoring block (metrics: [{name, threshold, alert}], drift: [...]; format 1.1), "
        "or a '## Monitoring' section naming the metrics, their alert thresholds and the drift checks",
        "Say how the version in production is monitored (metrics, alert thresholds, drift checks)", start,
    )
