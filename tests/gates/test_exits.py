"""Rules on the card a project leaves (mltrl_docs/gates/exits.py): checked on the card the
project advanced from at the rule's level, listed in the gap while the project stands
there, and holding down the earned level of every later card above that level."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mltrl_docs.gates import BY_NAME, RULES, GateSettings, Scope

from .support import (
    LINKS,
    WriteCard,
    assert_located,
    body_line,
    gap_rules,
    gates,
    history,
    line_of,
    of,
    one_card,
    replaced,
    req,
    risk,
    sb,
    settings,
    single,
    without,
)

EXITS = [rule.name for rule in RULES if rule.scope is Scope.EXIT]

BROKEN: dict[str, dict[str, Any]] = {
    "leave-first-principles": {"body": without("Hypotheses")},
    "leave-research": {"requirements": [req("1", status="in-progress"), req("2", "product", risk=risk())]},
    "leave-capability": {"links": {"datasheet": LINKS["datasheet"]}},
    "leave-integrations": {"body": without("Data slices")},
    "leave-product": {"requirements": [req("1"), req("2", "product", "in-progress", risk=risk())]},
    "leave-flight-ready": {"body": without("Deployment tests")},
}
"""What each exit rule misses on the card left (and no other rule)."""

LEFT = {"leave-first-principles": 0, "leave-research": 4, "leave-capability": 5, "leave-integrations": 7,
        "leave-product": 8, "leave-flight-ready": 8}


def test_every_exit_rule_has_a_level_and_a_scenario() -> None:
    assert set(EXITS) == set(BROKEN) == set(LEFT)
    for name in EXITS:
        rule = BY_NAME[name]
        assert rule.exit_level is not None and rule.option(rule.exit_level).default == LEFT[name]
        assert GateSettings().option(name, rule.exit_level) == LEFT[name]


@pytest.mark.parametrize("rule", EXITS)
def test_an_exit_rule_checks_the_card_advanced_from(rule: str, write_card: WriteCard, tmp_path: Path) -> None:
    """Advancing from the level with the content missing fails on the card left and holds
    every later card down to that level; the card left keeps its own earned level."""
    left = LEFT[rule]
    paths = history(write_card, [left, left + 1, left + 2] if left < 8 else [left, left + 1], {0: BROKEN[rule]})
    report = gates(tmp_path)
    assert {f.rule for f in report.findings} == {rule}
    assert {f.path for f in report.findings} == {paths[0]}
    assert {f.applies_from for f in report.findings} == {left}
    assert [report.earned[p] for p in paths] == [left] * len(paths)
    relaxed = gates(tmp_path, settings(**{rule: "off"}))
    assert relaxed.findings == ()
    assert [relaxed.earned[p] for p in paths] == list(range(left, left + len(paths)))


@pytest.mark.parametrize("rule", EXITS)
def test_an_exit_rule_passes_when_the_content_is_there(rule: str, write_card: WriteCard, tmp_path: Path) -> None:
    left = LEFT[rule]
    paths = history(write_card, [left, left + 1])
    report = gates(tmp_path)
    assert report.findings == ()
    assert [report.earned[p] for p in paths] == [left, left + 1]


@pytest.mark.parametrize("rule", EXITS)
def test_standing_at_the_level_the_gap_lists_the_exit_rule(rule: str, write_card: WriteCard, tmp_path: Path) -> None:
    """The card is not left yet: no finding and no lower earned level, but the gap to the next
    level lists what leaving takes."""
    left = LEFT[rule]
    path = one_card(write_card, left, **BROKEN[rule])
    report = gates(tmp_path)
    assert report.findings == ()
    assert report.earned[path] == left
    assert gap_rules(report) == [rule]
    assert all(item.position is not None for item in report.projects["C1"].gap)


@pytest.mark.parametrize("rule", [name for name in EXITS if LEFT[name] > 0])
def test_a_card_left_by_a_switchback_is_not_checked(rule: str, write_card: WriteCard, tmp_path: Path) -> None:
    """Level 0 has no switchback below it: that rule's card is left only by advancing."""
    left = LEFT[rule]
    paths = history(write_card, [left, left - 1], {0: BROKEN[rule]})
    report = gates(tmp_path)
    assert of(report, rule) == []
    assert report.earned[paths[1]] == left - 1


