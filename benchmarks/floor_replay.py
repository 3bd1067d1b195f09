"""MkDocs hooks for `bench_floor.py`: the plugin's site built again by MkDocs and Material alone.

Listed under ``hooks:`` in a config with no mltrl plugin; reads what `floor_capture.py` kept
from ``$MLTRL_FLOOR_REPLAY``. Every page arrives ready-made (its HTML, table of contents, meta,
anchors, title, search input), every other file as its bytes, the nav section as the plugin
built it: the build then costs what MkDocs and Material spend on the site the plugin publishes,
with none of the plugin's own work (no card is read, checked or rendered).
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.structure import StructureItem
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

_captured: dict[str, Any] = pickle.loads(Path(os.environ["MLTRL_FLOOR_REPLAY"]).read_bytes())
_published: dict[str, str] = {}


def on_config(config: MkDocsConfig) -> None:
    config.extra_css.extend(_captured["css"])
    config.extra_javascript.extend(_captured["js"])


def on_files(files: Files, config: MkDocsConfig) -> None:
    for uri, content in _captured["files"].items():
        files.append(File.generated(config, uri, content=content))
    for uri, page in _captured["pages"].items():
        files.append(File.generated(config, uri, content=page["source"], inclusion=InclusionLevel.NOT_IN_NAV))


def _item(tree: Any, files: Files) -> StructureItem:
    if tree[0] == "page":
        page = files.get_file_from_path(tree[1]).page  # type: ignore[union-attr]
        assert page is not None
        return page
    children = [_item(child, files) for child in tree[2]]
    section = Section(tree[1], children)
    for child in children:
        child.parent = section
    return section


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> None:
    for uri, page in _captured["pages"].items():
        file = files.get_file_from_path(uri)
        if file is not None and file.page is not None and page["title"] is not None:
            file.page.title = page["title"]
    nav.items.append(_item(_captured["nav"], files))


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    kept = _captured["pages"].get(page.file.src_uri)
    if kept is None:
        return html
    page.toc = kept["toc"]
    page.meta.update(kept["meta"])
    page.present_anchor_ids = kept["anchors"]
    return str(kept["content"])


@event_priority(100)
def _search_input(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Navigation) -> None:
    search = _captured["pages"].get(page.file.src_uri, {}).get("search")
    if search is not None and page.content is not None:
        _published[page.file.src_uri] = page.content
        page.content = search


@event_priority(-100)
def _published_content(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Navigation) -> None:
    if page.file.src_uri in _published:
        page.content = _published.pop(page.file.src_uri)


on_page_context = CombinedEvent(_search_input, _published_content)
