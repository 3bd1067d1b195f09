"""Every field of every entity (mltrl_docs/query/fields.py) read from small real cards: three projects,
one a switchback in review with requirements, reviews and a failing acceptance criterion, one a draft
with no team, one with an invalid card only; as of 2025-01-01."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from mltrl_docs.dossier import CheckedDossier, build_dossier
from mltrl_docs.query import Entity, Tables
from mltrl_docs.query.fields import CATALOGUE
from mltrl_docs.query.records import ProjectRecord

from .support import TODAY, ask, small_dossier, writers


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("query-fields")


@pytest.fixture(scope="module")
def dossier(root: Path) -> CheckedDossier:
    return small_dossier(root)


def every_field(dossier: CheckedDossier, entity: Entity, root: Path) -> list[dict[str, Any]]:
    names = list(CATALOGUE[entity].fields)
    result = ask(Tables(dossier, root=root), f"{entity.value} show {', '.join(names)}")
    return [dict(zip(names, row.values, strict=True)) for row in result.rows]


def test_projects(dossier: CheckedDossier, root: Path) -> None:
    gates = dossier.gates.projects
    a, b, c = every_field(dossier, Entity.PROJECTS, root)
    assert a == {
        "id": "A", "title": "Drift monitor", "team": "Vision", "owners": ("Ada Okafor",), "level": 1,
        "earned": gates["A"].earned, "unearned": gates["A"].earned < 1, "phase": "research", "status": "in-review",
        "approved": False, "date": dt.date(2024, 3, 1),
        "at_level": 306,  # since the switchback back to level 1 on 2024-03-01, not the first level-1 card
        "tags": ("vision", "drift"), "coupled": ("B",), "system": 0, "limited_by": ("B",), "requirements": 4,
        "open": 2,  # 2 not started, 3 contradicted by its evidence; 1 verified and 1.1 waived are closed
        "findings": 8, "errors": 0, "warnings": 8, "notes": 0, "pending": 1, "gap": len(gates["A"].gap),
        "blockers": tuple(item.text for item in gates["A"].gap),
    }
    assert a["gap"] > 0 and "Pass the level-1 gated review (status is in-review)" in a["blockers"]
    assert b == {
        "id": "B", "title": "Search ranker", "team": None, "owners": ("Bo Li", "Ada Okafor"), "level": 0,
        "earned": 0, "unearned": False, "phase": "research", "status": "draft", "approved": False,
        "date": dt.date(2024, 6, 1), "at_level": 214, "tags": (), "coupled": (), "system": 0, "limited_by": (),
        "requirements": 0, "open": 0, "findings": 0, "errors": 0, "warnings": 0, "notes": 0, "pending": 0,
        "gap": len(gates["B"].gap), "blockers": tuple(item.text for item in gates["B"].gap),
    }
    # a project with no valid card: its id and findings; every other value none (lists empty)
    assert c == {
        "id": "c", "title": "c", "team": None, "owners": (), "level": None, "earned": None, "unearned": None,
        "phase": None, "status": None, "approved": None, "date": None, "at_level": None, "tags": (), "coupled": (),
        "system": None, "limited_by": (), "requirements": None, "open": None, "findings": 1, "errors": 1,
        "warnings": 0, "notes": 0, "pending": None, "gap": None, "blockers": (),
    }


def test_cards(dossier: CheckedDossier, root: Path) -> None:
    rows = every_field(dossier, Entity.CARDS, root)
    earned = dossier.gates.earned
    assert [(r["project"], r["level"], r["date"]) for r in rows] == [
        ("A", 1, dt.date(2023, 1, 1)), ("A", 2, dt.date(2023, 6, 1)), ("A", 1, dt.date(2024, 3, 1)),
        ("B", 0, dt.date(2024, 6, 1))]
    first, second, current, draft = rows
    assert first == {
        "project": "A", "title": "Drift monitor", "level": 1, "phase": "research", "date": dt.date(2023, 1, 1),
        "age": 731, "status": "approved", "team": "Vision", "owners": ("Ada Okafor",), "tags": ("vision", "drift"),
        "earned": earned[root / "d" / "a" / "L1.md"], "approved": True, "current": False, "transition": None,
        "switchback": None, "reviewers": ("Lin Chen",), "file": "d/a/L1.md",
    }
    assert (second["transition"], second["switchback"], second["current"], second["age"]) == (
        "advance", None, False, 580)
    assert (current["transition"], current["switchback"], current["current"], current["approved"],
            current["reviewers"], current["file"]) == (
        "switchback", "discovery", True, False, ("Lin Chen", "Sam Roe"), "d/a/L1-again.md")
    assert (draft["team"], draft["reviewers"], draft["status"], draft["current"], draft["earned"]) == (
        None, (), "draft", True, 0)


def test_requirements_are_the_current_cards(dossier: CheckedDossier, root: Path) -> None:
    common = {"project": "A", "verification": "test", "level": 1, "team": "Vision", "owners": ("Ada Okafor",)}
    assert every_field(dossier, Entity.REQUIREMENTS, root) == [
        {**common, "id": "1", "kind": "research", "text": "Recall shall be at least 0.9.", "status": "verified",
         "verified": True, "closed": True, "evidence": None, "risk": 12, "likelihood": 3, "impact": 4},
        {**common, "id": "2", "kind": "product", "text": "=Alerts shall reach the on-call engineer.",
         "status": "not-started", "verified": False, "closed": False, "evidence": None, "risk": None,
         "likelihood": None, "impact": None},
        {**common, "id": "1.1", "kind": "research", "text": "Latency shall be low.", "status": "waived",
         "verified": False, "closed": True, "evidence": None, "risk": 2, "likelihood": 1, "impact": 2},
        # declared verified, but its evidence misses the criterion: not verified, not closed
        {**common, "id": "3", "kind": "research", "text": "F1 shall reach 0.7.", "status": "verified",
         "verified": False, "closed": False, "evidence": "failed", "risk": None, "likelihood": None, "impact": None},
    ]


def test_reviews(dossier: CheckedDossier, root: Path) -> None:
    common = {"project": "A", "team": "Vision", "requested": None, "note": None, "waiting": None}
    assert every_field(dossier, Entity.REVIEWS, root) == [
        {**common, "level": 1, "card_date": dt.date(2023, 1, 1), "reviewer": "Lin Chen", "role": "peer",
         "decision": "approved", "date": dt.date(2023, 1, 5), "current": False},
        {**common, "level": 2, "card_date": dt.date(2023, 6, 1), "reviewer": "Lin Chen", "role": None,
         "decision": "approved", "date": dt.date(2023, 6, 3), "current": False},
        # pending since it was requested (2024-03-10), to 2025-01-01
        {**common, "level": 1, "card_date": dt.date(2024, 3, 1), "reviewer": "Lin Chen", "role": "peer",
         "decision": "pending", "date": None, "requested": dt.date(2024, 3, 10), "current": True, "waiting": 297},
        {**common, "level": 1, "card_date": dt.date(2024, 3, 1), "reviewer": "Sam Roe", "role": "qa",
         "decision": "approved", "date": dt.date(2024, 3, 12), "note": "Fine.", "current": True},
    ]


def test_waiting_counts_from_the_card_s_date_without_a_request_date(root: Path, tmp_path: Path) -> None:
    _, write_card = writers(tmp_path)
    write_card("d/p/L1.md", level=1, status="in-review", date="2024-12-01",
               reviewers=[{"name": "Lin Chen", "decision": "pending"}])
    checked = build_dossier([tmp_path / "d"], today=TODAY)
    assert ask(checked, "reviews show waiting").rows[0].values == (31,)


def test_findings(dossier: CheckedDossier, root: Path) -> None:
    rows = every_field(dossier, Entity.FINDINGS, root)
    assert len(rows) == len(dossier.findings) == 9
    by_rule = {(r["rule"], r["file"]): r for r in rows}
    schema = by_rule[("schema", "d/c/L1.md")]
    assert schema == {"severity": "error", "rule": "schema", "message": "'approvedd' is not a valid status",
                      "hint": "use one of: draft, in-review, approved, rejected (did you mean 'approved'?)",
                      "file": "d/c/L1.md", "line": 7, "project": "c", "field": "status"}
    contradicts = by_rule[("evidence-contradicts", "d/a/L1-again.md")]
    assert (contradicts["severity"], contradicts["project"], contradicts["field"]) == (
        "warning", "A", "requirements[3].acceptance[0].value")
    assert {r["severity"] for r in rows} == {"error", "warning"}


def test_a_finding_outside_every_project_and_a_note(tmp_path: Path) -> None:
    write, write_card = writers(tmp_path)
    write_card("d/p/L1.md", level=1)
    write("d/stray/notes.md", "# Notes\n")  # a folder with pages and no card: a warning on the folder, a note
    checked = build_dossier([tmp_path / "d"], today=TODAY)
    rows = ask(Tables(checked, root=tmp_path), "findings where project = none show severity, file, line, project")
    assert [row.values for row in rows.rows] == [("warning", "d/stray", None, None), ("note", "d/stray/notes.md",
                                                                                      None, None)]
    assert rows.rows[0].subject.path == tmp_path / "d" / "stray"


def test_terms(dossier: CheckedDossier, root: Path, tmp_path: Path) -> None:
    assert every_field(dossier, Entity.TERMS, root) == [
        {"term": "Drift", "definition": "A change in the data.", "project": "A", "source": None, "level": 1,
         "aliases": ("shift",), "teams": ("Vision",), "builtin": False}]
    write, _ = writers(tmp_path)
    write("glossary.yml", "mltrl: 1.1\nterms:\n  - term: Gate\n    definition: A review.\n    source: Our handbook\n")
    with_builtin = build_dossier([], [tmp_path / "glossary.yml"], today=TODAY)
    site = ask(with_builtin, "terms where builtin = false show term, project, source, builtin")
    assert [row.values for row in site.rows] == [("Gate", None, "Our handbook", False)]
    assert ask(with_builtin, "terms where builtin and term = switchback").matched == 1


def test_at_level_counts_from_the_first_card_of_the_unbroken_run(tmp_path: Path) -> None:
    """Two cards in a row at level 2 (an error of the transition rule, but both valid cards): the
    project has been at level 2 since the first of them."""
    _, write_card = writers(tmp_path)
    write_card("d/p/L1.md", level=1, date="2024-01-01")
    write_card("d/p/L2.md", level=2, date="2024-02-01", transition={"from": 1, "kind": "advance", "reason": "x"})
    write_card("d/p/L2b.md", level=2, date="2024-05-01", transition={"from": 2, "kind": "advance", "reason": "x"})
    checked = build_dossier([tmp_path / "d"], today=TODAY)
    assert any(f.rule == "transition" for f in checked.findings)
    assert ask(checked, "projects show at_level").rows[0].values == ((TODAY - dt.date(2024, 2, 1)).days,)


def test_every_field_is_documented_and_typed() -> None:
    for spec in CATALOGUE.values():
        assert spec.doc and set(spec.default) <= set(spec.fields)
        for name, field in spec.fields.items():
            assert name == field.name and field.doc.endswith(".") and name.islower()
            assert not field.values or field.type.value == "text"


def test_the_records_of_a_project_without_gates(tmp_path: Path) -> None:
    """A project record reads its card's values through the card, its gate values through the gates."""
    _, write_card = writers(tmp_path)
    write_card("d/p/L1.md", level=1)
    checked = build_dossier([tmp_path / "d"], today=TODAY)
    [record] = Tables(checked).records(Entity.PROJECTS)
    assert isinstance(record, ProjectRecord) and record.card is checked.projects["C1"].current
    assert record.subject.card is record.card and record.subject.project == "C1"
