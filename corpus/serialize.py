"""Filing <-> JSON-ready dict, so an index can keep parsed filings without pickle."""
from __future__ import annotations

from dataclasses import asdict, replace
from typing import Any

from corpus.model import Filing, PageSpan, Period, Section, Table, XbrlFact


def filing_to_dict(filing: Filing) -> dict[str, Any]:
    data = asdict(replace(filing, xbrl=()))
    data["sections"] = [s.to_dict() for s in filing.sections]
    data["xbrl"] = facts_to_dict(filing.xbrl)
    return data


_CONTEXT_FIELDS = ("period_start", "period_end", "instant", "dimensions")


def facts_to_dict(facts: tuple[XbrlFact, ...]) -> dict[str, Any]:
    """Facts with their contexts said once (a 10-K's 3,000 facts share 1,000 contexts, and dimensions
    are most of their size): {"contexts": {id: period and dimensions}, "facts": [fact without them]}."""
    contexts: dict[str, dict[str, Any]] = {}
    rows = []
    for fact in facts:
        row = fact.to_dict()
        context = {k: row.pop(k) for k in _CONTEXT_FIELDS if k in row}
        if contexts.setdefault(fact.context_id, context) != context:
            row.update(context)  # an id reused for another period: the fact keeps its own
        rows.append(row)
    return {"contexts": contexts, "facts": rows}


def facts_from_dict(data: dict[str, Any]) -> tuple[XbrlFact, ...]:
    contexts = data.get("contexts", {})
    return tuple(XbrlFact.from_dict({**contexts.get(row["context_id"], {}), **row}) for row in data.get("facts", ()))


def _period(data: dict[str, Any] | None) -> Period | None:
    return Period(**data) if data else None


def filing_from_dict(data: dict[str, Any]) -> Filing:
    sections = tuple(
        Section(**{**s, "path": tuple(s["path"]), "period": _period(s.get("period"))}) for s in data.get("sections", ())
    )
    tables = tuple(Table.from_dict(t) for t in data.get("tables", ()))
    pages = tuple(PageSpan(**p) for p in data.get("pages", ()))
    xbrl = facts_from_dict(data.get("xbrl") or {})
    fields = {k: v for k, v in data.items() if k not in {"sections", "tables", "pages", "warnings", "xbrl"}}
    return Filing(**fields, sections=sections, tables=tables, pages=pages, warnings=tuple(data.get("warnings", ())),
                  xbrl=xbrl)