@pytest.mark.parametrize("rule", EXITS)
def test_a_card_back_at_the_level_is_not_left_yet(rule: str, write_card: WriteCard, tmp_path: Path) -> None:
    """Left with the content, switched back to the level, the current card lacks it: nothing
    is found until it is left, and the gap lists it on the current card."""
    left = LEFT[rule]
    history(write_card, [left, left + 1, left], {2: BROKEN[rule]})
    report = gates(tmp_path)
    assert of(report, rule) == []
    assert gap_rules(report) == [rule]
    assert all(item.position is not None for item in report.projects["C1"].gap)


@pytest.mark.parametrize("rule", EXITS)
def test_the_level_an_exit_rule_checks_is_a_setting(rule: str, write_card: WriteCard, tmp_path: Path) -> None:
    """Moved one level down, the rule checks the card left there and ignores its default level."""
    left = LEFT[rule]
    lower = max(left - 1, 0) if left else 1
    paths = history(write_card, [*sorted({lower, left}), max(lower, left) + 1], {
        0: BROKEN[rule], 1: BROKEN[rule]})
    moved = gates(tmp_path, settings(**{rule: {"level": lower}}))
    assert {f.path for f in of(moved, rule)} == {paths[sorted({lower, left}).index(lower)]}
    assert {f.applies_from for f in of(moved, rule)} == {lower}


# --- leave-research and leave-product ------------------------------------------------------


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


# --- leave-first-principles ----------------------------------------------------------------


@pytest.mark.parametrize("heading", ["Hypotheses", "Research plan", "Data readiness"])
def test_leaving_level_0_needs_each_first_principles_section(heading: str, write_card: WriteCard,
                                                             tmp_path: Path) -> None:
    paths = history(write_card, [0, 1], {0: {"body": without(heading)}})
    report = gates(tmp_path)
    finding = single(report, "leave-first-principles")
    assert_located(finding, "leave-first-principles", paths[0], body_line(paths[0]), "body", 0)
    assert finding.message == (f"the body has no written '{heading}' section; the project leaves this level-0 "
                               "card for level 1, and graduating from first principles takes written hypotheses, "
                               "a research plan and data-readiness findings")
    assert [report.earned[p] for p in paths] == [0, 0]


@pytest.mark.parametrize("text", [
    "\n", "\n\n   \n", "\n<!-- What do you expect to find? -->\n", "\n<!--\nprompt\nover lines\n-->\n\n",
    "\n### Details\n",
], ids=["empty", "blank", "comment", "multi-line-comment", "subheading-only"])
def test_a_first_principles_heading_without_text_does_not_count(text: str, write_card: WriteCard,
                                                               tmp_path: Path) -> None:
    history(write_card, [0, 1], {0: {"body": replaced("Research plan", text)}})
    assert [f.message.split("'")[1] for f in of(gates(tmp_path), "leave-first-principles")] == ["Research plan"]


def test_first_principles_sections_match_loosely(write_card: WriteCard, tmp_path: Path) -> None:
    body = without("Hypotheses").replace("## Research plan", "### RESEARCH PLAN:").replace(
        "## Model / algorithm info", "## Hypotheses\n\nDrift first.\n\n## Model / algorithm info")
    history(write_card, [0, 1], {0: {"body": body}})
    assert of(gates(tmp_path), "leave-first-principles") == []


def test_first_principles_sections_are_a_setting(write_card: WriteCard, tmp_path: Path) -> None:
    history(write_card, [0, 1], {0: {"body": without("Hypotheses", "Research plan")}})
    chosen = settings(leave_first_principles={"sections": ["Data readiness", "Stage debrief"]})
    assert of(gates(tmp_path, chosen), "leave-first-principles") == []
    chosen = settings(leave_first_principles={"sections": ["Principles"]})
    assert [f.message.split("'")[1] for f in of(gates(tmp_path, chosen), "leave-first-principles")] == ["Principles"]


# --- leave-capability ------------------------------------------------------------------------


