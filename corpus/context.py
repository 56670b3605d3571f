"""A Filing made from context a caller holds (paragraphs and tables as rows of cells), e.g. a TAT-QA item."""
from __future__ import annotations

from typing import Sequence

from corpus.model import Filing, PageSpan, TableCell, TableRow
from corpus.structure import Block, build_structure

CELL_GAP = "    "


def _table_part(rows: list[list[str]], offset: int) -> tuple[str, tuple[TableRow, ...]]:
    """A table's text (one line per row) and its grid placed at `offset`: the caller's cells are the grid, so
    a figure keeps the column it was given. An empty cell prints as "-" to keep the columns but is no grid
    cell; a row with no figures at all ("Net sales:") is a group label and prints alone."""
    lines: list[str] = []
    grid: list[TableRow] = []
    pos = offset
    for i, row in enumerate(rows):
        shown = [(k, c if c else "-") for k, c in enumerate(row)] if i and any(row[1:]) else [(k, c) for k, c in enumerate(row) if c]
        cells, at = [], pos
        for n, (column, cell) in enumerate(shown):
            if n:
                at += len(CELL_GAP)
            if row[column]:
                cells.append(TableCell(cell, column, 1, at, at + len(cell)))
            at += len(cell)
        line = CELL_GAP.join(c for _, c in shown)
        grid.append(TableRow(tuple(cells), pos, pos + len(line)))
        lines.append(line)
        pos += len(line) + 1
    return "\n".join(lines), tuple(grid)


def context_filing(paragraphs: Sequence[str], tables: Sequence[Sequence[Sequence[str]]]) -> Filing:
    """A Filing made from caller-supplied paragraphs and tables (rows of cells), one "page" per passage."""
    parts: list[tuple[str, tuple[TableRow, ...]]] = []
    for table in tables:
        rows = [[str(c).strip() for c in row] for row in table if any(str(c).strip() for c in row)]
        if rows:
            parts.append(("", tuple(rows)))  # placed below, once its offset is known
    parts += [(p.strip(), ()) for p in paragraphs if p and p.strip()]
    text, spans, blocks, pos = "", [], [], 0
    for i, (part, rows) in enumerate(parts):
        if i:
            text += "\n\n"
            pos += 2
        if rows:
            part, grid = _table_part([list(r) for r in rows], pos)
            blocks.append(Block(pos, pos + len(part), "table", rows=grid))
        spans.append(PageSpan(number=i + 1, start=pos, end=pos + len(part)))
        text += part
        pos += len(part)
    sections, found_tables, _ = build_structure(text, tuple(spans), tuple(blocks))
    return Filing(doc_id="context", company=None, form=None, period_end=None, fiscal_year=None, fiscal_quarter=None,
                  source="(context)", content_hash="", text=text, pages=tuple(spans), sections=sections, tables=found_tables)
