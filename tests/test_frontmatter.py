"""Bytes to text and frontmatter splitting: encodings, line ends, fences, limits."""

from __future__ import annotations

import pytest

from mltrl_docs.findings import Position, Severity
from mltrl_docs.frontmatter import (
    MAX_FILE_BYTES,
    MAX_LINES_REPORTED,
    SplitText,
    TextProblem,
    decode,
    invisible_characters,
    split,
)


def test_utf8_bom_is_removed_and_crlf_and_cr_become_lf() -> None:
    assert decode(b"\xef\xbb\xbf---\r\na: 1\r---\n") == "---\na: 1\n---\n"


def test_non_utf8_byte_is_located() -> None:
    problem = decode("title: ok\nowner: Ren\xe9\n".encode("latin-1"))
    assert isinstance(problem, TextProblem)
    assert problem.position == Position(2, 11)
    assert "0xE9" in problem.message


def test_utf16_is_named() -> None:
    problem = decode("---\n".encode("utf-16"))
    assert isinstance(problem, TextProblem) and "UTF-16" in problem.message


def test_nul_bytes_mean_binary() -> None:
    problem = decode(b"abc\n\x00")
    assert isinstance(problem, TextProblem) and problem.position == Position(2, 1)


def test_a_stray_nul_in_text_is_not_binary_but_an_invisible_character() -> None:
    text = decode(b"---\ntitle: a\x00b\n---\n" + b"Body text. " * 50)
    assert isinstance(text, str)
    clean, [problem] = invisible_characters(text)
    assert problem.position == Position(2, 9) and "U+0000 (NUL)" in problem.message
    assert "\x00" not in clean and "a\ufffdb" in clean


def test_binary_and_utf16_without_bom_are_named() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200)
    problem = decode(png)
    assert isinstance(problem, TextProblem) and "looks binary" in problem.message
    problem = decode("---\ntitle: x\n---\n".encode("utf-16-le"))
    assert isinstance(problem, TextProblem) and "UTF-16" in problem.message


def test_oversized_file_is_refused_before_decoding() -> None:
    problem = decode(b"a" * (MAX_FILE_BYTES + 1))
    assert isinstance(problem, TextProblem) and "(limits.file_bytes)" in problem.message
    assert isinstance(decode(b"a" * 2000, max_bytes=1000), TextProblem)


@pytest.mark.parametrize("char", ["\x1b", "\x07", "\x00", "\x08", "\x0b", "\x0c", "\x7f", "\x85", "\x9b"])
def test_control_characters_are_located_errors_and_replaced(char: str) -> None:
    text, [problem] = invisible_characters(f"line one\ntitle: a{char}b\n")
    assert problem.position == Position(2, 9) and problem.severity is Severity.ERROR
    assert f"U+{ord(char):04X}" in problem.message
    assert problem.hint == f"remove the invisible control character U+{ord(char):04X}"
    assert text == "line one\ntitle: a\ufffdb\n"


def test_tab_newline_and_ordinary_unicode_are_not_reported() -> None:
    text = "a\tb\nRésumé – ünïcode 中文 \u00a0 emoji 🙂\n"
    assert invisible_characters(text) == (text, [])


def test_control_characters_are_reported_once_per_line() -> None:
    text, problems = invisible_characters("\x1b[31mred\x1b[0m \x07\nok\n\x1b\n")
    assert [(p.position, p.message) for p in problems] == [
        (Position(1, 1), "invisible control character U+001B (escape), and 2 more on this line"),
        (Position(3, 1), "invisible control character U+001B (escape)"),
    ]
    assert text.count("\ufffd") == 4


def test_a_file_full_of_control_characters_gives_a_screenful_not_thousands() -> None:
    _, problems = invisible_characters("\x1b\n" * 10_000)
    assert len(problems) == MAX_LINES_REPORTED + 1
    assert problems[-1].message == f"invisible control characters on {10_000 - MAX_LINES_REPORTED:,} more lines"
    assert problems[-1].position == Position(MAX_LINES_REPORTED + 1, 1)


@pytest.mark.parametrize("char", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067",
                                  "\u2068", "\u2069"])
def test_bidirectional_controls_are_located_warnings_and_kept(char: str) -> None:
    text, [problem] = invisible_characters(f"title: abc{char}def\n")
    assert problem.severity is Severity.WARNING and problem.position == Position(1, 11)
    assert "text may display in a different order from how it reads" in problem.message
    assert text == f"title: abc{char}def\n"


def test_split_gives_yaml_and_body_with_their_lines() -> None:
    parts = split("---\nlevel: 1\n---\n\n# Body\n")
    assert parts == SplitText("level: 1\n", 2, "\n# Body\n", 4, looks_like_card=True)


def test_dots_close_frontmatter_too_and_trailing_spaces_are_allowed() -> None:
    parts = split("--- \ntitle: x\n...\nbody")
    assert isinstance(parts, SplitText) and parts.body == "body" and not parts.looks_like_card


def test_no_frontmatter_is_a_page() -> None:
    parts = split("# Ethics checklist\n")
    assert isinstance(parts, SplitText) and parts.frontmatter is None


def test_unclosed_frontmatter_is_a_problem_at_line_1() -> None:
    problem = split("---\nlevel: 1\n\n# Body\n")
    assert isinstance(problem, TextProblem) and problem.position == Position(1, 1)
    assert "never closed" in problem.message


def test_frontmatter_after_blank_lines_is_a_problem_where_it_starts() -> None:
    problem = split("\n\n---\nlevel: 1\n---\n")
    assert isinstance(problem, TextProblem) and problem.position == Position(3, 1)


def test_empty_frontmatter() -> None:
    parts = split("---\n---\nbody")
    assert isinstance(parts, SplitText) and parts.frontmatter == "\n" and parts.body_line == 3


def test_level_key_decides_card_even_when_indented_keys_exist() -> None:
    parts = split("---\nx-meta:\n  level: 3\ntitle: t\n---\n")
    assert isinstance(parts, SplitText) and not parts.looks_like_card
