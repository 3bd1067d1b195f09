"""The rule list (mltrl_docs/gates/catalogue.py): every rule declared once and completely,
and what derives from it (mltrl_docs/gates/reference.py) shipped as derived: the ``gates``
part of schema/settings.schema.json and the generated block of the Gates page."""

from __future__ import annotations

import json
import re

import pytest

from conftest import REPO
from mltrl_docs import schema
from mltrl_docs.findings import Severity
from mltrl_docs.gates import BY_NAME, RULES, GateSettings, Rule, Scope, reference
from mltrl_docs.gates.__main__ import PAGE, SCHEMA

NAME = re.compile(r"[a-z]+(-[a-z]+)*")


def test_rule_names_are_unique_and_indexed() -> None:
    names = [rule.name for rule in RULES]
    assert len(names) == len(set(names))
    assert list(BY_NAME) == names and all(BY_NAME[rule.name] is rule for rule in RULES)
    assert all(NAME.fullmatch(name) for name in names)


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.name)
def test_every_rule_record_is_complete(rule: Rule) -> None:
    assert isinstance(rule.scope, Scope) and callable(rule.check)
    for text in (rule.summary, rule.mltrl, rule.default):
        assert text.strip() and text == text.strip()
    assert rule.summary.endswith(".") and rule.mltrl.endswith(".")
    assert rule.severity is None or isinstance(rule.severity, Severity)
    assert isinstance(rule.reading, bool)
    option_names = [option.name for option in rule.options]
    assert len(option_names) == len(set(option_names)) and "severity" not in option_names
    for option in rule.options:
        assert option.description.strip() and option.schema
        assert rule.option(option.name) is option
        assert list(schema.validator("settings").iter_errors(
            {"sources": ["d"], "gates": {rule.name: {option.name: _written(option.default)}}})) == [], option.name
        assert option.parse(_written(option.default)) == option.default, option.name
    if rule.scope is Scope.EXIT:
        assert rule.exit_level in option_names
        assert isinstance(GateSettings().option(rule.name, rule.exit_level), int)
    else:
        assert rule.exit_level is None


def _written(value: object) -> object:
    """An option's default as a settings file writes it (lists for tuples and sets, text keys)."""
    if isinstance(value, frozenset):
        return sorted([list(pair) for pair in value])
    if isinstance(value, tuple):
        return list(value)
    if hasattr(value, "items"):
        return {str(key): _written(item) for key, item in value.items()}  # type: ignore[attr-defined]
    return value


def test_the_scopes_hold_the_rules_gates_md_names() -> None:
    by_scope = {scope: [rule.name for rule in RULES if rule.scope is scope] for scope in Scope}
    assert by_scope == {
        Scope.CARD: ["review", "review-roles", "waiver-reason", "evidence-contradicts", "evidence-passes",
                     "evidence-unreadable", "ethics-answers"],
        Scope.LEVEL: ["research-requirements", "product-requirements", "risk-scored", "high-risk-open", "ethics-pre",
                      "ethics-post", "versions", "sections", "monitoring"],
        Scope.EXIT: ["leave-first-principles", "leave-research", "leave-capability", "leave-integrations",
                     "leave-product", "leave-flight-ready"],
        Scope.PROJECT: ["suspect-evidence", "debrief", "switchback-known", "embedded-switchback", "coupled-readiness",
                        "stale"],
    }


def test_the_shipped_settings_schema_is_derived_from_the_rules() -> None:
    """Run ``python -m mltrl_docs.gates --write`` after changing a rule."""
    shipped = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert shipped["properties"]["gates"] == reference.settings_schema()
    assert set(shipped["properties"]["gates"]["properties"]) == set(BY_NAME)


def test_the_gates_page_block_is_derived_from_the_rules() -> None:
    """Run ``python -m mltrl_docs.gates --write`` after changing a rule."""
    assert PAGE == REPO / "site_example" / "docs" / "gates.md"
    page = PAGE.read_text(encoding="utf-8")
    assert page.count(reference.DOC_START) == 1 and page.count(reference.DOC_END) == 1
    start, end = page.index(reference.DOC_START), page.index(reference.DOC_END) + len(reference.DOC_END)
    assert page[start:end] == reference.rules_markdown()


def test_the_generated_block_lists_every_rule_and_option() -> None:
    block = reference.rules_markdown()
    assert block.startswith(reference.DOC_START) and block.endswith(reference.DOC_END)
    for rule in RULES:
        assert f"| `{rule.name}` | " in block
        for option in rule.options:
            assert f"| `{rule.name}` | `{option.name}` |" in block
    assert reference.replace_block(f"intro\n{reference.DOC_START}\nold\n{reference.DOC_END}\noutro\n", block) == (
        f"intro\n{block}\noutro\n")
