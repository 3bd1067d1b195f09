"""Cross-card rules, each with a passing and a failing dossier."""

from __future__ import annotations

from pathlib import Path

import pytest

from mltrl_docs.dossier import build_dossier
from mltrl_docs.findings import Severity


def adv(level_from: int) -> dict:
    return {"from": level_from, "kind": "advance", "reason": "Gate passed."}


def sb(level_from: int, kind: str = "discovery") -> dict:
    return {"from": level_from, "kind": "switchback", "switchback": kind, "reason": "Found a gap."}


def findings(tmp_path: Path, rule: str | None = None) -> list[tuple[str, str, int]]:
    dossier = build_dossier([tmp_path / "src"])
    return [(f.path.name, f.message, f.line) for f in dossier.findings if rule is None or f.rule == rule]


def test_a_consistent_history_with_switchbacks_is_clean(write_card, tmp_path: Path) -> None:
    write_card("src/p/a.md", level=2, date="2020-01-01")
    write_card("src/p/b.md", level=3, date="2020-06-01", transition=adv(2))
    write_card("src/p/c.md", level=2, date="2020-09-01", transition=sb(3))
    write_card("src/p/d.md", level=3, date="2021-01-01", transition=adv(2))
    write_card("src/p/e.md", level=4, date="2021-06-01", transition=adv(3))
    write_card("src/p/f.md", level=2, date="2021-09-01", transition=sb(4, "embedded"))
    dossier = build_dossier([tmp_path / "src"])
    assert dossier.findings == ()
    assert [c.level.number for c in dossier.projects["C1"].cards] == [2, 3, 2, 3, 4, 2]


def test_first_card_may_enter_at_any_level_with_a_reason_only(write_card, tmp_path: Path) -> None:
    write_card("src/p/a.md", level=4, transition={"reason": "Started from an off-the-shelf model."})
    assert findings(tmp_path) == []


def test_cards_are_ordered_by_date_not_by_file_name(write_card, tmp_path: Path) -> None:
    write_card("src/p/z-first.md", level=2, date="2020-01-01")
    write_card("src/p/a-second.md", level=3, date="2021-01-01", transition=adv(2))
    assert findings(tmp_path) == []


def test_shared_date(write_card, tmp_path: Path) -> None:
    write_card("src/p/a.md", level=2)
    write_card("src/p/b.md", level=3, transition=adv(2))
    assert findings(tmp_path, "date") == [("b.md", "two cards of project C1 share the date 2024-03-01", 6)]


@pytest.mark.parametrize("transition,level,message", [
    (None, 3, "card follows a.md (level 2, 2020-01-01) but has no transition.from"),
    ({"reason": "x"}, 3, "card follows a.md (level 2, 2020-01-01) but has no transition.from"),
    (adv(1), 2, "card stays at level 2: a new card is written only when the level changes"),
    (adv(2), 4, "an advance goes up exactly one level, but 2 -> 4 skips a level"),
    (adv(2), 1, "an advance goes up exactly one level, but 2 -> 1 goes down"),
    (sb(2), 3, "a switchback goes down, but 2 -> 3 goes up"),
    (adv(1), 3, "transition.from is 1, but the previous card a.md (level 2, 2020-01-01) is at level 2"),
    (sb(1), 3, "a switchback goes down, but 2 -> 3 goes up"),
])
def test_bad_transitions(write_card, tmp_path: Path, transition, level, message) -> None:
    write_card("src/p/a.md", level=2, date="2020-01-01")
    write_card("src/p/b.md", level=level, date="2021-01-01", transition=transition)
    assert message in [m for _, m, _ in findings(tmp_path, "transition")]


def test_first_card_with_from(write_card, tmp_path: Path) -> None:
    write_card("src/p/a.md", level=3, transition=adv(2))
    [(_name, message, _)] = findings(tmp_path, "transition")
    assert "first card says it came from level 2" in message


def test_switchback_kind_on_an_advance_is_a_warning(write_card, tmp_path: Path) -> None:
    write_card("src/p/a.md", level=2, date="2020-01-01")
    write_card("src/p/b.md", level=3, date="2021-01-01", transition={**adv(2), "switchback": "review"})
    dossier = build_dossier([tmp_path / "src"])
    assert [(f.severity, f.field) for f in dossier.findings] == [(Severity.WARNING, "transition.switchback")]


