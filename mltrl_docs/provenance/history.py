"""Every dossier file's history from one ``git log`` per repository, and who wrote which line.

A site has thousands of cards, so git is never asked about one file at a time: one
``git log --raw`` lists every commit that touched the sources with the files it changed
(renames followed), and the files' histories are read off it, newest first. Which commit
last changed a line (what ``git blame`` answers) is read off the ``-U0`` patches of the
changes the line passes through, newest first (``unread`` says which to read next): a
``git blame`` walks the whole commit graph, 0.3 s a card in a 15,000-commit repository.
The patches answer only where they compose (each change starts from the blob the older one
left: ``chained``); a file whose history does not (a merge that edited it) is left to ``git blame``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mltrl_docs.findings import cut

MAX_SUBJECT = 200
"""Characters of a commit subject kept (a pasted log as a subject is cut)."""

_RAW = re.compile(rb":[0-7]+ [0-7]+ ([0-9a-f]+) ([0-9a-f]+) ([A-Z])[0-9]*\x00([^\x00]*)\x00")
"""One raw entry of ``-z`` output up to its first path: the blobs, the status letter, the path
(a rename's or copy's new path follows, up to the next NUL)."""

_HUNK = re.compile(rb"\n@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
"""One hunk's header: old start and count, new start and count (a count of 1 is left out)."""

Hunk = tuple[int, int, int, int]
"""A ``-U0`` hunk: old start, old count, new start, new count (``@@ -a,b +c,d @@``)."""


@dataclass(frozen=True, slots=True)
class Commit:
    """One commit, as a page names it."""

    sha: str
    author: str
    """The author's name, after the repository's ``.mailmap``."""
    email: str
    authored: dt.datetime
    """When the change was written (keeps the author's time zone)."""
    committed: dt.datetime
    """When it entered the history: what "after" means between commits."""
    subject: str

    @property
    def short(self) -> str:
        """The hash's first seven digits, as pages name a commit."""
        return self.sha[:7]

    @property
    def day(self) -> dt.date:
        """The day the change was written, in its author's time zone, as pages date a commit."""
        return self.authored.date()


@dataclass(frozen=True, slots=True)
class FileHistory:
    """What git knows about one file: who created it, who changed it and when."""

    path: Path
    commits: tuple[Commit, ...] = ()
    """Every commit that changed the file (under this or an earlier name), newest first."""
    created: Commit | None = None
    """The commit that added it; None when that is older than the history read (see ``shallow``
    and ``truncated``) or it was never committed."""
    local_changes: bool = False
    """The file differs from the last commit (edited, staged or deleted, not yet committed)."""
    untracked: bool = False
    """Git does not track the file (never added, or ignored)."""
    shallow: bool = False
    """The clone's history is cut before the file's creation: older commits are not here."""
    truncated: bool = False
    """The history read stopped at the ``provenance.max_commits`` limit before the file's creation."""
    names: tuple[str, ...] = ()
    """Earlier paths of the file in its repository, newest first (renames followed)."""
    horizon: dt.datetime | None = None
    """When ``shallow`` or ``truncated``: the history before this moment was not seen."""

    @property
    def changed(self) -> Commit | None:
        """The last commit that changed the file (None: none seen)."""
        return self.commits[0] if self.commits else None

    @property
    def complete(self) -> bool:
        """The history reaches back to the file's creation."""
        return self.created is not None


@dataclass(frozen=True, slots=True)
class Change:
    """One file in one commit, as ``git log --raw`` shows it (and its ``-U0`` hunks)."""

    status: str
    """A, M, D, T or R (added, modified, deleted, type changed, renamed)."""
    old_blob: str
    new_blob: str
    path: str
    """The path after the commit, relative to the repository root."""
    old_path: str | None = None
    """The path before a rename."""
    hunks: tuple[Hunk, ...] | None = None
    """None: no patch was read for it, or it could not be read."""


@dataclass(frozen=True, slots=True)
class LogEntry:
    commit: Commit
    changes: tuple[Change, ...]


