"""A dossier's provenance from git: per file, who created and changed it; per decision, who
recorded it; per repository, what the history read could not see.

Per repository root (found with one ``git rev-parse`` per source folder), one ``git status``
says where HEAD is and which files differ from it. When the cache holds that HEAD, nothing
else is asked; when it holds an earlier HEAD of the same history, only the commits since are
read and joined to it (``walk``'s ``older``). Otherwise one ``git log --raw`` over the sources
lists every commit with the files it changed (the histories, and the blobs that tell whether a
card's changes compose), after one ``git ls-files`` of the sources' files and one of the rest
(a repository that holds little else is logged whole, without a pathspec: git diffs each commit
once instead of twice). Then a decision line is traced back
through the ``-U0`` patches of just the changes it passes through, read in a few ``git log
--no-walk`` rounds of named commits (the newest change of each card first): a line is usually
answered by its card's newest change or two, and patching the whole history costs more than
the rest of the read.
Only a card edited locally, or whose history a merge changed, gets a ``git blame`` of its own.

Outside git there is no provenance and nothing to report: a site read from a tarball is not
wrong. Without git installed, likewise (``ProvenanceReport.unavailable`` says why). What git
could not answer in a repository (a shallow clone, the commit limit, a command that failed)
is one info finding per repository, never an exception.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
from collections.abc import Collection, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mltrl_docs.findings import Finding, Severity, cut
from mltrl_docs.gcpause import gc_paused
from mltrl_docs.model import Card, Decision, Dossier
from mltrl_docs.provenance.blame import DecisionRecord, blame_arguments, parse_blame, record
from mltrl_docs.provenance.cache import Cache
from mltrl_docs.provenance.git import (
    BLAME_TIMEOUT,
    LOG_TIMEOUT,
    QUICK_TIMEOUT,
    GitResult,
    git,
    glob_escape,
    literal,
)
from mltrl_docs.provenance.history import (
    Attribution,
    Change,
    Commit,
    FileHistory,
    LogEntry,
    Track,
    attribute,
    chained,
    file_history,
    follows,
    log_arguments,
    parse_log,
    parse_patches,
    patch_arguments,
    unread,
    walk,
)

RULE = "provenance"
MAX_COMMITS = 20_000
"""Commits read per repository and ``git log`` at most (``provenance.max_commits``)."""
MAX_BLAMES = 200
"""``git blame`` runs per build at most (0.3 s each in a 15,000-commit repository); the rest
wait for the next build, their results cached as they come."""
MAX_PATCH_PATHS = 100
"""Files whose patches one round reads by their names; with more, it reads every card's patch in
the commits named (git matches a long list of names against every path it looks at)."""
MAX_OUTSIDE_FILES = 500
"""Cited files outside every source folder whose history is read (each is a pathspec)."""
WHOLE_SHARE = 9
"""A repository tracking at most one file elsewhere per this many in the sources is read whole:
its log is asked without a pathspec (``_Reader._index_and_log``)."""


@dataclass(frozen=True, slots=True)
class ProvenanceSettings:
    """The ``provenance:`` setting: whether to ask git, and how far back."""

    enabled: bool = True
    max_commits: int = MAX_COMMITS

    @classmethod
    def from_data(cls, data: object) -> ProvenanceSettings:
        """From the settings file's (schema-checked) value: ``false``, ``true`` or a mapping."""
        if isinstance(data, bool):
            return cls(enabled=data)
        if isinstance(data, Mapping):
            return cls(enabled=bool(data.get("enabled", True)), max_commits=int(data.get("max_commits", MAX_COMMITS)))
        return cls()


@dataclass(frozen=True, slots=True)
class Repository:
    """One git repository the sources are in, and how much of its history was read."""

    root: Path
    head: str | None
    """The commit checked out; None before the first commit."""
    shallow: bool = False
    """A shallow clone: history before ``horizon`` is not in it."""
    truncated: bool = False
    """The ``max_commits`` limit stopped the read: history before ``horizon`` was not read."""
    horizon: dt.datetime | None = None


