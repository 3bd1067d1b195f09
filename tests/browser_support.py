"""Shared machinery of the browser tests: a static server, Debian's Chromium, and a page
visit that records everything a reader's browser would object to.

A visit counts as a problem: a request leaving the site, a console error, an uncaught
page error, a dialog (alert, confirm: never expected), and a Content Security Policy
violation. Violations are caught three ways, because each misses some: a
``securitypolicyviolation`` listener installed before any page script runs (it names
the directive and the blocked URI), the console messages Chromium prints when it
refuses something, and the reports the browser posts to the test server (``csp_headers``
adds a report-only copy of the policy with a ``report-uri``). Only the reports cover
workers: a worker has no document to listen on, and Chromium does not pass its
console messages on to Playwright.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pytest
import yaml

from conftest import REPO, run_mkdocs

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Dialog, Page, Request

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = REPO / "test-artifacts"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None  # type: ignore[assignment]

MISSING = sync_playwright is None or not Path(CHROMIUM).exists()
"""No Playwright or no Chromium here: browser tests skip, or fail under MLTRL_REQUIRE_BROWSER=1
(``needs_browser`` and conftest's ``browser`` decide; this module is also imported by tests that
need no browser)."""
REQUIRED = os.environ.get("MLTRL_REQUIRE_BROWSER") == "1"
"""A missing browser fails the tests that need one instead of skipping them (as .ci/run sets it)."""
needs_browser = pytest.mark.skipif(MISSING and not REQUIRED, reason="needs Playwright and Debian's chromium")
"""For a browser test or module (``pytestmark = needs_browser``): skipped where the browser is missing,
unless MLTRL_REQUIRE_BROWSER=1; then conftest's ``browser`` fixture fails it."""

# Runs before any script of every document: collects CSP violations where the test can
# read them, even when the page navigates or its own scripts are the ones refused.
_VIOLATION_LISTENER = """
document.addEventListener("securitypolicyviolation", function (e) {
  window.__mltrlCspViolation(JSON.stringify({
    directive: e.effectiveDirective, blocked: e.blockedURI, source: e.sourceFile,
    line: e.lineNumber, sample: e.sample, disposition: e.disposition}));
}, true);
"""

_CSP_CONSOLE = ("Content Security Policy", "Refused to ")
REPORT_PATH = "/__csp-report"


def build_site(out: Path, config: Path, *, strict: bool = True) -> Path:
    """``mkdocs build --strict`` (``--no-strict`` unless ``strict``) of ``config`` into ``out``, in this
    process (conftest.run_mkdocs). The example as it is: conftest's session fixture ``example_site``."""
    result = run_mkdocs(config, out, strict=strict)
    assert result.returncode == 0, result.stderr[-3000:] + result.stdout[-500:]
    return out


def example_with_theme(root: Path, theme: dict[str, Any]) -> Path:
    """The example built (strict) into ``root``/site with ``theme`` as its theme (its mkdocs.yml written to
    ``root``, its paths made absolute)."""
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config["theme"] = theme
    config["docs_dir"] = str(REPO / config["docs_dir"])
    [mltrl] = [plugin["mltrl"] for plugin in config["plugins"] if isinstance(plugin, dict) and "mltrl" in plugin]
    mltrl["settings"] = str(REPO / mltrl["settings"])
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return build_site(root / "site", root / "mkdocs.yml")


MKDOCS_THEME = {"name": "mkdocs", "highlightjs": False}
"""MkDocs' own theme, highlight.js off (by default it comes from a CDN): conftest's ``mkdocs_theme_example``."""


def csp_headers(policy: str) -> dict[str, str]:
    """``policy`` enforced exactly as given, plus a report-only copy that makes the browser
    post every violation (also a worker's) to the test server."""
    return {"Content-Security-Policy": policy,
            "Content-Security-Policy-Report-Only": f"{policy}; report-uri {REPORT_PATH}"}


