"""The site's tables as files for spreadsheets and scripts, beside the pages that show them: each
project's requirement matrix and the portfolio as CSV, and each project's README badge
(``render.badge``).

CSV here is RFC 4180: UTF-8, a header row, CRLF line ends, a cell quoted when it holds a comma, a quote
or a line break; rows in the order the page shows them. Cells hold the data's own values (ids, status
values, ISO dates, numbers), the same whatever the site's language, so a script reads every site's
files alike. Card text comes from many teams, and a spreadsheet runs a cell that starts with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return as a formula: such a cell starts with an apostrophe
instead (``spreadsheet_cell``), which the spreadsheet shows as text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from jinja2 import Environment

from mltrl_docs.render.badge import badge_svg
from mltrl_docs.render.contexts import DossierContext, PageContext, PortfolioContext, PortfolioRow
from mltrl_docs.render.matrix import Cell, RequirementMatrix

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet reads as the start of a formula (OWASP, CSV injection)."""


def spreadsheet_cell(value: object) -> str:
    """``value`` as a CSV cell a spreadsheet shows as text: one that would start a formula gets an
    apostrophe in front; None is empty."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A header row and ``rows`` as RFC 4180 CSV text, every cell through ``spreadsheet_cell``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([spreadsheet_cell(name) for name in header])
    writer.writerows([spreadsheet_cell(value) for value in row] for row in rows)
    return out.getvalue()


def _join(*parts: str) -> str:
    return "/".join(part for part in parts if part)


def portfolio_csv_uri(prefix: str) -> str:
    """Beside the portfolio page (``<prefix>/index.md``)."""
    return _join(prefix, "portfolio.csv")


def matrix_csv_uri(prefix: str, project_id: str) -> str:
    """Beside the project's dossier page (``<prefix>/<id>/index.md``); no card stem (``L4-...``), page
    folder (``pages``, ``files``) or packet takes this name."""
    return _join(prefix, project_id, "requirements.csv")


def badge_uri(prefix: str, project_id: str) -> str:
    return _join(prefix, project_id, "badge.svg")


MATRIX_COLUMNS = ("id", "kind", "requirement", "verification", "risk_likelihood", "risk_impact", "risk_score")
"""The matrix's first columns; one column per card follows, the current card first (as on the page),
headed ``L<level> <date>``."""


def matrix_csv(matrix: RequirementMatrix) -> str:
    """The requirement matrix as the dossier page shows it: research rows, then product rows; per card,
    the requirement's status there, then its marks (``new``, ``changed``, ``production``, ``removed``,
    ``contradicted``: its evidence misses an acceptance criterion), separated by ``; ``."""
    header = [*MATRIX_COLUMNS, *(f"L{card.level.number} {card.date.isoformat()}" for card in matrix.cards)]
    rows = []
    for row in (*matrix.research, *matrix.product):
        risk = row.latest.risk
        rows.append([row.id, row.latest.kind.value, row.latest.text, row.latest.verification.value,
                     risk.likelihood if risk else None, risk.impact if risk else None, risk.score if risk else None,
                     *map(_cell_text, row.cells)])
    return to_csv(header, rows)


def _cell_text(cell: Cell) -> str:
    parts = [cell.requirement.status.value] if cell.requirement is not None else []
    parts += [cell.mark] if cell.mark else []
    parts += ["contradicted"] if cell.contradicts else []
    return "; ".join(parts)


PORTFOLIO_COLUMNS = ("project", "title", "team", "level", "level_name", "phase", "earned_level", "status",
                     "last_review", "requirements_verified", "requirements_total", "requirements_waived",
                     "open_findings")
"""The portfolio page's columns, each value a column of its own (``level``: the current card's, the
declared level; ``earned_level``: what the cards' evidence earns)."""


def portfolio_csv(rows: Sequence[PortfolioRow]) -> str:
    """One row per project, in the portfolio's order; a project with no valid card has its id, title
    and open findings only."""
    lines: list[list[object]] = []
    for row in rows:
        card = row.card
        if card is None:
            lines.append([row.project.id, row.project.title, *[None] * (len(PORTFOLIO_COLUMNS) - 3),
                          row.open_findings])
            continue
        lines.append([row.project.id, row.project.title, card.team, card.level.number, card.level.name,
                      card.level.phase.value, row.gates.earned if row.gates else None, card.status.value,
                      row.last_review.isoformat() if row.last_review else None, row.requirements.verified,
                      row.requirements.total, row.requirements.waived, row.open_findings])
    return to_csv(PORTFOLIO_COLUMNS, lines)


def export_files(contexts: Iterable[PageContext], env: Environment) -> dict[str, str]:
    """The files the pages with these contexts offer (each page's context names them), by URI in the
    site: the portfolio's CSV, each dossier's matrix CSV and badge (``env`` renders the badge)."""
    files: dict[str, str] = {}
    for context in contexts:
        if isinstance(context, PortfolioContext) and context.csv is not None:
            files[context.csv] = portfolio_csv(context.rows)
        elif type(context) is DossierContext and context.exports is not None:
            files[context.exports.matrix_csv] = matrix_csv(context.matrix)
            files[context.exports.embed.uri] = badge_svg(env, context.exports.badge)
    return files