@dataclass(frozen=True, slots=True, eq=False)
class ProvenanceReport:
    """What git says about a dossier's files and decisions (empty: no git, or turned off)."""

    histories: Mapping[Path, FileHistory] = field(default_factory=dict)
    """By the path a card, page or cited reference has in the model."""
    records: Mapping[Path, tuple[DecisionRecord | None, ...]] = field(default_factory=dict)
    """By card path: one record per reviewer, in the card's order."""
    repositories: tuple[Repository, ...] = ()
    findings: tuple[Finding, ...] = ()
    """Info findings, one per repository at most: what could not be read, and why."""
    unavailable: str | None = None
    """Why there is no provenance at all ('off', 'git is not installed ...'); None otherwise."""

    def file(self, path: Path) -> FileHistory | None:
        """The history of a card, page or cited file; None outside git (or unknown)."""
        return self.histories.get(path)

    def decisions(self, card: Card) -> tuple[DecisionRecord | None, ...]:
        """Who recorded each reviewer's decision, in the card's order (None: not known)."""
        return self.records.get(card.path) or (None,) * len(card.reviewers)

    def approval(self, card: Card) -> DecisionRecord | None:
        """The record of the card's latest approving decision: the point after which a changed
        evidence file is suspect. An approval not committed yet is the latest of all."""
        approving = [found for found, review in zip(self.decisions(card), card.reviewers, strict=False)
                     if found is not None and review.decision is Decision.APPROVED]
        if not approving:
            return None
        return max(approving, key=lambda found: (found.uncommitted, found.commit is not None and not found.boundary,
                                                 found.commit.committed if found.commit else _EPOCH))

    def changed_after(self, path: Path, since: Commit | dt.datetime | dt.date) -> tuple[Commit, ...]:
        """The commits that changed ``path`` after ``since`` (a commit: committed later than it,
        itself excluded; a moment; a day: on a later day), newest first. Changes not committed
        yet are not commits: see ``file(path).local_changes``."""
        history = self.file(path)
        if history is None:
            return ()
        if isinstance(since, Commit):
            return tuple(c for c in history.commits if c.committed > since.committed and c.sha != since.sha)
        if isinstance(since, dt.datetime):
            moment = since if since.tzinfo else since.replace(tzinfo=dt.UTC)
            return tuple(c for c in history.commits if c.committed > moment)
        return tuple(c for c in history.commits if c.committed.date() > since)

    def repository(self, path: Path) -> Repository | None:
        """The repository a file is in (the innermost one)."""
        text = str(path)
        inside = [r for r in self.repositories if text.startswith(str(r.root) + os.sep)]
        return max(inside, key=lambda r: len(str(r.root))) if inside else None


NO_PROVENANCE = ProvenanceReport()
"""The report of a build that did not ask git (turned off, or not asked for)."""
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_NO_CHANGE = Change("M", "", "", "")
"""What a track read from the cache has for each change: its commits, not their patches."""


def provenance(dossier: Dossier, cache_dir: Path | None = None, *, enabled: bool = True,
               max_commits: int = MAX_COMMITS,
               aliases: Mapping[str, Collection[str]] | None = None) -> ProvenanceReport:
    """The provenance of every card, page and cited file of ``dossier``, from git, cached in
    ``cache_dir`` (the adapters pass ``<config dir>/.cache/mltrl-docs``; None: no cache);
    ``aliases`` (reviewer name -> other names or emails) are identities ``same_person`` accepts."""
    if not enabled:
        return ProvenanceReport(unavailable="off")
    with gc_paused():
        return _provenance(dossier, cache_dir, max_commits, aliases)


def _provenance(dossier: Dossier, cache_dir: Path | None, max_commits: int,
                aliases: Mapping[str, Collection[str]] | None) -> ProvenanceReport:
    files = _interesting_files(dossier)
    roots: dict[Path, list[str]] = {}
    boundaries: dict[Path, frozenset[str]] = {}
    findings: list[Finding] = []
    for source in dossier.sources:
        found = _root(source, findings)
        if isinstance(found, str):
            return ProvenanceReport(unavailable=found)
        if found is not None:
            root, shallow, rel = found
            roots.setdefault(root, []).append(rel)
            boundaries[root] = shallow
    cache = Cache.load(cache_dir)
    histories: dict[Path, FileHistory] = {}
    records: dict[Path, tuple[DecisionRecord | None, ...]] = {}
    repositories: list[Repository] = []
    placed = _place(files, list(roots))
    for root in sorted(roots):
        reader = _Reader(root, sorted(set(roots[root])), boundaries[root], placed.get(root, {}), max_commits,
                         cache, aliases)
        repository = reader.read([card for card in dossier.cards if card.reviewers and card.path in reader.rels])
        if repository is not None:
            repositories.append(repository)
        histories.update(reader.histories)
        records.update(reader.records)
        findings += reader.findings()
    cache.save()
    # In the dossier's order, whichever answers came from the cache: the same dossier gives the same report.
    order = [card.path for card in dossier.cards]
    records = {path: records[path] for path in order if path in records}
    return ProvenanceReport(histories, records, tuple(repositories), tuple(findings))


