"""The dossier on paper: every generated page kind and every project's review packet, printed to PDF by
headless Chromium on A4 and Letter.

For each, the PDF is made (the page count of a packet must stay within what the README states, and no
page may come out blank), and the page is laid out as print media at the width the paper leaves (the
print stylesheet sets 10 mm margins): no table, SVG, image or line of text may reach past the page's
edge, nothing may be cut by a frame that scrolls on screen, no navigation, search, filter box or button
may print, and every page says what it is true as of. PDFs and pictures of the printed layout go to
test-artifacts/print/. Skipped where Chromium or Playwright is missing, unless MLTRL_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator

import pytest

from browser_support import (
    ARTIFACTS,
    MKDOCS_THEME,
    Site,
    Visit,
    contrast,
    csp_headers,
    example_with_theme,
    needs_browser,
    open_page,
    pdf_pages,
    serve,
)
from conftest import REPO
from mltrl_docs import csp

pytestmark = needs_browser

PRINTS = ARTIFACTS / "print"
MARGIN_MM = 10
"""The print stylesheet's @page margin."""
PAPER_MM = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4)}


def printable_width(paper: str) -> int:
    """CSS pixels across the paper inside its margins: what the printed page lays out in."""
    return int((PAPER_MM[paper][0] - 2 * MARGIN_MM) * 96 / 25.4)


PAGE_KINDS = {
    "portfolio": "dossier/",
    "dossier": "dossier/P04.3/",
    "card": "dossier/P07.1/L6-2025-09-15/",
    "attachment": "dossier/P07.1/pages/ethics/",
    "levels": "dossier/levels/",
    "history": "dossier/history/",
    "changes": "dossier/changes/",
    "card-changes": "dossier/P04.3/L5-2026-10-12/",
    "requirements": "dossier/requirements/",
    "findings": "dossier/findings/",
    "glossary": "dossier/glossary/",
    "glossary-teams": "dossier/glossary/teams/",
    "metrics": "dossier/metrics/",
}
"""One page of each generated kind (the packet's are below); the dossier of P04.3 has every block
(two production lines, a switchback, the widest matrix of the example); P04.3's newest card has every kind of
change since its last approved card, and the What changed page lists every card changed since changes.since."""
PROJECTS = ["P04.3", "P07.1", "P12.2", "R02.1", "R11.1"]
WITH_CHARTS = {"dossier": "svg.mltrl-timeline", "metrics": "svg.mltrl-mchart"}