def test_leaving_level_5_needs_something_to_run(write_card: WriteCard, tmp_path: Path) -> None:
    paths = history(write_card, [5, 6], {0: {"links": None}})
    finding = single(gates(tmp_path), "leave-capability")
    assert_located(finding, "leave-capability", paths[0], line_of(paths[0], "level:"), "links", 5)
    assert finding.message == ("no demo, example scripts or API is linked (links: demo, examples, api); the "
                               "project leaves this level-5 card for level 6, and the hand-off to productization "
                               "gives the working group something to run")


@pytest.mark.parametrize("links,found", [
    ({"demo": "https://x.example/d"}, 0), ({"examples": "https://x.example/e"}, 0), ({"api": "https://x.example/a"}, 0),
    ({"API": "https://x.example/a"}, 0), ({"Demo": "https://x.example/a"}, 0),
    ({"code": "https://x.example/c"}, 1), ({"docs": "https://x.example/c", "demo_video": "https://x.example/v"}, 1),
])
def test_the_link_names_that_count_as_something_to_run(links: dict[str, str], found: int, write_card: WriteCard,
                                                       tmp_path: Path) -> None:
    history(write_card, [5, 6], {0: {"links": links}})
    assert len(of(gates(tmp_path), "leave-capability")) == found


def test_the_link_names_are_a_setting(write_card: WriteCard, tmp_path: Path) -> None:
    paths = history(write_card, [5, 6], {0: {"links": {"notebook": "https://x.example/n"}}})
    assert of(gates(tmp_path, settings(leave_capability={"links": ["notebook"]})), "leave-capability") == []
    finding = single(gates(tmp_path, settings(leave_capability={"links": ["colab"]})), "leave-capability")
    assert "(links: colab)" in finding.message and finding.line == line_of(paths[0], "links:")


def test_leaving_level_5_needs_risk_scored_product_requirements(write_card: WriteCard, tmp_path: Path) -> None:
    paths = history(write_card, [5, 6], {0: {"requirements": [req("1")]}}, folder="a", project="C1")
    history(write_card, [5, 6], {0: {"requirements": [req("1"), req("7", "product")]}}, folder="b", project="C2")
    chosen = settings(product_requirements="off", risk_scored="off")
    found = of(gates(tmp_path, chosen), "leave-capability")
    assert [(f.project, f.field, f.applies_from) for f in found] == [
        ("C1", "requirements", 5), ("C2", "requirements[1].risk", 5)]
    assert_located(found[0], "leave-capability", paths[0], line_of(paths[0], "requirements:"), "requirements", 5)
    assert found[0].message.startswith("the card lists no product requirement; the project leaves this level-5 card")
    assert found[1].message.startswith("product requirement 7 has no risk score; the project leaves this level-5")


# --- leave-integrations ------------------------------------------------------------------------


