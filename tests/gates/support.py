"""Shared helpers of the gate tests: ``good(level)``, a card that passes every gate at any
level (exit rules included, whichever level it is left at); histories of such cards; and
ways to read a GateReport and locate what it found."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mltrl_docs.dossier import build_dossier
from mltrl_docs.findings import Finding, Severity, has_errors
from mltrl_docs.gates import RULES, GateReport, GateSettings, evaluate
from mltrl_docs.model import Dossier

TODAY = dt.date(2030, 1, 1)

QUIET: dict[str, object] = {"stale": "off"}
"""The tests' cards are dated from 2010 and judged as of 2030: ``stale``, on by default as a note,
would note every project. The tests turn it off unless they are about it (or about the defaults)."""

GOOD_BODY = """
**TL;DR**: A monitor that warns when search traffic drifts.

## Model / algorithm info

Population stability index over 40 query features.

## Hypotheses

Query drift precedes ranking regressions by about a week.

## Research plan

Backtest the index on two years of logs, then run it beside the ranker for a quarter.

## Data readiness

Logs are complete from 2019; relevance labels exist for 2023 only.

## Data considerations

Ninety days of anonymised query logs.

## Testing status

Unit and integration tests pass in CI.

## Data slices

Mobile, desktop and the five largest markets, each tested on its own.

## Deployment tests

A four-week shadow run beside the ranker, then a 5% canary.

## Intended use

Alerting the search team to traffic drift.

## Caveats, known edge cases, recommendations

Public holidays look like drift.

## Monitoring

PSI per feature, alerting the on-call above 0.2; a weekly drift report.

## Stage debrief

