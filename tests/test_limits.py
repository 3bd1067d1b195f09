"""The ``limits:`` settings: each is answered by a located error that names the setting,
in under two seconds even for the largest input a mistake or an attacker could bring."""

from __future__ import annotations

import os
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import card_text
from mltrl_docs.dossier import build_dossier
from mltrl_docs.findings import Finding, Severity
from mltrl_docs.load import load_glossary, load_markdown
from mltrl_docs.model import Card, Dossier, InvalidCard
from mltrl_docs.settings import Limits
from mltrl_docs.sources import discover

FAST = 2.0
"""Seconds any limit may take to answer (the brief's bound; measured times are far below)."""


@contextmanager
def fast() -> Iterator[None]:
    start = time.process_time()  # CPU time: a loaded machine stretches the wall clock, not the work
    yield
    elapsed = time.process_time() - start
    assert elapsed < FAST, f"took {elapsed:.2f} s"


def _limit(findings: list[Finding], setting: str) -> Finding:
    """The one error naming ``setting``."""
    [finding] = [f for f in findings if f"({setting})" in f.message]
    assert finding.severity is Severity.ERROR and finding.rule == "limit"
    assert f"raise {setting}" in (finding.hint or "") or setting.startswith("limits.yaml")
    return finding


def test_defaults() -> None:
    assert Limits() == Limits(file_bytes=1_048_576, files=50_000, yaml_depth=64, yaml_nodes=100_000, title=200,
                              glossary_name=100)


def test_file_bytes_a_100_mb_file_is_never_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "p" / "card.md"
    path.parent.mkdir()
    with path.open("wb") as file:
        file.write(b"---\nlevel: 2\ntitle: Huge\n---\n")
        file.truncate(100 * 1024 * 1024)  # sparse: 100 MB on paper
    tracemalloc.start()
    try:
        with fast():
            card, findings = load_markdown(path, "p")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000, f"read {peak:,} bytes into memory"
    assert isinstance(card, InvalidCard)  # a card, told apart by its first bytes
    finding = _limit(findings, "limits.file_bytes")
    assert finding.message == "file is 104,857,600 bytes; the limit is 1,048,576 (limits.file_bytes)"
    assert finding.position is not None


def test_file_bytes_is_a_setting(write_card, tmp_path: Path) -> None:
    write_card("src/p/L2.md", body="x" * 3_000)
    assert _cards(build_dossier([tmp_path / "src"])) == (1, 0)
    dossier = build_dossier([tmp_path / "src"], limits=Limits(file_bytes=2_048))
    assert _cards(dossier) == (0, 1)
    _limit(dossier.findings, "limits.file_bytes")


def test_files_a_source_with_60000_tiny_files_stops_with_a_finding(tmp_path: Path) -> None:
    folder = tmp_path / "src" / "p"
    folder.mkdir(parents=True)
    for index in range(60_000):
        os.close(os.open(folder / f"{index}.md", os.O_CREAT | os.O_WRONLY, 0o644))
    with fast():
        dossier = build_dossier([tmp_path / "src"])
    finding = _limit(dossier.findings, "limits.files")
    assert finding.message.startswith("more than 50,000 files under the dossier sources")
    assert finding.path == folder and dossier.projects == {}  # a half-read project is not listed


def test_files_counts_every_file_not_only_markdown(write_card, write, tmp_path: Path) -> None:
    write_card("src/a/L2.md")
    for index in range(30):
        write(f"src/b/data/{index}.csv", "x\n")
    dossier = build_dossier([tmp_path / "src"], limits=Limits(files=20))
    assert list(dossier.projects) == ["C1"]  # projects read in full before the limit are kept
    assert _limit(dossier.findings, "limits.files").path == tmp_path / "src" / "b" / "data"


def test_files_a_source_set_to_the_root_of_the_disk_stops_fast() -> None:
    with fast():
        found = discover([Path("/")], max_files=5_000)
    _limit(found.findings, "limits.files")


@pytest.mark.parametrize("nesting", ["[" * 1_000_000, "\n" + "- " * 500_000 + "x", "{a: " * 250_000],
                         ids=["flow", "block", "mappings"])