def log_arguments(marker: str, max_commits: int, since: str | None = None) -> list[str]:
    """``git log`` options for ``parse_log``: every field NUL-separated behind ``marker``, each
    commit's files with their blobs (``--raw``); the commits of HEAD's history, or (``since``, a
    commit of that history) only those after it."""
    return [*_log_format(marker), f"--max-count={max_commits}", "--raw", f"{since}..HEAD" if since else "HEAD"]


def patch_arguments(marker: str) -> list[str]:
    """``git diff-tree`` options for ``parse_patches``: the commits named on standard input, one
    per line, each with its raw entries and their ``-U0`` patches: the changes a traced line
    passes through. Plumbing, not ``git log --no-walk``: the log diffs each commit's trees twice
    (once more to tell whether the pathspec touched it), a third of the work of a round."""
    return ["diff-tree", "--stdin", f"--format=%x00%x00{marker}%x00%H%x00", "-z", "--no-abbrev", "-M", "--root",
            "--raw", "-p", "-U0", "--no-color", "--no-ext-diff", "--no-textconv", "--diff-algorithm=myers",
            "--indent-heuristic"]


def _log_format(marker: str) -> list[str]:
    fields = "%H%x00%aN%x00%aE%x00%aI%x00%cI%x00%s"  # hash, author (.mailmap applied), dates, subject
    return ["log", f"--format=%x00%x00{marker}%x00{fields}%x00", "-z", "--no-abbrev", "-M", "--root",
            "--no-color", "--no-ext-diff", "--no-textconv", "--encoding=UTF-8"]


def parse_log(out: bytes, marker: str) -> list[LogEntry]:
    """The commits of ``git log log_arguments(marker, ...)``, newest first."""
    entries: list[LogEntry] = []
    for chunk in out.split(b"\x00\x00" + marker.encode("ascii") + b"\x00")[1:]:
        parts = chunk.split(b"\x00", 6)
        if len(parts) < 7:
            continue
        commit = _commit(parts[:6])
        if commit is None:
            continue
        entries.append(LogEntry(commit, _changes(parts[6])))
    return entries


def parse_patches(out: bytes, marker: str) -> dict[str, list[Change]]:
    """Each commit's changes, with their hunks, from ``git diff-tree patch_arguments(marker)``."""
    patched: dict[str, list[Change]] = {}
    for chunk in out.split(b"\x00\x00" + marker.encode("ascii") + b"\x00")[1:]:
        sha, _, rest = chunk.partition(b"\x00")
        patched.setdefault(sha.decode("ascii", "replace"), []).extend(_changes(rest))
    return patched


def _commit(parts: Sequence[bytes]) -> Commit | None:
    sha, author, email, authored, committed, subject = (part.decode("utf-8", "replace") for part in parts)
    try:
        return Commit(sha, author, email, dt.datetime.fromisoformat(authored),
                      dt.datetime.fromisoformat(committed), cut(subject, MAX_SUBJECT))
    except ValueError:
        return None


def _changes(rest: bytes) -> tuple[Change, ...]:
    """The raw entries, then (with ``-p``) one patch section per entry, in the same order."""
    raw: list[tuple[str, str, str, str, str | None]] = []
    pos = len(rest) - len(rest.lstrip(b"\x00\n"))
    while (entry := _RAW.match(rest, pos)) is not None:
        old_blob, new_blob, status, first = entry.groups()
        pos = entry.end()
        if status in (b"R", b"C"):
            second_end = rest.find(b"\x00", pos)
            if second_end < 0:
                break
            raw.append((status.decode("ascii"), old_blob.decode("ascii"), new_blob.decode("ascii"),
                        os.fsdecode(rest[pos:second_end]), os.fsdecode(first)))
            pos = second_end + 1
        else:
            raw.append((status.decode("ascii"), old_blob.decode("ascii"), new_blob.decode("ascii"),
                        os.fsdecode(first), None))
    patch = rest[pos:].lstrip(b"\x00\n")
    sections = patch.split(b"\ndiff --git ") if patch.startswith(b"diff --git ") else []
    if len(sections) != len(raw):  # no patch, or not one section per file: no hunks rather than wrong ones
        return tuple(Change(*fields) for fields in raw)
    return tuple(Change(*fields, _hunks(section)) for fields, section in zip(raw, sections, strict=True))


