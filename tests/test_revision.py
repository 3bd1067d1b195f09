"""revision.py: the build date and each source folder's commit, asked of git without ever failing a build."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from mltrl_docs import revision
from mltrl_docs.revision import AsOf, Revision, SourceRevision, as_of, source_revision

GIT = shutil.which("git")
needs_git = pytest.mark.skipif(GIT is None, reason="needs git")


def git(folder: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(folder)}
    return subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True, text=True,
                          env=env).stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with one commit: dossiers/a/L1.md, and notes.md outside the source folder."""
    root = tmp_path / "repo"
    (root / "dossiers" / "a").mkdir(parents=True)
    (root / "dossiers" / "a" / "L1.md").write_text("card\n", encoding="utf-8")
    (root / "notes.md").write_text("notes\n", encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "first")
    return root


@needs_git
def test_a_clean_source_folder_names_its_commit(repo: Path) -> None:
    found = source_revision(repo / "dossiers")
    assert found == Revision(git(repo, "rev-parse", "--short", "HEAD"), dirty=False)
    assert str(found) == found.commit and len(found.commit) >= 7


@needs_git
@pytest.mark.parametrize("change", ["edit", "untracked", "staged", "deleted"])
def test_a_change_inside_the_folder_marks_local_changes(repo: Path, change: str) -> None:
    card = repo / "dossiers" / "a" / "L1.md"
    if change == "edit":
        card.write_text("card, edited\n", encoding="utf-8")
    elif change == "untracked":
        (repo / "dossiers" / "a" / "L2.md").write_text("new card\n", encoding="utf-8")
    elif change == "staged":
        card.write_text("card, staged\n", encoding="utf-8")
        git(repo, "add", ".")
    else:
        card.unlink()
    found = source_revision(repo / "dossiers")
    assert found is not None and found.dirty
    assert str(found) == f"{found.commit} + local changes"


@needs_git
def test_changes_outside_the_source_folder_do_not_count(repo: Path) -> None:
    """A build's own output, or notes elsewhere in the repository, change nothing the cards say."""
    (repo / "notes.md").write_text("edited\n", encoding="utf-8")
    (repo / "site").mkdir()
    (repo / "site" / "index.html").write_text("built\n", encoding="utf-8")
    found = source_revision(repo / "dossiers")
    assert found is not None and not found.dirty
    assert source_revision(repo) == Revision(found.commit, dirty=True)


@needs_git
def test_a_folder_outside_any_repository_or_before_the_first_commit_has_none(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    empty = tmp_path / "empty"
    empty.mkdir()
    git(empty, "init", "-q")
    # A ceiling keeps git from finding a repository above tmp_path (the test may run inside one).
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    assert source_revision(plain) is None
    assert source_revision(empty) is None
    assert source_revision(tmp_path / "missing") is None


@needs_git
def test_a_hooks_git_variables_do_not_redirect_the_question(repo: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Under a git hook GIT_DIR names the hook's repository: the folder's own is asked all the same."""
    other = tmp_path / "other"
    other.mkdir()
    git(other, "init", "-q")
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(other))
    found = source_revision(repo / "dossiers")
    monkeypatch.delenv("GIT_DIR")
    monkeypatch.delenv("GIT_WORK_TREE")
    assert found == Revision(git(repo, "rev-parse", "--short", "HEAD"), dirty=False)


def test_without_git_there_is_no_revision_and_no_error(repo_or_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(repo_or_folder / "no-bin-here"))
    assert source_revision(repo_or_folder) is None
    stamp = as_of(dt.date(2026, 3, 1), [repo_or_folder])
    assert stamp == AsOf(dt.date(2026, 3, 1), (SourceRevision(repo_or_folder, None),))
    assert stamp.revisions == ()


@pytest.fixture
def repo_or_folder(tmp_path: Path) -> Path:
    """A folder that is a repository when git is here to make one (without git: a plain folder)."""
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "L1.md").write_text("card\n", encoding="utf-8")
    if GIT is not None:
        git(folder, "init", "-q")
        git(folder, "add", ".")
        git(folder, "commit", "-q", "-m", "first")
    return folder


@pytest.mark.parametrize("failure", [FileNotFoundError("git"), PermissionError("git"),
                                     subprocess.TimeoutExpired(["git"], 5.0), OSError("disk")])
def test_git_that_cannot_run_or_hangs_gives_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 failure: Exception) -> None:
    def run(*args: object, **kwargs: object) -> None:
        raise failure

    monkeypatch.setattr(revision.subprocess, "run", run)
    assert source_revision(tmp_path) is None


def test_git_that_fails_gives_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def run(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        assert args[:3] == ["git", "-C", str(tmp_path)] and kwargs["timeout"] == revision.GIT_TIMEOUT
        return subprocess.CompletedProcess(args, 128, "", "fatal: detected dubious ownership in repository")

    monkeypatch.setattr(revision.subprocess, "run", run)
    assert source_revision(tmp_path) is None


@needs_git
def test_as_of_asks_each_source_and_keeps_their_order(repo: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    stamp = as_of(dt.date(2026, 3, 1), [repo / "dossiers", plain])
    assert [source.folder for source in stamp.sources] == [repo / "dossiers", plain]
    assert stamp.sources[1].revision is None
    assert [source.folder for source in stamp.revisions] == [repo / "dossiers"]
