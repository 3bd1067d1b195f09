"""The metrics page: generated in the nav when asked for, its chart labelled for screen
readers, and card text on it escaped."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from mltrl_docs.dossier import build_dossier
from mltrl_docs.render.html import Renderer
from mltrl_docs.render.pages import OPTIONAL_PAGES, SitePage, site_pages

HOSTILE = "<script>alert('t')</script> \"><svg onload=alert(1)> {{ 7*191 }}"


def _metrics_page(tmp_path: Path, include: tuple[str, ...] = OPTIONAL_PAGES) -> SitePage | None:
    pages = site_pages(build_dossier([tmp_path / "src"]), "dossier", include)
    return next((p for p in pages if p.uri == "dossier/metrics.md"), None)


def _write_portfolio(write_card: Callable[..., Path]) -> None:
    requirements = [{"id": "1", "kind": "research", "text": "t", "verification": "test", "status": "verified"},
                    {"id": "2", "kind": "research", "text": "t", "verification": "test", "status": "in-progress"}]
    write_card("src/p/a.md", mltrl="1.1", project="P1", title=HOSTILE, level=2, date="2020-01-01",
               requirements=requirements,
               reviewers=[{"name": HOSTILE, "decision": "approved", "date": "2020-01-11", "requested": "2020-01-01"}])
    write_card("src/p/b.md", project="P1", title=HOSTILE, level=3, date="2021-01-01",
               transition={"from": 2, "kind": "advance"}, requirements=requirements)
    write_card("src/p/c.md", project="P1", title=HOSTILE, level=2, date="2021-06-01", requirements=requirements,
               transition={"from": 3, "kind": "switchback", "switchback": "review", "reason": HOSTILE})


def test_the_metrics_page_is_generated_in_the_nav_unless_left_out(write_card: Callable[..., Path],
                                                                  tmp_path: Path) -> None:
    _write_portfolio(write_card)
    page = _metrics_page(tmp_path)
    assert page is not None and page.in_nav and page.title == "Metrics" and page.template == "metrics.html"
    assert _metrics_page(tmp_path, tuple(k for k in OPTIONAL_PAGES if k != "metrics")) is None


def test_the_metrics_page_escapes_card_text_and_labels_its_chart(write_card: Callable[..., Path],
                                                                 tmp_path: Path) -> None:
    _write_portfolio(write_card)
    page = _metrics_page(tmp_path)
    assert page is not None
    html = Renderer("dossier").render(page, lambda uri: uri, {})
    assert "<script" not in html and "<svg onload" not in html
    assert "&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;" in html and "&#34;&gt;&lt;svg" in html
    assert "{{ 7*191 }}" in html and "1337" not in html
    assert '<a href="dossier/P1/index.md">P1</a>' in html
    [svg] = re.findall(r"<svg\b[^>]*>", html)
    assert 'role="img"' in svg and 'aria-labelledby="mltrl-mc-title mltrl-mc-desc"' in svg
    assert '<title id="mltrl-mc-title">Requirements verified over time' in html
    assert "2021-06-01, 1 of 2 verified." in html  # the desc reads every point
    assert ">Card date</text>" in html and ">Requirements</text>" in html
    assert "1 review" in html and "L3→L2 review" in html  # the switchback, by kind and pair
    assert "median 10 days over 1 review" in html and "2 not measured (no request date)" in html
    # Nothing inline for the CSP to refuse, nothing loaded from elsewhere.
    assert " style=" not in html and "<style" not in html and "http" not in html.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")


def test_an_empty_portfolio_renders_without_a_chart(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    page = _metrics_page(tmp_path)
    assert page is not None
    html = Renderer("dossier").render(page, lambda uri: uri, {})
    assert "<svg" not in html and "nothing to measure" in html
