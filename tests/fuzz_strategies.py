"""Shared hypothesis strategies and checks for the fuzz tests (tests/test_fuzz_*.py).

Budgets: every property takes its number of examples from the active hypothesis
profile (see conftest.py: "ci" by default, "long" with MLTRL_FUZZ=long) through
``budget(share)``, where ``share`` is the property's cost relative to the others.
docs/fuzzing.md says what each property checks and how to run the long profile.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import string
import tempfile
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from hypothesis import settings
from hypothesis import strategies as st

from mltrl_docs.findings import Finding
from mltrl_docs.gates import DEFAULT_SECTIONS, RULES
from mltrl_docs.gates.catalogue import FIRST_PRINCIPLES
from mltrl_docs.resources import load_schema
from mltrl_docs.roles import BUILTIN_ROLES
from mltrl_docs.yamldata import DataPath

TESTS = Path(__file__).parent
REPO = TESTS.parent
EXAMPLE = REPO / "site_example"


def budget(share: float = 1.0) -> settings:
    """This property's settings: the active profile's ``max_examples`` times ``share`` (its
    cost relative to the other properties); every other setting comes from the profile."""
    profile = settings.default
    assert profile is not None
    return settings(max_examples=max(1, round(profile.max_examples * share)))


# --- files and findings -----------------------------------------------------------------


@contextmanager
def tree(files: Mapping[str, str | bytes]) -> Iterator[Path]:
    """A temporary folder holding ``files`` (relative path -> text or bytes)."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp).resolve()
        for name, content in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        yield root


def line_count(data: bytes) -> int:
    """Lines of a file as an editor shows them (LF, CRLF and CR end a line)."""
    text = data.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
    return text.count("\n") + 1


def check_finding(finding: Finding, root: Path, lines: Mapping[Path, int] | None = None,
                  positioned: bool = True) -> None:
    """A finding names a rule, says what is wrong (and how to fix it, or nothing), and is
    located in a file under ``root`` at a line that exists (the line after the last one
    counts: that is where a missing closing line is reported)."""
    assert isinstance(finding.rule, str) and finding.rule.strip(), finding
    assert isinstance(finding.message, str) and finding.message.strip(), finding
    assert finding.hint is None or (isinstance(finding.hint, str) and finding.hint.strip()), finding
    assert finding.path.is_relative_to(root), finding
    if positioned:
        assert finding.position is not None, finding
    if finding.position is None:
        return
    assert finding.position.line >= 1 and finding.position.column >= 1, finding
    if lines is not None and finding.path in lines:
        assert finding.position.line <= lines[finding.path] + 1, (
            f"{finding} points past the end of the file ({lines[finding.path]} lines)")


def line_counts(root: Path, files: Mapping[str, str | bytes]) -> dict[Path, int]:
    return {root / name: line_count(c if isinstance(c, bytes) else c.encode("utf-8", "surrogatepass"))
            for name, c in files.items()}


def frontmatter_file(data: Any, body: str = "\n## Stage debrief\n\nDone.\n") -> str:
    return "---\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True) + "---\n" + body


# --- text ------------------------------------------------------------------------------

YAML_SPECIALS = [*":-[]{}\"'\t\n&*!#|>%@`?,\\ ", "---", "...", "<<: ", "!!python/object ", "!!float ", "!!int ",
                 "!!set ", "\r\n", "\r", "\ufeff", "\x00", "\x85", "\u2028", "\u2029", "\x1b", "\\x1b", "\\0",
                 "\\u2028", "? ",
                 "*a", "&a ", "- ", "\n  ", "\n    - ", "0o17", "1_000", "1:20", "yes", "~", ".inf", "9999-12-31",
                 "2021-02-30", "0001-01-01"]
"""Pieces that change how YAML (and the frontmatter splitter) reads a line."""
YAML_TAGS = ["!!int", "!!float", "!!bool", "!!null", "!!timestamp", "!!str", "!!binary", "!!omap", "!!merge"]

ENTITY_WORDS = ["amp", "lt", "gt", "quot", "apos", "nbsp", "#39", "#34", "x27", "#x27", "copy"]
"""Names of HTML character references: as glossary terms they must never be linked inside ``&gt;``."""

UNICODE_WORDS = ["café", unicodedata.normalize("NFD", "café"), "Ångström", unicodedata.normalize("NFD", "Ångström"),
                 "ﬁle", "straße", "STRASSE", "İstanbul", "ǅemal", "ΣΊΣΥΦΟΣ", "σίσυφος", "日本語", "😀 emoji",
                 "a\u200bb",
                 "\u202eevil", "x\u0301", "Ⅸ", "٣", "ß"]