def test_yaml_depth_a_million_levels_deep(write, nesting: str) -> None:
    path = write("p/card.md", "---\nlevel: 2\nx-deep: " + nesting + "\n---\n")
    with fast():
        card, findings = load_markdown(path, "p")
    assert isinstance(card, InvalidCard)
    finding = _limit(findings, "limits.yaml_depth")
    assert finding.message == "YAML is nested more than 64 levels deep (limits.yaml_depth)"
    assert finding.line == (4 if nesting.startswith("\n") else 3)


def test_yaml_depth_is_a_setting(write) -> None:
    path = write("p/card.md", card_text(**{"x-deep": {"a": {"b": {"c": {"d": {"e": {"f": {"g": {"h": 1}}}}}}}}}))
    card, _ = load_markdown(path, "p")
    assert isinstance(card, Card)
    card, findings = load_markdown(path, "p", Limits(yaml_depth=8))
    assert isinstance(card, InvalidCard)
    assert "nested more than 8 levels" in _limit(findings, "limits.yaml_depth").message


def test_yaml_nodes_an_alias_bomb(write) -> None:
    lines = ["x-a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for name, previous in zip("bcdefghi", "abcdefgh", strict=True):
        lines.append(f"x-{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    path = write("p/card.md", "---\nlevel: 2\n" + "\n".join(lines) + "\n---\n")
    with fast():
        card, findings = load_markdown(path, "p")
    assert isinstance(card, InvalidCard)
    assert _limit(findings, "limits.yaml_nodes").message.startswith("YAML expands to more than 100,000 values")


def test_yaml_nodes_is_a_setting(write) -> None:
    path = write("p/card.md", card_text(tags=[f"t{i}" for i in range(2_000)]))
    assert isinstance(load_markdown(path, "p")[0], Card)
    card, findings = load_markdown(path, "p", Limits(yaml_nodes=1_000))
    assert isinstance(card, InvalidCard)
    _limit(findings, "limits.yaml_nodes")


def test_title_a_1_mb_title(write_card, tmp_path: Path) -> None:
    write_card("src/p/L2.md", title="T" * 1_000_000)
    with fast():
        dossier = build_dossier([tmp_path / "src"])
    [card] = dossier.invalid_cards
    assert card.title == "T" * 199 + "…"  # nothing long reaches the navigation
    finding = _limit(dossier.findings, "limits.title")
    assert finding.message == "title is 1,000,000 characters; the limit is 200 (limits.title)"
    assert (finding.field, finding.line) == ("title", 4)


def test_title_is_a_setting(write_card, tmp_path: Path) -> None:
    write_card("src/p/L2.md", title="A title of forty characters, more or les")
    assert _cards(build_dossier([tmp_path / "src"])) == (1, 0)
    dossier = build_dossier([tmp_path / "src"], limits=Limits(title=30))
    assert _cards(dossier) == (0, 1) and dossier.invalid_cards[0].title == "A title of forty characters,…"


@pytest.mark.parametrize("where", ["glossary term", "alias", "team word", "team name"])
def test_glossary_name_a_1_mb_name(write, where: str) -> None:
    name = "n" * 1_000_000
    term = {"glossary term": f"term: {name}", "alias": f"term: Big\n    aliases: [{name}]",
            "team word": f"term: Big\n    teams: {{Research: {name}}}",
            "team name": f"term: Big\n    teams:\n      ? {name}\n      : big"}[where]  # long keys are explicit
    path = write("g.yml", f"mltrl: 1\nterms:\n  - {term}\n    definition: Too long.\n"
                          "  - term: Small\n    definition: Fine.\n")
    with fast():
        terms, findings = load_glossary(path)
    assert [t.term for t in terms] == ["Small"]  # the term is reported and skipped
    finding = _limit(findings, "limits.glossary_name")
    assert finding.message == f"{where} is 1,000,000 characters; the limit is 100 (limits.glossary_name)"
    assert finding.line in (3, 4, 5)


def test_glossary_name_is_a_setting(write) -> None:
    path = write("g.yml", "mltrl: 1\nterms:\n  - term: A rather long glossary term\n    definition: Fine.\n")
    assert len(load_glossary(path)[0]) == 1
    terms, findings = load_glossary(path, limits=Limits(glossary_name=10))
    assert terms == [] and _limit(findings, "limits.glossary_name").field == "terms[0].term"


def _cards(dossier: Dossier) -> tuple[int, int]:
    return len(dossier.cards), len(dossier.invalid_cards)
