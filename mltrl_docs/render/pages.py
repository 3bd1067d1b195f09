"""Which pages a dossier site has, at which URIs, with what data.

Each SitePage names a template and its context; nothing is rendered here, so the
list is cheap to build and easy to test. URIs are Markdown paths (``.md``) as a
static-site host expects them; the host decides the final URLs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from pathlib import Path

from mltrl_docs.bundle.model import readiness_uri
from mltrl_docs.changes import DEFAULT_DAYS, ChangeReport, Since
from mltrl_docs.checklist import Checklist, card_checklist, read_checklist
from mltrl_docs.dossier import CheckedDossier, findings_by_project
from mltrl_docs.findings import Finding, Severity
from mltrl_docs.gates import ProjectGates
from mltrl_docs.glossary import Entry, Glossary, fold
from mltrl_docs.memo import recall
from mltrl_docs.messages import Messages, english
from mltrl_docs.metrics import Measure, Tally, measurer, portfolio_metrics, tally
from mltrl_docs.model import Attachment, Card, Dossier, Project, RequirementKind, RequirementStatus
from mltrl_docs.production import Line, ProductionLines, Tenure, production_lines
from mltrl_docs.references import is_hidden, real_path
from mltrl_docs.render.acceptance import card_results
from mltrl_docs.render.autolink import ScopeMatchers, TermMatcher
from mltrl_docs.render.badge import embed, project_badge
from mltrl_docs.render.changes import ChangeViews, SinceShown, entry_views, since_shown
from mltrl_docs.render.contexts import (
    AttachmentContext,
    CardContext,
    CardHistory,
    ChangesContext,
    DossierContext,
    FindingsContext,
    GlossaryContext,
    GlossaryTeamsContext,
    HistoryContext,
    HolderContext,
    LevelsContext,
    MetricsContext,
    PacketContext,
    PageContext,
    People,
    PortfolioContext,
    PortfolioRow,
    ProjectExports,
    ReadinessContext,
    RequirementsContext,
    RequirementsRow,
    TeamsContext,
    TermUse,
    last_review,
    moves,
    severity_counts,
)
from mltrl_docs.render.coupling import coupling_graph
from mltrl_docs.render.exports import badge_uri, matrix_csv_uri, portfolio_csv_uri
from mltrl_docs.render.feed import history
from mltrl_docs.render.kept import Kept
from mltrl_docs.render.matrix import recent_columns, requirement_matrix, risk_matrix
from mltrl_docs.render.metrics_chart import metrics_chart
from mltrl_docs.render.readiness import COUNTS, Comparison, rows
from mltrl_docs.render.reuse import SHOWN, Unshown
from mltrl_docs.render.search import Search
from mltrl_docs.render.timeline import timeline
from mltrl_docs.teams import Holders, Kind, holder_metrics, holders


@dataclass(frozen=True, slots=True)
class SitePage:
    uri: str
    """Path of the page inside the site, e.g. ``dossier/R02.1/index.md``."""
    title: str
    template: str
    context: PageContext
    in_nav: bool = False
    source: Path | None = None
    """The file the page shows (for edit links), if it shows one."""
    link_terms: bool = False
    """Link glossary terms in this page's text (cards, dossiers, attachments)."""
    project: str | None = None
    """The project whose glossary scope applies, if the page belongs to one."""
    tags: tuple[str, ...] = ()
    """The card's ``tags`` (the current card's on a dossier), for the host's tags (Material's plugin)."""
    search: Search = Search.NONE
    """What the host's search indexes of the page (``render.search``): by default nothing, since
    most generated pages repeat the cards' text."""
    unbroken: str = ""
    """A part of the title the heading keeps on one line (a card's date, which a browser would
    break at a hyphen on a phone); empty: none."""

    @property
    def heading(self) -> tuple[str, str, str]:
        """The title as (before, unbroken part, after), for the page's h1."""
        before, found, after = self.title.partition(self.unbroken) if self.unbroken else (self.title, "", "")
        return before, found, after


