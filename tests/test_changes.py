"""What changed (mltrl_docs/changes.py, mltrl_docs/change_report.py, ``mltrl-docs diff``): each card
against its project's previous approved card, the cards changed since a day or a git ref, and the
three output formats, with card text that tries to break them."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt

from conftest import run_cli as run
from mltrl_docs.body import read_body
from mltrl_docs.change_report import as_markdown, md
from mltrl_docs.changes import (
    MAX_DIFF_LINES,
    MAX_SHOWN_LINES,
    Changed,
    ChangeKind,
    ChangeReport,
    Since,
    SinceError,
    VersionChange,
    changes_since,
    parse_since,
    resolve_since,
    section_diffs,
)
from mltrl_docs.dossier import CheckedDossier, build_dossier, build_site
from mltrl_docs.gates import GateSettings
from mltrl_docs.model import Card, CardStatus, Decision, RequirementStatus, Risk
from mltrl_docs.settings import Settings
from provenance.support import Repo, needs_git

TODAY = dt.date(2024, 12, 1)
POLICY = GateSettings.from_data({"stale": "off"})

BASE_BODY = """
**TL;DR**: A monitor that warns when search traffic drifts.

## Model / algorithm info

Population stability index over 40 query features.
Thresholds tuned by hand.

## Data considerations

Ninety days of anonymised query logs.
"""

NEW_BODY = """
**TL;DR**: A monitor that warns when search traffic drifts.

## Model / algorithm info

Population stability index over 40 query features.
Thresholds fitted on two years of logs.

## Testing status

