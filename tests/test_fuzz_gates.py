"""Fuzzing the gate engine: small generated dossiers (1-4 projects, 1-6 cards each) built
with gates on, under the default policy and under random severities and thresholds, as of
a random day. Nothing raises; no card earns more than it declares; every finding is
located and carries its rule's configured severity; the gap checklist renders for every
project; and the engine keeps its documented promises (only ``off`` changes an earned
level, turning a rule off never lowers one).

Budgets come from the hypothesis profile (conftest.py, docs/fuzzing.md).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from types import MappingProxyType
from typing import Any

import pytest
from fuzz_strategies import (
    budget,
    check_finding,
    dossier_files,
    gate_settings_data,
    line_counts,
    tree,
)
from hypothesis import Phase, example, given, note, settings
from hypothesis import strategies as st

from mltrl_docs import schema
from mltrl_docs.dossier import build_dossier
from mltrl_docs.findings import Severity
from mltrl_docs.gates import LEVEL_DEPENDENT, RULES, GateSettings, evaluate
from mltrl_docs.model import Dossier
from mltrl_docs.report import gap_json, gap_text

gate_settings = st.one_of(st.just(GateSettings()), gate_settings_data().map(GateSettings.from_data))
days = st.one_of(st.dates(dt.date(1990, 1, 1), dt.date(2100, 1, 1)), st.dates())


def with_severities(settings: GateSettings, severities: dict[str, Severity | None]) -> GateSettings:
    return dataclasses.replace(settings, severities=MappingProxyType(severities))


def check_gates(dossier: Dossier, settings: GateSettings) -> None:
    report = dossier.gates
    assert report is not None
    for card in dossier.cards:
        earned = report.earned[card.path]
        assert 0 <= earned <= card.level.number, (card.path.name, earned, card.level.number)
    for project_id, project in dossier.projects.items():
        gates = report.projects.get(project_id)
        if project.current is None:
            assert gates is None
            continue
        assert gates is not None
        assert gates.declared == project.current.level.number
        assert gates.earned == report.earned[project.current.path] <= gates.declared
        assert gates.readiness.project == project_id and gates.readiness.members[0] == project_id
        assert gates.readiness.level is None or gates.readiness.level <= gates.declared
        assert all(item.text.strip() and item.rule in RULES for item in gates.gap)
        if gates.declared >= 9:
            assert gates.gap == []
    for finding in report.findings:
        assert finding.rule in RULES
        assert finding.severity is settings.severity(finding.rule), finding
        assert finding.project in dossier.projects


@budget(0.5)
@given(dossier_files(), gate_settings, days)
def test_gates_on_generated_dossiers(files: dict[str, str], settings: GateSettings, today: dt.date) -> None:
    with tree(files) as root:
        dossier = build_dossier([root / "src"], gates=settings, today=today)
        lines = line_counts(root, files)
        for finding in dossier.findings:
            check_finding(finding, root, lines, positioned=finding.rule in RULES)
        check_gates(dossier, settings)
        for project_id in dossier.projects:
            text = gap_text(project_id, dossier)
            assert text.startswith(project_id) and text.endswith("\n")
            assert json.loads(gap_json(project_id, dossier))["project"] == project_id


@budget(0.4)
@given(dossier_files(), gate_settings, st.data())
def test_only_off_changes_earned_levels(files: dict[str, str], settings: GateSettings, data: st.DataObject) -> None:
    """gates.py: every enabled rule counts towards the earned level whatever its severity;
    turning rules off never lowers an earned level, and with every rule off each card earns
    what it declares."""
    with tree(files) as root:
        dossier = build_dossier([root / "src"])
        today = dt.date(2030, 1, 1)
        base = evaluate(dossier, settings, today).earned
        reseverity = {rule: (None if severity is None else data.draw(st.sampled_from(list(Severity))))
                      for rule, severity in settings.severities.items()}
        assert evaluate(dossier, with_severities(settings, reseverity), today).earned == base
        off = data.draw(st.lists(st.sampled_from(sorted(LEVEL_DEPENDENT)), min_size=1, unique=True))
        note(f"turned off: {off}")
        fewer = evaluate(dossier, with_severities(settings, {**settings.severities, **dict.fromkeys(off)}), today)
        for path, earned in base.items():
            assert fewer.earned[path] >= earned, path.name
        none = evaluate(dossier, with_severities(settings, dict.fromkeys(RULES)), today)
        assert none.findings == []
        for card in dossier.cards:
            assert none.earned[card.path] == card.level.number


@budget(0.2)
@given(gate_settings_data())
def test_generated_gate_settings_are_valid_settings(gates: dict[str, Any]) -> None:
    """The generator above only makes settings the schema accepts (else the gates test
    would test settings no site can have)."""
    assert list(schema.validator("settings").iter_errors({"sources": ["d"], "gates": gates})) == []


COUPLED_EXAMPLE = {
    "src/A/L1.md": "---\nmltrl: 1\nproject: A\ntitle: a\nlevel: 1\ndate: 2021-01-01\nstatus: draft\n"
                   "owners: [o]\ncoupled: [B]\nethics: {pre_development: complete}\n---\n"
                   "**TL;DR**: a\n\n## Model / algorithm info\n\nx\n",
    "src/B/L3.md": "---\nmltrl: 1\nproject: B\ntitle: b\nlevel: 3\ndate: 2021-01-01\nstatus: draft\n"
                   "owners: [o]\n---\n",
}
"""A (level 1, earns 1) is coupled with B, which declares level 3 and earns 0 (no sections)."""


@pytest.mark.xfail(strict=True, reason="gates.md: the coupled system's readiness is the lowest *earned* level; "
                                       "readiness.py takes the lowest *declared* level (reported to the lead)")
@settings(phases=[Phase.explicit])
@given(dossier_files(max_projects=3, max_cards=3))
@example(COUPLED_EXAMPLE)
def test_system_readiness_is_at_most_what_each_member_earns(files: dict[str, str]) -> None:
    """Explicit example only (the generated search finds it at once and shrinking costs 20 s);
    drop the phases setting when readiness follows gates.md."""
    with tree(files) as root:
        dossier = build_dossier([root / "src"], gates=GateSettings())
        assert dossier.gates is not None
        for gates in dossier.gates.projects.values():
            if not gates.readiness.coupled or gates.readiness.level is None:
                continue
            for member in gates.readiness.members:
                earned = dossier.gates.projects.get(member)
                if earned is not None:
                    assert gates.readiness.level <= earned.earned, (gates.readiness, member, earned.earned)