BODIES_UNSHOWN = frozenset({
    "portfolio.html", "history.html", "findings.html", "levels.html", "metrics.html", "requirements.html",
    "teams.html", "team.html", "owner.html", "glossary.html", "glossary_teams.html", "changes.html",
    "readiness.html", "card.html",
})
"""The shipped templates that show nothing of a card's or an attachment's body but what their
context worked out of it (findings, metrics, changes, checklist answers, term usage) or holds on
its own (a card page's ``body``, compared as any other field): under ``mkdocs serve``, an edit to
a body renders the card's page, the next card's (its changes) and the project's pages again, not these
(``render.reuse``). ``tests/render/test_pages.py`` renders each with every body changed to prove it."""

_BODIES: Unshown = frozenset({(Card, "body"), (Attachment, "body")})


def unshown(page: SitePage, templates_shipped: bool = True) -> Unshown:
    """What of its context ``page`` never shows (``render.reuse``): the bodies on the pages of
    ``BODIES_UNSHOWN``, as long as the shipped templates render them (``templates_shipped``;
    a site's own templates may show anything)."""
    return _BODIES if templates_shipped and page.template in BODIES_UNSHOWN else SHOWN


def project_uri(prefix: str, project: Project) -> str:
    return project_id_uri(prefix, project.id)


def project_id_uri(prefix: str, project_id: str) -> str:
    """The dossier page of the project ``project_id`` (which may be another page's coupled project)."""
    return f"{prefix}/{project_id}/index.md"


def card_stem(card: Card) -> str:
    """``L4-2021-06-14``: unique in a project, since its cards never share a date."""
    return f"L{card.level.number}-{card.date.isoformat()}"


def card_uri(prefix: str, card: Card) -> str:
    return f"{prefix}/{card.project_id}/{card_stem(card)}.md"


def teams_uri(prefix: str) -> str:
    """The 'Teams and owners' page; no team takes its name (``teams.RESERVED``)."""
    return f"{prefix}/teams/index.md"


def holder_uri(prefix: str, kind: Kind, slug: str) -> str:
    """A team's page (``teams/<slug>``) or an owner's (``owners/<slug>``), by its slug (``teams.slugs``)."""
    return f"{prefix}/{'teams' if kind is Kind.TEAM else 'owners'}/{slug}.md"


def requirement_anchor(requirement_id: str) -> str:
    """``requirement-1.2``: a requirement's row on its card page (ids are digits and dots, safe in a
    fragment), where a view's row or any other page links a requirement."""
    return f"requirement-{requirement_id}"


def packet_uri(prefix: str, project: Project) -> str:
    """The project's review packet; no card stem ("L4-...") nor folder ("pages", "files") takes its name."""
    return f"{prefix}/{project.id}/packet.md"


def attachment_uri(prefix: str, project: Project, path: Path) -> str:
    relative = path.relative_to(project.folder).with_suffix("")
    return f"{prefix}/{project.id}/pages/{relative.as_posix()}.md"


def current_checklist(project: Project) -> Checklist | None:
    """The answer counts of the page the current card's ``ethics.checklist`` names, when that
    page is one of the project's attachments and follows the checklist template."""
    return card_checklist(project.current, project) if project.current else None


OPTIONAL_PAGES: tuple[str, ...] = ("levels", "history", "changes", "requirements", "findings", "metrics", "glossary",
                                   "cards", "attachments", "evidence", "packets", "exports", "teams")
"""Page kinds a site may leave out; the portfolio and the project dossiers are always built.
Links to a page that is left out render as plain text. ``changes`` is the 'What changed' page,
``evidence`` the evidence files, ``packets`` each project's review packet, ``exports`` the files
beside the portfolio and each dossier (CSV tables, README badges: ``render.exports``), ``teams``
the 'Teams and owners' page and a page per team and per owner (``team_pages``)."""

