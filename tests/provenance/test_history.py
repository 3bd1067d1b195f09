"""history.py: one ``git log`` read into every file's history, and lines traced through patches."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from mltrl_docs.provenance.git import git, glob_escape, literal
from mltrl_docs.provenance.history import (
    Attribution,
    Change,
    Commit,
    Track,
    attribute,
    log_arguments,
    parse_log,
    parse_patches,
    patch_arguments,
    unread,
    walk,
)
from mltrl_docs.provenance.report import markdown_pathspec

from .support import Repo, needs_git

WHEN = dt.datetime(2024, 3, 1, tzinfo=dt.UTC)


def commit(sha: str) -> Commit:
    return Commit(sha * 40, "Ada", "ada@example.org", WHEN, WHEN, sha)


@needs_git
def test_paths_with_spaces_unicode_and_newlines_are_read_whole(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.write("d/a b/é\nnew line.md", "one\n")
    repo.write("d/plain.csv", "x\n")
    first = repo.commit("Add; subject with\ttab")
    repo.git("mv", "d/a b/é\nnew line.md", "d/moved\t.md")
    repo.write("d/plain.csv", "y\n")
    second = repo.commit("Move", who="Ben Osei")
    out = git(repo.root, [*log_arguments("m4rk", 100), "--", literal("d")]).out
    assert out is not None
    entries = parse_log(out, "m4rk")
    assert [entry.commit.sha for entry in entries] == [second, first]
    assert entries[0].commit.author == "Ben Osei" and entries[1].commit.subject == "Add; subject with\ttab"
    renamed = next(change for change in entries[0].changes if change.status == "R")
    assert (renamed.old_path, renamed.path) == ("d/a b/é\nnew line.md", "d/moved\t.md")
    assert renamed.hunks is None  # the log reads no patch
    patched = git(repo.root, [*patch_arguments("m4rk"), "--", literal("d")], stdin=(second + "\n").encode()).out
    assert patched is not None
    (changes,) = parse_patches(patched, "m4rk").values()
    renamed = next(change for change in changes if change.status == "R")
    assert (renamed.old_path, renamed.path) == ("d/a b/é\nnew line.md", "d/moved\t.md")
    assert renamed.hunks == ()  # a pure rename has no hunks
    tracks = walk(entries, frozenset())
    assert set(tracks) == {"d/moved\t.md", "d/plain.csv"}
    moved = tracks["d/moved\t.md"]
    assert moved.names == ["d/a b/é\nnew line.md"] and moved.created is not None and moved.created.sha == first
    assert [c.sha for c, _ in tracks["d/plain.csv"].changes] == [second, first]


@needs_git
def test_glob_escape_keeps_a_folders_wildcards_literal(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.write("[a]*/x.md", "1\n")
    repo.write("a-other/x.md", "1\n")
    repo.commit("Add")
    pathspec = ":(glob)" + glob_escape("[a]*") + "/**/*.md"
    out = git(repo.root, ["log", "--format=", "--name-only", "-z", "--", pathspec]).out
    assert out is not None and out.strip(b"\x00\n").split(b"\x00") == [b"[a]*/x.md"]


@needs_git
@pytest.mark.parametrize("folder", ["[a]*", "d", ""])
def test_the_markdown_pathspec_names_every_md_file_under_its_folder_at_any_depth(tmp_path: Path, folder: str) -> None:
    """The faster default-magic pathspec names what ``:(glob)folder/**/*.md`` names, and no other file."""
    repo = Repo(tmp_path / "repo")
    prefix = folder + "/" if folder else ""
    for rel in ["x.md", "deep/er/y.md", "deep/z.csv", "deep/w.md.txt"]:
        repo.write(prefix + rel, "1\n")
    repo.write("a-other/x.md", "1\n")
    repo.commit("Add")

    def named(*specs: str) -> set[bytes]:
        out = git(repo.root, ["log", "--format=", "--name-only", "-z", "--", *specs]).out
        assert out is not None
        return {name for name in out.strip(b"\x00\n").split(b"\x00") if name}

    markdown = named(markdown_pathspec(folder))
    glob = ":(glob)" + (glob_escape(folder) + "/" if folder else "") + "**/*.md"
    assert markdown == named(glob) and prefix.encode() + b"deep/er/y.md" in markdown
    assert (folder == "") == (b"a-other/x.md" in markdown)
    assert not any(name.endswith((b".csv", b".txt")) for name in markdown)


HEADER = b"\x00\x00m\x00h\x00Ada\x00ada@example.org\x00"
DAY = b"2024-03-01T00:00:00+00:00\x00"


@pytest.mark.parametrize("garbage", [
    b"", b"\x00\x00m\x00", b"\x00\x00m\x00abc\x00", b"\x00\x00m\x00" + b"\x00" * 9,
    HEADER + b"not a date\x00" + DAY + b"s\x00",
    HEADER + DAY + DAY + b"s\x00\x00\n:100644 100644 a\x00",
    HEADER + DAY + DAY + b"s\x00\x00\n:100644 100644 a b M\x00f.md\x00\x00diff --git a/f.md b/f.md\n@@ -x +y @@\n",
])
def test_output_that_is_not_a_log_is_never_an_exception(garbage: bytes) -> None:
    for entry in parse_log(garbage, "m"):
        assert isinstance(entry.commit, Commit)


def test_a_file_deleted_and_added_again_starts_at_its_new_addition() -> None:
    from mltrl_docs.provenance.history import LogEntry
    entries = [LogEntry(commit("c"), (Change("A", "0" * 40, "3" * 40, "f.md"),)),
               LogEntry(commit("b"), (Change("D", "2" * 40, "0" * 40, "f.md"),)),
               LogEntry(commit("a"), (Change("A", "0" * 40, "2" * 40, "f.md"),))]
    track = walk(entries, frozenset())["f.md"]
    assert [c.sha[0] for c, _ in track.changes] == ["c"] and track.created == commit("c")


def test_a_shallow_boundary_is_where_history_stops_not_a_creation() -> None:
    from mltrl_docs.provenance.history import LogEntry
    entries = [LogEntry(commit("b"), (Change("M", "1" * 40, "2" * 40, "f.md", hunks=((1, 1, 1, 1),)),)),
               LogEntry(commit("a"), (Change("A", "0" * 40, "1" * 40, "f.md"),))]
    track = walk(entries, frozenset({"a" * 40}))["f.md"]
    assert track.created is None and track.boundary == commit("a") and len(track.changes) == 1
    assert attribute(track, "2" * 40, [1, 2]) == {1: Attribution(commit("b")),
                                                  2: Attribution(commit("a"), boundary=True)}


def line_track(*changes: tuple[str, tuple[tuple[int, int, int, int], ...]]) -> Track:
    """A file's track from (commit letter, hunks), newest first; blobs chained 9, 8, 7, ..."""
    track = Track("f.md")
    blob = 9
    for letter, hunks in changes:
        old = "0" * 40 if not hunks and letter == changes[-1][0] else str(blob - 1) * 40
        status = "A" if old == "0" * 40 else "M"
        track.changes.append((commit(letter), Change(status, old, str(blob) * 40, "f.md", hunks=hunks)))
        blob -= 1
    track.created = commit(changes[-1][0])
    return track


