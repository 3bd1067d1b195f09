"""Linking glossary terms as pages are rendered (card bodies through markdown-it, template text
through the ``terms`` filter): what matches, and where nothing may be touched."""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path
from unicodedata import normalize

import pytest
from markupsafe import Markup

from mltrl_docs.dossier import build_dossier
from mltrl_docs.findings import Position
from mltrl_docs.glossary import Entry, LinkMode, Scope, build_glossary, fold
from mltrl_docs.load import load_glossary
from mltrl_docs.model import GlossaryTerm
from mltrl_docs.render import autolink
from mltrl_docs.render.autolink import MAX_NAME, TermLinker, TermMatcher
from mltrl_docs.render.html import Renderer, on_page
from mltrl_docs.render.markdown import Relink, to_html
from mltrl_docs.render.pages import site_pages

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


def render(entry: Entry, text: str) -> str:
    return f"[{text}|{entry.anchor}]"


def linked(text: str, matcher: TermMatcher, mode: LinkMode = "first") -> str:
    """Escaped template text (a requirement, a reason) through one page's linker."""
    return TermLinker(matcher, render, mode).link(text)


def body(markdown: str, matcher: TermMatcher, mode: LinkMode = "first", relink: Relink | None = None,
         hosts: tuple[str, ...] = ()) -> str:
    """A card body rendered with one page's linker."""
    return to_html(markdown, relink, hosts, TermLinker(matcher, render, mode))


def test_terms_aliases_plurals_and_team_words_link_in_the_authors_case(matcher) -> None:
    assert body("Two SWITCHBACKS, a PoC and policies; we re-plan.", matcher, "every") == (
        "<p>Two [SWITCHBACKS|switchback], a [PoC|proof-of-concept] and [policies|policy]; we "
        "[re-plan|switchback].</p>\n")
    assert linked("Two SWITCHBACKS, a PoC; we re-plan.", matcher, "every") == (
        "Two [SWITCHBACKS|switchback], a [PoC|proof-of-concept]; we [re-plan|switchback].")


def test_longest_match_wins_over_a_shorter_term_inside_it(matcher) -> None:
    """Also across a line break in the Markdown (a soft break is part of the text)."""
    assert body("Proof of concept development, then a proof of\nconcept.", matcher) == (
        "<p>[Proof of concept development|proof-of-concept-development], then a "
        "[proof of\nconcept|proof-of-concept].</p>\n")


def test_first_use_per_page_or_every_use(matcher) -> None:
    markdown = "switchback\n\nSwitchback and step back"
    assert body(markdown, matcher) == "<p>[switchback|switchback]</p>\n<p>Switchback and step back</p>\n"
    assert body(markdown, matcher, "every") == (
        "<p>[switchback|switchback]</p>\n<p>[Switchback|switchback] and [step back|switchback]</p>\n")
    assert body(markdown, matcher, "off") == to_html(markdown)


def test_first_use_is_per_page_across_bodies_and_template_text(matcher) -> None:
    """One linker per page: what a requirement text linked, the body after it does not link again."""
    page = TermLinker(matcher, render)
    assert page.link("A switchback.") == "A [switchback|switchback]."
    assert to_html("A switchback, a policy.", terms=page) == "<p>A switchback, a [policy|policy].</p>\n"
    assert page.link("policy, PoC") == "policy, [PoC|proof-of-concept]"


@pytest.mark.parametrize("markdown", [
    "`switchback`",
    "```\na switchback\n```",
    "    a switchback",
    "[switchback](x.md)",
    "[the *switchback*](https://example.org)",
    "[switchback][r]\n\n[r]: /x",
    "<https://switchback.example>",
    "## Switchback",
    "### The *switchback*",
    "Switchback\n---",
    "# A ![switchback](https://elsewhere.example/s.png) image",
    "[![switchback](https://elsewhere.example/s.png)](x.md)",
    "![switchback](s.png)",
    '[no term](x.md "switchback")',
    "switchbacking, preswitchback, pre-switchback, switchback-ish",
])
def test_never_inside_code_links_headings_attributes_or_words(matcher, markdown: str) -> None:
    relink = lambda href: f"/{href}"  # noqa: E731
    assert body(markdown, matcher, "every", relink) == to_html(markdown, relink)


