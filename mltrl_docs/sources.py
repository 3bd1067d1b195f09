"""Find project folders, their Markdown files and glossaries in dossier sources.

A source is a folder with one sub-folder per project. Symlinks are followed
only while they stay inside their source: a link that leaves it (to another
checkout, to ``/etc``) is refused and reported, so publishing a source never
publishes files from elsewhere on the machine.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mltrl_docs.findings import Finding, Position, error
from mltrl_docs.frontmatter import looks_like_card

GLOSSARY_NAMES = ("glossary.yml", "glossary.yaml")
_SKIPPED_DIRS = {"__pycache__", "node_modules"}


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


def discover(sources: Sequence[Path]) -> Discovery:
    """Every project folder of every source, in a stable order."""
    found = Discovery()
    for source in sources:
        if not source.is_dir():
            found.findings.append(error("source", "dossier source folder does not exist", source,
                                        hint="check the 'sources' setting"))
            continue
        root = source.resolve()
        for entry in sorted(source.iterdir()):
            if _hidden(entry):
                continue
            if not _inside(entry, root, found.findings):
                continue
            if entry.is_dir():
                found.projects.append(_project(entry, source, root, found.findings))
            elif entry.suffix == ".md" and _is_stray_card(entry):
                found.findings.append(error(
                    "layout", "level card is not inside a project folder", entry, Position(1, 1),
                    hint=f"move it into a project folder such as {source.name}/<project>/{entry.name}",
                ))
    return found


def _project(folder: Path, source: Path, root: Path, findings: list[Finding]) -> ProjectFolder:
    markdown: list[Path] = []
    for path in _walk(folder, root, findings):
        if path.suffix.lower() == ".md":
            markdown.append(path)
    glossary = next((folder / n for n in GLOSSARY_NAMES if (folder / n).is_file()), None)
    if glossary is not None and not _inside(glossary, root, findings):
        glossary = None
    return ProjectFolder(folder, source, tuple(sorted(markdown)), glossary)


def _walk(folder: Path, root: Path, findings: list[Finding]) -> Iterator[Path]:
    """Files below ``folder``, following in-source symlinks once, refusing the others."""
    seen: set[Path] = set()
    stack = [folder]
    while stack:
        current = stack.pop()
        real = current.resolve()
        if real in seen:
            continue
        seen.add(real)
        try:
            entries = sorted(current.iterdir())
        except OSError as exc:
            findings.append(error("io", f"cannot list folder: {exc.strerror or exc}", current))
            continue
        for entry in entries:
            if _hidden(entry) or not _inside(entry, root, findings):
                continue
            if entry.is_dir():
                stack.append(entry)
            elif entry.is_file():
                yield entry


def _inside(entry: Path, root: Path, findings: list[Finding]) -> bool:
    """False (and a finding) for a symlink that leads outside the source."""
    if not entry.is_symlink():
        return True
    target = entry.resolve()
    if target == root or root in target.parents:
        return True
    findings.append(error(
        "symlink", f"symlink leads outside the dossier source (to {target}); refused", entry,
        hint="copy the file into the source, or list its folder as another source",
    ))
    return False


def _hidden(entry: Path) -> bool:
    return entry.name.startswith(".") or entry.name in _SKIPPED_DIRS


def _is_stray_card(path: Path) -> bool:
    try:
        head = path.read_bytes()[:4000].decode("utf-8", errors="replace")
    except OSError:
        return False
    return head.startswith("---") and looks_like_card(head)

