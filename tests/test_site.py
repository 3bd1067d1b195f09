"""The root mkdocs.yml builds strictly and the site loads nothing from outside itself."""

from __future__ import annotations

import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import REPO

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
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(REPO / "mkdocs.yml"),
                             "-d", str(out)], capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return out


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
