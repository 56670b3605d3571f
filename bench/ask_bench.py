"""Ask latency: p50/p95/max per question on three indexes, with each embedder backend, in one run.

    python bench/ask_bench.py [--sets seeds,edgar-10k,pdfs] [--backends onnx-int8,st-fp32] [--json bench/results/ask_bench.json]

Sets (each index built first, not timed; vectors come from the bench's own embedding cache, bench/out/cache):
- seeds: the two bundled filings, every question of eval/gold.jsonl;
- edgar-10k: one EDGAR 10-K (Meta's, ../shared/filings/edgar), its why/text and metric gold questions and 30
  questions generated from its own XBRL (eval/xbrl.py);
- pdfs: the 22 shared PDFs, the page-hit set and the metric gold's PDF questions.
After the build, each filing's facts are computed and stored with the index (what `Pipeline.add` does for an
upload; `facts_at_build_seconds`, not part of any ask). A pipeline is loaded as the app loads it (`Pipeline` over `Retriever.load`, the reader and the sentence ranker
warmed up; `--no-ranker` leaves the ranker out), one warm-up
question is asked, then every question once. The first question's time is reported apart: it includes anything
still computed on first use.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import latency_figures, report, skip_line  # noqa: E402

SHARED = ROOT.parent / "shared" / "filings"
TEN_K = "meta-10-k-2025-01-30"


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def needed_data(name: str) -> Path | None:
    """The shared file or folder a set is built from, when it is absent (None: the set can run)."""
    needed = {"edgar-10k": SHARED / "edgar" / f"{TEN_K}.html", "pdfs": SHARED}.get(name)
    if needed is None or (needed.is_file() if needed.suffix else any(needed.glob("*.pdf"))):
        return None
    return needed


def question_set(name: str) -> tuple[list, list[str]]:
    """(files to index, questions) of a set."""
    if name == "seeds":
        from corpus import read_manifest

        return [(e.path, e.meta) for e in read_manifest()], [r["question"] for r in _jsonl(ROOT / "eval" / "gold.jsonl")]
    if name == "edgar-10k":
        from corpus import load_filing
        from eval.xbrl import generate_questions

        path = SHARED / "edgar" / f"{TEN_K}.html"
        questions = [r["question"] for r in _jsonl(ROOT / "eval" / "why_gold.jsonl") if r.get("doc") == TEN_K]
        questions += [r["question"] for r in _jsonl(ROOT / "eval" / "metric_gold.jsonl") if TEN_K in (r.get("doc") or "")]
        questions += [q.question for q in generate_questions(load_filing(path), per_filing=30)]
        return [path], questions
    if name == "pdfs":
        questions = [r["question"] for r in _jsonl(ROOT / "eval" / "pagehit_gold.jsonl")]
        questions += [r["question"] for r in _jsonl(ROOT / "eval" / "metric_gold.jsonl")
                      if (r.get("doc") or "").lower().endswith(".pdf")]
        return sorted(SHARED.glob("*.pdf")), questions
    raise SystemExit(f"unknown set {name!r}; use seeds, edgar-10k or pdfs")


def measure(files: list, questions: list[str], backend: str, out: Path, cache: Path, ranked: bool = True) -> dict:
    from index import Embedder, Retriever
    from qa.pipeline import Pipeline
    from qa.rank.model import SentenceRanker
    from qa.reader.model import Reader

    built = Retriever.build(files, out=out, embedder=Embedder(backend=backend, cache_dir=cache))  # not timed
    t = time.perf_counter()
    Pipeline(built, None).prepare()  # each filing's facts, stored with the index, as `add` does at build time
    prepare_s = time.perf_counter() - t
    t0 = time.perf_counter()
    retriever = Retriever.load(out, embedder=Embedder(backend=backend, cache_dir=cache))
    reader = Reader()
    pipeline = Pipeline(retriever, reader, ranker=SentenceRanker.load() if ranked else None)
    pipeline.warm_up()
    load_s = time.perf_counter() - t0
    t = time.perf_counter()
    pipeline.ask(questions[0])
    first_ms = (time.perf_counter() - t) * 1000
    latencies = []
    for q in questions:
        t = time.perf_counter()
        pipeline.ask(q)
        latencies.append((time.perf_counter() - t) * 1000)
    return {"backend": backend, "ranker": ranked, "chunks": len(retriever), "filings": len(retriever.filings()),
            "questions": len(questions), "facts_at_build_seconds": round(prepare_s, 1), "load_seconds": round(load_s, 2),
            "first_question_ms": round(first_ms),
            **latency_figures(latencies)}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", default="seeds,edgar-10k,pdfs")
    ap.add_argument("--backends", default="onnx-int8,st-fp32")
    ap.add_argument("--json", default=str(ROOT / "bench" / "results" / "ask_bench.json"))
    ap.add_argument("--cache", default=str(ROOT / "bench" / "out" / "cache"))
    ap.add_argument("--no-ranker", action="store_true", help="answer without the sentence ranker (the app loads it)")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="filingqa-ask-bench-"))
    results = []
    for name in [s.strip() for s in args.sets.split(",") if s.strip()]:
        if needed_data(name) is not None:  # checked before anything is built: one line, and the other sets go on
            print(skip_line("ask_bench", f"the {name} set", needed_data(name)), file=sys.stderr, flush=True)
            continue
        files, questions = question_set(name)
        for backend in [b.strip() for b in args.backends.split(",") if b.strip()]:
            print(f"ask_bench: {name} / {backend} ({len(questions)} questions) ...", file=sys.stderr, flush=True)
            results.append({"set": name, **measure(files, questions, backend, work / name / backend, Path(args.cache),
                                                        ranked=not args.no_ranker)})
    if not results:
        print("ask_bench: nothing measured (every set asked for was skipped); the JSON was not written", file=sys.stderr)
        return 2
    report({"results": results, "command": "python bench/ask_bench.py"}, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
