"""Card text to HTML with markdown-it, raw HTML off.

Card bodies come from many teams and are published to everyone: a ``<script>``
or an ``onerror=`` attribute must arrive as text, and a ``javascript:`` link
must not become a link. markdown-it with ``html`` off escapes every tag, and
its link validation refuses ``javascript:``, ``vbscript:``, ``file:`` and
``data:`` URLs. (Python-Markdown, which MkDocs uses, passes raw HTML through.)
"""

from __future__ import annotations

from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table").enable("strikethrough")


def to_html(markdown: str) -> str:
    """Safe HTML for Markdown written by any team."""
    return _md.render(markdown)
