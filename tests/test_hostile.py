"""A hostile corpus: payloads in every card field, glossary field, file and folder name and
settings value, built under Material and MkDocs' own theme with edit links on, and every
generated page opened in Chromium under the site's strict Content-Security-Policy.

No script written by a team may run, no dialog may open, no request may leave the site,
and the build itself must finish (findings, never a traceback).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from browser_support import csp_headers, needs_browser, open_page, search, serve
from conftest import run_mkdocs
from mltrl_docs import csp

SCRIPT = "<script>alert('script')</script>"
PAYLOADS = [
    SCRIPT,
    "<img src=x onerror=alert('img')>",
    "\"><svg onload=alert('breakout')>",
    "'><iframe src=javascript:alert('frame')>",
    "javascript:alert('js')",
    "data:text/html,<script>alert('data')</script>",
    "{{ 7*191 }} {% raw %}{{ config }}{% endraw %} ${7*191} #{7*191}",
    "&lt;script&gt;alert('entity')&lt;/script&gt; &amp; GT AMP quot &#x3C;",
    "\u202eevil\u202c \u2066isolate\u2069",
    "x" * 5_000,
]
TEXT = " | ".join(PAYLOADS[:9])
"""One text that carries every short payload (each field gets all of them at once)."""
TITLE = f"{SCRIPT} {PAYLOADS[2]} {{{{ 7*191 }}}} &amp; GT \u202eevil"
"""The payloads a title can carry within the title limit."""
FOLDER = "team\"><img src=x onerror=alert('folder')>"
FILE = "L1 '><svg onload=alert('file')>.md"
EXTERNAL = "https://tracker.example/pixel.gif"

BODY = f"""
**TL;DR**: {TEXT}

## Model / algorithm info

{TEXT}

<script>alert('body')</script> <img src=x onerror=alert('body-img')>
[click](javascript:alert('link')) [data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)
![pixel]({EXTERNAL}) ![local](evidence/{PAYLOADS[2][:12]}.csv)

```html
{SCRIPT}
```

## Intended use

{PAYLOADS[-1]}

## Stage debrief

GT and AMP and quot &gt; &amp; {{{{ 7*191 }}}}
"""


def _card(**fields: object) -> str:
    data = {
        "mltrl": 1, "project": "H1", "title": TITLE, "level": 2, "date": "2024-03-01", "status": "approved",
        "owners": [SCRIPT, PAYLOADS[2]], "team": PAYLOADS[1],
        "reviewers": [{"name": PAYLOADS[3], "decision": "approved", "date": "2024-03-02", "note": TEXT}],
        "versions": {"code": PAYLOADS[2], "model": "1.0", "data": SCRIPT},
        "links": {"code": "https://git.example.internal/\"><script>alert('url')</script>",
                  "docs": f"evidence/{PAYLOADS[2][:12]}.csv", "bad": PAYLOADS[4], "data": PAYLOADS[5],
                  "page": "evidence/page.html"},
        "ethics": {"pre_development": "complete", "checklist": f"{PAYLOADS[1][:10]}.md"},
        "requirements": [{"id": "1", "kind": "research", "text": TEXT, "verification": "test",
                          "status": "waived", "reason": TEXT, "risk": {"likelihood": 2, "impact": 3},
                          "evidence": [f"evidence/{PAYLOADS[2][:12]}.csv"]}],
        "tech_debt": [{"text": TEXT, "change": "gained"}],
        "tags": [SCRIPT, PAYLOADS[2]],
        "x-note": TEXT,
    }
    data.update(fields)
    return "---\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000) + "---\n" + BODY


def _glossary(project: bool) -> str:
    terms = [{"term": name, "definition": TEXT, "aliases": [PAYLOADS[2][:20]] if not project else [],
              "teams": {SCRIPT: PAYLOADS[1]}, "see_also": ["GT"]}
             for name in (["GT", "AMP", "quot", "script", "onerror"] if not project else ["alert", "img"])]
    return yaml.safe_dump({"mltrl": 1, "terms": terms}, sort_keys=False, allow_unicode=True, width=10_000)


def make_site(root: Path, theme: str) -> Path:
    """A site whose every input carries payloads; returns its mkdocs.yml."""
    project = root / "dossiers" / FOLDER
    (project / "evidence").mkdir(parents=True)
    (project / FILE).write_text(_card(), encoding="utf-8")
    (project / "L2 <b>.md").write_text(_card(level=3, date="2024-06-01", transition={
        "from": 2, "kind": "advance", "reason": TEXT}), encoding="utf-8")
    (project / f"{PAYLOADS[1][:10]}.md").write_text(f"---\ntitle: {json.dumps(TITLE)}\n---\n# {SCRIPT}\n{BODY}",
                                                    encoding="utf-8")
    (project / f"page {PAYLOADS[2][:12]}.md").write_text(f"# {PAYLOADS[2]}\n\n{BODY}", encoding="utf-8")
    (project / "evidence" / f"{PAYLOADS[2][:12]}.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (project / "evidence" / "page.html").write_text(SCRIPT, encoding="utf-8")
    (project / "glossary.yml").write_text(_glossary(project=True), encoding="utf-8")
    control = root / "dossiers" / "control"
    control.mkdir()
    (control / "L1.md").write_text(_card(project="H2", title="Bell\x07 escape \x1b[31m red"), encoding="utf-8")
    (control / "L2.md").write_text(_card(project="H2", level=3, date="2024-05-01", title="t" * 100_000,
                                         transition={"from": 2, "kind": "advance"}), encoding="utf-8")
    reserved = root / "dossiers" / "glossary"
    reserved.mkdir()
    (reserved / "L1.md").write_text(_card(project="..", title="DOTS"), encoding="utf-8")
    glossary_file = f"org {PAYLOADS[1][:10]}.yml"
    (root / glossary_file).write_text(_glossary(project=False), encoding="utf-8")
    settings = {"sources": ["dossiers"], "glossary": [glossary_file], "link_terms": "every"}
    (root / "mltrl-docs.yml").write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Home\n\nSee the [dossier](dossier/index.md).\n", encoding="utf-8")
    theme_config = ({"name": "material", "font": False, "features": ["navigation.prune", "content.action.edit"]}
                    if theme == "material" else {"name": "mkdocs", "highlightjs": False})
    config = {"site_name": "Hostile",  # mkdocs.yml is trusted (SECURITY.md)
              "docs_dir": "docs", "theme": theme_config,
              "repo_url": "https://git.example.internal/ml/dossier", "edit_uri": "edit/main/docs/",
              # published whatever its findings (the default, fail_on: error, would fail the build on them)
              "plugins": ["search", {"mltrl": {"settings": "mltrl-docs.yml", "fail_on": "never"}}]}
    if theme == "material":
        config["extra"] = {"generator": False}
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return root / "mkdocs.yml"


@pytest.fixture(scope="module", params=["material", "mkdocs"])
def hostile_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp(f"hostile-{request.param}")
    config = make_site(root, request.param)
    result = run_mkdocs(config, root / "site", quiet=True)
    assert result.returncode == 0, result.stderr[-3000:] + result.stdout[-500:]
    assert "Traceback" not in result.stderr
    yield root / "site"


def _generated_pages(site: Path) -> list[Path]:
    return sorted(path for path in (site / "dossier").rglob("index.html"))


def test_the_build_reports_the_payloads_it_refuses(hostile_site: Path) -> None:
    findings = (hostile_site / "dossier" / "findings" / "index.html").read_text(encoding="utf-8")
    for expected in ("uses the URL scheme", "loaded from outside the site", "project id", "control character"):
        assert expected in findings, expected


class _Markup(HTMLParser):
    """What the browser would build from a page: elements, attributes, script text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.bad: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.in_script = tag == "script"
        if tag in ("iframe", "object", "embed", "base"):
            self.bad.append(f"<{tag}>")
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on"):
                self.bad.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action", "formaction", "xlink:href") and value.startswith(
                    ("javascript:", "data:text", "vbscript:", "https://tracker.example")):
                self.bad.append(f"<{tag} {name}={value[:40]}>")

    def handle_endtag(self, tag: str) -> None:
        self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script and "alert(" in data:
            self.bad.append(f"<script>{data[:40]}")


