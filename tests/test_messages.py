"""The message tables: labels in the site's language, overridable by the site (issue 11, item 5)."""

from __future__ import annotations

import ast
import datetime as dt
import re
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from markupsafe import Markup
from mkdocs.utils.babel_stub import Locale

from conftest import REPO
from mltrl_docs.changes import ChangeKind
from mltrl_docs.checklist import Part
from mltrl_docs.dossier import build_dossier
from mltrl_docs.evidence import Verdict
from mltrl_docs.findings import Severity
from mltrl_docs.levels import LEVELS, Phase
from mltrl_docs.messages import (
    KEY,
    LANGUAGES,
    PLACEHOLDER,
    english,
    language_code,
    load_messages,
    messages_for,
    placeholders,
    shipped_table,
    table_file,
    value_key,
)
from mltrl_docs.model import (
    CardStatus,
    DatasetRole,
    DebtChange,
    Decision,
    DeploymentTestKind,
    EthicsStatus,
    ProductionChange,
    RequirementKind,
    RequirementStatus,
    SwitchbackKind,
    TransitionKind,
    Verification,
)
from mltrl_docs.plugin import _theme_language
from mltrl_docs.production import Ending, Line
from mltrl_docs.render.html import Renderer
from mltrl_docs.render.pages import site_pages
from mltrl_docs.render.readiness import COUNTS, ROW_KINDS
from mltrl_docs.settings import load_settings

PACKAGE = REPO / "mltrl_docs"
VALUE_ENUMS = (CardStatus, Decision, TransitionKind, RequirementKind, Verification, RequirementStatus,
               EthicsStatus, DebtChange, DatasetRole, ProductionChange, DeploymentTestKind, Severity, Part)
"""The enums whose values pages show through value_label(): each value has a message."""
JUNE_14 = dt.date(2021, 6, 14)


# --- the shipped tables ---------------------------------------------------------------------


def test_every_language_has_the_same_keys_with_the_same_placeholders() -> None:
    english_table = shipped_table("en")
    for language in LANGUAGES:
        table = shipped_table(language)
        assert sorted(table) == sorted(english_table), language
        differ = {key: (placeholders(english_table[key]), placeholders(table[key]))
                  for key in table if placeholders(table[key]) != placeholders(english_table[key])}
        assert differ == {}, language
        plural_shape = {key for key in table if isinstance(table[key], str) != isinstance(english_table[key], str)}
        assert plural_shape == set(), language


@pytest.mark.parametrize("language", LANGUAGES)
def test_tables_are_flat_plain_text_files_ending_in_a_newline(language: str) -> None:
    text = table_file(language).read_text(encoding="utf-8")
    assert text.endswith("\n") and not text.endswith("\n\n")
    for key, message in shipped_table(language).items():
        assert KEY.fullmatch(key), key
        for form in [message] if isinstance(message, str) else message.values():
            assert "<" not in form and ">" not in form, f"{key}: plain text, not HTML"
            assert not re.sub(PLACEHOLDER, "", form).count("{") and not re.sub(PLACEHOLDER, "", form).count("}"), \
                f"{key}: braces only around placeholders"
        if not isinstance(message, str):
            assert "{count}" in message["other"], key


