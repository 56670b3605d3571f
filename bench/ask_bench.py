"""Ask latency on the bundled corpus: model load time and p50/p95 over >= 50 questions.

    python bench/ask_bench.py [--questions eval/gold.jsonl] [--json bench/results/ask_bench.json]

Questions come from the gold set (every line's "question"); the default index is built first if needed
(not timed). Each question is asked once after one warm-up question; the facts of a filing are computed
on first use and cached, as in a running app, and that first-use cost is in the first question's time.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import latency_figures, report  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--questions", default=str(ROOT / "eval" / "gold.jsonl"))
    ap.add_argument("--json", default=str(ROOT / "bench" / "results" / "ask_bench.json"))
    args = ap.parse_args()

    from index.default import default_retriever
    from qa.pipeline import Pipeline
    from qa.reader.model import Reader

    questions = [json.loads(line)["question"] for line in Path(args.questions).read_text().splitlines() if line.strip()]
    if len(questions) < 50:
        print(f"only {len(questions)} questions in {args.questions}; need at least 50", file=sys.stderr)
        return 1
    default_retriever()  # build once if missing (not timed)

    t0 = time.perf_counter()
    retriever = default_retriever(progress=False)
    retriever.embedder.warm_up()
    t1 = time.perf_counter()
    reader = Reader()
    reader.warm_up()
    t2 = time.perf_counter()
    pipeline = Pipeline(retriever, reader)
    pipeline.warm_up()

    first_start = time.perf_counter()
    pipeline.ask(questions[0])
    first_ms = (time.perf_counter() - first_start) * 1000
    latencies = []
    for q in questions:
        t = time.perf_counter()
        pipeline.ask(q)
        latencies.append((time.perf_counter() - t) * 1000)
    result = {
        "questions": len(questions),
        "index_and_embedder_load_seconds": round(t1 - t0, 2),
        "reader_load_seconds": round(t2 - t1, 2),
        "first_question_ms": round(first_ms),
        **latency_figures(latencies),
        "command": "python bench/ask_bench.py",
    }
    report(result, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
