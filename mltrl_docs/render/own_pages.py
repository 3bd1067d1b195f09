"""A site's own pages (its ``docs_dir``) read without MkDocs: for ``mltrl-docs render --docs``,
which writes them beside the rendered dossier with their views shown, and ``check --docs``,
which checks their views.

``own_files`` lists the folder as MkDocs would publish it, in MkDocs' order, but never leaves it:
a symlink is followed only when it leads to a file or folder inside the folder (MkDocs follows it
anywhere), and names starting with '.' are left out (MkDocs' default ``exclude_docs``).
``page_views`` finds the views of one page's bytes at the lines MkDocs' plugin sees them: the
front matter is kept aside as it is, and a page without the word ``mltrl-view`` is not read.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from mltrl_docs.findings import Finding, Severity, error
from mltrl_docs.frontmatter import TextProblem, decode, split
from mltrl_docs.render.views import MARK, ViewBlock, find_views, view_findings

MARKDOWN = (".markdown", ".mdown", ".mkdn", ".mkd", ".md")
"""The names MkDocs reads as pages (``mkdocs.utils.markdown_extensions``); any other file is copied."""
RULE = "docs-dir"
"""The rule of a file of the folder that cannot be read or is not written."""


@dataclass(frozen=True, slots=True)
class OwnFile:
    """One file of the site's own folder."""

    path: Path
    """Where it is read: under the folder as given (through the links inside it), absolute."""
    uri: str
    """Its path inside the folder, with forward slashes: where the host reads it from."""

    @property
    def page(self) -> bool:
        """A Markdown page (views are looked for in it), else a file copied as it is."""
        return self.uri.endswith(MARKDOWN)


@dataclass(frozen=True, slots=True)
class PageViews:
    """A page with views: its front matter as it is, its body, and the views in the body."""

    head: str
    """The front matter lines and their fences, with their line ends ('' when none)."""
    body: str
    blocks: tuple[ViewBlock, ...]


def own_files(folder: Path, severity: Severity) -> tuple[list[OwnFile], list[Finding]]:
    """The files under ``folder``, in the order MkDocs lists pages (a folder's index first, then
    its files by name, then its folders), and a finding of ``severity`` for each symlink left out
    (one that leads outside the folder, nowhere, or into a folder it is in)."""
    top = Path(os.path.abspath(folder))
    real_top = top.resolve()
    found: list[OwnFile] = []
    skipped: list[Finding] = []
    # (folder, its path inside the folder, the real paths of it and the folders above it)
    pending: list[tuple[Path, str, tuple[Path, ...]]] = [(top, "", (real_top,))]
    while pending:
        here, inside, above = pending.pop()
        try:
            entries = list(os.scandir(here))
        except OSError as exc:
            skipped.append(error(RULE, f"cannot read the folder: {exc.strerror or exc}", here))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path, uri = here / entry.name, inside + entry.name
            link = entry.is_symlink()
            real = _real(path)
            if link and real is not None and not (real == real_top or real_top in real.parents):
                skipped.append(_left_out(path, "is a symlink that leads outside the folder", severity,
                                         "copy the file into the folder: render and check read nothing outside it"))
            elif real is not None and entry.is_dir():
                if real in above:
                    skipped.append(_left_out(path, "is a symlink to a folder it is in", severity,
                                             "remove the link: the folder's files are read once already"))
                else:
                    pending.append((path, uri + "/", (*above, real)))
            elif real is not None and entry.is_file():
                found.append(OwnFile(path, uri))
            elif link:
                skipped.append(_left_out(path, "is a symlink that leads nowhere", severity,
                                     "remove the link, or make it lead to a file in the folder"))
    return _in_order(found), sorted(skipped, key=Finding.sort_key)


def _real(path: Path) -> Path | None:
    """Where ``path`` leads, symlinks followed; None for a symlink that leads to itself."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a loop of symlinks (Python 3.11, 3.12)
        return None


def _in_order(files: list[OwnFile]) -> list[OwnFile]:
    """``files`` in MkDocs' order (``mkdocs.structure.files.file_sort_key``): by folder, a folder's
    index first, each folder's files before the folders below it."""
    def key(file: OwnFile) -> tuple[tuple[str, ...], bool, str]:
        parts = PurePosixPath(file.uri).parts
        stem = PurePosixPath(file.uri).stem
        return parts[:-1], stem not in ("index", "README"), parts[-1]

    return sorted(files, key=key)


def _left_out(path: Path, why: str, severity: Severity, hint: str) -> Finding:
    return Finding(severity, RULE, f"left out: {path.name} {why}", path, hint=hint)


def page_views(file: OwnFile, data: bytes) -> PageViews | Finding | None:
    """The views of the page ``file`` whose bytes are ``data``, located in it; None when it has
    none (it is copied as it is); a finding when it holds ``mltrl-view`` but is no text."""
    if MARK.encode() not in data:
        return None
    text = decode(data, max_bytes=len(data))
    if isinstance(text, TextProblem):
        return error(RULE, f"cannot read the page's views: {text.message}", file.path, text.position, hint=text.hint)
    parts = split(text)
    head, body, first_line = "", text, 1
    if not isinstance(parts, TextProblem) and parts.frontmatter is not None:
        # MkDocs hands its plugins the page without its front matter; the views are found as they find them.
        lines = text.split("\n")
        head, body, first_line = "\n".join(lines[:parts.body_line - 1]) + "\n", parts.body, parts.body_line
    blocks = find_views(body, file.path, first_line)
    return PageViews(head, body, tuple(blocks)) if blocks else None


def check_views(files: Iterable[OwnFile]) -> list[Finding]:
    """The findings of every view in the pages among ``files``, without the dossier: what a build
    would report of their forms, options and queries (``views.view_findings``)."""
    findings: list[Finding] = []
    for file in files:
        if not file.page:
            continue
        try:
            data = file.path.read_bytes()
        except OSError as exc:
            findings.append(error(RULE, f"cannot read the page: {exc.strerror or exc}", file.path))
            continue
        found = page_views(file, data)
        if isinstance(found, Finding):
            findings.append(found)
        elif found is not None:
            for block in found.blocks:
                findings += view_findings(block)
    return findings