def test_every_key_the_code_and_templates_use_exists() -> None:
    """Literal keys passed to .text()/.plural() in the package and to t()/tn() in the templates;
    the keys built from values are checked against every value below."""
    used: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("text", "plural") and node.args
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
                    and KEY.fullmatch(node.args[0].value)):
                used.add(node.args[0].value)
    call = re.compile(r"""\btn?\(\s*["']([a-z0-9_.]+)["']""")
    for path in (REPO / "templates").rglob("*"):
        if path.suffix in (".html", ".svg"):
            used.update(call.findall(path.read_text(encoding="utf-8")))
    built = {f"switchback.{kind.value}" for kind in SwitchbackKind} | {"switchback.none"}
    built |= {f"history.review.{d.value.replace('-', '_')}" for d in Decision}
    built |= {f"production.line.{line.value}" for line in Line} | {f"production.ending.{e.value}" for e in Ending}
    built |= {f"level.{level.number}.{part}" for level in LEVELS for part in ("name", "short", "summary")}
    built |= {f"phase.{phase.value}.label" for phase in Phase}
    built |= {f"date.month.{month}" for month in range(1, 13)}
    built |= {f"transition.{kind}_{side}" for kind in ("moved", "advanced", "switchback") for side in ("from", "to")}
    built |= {value_key(member) for enum in VALUE_ENUMS for member in enum}
    built |= {f"history.kind.{kind}" for kind in ("entered", "advance", "switchback", "move", "review")}
    built |= {f"metrics.{part}.{kind}" for part in ("kind", "meaning") for kind in [*SwitchbackKind, "unnamed"]}
    built |= {f"changes.{part}.{kind.value}" for part in ("kind", "criterion") for kind in ChangeKind}
    built |= {f"changes.version.{name}" for name in ("code", "model", "data")}
    built |= {f"acceptance.verdict.{verdict.value}" for verdict in Verdict}
    built |= {f"changes.since.{kind}" for kind in ("ref", "days", "date")}
    built |= {f"changes.unseen.{kind}" for kind in ("no_git", "shallow", "truncated")}  # render.changes.Note keys
    built |= {f"changes.fallback.{kind}" for kind in ("default", "horizon")}
    built |= {f"readiness.count.{key}" for key in COUNTS} | {f"readiness.kind.{kind}" for kind in ROW_KINDS}
    built |= {f"readiness.detail.{kind}" for kind in ("project_added", "project_removed", "earned")}
    prefixes = {key for key in used if key.endswith(".")}  # t("level." ~ n ~ ".name"): built above
    used -= prefixes
    assert len(used) >= 15  # the scan finds the keys (it must not silently find none)
    assert sorted((used | built) - set(shipped_table("en"))) == []
    assert sorted(p for p in prefixes if not any(key.startswith(p) for key in built)) == []


def test_the_english_level_names_and_summaries_are_those_of_levels_py() -> None:
    m = english()
    for level in LEVELS:
        assert (m.text(f"level.{level.number}.name"), m.text(f"level.{level.number}.short"),
                m.text(f"level.{level.number}.summary")) == (level.name, level.short, level.summary)
        assert m.text("level.label", number=level.number, name=level.name) == level.label
    assert [m.text(f"phase.{p.value}.label") for p in Phase] == [p.label for p in Phase]


def test_an_unknown_key_is_a_programming_error() -> None:
    with pytest.raises(KeyError, match=r"no message 'timeline.nothing'"):
        english().text("timeline.nothing")
    with pytest.raises(KeyError, match=r"needs a value for \{to_level\}"):
        english().text("transition.entered")
    with pytest.raises(KeyError, match="plural"):
        english().text("common.days")


# --- plurals, dates, languages ------------------------------------------------------------------


@pytest.mark.parametrize(("language", "count", "said"), [
    ("en", 0, "0 days"), ("en", 1, "1 day"), ("en", 2, "2 days"),
    ("de", 0, "0 Tage"), ("de", 1, "1 Tag"), ("de", 14, "14 Tage"),
])
def test_plural_form_by_count(language: str, count: int, said: str) -> None:
    assert messages_for(language).plural("common.days", count) == said


def test_dates_follow_the_language() -> None:
    assert english().date(JUNE_14) == "2021-06-14"
    assert messages_for("de").date(JUNE_14) == "14.06.2021"
    assert messages_for("de").date(dt.date(2021, 3, 1)) == "01.03.2021"
    assert english().year_month(JUNE_14) == "2021-06" and messages_for("de").year_month(JUNE_14) == "06/2021"
    long, _ = load_messages("de", {"date.format": "{day_number}. {month_name} {year}"})
    assert long.date(dt.date(2021, 3, 1)) == "1. März 2021"
    # a date given as a value takes the language's format too
    assert messages_for("de").text("history.review.with_note", review="x", note=JUNE_14) == "x: 14.06.2021"


@pytest.mark.parametrize(("tag", "code"), [
    ("de", "de"), ("de-CH", "de"), ("de_AT", "de"), ("DE", "de"), (" de-DE ", "de"),
    (None, "en"), ("", "en"), ("en", "en"), ("en-GB", "en"), ("en_US", "en"), ("fr-CA", "fr"),
])
def test_language_tags_map_to_their_primary_language(tag: str | None, code: str) -> None:
    assert language_code(tag) == code


