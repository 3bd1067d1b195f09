"""Building model objects from schema-valid data: the fields card format 1.1 adds, their
positions, and the reference rule over the files and URLs they name."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURES, card_text
from mltrl_docs.findings import Position
from mltrl_docs.load import load_glossary, load_markdown
from mltrl_docs.model import (
    Card,
    DatasetRole,
    DeploymentTestKind,
    ProductionChange,
    Validation,
)
from mltrl_docs.rules import references

FORMAT_1_1 = FIXTURES / "format-1.1"
L8 = FORMAT_1_1 / "ranker" / "L8-2024-05-06.md"
L9 = FORMAT_1_1 / "ranker" / "L9-2024-09-02.md"
RETIRED = FORMAT_1_1 / "legacy-ranker" / "L9-2023-01-09.md"


def _card(path: Path) -> Card:
    card, findings = load_markdown(path, path.parent.name)
    assert findings == [] and isinstance(card, Card), findings
    return card


def _line_of(path: Path, text: str, after: int = 0) -> int:
    """The first file line after line ``after`` that holds ``text``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if i > after and text in line)


def test_reviewer_role_and_request_date() -> None:
    lin, priya = _card(L8).reviewers
    assert (lin.role, lin.requested, lin.date) == ("qa", dt.date(2024, 5, 20), dt.date(2024, 5, 24))
    assert (priya.role, priya.requested) == ("product", dt.date(2024, 5, 20))


def test_requirement_validation_and_risk_mitigation() -> None:
    [requirement] = _card(L8).requirements
    assert requirement.risk is not None and requirement.risk.score == 12
    assert requirement.risk.mitigation == "A circuit breaker serves the base ranking when the budget is exceeded."
    assert requirement.validation == Validation(
        "Search product owners confirmed 20 ms is the budget users do not notice.", "Priya Raman",
        dt.date(2024, 2, 12))


def test_datasets_with_versions_links_roles_and_slices() -> None:
    logs, judged = _card(L8).datasets
    assert (logs.name, logs.version, logs.role) == ("query-logs", "1.10.0", DatasetRole.TRAIN)
    assert logs.slices == ("long-tail queries", "non-English queries")
    assert logs.link is not None and not logs.link.is_url
    assert logs.link.resolved == (L8.parent / "evidence" / "query-logs-datasheet.txt").resolve()
    assert judged.link is not None and judged.link.is_url and judged.link.safe and judged.slices == ()
    [live] = _card(L9).datasets
    assert (live.name, live.version, live.link, live.role) == ("live-queries", None, None, DatasetRole.MONITORING)


def test_deployment_tests() -> None:
    shadow, canary, ab = _card(L8).deployment_tests
    assert [t.kind for t in (shadow, canary, ab)] == [DeploymentTestKind.SHADOW, DeploymentTestKind.CANARY,
                                                     DeploymentTestKind.AB]
    assert [e.target for e in shadow.evidence] == ["evidence/shadow-latency.csv"]
    assert canary.evidence == () and ab.text is None


def test_monitoring_thresholds_are_text() -> None:
    monitoring = _card(L9).monitoring
    assert monitoring is not None
    assert [(m.name, m.threshold, m.alert) for m in monitoring.metrics] == [
        ("NDCG@10", "0.7", "search-relevance on-call"), ("p95 added latency", "20 ms", None),
        ("Empty result rate", "2", None)]
    assert monitoring.drift == ("PSI over query length and language", "Weekly click-through by query class")
    assert monitoring.dashboard is not None and monitoring.dashboard.is_url


def test_production_change_and_a_quoted_format() -> None:
    card = _card(RETIRED)
    assert card.production is not None and card.production.change is ProductionChange.RETIRED
    assert card.production.reason == "Superseded by the learned re-ranker P07.2 on 2024-09-02."
    assert card.format == "1.1"


@pytest.mark.parametrize(("written", "format_"), [(1, "1"), (1.1, "1.1"), ("1.1", "1.1")])
def test_the_declared_format(write, written: Any, format_: str) -> None:
    card, findings = load_markdown(write("p/card.md", card_text(mltrl=written)), "p")
    assert findings == [] and isinstance(card, Card) and card.format == format_


def test_a_format_1_card_has_none_of_the_new_fields(write) -> None:
    card = _card(write("p/card.md", card_text()))
    assert card.format == "1" and card.datasets == () and card.deployment_tests == ()
    assert card.monitoring is None and card.production is None
    assert card.reviewers[0].role is None and card.reviewers[0].requested is None


def test_glossary_term_source(write) -> None:
    terms, findings = load_glossary(FORMAT_1_1 / "ranker" / "glossary.yml", project="P07.2")
    assert findings == []
    assert [(t.term, t.source) for t in terms] == [("Judged query", "Search relevance team"),
                                                  ("Click-through rate", None)]


def test_new_fields_keep_their_positions() -> None:
    """Findings about 1.1 fields point at file:line:col, like those about format 1 fields."""
    l8, l9 = _card(L8), _card(L9)
    assert l8.where("reviewers", 0, "role") == Position(_line_of(L8, "role: qa"), 5)
    assert l8.where("requirements", 0, "validation", "by").line == _line_of(L8, "by: Priya Raman")
    assert l8.where("requirements", 0, "risk", "mitigation").line == _line_of(L8, "mitigation:")
    assert l8.where("datasets", 0, "link") == Position(_line_of(L8, "link: evidence/"), 5)
    assert l8.where("datasets", 0, "slices", 1).line == _line_of(L8, "slices:")
    assert l8.where("deployment_tests", 0, "evidence", 0).line == _line_of(
        L8, "evidence: [evidence/shadow", after=_line_of(L8, "deployment_tests:"))
    assert l9.where("monitoring", "metrics", 1, "threshold").line == _line_of(L9, '"20 ms"')
    assert l9.where("monitoring", "dashboard") == Position(_line_of(L9, "dashboard:"), 3)


def test_the_format_1_1_fixture_cards_name_only_files_that_exist() -> None:
    for path in (L8, L9, RETIRED):
        assert list(references(_card(path))) == []


# The references the 1.1 fields add (Card.references() lists them) must be checked like links and
# evidence: a missing relative file and an unsafe URL are located errors.
NEW_REFERENCES = [
    ({"datasets": [{"name": "logs", "link": "data/missing.csv"}]}, ("datasets", 0, "link")),
    ({"monitoring": {"dashboard": "dashboards/missing.json"}}, ("monitoring", "dashboard")),
    ({"deployment_tests": [{"kind": "canary", "evidence": ["ok.csv", "runs/missing.csv"]}]},
     ("deployment_tests", 0, "evidence", 1)),
    ({"datasets": [{"name": "logs", "link": "javascript:alert(1)"}]}, ("datasets", 0, "link")),
]


@pytest.mark.parametrize(("fields", "at"), NEW_REFERENCES, ids=["dataset-link", "dashboard", "test-evidence",
                                                                 "unsafe-dataset-link"])
def test_a_missing_or_unsafe_1_1_reference_is_a_located_finding(write, fields: dict[str, Any],
                                                                 at: tuple[str | int, ...]) -> None:
    write("p/ok.csv", "x\n")
    card = _card(write("p/card.md", card_text(mltrl=1.1, **fields)))
    [finding] = references(card)
    assert finding.rule in ("path", "url") and finding.position == card.where(*at) != Position(1, 1)
