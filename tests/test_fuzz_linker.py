"""Fuzzing the glossary linker where pages use it: a page's ``TermLinker`` with matchers built
from generated glossaries (names with spaces, punctuation, entity-like names such as 'amp' or
'gt', Unicode, NFD forms), fed generated escaped text (what templates pass through ``| terms``)
and generated Markdown with links, code, headings, images, tables, raw HTML and character
references (card bodies, which markdown-it renders with the page's linker).

Never raises; only inserts links (what is left after removing them is the page without
linking, its text unchanged up to canonical equivalence); never inside a link, code or a
heading, an attribute, or a character reference; the output has the input's tags, balanced.

Budgets come from the hypothesis profile (conftest.py, docs/fuzzing.md).
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import markupsafe
from hypothesis import Phase, example, given, note, settings
from hypothesis import strategies as st

from fuzz_strategies import ENTITY_WORDS, budget, safe_text, term_names
from mltrl_docs.findings import Position
from mltrl_docs.glossary import Entry, Glossary, build_glossary, fold
from mltrl_docs.model import GlossaryTerm
from mltrl_docs.render.autolink import ScopeMatchers, TermLinker, TermMatcher
from mltrl_docs.render.markdown import to_html

SKIP = frozenset({"a", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6"})
"""Elements whose text is never linked: links and code keep their meaning, headings their anchors."""
SEPARATORS = [" ", "  ", ", ", ". ", "\n", "-", "&", "<", ">", "\"", "'", "(", ")", ";", "#", "\xa0", "/", ":"]
REFERENCES = ["&nbsp;", "&copy;", "&#8212;", "&#x2014;", "&#39;", "&#34;", "&quot;", "&amp;", "&lt;", "&gt;",
              "&#x27;", "&apos;", "&hellip;", "&AMP;", "&#65;", "&eacute;"]
"""Character references as escapers and Markdown renderers write them."""
MARK = 'class="fuzz-term"'
LINK = re.compile(r'<a class="fuzz-term" href="#[^"]*">(.*?)</a>', re.DOTALL)

Escape = Callable[[str], str]
ESCAPES: list[Escape] = [
    lambda text: html.escape(text, quote=False),
    lambda text: html.escape(text, quote=True),
    lambda text: str(markupsafe.escape(text)),
]


def render(entry: Entry, text: str) -> str:
    return f'<a {MARK} href="#{entry.anchor}">{text}</a>'


# --- generated glossaries and HTML --------------------------------------------------------

def term(name: str, index: int, project: str | None = None, aliases: tuple[str, ...] = (),
         teams: dict[str, str] | None = None) -> GlossaryTerm:
    """A glossary term as the loader makes it (names trimmed)."""
    return GlossaryTerm(name.strip(), f"Definition of {name}.", Path("/glossary.yml"), Position(index + 1, 1),
                        aliases=tuple(a.strip() for a in aliases),
                        teams={k: v.strip() for k, v in (teams or {}).items()}, project=project)


@st.composite
def glossaries(draw: st.DrawFn, names: st.SearchStrategy[str] = term_names) -> tuple[Glossary, str | None]:
    """An org glossary, maybe a project glossary, maybe the built-in one under them; and
    the scope a page is in."""
    org = [term(name, i, aliases=tuple(draw(st.lists(names, max_size=2))),
                teams=draw(st.dictionaries(st.sampled_from(["Research", "Ops"]), names, max_size=1)))
           for i, name in enumerate(draw(st.lists(names, min_size=1, max_size=8)))]
    projects: dict[str, list[GlossaryTerm]] = {}
    if draw(st.booleans()):
        projects["P1"] = [term(name, i, "P1") for i, name in enumerate(draw(st.lists(names, min_size=1, max_size=4)))]
    glossary, _ = build_glossary(org, projects, draw(st.integers(0, 4)) == 0)
    return glossary, draw(st.sampled_from([None, "P1", "other"]))


def words_of(glossary: Glossary) -> list[str]:
    """Names as authors write them: as defined, in capitals, with runs of spaces, in NFD."""
    names = [e.term.term for e in glossary.entries] + [a for e in glossary.entries for a in e.term.aliases]
    names += list(glossary.org.names)[:40]
    return names + [n.upper() for n in names[:5]] + [n.replace(" ", "  \n") for n in names[:5]] + [
        unicodedata.normalize("NFD", n) for n in names[:5]]


@st.composite
def text_run(draw: st.DrawFn, words: list[str]) -> str:
    """Escaped text: names, separators and random text, escaped one of the ways a renderer
    escapes, with character references here and there."""
    pieces = draw(st.lists(st.one_of(st.sampled_from(words), st.sampled_from(SEPARATORS), safe_text), max_size=8))
    escaped = draw(st.sampled_from(ESCAPES))("".join(pieces))
    if draw(st.integers(0, 3)) == 0:
        at = draw(st.integers(0, len(escaped)))
        while at and escaped.rfind("&", 0, at) > escaped.rfind(";", 0, at):
            at -= 1  # never inside a reference
        escaped = escaped[:at] + draw(st.sampled_from(REFERENCES)) + escaped[at:]
    return escaped


MARKDOWN = ["`", "``", "*", "**", "_", "~~", "[", "](x.md)", "](https://example.org)", "](#f)", "![", "](s.png)",
            "](https://elsewhere.example/i.png)", "<https://example.org>", "\n\n# ", "\n\n## ", "\n===\n", "\n---\n",
            "\n\n- ", "\n\n1. ", "\n\n> ", "\n\n    ", "\n```\n", "\n| ", " | ", "|\n|---|---|\n", "  \n", "\\\n",
            "<!--", "-->", "<svg>", "<script>", "<a href=x>", "</a>", "<code>", "[r]", "\n\n[r]: https://example.org\n"]
"""Markdown syntax around the words: every kind of inline and block a body may hold."""


@st.composite
def markdown(draw: st.DrawFn, words: list[str]) -> str:
    """A card body: names, separators, random text, character references and Markdown syntax."""
    pieces = st.one_of(st.sampled_from(words), st.sampled_from(SEPARATORS), st.sampled_from(MARKDOWN),
                       st.sampled_from(REFERENCES), safe_text)
    return "".join(draw(st.lists(pieces, max_size=24)))


# --- reading the HTML back ------------------------------------------------------------------

class Events(HTMLParser):
    """Start and end tags, text, comments and attribute values, in order."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple[str, str]] = []
        self.attribute_values: list[str] = []
        self.comments: list[str] = []
        self.links: list[tuple[str, list[tuple[str, dict[str, str | None]]]]] = []
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self._link: list[str] | None = None
        self.feed(source)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "a" and attributes.get("class") == "fuzz-term":
            assert self._link is None, "a term link inside a term link"
            self._link = []
            self.links.append(("", list(self.stack)))
            return
        assert self._link is None, f"<{tag}> inside a term link"
        self.attribute_values += [v for _, v in attrs if v]
        self.events.append(("start", tag))
        if tag not in ("br", "img", "hr", "wbr", "input"):
            self.stack.append((tag, attributes))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attribute_values += [v for _, v in attrs if v]
        self.events.append(("start", tag))

    def handle_endtag(self, tag: str) -> None:
        if self._link is not None and tag == "a":
            self.links[-1] = ("".join(self._link), self.links[-1][1])
            self._link = None
            self.events.append(("link", ""))
            return
        self.events.append(("end", tag))
        if self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self._link is not None:
            self._link.append(data)
        if self.events and self.events[-1][0] in ("text", "link"):
            self.events[-1] = ("text", self.events[-1][1] + data)
        else:
            self.events.append(("text", data))

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)
        self.events.append(("comment", data))

    def text_and_tags(self) -> list[tuple[str, str]]:
        """The events with text merged across links, NFC: what a reader gets."""
        merged: list[tuple[str, str]] = []
        for kind, value in self.events:
            if kind in ("text", "link"):
                value = value if kind == "text" else ""
                if merged and merged[-1][0] == "text":
                    merged[-1] = ("text", merged[-1][1] + value)
                    continue
                kind = "text"
            merged.append((kind, value))
        return [(k, unicodedata.normalize("NFC", v) if k == "text" else v) for k, v in merged if (k, v) != ("text", "")]


