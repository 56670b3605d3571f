"""Filing <-> JSON-ready dict, so an index can keep parsed filings without pickle."""
from __future__ import annotations

from dataclasses import asdict
from typing import Any

from corpus.model import Filing, PageSpan, Period, Section, Table


def filing_to_dict(filing: Filing) -> dict[str, Any]:
    data = asdict(filing)
    data["sections"] = [s.to_dict() for s in filing.sections]
    return data


def _period(data: dict[str, Any] | None) -> Period | None:
    return Period(**data) if data else None


def filing_from_dict(data: dict[str, Any]) -> Filing:
    sections = tuple(
        Section(**{**s, "path": tuple(s["path"]), "period": _period(s.get("period"))}) for s in data.get("sections", ())
    )
    tables = tuple(Table(**{**t, "period": _period(t.get("period"))}) for t in data.get("tables", ()))
    pages = tuple(PageSpan(**p) for p in data.get("pages", ()))
    fields = {k: v for k, v in data.items() if k not in {"sections", "tables", "pages", "warnings"}}
    return Filing(**fields, sections=sections, tables=tables, pages=pages, warnings=tuple(data.get("warnings", ())))
