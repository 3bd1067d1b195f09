"""Generated pages held compressed between their render and their build (mltrl_docs.held)."""

from __future__ import annotations

from mltrl_docs.held import Held


def test_a_held_page_comes_back_as_it_was_held_as_often_as_asked() -> None:
    held = Held()
    html = "<p>Ünïcode – 漢字 🙂 &amp; a lone surrogate \ud800</p>" * 50
    held.hold("dossier/P01/index.md", html, "<p>search view</p>")
    held.hold("dossier/P02/index.md", "<p>no view</p>", None)
    assert held.shown("dossier/P01/index.md") == (html, "<p>search view</p>")
    assert held.shown("dossier/P01/index.md") == (html, "<p>search view</p>")  # still held: serve builds again
    assert held.shown("dossier/P02/index.md") == ("<p>no view</p>", None)
    assert held.shown("docs/index.md") is None
    assert "dossier/P01/index.md" in held and "docs/index.md" not in held and len(held) == 2


def test_a_page_of_repeated_markup_is_held_in_a_fraction_of_its_size() -> None:
    held = Held()
    row = '<tr class="mltrl-change-added"><td>{}</td><td><span class="mltrl-status">verified</span></td></tr>\n'
    html = "".join(row.format(i) for i in range(2_000))
    held.hold("p", html, None)
    assert len(held._pages["p"][0]) * 5 < len(html)


def test_clear_lets_go_of_every_page() -> None:
    held = Held()
    held.hold("p", "<p>x</p>", None)
    held.clear()
    assert held.shown("p") is None and len(held) == 0
