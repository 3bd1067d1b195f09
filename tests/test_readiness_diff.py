"""Issue 15, item 2: readiness changes between two bundles or two builds (``readiness_diff``,
``mltrl-docs diff OLD NEW`` in text, JSON and Markdown): each kind of change on small real sites,
bundled with the bundle writer; the example against its earlier bundle; bad bundles."""

from __future__ import annotations

import dataclasses
import json
import shlex
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from conftest import BODY, REPO, run_cli
from mltrl_docs.bundle.write import Origin, bundle_of, dumps
from mltrl_docs.changes import ChangeKind
from mltrl_docs.dossier import build_site
from mltrl_docs.readiness_diff import GateChange, Move, ReadinessDiff, readiness_diff, snapshot
from mltrl_docs.render.readiness import as_data, as_markdown, as_text
from mltrl_docs.resources import load_schema
from mltrl_docs.settings import load_settings

SETTINGS = "sources: [d]\nbuild_date: 2026-12-01\n"
DATA = "\n## Data considerations\n\nQuery logs, 90 days.\n"
VERIFIED = {"id": "1", "kind": "research", "text": "PSI stays below 0.1.", "verification": "test",
            "status": "verified", "evidence": ["evidence/psi.csv"]}
Write = Callable[..., Path]


def bundled(root: Path) -> dict[str, Any]:
    """The bundle of the site in ``root``, as ``mltrl-docs bundle`` writes it (bytes and back)."""
    settings, findings = load_settings(root / "mltrl-docs.yml")
    assert settings is not None, findings
    checked = build_site(settings)
    return json.loads(dumps(bundle_of(checked, Origin(root), max_bytes=settings.limits.file_bytes)))


def diff_of(tmp_path: Path) -> ReadinessDiff:
    return readiness_diff(snapshot(bundled(tmp_path / "old")), snapshot(bundled(tmp_path / "new")))


def sites(write: Write) -> None:
    write("old/mltrl-docs.yml", SETTINGS)
    write("new/mltrl-docs.yml", SETTINGS)


# --- each kind of change --------------------------------------------------------------------------


def test_projects_added_and_removed(write: Write, write_card: Write, tmp_path: Path) -> None:
    sites(write)
    write_card("old/d/a/L2-2024-03-01.md", project="A1", title="Kept")
    write_card("old/d/b/L2-2024-03-01.md", project="B1", title="Gone")
    write_card("new/d/a/L2-2024-03-01.md", project="A1", title="Kept")
    write_card("new/d/c/L3-2024-03-01.md", project="C1", title="New one", level=3)
    diff = diff_of(tmp_path)
    assert [(p.project, p.change, p.title, p.level) for p in diff.projects] == [
        ("B1", ChangeKind.REMOVED, "Gone", 2), ("C1", ChangeKind.ADDED, "New one", 3)]
    assert diff.counts["added"] == diff.counts["removed"] == 1
    assert not diff.levels and not diff.requirements


def test_an_advance_and_a_switchback_with_their_transitions_words(write: Write, write_card: Write,
                                                                    tmp_path: Path) -> None:
    sites(write)
    for side in ("old", "new"):
        write_card(f"{side}/d/a/L2-2024-03-01.md", project="A1")
        write_card(f"{side}/d/b/L3-2024-03-01.md", project="B1", level=3)
    write_card("new/d/a/L3-2024-09-01.md", project="A1", level=3, date="2024-09-01",
               transition={"from": 2, "kind": "advance", "reason": "Offline metrics met."})
    write_card("new/d/b/L2-2024-09-01.md", project="B1", level=2, date="2024-09-01",
               transition={"from": 3, "kind": "switchback", "switchback": "review", "reason": "Leakage found."})
    diff = diff_of(tmp_path)
    advance, back = diff.levels
    assert (advance.project, advance.level.before, advance.level.after, advance.move, advance.card) == (
        "A1", 2, 3, Move.ADVANCE, "L3-2024-09-01")
    assert (back.project, back.level.before, back.level.after, back.move) == ("B1", 3, 2, Move.SWITCHBACK)
    text = as_text(diff, "old", "new")
    assert "A1 Drift monitor: level 2 -> 3, advance: advanced from level 3 to 3" not in text
    assert "level 2 -> 3, advance: advanced from level 2 to 3 (L3-2024-09-01)" in text
    assert "level 3 -> 2, switchback: review switchback from level 3 to 2 (L2-2024-09-01)" in text
    assert diff.counts["advanced"] == diff.counts["switched_back"] == 1
    levels = as_data(diff, "old", "new")["levels"]
    assert levels[1]["transition"] == {"from": 3, "kind": "switchback", "switchback": "review",
                                       "reason": "Leakage found."}


