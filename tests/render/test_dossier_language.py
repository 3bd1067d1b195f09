"""A project's pages (dossier, review packet, cards, attachments) say every word of their own in the
site's language (issue 11, item 5): a German build of the example shows none of their English labels."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from conftest import REPO
from mltrl_docs.dossier import CheckedDossier, build_site
from mltrl_docs.messages import PLACEHOLDER, english, messages_for
from mltrl_docs.render.html import Renderer
from mltrl_docs.render.pages import site_pages
from mltrl_docs.settings import load_settings

SECTIONS = ("dossier.", "packet.", "summary.", "gap.", "history_table.", "production.", "card.", "matrix.", "risk.",
            "ledger.", "attachment.", "coupling.", "timeline.", "value.")
"""The messages of the project's pages (and the values they show)."""


@pytest.fixture(scope="module")
def example() -> CheckedDossier:
    settings, findings = load_settings(REPO / "site_example" / "mltrl-docs.yml")
    assert settings is not None and findings == []
    return build_site(settings, today=dt.date(2026, 12, 1))


def project_pages(dossier: CheckedDossier, language: str) -> dict[str, str]:
    """The visible text and labels of every page under a project's folder, card bodies left out."""
    messages = messages_for(language)
    renderer = Renderer("dossier")
    renderer.use_messages(messages)
    pages = [page for page in site_pages(dossier, "dossier", messages=messages) if page.project is not None]
    return {page.uri: _words(renderer.render(page, lambda uri: uri, {})) for page in pages}


def _words(markup: str) -> str:
    """Card and attachment bodies (the team's own text) and the check's findings and gap items (the
    check's words, not the pages') are left out."""
    markup = _without(_without(markup, '<div class="mltrl-body"', "div"), '<ul class="mltrl-gap"', "ul")
    markup = re.sub(r'<tr class="mltrl-finding-.*?</tr>', "", markup, flags=re.DOTALL)
    labels = " ".join(re.findall(r'(?:aria-label|title)="([^"]*)"', markup))
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup) + " " + labels).split())


def _without(markup: str, start: str, tag: str) -> str:
    """``markup`` without each element that begins with ``start`` (nested ``tag`` elements counted)."""
    while (begin := markup.find(start)) >= 0:
        depth, at = 0, begin
        for match in re.compile(rf"<(/?){tag}\b[^>]*>").finditer(markup, begin):
            depth += -1 if match.group(1) else 1
            if depth == 0:
                at = match.end()
                break
        markup = markup[:begin] + markup[at:]
    return markup


def _phrases() -> set[str]:
    """The English words of the pages' messages: each message's text between placeholders, where it is
    long enough to be told apart (a phrase the example's cards say too is not checked: card data stays
    as written)."""
    found: set[str] = set()
    for key, message in english().table.items():
        if key.startswith(SECTIONS):
            for text in [message] if isinstance(message, str) else message.values():
                found.update(part.strip(" ,.:;()") for part in PLACEHOLDER.split(text)[::2])
    return {p for p in found if len(p) >= 12 and " " in p}


def test_the_german_pages_show_no_english_label_of_their_own(example: CheckedDossier) -> None:
    english_pages = project_pages(example, "en")
    german_pages = project_pages(example, "de")
    assert english_pages.keys() == german_pages.keys() and len(german_pages) > 20
    english_text, german_text = " ".join(english_pages.values()), " ".join(german_pages.values())
    cards = " ".join(" ".join(path.read_text(encoding="utf-8").split())
                     for path in (REPO / "site_example" / "dossiers").rglob("*.md"))
    used = {phrase for phrase in _phrases() if phrase in english_text and phrase not in cards}
    assert len(used) >= 40  # the check sees the labels (it must not silently find none)
    assert sorted(phrase for phrase in used if phrase in german_text) == []
    for said in ("Anforderungsmatrix", "Stufenverlauf", "Gate-Reviews", "Versionen, Ethik und technische Schulden",
                 "Für das Gate-Review", "Aktuelle Karte: Stufe", "Ethik-Checkliste: beantwortete Fragen",
                 "Gekoppelte Komponenten von", "Änderungen angefordert", "verifiziert", "bisher"):
        assert said in german_text, said


def test_dates_on_the_german_pages_are_german(example: CheckedDossier) -> None:
    german_text = " ".join(project_pages(example, "de").values())
    assert re.search(r"\b\d\d\.\d\d\.20\d\d\b", german_text)
    # ISO dates remain only in machine-readable attributes and in card text that writes them itself
    assert "Stufe 4 (16.02.2026)" in german_text or "L4 (16.02.2026)" in german_text
