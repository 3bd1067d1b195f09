"""The root mkdocs.yml builds strictly and the site loads nothing from outside itself."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

LOADING = {"script": "src", "img": "src", "iframe": "src", "source": "src", "link": "href"}


class _Resources(HTMLParser):
    """Every URL a page would fetch by itself (not anchors a reader may click)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = LOADING.get(tag)
        for name, value in attrs:
            if name == wanted and value:
                self.urls.append(value)


@pytest.fixture(scope="module")
def site(example_site: Path) -> Path:
    """The root mkdocs.yml built strictly, once per session (conftest.example_site)."""
    return example_site


def test_guide_page_is_built(site: Path) -> None:
    html = (site / "index.html").read_text(encoding="utf-8")
    assert "Writing level cards" in html and "YAML traps" in html


def test_nothing_is_loaded_from_outside_the_site(site: Path) -> None:
    external = []
    for page in site.rglob("*.html"):
        parser = _Resources()
        parser.feed(page.read_text(encoding="utf-8"))
        external += [f"{page.name}: {u}" for u in parser.urls if u.startswith(("http:", "https:", "//"))]
    assert external == []