def test_a_gate_finding_newly_failing_and_one_newly_passed_and_the_earned_level(write: Write, write_card: Write,
                                                                                 tmp_path: Path) -> None:
    """Level 2 expects a 'Data considerations' section (the sections rule, a warning): A1 loses it,
    B1 gains it; each card's earned level follows."""
    sites(write)
    passing = {"ethics": {"pre_development": "complete"}, "requirements": [VERIFIED]}  # every other gate of level 2
    for side in ("old", "new"):
        for folder in ("a", "b"):
            write(f"{side}/d/{folder}/evidence/psi.csv", "slice,psi\nall,0.08\n")
    write_card("old/d/a/L2-2024-03-01.md", BODY + DATA, project="A1", **passing)
    write_card("new/d/a/L2-2024-03-01.md", BODY, project="A1", **passing)
    write_card("old/d/b/L2-2024-03-01.md", BODY, project="B1", **passing)
    write_card("new/d/b/L2-2024-03-01.md", BODY + DATA, project="B1", **passing)
    diff = diff_of(tmp_path)
    gates = [(g.change, g.finding.project, g.finding.card, g.finding.rule, g.finding.severity) for g in diff.gates]
    assert gates == [(GateChange.FAILING, "A1", "L2-2024-03-01", "sections", "warning"),
                     (GateChange.PASSED, "B1", "L2-2024-03-01", "sections", "warning")]
    assert "Data considerations" in diff.gates[0].finding.message
    assert [(e.project, e.earned.before, e.earned.after, e.declared) for e in diff.earned] == [
        ("A1", 2, 1, 2), ("B1", 1, 2, 2)]


def test_a_note_fails_no_gate_and_a_message_that_only_counts_differently_is_the_same(write: Write,
                                                                                       write_card: Write,
                                                                                       tmp_path: Path) -> None:
    write("old/mltrl-docs.yml", SETTINGS + "gates: {sections: info}\n")
    write("new/mltrl-docs.yml", SETTINGS + "gates: {sections: info}\n")
    write_card("old/d/a/L2-2024-03-01.md", BODY + DATA, project="A1")
    write_card("new/d/a/L2-2024-03-01.md", BODY, project="A1")
    assert not diff_of(tmp_path).gates  # a note, not a failing gate
    old, new = bundled(tmp_path / "old"), bundled(tmp_path / "new")
    finding = {"path": new["cards"][0]["path"], "line": 1, "column": 1, "severity": "warning", "rule": "stale",
               "message": "unchanged for 400 days", "field": "date", "hint": None, "project": "A1"}
    old["findings"].append(finding)
    new["findings"].append({**finding, "message": "unchanged for 401 days"})
    assert not readiness_diff(snapshot(old), snapshot(new)).gates
    new["findings"].append({**finding, "rule": "schema"})  # no gate rule: not listed
    assert not readiness_diff(snapshot(old), snapshot(new)).gates


REQUIREMENT = {"id": "1", "kind": "research", "text": "PSI stays below 0.1.", "verification": "test",
               "status": "in-progress", "evidence": ["evidence/psi.csv"],
               "acceptance": [{"metric": "psi", "op": "<", "value": 0.1, "source": "evidence/psi.csv",
                               "select": "all/psi"}]}