1. Ada built the monitor; Lin reviewed it.
2. Per-market thresholds were punted.
3. Seasonality matters more than expected.
4. Gained: a hard-coded feature list.
"""
"""Every section any default rule asks for, the Stage debrief last."""

LINKS = {"demo": "https://example.com/drift/demo", "datasheet": "https://example.com/drift/datasheet.pdf"}
"""What leaving level 5 (something to run) and level 8 (a product datasheet) link."""

WriteCard = Callable[..., Path]

FORMAT_11 = ("datasets", "monitoring", "deployment_tests", "production")
"""Top-level fields only format 1.1 cards may use (with a reviewer's ``role``)."""


def reviewer(name: str, decision: str = "approved", role: str | None = None, **extra: Any) -> dict[str, Any]:
    return {"name": name, "decision": decision, **({"role": role} if role else {}), **extra}


ROLE_REVIEWERS = [reviewer("Lin Chen", role="qa"), reviewer("Sam Ode", role="product")]
"""The gated review from level 7 on: QA and product approve (review-roles)."""


def req(rid: str, kind: str = "research", status: str = "verified", **extra: Any) -> dict[str, Any]:
    return {"id": rid, "kind": kind, "text": f"Requirement {rid} shall hold.", "verification": "test",
            "status": status, **extra}


def risk(likelihood: int = 2, impact: int = 3) -> dict[str, int]:
    return {"likelihood": likelihood, "impact": impact}


def adv(level_from: int) -> dict[str, Any]:
    return {"from": level_from, "kind": "advance", "reason": "Gate passed."}


def sb(level_from: int, kind: str = "discovery") -> dict[str, Any]:
    return {"from": level_from, "kind": "switchback", "switchback": kind, "reason": "Found a gap."}


def format_12(fields: dict[str, Any]) -> bool:
    """Does a card with ``fields`` use anything only format 1.2 has (acceptance criteria)?"""
    return any(isinstance(r, dict) and "acceptance" in r for r in fields.get("requirements") or ())


def format_11(fields: dict[str, Any]) -> bool:
    """Does a card with ``fields`` use anything only format 1.1 has?"""
    if any(fields.get(name) is not None for name in FORMAT_11):
        return True
    return any(isinstance(r, dict) and ("role" in r or "requested" in r) for r in fields.get("reviewers") or ())


def good(level: int, **fields: Any) -> dict[str, Any]:
    """A card that passes every gate at any level, and every exit rule wherever it is left:
    research and risk-scored product requirements, all verified; semantic versions; both
    ethics checklists complete; a demo and a datasheet linked; from level 7, approving
    reviewers with the roles qa and product. ``fields`` replace these (None removes one);
    the card says ``mltrl: 1.1`` whenever it uses a format 1.1 field, 1.2 for a 1.2 field."""
    card: dict[str, Any] = {
        "level": level,
        "versions": {"code": "1.0.0", "model": "1.0.0", "data": "1.0.0"},
        "ethics": {"pre_development": "complete", "post_development": "complete"},
        "requirements": [req("1"), req("2", "product", risk=risk())],
        "links": dict(LINKS),
    }
    if level >= 7:
        card["reviewers"] = list(ROLE_REVIEWERS)
    card.update(fields)
    if "mltrl" not in fields and format_12(card):
        card = {"mltrl": 1.2, **card}
    elif "mltrl" not in fields and format_11(card):
        card = {"mltrl": 1.1, **card}
    return card


def history(write_card: WriteCard, levels: list[int], changes: dict[int, dict[str, Any]] | None = None,
            folder: str = "p", project: str = "C1") -> list[Path]:
    """One project's cards, a year apart, with transitions filled in; ``changes`` per card index."""
    paths = []
    for index, number in enumerate(levels):
        fields: dict[str, Any] = {"project": project, "date": f"{2010 + index}-01-01"}
        if index:
            before = levels[index - 1]
            fields["transition"] = adv(before) if number == before + 1 else sb(before)
        fields.update((changes or {}).get(index, {}))
        body = fields.pop("body", GOOD_BODY)
        paths.append(write_card(f"dossiers/{folder}/L{number}-{index}.md", body, **good(number, **fields)))
    return paths


def one_card(write_card: WriteCard, level: int, **fields: Any) -> Path:
    body = fields.pop("body", GOOD_BODY)
    return write_card(f"dossiers/p/L{level}.md", body, **good(level, **fields))


def without(*headings: str, body: str = GOOD_BODY) -> str:
    """The body without the sections ``headings`` (each up to the next heading)."""
    for heading in headings:
        start = body.index(f"## {heading}\n")
        end = body.find("\n## ", start + 1)
        body = body[:start] + (body[end + 1:] if end != -1 else "")
    return body


def replaced(heading: str, text: str, body: str = GOOD_BODY) -> str:
    """The body with the text under ``heading`` replaced by ``text`` (the heading kept)."""
    start = body.index(f"## {heading}\n")
    end = body.find("\n## ", start + 1)
    return body[:start] + f"## {heading}\n{text}" + (body[end:] if end != -1 else "")


NO_DEBRIEF = GOOD_BODY[: GOOD_BODY.index("## Stage debrief")]


def load(tmp_path: Path) -> Dossier:
    """The dossier under ``tmp_path/dossiers``, which must load without an error."""
    checked = build_dossier([tmp_path / "dossiers"])
    assert not has_errors(checked.findings), checked.findings
    return checked.dossier


def gates(tmp_path: Path, settings: GateSettings | None = None, today: dt.date = TODAY) -> GateReport:
    return evaluate(load(tmp_path), settings or POLICY, today=today)


def of(report: GateReport, rule: str) -> list[Finding]:
    return [f for f in report.findings if f.rule == rule]


def single(report: GateReport, rule: str) -> Finding:
    found = of(report, rule)
    assert len(found) == 1, report.findings
    return found[0]


def gap_rules(report: GateReport, project: str = "C1") -> list[str]:
    return [item.rule for item in report.projects[project].gap]


def line_of(path: Path, text: str, nth: int = 0) -> int:
    """The 1-based line of the ``nth`` line of ``path`` containing ``text``."""
    lines = [number for number, line in enumerate(path.read_text().split("\n"), 1) if text in line]
    return lines[nth]


def body_line(path: Path) -> int:
    """The line of the body's first non-blank line (after the closing ---)."""
    lines = path.read_text().split("\n")
    closing = lines.index("---", 1)
    return next(n for n, line in enumerate(lines, 1) if n > closing + 1 and line.strip())


def assert_located(finding: Finding, rule: str, path: Path, line: int, field: str | None,
                   applies_from: int | None, severity: Severity = Severity.WARNING) -> None:
    assert (finding.rule, finding.severity, finding.path, finding.line, finding.field, finding.applies_from) == (
        rule, severity, path, line, field, applies_from)
    assert finding.hint
    assert finding.project == "C1"
    assert finding.message[0].islower() and not finding.message.endswith(".")


def settings(**rules: object) -> GateSettings:
    """GateSettings.from_data with rule names written as keywords (``leave_research=...``), and
    ``stale`` off unless named (``QUIET``)."""
    return GateSettings.from_data({**QUIET, **{name.replace("_", "-"): value for name, value in rules.items()}})


POLICY = settings()
"""The default policy, ``stale`` aside (``QUIET``)."""


CHECKLIST_PAGE = """---
title: Ethics checklist
checklist: mltrl-ethics/1
---

## Part 1: Pre-development

1. **Who owns the data?**

   The hospital trust, under research agreement 2023-17.

2. **May the data go into a commercial product?**

   *Not answered yet.*

## Part 2: Post-development

1. **How is the model monitored?**

   Weekly drift reports to the on-call.
"""
"""A checklist page after the shipped template: pre-development 1 of 2 answered, post-development 1 of 1."""


def with_checklist(card: Path, text: str = CHECKLIST_PAGE, name: str = "ethics.md") -> Path:
    """Write the checklist page ``name`` next to ``card``; returns the page."""
    page = card.parent / name
    page.write_text(text, encoding="utf-8")
    return page


CHECKLIST_ETHICS = {"pre_development": "complete", "post_development": "complete", "checklist": "ethics.md"}


def criterion(select: str = "test.f1", op: str = ">=", value: float = 0.7, source: str = "evidence/metrics.json",
              **extra: Any) -> dict[str, Any]:
    """A value criterion (card format 1.2), by default F1 of at least 0.7 from evidence/metrics.json."""
    return {"metric": "F1", "op": op, "value": value, "source": source, "select": select, **extra}


def with_evidence(card: Path, text: str, name: str = "evidence/metrics.json") -> Path:
    """Write the evidence file ``name`` (relative to ``card``); returns ``card``."""
    path = card.parent / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return card


METRICS = '{"test": {"f1": 0.64, "runs": [{"f1": 0.71}]}}'
"""Evidence whose test F1 (0.64) misses the default criterion's 0.7."""


# --- a failing scenario for every rule ---------------------------------------------------


def _failing_scenarios(write_card: WriteCard) -> dict[str, Callable[[], object]]:
    return {
        "review": lambda: one_card(write_card, 2, reviewers=[reviewer("Ada Okafor")]),
        "review-roles": lambda: one_card(write_card, 7, reviewers=[reviewer("Lin Chen", role="qa")]),
        "research-requirements": lambda: one_card(write_card, 3, requirements=[req("2", "product", risk=risk())]),
        "product-requirements": lambda: one_card(write_card, 5, requirements=[req("1")]),
        "leave-first-principles": lambda: history(write_card, [0, 1], {0: {"body": without("Research plan")}}),
        "leave-research": lambda: history(write_card, [4, 5], {0: {"requirements": [req("1", status="failed")]}}),
        "leave-capability": lambda: history(write_card, [5, 6], {0: {"links": {"datasheet": LINKS["datasheet"]}}}),
        "leave-integrations": lambda: history(write_card, [7, 8], {0: {"body": without("Data slices")}}),
        "leave-product": lambda: history(write_card, [8, 9], {0: {"requirements": [
            req("2", "product", status="failed", risk=risk())]}}),
        "leave-flight-ready": lambda: history(write_card, [8, 9], {0: {"body": without("Deployment tests")}}),
        "waiver-reason": lambda: one_card(write_card, 2, requirements=[req("1", status="waived", reason=" ")]),
        "evidence-contradicts": lambda: with_evidence(
            one_card(write_card, 2, requirements=[req("1", acceptance=[criterion()])]), METRICS),
        "evidence-passes": lambda: with_evidence(
            one_card(write_card, 2, requirements=[req("1"), req("2", status="failed", acceptance=[
                criterion("test.runs.0.f1")])]), METRICS),
        "suspect-evidence": lambda: with_evidence(
            one_card(write_card, 2, requirements=[req("1", acceptance=[criterion("test.runs.0.f1", sha256="0" * 64)])]),
            METRICS),
        "evidence-unreadable": lambda: with_evidence(
            one_card(write_card, 2, requirements=[req("1", acceptance=[criterion("test.f2")])]), METRICS),
        "risk-scored": lambda: one_card(write_card, 5, requirements=[req("1"), req("2", "product")]),
        "high-risk-open": lambda: one_card(write_card, 7, requirements=[
            req("2", "product", status="failed", risk=risk(5, 5))]),
        "ethics-pre": lambda: one_card(write_card, 5, ethics={"pre_development": "in-progress",
                                                              "post_development": "not-started"}),
        "ethics-post": lambda: one_card(write_card, 8, ethics={"pre_development": "complete"}),
        "ethics-answers": lambda: with_checklist(one_card(write_card, 2, ethics=CHECKLIST_ETHICS)),
        "versions": lambda: one_card(write_card, 3, versions={"code": "1.0"}),
        "sections": lambda: one_card(write_card, 3, body=without("Testing status")),
        "monitoring": lambda: one_card(write_card, 9, body=without("Monitoring")),
        "debrief": lambda: history(write_card, [2, 3], {0: {"body": NO_DEBRIEF}}),
        "switchback-known": lambda: history(write_card, [3, 4, 2]),
        "embedded-switchback": lambda: history(write_card, [3, 4, 3], {2: {"transition": sb(4, "embedded")}}),
        "coupled-readiness": lambda: (history(write_card, [3, 4], {1: {"coupled": ["C2"]}}),
                                      history(write_card, [2], folder="q", project="C2")),
        "stale": lambda: one_card(write_card, 2, date="2001-01-01"),
    }


def failing(rule: str, write_card: WriteCard) -> None:
    """Write a dossier on which ``rule`` fails, and (stale aside, which notes every card of 2010
    judged in 2030 unless ``QUIET`` turns it off) no other rule."""
    scenarios = _failing_scenarios(write_card)
    assert set(scenarios) == {r.name for r in RULES}, "every rule needs a failing scenario"
    scenarios[rule]()
