"""The engine (mltrl_docs/gates/engine.py): every rule run, at its severity, off when set
off; earned levels; earned approvals; the gap to the next level; system readiness from
earned levels."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from types import MappingProxyType

import pytest

from mltrl_docs.dossier import build_dossier
from mltrl_docs.findings import Position, Severity
from mltrl_docs.gates import (
    RULES,
    GapItem,
    GateMemo,
    GateReport,
    GateSettings,
    Scope,
    earned_level,
    evaluate,
    gap_to_next,
)
from mltrl_docs.model import Dossier

from .support import (
    GOOD_BODY,
    NO_DEBRIEF,
    POLICY,
    TODAY,
    WriteCard,
    failing,
    gates,
    good,
    history,
    line_of,
    load,
    of,
    one_card,
    req,
    reviewer,
    risk,
    settings,
    without,
)

NAMES = [rule.name for rule in RULES]
DEFAULTS = {rule.name: rule.severity for rule in RULES}


def report_for(tmp_path: Path, chosen: GateSettings | None = None) -> tuple[GateReport, Dossier]:
    dossier = load(tmp_path)
    return evaluate(dossier, chosen or POLICY, today=TODAY), dossier


# --- a clean dossier ---------------------------------------------------------------------


def test_a_complete_climb_from_0_to_9_passes_every_gate(write_card: WriteCard, tmp_path: Path) -> None:
    """good() passes every gate at every level, and every exit rule on the card left there
    (L0 sections, L4 research closed, L5 demo and risk-scored product requirements, L7 data
    slices, L8 product closed, deployment tests and datasheet); L9 has monitoring."""
    paths = history(write_card, list(range(10)))
    checked = build_dossier([tmp_path / "dossiers"], gates=POLICY, today=TODAY)
    assert checked.findings == ()
    report = checked.gates
    assert report.findings == ()
    assert [report.earned[p] for p in paths] == list(range(10))
    assert all(report.approved[p] for p in paths)
    project = report.projects["C1"]
    assert (project.declared, project.earned, project.gap, project.approved) == (9, 9, (), True)
    assert (project.readiness.level, project.readiness.declared, project.readiness.limiting) == (9, 9, ("C1",))


@pytest.mark.parametrize("level", range(10))
def test_good_passes_every_gate_at_every_level_alone(level: int, write_card: WriteCard, tmp_path: Path) -> None:
    path = one_card(write_card, level)
    report = gates(tmp_path, settings(stale=True), today=dt.date(2024, 6, 1))
    assert report.findings == ()
    assert report.earned[path] == level
    assert report.approved[path]


def test_the_report_is_read_only(write_card: WriteCard, tmp_path: Path) -> None:
    path = one_card(write_card, 2)
    report = gates(tmp_path)
    assert isinstance(report.findings, tuple) and isinstance(report.projects["C1"].gap, tuple)
    for mapping in (report.earned, report.approved, report.projects):
        assert isinstance(mapping, MappingProxyType)
    with pytest.raises(TypeError):
        report.earned[path] = 0  # type: ignore[index]


def test_no_policy_means_no_rule(write_card: WriteCard, tmp_path: Path) -> None:
    """build_dossier without gates judges by GateSettings.none(): no gate finding, every card
    earns what it declares."""
    path = one_card(write_card, 6, body="\nJust notes.\n", requirements=None, versions=None)
    checked = build_dossier([tmp_path / "dossiers"])
    assert checked.gates.findings == ()
    assert checked.gates.earned[path] == 6
    assert all(GateSettings.none().severity(name) is None for name in NAMES)


# --- every rule: its severity is a setting ------------------------------------------------


@pytest.mark.parametrize("rule", NAMES)
def test_every_rule_fails_at_its_default_severity(rule: str, write_card: WriteCard, tmp_path: Path) -> None:
    failing(rule, write_card)
    report = gates(tmp_path, GateSettings())
    expected = DEFAULTS[rule]
    assert {f.severity for f in of(report, rule)} == ({expected} if expected else set())
    on = gates(tmp_path, settings(**{rule: True}))
    assert of(on, rule) and all(f.hint for f in of(on, rule))
    assert {f.severity for f in of(on, rule)} == {expected or Severity.WARNING}


@pytest.mark.parametrize("severity", [Severity.ERROR, Severity.INFO, Severity.WARNING])
@pytest.mark.parametrize("rule", NAMES)
def test_every_rule_takes_its_severity_from_settings(rule: str, severity: Severity, write_card: WriteCard,
                                                     tmp_path: Path) -> None:
    failing(rule, write_card)
    for value in (severity.value, {"severity": severity.value}):
        found = of(gates(tmp_path, settings(**{rule: value})), rule)
        assert found and {f.severity for f in found} == {severity}


@pytest.mark.parametrize("off", ["off", False, {"severity": "off"}, {"severity": False}])
@pytest.mark.parametrize("rule", NAMES)
def test_every_rule_can_be_turned_off(rule: str, off: object, write_card: WriteCard, tmp_path: Path) -> None:
    failing(rule, write_card)
    report = gates(tmp_path, settings(**{rule: off}))
    assert of(report, rule) == []
    assert rule not in {item.rule for gap in report.projects.values() for item in gap.gap}


@pytest.mark.parametrize("rule", [name for name in NAMES if name != "stale"])
def test_each_failing_scenario_fails_only_its_own_rule(rule: str, write_card: WriteCard, tmp_path: Path) -> None:
    failing(rule, write_card)
    assert {f.rule for f in gates(tmp_path).findings} == {rule}


# --- earned level ----------------------------------------------------------------------------


def test_earned_level_stops_below_the_first_failing_gate(write_card: WriteCard, tmp_path: Path) -> None:
    """A level-6 card without 'Intended use' (needed from 4) earns 3; research requirements,
    which it rightly no longer carries, do not pull it lower."""
    path = one_card(write_card, 6, body=without("Intended use"), requirements=[req("2", "product", risk=risk())])
    report, dossier = report_for(tmp_path)
    assert report.earned[path] == 3
    assert (report.projects["C1"].declared, report.projects["C1"].earned) == (6, 3)
    project = dossier.projects["C1"]
    assert earned_level(project.cards[0], project, GateSettings()) == 3
    assert earned_level(project.cards[0], project, GateSettings.none()) == 6


def test_earned_level_counts_an_upper_bounded_rule_below_its_end(write_card: WriteCard, tmp_path: Path) -> None:
    path = one_card(write_card, 5, requirements=[req("2", "product", risk=risk())])
    assert report_for(tmp_path)[0].earned[path] == 1


@pytest.mark.parametrize(("value", "earned"), [("info", 3), ("error", 3), ("off", 6)])
def test_severity_is_build_policy_and_only_off_stops_a_rule_lowering_the_earned_level(
        write_card: WriteCard, tmp_path: Path, value: str, earned: int) -> None:
    path = one_card(write_card, 6, body=without("Intended use"))
    report, _ = report_for(tmp_path, settings(sections=value))
    assert report.earned[path] == earned
    expected = {"info": [Severity.INFO], "error": [Severity.ERROR], "off": []}[value]
    assert [f.severity for f in of(report, "sections")] == expected


def test_card_and_project_rules_never_lower_an_earned_level(write_card: WriteCard, tmp_path: Path) -> None:
    paths = history(write_card, [6, 7, 5], {
        0: {"body": NO_DEBRIEF},
        1: {"reviewers": [reviewer("Ada Okafor", "rejected")]},
    })
    report, _ = report_for(tmp_path, settings(stale=True))
    assert {f.rule for f in report.findings} == {"debrief", "review", "review-roles", "switchback-known", "stale"}
    assert {rule.scope for rule in RULES if rule.name in {f.rule for f in report.findings}} == {
        Scope.CARD, Scope.PROJECT}
    assert [report.earned[p] for p in paths] == [6, 7, 5]


def test_earned_level_follows_the_leave_rule(write_card: WriteCard, tmp_path: Path) -> None:
    """Standing above level 4 needs the level-4 card the project left to have closed its research
    requirements; that card itself still earns 4."""
    paths = history(write_card, [3, 4, 5, 6], {1: {"requirements": [req("1", status="in-progress")]}})
    report, _ = report_for(tmp_path)
    assert [report.earned[p] for p in paths] == [3, 4, 4, 4]
    relaxed, _ = report_for(tmp_path, settings(leave_research="off"))
    assert [relaxed.earned[p] for p in paths] == [3, 4, 5, 6]


def test_earned_level_uses_the_latest_level_4_card_left(write_card: WriteCard, tmp_path: Path) -> None:
    """Left with open requirements, switched back, fixed and left again: only the latest exit counts."""
    paths = history(write_card, [4, 5, 4, 5], {0: {"requirements": [req("1", status="in-progress")]}})
    report, _ = report_for(tmp_path)
    assert [report.earned[p] for p in paths] == [4, 4, 4, 5]


def test_earned_level_follows_leave_product(write_card: WriteCard, tmp_path: Path) -> None:
    paths = history(write_card, [8, 9], {0: {"requirements": [req("2", "product", "in-progress", risk=risk())]}})
    report, _ = report_for(tmp_path)
    assert [report.earned[p] for p in paths] == [8, 8]


def test_level_0_is_the_floor(write_card: WriteCard, tmp_path: Path) -> None:
    path = one_card(write_card, 4, body="\nJust some notes.\n")
    assert report_for(tmp_path)[0].earned[path] == 0


def test_projects_without_a_valid_card_are_skipped(write: Callable[..., Path], write_card: WriteCard,
                                                   tmp_path: Path) -> None:
    one_card(write_card, 2)
    write("dossiers/broken/L1.md", "---\nmltrl: 1\nlevel: 1\n---\n")
    dossier = build_dossier([tmp_path / "dossiers"]).dossier
    report = evaluate(dossier, POLICY, today=TODAY)
    assert list(report.projects) == ["C1"]


# --- approvals -------------------------------------------------------------------------------


@pytest.mark.parametrize(("status", "reviewers", "approved"), [
    ("approved", [reviewer("Lin Chen")], True),
    ("approved", [reviewer("Lin Chen"), reviewer("Sam Ode", "changes-requested")], False),
    ("approved", [reviewer("Lin Chen"), reviewer("Sam Ode", "rejected")], False),
    ("approved", [reviewer("Lin Chen", "pending")], False),
    ("approved", [reviewer("Ada Okafor")], False),
    ("in-review", [reviewer("Lin Chen")], False),
    ("draft", [reviewer("Lin Chen")], False),
])
def test_an_approval_is_earned_by_its_review(write_card: WriteCard, tmp_path: Path, status: str,
                                             reviewers: list[dict[str, str]], approved: bool) -> None:
    path = one_card(write_card, 3, status=status, reviewers=reviewers)
    report = gates(tmp_path)
    assert report.approved[path] is approved
    assert report.projects["C1"].approved is approved
    assert gates(tmp_path, settings(review="off")).approved[path] is (status == "approved")


def test_an_approval_from_level_7_needs_the_roles(write_card: WriteCard, tmp_path: Path) -> None:
    paths = history(write_card, [6, 7], {1: {"reviewers": [reviewer("Lin Chen")]}})
    report = gates(tmp_path)
    assert [report.approved[p] for p in paths] == [True, False]
    assert [report.earned[p] for p in paths] == [6, 7]
    assert gates(tmp_path, settings(review_roles="off")).approved[paths[1]]
    assert gates(tmp_path, settings(review_roles="info")).approved[paths[1]] is False


# --- gap to the next level ------------------------------------------------------------------


def test_gap_from_level_4_lists_what_level_5_needs(write_card: WriteCard, tmp_path: Path) -> None:
    path = one_card(write_card, 4, requirements=[req("1"), req("2.1", status="in-progress")],
                    versions={"code": "1.0.0", "model": "v1", "data": "1.0.0"})
    report, _ = report_for(tmp_path)
    gap = report.projects["C1"].gap
    assert [(g.rule, g.text, g.field) for g in gap] == [
        ("versions", "Set versions.model to a semantic version (e.g. 1.0.0)", "versions.model"),
        ("product-requirements", "Add at least one product requirement", "requirements"),
        ("leave-research", "Verify or waive research requirement 2.1 (in-progress)", "requirements[1].status"),
    ]
    assert gap[2].position == Position(line_of(path, "status: in-progress"), 3)


def test_gap_from_level_4_names_the_ethics_checklist(write_card: WriteCard, tmp_path: Path) -> None:
    one_card(write_card, 4, body=without("Intended use"), versions={"code": "0.3.0"},
             ethics={"pre_development": "in-progress"})
    gap = gap_to_next(load(tmp_path).projects["C1"], GateSettings())
    assert [g.text for g in gap] == [
        "Set versions.model to a semantic version (e.g. 1.0.0)",
        "Set versions.data to a semantic version (e.g. 1.0.0)",
        "Add a '## Intended use' section",
        "Complete the pre-development ethics checklist (ethics.pre_development is in-progress)",
    ]


def test_gap_includes_what_already_fails_and_what_leaving_takes(write_card: WriteCard, tmp_path: Path) -> None:
    one_card(write_card, 5, body=NO_DEBRIEF, status="in-review",
             requirements=[req("1"), req("9", "product")],
             reviewers=[reviewer("Ada Okafor", "pending")])
    gap = gap_to_next(load(tmp_path).projects["C1"], GateSettings())
    assert [(g.rule, g.text) for g in gap] == [
        ("risk-scored", "Give product requirement 9 a risk (likelihood and impact, 1 to 5 each)"),
        ("review", "Pass the level-5 gated review (status is in-review)"),
        ("review", "Record a reviewer whose decision is approved"),
        ("review", "Have someone who is not an owner review in place of Ada Okafor"),
        ("debrief", "Answer the Stage debrief (accomplished, punted, learned, tech debt)"),
        ("leave-capability", "Score the risk of product requirement 9"),
    ]
    relaxed = GateSettings.from_data({"risk-scored": "off", "review": "off", "debrief": False,
                                      "leave-capability": "off"})
    assert gap_to_next(load(tmp_path).projects["C1"], relaxed) == []


def test_gap_names_an_earlier_card_that_blocks(write_card: WriteCard, tmp_path: Path) -> None:
    paths = history(write_card, [4, 5], {0: {"requirements": [req("1", status="in-progress")]}})
    gap = gap_to_next(load(tmp_path).projects["C1"], GateSettings())
    assert gap == [GapItem("leave-research", f"Verify or waive research requirement 1 (in-progress) on the "
                                             f"level-4 card {paths[0].name}", "requirements[0].status", None)]


def test_gap_after_a_switchback_asks_only_the_card_to_be_left(write_card: WriteCard, tmp_path: Path) -> None:
    """Back at level 4 after a switchback, the project will leave its *current* level-4 card:
    the earlier one's open requirements no longer stand in the way."""
    history(write_card, [4, 5, 4], {0: {"requirements": [req("1", status="in-progress")]}})
    assert gap_to_next(load(tmp_path).projects["C1"], GateSettings()) == []
    history(write_card, [4, 5, 4], {0: {"requirements": [req("1", status="in-progress")]},
                                    2: {"requirements": [req("3", status="failed"),
                                                     req("2", "product", risk=risk())]}})
    gap = gap_to_next(load(tmp_path).projects["C1"], GateSettings())
    assert [(g.rule, g.text) for g in gap] == [("leave-research", "Verify or waive research requirement 3 (failed)")]


