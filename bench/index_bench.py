"""Index build benchmark: the embedder backends side by side in one run, with what each keeps of retrieval.

    python bench/index_bench.py [--filings DIR] [--backends st-fp32,onnx-int8] [--json bench/results/index_bench.json]

For each backend, in a fresh process (so peak memory is its own) and with the embedding cache off (so every
passage is really embedded): the whole build of the 22 shared PDFs (parse, chunk, embed, save) in chunks/s, the
embedding step alone in chunks/s, peak RSS, index size, search latency over bench/queries.txt, and retrieval:
recall@k of the page-hit set (eval/pagehit_gold.jsonl) on that index, of the seed gold set (eval/gold.jsonl) on
the bundled filings and, when present, of the why/text set (eval/why_gold.jsonl) on its six EDGAR filings.
Then the vectors of the same passages are compared across backends (mean and minimum cosine to the first).
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import machine, peak_rss_mb, percentile, report, skip_line  # noqa: E402

WHY_FILINGS = ("aapl-10-q-2025-08-01", "nvda-10-q-2025-08-27", "ko-10-q-2025-07-24", "meta-10-k-2025-01-30",
               "tsla-10-k-2025-01-30", "unp-10-k-2025-02-07")


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _recall(retriever, gold: Path) -> dict:
    from eval.retrieval import load_items, retrieval_scores

    scores = retrieval_scores(retriever, load_items(gold))
    return {k: v for k, v in scores.items() if k != "ranks"}


def one_backend(backend: str, filings: Path, out: Path, queries: list[str]) -> dict:
    """Build and measure with one backend (run in its own process)."""
    from corpus import read_manifest
    from index import Embedder, Retriever

    class TimedEmbedder(Embedder):
        embed_seconds = 0.0
        embedded = 0

        def embed(self, texts, **kwargs):
            t = time.perf_counter()
            vectors = super().embed(texts, **kwargs)
            TimedEmbedder.embed_seconds += time.perf_counter() - t
            TimedEmbedder.embedded += len(texts)
            return vectors

    paths = sorted(p for p in filings.iterdir() if p.suffix.lower() in {".pdf", ".htm", ".html", ".txt"})
    embedder = TimedEmbedder(backend=backend, use_cache=False)
    t = time.perf_counter()
    embedder.warm_up()
    load_s = time.perf_counter() - t
    TimedEmbedder.embed_seconds = TimedEmbedder.embedded = 0
    t = time.perf_counter()
    retriever = Retriever.build(paths, out=out / "pdfs", embedder=embedder)
    build_s = time.perf_counter() - t
    chunks, embed_s, embedded = len(retriever), TimedEmbedder.embed_seconds, TimedEmbedder.embedded
    build_rss = peak_rss_mb()

    retriever.search(queries[0], k=5)  # warm-up
    latencies = []
    for q in queries:
        t = time.perf_counter()
        retriever.search(q, k=5)
        latencies.append((time.perf_counter() - t) * 1000)
    result = {
        "backend": backend, "filings": len(paths), "chunks": chunks, "embedded_texts": embedded,
        "build_seconds": round(build_s, 1), "build_chunks_per_second": round(chunks / build_s, 1),
        "embed_seconds": round(embed_s, 1), "embed_chunks_per_second": round(embedded / embed_s, 1),
        "model_load_seconds": round(load_s, 2), "build_peak_rss_mb": build_rss,
        "parse_workers_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
        "index_size_mb": round(dir_size(out / "pdfs") / 1e6, 1),
        "search_p50_ms": round(percentile(latencies, 50), 1), "search_p95_ms": round(percentile(latencies, 95), 1),
        "recall_pagehit": _recall(retriever, ROOT / "eval" / "pagehit_gold.jsonl"),
    }
    seeds = Retriever.build([(e.path, e.meta) for e in read_manifest()], out=out / "seeds", embedder=embedder)
    result["recall_seed_gold"] = _recall(seeds, ROOT / "eval" / "gold.jsonl")
    edgar = filings / "edgar"
    why = [edgar / f"{name}.html" for name in WHY_FILINGS if (edgar / f"{name}.html").exists()]
    if len(why) == len(WHY_FILINGS):
        result["recall_why_gold"] = _recall(Retriever.build(why, out=out / "why", embedder=embedder),
                                            ROOT / "eval" / "why_gold.jsonl")
    return result


def cosines(reference: Path, other: Path) -> dict:
    """Cosine of each passage's vector in `other` to the same passage's in `reference` (same texts, same ids)."""
    import faiss
    import numpy as np

    from index import persist

    def vectors(directory: Path):
        index = faiss.read_index(str(directory / persist.VECTORS))
        rows = persist.read_jsonl(directory / persist.CHUNKS)
        ids = np.array([r["id"] for r in rows], dtype=np.int64)
        return {r["id"]: r["text"] for r in rows}, ids, np.vstack([index.reconstruct(int(i)) for i in ids])

    ref_text, ref_ids, ref = vectors(reference)
    new_text, new_ids, new = vectors(other)
    if ref_text != new_text:
        raise SystemExit("the two builds chunked differently; cosines would compare different passages")
    order = np.argsort(new_ids)[np.searchsorted(np.sort(new_ids), ref_ids)]
    cos = (ref * new[order]).sum(axis=1)
    return {"passages": len(cos), "mean_cosine": round(float(cos.mean()), 4), "min_cosine": round(float(cos.min()), 4),
            "p01_cosine": round(float(np.percentile(cos, 1)), 4)}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--filings", default=str(ROOT.parent / "shared" / "filings"))
    ap.add_argument("--backends", default="st-fp32,onnx-int8", help="comma-separated; the first is the reference")
    ap.add_argument("--json", default=str(ROOT / "bench" / "results" / "index_bench.json"))
    ap.add_argument("--queries", default=str(ROOT / "bench" / "queries.txt"))
    ap.add_argument("--one", help=argparse.SUPPRESS)  # internal: measure one backend, print its JSON
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args()
    queries = [q.strip() for q in Path(args.queries).read_text().splitlines() if q.strip() and not q.startswith("#")]
    if not args.one and not any(Path(args.filings).glob("*.pdf")):
        print(skip_line("index_bench", "the build benchmark", Path(args.filings)), file=sys.stderr)
        return 2

    if args.one:
        print(json.dumps(one_backend(args.one, Path(args.filings), Path(args.out), queries)))
        return 0

    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    work = Path(tempfile.mkdtemp(prefix="filingqa-index-bench-"))
    results = []
    for backend in backends:
        print(f"index_bench: {backend} ...", file=sys.stderr, flush=True)
        run = subprocess.run([sys.executable, __file__, "--one", backend, "--filings", args.filings,
                              "--out", str(work / backend), "--queries", args.queries],
                             capture_output=True, text=True, check=False)
        if run.returncode != 0:
            print(run.stderr[-4000:], file=sys.stderr)
            return 1
        results.append(json.loads(run.stdout.strip().splitlines()[-1]))
    reference = results[0]
    for backend, result in zip(backends[1:], results[1:]):
        result["vs_reference"] = {
            **cosines(work / backends[0] / "pdfs", work / backend / "pdfs"),
            "build_speedup_vs_reference_embedding": round(result["build_chunks_per_second"]
                                                          / reference["embed_chunks_per_second"], 2),
            "embed_speedup": round(result["embed_chunks_per_second"] / reference["embed_chunks_per_second"], 2),
        }
    report({"reference": backends[0], "backends": results, "machine": machine(),
            "command": "python bench/index_bench.py"}, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