def check_linked(source: str, out: str, matcher: TermMatcher, mode: str) -> int:
    """Every property of one page's linking (``out``: ``source`` linked); returns how many links it made."""
    before, after = Events(source), Events(out)
    note(f"output: {out!r}")
    assert after.text_and_tags() == before.text_and_tags(), "text or tags changed"
    assert not any("fuzz-term" in v for v in after.attribute_values), "a link inside an attribute"
    assert not any("fuzz-term" in c for c in after.comments), "a link inside a comment"
    for text, open_elements in after.links:
        names = [name for name, _ in open_elements]
        assert not SKIP.intersection(names), f"link {text!r} inside {names}"
        assert any("data-terms" in attrs for _, attrs in open_elements), f"link {text!r} outside marked prose"
        assert text.strip() and matcher.entries.get(fold(text)) is not None, f"link text {text!r} names no entry"
    assert re.search(r"&[#\w]*<a class=\"fuzz-term\"", out) is None, "a link starts inside a character reference"
    for match in LINK.finditer(out):
        assert re.search(r"&[#\w]*$", match.group(1)) is None, "a link ends inside a character reference"
    if mode == "first":
        anchors = re.findall(r'<a class="fuzz-term" href="#([^"]*)">', out)
        assert len(anchors) == len(set(anchors)), "mode 'first' linked an entry twice"
    unlinked = LINK.sub(lambda m: m.group(1), out)
    assert _tags(unlinked) == _tags(source), "tags or attributes changed"
    return len(after.links)


