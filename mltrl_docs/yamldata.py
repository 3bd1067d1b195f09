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
* control characters written as escapes in double quotes ("\\e", "\\x1b") are
  reported and replaced, like the literal ones the loader replaces;
* alias bombs and deep nesting are bounded in time and memory (``limits.yaml_nodes``
  and ``limits.yaml_depth``).
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable, Hashable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from mltrl_docs.findings import Position
from mltrl_docs.frontmatter import (
    BIDI,
    BIDI_HINT,
    CONTROL,
    INVISIBLE,
    REPLACEMENT,
    bidi_message,
    char_name,
)

DataPath = tuple[str | int, ...]

MAX_NODES = 100_000
"""Values built from one document at most; aliases count every time they expand
(the default of ``limits.yaml_nodes``)."""
MAX_DEPTH = 64
"""Nesting depth of the built data at most; real cards need fewer than 6 (the default
of ``limits.yaml_depth``)."""
C_COMPOSER_SAFE_DEPTH = 1_000
"""libyaml's composer crashes the process past ~20,000 levels of nesting; below
this bound we use it, above it the pure-Python composer, which fails cleanly."""

_SEPARATORS_TO_SPACES = {0x2028: " ", 0x2029: " "}
"""YAML 1.1 counts U+2028 and U+2029 as line breaks, editors and the loader do not: read as
spaces, every position after one stays on the line the author sees. (U+0085, the other
one, is a C1 control: the loader reports and replaces it before YAML sees it.)"""
_TAG = "tag:yaml.org,2002:"
_STR, _INT, _BOOL, _NULL, _TIMESTAMP = (_TAG + t for t in ("str", "int", "bool", "null", "timestamp"))
_ALLOWED_TAGS = frozenset(_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map",
                                             "merge"))
_TAG_KINDS = {_TAG + "seq": "seq", _TAG + "map": "map", _TAG + "merge": "merge key",
              **{_TAG + t: "scalar" for t in ("str", "int", "float", "bool", "null", "timestamp")}}
"""The kind of node each allowed tag belongs on: '!!str [1]' or '!!seq text' is a mistake."""
_KIND_WORDS = {"scalar": "a single value", "map": "a mapping", "seq": "a list"}
_TRUE_FALSE = {"true", "false"}
_PLAIN_INT = re.compile(r"[-+]?(0|[1-9][0-9_]*)")

_scalars = SafeConstructor()
_RESOLVED: dict[str, str] = {}
"""Tag of each plain scalar text seen so far: cards repeat the same words (keys, statuses,
kinds) thousands of times, and resolving them is PyYAML's slowest step even under libyaml."""


_PLAIN_TAGS = {ScalarNode: _STR, SequenceNode: _TAG + "seq", MappingNode: _TAG + "map"}
"""The tag of a node that does not resolve by its text (a quoted scalar, a list, a mapping) in a
loader without path resolvers, as PyYAML's ``BaseResolver.resolve`` gives it."""
_position: Callable[[tuple[int, int]], Position] = partial(tuple.__new__, Position)
"""``Position((line, column))``, made in C: a card's YAML records the position of each of its
hundreds of keys and values, and a NamedTuple's own constructor is a Python call."""