@dataclass
class Site:
    """A served site: its base URL (ending in /) and the CSP reports posted to it so far."""

    url: str
    reports: list[str] = field(default_factory=list)


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves one folder, adding the server's extra headers to every response, and keeps
    the CSP reports the browser posts."""

    headers_to_add: Mapping[str, str] = {}
    site: Site

    def end_headers(self) -> None:
        for name, value in self.headers_to_add.items():
            self.send_header(name, value)
        super().end_headers()

    def do_POST(self) -> None:
        if self.path != REPORT_PATH:
            self.send_error(405)
            return
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8", "replace")
        self.site.reports.append(_report(body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def _report(body: str) -> str:
    """One line for a ``report-uri`` report: the directive, what it blocked, and where."""
    try:
        report = json.loads(body)["csp-report"]
    except (ValueError, KeyError, TypeError):
        return "report: " + body[:300]
    return (f"report: {report.get('effective-directive')} blocked {report.get('blocked-uri') or '?'} "
            f"in {report.get('source-file') or report.get('document-uri')}")


@contextmanager
def serve(folder: Path, headers: Mapping[str, str] | None = None) -> Iterator[Site]:
    """A static HTTP server on 127.0.0.1 for ``folder``, sending ``headers`` (such as
    ``csp_headers(policy)``) with every response."""
    site = Site("")
    handler_class = type("Handler", (_Handler,), {"headers_to_add": dict(headers or {}), "site": site})
    handler = functools.partial(handler_class, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    site.url = f"http://127.0.0.1:{server.server_address[1]}/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's Chromium, headless, with its own network chatter switched off (so every
    request the tests see comes from the page)."""
    assert sync_playwright is not None
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Visit:
    """An open page and what went wrong on it so far (the lists keep filling while it is open)."""

    page: Page
    site: Site
    outside: list[str] = field(default_factory=list)
    """Requests to anything but the site's own server."""
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    """CSP violations: from the listener, and Chromium's console refusals."""
    first_report: int = 0
    """Reports the site had before this visit (the later ones are this visit's)."""

    def problems(self) -> dict[str, list[str]]:
        """Every non-empty kind of problem, for one assertion with a readable message.
        Reports travel as requests of their own: a short pause lets a late one arrive
        (it can only add a real violation, never take one away)."""
        self.page.wait_for_timeout(200)
        kinds = {"outside requests": self.outside, "console errors": self.console_errors,
                 "page errors": self.page_errors, "dialogs": self.dialogs,
                 "CSP violations": self.violations + self.site.reports[self.first_report:]}
        return {kind: found for kind, found in kinds.items() if found}

    def screenshot(self, name: str, full_page: bool = True) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path

    def element_screenshot(self, selector: str, name: str) -> Path:
        """A picture of the first element ``selector`` matches, in test-artifacts/. Cut from the whole
        page, not the window, so a sticky header never covers a tall element's top."""
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        box = self.page.locator(selector).first.bounding_box()
        assert box is not None, f"{selector} is not shown"
        left, top = self.page.evaluate("[window.scrollX, window.scrollY]")
        self.page.screenshot(path=str(path), full_page=True, clip={
            "x": box["x"] + left, "y": box["y"] + top, "width": box["width"], "height": box["height"]})
        return path

    def close(self) -> None:
        self.page.close()


def open_page(browser: Browser, site: Site, path: str = "", *, width: int = 1400, height: int = 1000,
              wait: bool = True, color_scheme: Literal["light", "dark"] | None = None,
              has_touch: bool = False) -> Visit:
    """Open ``path`` of ``site`` in a new page with every recorder in place before the first
    request; waits for the network to go quiet (scripts, search index, worker) unless told not to.
    ``color_scheme`` ("light", "dark") is the reader's system preference, which Material's palette
    follows when the site offers a scheme for it; ``has_touch``: a touch screen (``page.tap``)."""
    page = browser.new_page(viewport={"width": width, "height": height}, color_scheme=color_scheme,
                            has_touch=has_touch)
    visit = Visit(page, site, first_report=len(site.reports))
    page.expose_function("__mltrlCspViolation", lambda text: visit.violations.append(_violation(text)))
    page.add_init_script(_VIOLATION_LISTENER)
    page.on("request", functools.partial(_request, visit))
    page.on("console", functools.partial(_console, visit))
    page.on("pageerror", lambda error: visit.page_errors.append(str(error)))
    page.on("dialog", functools.partial(_dialog, visit))
    response = page.goto(site.url + path)
    assert response is not None and response.status == 200, f"{path}: {response and response.status}"
    if wait:
        page.wait_for_load_state("networkidle")
    return visit


def _violation(text: str) -> str:
    data: dict[str, Any] = json.loads(text)
    where = f"{data['source']}:{data['line']}" if data.get("source") else "?"
    sample = f" {data['sample']!r}" if data.get("sample") else ""
    return f"{data['directive']} blocked {data['blocked'] or '?'} at {where}{sample}"


def _request(visit: Visit, request: Request) -> None:
    url = request.url
    if not url.startswith((visit.site.url, "data:", "blob:" + visit.site.url.rstrip("/"))):
        visit.outside.append(url)


