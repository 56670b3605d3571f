"""Parsing speed on real EDGAR inline-XBRL filings (default: ../shared/filings/edgar, 12 files).

    python bench/parse_bench.py [--filings DIR] [--json bench/results/parse_bench.json]

For each filing: its size, `load_filing` seconds (best of 3: text, structure, XBRL facts and their spans), and
`FilingFacts.of` seconds (tables, claims and tagged figures as facts); the XBRL fact count and how many have a
span in the text. The target: a 4 MB filing parses in at most 3 s.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import machine, peak_rss_mb, report, skip_line  # noqa: E402
from corpus import load_filing  # noqa: E402
from qa.figures.facts import FilingFacts  # noqa: E402


def _best_of(runs: int, work) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(runs):
        started = time.perf_counter()
        out = work()
        best = min(best, time.perf_counter() - started)
    return best, out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--filings", default=str(ROOT.parent / "shared" / "filings" / "edgar"))
    ap.add_argument("--json", default=str(ROOT / "bench" / "results" / "parse_bench.json"))
    args = ap.parse_args()
    paths = sorted(Path(args.filings).glob("*.htm*"))
    if not paths:
        print(skip_line("parse_bench", "the parsing benchmark", Path(args.filings)), file=sys.stderr)
        return 2
    rows = []
    for path in paths:
        load_s, filing = _best_of(3, lambda p=path: load_filing(p))
        facts_s, _ = _best_of(1, lambda f=filing: FilingFacts.of(f))
        rows.append({"filing": path.name, "mb": round(path.stat().st_size / 1e6, 2), "load_s": round(load_s, 2),
                     "facts_s": round(facts_s, 2), "xbrl_facts": len(filing.xbrl),
                     "with_span": sum(x.start is not None for x in filing.xbrl), "sections": len(filing.sections)})
        print(f"{path.name:32s} {rows[-1]['mb']:5.2f} MB  load {load_s:5.2f} s  facts {facts_s:5.2f} s  "
              f"xbrl {rows[-1]['xbrl_facts']:5d} ({rows[-1]['with_span']} with span)")
    slowest = max(rows, key=lambda r: r["load_s"])
    report({"machine": machine(), "filings": rows, "slowest_load_s": slowest["load_s"], "slowest": slowest["filing"],
            "peak_rss_mb": peak_rss_mb()}, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
