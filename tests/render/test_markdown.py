"""Card Markdown to HTML: escaped, safe links, relative links resolved or unlinked."""

from __future__ import annotations

from pathlib import Path

from mltrl_docs.render.html import relinker
from mltrl_docs.render.markdown import to_html


def test_raw_html_is_text_and_unsafe_schemes_are_not_links() -> None:
    html = to_html('<script>x()</script>\n\n<img src=x onerror="y()"> [a](javascript:z()) [b](data:text/html,x)')
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript' not in html and 'href="data' not in html


def test_tables_and_strikethrough() -> None:
    html = to_html("| a | b |\n|---|---|\n| 1 | ~~2~~ |\n")
    assert "<table>" in html and "<s>2</s>" in html


def test_relative_links_go_to_published_pages_or_become_text(tmp_path: Path) -> None:
    card = tmp_path / "p" / "L2.md"
    published = {(tmp_path / "p" / "ethics.md").resolve(): "dossier/P/pages/ethics.md",
                 (tmp_path / "p" / "L1.md").resolve(): "dossier/P/L1-2020-01-01.md"}
    relink = relinker(card, published, lambda uri: "../" + uri.removesuffix(".md") + "/")
    html = to_html("[checklist](ethics.md#consent) [previous](./L1.md) [run](evidence/run.csv) "
                   "[web](https://wiki.example.internal/x) [top](#intro) ![plot](plot.png)", relink)
    assert 'href="../dossier/P/pages/ethics/#consent"' in html
    assert 'href="../dossier/P/L1-2020-01-01/"' in html
    assert 'href="https://wiki.example.internal/x"' in html and 'href="#intro"' in html
    assert '<a class="mltrl-unpublished" title="evidence/run.csv (a file in the repository' in html
    assert 'href="evidence/run.csv"' not in html
    assert '<span class="mltrl-unpublished" title="plot.png (not published)">[plot]</span>' in html


def test_images_from_outside_the_site_render_as_their_alt_text() -> None:
    html = to_html("![chart](https://cdn.example.com/c.png) ![ok](https://assets.example.internal/a.png) "
                   "![pixel](//t.example/p.gif) ![png](data:image/png;base64,iVBORw0KGgo=)",
                   image_hosts=("assets.example.internal",))
    assert "<img" in html and 'src="https://assets.example.internal/a.png"' in html
    assert html.count("<img") == 1
    assert "[chart]" in html and "[pixel]" in html and "[png]" in html
    assert "cdn.example.com/c.png" in html  # named in the title, never as a src


def test_table_alignment_is_an_align_attribute_never_an_inline_style() -> None:
    html = to_html("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |")
    assert "style=" not in html
    assert html.count('align="center"') == 2 and html.count('align="right"') == 2 and html.count('align="left"') == 2


def test_a_text_parsed_once_renders_for_each_page_with_that_pages_links() -> None:
    """A card body is shown on its card page, its dossier page and its packet: parsed once
    (``_parsed``), rendered for each page from the same tokens, each with its own relative links,
    as if parsed afresh; the rules that set a link or an image for one page leave the tokens as
    they were."""
    from mltrl_docs.render import markdown as rendering

    text = ("See [the report](evidence/report.md), [gone](evidence/gone.md) and ![plot](plot.png).\n\n"
            "| a | b |\n|:-:|--:|\n| 1 | 2 |\n")
    rendering._parsed.cache_clear()
    near = to_html(text, relink=lambda href: None if "gone" in href else f"../files/{href}")
    far = to_html(text, relink=lambda href: None if "gone" in href else f"../../files/{href}")
    assert rendering._parsed.cache_info().hits == 1
    assert 'href="../files/evidence/report.md"' in near and 'src="../files/plot.png"' in near
    assert 'href="../../files/evidence/report.md"' in far and 'src="../../files/plot.png"' in far
    assert "../files" not in far.replace("../../files", "")
    rendering._parsed.cache_clear()
    assert to_html(text, relink=lambda href: None if "gone" in href else f"../../files/{href}") == far
    assert near.count('align="center"') == far.count('align="center"') == 2 and "style=" not in far
    assert near.count('class="mltrl-unpublished"') == far.count('class="mltrl-unpublished"') == 1
