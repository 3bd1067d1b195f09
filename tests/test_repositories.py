"""A source's own repository: edit links and paths inside the repository."""

from __future__ import annotations

from pathlib import Path

import pytest

from mltrl_docs.repositories import Repository, default_edit_uri, repository_path, work_tree


def test_a_path_is_given_from_the_top_of_its_work_tree(tmp_path: Path) -> None:
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    card = tmp_path / "repo" / "dossiers" / "p" / "L1.md"
    card.parent.mkdir(parents=True)
    card.write_text("x", encoding="utf-8")
    assert repository_path(card) == "dossiers/p/L1.md"
    assert repository_path(tmp_path / "repo") == "."
    assert work_tree(card.parent) == tmp_path / "repo"


def test_a_worktree_or_submodule_has_a_git_file(tmp_path: Path) -> None:
    (tmp_path / "outer" / ".git").mkdir(parents=True)
    (tmp_path / "outer" / "team").mkdir()
    (tmp_path / "outer" / "team" / ".git").write_text("gitdir: ../.git/modules/team\n", encoding="utf-8")
    assert repository_path(tmp_path / "outer" / "team" / "cards" / "a.md") == "cards/a.md"


def test_outside_git_there_is_no_repository_path(tmp_path: Path) -> None:
    if work_tree(tmp_path) is not None:
        pytest.skip("the temporary folder is inside a git work tree")
    assert repository_path(tmp_path / "a.md") is None


@pytest.mark.parametrize(("url", "branch", "expected"), [
    ("https://github.com/org/cards", "main", "edit/main/"),
    ("https://gitlab.example.org/org/cards", "trunk", "edit/trunk/"),
    ("https://bitbucket.org/org/cards", "main", "src/main/"),
])
def test_the_default_edit_path_follows_the_host(url: str, branch: str, expected: str) -> None:
    assert default_edit_uri(url, branch) == expected


def test_an_edit_url_joins_the_repository_the_edit_path_and_the_file(tmp_path: Path) -> None:
    source = tmp_path / "checkout" / "dossiers"
    card = source / "vision" / "L 2 'draft'.md"
    repository = Repository("https://git.example.org/vision/cards", branch="dev", folder="docs/dossiers")
    assert repository.file_path(source, card) == "docs/dossiers/vision/L 2 'draft'.md"
    assert repository.edit_url(source, card) == \
        "https://git.example.org/vision/cards/edit/dev/docs/dossiers/vision/L%202%20%27draft%27.md"


def test_an_edit_uri_as_written_and_a_source_at_the_top(tmp_path: Path) -> None:
    source = tmp_path / "cards"
    repository = Repository("https://git.example.org/a/b/", edit_uri="-/edit/release", folder="")
    assert repository.edit_url(source, source / "p" / "L1.md") == "https://git.example.org/a/b/-/edit/release/p/L1.md"


def test_the_folder_defaults_to_the_source_s_place_in_its_checkout(tmp_path: Path) -> None:
    (tmp_path / "team" / ".git").mkdir(parents=True)
    source = tmp_path / "team" / "docs" / "dossiers"
    source.mkdir(parents=True)
    repository = Repository("https://github.com/org/team")
    assert repository.edit_url(source, source / "p" / "L1.md") == \
        "https://github.com/org/team/edit/main/docs/dossiers/p/L1.md"
