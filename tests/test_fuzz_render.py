"""Fuzzing the HTML renderer: dossiers built from hostile cards (payloads in every text
field, link, evidence path, glossary term and attachment), every page rendered with
``Renderer(prefix).render(page, url_for, published)`` as the MkDocs plugin does, and each
page read back with html.parser: no script element, no ``on*`` attribute, no
javascript:/data:/vbscript: URL, no payload written out unescaped, and template syntax
written in a card never evaluated.

Budgets come from the hypothesis profile (conftest.py, docs/fuzzing.md).
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from html import escape as html_escape
from html.parser import HTMLParser

import pytest
import yaml
from hypothesis import example, given, note
from hypothesis import strategies as st

from fuzz_strategies import (
    PATTERN_CONTROL,
    budget,
    dossier_files,
    frontmatter_file,
    safe_text,
    tree,
)
from mltrl_docs.dossier import build_dossier
from mltrl_docs.frontmatter import yaml_scalar
from mltrl_docs.gates import GateSettings
from mltrl_docs.render.html import Renderer
from mltrl_docs.render.pages import OPTIONAL_PAGES, site_pages

TEMPLATE = "⟦{{ 7*7 }}⟧"
"""Template syntax between markers: the page must show it as written, never '⟦49⟧'."""
PAYLOADS = [
    "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "'><svg onload=alert(1)>", "javascript:alert(1)",
    TEMPLATE, "{% raw %}", "{% endraw %}", "{{", "}}", "{#", "&amp;", "&lt;b&gt;", "&quot;", "&#x3C;script&#x3E;",
    "\u202e", "\u202ereversed", "</textarea><script>x</script>", "<!--", "-->", "]]>", "${7*7}", "`", "'", '"',
    "[x](javascript:alert(1))", "[x](JaVaScRiPt:alert(1))", "<javascript:alert(1)>", "![i](javascript:alert(1))",
    "[d](data:text/html;base64,PHNjcmlwdD4=)", "[v](vbscript:msgbox(1))", "[r][1]\n\n[1]: javascript:alert(1)",
    "<img src=x onerror=alert(1)>", "\n<script>\nalert(1)\n</script>\n", "<a href=\"javascript:alert(1)\">a</a>",
    "\n```html\n<script>alert(1)</script>\n```\n", "**bold** _em_ `code`", "# heading",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "[e](&#106;avascript:alert(1))", "[t](java\tscript:alert(1))", "[s]( javascript:alert(1))",
]
HOSTILE_URLS = [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)", "&#106;avascript:alert(1)",
    "https://x.example/\"><script>alert(1)</script>", "https://x.example/?q=<script>", "ethics.md",
    "evidence/a.txt", "../../etc/passwd", "//evil.example/x", "http://x.example/{{ 7*7 }}", "mailto:a@b\"c",
    "\u202ehttps://x.example",
]
hostile_text = st.lists(st.one_of(st.sampled_from(PAYLOADS), safe_text), min_size=1, max_size=4).map("".join)
hostile_urls = st.sampled_from(HOSTILE_URLS)
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")
URL_ATTRIBUTES = frozenset({"href", "src", "xlink:href", "action", "formaction", "poster", "data", "srcset",
                            "background", "cite"})
FORBIDDEN_ELEMENTS = frozenset({"script", "iframe", "object", "embed", "base", "form", "frame", "meta"})


class Parsed(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.text: list[str] = []
        self.feed(source)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FORBIDDEN_ELEMENTS:
            self.problems.append(f"<{tag}> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...> event handler attribute")
            if name in URL_ATTRIBUTES and value is not None:
                # Browsers ignore leading spaces and controls and drop tabs and newlines inside a URL.
                url = re.sub(r"[\t\n\r]", "", value).lstrip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e"
                                                            "\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a"
                                                            "\x1b\x1c\x1d\x1e\x1f ").lower()
                if url.startswith(BAD_SCHEMES):
                    self.problems.append(f"<{tag} {name}={value!r}>")
            if value is not None:
                self.text.append(value)

    handle_startendtag = handle_starttag

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def check_page(uri: str, html: str) -> None:
    parsed = Parsed(html)
    assert parsed.problems == [], f"{uri}: {parsed.problems}"
    lowered = html.lower()
    for raw in ("<script", "<img src=x", "<svg onload", "<iframe"):
        assert raw not in lowered, f"{uri}: raw payload {raw!r}"
    for payload in ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "<svg onload=alert(1)>",
                    "<img src=x onerror=alert(1)>"):
        assert payload not in html, f"{uri}: payload written unescaped: {payload!r}"
    everything = "".join(parsed.text)
    for written in re.findall(r"⟦(.*?)⟧", everything, re.DOTALL) + re.findall(r"⟦(.*?)⟧", html, re.DOTALL):
        assert "49" not in written, f"{uri}: template syntax was evaluated: ⟦{written}⟧"


def glossary_text(draw: st.DrawFn) -> str:
    terms = [{"term": draw(st.sampled_from(["switchback", "gate", "alert", "script", "img", "amp", "x"])) + suffix,
              "definition": draw(hostile_text) + " ", "aliases": [draw(hostile_text).strip() or "alias"]}
             for suffix in ("", " review")]
    return yaml.safe_dump({"mltrl": 1, "terms": terms}, allow_unicode=True)


@st.composite
def hostile_sites(draw: st.DrawFn) -> tuple[dict[str, str], str, tuple[str, ...]]:
    files = draw(dossier_files(text=hostile_text, max_projects=2, max_cards=3, urls=hostile_urls))
    project = next(iter(files)).split("/")[1]
    files[f"src/{project}/ethics.md"] = f"---\ntitle: {yaml_scalar(draw(hostile_text))}\n---\n{draw(hostile_text)}\n"
    files[f"src/{project}/notes/{draw(st.sampled_from(['a', 'b-c', 'é']))}.md"] = f"# {draw(hostile_text)}\n\n" + (
        draw(hostile_text))
    if draw(st.booleans()):
        files[f"src/{project}/glossary.yml"] = glossary_text(draw)
    files["glossary/org.yml"] = glossary_text(draw)
    mode = draw(st.sampled_from(["first", "every", "off"]))
    include = tuple(draw(st.lists(st.sampled_from(OPTIONAL_PAGES), unique=True, min_size=len(OPTIONAL_PAGES) - 2)))
    return files, mode, include


RENDERER = Renderer("dossier")
"""One renderer for every example, as a site has one: compiling the templates is most of a
fresh renderer's first page."""