def _interesting_files(dossier: Dossier) -> list[Path]:
    """Cards (valid or not), pages and the files cards cite that exist."""
    files: list[Path] = []
    for project in dossier.projects.values():
        files += [card.path for card in project.cards]
        files += [card.path for card in project.invalid_cards]
        files += [page.path for page in project.attachments]
        for card in project.cards:
            files += [ref.resolved for ref in card.references()
                      if not ref.is_url and ref.resolved is not None and ref.resolved.is_file()]
    return list(dict.fromkeys(files))


def _root(source: Path, findings: list[Finding]) -> tuple[Path, frozenset[str], str] | str | None:
    """The repository ``source`` is in: its root, the shallow clone's boundary commits and the
    folder relative to the root; None outside git; a string when git is not installed."""
    if not source.is_dir():
        return None
    result = git(source, ["rev-parse", "--show-toplevel", "--git-path", "shallow"])
    if result.missing:
        return result.error or "git is not installed"
    if result.out is None:
        if result.error and "not a git repository" not in result.error:
            findings.append(Finding(Severity.INFO, RULE, f"no provenance for source '{source.name}': "
                                    + _tidy(result.error, source), source,
                                    hint="let git read the repository (git config --global --add safe.directory ...)"))
        return None
    lines = os.fsdecode(result.out).split("\n")
    if len(lines) < 2 or not lines[0]:
        return None
    root = Path(lines[0])
    shallow_file = Path(lines[1]) if os.path.isabs(lines[1]) else source / lines[1]
    try:
        shallow = frozenset(shallow_file.read_text(encoding="ascii").split())
    except (OSError, ValueError):
        shallow = frozenset()
    try:
        rel = Path(os.path.realpath(source)).relative_to(os.path.realpath(root)).as_posix()
    except ValueError:
        return None
    return Path(os.path.realpath(root)), shallow, "" if rel == "." else rel


def _place(files: Iterable[Path], roots: Sequence[Path]) -> dict[Path, dict[Path, str]]:
    """Each file under its innermost root, with its path relative to that root."""
    placed: dict[Path, dict[Path, str]] = {}
    real_dirs: dict[Path, str] = {}
    prefixes = sorted(((str(root) + os.sep, root) for root in roots), key=lambda pair: -len(pair[0]))
    for path in files:
        folder = real_dirs.get(path.parent)
        if folder is None:
            folder = real_dirs[path.parent] = os.path.realpath(path.parent)
        real = os.path.join(folder, path.name)
        for prefix, root in prefixes:
            if real.startswith(prefix):
                placed.setdefault(root, {})[path] = real[len(prefix):].replace(os.sep, "/")
                break
    return placed


def _tidy(error: str, root: Path) -> str:
    """An error message without the build machine's folders."""
    return error.replace(str(root), root.name)


