"""A project's readiness badge for a README: its level (number and name), the level's phase, and a flag
when the cards' evidence earns a lower level than the card declares; an SVG made here, from nothing
outside the site (no badge service sees the portal, and the badge works offline).

Its words are text, not paths: a screen reader reads its ``<title>``, a translated site translates it.
A viewer may lack the font it names, so each segment is as wide as the text is in Verdana (the widest
common sans-serif: its advance widths are below) and each text is fitted to that width (``textLength``):
a label never runs out of its segment, however long the level's name is in the site's language. Every
segment is opaque, its text in a colour of contrast 4.5:1 or more on it, so the badge reads alike on a
light and a dark README.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from html import escape
from urllib.parse import quote, urlsplit

from jinja2 import Environment

from mltrl_docs.levels import Level, Phase
from mltrl_docs.messages import Messages

HEIGHT = 20
FONT_SIZE = 11
PADDING = 6
"""Space left and right of each segment's text, in pixels."""
UNITS_PER_EM = 2048

_ADVANCES: dict[str, int] = {
    " ": 720, "!": 813, '"': 942, "#": 1716, "$": 1303, "%": 2222, "&": 1491, "'": 549, "(": 1067, ")": 1067,
    "*": 1303, "+": 1716, ",": 745, "-": 924, ".": 745, "/": 1067, ":": 889, ";": 889, "<": 1716, "=": 1716,
    ">": 1716, "?": 1110, "@": 2048, "[": 1067, "\\": 1067, "]": 1067, "^": 1716, "_": 1303, "`": 1303,
    "{": 1343, "|": 1067, "}": 1343, "~": 1716, "·": 889, "–": 1303, "—": 2048, "…": 2048, "’": 745,
    "0": 1303, "1": 1303, "2": 1303, "3": 1303, "4": 1303, "5": 1303, "6": 1303, "7": 1303, "8": 1303, "9": 1303,
    "A": 1401, "B": 1405, "C": 1430, "D": 1577, "E": 1294, "F": 1178, "G": 1587, "H": 1540, "I": 862,
    "J": 936, "K": 1415, "L": 1155, "M": 1722, "N": 1532, "O": 1612, "P": 1247, "Q": 1612, "R": 1430,
    "S": 1401, "T": 1253, "U": 1499, "V": 1401, "W": 2025, "X": 1405, "Y": 1253, "Z": 1400,
    "a": 1229, "b": 1276, "c": 1067, "d": 1276, "e": 1220, "f": 720, "g": 1276, "h": 1296, "i": 562,
    "j": 695, "k": 1198, "l": 562, "m": 1992, "n": 1296, "o": 1243, "p": 1276, "q": 1276, "r": 874,
    "s": 1067, "t": 807, "u": 1296, "v": 1198, "w": 1665, "x": 1198, "y": 1198, "z": 1051, "ß": 1284,
}
"""Verdana's advance widths (units of 2048 to the em) of the characters badges are written in."""
_UNKNOWN = 2250
"""Any other character: wider than any of Verdana's Latin letters, so an estimate errs on the wide side."""


def text_width(text: str, size: float = FONT_SIZE) -> float:
    """How wide ``text`` is in Verdana at ``size`` pixels: a letter with an accent as wide as its base
    letter (``ä`` as ``a``), a combining mark nothing, any other character an em and a bit."""
    units = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        advance = _ADVANCES.get(char)
        if advance is None:
            base = unicodedata.normalize("NFD", char)[:1]
            advance = _ADVANCES.get(base, _UNKNOWN) if base != char else _UNKNOWN
        units += advance
    return units * size / UNITS_PER_EM


@dataclass(frozen=True, slots=True)
class Colours:
    fill: str
    text: str
    line: str = ""
    """An edge drawn round a light segment, which would fade into a white README; empty: none."""


LABEL = Colours("#3b4148", "#ffffff")
PHASES: dict[Phase, Colours] = {
    Phase.RESEARCH: Colours("#b3261e", "#ffffff"),
    Phase.PROTOTYPING: Colours("#a14000", "#ffffff"),
    Phase.PRODUCTIZATION: Colours("#f2c230", "#1b1f24"),
    Phase.DEPLOYMENT: Colours("#2a7230", "#ffffff"),
}
"""The paper's colour bands (research red, prototyping orange, productization yellow, deployment green)."""
EARNED = Colours("#fff3cd", "#5c4400", "#c79a00")
"""The earned flag: the site's own flag colours."""


@dataclass(frozen=True, slots=True)
class Segment:
    """One coloured part of the badge and its text."""

    text: str
    x: float
    """Its left edge."""
    width: float
    text_width: float
    """The text's estimated width, which the text is fitted to."""
    colours: Colours
    outline: str = ""
    """Its shape as an SVG path: a rectangle, its outer corners rounded on the badge's first and last
    segment (a path of its own, not a clip path, whose id would clash where two badges share a page)."""

    @property
    def middle(self) -> float:
        return round(self.x + self.width / 2, 1)


