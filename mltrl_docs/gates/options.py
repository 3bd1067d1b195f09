"""The kinds of value a gate rule's option takes: each one a JSON Schema for the settings
file and a parser for what the check reads, so a rule declares an option in one line."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from mltrl_docs.gates.rule import Option

LEVEL_SCHEMA: dict[str, Any] = {"$ref": "#/$defs/level"}
"""Written into settings schemas; never changed."""


def whole(value: object) -> int:
    """An int from YAML (mapping keys may arrive as text)."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise TypeError(f"{value!r} is not a whole number")
    return int(value)


def _list(value: object) -> list[object]:
    if not isinstance(value, list | tuple):
        raise TypeError(f"{value!r} is not a list")
    return list(value)


def level(name: str, description: str, default: int) -> Option:
    return Option(name, f"{description} (default {default}).", default, LEVEL_SCHEMA, whole)


def optional_level(name: str, description: str, default: int | None) -> Option:
    shown = "none" if default is None else str(default)
    return Option(name, f"{description} (default {shown}); null for none.", default,
                  {"anyOf": [LEVEL_SCHEMA, {"type": "null"}]}, lambda v: None if v is None else whole(v))


def number(name: str, description: str, default: int, minimum: int, maximum: int | None = None) -> Option:
    schema: dict[str, Any] = {"type": "integer", "minimum": minimum}
    if maximum is not None:
        schema["maximum"] = maximum
    return Option(name, f"{description} (default {default}).", default, schema, whole)


def _level_table(value: object) -> Mapping[int, tuple[str, ...]]:
    if not isinstance(value, Mapping):
        raise TypeError(f"{value!r} is not a mapping of levels")
    return MappingProxyType({whole(key): tuple(str(item) for item in _list(items)) for key, items in value.items()})


def level_table(name: str, description: str, default: Mapping[int, tuple[str, ...]], item: str) -> Option:
    """A table from a level to a list of names (headings, roles): replaces the default table."""
    schema = {"type": "object", "propertyNames": {"pattern": "^[0-9]$"},
              "additionalProperties": {"type": "array", "items": {"type": "string", "minLength": 1,
                                                                   "description": item}}}
    return Option(name, description, MappingProxyType(dict(default)), schema, _level_table)


def _pairs(value: object) -> frozenset[tuple[int, int]]:
    found = set()
    for pair in _list(value):
        items = _list(pair)
        if len(items) != 2:
            raise ValueError(f"{pair!r} is not a pair of levels")
        found.add((whole(items[0]), whole(items[1])))
    return frozenset(found)


def pairs(name: str, description: str, default: frozenset[tuple[int, int]]) -> Option:
    schema = {"type": "array", "items": {"type": "array", "items": LEVEL_SCHEMA, "minItems": 2, "maxItems": 2}}
    return Option(name, description, default, schema, _pairs)


def names(name: str, description: str, default: tuple[str, ...]) -> Option:
    """A list of words (e.g. the link names that count as a demo); at least one: an empty list
    would fail every card (link names) or pass every one (sections), which ``off`` says."""
    schema = {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}}
    return Option(name, f"{description} (default: {', '.join(default)}).", default, schema,
                  lambda value: tuple(str(item) for item in _list(value)))
