"""The example dossier is clean and shows what the issue promised it would."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO
from mltrl_docs.dossier import build_dossier
from mltrl_docs.levels import Phase
from mltrl_docs.model import Dossier, SwitchbackKind
from mltrl_docs.settings import load_settings

SITE = REPO / "site_example"


@pytest.fixture(scope="module")
def dossier() -> Dossier:
    settings, findings = load_settings(SITE / "mltrl-docs.yml")
    assert settings is not None and findings == []
    return build_dossier(settings.sources, settings.glossary)


def test_check_passes_with_only_the_deliberate_gate_notes() -> None:
    """The example's policy makes risk-scored and sections notes: neuropath's L6 card shows
    both (and earns less than it declares), solar-array is limited by its coupled R02.1."""
    result = subprocess.run([sys.executable, "-m", "mltrl_docs", "check", str(SITE)], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stdout
    assert "0 errors, 0 warnings, 3 notes" in result.stdout
    notes = [line for line in result.stdout.splitlines() if ": info: " in line]
    assert [n.rsplit(" [", 1)[1] for n in notes] == ["risk-scored]", "sections]", "coupled-readiness]"]
    assert notes[0].startswith(str(Path("site_example/dossiers/neuropath/L6-2025-09-15.md")) + ":68:5") \
        or "neuropath/L6-2025-09-15.md:68:5" in notes[0]
    assert "16 glossary terms" in result.stdout  # 12 org terms + 4 of neuropath's own


def test_five_projects_with_several_cards_each(dossier: Dossier) -> None:
    assert len(dossier.projects) >= 5
    assert dossier.invalid_cards == [] and dossier.findings == []
    assert all(len(p.cards) >= 3 for p in dossier.projects.values())


def test_all_four_phases_appear(dossier: Dossier) -> None:
    assert {card.level.phase for card in dossier.cards} == set(Phase)


def switchbacks(dossier: Dossier) -> set[tuple[str, int, int, SwitchbackKind]]:
    return {(c.project_id, c.transition.from_level, c.level.number, c.transition.switchback)
            for c in dossier.cards if c.transition and c.transition.switchback}


def test_the_three_switchback_kinds_at_the_papers_levels(dossier: Dossier) -> None:
    found = {(f, t, k) for _, f, t, k in switchbacks(dossier)}
    assert (5, 4, SwitchbackKind.REVIEW) in found
    assert (3, 2, SwitchbackKind.DISCOVERY) in found
    assert (9, 4, SwitchbackKind.EMBEDDED) in found


def test_a_level_8_project_coupled_to_the_optimiser(dossier: Dossier) -> None:
    coupled = [p for p in dossier.projects.values() if p.current.level.number == 8 and p.current.coupled]
    assert coupled and all(other in dossier.projects for p in coupled for other in p.current.coupled)


def test_an_early_research_project(dossier: Dossier) -> None:
    assert any(p.current.level.number <= 2 and p.cards[0].level.number <= 1 for p in dossier.projects.values())


def test_requirements_reviewers_ethics_debt_versions(dossier: Dossier) -> None:
    cards = dossier.cards
    assert any(len(r.id.split(".")) == 3 for c in cards for r in c.requirements)
    assert all(c.reviewers for c in cards)
    assert any(c.ethics.pre_development for c in cards)
    assert any(c.tech_debt for c in cards)
    assert any(c.versions.code and c.versions.model and c.versions.data for c in cards)
    assert any(r.risk for c in cards for r in c.requirements)


def test_attachment_and_glossaries(dossier: Dossier) -> None:
    attachments = [a for p in dossier.projects.values() for a in p.attachments]
    assert any("ethics" in a.path.name for a in attachments)
    assert len(dossier.glossary) >= 5
    assert any(p.glossary for p in dossier.projects.values())