def _tags(source: str) -> list[str]:
    return re.findall(r"<!--.*?-->|<[^>]*>", source, re.DOTALL)


# --- properties --------------------------------------------------------------------------

def linker(matcher: TermMatcher, mode: str) -> TermLinker:
    return TermLinker(matcher, render, mode)  # type: ignore[arg-type]


def relink(href: str) -> str | None:
    return None if href == "x.md" else f"/{href}"


prose = glossaries().flatmap(lambda g: st.tuples(
    st.just(g), st.lists(text_run(words_of(g[0])), min_size=1, max_size=4), st.sampled_from(["first", "every", "off"])))


@budget(1.0)
@given(prose)
@example(((build_glossary([term("gt", 0), term("amp", 1), term("quot", 2), term("39", 3), term("x27", 4)], {},
                          False)[0], None), ["a &gt; b &amp;amp; &quot;c&quot; &#39;d&#x27;", "gt amp"], "every"))
@example(((build_glossary([term("V&V", 0), term("café", 1), term("R&D", 2)], {}, False)[0], None),
          [f'V&amp;V, {unicodedata.normalize("NFD", "café")}, R&amp;D&amp;', "café"], "first"))
@example(((build_glossary([term("a", 0)], {}, False)[0], None), ["&lt;code&gt;a&lt;/code&gt; a &lt;!-- a"], "every"))
def test_template_text_only_gains_links(case: tuple[tuple[Glossary, str | None], list[str], str]) -> None:
    """Texts a page passes through ``| terms`` (requirements, reasons), one linker for the page."""
    (glossary, project), texts, mode = case
    matcher = ScopeMatchers(glossary).of(project)
    page = linker(matcher, mode)
    source = "".join(f"<td data-terms>{text}</td>" for text in texts)
    out = "".join(f"<td data-terms>{page.link(text)}</td>" for text in texts)
    check_linked(source, out, matcher, mode)
    if mode == "off":
        assert out == source


bodies = glossaries().flatmap(lambda g: st.tuples(
    st.just(g), markdown(words_of(g[0])), st.sampled_from(["first", "every", "off"]),
    st.sampled_from([(), ("elsewhere.example",)])))


