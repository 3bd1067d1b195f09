"""Rules on acceptance criteria (mltrl_docs/gates/evidence.py): a verified requirement the
evidence contradicts is a finding at the criterion and no longer verified, so the earned level
drops; a failed one that now passes is a note; what cannot be judged is a located warning, and a
missing file is reported once, by the path rule."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from mltrl_docs.dossier import build_dossier
from mltrl_docs.findings import Severity
from mltrl_docs.gates import GateSettings, earned_level, evaluate, gap_to_next
from mltrl_docs.metrics import portfolio_metrics

from .support import (
    METRICS,
    POLICY,
    TODAY,
    WriteCard,
    assert_located,
    criterion,
    gap_rules,
    gates,
    history,
    load,
    of,
    one_card,
    req,
    risk,
    settings,
    single,
    with_evidence,
)

PRODUCT = req("2", "product", risk=risk())


def _value_line(path: Path, nth: int = 0) -> tuple[int, int]:
    """Line and column of the ``nth`` criterion's ``value:`` key in ``path``."""
    found = [(n, line.index("value:") + 1) for n, line in enumerate(path.read_text().split("\n"), 1)
             if "value:" in line]
    return found[nth]


def test_a_contradicted_requirement_is_a_finding_at_its_criterion(write_card: WriteCard, tmp_path: Path) -> None:
    path = with_evidence(one_card(write_card, 2, requirements=[req("1", acceptance=[criterion()]), PRODUCT]), METRICS)
    finding = single(gates(tmp_path), "evidence-contradicts")
    line, column = _value_line(path)
    assert_located(finding, "evidence-contradicts", path, line, "requirements[0].acceptance[0].value", None)
    assert finding.column == column
    assert finding.message == ("requirement 1 is verified, but its evidence misses acceptance criterion 'F1': "
                               "measured 0.64, needs >= 0.7 (evidence/metrics.json at 'test.f1'); it does not "
                               "count as verified")


def test_one_finding_per_missed_criterion_naming_its_slice(write_card: WriteCard, tmp_path: Path) -> None:
    path = with_evidence(one_card(write_card, 2, requirements=[req("1", acceptance=[
        criterion("test.f1", slice="snow"), criterion("test.runs.0.f1", slice="water"),
        criterion("test.f1", "<", 0.5, slice="desert", unit="points")])]), METRICS)
    found = of(gates(tmp_path), "evidence-contradicts")
    assert [(f.field, f.line) for f in found] == [("requirements[0].acceptance[0].value", _value_line(path)[0]),
                                                  ("requirements[0].acceptance[2].value", _value_line(path, 2)[0])]
    assert "criterion 'F1' (slice snow)" in found[0].message
    assert "measured 0.64 points, needs < 0.5 points" in found[1].message


def test_failing_tests_contradict_at_the_tests_field(write_card: WriteCard, tmp_path: Path) -> None:
    junit = ("<testsuites><testsuite name='unit'><testcase classname='tests.test_mask' name='test_a'/>"
             "<testcase classname='tests.test_mask' name='test_b'><failure/></testcase></testsuite></testsuites>")
    path = with_evidence(one_card(write_card, 2, requirements=[req("1", acceptance=[
        {"tests": "evidence/junit.xml", "select": "tests.test_mask"}])]), junit, "evidence/junit.xml")
    finding = single(gates(tmp_path), "evidence-contradicts")
    assert finding.field == "requirements[0].acceptance[0].tests"
    assert finding.line == next(n for n, line in enumerate(path.read_text().split("\n"), 1) if "tests:" in line)
    assert "tests evidence/junit.xml at 'tests.test_mask': 1 passed, 1 failed" in finding.message


def test_passing_evidence_and_other_statuses_are_no_contradiction(write_card: WriteCard, tmp_path: Path) -> None:
    with_evidence(one_card(write_card, 2, requirements=[
        req("1", acceptance=[criterion("test.runs.0.f1")]),
        req("1.1", status="in-progress", acceptance=[criterion()]),
        req("1.2", status="waived", reason="Out of scope.", acceptance=[criterion()]),
    ]), METRICS)
    assert gates(tmp_path).findings == ()


def test_a_contradicted_research_requirement_lowers_the_earned_level_of_later_cards(
        write_card: WriteCard, tmp_path: Path) -> None:
    """The level-4 card's requirement 1 is declared verified; its evidence misses: leaving level 4
    needs it verified, so the level-5 card earns 4, until the rule is turned off."""
    paths = history(write_card, [4, 5], {0: {"requirements": [req("1", acceptance=[criterion()]), PRODUCT]}})
    with_evidence(paths[0], METRICS)
    report = gates(tmp_path)
    assert report.earned == {paths[0]: 4, paths[1]: 4}
    [leave] = of(report, "leave-research")
    assert leave.path == paths[0] and leave.message.startswith(
        "research requirement 1 is verified, but its evidence misses an acceptance criterion")
    assert {f.rule for f in report.findings} == {"leave-research", "evidence-contradicts"}
    off = gates(tmp_path, settings(evidence_contradicts="off"))
    assert off.earned == {paths[0]: 4, paths[1]: 5} and off.findings == ()
    assert gates(tmp_path, settings(evidence_contradicts="info")).earned[paths[1]] == 4


def test_the_earned_level_holds_when_the_evidence_passes(write_card: WriteCard, tmp_path: Path) -> None:
    paths = history(write_card, [4, 5], {0: {"requirements": [req("1", acceptance=[criterion("test.runs.0.f1")]),
                                                            PRODUCT]}})
    with_evidence(paths[0], METRICS)
    report = gates(tmp_path)
    assert report.earned == {paths[0]: 4, paths[1]: 5} and report.findings == ()


