"""Regular expressions run in time linear in their input.

Each expression that was quadratic, or that reads long runs of one character, gets the
worst input for its shape (about 64 KB: long runs, no terminator, many starts) through the
public function that uses it, with a generous bound: the old expressions took 5 to 60 s on
these. And every expression in the package is in ``AUDITED`` with the reason it is linear,
so a new one gets the same look before it is merged.
"""

from __future__ import annotations

import ast
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

from mltrl_docs import gates
from mltrl_docs.body import read_body
from mltrl_docs.glossary import build_glossary
from mltrl_docs.load import load_markdown
from mltrl_docs.render.autolink import TermLinker, TermMatcher
from mltrl_docs.render.markdown import to_html
from mltrl_docs.resources import OUTPUT_SCHEMA_NAMES, SCHEMA_NAMES, load_schema

PACKAGE = Path(__file__).resolve().parent.parent / "mltrl_docs"
BOUND = 1.5
"""Seconds: generous for 64 KB on a loaded machine; the quadratic expressions took 5 s and up."""
KB64 = 65_536

T = TypeVar("T")


def timed(call: Callable[[], T]) -> T:
    started = time.process_time()  # CPU time: a loaded machine stretches the wall clock, not the work
    result = call()
    elapsed = time.process_time() - started
    assert elapsed < BOUND, f"took {elapsed:.2f} s"
    return result


# --- the expressions that were quadratic ------------------------------------------------