class _Reader:
    """One repository: asks git (or the cache), then answers for its files and cards."""

    def __init__(self, root: Path, sources: list[str], boundaries: frozenset[str], files: dict[Path, str],
                 max_commits: int, cache: Cache, aliases: Mapping[str, Collection[str]] | None) -> None:
        self.root, self.sources, self.boundaries, self.max_commits = root, sources, boundaries, max_commits
        self.cache, self.aliases = cache, aliases
        self.rels = files
        self.errors: list[str] = []
        self.histories: dict[Path, FileHistory] = {}
        self.records: dict[Path, tuple[DecisionRecord | None, ...]] = {}
        self.repository: Repository | None = None
        self.unblamed = 0
        self.outside = sorted(rel for rel in set(files.values()) if not self._in_sources(rel))[:MAX_OUTSIDE_FILES]
        """Cited files outside every source folder: their own pathspecs."""

    # --- what git is asked ------------------------------------------------------------

    def _specs(self) -> list[str]:
        return [literal(source) for source in self.sources] + [literal(rel) for rel in self.outside]

    def _markdown_specs(self) -> list[str]:
        return ([markdown_pathspec(source) for source in self.sources]
                + [literal(rel) for rel in self.outside if rel.lower().endswith(".md")])

    def _ask(self, args: list[str], timeout: float) -> bytes | None:
        result: GitResult = git(self.root, args, timeout)
        if result.out is None:
            self.errors.append(_tidy(result.error or f"git {args[0]} failed", self.root))
        return result.out

    # --- the whole read ---------------------------------------------------------------

    def read(self, cards: list[Card]) -> Repository | None:
        status = self._ask(["status", "--porcelain=v2", "-z", "--branch", "--untracked-files=all", "--no-renames",
                            "--ignore-submodules=all", "--", *self._specs()], QUICK_TIMEOUT)
        if status is None:
            return None
        head, changed, untracked = _status(status)
        key = {"head": head, "shallow": sorted(self.boundaries), "specs": self._specs(), "max": self.max_commits}
        entry = self.cache.entry(str(self.root), key) if head else None
        stored = _Stored.parse(entry) if entry is not None else None
        patches: dict[str, Track] | None = None
        blobs: dict[str, str] = {}
        if head and stored is None:
            earlier = self._earlier(key)
            fresh = (self._update(earlier, key) if earlier is not None else None) or self._log(key)
            if fresh is None:
                self.repository = Repository(self.root, head, bool(self.boundaries))
                return self.repository
            entry, patches, blobs = fresh
            stored = _Stored.parse(entry)
        if stored is None:
            stored = _Stored.empty()
        self.repository = Repository(self.root, head, bool(self.boundaries), stored.truncated, stored.horizon)
        for path, rel in self.rels.items():
            self.histories[path] = file_history(
                path, stored.tracks.get(rel), local_changes=rel in changed,
                untracked=rel in untracked or (rel not in stored.tracked and rel not in changed),
                shallow_repo=bool(self.boundaries), truncated_log=stored.truncated, horizon=stored.horizon)
        self._decide(cards, head, changed, untracked, stored, patches, blobs)
        if patches is not None:
            self.cache.put(str(self.root), stored.entry)
        return self.repository

    def _log(self, key: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Track], dict[str, str]] | None:
        """Ask git for the histories (the log and the index side by side): the cache entry, the
        tracks (their patches not read yet) and the index's blob of each file."""
        read = self._index_and_log()
        if read is None:
            return None
        blobs, entries = read
        tracks = self._own(walk(entries, self.boundaries))
        truncated = len(entries) >= self.max_commits
        horizon = self._horizon(tracks, [entries[-1].commit] if truncated else [])
        entry = _entry(key, tracks, blobs, truncated, horizon, len(entries))
        return entry, tracks, blobs

    def _index_and_log(self, since: str | None = None) -> tuple[dict[str, str], list[LogEntry]] | None:
        """The index's blob of each file and the log's commits (all, or those after ``since``);
        None when git could not answer.

        With a pathspec, ``git log`` diffs each commit's trees twice: once to tell whether the
        pathspec is touched, once more for ``--raw`` (at 3,000 cards and 9,000 commits, 4.7 G
        instructions against 2.2 G without). So a repository that tracks little besides the
        sources (a dossier repository: its README and mkdocs.yml) is read without one, and the
        other files' changes are left out after the walk (``_own``); one whose sources share it
        with code keeps the pathspec, which spares git the diffs of every code commit."""
        marker = secrets.token_hex(8)
        specs = self._specs()
        others = [":(exclude," + spec.removeprefix(":(") for spec in specs]
        commands = [["ls-files", "-s", "-z", "--", *specs], ["ls-files", "-z", "--", *others]]
        with ThreadPoolExecutor(max_workers=2) as pool:
            index, elsewhere = pool.map(lambda command: self._ask(command, QUICK_TIMEOUT), commands)
        if index is None:
            return None
        blobs = _index(index)
        whole = elsewhere is not None and WHOLE_SHARE * elsewhere.count(b"\x00") <= len(blobs)
        log = self._ask([*log_arguments(marker, self.max_commits, since), "--", *([] if whole else specs)],
                        LOG_TIMEOUT)
        if log is None:
            return None
        return blobs, parse_log(log, marker)

    def _own(self, tracks: dict[str, Track]) -> dict[str, Track]:
        """The tracks of the files read (the sources and the cited files outside them): a log read
        without a pathspec walks the repository's other files too."""
        outside = set(self.outside)
        return {rel: track for rel, track in tracks.items() if rel in outside or self._in_sources(rel)}

    def _in_sources(self, rel: str) -> bool:
        return any(_under(rel, source) for source in self.sources)

    def _earlier(self, key: dict[str, Any]) -> _Stored | None:
        """The cache's histories of this repository at an earlier HEAD, read under the same
        settings and complete (not cut by the commit limit); None when there are none."""
        entry = self.cache.earlier(str(self.root))
        old_key = entry.get("key") if entry is not None else None
        if entry is None or not isinstance(old_key, dict) or not isinstance(old_key.get("head"), str):
            return None
        if {**old_key, "head": key["head"]} != key or old_key["head"] == key["head"]:
            return None
        earlier = _Stored.parse(entry)
        return earlier if earlier is not None and not earlier.truncated else None

    def _update(self, earlier: _Stored, key: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Track],
                                                                     dict[str, str]] | None:
        """The histories at HEAD from those kept at an earlier HEAD and the commits since: what a
        build after a commit reads instead of the whole history. Decisions kept for a file no new
        commit touched stay. None when the two cannot be joined (the earlier HEAD is not in
        HEAD's history: a rebase, a reset; or the commit limit is reached): read it all again."""
        old_head = earlier.entry["key"]["head"]
        if git(self.root, ["merge-base", "--is-ancestor", old_head, "HEAD"]).out is None:
            return None
        read = self._index_and_log(since=old_head)
        if read is None or earlier.read + len(read[1]) >= self.max_commits:
            return None
        blobs, entries = read
        tracks = self._own(walk(entries, self.boundaries, earlier.tracks))
        entry = _entry(key, tracks, blobs, False, self._horizon(tracks, []), earlier.read + len(entries))
        touched = {path for log_entry in entries for change in log_entry.changes
                   for path in (change.path, change.old_path) if path is not None}
        for rel, decided in earlier.entry["decisions"].items():
            if rel in touched or not isinstance(decided, dict) or not isinstance(decided.get("lines"), dict):
                continue
            entry["decisions"][rel] = decided
            for line in decided["lines"].values():
                sha = line[0] if isinstance(line, list) and line else None
                if isinstance(sha, str) and sha in earlier.entry["commits"]:
                    entry["commits"].setdefault(sha, earlier.entry["commits"][sha])
        return entry, tracks, blobs

    def _read_patches(self, wanted: Mapping[str, list[int]], tracks: Mapping[str, Track],
                      blobs: Mapping[str, str]) -> set[str]:
        """Read the ``-U0`` patches of the changes ``wanted`` (file -> indexes in its track, in
        order), in one ``git diff-tree`` of just their commits; the files whose patches did not come
        (git failed, or showed the change otherwise, as a rename the log paired differently)."""
        marker = secrets.token_hex(8)
        shas = dict.fromkeys(tracks[rel].changes[index][0].sha for rel, indexes in wanted.items() for index in indexes)
        names = sorted({name for rel in wanted for name in (tracks[rel].path, *tracks[rel].names)})
        # A few files by name (a commit that touched every card is not patched whole for one of them), many by pattern.
        specs = [literal(name) for name in names] if len(names) <= MAX_PATCH_PATHS else self._markdown_specs()
        result = git(self.root, [*patch_arguments(marker), "--", *specs], LOG_TIMEOUT,
                     stdin="".join(sha + "\n" for sha in shas).encode("ascii"))
        if result.out is None:
            self.errors.append(_tidy(result.error or "git diff-tree failed", self.root))
            return set(wanted)
        patched = parse_patches(result.out, marker)
        by_path: dict[tuple[str, str], list[Change]] = {}
        """The same changes by commit and path: a commit that touched every card is looked up, not scanned, per card."""
        for sha, changes in patched.items():
            for change in changes:
                by_path.setdefault((sha, change.path), []).append(change)
        failed: set[str] = set()
        for rel, indexes in wanted.items():
            track = tracks[rel]
            for index in indexes:
                commit, change = track.changes[index]
                # A change read from the cache has no path or blobs: it is the commit's change that follows on.
                candidates = by_path.get((commit.sha, change.path), ()) if change.path else patched.get(commit.sha, ())
                read = [candidate for candidate in candidates if follows(track, index, candidate, blobs.get(rel, ""))]
                if len(read) != 1 or read[0].hunks is None:
                    failed.add(rel)
                    break
                track.changes[index] = (commit, read[0])
        return failed

    def _horizon(self, tracks: Mapping[str, Track], cut_at: list[Commit]) -> dt.datetime | None:
        """Before when the history read is incomplete: the shallow boundary, or where the
        commit limit cut a log."""
        moments = [track.boundary.committed for track in tracks.values() if track.boundary is not None]
        moments += [commit.committed for commit in cut_at]
        return max(moments) if moments else None

    # --- decisions --------------------------------------------------------------------

    def _decide(self, cards: list[Card], head: str | None, changed: set[str], untracked: set[str], stored: _Stored,
                patches: dict[str, Track] | None, blobs: Mapping[str, str]) -> None:
        jobs: list[tuple[Card, str, list[int], str]] = []
        """Cards left to ``git blame``: edited locally, or their history does not compose."""
        traced: list[tuple[Card, str, list[int]]] = []
        """Cards whose decision lines are traced through the log's patches."""
        for card in cards:
            rel = self.rels[card.path]
            lines = [card.where("reviewers", i, "decision").line for i in range(len(card.reviewers))]
            found: Mapping[int, Attribution] | None = None
            content = "head"
            if head is None or rel in untracked or (rel not in stored.tracked and rel not in changed):
                found = {line: Attribution(None) for line in lines}
            elif rel in changed:
                content = _content_id(card.path)
                if rel not in stored.tracks and not stored.truncated and not self.boundaries:
                    found = {line: Attribution(None) for line in lines}  # added, never committed
            elif rel not in stored.tracks:
                found = {line: Attribution(None, boundary=True) for line in lines}  # older than the history read
            if found is None:
                found = stored.decisions(rel, content, lines)
            if found is None and patches is not None and content == "head" and rel in patches \
                    and chained(patches[rel], blobs.get(rel, "")):
                traced.append((card, rel, lines))
            elif found is None:
                jobs.append((card, rel, lines, content))
            else:
                self._record(card, lines, found)
        if patches is not None and traced:
            failed = self._trace(traced, patches, blobs)
            for card, rel, lines in traced:
                found = None if rel in failed else attribute(patches[rel], blobs.get(rel, ""), lines)
                if found is None:
                    jobs.append((card, rel, lines, "head"))
                else:
                    stored.remember(rel, "head", found)
                    self._record(card, lines, found)
        self._blame(jobs[:MAX_BLAMES], stored)
        self.unblamed = len(jobs[MAX_BLAMES:])

    def _trace(self, traced: list[tuple[Card, str, list[int]]], tracks: Mapping[str, Track],
               blobs: Mapping[str, str]) -> set[str]:
        """Read the patches the traced lines pass through, newest first, in rounds: the first two
        read one change of each file (a decision is usually recorded by a card's newest change or
        the one before), each next round twice as many as the last, for the lines not answered
        yet. Returns the files whose patches could not be read: they are left to ``git blame``."""
        failed: set[str] = set()
        pending = {rel: lines for _, rel, lines in traced}
        size, rounds = 1, 0
        while pending:
            wanted: dict[str, list[int]] = {}
            for rel, lines in pending.items():
                start = unread(tracks[rel], lines)
                if start is not None:
                    wanted[rel] = list(range(start, min(start + size, len(tracks[rel].changes))))
            if not wanted:
                break
            failed |= self._read_patches(wanted, tracks, blobs)
            pending = {rel: pending[rel] for rel in wanted if rel not in failed}
            rounds += 1
            size = 1 if rounds < 2 else size * 2
        return failed

    def _blame(self, jobs: list[tuple[Card, str, list[int], str]], stored: _Stored) -> None:
        if not jobs:
            return
        with ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1))) as pool:
            outputs = list(pool.map(lambda job: self._ask(blame_arguments(job[2], job[1]), BLAME_TIMEOUT), jobs))
        for (card, rel, lines, content), out in zip(jobs, outputs, strict=True):
            if out is None:
                continue
            found = parse_blame(out, self.boundaries)
            if all(line in found for line in lines):
                stored.remember(rel, content, found)
                self._record(card, lines, stored.decisions(rel, content, lines) or found)
        self.cache.touched()

    def _record(self, card: Card, lines: list[int], found: Mapping[int, Attribution]) -> None:
        self.records[card.path] = tuple(record(review.name, line, found.get(line), self.aliases)
                                        for review, line in zip(card.reviewers, lines, strict=True))

    # --- what is reported -------------------------------------------------------------

    def findings(self) -> list[Finding]:
        """One info finding at most: what this repository's history could not tell."""
        name = self.root.name or str(self.root)
        parts: list[str] = []
        hints: list[str] = []
        repository = self.repository
        if repository is not None and repository.shallow:
            when = f" before {repository.horizon.date().isoformat()}" if repository.horizon else ""
            parts.append(f"history{when} is not in this clone (a shallow clone): who created a card or recorded a "
                         "decision before then is not known")
            hints.append("fetch the whole history (git fetch --unshallow)")
        if repository is not None and repository.truncated:
            when = f" before {repository.horizon.date().isoformat()}" if repository.horizon else ""
            parts.append(f"only the newest {self.max_commits} commits were read: history{when} is not shown")
            hints.append("raise provenance.max_commits in mltrl-docs.yml")
        if self.unblamed:
            parts.append(f"{self.unblamed} card(s) were left for the next build (at most {MAX_BLAMES} git blame "
                         "runs a build)")
        if self.errors:
            parts.append("git could not answer: " + "; ".join(dict.fromkeys(self.errors)))
        if not parts:
            return []
        return [Finding(Severity.INFO, RULE, cut(f"provenance of repository '{name}': " + "; ".join(parts), 560),
                        self.root, hint="; ".join(hints) or None)]


