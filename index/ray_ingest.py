"""Ingestion on Ray: parse, chunk and embed filings as a Ray Data pipeline, written into an index as they finish.

    python -m index ingest FILE... --index DIR [--ray-address ray://host:10001] [--workers N] [--store lancedb]

`ray.init()` starts a local Ray on this machine unless `--ray-address` names a cluster. Each worker (a Ray actor)
loads the embedder once, with one thread, and turns a filing's path into a `PreparedFiling`; the driver commits them
to the index every `group` filings (each commit is a saved index revision), so a run stopped part-way keeps what it
wrote. A re-run skips every filing already indexed (the same bytes, by content hash: `Retriever.pending`), and a
filing embedded before reuses the cached vectors (index/embed_cache.py, shared by the workers on this machine).
For a few filings the single-process `Retriever.build/add` stays the default: starting Ray costs seconds.
"""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from index.chunker import ChunkerConfig
from index.embedder import Embedder
from index.prepare import PreparedFiling, Source, check_size, parse_all
from index.retriever import Item, Retriever


@dataclass(frozen=True)
class IngestReport:
    added: tuple[str, ...]
    skipped: int  # filings already indexed, untouched
    passages: int
    seconds: float
    workers: int

    @property
    def passages_per_s(self) -> float:
        return self.passages / self.seconds if self.seconds else 0.0


class _Prepare:
    """A Ray actor: the embedder loaded once per worker, then path -> PreparedFiling, one filing a call."""

    def __init__(self, embedder_settings: dict[str, Any], config: dict[str, Any]):
        self.embedder = Embedder(**{**embedder_settings, "threads": 1})
        self.embedder.warm_up()
        self.config = ChunkerConfig(**config)

    def __call__(self, row: dict[str, Any]) -> dict[str, Any]:
        source = row["source"]
        (filing, chunks), = parse_all([source], self.config, self.embedder.model_path)
        check_size(filing, chunks, source)
        vectors = self.embedder.embed([c.embed_text for c in chunks])
        return {"prepared": PreparedFiling(source, filing, tuple(chunks), vectors)}


def ingest(paths: Sequence[Item], index_dir: str | Path, *, ray_address: str | None = None, workers: int | None = None,
           group: int = 8, store: str | None = None, embedder: Embedder | None = None,
           progress: bool = True) -> IngestReport:
    """Add `paths` to the index at `index_dir` (made if missing) through Ray; see the module's docstring."""
    import ray

    started = time.perf_counter()
    index_dir = Path(index_dir)
    embedder = embedder if embedder is not None else Embedder()
    retriever = (Retriever.load(index_dir, embedder=embedder) if (index_dir / "manifest.json").is_file()
                 else Retriever.build([], out=index_dir, embedder=embedder, store=store))
    todo, unchanged = retriever.pending([Source.of(p) for p in paths])
    if not todo:
        return IngestReport((), len(unchanged), 0, time.perf_counter() - started, 0)
    if not ray.is_initialized():
        ray.init(address=ray_address, include_dashboard=False, log_to_driver=False, configure_logging=False)
    workers = workers or max(1, int(ray.available_resources().get("CPU", 1)))
    dataset = ray.data.from_items([{"source": s} for s in todo], override_num_blocks=len(todo)).map(
        _Prepare, fn_constructor_args=(embedder.settings(), retriever.config.to_dict()), concurrency=workers, num_cpus=1)
    added, passages, batch = [], 0, []

    def commit() -> None:
        nonlocal passages
        report = retriever.commit(batch)
        added.extend(report.added + report.replaced)
        passages += report.chunks
        if progress:
            print(f"ingest: {len(added)}/{len(todo)} filings written ({passages:,} passages, "
                  f"{time.perf_counter() - started:.0f} s)", file=sys.stderr, flush=True)
        batch.clear()

    for row in dataset.iter_rows():
        batch.append(row["prepared"])
        if len(batch) >= group:
            commit()
    if batch:
        commit()
    return IngestReport(tuple(added), len(unchanged), passages, time.perf_counter() - started, workers)
