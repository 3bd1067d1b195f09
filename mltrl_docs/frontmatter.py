"""Turn a Markdown file's bytes into frontmatter text and body, or say exactly why not.

Everything a team's editor may produce is handled here: a UTF-8 BOM, CRLF or
CR line ends, UTF-16, stray non-UTF-8 bytes, NUL bytes, empty files, oversized
files and a frontmatter block that is never closed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from mltrl_docs.findings import Position

MAX_FILE_BYTES = 1_048_576
"""Cards and glossaries are small; a bigger file is a mistake (or an attack)."""

_FENCE = re.compile(r"^---[ \t]*$")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$")
_LEVEL_KEY = re.compile(r"^level[ \t]*:", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class TextProblem:
    """Why a file could not be read as text or split, with where."""

    message: str
    hint: str
    position: Position


@dataclass(frozen=True, slots=True)
class SplitText:
    """A Markdown file split into its YAML frontmatter and body."""

    frontmatter: str | None
    """The YAML between the fences, or None when the file has no frontmatter."""
    frontmatter_line: int
    """File line of the first YAML line (2 when the file starts with '---')."""
    body: str
    body_line: int
    """File line where the body starts."""
    looks_like_card: bool
    """The raw frontmatter has a top-level ``level:`` key (decides card vs page
    even when the YAML is broken, so a broken card is never taken for a page)."""


def decode(data: bytes) -> str | TextProblem:
    """Bytes to text with '\\n' line ends; UTF-8 only, BOM allowed."""
    if len(data) > MAX_FILE_BYTES:
        return TextProblem(
            f"file is {len(data):,} bytes; the limit is {MAX_FILE_BYTES:,}",
            "split it or move large content into an attachment or a linked file",
            Position(1, 1),
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return TextProblem("file is UTF-16 encoded", "save it as UTF-8", Position(1, 1))
    data = data.removeprefix(b"\xef\xbb\xbf")
    nul = data.find(b"\x00")
    if nul >= 0:
        return TextProblem("file contains NUL bytes; it looks binary", "save it as UTF-8 text",
                           _byte_position(data, nul))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.start + 1].hex().upper()
        return TextProblem(
            f"file is not valid UTF-8 (byte 0x{bad})",
            "save the file as UTF-8 (your editor's 'encoding' setting)",
            _byte_position(data, exc.start),
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _byte_position(data: bytes, offset: int) -> Position:
    before = data[:offset]
    line_start = before.rfind(b"\n") + 1
    column = len(before[line_start:].decode("utf-8", errors="replace")) + 1
    return Position(before.count(b"\n") + 1, column)


def split(text: str) -> SplitText | TextProblem:
    """Split '---' frontmatter from the body; a missing closing fence is a problem."""
    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0]):
        first = next((i for i, line in enumerate(lines) if line.strip()), None)
        if first is not None and first > 0 and _FENCE.match(lines[first]):
            return TextProblem(
                f"frontmatter starts on line {first + 1}, not on line 1",
                "remove the blank lines above the opening '---'",
                Position(first + 1, 1),
            )
        return SplitText(None, 1, text, 1, looks_like_card=False)
    for index in range(1, len(lines)):
        if _CLOSE.match(lines[index]):
            yaml_text = "\n".join(lines[1:index]) + "\n"
            return SplitText(
                frontmatter=yaml_text,
                frontmatter_line=2,
                body="\n".join(lines[index + 1 :]),
                body_line=index + 2,
                looks_like_card=bool(_LEVEL_KEY.search(yaml_text)),
            )
    return TextProblem(
        "frontmatter opened with '---' on line 1 is never closed",
        "add a line with just '---' after the last frontmatter key",
        Position(1, 1),
    )


def looks_like_card(text: str) -> bool:
    """For files whose frontmatter is unclosed: is a ``level:`` key written near the top?"""
    return bool(_LEVEL_KEY.search(text[:4000]))


def yaml_scalar(text: str) -> str:
    """``text`` as a YAML scalar for generated frontmatter: a JSON string is valid YAML
    whatever it holds (quotes, colons, '#'), and unlike Jinja's tojson (made for HTML)
    keeps ', <, > and & as written."""
    return json.dumps(str(text), ensure_ascii=False)