def markdown_pathspec(folder: str) -> str:
    """A pathspec for every ``.md`` file under ``folder``, at any depth: git's default pathspec
    wildcard crosses ``/`` (the environment that would change that is dropped, see ``git``),
    and git matches it a fifth faster than ``:(glob)folder/**/*.md``, which names the same files."""
    return (glob_escape(folder) + "/" if folder else "") + "*.md"


def _under(rel: str, folder: str) -> bool:
    return not folder or rel == folder or rel.startswith(folder + "/")


def _status(out: bytes) -> tuple[str | None, set[str], set[str]]:
    """HEAD (None before the first commit), the files that differ from it and the untracked
    ones, from ``git status --porcelain=v2 -z --branch``."""
    head: str | None = None
    changed: set[str] = set()
    untracked: set[str] = set()
    records = out.split(b"\x00")
    index = 0
    while index < len(records):
        item = records[index]
        index += 1
        if item.startswith(b"# branch.oid "):
            value = item[13:].decode("ascii", "replace")
            head = None if value == "(initial)" else value
        elif item.startswith(b"1 "):
            changed.add(os.fsdecode(item.split(b" ", 8)[-1]))
        elif item.startswith(b"2 "):
            changed.add(os.fsdecode(item.split(b" ", 9)[-1]))
            index += 1  # the original path
        elif item.startswith(b"u "):
            changed.add(os.fsdecode(item.split(b" ", 10)[-1]))
        elif item.startswith(b"? "):
            untracked.add(os.fsdecode(item[2:]))
    return head, changed, untracked