"""Case folding (ß/SS, ﬁ, İ), NFD/NFC forms, zero-width and bidi characters, non-Latin scripts."""

PUNCTUATION_WORDS = ["V&V", "A/B test", "C++", "R&D", "k-NN", "F1-score", "1.2", "a.b.", "(x)", "<tag>", "\"q\"",
                     "it's", "x*y", "[1]", "a|b", "50%", "$x$", "#1", "@me", "a\\b", "end.", "--", "-x-", "_u_"]

WORDS = ["switchback", "proof of concept", "proof of concept development", "review", "gate", "level", "policy",
         "data", "model", "a", "an", "the", "and", "s", "x", "test", "tests", "policies", "reviews"]

safe_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12)
"""Text without surrogates and control characters (those have their own properties)."""

term_names = st.one_of(
    st.sampled_from(WORDS), st.sampled_from(ENTITY_WORDS), st.sampled_from(UNICODE_WORDS),
    st.sampled_from(PUNCTUATION_WORDS),
    st.lists(st.sampled_from(WORDS + ENTITY_WORDS), min_size=2, max_size=4).map(" ".join),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=10),
).filter(lambda name: bool(name.strip()))
"""Glossary names: short, multi-word, punctuated, entity-like, Unicode."""


# --- level cards ------------------------------------------------------------------------

try:
    from mltrl_docs.ids import id_problem
except ImportError:  # pragma: no cover - before ids.py
    def id_problem(value: str) -> tuple[str, str] | None:
        return None
project_ids = st.from_regex(r"[A-Za-z0-9]([A-Za-z0-9._-]{0,5}[A-Za-z0-9_-])?", fullmatch=True).filter(
    lambda value: id_problem(value) is None)
"""Ids a card may use: the schema's pattern, no trailing '.', no device or site page names."""
requirement_ids = st.sampled_from(["1", "1.1", "1.2", "2", "2.1", "2.1.3", "3", "10", "0"])
levels = st.integers(0, 9)
semvers = st.one_of(st.from_regex(r"(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]?)\.(0|[1-9])(-rc\.[1-9])?", fullmatch=True),
                    st.sampled_from(["1.0", "v1.2.3", "01.2.3", "1.2.3.4", "latest", "１.２.３", "1.2.3\n"]))
people = st.sampled_from(["Ada Okafor", "Lin Chen", "Yarin Gal", "Gunes Baydin", "Ana", "ada okafor", "Zoë Ünal"])
url_targets = st.sampled_from(["https://x.example/y", "http://a.example", "mailto:a@b.example", "ethics.md",
                               "evidence/a.txt", "evidence/missing.txt", "../outside.md", "javascript:alert(1)",
                               "data:text/html,x", "ftp://x.example", "/abs/path", "evidence/",
                               "https://x.example/a b", "#frag"])
web_urls = st.sampled_from(["https://x.example/y", "http://a.example", "mailto:a@b.example", "https://x.example/a b"])
evidence_targets = st.sampled_from(["https://x.example/y", "ethics.md", "evidence/a.txt", "evidence/missing.txt",
                                    "../outside.md", "/abs/path", "evidence/", "#frag"])
HEADINGS = [h for level_headings in DEFAULT_SECTIONS.values() for h in level_headings if h != "TL;DR"]
GATE_HEADINGS = [*FIRST_PRINCIPLES, "Data slices", "Deployment tests", "Monitoring"]
"""The sections the exit rules and the monitoring rule read (when they have text)."""
ROLES = sorted(BUILTIN_ROLES)

CARD_STATUSES = ["draft", "in-review", "approved", "rejected"]
DECISIONS = ["pending", "approved", "changes-requested", "rejected"]
DATASET_ROLES = ["train", "validation", "test", "monitoring", "other"]
DEPLOYMENT_TESTS = ["shadow", "canary", "a-b", "blue-green"]
REQ_STATUSES = ["not-started", "in-progress", "verified", "failed", "waived"]
ETHICS = ["not-started", "in-progress", "complete", "not-applicable"]


