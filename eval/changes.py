"""How much of the filings' MD&A is read as structure: `python -m eval changes FILE... [--md OUT]`.

Per filing, the change statements `corpus.changes.change_statements` finds, and how many of them carry a reason,
a period, a segment (the heading's segment) and an amount or percent.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence


def measure(paths: Sequence[str | Path]) -> dict[str, Any]:
    from corpus import load_filing
    from corpus.changes import change_statements

    rows = []
    for path in paths:
        filing = load_filing(path)
        found = change_statements(filing)
        rows.append({"doc": filing.doc_id, "form": filing.form, "changes": len(found),
                     "with_reason": sum(1 for c in found if c.reasons),
                     "with_period": sum(1 for c in found if c.period),
                     "with_segment": sum(1 for c in found if c.segment),
                     "with_figure": sum(1 for c in found if c.amount or c.percent)})
    total = {k: sum(r[k] for r in rows) for k in ("changes", "with_reason", "with_period", "with_segment", "with_figure")}
    return {"filings": len(rows), "total": total, "rows": rows}


def markdown(report: dict[str, Any]) -> str:
    t = report["total"]
    pct = (lambda k: f"{100 * t[k] / t['changes']:.0f}%") if t["changes"] else (lambda k: "-")
    lines = [f"Change statements in {report['filings']} filings: {t['changes']}; with a reason {t['with_reason']} "
             f"({pct('with_reason')}), a period {t['with_period']} ({pct('with_period')}), a segment "
             f"{t['with_segment']} ({pct('with_segment')}), an amount or percent {t['with_figure']} ({pct('with_figure')}).",
             "", "| filing | form | changes | reason | period | segment | figure |", "|---|---|---|---|---|---|---|"]
    lines += [f"| {r['doc']} | {r['form']} | {r['changes']} | {r['with_reason']} | {r['with_period']} | "
              f"{r['with_segment']} | {r['with_figure']} |" for r in report["rows"]]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    import argparse

    p = argparse.ArgumentParser(prog="python -m eval changes", description=__doc__.split("\n")[0])
    p.add_argument("files", nargs="+")
    p.add_argument("--md", metavar="OUT")
    args = p.parse_args(argv)
    md = markdown(measure(args.files))
    if args.md:
        Path(args.md).write_text(md, encoding="utf-8")
    print(md)
    return 0
