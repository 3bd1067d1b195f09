"""Write a bundle: a checked dossier as one JSON file (``mltrl-docs bundle``, and the site's
``readiness.json``).

A bundle holds the files a portal needs to run the very same pipeline (cards, pages and
glossaries as their text, the evidence files the cards cite as text or base64), what this
repository's check made of them (requirements, acceptance results, findings, glossary terms)
for tools that only read, and what git said (provenance), which the portal has no clone to ask.

The same dossier gives the same bytes: keys sorted, lists in a stable order, no clock read
besides the dossier's own ``today``.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from mltrl_docs import __version__
from mltrl_docs.bundle.model import BUNDLE_VERSION, NO_IMPORTS, Imports, path_problem
from mltrl_docs.dossier import CheckedDossier
from mltrl_docs.findings import Finding
from mltrl_docs.memo import Memo
from mltrl_docs.model import Card, InvalidCard, Project
from mltrl_docs.paths import relative
from mltrl_docs.provenance import Commit, DecisionRecord, FileHistory
from mltrl_docs.report import WORDS
from mltrl_docs.repositories import Repository, repository_path
from mltrl_docs.sources import GLOSSARY_NAMES

Namer = Callable[[Path], str | None]
"""A file on disk -> its path in the bundle (None: it lies outside what the bundle holds)."""


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a bundle is made from: the repository's identity, as far as it is known."""

    root: Path
    """The folder bundle paths are relative to: the top of the git work tree, else the settings' folder."""
    commit: str | None = None
    """The full hash of the commit checked out (None outside git)."""
    dirty: bool = False
    """Files differ from that commit."""
    repository: Repository | None = None
    """The repository's web address and edit path for sources that name none (``bundle --repo-url``)."""


def bundle_of(checked: CheckedDossier, origin: Origin, *, max_bytes: int, imports: Imports = NO_IMPORTS,
              repositories: Mapping[Path, Repository] | None = None,
              glossaries: Iterable[Path] = (), memo: BundleMemo | None = None) -> dict[str, Any]:
    """The bundle of ``checked``: every file under ``origin.root`` named by its path from there
    (an imported bundle's files under ``<bundle file>/``); cited files bigger than ``max_bytes``
    or outside the root are listed as left out, with why. ``repositories``: the sources' own
    repositories (the settings' ``sources:`` mapping form); ``glossaries``: the site's glossary files;
    ``memo``: what the last bundle of the same site read (``mkdocs serve``)."""
    name = _namer(origin.root, imports)
    memo = memo if memo is not None else BundleMemo()
    writer = _Writer(name, max_bytes, memo)
    dossier = checked.dossier
    repositories = {**(repositories or {}), **imports.repositories}
    sources = []
    for folder in dossier.sources:
        shown = name(folder)
        if shown is None:
            writer.omit(relative(folder, origin.root), None, None, "the source folder is outside the folder "
                        "the bundle is made from")
            continue
        own = repositories.get(folder)
        if own is None and origin.repository is not None and imports.owner(folder) is None:
            own = origin.repository
        sources.append({"path": shown, "repository": _repository(own, folder, shown)})
    cards: list[dict[str, Any]] = []
    for project in dossier.projects.values():
        for card in project.cards:
            cards += writer.card(card, project, checked)
        for invalid in project.invalid_cards:
            cards += writer.card(invalid, project, checked)
        for attachment in project.attachments:
            writer.page(attachment.path, project.id, "attachment")
        for glossary_name in GLOSSARY_NAMES:
            if (project.folder / glossary_name).is_file():
                writer.page(project.folder / glossary_name, project.id, "glossary")
                break
    for path in glossaries:
        writer.page(path, None, "glossary")
    memo.sweep()
    history = checked.provenance
    card_paths = {card["path"] for card in cards}
    return {
        "bundle_version": BUNDLE_VERSION,
        "generator": f"mltrl-docs {__version__}",
        "checked_on": checked.today.isoformat(),
        "repository": {"commit": origin.commit, "dirty": origin.dirty},
        "sources": sorted(sources, key=lambda s: s["path"]),
        "cards": sorted(cards, key=lambda c: c["path"]),
        "pages": sorted(writer.pages.values(), key=lambda p: p["path"]),
        "files": sorted((f for f in writer.files.values()  # a cited card or page is carried as one
                         if f["path"] not in writer.pages and f["path"] not in card_paths),
                        key=lambda f: f["path"]),
        "omitted": sorted(writer.omitted.values(), key=lambda o: (o["path"], o["cited_by"] or "")),
        "findings": sorted((_finding(f, name, origin.root) for f in checked.findings),
                           key=lambda f: (f["path"], f["line"] or 0, f["column"] or 0, f["rule"], f["message"])),
        "glossary_terms": sorted(_terms(checked, name, origin.root),
                                 key=lambda t: (t["project"] or "", t["term"].lower(), t["path"], t["line"])),
        "provenance": {
            "unavailable": history.unavailable,
            "repositories": sorted(({"head": r.head, "shallow": r.shallow, "truncated": r.truncated,
                                     "horizon": _moment(r.horizon)} for r in history.repositories),
                                   key=lambda r: (r["head"] or "", r["horizon"] or "")),
            "files": {shown: _history(found, writer.commits) for path, found in history.histories.items()
                      if (shown := name(path)) is not None and shown in writer.named},
            "decisions": {shown: [_decision(d, writer.commits) for d in found]
                          for path, found in history.records.items()
                          if (shown := name(path)) is not None and shown in writer.named},
            "commits": dict(sorted(writer.commits.items())),
        },
    }