def test_lines_are_traced_through_insertions_and_deletions() -> None:
    # a: lines 1-5 written. b: line 2 deleted, a line added after line 4 (old 5 -> new 4, 5 is b's).
    # c: a line inserted at the top (everything moves down one).
    track = line_track(("c", ((0, 0, 1, 1),)), ("b", ((2, 1, 1, 0), (4, 0, 4, 1))), ("a", ()))
    found = attribute(track, "9" * 40, range(1, 7))
    assert found is not None
    assert {line: att.commit.sha[0] for line, att in found.items() if att.commit} == {
        1: "c", 2: "a", 3: "a", 4: "a", 5: "b", 6: "a"}


def test_patches_that_do_not_compose_are_left_to_git_blame() -> None:
    track = line_track(("b", ((1, 1, 1, 1),)), ("a", ()))
    assert attribute(track, "5" * 40, [1]) is None  # HEAD's blob is not the newest change's
    missing = Track("f.md", [(commit("b"), Change("M", "8" * 40, "9" * 40, "f.md", hunks=None))])
    assert attribute(missing, "9" * 40, [1]) is None
    binary = Track("f.md", [(commit("b"), Change("M", "8" * 40, "9" * 40, "f.md", hunks=()))])
    assert attribute(binary, "9" * 40, [1]) is None