@budget(1.0)
@given(bodies)
@example(((build_glossary([term("a", 0), term("gt", 1)], {}, False)[0], None),
          "`a` [a](x.md) a\n\n## a\n\n![a](https://elsewhere.example/i.png) <svg>a</svg> &gt; gt", "every", ()))
@example(((build_glossary([term("proof of concept", 0)], {}, False)[0], None),
          "[![proof of concept](https://elsewhere.example/i.png)](#f) proof of\nconcept, proof  \nof concept", "every",
          ()))
def test_bodies_gain_links_only_in_prose(case: tuple[tuple[Glossary, str | None], str, str, tuple[str, ...]]) -> None:
    """A card body rendered with the page's linker is the body rendered without one, plus links
    in its text, never in a link, code or a heading."""
    (glossary, project), written, mode, hosts = case
    matcher = ScopeMatchers(glossary).of(project)
    source = f"<div data-terms>{to_html(written, relink, hosts)}</div>"
    out = f"<div data-terms>{to_html(written, relink, hosts, linker(matcher, mode))}</div>"
    check_linked(source, out, matcher, mode)
    if mode == "off":
        assert out == source


def check_name_is_linked(names: list[str], name: str) -> None:
    glossary, _ = build_glossary([term(n, i) for i, n in enumerate(names)], {}, False)
    matcher = TermMatcher(glossary.org)
    source = f"<p data-terms>{html.escape(name)}</p>"
    out = f"<p data-terms>{linker(matcher, 'every').link(html.escape(name))}</p>"
    check_linked(source, out, matcher, "every")
    linked = [unicodedata.normalize("NFC", t) for t, _ in Events(out).links]
    assert linked == [unicodedata.normalize("NFC", name.strip())], out


@budget(1.0)
@given(st.lists(term_names, min_size=1, max_size=6, unique_by=fold)
       .flatmap(lambda names: st.tuples(st.just(names), st.sampled_from(names))))
@example((["proof of concept", "proof of concept development", "proof"], "proof of concept"))
@example(([unicodedata.normalize("NFD", "Ångström"), "café"], unicodedata.normalize("NFD", "Ångström")))
@example((["ΣΊΣΥΦΟΣ"], "ΣΊΣΥΦΟΣ"))
@example((["V&V", "A/B test", "C++", "(x)"], "C++"))
def test_a_name_written_in_prose_is_linked(case: tuple[list[str], str]) -> None:
    """A glossary name written as defined, alone in marked prose, is linked, whole."""
    check_name_is_linked(*case)


FOLDING = ["ß", "ﬁ", "İ", "ǰ", "ŉ", "ΐ", "ﬃ", "ẞ", "ss", "Straße", "s", "t", "a"]
"""Letters whose case folding changes the length of a name ('ß' folds to 'ss', 'ﬁ' to 'fi')."""


@budget(0.3)
@given(st.lists(st.lists(st.sampled_from(FOLDING), min_size=1, max_size=3).map("".join), min_size=1, max_size=3).map(
    " ".join))
@example("straße")
@example("ﬁle")
@example("İstanbul")
def test_a_name_that_folds_longer_is_linked(name: str) -> None:
    """Names whose case folding changes their length ('straße' folds to 'strasse', 'ﬁle' to
    'file', 'İ' to 'i' and a combining dot) are linked too (found by the property above:
    they were never linked, even written as defined; fixed)."""
    check_name_is_linked([name], name)


@settings(phases=[Phase.explicit])
@given(st.sampled_from(["Straße  Nord", "Straße\tNord"]), st.booleans())
@example("Straße  Nord", True)
@example("Straße  Nord", False)
@example("Straße\tNord", False)
def test_a_folding_name_with_a_run_of_spaces_is_linked(name: str, as_defined: bool) -> None:
    """Written as defined, or with its runs of spaces as one space (names match with runs of
    spaces folded)."""
    glossary, _ = build_glossary([term(name, 0)], {}, False)
    matcher = TermMatcher(glossary.org)
    written = name if as_defined else " ".join(name.split())
    out = linker(matcher, "every").link(html.escape(written))
    assert [t for t, _ in Events(out).links] == [written], out


