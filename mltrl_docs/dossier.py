"""The pipeline: sources -> load -> validate -> model (a Dossier) -> check (cross-card
rules, glossary, gates) -> a CheckedDossier.

``build_site`` and ``build_dossier`` are what adapters (the CLI, the MkDocs plugin) call.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from functools import partial
from pathlib import Path
from typing import TypeVar

from mltrl_docs import rules
from mltrl_docs.evidence import NO_EVIDENCE, EvidenceReport, evaluate_evidence
from mltrl_docs.filecache import FileCache
from mltrl_docs.findings import Finding, Severity, error
from mltrl_docs.gates import GateMemo, GateReport, GateSettings, evaluate
from mltrl_docs.gcpause import gc_paused
from mltrl_docs.glossary import Glossary, build_glossary
from mltrl_docs.ids import folder_id
from mltrl_docs.load import Loaded, load_glossary, load_markdown
from mltrl_docs.model import Attachment, Card, Dossier, GlossaryTerm, InvalidCard, Project
from mltrl_docs.paths import relative
from mltrl_docs.provenance import NO_PROVENANCE, ProvenanceReport
from mltrl_docs.provenance import provenance as read_provenance
from mltrl_docs.references import resolving
from mltrl_docs.settings import Limits, Settings, TeamSettings
from mltrl_docs.sources import ProjectFolder, discover, discover_project

T = TypeVar("T")
Loading = tuple[Loaded, list[Finding]]
"""What reading one Markdown file of a project folder gives (``load.load_markdown``)."""


@dataclass(frozen=True, slots=True, eq=False)
class CheckedDossier:
    """A loaded dossier with everything checking it found: its glossary resolved, the gate
    report and every finding, all always present (no analysis is left for later)."""

    dossier: Dossier
    glossary: Glossary
    """Every glossary scope resolved: the built-in, the site's and the projects' terms."""
    gates: GateReport
    """Earned levels, gaps and system readiness under the site's gate policy."""
    findings: tuple[Finding, ...]
    """Every finding, sorted: loading, schema, cross-card rules, glossary and gates."""
    today: dt.date
    """The day the dossier was checked: what the gates and every "so far" count to."""
    evidence: EvidenceReport = NO_EVIDENCE
    """Every acceptance criterion judged against its evidence, once, before the gates; its
    ``verified`` is what counts as verified on every page."""
    provenance: ProvenanceReport = NO_PROVENANCE
    """Provenance from git: who created and changed each card and cited file, and who recorded
    each decision; empty unless ``build_site`` was asked for it (see ``mltrl_docs.provenance``)."""
    teams: TeamSettings = field(default_factory=TeamSettings)
    """The teams' MLOps maturity stages (the setting ``teams:``), which team pages show."""

    @property
    def projects(self) -> Mapping[str, Project]:
        return self.dossier.projects

    @property
    def cards(self) -> list[Card]:
        return self.dossier.cards

    @property
    def invalid_cards(self) -> list[InvalidCard]:
        return self.dossier.invalid_cards


def findings_by_project(dossier: CheckedDossier) -> dict[str, list[Finding]]:
    """Every finding on a file of a project (its cards, invalid cards, pages, glossary), by the
    project folder the file is in (every project, none left out); findings keep the dossier's
    order. What the portfolio, the dossier pages and the query language count as a project's findings."""
    folders = {project.folder: project.id for project in dossier.projects.values()}
    grouped: dict[str, list[Finding]] = {project_id: [] for project_id in dossier.projects}
    for finding in dossier.findings:
        owner = next((folders[p] for p in finding.path.parents if p in folders), None)
        if owner is not None:
            grouped[owner].append(finding)
    return grouped