@st.composite
def requirement(draw: st.DrawFn, rid: str, text: st.SearchStrategy[str] = safe_text,
                evidence: st.SearchStrategy[str] = evidence_targets) -> dict[str, Any]:
    status = draw(st.sampled_from(REQ_STATUSES))
    data: dict[str, Any] = {
        "id": rid, "kind": draw(st.sampled_from(["research", "product"])),
        "text": "The system shall " + draw(text),
        "verification": draw(st.sampled_from(["test", "analysis", "inspection", "demonstration"])),
        "status": status,
    }
    if draw(st.booleans()):
        data["risk"] = {"likelihood": draw(st.integers(1, 5)), "impact": draw(st.integers(1, 5))}
    if draw(st.booleans()):
        data["evidence"] = draw(st.lists(evidence, min_size=1, max_size=3))
    if status == "waived" or draw(st.integers(0, 4)) == 0:
        data["reason"] = "Because " + draw(text)
    return data


@st.composite
def card_data(draw: st.DrawFn, project: str | None = None, level: int | None = None, date: dt.date | None = None,
              text: st.SearchStrategy[str] = safe_text, known_ids: tuple[str, ...] = (),
              urls: st.SearchStrategy[str] = web_urls, format_11: bool = False) -> dict[str, Any]:
    """A level card's frontmatter that the schema accepts, with a random choice of optional fields
    (``urls``: what links, evidence and the checklist point at; the schema takes any text).
    ``format_11``: sometimes a format 1.1 card, with reviewer roles, datasets, monitoring and
    deployment tests, and links named as the exit rules look for them."""
    evidence = evidence_targets if urls is web_urls else urls
    owners = draw(st.lists(people, min_size=1, max_size=3))
    data: dict[str, Any] = {
        "mltrl": 1,
        "project": project if project is not None else draw(project_ids),
        "title": "T " + draw(text),
        "level": level if level is not None else draw(levels),
        "date": (date or draw(st.dates(dt.date(1990, 1, 1), dt.date(2060, 12, 31)))).isoformat(),
        "status": draw(st.sampled_from(CARD_STATUSES)),
        "owners": owners,
    }
    optional: dict[str, st.SearchStrategy[Any]] = {
        "team": text.map(lambda t: "Team " + t),
        "reviewers": st.lists(st.fixed_dictionaries(
            {"name": people | st.sampled_from(owners), "decision": st.sampled_from(DECISIONS)},
            optional={"date": st.dates(dt.date(1990, 1, 1), dt.date(2060, 1, 1)).map(dt.date.isoformat),
                      "note": text}), max_size=3),
        "versions": st.fixed_dictionaries({}, optional={"code": semvers, "model": semvers, "data": semvers}),
        "coupled": st.lists(st.sampled_from(known_ids) if known_ids else project_ids, unique=True, max_size=3),
        "links": st.dictionaries(st.sampled_from(["project_page", "code", "docs", "requirements", "demo", "x_1"]),
                                 urls, max_size=3),
        "ethics": st.fixed_dictionaries({}, optional={"pre_development": st.sampled_from(ETHICS),
                                                      "post_development": st.sampled_from(ETHICS),
                                                      "checklist": st.just("ethics.md") | urls}),
        "requirements": st.lists(requirement_ids, unique=True, max_size=4).flatmap(
            lambda ids: st.tuples(*(requirement(i, text, evidence) for i in ids)).map(list)),
        "tech_debt": st.lists(st.fixed_dictionaries({"text": text.map(lambda t: "Debt " + t),
                                                     "change": st.sampled_from(["gained", "mitigated"])}),
                              max_size=2),
        "tags": st.lists(text.map(lambda t: "t" + t), max_size=3),
        "x-extra": st.one_of(st.floats(allow_nan=False), text, st.lists(st.integers(), max_size=2)),
    }
    if format_11 and draw(st.booleans()):
        data["mltrl"] = 1.1
        optional.update(_format_11_fields(text, urls, owners))
    for key in draw(st.lists(st.sampled_from(sorted(optional)), unique=True)):
        data[key] = draw(optional[key])
    return data