def test_requirements_whose_status_text_or_acceptance_result_changed(write: Write, write_card: Write,
                                                                     tmp_path: Path) -> None:
    sites(write)
    write("old/d/a/evidence/psi.csv", "slice,psi\nall,0.08\n")
    write("new/d/a/evidence/psi.csv", "slice,psi\nall,0.12\n")
    unchanged = {**REQUIREMENT, "id": "4", "acceptance": []}
    write_card("old/d/a/L2-2024-03-01.md", project="A1", mltrl=1.2, requirements=[
        REQUIREMENT, {**unchanged, "id": "2"}, {**unchanged, "id": "3"}, unchanged])
    write_card("new/d/a/L2-2024-03-01.md", project="A1", mltrl=1.2, requirements=[
        REQUIREMENT, {**unchanged, "id": "2", "status": "verified"},
        {**unchanged, "id": "3", "text": "PSI stays below 0.05."}, unchanged, {**unchanged, "id": "5"}])
    diff = diff_of(tmp_path)
    found = {r.id: r for r in diff.requirements}
    assert sorted(found) == ["1", "2", "3", "5"]  # 4 is the same
    assert found["1"].acceptance is not None and (found["1"].acceptance.before, found["1"].acceptance.after) == (
        "passed", "failed")
    assert found["2"].status is not None and found["2"].status.after == "verified" and found["2"].text is None
    assert found["3"].text is not None and found["3"].text.before == "PSI stays below 0.1."
    assert found["5"].change is ChangeKind.ADDED
    markdown = as_markdown(diff, "old.json", "new.json")
    assert "acceptance passed → failed" in markdown and "2: status in-progress → verified" in markdown


def test_new_reviews_are_decisions_the_same_card_did_not_record(write: Write, write_card: Write,
                                                               tmp_path: Path) -> None:
    sites(write)
    lin = {"name": "Lin Chen", "decision": "approved", "date": "2024-03-05"}
    write_card("old/d/a/L2-2024-03-01.md", project="A1", status="in-review",
               reviewers=[{**lin, "decision": "pending", "date": None}])
    write_card("new/d/a/L2-2024-03-01.md", project="A1",
               reviewers=[lin, {"name": "Sam Ode", "decision": "pending"}])
    write_card("old/d/b/L2-2024-03-01.md", project="B1")
    write_card("new/d/b/L2-2024-03-01.md", project="B1")  # the same card: nothing new
    diff = diff_of(tmp_path)
    assert [(r.project, r.card, r.review.name, r.review.decision.value) for r in diff.reviews] == [
        ("A1", "L2-2024-03-01", "Lin Chen", "approved")]
    assert "A1 L2-2024-03-01: Lin Chen: approved on 2024-03-05" in as_text(diff, "o", "n")


def test_only_the_projects_asked_for_and_nothing_changed(write: Write, write_card: Write, tmp_path: Path) -> None:
    sites(write)
    for side in ("old", "new"):
        write_card(f"{side}/d/a/L2-2024-03-01.md", project="A1")
    write_card("new/d/b/L2-2024-03-01.md", project="B1")
    diff = diff_of(tmp_path)
    assert diff.counts["added"] == 1
    same = readiness_diff(diff.old, diff.new, ["A1"])
    assert same.empty and "Nothing changed." in as_text(same, "o", "n")


def test_a_card_read_again_is_never_trusted_to_be_valid(write: Write, write_card: Write, tmp_path: Path) -> None:
    """A bundle's card whose text no longer reads as a card (edited by hand) gives no reviews, and
    the level change says no transition, instead of failing."""
    sites(write)
    write_card("old/d/a/L2-2024-03-01.md", project="A1")
    write_card("new/d/a/L3-2024-09-01.md", project="A1", level=3, date="2024-09-01")
    old, new = bundled(tmp_path / "old"), bundled(tmp_path / "new")
    for card in new["cards"]:
        card["content"] = "not: [a card"
    diff = readiness_diff(snapshot(old), snapshot(new))
    assert diff.levels[0].transition is None and not diff.reviews


# --- the command ------------------------------------------------------------------------------------


@pytest.fixture
def two(write: Write, write_card: Write, tmp_path: Path) -> Path:
    """Two sites and the old one's bundle: A1 advanced, B1 new, with hostile text in its title."""
    sites(write)
    write_card("old/d/a/L2-2024-03-01.md", project="A1")
    write_card("new/d/a/L2-2024-03-01.md", project="A1")
    write_card("new/d/a/L3-2024-09-01.md", project="A1", level=3, date="2024-09-01",
               transition={"from": 2, "kind": "advance"})
    write_card("new/d/b/L1-2024-03-01.md", project="B1", level=1, title="<img src=x onerror=alert(1)> `x` | *y*")
    assert run_cli("bundle", "old", "--out", "old.json", cwd=tmp_path).exit_code == 0
    return tmp_path


