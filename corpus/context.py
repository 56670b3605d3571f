"""A Filing made from context a caller holds (paragraphs and tables as rows of cells), e.g. a TAT-QA item."""
from __future__ import annotations

from typing import Sequence

from corpus.model import Filing, PageSpan
from corpus.structure import build_structure


def context_filing(paragraphs: Sequence[str], tables: Sequence[Sequence[Sequence[str]]]) -> Filing:
    """A Filing made from caller-supplied paragraphs and tables (rows of cells), one "page" per passage."""
    parts: list[str] = []
    for table in tables:
        rows = [[str(c).strip() for c in row] for row in table if any(str(c).strip() for c in row)]
        if rows:
            # An empty cell prints as "-" to keep the columns; a row with no figures at all ("Net sales:") is a
            # group label and prints alone.
            parts.append("\n".join("    ".join(c if c else "-" for c in row) if i and any(row[1:]) else "    ".join(c for c in row if c)
                                   for i, row in enumerate(rows)))
    parts += [p.strip() for p in paragraphs if p and p.strip()]
    text, spans, pos = "", [], 0
    for i, part in enumerate(parts):
        if i:
            text += "\n\n"
            pos += 2
        spans.append(PageSpan(number=i + 1, start=pos, end=pos + len(part)))
        text += part
        pos += len(part)
    sections, found_tables, _ = build_structure(text, tuple(spans))
    return Filing(doc_id="context", company=None, form=None, period_end=None, fiscal_year=None, fiscal_quarter=None,
                  source="(context)", content_hash="", text=text, pages=tuple(spans), sections=sections, tables=found_tables)
