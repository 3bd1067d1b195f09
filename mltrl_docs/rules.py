"""Rules that hold across cards (card-format.md), checked on the assembled Dossier.

Each rule is a small function yielding located findings; ``check`` runs them
all. Gate rules (what a card must show to *earn* its level) live elsewhere:
these are about the dossier being consistent at all.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path, PurePosixPath

from mltrl_docs.findings import Finding, Severity, cut, error
from mltrl_docs.images import host, images, is_external
from mltrl_docs.model import Card, Dossier, InvalidCard, ProductionChange, Project, Reference, TransitionKind
from mltrl_docs.paths import relative
from mltrl_docs.production import DEPLOYMENT, production_lines
from mltrl_docs.references import SAFE_SCHEMES, is_hidden, scheme_of
from mltrl_docs.roles import known_roles
from mltrl_docs.schema import field_name


def check(dossier: Dossier, image_hosts: Collection[str] = (), roles: Mapping[str, str] | None = None,
          today: dt.date | None = None) -> list[Finding]:
    """Every cross-card finding of the dossier; ``image_hosts`` may serve images to its pages;
    ``roles`` are the reviewer roles a card may name (default: the built-in ones); ``today`` is
    the build date, after which no card may be dated (None: that rule is not checked)."""
    known = roles if roles is not None else known_roles()
    findings: list[Finding] = list(project_ids(dossier))
    for project in dossier.projects.values():
        findings += dates(project)
        if today is not None:
            findings += future_cards(project, today)
        findings += transitions(project)
        findings += production_changes(project)
        for card in project.cards:
            findings += placeholders(card, project.id)
            findings += requirement_ids(card)
            findings += coupled(card, dossier)
            findings += reviewer_roles(card, known)
            findings += references(card, project.source)
            findings += external_images(card.body.markdown, card.body.line, card.path, image_hosts, project.id)
        for invalid in project.invalid_cards:  # what its errors do not touch is checked all the same
            findings += coupled(invalid, dossier)
            findings += references(invalid, project.source)
        for attachment in project.attachments:
            findings += external_images(attachment.body, attachment.body_line, attachment.path, image_hosts,
                                        project.id)
    return findings


def external_images(markdown: str, first_line: int, path: Path, hosts: Collection[str],
                    project: str) -> Iterator[Finding]:
    """An image from outside the site would be fetched by every reader's browser (and the site
    promises to load nothing from outside itself): reported, and shown as its alt text."""
    for image in images(markdown, first_line):
        if is_external(image.src, hosts):
            shown = cut(image.src, 81)
            scheme = scheme_of(image.src)
            if scheme in ("http", "https", ""):
                where = host(image.src)
                what = "is loaded from outside the site" + (f" ({where})" if where else "")
            else:
                what = f"uses the URL scheme '{scheme}:'"
            yield Finding(
                Severity.WARNING, "image", f"image '{shown}' {what}; the site shows its alt text instead",
                path, image.position, project=project,
                hint="copy the image next to the card and link it by a relative path, or list its host "
                     "under 'image_hosts' in the settings",
            )


PLACEHOLDER = "TODO"
"""What a field's text starts with while it is still to be written: ``mltrl-docs new`` writes
``TODO: ...`` rather than invent text, and ``placeholders`` reports it until it is replaced."""


def placeholders(card: Card, project: str) -> Iterator[Finding]:
    """A transition reason, requirement text or waiver reason that is still a placeholder (it
    starts with TODO): a warning, so that a draft may be committed but not pass unnoticed."""
    fields: list[tuple[str | None, tuple[str | int, ...]]] = []
    if card.transition is not None:
        fields.append((card.transition.reason, ("transition", "reason")))
    for index, requirement in enumerate(card.requirements):
        fields += [(requirement.text, ("requirements", index, "text")),
                   (requirement.reason, ("requirements", index, "reason"))]
    for text, path in fields:
        if text is not None and text.lstrip().upper().startswith(PLACEHOLDER):
            yield Finding(
                Severity.WARNING, "placeholder", f"{field_name(path)} is a placeholder: '{cut(text.strip(), 61)}'",
                card.path, card.where(*path), field=field_name(path), project=project,
                hint="write what it stands for before the card is reviewed",
            )


def _card_name(card: Card) -> str:
    return f"{card.path.name} (level {card.level.number}, {card.date.isoformat()})"


def project_ids(dossier: Dossier) -> Iterator[Finding]:
    """Ids that differ only in case name one folder on a case-insensitive disk (the hosts of
    many portals): the later project's pages would overwrite the earlier's."""
    first: dict[str, Project] = {}
    for project in sorted(dossier.projects.values(), key=lambda p: p.id):
        other = first.setdefault(project.id.casefold(), project)
        if other is project:
            continue
        for card in project.cards:
            yield error(
                "project-id", f"project id '{project.id}' differs from '{other.id}' only in case",
                card.path, card.where("project"), field="project", project=project.id,
                hint="ids name folders of the site, and some disks ignore case: give this project another id",
            )


EARLIEST, LATEST = dt.date(1950, 1, 1), dt.date(2100, 12, 31)
"""Dates outside these are typos ('0224-05-01', '2224-05-01'); the schema accepts any ISO date."""


def dates(project: Project) -> Iterator[Finding]:
    """Card and review dates are plausible and in order, and two cards of one project never
    share a date (the date tells them apart)."""
    first_by_date: dict[object, Card] = {}
    for card in project.cards:
        yield from _plausible(card, card.date, ("date",))
        for index, review in enumerate(card.reviewers):
            for name, date in (("requested", review.requested), ("date", review.date)):
                if date is not None:
                    yield from _plausible(card, date, ("reviewers", index, name))
            yield from _review_dates(card, index)
        other = first_by_date.setdefault(card.date, card)
        if other is not card:
            yield error(
                "date", f"two cards of project {project.id} share the date {card.date.isoformat()}",
                card.path, card.where("date"), field="date", project=project.id,
                hint=f"a project's cards are told apart by date; correct this one or {other.path.name}",
                related=(f"{relative(other.path, project.source)}:{other.where('date').line}",),
            )


def future_cards(project: Project, today: dt.date) -> Iterator[Finding]:
    """A card is written once the project has entered its level, so its date is no later
    than the build date (``build_date`` in the settings, else the day of the build): a later
    one is a typo, or a card written ahead of a review, and every "so far" on the site would
    count from a day still to come. Dates outside EARLIEST..LATEST are reported by ``dates``."""
    for card in project.cards:
        if today < card.date and EARLIEST <= card.date <= LATEST:
            yield Finding(
                Severity.WARNING, "future-date", f"card is dated {card.date.isoformat()}, after the build date "
                f"{today.isoformat()}", card.path, card.where("date"), field="date", project=project.id,
                hint="write the day the project entered the level (YYYY-MM-DD); if the site is built as of an "
                     "earlier day on purpose, move build_date in mltrl-docs.yml",
            )


def _plausible(card: Card, date: dt.date, path: tuple[str | int, ...]) -> Iterator[Finding]:
    if not EARLIEST <= date <= LATEST:
        yield error("date", f"date {date.isoformat()} is outside {EARLIEST.year}..{LATEST.year}",
                    card.path, card.where(*path), field=field_name(path), project=card.project_id,
                    hint="check the year; write the date as YYYY-MM-DD")


def _review_dates(card: Card, index: int) -> Iterator[Finding]:
    """A review is decided after it was requested (an error: one of the dates is wrong), and
    requested after the card's date, the day the project entered the level the review judges
    (a warning: the request may have been prepared early, but more likely a date is wrong)."""
    review = card.reviewers[index]
    at = f"reviewers[{index}]"
    if review.requested is not None and review.date is not None and review.date < review.requested:
        yield error(
            "date", f"reviewer {review.name} decided on {review.date.isoformat()}, before the review was "
            f"requested on {review.requested.isoformat()}", card.path, card.where("reviewers", index, "date"),
            field=f"{at}.date", project=card.project_id,
            hint=f"a decision comes after its request: correct {at}.date or {at}.requested (YYYY-MM-DD)",
        )
    if review.requested is not None and review.requested < card.date:
        yield Finding(
            Severity.WARNING, "date", f"reviewer {review.name}'s review was requested on "
            f"{review.requested.isoformat()}, before the card's date {card.date.isoformat()} (the day the project "
            f"entered level {card.level.number})", card.path, card.where("reviewers", index, "requested"),
            field=f"{at}.requested", project=card.project_id,
            hint=f"the review of a level is requested once the project is at it: correct {at}.requested "
                 "or the card's date",
        )


def production_changes(project: Project) -> Iterator[Finding]:
    """A card below level 9 that records ``production: {change: retired|replaced}`` ends the
    version then in production (production.py); with none in production it ends nothing, and
    says something that did not happen. A level-9 card's own change is about its own version
    (production.py), so it always has one to end."""
    lines = production_lines(project.cards)
    for card in project.cards:
        change = card.production
        if change is None or card.level.number == DEPLOYMENT or lines.ended_at(card) is not None:
            continue
        verb = "retire" if change.change is ProductionChange.RETIRED else "replace"
        earlier = [t for t in lines.tenures if t.since < card.date]
        last = earlier[-1] if earlier else None
        if last is None:
            why = f"the project has no level-{DEPLOYMENT} card before this one"
            hint = (f"remove production: (it records the end of a version a level-{DEPLOYMENT} card put in "
                    f"production), or add the project's level-{DEPLOYMENT} card")
        elif (ended_by := last.ended_by) is None:  # pragma: no cover - a version running then ends at this card
            continue
        else:
            how = "as that card records" if ended_by is last.card else f"as {ended_by.path.name} records"
            why = f"the version of {last.card.path.name} already left production ({last.ending.value}, {how})"
            hint = "remove production: from this card; the change is recorded where it happened"
        yield Finding(
            Severity.WARNING, "production", f"there is no version in production to {verb}: {why}",
            card.path, card.where("production", "change"), field="production.change", project=project.id,
            hint=hint,
        )


def transitions(project: Project) -> Iterator[Finding]:
    """transition.from matches the previous card; advance is +1, a switchback goes down."""
    previous: Card | None = None
    for card in project.cards:
        yield from _transition(project, previous, card)
        previous = card


def _transition(project: Project, previous: Card | None, card: Card) -> Iterator[Finding]:
    t = card.transition
    number = card.level.number
    if t is not None and t.kind is TransitionKind.ADVANCE and t.switchback is not None:
        yield Finding(
            Severity.WARNING, "transition", f"switchback: {t.switchback.value} is ignored on an advance",
            card.path, card.where("transition", "switchback"), field="transition.switchback", project=project.id,
            hint="remove 'switchback', or use kind: switchback if the project went down a level",
        )
    if previous is None:
        if t is not None and t.from_level is not None:
            yield error(
                "transition", f"the project's first card says it came from level {t.from_level}, "
                "but there is no earlier card", card.path, card.where("transition", "from"),
                field="transition.from", project=project.id,
                hint=f"remove 'from' (a project may enter MLTRL at any level) or add its level-{t.from_level} card",
            )
        return
    before = previous.level.number
    if t is None or t.from_level is None:
        yield error(
            "transition", f"card follows {_card_name(previous)} but has no transition.from",
            card.path, card.where("transition") if t else card.where("level"), field="transition", project=project.id,
            hint=f"add transition: {{from: {before}, kind: {'advance' if number > before else 'switchback'}}}",
        )
        return
    if t.from_level != before:
        yield error(
            "transition", f"transition.from is {t.from_level}, but the previous card "
            f"{_card_name(previous)} is at level {before}", card.path, card.where("transition", "from"),
            field="transition.from", project=project.id, hint=f"set from: {before}, or check the cards' dates",
        )
    if number == before:
        yield error(
            "transition", f"card stays at level {number}: a new card is written only when the level changes",
            card.path, card.where("level"), field="level", project=project.id,
            hint="update the existing card of this level instead of adding another",
        )
    elif t.kind is TransitionKind.ADVANCE and number != before + 1:
        direction = "skips a level" if number > before else "goes down"
        yield error(
            "transition", f"an advance goes up exactly one level, but {before} -> {number} {direction}",
            card.path, card.where("transition", "kind"), field="transition.kind", project=project.id,
            hint="use kind: switchback for a move down" if number < before
            else f"add the level-{before + 1} card, or correct the level",
        )
    elif t.kind is TransitionKind.SWITCHBACK and number > before:
        yield error(
            "transition", f"a switchback goes down, but {before} -> {number} goes up",
            card.path, card.where("transition", "kind"), field="transition.kind", project=project.id,
            hint="use kind: advance (and remove 'switchback')",
        )


def requirement_ids(card: Card) -> Iterator[Finding]:
    """Requirement ids are unique within a card (the matrix follows them across cards)."""
    first: dict[str, int] = {}
    for requirement in card.requirements:
        index = first.setdefault(requirement.id, requirement.index)
        if index != requirement.index:
            line = card.where("requirements", index, "id").line
            yield error(
                "requirement-id", f"requirement id '{requirement.id}' is used twice in this card "
                f"(first on line {line})", card.path, card.where("requirements", requirement.index, "id"),
                field=f"requirements[{requirement.index}].id", project=card.project_id,
                hint="give each requirement its own id; sub-requirements use dotted ids such as 2.1",
            )


def coupled(card: Card | InvalidCard, dossier: Dossier) -> Iterator[Finding]:
    """``coupled`` names existing projects (and not the project itself); on an invalid card,
    the entries its errors do not touch."""
    entries = card.coupled if isinstance(card, InvalidCard) else enumerate(card.coupled)
    for index, other in entries:
        position = card.where("coupled", index)
        field = f"coupled[{index}]"
        if other == card.project_id:
            yield error("coupled", "a project cannot be coupled with itself", card.path, position,
                        field=field, project=card.project_id, hint="remove its own id from 'coupled'")
        elif other not in dossier.projects:
            guess = difflib.get_close_matches(other, list(dossier.projects), n=1)
            hint = f"did you mean '{guess[0]}'?" if guess else "list ids of projects in the dossier sources"
            yield error("coupled", f"coupled project '{other}' does not exist", card.path, position,
                        field=field, project=card.project_id, hint=hint)


def reviewer_roles(card: Card, roles: Mapping[str, str]) -> Iterator[Finding]:
    """A reviewer's ``role`` is a built-in or site-defined role: a misspelt role would
    silently miss the review-roles gate."""
    for index, reviewer in enumerate(card.reviewers):
        if reviewer.role is None or reviewer.role in roles:
            continue
        lowered = reviewer.role.strip().lower().replace(" ", "-")
        guess = lowered if lowered in roles else next(iter(difflib.get_close_matches(lowered, list(roles), n=1)), None)
        hint = (f"did you mean '{guess}'? " if guess else "") + f"roles: {', '.join(roles)}" + \
            " (a site adds its own under roles: in mltrl-docs.yml)"
        yield error("reviewer-role", f"reviewer {reviewer.name} has role '{reviewer.role}', which is not a known role",
                    card.path, card.where("reviewers", index, "role"), field=f"reviewers[{index}].role",
                    project=card.project_id, hint=hint)


def references(card: Card | InvalidCard, base: Path | None = None) -> Iterator[Finding]:
    """Every file and URL a card cites (``Card.cited``): safe URLs, or relative paths that exist.
    Messages name files relative to ``base`` (``check`` passes the card's dossier source;
    default: the card's folder): findings are published, so they must not depend on where
    the check ran, nor show the build machine's folders."""
    base = card.path.parent if base is None else base
    for cited in card.cited():
        yield from _reference(card, cited.reference, cited.path, field_name(cited.path), cited.what, base)


def _reference(card: Card | InvalidCard, ref: Reference, path: tuple[str | int, ...], field: str,
               what: str, base: Path) -> Iterator[Finding]:
    at = {"field": field, "project": card.project_id}
    position = card.where(*path)
    if ref.is_url:
        if ref.safe:
            return
        scheme = scheme_of(ref.target)
        if scheme == "":
            message = f"{what} '{ref.target}' has no scheme"
            hint = "write the full URL, starting with https://"
        elif scheme in SAFE_SCHEMES:
            message = f"{what} '{ref.target}' is not a valid URL (no host, or a malformed host or port)"
            hint = "write the full URL, e.g. https://host.example/path"
        else:
            message = f"{what} uses the URL scheme '{scheme}:', which is not allowed"
            hint = f"use {', '.join(sorted(SAFE_SCHEMES))} URLs or a path relative to this card"
        yield error("url", message, card.path, position, **at, hint=hint)
        return
    if ref.resolved is None:
        yield error("path", f"{what} '{ref.target}' is an absolute path", card.path, position, **at,
                    hint="write the path relative to this card, e.g. ../docs/guide.md")
    elif not ref.resolved.exists():
        yield error("path", f"{what} '{ref.target}' does not exist (looked for {relative(ref.resolved, base)})",
                    card.path, position, **at, hint="fix the path (it is relative to this card) or add the file")

    elif is_hidden(PurePosixPath(ref.target.split("#", 1)[0])):
        yield Finding(Severity.WARNING, "path", f"{what} '{ref.target}' is in a hidden folder or file, "
                      "which the site does not publish", card.path, position, **at,  # type: ignore[arg-type]
                      hint="move the file out of the folder whose name starts with '.'")