def test_gap_from_level_8_needs_product_requirements_closed(write_card: WriteCard, tmp_path: Path) -> None:
    one_card(write_card, 8, requirements=[req("2", "product", "in-progress", risk=risk())])
    gap = gap_to_next(load(tmp_path).projects["C1"], GateSettings())
    assert [g.text for g in gap] == ["Verify or waive product requirement 2 (in-progress)"]


def test_no_gap_at_level_9_or_when_nothing_is_missing(write_card: WriteCard, tmp_path: Path) -> None:
    history(write_card, [8, 9], {1: {"versions": None, "body": "\nNotes.\n"}})
    history(write_card, [3, 4], folder="q", project="C2")
    report, _ = report_for(tmp_path)
    assert report.projects["C1"].gap == ()
    assert report.projects["C2"].gap == ()


def test_the_gap_lists_each_exit_rule_of_the_level(write_card: WriteCard, tmp_path: Path) -> None:
    """Standing at an exit rule's level, the gap lists that rule; one level lower, it does not."""
    bare = without("Hypotheses", "Research plan", "Data readiness", "Data slices", "Deployment tests")
    expected = {0: "leave-first-principles", 4: "leave-research", 5: "leave-capability", 7: "leave-integrations",
                8: "leave-flight-ready"}
    for level in range(9):
        folder = f"L{level}"
        write_card(f"dossiers/{folder}/card.md", bare, **good(level, project=folder, links=None, requirements=[
            req("1", status="in-progress"), req("2", "product", "in-progress")]))
    report, _ = report_for(tmp_path, settings(sections="off", risk_scored="off", leave_product="off"))
    for level in range(9):
        exits = [rule for rule in dict.fromkeys(item.rule for item in report.projects[f"L{level}"].gap)
                 if rule.startswith("leave-")]
        assert exits == ([expected[level]] if level in expected else []), level


