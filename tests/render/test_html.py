"""The Jinja environment: what every printed value goes through."""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup

from mltrl_docs.dossier import build_dossier
from mltrl_docs.render.html import Renderer, isolate_bidi
from mltrl_docs.render.pages import site_pages


def test_a_value_with_a_bidi_override_is_isolated() -> None:
    assert isolate_bidi("evil\u202e txt.exe") == "\u2068evil\u202e txt.exe\u2069"
    assert isolate_bidi("plain") == "plain" and isolate_bidi(7) == 7
    assert isolate_bidi(Markup("<b>\u202e</b>")) == Markup("<b>\u202e</b>")


def test_an_override_in_a_title_cannot_reorder_the_page_words_after_it(write_card, tmp_path: Path) -> None:
    write_card("src/p/L2.md", project="H1", title="Monitor \u202eevil")
    dossier = build_dossier([tmp_path / "src"])
    page = next(p for p in site_pages(dossier) if p.uri == "dossier/H1/L2-2024-03-01.md")
    html = Renderer("dossier").render(page, lambda uri: uri, {})
    assert "\u2068Monitor \u202eevil\u2069" in html
