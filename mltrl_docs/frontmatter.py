"""Turn a Markdown file's bytes into frontmatter text and body, or say exactly why not.

Everything a team's editor may produce is handled here: a UTF-8 BOM, CRLF or
CR line ends, UTF-16, stray non-UTF-8 bytes, binary files, invisible control
characters, empty files, oversized files and a frontmatter block that is never
closed.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from mltrl_docs.findings import Position, Severity

MAX_FILE_BYTES = 1_048_576
"""Cards and glossaries are small; a bigger file is a mistake (or an attack). The default
of ``limits.file_bytes``."""
MAX_LINES_REPORTED = 20
"""Lines of one file whose invisible characters are reported one by one; the rest are counted."""

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""C0 controls except tab and newline (CR is gone once decoded), DEL and C1 controls: invisible
in an editor, yet a terminal or a browser acts on them (ESC starts a terminal sequence)."""
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
"""Bidirectional embeddings, overrides and isolates ("Trojan Source"): text displays in an
order other than the one it is read and compared in."""
INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""CONTROL and BIDI in one pattern: one scan tells a clean text (nearly every file) apart."""
_LINES_WITH = {pattern: re.compile(f"(?m)^[^\n]*?{pattern.pattern}") for pattern in (CONTROL, BIDI)}
"""Matches once per line holding the pattern: counts such lines at C speed."""
REPLACEMENT = "\ufffd"
_CONTROL_NAMES = {0x00: "NUL", 0x07: "bell", 0x08: "backspace", 0x0B: "vertical tab", 0x0C: "form feed",
                  0x1B: "escape", 0x7F: "delete", 0x85: "next line"}
_BINARY_HEAD = 8_000
"""Bytes looked at to tell a binary file from text with a stray NUL (as git does)."""
_TEXT_BYTES = b"\t\n\r" + bytes(range(0x20, 0x7F)) + bytes(range(0x80, 0x100))

_FENCE = re.compile(r"^---[ \t]*$")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$")
_LEVEL_KEY = re.compile(r"^level[ \t]*:", re.MULTILINE)
_TOP_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_-]*+)[ \t]*+:", re.MULTILINE)
"""A top-level ``key:`` line of raw frontmatter (what tells a card from a page when the YAML
cannot be read)."""
CARD_MARKS = frozenset({"mltrl", "project"})
"""Keys that mark frontmatter as a level card's (with another card key) even without ``level:``."""
CARD_ONLY_KEYS = frozenset({
    "level", "date", "status", "owners", "team", "reviewers", "transition", "versions", "coupled", "ethics",
    "requirements", "tech_debt", "datasets", "monitoring", "deployment_tests", "production",
})
"""Keys of the level-card schema that a page's ordinary frontmatter (title, tags, links,
checklist) does not use."""


@dataclass(frozen=True, slots=True)
class TextProblem:
    """Why a file could not be read as text or split, with where."""

    message: str
    hint: str
    position: Position
    severity: Severity = Severity.ERROR


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
    """The raw frontmatter has a top-level ``level:`` key, or is card-like (``card_like``): decides
    card vs page even when the YAML is broken, so a broken card is never taken for a page."""


def too_big(size: int, limit: int) -> TextProblem:
    """The problem of a file over ``limits.file_bytes`` (found by its size, before reading it)."""
    return TextProblem(
        f"file is {size:,} bytes; the limit is {limit:,} (limits.file_bytes)",
        "split it or move large content into an attachment or a linked file "
        "(or raise limits.file_bytes in mltrl-docs.yml)",
        Position(1, 1),
    )


def decode(data: bytes, max_bytes: int = MAX_FILE_BYTES) -> str | TextProblem:
    """Bytes to text with '\\n' line ends; UTF-8 only, BOM allowed. Control characters are
    kept: ``invisible_characters`` reports and replaces them, so other errors still show."""
    if len(data) > max_bytes:
        return too_big(len(data), max_bytes)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return TextProblem("file is UTF-16 encoded", "save it as UTF-8", Position(1, 1))
    data = data.removeprefix(b"\xef\xbb\xbf")
    binary = _binary(data)
    if binary is not None:
        return binary
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


def _binary(data: bytes) -> TextProblem | None:
    """A problem when the file is not text at all: NUL bytes among many control bytes, or
    NULs at every other byte (UTF-16 without its byte order mark). A stray NUL in text is
    only an invisible character, reported where it is."""
    head = data[:_BINARY_HEAD]
    nul = head.find(b"\x00")
    if nul < 0:
        return None
    half = len(head) // 2
    odd, even = head[1::2].count(0), head[0::2].count(0)
    if half >= 2 and max(odd, even) >= 0.9 * half and min(odd, even) <= 0.1 * half:
        return TextProblem("file looks UTF-16 encoded (without a byte order mark)", "save it as UTF-8",
                           Position(1, 1))
    controls = len(head.translate(None, _TEXT_BYTES))
    if controls * 10 >= len(head) or not _utf8_prefix(head):
        return TextProblem("file contains NUL bytes; it looks binary", "save it as UTF-8 text",
                           _byte_position(data, nul))
    return None


def _utf8_prefix(head: bytes) -> bool:
    """``head`` is valid UTF-8, allowing a character cut at its end."""
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(head) - 3 and exc.reason == "unexpected end of data"
    return True


def invisible_characters(text: str) -> tuple[str, list[TextProblem]]:
    """Report control characters (errors) and bidirectional controls (warnings) at their
    line:column, once per line and kind, and replace the control characters by U+FFFD so
    none reaches a page or a terminal while loading goes on and finds the other errors."""
    if not INVISIBLE.search(text):
        return text, []
    problems = _scan(text, CONTROL, _control_problem) + _scan(text, BIDI, _bidi_problem)
    problems.sort(key=lambda p: p.position)
    return CONTROL.sub(REPLACEMENT, text), problems


