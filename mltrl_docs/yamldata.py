"""Read YAML as plain data while remembering where every key and value came from.

PyYAML's loaders throw positions away, keep the last of two duplicate keys and
turn ``no`` into ``False`` without a word. We compose the node graph with the
safe composer (no object construction is ever possible) and build the data
ourselves, so that:

* every key and value keeps its line and column, for messages that point at
  ``file:line:col``;
* duplicate keys, object-constructing tags, merge keys and YAML 1.1 surprises
  (``yes``/``no``/``on``/``off`` booleans, octal or sexagesimal numbers) are
  reported instead of silently accepted;
* dates stay the text the author wrote (the schema checks them);
* alias bombs and deep nesting are bounded in time and memory.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode

from mltrl_docs.findings import Position

DataPath = tuple[str | int, ...]

MAX_NODES = 100_000
"""Values built from one document at most; aliases count every time they expand."""
MAX_DEPTH = 64
"""Nesting depth of the built data at most; real cards need fewer than 6."""
C_COMPOSER_SAFE_DEPTH = 1_000
"""libyaml's composer crashes the process past ~20,000 levels of nesting; below
this bound we use it, above it the pure-Python composer, which fails cleanly."""

_TAG = "tag:yaml.org,2002:"
_STR, _INT, _BOOL, _NULL, _TIMESTAMP = (_TAG + t for t in ("str", "int", "bool", "null", "timestamp"))
_ALLOWED_TAGS = frozenset(_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map",
                                             "merge"))
_TRUE_FALSE = {"true", "false"}
_PLAIN_INT = re.compile(r"[-+]?(0|[1-9][0-9_]*)")

_scalars = SafeConstructor()
_RESOLVED: dict[str, str] = {}
"""Tag of each plain scalar text seen so far: cards repeat the same words (keys, statuses,
kinds) thousands of times, and resolving them is PyYAML's slowest step even under libyaml."""


