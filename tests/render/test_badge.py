"""A project's README badge (render.badge): an SVG made here, read back as XML: accessible, its text as text
and inside its segments, its colours readable on a light and a dark README, everything escaped; and the
snippet that embeds it."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from itertools import pairwise

import pytest

from mltrl_docs.levels import LEVELS, Phase
from mltrl_docs.messages import english, load_messages, messages_for
from mltrl_docs.render.badge import (
    EARNED,
    HEIGHT,
    LABEL,
    PADDING,
    PHASES,
    Colours,
    badge_svg,
    embed,
    project_badge,
    text_width,
)
from mltrl_docs.render.html import Renderer

SVG = "{http://www.w3.org/2000/svg}"


def parsed(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def rendered(badge) -> str:
    return badge_svg(Renderer("dossier").env, badge)


def test_the_badge_says_level_name_and_phase_in_text_with_a_title() -> None:
    badge = project_badge("R02.1", LEVELS[4], 4, english())
    root = parsed(rendered(badge))
    assert root.get("role") == "img"
    assert root.get("aria-label") == root.findtext(f"{SVG}title") == "R02.1: MLTRL level 4, Proof of concept " \
                                                                      "development (Prototyping)"
    assert [t.text for t in root.iter(f"{SVG}text")] == ["MLTRL", "L4 Proof of concept development · Prototyping"]
    assert float(root.get("width")) == badge.width and root.get("height") == str(HEIGHT)
    assert root.get("viewBox") == f"0 0 {badge.width} {HEIGHT}"


def test_an_earned_level_below_the_declared_one_is_flagged_in_words() -> None:
    badge = project_badge("P07.1", LEVELS[6], 3, english())
    root = parsed(rendered(badge))
    assert [t.text for t in root.iter(f"{SVG}text")][-1] == "earns L3"
    assert root.findtext(f"{SVG}title").endswith("; its cards' evidence earns level 3")
    assert badge.segments[-1].colours == EARNED
    for earned in (6, None):
        assert len(project_badge("P07.1", LEVELS[6], earned, english()).segments) == 2


def _segments(root: ET.Element) -> list[tuple[float, float]]:
    """Each segment's left and right edge, read from its path (M<left>,0H<right>...)."""
    edges = []
    for path in root.iter(f"{SVG}path"):
        d = path.get("d")
        left = float(d[1:].split(",")[0])
        right = float(d.split("H")[1].split("a")[0].split("V")[0])
        edges.append((left, right))
    return edges


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("level", range(10))
def test_each_text_fits_its_segment_in_each_language(language: str, level: int) -> None:
    """The text is fitted to its measured width (textLength), the segment as wide as that and its padding,
    and the segments follow each other without a gap, the first and last rounded."""
    badge = project_badge("X", LEVELS[level], 0 if level else None, messages_for(language))
    root = parsed(rendered(badge))
    texts = list(root.iter(f"{SVG}text"))
    assert len(texts) == len(badge.segments) == (3 if level else 2)
    for text, segment in zip(texts, badge.segments, strict=True):
        assert float(text.get("textLength")) == pytest.approx(text_width(text.text), abs=0.1)
        assert segment.width == pytest.approx(float(text.get("textLength")) + 2 * PADDING, abs=0.1)
        assert float(text.get("x")) == pytest.approx(segment.x + segment.width / 2, abs=0.1)
    for (_, right), (next_left, _) in pairwise(_segments(root)):
        assert right == pytest.approx(next_left, abs=0.01)
    assert badge.width == pytest.approx(sum(s.width for s in badge.segments), abs=0.2)


def test_a_long_label_widens_its_segment_and_never_overflows_it() -> None:
    messages, problems = load_messages("de", {"level.4.name": "Proof-of-Concept-Entwicklung mit Übergabe an die "
                                                              "Anwendungsentwicklung (sehr langer Name)"})
    assert problems == []
    badge = project_badge("X", LEVELS[4], None, messages)
    long, short = badge.segments[1], project_badge("X", LEVELS[4], None, messages_for("de")).segments[1]
    assert long.width > short.width + 200
    assert long.text_width >= text_width(long.text) and long.width >= long.text_width + 2 * PADDING


def test_text_width_is_verdanas_and_errs_wide_on_unknown_characters() -> None:
    assert text_width("") == 0
    assert text_width("iiii") < text_width("MMMM") < text_width("WWWW") + 1
    assert text_width("Übergabe") == text_width("Ubergabe") and text_width("ä") == text_width("a")
    assert text_width("e\u0301") == text_width("e")  # a combining accent takes no room
    assert text_width("日本") > 2 * text_width("a") and text_width("日") >= 11