# --- system readiness through the engine ----------------------------------------------------


def chain(write_card: WriteCard, c_body: str = GOOD_BODY) -> None:
    """A (level 8) -> B (level 7) -> C (declares 6; earns 3 with c_body missing 'Intended use')."""
    history(write_card, [7, 8], {1: {"coupled": ["B"]}}, folder="a", project="A")
    history(write_card, [6, 7], {1: {"coupled": ["C"]}}, folder="b", project="B")
    history(write_card, [5, 6], {1: {"body": c_body}}, folder="c", project="C")


def test_a_chain_stands_at_the_lowest_earned_level(write_card: WriteCard, tmp_path: Path) -> None:
    chain(write_card, without("Intended use"))
    report, _ = report_for(tmp_path)
    assert {pid: (g.declared, g.earned) for pid, g in report.projects.items()} == {
        "A": (8, 8), "B": (7, 7), "C": (6, 3)}
    a, b, c = (report.projects[pid].readiness for pid in "ABC")
    assert (a.level, a.declared, a.limiting, a.members) == (3, 6, ("C",), ("A", "B", "C"))
    assert (b.level, b.declared, b.limiting, b.members) == (3, 6, ("C",), ("B", "C"))
    assert (c.level, c.declared, c.limiting, c.members, c.coupled) == (3, 6, ("C",), ("C",), False)
    found = of(report, "coupled-readiness")
    assert [(f.project, f.severity) for f in found] == [("A", Severity.INFO), ("B", Severity.INFO)]
    assert found[0].message == ("the system this project is coupled with stands at earned level 3 (declared 6), "
                                "below this project's earned level 8; limited by C (Drift monitor, earns level 3)")