def char_name(char: str) -> str:
    """``U+001B (escape)``: the code point a hint can name, and what it is when it has a name."""
    code = ord(char)
    name = _CONTROL_NAMES.get(code) or unicodedata.name(char, "").lower()
    if not name:
        name = "C1 control" if code >= 0x80 else "control"
    return f"U+{code:04X} ({name})"


def control_hint(char: str) -> str:
    return f"remove the invisible control character U+{ord(char):04X}"


def isolated(text: str) -> str:
    """``text`` wrapped in a bidirectional isolate (U+2068 ... U+2069) when it holds a bidirectional
    control: an override a team wrote (the check warns about it) then reorders only that text, never
    the words a page or message puts after it."""
    if not text.isascii() and BIDI.search(text):
        return "\u2068" + text + "\u2069"
    return text


def bidi_message(char: str) -> str:
    return (f"bidirectional control character {char_name(char)}: "
            "text may display in a different order from how it reads")


BIDI_HINT = "remove it, unless the text really mixes right-to-left and left-to-right scripts"
_MORE_HINT = "remove them too; an editor's 'show invisible characters' setting shows where they are"


def _control_problem(char: str, more: int, position: Position) -> TextProblem:
    extra = f", and {more:,} more on this line" if more else ""
    return TextProblem(f"invisible control character {char_name(char)}{extra}", control_hint(char), position)


def _bidi_problem(char: str, more: int, position: Position) -> TextProblem:
    extra = f" ({more:,} more on this line)" if more else ""
    return TextProblem(bidi_message(char) + extra, BIDI_HINT, position, Severity.WARNING)


def _scan(text: str, pattern: re.Pattern[str],
          make: Callable[[str, int, Position], TextProblem]) -> list[TextProblem]:
    """The first match on each line, up to MAX_LINES_REPORTED lines, then one count of the rest:
    a file full of escape codes gives a screenful of findings, not thousands."""
    problems: list[TextProblem] = []
    line, line_start = 1, 0
    match = pattern.search(text)
    while match is not None:
        line += text.count("\n", line_start, match.start())
        line_start = text.rfind("\n", 0, match.start()) + 1
        line_end = text.find("\n", match.start())
        line_end = len(text) if line_end < 0 else line_end
        position = Position(line, match.start() - line_start + 1)
        if len(problems) == MAX_LINES_REPORTED:
            lines = len(_LINES_WITH[pattern].findall(text, line_start))
            kind = "invisible control characters" if pattern is CONTROL else "bidirectional control characters"
            problems.append(TextProblem(f"{kind} on {lines:,} more lines", _MORE_HINT, position,
                                        problems[-1].severity))
            break
        more = len(pattern.findall(text, match.end(), line_end))
        problems.append(make(match.group(), more, position))
        line_start = line_end
        match = pattern.search(text, line_end)
    return problems


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
                looks_like_card=looks_like_card(yaml_text),
            )
    return TextProblem(
        "frontmatter opened with '---' on line 1 is never closed",
        "add a line with just '---' after the last frontmatter key",
        Position(1, 1),
    )


def looks_like_card(text: str) -> bool:
    """Raw frontmatter (or a file's first lines, when the frontmatter is unclosed or the YAML
    broken): is a ``level:`` key written near the top, or are its top-level keys card-like?"""
    head = text[:4000]
    return bool(_LEVEL_KEY.search(head)) or card_like(_TOP_KEY.findall(head))


def card_like(keys: Iterable[object]) -> bool:
    """Frontmatter keys of a level card: ``level``, or ``mltrl`` or ``project`` with another key
    only cards use (``date``, ``status``, ``owners``, ...) or a key close to ``level`` (``levle``).
    A page's ordinary frontmatter (title, tags, checklist) is not card-like."""
    names = {key for key in keys if isinstance(key, str)}
    if "level" in names:
        return True
    if not names & CARD_MARKS:
        return False
    return bool(names & CARD_ONLY_KEYS) or level_typo(names) is not None


def level_typo(keys: Iterable[object]) -> str | None:
    """The key most like ``level`` (``levle``, ``Level``, ``levels``), if any is close."""
    names = [key for key in keys if isinstance(key, str) and key != "level"]
    folded = {name.casefold(): name for name in names}
    if "level" in folded:
        return folded["level"]
    guess = difflib.get_close_matches("level", list(folded), n=1, cutoff=0.7)
    return folded[guess[0]] if guess else None


def yaml_scalar(text: str) -> str:
    """``text`` as a YAML scalar for generated frontmatter: a JSON string is valid YAML
    whatever it holds (quotes, colons, '#'), and unlike Jinja's tojson (made for HTML)
    keeps ', <, > and & as written. The few characters YAML may not carry raw (DEL, C1
    controls, U+FFFE/U+FFFF, lone surrogates) are written as escapes: a raw one would make
    the whole frontmatter unreadable, and the page lose its title."""
    return json.dumps(str(text), ensure_ascii=False).translate(_YAML_UNPRINTABLE)


_YAML_UNPRINTABLE = {c: f"\\u{c:04x}" for c in (*range(0x7F, 0xA0), 0x2028, 0x2029, 0xFFFE, 0xFFFF,
                                                  *range(0xD800, 0xE000))}
"""Characters that JSON leaves raw (it escapes only C0) but YAML may not carry raw, or reads
as line breaks (NEL, U+2028, U+2029) and so folds into spaces."""
