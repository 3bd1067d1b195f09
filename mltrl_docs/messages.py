"""The words mltrl-docs writes on generated pages, in the site's language.

Every label comes from one message table per language, shipped as package data
(``mltrl_docs/data/messages/<language>.yml``: flat, dotted keys; plain-text values with
``{name}`` placeholders; a plural message is a mapping ``{one: ..., other: ...}``).
English and German ship complete. A site picks the language (``language:`` in
mltrl-docs.yml, else the theme's) and may override any message under ``labels:``;
``load_messages`` checks the overrides and reports each problem as a located finding.

Placeholders are filled by one linear pass of ``PLACEHOLDER`` (never ``str.format``): an
override a site wrote cannot reach attributes or indexes (``{x.__class__}`` is plain text),
and a filled-in value is never read for placeholders again.

Core layer: no MkDocs, no Jinja; ``render.html`` wraps ``Messages`` for templates.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType

from mltrl_docs.findings import Finding, Severity, error
from mltrl_docs.yamldata import YamlDocument, read_yaml

LANGUAGES: tuple[str, ...] = ("en", "de")
"""The languages whose message tables ship complete."""
DEFAULT_LANGUAGE = "en"

PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
"""A placeholder in a message: ``{name}``. Any other text in braces is plain text."""
KEY = re.compile(r"[a-z0-9_]+(?:\.[a-z0-9_]+)+")
"""A message key: dotted parts of lower-case letters, digits and ``_`` (fullmatch)."""
_TAG_SEPARATOR = re.compile(r"[-_]")

PLURAL_FORMS = ("one", "other")
"""The forms a plural message has (English and German need these two)."""

Message = str | Mapping[str, str]
"""A message: one text, or a plural message's text per form."""

_PLURAL_RULES: Mapping[str, Callable[[int], str]] = {
    "en": lambda count: "one" if count == 1 else "other",
    "de": lambda count: "one" if count == 1 else "other",
}
"""Which form a count takes, per language (CLDR's rule, reduced to the forms we ship)."""

_DATE_PLACEHOLDERS = frozenset({"year", "month", "day", "month_name", "day_number"})
EXTRA_PLACEHOLDERS: Mapping[str, frozenset[str]] = MappingProxyType({
    "date.format": _DATE_PLACEHOLDERS,
    "date.year_month": frozenset({"year", "month", "month_name"}),
})
"""Placeholders a site's override of these messages may use besides the table's own."""


@dataclass(frozen=True, slots=True, eq=False)
class Messages:
    """One language's message table, with a site's overrides applied (compared by identity:
    built once per build)."""

    language: str
    """The language code the table is for (``en``, ``de``)."""
    table: Mapping[str, Message]
    _dates: dict[dt.date, str] = field(default_factory=dict, init=False, repr=False, compare=False)
    """The days said so far (``date``)."""

    def message(self, key: str) -> Message:
        """The raw message; an unknown key is a programming error (KeyError)."""
        try:
            return self.table[key]
        except KeyError:
            raise KeyError(f"no message '{key}' in the message tables (mltrl_docs/data/messages/"
                           f"{DEFAULT_LANGUAGE}.yml); add it to every table") from None

    def text(self, key: str, **values: object) -> str:
        """The message ``key`` with its placeholders filled from ``values``."""
        return self.compose(key, values)

    def plural(self, key: str, count: int, **values: object) -> str:
        """The plural message ``key`` in the form ``count`` takes; ``{count}`` is the count."""
        return self.compose(key, values, count=count)

    def compose(self, key: str, values: Mapping[str, object], *, count: int | None = None,
                text: Callable[[str], str] = str, value: Callable[[object], str] | None = None) -> str:
        """The message ``key`` (in the form ``count`` takes, for a plural message) with ``text``
        applied to its own words and ``value`` to each filled-in value (default: ``str``, a date
        in the language's format): the way to escape the two differently."""
        template = self._form(key, count)
        if count is not None:
            values = {**values, "count": count}
        convert = value or self.value
        parts: list[str] = []
        for words, name in _pieces(template, text):
            parts.append(words)
            if name is not None:
                if name not in values:
                    raise KeyError(f"message '{key}' needs a value for {{{name}}}")
                parts.append(convert(values[name]))
        return "".join(parts)

    def value(self, value: object) -> str:
        """A value as a message prints it: a date in the language's format, anything else as ``str``."""
        return self.date(value) if isinstance(value, dt.date) else str(value)

    def date(self, day: dt.date) -> str:
        """``day`` in the language's display format (``date.format``): 2021-06-14, 14.06.2021
        (worked out once per day: a site prints the same few hundred days thousands of times)."""
        said = self._dates.get(day)
        if said is None:
            said = self._dates[day] = self.text("date.format", **_date_values(day, self))
        return said

    def year_month(self, day: dt.date) -> str:
        """The month of ``day`` as a chart's time axis labels it (``date.year_month``): 2021-06."""
        return self.text("date.year_month", **_date_values(day, self))

    def plural_form(self, count: int) -> str:
        """The form (``one``, ``other``) a count takes in this language."""
        return _PLURAL_RULES.get(self.language, _PLURAL_RULES[DEFAULT_LANGUAGE])(count)

    def _form(self, key: str, count: int | None) -> str:
        message = self.message(key)
        if isinstance(message, str):
            if count is not None:
                raise KeyError(f"message '{key}' is not a plural message; use text(), not plural()")
            return message
        if count is None:
            raise KeyError(f"message '{key}' is a plural message; use plural() with a count")
        return message.get(self.plural_form(count)) or message["other"]


