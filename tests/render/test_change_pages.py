"""What changed since the last approved card, on pages (issue 12): the card page's section (every kind of
change, each section's line diff with a sign and a class per line), the dossier's and the review packet's
compact versions, and the 'What changed' page (since changes.since, newest first, one row per card), its
page kind left out with `pages:`, and a changes.since that names no day reported at its line."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO
from htmltext import INLINE
from mltrl_docs.changes import Changed, ChangeKind, Fallback, Since, since_setting
from mltrl_docs.dossier import CheckedDossier, build_dossier, build_site
from mltrl_docs.evidence import Verdict
from mltrl_docs.findings import Severity
from mltrl_docs.messages import messages_for
from mltrl_docs.provenance import ProvenanceReport, Repository
from mltrl_docs.render.changes import LineKind, Note, setting_shown, since_shown
from mltrl_docs.render.contexts import CardContext, ChangesContext, DossierContext, PacketContext
from mltrl_docs.render.html import Renderer
from mltrl_docs.render.pages import OPTIONAL_PAGES, SitePage, site_pages
from mltrl_docs.settings import load_settings
from test_plugin import mkdocs_build

HOSTILE = "<script>alert('section')</script>"
LONG = "wide " * 120
BEFORE_BODY = """
**TL;DR**: A drift monitor.

## Model / algorithm info

Population stability index over 40 query features.
Kept line.

## Caveats, known edge cases, recommendations

A section the next card drops.
"""
AFTER_BODY = f"""
**TL;DR**: A drift monitor.

## Model / algorithm info

Population stability index over 60 query features.
Kept line.
{HOSTILE}
{LONG.strip()}

## Data considerations

