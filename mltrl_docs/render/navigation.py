"""The site navigation's "Dossier" section: bounded whatever the size of the portfolio.

Every page carries the navigation, so a section listing every project makes the site
quadratic (a project page of a 1,500-project portfolio carried 450 KB of navigation). The
section lists the portfolio and the organisation's pages, then the projects grouped by the
phase of their current level; a phase with more than ``NAV_GROUP`` projects is split into
sections by id range ("R01.1 – R09.3"), nested as deep as needed, so that a page's pruned
navigation (Material's ``navigation.prune`` renders only the open sections) holds at most
about ``NAV_GROUP`` entries per level of nesting. The portfolio, first in the section,
remains the full index: any project is two clicks from any page. So does 'Teams and owners'
(an organisation's page) for the team and owner pages, which are never in the navigation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mltrl_docs.dossier import CheckedDossier
from mltrl_docs.levels import Phase
from mltrl_docs.messages import Messages
from mltrl_docs.render.pages import SitePage

NAV_GROUP = 30
"""Most entries a navigation section lists before it is split by id range."""


@dataclass(frozen=True, slots=True)
class NavSection:
    """A section of the navigation: a title and its entries (page URIs or sections)."""

    title: str
    children: tuple[NavSection | str, ...]


def navigation(pages: Sequence[SitePage], dossier: CheckedDossier, messages: Messages) -> tuple[NavSection | str, ...]:
    """The entries of the "Dossier" section: the pages in the navigation that belong to no
    project (the portfolio first), then one section per phase (in MLTRL's order, then projects
    with no valid card), each listing its projects' pages by id."""
    entries: list[NavSection | str] = [page.uri for page in pages if page.in_nav and page.project is None]
    by_phase: dict[Phase | None, list[tuple[str, str]]] = {}
    for page in pages:
        if page.in_nav and page.project is not None:
            current = dossier.projects[page.project].current
            by_phase.setdefault(current.level.phase if current else None, []).append((page.project, page.uri))
    for phase in [*Phase, None]:
        listed = sorted(by_phase.get(phase, ()))
        if not listed:
            continue
        title = (messages.text("nav.group.phase", phase=messages.text(f"phase.{phase.value}.label"), count=len(listed))
                 if phase is not None else messages.text("nav.group.none", count=len(listed)))
        entries.append(NavSection(title, _grouped(listed, messages)))
    return tuple(entries)


def _grouped(listed: list[tuple[str, str]], messages: Messages) -> tuple[NavSection | str, ...]:
    """``listed`` ((project id, uri), by id) as at most ``NAV_GROUP`` entries: the pages
    themselves, or sections of consecutive ids, each split again as needed."""
    if len(listed) <= NAV_GROUP:
        return tuple(uri for _, uri in listed)
    size = NAV_GROUP
    while -(-len(listed) // size) > NAV_GROUP:
        size *= NAV_GROUP
    parts = [listed[start:start + size] for start in range(0, len(listed), size)]
    return tuple(NavSection(messages.text("nav.group.range", first=part[0][0], last=part[-1][0]),
                            _grouped(part, messages)) for part in parts)