Backtests pass on 2022 and 2023.
"""


def req(rid: str, text: str, status: str = "in-progress", kind: str = "research", **extra: Any) -> dict[str, Any]:
    return {"id": rid, "kind": kind, "text": text, "verification": "test", "status": status, **extra}


def f1(source: str) -> dict[str, Any]:
    return {"metric": "F1", "op": ">=", "value": 0.7, "source": source, "select": "test.f1"}


BASE: dict[str, Any] = {
    "mltrl": 1.2, "level": 2, "date": "2024-01-01", "status": "approved",
    "versions": {"code": "1.0.0", "model": "1.0.0"},
    "reviewers": [{"name": "Lin Chen", "decision": "approved"}, {"name": "Sam Roe", "decision": "approved"}],
    "requirements": [
        req("1", "The monitor shall raise an alert above PSI 0.2.", risk={"likelihood": 2, "impact": 3}),
        req("2", "An old requirement that is dropped."),
        req("3", "F1 shall be at least 0.7.", "verified", acceptance=[f1("evidence/old.json")]),
        req("5", "Nothing changes here.", "verified"),
    ],
}
NEW: dict[str, Any] = {
    "mltrl": 1.2, "level": 3, "date": "2024-06-01", "status": "in-review",
    "transition": {"from": 2, "kind": "advance", "reason": "Gate passed."},
    "versions": {"code": "1.1.0", "model": "1.0.0", "data": "1.0.0"},
    "reviewers": [{"name": "lin  chen", "decision": "pending"}, {"name": "Kim Park", "decision": "approved"}],
    "requirements": [
        req("1", "The monitor shall raise an alert when PSI exceeds 0.2.", "verified",
            risk={"likelihood": 3, "impact": 3}),
        req("3", "F1 shall be at  least 0.7.", "verified", acceptance=[f1("evidence/new.json")]),
        req("4", "Alerts shall reach the on-call within 5 minutes.", "not-started", kind="product"),
        req("5", "Nothing changes here.", "verified"),
    ],
}


def two_cards(write: Callable[..., Path], write_card: Callable[..., Path]) -> tuple[Path, Path]:
    write("dossiers/p/evidence/old.json", '{"test": {"f1": 0.64}}')
    write("dossiers/p/evidence/new.json", '{"test": {"f1": 0.75}}')
    return (write_card("dossiers/p/L2.md", BASE_BODY, **BASE), write_card("dossiers/p/L3.md", NEW_BODY, **NEW))


def checked(tmp_path: Path) -> CheckedDossier:
    return build_dossier([tmp_path / "dossiers"], gates=POLICY, today=TODAY)


def card_of(dossier: CheckedDossier, path: Path) -> Card:
    return next(card for card in dossier.cards if card.path == path)


# --- one card against its baseline ------------------------------------------------------


def test_every_kind_of_change_from_the_previous_approved_card(write, write_card, tmp_path: Path) -> None:
    base_path, new_path = two_cards(write, write_card)
    dossier = checked(tmp_path)
    change = ChangeReport(dossier).of(card_of(dossier, new_path))
    assert change.baseline is not None and change.baseline.path == base_path and not change.first
    assert change.level == Changed(2, 3)
    assert change.status == Changed(CardStatus.APPROVED, CardStatus.IN_REVIEW)
    assert change.versions == (VersionChange("code", "1.0.0", "1.1.0"), VersionChange("data", None, "1.0.0"))

    by_id = {r.id: r for r in change.requirements}
    assert list(by_id) == ["1", "3", "4", "2"]  # the card's order, then what it dropped; 5 is unchanged
    reworded = by_id["1"]
    assert reworded.kind is ChangeKind.CHANGED
    assert reworded.text == Changed("The monitor shall raise an alert above PSI 0.2.",
                                    "The monitor shall raise an alert when PSI exceeds 0.2.")
    assert reworded.status == Changed(RequirementStatus.IN_PROGRESS, RequirementStatus.VERIFIED)
    assert reworded.risk == Changed(Risk(2, 3), Risk(3, 3)) and reworded.acceptance == ()
    results = by_id["3"]
    assert results.text is None and results.status is None  # spacing is no rewording
    (criterion,) = results.acceptance
    assert (criterion.kind, criterion.label) == (ChangeKind.CHANGED, "F1")
    assert criterion.measured == Changed("0.64", "0.75") and criterion.passed == Changed(False, True)
    assert criterion.evidence == Changed("evidence/old.json", "evidence/new.json") and criterion.threshold is None
    assert by_id["4"].kind is ChangeKind.ADDED and by_id["4"].requirement.kind.value == "product"
    assert by_id["2"].kind is ChangeKind.REMOVED and by_id["2"].after is None

    reviewers = {r.name: r for r in change.reviewers}
    assert reviewers["lin  chen"].kind is ChangeKind.CHANGED  # the same reviewer, case and spacing aside
    assert reviewers["lin  chen"].decision == Changed(Decision.APPROVED, Decision.PENDING)
    assert reviewers["Kim Park"].kind is ChangeKind.ADDED and reviewers["Sam Roe"].kind is ChangeKind.REMOVED

    sections = [(s.title, s.kind, s.added, s.removed) for s in change.sections]
    assert sections == [("Model / algorithm info", ChangeKind.CHANGED, 1, 1),
                        ("Testing status", ChangeKind.ADDED, 1, 0),
                        ("Data considerations", ChangeKind.REMOVED, 0, 1)]  # the TL;DR lead is unchanged
    model = change.sections[0]
    assert model.lines == ("@@ -1,2 +1,2 @@", " Population stability index over 40 query features.",
                           "-Thresholds tuned by hand.", "+Thresholds fitted on two years of logs.")
    assert model.line is not None and new_path.read_text().split("\n")[model.line - 1] == "## Model / algorithm info"
    assert change.sections[2].line is None and not change.empty


def test_a_card_without_an_earlier_approved_card_has_no_baseline_and_everything_is_new(
        write, write_card, tmp_path: Path) -> None:
    base_path, _ = two_cards(write, write_card)
    dossier = checked(tmp_path)
    change = ChangeReport(dossier).of(card_of(dossier, base_path))
    assert change.baseline is None and change.first
    assert change.level == Changed(None, 2) and change.status == Changed(None, CardStatus.APPROVED)
    assert change.versions == (VersionChange("code", None, "1.0.0"), VersionChange("model", None, "1.0.0"))
    assert [(r.id, r.kind) for r in change.requirements] == [(rid, ChangeKind.ADDED) for rid in ("1", "2", "3", "5")]
    added = next(r for r in change.requirements if r.id == "3").acceptance[0]
    assert added.kind is ChangeKind.ADDED and added.measured == Changed(None, "0.64")
    assert [r.kind for r in change.reviewers] == [ChangeKind.ADDED, ChangeKind.ADDED]
    assert [(s.title, s.kind) for s in change.sections] == [
        ("", ChangeKind.ADDED), ("Model / algorithm info", ChangeKind.ADDED), ("Data considerations", ChangeKind.ADDED)]
    assert change.sections[0].lines == ("@@ -0,0 +1 @@", "+**TL;DR**: A monitor that warns when search traffic drifts.")
    # Kept as one string a diff (its lines are a body's: none holds a newline), given back as lines.
    assert change.sections[0].text == "@@ -0,0 +1 @@\n+**TL;DR**: A monitor that warns when search traffic drifts."


def test_an_approval_that_does_not_hold_is_no_baseline(write, write_card, tmp_path: Path) -> None:
    """The middle card says approved, but its only reviewer is its owner: the review rule says the
    approval does not hold, so the last card is compared with the first."""
    first = write_card("dossiers/p/L1.md", level=1, date="2024-01-01")
    owned = write_card("dossiers/p/L2.md", level=2, date="2024-03-01", transition={"from": 1, "kind": "advance"},
                       reviewers=[{"name": "Ada Okafor", "decision": "approved"}])
    last = write_card("dossiers/p/L3.md", level=3, date="2024-06-01", transition={"from": 2, "kind": "advance"})
    dossier = checked(tmp_path)
    assert dossier.gates.approved[first] and not dossier.gates.approved[owned]
    report = ChangeReport(dossier)
    assert report.of(card_of(dossier, last)).baseline.path == first  # type: ignore[union-attr]
    assert report.of(card_of(dossier, owned)).baseline.path == first  # type: ignore[union-attr]
    assert report.current("C1") is report.of(card_of(dossier, last))
    assert report.current("nope") is None


# --- section diffs ------------------------------------------------------------------------


def test_sections_are_paired_by_heading_and_a_repeated_heading_by_its_place() -> None:
    before = read_body("## Notes\n\none\n\n## Notes\n\ntwo\n\n### Deep\n\nthree\n")
    after = read_body("## notes\n\none\n\n## Notes\n\n2\n\n### Deep\n\nthree\n")
    (diff,) = section_diffs(before, after)
    assert (diff.title, diff.kind, diff.added, diff.removed, diff.line) == ("Notes", ChangeKind.CHANGED, 1, 1, 5)
    assert diff.lines == ("@@ -1 +1 @@", "-two", "+2")  # its own lines: the sub-section is its own


def test_a_cards_section_diffs_are_worked_out_once_for_the_same_two_bodies(write_card, tmp_path: Path) -> None:
    """Under ``mkdocs serve`` each rebuild asks again for every card's change; bodies that are the
    same (by their text) give back the diffs already worked out, and an edited body its own."""
    from mltrl_docs.changes import card_change

    write_card("dossiers/p/L3.md", body="## Notes\n\none\ntwo\n")
    card = checked(tmp_path).cards[0]
    first = card_change(card, None).sections
    assert card_change(card, None).sections is first
    again = read_body(card.body.markdown, card.body.line)  # the same text, read again: another object
    assert again is not card.body and card_change(replace(card, body=again), None).sections is first
    edited = card_change(replace(card, body=read_body("## Notes\n\none\nthree\n", card.body.line)), None)
    assert edited.sections is not first and edited.sections[0].lines[-1] == "+three"


def test_a_long_section_is_counted_whole_and_a_long_diff_is_cut() -> None:
    huge = "\n".join(f"line {n}" for n in range(MAX_DIFF_LINES + 1))
    (whole,) = section_diffs(read_body("## A\n\nshort\n"), read_body("## A\n\n" + huge + "\n"))
    assert (whole.whole, whole.added, whole.removed, whole.lines) == (True, MAX_DIFF_LINES + 1, 1, ())
    many = "\n".join(f"line {n}" for n in range(MAX_SHOWN_LINES))
    (cut,) = section_diffs(read_body("## A\n\nold\n"), read_body("## A\n\n" + many + "\n"))
    assert cut.truncated and len(cut.lines) == MAX_SHOWN_LINES and (cut.added, cut.removed) == (MAX_SHOWN_LINES, 1)


# --- since when ---------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("90", 90), ("0", 0), ("2026-01-01", dt.date(2026, 1, 1)), ("v1.2", "v1.2"), ("HEAD~3", "HEAD~3")])
def test_since_is_days_a_date_or_a_git_ref(text: str, expected: object) -> None:
    assert parse_since(text) == expected


def test_a_date_that_is_no_date_is_an_error() -> None:
    with pytest.raises(SinceError, match="'2026-02-30' is not a date"):
        parse_since("2026-02-30")


def test_days_count_back_from_today(tmp_path: Path) -> None:
    since = resolve_since(90, [tmp_path], dt.date(2026, 12, 1))
    assert since == Since(dt.date(2026, 9, 2), days=90)
    assert since.text == "2026-09-02 (90 days before 2026-12-01)"
    assert resolve_since(dt.date(2026, 1, 1), [tmp_path], TODAY).text == "2026-01-01"


@pytest.mark.parametrize("ref", ["-x", "a b", "x" * 300])
def test_a_ref_git_could_misread_is_refused_before_git_is_asked(ref: str, tmp_path: Path) -> None:
    with pytest.raises(SinceError, match="is not a git ref"):
        resolve_since(ref, [tmp_path], TODAY)


def test_a_ref_outside_git_is_an_error_naming_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    (tmp_path / "d").mkdir()
    with pytest.raises(SinceError, match=r"'v1.2' is not a number of days or a date"):
        resolve_since("v1.2", [tmp_path / "d"], TODAY)


def test_changes_since_a_date_newest_first_by_project_and_team(write_card, tmp_path: Path) -> None:
    write_card("dossiers/a/L1.md", project="A", level=1, date="2024-01-01", team="Search")
    a2 = write_card("dossiers/a/L2.md", project="A", level=2, date="2024-09-01", team="Search",
                    transition={"from": 1, "kind": "advance"})
    b1 = write_card("dossiers/b/L1.md", project="B", level=1, date="2024-10-01", team="Vision")
    c1 = write_card("dossiers/c/L1.md", project="C", level=1, date="2024-09-01")
    dossier = checked(tmp_path)
    entries = changes_since(dossier, dt.date(2024, 9, 1))
    assert [e.card.path for e in entries] == [b1, a2, c1]  # newest first; a tie by project id
    assert [(e.when, e.commit) for e in entries] == [(dt.date(2024, 10, 1), None), (dt.date(2024, 9, 1), None),
                                                     (dt.date(2024, 9, 1), None)]
    assert entries[1].change.baseline is not None and entries[1].project.id == "A"
    assert [e.card.path for e in changes_since(dossier, dt.date(2024, 9, 2))] == [b1]
    assert [e.card.path for e in changes_since(dossier, dt.date(2024, 1, 1), projects=["A"])][-1].name == "L1.md"
    assert [e.card.path for e in changes_since(dossier, dt.date(2024, 1, 1), teams=["Vision"])] == [b1]


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    return Repo(tmp_path / "repo")


def git_site(repo: Repo) -> Settings:
    return Settings(sources=((repo.root / "dossiers").resolve(),), build_date=TODAY,
                    gates=GateSettings.from_data({"stale": "off"}))


@needs_git
def test_changes_since_a_git_ref_in_a_real_repository(repo: Repo) -> None:
    """A and B are dated 2020 and committed on 1 March (tagged v1); A changes on 5 March; C is dated
    after the tag's day. Since v1: A (a later commit changed it) and C (its date), not B."""
    repo.card("dossiers/a/L1.md", project="A", level=1, date="2020-01-01")
    repo.card("dossiers/b/L1.md", project="B", level=1, date="2020-01-01")
    repo.card("dossiers/c/L1.md", project="C", level=1, date="2024-04-01")
    tagged = repo.commit("Cards", when="2024-03-01T10:00:00+00:00")
    repo.git("tag", "v1")
    repo.card("dossiers/a/L1.md", project="A", level=1, date="2020-01-01", title="Drift monitor, renamed")
    changed = repo.commit("Rename A", when="2024-03-05T10:00:00+00:00")
    settings = git_site(repo)
    dossier = build_site(settings, provenance=True)
    since = resolve_since("v1", settings.sources, dossier.today)
    assert (since.date, since.ref, [c.sha for c in since.commits.values()]) == (dt.date(2024, 3, 1), "v1", [tagged])
    assert since.text == f"v1 (commit {tagged[:7]}, 2024-03-01)"
    entries = ChangeReport(dossier).since(since)
    assert [(e.project.id, e.when) for e in entries] == [("C", dt.date(2024, 4, 1)), ("A", dt.date(2024, 3, 5))]
    assert entries[1].commit is not None and entries[1].commit.sha == changed
    by_date = ChangeReport(dossier).since(dt.date(2024, 3, 2))  # by the last commit's day, without the ref
    assert [e.project.id for e in by_date] == ["C", "A"]
    assert {e.project.id for e in ChangeReport(dossier).since(dt.date(2024, 3, 1))} == {"A", "B", "C"}
    with pytest.raises(SinceError, match="git ref 'v9' names no commit in the sources' repository"):
        resolve_since("v9", settings.sources, dossier.today)


