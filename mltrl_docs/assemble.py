"""Build model objects from frontmatter that passed its schema.

Because the schema has already checked every type and vocabulary, this module
only converts; it never judges (that is the rules' job).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mltrl_docs.body import Body
from mltrl_docs.findings import Position
from mltrl_docs.levels import level
from mltrl_docs.model import (
    Acceptance,
    Card,
    CardStatus,
    Comparison,
    Dataset,
    DatasetRole,
    DebtChange,
    Decision,
    DeploymentTest,
    DeploymentTestKind,
    Ethics,
    EthicsStatus,
    GlossaryTerm,
    MonitoredMetric,
    Monitoring,
    Production,
    ProductionChange,
    Reference,
    Requirement,
    RequirementKind,
    RequirementStatus,
    Review,
    Risk,
    SwitchbackKind,
    TechDebtItem,
    Transition,
    TransitionKind,
    Validation,
    Verification,
    Versions,
)
from mltrl_docs.references import reference
from mltrl_docs.yamldata import DataPath, Positions


def card(data: Mapping[str, Any], body: Body, path: Path, positions: Positions) -> Card:
    """A Card from schema-valid frontmatter ``data``."""
    refs = _References(path)
    return Card(
        path=path,
        project_id=data["project"],
        title=data["title"].strip(),
        level=level(data["level"]),
        date=dt.date.fromisoformat(data["date"]),
        status=CardStatus(data["status"]),
        owners=tuple(data["owners"]),
        body=body,
        team=data.get("team"),
        reviewers=tuple(_review(r) for r in data.get("reviewers", ())),
        transition=_transition(data.get("transition")),
        versions=Versions(**data.get("versions", {})),
        coupled=tuple(data.get("coupled", ())),
        links={name: refs(url) for name, url in data.get("links", {}).items()},
        ethics=_ethics(data.get("ethics", {}), refs),
        requirements=tuple(_requirement(r, i, refs) for i, r in enumerate(data.get("requirements", ()))),
        tech_debt=tuple(TechDebtItem(t["text"], DebtChange(t["change"])) for t in data.get("tech_debt", ())),
        tags=tuple(data.get("tags", ())),
        datasets=tuple(_dataset(d, refs) for d in data.get("datasets", ())),
        monitoring=_monitoring(data.get("monitoring"), refs),
        deployment_tests=tuple(_deployment_test(d, refs) for d in data.get("deployment_tests", ())),
        production=_production(data.get("production")),
        format=format_version(data["mltrl"]),
        extra={k: v for k, v in data.items() if k.startswith("x-")},
        positions=positions,
    )


def format_version(mltrl: float | str) -> str:
    """The format a schema-valid ``mltrl:`` names: ``1``, or ``1.1`` or ``1.2`` written as a YAML
    number or quoted (the schema allows no other value)."""
    return "1" if mltrl == 1 else str(mltrl)


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


class _References:
    """The paths and URLs one card names, each classified (and its file's symlinks resolved) once:
    a card's acceptance criteria mostly read the same one or two evidence files."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._found: dict[str, Reference] = {}

    def __call__(self, target: str) -> Reference:
        found = self._found.get(target)
        if found is None:
            found = self._found[target] = reference(target, self.path)
        return found

    def optional(self, target: str | None) -> Reference | None:
        return self(target) if target else None


def _review(data: Mapping[str, Any]) -> Review:
    return Review(data["name"], Decision(data["decision"]), _date(data.get("date")), data.get("note"),
                  role=data.get("role"), requested=_date(data.get("requested")))


def _transition(data: Mapping[str, Any] | None) -> Transition | None:
    if data is None:
        return None
    kind = data.get("kind")
    switchback = data.get("switchback")
    return Transition(
        from_level=data.get("from"),
        kind=TransitionKind(kind) if kind else None,
        switchback=SwitchbackKind(switchback) if switchback else None,
        reason=data.get("reason"),
    )


def _ethics(data: Mapping[str, Any], refs: _References) -> Ethics:
    pre, post, checklist = data.get("pre_development"), data.get("post_development"), data.get("checklist")
    return Ethics(
        pre_development=EthicsStatus(pre) if pre else None,
        post_development=EthicsStatus(post) if post else None,
        checklist=refs.optional(checklist),
    )


def _requirement(data: Mapping[str, Any], index: int, refs: _References) -> Requirement:
    risk = data.get("risk")
    return Requirement(
        id=data["id"],
        kind=RequirementKind(data["kind"]),
        text=data["text"].strip(),
        verification=Verification(data["verification"]),
        status=RequirementStatus(data["status"]),
        risk=Risk(risk["likelihood"], risk["impact"], risk.get("mitigation")) if risk else None,
        evidence=tuple(refs(e) for e in data.get("evidence", ())),
        reason=data.get("reason"),
        index=index,
        validation=_validation(data.get("validation")),
        acceptance=tuple(_acceptance(a, i, refs) for i, a in enumerate(data.get("acceptance", ()))),
    )


def _acceptance(data: Mapping[str, Any], index: int, refs: _References) -> Acceptance:
    """A criterion: the schema has made sure it is either ``tests`` (with an optional select)
    or ``op``, ``value``, ``source`` and ``select``."""
    tests = "tests" in data
    op = data.get("op")
    return Acceptance(
        source=refs(data["tests"] if tests else data["source"]),
        index=index,
        tests=tests,
        metric=data.get("metric"),
        op=Comparison(op) if op else None,
        value=data.get("value"),
        select=data.get("select"),
        slice=data.get("slice"),
        unit=data.get("unit"),
        note=data.get("note"),
        sha256=data.get("sha256"),
    )


def _validation(data: Mapping[str, Any] | None) -> Validation | None:
    return Validation(data["how"], data.get("by"), _date(data.get("date"))) if data else None


def _dataset(data: Mapping[str, Any], refs: _References) -> Dataset:
    role = data.get("role")
    return Dataset(
        name=data["name"],
        version=data.get("version"),
        link=refs.optional(data.get("link")),
        role=DatasetRole(role) if role else None,
        slices=tuple(data.get("slices", ())),
    )


def _monitoring(data: Mapping[str, Any] | None, refs: _References) -> Monitoring | None:
    if data is None:
        return None
    return Monitoring(
        metrics=tuple(MonitoredMetric(m["name"], _threshold(m["threshold"]), m.get("alert"))
                      for m in data.get("metrics", ())),
        drift=tuple(data.get("drift", ())),
        dashboard=refs.optional(data.get("dashboard")),
    )


def _threshold(value: str | float) -> str:
    """A threshold as the card shows it: text as written, a YAML number as its shortest form
    (0.7 -> "0.7")."""
    return value if isinstance(value, str) else str(value)


def _deployment_test(data: Mapping[str, Any], refs: _References) -> DeploymentTest:
    return DeploymentTest(
        kind=DeploymentTestKind(data["kind"]),
        text=data.get("text"),
        evidence=tuple(refs(e) for e in data.get("evidence", ())),
    )


def _production(data: Mapping[str, Any] | None) -> Production | None:
    return Production(ProductionChange(data["change"]), data.get("reason")) if data else None


def glossary_terms(data: Mapping[str, Any], path: Path, positions: Mapping[DataPath, Position],
                   project: str | None = None, skip: set[int] | frozenset[int] = frozenset()) -> list[GlossaryTerm]:
    """Terms from a glossary file whose terms, except those in ``skip``, are schema-valid."""
    return [
        GlossaryTerm(
            term=t["term"].strip(),
            definition=t["definition"].strip(),
            path=path,
            position=positions.get(("terms", i), Position(1, 1)),
            aliases=tuple(t.get("aliases", ())),
            teams=dict(t.get("teams", {})),
            see_also=tuple(t.get("see_also", ())),
            level=t.get("level"),
            project=project,
            source=t.get("source"),
        )
        for i, t in enumerate(data["terms"])
        if i not in skip
    ]
