"""Find project folders, their Markdown files and glossaries in dossier sources.

A source is a folder with one sub-folder per project. Symlinks are followed
only while they stay inside their source: a link that leaves it (to another
checkout, to ``/etc``) is refused and reported, so publishing a source never
publishes files from elsewhere on the machine.

Nothing under a source is dropped without a word: a Markdown file that is not
read (hidden, in a skipped folder, at the top of the source, behind a broken or
looping link) is named by a finding. Real folders are read first and symlinked
ones after, each real folder once, so a link to a folder already read (an alias
of a project, a link back to a parent) is reported and skipped rather than read
twice. The walk visits at most ``limits.files`` entries, so a source set to ``/``
by mistake stops fast with a finding.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mltrl_docs.findings import Finding, Position, Severity, error
from mltrl_docs.frontmatter import looks_like_card

GLOSSARY_NAMES = ("glossary.yml", "glossary.yaml")
MAX_FILES = 50_000
"""Files and folders visited under all sources at most (the default of ``limits.files``)."""
HIDDEN_COUNT = 2_000
"""Entries of one hidden or skipped folder looked at to count the Markdown files it holds."""
_SKIPPED_DIRS = {"__pycache__", "node_modules"}
_NOT_READ_SUFFIXES = (".markdown",)


def is_markdown(name: str) -> bool:
    """Markdown files are ``.md``, in any case (``.MD`` too)."""
    return name.lower().endswith(".md")


@dataclass(frozen=True, slots=True)
class ProjectFolder:
    """One project's folder: its Markdown files (cards and pages) and its glossary."""

    folder: Path
    source: Path
    markdown: tuple[Path, ...]
    glossary: Path | None

    @property
    def default_id(self) -> str:
        """The folder name: the project's id until its cards say otherwise."""
        return self.folder.name


@dataclass(slots=True)
class Discovery:
    projects: list[ProjectFolder] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


@dataclass(slots=True)
class _Folder:
    """A project folder while it is walked."""

    path: str
    source: Path
    root: str
    """The source's real path: links may lead anywhere below it."""
    order: tuple[int, str]
    """(source index, folder name): projects keep the order of their sources."""
    markdown: list[str] = field(default_factory=list)
    glossary: str | None = None
    links: list[str] = field(default_factory=list)
    """Symlinks met in the folder, followed once every real folder has been read."""


def discover(sources: Sequence[Path], *, max_files: int = MAX_FILES) -> Discovery:
    """Every project folder of every source, in a stable order."""
    walk = _Walk(max_files)
    folders: list[_Folder] = []
    top_links: list[tuple[int, Path, str, str]] = []
    for index, (source, root) in enumerate(_roots(sources, walk.findings)):
        walk.read[root] = str(source)
        entries = walk.listing(str(source))
        for entry in entries or ():
            kind = _kind(entry)
            if _hidden(entry.name):
                walk.hidden(entry.path, kind)
            elif kind == "link":
                top_links.append((index, source, root, entry.path))
            elif kind == "dir":
                folder = _Folder(entry.path, source, root, (index, entry.name))
                walk.tree(folder, entry.path, os.path.join(root, entry.name))
                folders.append(folder)
            else:
                walk.top_file(entry.path, source, kind)
    for folder in folders:
        walk.follow(folder)
    for index, source, root, link in top_links:
        target = walk.target(link, root)
        if target is None:
            continue
        real, kind = target
        if kind != "dir":
            walk.top_file(link, source, kind)
        elif real in walk.read:
            shown = _shown(walk.read[real], source)
            project = os.path.dirname(walk.read[real]) == str(source)
            walk.note(link, f"symlink to {shown}, which is read under its own name; skipped" if project
                      else f"symlink to a folder already read ({shown}); skipped",
                      "remove the link (a project is read once, from its real folder)", rule="symlink")
        else:
            folder = _Folder(link, source, root, (index, os.path.basename(link)))
            walk.tree(folder, link, real)
            walk.follow(folder)
            folders.append(folder)
    found = Discovery(findings=walk.findings)
    if walk.stopped:
        folders = [f for f in folders if f.path not in walk.unfinished]
    for folder in sorted(folders, key=lambda f: f.order):
        found.projects.append(ProjectFolder(
            Path(folder.path), folder.source, tuple(sorted(Path(p) for p in folder.markdown)),
            Path(folder.glossary) if folder.glossary else None,
        ))
    return found