EVIDENCE_SUFFIXES = frozenset({".txt", ".csv", ".tsv", ".json", ".jsonl", ".log", ".yml", ".yaml",
                               ".pdf", ".png", ".jpg", ".jpeg", ".gif", ".webp"})
"""Files a card may point at that the site publishes as they are. Never HTML, SVG or
scripts: a team's file served from the portal's own origin could run script there."""


def site_pages(dossier: CheckedDossier, prefix: str = "dossier",
               include: Collection[str] = OPTIONAL_PAGES, messages: Messages | None = None,
               since: SinceShown | Since | None = None, *, site_url: str | None = None,
               readiness: Comparison | None = None, kept: Kept | None = None) -> list[SitePage]:
    """Every generated page, portfolio first, in a stable order; titles and the words pages
    compute in Python (moves, the timeline's labels, dates on charts) in the site's ``messages``
    (default: English). ``since``: since when the 'What changed' page lists changes (the plugin
    resolves ``changes.since`` once per build; default: the ``DEFAULT_DAYS`` before the build date).
    ``site_url``: the site's address, which the badge snippets on dossier pages start with.
    ``readiness``: the comparison with a previous bundle (``compare.bundle``), shown on the
    'Readiness changes' page after 'What changed'; None: the site has no such page. ``kept``: what
    the last build worked out from the same cards (``mkdocs serve``), reused where it still holds."""
    m = messages or english()
    if kept is not None:
        kept.said_in(m)
    changes = ChangeViews(ChangeReport(dossier, kept.changes if kept else None), m, kept.views if kept else None)
    projects = sorted(dossier.projects.values(), key=lambda p: p.id)
    by_project = findings_by_project(dossier)
    lines = {project.id: production_lines(project.cards) for project in projects}
    by_level = _by_level(projects, lines)
    counts = open_findings(dossier, by_project)
    measure = measurer(dossier.today, dossier.evidence, kept.metrics if kept else None)
    owned = holders(dossier) if "teams" in include else None
    people = people_pages(owned, prefix) if owned is not None else People()
    rows = tuple(PortfolioRow(project, project.current, dossier.gates.projects.get(project.id), lines[project.id],
                              last_review(project.current) if project.current else None,
                              current_tally(dossier, project), counts[project.id])
                 for project in projects)
    pages = [
        SitePage(f"{prefix}/index.md", m.text("page.portfolio.title"), "portfolio.html",
                 PortfolioContext(rows, by_level, dossier.gates,
                                  portfolio_csv_uri(prefix) if "exports" in include else None,
                                  readiness_uri(prefix) if "exports" in include else None,
                                  people.only((row.card.team for row in rows if row.card), ())), in_nav=True),
    ]
    org_pages = {
        "levels": lambda: SitePage(f"{prefix}/levels.md", m.text("page.levels.title"), "levels.html",
                                   LevelsContext(by_level, dossier.gates), in_nav=True),
        "history": lambda: SitePage(f"{prefix}/history.md", m.text("page.history.title"), "history.html",
                                    HistoryContext(tuple(history(dossier.dossier, m))), in_nav=True),
        "changes": lambda: SitePage(f"{prefix}/changes.md", m.text("page.changes.title"), "changes.html",
                                    changes_context(dossier, changes, since), in_nav=True),
        "requirements": lambda: SitePage(f"{prefix}/requirements.md", m.text("page.requirements.title"),
                                         "requirements.html",
                                         requirements_context(dossier, projects), in_nav=True),
        "findings": lambda: SitePage(f"{prefix}/findings.md", m.text("page.findings.title"), "findings.html",
                                     FindingsContext(tuple(dossier.findings), *severity_counts(dossier.findings),
                                                     dossier), in_nav=True),
        "metrics": lambda: SitePage(f"{prefix}/metrics.md", m.text("page.metrics.title"), "metrics.html",
                                    metrics_context(dossier, m, measure), in_nav=True),
    }
    pages += [make() for kind, make in org_pages.items() if kind in include]
    if owned is not None:
        pages += team_pages(dossier, owned, people, prefix, m, measure)
    if readiness is not None:
        after = next((i + 1 for i, p in enumerate(pages) if p.uri == f"{prefix}/changes.md"), len(pages))
        pages.insert(after, readiness_page(prefix, readiness, m))
    if "glossary" in include and dossier.glossary.entries:
        pages += glossary_pages(dossier.dossier, dossier.glossary, prefix, m, kept)
    by_file: dict[Path, list[Finding]] = {}
    for finding in dossier.findings:
        by_file.setdefault(finding.path, []).append(finding)
    gates = dossier.gates
    known = frozenset(dossier.projects)
    for project in projects:
        project_gates = gates.projects.get(project.id)
        card_moves = recall(kept.moves if kept else None, project.id, (project.cards,),
                            partial(moves, project.cards, m))
        provenance = dossier.provenance
        histories = {card.path: found for card in project.cards if (found := provenance.file(card.path)) is not None}
        decisions = {card.path: provenance.decisions(card) for card in project.cards}
        # Its own cards' approvals only: a page whose context holds the whole dossier's would differ
        # from the last build's at every edit (render.reuse), and compare 1,000 items to find out.
        approved = {card.path: gates.approved.get(card.path, False) for card in project.cards}
        context = DossierContext(
            project, known, project_gates, lines[project.id], approved, current_checklist(project),
            coupling_graph(project_gates.readiness, dossier.dossier) if project_gates else None,
            tuple(by_project[project.id]),
            recall(kept.timelines if kept else None, project.id, (project.cards, dossier.today),
                  partial(timeline, project.cards, dossier.today, m)),
            recall(kept.matrices if kept else None, project.id,
                  (project.cards, dossier.evidence.applied, tuple(map(dossier.evidence.of_card, project.cards))),
                  partial(requirement_matrix, project.cards, dossier.evidence)),
            risk_matrix(project.current) if project.current else None,
            current_tally(dossier, project), card_moves, histories, decisions,
            changes.current(project),
            project_exports(prefix, project, project_gates, m, site_url) if "exports" in include else None,
            people.only((project.current.team,), project.current.owners) if project.current else People())
        pages.append(SitePage(project_uri(prefix, project),
                              m.text("page.dossier.title", project=project.id, title=project.title), "project.html",
                              context, in_nav=True, link_terms=True, project=project.id,
                              tags=project.current.tags if project.current else (), search=Search.MARKED))
        if "packets" in include:
            pages.append(packet_page(prefix, project, context, m))
        for index, card in enumerate(project.cards if "cards" in include else ()):
            previous = project.cards[index - 1] if index else None
            following = project.cards[index + 1] if index + 1 < len(project.cards) else None
            pages.append(SitePage(
                card_uri(prefix, card), m.text("page.card.title", project=project.id, level=card.level.number,
                                               date=card.date),
                "card.html", CardContext(project, card, card.body, previous, following,
                                         tuple(by_file.get(card.path, ())), gates.earned.get(card.path),
                                         gates.approved.get(card.path, False), card_moves[card.path],
                                         card_results(card, dossier.evidence, m),
                                         CardHistory.of(histories.get(card.path)), decisions[card.path],
                                         changes.of(card), people.only((card.team,), card.owners)),
                source=card.path, link_terms=True, project=project.id, tags=card.tags, unbroken=m.date(card.date),
                search=Search.MARKED,
            ))
        for attachment in project.attachments if "attachments" in include else ():
            pages.append(SitePage(attachment_uri(prefix, project, attachment.path), attachment.title,
                                  "attachment.html", AttachmentContext(project, attachment, attachment.body,
                                                                       read_checklist(attachment)),
                                  source=attachment.path, link_terms=True, project=project.id, search=Search.PAGE))
    return pages