# --- mltrl-docs diff -------------------------------------------------------------------------

HOSTILE = "Pipes | break tables, `ticks` make code, <script>alert(1)</script> & $x$ [link](javascript:x) *em*"


@pytest.fixture
def site(write, write_card, tmp_path: Path) -> Path:
    write("site/mltrl-docs.yml", "sources: [dossiers]\nbuild_date: 2024-12-01\nchanges: {since: 2024-05-01}\n")
    write("site/dossiers/p/evidence/old.json", '{"test": {"f1": 0.64}}')
    write("site/dossiers/p/evidence/new.json", '{"test": {"f1": 0.75}}')
    write_card("site/dossiers/p/L2.md", BASE_BODY, **BASE)
    hostile = {**NEW, "requirements": [*NEW["requirements"], req("6", HOSTILE + "\n::error::forged")]}
    write_card("site/dossiers/p/L3.md", NEW_BODY + "\n## Notes\n\n```\n<script>x</script>\n````\n", **hostile)
    return tmp_path / "site"




def test_diff_text_for_terminals(site: Path) -> None:
    result = run("diff", str(site), "--since", "2024-05-01")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Changes since 2024-05-01: 1 card in 1 project"
    assert "    against the approved level-2 card L2.md (2024-01-01)" in lines
    assert "    level: 2 -> 3 (advance from 2)" in lines
    assert "    versions: code 1.0.0 -> 1.1.0, data none -> 1.0.0" in lines
    assert "      ~ 3: acceptance 'F1' changed, evidence evidence/old.json -> evidence/new.json, measured 0.64 -> " \
           "0.75, result missed -> met" in lines
    assert "      ~ Model / algorithm info: +1 -1" in lines and "      - Data considerations: +0 -1" in lines
    assert not any(line.lstrip().startswith("::") for line in lines)  # a value never starts a line
    assert "\\n::error::forged" in result.output


