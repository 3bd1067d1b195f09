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
    [(name, message, _)] = findings(tmp_path, "transition")
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