def test_a_memo_judges_again_only_the_projects_whose_cards_changed(write_card: WriteCard, tmp_path: Path) -> None:
    """Under `mkdocs serve` (``GateMemo``): a project whose cards are the very same objects keeps
    its own judgement; the edited one is judged again, and the PROJECT rules, which read the
    whole system, run again for every project. The report is what a fresh evaluation says."""
    chain(write_card)
    before = load(tmp_path)
    memo = GateMemo()
    first = evaluate(before, POLICY, today=TODAY, memo=memo)
    memo.sweep()
    assert evaluate(before, POLICY, today=TODAY, memo=memo) == first and memo.hits == 3
    memo.sweep()
    c = tmp_path / "dossiers" / "c" / "L6-1.md"
    c.write_text(c.read_text(encoding="utf-8").replace("## Intended use\n", "## Intended uses\n"), encoding="utf-8")
    edited = Dossier({**before.projects, "C": load(tmp_path).projects["C"]}, before.glossary, before.sources)
    again = evaluate(edited, POLICY, today=TODAY, memo=memo)
    assert memo.hits == 2
    assert again == evaluate(edited, POLICY, today=TODAY) != first
    assert again.projects["C"].earned == 3 and again.projects["A"].readiness.level == 3
    assert of(again, "coupled-readiness")[0].message.endswith("limited by C (Drift monitor, earns level 3)")


