"""Loading one file: card, invalid card, attachment, glossary."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from conftest import card_text
from mltrl_docs.findings import Position, Severity
from mltrl_docs.load import load_glossary, load_markdown, read_text
from mltrl_docs.model import Attachment, Card, CardStatus, InvalidCard, RequirementStatus
from mltrl_docs.settings import Limits


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


def test_a_control_character_in_the_body_makes_the_card_invalid_but_listed(write) -> None:
    text = card_text(body="\n**TL;DR**: Drift \x1b[31mmonitor\x1b[0m.\n")
    path = write("p/card.md", text)
    card, findings = load_markdown(path, "p")
    assert isinstance(card, InvalidCard) and card.title == "Drift monitor" and card.level.number == 2
    [finding] = findings
    line = text[: text.index("\x1b")].count("\n") + 1
    assert (finding.rule, finding.position) == ("control-character", Position(line, 18))
    assert card.findings == (finding,)


def test_a_control_character_escape_in_the_frontmatter_makes_the_card_invalid(write) -> None:
    path = write("p/card.md", card_text().replace("title: Drift monitor", 'title: "Drift monitor\\a"'))
    card, findings = load_markdown(path, "p")
    assert isinstance(card, InvalidCard) and card.title == "Drift monitor\ufffd"
    assert [(f.rule, f.field, f.line) for f in findings] == [("yaml", "title", 4)]


def test_a_control_character_in_a_page_is_reported_and_never_read_back(write) -> None:
    path = write("p/notes.md", "# Notes\n\nA \x07bell.\n")
    page, findings = load_markdown(path, "p")
    assert isinstance(page, Attachment) and [f.position for f in findings] == [Position(3, 3)]
    text, _, _ = read_text(path)
    assert text == "# Notes\n\nA \ufffdbell.\n"


def test_a_bidi_override_in_a_title_is_a_warning_and_the_card_stays_valid(write) -> None:
    path = write("p/card.md", card_text(title="Drift \u202erotinom"))
    card, findings = load_markdown(path, "p")
    assert isinstance(card, Card)
    assert [(f.severity, f.rule, f.position) for f in findings] == [(Severity.WARNING, "bidi", Position(4, 14))]


def test_other_errors_are_still_found_next_to_a_control_character(write) -> None:
    path = write("p/card.md", card_text(status="finished", body="\nText \x1b here.\n"))
    card, findings = load_markdown(path, "p")
    assert isinstance(card, InvalidCard)
    assert sorted(f.rule for f in findings) == ["control-character", "schema"]
    assert len(card.findings) == 2


def test_an_over_long_title_makes_the_card_invalid_and_is_cut_for_listing(write) -> None:
    path = write("p/card.md", card_text(title="T" * 300))
    card, findings = load_markdown(path, "p")
    assert isinstance(card, InvalidCard) and card.title == "T" * 199 + "…"
    [finding] = findings
    assert finding.message == "title is 300 characters; the limit is 200 (limits.title)"
    assert (finding.rule, finding.field, finding.position) == ("limit", "title", Position(4, 8))
    assert "limits.title" in finding.hint
    card, findings = load_markdown(path, "p", Limits(title=400))
    assert isinstance(card, Card) and findings == []


def test_an_invalid_card_lists_a_long_title_cut_too(write) -> None:
    path = write("p/card.md", card_text(title="T" * 300, status="finished"))
    card, _ = load_markdown(path, "p", Limits(title=50))
    assert isinstance(card, InvalidCard) and len(card.title) == 50 and card.title.endswith("…")


def test_an_over_long_page_title_is_cut_and_reported(write) -> None:
    page, [finding] = load_markdown(write("p/notes.md", "Intro\n\n# " + "H" * 250 + "\n"), "p")
    assert isinstance(page, Attachment) and page.title == "H" * 199 + "…"
    assert (finding.rule, finding.position) == ("limit", Position(3, 1)) and "page title" in finding.message
    page, [finding] = load_markdown(write("p/meta.md", "---\ntitle: " + "M" * 250 + "\n---\nText\n"), "p")
    assert len(page.title) == 200 and finding.position == Position(2, 8)


def test_a_file_over_the_size_limit_is_refused_from_its_size(write) -> None:
    path = write("p/card.md", card_text(body="x" * 5_000))
    card, [finding] = load_markdown(path, "p", Limits(file_bytes=2_000))
    assert isinstance(card, InvalidCard)  # still told apart from a page by its first bytes
    assert finding.rule == "limit" and "the limit is 2,000 (limits.file_bytes)" in finding.message


def test_a_fifo_is_reported_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "p" / "pipe.md"
    fifo.parent.mkdir()
    os.mkfifo(fifo)
    page, [finding] = load_markdown(fifo, "p")
    assert page is None and finding.rule == "io" and "not a regular file" in finding.message


def test_glossary_names_over_the_limit_skip_their_term(write) -> None:
    text = GLOSSARY.replace("aliases: [gold set]", "aliases: [gold set, " + "a" * 150 + "]")
    terms, findings = load_glossary(write("g.yml", text))
    assert [t.term for t in terms] == ["Shadow week"]
    long_alias = next(f for f in findings if f.rule == "limit")
    assert long_alias.message == "alias is 150 characters; the limit is 100 (limits.glossary_name)"
    assert (long_alias.field, long_alias.line) == ("terms[0].aliases[1]", 5)
    terms, _ = load_glossary(write("g2.yml", text), limits=Limits(glossary_name=200))
    assert [t.term for t in terms] == ["Golden dataset", "Shadow week"]


def test_glossary_control_characters_are_reported_and_replaced(write) -> None:
    terms, findings = load_glossary(write("g.yml", GLOSSARY.replace("frozen", "fro\x1bzen")))
    assert [f.rule for f in findings if f.rule != "schema"] == ["control-character"]
    assert terms[0].definition.startswith("The fro\ufffdzen")


@pytest.mark.parametrize("written,read", [("1.10", "1.1"), ("1.100", "1.1"), ("1.1_0", "1.1"), ("1.0", "1"),
                                          ("+1", "1"), ("1.00", "1"), ("1.20", "1.2"), ("1.200", "1.2")])
def test_a_format_version_yaml_reads_as_another_number_is_an_error(write, written: str, read: str) -> None:
    """``mltrl: 1.10`` is the number 1.1 to YAML: without this check it would pass as format 1.1."""
    card, findings = load_markdown(write("p/card.md", card_text().replace("mltrl: 1\n", f"mltrl: {written}\n")), "p")
    assert isinstance(card, InvalidCard)
    [finding] = findings
    assert (finding.severity, finding.rule, finding.field, finding.position) == (
        Severity.ERROR, "yaml", "mltrl", Position(2, 8))
    assert finding.message == (f"mltrl is written '{written}', which YAML reads as the number {read}; "
                               "a format version is written exactly 1, 1.1 or 1.2")
    assert finding.hint == f"write 'mltrl: {read}' if you mean format {read} (the formats are 1, 1.1 and 1.2)"


@pytest.mark.parametrize("written,version", [("1", "1"), ("1.1", "1.1"), ('"1.1"', "1.1"), ("'1.1'", "1.1"),
                                             ("1.2", "1.2"), ('"1.2"', "1.2")])
def test_a_format_version_written_as_such_loads(write, written: str, version: str) -> None:
    card, findings = load_markdown(write("p/card.md", card_text().replace("mltrl: 1\n", f"mltrl: {written}\n")), "p")
    assert findings == [] and isinstance(card, Card) and card.format == version


def test_a_format_version_surprise_is_reported_once(write) -> None:
    """'01' is YAML 1.1's octal 1: the reader reports that, and nothing is added."""
    _, findings = load_markdown(write("p/card.md", card_text().replace("mltrl: 1\n", "mltrl: 01\n")), "p")
    assert [(f.field, "YAML 1.1" in f.message) for f in findings] == [("mltrl", True)]


def test_a_glossary_format_version_yaml_reads_as_another_number_drops_the_file(write) -> None:
    terms, findings = load_glossary(write("g.yml", "mltrl: 1.10\nterms:\n  - {term: A, definition: B.}\n"))
    assert terms == []
    assert [(f.rule, f.field, f.position) for f in findings] == [("yaml", "mltrl", Position(1, 8))]
    assert "written '1.10'" in findings[0].message and "mltrl: 1.1" in (findings[0].hint or "")
    terms, findings = load_glossary(write("h.yml", "mltrl: 1.1\nterms:\n  - {term: A, definition: B., source: C}\n"))
    assert findings == [] and [t.source for t in terms] == ["C"]
