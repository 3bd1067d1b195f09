"""The ethics checklist: the shipped template's structure, counting answers, the attachment page."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from conftest import REPO
from mltrl_docs.checklist import EXPECTED, PLACEHOLDER, Part, questions, read_checklist, template_version
from mltrl_docs.dossier import build_dossier
from mltrl_docs.load import load_markdown
from mltrl_docs.model import Attachment
from mltrl_docs.render.html import Renderer
from mltrl_docs.render.pages import site_pages

TEMPLATE = REPO / "templates" / "ethics-checklist.md"
SHIPPED = TEMPLATE.read_text(encoding="utf-8")
PROMPT = f"*{PLACEHOLDER}*"


def answered(text: str, keep: int = 0, every: int = 1) -> str:
    """The template with its placeholders replaced by answers: all of them but the first
    ``keep``, and then only every ``every``-th one."""
    start = text.index("## Part 1")  # the introduction names the placeholder too
    parts = text[start:].split(PROMPT)
    out = [text[:start] + parts[0]]
    for index, rest in enumerate(parts[1:]):
        out.append(PROMPT if index < keep or index % every else f"Answer {index}: we checked this.")
        out.append(rest)
    return "".join(out)


def page(write, text: str, name: str = "p/ethics.md") -> Attachment:
    loaded, findings = load_markdown(write(name, text), "p")
    assert findings == [] and isinstance(loaded, Attachment)
    return loaded


def counts(attachment: Attachment) -> list[tuple[str, int, int]]:
    checklist = read_checklist(attachment)
    assert checklist is not None
    return [(c.part.value, c.answered, c.total) for c in checklist.parts]


def test_the_shipped_template_has_mltrls_three_parts_and_nothing_answered(write) -> None:
    checklist = read_checklist(page(write, SHIPPED))
    assert checklist is not None and checklist.version == 1
    assert {c.part: c.total for c in checklist.parts} == EXPECTED == {
        Part.PRE_DEVELOPMENT: 19, Part.POST_DEVELOPMENT: 15, Part.ORGANISATION: 6}
    assert all(c.answered == 0 for c in checklist.parts)
    assert checklist.summary == ("Pre-development: 0 of 19 answered · Post-development: 0 of 15 · "
                                 "Organisation: 0 of 6")
    for part in Part:  # numbered 1.. within each part, as the template numbers them
        assert [q.number for q in checklist.questions if q.part is part] == list(range(1, EXPECTED[part] + 1))
    assert all(q.text.endswith("?") for q in checklist.questions)
    first = checklist.questions[0]
    assert SHIPPED.splitlines()[first.line - 1].startswith(f"1. **{first.text}")


def test_a_fully_answered_checklist(write) -> None:
    assert counts(page(write, answered(SHIPPED))) == [
        ("pre-development", 19, 19), ("post-development", 15, 15), ("organisation", 6, 6)]


def test_a_half_answered_checklist(write) -> None:
    # 40 questions, every other answered: 10 of 19, 7 of 15 (from question 20), 3 of 6 (from 35)
    assert counts(page(write, answered(SHIPPED, every=2))) == [
        ("pre-development", 10, 19), ("post-development", 7, 15), ("organisation", 3, 6)]


def test_pre_development_done_post_development_not_started(write) -> None:
    text = answered(SHIPPED)
    post = text.index("## Part 2")
    org = text.index("## Part 3")
    text = text[:post] + SHIPPED[SHIPPED.index("## Part 2"):SHIPPED.index("## Part 3")] + text[org:]
    checklist = read_checklist(page(write, text))
    assert checklist is not None
    assert checklist.summary == ("Pre-development: 19 of 19 answered · Post-development: 0 of 15 · "
                                 "Organisation: 6 of 6")


FRONT = "---\ntitle: Ethics checklist\nchecklist: mltrl-ethics/1\n---\n"


@pytest.mark.parametrize(("answer", "counted"), [
    ("*Not answered yet.*", False),
    ("_Not answered yet._", False),
    ("Not answered yet.", False),
    ("*Not answered yet.* We will ask legal in May.", False),
    ("**Open:** waiting for the device review.", False),
    ("Open: waiting for the device review.", False),
    ("", False),
    ("Yes, under agreement DSA-1.", True),
    ("Opening hours only: the service runs 9 to 5.", True),
    ("```\nsee the agreement\n```", True),
    ("- yes\n   - under DSA-1", True),
])
def test_what_counts_as_an_answer(write, answer: str, counted: bool) -> None:
    body = "## Part 1: Pre-development\n\n1. **Who owns the data?**\n\n" + "\n".join(
        "   " + line if line else "" for line in answer.split("\n")) + "\n"
    [question] = read_checklist(page(write, FRONT + body)).questions  # type: ignore[union-attr]
    assert question.answered is counted, answer


def test_an_answer_on_the_question_line_or_the_next_counts(write) -> None:
    body = ("## Part 2: Post-development\n\n"
            "1. **Can it be switched off?** Yes, by the duty manager.\n"
            "2. **Who is accountable?**\n   The product owner.\n"
            "3. **Is data secure?**\n")
    checklist = read_checklist(page(write, FRONT + body))
    assert checklist is not None
    assert [(q.number, q.answered) for q in checklist.questions] == [(1, True), (2, True), (3, False)]


def test_only_bold_items_of_top_level_numbered_lists_under_a_part_heading_are_questions() -> None:
    markdown = (
        "1. **Before any part?**\n   Not counted.\n\n"
        "## Part 1: Pre-development\n\n"
        "- **A bullet?** Not a question.\n\n"
        "1. **First?**\n   Yes.\n\n"
        "   1. **A nested item?** Part of the answer, not a question.\n\n"
        "2. No bold question here.\n\n"
        "### A subsection\n\n"
        "3. **Second?**\n\n"
        "> 1. **Quoted?** Not a question.\n\n"
        "```\n4. **Fenced?**\n```\n\n"
        "## Appendix\n\n"
        "1. **Under an unknown heading?** Not counted.\n\n"
        "## Part 3: Organization\n\n"
        "1. **American spelling?** Counted.\n"
    )
    found = questions(markdown, 10)
    assert [(q.part, q.number, q.text, q.answered) for q in found] == [
        (Part.PRE_DEVELOPMENT, 1, "First?", True),
        (Part.PRE_DEVELOPMENT, 2, "Second?", False),
        (Part.ORGANISATION, 1, "American spelling?", True),
    ]
    assert found[0].line == 10 + markdown.split("\n").index("1. **First?**")


def test_a_page_without_the_marker_is_not_a_checklist(write) -> None:
    unmarked = SHIPPED.replace("checklist: mltrl-ethics/1", "owner: Ada")
    assert read_checklist(page(write, unmarked)) is None
    assert read_checklist(page(write, "# Notes\n\n1. **A question?** An answer.\n", "p/notes.md")) is None
    assert read_checklist(page(write, SHIPPED.replace("mltrl-ethics/1", "other-checklist/1"))) is None


@pytest.mark.parametrize(("marker", "expected"), [
    ("mltrl-ethics/1", (True, 1)), ("mltrl-ethics", (True, None)), (" MLTRL-Ethics / 2 ", (True, 2)),
    ("mltrl-ethics/one", (False, None)), ("mltrl-ethics/" + "9" * 5000, (False, None)),
    ("ethics", (False, None)), (None, (False, None)),
])
def test_the_frontmatter_marker(marker: str | None, expected: tuple[bool, int | None]) -> None:
    assert template_version(marker) == expected


def test_a_marker_that_is_not_a_string_is_ignored(write) -> None:
    assert page(write, SHIPPED.replace("mltrl-ethics/1", "[1, 2]")).checklist is None


def test_counting_is_linear_in_the_page() -> None:
    """Ten thousand questions (about 200 KB): one pass over markdown-it's tokens, so the parse
    is the cost."""
    markdown = "## Part 2: Post-development\n\n" + "".join(f"{n}. **Question {n}?** Yes.\n" for n in range(1, 10_001))
    started = time.process_time()  # CPU time: a loaded machine stretches the wall clock, not the work
    found = questions(markdown)
    assert time.process_time() - started < 10
    assert len(found) == 10_000 and all(q.answered for q in found) and found[-1].number == 10_000


def test_the_example_checklist_matches_its_cards() -> None:
    """P07.1 is at level 6: pre-development complete, post-development in progress."""
    loaded, _ = load_markdown(REPO / "site_example" / "dossiers" / "neuropath" / "ethics.md", "P07.1")
    assert isinstance(loaded, Attachment)
    checklist = read_checklist(loaded)
    assert checklist is not None
    assert [(c.answered, c.total) for c in checklist.parts] == [(19, 19), (9, 15), (6, 6)]
    open_post = [q.number for q in checklist.questions if q.part is Part.POST_DEVELOPMENT and not q.answered]
    assert 10 in open_post  # the L6 card says question 10 (disparate error rates) is still open


# --- the attachment page and the project dossier ------------------------------------------


def test_the_attachment_page_and_the_dossier_show_the_counts(write_card, write, tmp_path: Path) -> None:
    text = answered(SHIPPED, keep=2).replace("title: Ethics checklist", 'title: "Ethics <checklist> & co"')
    write("src/p/ethics.md", text)
    write("src/p/notes.md", "# Notes\n\nNothing to count.\n")
    write_card("src/p/L2.md", project="E1", ethics={"pre_development": "in-progress", "checklist": "ethics.md"})
    dossier = build_dossier([tmp_path / "src"])
    assert list(dossier.findings) == []
    pages = {p.uri: p for p in site_pages(dossier)}
    renderer = Renderer("dossier")
    published = {p.source: p.uri for p in pages.values() if p.source is not None}
    html = renderer.render(pages["dossier/E1/pages/ethics.md"], lambda uri: uri, published)
    assert "<caption>Ethics checklist: questions answered</caption>" in html
    assert '<th scope="row">Pre-development</th><td>17 of 19 answered</td>' in html
    assert '<th scope="row">Post-development</th><td>15 of 15 answered</td>' in html
    assert '<th scope="row">Organisation</th><td>6 of 6 answered</td>' in html
    notes = renderer.render(pages["dossier/E1/pages/notes.md"], lambda uri: uri, published)
    assert "mltrl-checklist" not in notes
    dossier_html = renderer.render(pages["dossier/E1/index.md"], lambda uri: uri, published)
    assert ("(Pre-development: 17 of 19 answered · Post-development: 15 of 15 · Organisation: 6 of 6)"
            in dossier_html)


def test_a_dossier_whose_checklist_is_a_url_shows_no_counts(write_card, tmp_path: Path) -> None:
    write_card("src/p/L2.md", project="E1", ethics={"checklist": "https://wiki.example.internal/e"})
    dossier = build_dossier([tmp_path / "src"])
    page_ = next(p for p in site_pages(dossier) if p.uri == "dossier/E1/index.md")
    assert page_.context.checklist is None
