"""The reader registry (mltrl_docs/evidence/readers.py): built-in readers by suffix, third-party
readers through the ``mltrl_docs.evidence_readers`` entry points, and plug-ins that fail to load
named rather than raised."""

from __future__ import annotations

from pathlib import Path

import pytest

from mltrl_docs.evidence import ENTRY_POINT_GROUP, EvidenceReader, TestCounts, registry

from .support import FakeEntry, PropertiesReader, entry_points


def test_the_built_in_readers_by_suffix(monkeypatch: pytest.MonkeyPatch) -> None:
    entry_points(monkeypatch)
    found = registry()
    assert {suffix: reader.name for suffix, reader in found.by_suffix.items()} == {
        ".xml": "JUnit XML", ".json": "JSON", ".csv": "CSV"}
    assert all(isinstance(reader, EvidenceReader) for reader in found.by_suffix.values())
    assert found.reader(Path("a/METRICS.JSON")) is found.by_suffix[".json"] and found.reader(Path("a.txt")) is None
    assert found.broken == ()


def test_a_third_party_reader_from_an_entry_point_adds_its_suffixes(monkeypatch: pytest.MonkeyPatch) -> None:
    """A class is instantiated, an object used as it is; a suffix a reader already has stays its."""
    asked = entry_points(monkeypatch, FakeEntry("props", "team.readers:PropertiesReader", PropertiesReader))
    found = registry()
    assert asked == [ENTRY_POINT_GROUP]
    assert found.by_suffix[".properties"].name == "properties"
    assert found.by_suffix[".json"].name == "JSON"
    entry_points(monkeypatch, FakeEntry("props", "team.readers:READER", PropertiesReader()))
    assert registry().by_suffix[".properties"].name == "properties"


def test_entry_points_are_taken_in_name_order(monkeypatch: pytest.MonkeyPatch) -> None:
    other = PropertiesReader()
    other.name = "other"
    entry_points(monkeypatch, FakeEntry("z-props", "z:R", other), FakeEntry("a-props", "a:R", PropertiesReader()))
    assert registry().by_suffix[".properties"].name == "properties"


def test_an_entry_point_that_fails_to_load_or_is_no_reader_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    entry_points(monkeypatch,
                 FakeEntry("parquet", "team.parquet:Reader", error=ImportError("No module named 'pyarrow'")),
                 FakeEntry("junk", "team.junk:VALUE", loaded=42))
    found = registry()
    assert set(found.by_suffix) == {".xml", ".json", ".csv"}
    assert found.broken == ("junk: team.junk:VALUE is no evidence reader (it needs name, suffixes and read)",
                            "parquet: ImportError: No module named 'pyarrow'")


def test_extra_readers_come_before_the_entry_points(monkeypatch: pytest.MonkeyPatch) -> None:
    entry_points(monkeypatch)
    found = registry(extra=[PropertiesReader()])
    assert found.by_suffix[".properties"].name == "properties" and found.by_suffix[".json"].name == "JSON"


def test_test_counts_say_what_occurred() -> None:
    assert TestCounts().text == "no tests" and not TestCounts().ok
    assert TestCounts(passed=2, skipped=1).text == "2 passed, 1 skipped" and TestCounts(passed=2, skipped=1).ok
