"""The gate policy (spec/gates.md): every rule passing, failing, configured and re-graded;
earned levels, the gap to the next level, settings, and the example dossier."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO

from mltrl_docs import schema
from mltrl_docs.dossier import build_dossier
from mltrl_docs.findings import Finding, Position, Severity, has_errors
from mltrl_docs.gates import (
    DEFAULT_SECTIONS,
    RULES,
    SEMVER,
    GapItem,
    GateReport,
    GateSettings,
    earned_level,
    evaluate,
    gap_to_next,
)
from mltrl_docs.model import Dossier
from mltrl_docs.yamldata import read_yaml

TODAY = dt.date(2030, 1, 1)

GOOD_BODY = """
**TL;DR**: A monitor that warns when search traffic drifts.

## Model / algorithm info

Population stability index over 40 query features.

## Data considerations

Ninety days of anonymised query logs.

## Testing status

Unit and integration tests pass in CI.

## Intended use

Alerting the search team to traffic drift.

## Caveats, known edge cases, recommendations

Public holidays look like drift.

## Stage debrief

1. Ada built the monitor; Lin reviewed it.
2. Per-market thresholds were punted.
3. Seasonality matters more than expected.
4. Gained: a hard-coded feature list.
"""

WriteCard = Callable[..., Path]


def req(rid: str, kind: str = "research", status: str = "verified", **extra: Any) -> dict[str, Any]:
    return {"id": rid, "kind": kind, "text": f"Requirement {rid} shall hold.", "verification": "test",
            "status": status, **extra}


def risk(likelihood: int = 2, impact: int = 3) -> dict[str, int]:
    return {"likelihood": likelihood, "impact": impact}


def adv(level_from: int) -> dict[str, Any]:
    return {"from": level_from, "kind": "advance", "reason": "Gate passed."}


def sb(level_from: int, kind: str = "discovery") -> dict[str, Any]:
    return {"from": level_from, "kind": "switchback", "switchback": kind, "reason": "Found a gap."}


def good(level: int, **fields: Any) -> dict[str, Any]:
    """A card that passes every gate at any level."""
    return {
        "level": level,
        "versions": {"code": "1.0.0", "model": "1.0.0", "data": "1.0.0"},
        "ethics": {"pre_development": "complete", "post_development": "complete"},
        "requirements": [req("1"), req("2", "product", risk=risk())],
        **fields,
    }


def history(write_card: WriteCard, levels: list[int], changes: dict[int, dict[str, Any]] | None = None,
            folder: str = "p", project: str = "C1") -> list[Path]:
    """One project's cards, a year apart, with transitions filled in; ``changes`` per card index."""
    paths = []
    for index, number in enumerate(levels):
        fields = good(number, project=project, date=f"{2010 + index}-01-01")
        if index:
            before = levels[index - 1]
            fields["transition"] = adv(before) if number == before + 1 else sb(before)
        fields.update((changes or {}).get(index, {}))
        body = fields.pop("body", GOOD_BODY)
        paths.append(write_card(f"dossiers/{folder}/L{number}-{index}.md", body, **fields))
    return paths


def one_card(write_card: WriteCard, level: int, **fields: Any) -> Path:
    body = fields.pop("body", GOOD_BODY)
    return write_card(f"dossiers/p/L{level}.md", body, **good(level, **fields))


def load(tmp_path: Path) -> Dossier:
    dossier = build_dossier([tmp_path / "dossiers"])
    assert not has_errors(dossier.findings), dossier.findings
    return dossier


def gates(tmp_path: Path, settings: GateSettings | None = None, today: dt.date = TODAY) -> GateReport:
    return evaluate(load(tmp_path), settings or GateSettings(), today=today)


def of(report: GateReport, rule: str) -> list[Finding]:
    return [f for f in report.findings if f.rule == rule]


def single(report: GateReport, rule: str) -> Finding:
    found = of(report, rule)
    assert len(found) == 1, report.findings
    return found[0]


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
    return GateSettings.from_data({name.replace("_", "-"): value for name, value in rules.items()})


# --- a clean dossier ---------------------------------------------------------------------


def test_a_complete_climb_from_0_to_9_passes_every_gate(write_card: WriteCard, tmp_path: Path) -> None:
    paths = history(write_card, list(range(10)))
    report = gates(tmp_path)
    assert report.findings == []
    assert [report.earned[p] for p in paths] == list(range(10))
    project = report.projects["C1"]
    assert (project.declared, project.earned, project.gap) == (9, 9, [])


# --- review --------------------------------------------------------------------------------


def test_review_passes_with_an_approving_outside_reviewer(write_card: WriteCard, tmp_path: Path) -> None:
    one_card(write_card, 2, reviewers=[{"name": "Lin Chen", "decision": "approved"},
                                       {"name": "Sam Ode", "decision": "changes-requested"}])
    assert of(gates(tmp_path), "review") == []


def test_review_needs_an_approving_reviewer(write_card: WriteCard, tmp_path: Path) -> None:
    path = one_card(write_card, 2, reviewers=[{"name": "Lin Chen", "decision": "pending"}])
    finding = single(gates(tmp_path), "review")
    assert_located(finding, "review", path, line_of(path, "reviewers:"), "reviewers", None)
    assert finding.message == "the level-2 card is approved, but no reviewer's decision is approved"


def test_review_without_any_reviewer_points_at_the_status(write_card: WriteCard, tmp_path: Path) -> None:
    path = one_card(write_card, 2, reviewers=None)
    assert_located(single(gates(tmp_path), "review"), "review", path, line_of(path, "status:"), "reviewers", None)


def test_review_rejects_a_rejection(write_card: WriteCard, tmp_path: Path) -> None:
    path = one_card(write_card, 2, reviewers=[{"name": "Lin Chen", "decision": "approved"},
                                              {"name": "Sam Ode", "decision": "rejected"}])
    finding = single(gates(tmp_path), "review")
    assert_located(finding, "review", path, line_of(path, "decision: rejected"), "reviewers[1].decision", None)
    assert "Sam Ode rejected this level" in finding.message


