"""A generated page's headings: ids unique and escaped, permalinks as the toc extension writes
them, and the outline a theme shows as the table of contents."""

from __future__ import annotations

import re

import markdown

from mltrl_docs.render.outline import Heading, Permalink, outline

PAGE = """<h1>P1: Drift &amp; monitor</h1>
<p>intro</p>
<h2 id="gates">Gates: declared level 4</h2>
<h3 id="gap-to-next-level">To pass the gates of level 5</h3>
<h3>Coupled <span class="x">components</span></h3>
<h2 id="level-history">Level history</h2>
<div id="board"></div>
<h2>Board</h2>
<h4>Deep</h4>
<h2>Board</h2>
"""


def tree(headings: tuple[Heading, ...] | list[Heading]) -> list[tuple[int, str, str, list]]:
    return [(h.level, h.id, h.title, tree(h.children)) for h in headings]


def test_the_title_is_the_root_and_h2_h3_its_entries_with_unique_ids() -> None:
    shaped = outline(PAGE)
    assert tree(shaped.toc) == [(1, "p1-drift-monitor", "P1: Drift &amp; monitor", [
        (2, "gates", "Gates: declared level 4", [
            (3, "gap-to-next-level", "To pass the gates of level 5", []),
            (3, "coupled-components", "Coupled components", [])]),
        (2, "level-history", "Level history", []),
        (2, "board_1", "Board", []),  # "board" is a div's id: never taken twice on a page
        (2, "board_2", "Board", []),
    ])]
    ids = re.findall(r' id="([^"]*)"', shaped.html)
    assert len(ids) == len(set(ids)) and '<h4 id="deep">Deep</h4>' in shaped.html
    assert {"gates", "board", "board_1", "deep", "p1-drift-monitor"} <= shaped.anchors
    assert outline(PAGE).html == shaped.html  # the same page, the same ids


def test_permalinks_are_the_markup_python_markdowns_toc_extension_writes() -> None:
    source = "# Title\n\n## Level history\n\n### Deep one\n"
    expected = markdown.markdown(source, extensions=["toc"], extension_configs={"toc": {"permalink": True}})
    html = markdown.markdown(source)  # the same headings, without ids or permalinks
    assert outline(html, Permalink()).html == expected
    leading = outline("<h2>A</h2>", Permalink("#", "", "anchor", leading=True)).html
    assert leading == '<h2 id="a"><a class="anchor" href="#a">#</a>A</h2>'
    once = outline(PAGE, Permalink()).html
    assert outline(once, Permalink()).html == once  # never a second permalink


def test_hostile_heading_text_stays_text_in_ids_titles_and_permalinks() -> None:
    shaped = outline('<h2>&lt;img src=x onerror=alert(1)&gt; &quot;q&quot;</h2>', Permalink())
    [entry] = shaped.toc
    assert entry.id == "img-srcx-onerroralert1-q"
    assert entry.title == "&lt;img src=x onerror=alert(1)&gt; \"q\""
    assert "<img" not in shaped.html and shaped.html.count("<a ") == 1


def test_a_duplicate_template_id_is_renamed_and_text_without_letters_still_gets_one() -> None:
    shaped = outline('<h2 id="findings">Findings</h2><h3 id="findings">More</h3><h2>…</h2><h2>Über Daten</h2>')
    assert [(h.id, [c.id for c in h.children]) for h in shaped.toc] == [
        ("findings", ["more"]), ("section", []), ("über-daten", [])]  # the second "findings" is renamed


def test_a_page_without_a_title_lists_its_entries_at_the_top() -> None:
    assert tree(outline("<h3>A</h3><h2>B</h2><h3>C</h3>").toc) == [
        (3, "a", "A", []), (2, "b", "B", [(3, "c", "C", [])])]
