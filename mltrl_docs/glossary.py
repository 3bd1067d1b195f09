"""The glossary: one entry per idea, every name that means it, and its consistency checks.

Scopes follow the card format: the org scope is the built-in MLTRL glossary plus the
site's glossary files (a site term with a built-in term's name replaces it); each
project's ``glossary.yml`` is that project's scope, seen on its pages on top of the
org scope, where a project term with an org term's name shadows it. A name is a
term, an alias, a team's word or the plural of any of them; all resolve to one
entry, matched case-insensitively with runs of spaces folded, in any Unicode normal form.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal
from unicodedata import normalize

from mltrl_docs.findings import Finding, Severity
from mltrl_docs.load import load_glossary
from mltrl_docs.model import GlossaryTerm

LinkMode = Literal["off", "first", "every"]
"""How often a page links a term to the glossary: never, its first use, every use."""
LINK_MODES: tuple[LinkMode, ...] = ("off", "first", "every")

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_ES_ENDINGS = ("s", "x", "z", "ch", "sh")


def fold(name: str) -> str:
    """The form names are compared in: composed (NFC, so 'café' typed with a combining
    accent is the same name), case-folded, runs of whitespace made one space. Composed again
    after case folding, which decomposes a few letters ('ǰ'), so it matches NFC text."""
    return " ".join(normalize("NFC", normalize("NFC", name).casefold()).split())


def plurals(name: str) -> tuple[str, ...]:
    """English plurals of a name's last word: 'switchback' -> 'switchbacks', 'policy' ->
    'policies', 'box' -> 'boxes'. Abbreviations in capitals get an 's' ('PoCs')."""
    if not name or not name[-1].isalpha():
        return ()
    lower = name.lower()
    if lower.endswith("y") and len(name) > 1 and lower[-2] not in "aeiou":
        return (name[:-1] + "ies",)
    if lower.endswith(_ES_ENDINGS) and not name[-1].isupper():
        return (name + "es",)
    return (name + "s",)


def slug(text: str) -> str:
    return _NOT_SLUG.sub("-", text.lower()).strip("-") or "term"


@dataclass(frozen=True, slots=True, eq=False)
class Entry:
    """A term as the site shows it: one anchor, and the scope it belongs to."""

    term: GlossaryTerm
    anchor: str
    builtin: bool = False

    @property
    def project(self) -> str | None:
        return self.term.project

    @property
    def letter(self) -> str:
        first = self.term.term[:1].upper()
        return first if first.isalpha() else "#"


@dataclass(eq=False)
class Scope:
    """Every name visible on one project's pages (or the org's), resolved to its entry."""

    names: dict[str, Entry] = field(default_factory=dict)
    """Folded term names, aliases and team words; plurals included."""

    def lookup(self, name: str) -> Entry | None:
        return self.names.get(fold(name))


@dataclass(eq=False)
class Glossary:
    entries: list[Entry]
    """Org entries, then project entries; each list in alphabetical order."""
    org: Scope
    projects: dict[str, Scope]
    """Scopes of projects with their own glossary.yml; other projects see ``org``."""

    def scope(self, project: str | None) -> Scope:
        return self.projects.get(project, self.org) if project else self.org

    def lookup(self, name: str, project: str | None = None) -> Entry | None:
        return self.scope(project).lookup(name)

    def teams(self) -> dict[str, list[tuple[str, Entry]]]:
        """Team -> (its word, the entry it maps to), sorted: the "by team" view."""
        by_team: dict[str, list[tuple[str, Entry]]] = {}
        for entry in self.entries:
            for team, word in entry.term.teams.items():
                by_team.setdefault(team, []).append((word, entry))
        return {team: sorted(words, key=lambda w: (fold(w[0]), w[1].term.term))
                for team, words in sorted(by_team.items(), key=lambda t: fold(t[0]))}


@cache
def builtin_file() -> Path:
    """The glossary shipped in the package (package data, read like any site file)."""
    return Path(str(resources.files("mltrl_docs") / "data" / "mltrl-glossary.yml"))


@cache
def builtin_terms() -> tuple[GlossaryTerm, ...]:
    terms, _ = load_glossary(builtin_file())
    return tuple(terms)


def build_glossary(org_terms: Sequence[GlossaryTerm], project_terms: Mapping[str, Sequence[GlossaryTerm]],
                   builtin: bool = True) -> tuple[Glossary, list[Finding]]:
    """Resolve every scope and report what makes a name ambiguous."""
    findings: list[Finding] = []
    org_entries = _org_entries(org_terms, builtin, findings)
    anchors: set[str] = set()
    org = _entries_with_anchors(org_entries, None, anchors)
    org_scope = Scope()
    _add_names(org_scope, org, findings)
    projects: dict[str, Scope] = {}
    project_entries: list[Entry] = []
    for project_id in sorted(project_terms):
        terms = _first_of_each(project_terms[project_id], findings)
        if not terms:
            continue
        entries = _entries_with_anchors([(t, False) for t in terms], project_id, anchors)
        project_entries += entries
        projects[project_id] = _project_scope(org_scope, entries, findings)
    alphabetical = sorted(org, key=lambda e: fold(e.term.term)) + sorted(
        project_entries, key=lambda e: (e.project or "", fold(e.term.term)))
    glossary = Glossary(entries=alphabetical, org=org_scope, projects=projects)
    findings += _see_also(glossary)
    findings += _team_words(glossary)
    return glossary, findings


def _org_entries(site_terms: Sequence[GlossaryTerm], builtin: bool,
                 findings: list[Finding]) -> list[tuple[GlossaryTerm, bool]]:
    """Built-in terms first; a site term of the same name replaces the built-in one."""
    site = _first_of_each(site_terms, findings)
    overridden = {fold(t.term) for t in site}
    kept = [(t, True) for t in builtin_terms() if fold(t.term) not in overridden] if builtin else []
    return kept + [(t, False) for t in site]


def _first_of_each(terms: Iterable[GlossaryTerm], findings: list[Finding]) -> list[GlossaryTerm]:
    """One term per name; a second definition that differs is reported, the first kept."""
    first: dict[str, GlossaryTerm] = {}
    for term in terms:
        seen = first.get(fold(term.term))
        if seen is None:
            first[fold(term.term)] = term
        elif fold(seen.definition) != fold(term.definition):
            findings.append(_finding(
                Severity.WARNING, term, f"term '{term.term}' is defined twice with different definitions "
                f"(first in {_place(seen)}); the first definition is used",
                "keep one definition, or give the second term its own name"))
    return list(first.values())


def _entries_with_anchors(terms: Sequence[tuple[GlossaryTerm, bool]], project: str | None,
                          taken: set[str]) -> list[Entry]:
    entries = []
    for term, builtin in terms:
        base = slug(f"{project}-{term.term}" if project else term.term)
        anchor, n = base, 2
        while anchor in taken:
            anchor, n = f"{base}-{n}", n + 1
        taken.add(anchor)
        entries.append(Entry(term, anchor, builtin))
    return entries


def _names(term: GlossaryTerm) -> Iterator[tuple[str, str]]:
    """(name, what it is) for the term itself, then its aliases."""
    yield term.term, "term"
    for alias in term.aliases:
        yield alias, "alias"


def _add_names(scope: Scope, entries: Sequence[Entry], findings: list[Finding]) -> None:
    """``entries`` in the order they were defined (built-in first), so a collision is
    reported on the later name. Terms and aliases first (a collision between two of them is reported), then team
    words and plurals, which never displace a name already taken."""
    for entry in entries:
        for name, kind in _names(entry.term):
            key = fold(name)
            owner = scope.names.get(key)
            if owner is None:
                scope.names[key] = entry
            elif owner is not entry:
                findings.append(_finding(
                    Severity.WARNING, entry.term, f"{kind} '{name}' of term '{entry.term.term}' is already "
                    f"{_what(owner, key)} (defined in {_place(owner.term)})",
                    "rename or remove one of them: a name must lead to exactly one term"))
    _add_secondary(scope, entries)


def _add_secondary(scope: Scope, entries: Sequence[Entry]) -> None:
    for entry in entries:
        words = [name for name, _ in _names(entry.term)] + list(entry.term.teams.values())
        for word in words:
            scope.names.setdefault(fold(word), entry)
        for word in words:
            for plural in plurals(word):
                scope.names.setdefault(fold(plural), entry)


def _project_scope(org: Scope, entries: Sequence[Entry], findings: list[Finding]) -> Scope:
    """The org's names with the project's on top; shadowing an org term is reported as info."""
    own = Scope()
    _add_names(own, entries, findings)
    for entry in entries:
        shadowed = org.names.get(fold(entry.term.term))
        if shadowed is not None and fold(shadowed.term.term) == fold(entry.term.term):
            findings.append(_finding(
                Severity.INFO, entry.term, f"project term '{entry.term.term}' shadows the org term of the "
                f"same name on {entry.project}'s pages (org term in {_place(shadowed.term)})",
                "intended? then nothing to do; otherwise rename the project term"))
    merged = Scope(dict(org.names))
    merged.names.update(own.names)
    return merged


def _see_also(glossary: Glossary) -> Iterator[Finding]:
    for entry in glossary.entries:
        scope = glossary.scope(entry.project)
        for name in entry.term.see_also:
            if scope.lookup(name) is None:
                yield _finding(Severity.WARNING, entry.term,
                               f"see_also '{name}' of term '{entry.term.term}' names no term",
                               "write the exact name (or an alias) of a glossary term, or remove it")


def _team_words(glossary: Glossary) -> Iterator[Finding]:
    """Within one scope, one team's word must mean one term."""
    for project in (None, *glossary.projects):
        meaning: dict[tuple[str, str], Entry] = {}
        for entry in glossary.entries:
            if entry.project not in (None, project):
                continue
            if project is not None and entry.project is None and glossary.lookup(entry.term.term, project) is not entry:
                continue
            for team, word in entry.term.teams.items():
                key = (fold(team), fold(word))
                first = meaning.setdefault(key, entry)
                if first is not entry and (project is None or entry.project == project):
                    yield _finding(
                        Severity.WARNING, entry.term,
                        f"team '{team}' calls both '{first.term.term}' and '{entry.term.term}' '{word}'",
                        f"give one of them another word for {team}, or merge the terms")


def _what(entry: Entry, key: str) -> str:
    if fold(entry.term.term) == key:
        return f"the term '{entry.term.term}'"
    return f"an alias of '{entry.term.term}'"


def _place(term: GlossaryTerm) -> str:
    return f"{term.path.name}:{term.position.line}"


def _finding(severity: Severity, term: GlossaryTerm, message: str, hint: str) -> Finding:
    return Finding(severity, "glossary", message, term.path, term.position, field=None, hint=hint,
                   project=term.project)
