"""The gate rules as others read them, derived from ``catalogue.RULES``: the ``gates``
part of the settings schema and the rule tables of the Gates documentation page.

``python -m mltrl_docs.gates --write`` writes both into the repository; a test proves
the shipped schema and page agree with the list.
"""

from __future__ import annotations

from typing import Any

from mltrl_docs.gates.catalogue import DEFAULT_SECTIONS, RULES
from mltrl_docs.gates.rule import Rule, Scope

DOC_START = "<!-- gate-rules: generated from mltrl_docs/gates/catalogue.py; do not edit by hand -->"
DOC_END = "<!-- /gate-rules -->"

_SCOPE_WORDS = {
    Scope.LEVEL: "a card at its level",
    Scope.EXIT: "the card a project leaves",
    Scope.CARD: "every card",
    Scope.PROJECT: "a project",
}


def _severity_text(rule: Rule) -> str:
    return rule.severity.value if rule.severity is not None else "off"


def settings_schema() -> dict[str, Any]:
    """The JSON Schema of the ``gates:`` mapping of mltrl-docs.yml."""
    defaults = ", ".join(f"{rule.name} ({_severity_text(rule)})" for rule in RULES
                         if rule.severity is None or rule.severity.value != "warning")
    properties: dict[str, Any] = {}
    for rule in RULES:
        options: dict[str, Any] = {"severity": {"$ref": "#/$defs/switch"}}
        for option in rule.options:
            options[option.name] = {"description": option.description, **dict(option.schema)}
        properties[rule.name] = {
            "description": f"{rule.summary} Default: {rule.default}.",
            "if": {"type": "object"},
            "then": {"type": "object", "additionalProperties": False, "properties": options},
            "else": {"$ref": "#/$defs/switch"},
        }
    return {
        "description": "The gate policy: what a card must show to stand at its level. Each key is a rule's "
                       "name; its value is a severity (info, warning, error), off, on, true (on at the rule's "
                       "default severity), false (off), or a mapping of an optional severity and the rule's "
                       "own options (a mapping turns the rule on). Rules not listed keep their defaults: every "
                       f"rule is on as a warning, except {defaults}.",
        "type": "object",
        "additionalProperties": False,
        "properties": properties,
    }


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def rules_markdown() -> str:
    """The Markdown tables of the Gates page: every rule, then every option."""
    lines = [
        DOC_START,
        "",
        "| rule | looks at | default | checks | what MLTRL says | default is |",
        "|---|---|---|---|---|---|",
    ]
    for rule in RULES:
        default = rule.default if rule.severity is None or rule.severity.value == "warning" \
            else f"{rule.default} ({_severity_text(rule)})"
        reading = "our reading" if rule.reading else "MLTRL's"
        lines.append(f"| `{rule.name}` | {_SCOPE_WORDS[rule.scope]} | {_cell(default)} | {_cell(rule.summary)} "
                     f"| {_cell(rule.mltrl)} | {reading} |")
    lines += ["", "Options (under the rule's name, beside an optional `severity`):", "",
              "| rule | option | sets |", "|---|---|---|"]
    for rule in RULES:
        for option in rule.options:
            lines.append(f"| `{rule.name}` | `{option.name}` | {_cell(option.description)} |")
    lines += ["", "Sections expected by level (the `sections` rule's default `table`):", "",
              "| from level | headings |", "|---|---|"]
    for level, headings in sorted(DEFAULT_SECTIONS.items()):
        lines.append(f"| {level} | {'; '.join(headings)} |")
    lines += ["", DOC_END]
    return "\n".join(lines)


def replace_block(page: str, block: str) -> str:
    """``page`` with its generated block replaced by ``block`` (which carries its markers)."""
    start, end = page.index(DOC_START), page.index(DOC_END) + len(DOC_END)
    return page[:start] + block + page[end:]