def test_text_after_a_skipped_element_is_linked_again(matcher) -> None:
    assert body("`switchback` then  \na switchback", matcher) == (
        "<p><code>switchback</code> then<br />\na [switchback|switchback]</p>\n")
    assert body("[switchback](x.md), a switchback", matcher, relink=lambda h: None).endswith(
        "</a>, a [switchback|switchback]</p>\n")


def test_text_in_tables_lists_and_quotes_is_linked(matcher) -> None:
    assert body("| Switchback | b |\n|---|---|\n| policy | PoC |\n\n- step back\n\n> V&V", matcher) == (
        "<table>\n<thead>\n<tr>\n<th>[Switchback|switchback]</th>\n<th>b</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n"
        "<td>[policy|policy]</td>\n<td>[PoC|proof-of-concept]</td>\n</tr>\n</tbody>\n</table>\n"
        "<ul>\n<li>step back</li>\n</ul>\n<blockquote>\n<p>[V&amp;V|v-v]</p>\n</blockquote>\n")


def test_an_image_shown_as_its_alt_text_is_prose(matcher) -> None:
    """An image the site does not load shows its alt text, linked like the text around it."""
    assert body("See ![a switchback](https://elsewhere.example/s.png).", matcher) == (
        '<p>See <span class="mltrl-unpublished" title="image from outside the site, not loaded: '
        'https://elsewhere.example/s.png">[a [switchback|switchback]]</span>.</p>\n')


def test_escaped_text_matches_names_with_markup_characters(matcher) -> None:
    assert body("Full V&V done.", matcher) == "<p>Full [V&amp;V|v-v] done.</p>\n"
    assert linked("Full V&amp;V done.", matcher) == "Full [V&amp;V|v-v] done."


def test_hostile_text_is_text_and_its_terms_are_linked_escaped(matcher) -> None:
    """Raw HTML in a body or a requirement is escaped text (markdown-it's html off, Jinja's
    autoescape): its words are linked like any others, and it never becomes markup."""
    assert body("<script>switchback</script> <svg><text>policy</text></svg>", matcher) == (
        "<p>&lt;script&gt;[switchback|switchback]&lt;/script&gt; &lt;svg&gt;&lt;text&gt;[policy|policy]"
        "&lt;/text&gt;&lt;/svg&gt;</p>\n")
    assert linked('&lt;a href=&#34;switchback&#34;&gt;', matcher) == '&lt;a href="[switchback|switchback]"&gt;'


def test_the_terms_filter_links_only_where_a_page_has_a_linker(matcher) -> None:
    """Template text through ``| terms``: printed as any value (isolated, escaped), then linked by
    the page's linker, sharing it with the page's bodies in document order; the same value without
    a linker prints exactly as without the filter. Markup holding a tag is left as it is."""
    env = Renderer("dossier").env
    template = env.from_string("<th>{{ x }}</th><td data-terms>{{ x | terms }}</td>{{ m | terms }}"
                               "{{ md | markdown }}")
    values = {"x": "a <switchback>\u202e", "m": Markup("<b>policy</b>"), "md": "a switchback, a policy",
              "image_hosts": ()}
    with on_page(lambda uri: uri, {}, TermLinker(matcher, render)):
        linked_page = template.render(**values)
    with on_page(lambda uri: uri, {}, None):
        unlinked_page = template.render(**values)
    assert linked_page == (
        "<th>\u2068a &lt;switchback&gt;\u202e\u2069</th><td data-terms>\u2068a &lt;[switchback|switchback]&gt;"
        "\u202e\u2069</td><b>policy</b><p>a switchback, a [policy|policy]</p>\n")
    assert unlinked_page == (
        "<th>\u2068a &lt;switchback&gt;\u202e\u2069</th><td data-terms>\u2068a &lt;switchback&gt;\u202e\u2069</td>"
        "<b>policy</b><p>a switchback, a policy</p>\n")


