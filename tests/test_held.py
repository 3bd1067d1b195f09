"""Generated pages held between their render and their build (mltrl_docs.held): in a spill file,
or compressed in memory where no file can be written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mltrl_docs.held import Held

HTML = "<p>Ünïcode – 漢字 🙂 &amp; a lone surrogate \ud800</p>" * 50


def _holds_and_gives_back(held: Held) -> None:
    held.hold("dossier/P01/index.md", HTML, "<p>search view</p>")
    held.hold("dossier/P02/index.md", "<p>no view</p>", None)
    held.hold("dossier/P03/index.md", "", "")
    assert held.shown("dossier/P01/index.md") == (HTML, "<p>search view</p>")
    held.hold("dossier/P04/index.md", "<p>held after a page was read back</p>", "<p>4</p>")
    assert held.shown("dossier/P01/index.md") == (HTML, "<p>search view</p>")  # still held: serve builds again
    assert held.shown("dossier/P02/index.md") == ("<p>no view</p>", None)
    assert held.shown("dossier/P03/index.md") == ("", "")
    assert held.shown("dossier/P04/index.md") == ("<p>held after a page was read back</p>", "<p>4</p>")
    assert held.shown("docs/index.md") is None
    assert "dossier/P01/index.md" in held and "docs/index.md" not in held and len(held) == 4


def test_a_held_page_comes_back_as_it_was_held_as_often_as_asked(tmp_path: Path) -> None:
    held = Held(tmp_path / "site")
    _holds_and_gives_back(held)
    assert held._file is not None and all(isinstance(entry[0], int) for entry in held._pages.values())
    held.clear()


def test_pages_wait_on_disk_in_a_file_no_one_sees_and_not_in_memory(tmp_path: Path) -> None:
    held = Held(tmp_path)
    held.hold("p", "<table>" + "<tr><td>row</td></tr>" * 20_000 + "</table>", None)
    assert held._file is not None
    assert os.fstat(held._file.fileno()).st_size > 200_000
    assert held._pages["p"] == (0, len("<table></table>") + 20_000 * len("<tr><td>row</td></tr>"), -1)
    assert not any(path.name.startswith(".mltrl-held-") for path in tmp_path.iterdir())  # unnamed, or unlinked
    held.clear()
    assert held._file is None and len(held) == 0 and held.shown("p") is None


def test_where_no_file_can_be_written_pages_wait_in_memory_compressed(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    held = Held(blocked / "site")  # cannot be made: a file is in the way
    _holds_and_gives_back(held)
    assert held._file is None
    row = '<tr class="mltrl-change-added"><td>{}</td><td><span class="mltrl-status">verified</span></td></tr>\n'
    big = "".join(row.format(i) for i in range(2_000))
    held.hold("big", big, None)
    assert len(held._pages["big"][0]) * 5 < len(big)  # type: ignore[arg-type]
    assert held.shown("big") == (big, None)


def test_a_write_that_fails_midway_keeps_what_was_written_and_holds_the_rest_in_memory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    held = Held(tmp_path)
    held.hold("first", "<p>on disk</p>", "<p>view</p>")
    assert held._file is not None
    spill = held._file

    class Full:  # the disk fills up as the second page is written
        def __getattr__(self, name: str) -> object:
            return getattr(spill, name)

        def write(self, data: bytes) -> int:
            if b"second" in data:
                raise OSError(28, "No space left on device")
            return spill.write(data)

    monkeypatch.setattr(held, "_file", Full())
    held.hold("second", "<p>second</p>", None)
    held.hold("third", "<p>third</p>", "<p>3</p>")
    assert held.shown("first") == ("<p>on disk</p>", "<p>view</p>")
    assert held.shown("second") == ("<p>second</p>", None)
    assert held.shown("third") == ("<p>third</p>", "<p>3</p>")
    assert isinstance(held._pages["first"][0], int) and isinstance(held._pages["third"][0], bytes)
    held.clear()


def test_clear_lets_go_of_every_page(tmp_path: Path) -> None:
    held = Held(tmp_path)
    held.hold("p", "<p>x</p>", None)
    held.clear()
    assert held.shown("p") is None and len(held) == 0
    held.hold("q", "<p>y</p>", None)  # a new build holds again, in a new file
    assert held.shown("q") == ("<p>y</p>", None)
    held.clear()