def test_diff_json_for_tools(site: Path) -> None:
    result = run("diff", "--format", "json", cwd=site)  # since: the settings' changes.since
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["version"] == 1 and data["today"] == "2024-12-01"
    assert data["since"] == {"date": "2024-05-01", "ref": None, "commits": [], "days": None, "text": "2024-05-01"}
    (entry,) = data["changes"]
    assert entry["project"] == "C1" and entry["card"]["file"] == "dossiers/p/L3.md"
    assert entry["card"]["changed"] == "2024-06-01" and entry["card"]["commit"] is None
    assert entry["card"]["transition"] == {"from": 2, "kind": "advance", "switchback": None, "reason": "Gate passed."}
    assert entry["baseline"] == {"file": "dossiers/p/L2.md", "level": 2, "status": "approved", "date": "2024-01-01"}
    assert entry["level"] == {"before": 2, "after": 3}
    first = entry["requirements"][0]
    assert first["id"] == "1" and first["change"] == "changed" and first["status_change"] == {
        "before": "in-progress", "after": "verified"}
    assert first["risk_change"]["after"] == {"likelihood": 3, "impact": 3, "score": 9, "mitigation": None}
    assert entry["requirements"][1]["acceptance"][0]["passed"] == {"before": False, "after": True}
    assert [r["change"] for r in entry["reviewers"]] == ["changed", "added", "removed"]
    notes = next(s for s in entry["sections"] if s["title"] == "Notes")
    assert notes["change"] == "added" and notes["diff"][1:] == ["+```", "+<script>x</script>", "+````"]