def _format_11_fields(text: st.SearchStrategy[str], urls: st.SearchStrategy[str],
                      owners: list[str]) -> dict[str, st.SearchStrategy[Any]]:
    """Generators of the fields a format 1.1 card may have besides format 1's."""
    words = text.map(lambda t: "w" + t)
    days = st.dates(dt.date(1990, 1, 1), dt.date(2060, 1, 1)).map(dt.date.isoformat)
    return {
        "reviewers": st.lists(st.fixed_dictionaries(
            {"name": people | st.sampled_from(owners), "decision": st.sampled_from(DECISIONS)},
            optional={"role": st.sampled_from(ROLES), "requested": days, "date": days}), max_size=4),
        "links": st.dictionaries(st.sampled_from(["demo", "examples", "api", "datasheet", "code", "Demo"]), urls,
                                 max_size=3),
        "datasets": st.lists(st.fixed_dictionaries(
            {"name": words}, optional={"version": semvers, "role": st.sampled_from(DATASET_ROLES),
                                       "slices": st.lists(words, max_size=3)}), max_size=3),
        "monitoring": st.fixed_dictionaries({}, optional={
            "metrics": st.lists(st.fixed_dictionaries(
                {"name": words, "threshold": words | st.integers(0, 100) | st.sampled_from(THRESHOLDS)},
                optional={"alert": words}), max_size=2),
            "drift": st.lists(words, max_size=2)}),
        "deployment_tests": st.lists(st.fixed_dictionaries(
            {"kind": st.sampled_from(DEPLOYMENT_TESTS)}, optional={"text": words}), max_size=2),
        "production": st.fixed_dictionaries({"change": st.sampled_from(["retired", "replaced"])},
                                            optional={"reason": words}),
    }


THRESHOLDS = [0.7, 0.05, 1.5, 99.9]
"""Alert thresholds written as numbers that are not whole: a format 1.1 card with one still
takes the fast schema path (``schema.fast_accepts``)."""


@st.composite
def body(draw: st.DrawFn, text: st.SearchStrategy[str] = safe_text, headings: list[str] = HEADINGS,
         blank: bool = False) -> str:
    """A card body with a random subset of ``headings`` (by default the expected sections), TL;DR
    and debrief; ``blank``: some sections have no text, or only a template's comment."""
    parts: list[str] = []
    tldr = draw(st.sampled_from(["lead", "heading", "none"]))
    if tldr == "lead":
        parts.append(f"**TL;DR**: {draw(text)}\n")
    elif tldr == "heading":
        parts.append(f"## TL;DR\n\n{draw(text)}\n")
    for heading in draw(st.lists(st.sampled_from(headings), unique=True)):
        under = draw(st.sampled_from(["text", "text", "none", "comment"])) if blank else "text"
        parts.append(f"## {heading}\n"
                     + {"text": f"\n{draw(text)}\n", "none": "", "comment": "\n<!-- say it -->\n"}[under])
    debrief = draw(st.sampled_from(["answered", "questions", "empty", "none"]))
    if debrief == "answered":
        parts.append(f"## Stage debrief\n\n1. We did {draw(text)}.\n")
    elif debrief == "questions":
        parts.append("## Stage debrief\n\n1. What was accomplished, and by whom?\n2. What was learned?\n")
    elif debrief == "empty":
        parts.append("## Stage debrief\n")
    return "\n" + "\n".join(parts)


# --- hostile values and one-field mutations ---------------------------------------------

HUGE_INTS = [2**31, 2**63, 2**64 + 1, -(2**63) - 1, 10**40, -(10**40), 10**400]
HOSTILE_STRINGS = ["", " ", "\n", "\t", "yes", "no", "null", "~", "1.10", "0o17", "2021-02-30", "2021-13-01",
                   "9999-12-31", "0001-01-01", "2021-06-14\n", "\n2021-06-14", "２０２１-０６-１４", "2021-6-14",
                   "20210614", "A\n", "1.2\n", "approved ", "APPROVED", "approvedd", "x" * 300, "é" * 50,
                   "\u202e", "\ufeff", "\u2028", "{{ 7*7 }}", "<script>alert(1)</script>", "javascript:alert(1)",
                   "../../etc/passwd", "research\x00", "x-", "-1", "3.0", "1e3"]
hostile_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.sampled_from(HUGE_INTS), st.integers(-3, 12),
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([0.0, -0.0, 1.0, 2.0, 3.0, 5.0, 9.0, 1e308, 1.5]),
    st.sampled_from(HOSTILE_STRINGS), st.text(max_size=12),
)
hostile_values = st.recursive(
    hostile_scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.one_of(st.sampled_from(["name", "id", "from", "kind", "x-a", ""]),
                                                      st.text(max_size=6)), inner, max_size=3)),
    max_leaves=8,
)
"""Wrong types, huge ints, floats like 3.0, empty strings, Unicode, nested lists and mappings."""


