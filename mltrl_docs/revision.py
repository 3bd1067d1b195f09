"""As of what a page is true: the build date and the git commit of each dossier source.

A printed dossier lies on a meeting-room table long after it was built, so every
generated page says when it was built and, where a source folder is in git, which
commit of it the cards were read from. Asking git is best effort: it runs locally
(no fetch, no network), under a timeout, and a missing ``git``, a folder outside any
repository, a repository git refuses to read (another owner's, without
``safe.directory``) or a slow disk all give None, never an exception. A page then
names the build date only.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mltrl_docs.messages import Messages, english

GIT_TIMEOUT = 5.0
"""Seconds one git command may take (a status of a huge, cold working tree is slow)."""

_GIT_ENVIRONMENT = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
                    "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_COMMON_DIR", "GIT_NAMESPACE", "GIT_PREFIX")
"""Left out of git's environment: set by a hook or an outer git command, they would make git
answer about another repository than the one the folder is in."""


@dataclass(frozen=True, slots=True)
class Revision:
    """The commit a source folder was read at."""

    commit: str
    """The short hash of HEAD, as ``git rev-parse --short HEAD`` prints it."""
    dirty: bool
    """The folder differs from that commit: changed, staged, deleted or untracked files in it."""

    def __str__(self) -> str:
        return self.text()

    def text(self, messages: Messages | None = None) -> str:
        """``1a2b3c4``, or ``1a2b3c4 + local changes`` when dirty, in the site's ``messages``
        (default: English)."""
        return (messages or english()).text("revision.dirty", commit=self.commit) if self.dirty else self.commit


@dataclass(frozen=True, slots=True)
class SourceRevision:
    """One dossier source folder and its revision (None: not in git, or git could not say)."""

    folder: Path
    revision: Revision | None


@dataclass(frozen=True, slots=True)
class AsOf:
    """What every page of a build is true as of."""

    date: dt.date
    """The build date (CheckedDossier.today): what the gates and every "so far" count to."""
    sources: tuple[SourceRevision, ...] = ()

    @property
    def revisions(self) -> tuple[SourceRevision, ...]:
        """The sources whose commit is known."""
        return tuple(source for source in self.sources if source.revision is not None)


def source_revision(folder: Path, timeout: float = GIT_TIMEOUT) -> Revision | None:
    """The commit ``folder`` is checked out at, marked dirty when anything in the folder differs
    from it; None when git is missing, the folder is not in a repository (or has no commit yet),
    or git fails or takes longer than ``timeout`` seconds."""
    if not folder.is_dir():
        return None
    commit = _git(folder, timeout, "rev-parse", "--short", "HEAD")
    if commit is None or not commit.strip():
        return None
    # Only this folder counts ("-- ."): a build's own output or notes elsewhere in the repository
    # do not change what the cards say.
    status = _git(folder, timeout, "status", "--porcelain", "--untracked-files=normal", "--", ".")
    if status is None:
        return None
    return Revision(commit.strip(), bool(status.strip()))


def as_of(date: dt.date, sources: Sequence[Path], timeout: float = GIT_TIMEOUT) -> AsOf:
    """The build date and the revision of each source folder, asked once per build."""
    return AsOf(date, tuple(SourceRevision(folder, source_revision(folder, timeout)) for folder in sources))


def _git(folder: Path, timeout: float, *args: str) -> str | None:
    """What ``git -C folder args`` prints, or None when it cannot run, fails or times out."""
    env = {name: value for name, value in os.environ.items() if name not in _GIT_ENVIRONMENT}
    # A status never takes the index lock (nor rewrites the index) of a repository someone
    # else is working in; no pager, no prompt for credentials, messages in English.
    env.update(GIT_OPTIONAL_LOCKS="0", GIT_TERMINAL_PROMPT="0", GIT_PAGER="cat", LC_ALL="C")
    try:
        result = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True,
                                encoding="utf-8", errors="replace", timeout=timeout, env=env,
                                stdin=subprocess.DEVNULL, check=False)
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    return result.stdout if result.returncode == 0 else None