def people_pages(owned: Holders, prefix: str) -> People:
    """The page of every team and owner, by name."""
    return People({h.name: holder_uri(prefix, h.kind, h.slug) for h in owned.teams},
                  {h.name: holder_uri(prefix, h.kind, h.slug) for h in owned.owners})


def team_pages(dossier: CheckedDossier, owned: Holders, people: People, prefix: str = "dossier",
               messages: Messages | None = None, measure: Measure | None = None) -> list[SitePage]:
    """The 'Teams and owners' page, in the navigation, then a page per team and per owner, which
    are not: the list links them all, and every page's navigation stays the same size however many
    teams and owners the portfolio has (``render.navigation``). ``measure``: each project's
    metrics, worked out once for all these pages (``metrics.measurer``)."""
    measure = measure or measurer(dossier.today, dossier.evidence)
    m = messages or english()
    index = teams_uri(prefix)
    pages = [SitePage(index, m.text("teams.page.title"), "teams.html",
                      TeamsContext(owned, people, dossier.teams.maturity.name), in_nav=True)]
    for holder in (*owned.teams, *owned.owners):
        team = holder.kind is Kind.TEAM
        pages.append(SitePage(holder_uri(prefix, holder.kind, holder.slug),
                              m.text("team.page.title" if team else "owner.page.title", name=holder.name),
                              "team.html" if team else "owner.html",
                              HolderContext(holder, holder_metrics(holder, dossier, measure),
                                            people.only(holder.teams, holder.owners), index)))
    return pages