def paths_of(data: Any, path: DataPath = ()) -> Iterator[DataPath]:
    """Every path in plain data, the root included, parents first."""
    yield path
    if isinstance(data, dict):
        for key, value in data.items():
            yield from paths_of(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from paths_of(value, (*path, index))


def copy_data(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: copy_data(v) for k, v in data.items()}
    if isinstance(data, list):
        return [copy_data(v) for v in data]
    return data


def _near(value: Any) -> list[Any]:
    """Values a careless author writes instead of ``value``."""
    if isinstance(value, bool):
        return [int(value), str(value).lower(), "yes"]
    if isinstance(value, int):
        return [value - 1, value + 1, -value, value + 10, float(value), str(value), [value], True]
    if isinstance(value, str):
        return ["", value + "d", value.upper(), value[:-1], value + "\n", " " + value, 0, [value], None,
                {"text": value}]
    if isinstance(value, list):
        return [[], value + value[:1], value[:1] * 2, (value[0] if value else None), {}]
    if isinstance(value, dict):
        return [{}, [value], list(value), "text"]
    return ["", 0]


@st.composite
def mutated_data(draw: st.DrawFn, base: st.SearchStrategy[Any], fields: tuple[str, ...] = ()) -> Any:
    """A valid document with one field changed: a near miss, a hostile value, a deleted or
    an unknown key, or the value wrapped in a list."""
    data = copy_data(draw(base))
    path = draw(st.sampled_from(list(paths_of(data))))
    parent: Any = data
    for part in path[:-1]:
        parent = parent[part]
    op = draw(st.sampled_from(["near", "hostile", "delete", "unknown", "wrap"]) if path
              else st.sampled_from(["unknown", "hostile"]))
    if not path:
        if op == "hostile" and draw(st.integers(0, 9)) == 0:
            return draw(hostile_values)
        data[draw(st.sampled_from([*fields, "x-y", "levle", "Level", "", "ID"]))] = draw(hostile_values)
        return data
    key = path[-1]
    value = parent[key]
    if op == "near":
        parent[key] = draw(st.sampled_from(_near(value)))
    elif op == "hostile":
        parent[key] = draw(hostile_values)
    elif op == "delete":
        del parent[key]
    elif op == "wrap":
        parent[key] = [value]
    elif isinstance(value, dict):
        value[draw(st.sampled_from([*fields, "extra", "x-y", ""]))] = draw(hostile_values)
    else:
        parent[key] = {"value": value}
    return data


def has_whole_float(data: Any, path: DataPath = ()) -> bool:
    """What the YAML reader sets YamlDocument.has_whole_float to: a float with a whole-number
    value (``3.0``) outside the ``x-`` fields."""
    if isinstance(data, float):
        return data.is_integer() and not (path and isinstance(path[0], str) and path[0].startswith("x-"))
    if isinstance(data, dict):
        return any(has_whole_float(v, (*path, k)) for k, v in data.items())
    if isinstance(data, list):
        return any(has_whole_float(v, (*path, i)) for i, v in enumerate(data))
    return False


# --- glossaries and settings ------------------------------------------------------------

@st.composite
def glossary_data(draw: st.DrawFn, names: st.SearchStrategy[str] = term_names,
                  text: st.SearchStrategy[str] = safe_text, format_11: bool = False) -> dict[str, Any]:
    """A glossary file's data that the schema accepts; ``format_11``: sometimes a format 1.1
    file (``mltrl: 1.1``), whose terms may name their ``source``."""
    version = 1.1 if format_11 and draw(st.booleans()) else 1
    terms: list[dict[str, Any]] = []
    for name in draw(st.lists(names, max_size=5)):
        term: dict[str, Any] = {"term": name, "definition": "Means " + draw(text)}
        optional = {
            "aliases": st.lists(names, max_size=2),
            "teams": st.dictionaries(st.sampled_from(["Research", "Product", "Ops", "Δ team"]), names, max_size=2),
            "see_also": st.lists(names, max_size=2),
            "level": st.none() | levels,
        }
        if version == 1.1:
            optional["source"] = text.map(lambda t: "Source " + t)
        for key in draw(st.lists(st.sampled_from(sorted(optional)), unique=True)):
            term[key] = draw(optional[key])
        terms.append(term)
    return {"mltrl": version, "terms": terms}


SWITCHES: list[Any] = ["info", "warning", "error", "off", "on", True, False]
RULE_NAMES = [rule.name for rule in RULES]
_LEVEL_OR_NONE = st.none() | levels
_LINK_NAMES = st.lists(st.sampled_from(["demo", "examples", "api", "datasheet", "notebook"]), min_size=1, max_size=3,
                       unique=True)
RULE_OPTIONS: dict[str, dict[str, st.SearchStrategy[Any]]] = {
    "review-roles": {"table": st.dictionaries(st.sampled_from(string.digits),
                                              st.lists(st.sampled_from(ROLES), max_size=3), max_size=3)},
    "research-requirements": {"from": levels, "to": _LEVEL_OR_NONE},
    "product-requirements": {"from": levels, "to": _LEVEL_OR_NONE},
    "leave-first-principles": {"level": levels,
                               "sections": st.lists(st.sampled_from([*GATE_HEADINGS, *HEADINGS]), min_size=1,
                                                    max_size=3)},
    "leave-research": {"level": levels},
    "leave-capability": {"level": levels, "links": _LINK_NAMES},
    "leave-integrations": {"level": levels},
    "leave-product": {"level": levels},
    "leave-flight-ready": {"level": levels, "links": _LINK_NAMES},
    "risk-scored": {"from": levels},
    "high-risk-open": {"from": levels, "score": st.integers(1, 25)},
    "ethics-pre": {"started": _LEVEL_OR_NONE, "from": levels},
    "ethics-post": {"from": levels},
    "versions": {"code": _LEVEL_OR_NONE, "model": _LEVEL_OR_NONE, "data": _LEVEL_OR_NONE},
    "monitoring": {"from": levels},
    "sections": {"table": st.dictionaries(st.sampled_from(string.digits),
                                          st.lists(st.sampled_from([*HEADINGS, "TL;DR", "Stage debrief", "Ethics"]),
                                                   max_size=3), max_size=4)},
    "embedded-switchback": {"pairs": st.lists(st.lists(levels, min_size=2, max_size=2), max_size=3)},
    "stale": {"days": st.integers(1, 36500)},
}


@st.composite
def gate_settings_data(draw: st.DrawFn) -> dict[str, Any]:
    """A ``gates:`` mapping the settings schema accepts: severities, switches and options."""
    data: dict[str, Any] = {}
    for rule in draw(st.lists(st.sampled_from(RULE_NAMES), unique=True, max_size=10)):
        options = RULE_OPTIONS.get(rule, {})
        if draw(st.integers(0, 2)) == 0:
            value: dict[str, Any] = {}
            if draw(st.booleans()):
                value["severity"] = draw(st.sampled_from(SWITCHES))
            for key in draw(st.lists(st.sampled_from(sorted(options)), unique=True)) if options else ():
                value[key] = draw(options[key])
            data[rule] = value
        else:
            data[rule] = draw(st.sampled_from(SWITCHES))
    return data


def _newer_settings() -> dict[str, st.SearchStrategy[Any]]:
    """Generators for settings the schema has gained (read from it, so the generator keeps up):
    ``limits`` (each bound within its minimum and maximum), site reviewer ``roles`` and
    ``image_hosts``."""
    properties = load_schema("settings")["properties"]
    found: dict[str, st.SearchStrategy[Any]] = {}
    if "limits" in properties:
        bounds = {name: st.integers(spec.get("minimum", 0), min(spec.get("maximum", 10**6), spec.get("minimum", 0) * 4
                                                                + 200))
                  for name, spec in properties["limits"]["properties"].items() if spec.get("type") == "integer"}
        found["limits"] = st.fixed_dictionaries({}, optional=bounds)
    if "roles" in properties:
        found["roles"] = st.dictionaries(st.sampled_from(["legal", "data-steward", "sre", "qa"]),
                                         st.sampled_from(["Legal counsel.", "Owns the data.", "x"]), max_size=2)
    if "image_hosts" in properties:
        found["image_hosts"] = st.lists(st.sampled_from(["assets.example.internal", "img.example:8443", "a", "x-1.y"]),
                                        unique=True, max_size=2)
    return found


@st.composite
def settings_data(draw: st.DrawFn) -> dict[str, Any]:
    data: dict[str, Any] = {"sources": draw(st.lists(st.sampled_from(["dossiers", "a/b", "../x", "é"]),
                                                     min_size=1, max_size=2))}
    optional: dict[str, st.SearchStrategy[Any]] = {
        "glossary": st.lists(st.sampled_from(["glossary/org.yml", "g.yml"]), max_size=2),
        "builtin_glossary": st.booleans(),
        "link_terms": st.sampled_from(["off", "first", "every"]),
        "gates": gate_settings_data(),
        **_newer_settings(),
    }
    for key in draw(st.lists(st.sampled_from(sorted(optional)), unique=True)):
        data[key] = draw(optional[key])
    return data


# --- seeds and byte-level mutation ---------------------------------------------------------

def _example_files(pattern: str, limit: int) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(EXAMPLE.glob(pattern))[:limit]]


