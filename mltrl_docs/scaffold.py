"""Write a project's next level card from the shipped ``templates/card.md``.

The new card carries over what stays true (owners, versions, links, coupled
projects, ethics status, requirements with their ids and statuses) and gets a
transition that matches the current card, so it passes ``check`` as written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from mltrl_docs.frontmatter import yaml_scalar
from mltrl_docs.levels import level
from mltrl_docs.model import Card, SwitchbackKind
from mltrl_docs.resources import resource_dir

SECTIONS = (
    "Model / algorithm info",
    "Intended use",
    "Testing status",
    "Data considerations",
    "Caveats, known edge cases, recommendations",
)
"""The body headings of card-format.md, in its order (the debrief is written by the template)."""


class ScaffoldError(ValueError):
    """The requested card cannot follow the project's history; the message says why."""


@dataclass(frozen=True, slots=True)
class NewCard:
    file_name: str
    text: str


@cache
def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(resource_dir("templates")), undefined=StrictUndefined,
                      keep_trailing_newline=True, autoescape=False)
    env.filters["yaml_str"] = yaml_scalar
    return env


def next_card(current: Card, *, to_level: int | None, date: dt.date,
              switchback: SwitchbackKind | None, reason: str | None) -> NewCard:
    """The card after ``current``: one level up by default, or a switchback down."""
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
        transition["reason"] = f"Level {here} gated review passed."
    return _render(current.project_id, current.title, target, date, list(current.owners), current.team,
                   transition, current)


def first_card(*, project: str, title: str, owners: list[str], team: str | None, to_level: int | None,
               date: dt.date) -> NewCard:
    """The first card of a new project (MLTRL lets a project enter at any level)."""
    target = 0 if to_level is None else to_level
    if not 0 <= target <= 9:
        raise ScaffoldError(f"level {target} does not exist (levels are 0 to 9)")
    return _render(project, title, target, date, owners, team, None, None)


def _render(project: str, title: str, number: int, date: dt.date, owners: list[str], team: str | None,
            transition: dict[str, object] | None, card: Card | None) -> NewCard:
    text = _environment().get_template("card.md").render(
        project=project, title=title, level=level(number), date=date, owners=owners, team=team,
        transition=transition, card=card, sections=SECTIONS,
    )
    return NewCard(f"L{number}-{date.isoformat()}.md", text)


def write_new(folder: Path, card: NewCard) -> Path:
    """Write the card into ``folder``, never over an existing file."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / card.file_name
    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(card.text)
    except FileExistsError:
        raise ScaffoldError(f"{path} exists already; pick another --date") from None
    return path
