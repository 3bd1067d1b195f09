"""The query tests' small real dossier: three projects in card files, asked about as of one day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from conftest import card_text
from mltrl_docs.dossier import CheckedDossier, build_dossier
from mltrl_docs.findings import Position
from mltrl_docs.gates import GateSettings
from mltrl_docs.query import START, Answer, Tables, answer, parse

TODAY = dt.date(2025, 1, 1)
QUERY_FILE = Path("<query>")


def requirement(id: str, kind: str, status: str, text: str = "The model shall do its job.", **more: Any) -> dict:
    return {"id": id, "kind": kind, "text": text, "verification": "test", "status": status, **more}


def writers(root: Path) -> tuple[Callable[..., Path], Callable[..., Path]]:
    """``write`` and ``write_card`` (as conftest's fixtures) into ``root``."""
    def write(relative: str, content: str) -> Path:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
        return path

    def write_card(relative: str, **fields: Any) -> Path:
        return write(relative, card_text(**fields))

    return write, write_card


def small_dossier(root: Path) -> CheckedDossier:
    """A: three cards (1, 2, then a switchback to 1, in review, with requirements, a failing acceptance
    criterion, a pending and a decided review, a coupling with B, a glossary); B: one draft card at
    level 0 with no team; C: only an invalid card."""
    write, write_card = writers(root)
    write("d/a/evidence/f1.json", '{"test": {"f1": 0.6}}')
    write("d/a/glossary.yml", "mltrl: 1\nterms:\n  - term: Drift\n    definition: A change in the data.\n"
                              "    aliases: [shift]\n    teams: {Vision: wander}\n    level: 1\n")
    common = {"mltrl": 1.2, "project": "A", "title": "Drift monitor", "team": "Vision", "owners": ["Ada Okafor"],
              "tags": ["vision", "drift"]}
    write_card("d/a/L1.md", **common, level=1, date="2023-01-01",
               reviewers=[{"name": "Lin Chen", "decision": "approved", "date": "2023-01-05", "role": "peer"}])
    write_card("d/a/L2.md", **common, level=2, date="2023-06-01",
               transition={"from": 1, "kind": "advance", "reason": "Experiments done."},
               reviewers=[{"name": "Lin Chen", "decision": "approved", "date": "2023-06-03"}])
    write_card("d/a/L1-again.md", **common, level=1, date="2024-03-01", status="in-review", coupled=["B"],
               transition={"from": 2, "kind": "switchback", "switchback": "discovery", "reason": "Data was wrong."},
               reviewers=[{"name": "Lin Chen", "decision": "pending", "requested": "2024-03-10", "role": "peer"},
                          {"name": "Sam Roe", "decision": "approved", "date": "2024-03-12", "role": "qa",
                           "note": "Fine."}],
               requirements=[
                   requirement("1", "research", "verified", "Recall shall be at least 0.9.",
                               risk={"likelihood": 3, "impact": 4}),
                   requirement("2", "product", "not-started", "=Alerts shall reach the on-call engineer."),
                   requirement("1.1", "research", "waived", "Latency shall be low.", reason="Not needed now.",
                               risk={"likelihood": 1, "impact": 2}),
                   requirement("3", "research", "verified", "F1 shall reach 0.7.", acceptance=[
                       {"metric": "F1", "op": ">=", "value": 0.7, "source": "evidence/f1.json",
                        "select": "test.f1"}]),
               ])
    write_card("d/b/L0.md", project="B", title="Search ranker", owners=["Bo Li", "Ada Okafor"], level=0,
               date="2024-06-01", status="draft", reviewers=None)
    write("d/c/L1.md", "---\nmltrl: 1\nproject: C\ntitle: Broken\nlevel: 1\ndate: 2024-01-01\nstatus: approvedd\n"
                       "owners: [Cy]\n---\nBody.\n")
    return build_dossier([root / "d"], builtin_glossary=False, gates=GateSettings(), today=TODAY)


def ask(dossier: CheckedDossier | Tables, text: str) -> Answer:
    """The answer to ``text`` (which must be a good query)."""
    query, findings = parse(text, QUERY_FILE)
    assert query is not None, [f.message for f in findings]
    return answer(query, dossier if isinstance(dossier, Tables) else Tables(dossier))


def column(result: Answer, name: str) -> list[Any]:
    """One column's values, row by row."""
    index = [c.name for c in result.columns].index(name)
    return [row.values[index] for row in result.rows]


def problems(text: str, at: Position = START) -> list[tuple[int, int, str, str, str | None]]:
    """The findings of a bad query: (line, column, rule, message, hint)."""
    query, findings = parse(text, QUERY_FILE, at)
    assert query is None and findings
    return [(f.line or 0, f.column or 0, f.rule, f.message, f.hint) for f in findings]
