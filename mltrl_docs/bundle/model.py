"""What a bundle is: one JSON file that carries a repository's part of a dossier site (its cards,
pages, glossaries, evidence files, findings and provenance) to a portal that builds it without
a clone (issue 15). Declared here once: the format's version, the versions this mltrl-docs
reads, which paths a bundle may hold, and how an imported bundle's files are named to people.

A bundle comes from another team's CI, so everything in it is untrusted: a path is a relative
POSIX path of plain segments (``safe_path``), never absolute, never with ``..``, and it is
never read or written before it passed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from mltrl_docs.findings import Finding
from mltrl_docs.provenance import ProvenanceReport
from mltrl_docs.repositories import Repository
from mltrl_docs.revision import Revision, SourceRevision

BUNDLE_VERSION = 1
"""The version ``mltrl-docs bundle`` writes (``bundle_version``)."""
READ_VERSIONS = (1,)
"""The versions this mltrl-docs imports."""
SCHEMA_NAME = "bundle"
"""``schema/bundle.schema.json``, whose ``$id`` ends in the version."""
MAX_PATH = 1024
"""Characters of one path in a bundle at most."""
RULE = "bundle"
READINESS_FILE = "readiness.json"
"""The site's own bundle (every project, local and imported), beside the portfolio page."""


def readiness_uri(prefix: str) -> str:
    """Where a site publishes its bundle: ``<prefix>/readiness.json``."""
    return f"{prefix}/{READINESS_FILE}"


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def path_problem(path: str) -> str | None:
    """Why ``path`` cannot name a file of a bundle (None: it can): a bundle path is relative, with
    forward slashes and plain segments, so that it can never name a file outside the folder it
    is unpacked into, on any system."""
    if not path:
        return "the path is empty"
    if len(path) > MAX_PATH:
        return f"the path is longer than {MAX_PATH} characters"
    if _CONTROL.search(path):
        return "the path holds a control character"
    if "\\" in path:
        return "the path holds a backslash (bundle paths use '/')"
    if path.startswith("/"):
        return "the path is absolute"
    if len(path) > 1 and path[1] == ":":
        return "the path names a drive"
    segments = path.split("/")
    if any(segment in ("", ".", "..") for segment in segments):
        return "the path has an empty, '.' or '..' segment"
    return None


def unpacked(root: Path, path: str) -> Path:
    """Where the bundle file ``path`` (checked by ``path_problem``) is unpacked under ``root``."""
    return root.joinpath(*PurePosixPath(path).parts)


@dataclass(frozen=True, slots=True)
class ImportedBundle:
    """One bundle as the portal builds it: unpacked under ``root``, as local sources are read."""

    file: Path
    """The bundle file (absolute)."""
    root: Path
    """The folder its files are unpacked into: a bundle path ``p`` is ``root / p``."""
    sources: tuple[Path, ...] = ()
    glossaries: tuple[Path, ...] = ()
    repositories: Mapping[Path, Repository] = field(default_factory=dict)
    """Unpacked source folder -> its repository, for the sources the bundle names one for."""
    provenance: ProvenanceReport = field(default_factory=ProvenanceReport)
    """The bundle's provenance records, by unpacked path: what git said where it was made."""
    commit: str | None = None
    """The commit the bundle was made from, if it says."""
    dirty: bool = False
    """Files differed from that commit when the bundle was made."""

    def inside(self, path: Path) -> str | None:
        """``path`` (unpacked) as the bundle names it; None when it is not one of its files."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return None


@dataclass(frozen=True, slots=True)
class Imports:
    """Every bundle a site's settings list, imported: what the adapters need besides the dossier."""

    bundles: tuple[ImportedBundle, ...] = ()
    findings: tuple[Finding, ...] = ()
    """What reading the bundles found (a malformed file, a path that escapes, a glob that matches nothing)."""

    @property
    def repositories(self) -> dict[Path, Repository]:
        return {folder: repository for bundle in self.bundles for folder, repository in bundle.repositories.items()}

    def owner(self, path: Path) -> ImportedBundle | None:
        """The bundle an unpacked file comes from; None for a local file."""
        return next((b for b in self.bundles if b.inside(path) is not None), None)

    def located(self, finding: Finding) -> Finding:
        """``finding`` as people read it: on a bundle's file, named by the bundle file and the file's path
        inside it (``bundles/team-a.json: dossiers/x/L2.md:12:3``); a local finding as it is."""
        bundle = self.owner(finding.path)
        if bundle is None:
            return finding
        return replace(finding, path=bundle.file, bundled=bundle.inside(finding.path))

    def shown(self, path: Path, display: Callable[[Path], str]) -> str:
        """A file's path as ``display`` shows local files; a bundle's file as the bundle file and the
        path inside it (``bundles/team-a.json: dossiers/x/L2.md``), never the folder it is unpacked in."""
        bundle = self.owner(path)
        return display(path) if bundle is None else f"{display(bundle.file)}: {bundle.inside(path)}"

    def revisions(self) -> tuple[SourceRevision, ...]:
        """Each bundle's sources at the commit the bundle was made from: what pages are true as of."""
        return tuple(SourceRevision(folder, Revision(bundle.commit[:7], bundle.dirty))
                     for bundle in self.bundles if bundle.commit is not None for folder in bundle.sources)

    def aliases(self, display: Callable[[Path], str]) -> dict[Path, str]:
        """Each unpacked folder -> its bundle file as ``display`` shows it (``paths.aliased``)."""
        return {bundle.root: display(bundle.file) for bundle in self.bundles}


NO_IMPORTS = Imports()