def test_review_names_an_owner_who_reviews(write_card: WriteCard, tmp_path: Path) -> None:
    path = one_card(write_card, 2, owners=["Ada Okafor", "Lin Chen"],
                    reviewers=[{"name": "Sam Ode", "decision": "approved"},
                               {"name": "lin  chen", "decision": "approved"}])
    finding = single(gates(tmp_path), "review")
    assert_located(finding, "review", path, line_of(path, "name: lin  chen"), "reviewers[1].name", None)
    assert finding.message.startswith("lin  chen is both an owner and a reviewer")


def test_review_applies_only_to_approved_cards(write_card: WriteCard, tmp_path: Path) -> None:
    one_card(write_card, 2, status="in-review", reviewers=[{"name": "Ada Okafor", "decision": "pending"}])
    assert of(gates(tmp_path), "review") == []


# --- requirements present ------------------------------------------------------------------


def test_research_requirements_fail_at_level_3_without_one(write_card: WriteCard, tmp_path: Path) -> None:
    path = one_card(write_card, 3, requirements=[req("2", "product", risk=risk())])
    finding = single(gates(tmp_path), "research-requirements")
    assert_located(finding, "research-requirements", path, line_of(path, "requirements:"), "requirements", 2)
    assert finding.message == ("the card lists no research requirement; "
                               "research-requirements applies from level 2 to level 5")


@pytest.mark.parametrize("level,option,found", [
    (1, None, 0), (2, None, 1), (5, None, 1), (6, None, 0), (9, None, 0),
    (3, {"to": 2}, 0), (3, {"from": 4}, 0), (6, {"to": 6}, 1), (7, {"to": None}, 1),
])
def test_research_requirements_levels(write_card: WriteCard, tmp_path: Path, level: int,
                                      option: dict[str, Any] | None, found: int) -> None:
    one_card(write_card, level, requirements=[req("2", "product", risk=risk())])
    chosen = settings(research_requirements=option) if option else GateSettings()
    assert len(of(gates(tmp_path, chosen), "research-requirements")) == found


def test_product_requirements_fail_at_level_5_without_one(write_card: WriteCard, tmp_path: Path) -> None:
    path = one_card(write_card, 5, requirements=[req("1")])
    finding = single(gates(tmp_path), "product-requirements")
    assert_located(finding, "product-requirements", path, line_of(path, "requirements:"), "requirements", 5)
    assert finding.message == "the card lists no product requirement; product-requirements applies from level 5"


@pytest.mark.parametrize("level,option,found", [
    (4, None, 0), (5, None, 1), (9, None, 1), (5, {"from": 6}, 0), (8, {"from": 6, "to": 7}, 0),
])
def test_product_requirements_levels(write_card: WriteCard, tmp_path: Path, level: int,
                                     option: dict[str, Any] | None, found: int) -> None:
    one_card(write_card, level, requirements=[req("1")])
    chosen = settings(product_requirements=option) if option else GateSettings()
    assert len(of(gates(tmp_path, chosen), "product-requirements")) == found


def test_no_requirements_at_all_points_at_the_level(write_card: WriteCard, tmp_path: Path) -> None:
    path = one_card(write_card, 3, requirements=None)
    assert single(gates(tmp_path), "research-requirements").line == line_of(path, "level:")


# --- leaving level 4 and level 8 -------------------------------------------------------------


def test_leave_research_reports_each_open_requirement_on_the_card_left(write_card: WriteCard,
                                                                        tmp_path: Path) -> None:
    open_reqs = [req("1"), req("2.1", status="in-progress"), req("3", status="failed"),
                 req("4", status="waived", reason="Out of scope."), req("5", "product", "not-started", risk=risk())]
    paths = history(write_card, [3, 4, 5], {1: {"requirements": open_reqs}})
    found = of(gates(tmp_path), "leave-research")
    assert [f.field for f in found] == ["requirements[1].status", "requirements[2].status"]
    assert_located(found[0], "leave-research", paths[1], line_of(paths[1], "status: in-progress"),
                   "requirements[1].status", 4)
    assert found[0].message == ("research requirement 2.1 is in-progress, but the project leaves this level-4 "
                                "card for level 5; leave-research needs every research requirement verified "
                                "or waived")


def test_leave_research_ignores_a_level_4_card_not_advanced_from(write_card: WriteCard, tmp_path: Path) -> None:
    open_reqs = [req("1", status="in-progress")]
    history(write_card, [3, 4, 3], {1: {"requirements": open_reqs}})
    history(write_card, [3, 4], {1: {"requirements": open_reqs}}, folder="q", project="C2")
    assert of(gates(tmp_path), "leave-research") == []


def test_leave_research_level_is_a_setting(write_card: WriteCard, tmp_path: Path) -> None:
    paths = history(write_card, [3, 4, 5], {0: {"requirements": [req("1", status="in-progress")]}})
    assert of(gates(tmp_path), "leave-research") == []
    finding = single(gates(tmp_path, settings(leave_research={"level": 3})), "leave-research")
    assert (finding.path, finding.applies_from) == (paths[0], 3)


def test_leave_product_reports_open_product_requirements(write_card: WriteCard, tmp_path: Path) -> None:
    reqs = [req("1", status="in-progress"), req("2", "product", "failed", risk=risk())]
    paths = history(write_card, [7, 8, 9], {1: {"requirements": reqs}})
    finding = single(gates(tmp_path), "leave-product")
    assert_located(finding, "leave-product", paths[1], line_of(paths[1], "status: failed"),
                   "requirements[1].status", 8)
    assert finding.message.startswith("product requirement 2 is failed, but the project leaves this level-8 card")
    assert of(gates(tmp_path, settings(leave_product={"level": 7})), "leave-product") == []


