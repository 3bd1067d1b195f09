"""Write a project's next level card from the shipped ``templates/card.md``.

The new card carries over what stays true (owners, versions, links, coupled
projects, ethics status, requirements with their ids and statuses) and gets a
transition that matches the current card. It invents nothing: what only its authors
can write (why the project moves) is a ``TODO:`` placeholder, which ``check`` reports
(rule ``placeholder``, a warning) until it is written. The card is a draft with no
reviewers, so it has no errors but is not finished.

A project advances only past an approved card whose exit gates pass (``exit_problems``);
``--force`` writes the card anyway and records why in it, as YAML comments above its
``transition`` (``FORCED``), so the review sees it.
On request, the ethics checklist template (``templates/ethics-checklist.md``)
is written next to it, and the card links it when it links no checklist yet.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from mltrl_docs.frontmatter import yaml_scalar
from mltrl_docs.gates.catalogue import BY_NAME
from mltrl_docs.gates.engine import ProjectGates
from mltrl_docs.gates.rule import Scope
from mltrl_docs.levels import level
from mltrl_docs.model import Card, Project, SwitchbackKind
from mltrl_docs.resources import resource_dir
from mltrl_docs.rules import PLACEHOLDER

SECTIONS = (
    "Model / algorithm info",
    "Intended use",
    "Testing status",
    "Data considerations",
    "Caveats, known edge cases, recommendations",
)
"""The body headings of card-format.md, in its order (the debrief is written by the template)."""


CHECKLIST_FILE = "ethics.md"
"""Where ``new --ethics-checklist`` writes the checklist: the name the card format uses."""
CHECKLIST_TEMPLATE = "ethics-checklist.md"


REASON_PLACEHOLDER = f"{PLACEHOLDER}: why the project moves"
"""The transition reason ``new`` writes when none is given (``check`` reports it)."""
FORCED = "# forced by mltrl-docs new --force:"
"""How a forced card records why it should not have been written (one comment line each)."""

_PROJECT_LINE = re.compile(r"^project:[ \t]*+([\"']?)([^\"'#\s]++)\1", re.MULTILINE)
_LEVEL_LINE = re.compile(r"^level:", re.MULTILINE)


class ScaffoldError(ValueError):
    """The requested card cannot follow the project's history; the message says why."""


@dataclass(frozen=True, slots=True)
class NewFile:
    """A file ``new`` writes: its name in the project folder and its text."""

    file_name: str
    text: str


NewCard = NewFile


@cache
def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(resource_dir("templates")), undefined=StrictUndefined,
                      keep_trailing_newline=True, autoescape=False)
    env.filters["yaml_str"] = yaml_scalar
    return env


def next_card(current: Card, *, to_level: int | None, date: dt.date,
              switchback: SwitchbackKind | None, reason: str | None, checklist: str | None = None,
              forced: Sequence[str] = ()) -> NewCard:
    """The card after ``current``: one level up by default, or a switchback down. It keeps the
    current card's ethics checklist link, or links ``checklist`` when the current card has none.
    ``forced`` are the reasons it should not have been written, recorded in it."""
    here = current.level.number
    target = here + 1 if to_level is None else to_level
    if to_level is None and here == 9:
        raise ScaffoldError("the project is at level 9; give --level to switch back")
    if not 0 <= target <= 9:
        raise ScaffoldError(f"level {target} does not exist (levels are 0 to 9)")
    if target == here:
        raise ScaffoldError(f"the project is already at level {here}; update its current card instead")
    if target > here + 1:
        raise ScaffoldError(f"a project advances one level at a time: from {here} the next is {here + 1}")
    if date <= current.date:
        raise ScaffoldError(f"the date must be after the current card's ({current.date.isoformat()})")
    transition: dict[str, object] = {"from": here, "kind": "advance", "switchback": None, "reason": reason}
    if target < here:
        if switchback is None or not reason:
            raise ScaffoldError("a switchback needs --switchback (discovery, review or embedded) and --reason")
        transition.update(kind="switchback", switchback=switchback.value)
    if not reason:
        transition["reason"] = REASON_PLACEHOLDER
    kept = current.ethics.checklist.target if current.ethics.checklist is not None else checklist
    card = _render(current.project_id, current.title, target, date, list(current.owners), current.team,
                   transition, current, kept)
    if not forced:
        return card
    lines = [f"{FORCED} {' '.join(reason.split())}" for reason in forced]
    text = card.text.replace("\ntransition:\n", "\n" + "\n".join(lines) + "\ntransition:\n", 1)
    return NewCard(card.file_name, text)