@pytest.mark.parametrize("tag", ["de-CH", "de_AT", "DE"])
def test_german_tags_get_the_german_table(tag: str) -> None:
    messages, findings = load_messages(tag)
    assert (messages.language, findings) == ("de", [])
    assert messages.text("timeline.step.advance") == "Aufstieg"


def test_an_unsupported_language_is_english_with_a_note() -> None:
    messages, [note] = load_messages("fr-CA", path=Path("/site/mkdocs.yml"))
    assert messages.language == "en" and messages.text("timeline.step.advance") == "advance"
    assert note.severity is Severity.INFO and note.path == Path("/site/mkdocs.yml")
    assert "'fr-CA'" in note.message and "English" in note.message
    assert note.hint is not None and "en, de" in note.hint and "labels:" in note.hint


# --- overrides ----------------------------------------------------------------------------------


def test_an_override_replaces_the_label() -> None:
    messages, findings = load_messages("de", {"timeline.step.advance": "hoch",
                                              "transition.entered": "mit Stufe {to_level} dazugekommen"})
    assert findings == []
    assert messages.text("timeline.step.advance") == "hoch"
    assert messages.text("transition.entered", to_level=4) == "mit Stufe 4 dazugekommen"
    assert messages.text("page.history.title") == "Verlauf"  # the rest stays the language's


def test_a_plural_override_is_a_mapping_or_one_text() -> None:
    forms, findings = load_messages("en", {"common.days": {"one": "a single day"}})
    assert findings == [] and forms.plural("common.days", 1) == "a single day"
    assert forms.plural("common.days", 3) == "3 days"
    one, findings = load_messages("en", {"common.days": "days: {count}"})
    assert findings == [] and [one.plural("common.days", n) for n in (1, 2)] == ["days: 1", "days: 2"]


def test_an_override_may_leave_placeholders_out() -> None:
    messages, findings = load_messages("en", {"transition.entered": "joined MLTRL"})
    assert findings == [] and messages.text("transition.entered", to_level=3) == "joined MLTRL"


@pytest.mark.parametrize(("overrides", "says", "hint"), [
    ({"transition.entered": "joined at {level}"}, "uses {level}", "use only {to_level}"),
    ({"timeline.step.advance": "up {count}"}, "uses {count}", "takes no values"),
    ({"common.days": {"one": "{n} day"}}, "uses {n}", "use only {count}"),
    ({"timeline.step.advance": {"one": "a", "other": "b"}}, "not a plural message", "write one text"),
    ({"common.days": {"few": "a"}}, "not few", "one: "),
    ({"timeline.step.advance": 3}, "is not text", "in quotes"),
])
def test_an_override_that_cannot_apply_is_an_error_and_left_out(overrides, says: str, hint: str) -> None:
    messages, [finding] = load_messages("en", overrides)
    assert finding.severity is Severity.ERROR and says in finding.message
    assert finding.hint is not None and hint in finding.hint
    [key] = overrides
    assert messages.message(key) == english().message(key)


def test_a_brace_expression_in_an_override_stays_text() -> None:
    """Placeholders are names only: nothing reaches attributes, indexes or formats."""
    override = "{move.__class__} {move} {reason[0]} {reason!r}"
    messages, findings = load_messages("en", {"transition.with_reason": override})
    assert findings == []
    assert messages.text("transition.with_reason", move="m", reason="r") == "{move.__class__} m {reason[0]} {reason!r}"


def test_a_value_is_never_read_for_placeholders() -> None:
    said = english().text("transition.with_reason", move="{reason}", reason="{move.__init__.__globals__}")
    assert said == "{reason}: {move.__init__.__globals__}"


def test_filling_in_placeholders_is_linear() -> None:
    started = time.process_time()  # CPU time: a loaded machine stretches the wall clock, not the work
    messages, _ = load_messages("en", {"transition.with_reason": "{" * 65_536 + "{move}" + "}" * 65_536})
    said = messages.text("transition.with_reason", move="m", reason="r")
    assert said == "{" * 65_536 + "m" + "}" * 65_536
    assert time.process_time() - started < 1.5


