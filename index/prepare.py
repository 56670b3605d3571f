"""Files to passages and vectors, before anything in an index changes: parse, chunk, embed.

`prepare(sources, embedder, config)` returns one `PreparedFiling` per source. Nothing here reads or writes an index
folder, so it can run in another process and be stopped at any point (index/isolated.py), and a bad file, a filing
too large or a cancel leaves every index as it was.
"""
from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from corpus import BUNDLED_DIR, Filing, load_filing
from corpus.load import content_hash_of
from index.chunker import Chunker, ChunkerConfig
from index.embedder import Embedder, TokenCounter
from index.errors import FilingTooLargeError
from index.model import Chunk

MAX_CHUNKS_PER_FILING = 10_000  # the largest shared filing makes about 2,000
PARALLEL_PARSE_BYTES = 1_000_000  # below this, starting worker processes costs more than it saves
ORIGINS = ("bundled", "user")  # read again from corpus/filings, or from the copy the index keeps


@dataclass(frozen=True)
class Source:
    """One filing to index: a file and the metadata to load it with (`doc_id`, `company`, ... override what is
    detected), or, carried over from an index of the first format (which kept no copy of the file), the filing as
    it was parsed. `origin` says where a rebuild finds it again: "bundled" (corpus/filings) or "user" (the copy
    the index keeps under sources/); `doc_id` the id a rebuild keeps."""

    path: Path | None
    meta: Mapping[str, Any] = field(default_factory=dict)
    origin: str = "user"
    parsed: Filing | None = None
    doc_id: str | None = None  # the id it has in the index being rebuilt (kept)

    @classmethod
    def of(cls, item: "str | Path | tuple[str | Path, dict[str, Any]] | Source") -> "Source":
        if isinstance(item, Source):
            return item
        path, meta = (Path(item[0]), dict(item[1])) if isinstance(item, tuple) else (Path(item), {})
        try:
            bundled = path.resolve().parent == BUNDLED_DIR.resolve()
        except OSError:
            bundled = False
        return cls(path=path, meta=meta, origin="bundled" if bundled else "user")

    @property
    def name(self) -> str:
        return self.path.name if self.path is not None else f"{self.parsed.doc_id} (as parsed)"

    def content_hash(self) -> str:
        """The filing's identity: its file's bytes (an unreadable file gets its error when it is parsed)."""
        if self.parsed is not None:
            return self.parsed.content_hash
        try:
            return content_hash_of(self.path.read_bytes())
        except OSError:
            return ""


@dataclass(frozen=True)
class PreparedFiling:
    """A filing parsed, cut into passages and embedded: everything an index needs to take it in."""

    source: Source
    filing: Filing
    chunks: tuple[Chunk, ...]
    vectors: np.ndarray  # (len(chunks), dimension) float32, unit rows


def _die_with_parent(parent: int) -> None:
    """In a parse worker: exit when the process that started it is gone (killed), instead of parsing on for nobody."""
    def watch() -> None:
        import time

        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="filingqa-parent-watch").start()


def _parse_one(source: Source, config: ChunkerConfig, model_path: Path | None) -> tuple[Filing, list[Chunk]]:
    """Parse one file and cut it into passages (in a worker process when parsing in parallel)."""
    filing = source.parsed if source.parsed is not None else load_filing(source.path, **dict(source.meta))
    counter = TokenCounter(model_path)
    return filing, Chunker(counter.count, config, counter.count_batch, counter.token_ends).chunk(filing)


def parse_all(sources: Sequence[Source], config: ChunkerConfig, model_path: Path | None = None, *,
              progress: bool = False) -> list[tuple[Filing, list[Chunk]]]:
    """Parse and chunk every source, several at once in worker processes when there is enough to parse.

    Order is kept, and the first bad file raises its own error (FilingParseError...) as a serial parse would.
    `progress` shows a bar of filings parsed (a 10-K takes seconds; a cold build is otherwise silent until embedding).
    """
    from tqdm import tqdm

    bar = tqdm(total=len(sources), desc="parsing filings", unit="filing", disable=not progress, file=sys.stderr)
    import multiprocessing

    sizes = [s.path.stat().st_size if s.path is not None and s.path.is_file() else 0 for s in sources]
    workers = min(len(sources), os.cpu_count() or 1)
    # fork, on Linux only: spawn would re-run the caller's main script in every worker, which breaks any script
    # without an `if __name__ == "__main__"` guard. The forked workers only parse (lxml, pdfium, regex); they
    # never touch the parent's ONNX Runtime or torch thread pools. Elsewhere files are parsed one by one.
    if (workers < 2 or sum(sizes) < PARALLEL_PARSE_BYTES or sys.platform != "linux"
            or "fork" not in multiprocessing.get_all_start_methods()):
        with bar:
            return [_parsed(_parse_one(s, config, model_path), bar) for s in sources]
    from concurrent.futures import ProcessPoolExecutor

    order = sorted(range(len(sources)), key=lambda i: -sizes[i])  # largest first, so one big file does not start last
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"), initializer=_die_with_parent,
                             initargs=(os.getpid(),)) as pool:
        futures = {i: pool.submit(_parse_one, sources[i], config, model_path) for i in order}
        with bar:
            for future in futures.values():
                future.add_done_callback(lambda _: bar.update())
            return [futures[i].result() for i in range(len(sources))]


def _parsed(result: tuple[Filing, list[Chunk]], bar) -> tuple[Filing, list[Chunk]]:
    bar.update()
    return result


def check_size(filing: Filing, chunks: Sequence[Chunk], source: Source) -> None:
    if len(chunks) > MAX_CHUNKS_PER_FILING:
        raise FilingTooLargeError(  # before anything is embedded or changed
            f"{source.name}: {len(chunks):,} passages; filingqa indexes at most {MAX_CHUNKS_PER_FILING:,} per filing "
            f"(a 10-K makes a few hundred to 2,000). Split the file or index the filing itself.")


def prepare(sources: Sequence[Source], embedder: Embedder, config: ChunkerConfig, *, progress: bool = False,
            on_progress: Callable[[int, int], None] | None = None) -> list[PreparedFiling]:
    """Parse, chunk and embed `sources`. `on_progress(embedded, to_embed)` follows the embedding; raising from it
    (BuildCancelledError) stops the work. A passage repeated (boilerplate, a file pasted twice) is embedded once."""
    parsed = parse_all(list(sources), config, embedder.model_path, progress=progress)
    for source, (filing, chunks) in zip(sources, parsed):
        check_size(filing, chunks, source)
    texts = [c.embed_text for _, chunks in parsed for c in chunks]
    unique, where = np.unique(np.array(texts, dtype=object), return_inverse=True) if texts else ([], [])
    vectors = embedder.embed(list(unique), progress=progress and len(unique) > 64, on_progress=on_progress)
    if texts:
        vectors = vectors[np.asarray(where).reshape(-1)]
    out, offset = [], 0
    for source, (filing, chunks) in zip(sources, parsed):
        out.append(PreparedFiling(source, filing, tuple(chunks), vectors[offset: offset + len(chunks)]))
        offset += len(chunks)
    return out
