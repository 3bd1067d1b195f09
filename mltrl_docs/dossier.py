"""The pipeline: sources -> load -> validate -> model -> cross-card rules -> Dossier.

This is the one function adapters (the CLI, the MkDocs plugin) call.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from mltrl_docs import rules
from mltrl_docs.findings import Finding, error
from mltrl_docs.gates import GateSettings, evaluate
from mltrl_docs.glossary import build_glossary
from mltrl_docs.load import load_glossary, load_markdown
from mltrl_docs.model import Attachment, Card, Dossier, InvalidCard, Project
from mltrl_docs.paths import display
from mltrl_docs.settings import Settings
from mltrl_docs.sources import ProjectFolder, discover


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Loading allocates hundreds of thousands of small acyclic objects that all stay
    alive; the cyclic collector would rescan every loaded card again and again (a fifth
    of a 3,000-card check). Any cycles made meanwhile are collected once it resumes."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def build_dossier(sources: Sequence[Path], glossary_files: Sequence[Path] = (), *,
                  builtin_glossary: bool = True, gates: GateSettings | None = None,
                  today: dt.date | None = None) -> Dossier:
    """Load and check every card, page and glossary of ``sources``; ``builtin_glossary``
    puts the MLTRL glossary shipped with the package under the site's own terms;
    ``gates`` (the adapters always pass the site's) also judges every card against
    the gate policy, as of ``today``."""
    with _gc_paused():
        return _build(sources, glossary_files, builtin_glossary, gates, today)


def build_site(settings: Settings, today: dt.date | None = None) -> Dossier:
    """The dossier of a site's settings: what `mltrl-docs check` and `mkdocs build` both see."""
    return build_dossier(settings.sources, settings.glossary, builtin_glossary=settings.builtin_glossary,
                         gates=settings.gates, today=today)


def _build(sources: Sequence[Path], glossary_files: Sequence[Path], builtin_glossary: bool,
           gates: GateSettings | None, today: dt.date | None) -> Dossier:
    discovery = discover(sources)
    findings: list[Finding] = list(discovery.findings)
    dossier = Dossier(sources=tuple(sources))
    for folder in discovery.projects:
        project = _load_project(folder, findings)
        if project is not None:
            _register(dossier, project, findings)
    for path in glossary_files:
        terms, found = load_glossary(path)
        dossier.glossary += terms
        findings += found
    for project in dossier.projects.values():
        glossary = _glossary_file(project, discovery.projects)
        if glossary is not None:
            terms, found = load_glossary(glossary, project=project.id)
            project.glossary += terms
            findings += found
    findings += rules.check(dossier)
    dossier.terms, found = build_glossary(
        dossier.glossary, {p.id: p.glossary for p in dossier.projects.values() if p.glossary}, builtin_glossary)
    findings += found
    if gates is not None:
        dossier.gates = evaluate(dossier, gates, today)
        findings += dossier.gates.findings
    dossier.findings = sorted(set(findings), key=Finding.sort_key)
    return dossier


def _load_project(folder: ProjectFolder, findings: list[Finding]) -> Project | None:
    """A folder's cards and pages; None when it holds no card at all (not a project)."""
    cards: list[Card] = []
    invalid: list[InvalidCard] = []
    attachments: list[Attachment] = []
    for path in folder.markdown:
        loaded, found = load_markdown(path, folder.default_id)
        findings += found
        if isinstance(loaded, Card):
            cards.append(loaded)
        elif isinstance(loaded, InvalidCard):
            invalid.append(loaded)
        elif isinstance(loaded, Attachment):
            attachments.append(loaded)
    if not cards and not invalid:
        return None
    project_id = _majority_id(cards) or folder.default_id
    keep: list[Card] = []
    for card in cards:
        if card.project_id == project_id:
            keep.append(card)
            continue
        finding = error(
            "project-id", f"card says project '{card.project_id}', but the other cards in "
            f"{folder.folder.name}/ say '{project_id}'", card.path, card.where("project"),
            field="project", project=project_id,
            hint=f"one folder holds one project: write project: {project_id}, or move the card",
        )
        findings.append(finding)
        invalid.append(InvalidCard(card.path, project_id, (finding,), card.title, card.level, card.date))
    keep.sort(key=lambda c: (c.date, c.path))
    return Project(project_id, folder.folder, folder.source, keep, invalid, attachments)


def _majority_id(cards: list[Card]) -> str | None:
    """The id most of a folder's cards carry (ties: the earliest card's)."""
    if not cards:
        return None
    counts = Counter(card.project_id for card in cards)
    best = max(counts.values())
    return next(c.project_id for c in sorted(cards, key=lambda c: c.date) if counts[c.project_id] == best)


def _register(dossier: Dossier, project: Project, findings: list[Finding]) -> None:
    """Add ``project`` unless another folder already claimed its id."""
    other = dossier.projects.get(project.id)
    if other is None:
        dossier.projects[project.id] = project
        return
    for card in project.cards:
        finding = error(
            "project-id", f"project id '{project.id}' is already used by {display(other.folder)}/",
            card.path, card.where("project"), field="project", project=project.id,
            hint="project ids are unique across all sources: give this project its own id",
            related=(display(other.folder),),
        )
        findings.append(finding)
        other.invalid_cards.append(InvalidCard(card.path, project.id, (finding,), card.title, card.level, card.date))
    other.invalid_cards.extend(project.invalid_cards)


def _glossary_file(project: Project, folders: list[ProjectFolder]) -> Path | None:
    return next((f.glossary for f in folders if f.folder == project.folder), None)