def packet_page(prefix: str, project: Project, dossier: DossierContext,
                messages: Messages | None = None) -> SitePage:
    """The review packet of a project, for the gate meeting and for printing: the dossier page's
    context, with the requirement matrix of the current and the previous card only, the open
    findings (errors and warnings) only, and no card's last change (its level history keeps to what
    the gate needs; who recorded each decision stays, in the summary); ``dossier_uri`` is the dossier
    page it comes from. Its matrix is cut from the dossier page's (``recent_columns``)."""
    fields = {name: getattr(dossier, name) for name in dossier.variables()}
    context = PacketContext(**{**fields, "matrix": recent_columns(dossier.matrix),
                               "findings": tuple(f for f in dossier.findings if f.severity is not Severity.INFO),
                               "histories": {}, "exports": None},
                            dossier_uri=project_uri(prefix, project))
    title = (messages or english()).text("page.packet.title", project=project.id)
    return SitePage(packet_uri(prefix, project), title, "packet.html", context,
                    link_terms=True, project=project.id)


def project_exports(prefix: str, project: Project, gates: ProjectGates | None, messages: Messages,
                    site_url: str | None) -> ProjectExports | None:
    """The files beside a project's dossier page: its matrix as CSV, its badge (None: no valid card)."""
    if project.current is None:
        return None
    badge = project_badge(project.id, project.current.level, gates.earned if gates else None, messages)
    alt = messages.text("dossier.badge.alt", project=project.id)
    return ProjectExports(matrix_csv_uri(prefix, project.id), badge,
                          embed(badge_uri(prefix, project.id), alt, site_url))


def changes_context(dossier: CheckedDossier, views: ChangeViews, since: SinceShown | Since | None) -> ChangesContext:
    """The cards changed since ``since`` (default: the ``DEFAULT_DAYS`` before the build date), newest
    first, said in the language of ``views``."""
    if not isinstance(since, SinceShown):
        since = since_shown(since or Since(dossier.today - timedelta(days=DEFAULT_DAYS), days=DEFAULT_DAYS), dossier)
    entries = entry_views(views.report.since(since.since), since.since, views)
    return ChangesContext(since, entries, len({entry.project.id for entry in entries}),
                          sum(entry.detailed for entry in entries))


