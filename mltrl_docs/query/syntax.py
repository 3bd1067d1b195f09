"""The query language's words and grammar: text -> tokens -> an immutable syntax tree.

Written by hand, without regular expressions: the tokenizer reads each character once, and the
parser descends once per parenthesis or ``not``, so a query is read in time linear in its length.
Both are bounded (``MAX_LENGTH`` characters, ``MAX_DEPTH`` levels of nesting); past a bound the
query is a problem, never a ``RecursionError``. Every node keeps where it is written (a line and
column inside the query), so the checker can point at the word it is about.

Grammar (``docs/query.md`` explains it)::

    query      := ENTITY clause*            each clause at most once, in any order
    clause     := 'where' condition | 'group' 'by' FIELD | 'sort' 'by' order (',' order)*
                | 'limit' NUMBER | 'show' FIELD (',' FIELD)*
    order      := FIELD ['asc' | 'desc']
    condition  := all ('or' all)*
    all        := negation ('and' negation)*
    negation   := 'not' negation | '(' condition ')' | test
    test       := FIELD (OP value | ['not'] 'in' '(' value (',' value)* ')' | ['not'] 'contains' value)?
    OP         := '=' | '!=' | '<' | '<=' | '>' | '>='
    value      := NUMBER | DATE | DURATION | 'true' | 'false' | 'none' | WORD | STRING
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from mltrl_docs.findings import Position, cut

MAX_LENGTH = 2_000
"""Characters of one query at most: a question, not a program."""
MAX_DEPTH = 32
"""Parentheses and ``not`` nested at most this deep."""
MAX_DIGITS = 30
"""Digits of a number or duration at most (Python refuses to read a number of thousands of digits)."""

CLAUSES = ("where", "group", "sort", "limit", "show")
"""The words that start a clause, after the entity."""
KEYWORDS = frozenset({*CLAUSES, "by", "asc", "desc", "and", "or", "not", "in", "contains"})
"""Reserved words: never a field's name. ``true``, ``false`` and ``none`` are values."""
OPERATORS = ("=", "!=", "<", "<=", ">", ">=")
DAYS_PER_UNIT = {"d": 1, "w": 7, "m": 30, "y": 365}
"""A duration's unit in days: a month counts 30 days, a year 365."""
_WORD_PUNCTUATION = frozenset("_-./")
"""Besides letters and digits, what a bare word may hold (``in-review``, ``P12.2``, ``2026-01-31``)."""
_ESCAPES = {"\\": "\\", '"': '"', "'": "'", "n": "\n", "t": "\t"}


@dataclass(frozen=True, slots=True)
class Problem:
    """What is wrong with a query, where inside it (line and column of the query's own text)."""

    rule: str
    """``query-syntax``, ``query-field``, ``query-type`` or ``query-value``."""
    message: str
    position: Position
    hint: str | None = None


