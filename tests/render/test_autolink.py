"""Linking glossary terms in rendered HTML: what matches, and where nothing may be touched."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from unicodedata import normalize

import pytest

from mltrl_docs.findings import Position
from mltrl_docs.glossary import Entry, Scope, build_glossary, fold
from mltrl_docs.load import load_glossary
from mltrl_docs.model import GlossaryTerm
from mltrl_docs.render.autolink import MAX_NAME, TermMatcher, link_terms
from mltrl_docs.render.html import Renderer

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


# --- text, not markup: entities, escaping, Unicode forms ---------------------------------

ENTITY_NAMES = """\
mltrl: 1
terms:
  - term: GT
    definition: Ground truth.
  - term: AMP
    definition: Automatic mixed precision.
  - term: quot
    definition: A quotient.
  - term: nbsp
    definition: Not a term.
  - term: "#39"
    definition: Ticket 39.
  - term: Switchback
    definition: Going back.
"""


@pytest.fixture
def entity_matcher(write) -> TermMatcher:
    terms, findings = load_glossary(write("e.yml", ENTITY_NAMES))
    assert findings == []
    glossary, findings = build_glossary(terms, {}, builtin=False)
    assert findings == []
    return TermMatcher(glossary.org)


@pytest.mark.parametrize("html", [
    "<p>a &gt; b, a &amp; b, &quot;c&quot;, d&nbsp;e, it&#39;s, &GT; &AMP;</p>",
    "<p>&#x27;&#34;&#62;&#x3E;&#39;</p>",
])
def test_names_spelled_like_entities_are_never_linked_inside_entities(entity_matcher, html: str) -> None:
    assert linked(html, entity_matcher, "every") == html


def test_names_spelled_like_entities_are_linked_as_words(entity_matcher) -> None:
    assert linked("<p>GT &gt; gt, AMP &amp; #39 &quot;quot&quot;</p>", entity_matcher, "every") == (
        '<p>[GT|gt] &gt; [gt|gt], [AMP|amp] &amp; [#39|39] "[quot|quot]"</p>')


def test_text_around_a_link_is_written_back_escaped(entity_matcher) -> None:
    assert linked("<p>&lt;switchback&gt; &amp; more</p>", entity_matcher) == (
        "<p>&lt;[switchback|switchback]&gt; &amp; more</p>")
    assert linked("<p>&lt;b&gt;switchback&lt;/b&gt;</p>", entity_matcher) == (
        "<p>&lt;b&gt;[switchback|switchback]&lt;/b&gt;</p>")


def test_a_term_is_found_in_nfc_and_nfd_text_and_by_uses(write) -> None:
    for term, text in (("Café", "cafe\u0301"), ("Cafe\u0301", "café"), ("Café", "CAFÉ")):
        yml = write("u.yml", f"mltrl: 1\nterms:\n  - term: {term}\n    definition: x.\n")
        written, findings = load_glossary(yml)
        glossary, _ = build_glossary(written, {}, builtin=False)
        matcher = TermMatcher(glossary.org)
        anchor = glossary.entries[0].anchor
        assert findings == []
        assert linked(f"<p>A {text}.</p>", matcher) == f"<p>A [{normalize('NFC', text)}|{anchor}].</p>"
        assert [e.term.term for e in matcher.uses(f"the {text} menu")] == [term]


def test_an_unclosed_comment_or_tag_is_text(matcher) -> None:
    assert linked("<p>a switchback <!-- never closed</p><p>policy</p>", matcher) == (
        "<p>a [switchback|switchback] &lt;!-- never closed</p><p>[policy|policy]</p>")
    assert linked("<p>policy <a href</p><p>switchback</p>", matcher) == (
        "<p>[policy|policy] <a href</p><p>switchback</p>")
    assert linked("<p><!-- switchback --> switchback -->", matcher) == (
        "<p><!-- switchback --> [switchback|switchback] --&gt;")


# --- names of any length and number --------------------------------------------------


def _scope(*names: str) -> Scope:
    entry = Entry(GlossaryTerm("T", "x.", Path("g.yml"), Position(1, 1)), "t")
    return Scope({fold(name): entry for name in names})


def test_a_name_of_100_000_characters_is_not_linked_and_breaks_nothing() -> None:
    scope = _scope("x" * 100_000, "y " * 50_000, "a" * MAX_NAME, "ok")
    started = time.perf_counter()
    matcher = TermMatcher(scope)
    assert time.perf_counter() - started < 2
    html = f"<p data-terms>{'x' * 100_000} ok {'a' * MAX_NAME}</p>"
    assert link_terms(html, matcher, lambda e, t: f"[{len(t)}]", "every") == (
        "<p data-terms>" + "x" * 100_000 + " [2] [200]</p>")


def test_5000_prefix_chained_names_compile_and_the_longest_linkable_one_wins() -> None:
    """'a', 'a a', 'a a a' ... nested one group per name: a few hundred made re.compile fail."""
    words = " a" * 5000
    scope = _scope(*(words[1 : 2 * k] for k in range(1, 5001)))
    started = time.perf_counter()
    matcher = TermMatcher(scope)
    assert time.perf_counter() - started < 2
    text = "a " * 150
    assert link_terms(f"<p data-terms>{text}</p>", matcher, lambda e, t: f"[{len(t)}]", "every") == (
        "<p data-terms>[199] [99] </p>")


def test_names_that_branch_and_end_at_every_character_up_to_the_bound() -> None:
    names = [name for k in range(1, MAX_NAME) for name in ("a" * k, "a" * k + "b")]
    matcher = TermMatcher(_scope(*names))
    html = "<p data-terms>" + "a" * 150 + "b " + "a" * 7 + " b</p>"
    assert link_terms(html, matcher, lambda e, t: f"[{len(t)}]", "every") == "<p data-terms>[151] [7] b</p>"


def test_compiling_deep_in_the_stack_links_shorter_names_instead_of_failing() -> None:
    """re.compile recurses per nested group; with little stack left, names are cut shorter."""
    scope = _scope("a" * MAX_NAME, *("a" * k + "b" for k in range(MAX_NAME)), "ok")

    def depth() -> int:
        frame, n = sys._getframe(), 0
        while frame is not None:
            frame, n = frame.f_back, n + 1
        return n

    def matcher_at(frames: int) -> TermMatcher:
        return TermMatcher(scope) if frames <= 0 else matcher_at(frames - 1)

    matcher = matcher_at(sys.getrecursionlimit() - depth() - 120)
    html = "<p data-terms>ok aab " + "a" * MAX_NAME + "</p>"
    assert link_terms(html, matcher, lambda e, t: f"[{t}]", "every") == (
        "<p data-terms>[ok] [aab] " + "a" * MAX_NAME + "</p>")


@pytest.mark.parametrize("definition", ["Has \x00term\x00 in it.",
                                        "Has <mltrl-term-text></mltrl-term-text> in it."])
def test_the_rendered_link_holds_the_text_once_whatever_the_definition(definition: str) -> None:
    """The renderer fills ``_term.html`` by splitting it at a placeholder; a definition holding
    the placeholder (the old one was NUL-delimited) must not move the split."""
    term = GlossaryTerm("Switchback", definition, Path("g.yml"), Position(1, 1))
    glossary, _ = build_glossary([term], {}, builtin=False)
    renderer = Renderer("dossier")
    renderer.use_glossary(glossary)
    link = renderer._term_link("../glossary/", glossary.entries[0], "switch&amp;back")
    assert link.startswith('<a class="mltrl-term" href="../glossary/#switchback"')
    assert link.endswith(">switch&amp;back</a>") and link.count("switch&amp;back") == 1
    assert "mltrl-term-text>" not in link.replace("&lt;mltrl-term-text&gt;&lt;/mltrl-term-text&gt;", "")