A new section.
"""


def requirement(rid: str, text: str, status: str, **more: Any) -> dict[str, Any]:
    return {"id": rid, "kind": "research", "text": text, "verification": "test", "status": status, **more}


def f1(threshold: float) -> dict[str, Any]:
    return {"metric": "f1", "op": ">=", "value": threshold, "source": "evidence/metrics.json", "select": "f1"}


@pytest.fixture
def dossier(write: Callable[..., Path], write_card: Callable[..., Path], tmp_path: Path) -> CheckedDossier:
    """Project C1: an approved level-1 card, then a level-2 card in review that changes everything;
    project Q: two approved cards that differ only in their date (an empty change)."""
    write("src/c/evidence/metrics.json", json.dumps({"f1": 0.75}))
    write_card("src/c/L1.md", BEFORE_BODY, mltrl=1.2, level=1, date="2024-01-01", versions={"code": "1.0.0"},
               reviewers=[{"name": "Lin Chen", "decision": "approved", "date": "2024-01-05"}],
               requirements=[requirement("1", "The monitor shall warn.", "in-progress",
                                         risk={"likelihood": 2, "impact": 3}, acceptance=[f1(0.7)]),
                             requirement("2", "Dropped later.", "in-progress"),
                             requirement("3", "The monitor shall warn daily.", "in-progress")])
    write_card("src/c/L2.md", AFTER_BODY, mltrl=1.2, level=2, date="2024-06-01", status="in-review",
               transition={"from": 1, "kind": "advance"}, versions={"code": "1.1.0", "model": "0.1.0"},
               reviewers=[{"name": "Lin Chen", "decision": "pending"},
                          {"name": "Sam Roe", "decision": "approved", "date": "2024-06-03"}],
               requirements=[requirement("1", "The monitor shall warn.", "in-progress",
                                         risk={"likelihood": 1, "impact": 3}, acceptance=[f1(0.8)]),
                             requirement("3", "The monitor shall warn every hour.", "verified"),
                             requirement("4", "New requirement.", "not-started")])
    write_card("src/q/L2.md", project="Q", title="Quiet", level=2, date="2024-02-01")
    write_card("src/q/L2b.md", project="Q", title="Quiet", level=2, date="2024-03-01",
               transition={"from": 2, "kind": "advance"})
    return build_dossier([tmp_path / "src"], today=dt.date(2024, 7, 1))


def pages_of(dossier: CheckedDossier, **options: Any) -> dict[str, SitePage]:
    return {page.uri: page for page in site_pages(dossier, "dossier", messages=messages_for("en"), **options)}


def render(page: SitePage, pages: dict[str, SitePage] | None = None) -> str:
    known = (lambda uri: uri if uri in pages else None) if pages is not None else (lambda uri: uri)
    return Renderer("dossier").render(page, known, {})


def text(markup: str) -> str:
    spaced = re.sub(r"</?(\w+)[^>]*>", lambda m: "" if m.group(1) in INLINE | {"time"} else " ", markup)
    return " ".join(html.unescape(spaced).split())


def section(markup: str) -> str:
    """The card page's (or dossier's) section on what changed."""
    return markup.split('<h2 id="changes-since-approved">')[1].split("</section>")[0]


# --- the card page ---------------------------------------------------------------------------------------


def test_the_card_context_holds_every_kind_of_change(dossier: CheckedDossier) -> None:
    pages = pages_of(dossier)
    context = pages["dossier/C1/L2-2024-06-01.md"].context
    assert isinstance(context, CardContext)
    view = context.change
    assert view.baseline is dossier.projects["C1"].cards[0] and not view.empty
    assert view.change.level == Changed(1, 2)
    assert view.change.status is not None and view.change.status.after.value == "in-review"
    assert [(v.name, v.before, v.after) for v in view.change.versions] == [("code", "1.0.0", "1.1.0"),
                                                                          ("model", None, "0.1.0")]
    kinds = {r.change.id: r.kind for r in view.requirements}
    assert kinds == {"1": ChangeKind.CHANGED, "3": ChangeKind.CHANGED, "4": ChangeKind.ADDED, "2": ChangeKind.REMOVED}
    one = next(r for r in view.requirements if r.change.id == "1")
    assert one.change.risk is not None and (one.change.risk.before.score, one.change.risk.after.score) == (6, 3)
    (criterion,) = one.criteria
    assert criterion.threshold == Changed(">= 0.7", ">= 0.8") and criterion.measured is None
    assert criterion.verdict == Changed(Verdict.PASSED, Verdict.FAILED)
    three = next(r for r in view.requirements if r.change.id == "3")
    assert three.change.text is not None and three.change.status is not None
    assert [(r.name, r.kind) for r in view.change.reviewers] == [("Lin Chen", ChangeKind.CHANGED),
                                                                 ("Sam Roe", ChangeKind.ADDED)]
    by_title = {s.title: s for s in view.sections}
    assert {title: s.kind for title, s in by_title.items()} == {
        "Model / algorithm info": ChangeKind.CHANGED, "Data considerations": ChangeKind.ADDED,
        "Caveats, known edge cases, recommendations": ChangeKind.REMOVED}
    model = by_title["Model / algorithm info"]
    assert (model.diff.added, model.diff.removed) == (3, 1)
    assert [line.kind for line in model.lines][:1] == [LineKind.HUNK]
    assert any(line.kind is LineKind.ADDED and line.sign == "+" and line.text == HOSTILE for line in model.lines)
    assert any(line.kind is LineKind.REMOVED and line.sign == "-" for line in model.lines)
    assert (view.counts.lines_added, view.counts.lines_removed, view.counts.sections) == (4, 2, 3)
    assert view.summary == ("1 requirement added · 1 requirement removed · 2 requirements changed · 2 reviewers or "
                            "decisions changed · 3 body sections changed (4 lines added, 2 removed)")
    assert model.size == "3 lines added, 1 removed"
    # Level, status and versions are said once, for every page that shows the change; a version's
    # change stays on one line (no-break spaces), and the removed requirement's criteria too.
    assert [(f.label, f.text) for f in view.facts] == [
        ("Level", "L1 → L2"), ("Status", "approved → in-review"),
        ("Versions", "code 1.0.0\u00a0→\u00a01.1.0; model none\u00a0→\u00a00.1.0")]


def test_facts_and_criteria_are_said_in_the_sites_language_with_card_text_isolated(dossier: CheckedDossier) -> None:
    from mltrl_docs.changes import VersionChange
    from mltrl_docs.render.changes import _criterion, facts_of

    view = pages_of(dossier)["dossier/C1/L2-2024-06-01.md"].context.change
    german = facts_of(view.change, messages_for("de"))
    assert [(f.label, f.text) for f in german][:2] == [("Stufe", "L1 → L2"), ("Status", "freigegeben → im Review")]
    assert german[2].text.startswith("Code 1.0.0\u00a0→\u00a01.1.0; Modell keine\u00a0→")
    # A version a team wrote with a bidirectional override is isolated: it reorders only itself.
    hostile = replace(view.change, versions=(VersionChange("code", "1.0\u202e", "2.0"),))
    assert facts_of(hostile, messages_for("en"))[-1].text == "code \u20681.0\u202e\u2069\u00a0→\u00a02.0"
    # An added criterion's whole line; a changed one says it in pairs instead.
    one = next(r for r in view.requirements if r.change.id == "1")
    (changed,) = one.criteria
    assert changed.said == ""
    added = _criterion(replace(changed.change, before=None, before_result=None), messages_for("en"))
    assert added.said == "criterion added: f1, needs >= 0.8, measured 0.75"


def test_the_card_page_says_each_change_in_words_and_marks_each_diff_line(dossier: CheckedDossier) -> None:
    pages = pages_of(dossier)
    markup = render(pages["dossier/C1/L2-2024-06-01.md"])
    part = section(markup)
    said = text(part)
    assert '<h2 id="changes-since-approved">Changes since the last approved card</h2>' in markup
    assert "Compared with the level-1 card of 2024-01-01, the project's previous approved card." in said
    assert '<a href="dossier/C1/L1-2024-01-01.md">the level-1 card of' in part
    assert "2 requirements added" not in said and "1 requirement added · 1 requirement removed" in said
    assert "Level: L1 → L2" in said and "Status: approved → in-review" in said
    assert "Versions: code 1.0.0 → 1.1.0; model none → 0.1.0" in said
    assert "4 + added research, not-started: New requirement." in said
    assert "2 − removed research, in-progress: Dropped later." in said
    assert "risk 2×3 = 6 → 1×3 = 3" in said
    assert "criterion f1: needs >= 0.7 → >= 0.8; result ✓ pass → ✗ fail" in said
    assert ("reworded; status in-progress → verified before: The monitor shall warn daily. "
            "now: The monitor shall warn every hour.") in said
    assert "± changed Lin Chen: approved → pending" in said and "+ added Sam Roe: approved" in said
    # A details element per section, its summary counting the lines; each line's sign apart from its text.
    assert part.count('<details class="mltrl-change-section') == 3
    assert "± Model / algorithm info: changed, 3 lines added, 1 removed" in said
    assert "− Caveats, known edge cases, recommendations: removed, 0 lines added, 1 removed" in said
    assert "<del><b>-</b>Population stability index over 40 query features.\n</del>" in part
    assert "<ins><b>+</b>&lt;script&gt;alert(&#39;section&#39;)&lt;/script&gt;\n</ins>" in part
    assert re.search(r'<span class="mltrl-diff-hunk"><b>@@</b> -\d', part) and "<span><b> </b>" in part
    assert "<script>" not in markup  # the hostile line stays text
    assert part.count('<div class="mltrl-scroll mltrl-diff-frame" tabindex="0" role="region"') == 3


def test_the_first_card_and_an_empty_change_say_so(dossier: CheckedDossier) -> None:
    pages = pages_of(dossier)
    first = text(section(render(pages["dossier/C1/L1-2024-01-01.md"])))
    assert first.startswith("Changes since the last approved card No earlier card of this project is approved "
                            "(the first approved baseline is none): everything on this card is new.")
    assert "3 requirements added" in first
    quiet = section(render(pages["dossier/Q/L2-2024-03-01.md"]))
    assert text(quiet) == ("Changes since the last approved card Nothing changed since the level-2 card of "
                           "2024-02-01, the project's previous approved card.")
    assert quiet.count("<p") == 1


def test_a_truncated_diff_says_so(write_card: Callable[..., Path], tmp_path: Path) -> None:
    lines = "\n".join(f"line {n}" for n in range(400))
    write_card("src/t/L1.md", "## Model / algorithm info\n\nold\n", project="T", level=1, date="2024-01-01")
    write_card("src/t/L2.md", f"## Model / algorithm info\n\n{lines}\n", project="T", level=2, date="2024-02-01",
               transition={"from": 1, "kind": "advance"})
    said = text(section(render(pages_of(build_dossier([tmp_path / "src"]))["dossier/T/L2-2024-02-01.md"])))
    assert "Model / algorithm info: changed, 400 lines added, 1 removed" in said
    assert "Only the diff's first 200 lines are shown; the counts cover all of it." in said


# --- the dossier and the review packet -------------------------------------------------------------------


def test_the_dossier_shows_the_current_cards_change_compactly_and_links_the_diffs(dossier: CheckedDossier) -> None:
    pages = pages_of(dossier)
    context = pages["dossier/C1/index.md"].context
    assert isinstance(context, DossierContext) and context.change is not None
    assert context.change.card is dossier.projects["C1"].current
    part = section(render(pages["dossier/C1/index.md"]))
    said = text(part)
    assert said.startswith("Changes since the last approved card Compared with the level-1 card of 2024-01-01")
    assert '<a href="dossier/C1/L2-2024-06-01.md#changes-since-approved">each body section' in part
    assert "4 + added research, not-started" in said and "New requirement." not in said  # no text: compact
    assert "criterion f1: needs >= 0.7 → >= 0.8" in said
    assert "mltrl-diff" not in part  # the diffs are on the card page


def test_the_packet_says_the_change_in_one_paragraph(dossier: CheckedDossier) -> None:
    pages = pages_of(dossier)
    packet = pages["dossier/C1/packet.md"]
    assert isinstance(packet.context, PacketContext)
    markup = render(packet)
    part = markup.split('<h2 id="changes-since-approved">')[1].split("<h2")[0]
    assert part.count("<p") == 1 and "<table" not in part
    assert text(part).startswith("Changes since the last approved card Compared with the level-1 card of "
                                 "2024-01-01, the project's previous approved card. 1 requirement added")


# --- the 'What changed' page -----------------------------------------------------------------------------


def test_the_changes_page_lists_cards_since_the_day_newest_first(dossier: CheckedDossier) -> None:
    pages = pages_of(dossier, since=Since(dt.date(2024, 2, 1)))
    page = pages["dossier/changes.md"]
    assert page.in_nav and page.title == "What changed"
    context = page.context
    assert isinstance(context, ChangesContext)
    assert [(e.project.id, e.card.date.isoformat(), e.kind.value) for e in context.entries] == [
        ("C1", "2024-06-01", "new"), ("Q", "2024-03-01", "new"), ("Q", "2024-02-01", "new")]
    assert context.projects == 2 and context.since.notes == (Note("changes.unseen.no_git"),)
    markup = render(page, pages)
    said = text(markup)
    assert said.startswith("What changed Every card that changed since 2024-02-01, newest first")
    assert "3 cards changed in 2 projects." in said and "detailed here" not in said  # every row is
    assert "The cards are not read from git here, so a card counts by its date only" in said
    assert 'class="mltrl-table mltrl-sortable mltrl-changes-table" data-mltrl-filter' in markup
    rows = re.findall(r"<tr class=\"mltrl-changes-(\w+)\">(.*?)</tr>", markup, re.DOTALL)
    assert len(rows) == 3
    first = text(rows[0][1])
    assert first.startswith("2024-06-01 C1 level 2 (2024-06-01) in-review new card: advanced from level 1 to 2 "
                            "against level 1 (2024-01-01)")
    assert '<a href="dossier/C1/L2-2024-06-01.md#changes-since-approved">section by section</a>' in rows[0][1]
    assert "+ added 4: research, not-started" in first and "Versions: code 1.0.0 → 1.1.0" in first
    assert text(rows[1][1]).endswith("nothing changed")
    assert "against level" not in text(rows[2][1]) and "no earlier approved card: all of it is new" in text(rows[2][1])


def test_past_the_newest_entries_a_row_says_how_much_changed_and_links_the_card(
        dossier: CheckedDossier, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page listing thousands of changes details the newest DETAILED_ENTRIES; each older row counts its change,
    keeps level, status and versions, and links to its card page, which has the whole change."""
    monkeypatch.setattr("mltrl_docs.render.changes.DETAILED_ENTRIES", 0)
    pages = pages_of(dossier, since=Since(dt.date(2024, 2, 1)))
    context = pages["dossier/changes.md"].context
    assert isinstance(context, ChangesContext)
    assert context.detailed == 0 and not any(e.detailed for e in context.entries)
    card_page = pages["dossier/C1/L2-2024-06-01.md"].context
    assert isinstance(card_page, CardContext) and context.entries[0].view is card_page.change  # said once
    markup = render(pages["dossier/changes.md"], pages)
    assert ("each older one says how much changed, and its card page shows all of it."
            in text(markup.split("<table")[0]))
    rows = re.findall(r"<tr class=\"mltrl-changes-(\w+)\">(.*?)</tr>", markup, re.DOTALL)
    first = text(rows[0][1])
    assert "3 requirements changed" not in first and "+ added" not in first  # no requirement list
    assert "1 requirement added · 1 requirement removed · 2 requirements changed" in first
    assert "Versions: code 1.0.0 → 1.1.0" in first
    assert '<a href="dossier/C1/L2-2024-06-01.md#changes-since-approved">the whole change</a>' in rows[0][1]
    assert text(rows[1][1]).endswith("nothing changed")
    monkeypatch.setattr("mltrl_docs.render.changes.DETAILED_ENTRIES", 1)
    pages = pages_of(dossier, since=Since(dt.date(2024, 2, 1)))
    markup = render(pages["dossier/changes.md"], pages)
    assert "The newest change is detailed here" in text(markup)
    rows = re.findall(r"<tr class=\"mltrl-changes-(\w+)\">(.*?)</tr>", markup, re.DOTALL)
    assert "+ added 4: research, not-started" in text(rows[0][1]) and "the whole change" not in rows[0][1]


