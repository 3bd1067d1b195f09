"""Rules on what a card shows at a level (mltrl_docs/gates/content.py): requirements,
risk, ethics, versions, sections and monitoring, each passing and failing at its level
boundary, located, and lowering the earned level."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mltrl_docs.gates import SEMVER

from .support import (
    GOOD_BODY,
    POLICY,
    WriteCard,
    assert_located,
    body_line,
    gates,
    good,
    line_of,
    of,
    one_card,
    replaced,
    req,
    risk,
    settings,
    single,
    without,
)

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
    chosen = settings(research_requirements=option) if option else POLICY
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
    chosen = settings(product_requirements=option) if option else POLICY
    assert len(of(gates(tmp_path, chosen), "product-requirements")) == found


def test_no_requirements_at_all_points_at_the_level(write_card: WriteCard, tmp_path: Path) -> None:
    path = one_card(write_card, 3, requirements=None)
    assert single(gates(tmp_path), "research-requirements").line == line_of(path, "level:")


# --- risk ------------------------------------------------------------------------------------


def test_risk_scored_fails_for_a_product_requirement_without_risk(write_card: WriteCard, tmp_path: Path) -> None:
    path = one_card(write_card, 5, requirements=[req("1"), req("9", "product")])
    report = gates(tmp_path)
    finding = single(report, "risk-scored")
    assert_located(finding, "risk-scored", path, line_of(path, "- id: '9'"), "requirements[1].risk", 5)
    assert finding.message == ("product requirement 9 has no risk (likelihood x impact); "
                               "risk-scored applies from level 5")
    assert report.earned[path] == 4


@pytest.mark.parametrize("level,option,found", [(4, None, 0), (5, None, 1), (5, {"from": 6}, 0), (3, {"from": 3}, 1)])
def test_risk_scored_levels(write_card: WriteCard, tmp_path: Path, level: int,
                            option: dict[str, Any] | None, found: int) -> None:
    one_card(write_card, level, requirements=[req("1"), req("9", "product")])
    chosen = settings(risk_scored=option) if option else POLICY
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
    chosen = settings(high_risk_open=option) if option else POLICY
    assert len(of(gates(tmp_path, chosen), "high-risk-open")) == found


# --- ethics ----------------------------------------------------------------------------------


def test_ethics_pre_fails_at_level_5_in_progress(write_card: WriteCard, tmp_path: Path) -> None:
    path = one_card(write_card, 5, ethics={"pre_development": "in-progress"})
    report = gates(tmp_path)
    finding = single(report, "ethics-pre")
    assert_located(finding, "ethics-pre", path, line_of(path, "pre_development:"), "ethics.pre_development", 5)
    assert finding.message == ("ethics.pre_development is in-progress; ethics-pre needs it complete or "
                               "not-applicable from level 5")
    assert report.earned[path] == 4


def test_ethics_pre_not_started_fails_from_level_1(write_card: WriteCard, tmp_path: Path) -> None:
    path = one_card(write_card, 1, ethics={"pre_development": "not-started"})
    report = gates(tmp_path)
    finding = single(report, "ethics-pre")
    assert_located(finding, "ethics-pre", path, line_of(path, "pre_development:"), "ethics.pre_development", 1)
    assert finding.message == ("ethics.pre_development is not-started; from level 1 the pre-development "
                               "checklist is under way (it decides whether the project is taken on at all)")
    assert report.earned[path] == 0
    assert report.projects["C1"].gap[0].text == "Start the pre-development ethics checklist"


@pytest.mark.parametrize("level,pre,found", [
    (0, "not-started", None), (1, "not-started", 1), (0, None, None), (1, None, 1),
    (4, "in-progress", None), (5, "in-progress", 5), (4, None, 1), (5, None, 5), (9, "not-started", 5),
    (5, "complete", None), (5, "not-applicable", None), (1, "not-applicable", None),
])
def test_ethics_pre_boundaries(write_card: WriteCard, tmp_path: Path, level: int, pre: str | None,
                               found: int | None) -> None:
    """Started from level 1 (not not-started, not missing); complete or not-applicable from 5.
    ``found`` is the level the one finding applies from."""
    one_card(write_card, level, ethics={"pre_development": pre} if pre else None)
    assert [f.applies_from for f in of(gates(tmp_path), "ethics-pre")] == ([found] if found is not None else [])


@pytest.mark.parametrize("level,pre,option,found", [
    (4, "in-progress", {"from": 4}, 4),
    (5, "in-progress", {"from": 6}, None),
    (2, "not-started", {"started": 3}, None),
    (3, "not-started", {"started": 3}, 3),
    (4, "not-started", {"started": None}, None),
    (5, "not-started", {"started": None}, 5),
])
def test_ethics_pre_options(write_card: WriteCard, tmp_path: Path, level: int, pre: str,
                            option: dict[str, Any], found: int | None) -> None:
    one_card(write_card, level, ethics={"pre_development": pre})
    found_from = [f.applies_from for f in of(gates(tmp_path, settings(ethics_pre=option)), "ethics-pre")]
    assert found_from == ([found] if found is not None else [])


def test_ethics_pre_not_given_points_at_the_level(write_card: WriteCard, tmp_path: Path) -> None:
    path = one_card(write_card, 5, ethics=None)
    finding = single(gates(tmp_path), "ethics-pre")
    assert finding.line == line_of(path, "level:")
    assert finding.message.startswith("ethics.pre_development is not given;")


def test_ethics_pre_lowers_the_earned_level_to_below_each_threshold(write_card: WriteCard, tmp_path: Path) -> None:
    write_card("dossiers/a/L6.md", GOOD_BODY, **good(6, project="A", ethics={"pre_development": "in-progress"}))
    write_card("dossiers/b/L6.md", GOOD_BODY, **good(6, project="B", ethics={"pre_development": "not-started"}))
    earned = gates(tmp_path).projects
    assert (earned["A"].earned, earned["B"].earned) == (4, 0)


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
    chosen = settings(versions=option) if option else POLICY
    fields = sorted(str(f.field) for f in of(gates(tmp_path, chosen), "versions"))
    assert fields == sorted(f"versions.{k}" for k in found)


# --- sections --------------------------------------------------------------------------------


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


def test_a_heading_alone_is_enough_for_the_sections_rule(write_card: WriteCard, tmp_path: Path) -> None:
    """sections asks for headings (the template's); the exit rules and monitoring ask for text."""
    one_card(write_card, 4, body=replaced("Intended use", "\n<!-- who uses it, for what -->\n"))
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


# --- monitoring --------------------------------------------------------------------------------

MONITORING = {"metrics": [{"name": "PSI per feature", "threshold": 0.2, "alert": "search on-call"}],
              "drift": ["weekly PSI against the training window"]}


@pytest.mark.parametrize("level,found", [(8, 0), (9, 1)])
def test_monitoring_from_level_9(write_card: WriteCard, tmp_path: Path, level: int, found: int) -> None:
    one_card(write_card, level, body=without("Monitoring"))
    assert len(of(gates(tmp_path), "monitoring")) == found


def test_monitoring_missing_is_located_and_lowers_the_earned_level(write_card: WriteCard, tmp_path: Path) -> None:
    path = one_card(write_card, 9, body=without("Monitoring"))
    report = gates(tmp_path)
    finding = single(report, "monitoring")
    assert_located(finding, "monitoring", path, body_line(path), "monitoring", 9)
    assert finding.message == ("the card does not say how the version in production is monitored (metrics with "
                               "alert thresholds and drift checks missing); monitoring applies from level 9")
    assert report.earned[path] == 8


@pytest.mark.parametrize("body", [
    replaced("Monitoring", "\n"),
    replaced("Monitoring", "\n<!-- metrics, alert thresholds, drift checks -->\n"),
    replaced("Monitoring", "\n<!--\nmetrics\n-->\n\n### Metrics\n"),
], ids=["heading-only", "comment-only", "comment-and-subheading"])
def test_a_monitoring_heading_without_text_does_not_count(write_card: WriteCard, tmp_path: Path, body: str) -> None:
    one_card(write_card, 9, body=body)
    assert len(of(gates(tmp_path), "monitoring")) == 1


def test_a_monitoring_section_with_text_under_a_subheading_counts(write_card: WriteCard, tmp_path: Path) -> None:
    one_card(write_card, 9, body=replaced("Monitoring", "\n### Metrics\n\nPSI, alert above 0.2.\n"))
    assert of(gates(tmp_path), "monitoring") == []


def test_the_monitoring_block_counts_with_metrics_and_drift(write_card: WriteCard, tmp_path: Path) -> None:
    one_card(write_card, 9, body=without("Monitoring"), monitoring=MONITORING)
    assert of(gates(tmp_path), "monitoring") == []


@pytest.mark.parametrize("block,missing", [
    ({"metrics": MONITORING["metrics"]}, "drift checks"),
    ({"drift": MONITORING["drift"]}, "metrics with alert thresholds"),
    ({"dashboard": "https://example.com/dash"}, "metrics with alert thresholds and drift checks"),
])
def test_a_monitoring_block_needs_metrics_and_drift(write_card: WriteCard, tmp_path: Path,
                                                   block: dict[str, Any], missing: str) -> None:
    path = one_card(write_card, 9, body=without("Monitoring"), monitoring=block)
    finding = single(gates(tmp_path), "monitoring")
    assert finding.line == line_of(path, "monitoring:")
    assert f"({missing} missing)" in finding.message


def test_monitoring_level_is_a_setting(write_card: WriteCard, tmp_path: Path) -> None:
    path = one_card(write_card, 8, body=without("Monitoring"))
    report = gates(tmp_path, settings(monitoring={"from": 8}))
    assert [f.applies_from for f in of(report, "monitoring")] == [8]
    assert report.earned[path] == 7