def _console(visit: Visit, message: ConsoleMessage) -> None:
    text = message.text
    if any(marker in text for marker in _CSP_CONSOLE):
        visit.violations.append("console: " + text)
    if message.type == "error":
        visit.console_errors.append(text)


def _dialog(visit: Visit, dialog: Dialog) -> None:
    visit.dialogs.append(f"{dialog.type}: {dialog.message}")
    dialog.dismiss()


def wait_for_search_index(page: Page, timeout: float = 30000) -> None:
    """Wait until Material's search worker has built its index.

    Material shows "Initializing search" until its worker posts READY. It then sends the
    box's (empty) query, and the worker's answer turns the text into "Type to start
    searching" (components/search/result updates it only after READY). Nothing earlier on
    the page says the index is built.
    """
    page.wait_for_function(
        "() => (document.querySelector('.md-search-result__meta') || {}).textContent?.trim()"
        " === 'Type to start searching'", timeout=timeout)


def search(page: Page, query: str, timeout: float = 30000) -> list[str]:
    """Search and return the texts of the results: open the search box, wait until the index
    is built, put ``query`` in the box and release a key.

    Material reads the box when its worker posts READY, on focus and on ``keyup``, never
    on ``input``. Playwright's ``fill`` sends only ``input``: text filled in before READY
    was searched when READY came, text filled in after it never was (the old test's flake:
    it failed whenever the index was built before the test typed). The one ``keyup`` sends
    one query, the whole one, so the first results shown are its results (typing key by key
    would show the results of "c" and "ci" on the way)."""
    page.locator("label.md-search__icon, .md-search__input").first.click()
    wait_for_search_index(page, timeout)
    box = page.locator("input.md-search__input")
    box.fill(query)
    box.press("End")
    page.locator(".md-search-result__item").first.wait_for(timeout=timeout)
    return page.locator(".md-search-result__item").all_inner_texts()


# --- what a reader sees: contrast, room, print ------------------------------------------------

_CONTRAST = """([selector, exclude]) => {
  function parse(c) {
    let m = c.match(/^rgba?\\(([^)]+)\\)/);
    if (m) {
      const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
      return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
    }
    m = c.match(/^color\\(srgb ([^)]+)\\)/);
    if (m) {
      const p = m[1].split(/[\\s\\/]+/).filter(Boolean).map(Number);
      return [p[0] * 255, p[1] * 255, p[2] * 255, p.length > 3 ? p[3] : 1];
    }
    return null;
  }
  const over = (top, under) => [0, 1, 2].map(i => top[i] * top[3] + under[i] * (1 - top[3])).concat([1]);
  function ground(el) {  /* the backgrounds behind el, laid over the page's white canvas */
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const bg = parse(getComputedStyle(e).backgroundColor);
      if (bg && bg[3] > 0) { layers.push(bg); if (bg[3] >= 1) break; }
    }
    return layers.reverse().reduce((under, layer) => over(layer, under), [255, 255, 255, 1]);
  }
  function opacity(el) {
    let o = 1;
    for (let e = el; e; e = e.parentElement) o *= Number(getComputedStyle(e).opacity);
    return o;
  }
  function luminance(c) {
    const [r, g, b] = c.slice(0, 3).map(v => (v /= 255) <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }
  const found = [];
  for (const el of document.querySelectorAll(selector)) {
    if (exclude && el.closest(exclude)) continue;
    const words = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!words || !el.getClientRects().length) continue;
    const style = getComputedStyle(el);
    const fg = parse(el instanceof SVGElement ? style.fill : style.color);
    const bg = ground(el.ownerSVGElement || el);
    if (!fg) { found.push([el.textContent.trim().slice(0, 40), 0, style.color]); continue; }
    fg[3] *= opacity(el);
    const [hi, lo] = [luminance(over(fg, bg)), luminance(bg)].sort((a, b) => b - a);
    found.push([el.textContent.trim().slice(0, 40), (hi + 0.05) / (lo + 0.05), style.color]);
  }
  return found;
}"""


def contrast(page: Page, selector: str, exclude: str = "") -> list[tuple[str, float]]:
    """(text, WCAG contrast ratio) for every visible element ``selector`` matches that holds text of
    its own (not inside ``exclude``): its colour (an SVG text's fill), with the opacity of it and
    its ancestors, against the backgrounds behind it. What matters is the ratio, not the colours,
    so a scheme can be judged without knowing its palette."""
    return [(text, round(ratio, 2)) for text, ratio, _ in page.evaluate(_CONTRAST, [selector, exclude])]


