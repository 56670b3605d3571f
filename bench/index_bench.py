"""Index build and search benchmark over a folder of filings (default: ../shared/filings, 22 PDFs).

    python bench/index_bench.py [--filings DIR] [--out bench/out/index] [--json bench/results/index_bench.json]

Reports pages, chunks, parse and embed seconds, chunks per second, peak memory (max RSS of this process),
index size on disk, and search latency p50/p95 over the queries in bench/queries.txt (after one warm-up query).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import machine, peak_rss_mb, percentile, report  # noqa: E402
from corpus import load_filing  # noqa: E402
from index import Embedder, Retriever  # noqa: E402


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())



def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--filings", default=str(ROOT.parent / "shared" / "filings"))
    ap.add_argument("--out", default=str(ROOT / "bench" / "out" / "index"))
    ap.add_argument("--json", default=str(ROOT / "bench" / "results" / "index_bench.json"))
    ap.add_argument("--queries", default=str(ROOT / "bench" / "queries.txt"))
    args = ap.parse_args()

    paths = sorted(p for p in Path(args.filings).iterdir() if p.suffix.lower() in {".pdf", ".htm", ".html", ".txt"})
    if not paths:
        print(f"no filings in {args.filings}", file=sys.stderr)
        return 1

    t0 = time.perf_counter()
    filings = [load_filing(p) for p in paths]
    parse_s = time.perf_counter() - t0
    pages = sum(len(f.pages) for f in filings)

    embedder = Embedder()
    t1 = time.perf_counter()
    embedder.warm_up()
    load_s = time.perf_counter() - t1

    t2 = time.perf_counter()
    retriever = Retriever.build(paths, out=args.out, embedder=embedder, progress=True)
    build_s = time.perf_counter() - t2  # includes parsing again, chunking, embedding and the atomic save
    chunks = len(retriever)

    queries = [q.strip() for q in Path(args.queries).read_text().splitlines() if q.strip() and not q.startswith("#")]
    t3 = time.perf_counter()
    loaded = Retriever.load(args.out, embedder=embedder)
    index_load_s = time.perf_counter() - t3
    loaded.search(queries[0], k=5)  # warm-up
    latencies = []
    for q in queries:
        t = time.perf_counter()
        loaded.search(q, k=5)
        latencies.append((time.perf_counter() - t) * 1000)

    peak_mb = peak_rss_mb()
    result = {
        "filings": len(paths), "pages": pages, "chunks": chunks,
        "parse_seconds": round(parse_s, 1), "build_seconds": round(build_s, 1),
        "chunks_per_second": round(chunks / build_s, 1),
        "model_load_seconds": round(load_s, 2), "index_load_seconds": round(index_load_s, 2),
        "peak_rss_mb": round(peak_mb), "index_size_mb": round(dir_size(Path(args.out)) / 1e6, 1),
        "queries": len(queries), "search_p50_ms": round(percentile(latencies, 50), 1),
        "search_p95_ms": round(percentile(latencies, 95), 1), "search_max_ms": round(max(latencies), 1),
        "machine": machine(),
        "command": "python bench/index_bench.py",
    }
    report(result, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
