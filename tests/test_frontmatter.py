"""Bytes to text and frontmatter splitting: encodings, line ends, fences, limits."""

from __future__ import annotations

from mltrl_docs.findings import Position
from mltrl_docs.frontmatter import MAX_FILE_BYTES, SplitText, TextProblem, decode, split


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


def test_oversized_file_is_refused_before_decoding() -> None:
    problem = decode(b"a" * (MAX_FILE_BYTES + 1))
    assert isinstance(problem, TextProblem) and "limit" in problem.message


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
