"""Vector stores from 10k to 1M passages: build rate, memory, disk, search latency and recall@10 against exact.

    python bench/scale_bench.py --passages 10000,100000,1000000 [--backend faiss-exact,faiss-ivf-sq8] [--json OUT]
                                [--index DIR]

Passages are the shared filings' own: the vectors of an index over ../shared/filings (built once into bench/out,
or `--index DIR`), repeated until N with each copy moved as much as perturbing a passage's figures moves its vector
(measured here: 200 passages embedded again with every digit changed), so no two are identical and copies sit where
a near-duplicate passage would. Queries: 200 real questions from the gold sets (eval/*.jsonl), embedded; each
backend's recall@10 is against exact search over the same vectors. Each backend and size runs in a child process,
so its peak memory is its own. Embedding is not timed here (bench/index_bench.py measures it): the build rate is the
store's (train, add, save).
The JSON is a list, one object per (backend, size): backend, passages, recall_at_10, build_passages_per_s,
search_p50_ms, search_p95_ms, peak_rss_mb, disk_mb, bytes_per_passage, params.
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import machine, peak_rss_mb, percentile, skip_line  # noqa: E402

SHARED = ROOT.parent / "shared" / "filings"
BASE_INDEX = ROOT / "bench" / "out" / "scale-base"
QUERY_COUNT = 200
K = 10


def base_index(given: str | None) -> Path:
    """An index over the shared filings, whose passages and vectors the benchmark repeats."""
    if given:
        return Path(given)
    if (BASE_INDEX / "manifest.json").is_file():
        return BASE_INDEX
    files = sorted(SHARED.glob("*.pdf")) + sorted((SHARED / "edgar").glob("*.htm*"))
    if not files:
        raise SystemExit(skip_line("scale_bench", "every size", SHARED))
    from index.retriever import Retriever

    print(f"scale_bench: indexing {len(files)} shared filings once into {BASE_INDEX} ...", file=sys.stderr, flush=True)
    Retriever.build(files, out=BASE_INDEX, progress=True, store="faiss-exact")
    return BASE_INDEX


def questions() -> list[str]:
    seen: list[str] = []
    for name in ("whyhow_gold.jsonl", "analyst_gold.jsonl", "why_gold.jsonl", "gold.jsonl", "ask_gold.jsonl"):
        for line in (ROOT / "eval" / name).read_text(encoding="utf-8").splitlines():
            q = json.loads(line).get("question") if line.strip() else None
            if q and q not in seen:
                seen.append(q)
    return seen[::max(1, len(seen) // QUERY_COUNT)][:QUERY_COUNT]


def perturbed(text: str, rng: np.random.Generator) -> str:
    return re.sub(r"\d", lambda _: str(rng.integers(0, 10)), text)


def prepare(index_dir: Path, work: Path) -> dict:
    """Base vectors, query vectors and the copies' noise, written to `work` for the child processes."""
    from index.retriever import Retriever

    retriever = Retriever.load(index_dir)
    ids, vectors = retriever.store.vectors()
    rng = np.random.default_rng(0)
    sample = rng.choice(len(ids), min(200, len(ids)), replace=False)
    texts = [retriever.chunks[int(ids[i])].embed_text for i in sample]
    moved = retriever.embedder.embed([perturbed(t, rng) for t in texts])
    cosines = np.sum(moved * vectors[sample], axis=1)
    mean_cos = float(np.clip(cosines.mean(), 0.5, 0.9999))
    sigma = float(np.sqrt((1 / mean_cos**2 - 1) / vectors.shape[1]))  # E[cos(v, v + n)] for n ~ N(0, sigma^2 I)
    queries = retriever.embedder.embed(questions())
    np.save(work / "base.npy", vectors)
    np.save(work / "queries.npy", queries)
    return {"base_passages": int(len(ids)), "copy_cosine": round(mean_cos, 4), "copy_sigma": sigma,
            "queries": int(len(queries))}


