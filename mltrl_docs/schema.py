"""Check YAML data against a shipped JSON Schema and say what is wrong in plain words.

jsonschema's messages (``'approvedd' is not one of [...]``) are written for
programmers; each error here becomes a located Finding with a short message,
the readable field path and a one-line hint taken from the validator kind, the
schema's own descriptions and the text the author actually wrote.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Iterator
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import fastjsonschema

from mltrl_docs.findings import Finding, Position, error
from mltrl_docs.resources import load_schema
from mltrl_docs.yamldata import DataPath, YamlDocument

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator, TypeChecker
    from jsonschema.exceptions import ValidationError

_REQUIRED = re.compile(r"""^(['"])(?P<name>.*)\1 is a required property$""")
_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "array": "a list",
    "object": "a mapping (key: value lines)",
    "null": "null",
    "boolean": "true or false",
}


def _is_whole_number(checker: TypeChecker, instance: object) -> bool:
    """YAML ``3.0`` is a float: not a level or a risk score (JSON Schema would accept it)."""
    return isinstance(instance, int) and not isinstance(instance, bool)


@cache
def validator(name: str) -> Draft202012Validator:
    """One compiled validator per schema, reused for every file. jsonschema is imported
    only here: valid files never need it, and it is a fifth of the CLI's start-up."""
    from jsonschema import Draft202012Validator, FormatChecker, validators

    whole_numbers = Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_whole_number)
    extended = validators.extend(Draft202012Validator, {"pattern": _pattern}, type_checker=whole_numbers)
    return extended(load_schema(name), format_checker=FormatChecker())