def test_a_card_page_links_each_term_once_in_document_order(write, write_card, tmp_path: Path) -> None:
    """The transition reason and the requirements come before the body on a card page: a term
    they link is not linked again in the body; labels (table headers) are never linked."""
    write("glossary.yml", GLOSSARY)
    write_card("src/C1/L1.md", level=1, date="2024-01-01")
    write_card("src/C1/L2.md", body="**TL;DR**: a switchback.\n\n## Policy\n\nOne switchback, one policy, a PoC.\n",
               level=2, transition={"from": 1, "kind": "advance", "reason": "The Policy held."},
               requirements=[{"id": "1", "kind": "product", "text": "Shall plan a switchback.",
                              "verification": "test", "status": "waived", "reason": "no PoC yet"}])
    dossier = build_dossier([tmp_path / "src"], [tmp_path / "glossary.yml"], builtin_glossary=False)
    assert [f.message for f in dossier.findings if f.severity.value == "error"] == []
    page = next(p for p in site_pages(dossier, "dossier") if p.uri.startswith("dossier/C1/L2"))
    renderer = Renderer("dossier")
    renderer.use_glossary(dossier.glossary)
    html = renderer.render(page, lambda uri: "../glossary/" if uri.endswith("glossary/index.md") else uri, {})
    found = re.findall(r'<a class="mltrl-term" href="../glossary/#([^"]+)"[^>]*>([^<]*)</a>', html)
    assert found == [("policy", "Policy"), ("switchback", "switchback"), ("proof-of-concept", "PoC")]
    order = [html.index(text) for text in ("The <a class", "Shall plan a <a class", "<p>One switchback, one policy")]
    assert order == sorted(order)


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


@pytest.mark.parametrize("text", [
    "a &gt; b, a &amp; b, &quot;c&quot;, d&nbsp;e, it&#39;s, &GT; &AMP;",
    "&#x27;&#34;&#62;&#x3E;&#39;",
])
def test_names_spelled_like_entities_are_never_linked_inside_entities(entity_matcher, text: str) -> None:
    assert linked(text, entity_matcher, "every") == text
    assert body(text, entity_matcher, "every") == to_html(text)


def test_names_spelled_like_entities_are_linked_as_words(entity_matcher) -> None:
    assert linked("GT &gt; gt, AMP &amp; #39 &quot;quot&quot;", entity_matcher, "every") == (
        '[GT|gt] &gt; [gt|gt], [AMP|amp] &amp; [#39|39] "[quot|quot]"')
    assert body('GT > gt, AMP &amp; #39 "quot"', entity_matcher, "every") == (
        '<p>[GT|gt] &gt; [gt|gt], [AMP|amp] &amp; [#39|39] "[quot|quot]"</p>\n')


def test_text_around_a_link_is_written_back_escaped(entity_matcher) -> None:
    assert linked("&lt;switchback&gt; &amp; more", entity_matcher) == "&lt;[switchback|switchback]&gt; &amp; more"
    assert body("<b>switchback</b>", entity_matcher) == "<p>&lt;b&gt;[switchback|switchback]&lt;/b&gt;</p>\n"


def test_a_term_is_found_in_nfc_and_nfd_text_and_by_uses(write) -> None:
    for term, text in (("Café", "cafe\u0301"), ("Cafe\u0301", "café"), ("Café", "CAFÉ")):
        yml = write("u.yml", f"mltrl: 1\nterms:\n  - term: {term}\n    definition: x.\n")
        written, findings = load_glossary(yml)
        glossary, _ = build_glossary(written, {}, builtin=False)
        matcher = TermMatcher(glossary.org)
        anchor = glossary.entries[0].anchor
        assert findings == []
        assert linked(f"A {text}.", matcher) == f"A [{normalize('NFC', text)}|{anchor}]."
        assert body(f"A *{text}*.", matcher) == f"<p>A <em>[{normalize('NFC', text)}|{anchor}]</em>.</p>\n"
        assert [e.term.term for e in matcher.uses(f"the {text} menu")] == [term]


