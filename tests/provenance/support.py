"""Real git repositories in tmp folders, with commits by named authors on given days."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import card_text
from mltrl_docs.dossier import load_dossier
from mltrl_docs.model import Card, Dossier

GIT = shutil.which("git")
needs_git = pytest.mark.skipif(GIT is None, reason="needs git")


def email(name: str) -> str:
    return name.lower().replace(" ", ".") + "@example.org"


class Repo:
    """A repository at ``root`` whose commits name their author and day."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, who: str = "Ada Okafor", mail: str | None = None,
            when: str = "2024-03-01T10:00:00+00:00", cwd: Path | None = None) -> str:
        env = {**os.environ, "GIT_AUTHOR_NAME": who, "GIT_AUTHOR_EMAIL": mail or email(who),
               "GIT_COMMITTER_NAME": who, "GIT_COMMITTER_EMAIL": mail or email(who),
               "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when,
               "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(self.root.parent)}
        return subprocess.run(["git", "-c", "commit.gpgsign=false", "-C", str(cwd or self.root), *args], check=True,
                              capture_output=True, text=True, env=env).stdout.strip()

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def card(self, relative: str, **fields: object) -> Path:
        """A card file (conftest.card_text) at ``relative``."""
        return self.write(relative, card_text(**fields))

    def commit(self, message: str, who: str = "Ada Okafor", when: str = "2024-03-01T10:00:00+00:00",
               mail: str | None = None) -> str:
        """Commit everything; the new commit's hash."""
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message, who=who, when=when, mail=mail)
        return self.git("rev-parse", "HEAD")


def dossier(source: Path) -> Dossier:
    loaded, _ = load_dossier([source])
    return loaded


def only_card(loaded: Dossier) -> Card:
    (card,) = loaded.cards
    return card


def reviewers(*entries: tuple[str, str]) -> list[dict[str, str]]:
    return [{"name": name, "decision": decision, "date": "2024-03-05"} for name, decision in entries]