CARD_SEEDS: list[str] = [
    (TESTS / "fixtures" / "spec" / "level-card-example.md").read_text(encoding="utf-8"),
    *_example_files("dossiers/*/L*.md", 6),
    frontmatter_file({"mltrl": 1, "project": "R1", "title": "t", "level": 3, "date": "2021-01-01", "status": "approved",
                      "owners": ["o"], "transition": {"from": 2, "kind": "advance"},
                      "links": {"code": "https://x.example/y"},
                      "requirements": [{"id": "1.1", "kind": "product", "text": "Shall.", "verification": "test",
                                        "status": "waived", "reason": "n/a", "risk": {"likelihood": 2, "impact": 3}}]}),
]
GLOSSARY_SEEDS: list[str] = [*_example_files("glossary/*.yml", 1), *_example_files("dossiers/*/glossary.yml", 1),
                             "mltrl: 1\nterms:\n  - term: V&V\n    definition: Verification.\n    aliases: [vv]\n"]
SETTINGS_SEEDS: list[str] = [(EXAMPLE / "mltrl-docs.yml").read_text(encoding="utf-8"),
                             ("sources: [d]\ngates:\n  stale: {days: 30}\n"
                              "  sections:\n    table: {'3': [Intended use]}\n"
                              "  embedded-switchback: {pairs: [[4, 2]]}\n  high-risk-open: {score: 20, from: 6}\n"),
                             ("sources: [d]\nroles:\n  legal: Legal counsel.\ngates:\n  review-roles:\n    table:\n"
                              "      7: [qa, product, legal]\n  versions: {data: null}\n  ethics-pre: {started: 2}\n"
                              "  leave-capability: {links: [demo, notebook]}\n  monitoring: {from: 8}\n")]


