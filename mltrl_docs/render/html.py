"""The Jinja environment for dossier pages: autoescaped, strict, overridable.

Templates live in ``templates/mltrl/``; a site can shadow any of them from its
own folder. Every value from a card is escaped by Jinja; the only markup that
enters unescaped is card Markdown rendered by ``render.markdown`` (raw HTML off).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import partial
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from mltrl_docs.levels import LEVELS, Phase
from mltrl_docs.paths import display
from mltrl_docs.render import pages
from mltrl_docs.references import resolve_path
from mltrl_docs.render.markdown import Relink, to_html
from mltrl_docs.render.pages import SitePage
from mltrl_docs.resources import resource_dir

UrlFor = Callable[[str], str | None]
"""Turns a page URI (``dossier/R02.1/index.md``) into a link from the page being rendered;
None when the site does not have that page."""


class Renderer:
    def __init__(self, prefix: str, override_dirs: Sequence[Path] = ()) -> None:
        self.prefix = prefix
        loader = FileSystemLoader([*map(str, override_dirs), str(resource_dir("templates") / "mltrl")])
        self.env = Environment(loader=loader, autoescape=True, undefined=StrictUndefined,
                               trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
        self.env.filters["markdown"] = _markdown_filter
        self.env.filters["display"] = display
        self.env.globals.update(
            levels=LEVELS,
            phases=list(Phase),
            project_uri=partial(pages.project_uri, prefix),
            card_uri=partial(pages.card_uri, prefix),
            attachment_uri=partial(pages.attachment_uri, prefix),
            portfolio_uri=f"{prefix}/index.md",
            findings_uri=f"{prefix}/findings.md",
        )

    def render(self, page: SitePage, url_for: UrlFor, published: Mapping[Path, str]) -> str:
        """The page's HTML (the content area only; the host's theme draws the rest).
        ``published`` maps source files (cards, attachments) to the URIs of their pages."""
        return self.env.get_template("_page.html").render(page=page, url=url_for, published=published,
                                                          **page.context)


@pass_context
def _markdown_filter(context: Context, text: str | None, source: Path | None = None) -> Markup:
    """``{{ card.body.markdown | markdown(card.path) }}``: links resolved from the card's folder."""
    relink = relinker(source, context["published"], context["url"]) if source is not None else None
    return Markup(to_html(text or "", relink))


def relinker(source: Path, published: Mapping[Path, str], url_for: UrlFor) -> Relink:
    """Map a link written in ``source`` to the page publishing its target, or None."""

    def relink(href: str) -> str | None:
        path_part, _, fragment = href.partition("#")
        target = resolve_path(path_part, source) if path_part else None
        uri = published.get(target) if target is not None else None
        if uri is None:
            return None
        url = url_for(uri)
        if url is None:
            return None
        return url + (f"#{fragment}" if fragment else "")

    return relink
