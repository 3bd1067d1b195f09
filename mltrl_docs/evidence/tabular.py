"""CSV results tables: a value found as ``ROW/COLUMN``, where the first column names the rows
and the header row names the columns (``2026-09-14/cirrus_f1``, ``snow_ice/drop_vs_all_points``).

Lines whose first cell starts with ``#`` are comments (teams note the data version and the
verdict there), and blank lines are skipped; the first other line is the header. Cells that
read as numbers are numbers; anything else stays text, which a criterion then reports.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from mltrl_docs.evidence.readers import EvidenceError, SelectError, TestCounts

MAX_SHOWN = 8


@dataclass(frozen=True, slots=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def value(self, select: str) -> object:
        """The cell at ``ROW/COLUMN``. Row keys and column names may hold '/' themselves
        (dates, 'p95 ms/tile'): every split is tried, and exactly one must name a row and a column."""
        keys = [row[0] if row else "" for row in self.rows]
        splits = [(select[:i], select[i + 1:]) for i, char in enumerate(select) if char == "/"]
        if not splits:
            raise SelectError(f"'{select}' is not ROW/COLUMN (the first column names the rows, the header "
                              "the columns)")
        found = [(row, column) for row, column in splits if row in keys and column in self.header]
        if len(found) > 1:
            raise SelectError(f"'{select}' can be read as more than one ROW/COLUMN: "
                              + ", ".join(f"row '{r}' column '{c}'" for r, c in found))
        if not found:
            raise SelectError(_missing(splits, keys, self.header))
        row_key, column = found[0]
        if keys.count(row_key) > 1:
            raise SelectError(f"{keys.count(row_key)} rows are named '{row_key}': the first column must "
                              "tell the rows apart")
        if self.header.count(column) > 1:
            raise SelectError(f"{self.header.count(column)} columns are named '{column}'")
        row = self.rows[keys.index(row_key)]
        at = self.header.index(column)
        cell = row[at].strip() if at < len(row) else ""
        if not cell:
            raise SelectError(f"the cell at row '{row_key}', column '{column}' is empty")
        return number(cell)

    def tests(self, select: str | None) -> TestCounts:
        raise EvidenceError("a CSV file holds values, not test results: write it under 'source:' "
                            "with op, value and select")


def _missing(splits: list[tuple[str, str]], keys: list[str], header: tuple[str, ...]) -> str:
    """Say which half names nothing, judged on the last split (where most selectors split)."""
    row, column = splits[-1]
    if any(r in keys for r, _ in splits):
        return f"there is no column '{column}' (columns: {_shown(header)})"
    if any(c in header for _, c in splits):
        return f"there is no row '{row}' in the first column (rows: {_shown(keys)})"
    return f"there is no row '{row}' (rows: {_shown(keys)}) and no column '{column}' (columns: {_shown(header)})"


def _shown(names: list[str] | tuple[str, ...]) -> str:
    return ", ".join(names[:MAX_SHOWN]) + (", ..." if len(names) > MAX_SHOWN else "") if names else "none"


def number(cell: str) -> float | str:
    """The cell as a number when it reads as one, else as written."""
    try:
        return float(cell)
    except ValueError:
        return cell


def parse(data: bytes) -> Table:
    """The header and rows; raises EvidenceError for anything but UTF-8 CSV with a header."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise EvidenceError("the file is not UTF-8 text") from None
    kept: list[tuple[str, ...]] = []
    try:
        for cells in csv.reader(io.StringIO(text, newline="")):
            stripped = tuple(cell.strip() for cell in cells)
            if not any(stripped) or stripped[0].startswith("#"):
                continue
            kept.append(stripped)
    except csv.Error as exc:
        raise EvidenceError(f"not valid CSV ({exc})") from None
    if not kept:
        raise EvidenceError("the file has no header row")
    return Table(kept[0], tuple(kept[1:]))


class CsvReader:
    """Reads ``.csv`` files."""

    name: str = "CSV"
    suffixes: tuple[str, ...] = (".csv",)

    def read(self, data: bytes, path: Path) -> Table:
        return parse(data)
