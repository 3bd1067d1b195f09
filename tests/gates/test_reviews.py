"""Rules on a card's gated review and waivers (mltrl_docs/gates/reviews.py): review,
review-roles and waiver-reason. They never lower an earned level; review and review-roles
decide whether an approval holds, and the gap lists what they miss."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mltrl_docs.gates import GateSettings
from mltrl_docs.gates.reviews import approving_roles, required_roles
from mltrl_docs.model import Card

from .support import (
    GOOD_BODY,
    ROLE_REVIEWERS,
    WriteCard,
    assert_located,
    gates,
    good,
    line_of,
    load,
    of,
    one_card,
    req,
    reviewer,
    settings,
    single,
)

# --- review --------------------------------------------------------------------------------


def test_review_passes_with_an_approving_outside_reviewer(write_card: WriteCard, tmp_path: Path) -> None:
    path = one_card(write_card, 2, reviewers=[reviewer("Lin Chen"), reviewer("Sam Ode", "pending")])
    report = gates(tmp_path)
    assert of(report, "review") == []
    assert report.approved[path]


def test_review_needs_an_approving_reviewer(write_card: WriteCard, tmp_path: Path) -> None:
    path = one_card(write_card, 2, reviewers=[reviewer("Lin Chen", "pending")])
    report = gates(tmp_path)
    finding = single(report, "review")
    assert_located(finding, "review", path, line_of(path, "reviewers:"), "reviewers", None)
    assert finding.message == "the level-2 card is approved, but no reviewer's decision is approved"
    assert not report.approved[path]


def test_review_without_any_reviewer_points_at_the_status(write_card: WriteCard, tmp_path: Path) -> None:
    path = one_card(write_card, 2, reviewers=None)
    assert_located(single(gates(tmp_path), "review"), "review", path, line_of(path, "status:"), "reviewers", None)


def test_review_rejects_a_rejection(write_card: WriteCard, tmp_path: Path) -> None:
    path = one_card(write_card, 2, reviewers=[reviewer("Lin Chen"), reviewer("Sam Ode", "rejected")])
    finding = single(gates(tmp_path), "review")
    assert_located(finding, "review", path, line_of(path, "decision: rejected"), "reviewers[1].decision", None)
    assert finding.message == "reviewer Sam Ode rejected this level, but the card is approved"


def test_changes_requested_blocks_an_approval(write_card: WriteCard, tmp_path: Path) -> None:
    """A reviewer who asked for changes has not approved: the finding is on that decision, the
    approval does not hold, the card keeps its earned level, and the gap asks to settle it."""
    path = one_card(write_card, 3, reviewers=[reviewer("Lin Chen"), reviewer("Sam Ode", "changes-requested")])
    report = gates(tmp_path)
    finding = single(report, "review")
    assert_located(finding, "review", path, line_of(path, "decision: changes-requested"), "reviewers[1].decision",
                   None)
    assert finding.message == "reviewer Sam Ode requested changes to this level, but the card is approved"
    assert report.approved[path] is False and report.projects["C1"].approved is False
    assert report.earned[path] == 3
    assert [(g.rule, g.text, g.field) for g in report.projects["C1"].gap] == [
        ("review", "Settle Sam Ode's decision (changes-requested)", "reviewers[1].decision")]
    relaxed = gates(tmp_path, settings(review="off"))
    assert relaxed.approved[path] and relaxed.projects["C1"].gap == ()


def test_changes_requested_on_a_card_in_review_is_in_the_gap(write_card: WriteCard, tmp_path: Path) -> None:
    one_card(write_card, 3, status="in-review",
             reviewers=[reviewer("Lin Chen"), reviewer("Sam Ode", "changes-requested")])
    report = gates(tmp_path)
    assert of(report, "review") == []
    assert [g.text for g in report.projects["C1"].gap] == [
        "Pass the level-3 gated review (status is in-review)", "Settle Sam Ode's decision (changes-requested)"]


def test_review_names_an_owner_who_reviews(write_card: WriteCard, tmp_path: Path) -> None:
    path = one_card(write_card, 2, owners=["Ada Okafor", "Lin Chen"],
                    reviewers=[reviewer("Sam Ode"), reviewer("lin  chen")])
    finding = single(gates(tmp_path), "review")
    assert_located(finding, "review", path, line_of(path, "name: lin  chen"), "reviewers[1].name", None)
    assert finding.message.startswith("lin  chen is both an owner and a reviewer")


@pytest.mark.parametrize("status", ["in-review", "draft", "rejected"])
def test_review_applies_only_to_approved_cards(status: str, write_card: WriteCard, tmp_path: Path) -> None:
    path = one_card(write_card, 2, status=status, reviewers=[reviewer("Ada Okafor", "rejected")])
    report = gates(tmp_path)
    assert of(report, "review") == []
    assert report.approved[path] is False


# --- review-roles --------------------------------------------------------------------------


def one_fields(level: int, project: str, reviewers: list[dict[str, Any]]) -> dict[str, Any]:
    return {"body": GOOD_BODY, **good(level, project=project, reviewers=reviewers)}


def test_review_roles_from_level_7(write_card: WriteCard, tmp_path: Path) -> None:
    """At level 6 one approving reviewer without a role is a full review; at level 7 QA and
    product must approve."""
    write_card("dossiers/a/L6.md", **one_fields(6, "A", [reviewer("Lin Chen")]))
    write_card("dossiers/b/L7.md", **one_fields(7, "B", [reviewer("Lin Chen")]))
    write_card("dossiers/c/L7.md", **one_fields(7, "C", ROLE_REVIEWERS))
    report = gates(tmp_path)
    assert {f.project for f in of(report, "review-roles")} == {"B"}
    assert {pid: g.approved for pid, g in report.projects.items()} == {"A": True, "B": False, "C": True}


def test_review_roles_finding_is_located_on_the_reviewers(write_card: WriteCard, tmp_path: Path) -> None:
    path = one_card(write_card, 7, reviewers=[reviewer("Lin Chen", role="qa")])
    report = gates(tmp_path)
    finding = single(report, "review-roles")
    assert_located(finding, "review-roles", path, line_of(path, "reviewers:"), "reviewers", None)
    assert finding.message == ("no reviewer with role product approved this level-7 card; review-roles asks for "
                               "qa, product from level 7")
    assert report.earned[path] == 7 and not report.approved[path]
    assert [g.text for g in report.projects["C1"].gap] == ["Have a reviewer with role product review this level"]


def test_review_roles_without_reviewers_points_at_the_status(write_card: WriteCard, tmp_path: Path) -> None:
    path = one_card(write_card, 8, reviewers=None)
    found = of(gates(tmp_path), "review-roles")
    assert sorted(f.message.split(";")[0] for f in found) == [
        "no reviewer with role product approved this level-8 card",
        "no reviewer with role qa approved this level-8 card"]
    assert {f.line for f in found} == {line_of(path, "status:")}


@pytest.mark.parametrize("decision", ["pending", "changes-requested", "rejected"])
def test_only_an_approving_reviewer_fills_a_role(decision: str, write_card: WriteCard, tmp_path: Path) -> None:
    one_card(write_card, 7, reviewers=[reviewer("Lin Chen", role="qa"), reviewer("Sam Ode", decision, role="product"),
                                       reviewer("Kim Park")])
    assert [f.message.split(";")[0] for f in of(gates(tmp_path), "review-roles")] == [
        "no reviewer with role product approved this level-7 card"]


@pytest.mark.parametrize("status", ["in-review", "draft"])
def test_review_roles_on_a_card_not_approved_is_in_the_gap_only(status: str, write_card: WriteCard,
                                                                tmp_path: Path) -> None:
    one_card(write_card, 7, status=status, reviewers=[reviewer("Lin Chen", "pending", role="qa")])
    report = gates(tmp_path)
    assert of(report, "review-roles") == []
    assert [g.rule for g in report.projects["C1"].gap] == ["review", "review", "review-roles", "review-roles"]


TABLE = {3: ["peer"], 7: ["qa", "product"], 9: ["product"]}


@pytest.mark.parametrize("level,roles", [
    (0, ()), (2, ()), (3, ("peer",)), (6, ("peer",)), (7, ("qa", "product")), (8, ("qa", "product")), (9, ("product",)),
])
def test_the_table_entry_for_a_level_is_its_own_or_the_nearest_lower(level: int, roles: tuple[str, ...]) -> None:
    table = {start: tuple(names) for start, names in TABLE.items()}
    assert required_roles(table, level) == roles


@pytest.mark.parametrize("level,missing", [(2, []), (3, ["peer"]), (6, ["peer"]), (7, ["qa", "product"]),
                                           (9, ["product"])])
def test_the_roles_table_is_a_setting(level: int, missing: list[str], write_card: WriteCard, tmp_path: Path) -> None:
    one_card(write_card, level, reviewers=[reviewer("Lin Chen")])
    chosen = settings(review_roles={"table": {str(start): names for start, names in TABLE.items()}})
    found = of(gates(tmp_path, chosen), "review-roles")
    assert sorted(f.message.split(";")[0].split()[4] for f in found) == sorted(missing)
    if found:
        start = max(s for s in TABLE if s <= level)
        assert found[0].message.endswith(f"review-roles asks for {', '.join(TABLE[start])} from level {start}")


def test_an_empty_table_entry_ends_the_roles(write_card: WriteCard, tmp_path: Path) -> None:
    one_card(write_card, 9, reviewers=[reviewer("Lin Chen")])
    assert of(gates(tmp_path, settings(review_roles={"table": {7: ["qa"], 9: []}})), "review-roles") == []
    assert of(gates(tmp_path, settings(review_roles={"table": {}})), "review-roles") == []
    assert len(of(gates(tmp_path, settings(review_roles={"table": {7: ["qa"]}})), "review-roles")) == 1


def test_a_site_role_in_the_table(write_card: WriteCard, tmp_path: Path) -> None:
    """The table may ask for any role; whether it is known is the settings file's check
    (tests/test_settings.py)."""
    one_card(write_card, 7, reviewers=[*ROLE_REVIEWERS, reviewer("Ola Berg", role="peer")])
    chosen = settings(review_roles={"table": {7: ["qa", "product", "peer"]}})
    assert of(gates(tmp_path, chosen), "review-roles") == []
    chosen = settings(review_roles={"table": {7: ["qa", "security"]}})
    assert [f.message.split(";")[0] for f in of(gates(tmp_path, chosen), "review-roles")] == [
        "no reviewer with role security approved this level-7 card"]


def test_approving_roles_in_order_each_once(write_card: WriteCard, tmp_path: Path) -> None:
    one_card(write_card, 7, reviewers=[reviewer("A B", role="qa"), reviewer("C D", "pending", role="ethics"),
                                       reviewer("E F", role="product"), reviewer("G H", role="qa"), reviewer("I J")])
    card: Card = load(tmp_path).projects["C1"].cards[0]
    assert approving_roles(card) == ("qa", "product")


def test_review_roles_off_or_info(write_card: WriteCard, tmp_path: Path) -> None:
    path = one_card(write_card, 7, reviewers=[reviewer("Lin Chen")])
    assert gates(tmp_path, settings(review_roles="off")).approved[path]
    info = gates(tmp_path, settings(review_roles="info"))
    assert not info.approved[path] and {f.severity.value for f in of(info, "review-roles")} == {"info"}
    assert gates(tmp_path, GateSettings.none()).approved[path]


# --- waiver-reason ---------------------------------------------------------------------------


def test_waiver_reason(write_card: WriteCard, tmp_path: Path) -> None:
    path = one_card(write_card, 2, requirements=[req("1", status="waived", reason="Superseded by 2."),
                                                 req("2", status="waived", reason="   ")])
    report = gates(tmp_path)
    finding = single(report, "waiver-reason")
    assert_located(finding, "waiver-reason", path, line_of(path, "status: waived", 1), "requirements[1].reason",
                   None)
    assert finding.message == "requirement 2 is waived without a reason"
    assert report.earned[path] == 2 and report.approved[path]
