"""The glossary for other tools and for the terminal: JSON, CSV and text."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

from mltrl_docs.glossary import Entry
from mltrl_docs.paths import display
from mltrl_docs.render.exports import spreadsheet_cell as _cell
from mltrl_docs.terminal import line_start, one_line

CSV_COLUMNS = ("term", "definition", "aliases", "teams", "see_also", "level", "source", "project", "defined_in")
"""A glossary file's fields (``source``, where the term comes from, is format 1.1's), then the
term's project (its scope) and where it is defined."""


def record(entry: Entry) -> dict[str, object]:
    term = entry.term
    return {
        "term": term.term,
        "definition": term.definition,
        "aliases": list(term.aliases),
        "teams": dict(term.teams),
        "see_also": list(term.see_also),
        "level": term.level,
        "source": term.source,
        "project": term.project,
        "defined_in": defined_in(entry),
    }


def defined_in(entry: Entry) -> str:
    """``built-in`` for the shipped terms, else the glossary file and line."""
    return "built-in" if entry.builtin else f"{display(entry.term.path)}:{entry.term.position.line}"


def to_json(entries: Sequence[Entry]) -> str:
    """As ``schema/glossary-output.schema.json`` describes it: ``version`` is the output's,
    ``mltrl`` (1.1) the glossary format of the records, which carry the format 1.1 field ``source``."""
    payload = {"version": 1, "mltrl": 1.1, "terms": [record(e) for e in entries]}
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def to_csv(entries: Sequence[Entry]) -> str:
    """One row per term; lists joined with '; ', teams as 'Team: word'. Cells that a
    spreadsheet would run as a formula are prefixed with an apostrophe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        row = record(entry)
        writer.writerow([_cell(row["term"]), _cell(row["definition"]), _cell("; ".join(entry.term.aliases)),
                         _cell("; ".join(f"{t}: {w}" for t, w in entry.term.teams.items())),
                         _cell("; ".join(entry.term.see_also)), "" if row["level"] is None else row["level"],
                         _cell(row["source"] or ""), _cell(row["project"] or ""), _cell(row["defined_in"])])
    return out.getvalue()


def to_text(entries: Sequence[Entry]) -> str:
    """A list: one line per term."""
    lines = []
    for entry in entries:
        scope = f" [{entry.project}]" if entry.project else ""
        lines.append(line_start(one_line(f"{entry.term.term}{scope}: {entry.term.definition}")))
    return "\n".join(lines) + ("\n" if lines else "")


def describe(entry: Entry, asked: str) -> str:
    """One entry in full, for `mltrl-docs glossary TERM`."""
    term = entry.term
    lines = [term.term + (f" (project {term.project})" if term.project else ""), "", term.definition, ""]
    if fold_differs(asked, term.term):
        lines.insert(1, f"('{asked}' leads here)")
    if term.aliases:
        lines.append("Also called: " + ", ".join(term.aliases))
    if term.teams:
        lines.append("Team words: " + "; ".join(f"{team}: {word}" for team, word in term.teams.items()))
    if term.see_also:
        lines.append("See also: " + ", ".join(term.see_also))
    if term.level is not None:
        lines.append(f"Level: {term.level}")
    if term.source:
        lines.append(f"Source: {term.source}")
    lines.append("Defined in: " + ("the built-in MLTRL glossary" if entry.builtin else defined_in(entry)))
    return "\n".join(map(line_start, map(one_line, lines))) + "\n"


def fold_differs(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() != " ".join(b.split()).casefold()