def discover_project(folder: Path, source: Path, *, max_files: int = MAX_FILES) -> Discovery:
    """One project folder of ``source``, walked as ``discover`` walks it, and nothing else
    (``mltrl-docs new`` reads the project it writes a card for, not the whole source)."""
    walk = _Walk(max_files)
    root = os.path.realpath(source)
    walk.read[root] = str(source)
    found = Discovery(findings=walk.findings)
    if not folder.is_dir():
        return found
    project = _Folder(str(folder), source, root, (0, folder.name))
    walk.tree(project, str(folder), os.path.realpath(folder))
    walk.follow(project)
    if not walk.stopped:
        found.projects.append(ProjectFolder(folder, source, tuple(sorted(Path(p) for p in project.markdown)),
                                            Path(project.glossary) if project.glossary else None))
    return found


def _roots(sources: Sequence[Path], findings: list[Finding]) -> list[tuple[Path, str]]:
    """Each existing source with its real path, once: a source listed twice, or inside
    another source, is read as part of the other (the settings file says so, at its line)."""
    existing: list[tuple[Path, str]] = []
    for source in sources:
        try:
            is_dir = stat.S_ISDIR(os.stat(source).st_mode)  # follows links; raises for a loop
        except OSError as exc:
            message = ("dossier source folder is a symlink loop" if exc.errno == errno.ELOOP
                       else "dossier source folder does not exist")
            findings.append(error("source", message, source, hint="check the 'sources' setting"))
            continue
        if not is_dir:
            findings.append(error("source", "dossier source is a file, not a folder", source,
                                  hint="check the 'sources' setting: list folders that hold project folders"))
            continue
        existing.append((source, os.path.realpath(source)))
    kept: list[tuple[Path, str]] = []
    for source, real in existing:
        same = next((s for s, r in kept if r == real), None)
        outer = next((s for s, r in existing if r != real and _within(real, r)), None)
        if same is not None:
            findings.append(Finding(Severity.WARNING, "source", f"dossier source is listed twice (as {same}); "
                                    "it is read once", source, hint="remove one of the two entries"))
        elif outer is not None:
            findings.append(Finding(Severity.WARNING, "source", f"dossier source is inside source {outer}; "
                                    "its folders are read once, as part of that source", source,
                                    hint="list only one of the two folders"))
        else:
            kept.append((source, real))
    return kept