def build_dossier(sources: Sequence[Path], glossary_files: Sequence[Path] = (), *,
                  builtin_glossary: bool = True, gates: GateSettings | None = None,
                  today: dt.date | None = None, image_hosts: Collection[str] = (),
                  limits: Limits | None = None) -> CheckedDossier:
    """Load and check every card, page and glossary of ``sources``; ``builtin_glossary``
    puts the MLTRL glossary shipped with the package under the site's own terms;
    ``gates`` is the gate policy the cards are judged by, as of ``today`` (None: no gate
    rule, so every card earns its declared level; the adapters always pass the site's);
    ``image_hosts`` may serve images to card pages; ``limits`` bound what is read."""
    with gc_paused():
        dossier, findings = load_dossier(sources, glossary_files, limits)
        return check_dossier(dossier, findings, builtin_glossary=builtin_glossary, gates=gates,
                             today=today, image_hosts=image_hosts)


def build_site(settings: Settings, today: dt.date | None = None, *, provenance: bool = False,
               cache_dir: Path | None = None, files: FileCache | None = None,
               memo: GateMemo | None = None) -> CheckedDossier:
    """The dossier of a site's settings: what `mltrl-docs check` and `mkdocs build` both see
    (the settings file's own warnings among its findings), as of ``today``: by default the
    settings' ``build_date``, else the day it runs. With ``provenance`` (and the setting on),
    git is asked who wrote what, cached in ``cache_dir``, before the gates run: ``stale`` and
    ``suspect-evidence`` read when a card and its evidence last changed. Git's own notes (a
    shallow clone, the commit limit) stay in the report's ``findings``. ``files``: what an
    earlier build read, reused for files whose bytes are the same (``mkdocs serve``); ``memo``:
    the gates' judgement of each project in an earlier build, reused where its inputs are the same."""
    with gc_paused():
        dossier, findings = load_dossier(settings.sources, settings.glossary, settings.limits, files)
        history = (read_provenance(dossier, cache_dir, max_commits=settings.provenance.max_commits)
                   if provenance and settings.provenance.enabled else NO_PROVENANCE)
        return check_dossier(dossier, [*findings, *settings.findings], builtin_glossary=settings.builtin_glossary,
                             gates=settings.gates, today=today or settings.build_date,
                             image_hosts=settings.image_hosts, roles=settings.roles, provenance=history,
                             teams=settings.teams, memo=memo)


def load_dossier(sources: Sequence[Path], glossary_files: Sequence[Path] = (),
                 limits: Limits | None = None, files: FileCache | None = None) -> tuple[Dossier, list[Finding]]:
    """Every project, card, page and glossary term of ``sources``, and what reading them
    found (frontmatter, YAML, schema, ids, layout); ``files``: earlier readings to reuse."""
    limits = limits or Limits()
    read = files.read if files is not None else _read_afresh
    discovery = discover(sources, max_files=limits.files)
    findings: list[Finding] = list(discovery.findings)
    parts: dict[str, _Parts] = {}
    no_card: list[tuple[ProjectFolder, list[Attachment]]] = []
    with resolving():
        projects = [loaded for folder in discovery.projects
                    if (loaded := _load_project(folder, findings, limits, no_card, read)) is not None]
    order = {id(project): index for index, project in enumerate(projects)}
    for project in sorted(projects, key=lambda p: (p.first_date, order[id(p)])):
        _register(parts, project, findings)
    parts = dict(sorted(parts.items(), key=lambda item: order[id(item[1])]))  # the sources' order
    site_terms: list[GlossaryTerm] = []
    for path in glossary_files:
        terms, found = read(path, ("glossary", None, limits), partial(load_glossary, path, limits=limits))
        site_terms += terms
        findings += found
    for project_id, project in parts.items():
        if project.glossary_file is not None:
            terms, found = read(project.glossary_file, ("glossary", project_id, limits),
                                partial(load_glossary, project.glossary_file, project=project_id, limits=limits))
            project.glossary = [*project.glossary, *terms]
            findings += found
    frozen = _Parts.frozen if files is None else partial(_kept_project, files)
    dossier = Dossier({project_id: frozen(project) for project_id, project in parts.items()},
                      tuple(site_terms), tuple(sources))
    findings += _no_card(no_card, dossier)
    return dossier, findings


def load_project(folder: Path, source: Path, limits: Limits | None = None) -> tuple[Project | None, list[Finding]]:
    """The project in ``folder`` of ``source`` alone (None when the folder holds no card), and
    what reading it found; no other folder is read (``mltrl-docs new``)."""
    limits = limits or Limits()
    discovery = discover_project(folder, source, max_files=limits.files)
    findings: list[Finding] = list(discovery.findings)
    for project_folder in discovery.projects:
        loaded = _load_project(project_folder, findings, limits, [])
        if loaded is not None:
            return loaded.frozen(), findings
    return None, findings