class QueryError(Exception):
    """A problem that ends reading the query (a syntax error): nothing after it can be trusted."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


class TokenKind(StrEnum):
    WORD = "word"
    """A bare word: a keyword, an entity or field name, or a text value."""
    STRING = "string"
    """A quoted text."""
    NUMBER = "number"
    DATE = "date"
    DURATION = "duration"
    OPERATOR = "operator"
    """``=``, ``!=``, ``<``, ``<=``, ``>``, ``>=``."""
    PUNCTUATION = "punctuation"
    """``(``, ``)`` or ``,``."""
    END = "end"


@dataclass(frozen=True, slots=True)
class Token:
    kind: TokenKind
    text: str
    """As written (a string's text without its quotes, escapes resolved)."""
    position: Position
    value: int | float | dt.date | None = None
    """A number's value, a date, or a duration in days."""

    @property
    def word(self) -> str:
        """A bare word's keyword form (case does not matter in keywords and names)."""
        return self.text.casefold() if self.kind is TokenKind.WORD else ""

    def shown(self) -> str:
        """The token as a message quotes it."""
        if self.kind is TokenKind.END:
            return "the end of the query"
        if self.kind is TokenKind.STRING:
            return repr(self.text)
        return f"'{self.text}'"


# --- the syntax tree ------------------------------------------------------------------------------


class LiteralKind(StrEnum):
    TEXT = "text"
    """A bare word or a quoted text."""
    NUMBER = "number"
    DATE = "date"
    DURATION = "duration"
    BOOLEAN = "boolean"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Literal:
    """A value as written; the checker reads it as the field it is compared with takes."""

    kind: LiteralKind
    text: str
    """As written (quotes removed): what a text field compares, also for ``1.2`` or ``2026-01-31``."""
    value: str | int | float | dt.date | bool | None
    position: Position
    quoted: bool = False


@dataclass(frozen=True, slots=True)
class Name:
    """A field or entity name as written."""

    text: str
    position: Position

    @property
    def key(self) -> str:
        return self.text.casefold()


@dataclass(frozen=True, slots=True)
class Compare:
    """``FIELD OP value``; ``in`` and ``contains`` (with ``not``) too, and a field standing alone
    (``op`` is ``None``: a yes/no field that must be true)."""

    field: Name
    op: str | None
    """``=``, ``!=``, ``<``, ``<=``, ``>``, ``>=``, ``in``, ``not in``, ``contains``, ``not contains``."""
    values: tuple[Literal, ...]
    position: Position
    """Where the operator is written (the field's position when it stands alone)."""


@dataclass(frozen=True, slots=True)
class Not:
    operand: Expression
    position: Position


@dataclass(frozen=True, slots=True)
class And:
    operands: tuple[Expression, ...]
    position: Position


@dataclass(frozen=True, slots=True)
class Or:
    operands: tuple[Expression, ...]
    position: Position


Expression = Compare | Not | And | Or


@dataclass(frozen=True, slots=True)
class SortKey:
    field: Name
    descending: bool
    position: Position


@dataclass(frozen=True, slots=True)
class Statement:
    """One query as written: what it asks about and each clause it has."""

    entity: Name
    where: Expression | None = None
    group_by: Name | None = None
    sort: tuple[SortKey, ...] = ()
    limit: Literal | None = None
    show: tuple[Name, ...] = ()
    text: str = ""


# --- tokens ---------------------------------------------------------------------------------------


def did_you_mean(word: str, choices: Sequence[str]) -> str | None:
    """The choice closest to ``word``, if any is close (difflib's ratio 0.6 or more)."""
    close = difflib.get_close_matches(word.casefold(), list(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def _is_word_character(character: str) -> bool:
    return character.isalnum() or character in _WORD_PUNCTUATION


def _classify(text: str, position: Position) -> Token:
    """A bare word as a number, a date, a duration or a word (each test reads it once)."""
    digits = text[1:] if text.startswith("-") else text
    whole, dot, fraction = digits.partition(".")
    if whole.isascii() and whole.isdigit() and (not dot or (fraction.isascii() and fraction.isdigit())):
        if len(digits) > MAX_DIGITS:
            raise QueryError(Problem("query-value", f"the number {cut(text, 20)} has more than {MAX_DIGITS} digits",
                                     position, "no field holds a number this long"))
        number: int | float = float(text) if dot else int(text)
        return Token(TokenKind.NUMBER, text, position, number)
    if (len(text) == 10 and text[4] == "-" and text[7] == "-" and text.isascii()
            and (text[:4] + text[5:7] + text[8:]).isdigit()):
        try:
            return Token(TokenKind.DATE, text, position, dt.date.fromisoformat(text))
        except ValueError:
            raise QueryError(Problem("query-value", f"'{text}' is not a day of the calendar", position,
                                     "write a date as year-month-day, such as 2026-01-31")) from None
    unit = text[-1:].casefold()
    if unit in DAYS_PER_UNIT and text[:-1].isascii() and text[:-1].isdigit():
        if len(text) > MAX_DIGITS:
            raise QueryError(Problem("query-value", f"the duration {cut(text, 20)} has more than {MAX_DIGITS} digits",
                                     position, "write a duration as 30d, 12w, 6m or 2y"))
        return Token(TokenKind.DURATION, text, position, int(text[:-1]) * DAYS_PER_UNIT[unit])
    return Token(TokenKind.WORD, text, position)


def tokenize(text: str) -> list[Token]:
    """The query's tokens, ending in an END token; a ``QueryError`` at the first character that
    starts none. Each character is read once."""
    tokens: list[Token] = []
    index, line, column = 0, 1, 1
    length = len(text)

    def position_after(start: int, end: int, at: Position) -> tuple[int, int]:
        """Line and column after ``text[start:end]`` (which may hold line breaks)."""
        row, col = at
        for character in text[start:end]:
            row, col = (row + 1, 1) if character == "\n" else (row, col + 1)
        return row, col

    while index < length:
        character = text[index]
        here = Position(line, column)
        if character.isspace():
            end = index + 1
        elif _is_word_character(character):
            end = index + 1
            while end < length and _is_word_character(text[end]):
                end += 1
            tokens.append(_classify(text[index:end], here))
        elif character in "\"'":
            end, value = _string(text, index, here)
            tokens.append(Token(TokenKind.STRING, value, here))
        elif character in "<>!=":
            end = index + 2 if text[index + 1:index + 2] == "=" and character != "=" else index + 1
            operator = text[index:end]
            if operator == "!":
                raise QueryError(Problem("query-syntax", "'!' alone is no operator", here,
                                         "write != for 'is not', or not before a condition"))
            if text[end:end + 1] == "=":
                raise QueryError(Problem("query-syntax", f"'{operator}=' is no operator", here,
                                         "the operators are =, !=, <, <=, > and >= (one = for 'equals')"))
            tokens.append(Token(TokenKind.OPERATOR, operator, here))
        elif character in "(),":
            end = index + 1
            tokens.append(Token(TokenKind.PUNCTUATION, character, here))
        else:
            raise QueryError(Problem("query-syntax", f"unexpected character {character!r}", here,
                                     'quote a value that holds it: "..." or \'...\''))
        line, column = position_after(index, end, here)
        index = end
    tokens.append(Token(TokenKind.END, "", Position(line, column)))
    return tokens


def _string(text: str, start: int, here: Position) -> tuple[int, str]:
    """A quoted text from ``start`` (its opening quote): the index after its closing quote, and
    its value with escapes resolved (``\\\\``, ``\\"``, ``\\'``, ``\\n``, ``\\t``)."""
    quote = text[start]
    parts: list[str] = []
    index = start + 1
    while index < len(text):
        character = text[index]
        if character == quote:
            return index + 1, "".join(parts)
        if character == "\\":
            escaped = text[index + 1:index + 2]
            if escaped not in _ESCAPES:
                shown = f"\\{escaped}" if escaped else "a backslash at the end"
                raise QueryError(Problem(
                    "query-syntax", f"unknown escape {shown} in a quoted text", here,
                    "inside quotes write \\\\ for a backslash, \\\" or \\' for a quote, \\n or \\t"))
            parts.append(_ESCAPES[escaped])
            index += 2
            continue
        parts.append(character)
        index += 1
    raise QueryError(Problem("query-syntax", f"the quoted text starting here has no closing {quote}", here,
                             f"end it with {quote}; inside it, write \\{quote} for the quote itself"))


# --- the parser -----------------------------------------------------------------------------------


class _Parser:
    """Recursive descent over the tokens; ``depth`` bounds the recursion."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.index = 0
        self.depth = 0

    @property
    def token(self) -> Token:
        return self.tokens[self.index]

    def advance(self) -> Token:
        token = self.tokens[self.index]
        if token.kind is not TokenKind.END:
            self.index += 1
        return token

    def at_word(self, *words: str) -> bool:
        return self.token.kind is TokenKind.WORD and self.token.word in words

    def at(self, kind: TokenKind, text: str) -> bool:
        return self.token.kind is kind and self.token.text == text

    def fail(self, message: str, hint: str | None = None, token: Token | None = None) -> QueryError:
        token = token or self.token
        return QueryError(Problem("query-syntax", message.replace("{found}", token.shown()), token.position, hint))

    def expect_word(self, word: str, after: str) -> Token:
        if not self.at_word(word):
            close = did_you_mean(self.token.text, [word]) if self.token.kind is TokenKind.WORD else None
            raise self.fail(f"expected '{word}' after '{after}', found {{found}}",
                            f"did you mean '{close}'?" if close else f"write {after} {word} FIELD")
        return self.advance()

    def name(self, what: str) -> Name:
        """A field name (a bare word that is no keyword)."""
        token = self.token
        if token.kind is not TokenKind.WORD or token.word in KEYWORDS:
            found = "the keyword {found}" if token.kind is TokenKind.WORD else "{found}"
            raise self.fail(f"expected {what}, found {found}", "a field's name is a bare word, such as level or team")
        self.advance()
        return Name(token.text, token.position)

    # --- the statement -----------------------------------------------------------------------

    def statement(self, text: str) -> Statement:
        if self.token.kind is TokenKind.END:
            raise self.fail("the query is empty", "start with what it asks about: projects, cards, requirements, "
                                                  "reviews, findings or terms")
        entity = self.name("what the query asks about (projects, cards, requirements, reviews, findings or terms)")
        statement = Statement(entity, text=text)
        seen: set[str] = set()
        while self.token.kind is not TokenKind.END:
            token = self.token
            if token.kind is not TokenKind.WORD or token.word not in CLAUSES:
                close = did_you_mean(token.text, CLAUSES) if token.kind is TokenKind.WORD else None
                if close is not None:
                    hint = f"did you mean '{close}'?"
                elif "where" in seen and token.kind is TokenKind.WORD:
                    hint = "join conditions with and or or; quote a value of several words"
                else:
                    hint = "a clause starts with where, group by, sort by, limit or show"
                raise self.fail("expected where, group by, sort by, limit or show, found {found}", hint)
            if token.word in seen:
                raise self.fail(f"a second '{token.word}' clause", "each clause is written at most once")
            seen.add(token.word)
            self.advance()
            statement = self.clause(token.word, statement)
        return statement

    def clause(self, word: str, statement: Statement) -> Statement:
        """``statement`` with the clause that starts with ``word`` (read from the tokens)."""
        if word == "where":
            return replace(statement, where=self.condition())
        if word == "group":
            self.expect_word("by", "group")
            return replace(statement, group_by=self.name("a field to group by"))
        if word == "sort":
            self.expect_word("by", "sort")
            keys = [self.sort_key()]
            while self.at(TokenKind.PUNCTUATION, ","):
                self.advance()
                keys.append(self.sort_key())
            return replace(statement, sort=tuple(keys))
        if word == "limit":
            token = self.token
            if token.kind is not TokenKind.NUMBER:
                raise self.fail("expected a number after 'limit', found {found}", "write limit 20")
            self.advance()
            return replace(statement, limit=Literal(LiteralKind.NUMBER, token.text, token.value, token.position))
        names = [self.name("a field to show")]
        while self.at(TokenKind.PUNCTUATION, ","):
            self.advance()
            names.append(self.name("a field to show"))
        return replace(statement, show=tuple(names))

    def sort_key(self) -> SortKey:
        field = self.name("a field to sort by")
        descending = False
        if self.at_word("asc", "desc"):
            descending = self.advance().word == "desc"
        return SortKey(field, descending, field.position)

    # --- conditions --------------------------------------------------------------------------

    def nest(self, token: Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise QueryError(Problem("query-syntax", f"the condition nests deeper than {MAX_DEPTH} levels "
                                     "(parentheses and not)", token.position,
                                     "write it flatter: and and or join any number of conditions"))

    def condition(self) -> Expression:
        start = self.token.position
        parts = [self.all_of()]
        while self.at_word("or"):
            self.advance()
            parts.append(self.all_of())
        return parts[0] if len(parts) == 1 else Or(tuple(parts), start)

    def all_of(self) -> Expression:
        start = self.token.position
        parts = [self.negation()]
        while self.at_word("and"):
            self.advance()
            parts.append(self.negation())
        return parts[0] if len(parts) == 1 else And(tuple(parts), start)

    def negation(self) -> Expression:
        token = self.token
        if self.at_word("not"):
            self.nest(token)
            self.advance()
            operand = self.negation()
            self.depth -= 1
            return Not(operand, token.position)
        if self.at(TokenKind.PUNCTUATION, "("):
            self.nest(token)
            self.advance()
            inner = self.condition()
            if not self.at(TokenKind.PUNCTUATION, ")"):
                raise self.fail("expected ')' to close a '(', found {found}", "close every ( with a )")
            self.advance()
            self.depth -= 1
            return inner
        return self.test()

    def test(self) -> Compare:
        field = self.name("a field to test")
        token = self.token
        if token.kind is TokenKind.OPERATOR:
            self.advance()
            return Compare(field, token.text, (self.value(token.text),), token.position)
        negated = self.at_word("not")
        if negated:
            self.advance()
            if not self.at_word("in", "contains"):
                raise self.fail(f"expected 'in' or 'contains' after '{field.text} not', found {{found}}",
                                f"write {field.text} not in (a, b), or not before the whole condition")
        if self.at_word("in"):
            self.advance()
            return Compare(field, "not in" if negated else "in", self.values(), token.position)
        if self.at_word("contains"):
            self.advance()
            return Compare(field, "not contains" if negated else "contains", (self.value("contains"),),
                           token.position)
        if self.token.kind is TokenKind.WORD and self.token.word not in KEYWORDS:
            close = did_you_mean(self.token.text, ["in", "contains", "and", "or", "not"])
            raise self.fail(f"expected an operator after '{field.text}', found {{found}}",
                            f"did you mean '{close}'?" if close else
                            "compare with =, !=, <, <=, >, >=, in (...) or contains")
        if self.token.kind in (TokenKind.STRING, TokenKind.NUMBER, TokenKind.DATE, TokenKind.DURATION):
            raise self.fail(f"expected an operator after '{field.text}', found {{found}}",
                            "compare with =, !=, <, <=, >, >=, in (...) or contains")
        return Compare(field, None, (), field.position)

    def values(self) -> tuple[Literal, ...]:
        if not self.at(TokenKind.PUNCTUATION, "("):
            raise self.fail("expected '(' after 'in', found {found}", "write in (a, b, c)")
        self.advance()
        found = [self.value("in")]
        while self.at(TokenKind.PUNCTUATION, ","):
            self.advance()
            found.append(self.value("in"))
        if not self.at(TokenKind.PUNCTUATION, ")"):
            raise self.fail("expected ',' or ')' in the list after 'in', found {found}",
                            "separate the values with commas and close the list with )")
        self.advance()
        return tuple(found)

    def value(self, after: str) -> Literal:
        token = self.token
        kinds = {TokenKind.NUMBER: LiteralKind.NUMBER, TokenKind.DATE: LiteralKind.DATE,
                 TokenKind.DURATION: LiteralKind.DURATION}
        if token.kind in kinds:
            self.advance()
            return Literal(kinds[token.kind], token.text, token.value, token.position)
        if token.kind is TokenKind.STRING:
            self.advance()
            return Literal(LiteralKind.TEXT, token.text, token.text, token.position, quoted=True)
        if token.kind is TokenKind.WORD:
            self.advance()
            if token.word in ("true", "false"):
                return Literal(LiteralKind.BOOLEAN, token.text, token.word == "true", token.position)
            if token.word == "none":
                return Literal(LiteralKind.NONE, token.text, None, token.position)
            return Literal(LiteralKind.TEXT, token.text, token.text, token.position)
        raise self.fail(f"expected a value after '{after}', found {{found}}",
                        "a value is a number, a date (2026-01-31), a duration (30d), true, false, none, "
                        'a word or a quoted text ("Cloud platform")')


def parse_statement(text: str) -> Statement:
    """The syntax tree of one query; ``QueryError`` at its first syntax error, or when it is
    longer than ``MAX_LENGTH`` characters or nests deeper than ``MAX_DEPTH``."""
    if len(text) > MAX_LENGTH:
        raise QueryError(Problem("query-syntax", f"the query is {len(text):,} characters long, more than "
                                 f"{MAX_LENGTH:,}", Position(1, 1),
                                 "ask a shorter question, or split it into several"))
    return _Parser(tokenize(text)).statement(text)
