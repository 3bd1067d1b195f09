"""What search indexes of a generated page: the whole page, its marked parts, or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from fuzz_strategies import budget
from mltrl_docs.render.search import SEARCH_MARKS, Search, flattened, search_view, unmarked

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

    bare = whole = tags = flat_tags = 0
    for page in pages:
        html = outline(renderer.render(page, lambda uri: uri, {}, marked=True), Permalink()).html  # as the plugin
        view = search_view(html, page.search)
        with monkeypatch.context() as patch:
            patch.setattr(search, "_bare", lambda tag: tag.group())
            full = search_view(html, page.search)
        assert view is not None and full is not None
        assert sections(view) == sections(full), page.uri
        assert not any("¶" in title for _, title, _ in sections(view)), page.uri  # the permalinks are not titles
        assert sections(flattened(view)) == sections(full), page.uri
        bare, whole = bare + len(view), whole + len(full)
        tags, flat_tags = tags + view.count("<"), flat_tags + flattened(view).count("<")
    assert len(pages) > 30 and bare < 0.9 * whole
    assert flat_tags < 0.5 * tags


def _sections(html: str) -> list[tuple[str | None, str, str, bool]] | str:
    """What Material's search parser makes of ``html``: each section's id, title, text, exclusion
    (or the error it stops with: it cannot read some HTML no template writes, such as a ``p`` in a ``p``)."""
    from material.plugins.search.plugin import Parser

    parser = Parser()
    try:
        parser.feed(html)
        parser.close()
    except ValueError as stopped:
        return repr(stopped)
    return [(s.id, "".join(s.title), "".join(s.text), s.is_excluded()) for s in parser.data]


@pytest.mark.parametrize("html", [
    '<table>\n<tr><th>Project</th><td><a>Model (R1)</a></td></tr>\n\n'
    '<tr><th>Level</th><td><span>L4</span></td></tr>\n</table>',
    '<div><h1 id="t">T</h1><p>in</p></div><span>after the heading\'s parent</span><h2 id="u">U</h2>x',
    '<div><span>x</span></div><h1 id="t">T</h1>',  # the parser's first section opens at the first tag
    '<span>a</span>&nbsp;<span>b</span> <em>c</em>\t<em>d</em>',
    '<pre><code><span>def</span>  <span>f</span>\n\n  <b>x</b></code></pre><span> y </span>',
    '<div data-search-exclude><span>hidden</span> <b>too</b></div><span>shown</span>',
    '<h2 id="h">A <a class="headerlink">&para;</a> <span>B</span></h2><div><span>t</span></div>',
    '<p>open <span>to the end',
    '<script>if (a <b) {}</script><span>x</span>',
    '<b><i>not nested</b></i>',
    '<!-- a comment --><span>x</span>',
    '<span>a</span><br><img><span>b</span>',
])
def test_a_flattened_view_gives_materials_search_the_same_sections(html: str) -> None:
    assert _sections(flattened(html)) == _sections(html)
    assert flattened(html).count("<") <= html.count("<")


def test_flattening_takes_out_the_tags_search_reads_nothing_of() -> None:
    assert flattened("<p>A <a>term</a> and <span><em>more</em></span>.</p>") == "<p>A term and more.</p>"
    assert flattened("<td>x</td>\n<td>y</td>") == "<td>x</td>\n<td>y</td>"  # whitespace alone: the parser's own
    assert flattened("<b><i>not nested</b></i>") == "<b><i>not nested</b></i>"


_TAGS = st.sampled_from(["div", "span", "a", "td", "tr", "table", "p", "li", "ul", "code", "pre", "em", "h1", "h2",
                         "h3", "section"])
_TEXT = st.sampled_from(["", "", "x", "two words", " ", "\n", "\n\n", "\t", " a ", "a\nb", "&nbsp;", "&amp;",
                         "&lt;b&gt;"])


@st.composite
def _html(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        parts.append(draw(_TEXT))
        kind = draw(st.integers(0, 9))
        if kind == 0:
            parts.append(draw(st.sampled_from(["<br>", "<img>", "<hr/>"])))
        elif depth < 4:
            name = draw(_TAGS)
            attributes = draw(st.sampled_from(["", "", "", ' id="i"', ' data-search-exclude', ' class="headerlink"']))
            parts.append(f"<{name}{attributes}>{draw(_html(depth + 1))}</{name}>")
    parts.append(draw(_TEXT))
    return "".join(parts)


@budget(0.3)
@given(_html())
@example('<div>\n<h1 id="i">T</h1></div> x')
def test_any_view_flattened_gives_materials_search_the_same_sections(html: str) -> None:
    assert _sections(flattened(html)) == _sections(html)