def check_dossier(dossier: Dossier, findings: Sequence[Finding] = (), *, builtin_glossary: bool = True,
                  gates: GateSettings | None = None, today: dt.date | None = None,
                  image_hosts: Collection[str] = (), roles: Mapping[str, str] | None = None,
                  provenance: ProvenanceReport = NO_PROVENANCE, teams: TeamSettings | None = None,
                  memo: GateMemo | None = None) -> CheckedDossier:
    """The cross-card rules, the glossary and the gates over a loaded dossier, as of ``today``
    (default: the day it runs); ``roles`` are the reviewer roles cards may name (default: the
    built-in ones); ``provenance`` is what git says about its files (default: nothing), kept
    on the result and read by the gates; ``teams``: the teams' maturity stages (default: none),
    kept on the result, each team checked against the teams of the projects' current cards; ``memo``:
    the gates' judgement of each project in the last build (``mkdocs serve``), reused where it holds."""
    glossary, glossary_findings = build_glossary(
        list(dossier.glossary), {p.id: list(p.glossary) for p in dossier.projects.values() if p.glossary},
        builtin_glossary)
    today = today if today is not None else dt.date.today()
    found = [*findings, *rules.check(dossier, image_hosts, roles, today)]
    policy = gates if gates is not None else GateSettings.none()
    evidence = evaluate_evidence(dossier, applied=policy.blocks("evidence-contradicts"))
    report = evaluate(dossier, policy, today, evidence, provenance, memo)
    found += glossary_findings
    found += report.findings
    teams = teams if teams is not None else TeamSettings()
    found += teams.unknown({p.current.team for p in dossier.projects.values() if p.current and p.current.team})
    return CheckedDossier(dossier, glossary, report, tuple(sorted(set(found), key=Finding.sort_key)), today,
                          evidence, provenance, teams)


@dataclass(slots=True, eq=False)
class _Parts:
    """A project while its folder is read: the one mutable stage, frozen into a Project."""

    id: str
    folder: Path
    source: Path
    cards: list[Card]
    invalid_cards: list[InvalidCard]
    attachments: list[Attachment]
    glossary_file: Path | None
    glossary: list[GlossaryTerm] = field(default_factory=list)

    @property
    def first_date(self) -> dt.date:
        """The date of the project's first card (an invalid card's, when it has no valid one
        dated; none: the latest date): the folder with the earliest one owns a shared id."""
        dates = [card.date for card in self.cards] + [c.date for c in self.invalid_cards if c.date is not None]
        return min(dates, default=dt.date.max)

    def frozen(self) -> Project:
        return Project(self.id, self.folder, self.source, tuple(self.cards), tuple(self.invalid_cards),
                       tuple(self.attachments), tuple(self.glossary))


def _kept_project(files: FileCache, parts: _Parts) -> Project:
    """The last build's Project of the folder while it is made of the very same readings: what
    is worked out from it in a `mkdocs serve` rebuild (a page's context, the history's events)
    is then the same at once, not compared item by item (``render.reuse``)."""
    made = parts.frozen()
    inputs = tuple(getattr(made, field.name) for field in fields(made))  # every field, whatever Project gains
    return files.made.get(("project", made.folder), inputs, lambda: made)


def _read_afresh(path: Path, how: Hashable, reader: Callable[[], T]) -> T:
    """``FileCache.read`` without a cache: every file read."""
    return reader()


