"""HTML tables as their DOM lays them out: rows and cells placed in the cleaned text, header rows apart.

An EDGAR table prints "$" and ")" in cells of their own and spans "Three Months Ended" over four columns;
the grid (column and colspan per cell) is what lines a figure up with its header, so it is kept rather
than re-split from the flattened line.
"""
from __future__ import annotations

import re

from corpus.clean import normalize_chars
from corpus.model import Table, TableCell, TableRow
from corpus.periods import single_period
from corpus.scale import UNITS_RE, detect_scale, scale_from_text

# A figure as a cell prints it: "$79,477", "(964)", "$ (1,899.2)", "7%", "0.05", "—", "$ -".
FIGURE_CELL = re.compile(r"[$€£]?\s?\(?\s?\$?\s?-?\d[\d,]*(?:\.\d+)?\s?\)?\s?%?|[$]?\s?[-–—]")
YEAR_CELL = re.compile(r"(?:19|20)\d\d")
MAX_CAPTION_CHARS = 160
TEXT_WINDOW = 3000  # characters each side of a table whose stated amounts may tell its scale
MAX_ROW_GAP = 1500  # characters between a row and the next (a running head may sit between); further is not this table


def is_figure(text: str) -> bool:
    return bool(FIGURE_CELL.fullmatch(text)) and not YEAR_CELL.fullmatch(text)


def is_data_row(row: TableRow) -> bool:
    """A row with a figure after its first cell (a year alone is a column header, not a figure)."""
    return any(cell.column > 0 and is_figure(cell.text) for cell in row.cells)


def split_header(rows: tuple[TableRow, ...]) -> tuple[tuple[TableRow, ...], tuple[TableRow, ...]]:
    """(header rows, body rows): the header is every row above the first row of figures."""
    first = next((i for i, row in enumerate(rows) if is_data_row(row)), len(rows))
    return rows[:first], rows[first:]


def _words_pattern(text: str) -> re.Pattern[str] | None:
    words = normalize_chars(text).split()
    return re.compile(r"\s+".join(re.escape(w) for w in words)) if words else None


def place_rows(text: str, start: int, limit: int, rows: tuple[tuple[tuple[int, int, str], ...], ...]
               ) -> tuple[TableRow, ...]:
    """A DOM table's rows ((column, colspan, text) per cell) placed in the cleaned `text` from `start` on
    (before `limit`): each row within one line, rows in order, cells in order within their row. A row
    cleaning dropped is left out."""
    placed: list[TableRow] = []
    cursor = start
    for row in rows:
        line = _words_pattern(" ".join(cell for *_, cell in row))
        m = line.search(text, cursor, min(limit, cursor + MAX_ROW_GAP + len(line.pattern))) if line else None
        if m is None or "\n" in m.group():
            continue
        cells, at = [], m.start()
        for column, span, cell in row:
            pattern = _words_pattern(cell)
            c = pattern.search(text, at, m.end()) if pattern else None
            if c is None:
                continue
            cells.append(TableCell(c.group(), column, span, c.start(), c.end()))
            at = c.end()
        placed.append(TableRow(tuple(cells), m.start(), m.end()))
        cursor = m.end()
    return tuple(placed)


def _caption_above(text: str, start: int) -> str:
    """The short line just above a table, if it reads as its caption (a title, a units line, or "...:")."""
    before = text[max(0, start - 600):start].rstrip().split("\n")
    for line in reversed(before[-3:]):
        line = line.strip()
        if not line:
            continue
        if len(line) <= MAX_CAPTION_CHARS and (line.endswith(":") or UNITS_RE.search(line) or not line.endswith(".")):
            return line
        return ""
    return ""


def dom_table(text: str, start: int, end: int, rows: tuple[TableRow, ...], page: int | None) -> Table:
    """A Table from a placed DOM grid: header rows, caption, units line and scale."""
    header_rows, _ = split_header(rows)
    header = "\n".join("    ".join(c.text for c in row.cells) for row in header_rows)
    caption = _caption_above(text, start)
    units_m = UNITS_RE.search(caption + "\n" + header) or UNITS_RE.search(text[max(0, start - 300):start])
    units = units_m.group(0) if units_m else None
    scale = detect_scale(units or "")
    if units is None:
        _, body = split_header(rows)
        beside = text[max(0, start - TEXT_WINDOW):start] + "\n" + text[end:end + TEXT_WINDOW]
        scale = scale_from_text([c.text for row in body for c in row.cells[1:]], beside)
    return Table(caption=caption, header=header, units=units, scale=scale, start=start, end=end,
                 page=page, period=single_period(header), rows=rows)

