"""Fuzzing the gate engine: small generated dossiers (1-4 projects, 1-6 cards each, some
cards in format 1.1 with reviewer roles, datasets, monitoring and deployment tests, bodies
with or without the sections the exit rules read) built with gates on, under the default
policy and under random severities and options, as of a random day. Nothing raises; no card
earns more than it declares; every finding is located and carries its rule's configured
severity; an approval holds only on an approved card; the gap checklist renders for every
project; and the engine keeps its documented promises (only ``off`` changes an earned
level, turning a rule off never lowers one, an exit rule's finding holds later cards down,
a system stands no higher than any member earns).

Budgets come from the hypothesis profile (conftest.py, docs/fuzzing.md).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from types import MappingProxyType
from typing import Any

from hypothesis import example, given, note
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from fuzz_strategies import (
    RULE_OPTIONS,
    budget,
    check_finding,
    dossier_files,
    gate_settings_data,
    line_counts,
    tree,
)
from mltrl_docs import schema
from mltrl_docs.dossier import CheckedDossier, build_dossier
from mltrl_docs.findings import Severity
from mltrl_docs.gates import (
    BY_NAME,
    RULES,
    GateReport,
    GateSettings,
    Scope,
    advanced_from,
    evaluate,
)
from mltrl_docs.model import CardStatus, Dossier
from mltrl_docs.report import gap_json, gap_text
from mltrl_docs.resources import load_schema

gate_settings = st.one_of(st.just(GateSettings()), gate_settings_data().map(GateSettings.from_data))
days = st.one_of(st.dates(dt.date(1990, 1, 1), dt.date(2100, 1, 1)), st.dates())
EXITS = [rule for rule in RULES if rule.scope is Scope.EXIT]


def with_severities(settings: GateSettings, severities: dict[str, Severity | None]) -> GateSettings:
    return dataclasses.replace(settings, severities=MappingProxyType(severities))


def check_gates(checked: CheckedDossier, settings: GateSettings) -> None:
    report = checked.gates
    for card in checked.cards:
        earned = report.earned[card.path]
        assert 0 <= earned <= card.level.number, (card.path.name, earned, card.level.number)
        assert not report.approved[card.path] or card.status is CardStatus.APPROVED, card.path.name
    for project_id, project in checked.projects.items():
        gates = report.projects.get(project_id)
        if project.current is None:
            assert gates is None
            continue
        assert gates is not None
        assert gates.declared == project.current.level.number
        assert gates.earned == report.earned[project.current.path] <= gates.declared
        assert gates.approved == report.approved[project.current.path]
        readiness = gates.readiness
        assert readiness.project == project_id and readiness.members[0] == project_id
        assert readiness.level is not None and readiness.declared is not None
        assert readiness.level <= gates.earned and readiness.declared <= gates.declared
        assert readiness.level <= readiness.declared
        assert all(item.text.strip() and item.rule in BY_NAME for item in gates.gap)
        assert isinstance(gates.gap, tuple)
        if gates.declared >= 9:
            assert gates.gap == ()
    for finding in report.findings:
        assert finding.rule in BY_NAME
        assert finding.severity is settings.severity(finding.rule), finding
        assert finding.project in checked.projects
    check_exits(checked.dossier, report, settings)


def check_exits(dossier: Dossier, report: GateReport, settings: GateSettings) -> None:
    """An exit rule's finding is on a card its project advanced from at the rule's level, and
    every later card whose latest such exit is that card earns no more than that level."""
    for rule in EXITS:
        if settings.severity(rule.name) is None:
            continue
        assert rule.exit_level is not None
        left = settings.option(rule.name, rule.exit_level)
        failed = {f.path for f in report.findings if f.rule == rule.name}
        for project in dossier.projects.values():
            exits = advanced_from(project, left)
            assert {f for f in failed if any(c.path == f for c in project.cards)} <= {c.path for c in exits}
            for index, card in enumerate(project.cards):
                before = [c for c in exits if project.cards.index(c) < index]
                if card.level.number > left and before and before[-1].path in failed:
                    assert report.earned[card.path] <= left, (rule.name, card.path.name, report.earned[card.path])


def test_the_generated_options_are_every_rules_options() -> None:
    """The settings generator keeps up with the rule list: every option of every rule."""
    assert {name: set(options) for name, options in RULE_OPTIONS.items()} == {
        rule.name: {option.name for option in rule.options} for rule in RULES if rule.options}


@budget(0.5)
@given(dossier_files(format_11=True), gate_settings, days)
def test_gates_on_generated_dossiers(files: dict[str, str], settings: GateSettings, today: dt.date) -> None:
    with tree(files) as root:
        checked = build_dossier([root / "src"], gates=settings, today=today)
        lines = line_counts(root, files)
        for finding in checked.findings:
            check_finding(finding, root, lines, positioned=finding.rule in BY_NAME)
        check_gates(checked, settings)
        for project_id in checked.projects:
            text = gap_text(project_id, checked)
            assert text.startswith(project_id) and text.endswith("\n")
            gap = json.loads(gap_json(project_id, checked))
            assert gap["project"] == project_id
            Draft202012Validator(load_schema("next-output")).validate(gap)


@budget(0.4)
@given(dossier_files(format_11=True), gate_settings, st.data())
def test_only_off_changes_earned_levels(files: dict[str, str], settings: GateSettings, data: st.DataObject) -> None:
    """engine.py: every enabled rule counts towards the earned level whatever its severity;
    turning rules off never lowers an earned level, and with every rule off each card earns
    what it declares."""
    with tree(files) as root:
        dossier = build_dossier([root / "src"]).dossier
        today = dt.date(2030, 1, 1)
        base = evaluate(dossier, settings, today).earned
        reseverity = {rule: (None if severity is None else data.draw(st.sampled_from(list(Severity))))
                      for rule, severity in settings.severities.items()}
        assert evaluate(dossier, with_severities(settings, reseverity), today).earned == base
        off = data.draw(st.lists(st.sampled_from(list(BY_NAME)), min_size=1, unique=True))
        note(f"turned off: {off}")
        fewer = evaluate(dossier, with_severities(settings, {**settings.severities, **dict.fromkeys(off)}), today)
        for path, earned in base.items():
            assert fewer.earned[path] >= earned, path.name
        none = evaluate(dossier, GateSettings.none(), today)
        assert none.findings == ()
        for card in dossier.cards:
            assert none.earned[card.path] == card.level.number
            assert none.approved[card.path] is (card.status is CardStatus.APPROVED)


@budget(0.3)
@given(dossier_files(format_11=True), gate_settings)
def test_card_and_project_rules_never_change_an_earned_level(files: dict[str, str], settings: GateSettings) -> None:
    """Only LEVEL and EXIT rules decide earned levels: turning every CARD and PROJECT rule off
    changes none."""
    with tree(files) as root:
        dossier = build_dossier([root / "src"]).dossier
        today = dt.date(2030, 1, 1)
        base = evaluate(dossier, settings, today)
        others = {rule.name: None for rule in RULES if rule.scope in (Scope.CARD, Scope.PROJECT)}
        assert evaluate(dossier, with_severities(settings, {**settings.severities, **others}), today).earned == \
            base.earned


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


@budget(0.3)
@given(dossier_files(max_projects=3, max_cards=3, format_11=True))
@example(COUPLED_EXAMPLE)
def test_system_readiness_is_at_most_what_each_member_earns(files: dict[str, str]) -> None:
    with tree(files) as root:
        checked = build_dossier([root / "src"], gates=GateSettings())
        for gates in checked.gates.projects.values():
            if not gates.readiness.coupled or gates.readiness.level is None:
                continue
            for member in gates.readiness.members:
                earned = checked.gates.projects.get(member)
                if earned is not None:
                    assert gates.readiness.level <= earned.earned, (gates.readiness, member, earned.earned)
            limiting = [checked.gates.projects[m] for m in gates.readiness.limiting]
            assert limiting and all(m.earned >= gates.readiness.level for m in limiting)