def test_an_unclosed_comment_or_tag_in_the_text_is_text(matcher) -> None:
    assert body("a switchback <!-- never closed\n\npolicy", matcher) == (
        "<p>a [switchback|switchback] &lt;!-- never closed</p>\n<p>[policy|policy]</p>\n")
    assert body("policy <a href\n\nswitchback", matcher) == (
        "<p>[policy|policy] &lt;a href</p>\n<p>[switchback|switchback]</p>\n")
    assert linked("&lt;!-- switchback --&gt; policy --&gt;", matcher) == (
        "&lt;!-- [switchback|switchback] --&gt; [policy|policy] --&gt;")


# --- names of any length and number --------------------------------------------------


def _scope(*names: str) -> Scope:
    entry = Entry(GlossaryTerm("T", "x.", Path("g.yml"), Position(1, 1)), "t")
    return Scope({fold(name): entry for name in names})


def test_a_name_of_100_000_characters_is_not_linked_and_breaks_nothing() -> None:
    scope = _scope("x" * 100_000, "y " * 50_000, "a" * MAX_NAME, "ok")
    started = time.process_time()  # CPU time: a loaded machine stretches the wall clock, not the work
    matcher = TermMatcher(scope)
    assert time.process_time() - started < 2
    text = f"{'x' * 100_000} ok {'a' * MAX_NAME}"
    assert TermLinker(matcher, lambda e, t: f"[{len(t)}]", "every").link(text) == "x" * 100_000 + " [2] [200]"


def test_5000_prefix_chained_names_compile_and_the_longest_linkable_one_wins() -> None:
    """'a', 'a a', 'a a a' ... nested one group per name: a few hundred made re.compile fail."""
    words = " a" * 5000
    scope = _scope(*(words[1 : 2 * k] for k in range(1, 5001)))
    started = time.process_time()  # CPU time: a loaded machine stretches the wall clock, not the work
    matcher = TermMatcher(scope)
    assert time.process_time() - started < 2
    text = "a " * 150
    assert TermLinker(matcher, lambda e, t: f"[{len(t)}]", "every").link(text) == "[199] [99] "


def test_names_that_branch_and_end_at_every_character_up_to_the_bound() -> None:
    names = [name for k in range(1, MAX_NAME) for name in ("a" * k, "a" * k + "b")]
    matcher = TermMatcher(_scope(*names))
    text = "a" * 150 + "b " + "a" * 7 + " b"
    assert TermLinker(matcher, lambda e, t: f"[{len(t)}]", "every").link(text) == "[151] [7] b"


def test_compiling_deep_in_the_stack_links_shorter_names_instead_of_failing() -> None:
    """re.compile recurses per nested group; with little stack left, names are cut shorter."""
    autolink._compiled.cache_clear()  # the full expression, kept from a call with stack to spare, would be reused
    scope = _scope("a" * MAX_NAME, *("a" * k + "b" for k in range(MAX_NAME)), "ok")

    def depth() -> int:
        frame, n = sys._getframe(), 0
        while frame is not None:
            frame, n = frame.f_back, n + 1
        return n

    def matcher_at(frames: int) -> TermMatcher:
        return TermMatcher(scope) if frames <= 0 else matcher_at(frames - 1)

    matcher = matcher_at(sys.getrecursionlimit() - depth() - 120)
    text = "ok aab " + "a" * MAX_NAME
    assert TermLinker(matcher, lambda e, t: f"[{t}]", "every").link(text) == "[ok] [aab] " + "a" * MAX_NAME
    again = TermMatcher(scope)  # with stack to spare: every name, the narrower expression not kept
    assert TermLinker(again, lambda e, t: f"[{len(t)}]", "every").link(text) == f"[2] [3] [{MAX_NAME}]"


def test_a_glossary_asked_for_again_is_not_compiled_again() -> None:
    """Every `mkdocs serve` rebuild makes new matchers for the same glossary: its expression is kept."""
    scope = _scope("switchback", "gate review")
    assert TermMatcher(scope).pattern is TermMatcher(scope).pattern
    assert TermMatcher(_scope("switchback")).pattern is not TermMatcher(scope).pattern


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