def render_site(files: dict[str, str], mode: str, include: tuple[str, ...]) -> dict[str, str]:
    """Every page of the site, rendered as the plugin renders it."""
    with tree(files) as root:
        dossier = build_dossier([root / "src"], [root / "glossary" / "org.yml"], gates=GateSettings(),
                                today=dt.date(2030, 1, 1))
        pages = site_pages(dossier, "dossier", include)
        uris = {page.uri for page in pages}
        published = {page.source: page.uri for page in pages if page.source is not None}
        renderer = RENDERER
        renderer.use_glossary(dossier.glossary, mode)  # type: ignore[arg-type]
        out: dict[str, str] = {}
        for page in pages:
            def url_for(uri: str, here: str = page.uri) -> str | None:
                if uri not in uris:
                    return None
                return posixpath.relpath(uri.removesuffix(".md") + "/", posixpath.dirname(here.removesuffix(".md")))

            out[page.uri] = renderer.render(page, url_for, published)
        return out


@budget(0.4)
@given(hostile_sites())
def test_hostile_cards_render_safe_pages(site: tuple[dict[str, str], str, tuple[str, ...]]) -> None:
    rendered = render_site(*site)
    assert rendered
    for uri, html in rendered.items():
        note(f"{uri}")
        check_page(uri, html)


@budget(0.3)
@given(st.lists(hostile_text, min_size=1, max_size=3), hostile_urls, st.sampled_from(["first", "every"]))
@example([TEMPLATE, "{% raw %}x{% endraw %}"], "javascript:alert(1)", "every")
@example(['"><img src=x onerror=alert(1)>', "<script>alert(1)</script>"], "java\tscript:alert(1)", "first")
def test_one_hostile_card_everywhere(texts: list[str], url: str, mode: str) -> None:
    """One card with the payloads in every field a template shows."""
    text = " ".join(texts)
    card = {
        "mltrl": 1, "project": "P1", "title": text, "level": 4, "date": "2021-06-14", "status": "approved",
        "owners": [text], "team": text, "reviewers": [{"name": text, "decision": "approved", "note": text}],
        "transition": {"kind": "advance", "reason": text},
        "links": {"code": url, "docs": url, "x": url}, "ethics": {"pre_development": "complete", "checklist": url},
        "requirements": [{"id": "1", "kind": "research", "text": text, "verification": "test", "status": "waived",
                          "reason": text, "evidence": [url, "evidence/a.txt"], "risk": {"likelihood": 5, "impact": 5}}],
        "tech_debt": [{"text": text, "change": "gained"}], "tags": [text], "x-note": text,
    }
    files = {"src/P1/card.md": frontmatter_file(card, f"\n**TL;DR**: {text}\n\n## {text}\n\n{text}\n\n[l]({url})\n"),
             "src/P1/evidence/a.txt": "x\n", "src/P1/ethics.md": f"# {text}\n\n{text}\n",
             "glossary/org.yml": yaml.safe_dump({"mltrl": 1, "terms": [
                 {"term": "alert", "definition": text}, {"term": "P1", "definition": text}]})}
    for uri, html in render_site(files, mode, OPTIONAL_PAGES).items():
        check_page(uri, html)