def test_no_page_carries_markup_from_a_card(hostile_site: Path) -> None:
    assert len(_generated_pages(hostile_site)) >= 8
    for path in hostile_site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        parser = _Markup()
        parser.feed(html)
        assert parser.bad == [], path.relative_to(hostile_site)
        assert "1337" not in html, path  # template syntax stays text: {{ 7*191 }} was never evaluated
        assert "\x07" not in html and "\x1b" not in html, path
    if _material(hostile_site):  # Material shows index text as HTML; MkDocs' theme escapes it
        index = json.loads((hostile_site / "search" / "search_index.json").read_text(encoding="utf-8"))
        for doc in index["docs"]:
            parser = _Markup()
            parser.feed(doc["text"] + doc["title"])
            assert parser.bad == [], doc["location"]
    assert not list(hostile_site.rglob("page.html"))  # HTML evidence is never published


@needs_browser
def test_every_generated_page_runs_no_card_script_under_the_strict_policy(browser, hostile_site: Path) -> None:
    policy = csp.policy(hostile_site)
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    pages = _generated_pages(hostile_site)
    with serve(hostile_site, csp_headers(policy)) as site:
        for path in pages:
            relative = path.parent.relative_to(hostile_site).as_posix() + "/"
            visit = open_page(browser, site, _url_path(relative))
            # Hover every glossary term and focus every link: tooltips and handlers get their chance.
            for term in visit.page.locator("a.mltrl-term").all()[:20]:
                term.hover()
            problems = visit.problems()
            visit.close()
            assert problems == {}, f"{relative}: {problems}"


@needs_browser
def test_searching_for_the_payloads_runs_nothing(browser, hostile_site: Path) -> None:
    with serve(hostile_site, csp_headers(csp.policy(hostile_site))) as site:
        if _material(hostile_site):
            visit = open_page(browser, site, "dossier/")
            results = search(visit.page, "alert")
        else:
            visit = open_page(browser, site, "dossier/")
            visit.page.locator("[data-bs-target='#mkdocs_search_modal']").first.click()
            visit.page.locator("#mkdocs-search-query").press_sequentially("alert")
            visit.page.locator("#mkdocs-search-results article").first.wait_for()
            results = visit.page.locator("#mkdocs-search-results article").all_inner_texts()
        visit.page.wait_for_timeout(200)  # an onerror handler fires once its image has failed
        problems = visit.problems()
        visit.close()
    assert results and problems == {}, problems


def _material(site: Path) -> bool:
    return (site / "assets" / "javascripts").is_dir()


def _url_path(relative: str) -> str:
    """A folder path as a URL path: the server decodes percent-escapes, the browser needs them."""
    from urllib.parse import quote

    return quote(relative, safe="/")