# --- waiver-reason ---------------------------------------------------------------------------


def test_waiver_reason(write_card: WriteCard, tmp_path: Path) -> None:
    path = one_card(write_card, 2, requirements=[req("1", status="waived", reason="Superseded by 2."),
                                                 req("2", status="waived", reason="   ")])
    finding = single(gates(tmp_path), "waiver-reason")
    assert_located(finding, "waiver-reason", path, line_of(path, "status: waived", 1), "requirements[1].reason",
                   None)
    assert finding.message == "requirement 2 is waived without a reason"


# --- risk ------------------------------------------------------------------------------------


def test_risk_scored_fails_for_a_product_requirement_without_risk(write_card: WriteCard, tmp_path: Path) -> None:
    path = one_card(write_card, 5, requirements=[req("1"), req("9", "product")])
    finding = single(gates(tmp_path), "risk-scored")
    assert_located(finding, "risk-scored", path, line_of(path, "- id: '9'"), "requirements[1].risk", 5)
    assert finding.message == ("product requirement 9 has no risk (likelihood x impact); "
                               "risk-scored applies from level 5")


@pytest.mark.parametrize("level,option,found", [(4, None, 0), (5, None, 1), (5, {"from": 6}, 0), (3, {"from": 3}, 1)])
def test_risk_scored_levels(write_card: WriteCard, tmp_path: Path, level: int,
                            option: dict[str, Any] | None, found: int) -> None:
    one_card(write_card, level, requirements=[req("1"), req("9", "product")])
    chosen = settings(risk_scored=option) if option else GateSettings()
    assert len(of(gates(tmp_path, chosen), "risk-scored")) == found


def test_risk_scored_ignores_research_requirements(write_card: WriteCard, tmp_path: Path) -> None:
    one_card(write_card, 6, requirements=[req("1"), req("2", "product", risk=risk())])
    assert of(gates(tmp_path), "risk-scored") == []


def test_high_risk_open_fails_for_a_high_risk_requirement_not_started(write_card: WriteCard,
                                                                        tmp_path: Path) -> None:
    path = one_card(write_card, 7, requirements=[req("1"), req("4", "product", "not-started", risk=risk(3, 5))])
    finding = single(gates(tmp_path), "high-risk-open")
    assert_located(finding, "high-risk-open", path, line_of(path, "status: not-started"),
                   "requirements[1].status", 7)
    assert finding.message == ("requirement 4 has risk score 15 (3 x 5) and is not-started; high-risk-open "
                               "applies from level 7 to requirements scoring 15 or more")


@pytest.mark.parametrize("level,status,score,option,found", [
    (7, "failed", (4, 5), None, 1),
    (7, "in-progress", (5, 5), None, 0),
    (7, "not-started", (2, 3), None, 0),
    (6, "not-started", (5, 5), None, 0),
    (7, "not-started", (3, 5), {"score": 16}, 0),
    (7, "not-started", (3, 4), {"score": 12}, 1),
    (7, "failed", (5, 5), {"from": 8}, 0),
    (5, "failed", (5, 5), {"from": 5}, 1),
])
def test_high_risk_open_thresholds(write_card: WriteCard, tmp_path: Path, level: int, status: str,
                                   score: tuple[int, int], option: dict[str, Any] | None, found: int) -> None:
    one_card(write_card, level, requirements=[req("1", status=status, risk=risk(*score)),
                                              req("2", "product", risk=risk())])
    chosen = settings(high_risk_open=option) if option else GateSettings()
    assert len(of(gates(tmp_path, chosen), "high-risk-open")) == found


# --- ethics ----------------------------------------------------------------------------------


def test_ethics_pre_fails_at_level_4_in_progress(write_card: WriteCard, tmp_path: Path) -> None:
    path = one_card(write_card, 4, ethics={"pre_development": "in-progress"})
    finding = single(gates(tmp_path), "ethics-pre")
    assert_located(finding, "ethics-pre", path, line_of(path, "pre_development:"), "ethics.pre_development", 4)
    assert finding.message == ("ethics.pre_development is in-progress; ethics-pre applies from level 4 "
                               "and needs it complete or not-applicable")


@pytest.mark.parametrize("level,ethics,option,found", [
    (3, {"pre_development": "not-started"}, None, 0),
    (4, {"pre_development": "not-applicable"}, None, 0),
    (4, None, None, 1),
    (4, {"pre_development": "in-progress"}, {"from": 5}, 0),
    (2, {"pre_development": "in-progress"}, {"from": 2}, 1),
])
def test_ethics_pre_levels(write_card: WriteCard, tmp_path: Path, level: int, ethics: dict[str, str] | None,
                           option: dict[str, Any] | None, found: int) -> None:
    one_card(write_card, level, ethics=ethics)
    chosen = settings(ethics_pre=option) if option else GateSettings()
    assert len(of(gates(tmp_path, chosen), "ethics-pre")) == found


def test_ethics_pre_not_given_points_at_the_level(write_card: WriteCard, tmp_path: Path) -> None:
    path = one_card(write_card, 4, ethics=None)
    finding = single(gates(tmp_path), "ethics-pre")
    assert finding.line == line_of(path, "level:")
    assert finding.message.startswith("ethics.pre_development is not given;")


def test_ethics_post_fails_at_level_8_in_progress(write_card: WriteCard, tmp_path: Path) -> None:
    path = one_card(write_card, 8, ethics={"pre_development": "complete", "post_development": "in-progress"})
    finding = single(gates(tmp_path), "ethics-post")
    assert_located(finding, "ethics-post", path, line_of(path, "post_development:"), "ethics.post_development", 8)
    assert of(gates(tmp_path, settings(ethics_post={"from": 9})), "ethics-post") == []