def _index(out: bytes) -> dict[str, str]:
    """Path -> blob id, from ``git ls-files -s -z``."""
    blobs: dict[str, str] = {}
    for item in out.split(b"\x00"):
        meta, tab, path = item.partition(b"\t")
        if tab:
            parts = meta.split(b" ")
            if len(parts) == 3:
                blobs[os.fsdecode(path)] = parts[1].decode("ascii", "replace")
    return blobs


def _content_id(path: Path) -> str:
    """What a locally changed card's decisions are cached under: its content's hash."""
    try:
        return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "unreadable"


def _entry(key: dict[str, Any], tracks: Mapping[str, Track], blobs: Mapping[str, str], truncated: bool,
           horizon: dt.datetime | None, read: int) -> dict[str, Any]:
    """A repository's cache entry (plain JSON data)."""
    commits: dict[str, list[str]] = {}
    files: dict[str, list[Any]] = {}
    for rel, track in sorted(tracks.items()):
        for commit in [commit for commit, _ in track.changes] + ([track.boundary] if track.boundary else []):
            commits.setdefault(commit.sha, _commit_data(commit))
        files[rel] = [[commit.sha for commit, _ in track.changes], track.created.sha if track.created else None,
                      track.boundary.sha if track.boundary else None, list(track.names)]
    return {"key": key, "commits": commits, "files": files, "tracked": sorted(blobs), "truncated": truncated,
            "horizon": horizon.isoformat() if horizon else None, "read": read, "decisions": {}}