def test_the_gap_of_a_level_8_card_asks_for_the_criteria_to_be_met(write_card: WriteCard, tmp_path: Path) -> None:
    path = with_evidence(one_card(write_card, 8, requirements=[
        req("1"), req("2", "product", risk=risk(), acceptance=[criterion()])]), METRICS)
    report = gates(tmp_path)
    assert "leave-product" in gap_rules(report)
    [item] = [g for g in report.projects["C1"].gap if g.rule == "leave-product"]
    assert item.text == "Meet the acceptance criteria of product requirement 2 (its evidence contradicts verified)"
    dossier = load(tmp_path)
    project = dossier.projects["C1"]
    assert [g.rule for g in gap_to_next(project, GateSettings(), dossier, TODAY)] == gap_rules(report)
    assert earned_level(project.cards[0], project, GateSettings(), dossier, TODAY) == 8
    assert path.exists()


def test_a_failed_requirement_the_evidence_now_passes_is_a_note(write_card: WriteCard, tmp_path: Path) -> None:
    path = with_evidence(one_card(write_card, 2, requirements=[
        req("1"), req("2", status="failed", acceptance=[criterion("test.runs.0.f1")])]), METRICS)
    finding = single(gates(tmp_path), "evidence-passes")
    line = next(n for n, text in enumerate(path.read_text().split("\n"), 1) if "status: failed" in text)
    assert_located(finding, "evidence-passes", path, line, "requirements[1].status", None, Severity.INFO)
    assert finding.message == ("requirement 2 is failed, but its evidence now meets every acceptance criterion "
                               "('F1' measured 0.71, needs >= 0.7 (evidence/metrics.json at 'test.runs.0.f1'))")


def test_a_failed_requirement_whose_evidence_still_fails_is_no_note(write_card: WriteCard, tmp_path: Path) -> None:
    with_evidence(one_card(write_card, 2, requirements=[req("1"), req("2", status="failed",
                                                                   acceptance=[criterion()])]), METRICS)
    assert gates(tmp_path).findings == ()


def test_a_criterion_that_cannot_be_judged_is_a_located_warning(write_card: WriteCard, tmp_path: Path) -> None:
    path = with_evidence(one_card(write_card, 2, requirements=[req("1", acceptance=[criterion("test.f2")])]),
                         METRICS)
    finding = single(gates(tmp_path), "evidence-unreadable")
    line = next(n for n, text in enumerate(path.read_text().split("\n"), 1) if "select: test.f2" in text)
    assert_located(finding, "evidence-unreadable", path, line, "requirements[0].acceptance[0].select", None)
    assert finding.message == ("acceptance criterion 'F1' of requirement 1 cannot be judged: 'evidence/metrics.json' "
                               "at 'test.f2': there is no key 'f2' under test (keys: f1, runs)")
    assert "dotted path" in (finding.hint or "")


def test_a_malformed_file_is_located_at_the_source(write_card: WriteCard, tmp_path: Path) -> None:
    path = with_evidence(one_card(write_card, 2, requirements=[req("1", acceptance=[criterion()])]), '{"test": ')
    finding = single(gates(tmp_path), "evidence-unreadable")
    assert finding.field == "requirements[0].acceptance[0].source"
    assert finding.line == next(n for n, text in enumerate(path.read_text().split("\n"), 1) if "source:" in text)
    assert "cannot be read as JSON: not valid JSON" in finding.message


def test_a_missing_evidence_file_is_reported_once(write_card: WriteCard, tmp_path: Path) -> None:
    path = one_card(write_card, 2, requirements=[req("1", acceptance=[criterion()])])
    checked = build_dossier([tmp_path / "dossiers"], gates=POLICY, today=TODAY)
    assert [(f.rule, f.severity, f.field) for f in checked.findings if f.path == path] == [
        ("path", Severity.ERROR, "requirements[0].acceptance[0].source")]


def test_the_checked_dossier_carries_the_report_the_gates_used(write_card: WriteCard, tmp_path: Path) -> None:
    """Judged once, before the gates: the same report on the CheckedDossier, applied as the policy
    says; the metrics' counts follow it."""
    with_evidence(one_card(write_card, 2, requirements=[req("1", acceptance=[criterion()]), req("1.1")]), METRICS)
    checked = build_dossier([tmp_path / "dossiers"], gates=POLICY, today=TODAY)
    card = checked.cards[0]
    assert checked.evidence.applied and [r.id for r in card.requirements if checked.evidence.verified(card, r)] == [
        "1.1"]
    assert [f.rule for f in checked.findings] == ["evidence-contradicts"]
    metrics = portfolio_metrics(checked.dossier, checked.today, checked.evidence)
    assert (metrics.requirements[-1].verified, metrics.requirements[-1].listed) == (1, 2)
    unjudged = build_dossier([tmp_path / "dossiers"], today=TODAY)  # no gate policy: every card earns its level
    assert not unjudged.evidence.applied and unjudged.findings == ()
    assert unjudged.evidence.requirements.keys() == checked.evidence.requirements.keys()


@pytest.mark.parametrize("severity", ["error", "info"])
def test_the_severity_is_the_sites(write_card: WriteCard, tmp_path: Path, severity: str) -> None:
    with_evidence(one_card(write_card, 2, requirements=[req("1", acceptance=[criterion()])]), METRICS)
    report = evaluate(load(tmp_path), settings(evidence_contradicts=severity), dt.date(2030, 1, 1))
    assert [f.severity.value for f in report.findings] == [severity]
