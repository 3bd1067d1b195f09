"""The repository's pre-commit hook (.pre-commit-hooks.yaml), run by pre-commit itself on a
throwaway git repository: a valid card passes, an invalid one fails, a draft whose findings are
only warnings passes, files that are not cards are skipped (issue 13)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO

pytestmark = pytest.mark.slow

HOOKS = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))


def test_the_hook_definition() -> None:
    [hook] = HOOKS
    assert hook["id"] == "mltrl-docs-check" and hook["entry"] == "mltrl-docs check --fail-on error"
    assert hook["pass_filenames"] is True and hook["language"] == "python"


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args], cwd=cwd, check=True,
                   capture_output=True, timeout=60)


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This package as pre-commit installs it: a git repository holding the working tree's files."""
    if shutil.which("git") is None or (shutil.which("pre-commit") is None and not _has_module("pre_commit")):
        pytest.skip("needs git and pre-commit (pip install pre-commit)")
    repo = tmp_path_factory.mktemp("hook-repo")
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copy(REPO / name, repo / name)
    for folder in ("mltrl_docs", "schema", "templates"):
        shutil.copytree(REPO / folder, repo / folder, ignore=shutil.ignore_patterns("__pycache__"))
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "hook")
    return repo


def _has_module(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


def _try(hook_repo: Path, site: Path, *files: str) -> subprocess.CompletedProcess[str]:
    _git(site, "add", "-A")
    env = {**os.environ, "PRE_COMMIT_HOME": str(hook_repo.parent / "pre-commit-home")}
    return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", "--verbose", str(hook_repo),
                           "mltrl-docs-check", "--files", *files],
                          cwd=site, capture_output=True, text=True, timeout=900, env=env)


def test_pre_commit_passes_valid_and_draft_cards_and_fails_an_invalid_one(hook_repo: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "mltrl_docs", "init", str(site)], check=True, capture_output=True)
    _git(site, "init", "-q")
    project = site / "dossiers" / "example-project"
    level1 = str(next(project.glob("L1-*.md")).relative_to(site))
    valid = _try(hook_repo, site, level1, "mkdocs.yml", "docs/index.md")
    assert valid.returncode == 0, valid.stdout + valid.stderr
    assert "Passed" in valid.stdout

    subprocess.run([sys.executable, "-m", "mltrl_docs", "new", str(project), "--date", "2099-01-01"], check=True,
                   capture_output=True)
    draft = _try(hook_repo, site, "dossiers/example-project/L2-2099-01-01.md")
    assert draft.returncode == 0, draft.stdout + draft.stderr
    assert "warning: transition.reason is a placeholder" in draft.stdout

    (project / "L2-2099-01-01.md").write_text(
        (project / "L2-2099-01-01.md").read_text(encoding="utf-8").replace("status: draft", "status: approvedd"),
        encoding="utf-8")
    invalid = _try(hook_repo, site, "dossiers/example-project/L2-2099-01-01.md")
    assert invalid.returncode == 1, invalid.stdout + invalid.stderr
    assert "error: 'approvedd' is not a valid status" in invalid.stdout and "Failed" in invalid.stdout
