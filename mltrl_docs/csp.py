"""The Content Security Policy of a built site: its own files, and the exact inline code it holds.

A dossier is published to everyone in an organisation, from cards written by many
teams. Card text is escaped, but a strict policy is the second wall: a browser that
enforces it runs no script the build did not write, even if markup slips through.
Our templates carry no inline script, style or event handler; the theme may
(Material writes a few small inline ``<script>`` elements whose text differs with
the page's depth). So the policy is read from the built site: every inline script
is allowed by its SHA-256, and nothing else inline is, unless the site holds it
(inline styles and handlers then need ``'unsafe-hashes'``: MkDocs' own theme has two
``style`` attributes; the example site with Material has none).

The fixed part was found by running the example site under it in Chromium (with
Material and with MkDocs' own theme): everything is loaded from the site itself;
``data:`` images are Material's icons in its stylesheet (``mask-image``); the search
index is fetched (``connect-src``) and the search worker is a file of the site, so
workers need no ``blob:``. Images from the hosts a site lists under ``image_hosts``
are the one exception: their origins, as found in the pages, join ``img-src``.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

FORMATS = ("header", "nginx", "apache", "meta")

BASE_POLICY: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("default-src", ("'none'",)),
    ("script-src", ("'self'",)),
    ("style-src", ("'self'",)),
    ("img-src", ("'self'", "data:")),
    ("font-src", ("'self'",)),
    ("connect-src", ("'self'",)),
    ("worker-src", ("'self'",)),
    ("manifest-src", ("'self'",)),
    ("base-uri", ("'none'",)),
    ("form-action", ("'self'",)),
    ("frame-ancestors", ("'self'",)),
    ("object-src", ("'none'",)),
)
"""Directives before the site's hashes are added. Each fetch directive names only the
site itself ('self'); ``default-src 'none'`` refuses every kind the site does not use."""

_META_IGNORED = frozenset({"frame-ancestors", "report-uri", "sandbox"})
"""Browsers ignore these in a ``<meta>`` policy (and Chromium says so in the console)."""

_SCRIPT_TYPES = frozenset({"", "text/javascript", "application/javascript", "module", "text/ecmascript",
                           "application/ecmascript"})
"""``<script type>`` values a browser runs; other types (``application/json``: Material's
config) are data blocks that a policy does not govern."""


@dataclass
class InlineCode:
    """The inline code of a site, as CSP source expressions (``'sha256-…'``), with one
    page that holds each (for people asking where a hash comes from)."""

    scripts: dict[str, str] = field(default_factory=dict)
    """Inline ``<script>`` elements."""
    styles: dict[str, str] = field(default_factory=dict)
    """``<style>`` elements."""
    style_attributes: dict[str, str] = field(default_factory=dict)
    """``style="…"`` attributes (allowed only with ``'unsafe-hashes'``)."""
    handlers: dict[str, str] = field(default_factory=dict)
    """Event handler attributes such as ``onclick`` (allowed only with ``'unsafe-hashes'``)."""
    javascript_urls: list[str] = field(default_factory=list)
    """Pages with a ``javascript:`` link: no hash allows it, so a policy always blocks it."""
    image_origins: set[str] = field(default_factory=set)
    """Origins (``https://host``) of images the pages load from elsewhere (settings.image_hosts)."""
    refused: list[str] = field(default_factory=list)
    """Inline code found inside generated content (between CONTENT_MARKS): written from team
    text, so never allowed, whatever it is (``page: what``). The renderer escapes every such
    text, so this stays empty unless escaping fails; the policy is then the second wall."""


def source(code: str) -> str:
    """The CSP source expression that allows exactly ``code``: the browser hashes the
    element's text as UTF-8, after the HTML parser turned CR LF and CR into LF."""
    normalised = code.replace("\r\n", "\n").replace("\r", "\n")
    digest = hashlib.sha256(normalised.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


CONTENT_MARKS = ("mltrl-content", "/mltrl-content")
"""HTML comments around the content the plugin generates (the MkDocs plugin writes them;
card text is escaped, so it can never write a comment of its own)."""


class _InlineParser(HTMLParser):
    """Collects one page's inline code into ``found``."""

    def __init__(self, found: InlineCode, page: str) -> None:
        super().__init__(convert_charrefs=False)
        self.found = found
        self.page = page
        self._generated = 0
        """Depth inside CONTENT_MARKS: code there is refused, never hashed."""
        self._element: str | None = None
        """``script`` or ``style`` while inside an inline one, else None."""
        self._text: list[str] = []

    def handle_comment(self, data: str) -> None:
        mark = data.strip()
        if mark == CONTENT_MARKS[0]:
            self._generated += 1
        elif mark == CONTENT_MARKS[1] and self._generated:
            self._generated -= 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Inline code is collected to be allowed by hash, unless it is inside generated
        content: there it is refused (images from the site's ``image_hosts`` are the one thing
        generated content may load from elsewhere)."""
        values = dict(attrs)
        generated = self._generated > 0
        for name, value in attrs:
            if value is None:
                continue
            if (name.startswith("on") or name == "style") and generated:
                self.found.refused.append(f"{self.page}: <{tag} {name}=...>")
            elif name.startswith("on"):
                self.found.handlers.setdefault(source(value), self.page)
            elif name == "style":
                self.found.style_attributes.setdefault(source(value), self.page)
            elif name in ("href", "src", "action", "formaction") and value.strip().lower().startswith("javascript:"):
                self.found.javascript_urls.append(self.page)
        if tag == "img" and values.get("src"):
            origin = _origin(values["src"] or "")
            if origin is not None:
                self.found.image_origins.add(origin)
        inline_script = tag == "script" and "src" not in values \
            and (values.get("type") or "").strip().lower() in _SCRIPT_TYPES
        if (inline_script or tag == "style") and generated:
            self.found.refused.append(f"{self.page}: <{tag}>")
        elif inline_script or tag == "style":
            self._element, self._text = tag, []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """``<script/>`` or ``<style/>`` open nothing in HTML that could hold code; only the attributes count."""
        self.handle_starttag(tag, attrs)
        self._element = None

    def handle_data(self, data: str) -> None:
        if self._element is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag != self._element:
            return
        table = self.found.scripts if tag == "script" else self.found.styles
        table.setdefault(source("".join(self._text)), self.page)
        self._element = None


def _origin(url: str) -> str | None:
    """``https://host[:port]`` of an absolute http(s) URL; None for the site's own paths."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme.lower()}://{parts.netloc.lower().rpartition('@')[2]}"


def scan(site: Path) -> InlineCode:
    """Every inline script, style and handler of the HTML pages under ``site``."""
    found = InlineCode()
    for page in sorted(site.rglob("*.htm*")):
        if page.suffix.lower() not in (".html", ".htm") or not page.is_file():
            continue
        parser = _InlineParser(found, page.relative_to(site).as_posix())
        parser.feed(page.read_text(encoding="utf-8", errors="replace"))
        parser.close()
    return found


def policy(site: Path) -> str:
    """The strictest policy under which every page of the built ``site`` works."""
    return render(directives(scan(site)))


def directives(inline: InlineCode) -> list[tuple[str, list[str]]]:
    """BASE_POLICY plus the hashes ``inline`` needs, in a stable order (the same site
    gives the same policy, so a deployment diff shows real changes only)."""
    extra: dict[str, list[str]] = {
        "script-src": _with_hashes(inline.scripts, inline.handlers),
        "style-src": _with_hashes(inline.styles, inline.style_attributes),
        "img-src": sorted(inline.image_origins),
    }
    return [(name, [*values, *extra.get(name, [])]) for name, values in BASE_POLICY]


def _with_hashes(elements: Iterable[str], attributes: Iterable[str]) -> list[str]:
    """Hashes of elements; attribute hashes only work behind 'unsafe-hashes', so it comes
    only when the site has such attributes."""
    attribute_hashes = sorted(attributes)
    return (["'unsafe-hashes'"] if attribute_hashes else []) + sorted({*elements, *attribute_hashes})


def render(parts: list[tuple[str, list[str]]]) -> str:
    return "; ".join(" ".join([name, *values]) for name, values in parts)


def formatted(inline: InlineCode, output_format: str = "header") -> str:
    """The policy for a site's ``inline`` code (``scan``) as a header line, an nginx or Apache
    directive, or a ``<meta>`` element (which cannot carry frame-ancestors: set that one as a header)."""
    parts = directives(inline)
    value = render(parts)
    if output_format == "header":
        return f"Content-Security-Policy: {value}"
    if output_format == "nginx":
        return f'add_header Content-Security-Policy "{value}" always;'
    if output_format == "apache":
        return f'Header always set Content-Security-Policy "{value}"'
    if output_format == "meta":
        meta = render([(name, values) for name, values in parts if name not in _META_IGNORED])
        return f'<meta http-equiv="Content-Security-Policy" content="{meta}">'
    raise ValueError(f"unknown format {output_format!r} (one of {', '.join(FORMATS)})")