def clip(seed: str, limit: int = 3000) -> str:
    """A seed cut to its first ``limit`` characters (whole lines), to keep examples small."""
    if len(seed) <= limit:
        return seed
    return seed[: seed.rfind("\n", 0, limit) + 1]


@st.composite
def mutated_text(draw: st.DrawFn, seeds: list[str]) -> str:
    """A seed file with 1-6 edits: inserted YAML specials or text, deleted spans, lines
    replaced, duplicated or swapped."""
    text = clip(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 6))):
        if not text:
            break
        where = draw(st.integers(0, len(text) - 1))
        op = draw(st.sampled_from(["insert", "delete", "replace_line", "duplicate_line", "swap"]))
        if op == "insert":
            piece = draw(st.one_of(st.sampled_from(YAML_SPECIALS), st.text(max_size=8)))
            text = text[:where] + piece + text[where:]
        elif op == "delete":
            text = text[:where] + text[where + draw(st.integers(1, 40)):]
        else:
            lines = text.split("\n")
            i = where % len(lines)
            if op == "replace_line":
                key = lines[i].split(":")[0]
                lines[i] = f"{key}: {draw(st.one_of(st.sampled_from(YAML_SPECIALS), st.text(max_size=20)))}"
            elif op == "duplicate_line":
                lines.insert(i, lines[i])
            else:
                j = draw(st.integers(0, len(lines) - 1))
                lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
    return text


def encode(text: str) -> bytes:
    """Text to file bytes; lone surrogates (st.text makes them) are written as-is, giving invalid UTF-8."""
    return text.encode("utf-8", "surrogatepass")


def as_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, default=str)