def test_the_changes_page_by_default_lists_the_last_90_days(dossier: CheckedDossier) -> None:
    context = pages_of(dossier)["dossier/changes.md"].context
    assert isinstance(context, ChangesContext)
    assert context.since.since == Since(dt.date(2024, 4, 2), days=90) and context.since.kind == "days"
    assert [e.card.date for e in context.entries] == [dt.date(2024, 6, 1)]
    said = text(render(pages_of(dossier)["dossier/changes.md"]))
    assert "since 2024-04-02 (90 days before 2024-07-01)" in said and "1 card changed in 1 project." in said


def test_a_shallow_clone_says_what_it_cannot_see(dossier: CheckedDossier) -> None:
    horizon = dt.datetime(2024, 5, 1, tzinfo=dt.UTC)
    shallow = replace(dossier, provenance=ProvenanceReport(
        repositories=(Repository(Path("/repo"), "abc", shallow=True, horizon=horizon),)))
    shown = since_shown(Since(dt.date(2024, 2, 1)), shallow)
    assert shown.notes == (Note("changes.unseen.shallow", dt.date(2024, 5, 1), dt.date(2024, 2, 1)),)
    said = text(render(pages_of(shallow, since=shown)["dossier/changes.md"]))
    assert ("This clone's history starts on 2024-05-01: a card last changed before then counts by its date only, "
            "so one edited between 2024-02-01 and 2024-05-01 may be missing.") in said
    assert since_shown(Since(dt.date(2024, 6, 1)), shallow).notes == ()  # the history reaches back far enough


