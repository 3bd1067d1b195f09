"""JSON metrics files: a value found by a dotted path (``test.cirrus.f1``; list items by their
number, ``runs.0.f1``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from mltrl_docs.evidence.readers import EvidenceError, SelectError, TestCounts

MAX_KEYS_SHOWN = 8


@dataclass(frozen=True, slots=True)
class JsonDocument:
    data: object

    def value(self, select: str) -> object:
        """The value at the dotted path ``select``. A key holding a dot cannot be named this way:
        such files are rare for metrics, and a path stays one plain string."""
        node = self.data
        walked: list[str] = []
        for part in select.split("."):
            node = _step(node, part, ".".join(walked) or "the top level")
            walked.append(part)
        return node

    def tests(self, select: str | None) -> TestCounts:
        raise EvidenceError("a JSON file holds values, not test results: write it under 'source:' "
                            "with op, value and select")


def _step(node: object, part: str, where: str) -> object:
    if isinstance(node, dict):
        if part in node:
            return node[part]
        keys = sorted(str(key) for key in node)
        shown = ", ".join(keys[:MAX_KEYS_SHOWN]) + (", ..." if len(keys) > MAX_KEYS_SHOWN else "")
        listed = f" (keys: {shown})" if keys else " (it is empty)"
        raise SelectError(f"there is no key '{part}' under {where}{listed}")
    if isinstance(node, list):
        if part.isascii() and part.isdigit() and int(part) < len(node):
            return node[int(part)]
        raise SelectError(f"{where} is a list of {len(node)} item{'s' if len(node) != 1 else ''}: "
                          f"'{part}' is not one of its positions (0 to {len(node) - 1})"
                          if node else f"{where} is an empty list")
    raise SelectError(f"{where} is {_kind(node)}, which has no '{part}'")


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return f"the number {value}"
    return "text"


def parse(data: bytes) -> JsonDocument:
    """The document; raises EvidenceError for anything but UTF-8 JSON."""
    try:
        return JsonDocument(json.loads(data.decode("utf-8-sig")))
    except UnicodeDecodeError:
        raise EvidenceError("the file is not UTF-8 text") from None
    except RecursionError:
        raise EvidenceError("the JSON is nested too deeply to read") from None
    except ValueError as exc:  # JSONDecodeError, and integers too long to convert
        raise EvidenceError(f"not valid JSON ({exc})") from None


class JsonReader:
    """Reads ``.json`` files."""

    name: str = "JSON"
    suffixes: tuple[str, ...] = (".json",)

    def read(self, data: bytes, path: Path) -> JsonDocument:
        return parse(data)
