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
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import escape

from mltrl_docs.images import card_parser, is_external
from mltrl_docs.references import is_url

Relink = Callable[[str], str | None]


def _md() -> MarkdownIt:
    md = card_parser()
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
    style = token.attrs.pop("style", None)
    if style in _ALIGNMENTS:
        token.attrSet("align", _ALIGNMENTS[str(style)])
    return self.renderToken(tokens, idx, options, env)


def _relinked(href: str, env: dict[str, Any]) -> str | None:
    relink: Relink | None = env.get("relink")
    if relink is None or href.startswith("#") or is_url(href):
        return href
    return relink(href)


def _link_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
    token = tokens[idx]
    href = str(token.attrGet("href") or "")
    target = _relinked(href, env)
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
        alt = self.renderInlineAsText(token.children or [], options, env)
        return (f'<span class="mltrl-unpublished" title="image from outside the site, not loaded: {escape(src)}">'
                f'[{escape(alt)}]</span>')
    target = _relinked(src, env)
    if target is None:
        alt = self.renderInlineAsText(token.children or [], options, env)
        return f'<span class="mltrl-unpublished" title="{escape(src)} (not published)">[{escape(alt)}]</span>'
    token.attrSet("src", target)
    return self.image(tokens, idx, options, env)


_renderer = _md()


def to_html(markdown: str, relink: Relink | None = None, image_hosts: Collection[str] = ()) -> str:
    """Safe HTML for Markdown written by any team; images load only from the site itself and
    from ``image_hosts``."""
    return _renderer.render(markdown, {"relink": relink, "image_hosts": image_hosts})
