"""The gate policy as a site sets it (mltrl_docs/gates/settings.py): GateSettings'
defaults, GateSettings.none(), from_data (severities, switches, options) and the settings
schema's checks of the ``gates:`` mapping."""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

import pytest

from mltrl_docs import schema
from mltrl_docs.findings import Position, Severity
from mltrl_docs.gates import BY_NAME, DEFAULT_SECTIONS, RULES, GateSettings
from mltrl_docs.yamldata import read_yaml

DEFAULTS = {rule.name: rule.severity for rule in RULES}

FULL_SETTINGS = """
sources: [dossiers]
gates:
  review: warning
  review-roles: {table: {7: [qa, product]}}
  research-requirements: {severity: warning, from: 2, to: 5}
  product-requirements: {from: 5, to: null}
  leave-first-principles: {level: 0, sections: [Hypotheses, Research plan, Data readiness]}
  leave-research: {level: 4}
  leave-capability: {level: 5, links: [demo, examples, api]}
  leave-integrations: {level: 7}
  leave-product: {level: 8}
  leave-flight-ready: {level: 8, links: [datasheet]}
  waiver-reason: "on"
  evidence-contradicts: warning
  evidence-passes: info
  evidence-unreadable: warning
  suspect-evidence: warning
  risk-scored: {from: 5}
  high-risk-open: {from: 7, score: 15}
  ethics-pre: {started: 1, from: 5}
  ethics-post: {from: 8}
  ethics-answers: warning
  versions: {code: 3, model: 4, data: 4}
  sections:
    table: {0: ["TL;DR", "Model / algorithm info"], 2: ["Data considerations"], 3: ["Testing status"],
            4: ["Intended use", "Caveats, known edge cases, recommendations"]}
  monitoring: {from: 9}
  debrief: true
  switchback-known: true
  embedded-switchback: {pairs: [[4, 2], [9, 4]]}
  coupled-readiness: info
  stale: {severity: info, days: 365}
"""
"""Every rule with every option at its default, written out."""


def test_defaults_are_gates_md() -> None:
    defaults = GateSettings()
    assert GateSettings.from_data(None) == defaults == GateSettings.from_data({})
    assert {name: defaults.severity(name) for name in BY_NAME} == DEFAULTS
    assert DEFAULTS["coupled-readiness"] is Severity.INFO and DEFAULTS["stale"] is Severity.INFO
    assert DEFAULTS["evidence-passes"] is Severity.INFO and DEFAULTS["suspect-evidence"] is Severity.WARNING
    assert defaults.option("stale", "days") == 365
    assert {name for name, severity in DEFAULTS.items() if severity is Severity.WARNING} == set(BY_NAME) - {
        "coupled-readiness", "evidence-passes", "stale"}
    assert dict(defaults.option("sections", "table")) == dict(DEFAULT_SECTIONS)
    assert (defaults.option("research-requirements", "from"), defaults.option("research-requirements", "to"),
            defaults.option("product-requirements", "from"), defaults.option("product-requirements", "to")) == (
        2, 5, 5, None)
    assert dict(defaults.option("review-roles", "table")) == {7: ("qa", "product")}
    assert (defaults.option("ethics-pre", "started"), defaults.option("ethics-pre", "from")) == (1, 5)
    assert defaults.option("monitoring", "from") == 9
    assert [defaults.option("versions", key) for key in ("code", "model", "data")] == [3, 4, 4]


def test_every_option_defaults_to_its_record() -> None:
    defaults = GateSettings()
    for rule in RULES:
        for option in rule.options:
            assert defaults.option(rule.name, option.name) == option.default, (rule.name, option.name)


def test_enabled_rules_are_in_catalogue_order() -> None:
    assert [rule.name for rule in GateSettings().enabled()] == list(BY_NAME)
    assert GateSettings.none().enabled() == ()
    assert [rule.name for rule in GateSettings.from_data({"stale": False, "review": "off"}).enabled()] == [
        name for name in BY_NAME if name not in ("review", "stale")]


