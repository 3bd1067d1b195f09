"""The query language's fields as the documentation lists them, derived from the catalogue
(``fields.CATALOGUE``): one table per entity, with each field's type, values and meaning.

``python -m mltrl_docs.query --write`` writes them into ``docs/query.md``; a test proves the page
and the catalogue agree.
"""

from __future__ import annotations

from mltrl_docs.query.fields import CATALOGUE

DOC_START = "<!-- query-fields: generated from mltrl_docs/query/fields.py; do not edit by hand -->"
DOC_END = "<!-- /query-fields -->"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def fields_markdown() -> str:
    """The Markdown of every entity's fields: a heading, what a row is, the default columns, a table."""
    lines = [DOC_START]
    for spec in CATALOGUE.values():
        default = ", ".join(f"`{name}`" for name in spec.default)
        lines += ["", f"### {spec.entity.value}", "", f"{spec.doc} Shown without `show`: {default}.", "",
                  "| field | type | values | what it is |", "|---|---|---|---|"]
        for field in spec.fields.values():
            values = ", ".join(f"`{value}`" for value in field.values)
            lines.append(f"| `{field.name}` | {field.type.value} | {values} | {_cell(field.doc)} |")
    lines += ["", DOC_END]
    return "\n".join(lines)


def replace_block(page: str, block: str) -> str:
    """``page`` with its generated block replaced by ``block`` (which carries its markers)."""
    start, end = page.index(DOC_START), page.index(DOC_END) + len(DOC_END)
    return page[:start] + block + page[end:]