def test_the_changes_page_kind_can_be_left_out(dossier: CheckedDossier) -> None:
    assert "changes" in OPTIONAL_PAGES
    kept = [kind for kind in OPTIONAL_PAGES if kind != "changes"]
    pages = pages_of(dossier, include=kept)
    assert "dossier/changes.md" not in pages and "dossier/C1/L2-2024-06-01.md" in pages
    assert not any(isinstance(page.context, ChangesContext) for page in pages.values())
    # The order of the nav: the page follows the history.
    uris = [page.uri for page in site_pages(dossier, "dossier") if page.in_nav]
    assert uris[uris.index("dossier/history.md") + 1] == "dossier/changes.md"


def test_german_pages_say_the_change_in_german(dossier: CheckedDossier) -> None:
    pages = {page.uri: page for page in site_pages(dossier, "dossier", messages=messages_for("de"),
                                                   since=Since(dt.date(2024, 2, 1)))}
    renderer = Renderer("dossier")
    renderer.use_messages(messages_for("de"))
    card = text(renderer.render(pages["dossier/C1/L2-2024-06-01.md"], lambda uri: uri, {}))
    assert "Änderungen seit der letzten freigegebenen Karte Verglichen mit der Karte für Stufe 1 vom 01.01.2024" in card
    assert ("1 Anforderung hinzugefügt · 1 Anforderung entfernt · 2 Anforderungen geändert · 2 Reviewer oder "
            "Entscheidungen geändert · 3 Abschnitte des Textes geändert (4 Zeilen hinzugefügt, 2 entfernt)") in card
    assert "Model / algorithm info: geändert, 3 Zeilen hinzugefügt, 1 entfernt" in card
    listing = text(renderer.render(pages["dossier/changes.md"], lambda uri: uri, {}))
    assert "Jede Karte, die sich seit dem 01.02.2024 geändert hat" in listing
    assert "neue Karte: von Stufe 1 auf 2 aufgestiegen" in listing