@pytest.mark.parametrize("run", ["#", " ", "\t", "# "])
def test_an_attachment_title_line_of_64_kb(write, run: str) -> None:
    """load._H1: a lazy title before a trailing ``[ \\t#]*`` tried every split of the run."""
    path = write("p/notes.md", "# a" + run * (KB64 // len(run)) + "x\n")
    page, _ = timed(lambda: load_markdown(path, "p"))
    assert page is not None and page.title.startswith("a")


@pytest.mark.parametrize("line", [" \n", "\n", "\t \n", "  \n\n"])
def test_a_debrief_with_64_kb_of_blank_lines(line: str) -> None:
    """body._LIST_MARKER: ``^\\s*`` ran from every blank line to the end of the blank run."""
    markdown = "## Stage debrief\n\n- Ada built it.\n" + line * (KB64 // len(line)) + "x\n"
    body = timed(lambda: read_body(markdown))
    assert body.debrief_answered


@pytest.mark.parametrize("gap", [" ", "\t", " \t"])
def test_a_tldr_label_followed_by_64_kb_of_spaces(gap: str) -> None:
    """body._TLDR_LEAD: ``\\s*:?\\s*`` split a run of spaces every possible way."""
    body = timed(lambda: read_body("**TL;DR" + gap * (KB64 // len(gap)) + "x\n"))
    assert body.tldr is None


@pytest.mark.parametrize("opening", ["<!--", "<a", "</a", "<a "])
def test_32k_unclosed_comments_or_tags(opening: str) -> None:
    """autolink's old tag scanner searched ``<!--.*?-->`` and ``[^>]*>`` to the end of the page
    again for every unclosed opening; a body written so is now text, rendered and linked once."""
    glossary, _ = build_glossary([], {})
    linker = TermLinker(TermMatcher(glossary.org), lambda e, t: t, "every")
    assert timed(lambda: to_html(opening * (KB64 // 2), terms=linker)) == to_html(opening * (KB64 // 2))


def test_64_kb_of_spaces_inside_a_name() -> None:
    """The term pattern: a long run of spaces between two words of a name, many times."""
    glossary, _ = build_glossary([], {})
    text = ("proof" + " " * 4096 + "of" + " " * 4096 + "x ") * 8
    assert timed(lambda: TermLinker(TermMatcher(glossary.org), lambda e, t: f"[{t}]").link(text)) == text


# --- the audit ----------------------------------------------------------------------------

AUDITED: dict[tuple[str, str], str] = {
    ("body.py", r"^(?:\*\*|__)\s*+TL;?\s*+DR\s*+:?\s*+(?:\*\*|__)\s*+:?\s*+"):
        "matched at one start; possessive spaces are read once",
    ("body.py", r"^[^\S\n]*+(?:\d++[.)]|[-*+])\s+"):
        "tried at line starts only, possessive runs inside the line; the final run ends the pattern",
    ("body.py", r"^ {0,3}(?:\d{1,9}[.)]|[-*+])(?:[ \t]|$)|^ {0,3}>"):
        "bounded repeats at line starts: constant work per line",
    ("body.py", r"[^\w\s]|_"): "one character",
    ("body.py", r"\s+"): "one run per match, nothing after it to backtrack for",
    ("frontmatter.py", "[\x00-\x08\x0b-\x1f\x7f-\x9f]"): "one character",
    ("frontmatter.py", "[\u202a-\u202e\u2066-\u2069]"): "one character",
    ("frontmatter.py", "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"): "one character",
    ("frontmatter.py", 'f"(?m)^[^\\n]*?{pattern.pattern}"'):
        "a one-character class after a lazy run that cannot leave its line: each line read once",
    ("frontmatter.py", r"^---[ \t]*$"): "matched on one line, one run",
    ("frontmatter.py", r"^(?:---|\.\.\.)[ \t]*$"): "matched on one line, one run",
    ("frontmatter.py", r"^level[ \t]*:"): "tried at line starts only, one run each",
    ("frontmatter.py", r"^([A-Za-z_][A-Za-z0-9_-]*+)[ \t]*+:"): "tried at line starts only, possessive runs",
    ("gates/content.py", gates.SEMVER.pattern):
        "fullmatch at one start; identifiers are split by '.', which no class matches, so each "
        "is read at most twice",
    ("glossary.py", r"[^a-z0-9]+"): "one run per match",
    ("plugin.py", r"&(?!(?:#[0-9]+|#x[0-9a-f]+|[0-9a-z]+);)"):
        "the lookahead reads the run of letters and digits after one '&', which no other '&' shares",
    ("render/outline.py", r"<h([1-6])((?:\s[^<>]*)?)>(.*?)</h\1\s*>"):
        "run on the plugin's own rendered HTML, where every heading is closed and none nests (card "
        "text is escaped, raw HTML off): each lazy scan ends at its own heading's close",
    ("render/outline.py", r"""\sid\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))"""):
        "run on one heading's attributes; each alternative is one run ended by its own delimiter",
    ("render/outline.py", r"<[^<>]*>"): "one run per match, ended by the next '<' or '>'",
    ("render/search.py", r"<([A-Za-z][A-Za-z0-9]*+)(\s[^<>]*+)>"):
        "a literal '<', then two possessive runs over disjoint classes, then '>'",
    ("render/search.py", r'\sid="([^"]*+)"'): "a literal start, then one possessive run to the next quote",
    ("render/search.py", r'\sclass="([^"]*+)"'): "a literal start, then one possessive run to the next quote",
    ("render/search.py", r"""<(/?)([A-Za-z][A-Za-z0-9]*+)((?:[^<>\"']|\"[^\"]*+\"|'[^']*+')*+)>"""):
        "a possessive run of alternatives that each start with a different character (other, '\"', \"'\"), "
        "each quoted value one possessive run to its own quote",
    ("bundle/model.py", r"[\x00-\x1f\x7f]"): "one character class, no repetition",
    ("render/outline.py", r"[^\w\s-]+"): "one run per match",
    ("render/outline.py", r"[\s-]+"): "one run per match",
    ("ids.py", r"[A-Za-z0-9][A-Za-z0-9._-]*"): "fullmatch at one start, one run",
    ("ids.py", r"[^A-Za-z0-9._-]+"): "one run per match",
    ("load.py", rb"^level[ \t]*:"): "tried at line starts only, one run each",
    ("load.py", r"^#[ \t]+(.+)$"): "tried at line starts; '.+' reaches the line end where '$' holds",
    ("load.py", r"^terms\[(\d+)\]"): "matched at one start, one run",
    ("messages.py", r"\{([a-z_][a-z0-9_]*)\}"):
        "starts at '{' only; one run of name characters, which '{' and '}' are not, so no two overlap",
    ("messages.py", r"[a-z0-9_]+(?:\.[a-z0-9_]+)+"):
        "fullmatch at one start; parts are split by '.', which the class does not match",
    ("messages.py", r"[-_]"): "one character",
    ("scaffold.py", r"^project:[ \t]*+([\"']?)([^\"'#\s]++)\1"):
        "tried at line starts only; possessive runs over disjoint classes, then one back-reference",
    ("scaffold.py", r"^level:"): "a literal at line starts",
    ("render/site.py", r"[A-Za-z0-9_][A-Za-z0-9._-]*+"): "one class, possessive, matched whole (fullmatch)",
    ("targets.py", r"^terms\s*+:"): "a literal at line starts, then possessive spaces",
    ("messages.py", r"(?<=[a-z0-9])(?=[A-Z])"): "zero-width: one character looked at either side of each position",
    ("references.py", r"[\x00-\x20\x7f]"): "one character",
    ("references.py", r"^([a-zA-Z][a-zA-Z0-9+.\-]*):"): "matched at one start, one run",
    ("render/autolink.py", 'rf"(?<![\\w-])(?:{pattern})(?![\\w-])"'):
        "a trie: from each start one path of at most MAX_NAME characters, spaces read possessively",
    ("schema.py", r"""^(['"])(?P<name>.*)\1 is a required property$"""):
        "matched at one start on jsonschema's message; one backtrack over it",
    ("schema.py", "p"): "the patternProperties of the shipped schemas, audited in SCHEMA_PATTERNS",
    ("provenance/history.py", rb":[0-7]+ [0-7]+ ([0-9a-f]+) ([0-9a-f]+) ([A-Z])[0-9]*\x00([^\x00]*)\x00"):
        "matched at one start; each run of a class ends at a character outside it",
    ("provenance/history.py", rb"\n@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@"):
        "anchored at a newline, digit runs ended by fixed characters, one run each",
    ("schema.py", 'pattern[:-1] + r"\\Z" if ends else pattern'):
        "the 'pattern' keywords of the shipped schemas (audited in SCHEMA_PATTERNS), with a final $ made \\Z",
    ("schema.py", r"(?<!e\.g)(?<!i\.e)\.\s+(?=[A-Z])"):
        "the schema's own descriptions; each run of spaces is read from the '.' before it only",
    ("yamldata.py", r"[-+]?(0|[1-9][0-9_]*)"): "fullmatch at one start, one run",
    ("yamldata.py", r"^ *"): "tried at line starts, one run",
    ("yamldata.py", r"^ *(?:[-?:](?:[ \t]+|$))+"):
        "tried at line starts; nothing follows the loop, so it ends where the indicators do",
}
"""(module, pattern) -> why it runs in linear time. A pattern built at run time is keyed by
its source text."""

SCHEMA_PATTERNS: dict[str, str] = {
    "^x-": "anchored literal",
    "^[0-9]$": "anchored, one character",
    "^[a-z0-9][a-z0-9-]*$": "anchored, one run",
    "^[A-Za-z0-9._-]+$": "anchored, one run",
    "^[A-Za-z0-9_-]+$": "anchored, one run",
    r"^\d{4}-\d{2}-\d{2}$": "anchored, bounded",
    r"^[0-9]+(\.[0-9]+)*$": "anchored; parts are split by '.', which the class does not match",
    "^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?$":
        "anchored; one run, given back one character at a time before '$' fails",
    "^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$": "anchored; bounded parts, each started by a separator no class matches",
    r"^[a-z0-9_]+(\.[a-z0-9_]+)+$": "anchored; parts are split by '.', which the class does not match",
    "^[0-9a-f]{64}$": "anchored, bounded",
    r"^[^\s-]\S*$": "anchored, one run",
    r"^https?://\S+$": "anchored, one run after a literal",
    r"^(?!//)[^:\s]*$": "anchored; a two-character lookahead, then one run",
}
"""Patterns in the shipped JSON Schemas, which jsonschema and fastjsonschema run on the
authors' values."""

_RE_FUNCTIONS = {"compile", "match", "fullmatch", "search", "sub", "subn", "split", "findall", "finditer"}


def _regex_calls() -> Iterator[tuple[str, str, int]]:
    """(module, pattern or the source of the expression making it, line) for every
    ``re.<function>(pattern, ...)`` call in the package."""
    for path in sorted(PACKAGE.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        module = path.relative_to(PACKAGE).as_posix()
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Import):
                assert all(a.asname is None for a in node.names if a.name == "re"), f"{module}: 'import re'"
            if isinstance(node, ast.ImportFrom):
                assert node.module != "re", f"{module}: 'import re', so every use is seen here"
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "re"
                    and node.func.attr in _RE_FUNCTIONS and node.args):
                pattern = node.args[0]
                if isinstance(pattern, ast.Constant) and isinstance(pattern.value, (str, bytes)):
                    yield module, pattern.value, node.lineno
                else:
                    yield module, ast.get_source_segment(source, pattern) or "?", node.lineno


def test_every_regular_expression_in_the_package_is_audited() -> None:
    found = {(module, pattern): line for module, pattern, line in _regex_calls()}
    new = [f"{module}:{line}: {pattern!r}" for (module, pattern), line in found.items()
           if (module, pattern) not in AUDITED]
    assert not new, ("make these linear (possessive quantifiers, atomic groups, or plain string "
                     "code) and add each to AUDITED with the reason:\n" + "\n".join(new))
    gone = [key for key in AUDITED if key not in found]
    assert not gone, f"no longer in the package, remove from AUDITED: {gone}"


def _schema_patterns(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str):
                yield value
            elif key == "patternProperties" and isinstance(value, dict):
                yield from value
            yield from _schema_patterns(value)
    elif isinstance(node, list):
        for item in node:
            yield from _schema_patterns(item)


def test_every_schema_pattern_is_audited() -> None:
    found = {p for name in SCHEMA_NAMES + OUTPUT_SCHEMA_NAMES for p in _schema_patterns(load_schema(name))}
    assert found - set(SCHEMA_PATTERNS) == set(), "audit these and add them to SCHEMA_PATTERNS"
    assert set(SCHEMA_PATTERNS) - found == set(), "no longer in the schemas, remove from SCHEMA_PATTERNS"