def test_duplicate_requirement_ids(write_card, tmp_path: Path) -> None:
    req = {"id": "2.1", "kind": "research", "text": "Shall.", "verification": "test", "status": "verified"}
    write_card("src/p/a.md", requirements=[req, {**req, "id": "2.10"}, dict(req)])
    assert findings(tmp_path, "requirement-id") == [
        ("a.md", "requirement id '2.1' is used twice in this card (first on line 15)", 25)]


def test_coupled_projects_must_exist_and_not_be_self(write_card, tmp_path: Path) -> None:
    write_card("src/a/card.md", project="R02.1", coupled=["P12.2"])
    write_card("src/b/card.md", project="P12.2", coupled=["R02.1", "P12.2", "R02.2"])
    got = findings(tmp_path, "coupled")
    assert [m for _, m, _ in got] == ["a project cannot be coupled with itself",
                                      "coupled project 'R02.2' does not exist"]


def test_references(write_card, write, tmp_path: Path) -> None:
    write("src/p/ethics.md", "# Ethics\n")
    write("src/docs/guide.md", "# Guide\n")
    write("src/p/evidence/run.csv", "a,b\n")
    write_card(
        "src/p/card.md",
        links={"docs": "../docs/guide.md#setup", "code": "https://git.example.internal/x",
               "bad": "javascript:alert(1)", "gone": "missing.md"},
        ethics={"pre_development": "complete", "checklist": "ethics.md"},
        requirements=[{"id": "1", "kind": "research", "text": "Shall.", "verification": "test",
                       "status": "verified", "evidence": ["evidence/run.csv", "mailto:a@example.internal",
                                                          "/abs/path.csv"]}],
    )
    got = [m for _, m, _ in findings(tmp_path, "url") + findings(tmp_path, "path")]
    assert len(got) == 3
    assert "link 'bad' uses the URL scheme 'javascript:', which is not allowed" in got
    assert any(m.startswith("link 'gone' 'missing.md' does not exist") for m in got)
    assert "evidence of requirement 1 '/abs/path.csv' is an absolute path" in got


def test_unsafe_link_is_kept_out_of_the_model_output(write_card, tmp_path: Path) -> None:
    write_card("src/p/card.md", links={"bad": "javascript:alert(1)"})
    card = build_dossier([tmp_path / "src"]).projects["C1"].cards[0]
    assert card.links["bad"].safe is False


def test_implausible_card_and_review_dates_are_errors(write_card, tmp_path: Path) -> None:
    write_card("src/p/a.md", level=2, date="0224-05-01",
               reviewers=[{"name": "R", "decision": "approved", "date": "9999-12-31"}])
    write_card("src/q/a.md", project="Q", level=2, date="2100-12-31")
    found = findings(tmp_path, "date")
    assert [(name, message) for name, message, _ in found] == [
        ("a.md", "date 0224-05-01 is outside 1950..2100"), ("a.md", "date 9999-12-31 is outside 1950..2100")]


def test_evidence_in_a_hidden_folder_is_reported_not_linked(write, write_card, tmp_path: Path) -> None:
    write("src/p/.dvc/run.csv", "a,b\n")
    write("src/p/evidence/run.csv", "a,b\n")
    requirement = {"id": "1", "kind": "research", "text": "T.", "verification": "test", "status": "verified"}
    write_card("src/p/a.md", requirements=[{**requirement, "evidence": [".dvc/run.csv", "evidence/run.csv"]}])
    dossier = build_dossier([tmp_path / "src"])
    [finding] = [f for f in dossier.findings if f.rule == "path"]
    assert finding.severity is Severity.WARNING and "'.dvc/run.csv' is in a hidden folder" in finding.message
    from mltrl_docs.render.pages import evidence_files
    assert sorted(uri for uri in evidence_files(dossier).values()) == ["dossier/C1/files/evidence/run.csv"]