@dataclass(frozen=True, slots=True)
class Badge:
    title: str
    """What the badge says, in a sentence: its accessible name."""
    segments: tuple[Segment, ...]
    height: int = HEIGHT
    font_size: int = FONT_SIZE

    @property
    def width(self) -> float:
        last = self.segments[-1]
        return round(last.x + last.width, 1)

    @property
    def baseline(self) -> float:
        """Where the text sits: centred in the height for the font's caps and lower case."""
        return round(self.height / 2 + self.font_size * 0.35, 1)


def project_badge(project_id: str, level: Level, earned: int | None, messages: Messages) -> Badge:
    """The badge of a project at ``level``; ``earned``: the level its cards' evidence earns, flagged
    when it is below ``level``."""
    name = messages.text(f"level.{level.number}.name")
    phase = messages.text(f"phase.{level.phase.value}.label")
    parts = [(messages.text("badge.label"), LABEL),
             (messages.text("badge.level", number=level.number, name=name, phase=phase), PHASES[level.phase])]
    flagged = earned is not None and earned < level.number
    if flagged:
        parts.append((messages.text("macro.earned.flag", earned=earned), EARNED))
    title = messages.text("badge.title", project=project_id, number=level.number, name=name, phase=phase)
    if flagged:
        title = messages.text("badge.title.earned", title=title, earned=earned)
    segments: list[Segment] = []
    x = 0.0
    for index, (text, colours) in enumerate(parts):
        measured = math.ceil(text_width(text) * 10) / 10  # never narrower than the estimate
        width = round(measured + 2 * PADDING, 1)
        shape = _outline(x, round(x + width, 1), first=index == 0, last=index == len(parts) - 1)
        segments.append(Segment(text, x, width, measured, colours, shape))
        x = round(x + width, 1)
    return Badge(title, tuple(segments))


RADIUS = 3


def _outline(left: float, right: float, *, first: bool, last: bool, height: int = HEIGHT) -> str:
    """A rectangle from ``left`` to ``right``, its left corners rounded when ``first``, its right ones when ``last``."""
    r_left, r_right = RADIUS if first else 0, RADIUS if last else 0
    corner = f"a{RADIUS},{RADIUS} 0 0 1 "
    return (f"M{left + r_left:g},0H{right - r_right:g}" + (corner + f"{RADIUS},{RADIUS}" if last else "")
            + f"V{height - r_right:g}" + (corner + f"-{RADIUS},{RADIUS}" if last else "")
            + f"H{left + r_left:g}" + (corner + f"-{RADIUS},-{RADIUS}" if first else "")
            + f"V{r_left:g}" + (corner + f"{RADIUS},-{RADIUS}" if first else "") + "Z")


def badge_svg(env: Environment, badge: Badge) -> str:
    """The badge as an SVG file, from the template ``badge.svg`` (autoescaped, as every template is)."""
    return env.get_template("badge.svg").render(badge=badge)


@dataclass(frozen=True, slots=True)
class BadgeEmbed:
    """How a README shows a project's badge, linked to its dossier page."""

    uri: str
    """The badge's file in the site (``dossier/R02.1/badge.svg``)."""
    image: str
    """The badge's address for a README: absolute when the site's address is known, else from the site's root."""
    target: str
    """The dossier page's address, likewise."""
    alt: str
    absolute: bool

    @property
    def markdown(self) -> str:
        alt = "".join("\\" + char if char in "\\[]*_`<>" else char for char in self.alt)
        return f"[![{alt}]({self.image})]({self.target})"

    @property
    def html(self) -> str:
        return (f'<a href="{escape(self.target)}"><img src="{escape(self.image)}" alt="{escape(self.alt)}" '
                f'height="{HEIGHT}"></a>')


def embed(uri: str, alt: str, site_url: str | None) -> BadgeEmbed:
    """The snippet of the badge at ``uri`` (beside its dossier page, which it links): with the site's
    ``site_url`` (an http(s) address), absolute addresses; without, addresses from the site's root."""
    folder = uri.rpartition("/")[0]
    image, target = quote(uri), quote(folder + "/") if folder else ""
    base = _site_base(site_url)
    if base is not None:
        image, target = base + image, base + target
    return BadgeEmbed(uri, image, target, alt, base is not None)


def _site_base(site_url: str | None) -> str | None:
    """``site_url`` ending in '/', when it is an http(s) address; else None (a relative snippet)."""
    if not site_url:
        return None
    parts = urlsplit(site_url)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c in site_url for c in "\"'<>` \\"):
        return None
    return site_url if site_url.endswith("/") else site_url + "/"