# --- settings -----------------------------------------------------------------------------------


def test_settings_language_and_labels(write, tmp_path: Path) -> None:
    (tmp_path / "dossiers").mkdir()
    path = write("mltrl-docs.yml", "sources: [dossiers]\nlanguage: de-CH\nlabels:\n"
                 "  timeline.step.advance: hoch\n  common.days: {one: ein Tag, other: '{count} Tage'}\n")
    settings, findings = load_settings(path)
    assert findings == [] and settings is not None
    assert settings.language == "de-CH"
    assert settings.labels == {"timeline.step.advance": "hoch",
                               "common.days": {"one": "ein Tag", "other": "{count} Tage"}}
    messages, _ = load_messages(settings.language, settings.labels)
    assert messages.plural("common.days", 1) == "ein Tag"


def test_an_unknown_label_key_is_a_located_error_with_a_guess(write, tmp_path: Path) -> None:
    (tmp_path / "dossiers").mkdir()
    path = write("mltrl-docs.yml", "sources: [dossiers]\nlabels:\n  page.history.title: Log\n"
                 "  timeline.step.advnce: up\n")
    settings, [finding] = load_settings(path)
    assert settings is None
    assert (finding.severity, finding.path, finding.line, finding.column) == (Severity.ERROR, path, 4, 3)
    assert finding.field == "labels.timeline.step.advnce"
    assert "'timeline.step.advnce' is not a label" in finding.message
    assert finding.hint is not None and "did you mean 'timeline.step.advance'?" in finding.hint


def test_an_unknown_placeholder_in_a_label_is_a_located_error(write, tmp_path: Path) -> None:
    (tmp_path / "dossiers").mkdir()
    path = write("mltrl-docs.yml", "sources: [dossiers]\nlabels:\n  transition.entered: 'joined at {lvl}'\n")
    settings, [finding] = load_settings(path)
    assert settings is None and (finding.line, finding.column) == (3, 23) and "{lvl}" in finding.message


def test_an_unsupported_settings_language_is_a_located_note(write, tmp_path: Path) -> None:
    (tmp_path / "dossiers").mkdir()
    path = write("mltrl-docs.yml", "sources: [dossiers]\nlanguage: fr\n")
    settings, [note] = load_settings(path)
    assert settings is not None and settings.findings == (note,)
    assert (note.severity, note.line) == (Severity.INFO, 2)


@pytest.mark.parametrize("text", ["language: 'de CH'\n", "labels: {Timeline: x}\n", "labels: {a.b: [x]}\n",
                                  "labels: {a.b: {one: x, few: y}}\n"])
def test_the_schema_rejects_malformed_language_and_labels(write, tmp_path: Path, text: str) -> None:
    (tmp_path / "dossiers").mkdir()
    settings, findings = load_settings(write("mltrl-docs.yml", "sources: [dossiers]\n" + text))
    assert settings is None and findings and all(f.line == 2 for f in findings)


# --- the plugin and the renderer ----------------------------------------------------------------


@pytest.mark.parametrize(("theme", "tag"), [
    ({"name": "material", "language": "de", "locale": Locale("en")}, "de"),  # Material's language first
    ({"name": "mkdocs", "locale": Locale("de", "CH")}, "de_CH"),  # MkDocs' theme: a Locale
    ({"name": "mkdocs"}, None),
])
def test_the_theme_language(theme: dict[str, object], tag: str | None) -> None:
    assert _theme_language(SimpleNamespace(theme=theme)) == tag  # type: ignore[arg-type]


def _render(renderer: Renderer, source: str, **values: object) -> str:
    return renderer.env.from_string(source).render(**values)


def test_templates_get_t_tn_date_and_lang() -> None:
    renderer = Renderer("dossier")
    assert _render(renderer, '{{ lang }} {{ t("timeline.step.advance") }} {{ tn("common.days", 2) }} {{ d | date }}',
                   d=JUNE_14) == "en advance 2 days 2021-06-14"
    renderer.use_messages(messages_for("de"))
    assert _render(renderer, '{{ lang }} {{ t("timeline.step.advance") }} {{ tn("common.days", 1) }} {{ d | date }}',
                   d=JUNE_14) == "de Aufstieg 1 Tag 14.06.2021"
    assert _render(renderer, '{{ t("page.card.title", project="P", level=4, date=d) }}', d=JUNE_14) \
        == "P Stufe 4 (14.06.2021)"