@budget(0.3)
@given(st.integers(1, 3000), st.sampled_from(["chain", "words", "long", "many"]))
@example(5000, "long")
@example(1200, "chain")
@example(400, "words")
def test_long_and_prefix_chained_names_never_crash(size: int, shape: str) -> None:
    """Very long names and names that extend one another (a, aa, aaa ...) build a matcher
    and link (or are left out) without an error."""
    if shape == "long":
        names = ["x" * size]
    elif shape == "chain":
        names = ["a" * k for k in range(1, min(size, 1500) + 1)]
    elif shape == "words":
        names = [" ".join(["w"] * k) for k in range(1, min(size, 600) + 1)]
    else:
        names = [f"t{k} x" for k in range(min(size, 2000))]
    glossary, _ = build_glossary([term(name, i) for i, name in enumerate(names)], {}, False)
    matcher = TermMatcher(glossary.org)
    text = f"{names[-1]} {names[0]} and more"
    check_linked(f"<p data-terms>{text}</p>", f"<p data-terms>{linker(matcher, 'every').link(text)}</p>", matcher,
                 "every")


TRICKY = ["ς", "σ", "Σ", "ſ", "s", "K", "k", "µ", "μ", "ß", "ẞ", "İ", "ı", "i", "I", "ﬁ", "ǅ", "ǆ", "Ꭰ", "ꭰ", "é",
          "e\u0301", "Å", "Ω", "ω", " ", "-", "_", "x"]
"""Letters whose cases and foldings disagree ('ς' and 'σ', 'ſ' and 's', the Kelvin sign, the micro
sign, Cherokee, whose lower case folds to upper case), and some that fold longer."""


def _case_insensitive(matcher: TermMatcher, text: str) -> list[tuple[int, int, Entry]]:
    """What the matcher's case-insensitive expression finds in ``text`` as written."""
    found = []
    for match in matcher.pattern.finditer(text):
        entry = matcher.entries.get(fold(match.group()))
        if entry is not None:
            found.append((match.start(), match.end(), entry))
    return found


@budget(0.5)
@given(st.lists(st.lists(st.sampled_from(TRICKY), min_size=1, max_size=4).map("".join), min_size=1, max_size=4,
                unique_by=fold).filter(lambda names: all(n.strip() for n in names)),
       st.lists(st.tuples(st.integers(0, 3), st.sampled_from([str, str.upper, str.lower, str.title, str.swapcase,
                                                              str.casefold])), max_size=6),
       st.sampled_from([" ", ", ", "-", "x", "\n"]))
@example(["σίσυφος"], [(0, str.upper), (0, str)], " ")
@example(["ſtar", "Kelvin", "µm"], [(0, str), (1, str.lower), (2, str.upper)], " ")
@example(["Åİ"], [(0, str.lower)], " ")
def test_a_text_is_found_in_as_it_is_found_case_insensitively(names: list[str], picks: list, separator: str) -> None:
    """The matcher scans text case-folded with names case-folded (fast): every name its
    case-insensitive expression finds in the text as written, it finds at the same place (or a
    name overlapping it); and all it finds are names. (It finds a few more: 'Åİ' written in lower
    case, 'åi̇', folds to the name, but its dotted i is two characters the case-insensitive
    expression compares with the one 'İ'.)"""
    glossary, _ = build_glossary([term(n, i) for i, n in enumerate(names)], {}, False)
    matcher = TermMatcher(glossary.org)
    text = unicodedata.normalize("NFC", separator.join(case(names[i % len(names)]) for i, case in picks))
    found = list(matcher.find(text))
    assert all(matcher.entries.get(fold(text[start:end])) is entry for start, end, entry in found)
    for start, end, entry in _case_insensitive(matcher, text):
        assert (start, end, entry) in found or any(s < end and start < e for s, e, _ in found), (text, start, end)


def test_entity_words_are_generated() -> None:
    """The name generator includes the character-reference names the linker must not break."""
    assert {"amp", "gt", "quot"} <= set(ENTITY_WORDS)