@lru_cache(maxsize=4096)
def _pieces(template: str, text: Callable[[str], str]) -> tuple[tuple[str, str | None], ...]:
    """A message's text split at its placeholders, ``text`` applied to its own words: pairs of
    (words, the placeholder after them or None). Split once per message and way of escaping,
    not on every page that says it."""
    pieces: list[tuple[str, str | None]] = []
    start = 0
    for match in PLACEHOLDER.finditer(template):
        pieces.append((text(template[start:match.start()]), match.group(1)))
        start = match.end()
    pieces.append((text(template[start:]), None))
    return tuple(pieces)


def _date_values(day: dt.date, messages: Messages) -> dict[str, object]:
    return {"year": f"{day.year:04d}", "month": f"{day.month:02d}", "day": f"{day.day:02d}",
            "day_number": str(day.day), "month_name": messages.text(f"date.month.{day.month}")}


def placeholders(message: Message) -> frozenset[str]:
    """The placeholder names a message uses (in any of its forms)."""
    texts = [message] if isinstance(message, str) else list(message.values())
    return frozenset(name for text in texts for name in PLACEHOLDER.findall(text))


_WORD_START = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def value_key(member: StrEnum) -> str:
    """The message key of an enum value a page shows (a card's status, a review decision, ...):
    ``value.<enum class in snake case>.<value with - as _>``, e.g. ``Decision.CHANGES_REQUESTED``
    -> ``value.decision.changes_requested``, ``RequirementStatus.NOT_STARTED`` ->
    ``value.requirement_status.not_started``. English says the value as a card writes it."""
    enum = _WORD_START.sub("_", type(member).__name__).lower()
    return f"value.{enum}.{str(member.value).replace('-', '_')}"

def table_file(language: str) -> Path:
    """The shipped table of ``language`` (package data)."""
    return Path(str(resources.files("mltrl_docs") / "data" / "messages" / f"{language}.yml"))


@cache
def shipped_table(language: str) -> Mapping[str, Message]:
    """The shipped table of ``language`` as written, checked: a malformed table is a bug of
    mltrl-docs, so it raises ValueError instead of reporting findings."""
    path = table_file(language)
    document = read_yaml(path.read_text(encoding="utf-8"))
    if document.problems or not isinstance(document.data, dict):
        raise ValueError(f"{path}: not a mapping of messages: {[p.message for p in document.problems]}")
    table: dict[str, Message] = {}
    for key, message in document.data.items():
        if not isinstance(key, str) or not KEY.fullmatch(key):
            raise ValueError(f"{path}: '{key}' is not a message key (dotted, lower case)")
        if isinstance(message, dict):
            if set(message) != set(PLURAL_FORMS) or not all(isinstance(m, str) for m in message.values()):
                raise ValueError(f"{path}: plural message '{key}' needs exactly the forms {PLURAL_FORMS}")
            table[key] = MappingProxyType(dict(message))
        elif isinstance(message, str):
            table[key] = message
        else:
            raise ValueError(f"{path}: message '{key}' is neither text nor a plural mapping")
    return MappingProxyType(table)


def language_code(tag: str | None) -> str:
    """The primary language of a tag, in lower case: ``de-CH``, ``de_AT``, ``DE`` -> ``de``;
    None or empty -> ``en``."""
    if not tag or not str(tag).strip():
        return DEFAULT_LANGUAGE
    return _TAG_SEPARATOR.split(str(tag).strip(), maxsplit=1)[0].lower()


@cache
def english() -> Messages:
    """The shipped English messages: the default wherever no site's messages are given."""
    return Messages(DEFAULT_LANGUAGE, shipped_table(DEFAULT_LANGUAGE))


