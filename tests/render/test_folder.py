"""``render.folder``: the URLs a rendered page links with, where its file goes, and the fragment;
``render.site``: what the plugin and ``mltrl-docs render`` share."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from mltrl_docs.dossier import build_dossier
from mltrl_docs.render.folder import Host, file_uri, fragment, page_markdown, page_url, relative_url
from mltrl_docs.render.html import Renderer
from mltrl_docs.render.navigation import NavSection
from mltrl_docs.render.pages import site_pages
from mltrl_docs.render.site import ASSETS, asset_text, folder_prefix, front_matter

URIS = ["dossier/index.md", "dossier/levels.md", "dossier/R02.1/index.md", "dossier/R02.1/L4-2021-06-14.md",
        "dossier/R02.1/pages/notes/ethics.md", "dossier/R02.1/files/evidence/run 1.csv", "index.md",
        "org/dossier/glossary/teams.md", "dossier/R02.1/files/a%b#c.txt", "dossier/P 1/README.md"]


@pytest.mark.parametrize("uri", URIS)
def test_a_file_is_served_where_mkdocs_serves_it_with_directory_urls(uri: str) -> None:
    assert page_url(uri) == File(uri, "/docs", "/site", use_directory_urls=True).url


@pytest.mark.parametrize("here", URIS)
def test_a_link_is_the_relative_url_mkdocs_gives(here: str) -> None:
    for there in URIS:
        assert relative_url(page_url(there), page_url(here)) == get_relative_url(page_url(there), page_url(here))
    assert relative_url("a/b/", "a/b/c.html") == get_relative_url("a/b/", "a/b/c.html")


def test_a_page_name_a_theme_would_print_as_markup_is_written_percent_encoded() -> None:
    assert file_uri("dossier/R1/L4-2021-06-14.md") == "dossier/R1/L4-2021-06-14.md"
    assert (file_uri("dossier/R1/pages/a \"><svg onload=x>&'`.md")
            == "dossier/R1/pages/a %22%3E%3Csvg onload=x%3E%26%27%60.md")
    assert file_uri("p/a%22.md") != file_uri('p/a".md')  # '%' too: no two names meet


def test_the_prefix_is_one_or_more_plain_folder_names() -> None:
    assert folder_prefix("/org/dossier/") == "org/dossier"
    assert [folder_prefix(v) for v in ("", "/", ".", "..", "a/../b", "a//b", "-x", "x y")] == [None] * 8


def test_the_front_matter_escapes_titles_and_tags_and_takes_more_lines() -> None:
    dossier = build_dossier((), ())
    page = site_pages(dossier)[0]
    hostile = type(page)(page.uri, '<img src=x onerror="a">', page.template, page.context, tags=("<b>", "ok"))
    text = front_matter(hostile, ("hide: [toc]",))
    meta = yaml.safe_load(text.split("---\n")[1])
    assert meta == {"title": "&lt;img src=x onerror=&quot;a&quot;&gt;", "tags": ["&lt;b&gt;", "ok"], "hide": ["toc"]}
    assert text.startswith("---\n") and text.endswith("---\n")


def test_the_assets_are_the_shipped_files() -> None:
    assert ASSETS == ("mltrl/mltrl.css", "mltrl/mltrl-print.css", "mltrl/mltrl.js")
    assert all(asset_text(uri) for uri in ASSETS)


def _portfolio_markdown(host: Host, known: dict[str, str], sources: tuple[Path, ...] = ()) -> str:
    dossier = build_dossier(sources, ())
    portfolio = site_pages(dossier)[0]
    return page_markdown(Renderer("dossier"), portfolio, known, {}, host)


def test_a_page_is_its_front_matter_and_one_raw_html_block() -> None:
    text = _portfolio_markdown(Host.MKDOCS, {"dossier/index.md": "dossier/index.md"})
    front, body = text.split("---\n")[1], text.split("---\n", 2)[2]
    assert yaml.safe_load(front) == {"title": "Portfolio", "hide": ["toc"], "search": {"exclude": True}}
    assert body.startswith('\n<div class="mltrl-rendered">\n<!--mltrl-content--><h1')
    assert body.endswith("<!--/mltrl-content-->\n</div>\n")
    assert "\n\n" not in body.strip().split("\n", 1)[0]


@pytest.mark.parametrize(("host", "link"), [(Host.MKDOCS, 'href="C1/"'), (Host.ZENSICAL, 'href="C1/index.md"')])
def test_links_are_written_as_the_host_reads_them(host: Host, link: str, write_card, tmp_path: Path) -> None:
    write_card("src/c1/L2.md")
    known = {"dossier/index.md": "dossier/index.md", "dossier/C1/index.md": "dossier/C1/index.md"}
    assert link in _portfolio_markdown(host, known, (tmp_path / "src",))
    left_out = _portfolio_markdown(host, {"dossier/index.md": "dossier/index.md"}, (tmp_path / "src",))
    assert "C1/" not in left_out and ">C1<" in left_out  # a page the site leaves out: text


def test_the_fragment_holds_the_nav_and_the_settings_the_pages_need() -> None:
    entries = ("dossier/index.md", NavSection("Research <1>", ("dossier/R1/index.md",)))
    config = yaml.safe_load(fragment("dossier", entries, "Dossier"))
    assert config == {
        "site_name": "Dossier", "docs_dir": "docs", "theme": {"name": "material", "font": False},
        "use_directory_urls": True, "not_in_nav": "/dossier/",
        "edit_uri": "", "extra_css": ["mltrl/mltrl.css", "mltrl/mltrl-print.css"],
        "extra_javascript": ["mltrl/mltrl.js"],
        "nav": [{"Dossier": ["dossier/index.md", {"Research &lt;1&gt;": ["dossier/R1/index.md"]}]}]}

