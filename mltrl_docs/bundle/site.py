"""One dossier from a site's local sources and the bundles its settings list: what
``mltrl-docs check``, ``diff`` and the MkDocs plugin build.

A bundle's cards go through the pipeline local cards go through (load, schema, cross-card
rules, glossary, gates, evidence read from the bundled files), under the portal's settings; their
provenance is the bundle's records, since there is no clone to ask. A project id found in two
places is an error naming both; the site keeps the first: local sources before bundles, and
bundles in the order the settings list them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from mltrl_docs.bundle.model import NO_IMPORTS, ImportedBundle, Imports
from mltrl_docs.bundle.read import import_bundles
from mltrl_docs.dossier import CheckedDossier, build_site, check_dossier, load_dossier
from mltrl_docs.filecache import FileCache
from mltrl_docs.findings import Finding, error
from mltrl_docs.gates import GateMemo
from mltrl_docs.gcpause import gc_paused
from mltrl_docs.model import Dossier, Project
from mltrl_docs.paths import relative
from mltrl_docs.provenance import NO_PROVENANCE, ProvenanceReport
from mltrl_docs.provenance import provenance as read_provenance
from mltrl_docs.settings import Settings


def build_portal(settings: Settings, workdir: Path | None, today: dt.date | None = None, *,
                 provenance: bool = False, cache_dir: Path | None = None,
                 files: FileCache | None = None, memo: GateMemo | None = None) -> tuple[CheckedDossier, Imports]:
    """The dossier of ``settings`` with its bundles unpacked under ``workdir`` (an empty folder
    the caller removes when done with the dossier: its pages publish the unpacked evidence), as
    ``dossier.build_site`` builds it otherwise (``files`` and ``memo``: what an earlier build
    worked out, reused where it holds); and the imports, which name a bundle's files."""
    if not settings.bundles or workdir is None:
        return build_site(settings, today, provenance=provenance, cache_dir=cache_dir, files=files,
                          memo=memo), NO_IMPORTS
    imports = import_bundles(settings.bundles, workdir, settings.limits)
    base = settings.file.parent if settings.file is not None else Path.cwd()
    with gc_paused():
        local, findings = load_dossier(settings.sources, settings.glossary, settings.limits, files)
        history = (read_provenance(local, cache_dir, max_commits=settings.provenance.max_commits)
                   if provenance and settings.provenance.enabled else NO_PROVENANCE)
        projects: dict[str, Project] = dict(local.projects)
        places = {project_id: relative(p.folder, base) + "/" for project_id, p in local.projects.items()}
        glossary = list(local.glossary)
        sources = list(local.sources)
        for bundle in imports.bundles:
            loaded, found = load_dossier(bundle.sources, bundle.glossaries, settings.limits)
            left_out: list[Path] = []
            for project_id, project in loaded.projects.items():
                here = f"{relative(bundle.file, base)}: {bundle.inside(project.folder)}/"
                if project_id in places:
                    findings.append(_twice(project_id, project, places[project_id], here))
                    left_out.append(project.folder)
                    continue
                projects[project_id] = project
                places[project_id] = here
            findings += [f for f in found if not any(folder in f.path.parents for folder in left_out)]
            glossary += loaded.glossary
            sources += loaded.sources
        dossier = Dossier(projects, tuple(glossary), tuple(sources))
        return check_dossier(dossier, [*findings, *settings.findings, *imports.findings],
                             builtin_glossary=settings.builtin_glossary, gates=settings.gates,
                             today=today or settings.build_date, image_hosts=settings.image_hosts,
                             roles=settings.roles, provenance=merged(history, imports.bundles),
                             teams=settings.teams, memo=memo), imports


def _twice(project_id: str, project: Project, kept: str, here: str) -> Finding:
    first = project.cards[0] if project.cards else None
    path = first.path if first is not None else (project.invalid_cards[0].path if project.invalid_cards
                                                  else project.folder)
    where = first.where("project") if first is not None else None
    return error("project-id", f"project id '{project_id}' is in two places: {kept} and {here}; the site keeps "
                 f"{kept} and leaves this bundle's project out", path, where, field="project", project=project_id,
                 hint="project ids are unique across all sources and bundles: give one of the two projects its "
                      "own id, or list only one of the places", related=(kept,))


def merged(history: ProvenanceReport, bundles: tuple[ImportedBundle, ...]) -> ProvenanceReport:
    """Git's report of the local sources with each bundle's records."""
    if not bundles:
        return history
    histories = dict(history.histories)
    records = dict(history.records)
    repositories = list(history.repositories)
    for bundle in bundles:
        histories.update(bundle.provenance.histories)
        records.update(bundle.provenance.records)
        repositories += bundle.provenance.repositories
    unavailable = history.unavailable if len(histories) == len(history.histories) else None
    return ProvenanceReport(histories, records, tuple(repositories), history.findings, unavailable)