def test_images_from_outside_the_site_are_reported_unless_their_host_is_allowed(write_card, write,
                                                                                tmp_path: Path) -> None:
    body = ("\n**TL;DR**: Drift.\n\n## Model / algorithm info\n\n"
            "A chart: ![loss](https://cdn.example.com/loss.png) and ![ok](https://assets.example.internal/a.png)\n\n"
            "![ref][r] ![local](evidence/x.png) ![pixel](//tracker.example/p.gif)\n\n"
            "[r]: http://img.example.org:8080/r.png\n")
    write_card("src/p/a.md", body)
    write("src/p/page.md", "# Page\n\n![logo](https://cdn.example.com/logo.png)\n")
    dossier = build_dossier([tmp_path / "src"], image_hosts=("assets.example.internal",))
    found = [(f.path.name, f.line, f.column, f.message) for f in dossier.findings if f.rule == "image"]
    assert found == [
        ("a.md", 20, 18, "image 'https://cdn.example.com/loss.png' is loaded from outside the site "
                         "(cdn.example.com); the site shows its alt text instead"),
        ("a.md", 22, 1, "image 'http://img.example.org:8080/r.png' is loaded from outside the site "
                        "(img.example.org); the site shows its alt text instead"),
        ("a.md", 22, 45, "image '//tracker.example/p.gif' is loaded from outside the site (tracker.example); "
                         "the site shows its alt text instead"),
        ("page.md", 3, 9, "image 'https://cdn.example.com/logo.png' is loaded from outside the site "
                           "(cdn.example.com); the site shows its alt text instead"),
    ]


# --- review dates (format 1.1: reviewers[].requested) ----------------------------------------


def _reviewer(requested: str | None, date: str | None) -> dict:
    fields = {"requested": requested, "date": date}
    return {"name": "Lin Chen", "decision": "approved", **{k: v for k, v in fields.items() if v is not None}}


def test_review_dates_in_order_are_clean(write_card, tmp_path: Path) -> None:
    write_card("src/p/a.md", mltrl=1.1, date="2024-03-01", reviewers=[
        _reviewer("2024-03-01", "2024-03-01"), _reviewer("2024-04-02", "2024-04-20"), _reviewer("2024-04-02", None),
        _reviewer(None, "2024-02-01")])
    assert findings(tmp_path) == []


def test_a_decision_before_its_request_is_an_error_at_the_decision(write_card, tmp_path: Path) -> None:
    path = write_card("src/p/a.md", mltrl=1.1, date="2024-03-01",
                      reviewers=[_reviewer("2024-03-02", "2024-03-05"), _reviewer("2024-03-20", "2024-03-19")])
    [finding] = build_dossier([tmp_path / "src"]).findings
    assert (finding.severity, finding.rule, finding.field, finding.project) == (
        Severity.ERROR, "date", "reviewers[1].date", "C1")
    assert finding.position == (_line(path, "date: '2024-03-19'"), 3)
    assert finding.message == "reviewer Lin Chen decided on 2024-03-19, before the review was requested on 2024-03-20"
    assert finding.hint == ("a decision comes after its request: correct reviewers[1].date or reviewers[1].requested "
                            "(YYYY-MM-DD)")


def test_a_request_before_the_cards_date_is_a_warning_at_the_request(write_card, tmp_path: Path) -> None:
    """The card's date is the day the project entered the level; the review of that level is
    requested once the project is at it."""
    path = write_card("src/p/a.md", mltrl=1.1, level=4, date="2024-03-01",
                      reviewers=[_reviewer("2024-02-28", "2024-03-05")])
    [finding] = build_dossier([tmp_path / "src"]).findings
    assert (finding.severity, finding.rule, finding.field) == (Severity.WARNING, "date", "reviewers[0].requested")
    assert finding.position == (_line(path, "requested: '2024-02-28'"), 3)
    assert finding.message == ("reviewer Lin Chen's review was requested on 2024-02-28, before the card's date "
                               "2024-03-01 (the day the project entered level 4)")
    assert finding.hint and "reviewers[0].requested" in finding.hint


def test_a_request_date_is_checked_for_plausibility_too(write_card, tmp_path: Path) -> None:
    write_card("src/p/a.md", mltrl=1.1, date="2024-03-01", reviewers=[_reviewer("2224-03-02", None)])
    assert [(f.field, f.message) for f in build_dossier([tmp_path / "src"]).findings] == [
        ("reviewers[0].requested", "date 2224-03-02 is outside 1950..2100")]


def _line(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().split("\n"), 1) if text in line)


# --- production changes (format 1.1: production.change) --------------------------------------


def _production_history(write_card, changes: dict[int, dict], levels: tuple[int, ...] = (8, 9, 4, 5)) -> list[Path]:
    """One project's cards a year apart (level 8, 9, then 9 -> 4 and 5 by default), with
    ``production:`` on the cards ``changes`` names."""
    paths, before = [], None
    for index, number in enumerate(levels):
        transition = None if before is None else adv(before) if number == before + 1 else sb(before, "embedded")
        paths.append(write_card(f"src/p/L{number}-{index}.md", mltrl=1.1, level=number, date=f"{2020 + index}-01-01",
                                transition=transition, **changes.get(index, {})))
        before = number
    return paths


