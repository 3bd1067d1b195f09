"""The site's gate policy: each rule's severity and options, read from the ``gates:``
mapping of mltrl-docs.yml. ``GateSettings()`` is the default policy (gates.md)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from mltrl_docs.findings import Severity
from mltrl_docs.gates.catalogue import BY_NAME, RULES
from mltrl_docs.gates.rule import Rule


def _default_severities() -> Mapping[str, Severity | None]:
    return MappingProxyType({rule.name: rule.severity for rule in RULES})


@dataclass(frozen=True)
class GateSettings:
    """Severities and options of every gate rule; options not written keep their defaults."""

    severities: Mapping[str, Severity | None] = field(default_factory=_default_severities)
    """Each rule's severity, None when the rule is off."""
    options: Mapping[str, Mapping[str, Any]] = field(default_factory=lambda: MappingProxyType({}))
    """The options the site wrote, parsed, by rule then option name."""
    _values: Mapping[str, Mapping[str, Any]] = field(init=False, repr=False, compare=False)
    """Every option of every rule, written or default: checks read options hundreds of
    thousands of times in a large check, so they are resolved once."""

    def __post_init__(self) -> None:
        values = {rule.name: MappingProxyType({
                      option.name: self.options.get(rule.name, {}).get(option.name, option.default)
                      for option in rule.options})
                  for rule in RULES}
        object.__setattr__(self, "_values", MappingProxyType(values))

    def severity(self, rule: str) -> Severity | None:
        """The rule's severity, None when it is off."""
        return self.severities.get(rule)

    def blocks(self, rule: str) -> bool:
        """True when the rule is on, at any severity: what holds a card back."""
        return self.severity(rule) is not None

    def option(self, rule: str, name: str) -> Any:
        """The value of a rule's option: as written, or the rule's default."""
        return self._values[rule][name]

    def enabled(self) -> tuple[Rule, ...]:
        """The rules that are on, in catalogue order."""
        return tuple(rule for rule in RULES if self.blocks(rule.name))

    @classmethod
    def none(cls) -> GateSettings:
        """Every rule off: each card earns its declared level (a dossier judged by no policy)."""
        return cls(severities=MappingProxyType(dict.fromkeys(BY_NAME)))

    @classmethod
    def from_data(cls, data: Mapping[str, object] | None) -> GateSettings:
        """Settings from the ``gates:`` mapping of mltrl-docs.yml (already schema-checked)."""
        if not data:
            return cls()
        unknown = sorted(str(name) for name in data if name not in BY_NAME)
        if unknown:
            raise ValueError(f"unknown gate rule(s): {', '.join(unknown)}; known: {', '.join(BY_NAME)}")
        severities = dict(_default_severities())
        options: dict[str, Mapping[str, Any]] = {}
        for name, value in data.items():
            rule = BY_NAME[name]
            severities[name], written = _rule_value(rule, value)
            if written:
                options[name] = MappingProxyType({key: rule.option(key).parse(given) for key, given in written.items()})
        return cls(severities=MappingProxyType(severities), options=MappingProxyType(options))


def _rule_value(rule: Rule, value: object) -> tuple[Severity | None, Mapping[str, object]]:
    """A rule's setting: a severity word, a boolean, or a mapping of severity and options."""
    if isinstance(value, Mapping):
        written = {str(k): v for k, v in value.items() if k != "severity"}
        known = {option.name for option in rule.options}
        unknown = sorted(set(written) - known)
        if unknown:
            raise ValueError(f"gate rule {rule.name} has no option {', '.join(unknown)}; "
                             f"its options: {', '.join(sorted(known)) or 'none'}")
        return _severity(rule, value.get("severity", True)), written
    return _severity(rule, value), {}


def _severity(rule: Rule, value: object) -> Severity | None:
    if value is None or value is True or value == "on":
        return rule.severity or Severity.WARNING
    if value is False or value == "off":
        return None
    if isinstance(value, str):
        return Severity(value)
    raise ValueError(f"gate rule {rule.name}: {value!r} is not a severity (info, warning, error, off)")
