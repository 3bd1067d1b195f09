"""Body structure: sections, the TL;DR lead and the stage debrief."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from mltrl_docs.body import DEBRIEF_QUESTIONS, heading_key, read_body


def test_heading_key_ignores_case_and_punctuation() -> None:
    assert heading_key("Model / algorithm info") == "model algorithm info"
    assert heading_key("Caveats, known edge cases, recommendations") == heading_key(
        "caveats known edge-cases recommendations".replace("-", " "))
    assert heading_key("TL;DR") == "tldr"
    assert heading_key("**Testing** _status_") == "testing status"


def test_sections_keep_their_file_lines_and_text() -> None:
    body = read_body("\nIntro.\n\n## Intended use\n\nSorting slides.\n\n### Not for\n\nDiagnosis.\n\n"
                     "## Testing status\n\nOK.\n", 10)
    titles = [(s.title, s.depth, s.line) for s in body.sections]
    assert titles == [("Intended use", 2, 13), ("Not for", 3, 17), ("Testing status", 2, 21)]
    assert body.section("intended use").markdown == "Sorting slides.\n\n### Not for\n\nDiagnosis."
    assert body.section("Testing Status").markdown == "OK."


_LINES = st.sampled_from(["# A", "## B", "### C", "text", "", "  ", "more text", "```", "## in code", "- item",
                          "---", "Title", "===", "## D ##", "#", " \n ", "\r", "\t## E"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_LINES, max_size=16), st.booleans(), st.integers(1, 500))
def test_a_sections_text_is_the_lines_under_its_heading_and_shares_the_bodys_text(
        lines: list[str], newline: bool, first_line: int) -> None:
    """A section's Markdown is the lines after its heading up to the next heading of its rank
    or higher, without blank lines at either end; it is kept as a span of the body's own text."""
    markdown = "\n".join(lines) + ("\n" if newline else "")
    body = read_body(markdown, first_line)
    split = markdown.split("\n")
    for index, section in enumerate(body.sections):
        start = section.line - first_line
        end = next((later.line - first_line for later in body.sections[index + 1:] if later.depth <= section.depth),
                   len(split))
        assert section.markdown == "\n".join(split[start + 1:end]).strip("\n")
        assert section.source is body.markdown


def test_headings_in_code_fences_are_not_sections() -> None:
    body = read_body("```\n## Not a heading\n```\n\n## Real\n")
    assert [s.title for s in body.sections] == ["Real"]


def test_setext_headings_count() -> None:
    body = read_body("Data considerations\n-------------------\n\ntext\n")
    assert body.section("Data considerations") is not None


def test_tldr_bold_lead_in_its_variants() -> None:
    for lead in ("**TL;DR**: Short.", "**TL;DR:** Short.", "__TLDR__ Short.", "**tl;dr** : Short."):
        body = read_body(f"\n{lead}\n\n## Model / algorithm info\n", 5)
        assert body.tldr == "Short.", lead
        assert body.tldr_line == 6
        assert "tldr" in body.headings


def test_tldr_heading() -> None:
    body = read_body("## TL;DR\n\nA sorter for slides.\n\n## Intended use\n")
    assert body.tldr == "A sorter for slides."


def test_bold_paragraph_after_a_heading_is_not_the_lead() -> None:
    body = read_body("## Intro\n\n**TL;DR**: late.\n")
    assert body.tldr is None and "tldr" not in body.headings


def test_debrief_with_only_the_template_questions_is_empty() -> None:
    template = "\n".join(f"{i}. {q}" for i, q in enumerate(DEBRIEF_QUESTIONS, 1))
    body = read_body(f"## Stage debrief\n{template}\n")
    assert body.debrief is not None and not body.debrief_answered


def test_debrief_with_answers_is_answered() -> None:
    body = read_body("## Stage debrief\n\n1. What was accomplished, and by whom? Ada built the PSI monitor.\n")
    assert body.debrief_answered


def test_missing_debrief() -> None:
    body = read_body("## Model / algorithm info\n")
    assert body.debrief is None and not body.debrief_answered


def test_a_rule_under_a_list_item_or_quote_is_not_a_setext_heading() -> None:
    for text in ("- item\n---\n", "text\n* item\n---\n", "1. step\n---\n", "> quote\n---\n"):
        assert read_body(text).sections == (), text
    assert [s.title for s in read_body("Data considerations\n---\n").sections] == ["Data considerations"]
    assert [s.title for s in read_body("Top\n===\n").sections] == ["Top"]


def test_debrief_template_in_any_list_layout_is_still_empty() -> None:
    """List markers are removed line by line (indented, after blank lines, '1)' or '*')."""
    markers = ("1.", "  2)", "\t-", "   *")
    template = "\n \n\n".join(f"{m} {q}" for m, q in zip(markers, DEBRIEF_QUESTIONS, strict=False))
    body = read_body(f"## Stage debrief\n\n{template}\n\n\n+\n")
    assert body.debrief is not None and not body.debrief_answered
    answered = read_body(f"## Stage debrief\n\n{template}\n\n  \n\n  - Ada built the PSI monitor.\n")
    assert answered.debrief_answered


def test_tldr_label_with_long_runs_of_spaces() -> None:
    body = read_body("**TL;DR" + " " * 500 + "**" + " " * 500 + ":" + " " * 500 + "Short.\n")
    assert body.tldr == "Short."
    assert read_body("**TL;DR" + " " * 500 + "x**: Short.\n").tldr is None


def test_sections_under_many_headings_end_at_the_next_of_their_rank() -> None:
    body = read_body("# A\n## B\ntext\n### C\n## D\n# E\nend\n")
    assert [(s.title, s.markdown) for s in body.sections] == [
        ("A", "## B\ntext\n### C\n## D"), ("B", "text\n### C"), ("C", ""), ("D", ""), ("E", "end")]