def dumps(bundle: Mapping[str, Any], memo: BundleMemo | None = None) -> bytes:
    """The bundle's bytes: sorted keys, no spaces, UTF-8, one line and a newline. With ``memo``,
    each card as the last bundle wrote it while its entry is the same (the same bytes either way)."""
    if memo is None:
        return (_json(bundle) + "\n").encode()
    parts = [f"{_json(key)}:{memo.cards_json(value) if key == 'cards' else memo.part_json(key, value)}"
             for key, value in sorted(bundle.items())]
    return ("{" + ",".join(parts) + "}\n").encode()


def _json(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


class BundleMemo:
    """What the last bundle of a site read and wrote, for the next: ``mkdocs serve`` writes the
    site's ``readiness.json`` again on every rebuild, where most cards and files are as they were.
    Each file's entry is kept by its bytes (compared whole; those the build read, as ``FileCache`` has them),
    each card's JSON by its entry (compared by value), each card's cited files by the card (the
    very object the last build loaded). What a bundle no longer holds is dropped (``sweep``)."""

    def __init__(self, known: Callable[[Path], bytes | None] | None = None) -> None:
        self.known = known
        """The bytes a file had when this build read it already (``FileCache.data``), else None."""
        self._contents: Memo[Path, dict[str, Any]] = Memo()
        """Each file's entry, by its bytes."""
        self._cards: dict[str, tuple[dict[str, Any], str]] = {}
        self._parts: Memo[str, str] = Memo()
        """The JSON of each of the bundle's other parts, by its value."""
        self.entries: Memo[Path, dict[str, Any]] = Memo()
        """Each card's entry (``_card_entry``), kept while made of the same card, file and judgement."""
        self._cited: dict[Path, tuple[Card | InvalidCard, tuple[tuple[str, Path], ...]]] = {}
        self._used: set[Path] = set()

    def content(self, path: Path, data: bytes, read: Callable[[bytes], dict[str, Any]]) -> dict[str, Any]:
        """``read(data)``, or the last bundle's for the same bytes."""
        return self._contents.get(path, (data,), partial(read, data))

    def cited(self, card: Card | InvalidCard) -> tuple[tuple[str, Path], ...]:
        """The files ``card`` cites, each once: (target as written, resolved path)."""
        self._used.add(card.path)
        kept = self._cited.get(card.path)
        if kept is not None and kept[0] is card:
            return kept[1]
        found: dict[Path, str] = {}
        for cited in card.cited():
            ref = cited.reference
            if not ref.is_url and ref.resolved is not None:
                found.setdefault(ref.resolved, ref.target)
        files = tuple((target, path) for path, target in found.items())
        self._cited[card.path] = (card, files)
        return files

    def cards_json(self, cards: list[dict[str, Any]]) -> str:
        """The ``cards`` list as JSON, each card's part kept while its entry is the same."""
        parts: list[str] = []
        kept: dict[str, tuple[dict[str, Any], str]] = {}
        for entry in cards:
            last = self._cards.get(entry["path"])
            text = last[1] if last is not None and (last[0] is entry or last[0] == entry) else _json(entry)
            kept[entry["path"]] = (entry, text)
            parts.append(text)
        self._cards = kept
        return "[" + ",".join(parts) + "]"

    def part_json(self, key: str, value: object) -> str:
        """One of the bundle's other parts (findings, terms, provenance) as JSON: the last
        bundle's text while the part is equal (comparing is much cheaper than encoding)."""
        return self._parts.get(key, (value,), partial(_json, value))

    def sweep(self) -> None:
        """End a bundle: forget the files and cards it did not read."""
        self.entries.sweep()
        self._contents.sweep()
        self._parts.sweep()  # the parts the last bundle's dumps asked for (after its own sweep)
        for gone in self._cited.keys() - self._used:
            del self._cited[gone]
        self._used = set()


def origin(settings_folder: Path, repository: Repository | None = None) -> Origin:
    """Where a bundle of the site in ``settings_folder`` is made from, asking git locally."""
    from mltrl_docs.provenance.git import git

    top = settings_folder
    found = git(settings_folder, ["rev-parse", "--show-toplevel"])
    if found.out:
        top = Path(found.out.decode("utf-8", "replace").strip())
    commit = git(top, ["rev-parse", "--verify", "-q", "HEAD"])
    status = git(settings_folder, ["status", "--porcelain", "--", "."]) if commit.out else None
    return Origin(top.resolve(), commit.out.decode().strip() if commit.out else None,
                  bool(status is not None and status.out), repository)


def _namer(root: Path, imports: Imports) -> Namer:
    """Names each path once: a card's folder, evidence files and commits are named again and again."""
    named: dict[Path, str | None] = {}
    top = os.path.abspath(root)
    under = os.path.join(top, "")  # most files lie under the root: their name is the rest of the path

    def name(path: Path) -> str | None:
        if path in named:
            return named[path]
        bundle = imports.owner(path)
        if bundle is not None:
            inside = bundle.inside(path)
            outer = name(bundle.file)
            shown = None if outer is None or inside is None else f"{outer}/{inside}"
        else:
            absolute = os.path.abspath(path)
            shown = (absolute[len(under):] if absolute.startswith(under)
                     else os.path.relpath(absolute, top)).replace(os.sep, "/")
            shown = None if path_problem(shown) else shown
        named[path] = shown
        return shown
    return name


class _Writer:
    """The files of a bundle while it is written, each once, by bundle path."""

    def __init__(self, name: Namer, max_bytes: int, memo: BundleMemo) -> None:
        self.name = name
        self.max_bytes = max_bytes
        self.memo = memo
        self.pages: dict[str, dict[str, Any]] = {}
        self.files: dict[str, dict[str, Any]] = {}
        self.omitted: dict[tuple[str, str | None], dict[str, Any]] = {}
        self.named: set[str] = set()
        """Every card, page and file the bundle holds."""
        self.commits: dict[str, dict[str, Any]] = {}

    def omit(self, path: str, cited_by: str | None, size: int | None, reason: str) -> None:
        self.omitted[(path, cited_by)] = {"path": path, "cited_by": cited_by, "size": size, "reason": reason}

    def content(self, path: Path) -> dict[str, Any] | tuple[str, int | None]:
        """A file's ``encoding``, ``content``, ``size`` and ``sha256``; or why it is left out, and its size."""
        data = self.memo.known(path) if self.memo.known is not None else None  # as the build read it
        if data is None:
            try:
                size = path.stat().st_size
                if size > self.max_bytes:
                    return self._too_large(size), size
                with path.open("rb") as file:
                    data = file.read(self.max_bytes + 1)
            except OSError as exc:
                return f"cannot be read: {exc.strerror or exc}", None
            if len(data) > self.max_bytes:
                return f"larger than limits.file_bytes (the limit is {self.max_bytes:,} bytes)", None
        elif len(data) > self.max_bytes:
            return self._too_large(len(data)), len(data)
        return self.memo.content(path, data, _content)

    def _too_large(self, size: int) -> str:
        return f"larger than limits.file_bytes ({size:,} bytes; the limit is {self.max_bytes:,})"

    def card(self, card: Card | InvalidCard, project: Project, checked: CheckedDossier) -> list[dict[str, Any]]:
        shown = self.name(card.path)
        if shown is None:
            return []
        found = self.content(card.path)
        if isinstance(found, tuple):
            self.omit(shown, None, found[1], found[0])
            return []
        self.named.add(shown)
        gates, evidence = checked.gates, checked.evidence
        entry = self.memo.entries.get(  # the same card, file and judgement: the last bundle's entry
            card.path, (card, found, shown, project.id, card is project.current, gates.earned.get(card.path),
                        gates.approved.get(card.path, False), evidence.applied,
                        evidence.of_card(card) if isinstance(card, Card) else ()),
            partial(_card_entry, card, project, checked, shown, found))
        for written, path in self.memo.cited(card):  # a card's criteria mostly cite the same one or two files
            if not path.is_file():
                continue
            target = self.name(path)
            if target is None:
                self.omit(written, shown, None, "outside the folder the bundle is made from")
            elif target not in self.files and target not in self.pages and target != shown:
                content = self.content(path)
                if isinstance(content, tuple):
                    self.omit(target, shown, content[1], content[0])
                else:
                    self.files[target] = {**content, "path": target}
                    self.named.add(target)
        return [entry]

    def page(self, path: Path, project: str | None, kind: str) -> None:
        shown = self.name(path)
        if shown is None or shown in self.pages:
            if shown is None:
                self.omit(path.name, None, None, f"the {kind} is outside the folder the bundle is made from")
            return
        found = self.content(path)
        if isinstance(found, tuple):
            self.omit(shown, None, found[1], found[0])
            return
        self.pages[shown] = {**found, "path": shown, "project": project, "kind": kind}
        self.named.add(shown)


def _card_entry(card: Card | InvalidCard, project: Project, checked: CheckedDossier, shown: str,
                found: dict[str, Any]) -> dict[str, Any]:
    """A card's entry: its file (``found``), where it is shown, what it declares and what the
    gates and its evidence made of it."""
    entry: dict[str, Any] = {**found, "path": shown, "project": project.id, "valid": isinstance(card, Card),
                             "title": card.title, "level": card.level.number if card.level else None,
                             "date": card.date.isoformat() if card.date else None}
    if isinstance(card, Card):
        entry.update(status=card.status.value, earned_level=checked.gates.earned.get(card.path),
                     current=card is project.current, approved=checked.gates.approved.get(card.path, False),
                     requirements=[_requirement(card, r, checked) for r in card.requirements])
    else:
        entry.update(status=None, earned_level=None, current=False, approved=False, requirements=[])
    return entry


def _content(data: bytes) -> dict[str, Any]:
    """A file's ``encoding``, ``content``, ``size`` and ``sha256``, from its bytes."""
    try:
        text = data.decode("utf-8")
        encoding, content = ("utf-8", text) if "\x00" not in text else ("base64", "")
    except UnicodeDecodeError:
        encoding, content = "base64", ""
    if encoding == "base64":
        content = base64.b64encode(data).decode("ascii")
    return {"encoding": encoding, "content": content, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def _repository(own: Repository | None, folder: Path, shown: str) -> dict[str, Any] | None:
    if own is None:
        return None
    inside = own.folder if own.folder is not None else (repository_path(folder) or shown)
    return {"url": own.url, "branch": own.branch, "edit_uri": own.edit_path, "folder": "" if inside == "." else inside}


def _requirement(card: Card, requirement: Any, checked: CheckedDossier) -> dict[str, Any]:
    judged = checked.evidence.of(card, requirement)
    results = judged.results if judged is not None else ()
    return {
        "id": requirement.id, "kind": requirement.kind.value, "status": requirement.status.value,
        "verification": requirement.verification.value, "text": requirement.text,
        "verified": checked.evidence.verified(card, requirement),
        "verdict": judged.verdict.value if judged is not None else None,
        "acceptance": [{
            "evidence": result.criterion.source.target, "tests": result.criterion.tests,
            "metric": result.criterion.metric, "op": result.criterion.op.value if result.criterion.op else None,
            "value": result.criterion.value, "select": result.criterion.select, "slice": result.criterion.slice,
            "measured": result.measured, "passed": result.passed, "problem": result.problem,
            "counts": ({"passed": result.counts.passed, "failed": result.counts.failed,
                        "errored": result.counts.errored, "skipped": result.counts.skipped}
                       if result.counts is not None else None),
        } for result in results],
    }


def _finding(finding: Finding, name: Namer, root: Path) -> dict[str, Any]:
    return {"path": name(finding.path) or relative(finding.path, root), "line": finding.line,
            "column": finding.column, "severity": WORDS[finding.severity], "rule": finding.rule,
            "message": finding.message, "field": finding.field, "hint": finding.hint, "project": finding.project}


def _terms(checked: CheckedDossier, name: Namer, root: Path) -> list[dict[str, Any]]:
    dossier = checked.dossier
    terms = [*dossier.glossary, *(t for p in dossier.projects.values() for t in p.glossary)]
    return [{"term": t.term, "definition": t.definition, "aliases": list(t.aliases), "project": t.project,
             "path": name(t.path) or relative(t.path, root), "line": t.position.line, "source": t.source}
            for t in terms]


def _commit(commit: Commit | None, commits: dict[str, dict[str, Any]]) -> str | None:
    if commit is None:
        return None
    commits.setdefault(commit.sha, {"author": commit.author, "email": commit.email,
                                    "authored": _moment(commit.authored), "committed": _moment(commit.committed),
                                    "subject": commit.subject})
    return commit.sha


def _history(found: FileHistory, commits: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {"created": _commit(found.created, commits), "commits": [_commit(c, commits) for c in found.commits],
            "local_changes": found.local_changes, "untracked": found.untracked, "shallow": found.shallow,
            "truncated": found.truncated, "names": list(found.names), "horizon": _moment(found.horizon)}


def _decision(found: DecisionRecord | None, commits: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    if found is None:
        return None
    return {"reviewer": found.reviewer, "line": found.line, "commit": _commit(found.commit, commits),
            "author": found.commit.author if found.commit else None, "uncommitted": found.uncommitted,
            "boundary": found.boundary, "by_reviewer": found.by_reviewer}


def _moment(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
