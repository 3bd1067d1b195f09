"""Readings reused across builds while a file's bytes are the same."""

from __future__ import annotations

import os
from pathlib import Path

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
    assert again.projects["B"].current.title == "Renamed"
    assert [t.term for t in again.projects["A"].glossary] == ["drift"]
    assert found_again == found


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