def dataset(role: str | None = "test", slices: list[str] | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {"name": "query logs", "version": "1.0.0"}
    if role:
        found["role"] = role
    if slices is not None:
        found["slices"] = slices
    return found


def test_leaving_level_7_needs_the_data_slices(write_card: WriteCard, tmp_path: Path) -> None:
    paths = history(write_card, [7, 8], {0: {"body": without("Data slices")}})
    finding = single(gates(tmp_path), "leave-integrations")
    assert_located(finding, "leave-integrations", paths[0], line_of(paths[0], "level:"), "datasets", 7)
    assert finding.message == ("the card names no data slices its tests ran on; the project leaves this level-7 "
                               "card for level 8, and integration adds tests for the critical scenarios and data "
                               "slices of the use case")


@pytest.mark.parametrize("datasets,found", [
    ([dataset("test", ["mobile", "desktop"])], 0),
    ([dataset("train"), dataset("test", ["mobile"])], 0),
    ([dataset(None, ["mobile"])], 0),  # a dataset without a role is read as a test set
    ([dataset("test")], 1),
    ([dataset("test", [])], 1),
    ([dataset("train", ["mobile"])], 1),
    ([dataset("monitoring", ["mobile"])], 1),
])
def test_datasets_with_test_slices_count(datasets: list[dict[str, Any]], found: int, write_card: WriteCard,
                                         tmp_path: Path) -> None:
    paths = history(write_card, [7, 8], {0: {"body": without("Data slices"), "datasets": datasets}})
    report = gates(tmp_path)
    assert len(of(report, "leave-integrations")) == found
    if found:
        assert of(report, "leave-integrations")[0].line == line_of(paths[0], "datasets:")
    assert report.earned[paths[1]] == (7 if found else 8)


@pytest.mark.parametrize("text", ["\n", "\n<!-- which slices? -->\n"], ids=["empty", "comment"])
def test_a_data_slices_heading_without_text_does_not_count(text: str, write_card: WriteCard, tmp_path: Path) -> None:
    history(write_card, [7, 8], {0: {"body": replaced("Data slices", text)}})
    assert len(of(gates(tmp_path), "leave-integrations")) == 1


# --- leave-flight-ready ----------------------------------------------------------------------


def test_leaving_level_8_needs_deployment_tests_and_a_datasheet(write_card: WriteCard, tmp_path: Path) -> None:
    paths = history(write_card, [8, 9], {0: {"body": without("Deployment tests"), "links": {"demo": LINKS["demo"]}}})
    report = gates(tmp_path)
    found = of(report, "leave-flight-ready")
    assert [(f.field, f.applies_from) for f in found] == [("deployment_tests", 8), ("links", 8)]
    assert found[0].message == ("the card names no deployment test (shadow, canary, A/B or blue/green); the "
                                "project leaves this level-8 card for level 9")
    assert found[1].message == ("no product datasheet is linked (links: datasheet); the project leaves this "
                                "level-8 card for level 9")
    assert found[1].line == line_of(paths[0], "links:")
    assert [report.earned[p] for p in paths] == [8, 8]


def test_deployment_tests_in_the_frontmatter_count(write_card: WriteCard, tmp_path: Path) -> None:
    tests = [{"kind": "shadow", "text": "Four weeks beside the ranker."}, {"kind": "canary"}]
    paths = history(write_card, [8, 9], {0: {"body": without("Deployment tests"), "deployment_tests": tests}})
    report = gates(tmp_path)
    assert report.findings == ()
    assert report.earned[paths[1]] == 9


@pytest.mark.parametrize("text", ["\n", "\n<!-- shadow, canary, A/B, blue/green -->\n"], ids=["empty", "comment"])
def test_a_deployment_tests_heading_without_text_does_not_count(text: str, write_card: WriteCard,
                                                               tmp_path: Path) -> None:
    history(write_card, [8, 9], {0: {"body": replaced("Deployment tests", text)}})
    assert [f.field for f in of(gates(tmp_path), "leave-flight-ready")] == ["deployment_tests"]


def test_the_datasheet_link_name_is_a_setting(write_card: WriteCard, tmp_path: Path) -> None:
    history(write_card, [8, 9], {0: {"links": {"model_card": "https://x.example/mc"}}})
    assert [f.field for f in of(gates(tmp_path), "leave-flight-ready")] == ["links"]
    chosen = settings(leave_flight_ready={"links": ["model_card", "datasheet"]})
    assert of(gates(tmp_path, chosen), "leave-flight-ready") == []


# --- exits in a longer history -----------------------------------------------------------------


def test_only_the_latest_exit_from_a_level_holds_later_cards(write_card: WriteCard, tmp_path: Path) -> None:
    """Left level 7 without slices, switched back, left again with them: the later cards earn
    their levels; the first card left keeps its finding."""
    paths = history(write_card, [7, 8, 7, 8], {0: {"body": without("Data slices")}, 2: {"transition": sb(8)}})
    report = gates(tmp_path)
    assert [f.path for f in of(report, "leave-integrations")] == [paths[0]]
    assert [report.earned[p] for p in paths] == [7, 7, 7, 8]


def test_a_climb_is_held_at_the_first_exit_that_falls_short(write_card: WriteCard, tmp_path: Path) -> None:
    paths = history(write_card, list(range(10)), {5: BROKEN["leave-capability"], 7: BROKEN["leave-integrations"]})
    report = gates(tmp_path)
    assert [report.earned[p] for p in paths] == [0, 1, 2, 3, 4, 5, 5, 5, 5, 5]
    assert report.projects["C1"].earned == 5
    assert {(f.rule, f.path) for f in report.findings} == {
        ("leave-capability", paths[5]), ("leave-integrations", paths[7])}