def test_every_word_is_escaped() -> None:
    hostile = '<script>alert("x")</script> & \'quoted\' ]]>'
    messages, problems = load_messages("en", {"badge.label": hostile, "level.2.name": hostile,
                                              "phase.research.label": "<b>R</b>"})
    assert problems == []
    svg = rendered(project_badge("P&<1>", LEVELS[2], None, messages))
    assert "<script>" not in svg and "<b>" not in svg and "P&<1>" not in svg
    root = parsed(svg)  # well-formed XML whatever the words
    assert next(t.text for t in root.iter(f"{SVG}text")) == hostile
    assert root.findtext(f"{SVG}title").startswith("P&<1>: ")


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("colours", [LABEL, EARNED, *PHASES.values()], ids=lambda c: c.fill)
def test_each_segments_text_reads_on_it_on_any_readme(colours: Colours) -> None:
    """Each segment is opaque (its own ground, whatever the README's), its text 4.5:1 on it; a light segment
    has an edge that keeps it apart from a white page."""
    assert _contrast(colours.text, colours.fill) >= 4.5
    if _contrast(colours.fill, "#ffffff") < 1.5:
        assert colours.line and _contrast(colours.line, "#ffffff") >= 2
    assert set(PHASES) == set(Phase)


def test_every_phase_has_its_colour_on_the_badge() -> None:
    for level in LEVELS:
        root = parsed(rendered(project_badge("X", level, None, english())))
        fills = [path.get("fill") for path in root.iter(f"{SVG}path")]
        assert fills == [LABEL.fill, PHASES[level.phase].fill]
        assert [t.get("fill") for t in root.iter(f"{SVG}text")] == [LABEL.text, PHASES[level.phase].text]


def test_the_badge_loads_nothing() -> None:
    svg = rendered(project_badge("X", LEVELS[9], 3, english()))
    assert "href" not in svg and "url(" not in svg and "<image" not in svg and "@import" not in svg
    assert "id=" not in svg  # two badges on one page cannot clash


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_the_snippet_is_absolute_with_the_sites_address() -> None:
    snippet = embed("dossier/R02.1/badge.svg", "MLTRL badge of R02.1", "https://portal.example.org/docs/")
    assert snippet.absolute
    assert snippet.image == "https://portal.example.org/docs/dossier/R02.1/badge.svg"
    assert snippet.target == "https://portal.example.org/docs/dossier/R02.1/"
    assert snippet.markdown == ("[![MLTRL badge of R02.1](https://portal.example.org/docs/dossier/R02.1/badge.svg)]"
                                "(https://portal.example.org/docs/dossier/R02.1/)")
    parser = _Anchors()
    parser.feed(snippet.html)
    assert parser.tags == [("a", {"href": snippet.target}),
                           ("img", {"src": snippet.image, "alt": "MLTRL badge of R02.1", "height": "20"})]
    assert embed("dossier/R02.1/badge.svg", "x", "https://portal.example.org").image == \
        "https://portal.example.org/dossier/R02.1/badge.svg"


@pytest.mark.parametrize("site_url", [None, "", "javascript:alert(1)//", "ftp://x.example/", "https://",
                                      'https://x.example/"><script>'])
def test_without_a_usable_address_the_snippet_is_relative_to_the_sites_root(site_url: str | None) -> None:
    snippet = embed("dossier/R02.1/badge.svg", "MLTRL badge of R02.1", site_url)
    assert not snippet.absolute
    assert (snippet.image, snippet.target) == ("dossier/R02.1/badge.svg", "dossier/R02.1/")


def test_the_snippet_escapes_its_words_and_addresses() -> None:
    snippet = embed("dossier/a b(1)/badge.svg", 'badge [of] "R<1>" & *x*', "https://x.example/")
    assert snippet.image == "https://x.example/dossier/a%20b%281%29/badge.svg"
    assert snippet.markdown.startswith("[![badge \\[of\\] \"R\\<1\\>\" & \\*x\\*](")
    assert 'alt="badge [of] &quot;R&lt;1&gt;&quot; &amp; *x*"' in snippet.html
    parser = _Anchors()
    parser.feed(snippet.html)
    assert [tag for tag, _ in parser.tags] == ["a", "img"]
    assert parser.tags[1][1]["alt"] == 'badge [of] "R<1>" & *x*'