class _Walk:
    """One discovery: the visit budget, the real folders already read, the findings."""

    def __init__(self, max_files: int) -> None:
        self.max_files = max_files
        self.visited = 0
        self.stopped = False
        self.unfinished: set[str] = set()
        """Project folders the budget ran out in: they are not listed half-read."""
        self.read: dict[str, str] = {}
        """Real path of every folder read -> the path it was read as."""
        self.findings: list[Finding] = []

    def listing(self, folder: str, project: _Folder | None = None) -> list[os.DirEntry[str]] | None:
        """The entries of ``folder`` sorted by name, counted against the budget; None when
        the folder cannot be listed or the budget is spent (both reported)."""
        if self.stopped:
            if project is not None:
                self.unfinished.add(project.path)
            return None
        entries: list[os.DirEntry[str]] = []
        try:
            with os.scandir(folder) as listing:
                for entry in listing:
                    entries.append(entry)
                    if self.visited + len(entries) > self.max_files:
                        self.stop(folder, project)
                        return None
        except OSError as exc:
            self.findings.append(error("io", f"cannot list folder: {exc.strerror or exc}", Path(folder),
                                       hint="check the folder's permissions"))
            return None
        self.visited += len(entries)
        return sorted(entries, key=lambda e: e.name)

    def stop(self, folder: str, project: _Folder | None) -> None:
        self.stopped = True
        if project is not None:
            self.unfinished.add(project.path)
        self.findings.append(error(
            "limit", f"more than {self.max_files:,} files under the dossier sources; the limit is "
            f"{self.max_files:,} (limits.files): discovery stopped in this folder", Path(folder),
            hint="list only dossier folders as sources (not a whole checkout or '/'), "
                 "or raise limits.files in mltrl-docs.yml",
        ))

    def tree(self, project: _Folder, folder: str, real: str) -> None:
        """Files in ``folder`` and its real sub-folders; links are kept for ``follow``."""
        stack = [(folder, real)]
        while stack:
            current, current_real = stack.pop()
            if current_real in self.read:
                continue
            self.read[current_real] = current
            for entry in self.listing(current, project) or ():
                kind = _kind(entry)
                if _hidden(entry.name):
                    self.hidden(entry.path, kind)
                elif kind == "link":
                    project.links.append(entry.path)
                elif kind == "dir":
                    stack.append((entry.path, os.path.join(current_real, entry.name)))
                else:
                    self.project_file(project, entry.path, kind, at_top=current == project.path)

    def follow(self, project: _Folder) -> None:
        """The project's symlinks, in the order met: files are read under the link's name,
        folders once (a link to a folder already read is reported and skipped)."""
        while project.links:
            link = project.links.pop(0)
            target = self.target(link, project.root)
            if target is None:
                continue
            real, kind = target
            if kind != "dir":
                self.project_file(project, link, kind, at_top=os.path.dirname(link) == project.path)
            elif real in self.read:
                self.note(link, f"symlink to a folder already read ({_shown(self.read[real], project.source)}); "
                                "skipped", "nothing to do if the link is meant for people browsing the folder",
                          rule="symlink")
            else:
                self.tree(project, link, real)

    def target(self, link: str, root: str) -> tuple[str, str] | None:
        """(real path, kind: dir, file or other) of a symlink that stays inside ``root``; None,
        reported, for a loop, a broken link or one that leads outside the source."""
        try:
            status = os.stat(link)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                self.findings.append(error(
                    "symlink", "symlink loop: the link leads back to itself and cannot be followed", Path(link),
                    hint="point the link at a real file or folder, or remove it"))
            elif exc.errno not in (errno.ENOENT, errno.ENOTDIR):
                self.findings.append(error("symlink", f"cannot follow symlink: {exc.strerror or exc}", Path(link),
                                           hint="check the permissions of the link's target"))
            elif is_markdown(link) or os.path.basename(link) in GLOSSARY_NAMES:
                self.findings.append(error(
                    "symlink", f"symlink is broken: its target {_link_text(link)} does not exist", Path(link),
                    hint="point the link at an existing file, or remove it"))
            return None
        real = os.path.realpath(link)
        if not _within(real, root):
            self.findings.append(error(
                "symlink", f"symlink leads outside the dossier source (to {_link_text(link)}); refused", Path(link),
                hint="copy the file into the source, or list its folder as another source",
            ))
            return None
        mode = status.st_mode
        return real, "dir" if stat.S_ISDIR(mode) else "file" if stat.S_ISREG(mode) else "other"

    def project_file(self, project: _Folder, path: str, kind: str, at_top: bool) -> None:
        name = os.path.basename(path)
        if kind != "file":
            if is_markdown(name):
                self.not_regular(path)
        elif is_markdown(name):
            project.markdown.append(path)
        elif at_top and name in GLOSSARY_NAMES and (project.glossary is None or name == GLOSSARY_NAMES[0]):
            project.glossary = path
        elif name.lower().endswith(_NOT_READ_SUFFIXES):
            self.not_markdown(path)

    def top_file(self, path: str, source: Path, kind: str) -> None:
        """A file at the top of a source, outside any project folder: never published."""
        name = os.path.basename(path)
        if not is_markdown(name):
            if kind == "file" and name.lower().endswith(_NOT_READ_SUFFIXES):
                self.not_markdown(path)
            return
        if kind != "file":
            self.not_regular(path)
            return
        if _is_stray_card(path):
            self.findings.append(error(
                "layout", "level card is not inside a project folder", Path(path), Position(1, 1),
                hint=f"move it into a project folder such as {source.name}/<project>/{name}",
            ))
        else:
            self.note(path, "Markdown file is not in a project folder, so it is not published",
                      "move it into a project folder to publish it as a page of that project "
                      "(a README for the people browsing the source can stay)")

    def not_regular(self, path: str) -> None:
        self.note(path, "not a regular file (a pipe, socket or device); not read", "replace it with a Markdown file",
                  Severity.WARNING, rule="io")

    def not_markdown(self, path: str) -> None:
        self.note(path, "only .md files are read: this .markdown file is not published",
                  "rename it to .md to publish it")

    def hidden(self, path: str, kind: str) -> None:
        """A hidden (or node_modules, __pycache__) entry: never read; say what it holds."""
        name = os.path.basename(path)
        what = "hidden" if name.startswith(".") else "skipped"
        if kind != "dir":
            if is_markdown(name):
                self.note(path, f"{what} file is not read", "rename it without the leading '.' to publish it",
                          rule="hidden")
            return
        count, complete = self.count_markdown(path)
        if complete and not count:
            return
        files = f"{count:,} Markdown file{'' if count == 1 else 's'}"
        if complete:
            message = f"{what} folder is not read: its {files} {'is' if count == 1 else 'are'} not published"
        elif count:
            message = f"{what} folder is not read: it holds at least {files} (counted in its first " \
                      f"{HIDDEN_COUNT:,} entries), none published"
        else:
            message = f"{what} folder is not read, and too big to look for Markdown files " \
                      f"(more than {HIDDEN_COUNT:,} entries)"
        hint = ("rename the folder without the leading '.' to publish its pages" if what == "hidden"
                else f"{name} folders are never read: move pages out of it to publish them")
        self.note(path, message, hint, rule="hidden")

    def count_markdown(self, folder: str) -> tuple[int, bool]:
        """Markdown files below ``folder`` (links not followed), and whether all were counted:
        at most HIDDEN_COUNT entries are looked at, and they count against the budget."""
        budget = min(HIDDEN_COUNT, self.max_files - self.visited)
        seen = count = 0
        stack = [folder]
        while stack:
            try:
                with os.scandir(stack.pop()) as listing:
                    for entry in listing:
                        seen += 1
                        if seen > budget:
                            self.visited += budget
                            return count, False
                        if _kind(entry) == "dir":
                            stack.append(entry.path)
                        elif is_markdown(entry.name):
                            count += 1
            except OSError:
                continue
        self.visited += seen
        return count, True

    def note(self, path: str, message: str, hint: str, severity: Severity = Severity.INFO,
             rule: str = "layout") -> None:
        self.findings.append(Finding(severity, rule, message, Path(path), hint=hint))


def _kind(entry: os.DirEntry[str]) -> str:
    """link, dir, file or other, without following links (and without raising)."""
    try:
        if entry.is_symlink():
            return "link"
        if entry.is_dir(follow_symlinks=False):
            return "dir"
        return "file" if entry.is_file(follow_symlinks=False) else "other"
    except OSError:
        return "other"


def _link_text(link: str) -> str:
    try:
        return os.readlink(link)
    except OSError:
        return "(unreadable)"


def _within(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _shown(path: str, source: Path) -> str:
    """A folder as the user knows it: relative to its source, with a trailing slash."""
    relative = os.path.relpath(path, source)
    return "the source folder" if relative == "." else relative + "/"


def _hidden(name: str) -> bool:
    return name.startswith(".") or name in _SKIPPED_DIRS


def _is_stray_card(path: str) -> bool:
    try:
        with open(path, "rb") as file:
            head = file.read(4000).decode("utf-8", errors="replace")
    except OSError:
        return False
    return head.lstrip("\ufeff").startswith("---") and looks_like_card(head)
