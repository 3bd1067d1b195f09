"""What search indexes of a generated page: the whole page, its marked parts, or nothing."""

from __future__ import annotations

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