def readme_packet_pages() -> dict[str, dict[str, int]]:
    """The README's table of the example's packets: project -> paper -> the most pages it takes."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Printing and the review packet", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\|\s*([A-Z]\d+\.\d+)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|", section, re.MULTILINE)
    return {project: {"A4": int(a4), "Letter": int(letter)} for project, a4, letter in rows}


@pytest.fixture(scope="module")
def site(served_example: Site) -> Site:
    """The example served under its policy, and the browser: once per session (conftest)."""
    return served_example


# --- what a PDF holds ----------------------------------------------------------------------------

_OBJECT = re.compile(rb"(\d+) 0 obj\s*(.*?)endobj", re.DOTALL)


def pdf_page_texts(pdf: bytes) -> list[int]:
    """How many text-showing operators (Tj, TJ) each page of a Chromium PDF draws, in page order: a page
    with none is blank. Chromium writes plain objects (no object streams) and Flate content streams."""
    objects = {int(m.group(1)): m.group(2) for m in _OBJECT.finditer(pdf)}

    def stream(number: int) -> bytes:
        body = objects[number]
        found = re.search(rb"stream\r?\n(.*)endstream", body, re.DOTALL)
        assert found is not None, f"object {number} holds no stream"
        data = found.group(1)
        return zlib.decompress(data) if b"/FlateDecode" in body else data

    def pages(number: int) -> list[int]:
        body = objects[number]
        if re.search(rb"/Type\s*/Pages\b", body):
            kids = re.search(rb"/Kids\s*\[([^\]]*)\]", body)
            assert kids is not None
            return [page for kid in re.findall(rb"(\d+) 0 R", kids.group(1)) for page in pages(int(kid))]
        return [number]

    root = next(n for n, body in objects.items() if re.search(rb"/Type\s*/Catalog\b", body))
    tree = re.search(rb"/Pages\s+(\d+) 0 R", objects[root])
    assert tree is not None
    counts = []
    for page in pages(int(tree.group(1))):
        contents = re.search(rb"/Contents\s*(\[[^\]]*\]|\d+ 0 R)", objects[page])
        refs = re.findall(rb"(\d+) 0 R", contents.group(1)) if contents else []
        counts.append(sum(len(re.findall(rb"\bT[jJ]\b", stream(int(ref)))) for ref in refs))
    return counts


def pdf_outline(pdf: bytes) -> dict[str, int]:
    """The page (from 0) each heading of a Chromium PDF printed with ``outline=True, tagged=True`` starts on,
    by its text as the outline gives it (the text of a heading's elements run together)."""
    objects = {int(m.group(1)): m.group(2) for m in _OBJECT.finditer(pdf)}

    def pages(number: int) -> list[int]:
        kids = re.search(rb"/Kids\s*\[([^\]]*)\]", objects[number])
        if kids is None:
            return [number]
        return [page for kid in re.findall(rb"(\d+) 0 R", kids.group(1)) for page in pages(int(kid))]

    root = next(n for n, body in objects.items() if re.search(rb"/Type\s*/Catalog\b", body))
    tree = re.search(rb"/Pages\s+(\d+) 0 R", objects[root])
    assert tree is not None
    order = {page: index for index, page in enumerate(pages(int(tree.group(1))))}
    found: dict[str, int] = {}
    for body in objects.values():
        item = re.search(rb"/Title\s*\(((?:[^()\\]|\\.)*)\).*?/Dest\s*\[(\d+) 0 R", body, re.DOTALL)
        if item is not None:
            title = re.sub(rb"\\(.)", rb"\1", item.group(1)).decode("latin-1")
            found[title] = order[int(item.group(2))]
    return found


def pdf_has_raster_images(pdf: bytes) -> bool:
    """Whether the PDF holds a bitmap (an inline SVG printed as vector leaves none)."""
    return re.search(rb"/Subtype\s*/Image\b", pdf) is not None


# --- what the printed layout shows ------------------------------------------------------------------

_PAST_THE_EDGE = """([left, right]) => {
  const found = [];
  const root = document.querySelector('article') || document.querySelector('[role=main]') || document.body;
  const where = (el) => el.tagName.toLowerCase() + [...el.classList].map(c => '.' + c).join('');
  const past = (box) => box.width > 0 && (box.left < left - 0.5 || box.right > right + 0.5);
  for (const el of root.querySelectorAll('table, svg, img, pre, figure, .mltrl-board')) {
    const box = el.getBoundingClientRect();
    if (el.getClientRects().length && past(box))
      found.push(`${where(el)} spans ${Math.round(box.left)}..${Math.round(box.right)}`);
  }
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim()) continue;
    range.selectNodeContents(node);
    for (const box of range.getClientRects()) {
      if (past(box)) {
        found.push(`text "${node.textContent.trim().slice(0, 40)}" in ${where(node.parentElement)} spans `
                   + `${Math.round(box.left)}..${Math.round(box.right)}`);
        break;
      }
    }
  }
  /* Nor past its own cell, over the next column. */
  for (const cell of root.querySelectorAll('td, th')) {
    if (cell.getClientRects().length && cell.scrollWidth > cell.clientWidth + 1)
      found.push(`${where(cell)} "${cell.textContent.trim().slice(0, 30)}" runs past its cell `
                 + `(${cell.scrollWidth} in ${cell.clientWidth})`);
  }
  /* A frame that scrolls or clips on screen must not hide anything on paper. */
  for (const el of root.querySelectorAll('*')) {
    const style = getComputedStyle(el);
    if (!el.getClientRects().length || style.display === 'contents') continue;
    const clips = ['auto', 'scroll', 'hidden', 'clip'];
    if ((clips.includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1)
        || (clips.includes(style.overflowY) && el.scrollHeight > el.clientHeight + 1))
      found.push(`${where(el)} cuts its content `
                 + `(${el.scrollWidth}x${el.scrollHeight} in ${el.clientWidth}x${el.clientHeight})`);
  }
  if (document.documentElement.scrollWidth > document.documentElement.clientWidth)
    found.push(`the page is ${document.documentElement.scrollWidth} px wide`);
  return found;
}"""

_PRINTED_CHROME = """() => [...document.querySelectorAll(
    '.md-header, .md-tabs, .md-sidebar, .md-footer, .md-search, .md-top, .navbar, .bs-sidebar, footer, '
    + '.mltrl-filter, .mltrl-jump, .mltrl-pager, .mltrl-packet-link, button, input[type=search]')]
  .filter(el => el.getClientRects().length && !(el.matches('button.mltrl-sort')))
  .map(el => el.tagName.toLowerCase() + [...el.classList].map(c => '.' + c).join(''))"""


_TRANSITIONING = """() => [...document.querySelectorAll('body, body *')]
  .filter(e => getComputedStyle(e).transitionDuration.split(',').some(d => parseFloat(d) > 0))
  .slice(0, 5).map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}`)"""
"""Elements that would fade a colour (or anything) in print rather than show it as it ends."""


def as_printed(visit: Visit, paper: str) -> None:
    """Lay the open page out as print media at the paper's printable width."""
    visit.page.set_viewport_size({"width": printable_width(paper), "height": 1000})
    visit.page.emulate_media(media="print")


def check_printed(visit: Visit, paper: str, name: str) -> bytes:
    """Print the open page on ``paper``; lay it out as printed and check it. Returns the PDF."""
    page = visit.page
    PRINTS.mkdir(parents=True, exist_ok=True)
    pdf = page.pdf(path=str(PRINTS / f"{name}-{paper}.pdf"), format=paper)
    assert pdf.startswith(b"%PDF-") and pdf_pages(pdf) >= 1
    texts = pdf_page_texts(pdf)
    assert len(texts) == pdf_pages(pdf)
    assert all(texts), f"blank page(s) {[n + 1 for n, shown in enumerate(texts) if not shown]} of {len(texts)}"
    # Nothing turns into a bitmap (charts are inline SVG, cells and chips plain fills), unless the page shows an image.
    if page.locator("article img, [role=main] img").count() == 0:
        assert not pdf_has_raster_images(pdf), "the PDF holds bitmaps: something printed rasterised"
    as_printed(visit, paper)
    # Colours are read right after the switch to print: none may be mid-way through a theme's transition.
    assert page.evaluate(_TRANSITIONING) == []
    assert page.evaluate(_PAST_THE_EDGE, [0, printable_width(paper)]) == []
    assert page.evaluate(_PRINTED_CHROME) == []
    as_of = page.locator(".mltrl-as-of")
    assert as_of.count() == 1 and as_of.is_visible()
    assert re.fullmatch(r"As of \d{4}-\d\d-\d\d \(build date\)"
                        r"( · sources?: .+ at commit [0-9a-f]{7,}( \+ local changes)?)?",
                        as_of.inner_text().strip()), as_of.inner_text()
    if paper == "A4":
        page.screenshot(path=str(PRINTS / f"{name}-{paper}.png"), full_page=True)
    return pdf


@pytest.mark.parametrize("paper", list(PAPER_MM))
@pytest.mark.parametrize("kind", list(PAGE_KINDS))
def test_each_page_kind_prints_within_the_page(browser, site: Site, kind: str, paper: str) -> None:
    visit = open_page(browser, site, PAGE_KINDS[kind])
    try:
        pdf = check_printed(visit, paper, kind)
        if kind in WITH_CHARTS:  # the chart prints (in vector: check_printed finds no bitmap)
            assert visit.page.locator(WITH_CHARTS[kind]).first.is_visible()
            assert not pdf_has_raster_images(pdf)
        assert visit.problems() == {}
    finally:
        visit.close()


EIGHT_PT = 8 * 96 / 72
"""8 pt in CSS pixels: the smallest text that reads on paper."""

_SMALLEST_TEXT = """selector => {
  let least = [Infinity, ''];
  for (const el of document.querySelectorAll(`${selector}, ${selector} *`)) {
    if (!el.getClientRects().length
        || ![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < least[0]) least = [size, `${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 30)}"`];
  }
  return least;
}"""


def smallest_text(visit: Visit, selector: str) -> tuple[float, str]:
    """The smallest font size (CSS px) of the text shown in what ``selector`` matches, and where it is."""
    size, where = visit.page.evaluate(_SMALLEST_TEXT, selector)
    return size, where


@pytest.mark.parametrize("paper", list(PAPER_MM))
def test_the_portfolios_board_follows_its_table_on_the_first_page(browser, site: Site, paper: str) -> None:
    """No break, forced or provoked, leaves the portfolio's first page half blank: the board's heading and its
    first row of five levels follow the table (a row that does not fit moves to the next page by itself)."""
    visit = open_page(browser, site, PAGE_KINDS["portfolio"])
    try:
        PRINTS.mkdir(parents=True, exist_ok=True)
        pdf = visit.page.pdf(path=str(PRINTS / f"portfolio-outline-{paper}.pdf"), format=paper, outline=True,
                             tagged=True)
        starts = pdf_outline(pdf)
        first_row = [page for title, page in starts.items() if re.match(r"L[0-4] ", title)]
        assert starts["Portfolio"] == starts["Board"] == 0 and first_row == [0] * 5, starts
    finally:
        visit.close()


@pytest.mark.parametrize("paper", list(PAPER_MM))
def test_the_dossiers_requirement_matrix_prints_at_a_legible_size(browser, site: Site, paper: str) -> None:
    """P04.3's matrix has eight cards. On paper its text is 8 pt or more: it shows the current card and the three
    before it, and a note says so (on screen it shows every card, and no note)."""
    visit = open_page(browser, site, PAGE_KINDS["dossier"])
    try:
        page = visit.page
        heads, note = page.locator("table.mltrl-matrix thead th"), page.locator(".mltrl-print-note")
        assert heads.count() == 12 and all(head.is_visible() for head in heads.all()) and not note.is_visible()
        as_printed(visit, paper)
        size, where = smallest_text(visit, "table.mltrl-matrix")
        assert size >= EIGHT_PT - 0.01, (size, where)
        shown = [head.inner_text().split()[0] for head in heads.all() if head.is_visible()]
        assert shown == ["Id", "Requirement", "V&V", "Risk", "L5", "L4", "L9", "L8"], shown  # the newest cards
        assert note.is_visible() and "all 8 cards" in note.inner_text()
        page.locator("table.mltrl-matrix").screenshot(path=str(PRINTS / f"dossier-matrix-{paper}.png"))
    finally:
        visit.close()


_FRAMES = """() => {
  const found = [];
  for (const table of document.querySelectorAll('.mltrl table')) {
    if (!table.getClientRects().length) continue;
    for (let el = table.parentElement; el && !el.classList.contains('mltrl'); el = el.parentElement) {
      const s = getComputedStyle(el);
      const ruled = ['Top', 'Right', 'Bottom', 'Left'].some(
        side => parseFloat(s[`border${side}Width`]) > 0 && s[`border${side}Style`] !== 'none');
      const ground = !['rgba(0, 0, 0, 0)', 'transparent'].includes(s.backgroundColor);
      if (ruled || ground || s.boxShadow !== 'none') {
        found.push(el.tagName.toLowerCase() + '.' + [...el.classList].join('.'));
      }
    }
  }
  return found;
}"""


def test_the_metrics_tables_print_plain(browser, site: Site) -> None:
    """No table of the metrics page prints inside a box: the chart's numbers are in a details element, which
    Material opens before printing and draws as a framed box on screen."""
    visit = open_page(browser, site, PAGE_KINDS["metrics"])
    try:
        page = visit.page
        page.evaluate("document.querySelectorAll('.mltrl details').forEach(d => { d.open = true; })")
        as_printed(visit, "A4")
        assert page.locator(".mltrl-mc-data table").is_visible()
        assert page.evaluate(_FRAMES) == []
    finally:
        visit.close()


@pytest.mark.parametrize("paper", list(PAPER_MM))
@pytest.mark.parametrize("project", PROJECTS)
def test_each_review_packet_prints_on_the_pages_the_readme_states(browser, site: Site, project: str,
                                                                  paper: str) -> None:
    stated = readme_packet_pages()
    assert sorted(stated) == PROJECTS, "the README states a page count for every example project"
    visit = open_page(browser, site, f"dossier/{project}/packet/")
    try:
        page = visit.page
        assert page.locator("h1").first.inner_text().strip().rstrip("¶").strip() == f"Review packet: {project}"
        for block in ("table.mltrl-summary", "h2#current-card", "h3#gap-to-next-level", "table.mltrl-matrix",
                      "table.mltrl-risk", "table.mltrl-history", "h2#open-findings"):
            assert page.locator(f".mltrl-packet {block}").count() == 1, block
        # The matrix holds the current and the previous card only.
        assert page.locator("table.mltrl-matrix thead th a").count() == 2
        pdf = check_printed(visit, paper, f"packet-{project}")
        assert pdf_pages(pdf) <= stated[project][paper], (
            f"{project}'s packet takes {pdf_pages(pdf)} {paper} pages; the README says {stated[project][paper]}")
        assert visit.problems() == {}
    finally:
        visit.close()


def test_the_dossier_links_its_packet_on_screen_only(browser, site: Site) -> None:
    visit = open_page(browser, site, "dossier/P07.1/", wait=False)
    try:
        link = visit.page.get_by_role("link", name="Review packet (for printing)")
        assert link.is_visible()
        with visit.page.expect_navigation():
            link.click()
        assert visit.page.url.endswith("/dossier/P07.1/packet/")
        visit.page.go_back()
        visit.page.emulate_media(media="print")
        assert not visit.page.locator(".mltrl-packet-link").is_visible()
    finally:
        visit.close()


# --- the dark scheme and MkDocs' own theme, on paper ---------------------------------------------------

THEMES = {
    "slate": {"name": "material", "font": False, "palette": {"scheme": "slate"}},
    "mkdocs": MKDOCS_THEME,
}


@pytest.fixture(scope="module", params=list(THEMES))
def themed(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Site]]:
    """MkDocs' theme: the session's build (conftest.mkdocs_theme_example, test_browser.py's too)."""
    if request.param == "mkdocs":
        built = request.getfixturevalue("mkdocs_theme_example")
    else:
        built = example_with_theme(tmp_path_factory.mktemp(request.param), dict(THEMES[request.param]))
    with serve(built, csp_headers(csp.policy(built))) as served:
        yield request.param, served


