"""What search indexes of a generated page: the whole page, its marked parts, or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from mltrl_docs.render.search import SEARCH_MARKS, Search, search_view, unmarked

START, END = SEARCH_MARKS


def test_a_page_kind_gives_search_all_some_or_none_of_it() -> None:
    html = f"<p>pager</p>{START}<h1>T</h1>{END}<table>history</table>{START}<p>body</p>{END}<p>tail</p>"
    assert search_view(html, Search.PAGE) == "<h1>T</h1>\n<p>body</p>"
    assert search_view(html, Search.NONE) is None
    assert search_view(html, Search.MARKED) == "<h1>T</h1>\n<p>body</p>"
    assert search_view("<p>nothing marked</p>", Search.MARKED) == ""
    assert search_view(f"{START}<p>open to the end", Search.MARKED) == "<p>open to the end"


def test_the_marks_are_not_published() -> None:
    assert unmarked(f"a{START}b{END}c") == "abc"
    assert unmarked("plain") == "plain"


def test_glossary_links_are_bare_in_the_view_and_search_indexes_the_same_text() -> None:
    """A term's link carries its definition twice; search reads the text, not the attributes, so
    the view opens the link bare, and Material's parser finds the same sections and words."""
    from material.plugins.search.plugin import Parser

    term = ('<a class="mltrl-term" href="../glossary/#gate" data-term="Gate: " '
            'aria-description="a review &amp; more">gated review</a>')
    body = f'<h1 id="t">T</h1><p>Passed its {term} on <code>x</code>.</p><h2 id="u">U</h2><p>{term}s</p>'
    view = search_view(f"{START}{body}{END}", Search.MARKED)
    assert view is not None and "data-term" not in view and view.count("<a>gated review</a>") == 2

    def sections(html: str) -> list[tuple[str | None, str, str]]:
        parser = Parser()
        parser.feed(html)
        parser.close()
        return [(s.id, "".join(s.title), "".join(s.text)) for s in parser.data]

    assert sections(view) == sections(body)
    assert sections(view)[0] == (None, "T", "<p>Passed its gated review on <code>x</code>.</p>")


def test_every_view_of_the_example_indexes_as_its_page_with_all_its_attributes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The view opens tags bare but for what search reads (a heading's id, data-search-exclude, a
    permalink's and line numbers' class): for every generated page of the example (with
    permalinks on its headings), Material's parser finds the same sections, titles
    and text in it as in the view with every attribute, and reads fewer bytes."""
    from material.plugins.search.plugin import Parser

    from mltrl_docs.dossier import build_site
    from mltrl_docs.render import search
    from mltrl_docs.render.html import Renderer
    from mltrl_docs.render.outline import Permalink, outline
    from mltrl_docs.render.pages import site_pages
    from mltrl_docs.settings import load_settings

    settings, _ = load_settings(Path(__file__).parents[2] / "site_example" / "mltrl-docs.yml")
    assert settings is not None
    renderer = Renderer("dossier")
    pages = [page for page in site_pages(build_site(settings), "dossier") if page.search is not Search.NONE]

    def sections(html: str) -> list[tuple[str | None, str, str]]:
        parser = Parser()
        parser.feed(html)
        parser.close()
        return [(s.id, "".join(s.title), "".join(s.text)) for s in parser.data]

    bare = whole = 0
    for page in pages:
        html = outline(renderer.render(page, lambda uri: uri, {}, marked=True), Permalink()).html  # as the plugin
        view = search_view(html, page.search)
        with monkeypatch.context() as patch:
            patch.setattr(search, "_bare", lambda tag: tag.group())
            full = search_view(html, page.search)
        assert view is not None and full is not None
        assert sections(view) == sections(full), page.uri
        assert not any("¶" in title for _, title, _ in sections(view)), page.uri  # the permalinks are not titles
        bare, whole = bare + len(view), whole + len(full)
    assert len(pages) > 30 and bare < 0.9 * whole