def test_ethics_post_passes_below_level_8(write_card: WriteCard, tmp_path: Path) -> None:
    one_card(write_card, 7, ethics={"pre_development": "complete", "post_development": "not-started"})
    assert of(gates(tmp_path), "ethics-post") == []


# --- versions --------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["1.2.3", "0.4.0-rc.1", "1.0.0+build.5", "1.0.0-alpha.beta+exp.sha.5114f85",
                                  "10.20.30", "1.0.0-0A.is.legal"])
def test_semantic_versions(text: str) -> None:
    assert SEMVER.fullmatch(text)


@pytest.mark.parametrize("text", ["v1.2", "1.2", "v1.2.3", "01.2.3", "1.2.3-", "1.2.3.4", "1.2.3-01",
                                  "\uff11.2.3", "1.2.3\n", "latest"])
def test_not_semantic_versions(text: str) -> None:
    assert not SEMVER.fullmatch(text)


def test_versions_must_be_semantic(write_card: WriteCard, tmp_path: Path) -> None:
    path = one_card(write_card, 4, versions={"code": "1.0.0", "model": "v1.2", "data": "2.0.0"})
    finding = single(gates(tmp_path), "versions")
    assert_located(finding, "versions", path, line_of(path, "model: v1.2"), "versions.model", 4)
    assert finding.message == "versions.model 'v1.2' is not a semantic version; versions expects one from level 4"


def test_versions_missing_points_at_versions(write_card: WriteCard, tmp_path: Path) -> None:
    path = one_card(write_card, 4, versions={"code": "1.0.0"})
    found = of(gates(tmp_path), "versions")
    assert sorted((f.field, f.line, f.message) for f in found) == [
        ("versions.data", line_of(path, "versions:"), "versions.data is missing; versions expects one from level 4"),
        ("versions.model", line_of(path, "versions:"), "versions.model is missing; versions expects one from level 4"),
    ]


@pytest.mark.parametrize("level,option,found", [
    (2, None, []), (3, None, ["code"]), (4, None, ["code", "model", "data"]),
    (4, {"model": 5, "data": None}, ["code"]), (2, {"code": 2}, ["code"]),
])
def test_versions_levels(write_card: WriteCard, tmp_path: Path, level: int, option: dict[str, Any] | None,
                         found: list[str]) -> None:
    one_card(write_card, level, versions=None)
    chosen = settings(versions=option) if option else GateSettings()
    assert sorted(str(f.field) for f in of(gates(tmp_path, chosen), "versions")) == sorted(f"versions.{k}" for k in found)


# --- sections --------------------------------------------------------------------------------


def without(heading: str, body: str = GOOD_BODY) -> str:
    """The body without the section ``heading`` (up to the next heading)."""
    start = body.index(f"## {heading}\n")
    end = body.index("\n## ", start + 1)
    return body[:start] + body[end + 1:]


def test_sections_report_a_missing_heading(write_card: WriteCard, tmp_path: Path) -> None:
    path = one_card(write_card, 4, body=without("Intended use"))
    finding = single(gates(tmp_path), "sections")
    assert_located(finding, "sections", path, body_line(path), "body", 4)
    assert finding.message == "the body has no 'Intended use' section; sections expects it from level 4"


@pytest.mark.parametrize("level,heading,found", [
    (3, "Intended use", 0), (2, "Testing status", 0), (3, "Testing status", 1), (1, "Data considerations", 0),
    (0, "Model / algorithm info", 1), (9, "Caveats, known edge cases, recommendations", 1),
])
def test_sections_by_level(write_card: WriteCard, tmp_path: Path, level: int, heading: str, found: int) -> None:
    one_card(write_card, level, body=without(heading))
    assert len(of(gates(tmp_path), "sections")) == found


def test_headings_match_ignoring_case_and_punctuation(write_card: WriteCard, tmp_path: Path) -> None:
    body = GOOD_BODY.replace("## Intended use", "## INTENDED USE:").replace(
        "## Model / algorithm info", "## Model/algorithm info")
    one_card(write_card, 4, body=body)
    assert of(gates(tmp_path), "sections") == []


def test_tldr_is_a_lead_paragraph_or_a_heading(write_card: WriteCard, tmp_path: Path) -> None:
    no_tldr = GOOD_BODY.replace("**TL;DR**: A monitor that warns when search traffic drifts.\n", "")
    write_card("dossiers/p/a.md", "\n## TL;DR\n" + no_tldr, **good(2, date="2020-01-01"))
    write_card("dossiers/q/a.md", no_tldr, **good(2, project="C2"))
    found = of(gates(tmp_path), "sections")
    assert [(f.project, f.message, f.applies_from) for f in found] == [
        ("C2", "the body has no 'TL;DR' section; sections expects it from level 0", 0)]
    assert "TL;DR" in (found[0].hint or "")


def test_sections_table_is_a_setting_with_int_or_text_levels(write_card: WriteCard, tmp_path: Path) -> None:
    one_card(write_card, 4, body=without("Intended use"))
    for table in ({0: ["TL;DR"], 3: ["Testing status"]}, {"0": ["TL;DR"], "5": ["Intended use"]}):
        assert of(gates(tmp_path, settings(sections={"table": table})), "sections") == []
    found = of(gates(tmp_path, settings(sections={"table": {"4": ["Intended use", "Glossary"]}})), "sections")
    assert sorted(f.message for f in found) == [
        "the body has no 'Glossary' section; sections expects it from level 4",
        "the body has no 'Intended use' section; sections expects it from level 4",
    ]


# --- debrief ---------------------------------------------------------------------------------


def test_debrief_needed_on_every_card_left(write_card: WriteCard, tmp_path: Path) -> None:
    no_debrief = GOOD_BODY[: GOOD_BODY.index("## Stage debrief")]
    paths = history(write_card, [2, 3, 4], {0: {"body": no_debrief}, 2: {"body": no_debrief}})
    finding = single(gates(tmp_path), "debrief")
    assert_located(finding, "debrief", paths[0], body_line(paths[0]), "body", None)
    assert finding.message == "the project has left this level-2 card, but it has no Stage debrief"