def messages_for(language: str | None) -> Messages:
    """The shipped messages of a language tag, without overrides; English for one that does
    not ship (``load_messages`` says so)."""
    code = language_code(language)
    if code not in LANGUAGES or code == DEFAULT_LANGUAGE:
        return english()
    return Messages(code, MappingProxyType({**shipped_table(DEFAULT_LANGUAGE), **shipped_table(code)}))


def load_messages(language: str | None, overrides: Mapping[str, object] | None = None, *,
                  path: Path = Path("mltrl-docs.yml"), document: YamlDocument | None = None,
                  ) -> tuple[Messages, list[Finding]]:
    """The messages of a site: the shipped table of ``language`` (a tag such as ``de-CH``;
    None: English) with the site's ``overrides`` (message key -> text, or a plural message's
    ``{one, other}`` mapping) applied, and findings: a note when the language does not ship
    (English is used), an error for each override that cannot apply (which is left out).
    ``path`` is the file that set them; ``document``, when given, is that file read as YAML,
    where the findings are located (at ``language`` and ``labels.<key>``)."""
    findings: list[Finding] = []
    code = language_code(language)
    base = messages_for(code)
    if code not in LANGUAGES:
        where = document.where(("language",)) if document is not None else None
        findings.append(Finding(
            Severity.INFO, "language", f"mltrl-docs has no labels in the language '{language}'; "
            "the generated pages use English", path, where, field="language" if where else None,
            hint=f"set language: to one of {', '.join(LANGUAGES)} in mltrl-docs.yml, or write your own "
            "text for any label under labels: (message key -> text; the keys are in mltrl-docs' "
            f"data/messages/{DEFAULT_LANGUAGE}.yml)"))
    table = dict(base.table)
    for key, override in (overrides or {}).items():
        problem = _override_problem(str(key), override, base.table)
        if problem is not None:
            message, hint, at_key = problem
            where = None
            if document is not None:
                where = (document.keys.get(("labels", key)) if at_key else document.values.get(("labels", key)))
                where = where or document.where(("labels", key))
            findings.append(error("labels", message, path, where, field=f"labels.{key}", hint=hint))
            continue
        table[str(key)] = _merged(base.table[str(key)], override)
    return Messages(base.language, MappingProxyType(table)), findings


def _override_problem(key: str, override: object, table: Mapping[str, Message]) -> tuple[str, str, bool] | None:
    """(message, hint, located at the key) for an override that cannot apply; None when it can."""
    if key not in table:
        guess = difflib.get_close_matches(key, list(table), n=1, cutoff=0.6)
        return (f"'{key}' is not a label of mltrl-docs",
                (f"did you mean '{guess[0]}'? " if guess else "")
                + f"the labels and their keys are in mltrl-docs' data/messages/{DEFAULT_LANGUAGE}.yml", True)
    message = table[key]
    if isinstance(override, Mapping):
        if isinstance(message, str):
            return (f"label '{key}' is one text, not a plural message",
                    f"write one text: {key}: \"...\"", False)
        unknown = sorted(str(form) for form in override if form not in PLURAL_FORMS)
        if unknown or not override:
            return (f"label '{key}' is a plural message, with the forms one and other"
                    + (f", not {', '.join(unknown)}" if unknown else ""),
                    f"write {key}: {{one: \"...\", other: \"...\"}}, or one text for every count", False)
        texts = list(override.values())
    else:
        texts = [override]
    if not all(isinstance(text, str) for text in texts):
        return f"label '{key}' is not text", f"write the label's text in quotes: {key}: \"...\"", False
    allowed = placeholders(message) | EXTRA_PLACEHOLDERS.get(key, frozenset())
    if not isinstance(message, str):
        allowed |= {"count"}
    used = {name for text in texts for name in PLACEHOLDER.findall(str(text))}
    unknown = sorted(used - allowed)
    if unknown:
        names = ", ".join("{" + name + "}" for name in unknown)
        offer = ", ".join("{" + name + "}" for name in sorted(allowed))
        return (f"label '{key}' uses {names}, which the label does not have",
                (f"use only {offer}" if offer else "this label takes no values: write plain text"), False)
    return None


def _merged(message: Message, override: object) -> Message:
    """The override in the message's shape: one text for every form of a plural message, or
    the forms it gives over the table's."""
    if isinstance(message, str):
        return str(override)
    if isinstance(override, Mapping):
        return MappingProxyType({**message, **{str(k): str(v) for k, v in override.items()}})
    return MappingProxyType({form: str(override) for form in PLURAL_FORMS})
