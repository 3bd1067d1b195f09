"""Project ids that would break the site's folders and URLs are refused where they are written."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import card_text
from mltrl_docs.dossier import build_dossier
from mltrl_docs.ids import MAX_ID_LENGTH, SITE_NAMES, folder_id, id_problem
from mltrl_docs.load import load_markdown
from mltrl_docs.model import InvalidCard


@pytest.mark.parametrize("value", ["..", ".", "...", ".hidden", "-rf", "_x", "levels", "Glossary", "INDEX",
                                   "findings", "history", "requirements", "con", "NUL", "com1.2", "P1.",
                                   "x" * (MAX_ID_LENGTH + 1)])
def test_path_like_reserved_and_long_ids_are_refused(value: str) -> None:
    problem = id_problem(value)
    assert problem is not None
    message, hint = problem
    assert message and hint and len(message) < 200


@pytest.mark.parametrize("value", ["R02.1", "P13.2", "a", "7", "x" * MAX_ID_LENGTH, "levels2", "my_project-1",
                                   "console"])
def test_ordinary_ids_pass(value: str) -> None:
    assert id_problem(value) is None


@pytest.mark.parametrize("project", ["..", "levels", "glossary"])
def test_a_card_with_an_unsafe_project_id_is_invalid_and_located(write, project: str) -> None:
    path = write("src/p/L2.md", card_text(project=project))
    loaded, findings = load_markdown(path, "p")
    assert isinstance(loaded, InvalidCard)
    [finding] = [f for f in findings if f.rule == "project-id"]
    assert finding.field == "project" and finding.line == 3 and finding.column == 1


def test_unsafe_coupled_ids_are_located_at_their_item(write) -> None:
    path = write("src/p/L2.md", card_text(coupled=["P2", ".."]))
    loaded, findings = load_markdown(path, "p")
    assert isinstance(loaded, InvalidCard)
    [finding] = findings
    assert finding.field == "coupled[1]" and finding.position is not None


def test_a_folder_of_invalid_cards_gets_a_safe_stand_in_id(write, tmp_path: Path) -> None:
    write("src/levels/L2.md", card_text(project="..", title="Dots"))
    write('src/a "quoted" <folder>/L2.md', card_text(project="ok", status="aproved"))
    dossier = build_dossier([tmp_path / "src"])
    ids = sorted(dossier.projects)
    assert all(id_problem(project_id) is None for project_id in ids), ids
    assert len(dossier.invalid_cards) == 2


@pytest.mark.parametrize("name,expected", [("levels", "folder-levels"), ("..", "project"),
                                           ('a "b" <c>', "a-b-c"), ("ok-1", "ok-1")])
def test_folder_id(name: str, expected: str) -> None:
    assert folder_id(name) == expected


def test_ids_that_differ_only_in_case_are_an_error(write, tmp_path: Path) -> None:
    write("src/a/L2.md", card_text(project="ab1"))
    write("src/b/L2.md", card_text(project="AB1"))
    findings = [f for f in build_dossier([tmp_path / "src"]).findings if f.rule == "project-id"]
    assert [f.message for f in findings] == ["project id 'ab1' differs from 'AB1' only in case"]


def test_site_names_are_every_page_the_dossier_puts_under_its_prefix(example_site: Path) -> None:
    """Every page and file the example site puts directly under ``dossier/`` (it has every page kind, a
    comparison with a previous bundle and the exports) is a project's folder or one of SITE_NAMES."""
    from conftest import REPO
    from mltrl_docs.settings import load_settings

    settings, _ = load_settings(REPO / "site_example" / "mltrl-docs.yml")
    assert settings is not None
    dossier = build_dossier(settings.sources, settings.glossary)
    names = {"index" if entry.name == "index.html" else entry.name for entry in (example_site / "dossier").iterdir()}
    assert names - set(dossier.projects) == SITE_NAMES