def readiness_page(prefix: str, comparison: Comparison, messages: Messages | None = None) -> SitePage:
    """The 'Readiness changes' page: what changed across the portfolio since the previous bundle."""
    m = messages or english()
    diff = comparison.diff
    listed = rows(diff, prefix, m) if diff is not None else ()
    counts = diff.counts if diff is not None else dict.fromkeys(COUNTS, 0)
    checked_on = _day(diff.old.checked_on) if diff is not None else None
    return SitePage(f"{prefix}/readiness-changes.md", m.text("page.readiness.title"), "readiness.html",
                    ReadinessContext(comparison, checked_on, listed, counts, len({row.project for row in listed})),
                    in_nav=True)


def _day(text: str | None) -> dt.date | None:
    """A bundle's ISO date (checked by its schema), None when it is none."""
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def current_tally(dossier: CheckedDossier, project: Project) -> Tally:
    """The current card's requirements by status, a requirement whose evidence contradicts it not verified."""
    card = project.current
    return tally(card.requirements, dossier.evidence.verified_on(card)) if card is not None else tally(())


def metrics_context(dossier: CheckedDossier, messages: Messages | None = None,
                    measure: Measure | None = None) -> MetricsContext:
    """The metrics as of the check date, and their chart; ``measure``: each project's (``metrics.measurer``)."""
    metrics = portfolio_metrics(dossier.dossier, dossier.today, dossier.evidence, measure)
    return MetricsContext(metrics, metrics_chart(metrics.requirements, dossier.today, messages),
                          dossier.dossier.projects)


def requirements_context(dossier: CheckedDossier, projects: Sequence[Project]) -> RequirementsContext:
    """Each project's current requirements, research then product, counted by status."""
    rows = tuple(RequirementsRow(project, kind, tally((r for r in project.current.requirements if r.kind is kind),
                                                      dossier.evidence.verified_on(project.current)))
                 for project in projects if project.current is not None for kind in RequirementKind)
    return RequirementsContext(rows, tuple(s.value for s in RequirementStatus))


def glossary_pages(dossier: Dossier, glossary: Glossary, prefix: str,
                   messages: Messages | None = None, kept: Kept | None = None) -> list[SitePage]:
    """The A-Z glossary (with where each term is used) and the by-team view."""
    m = messages or english()
    letters: dict[str, list[Entry]] = {}
    for entry in sorted(glossary.entries, key=lambda e: (e.letter, fold(e.term.term), e.project or "")):
        letters.setdefault(entry.letter, []).append(entry)
    context = GlossaryContext(glossary, letters, term_usage(dossier, glossary, prefix, kept),
                              any(entry.builtin for entry in glossary.entries))
    return [
        SitePage(f"{prefix}/glossary/index.md", m.text("page.glossary.title"), "glossary.html", context,
                 in_nav=True, search=Search.PAGE),
        SitePage(f"{prefix}/glossary/teams.md", m.text("page.glossary_teams.title"), "glossary_teams.html",
                 GlossaryTeamsContext(glossary, glossary.teams())),
    ]


def term_usage(dossier: Dossier, glossary: Glossary, prefix: str,
               kept: Kept | None = None) -> dict[Entry, tuple[tuple[str, tuple[TermUse, ...]], ...]]:
    """Entry -> the ids of the projects, each with its cards, whose text uses one of its names;
    ``kept``: what the last build found in each card that is the same (``mkdocs serve``)."""
    usage: dict[Entry, dict[str, list[TermUse]]] = {}
    matchers = kept.matchers(glossary) if kept is not None else ScopeMatchers(glossary)
    by_anchor = {entry.anchor: entry for entry in glossary.entries}
    for project in sorted(dossier.projects.values(), key=lambda p: p.id):
        matcher = matchers.of(project.id)
        for card in project.cards:
            used = partial(_anchors_used, matcher, card)
            anchors = recall(kept.terms if kept else None, card.path, (card, project.id), used)
            use = TermUse(card_uri(prefix, card), card.level.number)  # one for all the terms it uses
            for anchor in anchors:
                usage.setdefault(by_anchor[anchor], {}).setdefault(project.id, []).append(use)
    return {entry: tuple((p, tuple(cards)) for p, cards in usage[entry].items())
            for entry in glossary.entries if entry in usage}  # in the glossary's order, build after build