def test_none_turns_every_rule_off() -> None:
    none = GateSettings.none()
    assert all(none.severity(name) is None and not none.blocks(name) for name in BY_NAME)
    assert none.option("high-risk-open", "score") == 15


def test_the_full_settings_file_validates_and_reads_as_the_defaults() -> None:
    document = read_yaml(FULL_SETTINGS)
    assert schema.check("settings", document, Path("mltrl-docs.yml"), Position(1, 1)) == []
    read = GateSettings.from_data(document.data["gates"])
    assert {name: read.severity(name) for name in BY_NAME} == DEFAULTS
    for rule in RULES:
        for option in rule.options:
            assert read.option(rule.name, option.name) == option.default, (rule.name, option.name)


def test_the_full_settings_file_names_every_rule_and_option() -> None:
    gates = read_yaml(FULL_SETTINGS).data["gates"]
    assert list(gates) == list(BY_NAME)
    for rule in RULES:
        written = gates[rule.name]
        assert {option.name for option in rule.options} <= (set(written) if isinstance(written, dict) else set())


@pytest.mark.parametrize("text,field", [
    ("gates: {reveiw: warning}", "gates.reveiw"),
    ("gates: {review: warnin}", "gates.review"),
    ("gates: {review: 1}", "gates.review"),
    ("gates: {review: {table: {7: [qa]}}}", "gates.review.table"),
    ("gates: {research-requirements: {form: 2}}", "gates.research-requirements.form"),
    ("gates: {high-risk-open: {score: 30}}", "gates.high-risk-open.score"),
    ("gates: {sections: {table: {10: [Glossary]}}}", "gates.sections.table.10"),
    ("gates: {embedded-switchback: {pairs: [[4, 2, 1]]}}", "gates.embedded-switchback.pairs[0]"),
    ("gates: {versions: {code: 10}}", "gates.versions.code"),
    ("gates: {versions: {version: {code: 3}}}", "gates.versions.version"),
    ("gates: {review-roles: {table: {10: [qa]}}}", "gates.review-roles.table.10"),
    ("gates: {review-roles: {table: {7: qa}}}", "gates.review-roles.table.7"),
    ("gates: {review-roles: {table: {7: ['']}}}", "gates.review-roles.table.7[0]"),
    ("gates: {leave-capability: {links: []}}", "gates.leave-capability.links"),
    ("gates: {leave-flight-ready: {links: []}}", "gates.leave-flight-ready.links"),
    ("gates: {leave-first-principles: {sections: ['']}}", "gates.leave-first-principles.sections[0]"),
    ("gates: {leave-integrations: {level: 10}}", "gates.leave-integrations.level"),
    ("gates: {leave-integrations: {level: null}}", "gates.leave-integrations.level"),
    ("gates: {monitoring: {from: -1}}", "gates.monitoring.from"),
    ("gates: {ethics-pre: {started: 10}}", "gates.ethics-pre.started"),
    ("gates: {ethics-pre: {complete: 5}}", "gates.ethics-pre.complete"),
])
def test_the_schema_reports_a_bad_gate_setting(text: str, field: str) -> None:
    findings = schema.check("settings", read_yaml("sources: [d]\n" + text), Path("x.yml"), Position(1, 1))
    assert [f.field for f in findings] == [field]
    assert findings[0].hint


def test_unknown_rule_names_and_options_are_rejected_by_from_data_too() -> None:
    with pytest.raises(ValueError, match="reveiw"):
        GateSettings.from_data({"reveiw": "warning"})
    with pytest.raises(ValueError, match="gate rule review-roles has no option roles; its options: table"):
        GateSettings.from_data({"review-roles": {"roles": ["qa"]}})
    with pytest.raises(ValueError, match="its options: none"):
        GateSettings.from_data({"review": {"from": 3}})


