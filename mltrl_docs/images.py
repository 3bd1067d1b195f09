"""Images that Markdown written by a team would show, and which of them leave the site.

The published dossier promises to load nothing from outside its own files (it is
read on air-gapped networks, and a remote image is also a tracking pixel). An
image with a URL is therefore *external* unless the site lists its host in the
``image_hosts`` setting; the renderer shows an external image as its alt text,
and the rules report it where it is written.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token

from mltrl_docs.findings import Position
from mltrl_docs.references import scheme_of


def card_parser() -> MarkdownIt:
    """How Markdown written by a team is parsed: CommonMark with tables and strikethrough,
    raw HTML off. render.markdown adds its render rules to one; the check here parses with
    another, so both see the same images."""
    return MarkdownIt("commonmark", {"html": False, "typographer": False}).enable(["table", "strikethrough"])


_md = card_parser()


@dataclass(frozen=True, slots=True)
class Image:
    src: str
    position: Position


def images(markdown: str, first_line: int = 1) -> list[Image]:
    """Every image of ``markdown`` (which starts on file line ``first_line``), in order."""
    if "![" not in markdown:
        return []  # most bodies have no image: skip the inline parse
    lines = markdown.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    found = []
    for block in _md.parse(markdown):
        start, end = (offsets[block.map[0]], offsets[block.map[1]]) if block.map else (0, len(markdown))
        cursor = start
        for token in _image_tokens(block):
            src = str(token.attrGet("src") or "")
            at = markdown.find(src, cursor, min(end, cursor + _WINDOW + len(src))) if src else -1
            if at >= 0:
                cursor = at + len(src)
            found.append(Image(src, _position(at if at >= 0 else start, offsets, first_line)))
    return found


_WINDOW = 4096
"""How far past the previous image a source is looked for: an image's URL follows the one
before it closely, and a bounded search keeps many images linear. A reference image's URL is
written elsewhere; it is located at its paragraph."""


def _image_tokens(block: Token) -> Iterator[Token]:
    stack = list(reversed(block.children or []))
    while stack:
        token = stack.pop()
        if token.type == "image":
            yield token
        stack.extend(reversed(token.children or []))


def _position(offset: int, offsets: list[int], first_line: int) -> Position:
    index = bisect_right(offsets, offset) - 1
    return Position(first_line + index, offset - offsets[index] + 1)


def is_external(src: str, hosts: Collection[str]) -> bool:
    """True for an image URL the site may not load: any URL but http(s) from a listed host."""
    scheme = scheme_of(src)
    if scheme is None:
        return False  # a path: published by the site or shown as text
    if scheme not in ("http", "https"):
        return True
    try:
        netloc = urlsplit(src.strip()).netloc.rpartition("@")[2].lower()
    except ValueError:
        return True
    return not netloc or (netloc not in hosts and netloc.split(":")[0] not in hosts)


def host(src: str) -> str:
    """The host an image URL names, for messages ('' when it names none)."""
    try:
        return urlsplit(src.strip()).hostname or ""
    except ValueError:
        return ""
