"""Card text to HTML with markdown-it, raw HTML off, relative links resolved.

Card bodies come from many teams and are published to everyone: a ``<script>``
or an ``onerror=`` attribute must arrive as text, and a ``javascript:`` link
must not become a link. markdown-it with ``html`` off escapes every tag, and
its link validation refuses ``javascript:``, ``vbscript:``, ``file:`` and
``data:`` URLs. (Python-Markdown, which MkDocs uses, passes raw HTML through.)

A relative link is written from the card's folder; on the site the card lives
elsewhere. ``to_html`` takes a ``relink`` function that maps such a link to the
page that publishes its target, or to None when nothing publishes it: the link
then becomes plain text naming the file, instead of a link that 404s.

Glossary terms are linked in the same pass (``terms``, the page's TermLinker): each
run of text between two tags is handed to it as it is rendered, except in links,
headings and code (which has no text tokens), as the page's other prose is.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, MutableMapping, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markupsafe import escape

from mltrl_docs.images import card_parser, is_external
from mltrl_docs.references import is_url
from mltrl_docs.render.autolink import TermLinker

Relink = Callable[[str], str | None]


class _ProseRenderer(RendererHTML):
    """markdown-it's HTML renderer, linking terms as it goes when ``env["terms"]`` holds the
    page's TermLinker: the text and soft breaks between two tags make one run, linked as the
    page's other prose is; text in a heading or a link is left alone. ``env["prose"]`` is the
    linker while an inline token outside links and headings is rendered (for an image shown
    as its alt text), else None."""

    def render(self, tokens: Sequence[Token], options: Any, env: MutableMapping[str, Any]) -> str:
        linker: TermLinker | None = env.get("terms")
        if linker is None:
            return super().render(tokens, options, env)
        out: list[str] = []
        heading = False
        for i, token in enumerate(tokens):
            if token.type == "inline":
                if token.children:
                    out.append(self.renderInline(token.children, options, env) if heading
                               else self._prose(token.children, options, env, linker))
                continue
            heading = token.type == "heading_open" or (heading and token.type != "heading_close")
            rule = self.rules.get(token.type)
            out.append(rule(tokens, i, options, env) if rule else self.renderToken(tokens, i, options, env))
        return "".join(out)

    def _prose(self, tokens: Sequence[Token], options: Any, env: MutableMapping[str, Any], linker: TermLinker) -> str:
        """One paragraph's (or cell's, item's) inline tokens, their text linked outside links."""
        soft = not options["breaks"]  # a soft break is "\n" (a <br> with breaks on)
        out: list[str] = []
        run: list[str] = []
        links = 0
        for i, token in enumerate(tokens):
            kind = token.type
            rule = self.rules.get(kind)
            if not links and (kind == "text" or (soft and kind == "softbreak")):
                run.append(rule(tokens, i, options, env) if rule else self.renderToken(tokens, i, options, env))
                continue
            if run:
                out.append(linker.link("".join(run)))
                run.clear()
            links += 1 if kind == "link_open" else -1 if kind == "link_close" else 0
            env["prose"] = None if links else linker
            out.append(rule(tokens, i, options, env) if rule else self.renderToken(tokens, i, options, env))
        if run:
            out.append(linker.link("".join(run)))
        env["prose"] = None
        return "".join(out)


def _md() -> MarkdownIt:
    md = card_parser()
    md.renderer = _ProseRenderer(md)
    md.add_render_rule("link_open", _link_open)
    md.add_render_rule("image", _image)
    md.add_render_rule("th_open", _aligned_cell)
    md.add_render_rule("td_open", _aligned_cell)
    return md


_ALIGNMENTS = {f"text-align:{side}": side for side in ("left", "center", "right")}


def _aligned_cell(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
    """A table's column alignment (``|:--:|``) as the cell's ``align`` attribute, not a
    ``style`` attribute: a strict Content-Security-Policy refuses inline styles, and themes
    (Material) leave cells with ``align`` to it."""
    token = tokens[idx]
    with _attributes_kept(token):
        style = token.attrs.pop("style", None)
        if style in _ALIGNMENTS:
            token.attrSet("align", _ALIGNMENTS[str(style)])
        return self.renderToken(tokens, idx, options, env)


@contextmanager
def _attributes_kept(token: Token) -> Iterator[None]:
    """A rule may set a token's attributes for the page it renders (a link relative to that
    page): they are put back after, since the same parsed tokens render on other pages too
    (``_parsed``)."""
    attrs = dict(token.attrs)
    try:
        yield
    finally:
        token.attrs = attrs


def _relinked(href: str, env: dict[str, Any]) -> str | None:
    relink: Relink | None = env.get("relink")
    if relink is None or href.startswith("#") or is_url(href):
        return href
    return relink(href)


def _link_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
    token = tokens[idx]
    href = str(token.attrGet("href") or "")
    target = _relinked(href, env)
    with _attributes_kept(token):
        if target is None:
            token.attrs.pop("href", None)
            token.attrSet("class", "mltrl-unpublished")
            token.attrSet("title", f"{href} (a file in the repository, not published on this site)")
        else:
            token.attrSet("href", target)
        return self.renderToken(tokens, idx, options, env)


def _image(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
    token = tokens[idx]
    src = str(token.attrGet("src") or "")
    if is_external(src, env.get("image_hosts", ())):
        return _alt_text(self, token, f"image from outside the site, not loaded: {src}", options, env)
    target = _relinked(src, env)
    if target is None:
        return _alt_text(self, token, f"{src} (not published)", options, env)
    with _attributes_kept(token):
        token.attrSet("src", target)
        return self.image(tokens, idx, options, env)


def _alt_text(self: Any, token: Token, title: str, options: Any, env: dict[str, Any]) -> str:
    """An image that is not shown: its alt text in brackets, prose like the text around it."""
    alt = f"[{escape(self.renderInlineAsText(token.children or [], options, env))}]"
    linker: TermLinker | None = env.get("prose")
    return f'<span class="mltrl-unpublished" title="{escape(title)}">{linker.link(alt) if linker else alt}</span>'


_renderer = _md()

PARSED = 64
"""How many texts' parses are kept (``_parsed``): a project's card bodies, each shown on its card
page, its dossier page and its review packet, which a build renders one after the other."""


@lru_cache(maxsize=PARSED)
def _parsed(markdown: str) -> list[Token]:
    """``markdown``'s tokens, parsed once for every page that shows it: the rules above render
    them for each page without changing them. (Parsing is most of markdown-it's work.)"""
    return _renderer.parse(markdown, {})


def forget_parses() -> None:
    """Let go of the kept parses: a build whose pages are all rendered reads no text again."""
    _parsed.cache_clear()


def to_html(markdown: str, relink: Relink | None = None, image_hosts: Collection[str] = (),
            terms: TermLinker | None = None) -> str:
    """Safe HTML for Markdown written by any team; images load only from the site itself and
    from ``image_hosts``; glossary terms linked by ``terms`` (the page's linker), if given."""
    env = {"relink": relink, "image_hosts": image_hosts, "terms": terms}
    return _renderer.renderer.render(_parsed(markdown), _renderer.options, env)