@pytest.mark.parametrize("value,expected", [
    (True, Severity.WARNING), ("on", Severity.WARNING), (None, Severity.WARNING), (False, None), ("off", None),
    ("error", Severity.ERROR), ({}, Severity.WARNING), ({"table": {7: ["qa"]}}, Severity.WARNING),
    ({"severity": "info"}, Severity.INFO), ({"severity": "off", "table": {7: ["qa"]}}, None),
])
def test_a_rule_value_is_a_severity_a_boolean_or_a_mapping(value: object, expected: Severity | None) -> None:
    assert GateSettings.from_data({"review-roles": value}).severity("review-roles") == expected


@pytest.mark.parametrize("value,expected", [
    (True, Severity.INFO), ("on", Severity.INFO), ({"days": 10}, Severity.INFO), ("warning", Severity.WARNING),
    ({"severity": "warning", "days": 10}, Severity.WARNING), (False, None), ({"severity": "off", "days": 10}, None),
])
def test_stale_is_on_as_a_note_whatever_turns_it_on(value: object, expected: Severity | None) -> None:
    assert GateSettings.from_data({"stale": value}).severity("stale") == expected


def test_on_means_the_rules_own_default_severity() -> None:
    assert GateSettings.from_data({"coupled-readiness": True}).severity("coupled-readiness") == Severity.INFO
    assert GateSettings.from_data({"coupled-readiness": {}}).severity("coupled-readiness") == Severity.INFO
    assert GateSettings.from_data({"coupled-readiness": "warning"}).severity("coupled-readiness") == Severity.WARNING


def test_a_bad_severity_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="is not a severity"):
        GateSettings.from_data({"review": 1})


def test_options_are_read() -> None:
    chosen = GateSettings.from_data({
        "research-requirements": {"to": 4}, "high-risk-open": {"score": 20, "from": 6},
        "versions": {"model": None}, "stale": {"days": 7}, "leave-product": {"level": 7},
        "embedded-switchback": {"pairs": [["9", "4"]]},
        "review-roles": {"table": {"5": ["peer"], 8: ["qa", "security"]}},
        "ethics-pre": {"started": None, "from": "4"},
        "leave-capability": {"links": ["notebook"]},
        "leave-first-principles": {"sections": ["Principles"]},
        "monitoring": {"from": 8},
    })
    option = chosen.option
    assert (option("research-requirements", "from"), option("research-requirements", "to")) == (2, 4)
    assert (option("high-risk-open", "from"), option("high-risk-open", "score"), option("stale", "days"),
            option("leave-product", "level")) == (6, 20, 7, 7)
    assert [option("versions", key) for key in ("code", "model", "data")] == [3, None, 4]
    assert option("embedded-switchback", "pairs") == frozenset({(9, 4)})
    assert option("review-roles", "table") == {5: ("peer",), 8: ("qa", "security")}
    assert isinstance(option("review-roles", "table"), MappingProxyType)
    assert (option("ethics-pre", "started"), option("ethics-pre", "from")) == (None, 4)
    assert option("leave-capability", "links") == ("notebook",)
    assert option("leave-capability", "level") == 5
    assert option("leave-first-principles", "sections") == ("Principles",)
    assert option("monitoring", "from") == 8
    assert chosen.options.keys() == {"research-requirements", "high-risk-open", "versions", "stale", "leave-product",
                                     "embedded-switchback", "review-roles", "ethics-pre", "leave-capability",
                                     "leave-first-principles", "monitoring"}


def test_an_option_not_written_keeps_its_default_beside_one_that_is() -> None:
    chosen = GateSettings.from_data({"versions": {"code": 2}, "ethics-pre": {"from": 6}})
    assert [chosen.option("versions", key) for key in ("code", "model", "data")] == [2, 4, 4]
    assert (chosen.option("ethics-pre", "started"), chosen.option("ethics-pre", "from")) == (1, 6)


def test_a_sections_table_replaces_the_default_one() -> None:
    chosen = GateSettings.from_data({"sections": {"table": {"3": ["Intended use"]}}})
    assert chosen.option("sections", "table") == {3: ("Intended use",)}
