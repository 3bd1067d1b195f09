"""Shared helpers of the evidence tests: a third-party reader, and fake entry points."""

from __future__ import annotations

import importlib.metadata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from mltrl_docs.evidence import ENTRY_POINT_GROUP, TestCounts
from mltrl_docs.evidence.readers import EvidenceError, SelectError


@dataclass(frozen=True)
class Properties:
    """'name = number' lines: what a team's own results format might look like."""

    values: dict[str, str]

    def value(self, select: str) -> object:
        if select not in self.values:
            raise SelectError(f"no line '{select} = ...'")
        return float(self.values[select])

    def tests(self, select: str | None) -> TestCounts:
        raise EvidenceError("no test results")


class PropertiesReader:
    name = "properties"
    suffixes = (".properties", ".JSON")

    def read(self, data: bytes, path: Path) -> Properties:
        lines = [line.split("=", 1) for line in data.decode().splitlines() if "=" in line]
        return Properties({key.strip(): value.strip() for key, value in lines})


@dataclass
class FakeEntry:
    """What importlib.metadata.entry_points yields: a name, a value and load()."""

    name: str
    value: str
    loaded: object = None
    error: Exception | None = None

    def load(self) -> object:
        if self.error is not None:
            raise self.error
        return self.loaded


def entry_points(monkeypatch: pytest.MonkeyPatch, *entries: FakeEntry) -> list[str]:
    """Make ``entries`` the group's entry points; returns the groups asked for."""
    asked: list[str] = []

    def fake(**selection: Any) -> list[FakeEntry]:
        asked.append(selection.get("group", ""))
        return list(entries) if selection.get("group") == ENTRY_POINT_GROUP else []

    monkeypatch.setattr(importlib.metadata, "entry_points", fake)
    return asked