def test_diff_of_a_bundle_and_a_site_in_text(two: Path) -> None:
    result = run_cli("diff", "old.json", "new", cwd=two)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Readiness changes from old.json (checked on 2026-12-01") and " to new (" in lines[0]
    assert "1 projects added" in lines[1] and "1 levels advanced" in lines[1]
    assert "  B1 <img src=x onerror=alert(1)> `x` | *y*: added (level 1)" in lines
    assert "  A1 Drift monitor: level 2 -> 3, advance: advanced from level 2 to 3 (L3-2024-09-01)" in lines


def test_diff_json_of_two_sites_validates_and_names_every_key(two: Path) -> None:
    result = run_cli("diff", "old", "new", "--format", "json", cwd=two)
    assert result.exit_code == 0, result.output
    output = json.loads(result.output)
    schema = load_schema("readiness-diff-output")
    Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(output)
    assert set(output) == set(schema["properties"])
    assert set(output["counts"]) == set(schema["properties"]["counts"]["properties"])
    for key in ("projects", "levels"):
        assert output[key] and set(output[key][0]) == set(schema["properties"][key]["items"]["properties"])
    assert output["old"]["bundle"] == "old" and output["counts"]["added"] == 1


def test_every_list_of_the_json_names_every_key(write: Write, write_card: Write, tmp_path: Path) -> None:
    sites(write)
    write("old/d/a/evidence/psi.csv", "slice,psi\nall,0.08\n")
    write("new/d/a/evidence/psi.csv", "slice,psi\nall,0.12\n")
    write_card("old/d/a/L2-2024-03-01.md", BODY + DATA, project="A1", mltrl=1.2, status="in-review",
               reviewers=[{"name": "Lin Chen", "decision": "pending"}], ethics={"pre_development": "complete"},
               requirements=[{**REQUIREMENT, "status": "verified"}])
    write_card("new/d/a/L2-2024-03-01.md", BODY, project="A1", mltrl=1.2, ethics={"pre_development": "complete"},
               requirements=[{**REQUIREMENT, "status": "verified"}])
    output = as_data(diff_of(tmp_path), "old", "new")
    schema = load_schema("readiness-diff-output")
    Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(output)
    for key in ("earned", "requirements", "gates", "reviews"):
        assert output[key], key
        assert set(output[key][0]) == set(schema["properties"][key]["items"]["properties"]), key
    for key in ("status_change", "reworded", "acceptance"):
        assert set(schema["properties"]["requirements"]["items"]["properties"][key]["properties"]) == {"before",
                                                                                                      "after"}


def test_diff_markdown_is_inert(two: Path) -> None:
    result = run_cli("diff", "old.json", "new", "--format", "markdown", "--project", "B1", cwd=two)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("## Readiness changes from old.json")
    assert "- B1 &lt;img src=x onerror=alert\\(1\\)&gt; \\`x\\` \\| \\*y\\*: added \\(level 1\\)" in result.output
    assert "<img" not in result.output and "A1" not in result.output


def test_the_two_forms_are_told_apart(two: Path) -> None:
    assert run_cli("diff", "old", "new", "--since", "2024-01-01", cwd=two).exit_code == 2
    assert run_cli("diff", "old", "new", "old.json", cwd=two).exit_code == 2
    unknown = run_cli("diff", "old.json", "new", "--project", "Z9", cwd=two)
    assert unknown.exit_code == 2 and "no project 'Z9'" in unknown.output
    since = run_cli("diff", "new", "--since", "2024-01-01", cwd=two)
    assert since.exit_code == 0 and since.output.startswith("Changes since 2024-01-01")


def test_a_bad_bundle_is_reported_where_it_is(two: Path) -> None:
    (two / "broken.json").write_text('{"bundle_version": 1,\n "cards": [}', encoding="utf-8")
    result = run_cli("diff", "broken.json", "new", cwd=two)
    assert result.exit_code == 2
    assert "broken.json:2:" in result.output and "bundle is not valid JSON" in result.output
    data = json.loads((two / "old.json").read_text(encoding="utf-8"))
    (two / "v9.json").write_text(json.dumps({**data, "bundle_version": 9}), encoding="utf-8")
    result = run_cli("diff", "v9.json", "new", cwd=two)
    assert result.exit_code == 2 and "bundle_version 9 is not one this mltrl-docs reads" in result.output


# --- the example against its earlier bundle ---------------------------------------------------------


def test_the_example_against_its_earlier_bundle(tmp_path: Path) -> None:
    """site_example/bundles/previous.json is the example as first committed (3b64e30), bundled by
    mltrl-docs bundle: since then acceptance criteria were added to three cards, reviewer roles, data
    slices, deployment tests and monitoring to others (docs/bundles.md)."""
    result = run_cli("diff", "site_example/bundles/previous.json", "site_example", "--format", "json", cwd=REPO)
    assert result.exit_code == 0, result.output
    output = json.loads(result.output)
    Draft202012Validator(load_schema("readiness-diff-output")).validate(output)
    assert output["old"]["commit"].startswith("3b64e30") and output["old"]["projects"] == 5
    assert not output["projects"] and not output["levels"] and not output["reviews"]
    assert [(e["project"], e["before"], e["after"]) for e in output["earned"]] == [("P12.2", 7, 8), ("R11.1", 0, 2)]
    assert {(r["project"], r["id"], r["acceptance"]["after"]) for r in output["requirements"]} == {
        ("P04.3", "10", "passed"), ("P04.3", "10.1.1", "passed"), ("P04.3", "10.1.2", "passed"),
        ("R02.1", "1.2", "failed"), ("R02.1", "2", "passed"), ("R02.1", "3", "passed"), ("R02.1", "4", "passed")}
    assert all(r["change"] == "changed" and r["acceptance"]["before"] is None for r in output["requirements"])
    gates = {(g["project"], g["card"], g["rule"]) for g in output["gates"]}
    assert {g["change"] for g in output["gates"]} == {"passed"}
    assert ("P04.3", "L9-2023-03-06", "monitoring") in gates  # the level-9 card's monitoring block
    assert ("P07.1", "L6-2025-09-15", "sections") in gates  # a warning then, a note under today's settings
    assert ("R11.1", "L0-2025-09-15", "leave-first-principles") in gates  # its research plan
    assert output["counts"] == {"added": 0, "removed": 0, "advanced": 0, "switched_back": 0, "earned": 2,
                                "requirements": 7, "passed": len(output["gates"]), "failing": 0, "reviews": 0}


def test_the_site_and_its_bundle_give_the_same_readiness(tmp_path: Path) -> None:
    """Comparing a site or its bundle gives the same: the command bundles a site as 'bundle' does."""
    out = tmp_path / "example.json"
    assert run_cli("bundle", "site_example", "--out", str(out), cwd=REPO).exit_code == 0
    by_site = json.loads(run_cli("diff", "site_example/bundles/previous.json", "site_example", "--format", "json",
                                 cwd=REPO).output)
    by_bundle = json.loads(run_cli("diff", "site_example/bundles/previous.json", str(out), "--format", "json",
                                   cwd=REPO).output)
    assert {**by_site, "new": None} == {**by_bundle, "new": None}


def test_snapshots_compare_by_value() -> None:
    data = json.loads((REPO / "site_example" / "bundles" / "previous.json").read_text(encoding="utf-8"))
    first, second = snapshot(data), snapshot(data)
    assert first == second and readiness_diff(first, second).empty
    card = first.cards["P04.3"][0]
    assert dataclasses.replace(card, text="") == card  # the text is read again only when needed, never compared


def test_the_readme_commands_run_as_shown() -> None:
    """The README's `diff OLD NEW` block: each command runs in the repository and says what the README
    says it does."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index("mltrl-docs diff site_example/bundles/previous.json")
    block = readme[start:readme.index("```", start)]
    commands = [shlex.split(line, comments=True) for line in block.splitlines() if line.strip()]
    assert [c[:2] for c in commands] == [["mltrl-docs", "diff"]] * 2
    outputs = []
    for command in commands:
        result = run_cli(*command[1:], cwd=REPO)
        assert result.exit_code == 0, (command, result.output)
        outputs.append(result.output)
    assert "R11.1 Trigger-level anomaly detector: earned level 0 -> 2 (declares 2)" in outputs[0]
    assert outputs[1].startswith("## Readiness changes from site\\_example/bundles/previous.json")
    assert "earned level 0 → 2" in outputs[1] and "P04.3" not in outputs[1]
    assert "`diff OLD NEW` compares readiness" in readme and "compare: {bundle: bundles/previous.json}" in readme
