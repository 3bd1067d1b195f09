"""The example dossier is clean and shows what the issue promised it would."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO
from mltrl_docs.dossier import CheckedDossier, build_site
from mltrl_docs.findings import Severity
from mltrl_docs.levels import Phase
from mltrl_docs.model import CardStatus, Decision, SwitchbackKind
from mltrl_docs.settings import load_settings

SITE = REPO / "site_example"


@pytest.fixture(scope="module")
def dossier() -> CheckedDossier:
    settings, findings = load_settings(SITE / "mltrl-docs.yml")
    assert settings is not None and findings == []
    return build_site(settings, today=dt.date(2026, 12, 1))


def test_check_passes_with_only_the_deliberate_gate_notes() -> None:
    """The example's policy makes risk-scored, sections and evidence-contradicts notes: mvbo's
    requirement 1.2 is contradicted by its evidence, neuropath's L6 card shows the other two (and
    earns less than it declares), solar-array is limited by its coupled R02.1. The check reads git's
    history as a build does: stale notes a current card unchanged for a year (which, as time goes
    by, depends on the day and on the history in the clone), and no evidence is suspect."""
    result = subprocess.run([sys.executable, "-m", "mltrl_docs", "check", str(SITE)], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stdout
    assert "0 errors, 0 warnings" in result.stdout
    notes = [line for line in result.stdout.splitlines() if ": note: " in line]
    settings, _ = load_settings(SITE / "mltrl-docs.yml")
    assert settings is not None
    built = build_site(settings, provenance=True)  # what the check reads: the cards and their history
    assert [n.rsplit(" [", 1)[1][:-1] for n in notes] == [f.rule for f in built.findings]
    notes = [note for note in notes if not note.endswith("[stale]")]
    assert [n.rsplit(" [", 1)[1] for n in notes] == ["evidence-contradicts]", "risk-scored]", "sections]",
                                                     "coupled-readiness]"]
    assert notes[0].startswith(str(Path("site_example/dossiers/mvbo/L4-2026-02-16.md")) + ":69:9")
    assert notes[1].startswith(str(Path("site_example/dossiers/neuropath/L6-2025-09-15.md")) + ":68:5") \
        or "neuropath/L6-2025-09-15.md:73:5" in notes[1]
    assert "16 glossary terms" in result.stdout  # 12 org terms + 4 of neuropath's own


def test_stale_notes_only_neuropath_at_the_example_build_date(dossier: CheckedDossier) -> None:
    """The stale rule's default (365 days) is chosen from the example: as of 2026-12-01, by the cards'
    dates, the current cards are 50 to 288 days old except neuropath's L6 (442 days)."""
    (stale,) = [f for f in dossier.findings if f.rule == "stale"]
    assert stale.severity is Severity.INFO and stale.path.name == "L6-2025-09-15.md" and stale.project == "P07.1"
    assert "unchanged for 442 days (entered 2025-09-15, no later change known)" in stale.message
    ages = sorted((dt.date(2026, 12, 1) - p.current.date).days for p in dossier.projects.values())
    assert ages == [50, 148, 176, 288, 442]


def test_five_projects_with_several_cards_each(dossier: CheckedDossier) -> None:
    assert len(dossier.projects) >= 5
    assert dossier.invalid_cards == []
    assert [f.rule for f in dossier.findings] == ["evidence-contradicts", "stale", "risk-scored", "sections",
                                                  "coupled-readiness"]
    assert {f.severity for f in dossier.findings} == {Severity.INFO}
    assert all(len(p.cards) >= 3 for p in dossier.projects.values())


def test_all_four_phases_appear(dossier: CheckedDossier) -> None:
    assert {card.level.phase for card in dossier.cards} == set(Phase)


def switchbacks(dossier: CheckedDossier) -> set[tuple[str, int, int, SwitchbackKind]]:
    return {(c.project_id, c.transition.from_level, c.level.number, c.transition.switchback)
            for c in dossier.cards if c.transition and c.transition.switchback}


def test_the_three_switchback_kinds_at_the_papers_levels(dossier: CheckedDossier) -> None:
    found = {(f, t, k) for _, f, t, k in switchbacks(dossier)}
    assert (5, 4, SwitchbackKind.REVIEW) in found
    assert (3, 2, SwitchbackKind.DISCOVERY) in found
    assert (9, 4, SwitchbackKind.EMBEDDED) in found


def test_a_level_8_project_coupled_to_the_optimiser(dossier: CheckedDossier) -> None:
    coupled = [p for p in dossier.projects.values() if p.current.level.number == 8 and p.current.coupled]
    assert coupled and all(other in dossier.projects for p in coupled for other in p.current.coupled)


def test_an_early_research_project(dossier: CheckedDossier) -> None:
    assert any(p.current.level.number <= 2 and p.cards[0].level.number <= 1 for p in dossier.projects.values())


def test_requirements_reviewers_ethics_debt_versions(dossier: CheckedDossier) -> None:
    cards = dossier.cards
    assert any(len(r.id.split(".")) == 3 for c in cards for r in c.requirements)
    assert all(c.reviewers for c in cards)
    assert any(c.ethics.pre_development for c in cards)
    assert any(c.tech_debt for c in cards)
    assert any(c.versions.code and c.versions.model and c.versions.data for c in cards)
    assert any(r.risk for c in cards for r in c.requirements)


