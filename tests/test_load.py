"""Loading one file: card, invalid card, attachment, glossary."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from conftest import card_text
from mltrl_docs.findings import Severity
from mltrl_docs.load import load_glossary, load_markdown
from mltrl_docs.model import Attachment, Card, CardStatus, InvalidCard, RequirementStatus


def test_valid_card_becomes_a_card_with_positions(write) -> None:
    path = write("p/card.md", card_text(requirements=[
        {"id": "1.2", "kind": "research", "text": "Shall.", "verification": "test", "status": "waived",
         "reason": "Out of scope.", "risk": {"likelihood": 3, "impact": 5}}]))
    card, findings = load_markdown(path, "p")
    assert findings == [] and isinstance(card, Card)
    assert card.date == dt.date(2024, 3, 1) and card.status is CardStatus.APPROVED
    assert card.level.name == "Proof of principle development" and card.level.phase == "research"
    [req] = card.requirements
    assert req.status is RequirementStatus.WAIVED and req.risk.score == 15 and req.parts == (1, 2)
    assert card.where("requirements", 0, "status").line == card.where("requirements", 0, "id").line + 4
    assert card.body.tldr.startswith("A monitor")


def test_invalid_card_keeps_what_can_be_trusted(write) -> None:
    path = write("p/card.md", card_text(status="finished"))
    card, findings = load_markdown(path, "p")
    assert isinstance(card, InvalidCard)
    assert (card.title, card.level.number, card.date) == ("Drift monitor", 2, dt.date(2024, 3, 1))
    assert card.project_id == "p" and card.findings == tuple(findings)


def test_broken_yaml_in_a_card_is_still_a_card(write) -> None:
    path = write("p/card.md", "---\nlevel: 2\ntitle: [unclosed\n---\n")
    card, findings = load_markdown(path, "p")
    assert isinstance(card, InvalidCard) and findings[0].rule == "yaml"


def test_undecodable_card_is_listed_as_invalid(write) -> None:
    path = write("p/card.md", b"---\nlevel: 2\ntitle: R\xe9sum\xe9\n---\n")
    card, findings = load_markdown(path, "p")
    assert isinstance(card, InvalidCard) and findings[0].rule == "encoding"


def test_flow_mapping_frontmatter_with_level_is_a_card(write) -> None:
    path = write("p/card.md", "---\n{level: 2, title: x}\n---\n")
    card, _ = load_markdown(path, "p")
    assert isinstance(card, InvalidCard)


def test_page_title_comes_from_frontmatter_then_heading_then_name(write) -> None:
    a, _ = load_markdown(write("p/a.md", "---\ntitle: Ethics checklist\n---\n# Other\n"), "p")
    b, _ = load_markdown(write("p/b.md", "Intro\n\n# Data sheet\n"), "p")
    c, _ = load_markdown(write("p/field_notes-2024.md", "text\n"), "p")
    assert [x.title for x in (a, b, c)] == ["Ethics checklist", "Data sheet", "Field notes 2024"]
    assert all(isinstance(x, Attachment) for x in (a, b, c))


def test_empty_file_is_a_warning_and_still_a_page(write) -> None:
    page, findings = load_markdown(write("p/empty.md", ""), "p")
    assert isinstance(page, Attachment)
    assert [(f.severity, f.rule) for f in findings] == [(Severity.WARNING, "empty")]


def test_page_with_broken_frontmatter_is_reported(write) -> None:
    page, findings = load_markdown(write("p/notes.md", "---\ntitle: [x\n---\n"), "p")
    assert page is None and findings[0].rule == "yaml"


def test_unreadable_file_is_reported(write) -> None:
    page, findings = load_markdown(Path("/nonexistent/p/card.md"), "p")
    assert page is None and findings[0].rule == "io"


GLOSSARY = """mltrl: 1
terms:
  - term: Golden dataset
    definition: The frozen evaluation set every model is compared on.
    aliases: [gold set]
    teams: {Research: benchmark, Operations: reference data}
    see_also: [Data governance]
    level: 4
  - term: Broken
  - term: Shadow week
    definition: A week of shadow deployment before a launch review.
"""


def test_glossary_terms_and_one_bad_term_does_not_hide_the_others(write) -> None:
    terms, findings = load_glossary(write("g.yml", GLOSSARY), project="P1")
    assert [t.term for t in terms] == ["Golden dataset", "Shadow week"]
    assert terms[0].teams["Operations"] == "reference data" and terms[0].level == 4 and terms[0].project == "P1"
    assert terms[1].position.line == 10
    assert [(f.field, f.line) for f in findings] == [("terms[1]", 9)]


def test_glossary_file_level_errors_drop_the_file(write) -> None:
    terms, findings = load_glossary(write("g.yml", "mltrl: 2\nterms: []\n"))
    assert terms == [] and findings[0].field == "mltrl"


def test_empty_glossary_file(write) -> None:
    terms, findings = load_glossary(write("g.yml", ""))
    assert terms == [] and "empty" in findings[0].message