def test_debrief_that_only_repeats_the_questions_is_unanswered(write_card: WriteCard, tmp_path: Path) -> None:
    template = GOOD_BODY[: GOOD_BODY.index("1. Ada")] + (
        "1. What was accomplished, and by whom?\n2. What was punted or de-scoped?\n"
        "3. What was learned?\n4. What tech debt was gained? Mitigated?\n")
    paths = history(write_card, [2, 3], {0: {"body": template}})
    finding = single(gates(tmp_path), "debrief")
    assert finding.line == line_of(paths[0], "## Stage debrief")
    assert finding.message.endswith("has a Stage debrief that only repeats MLTRL's questions")


# --- switchbacks -----------------------------------------------------------------------------


def test_switchback_known_allows_a_level_held_before(write_card: WriteCard, tmp_path: Path) -> None:
    history(write_card, [6, 7, 6])
    assert of(gates(tmp_path), "switchback-known") == []


def test_switchback_known_flags_a_level_never_held(write_card: WriteCard, tmp_path: Path) -> None:
    paths = history(write_card, [6, 7, 5])
    finding = single(gates(tmp_path), "switchback-known")
    assert_located(finding, "switchback-known", paths[2], line_of(paths[2], "kind: switchback"),
                   "transition.kind", None)
    assert finding.message == "the project switches back to level 5, which it has never held before"


def test_embedded_switchback_predefined_pairs_pass(write_card: WriteCard, tmp_path: Path) -> None:
    history(write_card, [2, 3, 4, 2], {3: {"transition": sb(4, "embedded")}})
    assert of(gates(tmp_path), "embedded-switchback") == []


def test_embedded_switchback_other_pairs_fail(write_card: WriteCard, tmp_path: Path) -> None:
    paths = history(write_card, [2, 3, 4, 3], {3: {"transition": sb(4, "embedded")}})
    finding = single(gates(tmp_path), "embedded-switchback")
    assert_located(finding, "embedded-switchback", paths[3], line_of(paths[3], "switchback: embedded"),
                   "transition.switchback", None)
    assert finding.message == ("an embedded switchback from level 4 to level 3 is not one MLTRL predefines "
                               "(allowed: 9 to 4, 4 to 2)")
    assert of(gates(tmp_path, settings(embedded_switchback={"pairs": [[4, 3]]})), "embedded-switchback") == []


def test_discovery_switchbacks_are_not_embedded(write_card: WriteCard, tmp_path: Path) -> None:
    history(write_card, [2, 3, 4, 3])
    assert of(gates(tmp_path), "embedded-switchback") == []


# --- coupled readiness -----------------------------------------------------------------------


def test_coupled_readiness_names_the_limiting_project(write_card: WriteCard, tmp_path: Path) -> None:
    paths = history(write_card, [5, 6], {1: {"coupled": ["C2"]}})
    history(write_card, [2, 3], folder="q", project="C2")
    finding = single(gates(tmp_path), "coupled-readiness")
    assert_located(finding, "coupled-readiness", paths[1], line_of(paths[1], "coupled:"), "coupled", None,
                   Severity.INFO)
    assert finding.message == ("the system this project is coupled with stands at level 3, below this "
                               "project's level 6; limited by C2 (Drift monitor, level 3)")


def test_coupled_readiness_is_silent_when_the_coupled_project_is_not_lower(write_card: WriteCard,
                                                                          tmp_path: Path) -> None:
    history(write_card, [5, 6], {1: {"coupled": ["C2"]}})
    history(write_card, [6, 7], folder="q", project="C2")
    assert of(gates(tmp_path), "coupled-readiness") == []


# --- stale -----------------------------------------------------------------------------------


def test_stale_is_off_by_default(write_card: WriteCard, tmp_path: Path) -> None:
    one_card(write_card, 2, date="2001-01-01")
    assert of(gates(tmp_path), "stale") == []


def test_stale_flags_an_old_current_card(write_card: WriteCard, tmp_path: Path) -> None:
    paths = history(write_card, [2, 3])  # 2010-01-01 and 2011-01-01
    chosen = settings(stale={"days": 30})
    finding = single(gates(tmp_path, chosen, today=dt.date(2011, 2, 1)), "stale")
    assert_located(finding, "stale", paths[1], line_of(paths[1], "date: '2011"), "date", None)
    assert finding.message == ("the current card was entered 31 days ago (2011-01-01); "
                               "stale flags current cards older than 30 days")
    assert of(gates(tmp_path, chosen, today=dt.date(2011, 1, 31)), "stale") == []
    assert len(of(gates(tmp_path, settings(stale=True), today=dt.date(2012, 1, 2)), "stale")) == 1
    assert of(gates(tmp_path, settings(stale=True), today=dt.date(2012, 1, 1)), "stale") == []


# --- every rule: its severity is a setting ------------------------------------------------