# --- changes.since, resolved for a build -----------------------------------------------------------------


def test_a_since_that_names_no_day_is_an_error_at_its_line(write: Callable[..., Path],
                                                           write_card: Callable[..., Path], tmp_path: Path) -> None:
    write_card("site/d/p/L1.md")
    path = write("site/mltrl-docs.yml", "sources: [d]\nbuild_date: 2024-07-01\nchanges:\n  since: v9\n")
    settings, findings = load_settings(path)
    assert settings is not None and findings == []
    setting = since_setting(settings, build_site(settings))
    finding = setting.finding
    assert finding is not None and finding.severity is Severity.ERROR and finding.rule == "settings"
    assert (finding.path, finding.line, finding.column, finding.field) == (path, 4, 10, "changes.since")
    assert "'v9'" in finding.message and setting.fallback is Fallback.DEFAULT
    assert setting.since == Since(dt.date(2024, 4, 2), days=90)
    shown = setting_shown(setting, build_site(settings))
    assert shown.notes[0] == Note("changes.fallback.default", value="v9", days=90)


def test_a_ref_outside_a_shallow_clone_starts_the_list_at_its_history(write: Callable[..., Path],
                                                                      write_card: Callable[..., Path],
                                                                      tmp_path: Path) -> None:
    write_card("site/d/p/L1.md")
    settings, _ = load_settings(write("site/mltrl-docs.yml", "sources: [d]\nchanges: {since: v1.2}\n"))
    assert settings is not None
    horizon = dt.datetime(2024, 5, 1, 12, tzinfo=dt.UTC)
    checked = replace(build_site(settings), provenance=ProvenanceReport(
        repositories=(Repository(tmp_path, "abc", shallow=True, horizon=horizon),)))
    setting = since_setting(settings, checked)
    assert setting.fallback is Fallback.HORIZON and setting.since == Since(dt.date(2024, 5, 1))
    assert setting.finding is not None and setting.finding.severity is Severity.INFO
    assert setting_shown(setting, checked).notes[0] == Note("changes.fallback.horizon", dt.date(2024, 5, 1),
                                                            value="v1.2")


