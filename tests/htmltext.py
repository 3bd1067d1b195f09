"""Parse built pages for tests: visible text, links, and elements by class."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

INLINE = frozenset({"a", "abbr", "b", "code", "del", "em", "i", "ins", "kbd", "mark", "small", "span", "strong", "sub",
                    "sup"})
"""Elements that do not separate words: their text joins the text around them."""


class Page(HTMLParser):
    def __init__(self, path: Path) -> None:
        super().__init__(convert_charrefs=True)
        self.path = path
        self.text_parts: list[str] = []
        self.links: list[str] = []
        self.classes: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self._skip = 0
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag not in INLINE:
            self.text_parts.append(" ")
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"] or "")
        self.classes += (attributes.get("class") or "").split()

    def handle_endtag(self, tag: str) -> None:
        if tag not in INLINE:
            self.text_parts.append(" ")
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text_parts.append(data)

    @property
    def text(self) -> str:
        return " ".join("".join(self.text_parts).split())