def _failing(rule: str, write_card: WriteCard) -> None:
    """A dossier on which ``rule`` (and as few others as possible) fails."""
    no_debrief = GOOD_BODY[: GOOD_BODY.index("## Stage debrief")]
    scenarios: dict[str, Callable[[], object]] = {
        "review": lambda: one_card(write_card, 2, reviewers=[{"name": "Ada Okafor", "decision": "approved"}]),
        "research-requirements": lambda: one_card(write_card, 3, requirements=[req("2", "product", risk=risk())]),
        "product-requirements": lambda: one_card(write_card, 5, requirements=[req("1")]),
        "leave-research": lambda: history(write_card, [4, 5], {0: {"requirements": [req("1", status="failed")]}}),
        "leave-product": lambda: history(write_card, [8, 9], {0: {"requirements": [
            req("2", "product", status="failed", risk=risk())]}}),
        "waiver-reason": lambda: one_card(write_card, 2, requirements=[req("1", status="waived", reason=" ")]),
        "risk-scored": lambda: one_card(write_card, 5, requirements=[req("1"), req("2", "product")]),
        "high-risk-open": lambda: one_card(write_card, 7, requirements=[
            req("2", "product", status="failed", risk=risk(5, 5))]),
        "ethics-pre": lambda: one_card(write_card, 4, ethics={"pre_development": "in-progress"}),
        "ethics-post": lambda: one_card(write_card, 8, ethics={"pre_development": "complete"}),
        "versions": lambda: one_card(write_card, 3, versions={"code": "1.0"}),
        "sections": lambda: one_card(write_card, 3, body=without("Testing status")),
        "debrief": lambda: history(write_card, [2, 3], {0: {"body": no_debrief}}),
        "switchback-known": lambda: history(write_card, [3, 4, 2]),
        "embedded-switchback": lambda: history(write_card, [3, 4, 3], {2: {"transition": sb(4, "embedded")}}),
        "coupled-readiness": lambda: (history(write_card, [3, 4], {1: {"coupled": ["C2"]}}),
                                      history(write_card, [2], folder="q", project="C2")),
        "stale": lambda: one_card(write_card, 2, date="2001-01-01"),
    }
    assert set(scenarios) == set(RULES)
    scenarios[rule]()


DEFAULTS = {rule: Severity.WARNING for rule in RULES} | {"coupled-readiness": Severity.INFO, "stale": None}


@pytest.mark.parametrize("rule", RULES)
def test_every_rule_fails_at_its_default_severity(rule: str, write_card: WriteCard, tmp_path: Path) -> None:
    _failing(rule, write_card)
    report = gates(tmp_path)
    expected = DEFAULTS[rule]
    assert {f.severity for f in of(report, rule)} == ({expected} if expected else set())
    on = gates(tmp_path, settings(**{rule: True}))
    assert of(on, rule) and all(f.hint for f in of(on, rule))


@pytest.mark.parametrize("severity", [Severity.ERROR, Severity.INFO, Severity.WARNING])
@pytest.mark.parametrize("rule", RULES)
def test_every_rule_takes_its_severity_from_settings(rule: str, severity: Severity, write_card: WriteCard,
                                                     tmp_path: Path) -> None:
    _failing(rule, write_card)
    for value in (severity.value, {"severity": severity.value}):
        found = of(gates(tmp_path, settings(**{rule: value})), rule)
        assert found and {f.severity for f in found} == {severity}


@pytest.mark.parametrize("off", ["off", False, {"severity": "off"}, {"severity": False}])
@pytest.mark.parametrize("rule", RULES)
def test_every_rule_can_be_turned_off(rule: str, off: object, write_card: WriteCard, tmp_path: Path) -> None:
    _failing(rule, write_card)
    assert of(gates(tmp_path, settings(**{rule: off})), rule) == []


@pytest.mark.parametrize("rule", [rule for rule in RULES if rule != "stale"])
def test_each_failing_scenario_fails_only_its_own_rule(rule: str, write_card: WriteCard, tmp_path: Path) -> None:
    _failing(rule, write_card)
    assert {f.rule for f in gates(tmp_path).findings} == {rule}


# --- earned level ----------------------------------------------------------------------------


def _report_for(tmp_path: Path, chosen: GateSettings | None = None) -> tuple[GateReport, Dossier]:
    dossier = load(tmp_path)
    return evaluate(dossier, chosen or GateSettings(), today=TODAY), dossier


def test_earned_level_stops_below_the_first_failing_gate(write_card: WriteCard, tmp_path: Path) -> None:
    """A level-6 card without 'Intended use' (needed from 4) earns 3; research requirements,
    which it rightly no longer carries, do not pull it lower."""
    path = one_card(write_card, 6, body=without("Intended use"), requirements=[req("2", "product", risk=risk())])
    report, dossier = _report_for(tmp_path)
    assert report.earned[path] == 3
    assert (report.projects["C1"].declared, report.projects["C1"].earned) == (6, 3)
    project = dossier.projects["C1"]
    assert earned_level(project.cards[0], project, GateSettings()) == 3


def test_earned_level_counts_an_upper_bounded_rule_below_its_end(write_card: WriteCard, tmp_path: Path) -> None:
    path = one_card(write_card, 5, requirements=[req("2", "product", risk=risk())])
    assert _report_for(tmp_path)[0].earned[path] == 1


@pytest.mark.parametrize(("value", "earned"), [("info", 3), ("error", 3), ("off", 6)])
def test_severity_is_build_policy_and_only_off_stops_a_rule_lowering_the_earned_level(
        write_card: WriteCard, tmp_path: Path, value: str, earned: int) -> None:
    path = one_card(write_card, 6, body=without("Intended use"))
    report, _ = _report_for(tmp_path, settings(sections=value))
    assert report.earned[path] == earned
    expected = {"info": [Severity.INFO], "error": [Severity.ERROR], "off": []}[value]
    assert [f.severity for f in of(report, "sections")] == expected


def test_rules_that_do_not_depend_on_a_level_never_lower_it(write_card: WriteCard, tmp_path: Path) -> None:
    no_debrief = GOOD_BODY[: GOOD_BODY.index("## Stage debrief")]
    paths = history(write_card, [6, 7, 5], {
        0: {"body": no_debrief},
        1: {"reviewers": [{"name": "Ada Okafor", "decision": "rejected"}]},
    })
    report, _ = _report_for(tmp_path, settings(stale=True))
    assert {f.rule for f in report.findings} == {"debrief", "review", "switchback-known", "stale"}
    assert [report.earned[p] for p in paths] == [6, 7, 5]