def test_the_build_reports_a_bad_since_at_its_line_and_fails_strict(write: Callable[..., Path],
                                                                    write_card: Callable[..., Path],
                                                                    tmp_path: Path) -> None:
    write_card("site/d/p/L1.md")
    write("site/docs/index.md", "# Home\n")
    write("site/mltrl-docs.yml", "sources: [d]\nchanges:\n  since: no-such-ref\n")
    config = write("site/mkdocs.yml", "site_name: t\ndocs_dir: docs\nplugins:\n  - mltrl\n")
    strict = mkdocs_build(config, tmp_path / "out")
    assert strict.returncode != 0 and "Traceback" not in strict.stderr
    assert re.search(r"mltrl-docs\.yml:3:10: error: changes\.since: .*'no-such-ref'.*\(changes\.since\) \[settings\]",
                     strict.stderr), strict.stderr[-2000:]
    loose = mkdocs_build(config, tmp_path / "loose", strict=False)  # fail_on: error, the default: it fails too,
    assert loose.returncode != 0 and "Traceback" not in loose.stderr  # once the site is written
    assert "(listed above; plugin option fail_on: error)" in loose.stderr, loose.stderr[-2000:]
    page = (tmp_path / "loose" / "dossier" / "changes" / "index.html").read_text(encoding="utf-8")
    assert "The setting changes.since (no-such-ref) names no day (see the build&#39;s log)" in page


# --- the example ---------------------------------------------------------------------------------------------


def test_the_examples_changes_page_lists_a_change_with_a_section_diff() -> None:
    settings, _ = load_settings(REPO / "site_example" / "mltrl-docs.yml")
    assert settings is not None
    checked = build_site(settings, provenance=True)
    setting = since_setting(settings, checked)
    assert setting.finding is None and setting.since.date == dt.date(2026, 1, 1)
    pages = {page.uri: page for page in site_pages(checked, "dossier", since=setting_shown(setting, checked))}
    context = pages["dossier/changes.md"].context
    assert isinstance(context, ChangesContext)
    dated = {e.card.path.name for e in context.entries if e.card.date >= dt.date(2026, 1, 1)}
    assert len(dated) == 6  # in a clone, a tarball or a shallow clone: the cards dated 2026
    with_diff = next(e for e in context.entries if e.view.sections)
    listing = render(pages["dossier/changes.md"], pages)
    card_uri = f"dossier/{with_diff.project.id}/L{with_diff.card.level.number}-{with_diff.card.date.isoformat()}.md"
    assert f'<a href="{card_uri}#changes-since-approved">section by section</a>' in listing
    assert '<pre class="mltrl-diff">' in render(pages[card_uri], pages)