def test_diff_markdown_for_a_pull_request_keeps_hostile_text_inert(site: Path) -> None:
    result = run("diff", str(site), "--since", "2024-05-01", "--format", "markdown")
    assert result.exit_code == 0, result.output
    html = MarkdownIt("commonmark").enable("table").render(result.output)
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<a " not in html and "<em>" not in html  # no link and no emphasis from card text
    item = next(line for line in html.splitlines() if "Pipes" in line)
    assert item.startswith("<li>") and item.endswith("</li>") and "<code>" not in item
    assert "`ticks`" in item and "| break tables" in item and " ::error::forged" in item
    assert not any(line.startswith("::") for line in result.output.splitlines())
    assert html.count("<table>") == 1 and html.count("<tr>") == 5  # a header and level, status, 2 versions
    assert html.count("<td>") == 3 * 4
    # The section with a ``` and a ```` line: the fence is longer, so it holds them all as code.
    assert "<pre><code class=\"language-diff\">@@ -0,0 +1,3 @@\n+```\n+&lt;script&gt;x&lt;/script&gt;\n+````\n" \
           "</code></pre>" in html
    assert "`````diff" in result.output


def test_md_escapes_what_markdown_and_html_read() -> None:
    assert md("a|b `c` <d> & e_f *g* [h](i) $j$ ~k~ #l !m \\n\nn\u2028o") == (
        "a\\|b \\`c\\` &lt;d&gt; &amp; e\\_f \\*g\\* \\[h\\]\\(i\\) \\$j\\$ \\~k\\~ \\#l \\!m \\\\n n o")