def _anchors_used(matcher: TermMatcher, card: Card) -> frozenset[str]:
    """The anchors of the entries whose names the card's text uses (anchors: they name the same
    entry in the next build's glossary, whose entries are new objects)."""
    return frozenset(entry.anchor for entry in matcher.uses(_card_text(card)))


def _card_text(card: Card) -> str:
    parts = [card.title, card.body.markdown]
    parts += [r.text for r in card.requirements]
    if card.transition is not None and card.transition.reason:
        parts.append(card.transition.reason)
    return "\n".join(parts)


def evidence_files(dossier: Dossier, prefix: str = "dossier") -> dict[Path, str]:
    """Evidence, checklists and linked files of every card that the site copies as they are:
    existing files inside the card's own project folder, outside hidden folders (hosts and
    MkDocs skip those), with a suffix in EVIDENCE_SUFFIXES. Anything else stays a file name
    in the text (a dossier must not publish a repo)."""
    published: dict[Path, str] = {}
    for project in dossier.projects.values():
        folder = real_path(project.folder)
        for card in project.cards:
            for ref in card.references():
                target = ref.resolved
                if (ref.is_url or target is None or target in published
                        or target.suffix.lower() not in EVIDENCE_SUFFIXES):
                    continue
                real = real_path(target)
                if folder is None or real is None or folder not in real.parents or not real.is_file():
                    continue
                relative = real.relative_to(folder)
                if not is_hidden(relative):
                    published[target] = f"{prefix}/{project.id}/files/{relative.as_posix()}"
    return published


@dataclass(frozen=True, slots=True)
class LevelEntry:
    """A project's place on a level: the card that puts it there, and which of its lines that is."""

    project: Project
    card: Card
    line: Line | None = None
    """PRODUCTION for the version in production (at level 9, even when it is the newest card);
    DEVELOPMENT for the next version climbing while one runs; None for a project with one
    line below level 9, or whose newest card is a level-9 card that left production."""
    tenure: Tenure | None = None
    """For a level-9 card: its time in production (running for a PRODUCTION entry, ended otherwise)."""

    @property
    def current(self) -> bool:
        """True for the project's newest card: the one its declared level and gates are about."""
        return self.card is self.project.current


def _by_level(projects: list[Project], lines: dict[str, ProductionLines]) -> dict[int, list[LevelEntry]]:
    """Each level's projects: a project with a version in production is at level 9 with it,
    and at its development line's level too (MLTRL's level 9 runs both lines)."""
    by_level: dict[int, list[LevelEntry]] = {n: [] for n in range(10)}
    for project in projects:
        project_lines = lines[project.id]
        production, development = project_lines.production, project_lines.development
        if production is not None:
            by_level[production.card.level.number].append(
                LevelEntry(project, production.card, Line.PRODUCTION, production))
        if development is not None:
            by_level[development.level.number].append(
                LevelEntry(project, development, Line.DEVELOPMENT if production is not None else None))
        elif production is None and project.current is not None:
            by_level[project.current.level.number].append(
                LevelEntry(project, project.current, None, project_lines.tenure_of(project.current)))
    return by_level


def open_findings(dossier: CheckedDossier, grouped: dict[str, list[Finding]] | None = None) -> dict[str, int]:
    """Errors and warnings per project, counted by the project folder the file is in."""
    grouped = findings_by_project(dossier) if grouped is None else grouped
    return {project_id: sum(f.severity is not Severity.INFO for f in found) for project_id, found in grouped.items()}
