"""Linking glossary terms in rendered HTML: what matches, and where nothing may be touched."""

from __future__ import annotations

import pytest

from mltrl_docs.glossary import build_glossary
from mltrl_docs.load import load_glossary
from mltrl_docs.render.autolink import TermMatcher, link_terms

GLOSSARY = """\
mltrl: 1
terms:
  - term: Proof of concept
    definition: A demo.
    aliases: [PoC]
  - term: Proof of concept development
    definition: Level 4.
  - term: Switchback
    definition: Going back.
    aliases: [step back]
    teams: {Product: re-plan}
  - term: V&V
    definition: Verification and validation.
  - term: Policy
    definition: A rule.
"""


@pytest.fixture
def matcher(write) -> TermMatcher:
    terms, findings = load_glossary(write("g.yml", GLOSSARY))
    assert findings == []
    glossary, findings = build_glossary(terms, {}, builtin=False)
    assert findings == []
    return TermMatcher(glossary.org)


def linked(html: str, matcher: TermMatcher, mode: str = "first") -> str:
    return link_terms(f"<div data-terms>{html}</div>", matcher, lambda e, t: f"[{t}|{e.anchor}]", mode)[16:-6]


def test_terms_aliases_plurals_and_team_words_link_in_the_authors_case(matcher) -> None:
    assert linked("<p>Two SWITCHBACKS, a PoC and policies; we re-plan.</p>", matcher, "every") == (
        "<p>Two [SWITCHBACKS|switchback], a [PoC|proof-of-concept] and [policies|policy]; we "
        "[re-plan|switchback].</p>")


def test_longest_match_wins_over_a_shorter_term_inside_it(matcher) -> None:
    assert linked("<p>Proof of concept development, then a proof of\nconcept.</p>", matcher) == (
        "<p>[Proof of concept development|proof-of-concept-development], then a "
        "[proof of\nconcept|proof-of-concept].</p>")


def test_first_use_per_page_or_every_use(matcher) -> None:
    html = "<p>switchback</p><p>Switchback and step back</p>"
    assert linked(html, matcher) == "<p>[switchback|switchback]</p><p>Switchback and step back</p>"
    assert linked(html, matcher, "every") == (
        "<p>[switchback|switchback]</p><p>[Switchback|switchback] and [step back|switchback]</p>")
    assert linked(html, matcher, "off") == html


@pytest.mark.parametrize("html", [
    "<p><code>switchback</code></p>",
    "<pre><code>a switchback\n</code></pre>",
    '<p><a href="x">switchback</a></p>',
    "<h2>Switchback</h2>",
    "<h3 id='s'>The <em>switchback</em></h3>",
    '<p><img alt="switchback" src="x.png"></p>',
    '<p title="switchback">no term here</p>',
    "<svg><text>switchback</text></svg>",
    "<!-- switchback -->",
    "<p>switchbacking, preswitchback, pre-switchback, switchback-ish</p>",
])
def test_never_inside_code_links_headings_attributes_or_words(matcher, html: str) -> None:
    assert linked(html, matcher) == html


def test_text_after_a_skipped_element_is_linked_again(matcher) -> None:
    assert linked("<p><code>switchback</code> then <br>a switchback</p>", matcher) == (
        "<p><code>switchback</code> then <br>a [switchback|switchback]</p>")


def test_escaped_text_matches_names_with_markup_characters(matcher) -> None:
    assert linked("<p>Full V&amp;V done.</p>", matcher) == "<p>Full [V&amp;V|v-v] done.</p>"


def test_only_marked_prose_is_linked(matcher) -> None:
    html = "<table><tr><th>Switchback</th><td data-terms>a switchback</td></tr></table><p>switchback</p>"
    assert link_terms(html, matcher, lambda e, t: f"[{t}]") == (
        "<table><tr><th>Switchback</th><td data-terms>a [switchback]</td></tr></table><p>switchback</p>")


def test_uses_finds_every_entry_in_plain_text(matcher) -> None:
    found = matcher.uses("A `switchback` & V&V, no policy.")
    assert sorted(e.anchor for e in found) == ["policy", "switchback", "v-v"]