def test_unread_names_the_next_patch_a_line_needs_and_none_once_it_is_answered() -> None:
    # c: line 1 inserted at the top; b: line 3 edited; a: created. Nothing read yet.
    track = line_track(("c", ((0, 0, 1, 1),)), ("b", ((3, 1, 3, 1),)), ("a", ()))
    hunks = [change.hunks for _, change in track.changes]
    track.changes = [(c, Change(ch.status, ch.old_blob, ch.new_blob, ch.path)) for c, ch in track.changes]
    assert unread(track, [1, 4]) == 0
    assert attribute(track, "9" * 40, [1]) is None  # a patch it passes through is not read
    c, change = track.changes[0]
    track.changes[0] = (c, Change(change.status, change.old_blob, change.new_blob, change.path, hunks=hunks[0]))
    assert unread(track, [1]) is None  # answered by c
    assert unread(track, [1, 4]) == 1  # line 4 was line 3 before c: b's patch is next
    b, change = track.changes[1]
    track.changes[1] = (b, Change(change.status, change.old_blob, change.new_blob, change.path, hunks=hunks[1]))
    assert unread(track, [1, 4, 2]) is None  # line 2 (1 before c, 1 in b) reaches a: an addition needs no patch
    found = attribute(track, "9" * 40, [1, 4, 2])
    assert found is not None and {n: a.commit.sha[0] for n, a in found.items() if a.commit} == {1: "c", 4: "b", 2: "a"}


@needs_git
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_lines_traced_through_random_edits_agree_with_git_blame(tmp_path: Path, seed: int) -> None:
    """Thirty commits of random insertions, deletions, edits and a rename: every line's
    commit, read off the patches, is the one git blame names."""
    import random

    from mltrl_docs.provenance.blame import blame_arguments, parse_blame
    rng = random.Random(seed)
    repo = Repo(tmp_path / "repo")
    lines = [f"line {i}" for i in range(20)]
    name = "d/card.md"
    repo.write(name, "\n".join(lines) + "\n")
    repo.commit("Start")
    for step in range(30):
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(lines) + 1)
            action = rng.choice(["insert", "delete", "edit"]) if lines else "insert"
            if action == "insert":
                lines[at:at] = [f"new {step}.{i}" for i in range(rng.randint(1, 3))]
            elif action == "delete" and at < len(lines):
                del lines[at:at + rng.randint(1, 2)]
            elif at < len(lines):
                lines[at] = f"edited {step}"
        lines.insert(rng.randrange(len(lines) + 1), f"always {step}")  # never an empty commit
        if step == 15:
            repo.git("mv", name, "d/renamed card.md")
            name = "d/renamed card.md"
        repo.write(name, "\n".join(lines) + "\n")
        repo.commit(f"Step {step}", who=rng.choice(["Ada Okafor", "Ben Osei", "Lin Chen"]))
    out = git(repo.root, [*log_arguments("m", 1000), "--", literal("d")]).out
    index = git(repo.root, ["ls-files", "-s", "--", name]).out
    assert out is not None and index is not None
    track = walk(parse_log(out, "m"), frozenset())[name]
    # Every change's patch, read as the rounds read them: the commits named on standard input.
    shas = "".join(commit.sha + "\n" for commit, _ in track.changes)
    patched = git(repo.root, [*patch_arguments("m"), "--", markdown_pathspec("d")], stdin=shas.encode()).out
    assert patched is not None
    read = {(sha, change.path): change for sha, changes in parse_patches(patched, "m").items() for change in changes}
    track.changes = [(commit, read[commit.sha, change.path]) for commit, change in track.changes]
    every = range(1, len(lines) + 1)
    ours = attribute(track, index.split()[1].decode(), every)
    blamed = git(repo.root, blame_arguments(every, name)).out
    assert ours is not None and blamed is not None
    theirs = parse_blame(blamed)
    assert {line: found.commit.sha for line, found in ours.items() if found.commit} == {
        line: found.commit.sha for line, found in theirs.items() if found.commit}
