"""Parsing report for one filing: what `python -m corpus inspect` prints."""
from __future__ import annotations

from typing import Any

from corpus.model import Filing
from corpus.xbrl import dei_values


def filing_report(filing: Filing) -> dict[str, Any]:
    text = filing.text
    sections = []
    for s in filing.sections:
        sections.append({
            "title": s.title, "level": s.level, "kind": s.kind, "path": list(s.path), "segment": s.segment,
            "period": s.period.label if s.period else None, "page": s.page, "start": s.start, "end": s.end,
            "chars": s.end - s.start,
        })
    tables = [{"caption": t.caption, "header": t.header[:200], "units": t.units, "scale": t.scale,
               "period": t.period.label if t.period else None, "page": t.page, "start": t.start, "end": t.end,
               "rows": text[t.start:t.end].count("\n") + 1} for t in filing.tables]
    pages = [{"page": p.number, "start": p.start, "end": p.end, "chars": p.end - p.start} for p in filing.pages]
    warnings = list(filing.warnings)
    empty_pages = [p["page"] for p in pages if p["chars"] < 20]
    if empty_pages:
        warnings.append(f"{len(empty_pages)} pages with no text: {empty_pages[:10]}")
    unparsed = [t for t in filing.tables if not t.header and not t.caption]
    if unparsed:
        warnings.append(f"{len(unparsed)} tables without a caption or column header")
    figures = [f for f in filing.xbrl if f.text is None]
    xbrl = {"facts": len(filing.xbrl), "figures": len(figures), "with_spans": sum(f.start is not None for f in filing.xbrl),
            "in_tables": sum(f.row_label is not None for f in filing.xbrl), "dei": dei_values(filing.xbrl)}
    return {"metadata": filing.meta(), "chars": len(text), "sections": sections, "tables": tables,
            "pages": pages, "xbrl": xbrl, "warnings": warnings}


def format_report(report: dict[str, Any], max_rows: int = 400) -> str:
    m = report["metadata"]
    out = [f"{m['doc_id']}: {m['company']} | {m['form']} | period end {m['period_end']} | FY {m['fiscal_year']}"
           f" Q{m['fiscal_quarter'] or '-'} | {report['chars']:,} chars | {len(report['pages'])} pages",
           f"source: {m['source']}"]
    extra = dict(m.get("extra") or {})
    elsewhere = extra.pop("statements_incorporated_by_reference", None)
    if extra:
        out.append("extra: " + " | ".join(f"{k} {v}" for k, v in extra.items()))
    if elsewhere:
        out.append(f"financial statements incorporated by reference: {elsewhere!r}")
    x = report.get("xbrl")
    if x and x["facts"]:
        out.append(f"inline XBRL: {x['facts']:,} facts ({x['figures']:,} figures), {x['with_spans']:,} with a span in the"
                   f" text, {x['in_tables']:,} in table rows")
        out.append("dei: " + " | ".join(f"{k} {v}" for k, v in x["dei"].items()))
    out += ["", f"sections ({len(report['sections'])}):"]
    for s in report["sections"][:max_rows]:
        ctx = " | ".join(x for x in (s["segment"], s["period"]) if x)
        page = f"p{s['page']} " if s["page"] else ""
        flag = "" if s["kind"] == "body" else f" [{s['kind']}]"
        out.append(f"  {page}{'  ' * max(0, s['level'] - 1)}{s['title'][:90]} ({s['chars']:,} chars){flag}{'  {' + ctx + '}' if ctx else ''}")
    out += ["", f"tables ({len(report['tables'])}):"]
    for t in report["tables"][:max_rows]:
        page = f"p{t['page']} " if t["page"] else ""
        label = t["caption"] or t["header"].split("\n")[0]
        out.append(f"  {page}{label[:90]!r} rows={t['rows']} units={t['units'] or '-'}{' period=' + t['period'] if t['period'] else ''}")
    out += ["", "warnings:" if report["warnings"] else "warnings: none"]
    out += [f"  - {w}" for w in report["warnings"]]
    return "\n".join(out)
