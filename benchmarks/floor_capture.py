"""MkDocs hooks for `bench_floor.py`: during a plugin build, keep what the plugin hands MkDocs.

Listed under ``hooks:`` beside the mltrl plugin; the pickle goes to ``$MLTRL_FLOOR_CAPTURE``.
Kept: every file the plugin adds (a page's front matter, final HTML, table of contents, meta,
anchors and search input; another file's bytes), the nav section it appends, and the CSS and
JavaScript it lists. `floor_replay.py` hands all of it to MkDocs again with no plugin at all.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

_before: set[str] = set()
_captured: dict[str, Any] = {"files": {}, "pages": {}, "nav": None, "css": [], "js": []}
_styles: tuple[list[str], list[str]] = ([], [])


@event_priority(100)
def _config_before(config: MkDocsConfig) -> None:
    _styles[0].extend(config.extra_css)
    _styles[1].extend(str(script) for script in config.extra_javascript)


@event_priority(-100)
def _config_after(config: MkDocsConfig) -> None:
    _captured["css"] = [uri for uri in config.extra_css if uri not in _styles[0]]
    _captured["js"] = [str(s) for s in config.extra_javascript if str(s) not in _styles[1]]


on_config = CombinedEvent(_config_before, _config_after)


@event_priority(100)
def _files_before(files: Files, config: MkDocsConfig) -> None:
    _before.update(file.src_uri for file in files)


@event_priority(-100)
def _files_after(files: Files, config: MkDocsConfig) -> None:
    for file in files:
        if file.src_uri in _before:
            continue
        if file.is_documentation_page():
            _captured["pages"][file.src_uri] = {"source": file.content_string}
        else:
            _captured["files"][file.src_uri] = file.content_bytes


on_files = CombinedEvent(_files_before, _files_after)


def _tree(item: Any) -> Any:
    if isinstance(item, Section):
        return ("section", item.title, [_tree(child) for child in item.children])
    return ("page", item.file.src_uri)


@event_priority(-100)
def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> None:
    _captured["nav"] = _tree(nav.items[-1])
    for uri, page in _captured["pages"].items():
        file = files.get_file_from_path(uri)
        page["title"] = file.page.title if file is not None and file.page is not None else None


@event_priority(-100)
def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> None:
    kept = _captured["pages"].get(page.file.src_uri)
    if kept is not None:
        kept.update(toc=page.toc, meta=dict(page.meta), anchors=set(page.present_anchor_ids or ()))


@event_priority(150)  # after the plugin gives a held page back (200): its HTML as MkDocs writes it
def _content(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Navigation) -> None:
    kept = _captured["pages"].get(page.file.src_uri)
    if kept is not None:
        kept["content"] = page.content


@event_priority(50)  # after the plugin gives search its view (100), before search reads it (0)
def _search_input(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Navigation) -> None:
    kept = _captured["pages"].get(page.file.src_uri)
    if kept is not None and page.content != kept["content"]:
        kept["search"] = page.content


on_page_context = CombinedEvent(_content, _search_input)


def on_post_build(config: MkDocsConfig) -> None:
    Path(os.environ["MLTRL_FLOOR_CAPTURE"]).write_bytes(pickle.dumps(_captured, pickle.HIGHEST_PROTOCOL))
