"""Acceptance of issue 11, item 5, "Labels in the site's language": a German site says nothing of
mltrl-docs' own in English, a site's `labels:` override shows on its pages, and dates follow the
language.

How the German example is checked for English labels (``test_german_pages_say_no_english_label``):

1. The words to look for come from the message tables. For every message whose English text differs
   from its German one, the English text is cut at its placeholders; each piece (trimmed of spaces and
   punctuation) is a *fragment* if it has two or more words, or is one word of five letters or more that
   the German table does not use too ("Review", "Switchback" and "Deployment" are German labels as well).
   A template that writes an English label instead of calling t()/tn() writes one of these fragments,
   since the English output stays the words of en.yml.
2. The text looked at is every page under ``dossier/``: the text of the page's ``<article>`` (the
   theme's own chrome is the theme's business), joined across inline elements, and the attributes
   readers get as text: aria-label, aria-description, title, alt, placeholder, data-label,
   data-term, data-source, and the data-mltrl-* labels mltrl.js writes from (it has no English of its own).
3. Card data stays as the cards wrote it, in English, and is full of such fragments ("level", "in
   production", "verified"). Text alone cannot tell a card's words from a label a template wrote (both
   are the same in an English and a German build), so the German example is built with every value a
   template prints marked: the build runs with the renderer's ``finalize`` (every
   ``{{ value }}``), the values put into messages and rendered card Markdown come wrapped in two
   private-use characters (``MARKED``); t()/tn() messages and macro output are markup and stay
   unmarked, as does the templates' own text. Stripped of the marks the pages are those of a plain
   build (the date test reads them so).
   - A fragment with any letter outside the marks is a template's own English: reported, always.
   - A fragment inside the marks is a value: card data, or words Python composed. It is excused only
     when it is the sources' own words: it lies in a marked string of a card's or attachment's YAML
     (but not a field's fixed value, such as ``status: approved``, which a page must translate); on a
     glossary page or in a term link's tooltip, in a marked string of a glossary (a term's name, an
     alias, a team and its word, a definition: the shipped glossary names a term for every level,
     "Integrations"); or it appears with at least one neighbouring word of its text, word for word, in
     the sources (the example's cards, attachments and glossaries, the shipped MLTRL glossary, the authors
     and subjects of the commits that changed them, which card pages list) or in
     what the check says in English by design (findings, the gates' to-do items). So an English word
     Python has for a page (``level.name``, ``status.value``) is reported as well.
4. Expressions are checked in the templates themselves
   (``test_templates_put_no_english_in_expressions``): a string literal inside ``{{ }}`` or ``{% %}``
   (``{{ "none" if ... }}``) is printed as a value, so the marks cannot tell it from card data.
The English build runs the same check (``test_the_check_finds_the_labels_of_the_english_build``) and
finds the labels there: proof that the check looks where the labels are.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from jinja2 import pass_context
from markupsafe import Markup

import mltrl_docs.render.html as rendering
from conftest import REPO, card_text, run_mkdocs
from htmltext import INLINE, Page
from mltrl_docs.dossier import build_site
from mltrl_docs.messages import PLACEHOLDER, Message, messages_for, shipped_table
from mltrl_docs.settings import load_settings

OPEN, CLOSE = "\ue000", "\ue001"
MARKED = re.compile(f"[{OPEN}{CLOSE}]")
"""The marks around every printed value in a marked build."""
ATTRIBUTES = frozenset({"aria-label", "aria-description", "title", "alt", "placeholder", "data-label",
                        "data-term", "data-source"})
"""Attributes whose value readers get as text (besides the data-mltrl-* labels of mltrl.js)."""
WORD = re.compile(r"[A-Za-zÀ-ÿ]+(?:['’-][A-Za-zÀ-ÿ]+)*")
"""A word, as fragments and card-data context count them ("card's", "level-9", "in-review")."""
CONTEXT = 2
"""Up to how many words on each side of a fragment are looked at for its card-data context."""
LONGEST_RUN = 10
"""The longest run of words looked up in the sources: a longer fragment is never excused as card data."""
ENGLISH_LABELS_MIN = 150
"""How many distinct fragments the English example build shows at least (about 300)."""
EXAMPLE_SETTINGS = REPO / "site_example" / "mltrl-docs.yml"


@contextmanager
def _marking() -> Iterator[None]:
    """While it lasts, every value a template prints is marked (see the module's docstring, step 3): the
    renderer's finalize, the values put into messages and rendered card Markdown. The renderer takes
    them from mltrl_docs.render.html when a build makes it, and calls them while the build runs."""
    finalize, escaped, markdown = rendering.isolate_bidi, rendering._escaped, rendering._markdown_filter

    def marked_finalize(value: object) -> object:
        value = finalize(value)
        if isinstance(value, str) and not isinstance(value, Markup) and value:
            return OPEN + value + CLOSE
        return value

    def marked_escaped(messages: object, value: object) -> str:
        said = escaped(messages, value)
        return said if isinstance(value, Markup) else Markup(OPEN) + said + Markup(CLOSE)

    @pass_context
    def marked_markdown(context: object, text: str, source: object = None) -> Markup:
        return Markup(OPEN) + markdown(context, text, source) + Markup(CLOSE)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(rendering, "isolate_bidi", marked_finalize)
        patch.setattr(rendering, "_escaped", marked_escaped)
        patch.setattr(rendering, "_markdown_filter", marked_markdown)
        yield


def build(config: dict[str, object], folder: Path, *, marked: bool = False, strict: bool = True) -> Path:
    """Build a site from ``config`` (an mkdocs.yml as data) into ``folder``/site, in this process;
    ``marked``: with every value a template prints marked."""
    config_file = folder / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
    with _marking() if marked else nullcontext():
        result = run_mkdocs(config_file, folder / "site", strict=True if strict else None)
    assert result.returncode == 0, result.stderr[-3000:] + result.stdout[-500:]
    return folder / "site"


def example_config(language: str) -> dict[str, object]:
    """The example's mkdocs.yml with its paths made absolute and the theme in ``language``."""
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config["docs_dir"] = str(REPO / config["docs_dir"])
    del config["site_dir"]
    config["theme"] = {**config["theme"], "language": language}
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "mltrl" in plugin:
            plugin["mltrl"]["settings"] = str(REPO / plugin["mltrl"]["settings"])
    return config


@pytest.fixture(scope="module")
def german(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example in German, marked."""
    return build(example_config("de"), tmp_path_factory.mktemp("de"), marked=True)


@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example in English, marked."""
    return build(example_config("en"), tmp_path_factory.mktemp("en"), marked=True)


def unmarked(path: Path) -> str:
    """A page of a marked build as a plain build writes it."""
    return MARKED.sub("", path.read_text(encoding="utf-8"))


# --- the check for English labels -------------------------------------------------------------


def _forms(message: Message) -> list[str]:
    return [message] if isinstance(message, str) else [message[form] for form in sorted(message)]


@cache
def english_fragments() -> dict[str, str]:
    """Fragment -> the key of a message it comes from (see the module's docstring, step 1)."""
    english_table, german_table = shipped_table("en"), messages_for("de").table
    german_words = {word.lower() for message in german_table.values() for form in _forms(message)
                    for word in WORD.findall(PLACEHOLDER.sub(" ", form))}
    fragments: dict[str, str] = {}
    for key, message in sorted(english_table.items()):
        if _forms(message) == _forms(german_table[key]):
            continue
        for form in _forms(message):
            for piece in PLACEHOLDER.split(form)[::2]:
                piece = " ".join(piece.split()).strip(" .,:;!?()[]“”\"'·…")
                words = WORD.findall(piece)
                if len(words) >= 2 or (len(words) == 1 and len(words[0]) >= 5 and words[0].lower() not in german_words):
                    fragments.setdefault(piece, key)
    return fragments


@cache
def fragment_pattern() -> re.Pattern[str]:
    fragments = sorted(english_fragments(), key=len, reverse=True)
    return re.compile(r"(?<![\w'’-])(?:" + "|".join(map(re.escape, fragments)) + r")(?![\w'’-])")


@dataclass(frozen=True)
class Segment:
    """A run of a page's text (or an attribute's value) with its marks; ``glossary``: on a glossary
    page or an attribute of a term's link, where a value may be a glossary's words (the module's docstring)."""

    text: str
    glossary: bool = False


class _Segments(HTMLParser):
    """The text of a page's <article>, joined across inline elements, and its text-like attributes."""

    def __init__(self, html: str, glossary: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.segments: list[Segment] = []
        self._glossary = glossary
        self._run: list[str] = []
        self._inside = False
        self._skip = 0
        self._depth = 0  # marks open in the text so far
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self._inside = True
        if not self._inside:
            return
        if tag not in INLINE and tag != "time":
            self._flush()
        if tag in ("script", "style"):
            self._skip += 1
        # an attribute inside rendered Markdown is the card's; a term's link is the renderer's
        term = "mltrl-term" in (dict(attrs).get("class") or "").split()
        inherited = self._depth > 0 and not term
        for name, value in attrs:
            if value and (name in ATTRIBUTES or name.startswith("data-mltrl-")):
                text = " ".join(value.split())
                self.segments.append(Segment(OPEN + text + CLOSE if inherited else text, self._glossary or term))

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self._flush()
            self._inside = False
        if not self._inside:
            return
        if tag not in INLINE and tag != "time":
            self._flush()
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._inside or self._skip:
            return
        if not self._run:
            self._run.append(OPEN * self._depth)  # a run inside a value (rendered Markdown) is the value's
        for mark in MARKED.findall(data):
            self._depth += 1 if mark == OPEN else -1
        self._run.append(data)

    def _flush(self) -> None:
        text = " ".join("".join(self._run).split())
        if MARKED.sub("", text).strip():
            self.segments.append(Segment(text + CLOSE * text.count(OPEN), self._glossary))
        self._run = []


def segments(page: Path) -> list[Segment]:
    return _Segments(page.read_text(encoding="utf-8"), glossary="/glossary/" in page.as_posix()).segments


def _strings(data: object, key: str | None = None) -> Iterator[tuple[str | None, str]]:
    """(the key it is under, the string) for every string in YAML data, keys included."""
    if isinstance(data, str):
        yield key, data
    elif isinstance(data, dict):
        for name, value in data.items():
            yield from _strings(name)
            yield from _strings(value, str(name))
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value, key)


def _enum_fields() -> dict[str, set[str]]:
    """Card field -> the values the card schema allows it, for every field with a fixed set."""
    fields: dict[str, set[str]] = {}

    def walk(node: object, key: str | None) -> None:
        if isinstance(node, dict):
            if "enum" in node and key:
                fields.setdefault(key, set()).update(map(str, node["enum"]))
            for name, value in node.items():
                if name == "properties" and isinstance(value, dict):
                    for field, schema in value.items():
                        walk(schema, field)
                elif isinstance(value, (dict, list)):
                    walk(value, key if name in ("items", "anyOf", "oneOf", "allOf") else None)
        elif isinstance(node, list):
            for value in node:
                walk(value, key)

    walk(yaml.safe_load((REPO / "schema" / "level-card.schema.json").read_text(encoding="utf-8")), None)
    return fields


@dataclass(frozen=True)
class Sources:
    """What the example's pages may say in English as values (the module's docstring, step 3)."""

    values: frozenset[str]
    """Every string of the cards' and attachments' YAML, but a field's fixed value (status: approved)."""
    names: frozenset[str]
    """Every string of the glossaries: terms, aliases, teams, team words, definitions."""
    runs: frozenset[tuple[str, ...]]
    """Every run of 2 to LONGEST_RUN words of the sources and of the check's English."""


def _front_matter(text: str) -> object:
    try:
        return yaml.safe_load(text.split("\n---", 1)[0].removeprefix("---"))
    except yaml.YAMLError:
        return None


@cache
def sources() -> Sources:
    cards = sorted((REPO / "site_example" / "dossiers").rglob("*.md"))
    glossaries = [*sorted((REPO / "site_example").rglob("glossary*.yml")),
                  *sorted((REPO / "site_example").rglob("org.yml")),
                  REPO / "mltrl_docs" / "data" / "mltrl-glossary.yml"]
    files = [path for path in sorted((REPO / "site_example" / "dossiers").rglob("*")) if path.is_file()]
    texts = [path.read_text(encoding="utf-8", errors="replace") for path in [*files, *glossaries]]
    settings, _ = load_settings(EXAMPLE_SETTINGS)
    assert settings is not None
    checked = build_site(settings, provenance=True)
    texts += [f"{f.message} {f.hint or ''}" for f in checked.findings]
    if settings.compare is not None:  # the previous bundle's findings, on the Readiness changes page
        previous = json.loads(settings.compare.bundle.read_text(encoding="utf-8"))
        texts += [f"{f['message']} {f['hint'] or ''}" for f in previous["findings"]]
    texts += [f"{commit.author}: {commit.subject}" for history in checked.provenance.histories.values()
              for commit in history.commits]
    texts += [item.text for gates in checked.gates.projects.values() for item in gates.gap]
    fixed = _enum_fields()
    values = {" ".join(value.split()) for path in cards
              for key, value in _strings(_front_matter(path.read_text("utf-8")))
              if value not in fixed.get(key or "", ())}
    names = {" ".join(value.split()) for path in glossaries
             for _, value in _strings(yaml.safe_load(path.read_text(encoding="utf-8")))}
    runs: set[tuple[str, ...]] = set()
    for text in texts:
        words = WORD.findall(text)
        for size in range(2, LONGEST_RUN + 1):
            runs.update(tuple(words[i:i + size]) for i in range(len(words) - size + 1))
    return Sources(frozenset(values - {""}), frozenset(names - {""}), frozenset(runs))


def _covered(text: str, marked: list[bool], start: int, end: int, strings: frozenset[str]) -> bool:
    """Whether text[start:end] lies in a marked occurrence of one of ``strings``."""
    for string in strings:
        if text[start:end] in string:
            at = text.find(string)
            while at >= 0:
                if at <= start and end <= at + len(string) and all(marked[at:at + len(string)]):
                    return True
                at = text.find(string, at + 1)
    return False


def _card_words(text: str, marked: list[bool], start: int, end: int, segment: Segment) -> bool:
    """Whether the marked fragment at text[start:end] (marks stripped) is the sources' own words."""
    known = sources()
    if _covered(text, marked, start, end, known.values):
        return True
    if segment.glossary and _covered(text, marked, start, end, known.names):
        return True
    spans = [(m.start(), m.end()) for m in WORD.finditer(text)]
    inside = [i for i, (a, b) in enumerate(spans) if a < end and b > start]
    first, last = inside[0], inside[-1]
    words = [text[a:b] for a, b in spans]
    return any(tuple(words[first - before:last + after + 1]) in known.runs
               for before in range(CONTEXT + 1) for after in range(CONTEXT + 1)
               if (before or after) and first - before >= 0 and last + after < len(words))


def english_labels(site: Path) -> Iterator[tuple[str, str, str, str]]:
    """(page, fragment, message key, the text it is in) for every fragment on a page under dossier/
    that a template wrote or that is not the sources' own words."""
    fragments, pattern = english_fragments(), fragment_pattern()
    for page in sorted((site / "dossier").rglob("*.html")):
        for segment in dict.fromkeys(segments(page)):
            plain, marked = [], []  # the text without marks; whether each of its characters was marked
            depth = 0
            for char in segment.text:
                if char in (OPEN, CLOSE):
                    depth += 1 if char == OPEN else -1
                else:
                    plain.append(char)
                    marked.append(depth > 0)
            text = "".join(plain)
            for match in pattern.finditer(text):
                written = not all(marked[match.start():match.end()])
                if written or not _card_words(text, marked, match.start(), match.end(), segment):
                    where = "template" if written else "value"
                    yield str(page.relative_to(site)), match.group(), fragments[match.group()], f"{where}: {text}"


def test_german_pages_say_no_english_label(german: Path) -> None:
    found = sorted({(fragment, key, page, segment[:140]) for page, fragment, key, segment in english_labels(german)})
    by_key: dict[str, list[str]] = {}
    for fragment, key, page, segment in found:
        by_key.setdefault(f"{key}: {fragment!r}", []).append(f"{page}: {segment!r}")
    report = "\n".join(f"{label} ({len(where)}x), e.g. {where[0]}" for label, where in sorted(by_key.items()))
    assert not found, f"English labels on the German pages:\n{report}"


def test_the_check_finds_the_labels_of_the_english_build(english: Path) -> None:
    """The same check over the English build finds the labels: it looks where the labels are."""
    fragments = {fragment for _, fragment, _, _ in english_labels(english)}
    assert len(fragments) >= ENGLISH_LABELS_MIN, sorted(fragments)
    assert {"Filter rows", "Sort by", "What it means", "As of", "Board", "Jump to letter"} <= fragments


TEMPLATE_EXPRESSION = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
STRING_LITERAL = re.compile(r"\"([^\"\\]*)\"|'([^'\\]*)'")


def english_in_expressions(template: str) -> list[str]:
    """The string literals in a template's expressions that hold an English fragment (message keys
    and their parts aside)."""
    pattern, found = fragment_pattern(), []
    for expression in TEMPLATE_EXPRESSION.finditer(template):
        for literal in STRING_LITERAL.finditer(expression.group()):
            text = literal.group(1) if literal.group(1) is not None else literal.group(2)
            if not re.fullmatch(r"[a-z0-9_.%]*", text) and pattern.search(text):
                found.append(text)
    return found


def test_templates_put_no_english_in_expressions() -> None:
    """A string literal a template prints (``{{ "none" }}``, ``{{ x or "unknown" }}``) would pass the
    marks as a value, so the templates themselves are read for it."""
    found = {path.name: english_in_expressions(path.read_text(encoding="utf-8"))
             for path in sorted((REPO / "templates" / "mltrl").iterdir()) if path.suffix in (".html", ".svg")}
    assert {name: literals for name, literals in found.items() if literals} == {}
    assert english_in_expressions('{{ t("levels.none") }} {{ x or "not recorded" }}') == ["not recorded"]


# --- dates ------------------------------------------------------------------------------------

GERMAN_DATE = r"\d\d\.\d\d\.\d{4}"


def found(pattern: re.Pattern[str], text: str) -> re.Match[str]:
    match = pattern.search(text)
    assert match is not None, pattern.pattern
    return match


def test_german_pages_show_german_dates(german: Path, english: Path) -> None:
    history = unmarked(german / "dossier" / "history" / "index.html")
    days = re.findall(r'<tr data-kind="[a-z]+"><td class="mltrl-nowrap" data-sort="(\d{4})-(\d\d)-(\d\d)">([^<]*)</td>',
                      history)
    assert days and all(shown == f"{d}.{m}.{y}" for y, m, d, shown in days)
    assert re.search(r'data-sort="(\d{4}-\d\d-\d\d)">\1</td>', unmarked(english / "dossier" / "history" / "index.html"))
    # every page's "as of" keeps the ISO date for machines and shows the German one
    stamp = re.compile(r'<time datetime="(\d{4})-(\d\d)-(\d\d)">(' + GERMAN_DATE + r")</time> \(Build-Datum\)")
    for page in ("index.html", "metrics/index.html", "glossary/index.html"):
        y, m, d, shown = found(stamp, unmarked(german / "dossier" / page)).groups()
        assert shown == f"{d}.{m}.{y}"
    # a card's title: the date in German, whole on a narrow screen
    cards = sorted((german / "dossier").glob("*/L*-*/index.html"))
    assert cards
    for path in cards:
        title = found(re.compile(r'<h1 class="mltrl-title"[^>]*>(.*?)(?:<a class="headerlink".*?)?</h1>'),
                      unmarked(path)).group(1)
        assert re.fullmatch(r'\S+ Stufe \d \(<span class="mltrl-nowrap">' + GERMAN_DATE + r"</span>\)", title), title
    metrics = unmarked(german / "dossier" / "metrics" / "index.html")
    assert re.search(r'Stand <span class="mltrl-nowrap">' + GERMAN_DATE + r"</span> \(das Build-Datum\)", metrics)
    text = " ".join(re.sub(r"<[^>]+>", " ", metrics[metrics.index("<article"):]).split())
    assert not re.search(r"\b\d{4}-\d\d-\d\d\b", text)


# --- a site's own labels ----------------------------------------------------------------------


def test_a_label_override_shows_on_the_page(tmp_path: Path) -> None:
    """One card, German pages, and the site's own text for a label, for one form of a plural label
    (the other stays the table's) and for a plural label as one text for every count."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (tmp_path / "cards" / "drift").mkdir(parents=True)
    (tmp_path / "cards" / "drift" / "L2.md").write_text(card_text(), encoding="utf-8")
    (tmp_path / "mltrl-docs.yml").write_text(yaml.safe_dump({
        "sources": ["cards"], "language": "de",
        "labels": {
            "board.title": "Kanban der Stufen",
            "filter.label": "Suche:",
            "metrics.summary.projects_value": {"one": "{projects} Projekt, genau {count} Karte"},
            "metrics.advances": "Aufstiege: {count}",
        }}, allow_unicode=True), encoding="utf-8")
    site = build({"site_name": "t", "docs_dir": str(tmp_path / "docs"), "theme": {"name": "material"},
                  "plugins": [{"mltrl": {"settings": str(tmp_path / "mltrl-docs.yml")}}]}, tmp_path, strict=False)
    portfolio = (site / "dossier" / "index.html").read_text(encoding="utf-8")
    assert '<h2 id="board">Kanban der Stufen</h2>' in portfolio
    assert 'data-mltrl-filter-label="Suche:"' in portfolio
    assert "<th>Aktuelle Stufe</th>" in portfolio  # the other labels stay German
    metrics = Page(site / "dossier" / "metrics" / "index.html").text
    assert "1 Projekt, genau 1 Karte" in metrics
    assert "Aufstiege: 0, 0 Switchbacks" in metrics


def test_the_script_has_no_words_of_its_own() -> None:
    """mltrl.js writes the words the table carries (table_labels in _macros.html), none of its own."""
    script = (REPO / "templates" / "mltrl" / "mltrl.js").read_text(encoding="utf-8")
    literals = " | ".join(a or b for a, b in re.findall(r'"([^"\\\n]*)"|\'([^\'\\\n]*)\'', script))
    for key in ("filter.sort_by", "filter.label", "filter.placeholder", "filter.shown"):
        for piece in PLACEHOLDER.split(str(shipped_table("en")[key]))[::2]:
            words = piece.strip(" :")
            assert not words or not re.search(r"(?<![\w-])" + re.escape(words) + r"(?![\w-])", literals), key
