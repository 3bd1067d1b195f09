"""Readings reused across builds while a file's bytes are the same."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from mltrl_docs.dossier import load_dossier
from mltrl_docs.filecache import FileCache


def test_a_reading_is_reused_while_the_bytes_are_the_same(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("one", encoding="utf-8")
    cache, calls = FileCache(), []

    def reader() -> str:
        calls.append(1)
        return path.read_text(encoding="utf-8")

    assert cache.read(path, "how", reader) == "one"
    assert cache.read(path, "how", reader) == "one" and len(calls) == 1 and cache.hits == 1
    assert cache.read(path, "other way", reader) == "one" and len(calls) == 2
    stamp = os.stat(path).st_mtime_ns
    path.write_text("two", encoding="utf-8")
    os.utime(path, ns=(stamp, stamp))  # same date, other bytes: read again
    assert cache.read(path, "how", reader) == "two" and len(calls) == 3


def test_a_sweep_forgets_files_the_build_did_not_read(tmp_path: Path) -> None:
    cache = FileCache()
    for name in ("a", "b"):
        (tmp_path / name).write_text(name, encoding="utf-8")
        cache.read(tmp_path / name, None, lambda: 1)
    cache.sweep()
    cache.read(tmp_path / "a", None, lambda: 1)
    cache.sweep()
    assert len(cache) == 1 and cache.hits == 0


def test_a_missing_file_or_a_pipe_is_never_cached(tmp_path: Path) -> None:
    cache = FileCache()
    assert cache.read(tmp_path / "gone.md", None, lambda: "reported") == "reported" and len(cache) == 0
    os.mkfifo(tmp_path / "pipe.md")
    assert cache.read(tmp_path / "pipe.md", None, lambda: "reported") == "reported" and len(cache) == 0


def test_a_dossier_loaded_again_reuses_every_unchanged_card(write_card, write, tmp_path: Path) -> None:
    write_card("src/a/L1.md", project="A", level=1)
    write_card("src/a/L2.md", project="A", level=2, date="2024-06-01", transition={"from": 1, "kind": "advance"})
    write_card("src/b/L1.md", project="B", level=1)
    write("src/a/glossary.yml", "mltrl: 1\nterms:\n  - term: drift\n    definition: change in the data\n")
    cache = FileCache()
    first, found = load_dossier([tmp_path / "src"], files=cache)
    assert cache.misses == 4
    cache.sweep()
    write_card("src/b/L1.md", project="B", level=1, title="Renamed")
    again, found_again = load_dossier([tmp_path / "src"], files=cache)
    assert (cache.hits, cache.misses) == (3, 1)
    assert again.projects["A"].cards == first.projects["A"].cards
    assert again.projects["A"].cards[0] is first.projects["A"].cards[0]
    assert again.projects["A"] is first.projects["A"]  # made of the same readings: the very same project
    assert again.projects["B"] is not first.projects["B"]
    assert again.projects["B"].current.title == "Renamed"
    assert [t.term for t in again.projects["A"].glossary] == ["drift"]
    assert found_again == found
    cache.sweep()
    write("src/a/glossary.yml", "mltrl: 1\nterms:\n  - term: drift\n    definition: change in the inputs\n")
    third, _ = load_dossier([tmp_path / "src"], files=cache)
    assert third.projects["A"] is not first.projects["A"] and third.projects["B"] is again.projects["B"]
    assert third.projects["A"].glossary[0].definition == "change in the inputs"


def test_the_bytes_a_build_read_are_there_for_what_else_publishes_the_file(tmp_path: Path) -> None:
    """``data``: each file's bytes as this build read them, until a sweep of a build that did not read it."""
    cache = FileCache()
    for name in ("a", "b"):
        (tmp_path / name).write_text(name, encoding="utf-8")
        cache.read(tmp_path / name, None, lambda: 1)
    (tmp_path / "a").write_text("a, later", encoding="utf-8")
    assert cache.data(tmp_path / "a") == b"a" and cache.data(tmp_path / "gone") is None
    cache.sweep()
    cache.read(tmp_path / "a", "another way", lambda: 2)
    cache.sweep()
    assert cache.data(tmp_path / "a") == b"a, later" and cache.data(tmp_path / "b") is None
    (tmp_path / "a").unlink()
    cache.read(tmp_path / "a", None, lambda: 3)
    assert cache.data(tmp_path / "a") is None


def test_a_file_settled_before_its_reading_is_not_read_again_while_its_status_is_the_same(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The status (inode, size, times) stands for the bytes only when the file last changed well
    before the reading (``SETTLED_NS``): a file changed just before it was read is read every
    time, and any change after the reading gives it another status (its change time at least)."""
    from mltrl_docs import filecache

    path = tmp_path / "card.md"
    path.write_text("one", encoding="utf-8")
    cache, opened = FileCache(), []
    real = open
    monkeypatch.setattr("builtins.open", lambda file, *args, **kw: opened.append(file) or real(file, *args, **kw))
    for _ in range(2):  # changed a moment ago: read each time
        assert cache.read(path, None, lambda: 1) == 1
    assert len(opened) == 2
    monkeypatch.setattr(filecache, "SETTLED_NS", -10**18)  # as if it had changed long before
    cache.read(path, None, lambda: 1)
    opened.clear()
    assert cache.read(path, None, lambda: 2) == 1 and opened == [] and cache.data(path) == b"one"
    stamp = os.stat(path).st_mtime_ns
    time.sleep(0.03)  # a later clock tick (the kernel stamps files with a clock of 1-10 ms ticks)
    path.write_text("two", encoding="utf-8")
    os.utime(path, ns=(stamp, stamp))  # the same size and date, other bytes: the change time tells
    assert cache.read(path, None, lambda: 3) == 3 and opened == [path] and cache.data(path) == b"two"
    path.unlink()
    path.write_text("three", encoding="utf-8")  # another file by the same name
    assert cache.read(path, None, lambda: 4) == 4 and cache.data(path) == b"three"