def exit_problems(project: Project, gates: ProjectGates | None, approved: bool) -> list[str]:
    """Why ``project`` may not advance past its current card: the card is not approved (or its
    approval does not hold: ``approved``), it does not earn its declared level, or the gates of
    leaving its level (exit rules, its review, its debrief) fall short. What the next level asks
    of its own card (its sections, requirements) is left to the new card."""
    current = project.current
    if current is None:
        return []
    here = current.level.number
    problems = []
    if current.status.value != "approved":
        problems.append(f"{current.path.name} is not approved (status: {current.status.value})")
    elif not approved:
        problems.append(f"the approval of {current.path.name} does not hold (see 'mltrl-docs check')")
    if gates is None:
        return problems
    if gates.unearned:
        problems.append(f"{current.path.name} earns level {gates.earned}, below its declared level {here} "
                        "(see 'mltrl-docs check')")
    problems += [f"to leave level {here}: {item.text}" for item in gates.gap
                 if item.rule == "debrief" or (item.rule in BY_NAME and BY_NAME[item.rule].scope is Scope.EXIT)]
    return problems


def project_ids(sources: Sequence[Path]) -> dict[str, Path]:
    """Every project id the sources' cards name, with the folder that names it first: a cheap
    scan of each card's ``project:`` line (no card is loaded), for ``new`` to keep ids unique."""
    found: dict[str, Path] = {}
    for source in sources:
        try:
            folders = sorted(e.path for e in os.scandir(source) if e.is_dir() and not e.name.startswith("."))
        except OSError:
            continue
        for folder in folders:
            for path in sorted(Path(folder).rglob("*.md")):
                project = _card_project(path)
                if project is not None:
                    found.setdefault(project, Path(folder))
                    break
    return found


def _card_project(path: Path) -> str | None:
    try:
        with path.open("rb") as handle:
            head = handle.read(4000).decode("utf-8", errors="replace").lstrip("\ufeff")
    except OSError:
        return None
    if not head.startswith("---"):
        return None
    end = head.find("\n---", 3)
    frontmatter = head[: end if end > 0 else len(head)]
    match = _PROJECT_LINE.search(frontmatter)
    return match.group(2) if match and _LEVEL_LINE.search(frontmatter) else None


def first_card(*, project: str, title: str, owners: list[str], team: str | None, to_level: int | None,
               date: dt.date, checklist: str | None = None) -> NewCard:
    """The first card of a new project (MLTRL lets a project enter at any level); ``checklist``
    is its ethics checklist link."""
    target = 0 if to_level is None else to_level
    if not 0 <= target <= 9:
        raise ScaffoldError(f"level {target} does not exist (levels are 0 to 9)")
    return _render(project, title, target, date, owners, team, None, None, checklist)


def _render(project: str, title: str, number: int, date: dt.date, owners: list[str], team: str | None,
            transition: dict[str, object] | None, card: Card | None, checklist: str | None) -> NewCard:
    text = _environment().get_template("card.md").render(
        project=project, title=title, level=level(number), date=date, owners=owners, team=team,
        transition=transition, card=card, checklist=checklist, sections=SECTIONS,
    )
    return NewCard(f"L{number}-{date.isoformat()}.md", text)


def ethics_checklist() -> NewFile:
    """The shipped checklist template as it is: its frontmatter marker, questions and
    placeholders are what the dossier counts answers by (``checklist.read_checklist``)."""
    text = (resource_dir("templates") / CHECKLIST_TEMPLATE).read_text(encoding="utf-8")
    return NewFile(CHECKLIST_FILE, text)


def write_new(folder: Path, card: NewFile, checklist: NewFile | None = None) -> list[Path]:
    """Write the card (and the checklist) into ``folder``, never over an existing file: when
    either exists, nothing is written. Returns the paths written, the card's first."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ScaffoldError(f"cannot create {folder}: {exc.strerror or exc}") from None
    written: list[Path] = []
    try:
        if checklist is not None:
            written.append(_create(folder / checklist.file_name, checklist.text,
                                   "link it from the card's ethics.checklist instead, or leave out --ethics-checklist"))
        written.insert(0, _create(folder / card.file_name, card.text, "pick another --date"))
    except ScaffoldError:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return written


def _create(path: Path, text: str, advice: str) -> Path:
    """Create ``path`` (never replace it); a half-written file is removed."""
    try:
        handle = path.open("x", encoding="utf-8")
    except FileExistsError:
        raise ScaffoldError(f"{path} exists already; {advice}") from None
    except OSError as exc:
        raise ScaffoldError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with handle:
            handle.write(text)
    except OSError as exc:
        path.unlink(missing_ok=True)
        raise ScaffoldError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path
