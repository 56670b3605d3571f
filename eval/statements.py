"""Statement recognition: for each filing, which primary statements it prints, for which fiscal years, how many
standard lines are found for each year, and (for inline-XBRL filings) whether the lines read from the printed
tables alone agree with the filer's tags.

    python -m eval statements FILE... [--md OUT]
"""
from __future__ import annotations

import re
import time
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any, Sequence

STATEMENTS = {
    "balance sheet": re.compile(r"\bbalance sheets?\b|\bstatements? of (?:consolidated )?financial (?:position|condition)\b", re.I),
    "income statement": re.compile(r"\bstatements? of (?:consolidated )?(?:operations|income|earnings)\b", re.I),
    "cash flow statement": re.compile(r"\bstatements? of (?:consolidated )?cash flows?\b", re.I),
}


def statements_found(filing) -> list[str]:
    """The primary statements whose title heads a section or captions a table."""
    titles = [s.title for s in filing.sections if s.kind == "body"] + [t.caption for t in filing.tables]
    return [name for name, pattern in STATEMENTS.items() if any(pattern.search(t or "") for t in titles)]


def recognise(path: str | Path, labels=None) -> dict[str, Any]:
    """`labels`: a LabelMapper for untagged filings' row labels, as the pipeline uses (None: synonyms only)."""
    from corpus import load_filing
    from qa.compute.lines import line_value
    from qa.figures.facts import FilingFacts
    from qa.figures.tables import table_facts
    from qa.vocabulary import LINE_ITEMS

    t0 = time.perf_counter()
    filing = load_filing(path)
    facts = FilingFacts.of(filing)
    if labels is not None and facts.tags is None:
        facts = facts.with_line_names(labels)
    years = sorted({int(f.period_end[:4]) for f in facts.facts if f.period_end and f.period_months == 12}, reverse=True)[:3]
    if not years and filing.fiscal_year:
        years = [filing.fiscal_year, filing.fiscal_year - 1]
    found: dict[int, int] = {}
    agree = checked = 0
    printed = replace(facts, facts=tuple(table_facts(filing)), tags=None) if facts.tags is not None else None
    for year in years:
        found[year] = 0
        for item in LINE_ITEMS.values():
            value = line_value(item, year, filing, facts)
            if value.fact is None:
                continue
            found[year] += 1
            if printed is not None and value.fact.concept:
                from_table = line_value(item, year, filing, printed)
                if from_table.fact is not None:
                    checked += 1
                    agree += abs(abs(from_table.fact.value) - abs(value.fact.value)) <= abs(value.fact.value) * Decimal("0.0005")
    return {"doc": filing.doc_id, "form": filing.form, "statements": statements_found(filing), "years": years,
            "lines": found, "of": len(LINE_ITEMS), "xbrl": facts.tags is not None, "table_lines_checked": checked,
            "table_lines_agree": agree, "seconds": round(time.perf_counter() - t0, 1)}


def format_statements_markdown(rows: Sequence[dict[str, Any]]) -> str:
    lines = ["| filing | form | statements found | fiscal years | standard lines found per year | printed lines agreeing with XBRL |",
             "|---|---|---|---|---|---|"]
    for r in rows:
        per_year = ", ".join(f"{y}: {n} of {r['of']}" for y, n in r["lines"].items()) or "-"
        agreement = f"{r['table_lines_agree']} of {r['table_lines_checked']}" if r["xbrl"] else "(no XBRL)"
        lines.append(f"| {r['doc']} | {r['form'] or ''} | {', '.join(r['statements']) or 'none'} | "
                     f"{', '.join(map(str, r['years']))} | {per_year} | {agreement} |")
    return "\n".join(lines) + "\n"