class _SafeComposer(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The safe composer with a cache in front of implicit scalar resolution. libyaml asks this
    for every node, so the nodes whose tag does not depend on their text are answered at once."""

    def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode and implicit[0]:
            tag = _RESOLVED.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(_RESOLVED) < 50_000:
                    _RESOLVED[value] = tag
            return tag
        if not self.yaml_path_resolvers:
            return _PLAIN_TAGS[kind]
        return super().resolve(kind, value, implicit)  # pragma: no cover - the safe loader has no path resolvers


@dataclass(frozen=True, slots=True)
class YamlProblem:
    """Something wrong in the YAML itself, at a position."""

    message: str
    hint: str
    position: Position
    path: DataPath = ()
    rule: str = "yaml"
    """The finding's rule: ``limit`` when a ``limits:`` setting stopped the reading."""


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
    has_whole_float: bool = False
    """A float with a whole-number value (``3.0``, ``1.0``) was read outside the free-form ``x-``
    fields: the fast schema path would take it for an integer (see ``schema.fast_accepts``).
    Other floats (``mltrl: 1.1``, ``threshold: 0.7``) leave the fast path open."""
    problems: list[YamlProblem] = field(default_factory=list)
    warnings: list[YamlProblem] = field(default_factory=list)
    """Problems that do not make the data wrong (a bidirectional control written as an
    escape); kept apart from ``problems``, which the schema check reports as errors."""

    def where(self, path: DataPath) -> Position | None:
        """Best position for a field: its key, else its value, else its nearest parent."""
        for length in range(len(path), -1, -1):
            prefix = path[:length]
            found = self.keys.get(prefix) or self.values.get(prefix)
            if found:
                return found
        return None


class Positions(Mapping[DataPath, Position]):
    """Where each field of a document is written: its key's position, or its value's where it
    has no key (a list item). Kept for as long as the card (findings point at fields long after
    loading), so kept small: each position one 8-byte word in an array (``_packed``), not a
    ``Position`` (a NamedTuple, which the garbage collector walks in every full collection), a
    tuple or an int object; and which path is at which place in that array a *layout* that every
    document with the same paths in the same order shares (``_layout``), each path the one tuple
    every card read at that path shares (``_shared``). Cards have the same shape: the benchmark's
    3,000 cards hold some 200,000 positions in 17 layouts."""

    __slots__ = ("_layout", "_places")

    def __init__(self, at: dict[DataPath, int]) -> None:
        self._layout = _layout(tuple(at))
        places = tuple(at.values())
        try:
            self._places: array[int] | tuple[int, ...] = array("Q", places)
        except OverflowError:  # a line past 4 billion: no word holds it, a tuple does
            self._places = places

    @classmethod
    def of(cls, document: YamlDocument) -> Positions:
        at = {_shared(path): _packed(place) for path, place in document.keys.items()}
        for path, place in document.values.items():
            if path not in at:
                at[_shared(path)] = _packed(place)
        return cls(at)

    def __getitem__(self, path: DataPath) -> Position:
        return _unpacked(self._places[self._layout[path]])

    def get(self, path: DataPath, default: Position | None = None) -> Position | None:  # type: ignore[override]
        place = self._layout.get(path)
        return default if place is None else _unpacked(self._places[place])

    def __contains__(self, path: object) -> bool:
        return path in self._layout

    def __iter__(self) -> Iterator[DataPath]:
        return iter(self._layout)

    def __len__(self) -> int:
        return len(self._layout)

    def __repr__(self) -> str:
        return f"Positions({ {path: tuple(self[path]) for path in self._layout}!r})"


def _layout(paths: tuple[DataPath, ...]) -> dict[DataPath, int]:
    """Each of ``paths`` with its place, as one dict for every document read with these paths."""
    return _kept(_LAYOUTS, paths, _places_of, MAX_LAYOUTS)


def _places_of(paths: tuple[DataPath, ...]) -> dict[DataPath, int]:
    return {path: place for place, path in enumerate(paths)}


_LAYOUTS: dict[tuple[DataPath, ...], dict[DataPath, int]] = {}
"""Each layout documents were read with (``Positions``), by its paths in order."""
MAX_LAYOUTS = 4_096
"""Layouts kept in ``_LAYOUTS`` at most: past them, a document keeps a layout of its own, as
hand-written cards of every shape would each need one anyway."""


_COLUMN_BITS = 32
"""A packed position: its line above these bits, its column in them (a column of a line of
4 GiB would be the first one not to fit)."""
_COLUMN_MASK = (1 << _COLUMN_BITS) - 1
_PATHS: dict[DataPath, DataPath] = {}
"""Each path a card's field was read at, kept once for every card read at it."""
MAX_SHARED_PATHS = 100_000
"""Paths kept in ``_PATHS`` at most: free-form fields (``x-...``) may each add their own."""


def _packed(place: Position) -> int:
    return place.line << _COLUMN_BITS | place.column


def _unpacked(packed: int) -> Position:
    return _position((packed >> _COLUMN_BITS, packed & _COLUMN_MASK))


def _shared(path: DataPath) -> DataPath:
    return _kept(_PATHS, path, _itself, MAX_SHARED_PATHS)


def _itself(path: DataPath) -> DataPath:
    return path


_Key = TypeVar("_Key", bound=Hashable)
_Value = TypeVar("_Value")


def _kept(table: dict[_Key, _Value], key: _Key, make: Callable[[_Key], _Value], most: int) -> _Value:
    """``table``'s value for ``key``; else ``make(key)``, kept in ``table`` while it holds fewer
    than ``most``: the one object every document read alike shares (a path, a layout)."""
    found = table.get(key)
    if found is None:
        found = make(key)
        if len(table) < most:
            table[key] = found
    return found


class YamlSyntaxError(Exception):
    """The text is not YAML at all; carries a located problem."""

    def __init__(self, problem: YamlProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def read_yaml(text: str, first_line: int = 1, *, max_depth: int = MAX_DEPTH,
              max_nodes: int = MAX_NODES) -> YamlDocument:
    """Parse one YAML document; ``first_line`` is the file line the text starts on.

    Raises YamlSyntaxError when the text cannot be parsed or goes past ``max_depth``
    or ``max_nodes``; every other problem is returned in ``YamlDocument.problems``
    next to the best-effort data.
    """
    offset = first_line - 1
    if "\u2028" in text or "\u2029" in text:
        text = text.translate(_SEPARATORS_TO_SPACES)
    try:
        root = _compose(text, max_depth)
    except _TooDeep as exc:
        raise YamlSyntaxError(_too_deep(max_depth, Position(exc.mark.line + 1 + offset, exc.mark.column + 1))) \
            from None
    except yaml.MarkedYAMLError as exc:
        raise YamlSyntaxError(_syntax_problem(exc, offset, text)) from None
    except yaml.YAMLError as exc:  # pragma: no cover - every PyYAML error we know is marked
        raise YamlSyntaxError(
            YamlProblem(f"YAML cannot be read: {exc}", "check the YAML syntax", Position(first_line, 1))
        ) from None
    except RecursionError:
        raise YamlSyntaxError(_too_deep(max_depth, Position(first_line, 1))) from None
    document = YamlDocument(data=None)
    if root is not None:
        builder = _Builder(document, offset, text, max_depth, max_nodes)
        try:
            document.data = builder.build(root, (), 0)
        except RecursionError:
            raise YamlSyntaxError(_too_deep(max_depth, Position(first_line, 1))) from None
        if builder.fatal is not None:
            raise YamlSyntaxError(builder.fatal)
    return document


def _too_deep(max_depth: int, position: Position) -> YamlProblem:
    return YamlProblem(f"YAML is nested more than {max_depth} levels deep (limits.yaml_depth)",
                       "flatten the structure (real cards nest a few levels); an alias may refer to itself",
                       position, rule="limit")


class _TooDeep(Exception):
    """The pure-Python composer went past the depth limit, at ``mark``."""

    def __init__(self, mark: yaml.Mark) -> None:
        super().__init__("too deep")
        self.mark = mark


class _BoundedComposer(yaml.SafeLoader):
    """The pure-Python safe composer, stopping at the depth limit: unbounded, it recurses
    until Python's own limit, and its scanner's simple-key bookkeeping grows with the
    depth, so a megabyte of '[' would take seconds before failing."""

    max_depth = MAX_DEPTH
    depth = 0
    deepest_flow: yaml.Mark | None = None

    def fetch_flow_collection_start(self, token_class: type) -> None:
        """Stop scanning flow collections nested past the limit: the scanner looks up to 1,024
        tokens ahead for a possible key, at a cost that grows with each open bracket, so a
        megabyte of '[' would take a second before the composer saw it was too deep."""
        if self.flow_level == self.max_depth:
            self.deepest_flow = self.get_mark()  # in a block mapping (a card), the first node too deep
        elif self.flow_level > self.max_depth:
            raise _TooDeep(self.deepest_flow or self.get_mark())
        super().fetch_flow_collection_start(token_class)

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        self.depth += 1
        try:
            if self.depth > self.max_depth + 1:
                raise _TooDeep(self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _compose(text: str, max_depth: int) -> Node | None:
    if _nesting_bound(text) <= C_COMPOSER_SAFE_DEPTH:
        return yaml.compose(text, Loader=_SafeComposer)
    loader = _BoundedComposer(text)
    loader.max_depth = max_depth
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


_INDENT = re.compile(r"^ *", re.MULTILINE)
_COMPACT = re.compile(r"^ *(?:[-?:](?:[ \t]+|$))+", re.MULTILINE)
"""The run of indicators starting a line, where block collections nest on one line ('- - - x')."""


def _nesting_bound(text: str) -> int:
    """An upper bound of the node depth: flow nesting needs brackets; block nesting needs
    indentation, or a run of '-', '?' or ':' indicators at the start of a line (compact
    nesting; one more level, a mapping, may follow it). A long value (a pasted paragraph)
    does not count, so it keeps the fast composer."""
    brackets = text.count("[") + text.count("{")
    # A line's indentation and its run of indicators are no longer than the line: when no line is
    # long enough to matter (a card's are), that bound is enough, at a sixth of the regexes' cost.
    quick = 2 * (max(map(len, text.split("\n"))) + 1) + brackets
    if quick <= C_COMPOSER_SAFE_DEPTH:
        return quick
    indent = max(map(len, _INDENT.findall(text)), default=0)
    compact = max(map(len, _COMPACT.findall(text)), default=0) + 1
    return 2 * max(indent, compact) + brackets


class _Builder:
    """Turns composed nodes into dicts, lists and scalars, recording positions."""

    def __init__(self, document: YamlDocument, offset: int, text: str, max_depth: int, max_nodes: int) -> None:
        self.doc = document
        self.offset = offset
        self.text = text
        self.max_depth = max_depth
        self.max_nodes = max_nodes
        self.nodes = 0
        self.fatal: YamlProblem | None = None
        """Set when the document is too big or deep to build: nothing of it can be trusted."""

    def position(self, node: Node) -> Position:
        mark = node.start_mark
        return _position((mark.line + 1 + self.offset, mark.column + 1))

    def problem(self, node: Node, path: DataPath, message: str, hint: str) -> None:
        self.doc.problems.append(YamlProblem(message, hint, self.position(node), path))

    def build(self, node: Node, path: DataPath, depth: int) -> Any:
        if self.fatal is not None:
            return None
        self.nodes += 1
        if self.nodes > self.max_nodes:
            self.fatal = YamlProblem(
                f"YAML expands to more than {self.max_nodes:,} values (limits.yaml_nodes); "
                "aliases repeat their anchor's content",
                "remove the anchors (&name) and aliases (*name) and write the values out",
                self.position(node), rule="limit",
            )
            return None
        if depth > self.max_depth:
            self.fatal = _too_deep(self.max_depth, self.position(node))
            return None
        tag = node.tag
        mark = node.start_mark
        self.doc.values[path] = _position((mark.line + 1 + self.offset, mark.column + 1))
        if tag not in _ALLOWED_TAGS:
            self.problem(node, path, f"YAML tag {_short_tag(tag)} is not allowed",
                         "cards are read as plain data: remove the tag")
            return None
        kind = "scalar" if isinstance(node, ScalarNode) else "map" if isinstance(node, MappingNode) else "seq"
        if _TAG_KINDS.get(tag, kind) != kind:
            self.problem(node, path, f"YAML tag {_short_tag(tag)} cannot be put on "
                         f"{_KIND_WORDS[kind]}", "cards are read as plain data: remove the tag")
            return None
        if tag == _STR and isinstance(node, ScalarNode):
            return self.text_of(node, path) if node.style == '"' else node.value
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
            key = self.text_of(key_node, path) if key_node.style == '"' else key_node.value
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

    def text_of(self, node: ScalarNode, path: DataPath) -> str:
        """A double-quoted scalar's text: control characters its escapes wrote ("\\e",
        "\\x07", "\\0") are errors and replaced; bidirectional controls written as escapes are
        warnings (literal ones were reported at their column with the rest of the text)."""
        value: str = node.value
        if not INVISIBLE.search(value):
            return value
        control = CONTROL.search(value)
        if control is not None:
            char = control.group()
            self.problem(node, path, f"invisible control character {char_name(char)}, written as an escape "
                         "in quotes", f"remove the escape that writes it ({_escapes(char)})")
            value = CONTROL.sub(REPLACEMENT, value)
        written = self.text[node.start_mark.index : node.end_mark.index]
        escaped = next((c for c in BIDI.findall(value) if c not in written), None)
        if escaped is not None:
            self.doc.warnings.append(YamlProblem(bidi_message(escaped) + " (written as an escape in quotes)",
                                                 BIDI_HINT, self.position(node), path))
        return value

    def scalar(self, node: ScalarNode, path: DataPath) -> Any:
        tag = node.tag
        text = self.text_of(node, path) if node.style == '"' else node.value
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
            try:
                number = _scalars.construct_yaml_int(node)
            except (ValueError, IndexError):  # an explicit !!int on text that is no number
                return self.not_a_number(node, path, text, "!!int")
            if not _PLAIN_INT.fullmatch(text):
                self.problem(
                    node, path,
                    f"'{text}' is read by YAML 1.1 as the number {number}",
                    f"write {number} if you mean the number, or \"{text}\" in quotes for the text",
                )
            return number
        try:
            real: float = _scalars.construct_yaml_float(node)
        except (ValueError, IndexError):
            return self.not_a_number(node, path, text, "!!float")
        if real.is_integer() and not (path and isinstance(path[0], str) and path[0].startswith("x-")):
            self.doc.has_whole_float = True
        return real

    def not_a_number(self, node: ScalarNode, path: DataPath, text: str, tag: str) -> str:
        """An explicit number tag on text that is no number: reported, and kept as the text."""
        self.problem(node, path, f"'{text}' is tagged {tag} but is not a number",
                     "remove the tag (YAML reads numbers without one), or write a number")
        return text


_NAMED_ESCAPES = {"\x00": "\\0", "\x07": "\\a", "\x08": "\\b", "\x0b": "\\v", "\x0c": "\\f", "\x1b": "\\e",
                  "\x85": "\\N"}


def _escapes(char: str) -> str:
    """How a control character can be written in double quotes: '\\a', '\\x07' or '\\u0007'."""
    forms = [_NAMED_ESCAPES.get(char, ""), f"\\x{ord(char):02x}", f"\\u{ord(char):04x}"]
    return " or ".join(f"'{form}'" for form in forms if form)


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