def production_findings(tmp_path: Path) -> list:
    return [f for f in build_dossier([tmp_path / "src"]).findings if f.rule == "production"]


@pytest.mark.parametrize("index", [2, 3])
def test_a_change_that_ends_the_version_in_production_is_clean(write_card, tmp_path: Path, index: int) -> None:
    _production_history(write_card, {index: {"production": {"change": "replaced", "reason": "Vendor model."}}})
    assert build_dossier([tmp_path / "src"]).findings == ()


def test_a_level_9_card_recording_its_own_end_is_clean(write_card, tmp_path: Path) -> None:
    """production.py: a change on a level-9 card is about its own version."""
    _production_history(write_card, {1: {"production": {"change": "retired"}}}, levels=(8, 9))
    assert production_findings(tmp_path) == []


@pytest.mark.parametrize("change,verb", [("retired", "retire"), ("replaced", "replace")])
def test_a_change_with_no_level_9_card_before_is_a_warning(write_card, tmp_path: Path, change: str, verb: str) -> None:
    paths = _production_history(write_card, {1: {"production": {"change": change}}}, levels=(3, 4))
    [finding] = production_findings(tmp_path)
    assert (finding.severity, finding.path, finding.field, finding.project) == (
        Severity.WARNING, paths[1], "production.change", "C1")
    assert finding.position == (_line(paths[1], f"change: {change}"), 3)
    assert finding.message == (f"there is no version in production to {verb}: the project has no level-9 card "
                               "before this one")
    assert finding.hint and "remove production:" in finding.hint


def test_a_second_change_after_the_version_left_is_a_warning(write_card, tmp_path: Path) -> None:
    paths = _production_history(write_card, {2: {"production": {"change": "retired"}},
                                             3: {"production": {"change": "replaced"}}})
    [finding] = production_findings(tmp_path)
    assert finding.path == paths[3]
    assert finding.message == ("there is no version in production to replace: the version of L9-1.md already "
                               "left production (retired, as L4-2.md records)")


def test_a_change_after_a_level_9_card_recorded_its_own_end_is_a_warning(write_card, tmp_path: Path) -> None:
    paths = _production_history(write_card, {1: {"production": {"change": "retired"}},
                                             2: {"production": {"change": "retired"}}})
    [finding] = production_findings(tmp_path)
    assert finding.path == paths[2]
    assert finding.message == ("there is no version in production to retire: the version of L9-1.md already left "
                               "production (retired, as that card records)")


def test_a_change_with_the_version_in_production_superseded_is_clean(write_card, tmp_path: Path) -> None:
    """A later level-9 card replaces the one before by itself; a change after it ends the new one."""
    _production_history(write_card, {4: {"production": {"change": "retired"}}}, levels=(8, 9, 8, 9, 4))
    assert build_dossier([tmp_path / "src"]).findings == ()


def test_a_card_dated_after_the_build_date_is_a_warning_at_its_date(write_card, tmp_path: Path) -> None:
    import datetime as dt

    write_card("src/p/a.md", level=2, date="2024-03-01")
    path = write_card("src/p/b.md", level=3, date="2024-04-02", transition=adv(2))
    write_card("src/q/a.md", project="Q", level=2, date="2100-12-31")  # far too late: plausible, so reported
    found = [f for f in build_dossier([tmp_path / "src"], today=dt.date(2024, 4, 1)).findings
             if f.rule == "future-date"]
    assert [(f.path.name, f.severity, f.field, f.message) for f in found] == [
        ("b.md", Severity.WARNING, "date", "card is dated 2024-04-02, after the build date 2024-04-01"),
        ("a.md", Severity.WARNING, "date", "card is dated 2100-12-31, after the build date 2024-04-01")]
    assert found[0].line == _line(path, "date: '2024-04-02'")
    assert found[0].hint and "build_date" in found[0].hint
    later = build_dossier([tmp_path / "src"], today=dt.date(2024, 4, 2)).findings
    assert [f.path.name for f in later if f.rule == "future-date"] == ["a.md"]  # the build date's own day is fine


def test_an_implausible_date_is_not_also_reported_as_after_the_build_date(write_card, tmp_path: Path) -> None:
    import datetime as dt

    write_card("src/p/a.md", level=2, date="2224-05-01")
    rules = [f.rule for f in build_dossier([tmp_path / "src"], today=dt.date(2024, 1, 1)).findings]
    assert rules == ["date"]