def test_payload_generator_reaches_pages() -> None:
    """The payload really reaches the page (escaped): the properties above test something."""
    files = {"src/P1/card.md": frontmatter_file({"mltrl": 1, "project": "P1", "title": TEMPLATE + "<script>",
                                                 "level": 1, "date": "2021-06-14", "status": "draft",
                                                 "owners": ["o"]}),
             "glossary/org.yml": "mltrl: 1\nterms: []\n"}
    html = render_site(files, "first", OPTIONAL_PAGES)["dossier/P1/index.md"]
    assert "⟦{{ 7*7 }}⟧&lt;script&gt;" in html


# --- known classes being fixed -------------------------------------------------------------

CONTROL_TITLES = ['"ESC \\e[31mred"', '"NUL \\0 byte"', '"BEL \\a DEL \\x7f"', '"VT \\v FF \\f"']


@budget(0.2)
@given(st.sampled_from(CONTROL_TITLES), st.sampled_from(["title", "team", "owners", "requirements"]))
@example('"ESC \\e[31mred"', "title")
@example('"NUL \\0 byte"', "requirements")
def test_control_characters_never_reach_a_page(title: str, field: str) -> None:
    """YAML escapes put control characters (ESC, NUL, DEL ...) in a card's text: HTML forbids
    them, and ESC drives terminals; they never reach a page."""
    value = yaml.safe_load(title)
    card = {"mltrl": 1, "project": "P1", "title": "t", "level": 1, "date": "2021-06-14", "status": "draft",
            "owners": ["o"]}
    card |= {"title": value} if field == "title" else {"team": value} if field == "team" else (
        {"owners": [value]} if field == "owners" else {"requirements": [
            {"id": "1", "kind": "research", "text": value, "verification": "test", "status": "in-progress"}]})
    text = frontmatter_file(card).replace(yaml_scalar(value), title)
    for uri, html in render_site({"src/P1/card.md": text, "glossary/org.yml": "mltrl: 1\nterms: []\n"}, "first",
                                 OPTIONAL_PAGES).items():
        assert PATTERN_CONTROL.search(html) is None, f"{uri}: control character {PATTERN_CONTROL.search(html)!r}"


@budget(0.2)
@given(st.dates(dt.date(9990, 1, 1), dt.date(9999, 12, 31)), st.integers(1, 3))
@example(dt.date(9999, 12, 31), 1)
@example(dt.date(9999, 12, 1), 2)
def test_dates_near_year_9999_render(last: dt.date, cards: int) -> None:
    """Timeline arithmetic (30 days past the current card, the time axis, year ticks) at the
    end of the calendar."""
    files = {"glossary/org.yml": "mltrl: 1\nterms: []\n"}
    for index in range(cards):
        date = last - dt.timedelta(days=40 * (cards - 1 - index))
        files[f"src/P1/L{index}.md"] = frontmatter_file(
            {"mltrl": 1, "project": "P1", "title": "t", "level": index, "date": date.isoformat(), "status": "draft",
             "owners": ["o"], **({"transition": {"from": index - 1, "kind": "advance"}} if index else {})})
    for uri, html in render_site(files, "first", OPTIONAL_PAGES).items():
        check_page(uri, html)


@pytest.mark.parametrize("html", [
    "<p><script>alert(1)</script></p>",
    '<p title=""><img src=x onerror=alert(1)></p>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="java&#9;script:alert(1)">x</a>',
    '<img src="DATA:text/html,x">',
    '<svg><a xlink:href="vbscript:x">x</a></svg>',
    "<p>⟦49⟧</p>",
    '<p title="⟦49⟧">x</p>',
])
def test_the_checks_catch_unsafe_html(html: str) -> None:
    """The oracle itself: each of these pages must be refused."""
    with pytest.raises(AssertionError):
        check_page("page", html)


# --- the page title MkDocs reads ---------------------------------------------------------------

@budget(0.5)
@given(st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=20))
@example("T\ufffe")
@example("\x80")
def test_a_page_title_survives_the_mkdocs_frontmatter(title: str) -> None:
    """The plugin hands MkDocs each page's title as `title: <yaml_scalar(escape(title))>`;
    MkDocs must read back exactly that title, whatever the card's title holds."""
    escaped = html_escape(title)
    assert yaml.safe_load(f"title: {yaml_scalar(escaped)}\nhide: [toc]\n") == {"title": escaped, "hide": ["toc"]}