def test_earned_level_follows_the_leave_rule(write_card: WriteCard, tmp_path: Path) -> None:
    """Standing above level 4 needs the level-4 card the project left to have closed its research
    requirements; that card itself still earns 4."""
    paths = history(write_card, [3, 4, 5, 6], {1: {"requirements": [req("1", status="in-progress")]}})
    report, _ = _report_for(tmp_path)
    assert [report.earned[p] for p in paths] == [3, 4, 4, 4]
    relaxed, _ = _report_for(tmp_path, settings(leave_research="off"))
    assert [relaxed.earned[p] for p in paths] == [3, 4, 5, 6]


def test_earned_level_uses_the_latest_level_4_card_left(write_card: WriteCard, tmp_path: Path) -> None:
    """Left with open requirements, switched back, fixed and left again: only the latest exit counts."""
    paths = history(write_card, [4, 5, 4, 5], {0: {"requirements": [req("1", status="in-progress")]}})
    report, _ = _report_for(tmp_path)
    assert [report.earned[p] for p in paths] == [4, 4, 4, 5]


def test_earned_level_follows_leave_product(write_card: WriteCard, tmp_path: Path) -> None:
    paths = history(write_card, [8, 9], {0: {"requirements": [req("2", "product", "in-progress", risk=risk())]}})
    report, _ = _report_for(tmp_path)
    assert [report.earned[p] for p in paths] == [8, 8]


def test_level_0_is_the_floor(write_card: WriteCard, tmp_path: Path) -> None:
    path = one_card(write_card, 4, body="\nJust some notes.\n")
    assert _report_for(tmp_path)[0].earned[path] == 0


def test_projects_without_a_valid_card_are_skipped(write: Callable[..., Path], write_card: WriteCard,
                                                   tmp_path: Path) -> None:
    one_card(write_card, 2)
    write("dossiers/broken/L1.md", "---\nmltrl: 1\nlevel: 1\n---\n")
    dossier = build_dossier([tmp_path / "dossiers"])
    report = evaluate(dossier, GateSettings(), today=TODAY)
    assert list(report.projects) == ["C1"]


# --- gap to the next level ------------------------------------------------------------------


def test_gap_from_level_4_lists_what_level_5_needs(write_card: WriteCard, tmp_path: Path) -> None:
    path = one_card(write_card, 4, requirements=[req("1"), req("2.1", status="in-progress")],
                    versions={"code": "1.0.0", "model": "v1", "data": "1.0.0"})
    report, _ = _report_for(tmp_path)
    gap = report.projects["C1"].gap
    assert [(g.rule, g.text, g.field) for g in gap] == [
        ("versions", "Set versions.model to a semantic version (e.g. 1.0.0)", "versions.model"),
        ("product-requirements", "Add at least one product requirement", "requirements"),
        ("leave-research", "Verify or waive research requirement 2.1 (in-progress)", "requirements[1].status"),
    ]
    assert gap[2].position == Position(line_of(path, "status: in-progress"), 3)


def test_gap_from_level_3_names_sections_ethics_and_versions(write_card: WriteCard, tmp_path: Path) -> None:
    path = one_card(write_card, 3, body=without("Intended use"), versions={"code": "0.3.0"},
                    ethics={"pre_development": "in-progress"})
    gap = gap_to_next(load(tmp_path).projects["C1"], GateSettings())
    assert [g.text for g in gap] == [
        "Complete the pre-development ethics checklist (ethics.pre_development is in-progress)",
        "Set versions.model to a semantic version (e.g. 1.0.0)",
        "Set versions.data to a semantic version (e.g. 1.0.0)",
        "Add a '## Intended use' section",
    ]
    assert gap[-1] == GapItem("sections", "Add a '## Intended use' section", "body", Position(body_line(path), 1))


def test_gap_includes_what_already_fails_and_what_leaving_takes(write_card: WriteCard, tmp_path: Path) -> None:
    no_debrief = GOOD_BODY[: GOOD_BODY.index("## Stage debrief")]
    one_card(write_card, 5, body=no_debrief, status="in-review",
             requirements=[req("1"), req("9", "product")],
             reviewers=[{"name": "Ada Okafor", "decision": "pending"}])
    gap = gap_to_next(load(tmp_path).projects["C1"], GateSettings())
    assert [(g.rule, g.text) for g in gap] == [
        ("risk-scored", "Give product requirement 9 a risk (likelihood and impact, 1 to 5 each)"),
        ("review", "Pass the level-5 gated review (status is in-review)"),
        ("review", "Record a reviewer whose decision is approved"),
        ("review", "Have someone who is not an owner review in place of Ada Okafor"),
        ("debrief", "Answer the Stage debrief (accomplished, punted, learned, tech debt)"),
    ]
    relaxed = GateSettings.from_data({"risk-scored": "off", "review": "off", "debrief": False})
    assert gap_to_next(load(tmp_path).projects["C1"], relaxed) == []


def test_gap_names_an_earlier_card_that_blocks(write_card: WriteCard, tmp_path: Path) -> None:
    paths = history(write_card, [4, 5], {0: {"requirements": [req("1", status="in-progress")]}})
    gap = gap_to_next(load(tmp_path).projects["C1"], GateSettings())
    assert gap == [GapItem("leave-research", f"Verify or waive research requirement 1 (in-progress) on the "
                                             f"level-4 card {paths[0].name}", "requirements[0].status", None)]


def test_gap_from_level_8_needs_product_requirements_closed(write_card: WriteCard, tmp_path: Path) -> None:
    one_card(write_card, 8, requirements=[req("2", "product", "in-progress", risk=risk())])
    gap = gap_to_next(load(tmp_path).projects["C1"], GateSettings())
    assert [g.text for g in gap] == ["Verify or waive product requirement 2 (in-progress)"]


def test_no_gap_at_level_9_or_when_nothing_is_missing(write_card: WriteCard, tmp_path: Path) -> None:
    history(write_card, [8, 9], {1: {"versions": None, "body": "\nNotes.\n"}})
    history(write_card, [3, 4], folder="q", project="C2")
    report, _ = _report_for(tmp_path)
    assert report.projects["C1"].gap == []
    assert report.projects["C2"].gap == []


