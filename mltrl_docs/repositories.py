"""Which repository a dossier file lives in, and where it is in that repository.

A portal builds from sources checked out from other teams' repositories. The theme's edit
button, the findings' paths in CI annotations and the JSON report must then point into the
source's own repository, not the portal's. Two answers, declared here once:

- ``repository_path``: a file's path from the top of the git work tree that holds it (found
  by looking for ``.git`` upwards, no ``git`` command), as CI systems map annotations.
- ``Repository``: a source's own ``repo_url``, ``edit_uri`` and ``branch`` (the settings'
  mapping form of a source), which turn a card's path into its edit link.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

DEFAULT_BRANCH = "main"


@dataclass(frozen=True, slots=True)
class Repository:
    """A dossier source's own repository (``sources: [{path, repo_url, edit_uri, branch, folder}]``)."""

    url: str
    """The repository's web address (``https://git.example.org/team/cards``)."""
    branch: str = DEFAULT_BRANCH
    """The branch edit links open (``main`` unless the source says)."""
    edit_uri: str | None = None
    """Joined to ``url`` before a file's path (as MkDocs' ``edit_uri``); None: the host's usual
    edit path for ``branch`` (``default_edit_uri``)."""
    folder: str | None = None
    """The source folder's path inside that repository (``dossiers``); None: git's answer where
    the source is a checkout (``repository_path``), else the repository's top folder."""

    @property
    def edit_path(self) -> str:
        """``edit_uri`` as written, else the host's usual one; always ending in ``/``."""
        path = self.edit_uri if self.edit_uri is not None else default_edit_uri(self.url, self.branch)
        return path if not path or path.endswith("/") else path + "/"

    def file_path(self, source: Path, path: Path) -> str:
        """``path`` (a file under the source folder ``source``) as a path inside the repository."""
        inner = Path(os.path.relpath(path, source)).as_posix()
        folder = self.folder if self.folder is not None else repository_path(source)
        folder = "" if folder in (".", None) else folder.strip("/")
        return f"{folder}/{inner}" if folder else inner

    def edit_url(self, source: Path, path: Path) -> str:
        """The page that edits ``path`` in the repository; every path segment percent-encoded,
        since themes print the URL unescaped into an ``href``."""
        base = self.url if self.url.endswith("/") else self.url + "/"
        return urljoin(base, self.edit_path + quote(self.file_path(source, path), safe="/"))


def own_repository(path: Path, repositories: Mapping[Path, Repository]) -> tuple[Path, Repository] | None:
    """The source folder holding ``path`` and its repository, when that source names one."""
    for folder in Path(os.path.abspath(path)).parents:
        if folder in repositories:
            return folder, repositories[folder]
    return None


def default_edit_uri(url: str, branch: str) -> str:
    """The edit path hosts use: ``src/<branch>/`` on Bitbucket, ``edit/<branch>/`` elsewhere
    (GitHub, GitLab and Gitea all open an editor there)."""
    host = (urlsplit(url).hostname or "").lower()
    return f"src/{branch}/" if host == "bitbucket.org" or host.startswith("bitbucket.") else f"edit/{branch}/"


@functools.lru_cache(maxsize=4096)
def work_tree(folder: Path) -> Path | None:
    """The top folder of the git work tree ``folder`` is in (the nearest folder upwards with a
    ``.git`` folder or file), or None outside git."""
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def repository_path(path: Path) -> str | None:
    """``path`` from the top of its git work tree, with forward slashes (``.`` for the top
    itself); None outside git."""
    absolute = Path(os.path.abspath(path))
    top = work_tree(absolute if absolute.is_dir() else absolute.parent)
    if top is None:
        return None
    return absolute.relative_to(top).as_posix()