def _commit_data(commit: Commit) -> list[str]:
    return [commit.author, commit.email, commit.authored.isoformat(), commit.committed.isoformat(),
            commit.subject]


class _Stored:
    """A cache entry read back: tracks without patches, and cached decision lines."""

    def __init__(self, entry: dict[str, Any]) -> None:
        self.entry = entry
        self.commits: dict[str, Commit] = {}
        self.tracks: dict[str, Track] = {}
        self.tracked: set[str] = set()
        self.truncated = False
        self.read = 0
        """Commits the log that made the entry had (the commit limit counts them)."""
        self.horizon: dt.datetime | None = None

    @classmethod
    def empty(cls) -> _Stored:
        return cls({"decisions": {}})

    @classmethod
    def parse(cls, entry: dict[str, Any]) -> _Stored | None:
        """The entry read back; None when any part of it does not (a foreign or damaged file)."""
        stored = cls(entry)
        try:
            for sha, (author, email, authored, committed, subject) in entry["commits"].items():
                stored.commits[sha] = Commit(sha, author, email, dt.datetime.fromisoformat(authored),
                                             dt.datetime.fromisoformat(committed), subject)
            for rel, (shas, created, boundary, names) in entry["files"].items():
                stored.tracks[rel] = Track(rel, [(stored.commits[sha], _NO_CHANGE) for sha in shas],
                                           stored.commits[created] if created else None,
                                           stored.commits[boundary] if boundary else None, names=list(names))
            stored.tracked = set(entry["tracked"])
            stored.truncated = bool(entry["truncated"])
            stored.read = int(entry["read"])
            stored.horizon = dt.datetime.fromisoformat(entry["horizon"]) if entry["horizon"] else None
            if not isinstance(entry["decisions"], dict):
                return None
        except (KeyError, TypeError, ValueError, AttributeError):
            return None
        return stored

    def decisions(self, rel: str, content: str, lines: Iterable[int]) -> dict[int, Attribution] | None:
        """The cached attributions of ``lines`` of a file with this content; None unless all are."""
        stored = self.entry["decisions"].get(rel)
        if not isinstance(stored, dict) or stored.get("content") != content:
            return None
        found: dict[int, Attribution] = {}
        try:
            for line in lines:
                sha, boundary = stored["lines"][str(line)]
                commit = self.commits.get(sha) if sha else None
                if sha and commit is None:
                    return None
                found[line] = Attribution(commit, bool(boundary))
        except (KeyError, TypeError, ValueError):
            return None
        return found

    def remember(self, rel: str, content: str, found: Mapping[int, Attribution]) -> None:
        """Keep attributions (and their commits) for the next build."""
        decisions = self.entry["decisions"]
        stored = decisions.get(rel)
        usable = isinstance(stored, dict) and stored.get("content") == content and isinstance(stored.get("lines"), dict)
        if not usable:
            stored = decisions[rel] = {"content": content, "lines": {}}
        for line, attribution in found.items():
            commit = attribution.commit
            if commit is not None:
                known = self.commits.setdefault(commit.sha, commit)
                self.entry.setdefault("commits", {}).setdefault(commit.sha, _commit_data(known))
            stored["lines"][str(line)] = [commit.sha if commit else None, attribution.boundary]