@pytest.mark.parametrize("path", ["dossier/", "dossier/P04.3/", "dossier/P04.3/packet/", "dossier/metrics/"])
def test_other_themes_print_dark_on_white_within_the_page(browser, themed: tuple[str, Site], path: str) -> None:
    """Material's dark scheme prints dark text on white (its light text would vanish on paper); MkDocs'
    own theme prints without its navigation bar and sidebar, its content across the page."""
    theme, served = themed
    visit = open_page(browser, served, path)
    try:
        name = f"{theme}-{path.strip('/').replace('/', '-')}"
        check_printed(visit, "A4", name)
        page = visit.page
        ground = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert ground in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)"), ground
        faint = [found for found in contrast(page, ".mltrl, .mltrl *, .mltrl-as-of, .mltrl-as-of *, h1, h2, h3")
                 if found[1] < 4.5]
        assert faint == []
        if theme == "mkdocs":
            content = page.locator("[role=main]").bounding_box()
            assert content is not None and content["width"] >= printable_width("A4") * 0.9
            # The title is scaled to the text, as Material's is (its screen size, 2.6 times the text, is not).
            title, text = page.evaluate("['h1', 'p'].map(t => parseFloat(getComputedStyle("
                                        "document.querySelector(`[role=main] ${t}`)).fontSize))")
            assert title <= 2 * text, (title, text)
        if path == "dossier/P04.3/":
            size, where = smallest_text(visit, "table.mltrl-matrix")
            assert size >= EIGHT_PT - 0.01, (size, where)
        assert visit.problems() == {}
    finally:
        visit.close()
