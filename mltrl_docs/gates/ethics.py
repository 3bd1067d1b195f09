"""The ethics-answers rule (scope CARD): a card's ethics status agrees with its checklist page.

MLTRL's ethics checklist is answered per project: the pre-development questions at
intake, the post-development questions once development is done. When a card's
``ethics.checklist`` names an attachment page that follows the shipped template
(``checklist.py`` counts its answers), a part the card calls ``complete`` has every
question of that part answered. ``not-started`` or ``in-progress`` while answers exist
is fine: the answers may be drafts the review has not signed off.
"""

from __future__ import annotations

from collections.abc import Iterator

from mltrl_docs.checklist import Part, checklist_page, read_checklist
from mltrl_docs.gates.locate import where
from mltrl_docs.gates.rule import Context, Shortfall
from mltrl_docs.model import EthicsStatus

PARTS = (("pre_development", Part.PRE_DEVELOPMENT), ("post_development", Part.POST_DEVELOPMENT))
"""The card's ethics fields and the checklist part each one stands for."""


def ethics_answers(ctx: Context) -> Iterator[Shortfall]:
    """A checklist part the card calls complete has every question of that part answered."""
    card = ctx.card
    page = checklist_page(card, ctx.project)
    checklist = read_checklist(page) if page is not None else None
    if page is None or checklist is None:
        return
    name = page.path.name
    for field, part in PARTS:
        if getattr(card.ethics, field) is not EthicsStatus.COMPLETE:
            continue
        count = checklist.count(part)
        if count.total and count.answered == count.total:
            continue
        words = part.value
        if count.total:
            said = f"the checklist answers {count.answered} of {count.total} {words} questions"
            open_ = count.total - count.answered
            todo = (f"Answer the {open_} open {words} question{'s' if open_ > 1 else ''} of {name} "
                    f"({count.answered} of {count.total} answered)")
        else:
            said = f"the checklist {name} has no {words} questions"
            todo = f"Add the {words} questions to {name}"
        yield ctx.shortfall(
            card, f"ethics.{field} is complete, but {said}", where(card, "ethics", field), f"ethics.{field}",
            f"answer every {words} question in {name} (an answer that still reads 'Not answered yet.' or "
            f"starts with 'Open:' is none), or set {field}: in-progress",
            todo,
        )