def _load_project(folder: ProjectFolder, findings: list[Finding], limits: Limits,
                  no_card: list[tuple[ProjectFolder, list[Attachment]]],
                  read: Callable[[Path, Hashable, Callable[[], Loading]], Loading] = _read_afresh) -> _Parts | None:
    """A folder's cards and pages; None when it holds no card at all (not a project: the
    folder and its pages go to ``no_card``, to be reported, never dropped without a word)."""
    cards: list[Card] = []
    invalid: list[InvalidCard] = []
    attachments: list[Attachment] = []
    default_id = folder_id(folder.default_id)
    for path in folder.markdown:
        loaded, found = read(path, ("markdown", default_id, limits), partial(load_markdown, path, default_id, limits))
        findings += found
        if isinstance(loaded, Card):
            cards.append(loaded)
        elif isinstance(loaded, InvalidCard):
            invalid.append(loaded)
        elif isinstance(loaded, Attachment):
            attachments.append(loaded)
    if not cards and not invalid:
        no_card.append((folder, attachments))
        return None
    project_id = _majority_id(cards) or default_id
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
        invalid.append(InvalidCard.of(card, (finding,), project_id))
    keep.sort(key=lambda c: (c.date, c.path))
    return _Parts(project_id, folder.folder, folder.source, keep, invalid, attachments, folder.glossary)


def _no_card(folders: list[tuple[ProjectFolder, list[Attachment]]], dossier: Dossier) -> list[Finding]:
    """A folder of a source with pages but no level card is not a project, and its pages are
    not published: a warning, or a note when cards link to its pages (a shared docs/ folder,
    as in the card format's example), and a note on each page and on its glossary."""
    if not folders:
        return []
    linked = {ref.resolved for card in dossier.cards for ref in card.references() if ref.resolved is not None}
    found: list[Finding] = []
    for folder, pages in folders:
        hint = "add a level card (a file whose frontmatter has 'level:') or move the pages into a project folder"
        if pages:
            count = f"{len(pages)} Markdown page{'s' if len(pages) > 1 else ''}"
            is_docs = any(page.path in linked for page in pages)
            found.append(Finding(
                Severity.INFO if is_docs else Severity.WARNING, "layout",
                f"folder holds {count} but no level card, so it is not a project and its pages are not published"
                + (" (cards link to them)" if is_docs else ""), folder.folder, hint=hint))
            found += [Finding(Severity.INFO, "layout", f"page is not published: {folder.folder.name}/ holds no "
                              "level card", page.path, hint=hint) for page in pages]
        if folder.glossary is not None:
            found.append(Finding(Severity.INFO, "layout", "glossary of a folder with no level card is not read",
                                 folder.glossary, hint="add a level card to the folder, or list the glossary in "
                                                       "the 'glossary' setting"))
    return found


def _majority_id(cards: list[Card]) -> str | None:
    """The id most of a folder's cards carry (ties: the earliest card's)."""
    if not cards:
        return None
    counts = Counter(card.project_id for card in cards)
    best = max(counts.values())
    return next(c.project_id for c in sorted(cards, key=lambda c: c.date) if counts[c.project_id] == best)


def _register(parts: dict[str, _Parts], project: _Parts, findings: list[Finding]) -> None:
    """Add ``project`` unless another folder already claimed its id. Projects are registered
    by the date of their first card (ties: the sources' order), so the folder that had the id
    first keeps it, whatever the folders are called: the newcomer's cards are reported (and
    listed as invalid), the existing project stays whole."""
    other = parts.get(project.id)
    if other is None:
        parts[project.id] = project
        return
    # Named from this project's source, as finding messages are published: the same
    # wherever the check ran, and no build-machine folders.
    shown = relative(other.folder, project.source)
    mine = relative(project.folder, project.source)
    since = "" if other.first_date == dt.date.max else f" (its first card is dated {other.first_date.isoformat()})"
    for card in project.cards:
        finding = error(
            "project-id", f"project id '{project.id}' is already used by {shown}/{since}, so {mine}/ cannot "
            "use it", card.path, card.where("project"), field="project", project=project.id,
            hint=f"project ids are unique across all sources: give the project in {mine}/ its own id",
            related=(shown,),
        )
        findings.append(finding)
        other.invalid_cards.append(InvalidCard.of(card, (finding,), project.id))
    other.invalid_cards.extend(project.invalid_cards)
    findings += [Finding(Severity.INFO, "project-id", f"page is not published: its folder's project id "
                         f"'{project.id}' is already used by another folder", page.path,
                         hint="give this folder's cards their own project id") for page in project.attachments]