ParseHook = Callable[[str, list[tuple[str, str | None]]], None]
PATTERN_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""Control characters that must never reach a page (HTML forbids them; ESC can drive terminals)."""


KEYS_FOR_VALUES = ["mltrl", "project", "title", "level", "date", "status", "owners", "reviewers", "transition",
                   "versions", "coupled", "links", "ethics", "requirements", "tech_debt", "tags", "from", "kind",
                   "switchback", "id", "risk", "likelihood", "impact", "evidence", "checklist", "name", "decision"]
_structured_scalars = st.one_of(st.none(), st.booleans(), st.integers(-3, 12), st.floats(allow_nan=True),
                                st.sampled_from([0.0, 2.0, 3.0, 1e400]),
                                st.sampled_from(["2021-06-14", "approved", "advance", "switchback", "1.2", "R02.1",
                                                 "javascript:x", "../x.md", "https://a.example", "", "research"]),
                                st.text(max_size=10))
structured_values = st.recursive(_structured_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(KEYS_FOR_VALUES), inner, max_size=5)), max_leaves=20)
"""Values built from the card format's own keys and words (the first property tests' generator)."""


# --- whole dossiers ----------------------------------------------------------------------

@st.composite
def project_history(draw: st.DrawFn, count: int) -> list[tuple[int, dict[str, Any] | None]]:
    """``count`` (level, transition) pairs: mostly advances and switchbacks as the format
    wants them, sometimes a jump, a wrong 'from' or a missing transition."""
    level = draw(levels)
    history: list[tuple[int, dict[str, Any] | None]] = [(level, None if draw(st.integers(0, 4)) else
                                                         {"kind": "advance"})]
    for _ in range(count - 1):
        move = draw(st.sampled_from(["advance", "advance", "switchback", "jump", "stay"]))
        previous = level
        if move == "advance":
            level = min(level + 1, 9)
        elif move == "switchback":
            level = draw(st.integers(0, max(level - 1, 0)))
        elif move == "jump":
            level = draw(levels)
        transition: dict[str, Any] | None = {"from": previous, "kind": "switchback" if level < previous else "advance"}
        assert transition is not None
        if transition["kind"] == "switchback":
            transition["switchback"] = draw(st.sampled_from(["discovery", "review", "embedded"]))
        if draw(st.integers(0, 5)) == 0:
            transition = draw(st.sampled_from([None, {"from": draw(levels), "kind": "advance"}, {"kind": "advance"}]))
        if transition is not None and draw(st.booleans()):
            transition["reason"] = "Because."
        history.append((level, transition))
    return history


@st.composite
def checklist_page(draw: st.DrawFn, text: st.SearchStrategy[str] = safe_text) -> str:
    """An ethics page after the shipped checklist template (``checklist: mltrl-ethics/1``):
    pre- and post-development parts of 0-3 questions each (a part may be missing), each
    answered, left at the placeholder or marked open."""
    answers = st.sampled_from(["*Not answered yet.*", "**Open:** still with legal.", "Settled: we checked."])
    parts = ["---\ntitle: Ethics checklist\nchecklist: mltrl-ethics/1\n---\n"]
    for heading in ("## Part 1: Pre-development", "## Part 2: Post-development"):
        if draw(st.integers(0, 4)) == 0:
            continue
        parts.append(f"\n{heading}\n")
        parts.extend(f"\n{number}. **Question {number} {draw(text)}?**\n\n   {draw(answers)}\n"
                     for number in range(1, draw(st.integers(0, 3)) + 1))
    return "".join(parts)


@st.composite
def dossier_files(draw: st.DrawFn, text: st.SearchStrategy[str] = safe_text, max_projects: int = 4,
                  max_cards: int = 6, dates: st.SearchStrategy[dt.date] | None = None,
                  urls: st.SearchStrategy[str] = web_urls, format_11: bool = False) -> dict[str, str]:
    """A dossier source ``src/``: 1-4 projects of 1-6 cards (random levels, transitions,
    statuses, reviewers, requirements with risks and evidence, ethics, coupled ids that may
    form cycles or name nothing), attachments and evidence files. ``format_11``: some cards
    use format 1.1's fields, bodies may have the sections the exit and monitoring rules
    read, with text or without, and an ethics page may follow the checklist template."""
    ids = draw(st.lists(project_ids, min_size=1, max_size=max_projects, unique_by=str.casefold))
    known = (*ids, "GHOST")
    start = dates if dates is not None else st.dates(dt.date(2000, 1, 1), dt.date(2040, 1, 1))
    files: dict[str, str] = {}
    for project in ids:
        folder = f"src/{project}"
        history = draw(project_history(draw(st.integers(1, max_cards))))
        date = draw(start)
        for index, (level, transition) in enumerate(history):
            if index:
                days = draw(st.sampled_from([0, 1, 30, 200, 800]))
                try:
                    date = date + dt.timedelta(days=days)
                except OverflowError:
                    pass
            data = draw(card_data(project=project, level=level, date=date, text=text, known_ids=known, urls=urls,
                                  format_11=format_11))
            if transition is not None:
                data["transition"] = transition
            else:
                data.pop("transition", None)
            card_body = body(text, [*HEADINGS, *GATE_HEADINGS], blank=True) if format_11 else body(text)
            files[f"{folder}/L{level}-{index}.md"] = frontmatter_file(data, draw(card_body))
        if draw(st.booleans()):
            files[f"{folder}/ethics.md"] = (draw(checklist_page(text)) if format_11 and draw(st.booleans())
                                            else f"# Ethics {draw(text)}\n\n{draw(text)}\n")
        if draw(st.booleans()):
            files[f"{folder}/evidence/a.txt"] = "evidence\n"
    return files
