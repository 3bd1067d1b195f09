"""The ethics-answers rule (mltrl_docs/gates/ethics.py): a card that calls a checklist part
complete agrees with the answers of the checklist page it names, when that page follows the
shipped template. It never lowers an earned level, nor decides an approval."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REPO
from mltrl_docs.checklist import EXPECTED, PLACEHOLDER, Part

from .support import (
    CHECKLIST_ETHICS,
    CHECKLIST_PAGE,
    WriteCard,
    assert_located,
    gates,
    history,
    line_of,
    of,
    one_card,
    single,
    with_checklist,
)

TEMPLATE = (REPO / "templates" / "ethics-checklist.md").read_text(encoding="utf-8")
PROMPT = f"*{PLACEHOLDER}*"


def template(open_pre: int = 0, open_post: int = 0) -> str:
    """The shipped template with every question answered but the first ``open_pre`` of
    part 1 and the first ``open_post`` of part 2."""
    start = TEMPLATE.index("## Part 1")
    pieces = TEMPLATE[start:].split(PROMPT)
    pre = EXPECTED[Part.PRE_DEVELOPMENT]
    out = [TEMPLATE[:start] + pieces[0]]
    for index, rest in enumerate(pieces[1:]):
        still_open = index < open_pre or pre <= index < pre + open_post
        out += [PROMPT if still_open else f"Answer {index}: settled with the working group.", rest]
    return "".join(out)


def ethics(pre: str = "complete", post: str = "complete", checklist: str = "ethics.md") -> dict[str, str]:
    return {"pre_development": pre, "post_development": post, "checklist": checklist}


def test_a_fully_answered_template_passes(write_card: WriteCard, tmp_path: Path) -> None:
    with_checklist(one_card(write_card, 8, ethics=ethics()), template())
    assert gates(tmp_path).findings == ()


def test_complete_with_open_pre_development_questions_is_located_at_the_status(write_card: WriteCard,
                                                                               tmp_path: Path) -> None:
    path = one_card(write_card, 5, ethics=ethics())
    with_checklist(path, template(open_pre=2))
    report = gates(tmp_path)
    finding = single(report, "ethics-answers")
    assert_located(finding, "ethics-answers", path, line_of(path, "pre_development:"), "ethics.pre_development",
                   None)
    assert finding.message == "ethics.pre_development is complete, but the checklist answers 17 of 19 " \
                              "pre-development questions"
    assert finding.hint == ("answer every pre-development question in ethics.md (an answer that still reads "
                            "'Not answered yet.' or starts with 'Open:' is none), or set pre_development: "
                            "in-progress")
    assert finding.position.column == 3


def test_complete_with_open_post_development_questions(write_card: WriteCard, tmp_path: Path) -> None:
    path = one_card(write_card, 8, ethics=ethics())
    with_checklist(path, template(open_post=1))
    finding = single(gates(tmp_path), "ethics-answers")
    assert (finding.field, finding.line) == ("ethics.post_development", line_of(path, "post_development:"))
    assert finding.message == "ethics.post_development is complete, but the checklist answers 14 of 15 " \
                              "post-development questions"


def test_both_parts_are_reported(write_card: WriteCard, tmp_path: Path) -> None:
    with_checklist(one_card(write_card, 8, ethics=ethics()), template(open_pre=19, open_post=15))
    assert [(f.field, f.message.split("but ")[1]) for f in of(gates(tmp_path), "ethics-answers")] == [
        ("ethics.pre_development", "the checklist answers 0 of 19 pre-development questions"),
        ("ethics.post_development", "the checklist answers 0 of 15 post-development questions"),
    ]


@pytest.mark.parametrize("pre,post", [("in-progress", "not-started"), ("not-started", "not-started"),
                                      ("not-applicable", "not-applicable"), ("in-progress", "in-progress")])
@pytest.mark.parametrize("open_questions", [0, 34])
def test_a_status_short_of_complete_is_never_held_to_the_answers(write_card: WriteCard, tmp_path: Path, pre: str,
                                                                 post: str, open_questions: int) -> None:
    """Answers may be drafts the review has not signed off: not-started while answers exist
    is fine, and so is in-progress with none."""
    with_checklist(one_card(write_card, 0, ethics=ethics(pre, post)), template(open_questions, open_questions))
    assert of(gates(tmp_path), "ethics-answers") == []


def test_only_a_page_following_the_template_is_read(write_card: WriteCard, tmp_path: Path) -> None:
    """A page without the marker, a URL or a path outside the project's pages is not checked."""
    notes = CHECKLIST_PAGE.replace("checklist: mltrl-ethics/1\n", "")
    with_checklist(one_card(write_card, 3, ethics=ethics()), notes)
    assert of(gates(tmp_path), "ethics-answers") == []
    one_card(write_card, 3, ethics=ethics(checklist="https://wiki.example.internal/ethics"))
    assert of(gates(tmp_path), "ethics-answers") == []


def test_a_page_without_a_part_has_no_questions_to_answer(write_card: WriteCard, tmp_path: Path) -> None:
    pre_only = CHECKLIST_PAGE[: CHECKLIST_PAGE.index("## Part 2")]
    path = one_card(write_card, 3, ethics=ethics(pre="in-progress"))
    with_checklist(path, pre_only)
    finding = single(gates(tmp_path), "ethics-answers")
    assert finding.field == "ethics.post_development"
    assert finding.message == ("ethics.post_development is complete, but the checklist ethics.md has no "
                               "post-development questions")


def test_it_never_lowers_the_earned_level_nor_an_approval(write_card: WriteCard, tmp_path: Path) -> None:
    path = with_checklist(one_card(write_card, 8, ethics=CHECKLIST_ETHICS)).parent / "L8.md"
    report = gates(tmp_path)
    assert of(report, "ethics-answers") and report.earned[path] == 8 and report.approved[path]
    assert "ethics-answers" not in {item.rule for item in report.projects["C1"].gap}


def test_an_answer_marked_open_counts_as_none(write_card: WriteCard, tmp_path: Path) -> None:
    page = CHECKLIST_PAGE.replace(PROMPT, "**Open:** legal is checking the licence.")
    with_checklist(one_card(write_card, 3, ethics=ethics()), page)
    assert single(gates(tmp_path), "ethics-answers").message.endswith("answers 1 of 2 pre-development questions")
    with_checklist(one_card(write_card, 3, ethics=ethics()), page.replace("**Open:** legal", "Legal"))
    assert of(gates(tmp_path), "ethics-answers") == []


def test_every_card_citing_the_page_is_checked(write_card: WriteCard, tmp_path: Path) -> None:
    """Each card is checked against the page as it is now (the checklist is one per project)."""
    paths = history(write_card, [4, 5, 6], {0: {"ethics": ethics(post="not-started")},
                                            1: {"ethics": ethics(post="in-progress")},
                                            2: {"ethics": ethics(checklist="https://wiki.example.internal/e")}})
    with_checklist(paths[0])
    assert [(f.path, f.field) for f in gates(tmp_path).findings] == [
        (paths[0], "ethics.pre_development"), (paths[1], "ethics.pre_development")]