def test_diff_of_nothing_says_so(site: Path) -> None:
    result = run("diff", str(site), "--since", "2030-01-01")
    assert result.exit_code == 0 and result.output == "Changes since 2030-01-01: 0 cards in 0 projects\n"
    assert as_markdown([], Since(dt.date(2030, 1, 1))) == "## What changed since 2030-01-01\n\n0 cards in 0 projects.\n"


def test_diff_of_one_card_and_its_filters(site: Path) -> None:
    only = run("diff", str(site / "dossiers" / "p" / "L2.md"), "--since", "2000-01-01")
    assert only.exit_code == 0 and "L3.md" not in only.output
    assert "first approved baseline: none (everything on the card is new)" in only.output
    assert "0 cards" in run("diff", str(site), "--since", "2000-01-01", "--team", "Nobody").output
    unknown = run("diff", str(site), "--since", "2000-01-01", "--project", "ZZ")
    assert unknown.exit_code == 2 and "error: no project 'ZZ' (projects: C1)" in unknown.output


@pytest.mark.parametrize("since", ["2024-13-01", "-rf"])
def test_diff_with_a_bad_since_is_a_usage_error(site: Path, since: str) -> None:
    result = run("diff", str(site), f"--since={since}")
    assert result.exit_code == 2 and result.output.startswith("error: '")


@needs_git
def test_diff_since_a_ref_that_names_no_commit_exits_2_naming_it(repo: Repo) -> None:
    repo.card("dossiers/a/L1.md", project="A", level=1)
    repo.commit("Card")
    repo.write("mltrl-docs.yml", "sources: [dossiers]\n")
    result = run("diff", str(repo.root), "--since", "v9.9")
    assert result.exit_code == 2
    assert result.output.startswith("error: git ref 'v9.9' names no commit in the sources' repository")
    assert run("diff", str(repo.root), "--since", "HEAD").exit_code == 0


def test_the_settings_schema_takes_days_a_date_or_a_ref(write) -> None:
    from mltrl_docs.settings import load_settings

    for value, expected in (("30", 30), ("2026-01-01", dt.date(2026, 1, 1)), ("v1.2", "v1.2")):
        settings, findings = load_settings(write("s/mltrl-docs.yml", f"sources: [d]\nchanges: {{since: {value}}}\n"))
        assert settings is not None and settings.changes.since == expected and findings == []
    assert Settings(sources=()).changes.since == 90
    for value, field in (("2026-02-30", "changes.since"), ("-x", "changes.since"), ("-1", "changes.since"),
                         ("true", "changes.since")):
        settings, findings = load_settings(write("s/mltrl-docs.yml", f"sources: [d]\nchanges: {{since: {value}}}\n"))
        assert settings is None and [f.field for f in findings] == [field], value


def test_the_example_documents_the_default_and_names_a_date() -> None:
    """The example names a date (its cards' days and commits would make a number of days list every card,
    then none); its comment states the default."""
    from conftest import REPO
    from mltrl_docs.settings import load_settings

    path = REPO / "site_example" / "mltrl-docs.yml"
    text = path.read_text(encoding="utf-8")
    block = text[text.index("# What changed:"):text.index("# Who created")]
    assert "(90 by default)" in block and Settings(sources=()).changes.since == 90
    settings, findings = load_settings(path)
    assert findings == [] and settings is not None and settings.changes.since == dt.date(2026, 1, 1)
    assert settings.changes.at is not None and text.splitlines()[settings.changes.at.line - 1] == "  since: 2026-01-01"