class _SafeComposer(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The safe composer with a cache in front of implicit scalar resolution."""

    def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode and implicit[0]:
            tag = _RESOLVED.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(_RESOLVED) < 50_000:
                    _RESOLVED[value] = tag
            return tag
        return super().resolve(kind, value, implicit)


@dataclass(frozen=True, slots=True)
class YamlProblem:
    """Something wrong in the YAML itself, at a position."""

    message: str
    hint: str
    position: Position
    path: DataPath = ()


@dataclass(slots=True)
class YamlDocument:
    """Plain data plus where each part of it was written."""

    data: Any
    values: dict[DataPath, Position] = field(default_factory=dict)
    """Where each value starts (for a mapping or list: its first item)."""
    keys: dict[DataPath, Position] = field(default_factory=dict)
    """Where each mapping key is written (the line a reader looks for)."""
    raw: dict[DataPath, str] = field(default_factory=dict)
    """Source text of scalars YAML turned into numbers or booleans, for hints."""
    has_float: bool = False
    """A float was read outside the free-form ``x-`` fields (decides the fast schema path)."""
    problems: list[YamlProblem] = field(default_factory=list)

    def where(self, path: DataPath) -> Position | None:
        """Best position for a field: its key, else its value, else its nearest parent."""
        for length in range(len(path), -1, -1):
            prefix = path[:length]
            found = self.keys.get(prefix) or self.values.get(prefix)
            if found:
                return found
        return None


class YamlSyntaxError(Exception):
    """The text is not YAML at all; carries a located problem."""

    def __init__(self, problem: YamlProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def read_yaml(text: str, first_line: int = 1) -> YamlDocument:
    """Parse one YAML document; ``first_line`` is the file line the text starts on.

    Raises YamlSyntaxError when the text cannot be parsed; every other problem
    is returned in ``YamlDocument.problems`` next to the best-effort data.
    """
    offset = first_line - 1
    try:
        root = _compose(text)
    except yaml.MarkedYAMLError as exc:
        raise YamlSyntaxError(_syntax_problem(exc, offset, text)) from None
    except yaml.YAMLError as exc:  # pragma: no cover - every PyYAML error we know is marked
        raise YamlSyntaxError(
            YamlProblem(f"YAML cannot be read: {exc}", "check the YAML syntax", Position(first_line, 1))
        ) from None
    except RecursionError:
        raise YamlSyntaxError(
            YamlProblem(
                "YAML is nested too deeply to read",
                f"real cards nest a few levels; keep it under {MAX_DEPTH}",
                Position(first_line, 1),
            )
        ) from None
    document = YamlDocument(data=None)
    if root is not None:
        builder = _Builder(document, offset)
        document.data = builder.build(root, (), 0)
        if builder.fatal is not None:
            raise YamlSyntaxError(builder.fatal)
    return document


def _compose(text: str) -> Node | None:
    if _nesting_bound(text) <= C_COMPOSER_SAFE_DEPTH:
        return yaml.compose(text, Loader=_SafeComposer)
    return yaml.compose(text, Loader=yaml.SafeLoader)


def _nesting_bound(text: str) -> int:
    """An upper bound of the node depth: block nesting needs columns, flow nesting brackets."""
    longest = max((len(line) for line in text.split("\n")), default=0)
    return longest + text.count("[") + text.count("{")


class _Builder:
    """Turns composed nodes into dicts, lists and scalars, recording positions."""

    def __init__(self, document: YamlDocument, offset: int) -> None:
        self.doc = document
        self.offset = offset
        self.nodes = 0
        self.fatal: YamlProblem | None = None
        """Set when the document is too big or deep to build: nothing of it can be trusted."""

    def position(self, node: Node) -> Position:
        return Position(node.start_mark.line + 1 + self.offset, node.start_mark.column + 1)

    def problem(self, node: Node, path: DataPath, message: str, hint: str) -> None:
        self.doc.problems.append(YamlProblem(message, hint, self.position(node), path))

    def build(self, node: Node, path: DataPath, depth: int) -> Any:
        if self.fatal is not None:
            return None
        self.nodes += 1
        if self.nodes > MAX_NODES:
            self.fatal = YamlProblem(
                f"YAML expands to more than {MAX_NODES:,} values (aliases repeat their anchor's content)",
                "remove the anchors (&name) and aliases (*name) and write the values out",
                self.position(node),
            )
            return None
        if depth > MAX_DEPTH:
            self.fatal = YamlProblem(f"YAML is nested more than {MAX_DEPTH} levels deep",
                                     "flatten the structure; an alias may refer to itself", self.position(node))
            return None
        tag = node.tag
        self.doc.values[path] = Position(node.start_mark.line + 1 + self.offset, node.start_mark.column + 1)
        if tag not in _ALLOWED_TAGS:
            self.problem(node, path, f"YAML tag {_short_tag(tag)} is not allowed",
                         "cards are read as plain data: remove the tag")
            return None
        if tag == _STR:
            return node.value
        if isinstance(node, ScalarNode):
            return self.scalar(node, path)
        if isinstance(node, MappingNode):
            return self.mapping(node, path, depth)
        return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]

    def mapping(self, node: MappingNode, path: DataPath, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                self.problem(key_node, path, "merge keys (<<) are not supported",
                             "write the keys out instead of merging an anchor")
                continue
            if not isinstance(key_node, ScalarNode):
                self.problem(key_node, path, "a key must be plain text, not a list or mapping",
                             "write the key as a word followed by a colon")
                continue
            key = key_node.value
            key_path = (*path, key)
            if key in result:
                first = self.doc.keys[key_path]
                self.problem(
                    key_node, key_path,
                    f"duplicate key '{key}' (first written on line {first.line})",
                    "remove one of them; YAML would silently keep only the last",
                )
                continue
            self.doc.keys[key_path] = self.position(key_node)
            result[key] = self.build(value_node, key_path, depth + 1)
        return result

    def scalar(self, node: ScalarNode, path: DataPath) -> Any:
        tag = node.tag
        text = node.value
        if tag == _TIMESTAMP:
            return text  # dates stay as written; the schema checks their form
        if tag == _NULL:
            return None
        self.doc.raw[path] = text
        if tag == _BOOL:
            value = text.lower() in ("true", "yes", "on", "y")
            if text.lower() not in _TRUE_FALSE:
                self.problem(
                    node, path,
                    f"'{text}' is read by YAML as the boolean {str(value).lower()}",
                    f"write \"{text}\" in quotes if you mean the text, or true/false for a boolean",
                )
            return value
        if tag == _INT:
            value = _scalars.construct_yaml_int(node)
            if not _PLAIN_INT.fullmatch(text):
                self.problem(
                    node, path,
                    f"'{text}' is read by YAML 1.1 as the number {value}",
                    f"write {value} if you mean the number, or \"{text}\" in quotes for the text",
                )
            return value
        if not (path and isinstance(path[0], str) and path[0].startswith("x-")):
            self.doc.has_float = True
        return _scalars.construct_yaml_float(node)


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_TAG) if tag.startswith(_TAG) else tag


_SYNTAX_HINTS = (
    ("mapping values are not allowed", "put text that contains ': ' in quotes"),
    ("could not find expected ':'", "each line needs 'key: value'; put text with special characters in quotes"),
    ("expected <block end>", "check the indentation of this line against the lines above"),
    ("found undefined alias", "an alias (*name) needs an anchor (&name) written before it"),
    ("expected a single document", "remove the extra '---' line inside the frontmatter"),
    ("found unknown escape character", "in double quotes write a backslash as \\\\, or use single quotes"),
    ("found character '@'", "put a value that starts with @ or ` in quotes"),
    ("found character '`'", "put a value that starts with @ or ` in quotes"),
    ("did not find expected", "a bracket, quote or indentation is not closed; check this line"),
)


def _syntax_problem(exc: yaml.MarkedYAMLError, offset: int, text: str) -> YamlProblem:
    mark = exc.problem_mark or exc.context_mark
    line = (mark.line + 1 + offset) if mark else offset + 1
    column = (mark.column + 1) if mark else 1
    problem = (exc.problem or "invalid YAML").strip()
    message = f"YAML syntax error: {problem}"
    if exc.context:
        message += f" ({exc.context.strip()})"
    hint = "check the YAML syntax at this position"
    if mark is not None and _char_at(text, mark.line, mark.column) == "\t":
        return YamlProblem(f"YAML syntax error: a tab character at column {column}",
                           "indent with spaces; YAML does not allow tabs for indentation", Position(line, column))
    for needle, text in _SYNTAX_HINTS:
        if needle in message:
            hint = text
            break
    return YamlProblem(message, hint, Position(line, column))


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n")
    return lines[line][column : column + 1] if line < len(lines) else ""


def iter_paths(data: Any, path: DataPath = ()) -> Iterator[DataPath]:
    """Every path in plain data, parents before children (used by tests and rules)."""
    yield path
    if isinstance(data, dict):
        for key, value in data.items():
            yield from iter_paths(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from iter_paths(value, (*path, index))