def test_attachment_and_glossaries(dossier: CheckedDossier) -> None:
    attachments = [a for p in dossier.projects.values() for a in p.attachments]
    assert any("ethics" in a.path.name for a in attachments)
    assert len(dossier.dossier.glossary) >= 5
    assert any(p.glossary for p in dossier.projects.values())


def test_declared_earned_and_system_levels(dossier: CheckedDossier) -> None:
    """neuropath claims 6 and earns 3 (the two deliberate notes); solar-array earns its 8 but
    its system is held at mvbo's earned 4; every card the projects have left earns its level."""
    levels = {pid: (g.declared, g.earned, g.readiness.level, g.readiness.declared)
              for pid, g in dossier.gates.projects.items()}
    assert levels == {"R11.1": (2, 2, 2, 2), "P04.3": (5, 5, 5, 5), "R02.1": (4, 4, 4, 4),
                      "P07.1": (6, 3, 3, 6), "P12.2": (8, 8, 4, 4)}
    assert dossier.gates.projects["P12.2"].readiness.limiting == ("R02.1",)
    for project in dossier.projects.values():
        for card in project.cards[:-1]:
            assert dossier.gates.earned[card.path] == card.level.number, card.path


def test_reviewer_roles_and_the_reviews_that_sent_a_level_back(dossier: CheckedDossier) -> None:
    """Format 1.1 roles where they fit (three v1 cards stay v1); from level 7 every approved
    card has QA and product approvals; the two review switchbacks follow rejected cards."""
    assert {c.format for c in dossier.cards} == {"1", "1.1", "1.2"}
    for card in dossier.cards:
        if card.format != "1":
            assert all(r.role for r in card.reviewers), card.path
        if card.level.number >= 7 and card.status is CardStatus.APPROVED:
            approving = {r.role for r in card.reviewers if r.decision is Decision.APPROVED}
            assert {"qa", "product"} <= approving, card.path
    rejected = {c.path.name for c in dossier.cards if c.status is CardStatus.REJECTED}
    assert rejected == {"L5-2023-10-09.md", "L8-2025-11-17.md"}
    assert not any(dossier.gates.approved[c.path] for c in dossier.cards if c.path.name in rejected)
    assert any(r.requested for c in dossier.cards for r in c.reviewers)


def test_cloud_mask_datasets_deployment_tests_and_monitoring(dossier: CheckedDossier) -> None:
    cards = {c.path.name: c for c in dossier.projects["P04.3"].cards}
    level9 = cards["L9-2023-03-06.md"]
    assert level9.monitoring is not None and level9.monitoring.metrics and level9.monitoring.drift
    assert {d.role.value for d in level9.datasets if d.role} == {"train", "test", "monitoring"}
    assert {t.kind.value for t in cards["L8-2022-11-21.md"].deployment_tests} == {"shadow", "canary"}
    assert any(d.slices for d in cards["L7-2022-05-16.md"].datasets)
    requirement = next(r for r in level9.requirements if r.id == "6")
    assert requirement.validation is not None and requirement.risk is not None and requirement.risk.mitigation


def test_anomaly_left_level_0_with_its_hypotheses_plan_and_data_readiness(dossier: CheckedDossier) -> None:
    level0 = dossier.projects["R11.1"].cards[0]
    assert level0.level.number == 0
    assert {"hypotheses", "research plan", "data readiness"} <= {s.key for s in level0.body.sections}


def test_acceptance_criteria_read_json_csv_and_junit_with_one_deliberate_contradiction(
        dossier: CheckedDossier) -> None:
    """Three format 1.2 cards check requirements against JSON, CSV and JUnit XML evidence next to
    them, per data slice where the requirement names slices; every criterion is read, and one
    misses: mvbo's requirement 1.2 (2.4% duplicate proposals, under 2% asked), declared verified."""
    from mltrl_docs.evidence import Verdict

    found = dossier.evidence.requirements.values()
    assert {c.path.name for c in dossier.cards if c.format == "1.2"} == {
        "L4-2026-02-16.md", "L5-2026-10-12.md", "L5-2024-11-04.md"}
    assert {r.reader for e in found for r in e.results} == {"JSON", "CSV", "JUnit XML"}
    assert all(r.problem is None for e in found for r in e.results)
    assert any(len({r.criterion.slice for r in e.results}) >= 5 for e in found)
    [contradicted] = [e for e in found if e.contradicts]
    assert (contradicted.card.name, contradicted.requirement.id, contradicted.verdict) == (
        "L4-2026-02-16.md", "1.2", Verdict.FAILED)
    [result] = contradicted.results
    assert (result.measured, result.op, result.threshold, result.passed) == (0.024, "<", 0.02, False)
    assert all(e.verdict is Verdict.PASSED for e in found if e is not contradicted)
    mvbo = dossier.projects["R02.1"]
    assert not dossier.evidence.verified(mvbo.current, contradicted.requirement)
    assert next(g.text for g in dossier.gates.projects["R02.1"].gap if g.rule == "leave-research").startswith(
        "Meet the acceptance criteria of research requirement 1.2")
