"""Typed values that flow out of corpus/: a parsed filing and its parts.

Every offset is a character offset into `Filing.text` (the cleaned text), so any
span can be checked against the exact source and mapped to its 1-based page.
"""
from __future__ import annotations

from dataclasses import MISSING, asdict, dataclass, field, fields
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the period vocabulary reads filings' calendars; it imports nothing from here
    from corpus.period_intent import PeriodIntent, TargetPeriod


@dataclass(frozen=True)
class Period:
    """A reporting period such as "three months ended September 30, 2020".

    `months` is 3/6/9/12 for duration periods and 0 for a point in time ("as of").
    `end` is an ISO date (YYYY-MM-DD) when the text names one.
    """

    label: str
    months: int | None = None
    end: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class PageSpan:
    """Where page `number` (1-based) lies in the filing text."""

    number: int
    start: int
    end: int


@dataclass(frozen=True)
class TableCell:
    """One cell of an HTML table as printed: its text, where it lies in `Filing.text`, and its place in the
    DOM grid (`column` counts colspans from 0), so a figure lines up with the header cells above it."""

    text: str
    column: int
    span: int
    start: int
    end: int


@dataclass(frozen=True)
class TableRow:
    cells: tuple[TableCell, ...]
    start: int
    end: int


@dataclass(frozen=True)
class Table:
    """A table kept whole with its caption, column headers and units line. `rows` is an HTML table's
    DOM grid, every row with text in order (empty for tables found in plain or PDF text). `figure_x` is a
    PDF table's geometry: (start in `Filing.text`, right edge in points) of each digit run in its lines."""

    caption: str
    header: str
    units: str | None
    scale: int
    start: int
    end: int
    page: int | None
    period: Period | None = None
    rows: tuple[TableRow, ...] = ()
    figure_x: tuple[tuple[int, float], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Table:
        rows = tuple(TableRow(cells=tuple(TableCell(**c) for c in r["cells"]), start=r["start"], end=r["end"])
                     for r in data.get("rows", ()))
        period = data.get("period")
        figure_x = tuple((int(at), float(x)) for at, x in data.get("figure_x", ()))
        return cls(**{**data, "period": Period(**period) if period else None, "rows": rows, "figure_x": figure_x})


@dataclass(frozen=True)
class Section:
    """A run of filing text under one heading, with the context it inherits.

    `path` is the chain of headings from the top (e.g. ("Segment Operating Results",
    "Operating Results of our Cloud Telecommunications Segment", "Three months ended ...",
    "General and Administrative")); `segment` and `period` are inherited from the
    nearest segment and period-block headings above. `kind` is "body", "toc" (a table of
    contents entry) or "reference" (a heading that only points elsewhere).
    """

    title: str
    level: int
    path: tuple[str, ...]
    start: int
    end: int
    segment: str | None = None
    period: Period | None = None
    kind: str = "body"
    page: int | None = None
    ordinal: int = 0

    @property
    def path_text(self) -> str:
        return " > ".join(self.path)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["path"] = list(self.path)
        return d


@dataclass(frozen=True)
class XbrlFact:
    """One inline-XBRL fact: a tagged figure (ix:nonFraction) or a short tagged text (ix:nonNumeric).

    `value` is at full scale and signed (Apple's "94,036" in millions is 94036000000); `text` holds a
    nonNumeric fact's value after its format transform (dates become ISO: "2025-06-28", "--09-27").
    An instant fact has only `period_end` and `instant=True`. `dimensions` are (axis, member) pairs,
    sorted. `start`/`end` is the printed figure in `Filing.text` (None when it is hidden or was lost
    in cleaning); `row_label` and `column_header` are the table row and column it sits in, if any.
    """

    concept: str
    value: Decimal | None
    context_id: str
    unit: str | None = None
    decimals: int | None = None
    scale: int = 0
    text: str | None = None
    period_start: str | None = None
    period_end: str | None = None
    instant: bool = False
    dimensions: tuple[tuple[str, str], ...] = ()
    start: int | None = None
    end: int | None = None
    row_label: str | None = None
    column_header: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready and compact: fields at their default are left out (a 10-K has thousands of facts)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            v = getattr(self, f.name)
            if f.default is not MISSING and v == f.default:
                continue
            if f.name == "value" and v is not None:
                v = str(v)
            elif f.name == "dimensions":
                v = [list(pair) for pair in v]
            out[f.name] = v
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> XbrlFact:
        value = data.get("value")
        return cls(**{**data, "value": Decimal(value) if value is not None else None,
                      "dimensions": tuple(tuple(pair) for pair in data.get("dimensions", ()))})


@dataclass(frozen=True)
class Filing:
    """One parsed filing: metadata, cleaned text, pages, sections and tables.

    `xbrl` holds the inline-XBRL facts of an EDGAR iXBRL filing (empty for PDFs and plain text), in
    document order.
    """

    doc_id: str
    company: str | None
    form: str | None
    period_end: str | None
    fiscal_year: int | None
    fiscal_quarter: int | None
    source: str
    content_hash: str
    text: str
    pages: tuple[PageSpan, ...] = ()
    sections: tuple[Section, ...] = ()
    tables: tuple[Table, ...] = ()
    warnings: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)
    xbrl: tuple[XbrlFact, ...] = ()

    def page_at(self, offset: int) -> int | None:
        """1-based page holding character `offset`, or None for text without pages."""
        for page in self.pages:
            if page.start <= offset < page.end:
                return page.number
        if self.pages and offset >= self.pages[-1].end:
            return self.pages[-1].number
        return None

    @property
    def fiscal_year_end(self) -> str | None:
        """The filer's fiscal year end as the dei cover gives it ("--09-27"), when known."""
        return self.extra.get("fiscal_year_end")

    def target_period(self, intent: "PeriodIntent") -> "TargetPeriod | None":
        """What a question's period words mean in this filing, on the filer's calendar ("Q3" here; "fiscal 2025" of
        a filer whose year ends in January)."""
        from corpus.period_intent import resolve_period

        return resolve_period(intent, self.fiscal_quarter, self.fiscal_year, self.period_end, self.fiscal_year_end)

    def default_period(self) -> "TargetPeriod":
        """The period a question that names none means: the filing's own (a 10-Q's quarter, a 10-K's year)."""
        from corpus.period_intent import TargetPeriod

        months = 3 if self.form and self.form.startswith("10-Q") else 12 if self.form and self.form.startswith("10-K") else None
        return TargetPeriod(months=months, end_year=int(self.period_end[:4]) if self.period_end else self.fiscal_year)

    def section_at(self, offset: int) -> "Section | None":
        """The section holding character `offset` (sections partition the text; each carries its heading path)."""
        return next((s for s in self.sections if s.start <= offset < s.end), None)

    def meta(self) -> dict[str, Any]:
        """Metadata without the text: what an index keeps per filing."""
        return {
            "doc_id": self.doc_id,
            "company": self.company,
            "form": self.form,
            "period_end": self.period_end,
            "fiscal_year": self.fiscal_year,
            "fiscal_quarter": self.fiscal_quarter,
            "source": self.source,
            "content_hash": self.content_hash,
            "pages": len(self.pages),
            "sections": len(self.sections),
            "tables": len(self.tables),
            **({"extra": self.extra} if self.extra else {}),
        }
