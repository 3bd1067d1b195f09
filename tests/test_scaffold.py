"""`mltrl-docs new`: scaffolded cards follow the history and pass the check."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from mltrl_docs.checklist import read_checklist
from mltrl_docs.cli import main
from mltrl_docs.dossier import build_dossier
from mltrl_docs.resources import resource_dir


def new(*args: str):
    return CliRunner().invoke(main, ["new", *args], catch_exceptions=False)


def project_with_one_card(write_card, write, tmp_path: Path) -> Path:
    write("src/p/evidence/run.csv", "x\n")
    write_card("src/p/L4.md", level=4, date="2024-03-01", title='Drift: "PSI" monitor & the team\'s <tool>',
               versions={"code": "1.2.0", "model": "0.3.0", "data": "2.0.0"}, coupled=["Q"],
               links={"code": "https://git.example.internal/drift"},
               ethics={"pre_development": "complete", "checklist": "https://wiki.example.internal/e"},
               requirements=[{"id": "2.1", "kind": "research", "text": "Shall: flag drift.", "verification": "test",
                              "status": "verified", "evidence": ["evidence/run.csv"],
                              "risk": {"likelihood": 2, "impact": 4}}])
    write_card("src/q/L1.md", project="Q", level=1)
    return tmp_path / "src" / "p"


def test_next_card_advances_and_carries_everything_over(write_card, write, tmp_path: Path) -> None:
    folder = project_with_one_card(write_card, write, tmp_path)
    result = new(str(folder), "--date", "2024-09-01", "--force")  # L4 fails its gates (see test_gates_*)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(folder / "L5-2024-09-01.md")
    dossier = build_dossier([tmp_path / "src"])
    [placeholder] = dossier.findings  # what only the authors can write is a placeholder, not invented
    assert (placeholder.rule, placeholder.severity.value, placeholder.field) == \
        ("placeholder", "warning", "transition.reason")
    card = dossier.projects["C1"].current
    assert (card.level.number, card.status.value, card.transition.from_level, card.transition.kind.value) == \
        (5, "draft", 4, "advance")
    assert card.title == 'Drift: "PSI" monitor & the team\'s <tool>'
    assert card.versions.code == "1.2.0" and card.coupled == ("Q",)
    assert "\\u00" not in (folder / "L5-2024-09-01.md").read_text(encoding="utf-8")  # no HTML-style escapes
    assert card.requirements[0].risk.score == 8 and card.requirements[0].evidence[0].target == "evidence/run.csv"
    assert [s.title for s in card.body.sections][-1] == "Stage debrief"
    assert not card.body.debrief_answered


def test_switchback_needs_kind_and_reason(write_card, write, tmp_path: Path) -> None:
    folder = project_with_one_card(write_card, write, tmp_path)
    refused = new(str(folder), "--level", "2", "--date", "2024-09-01")
    assert refused.exit_code == 2 and "--switchback" in refused.output
    made = new(str(folder), "--level", "2", "--date", "2024-09-01", "--switchback", "embedded",
               "--reason", "PoC showed more research is needed.")
    assert made.exit_code == 0
    card = build_dossier([tmp_path / "src"]).projects["C1"].current
    assert card.transition.switchback.value == "embedded" and card.level.number == 2


def test_refusals(write_card, write, tmp_path: Path) -> None:
    folder = project_with_one_card(write_card, write, tmp_path)
    assert "one level at a time" in new(str(folder), "--level", "6", "--date", "2024-09-01").output
    assert "already at level 4" in new(str(folder), "--level", "4", "--date", "2024-09-01").output
    assert "must be after" in new(str(folder), "--date", "2024-01-01").output
    assert new(str(folder), "--date", "2024-09-01", "--force").exit_code == 0
    again = new(str(folder / ".." / "q"), "--date", "2024-03-01")
    assert again.exit_code == 2 and "must be after" in again.output
    assert "not an ISO date" in new(str(folder), "--date", "1/2/2024").output


def test_first_card_of_a_new_project(tmp_path: Path) -> None:
    folder = tmp_path / "src" / "fresh"
    assert "needs --project" in new(str(folder)).output
    result = new(str(folder), "--project", "R7.1", "--title", "Anomaly: jets", "--owner", "Ada", "--owner",
                 "Bo", "--level", "1", "--date", "2025-01-02")
    assert result.exit_code == 0
    dossier = build_dossier([tmp_path / "src"])
    assert list(dossier.findings) == []
    card = dossier.projects["R7.1"].current
    assert card.owners == ("Ada", "Bo") and card.transition is None and card.level.number == 1


# --- new --ethics-checklist ---------------------------------------------------------------


def test_ethics_checklist_is_written_and_linked_from_a_new_project_card(tmp_path: Path) -> None:
    folder = tmp_path / "src" / "fresh"
    result = new(str(folder), "--project", "R7.1", "--title", "Jets", "--owner", "Ada", "--date", "2025-01-02",
                 "--ethics-checklist")
    assert result.exit_code == 0, result.output
    assert result.output.split() == [str(folder / "L0-2025-01-02.md"), str(folder / "ethics.md")]
    shipped = (resource_dir("templates") / "ethics-checklist.md").read_text(encoding="utf-8")
    assert (folder / "ethics.md").read_text(encoding="utf-8") == shipped
    dossier = build_dossier([tmp_path / "src"])
    assert list(dossier.findings) == []
    project = dossier.projects["R7.1"]
    assert project.current.ethics.checklist.target == "ethics.md"
    [page] = project.attachments
    checklist = read_checklist(page)
    assert checklist is not None and [(c.answered, c.total) for c in checklist.parts] == [(0, 19), (0, 15), (0, 6)]


def test_ethics_checklist_linked_from_the_next_card_when_the_current_has_none(write_card, tmp_path: Path) -> None:
    write_card("src/p/L4.md", level=4, date="2024-03-01", ethics={"pre_development": "in-progress"})
    folder = tmp_path / "src" / "p"
    result = new(str(folder), "--date", "2024-09-01", "--ethics-checklist", "--force")
    assert result.exit_code == 0, result.output
    card = build_dossier([tmp_path / "src"]).projects["C1"].current
    assert card.level.number == 5 and card.ethics.checklist.target == "ethics.md"
    assert card.ethics.pre_development.value == "in-progress"
    assert card.ethics.checklist.resolved == folder / "ethics.md"


def test_ethics_checklist_keeps_the_cards_own_checklist_link(write_card, write, tmp_path: Path) -> None:
    folder = project_with_one_card(write_card, write, tmp_path)  # its checklist is on a wiki
    result = new(str(folder), "--date", "2024-09-01", "--ethics-checklist", "--force")
    assert result.exit_code == 0, result.output
    assert (folder / "ethics.md").is_file()
    assert "keeps its checklist link 'https://wiki.example.internal/e'" in result.output
    card = build_dossier([tmp_path / "src"]).projects["C1"].current
    assert card.level.number == 5 and card.ethics.checklist.target == "https://wiki.example.internal/e"


def test_ethics_checklist_never_overwrites_and_then_writes_nothing(write_card, write, tmp_path: Path) -> None:
    write_card("src/p/L4.md", level=4, date="2024-03-01")
    write("src/p/ethics.md", "# Our own checklist\n")
    folder = tmp_path / "src" / "p"
    result = new(str(folder), "--date", "2024-09-01", "--ethics-checklist", "--force")
    assert result.exit_code == 2
    assert f"error: {folder / 'ethics.md'} exists already" in result.output and "Traceback" not in result.output
    assert (folder / "ethics.md").read_text(encoding="utf-8") == "# Our own checklist\n"
    assert sorted(p.name for p in folder.iterdir()) == ["L4.md", "ethics.md"]  # no card either


def test_a_card_file_that_exists_already_leaves_no_checklist_behind(write_card, write, tmp_path: Path) -> None:
    write_card("src/p/L4.md", level=4, date="2024-03-01")
    write("src/p/L5-2024-09-01.md", "# Notes that happen to have the new card's name\n")
    folder = tmp_path / "src" / "p"
    result = new(str(folder), "--date", "2024-09-01", "--ethics-checklist", "--force")
    assert result.exit_code == 2 and "pick another --date" in result.output
    assert not (folder / "ethics.md").exists()