def _pattern(validator: Any, pattern: str, instance: object, schema: dict[str, Any]) -> Iterator[Any]:
    """The ``pattern`` keyword as JSON Schema means it (ECMA-262: ``$`` is the end of the text).
    Python's ``$`` also matches before a final newline, so ``id: "1.2\n"`` passed jsonschema."""
    from jsonschema.exceptions import ValidationError

    if isinstance(instance, str) and not _ecma_pattern(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@cache
def _ecma_pattern(pattern: str) -> re.Pattern[str]:
    ends = pattern.endswith("$") and not pattern.endswith("\\$")
    return re.compile(pattern[:-1] + r"\Z" if ends else pattern)


def _is_iso_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


@cache
def _fast_validator(name: str) -> Any:
    """fastjsonschema compiles the schema to Python: ~8x faster on valid files, which
    are most files. It only says yes or no; jsonschema explains every no. Our schemas
    use nothing draft 2020-12 adds to draft 7, so the draft-7 compiler reads them.

    Its code names the place of each ``no`` by formatting a path with ``**locals()``, a dict
    of the validator's hundreds of locals, even without detailed exceptions; and ``if``,
    ``not`` and ``anyOf`` say ``no`` on valid cards too (every criterion without ``tests``,
    every requirement not waived). Nothing reads that message here, so the code is compiled
    without the formatting: a card with five acceptance criteria is checked in a quarter of
    the time (323 against 79 microseconds)."""
    schema = {**_const_as_enum(load_schema(name)), "$schema": "http://json-schema.org/draft-07/schema#"}
    code = fastjsonschema.compile_to_code(schema, formats={"date": _is_iso_date}, detailed_exceptions=False)
    namespace: dict[str, Any] = {}
    # The code is fastjsonschema's, generated from the schemas we ship: no card's text is in it.
    exec(compile(code.replace(_LOCALS_FORMAT, ""), f"<fast validator of {name}>", "exec"), namespace)
    entry = code.split("\ndef ", 1)[1].split("(", 1)[0]  # the schema's own function comes first
    return partial(namespace[entry], custom_formats={"date": _is_iso_date})


_LOCALS_FORMAT = ".format(**locals())"
"""How fastjsonschema's code fills the path into a message (``_fast_validator``)."""


def _const_as_enum(schema: Any) -> Any:
    """``const: x`` as ``enum: [x]``, which JSON Schema defines alike and fastjsonschema checks alike.

    Without detailed exceptions, a ``no`` costs no message: ``if``, ``not`` and ``anyOf`` say
    ``no`` by raising, on valid cards too (every criterion without ``tests``, every requirement
    not waived), and each detailed message formatted the validator's hundreds of locals: 3.5x
    the time of the whole check. fastjsonschema 2.22 cannot compile ``const`` without details."""
    if isinstance(schema, dict):
        return {("enum" if key == "const" else key): ([value] if key == "const" else _const_as_enum(value))
                for key, value in schema.items()}
    if isinstance(schema, list):
        return [_const_as_enum(value) for value in schema]
    return schema


def fast_accepts(name: str, document: YamlDocument) -> bool:
    """True only when the document is certainly valid; False means: ask jsonschema.

    fastjsonschema takes a whole-number float (``3.0``) for an integer, where jsonschema, with
    ``_is_whole_number``, does not: a document holding one always goes to jsonschema. Every
    other float is judged alike by both (neither takes ``1.1`` or ``0.7`` for an integer;
    ``enum``, ``const``, ``minimum`` and ``maximum`` compare numbers as Python does), so a
    format 1.1 card (``mltrl: 1.1``) takes the fast path like a format 1 card."""
    if document.has_whole_float or document.problems:
        return False
    try:
        _fast_validator(name)(document.data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def field_name(path: DataPath, root: str = "frontmatter") -> str:
    """``('requirements', 1, 'status')`` -> ``requirements[1].status``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or root


def check(name: str, document: YamlDocument, path: Path, root: Position) -> list[Finding]:
    """Findings for every schema error in ``document``; ``root`` locates the whole block."""
    return check_touching(name, document, path, root)[0]


def _words_not_booleans(name: str, document: YamlDocument) -> None:
    """A plain ``off``, ``on``, ``yes`` or ``no`` that YAML 1.1 reads as a boolean is read as the
    word when the schema takes that very word there (``link_terms: off``, a gate rule's ``on``),
    as editors reading YAML 1.2 against the same schema do: the file means the word, and the
    editor and the check must agree. Elsewhere (``status: no``) the YAML problem stands."""
    if not document.problems or not isinstance(document.data, dict):
        return
    for problem in list(document.problems):
        word = document.raw.get(problem.path)
        if not problem.path or word is None or problem.message not in (
                f"'{word}' is read by YAML as the boolean {value}" for value in ("true", "false")):
            continue
        *parents, last = problem.path
        holder: Any = document.data
        for part in parents:
            holder = holder[part]
        value = holder[last]
        holder[last] = word
        if any(tuple(err.absolute_path)[: len(problem.path)] == problem.path
               for err in validator(name).iter_errors(document.data)):
            holder[last] = value  # the schema does not take the word here either
        else:
            document.problems.remove(problem)


def touches(touched: Iterable[DataPath], path: DataPath) -> bool:
    """Whether an error at one of the ``touched`` paths concerns the value at ``path``: it is at
    the value, inside it, or at one of the mappings and lists that hold it."""
    return any(path[: len(t)] == t or t[: len(path)] == path for t in touched)


def check_touching(name: str, document: YamlDocument, path: Path,
                   root: Position) -> tuple[list[Finding], set[DataPath]]:
    """``check``'s findings, and the paths its errors touch: what is wrong or missing (a missing
    required field touches that field, not its siblings). A value at no touched path
    (``touches``) is as the schema wants it, so the rules may still judge it."""
    _words_not_booleans(name, document)
    if fast_accepts(name, document):
        return [], set()
    handled = {problem.path for problem in document.problems}
    touched = set(handled)
    by_path: dict[DataPath, Finding] = {}
    for problem in document.problems:
        by_path.setdefault(problem.path, error("yaml", problem.message, path, problem.position,
                                               field=field_name(problem.path), hint=problem.hint))
    findings = list(by_path.values())
    seen: set[tuple[DataPath, str]] = set()
    for err in validator(name).iter_errors(document.data):
        required = _REQUIRED.match(err.message) if err.validator == "required" else None
        if required:
            touched.add((*err.absolute_path, required.group("name")))
        for data_path, message, hint, at_key in _explain(err, document, load_schema(name)):
            if not required:
                touched.add(data_path)  # an unknown field's own path, not its mapping's
            if any(data_path[: len(p)] == p for p in handled if p):
                continue
            if (data_path, message) in seen or (data_path in by_path and not at_key):
                continue
            seen.add((data_path, message))
            position = _position(document, data_path, at_key) or root
            finding = error("schema", message, path, position, field=field_name(data_path), hint=hint)
            by_path.setdefault(data_path, finding)
            findings.append(finding)
    return sorted(findings, key=Finding.sort_key), touched


def _position(document: YamlDocument, path: DataPath, at_key: bool) -> Position | None:
    if not path:
        return None
    if at_key:
        return document.keys.get(path) or document.where(path)
    return document.values.get(path) or document.where(path)


def _explain(err: ValidationError, document: YamlDocument,
             root_schema: dict[str, Any]) -> Iterable[tuple[DataPath, str, str, bool]]:
    """(path, message, hint, locate-at-key) for one jsonschema error."""
    path: DataPath = tuple(err.absolute_path)
    schema = err.schema if isinstance(err.schema, dict) else {}
    value: Any = err.instance
    kind = err.validator
    expected: Any = err.validator_value  # typed 'Any | Unset' by the stubs; set for every error here
    custom = schema.get("errorMessage")
    label = field_name(path)
    if "propertyNames" in err.schema_path:
        yield (*path, value), f"name '{value}' in {label} " + (custom or "may only use letters, digits, '_' and '-'"), \
            schema.get("x-hint") or "rename the key", True
    elif kind == "required":
        match = _REQUIRED.match(err.message)
        missing = match.group("name") if match else "?"
        described = _property_schema(root_schema, path).get("properties", {}).get(missing, {}).get("description", "")
        where = "" if not path else f" in {label}"
        yield path, f"missing required field '{missing}'{where}", _add_hint(missing, described), True
    elif kind == "additionalProperties":
        yield from _unknown_fields(path, schema, value)
    elif kind == "type" and value is None:
        yield path, f"{label} is empty", "fill in a value", False
    elif kind == "type" and "x-expected" in schema:  # a value of one of two shapes (a text or a mapping)
        yield path, f"{label} must be {schema['x-expected']}, not {_describe(value, document.raw.get(path))}", \
            schema.get("x-hint", "see the description of this field"), False
    elif kind == "type":
        yield path, f"{label} must be {_expected(expected)}, not {_describe(value, document.raw.get(path))}", \
            _type_hint(expected, value, document.raw.get(path)), False
    elif kind == "dependentRequired" and isinstance(value, dict):
        for key, needed in expected.items():
            missing = [name for name in needed if key in value and name not in value]
            if missing:
                yield (*path, key), f"{field_name((*path, key))} needs {', '.join(missing)} beside it", \
                    f"add {missing[0]}: (what {key} applies to), or remove {key}", True
    elif kind == "not" and "x-since" in schema:
        since = schema["x-since"]
        yield path, f"{label} is a format {since} field: write mltrl: {since}", \
            f"format {since} keeps every older field: make the first line 'mltrl: {since}', or remove this field", True
    elif kind == "enum" and not custom:
        options = [str(o) for o in expected]
        guess = difflib.get_close_matches(str(value), options, n=1)
        hint = f"use one of: {', '.join(options)}" + (f" (did you mean '{guess[0]}'?)" if guess else "")
        yield path, f"{_describe(value, document.raw.get(path))} is not a valid {_last(path)}", hint, False
    elif kind in ("minimum", "maximum"):
        low, high = schema.get("minimum"), schema.get("maximum")
        yield path, f"{label} is {value}, outside {low}..{high}", f"use a whole number from {low} to {high}", False
    elif kind == "minLength":
        yield path, f"{label} is empty", "write a value or remove the key", False
    elif kind == "minItems":
        what = _first_sentence(schema.get("description", ""))
        yield path, f"{label} is an empty list", f"{what}: list at least one", False
    elif kind == "uniqueItems":
        yield path, f"{label} lists the same item twice", "remove the duplicate", False
    elif kind == "format":
        yield path, f"'{value}' is not a valid date", "write an ISO date: YYYY-MM-DD (e.g. 2021-06-14)", False
    elif custom:
        hint = schema.get("x-hint") or _first_sentence(schema.get("description", "see the card format"))
        yield path, str(custom), hint, False
    elif kind == "pattern":
        yield path, f"'{value}' is not a valid {_last(path)}", _first_sentence(schema.get("description", "")), False
    else:
        yield path, f"{label}: {err.message}", "see the card format", False


def _unknown_fields(path: DataPath, schema: dict[str, Any], value: Any) -> Iterable[tuple[DataPath, str, str, bool]]:
    known = list(schema.get("properties", {}))
    patterns = [re.compile(p) for p in schema.get("patternProperties", {})]
    for key in value:
        if key in known or any(p.search(key) for p in patterns):
            continue
        guess = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
        if guess:
            hint = f"did you mean '{guess[0]}'?"
        else:
            hint = f"known fields here: {', '.join(known)}"
            if patterns:
                hint += "; custom fields start with 'x-'"
        where = f" in {field_name(path)}" if path else ""
        yield (*path, key), f"unknown field '{key}'{where}", hint, True


def _property_schema(root: dict[str, Any], path: DataPath) -> dict[str, Any]:
    """The schema describing the object at ``path`` (an if/then branch has no 'properties')."""
    node: Any = root
    for part in path:
        if not isinstance(node, dict):
            return {}
        if isinstance(part, int):
            node = node.get("items", {})
        else:
            node = node.get("properties", {}).get(part) or node.get("additionalProperties") or {}
    return node if isinstance(node, dict) else {}


def _add_hint(name: str, description: str) -> str:
    sentence = _first_sentence(description)
    if sentence[:2].istitle() or sentence[:2].islower():
        sentence = sentence[:1].lower() + sentence[1:]
    return f"add '{name}:'" + (f": {sentence}" if sentence else "")


_SENTENCE_END = re.compile(r"(?<!e\.g)(?<!i\.e)\.\s+(?=[A-Z])")


def _first_sentence(text: str) -> str:
    return _SENTENCE_END.split(text, maxsplit=1)[0].strip().rstrip(".")


def _last(path: DataPath) -> str:
    named = [p for p in path if isinstance(p, str)]
    return named[-1] if named else "value"


def _expected(types: str | list[str]) -> str:
    names = [types] if isinstance(types, str) else list(types)
    return " or ".join(_TYPE_WORDS.get(t, t) for t in names)


def _describe(value: Any, raw: str | None) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}" + (f" (written {raw})" if raw else "")
    if isinstance(value, (int, float)):
        written = f" (written {raw})" if raw is not None and raw != str(value) else ""
        return f"the number {value}{written}"
    if value is None:
        return "empty"
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__  # pragma: no cover - YAML data has no other types


def _type_hint(types: str | list[str], value: Any, raw: str | None) -> str:
    names = [types] if isinstance(types, str) else list(types)
    if value is None:
        return "fill in a value or remove the key"
    if "string" in names and raw is not None:
        return f'write it in quotes: "{raw}"'
    if "array" in names:
        shown = raw if raw is not None else value if isinstance(value, str) else "..."
        return f"write a list: [{shown}]"
    if "integer" in names and isinstance(value, float) and value.is_integer():
        return f"write {int(value)}, without the decimal point"
    if "integer" in names and isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return f"write the number without quotes: {value.strip()}"
    if "object" in names:
        return "write 'key: value' lines indented under it"
    return f"write {_expected(types)}"