def test_t_escapes_values_and_the_sites_own_text_but_keeps_markup() -> None:
    renderer = Renderer("dossier")
    said = _render(renderer, '{{ t("transition.with_reason", move=m, reason=r) }}',
                   m="<script>alert(1)</script>", r=Markup('<a href="x">why</a>'))
    assert said == '&lt;script&gt;alert(1)&lt;/script&gt;: <a href="x">why</a>'
    messages, findings = load_messages("en", {"timeline.step.advance": "<b>up</b> & away"})
    assert findings == []
    renderer.use_messages(messages)
    assert _render(renderer, '{{ t("timeline.step.advance") }}') == "&lt;b&gt;up&lt;/b&gt; &amp; away"
    # a value with bidirectional controls is isolated, as every printed value is
    assert _render(renderer, '{{ t("transition.with_reason", move="a", reason=r) }}', r="x\u202ey") \
        == "a: \u2068x\u202ey\u2069"


def test_pages_say_python_side_words_in_the_sites_language(write_card, tmp_path: Path) -> None:
    write_card("src/p/a.md", level=3, date="2021-01-04")
    write_card("src/p/b.md", level=4, date="2021-06-14", transition={"from": 3, "kind": "advance"})
    write_card("src/p/c.md", level=2, date="2021-09-01",
               transition={"from": 4, "kind": "switchback", "switchback": "review", "reason": "Daten fehlen"})
    dossier = build_dossier([tmp_path / "src"])
    german = {page.uri: page for page in site_pages(dossier, "dossier", messages=messages_for("de"))}
    english_pages = {page.uri: page for page in site_pages(dossier, "dossier")}
    assert german["dossier/C1/L4-2021-06-14.md"].title == "C1 Stufe 4 (14.06.2021)"
    assert english_pages["dossier/C1/L4-2021-06-14.md"].title == "C1 level 4 (2021-06-14)"
    assert german["dossier/history.md"].title == "Verlauf"
    assert german["dossier/C1/L4-2021-06-14.md"].context.move.text == "von Stufe 3 auf 4 aufgestiegen"
    summaries = [e.summary for e in german["dossier/history.md"].context.events if e.kind != "review"]
    assert summaries == ["Review-Switchback von Stufe 4 auf 2: Daten fehlen", "von Stufe 3 auf 4 aufgestiegen",
                         "auf Stufe 3 in MLTRL eingestiegen"]
    steps = german["dossier/C1/index.md"].context.timeline.steps
    assert [s.label for s in steps] == ["Aufstieg", "Review-Switchback"]
    ticks = [tick.label for tick in german["dossier/metrics.md"].context.chart.x_ticks]
    assert ticks and all(re.fullmatch(r"\d\d/\d{4}|\d\d\.\d\d\.\d{4}|\d{4}", tick) for tick in ticks)


def test_value_labels_name_an_enum_value_in_the_sites_language() -> None:
    assert value_key(Decision.CHANGES_REQUESTED) == "value.decision.changes_requested"
    assert value_key(RequirementStatus.NOT_STARTED) == "value.requirement_status.not_started"
    for enum in VALUE_ENUMS[:-1]:  # English says each value as a card writes it (Part: a row label)
        # ... but a finding's severity "info" reads "note", the word the CLI and its JSON use.
        assert all(english().text(value_key(m)) == {"info": "note"}.get(m.value, m.value) for m in enum)
    renderer = Renderer("dossier")
    assert _render(renderer, "{{ value_label(d) }}|{{ value_label(none) }}", d=Decision.CHANGES_REQUESTED) \
        == "changes-requested|"
    renderer.use_messages(messages_for("de"))
    assert _render(renderer, "{{ value_label(d) }}", d=Decision.CHANGES_REQUESTED) == "Änderungen angefordert"