_STROKE_CONTRAST = _CONTRAST.split("const found = [];")[0] + """
  const found = [];
  for (const el of document.querySelectorAll(selector)) {
    if ((exclude && el.closest(exclude)) || !el.getClientRects().length) continue;
    const style = getComputedStyle(el);
    const stroked = style.stroke !== 'none' && Number(style.strokeWidth.replace('px', '')) > 0;
    const paint = parse(stroked ? style.stroke : style.fill);
    const name = el.tagName.toLowerCase() + '.' + [...el.classList].join('.');
    if (!paint) { found.push([name, 0]); continue; }
    paint[3] *= Number(stroked ? style.strokeOpacity : style.fillOpacity) * opacity(el);
    const bg = ground(el.ownerSVGElement || el);
    const [hi, lo] = [luminance(over(paint, bg)), luminance(bg)].sort((a, b) => b - a);
    found.push([name, (hi + 0.05) / (lo + 0.05)]);
  }
  return found;
}"""


def stroke_contrast(page: Page, selector: str, exclude: str = "") -> list[tuple[str, float]]:
    """(element, WCAG contrast ratio) for every drawn SVG element ``selector`` matches (not inside
    ``exclude``): its stroke (its fill where it has none), with its opacity, against the backgrounds
    behind its drawing. For chart lines and markers, which WCAG asks to contrast 3:1 (non-text)."""
    return [(name, round(ratio, 2)) for name, ratio in page.evaluate(_STROKE_CONTRAST, [selector, exclude])]


_BROKEN_TOKENS = """([root, exclude, pattern]) => {
  const found = [];
  for (const top of document.querySelectorAll(root)) {
    const walker = document.createTreeWalker(top, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (exclude && node.parentElement.closest(exclude)) continue;
      const re = new RegExp(pattern, 'g');
      for (let m = re.exec(node.textContent); m; m = re.exec(node.textContent)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (lines.size > 1) {
          found.push(`${m[0]} in ${node.parentElement.tagName.toLowerCase()}.${node.parentElement.className}`);
        }
      }
    }
  }
  return found;
}"""
DATES_AND_LEVELS = r"\d{4}-\d\d-\d\d|\bL\d\b"
"""What a line never breaks inside: a date (Chromium would break it at a hyphen), a level ("L5")."""
STATUS_WORDS = r"\b(?:in-review|in-progress|not-started|changes-requested)\b"
"""Status and decision values with a hyphen, which a table shows whole."""


def broken_tokens(page: Page, root: str, exclude: str = "", pattern: str = DATES_AND_LEVELS) -> list[str]:
    """The matches of ``pattern`` (a JavaScript regular expression) in the text under ``root`` (not
    inside ``exclude``) that the browser set on more than one line, e.g. a date broken at a hyphen."""
    return page.evaluate(_BROKEN_TOKENS, [root, exclude, pattern])


_OUTSIDE = """([selector, left, right, frames]) => {
  const found = [];
  for (const el of document.querySelectorAll(selector)) {
    if (!el.getClientRects().length) continue;
    let frame = el;  /* a table in a scrolling frame of ours may be wider: the frame may not */
    for (let p = el.parentElement; frames && p && p.closest('.mltrl'); p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll') { frame = p; break; }
    }
    const box = frame.getBoundingClientRect();
    if (box.left < left - 0.5 || box.right > right + 0.5)
      found.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`
                 + ` spans ${Math.round(box.left)}..${Math.round(box.right)}`);
  }
  return found;
}"""


def outside(page: Page, selector: str, left: float = 0, right: float | None = None, *,
            frames: bool = True) -> list[str]:
    """The elements ``selector`` matches that reach past ``left``..``right`` (default: the
    viewport), each judged by its own box or, inside a sideways-scrolling frame of the dossier's,
    by that frame's. On paper nothing scrolls, so a print layout is checked with ``frames=False``."""
    if right is None:
        right = page.evaluate("document.documentElement.clientWidth")
    return page.evaluate(_OUTSIDE, [selector, left, right, frames])


def scrolls_sideways(page: Page) -> bool:
    """Whether the page itself is wider than the window (the reader would have to scroll it sideways)."""
    return page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")


def pdf_pages(pdf: bytes) -> int:
    """How many pages a PDF from Chromium has (its page objects; /Pages, the tree's root, is not one)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))