# --- settings --------------------------------------------------------------------------------


BRIEF_SETTINGS = """
sources: [dossiers]
gates:
  review: warning
  research-requirements: {severity: warning, from: 2, to: 5}
  product-requirements: {from: 5}
  leave-research: {level: 4}
  leave-product: {level: 8}
  waiver-reason: "on"
  risk-scored: {from: 5}
  high-risk-open: {from: 7, score: 15}
  ethics-pre: {from: 4}
  ethics-post: {from: 8}
  versions: {code: 3, model: 4, data: 4}
  sections:
    table: {0: ["TL;DR", "Model / algorithm info"], 2: ["Data considerations"], 3: ["Testing status"],
            4: ["Intended use", "Caveats, known edge cases, recommendations"]}
  debrief: true
  switchback-known: true
  embedded-switchback: {pairs: [[4, 2], [9, 4]]}
  coupled-readiness: info
  stale: {severity: "off", days: 365}
"""


def test_defaults_are_gates_md() -> None:
    defaults = GateSettings()
    assert GateSettings.from_data(None) == defaults == GateSettings.from_data({})
    assert {rule: defaults.severity(rule) for rule in RULES} == DEFAULTS
    assert dict(defaults.sections) == dict(DEFAULT_SECTIONS)
    assert (defaults.research.start, defaults.research.end, defaults.product.start, defaults.product.end) == (
        2, 5, 5, None)


def test_the_full_settings_file_validates_and_reads_as_the_defaults() -> None:
    document = read_yaml(BRIEF_SETTINGS)
    assert schema.check("settings", document, Path("mltrl-docs.yml"), Position(1, 1)) == []
    read = GateSettings.from_data(document.data["gates"])
    assert read == GateSettings()


@pytest.mark.parametrize("text,field", [
    ("gates: {reveiw: warning}", "gates.reveiw"),
    ("gates: {review: warnin}", "gates.review"),
    ("gates: {review: 1}", "gates.review"),
    ("gates: {research-requirements: {form: 2}}", "gates.research-requirements.form"),
    ("gates: {high-risk-open: {score: 30}}", "gates.high-risk-open.score"),
    ("gates: {sections: {table: {10: [Glossary]}}}", "gates.sections.table.10"),
    ("gates: {embedded-switchback: {pairs: [[4, 2, 1]]}}", "gates.embedded-switchback.pairs[0]"),
    ("gates: {versions: {code: 10}}", "gates.versions.code"),
])
def test_the_schema_reports_a_bad_gate_setting(text: str, field: str) -> None:
    findings = schema.check("settings", read_yaml("sources: [d]\n" + text), Path("x.yml"), Position(1, 1))
    assert [f.field for f in findings] == [field]
    assert findings[0].hint


def test_unknown_rule_names_are_rejected_by_from_data_too() -> None:
    with pytest.raises(ValueError, match="reveiw"):
        GateSettings.from_data({"reveiw": "warning"})


@pytest.mark.parametrize("value,expected", [
    (True, Severity.WARNING), ("on", Severity.WARNING), (False, None), ("off", None), ("error", Severity.ERROR),
    ({}, Severity.WARNING), ({"days": 10}, Severity.WARNING), ({"severity": "info"}, Severity.INFO),
])
def test_a_rule_value_is_a_severity_a_boolean_or_a_mapping(value: object, expected: Severity | None) -> None:
    assert GateSettings.from_data({"stale": value}).severity("stale") == expected
    assert GateSettings.from_data({"coupled-readiness": True}).severity("coupled-readiness") == Severity.INFO


def test_options_are_read() -> None:
    chosen = GateSettings.from_data({
        "research-requirements": {"to": 4}, "high-risk-open": {"score": 20, "from": 6},
        "versions": {"model": None}, "stale": {"days": 7}, "leave-product": {"level": 7},
        "embedded-switchback": {"pairs": [["9", "4"]]},
    })
    assert (chosen.research.start, chosen.research.end) == (2, 4)
    assert (chosen.high_risk, chosen.high_risk_score, chosen.stale_days, chosen.leave_product) == (6, 20, 7, 7)
    assert dict(chosen.versions) == {"code": 3, "model": None, "data": 4}
    assert chosen.embedded_pairs == frozenset({(9, 4)})


# --- the example dossier ---------------------------------------------------------------------


def test_the_example_dossier() -> None:
    dossier = build_dossier([REPO / "site_example" / "dossiers"], [REPO / "site_example" / "glossary" / "org.yml"])
    report = evaluate(dossier, GateSettings(), today=dt.date(2026, 12, 1))
    neuropath = REPO / "site_example" / "dossiers" / "neuropath" / "L6-2025-09-15.md"
    blocking = [f for f in report.findings if f.severity is not Severity.INFO]
    assert [(f.path, f.rule, f.field, f.applies_from, f.message) for f in blocking] == [
        (neuropath, "risk-scored", "requirements[4].risk", 5,
         "product requirement 9 has no risk (likelihood x impact); risk-scored applies from level 5"),
        (neuropath, "sections", "body", 4,
         "the body has no 'Intended use' section; sections expects it from level 4"),
    ]
    levels = {pid: (g.declared, g.earned, g.readiness.level) for pid, g in report.projects.items()}
    assert levels == {
        "R11.1": (2, 2, 2), "P04.3": (5, 5, 5), "R02.1": (4, 4, 4), "P07.1": (6, 3, 6), "P12.2": (8, 8, 4),
    }
    info = [(f.rule, f.project) for f in report.findings if f.severity is Severity.INFO]
    assert info == [("coupled-readiness", "P12.2")]
    for project in dossier.projects.values():
        for card in project.cards[:-1]:
            assert report.earned[card.path] == card.level.number, card.path
