"""Ask latency of computed-metric answers on a 10-K index: p50/p95 over >= 50 asks.

    python bench/compute_bench.py [--filing ../shared/filings/edgar/aapl-10-k-2024-11-01.html]
                                  [--json bench/results/compute_bench.json]

The filing is indexed in a temporary folder (not timed). Its facts are built on the first question, as in a
running app: that first-use cost is reported on its own ("first_question_ms"); then every metric-gold question
about the filing is asked four times (the cache of facts warm, as after the first question of a session).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import latency_figures, report, skip_line  # noqa: E402

DEFAULT_FILING = ROOT.parent / "shared" / "filings" / "edgar" / "aapl-10-k-2024-11-01.html"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--filing", default=str(DEFAULT_FILING))
    ap.add_argument("--json", default=str(ROOT / "bench" / "results" / "compute_bench.json"))
    args = ap.parse_args()
    filing = Path(args.filing)
    if not filing.is_file():
        print(skip_line("compute_bench", "the metric timing", filing), file=sys.stderr)
        return 2

    from eval.metric_gold import load_metric_gold
    from index.embedder import Embedder
    from index.retriever import Retriever
    from qa.pipeline import Pipeline

    questions = [r["question"] for r in load_metric_gold() if Path(r["doc"]).name == filing.name]
    if not questions:
        print(f"no metric-gold questions about {filing.name}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="filingqa-compute-bench-") as tmp:
        embedder = Embedder()
        embedder.warm_up()
        t0 = time.perf_counter()
        retriever = Retriever.build([filing], out=Path(tmp) / "index", embedder=embedder)
        build_s = time.perf_counter() - t0
        pipeline = Pipeline(retriever, None)
        t = time.perf_counter()
        pipeline.ask(questions[0])
        first_ms = (time.perf_counter() - t) * 1000
        latencies, kinds = [], {}
        for _ in range(4):
            for q in questions:
                t = time.perf_counter()
                answer = pipeline.ask(q)
                latencies.append((time.perf_counter() - t) * 1000)
                kinds[answer.kind] = kinds.get(answer.kind, 0) + 1
    result = {
        "filing": filing.name,
        "asks": len(latencies),
        "answer_kinds": kinds,
        "index_build_seconds": round(build_s, 1),
        "first_question_ms": round(first_ms),
        **latency_figures(latencies),
        "command": "python bench/compute_bench.py",
    }
    report(result, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