def test_a_chain_of_earned_levels_equal_to_declared_ones(write_card: WriteCard, tmp_path: Path) -> None:
    chain(write_card)
    report, _ = report_for(tmp_path)
    a = report.projects["A"].readiness
    assert (a.level, a.declared, a.limiting) == (6, 6, ("C",))
    assert of(report, "coupled-readiness")[0].message.endswith("limited by C (Drift monitor, level 6)")
    assert report_for(tmp_path, settings(sections="off"))[0].projects["A"].readiness.level == 6


def test_without_gates_a_system_stands_at_the_declared_level(write_card: WriteCard, tmp_path: Path) -> None:
    chain(write_card, without("Intended use"))
    readiness = build_dossier([tmp_path / "dossiers"]).gates.projects["A"].readiness
    assert (readiness.level, readiness.declared) == (6, 6)


def test_a_draft_never_raises_a_system_but_can_lower_it(write_card: WriteCard, tmp_path: Path) -> None:
    """C's settled card is level 6; a draft level-7 card does not lift A's system to 7, and a
    draft level-7 card that earns 2 pulls it down to 2."""
    history(write_card, [7, 8], {1: {"coupled": ["C"]}}, folder="a", project="A")
    c_paths = history(write_card, [6, 7], {1: {"status": "draft", "reviewers": None}}, folder="c", project="C")
    report, _ = report_for(tmp_path)
    assert report.earned[c_paths[1]] == 7 and report.projects["C"].earned == 7
    readiness = report.projects["A"].readiness
    assert (readiness.level, readiness.declared, readiness.limiting) == (6, 7, ("C",))

    c_paths[1].unlink()
    history(write_card, [6, 7], {1: {"status": "draft", "reviewers": None, "body": without("Data considerations")}},
            folder="c", project="C")
    report, _ = report_for(tmp_path)
    assert report.projects["C"].earned == 1
    readiness = report.projects["A"].readiness
    assert (readiness.level, readiness.declared, readiness.limiting) == (1, 7, ("C",))


def test_a_draft_alone_counts_at_its_earned_level(write_card: WriteCard, tmp_path: Path) -> None:
    history(write_card, [7, 8], {1: {"coupled": ["C"]}}, folder="a", project="A")
    history(write_card, [5], {0: {"status": "draft", "reviewers": None}}, folder="c", project="C")
    assert report_for(tmp_path)[0].projects["A"].readiness.level == 5