def corpus(base: np.ndarray, n: int, sigma: float) -> np.ndarray:
    """`n` unit vectors: the base ones, then copies of them each moved by noise of `sigma` per dimension."""
    rng = np.random.default_rng(1)
    out = np.empty((n, base.shape[1]), dtype=np.float32)
    for start in range(0, n, 100_000):
        stop = min(n, start + 100_000)
        rows = base[np.arange(start, stop) % len(base)]
        noisy = rows + (rng.normal(0, sigma, rows.shape).astype(np.float32) if start or stop > len(base) else 0)
        if start < len(base):  # the first len(base) rows are the passages themselves
            noisy[: min(stop, len(base)) - start] = rows[: min(stop, len(base)) - start]
        out[start:stop] = noisy / np.linalg.norm(noisy, axis=1, keepdims=True)
    return out


def one(backend: str, n: int, work: Path, sigma: float) -> dict:
    """Build `backend` over n passages, search it, compare with exact search: in this (child) process."""
    import faiss

    from index.stores import new_store

    faiss.omp_set_num_threads(2)
    vectors = corpus(np.load(work / "base.npy"), n, sigma)
    queries = np.load(work / "queries.npy")
    start = time.perf_counter()
    store = new_store(backend, vectors.shape[1])
    store.add(np.arange(n, dtype=np.int64), vectors)
    path = work / f"{backend}-{n}-{store.filename}"
    store.save(path)
    build_s = time.perf_counter() - start
    latencies, found = [], []
    for q in queries:
        t = time.perf_counter()
        found.append([i for i, _ in store.search(q, K)])
        latencies.append((time.perf_counter() - t) * 1000)
    truth = np.argpartition(-(queries @ vectors.T), K, axis=1)[:, :K]  # exact top-K sets, by numpy: the oracle
    recall = float(np.mean([len(set(f) & set(t.tolist())) / K for f, t in zip(found, truth)]))
    disk = path.stat().st_size if path.is_file() else sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    shutil.rmtree(path) if path.is_dir() else path.unlink()
    return {"backend": backend, "passages": n, "recall_at_10": round(recall, 4),
            "build_passages_per_s": round(n / build_s), "build_seconds": round(build_s, 1),
            "search_p50_ms": round(percentile(latencies, 50), 2), "search_p95_ms": round(percentile(latencies, 95), 2),
            "peak_rss_mb": peak_rss_mb(), "disk_mb": round(disk / 1e6, 1), "bytes_per_passage": round(disk / n),
            "params": store.params()}


def main() -> int:
    ap = argparse.ArgumentParser(prog="python bench/scale_bench.py")
    ap.add_argument("--passages", default="10000,100000,1000000", help="comma-separated sizes")
    ap.add_argument("--backend", default="faiss-exact,faiss-ivf-sq8", help="comma-separated store backends")
    ap.add_argument("--index", help="an index whose passages are repeated (default: one over ../shared/filings)")
    ap.add_argument("--json", default=str(ROOT / "bench" / "results" / "scale_bench.json"))
    ap.add_argument("--one", nargs=4, metavar=("BACKEND", "N", "WORK", "SIGMA"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        backend, n, work, sigma = args.one
        print(json.dumps(one(backend, int(n), Path(work), float(sigma))))
        return 0
    from index.errors import IndexMismatchError
    from index.stores import store_class

    backends = [b.strip() for b in args.backend.split(",") if b.strip()]
    try:
        for backend in backends:
            store_class(backend)  # an unknown name fails here, in one line, before anything is built
    except IndexMismatchError as exc:
        print(f"scale_bench: {exc}", file=sys.stderr)
        return 2
    sizes = [int(s) for s in args.passages.split(",") if s.strip()]
    work = Path(tempfile.mkdtemp(prefix="filingqa-scale-"))
    setup = prepare(base_index(args.index), work)
    print(f"scale_bench: {setup}", file=sys.stderr, flush=True)
    results = []
    for n in sizes:
        for backend in backends:
            run = subprocess.run([sys.executable, __file__, "--one", backend, str(n), str(work), str(setup["copy_sigma"])],
                                 capture_output=True, text=True)
            if run.returncode != 0:
                print(f"scale_bench: {backend} at {n:,} failed: {run.stderr.strip().splitlines()[-1:]}", file=sys.stderr)
                continue
            results.append(json.loads(run.stdout.strip().splitlines()[-1]))
            print(json.dumps(results[-1]), file=sys.stderr, flush=True)
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps({"setup": setup, "machine": machine(), "command": " ".join(["python bench/scale_bench.py",
                                                                                  *sys.argv[1:]])}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