def _hunks(section: bytes) -> tuple[Hunk, ...] | None:
    """The ``@@ -a,b +c,d @@`` headers of one file's patch (content lines start with
    ``+``, ``-``, a space or a backslash, so a header is never confused with content); None
    when a header does not read as one (no hunks rather than wrong ones)."""
    hunks = [(int(old_start), int(old_count or 1), int(new_start), int(new_count or 1))
             for old_start, old_count, new_start, new_count in _HUNK.findall(section)]
    return tuple(hunks) if len(hunks) == section.count(b"\n@@ -") else None


def is_zero(blob: str) -> bool:
    """The null object id git shows for "no file" (40 or 64 zeros)."""
    return not blob.strip("0")


@dataclass(slots=True, eq=False)
class Track:
    """One file existing at HEAD, while the log is walked back: its changes, newest first."""

    path: str
    changes: list[tuple[Commit, Change]] = field(default_factory=list)
    created: Commit | None = None
    boundary: Commit | None = None
    """The shallow clone's boundary commit that shows the file as added: history stops here."""
    boundary_blob: str = ""
    """The file's blob in the boundary commit."""
    names: list[str] = field(default_factory=list)


def walk(entries: Iterable[LogEntry], boundaries: frozenset[str],
         older: Mapping[str, Track] | None = None) -> dict[str, Track]:
    """Each file's changes, keyed by its path at HEAD, following renames back in time.

    ``boundaries`` are the shallow clone's cut commits: git shows every file as added in
    them (it does not have their parents), which is where the history stops, not a creation.
    ``older``: when ``entries`` are only the commits since an earlier HEAD, the tracks read at
    that HEAD (keyed by their paths then), which the walk continues into: a file the new
    commits did not touch keeps its track, one they changed or renamed goes on into its old one."""
    alive: dict[str, Track] = {}
    """The name a tracked file has at this point of the walk -> its track."""
    dead: set[str] = set()
    """Names whose older changes belong to no file of HEAD (deleted, or added again later)."""
    tracks: dict[str, Track] = {}
    for entry in entries:
        for change in entry.changes:
            if change.status == "D":
                if change.path not in alive:
                    dead.add(change.path)
                continue
            track = alive.get(change.path)
            if track is None:
                if change.path in dead or change.path in tracks:
                    continue
                track = alive[change.path] = tracks[change.path] = Track(change.path)
            if change.status == "A" and entry.commit.sha in boundaries:
                track.boundary, track.boundary_blob = entry.commit, change.new_blob
            else:
                track.changes.append((entry.commit, change))
            if change.status == "A":
                track.created = None if entry.commit.sha in boundaries else entry.commit
                del alive[change.path]
                dead.add(change.path)
            elif change.status == "R" and change.old_path is not None:
                del alive[change.path]
                dead.add(change.path)
                alive[change.old_path] = track
                dead.discard(change.old_path)
                track.names.append(change.old_path)
    for name, earlier in (older or {}).items():
        track = alive.get(name)
        if track is not None:  # changed since, under this name at the earlier HEAD
            track.changes += earlier.changes
            track.created, track.boundary = earlier.created, earlier.boundary
            track.boundary_blob = earlier.boundary_blob
            track.names += earlier.names
        elif name not in dead and name not in tracks:
            tracks[name] = earlier  # untouched since
    return tracks


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who last changed one line, as far as the history read shows."""

    commit: Commit | None
    """None: the line is not committed yet, or (with ``boundary``) older than the history read."""
    boundary: bool = False
    """The line is as old as the history read: ``commit`` (if any) is where that history stops,
    not necessarily the commit that wrote the line."""


def attribute(track: Track, head_blob: str, lines: Iterable[int]) -> dict[int, Attribution] | None:
    """The commit that last changed each of ``lines`` (1-based, in the file as committed at
    HEAD), read off the track's ``-U0`` hunks; None when they do not compose into the file's
    history (a merge changed it), or a change the lines pass through has no patch read, or a
    binary one: ``git blame`` must answer."""
    if not chained(track, head_blob):
        return None
    found: dict[int, Attribution] = {}
    for line in set(lines):
        traced = _trace(track, line)
        if not isinstance(traced, Attribution):
            return None
        found[line] = traced
    return found


def unread(track: Track, lines: Iterable[int]) -> int | None:
    """The newest change (its index in ``track.changes``) that one of ``lines`` reaches without
    its patch read: what to read next. None: every change the lines pass through is read (a
    line traced is usually answered by the file's newest change or two, so only those are read)."""
    reached = [traced for traced in (_trace(track, line) for line in set(lines)) if isinstance(traced, int)]
    return min(reached) if reached else None


def chained(track: Track, head_blob: str) -> bool:
    """Each change starts from the blob the next older one left and the newest leaves HEAD's:
    the changes' patches, once read, compose into the file's history (a merge that edited the
    file breaks the chain). Told from the blobs alone, before any patch is read."""
    expected = head_blob
    for _, change in track.changes:
        if not change.new_blob:
            return True  # a change the cache kept without its blobs: they come with its patch (``follows``)
        if change.new_blob != expected:
            return False
        expected = change.old_blob
    if track.created is not None:
        return is_zero(expected)
    if track.boundary is not None:
        return expected == track.boundary_blob
    return True


def follows(track: Track, index: int, read: Change, head_blob: str) -> bool:
    """Whether ``read`` (a change as its patch shows it) is the track's change at ``index``:
    the same blobs, or, for a change the cache kept without its blobs, one that leaves the blob
    the newer change started from (the chain ``chained`` checks, continued as patches are read)."""
    change = track.changes[index][1]
    if change.new_blob:
        return (read.old_blob, read.new_blob) == (change.old_blob, change.new_blob)
    newer = track.changes[index - 1][1].old_blob if index else head_blob
    return bool(newer) and read.new_blob == newer


def _trace(track: Track, line: int) -> Attribution | int | None:
    """Where ``line`` was last changed; or the index of the change it reaches whose patch is not
    read; or None at a binary change (no lines to follow)."""
    for index, (commit, change) in enumerate(track.changes):
        if change.status == "A":
            return Attribution(commit)
        if change.hunks is None:
            return index
        if not change.hunks and change.old_blob != change.new_blob:
            return None
        moved = line
        for _, old_count, new_start, new_count in change.hunks:
            if new_count and new_start <= line < new_start + new_count:
                return Attribution(commit)
            if (new_start + new_count - 1 if new_count else new_start) < line:
                moved += old_count - new_count
        line = moved
    return Attribution(track.boundary, boundary=True)


def file_history(path: Path, track: Track | None, *, local_changes: bool, untracked: bool, shallow_repo: bool,
                 truncated_log: bool, horizon: dt.datetime | None) -> FileHistory:
    """A file's history from its track (None: no commit of it was seen)."""
    if track is None:
        cut_off = not untracked and (shallow_repo or truncated_log)
        return FileHistory(path, local_changes=local_changes, untracked=untracked,
                           shallow=cut_off and shallow_repo, truncated=cut_off and not shallow_repo and truncated_log,
                           horizon=horizon if cut_off else None)
    shallow = track.created is None and track.boundary is not None
    truncated = track.created is None and not shallow and truncated_log
    return FileHistory(path, tuple(commit for commit, _ in track.changes), track.created, local_changes, untracked,
                       shallow, truncated, tuple(track.names), horizon if shallow or truncated else None)
