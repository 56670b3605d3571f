"""Build, persist and search a hybrid (dense + BM25) index of filings.

    r = Retriever.build(["corpus/filings/crexendo-2020q3-10q-mdna.txt"], out="my-index")
    r = Retriever.load("my-index")
    r.add(["EBAY_2023Q2_10Q.pdf"]); r.remove("ebay-2023q2-10q")
    hits = r.search("why did G&A rise in Q3", k=5)
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import numpy as np

from corpus import Filing, load_filing
from corpus.errors import FilingNotFoundError
from corpus.period_intent import parse_period_intent, period_match, resolve_period
from corpus.serialize import filing_from_dict, filing_to_dict
from index import persist
from index.chunker import Chunker, ChunkerConfig
from index.embedder import BACKENDS, Embedder, TokenCounter
from index.errors import FilingTooLargeError, IndexMismatchError, InvalidQueryError
from index.lexical import LexicalIndex
from index.model import Chunk, Hit
from index.query import company_aliases, expand_query, mentioned_companies
from index.store import VectorStore

RRF_K = 60  # the usual reciprocal-rank-fusion constant: damps the difference between ranks 1 and 2
MAX_QUERY_CHARS = 2000


@dataclass
class AddReport:
    """What `add` did, per doc_id."""

    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    chunks: int = 0
    seconds: float = 0.0


MAX_CHUNKS_PER_FILING = 10_000  # the largest shared filing makes about 2,000


def _library_versions() -> dict[str, str]:
    """Installed versions, read from package metadata (importing torch just to name it costs seconds)."""
    from importlib import metadata

    versions = {}
    for dist in ("faiss-cpu", "sentence-transformers", "torch", "onnxruntime", "numpy"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            continue
    return versions


PARALLEL_PARSE_BYTES = 1_000_000  # below this, starting worker processes costs more than it saves


def _load_one(item, config: ChunkerConfig, model_path: Path | None) -> tuple[Filing, list[Chunk]]:
    """Parse one file and cut it into passages (in a worker process when parsing in parallel)."""
    path, meta = _as_path_and_meta(item)
    filing = load_filing(path, **meta)
    counter = TokenCounter(model_path)
    return filing, Chunker(counter.count, config, counter.count_batch).chunk(filing)


def _load_all(items: list, config: ChunkerConfig, model_path: Path | None = None) -> list[tuple[Filing, list[Chunk]]]:
    """Parse and chunk every file, several at once in worker processes when there is enough to parse.

    Order is kept, and the first bad file raises its own error (FilingParseError...) as a serial parse would.
    """
    import multiprocessing

    paths = [_as_path_and_meta(i)[0] for i in items]
    sizes = [p.stat().st_size if p.is_file() else 0 for p in paths]
    workers = min(len(items), os.cpu_count() or 1)
    # fork, on Linux only: spawn would re-run the caller's main script in every worker, which breaks any script
    # without an `if __name__ == "__main__"` guard. The forked workers only parse (lxml, pdfium, regex); they
    # never touch the parent's ONNX Runtime or torch thread pools. Elsewhere files are parsed one by one.
    if (workers < 2 or sum(sizes) < PARALLEL_PARSE_BYTES or sys.platform != "linux"
            or "fork" not in multiprocessing.get_all_start_methods()):
        return [_load_one(i, config, model_path) for i in items]
    from concurrent.futures import ProcessPoolExecutor

    order = sorted(range(len(items)), key=lambda i: -sizes[i])  # largest first, so one big file does not start last
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        futures = {i: pool.submit(_load_one, items[i], config, model_path) for i in order}
        return [futures[i].result() for i in range(len(items))]


def _as_path_and_meta(item: str | Path | tuple[str | Path, dict[str, Any]]) -> tuple[Path, dict[str, Any]]:
    if isinstance(item, tuple):
        return Path(item[0]), dict(item[1])
    return Path(item), {}


class Retriever:
    """Hybrid retrieval over an index folder. Use `build` or `load`; changes are saved atomically."""

    def __init__(self, directory: str | Path, embedder: Embedder, *, config: ChunkerConfig | None = None,
                 store: VectorStore | None = None, chunks: dict[int, Chunk] | None = None,
                 filings: dict[str, dict[str, Any]] | None = None, next_id: int = 0, notes: dict[str, Any] | None = None):
        self.directory = Path(directory)
        self.embedder = embedder
        self.config = config if config is not None else ChunkerConfig()
        self.store = store if store is not None else VectorStore(embedder.info.dimension)
        self.chunks: dict[int, Chunk] = chunks if chunks is not None else {}
        self._filings: dict[str, dict[str, Any]] = filings if filings is not None else {}
        self._next_id = next_id
        self.notes: dict[str, Any] = notes if notes is not None else {}
        self._filing_cache: dict[str, Filing] = {}
        self._refresh_lexical()

    # ---------- construction ----------

    @classmethod
    def build(cls, paths: Iterable[str | Path | tuple[str | Path, dict[str, Any]]], out: str | Path, *,
              embedder: Embedder | None = None, config: ChunkerConfig | None = None, progress: bool = False,
              notes: dict[str, Any] | None = None, on_progress: Callable[[int, int], None] | None = None) -> "Retriever":
        """A new index at `out` (replacing any index there) over `paths` (files, or (file, metadata) pairs).

        `on_progress(embedded, to_embed)` is called as passages are embedded; raising from it (BuildCancelledError)
        stops the build before anything is written.
        """
        retriever = cls(out, embedder if embedder is not None else Embedder(), config=config, notes=notes)
        retriever._add(list(paths), progress=progress, on_progress=on_progress)
        retriever.save()
        return retriever

    @classmethod
    def load(cls, directory: str | Path, *, embedder: Embedder | None = None) -> "Retriever":
        """Open an index; IndexMismatchError if it was built with another model, backend or format.

        Without `embedder`, queries are embedded with the backend the index was built with.
        """
        directory = Path(directory)
        manifest = persist.read_manifest(directory)
        if embedder is None:
            backend = manifest.get("embedding_model", {}).get("backend", "st-fp32")
            embedder = Embedder(backend=backend) if backend in BACKENDS else Embedder()
        cls._check_compatible(manifest, embedder, directory)
        info = manifest["embedding_model"]
        store = VectorStore.load(directory / persist.VECTORS, info["dimension"])
        chunks = {row["id"]: Chunk.from_dict(row) for row in persist.read_jsonl(directory / persist.CHUNKS)}
        if len(chunks) != len(store):
            raise IndexMismatchError(f"{directory}: {len(chunks)} chunks but {len(store)} vectors; the index is damaged, rebuild it")
        return cls(directory, embedder, config=ChunkerConfig(**manifest["chunker"]), store=store, chunks=chunks,
                   filings=manifest["filings"], next_id=manifest["next_id"], notes=manifest.get("notes", {}))

    @staticmethod
    def _check_compatible(manifest: dict[str, Any], embedder: Embedder, directory: Path) -> None:
        if manifest.get("format_version") != persist.FORMAT_VERSION:
            raise IndexMismatchError(f"{directory}: index format {manifest.get('format_version')!r}, this filingqa "
                                     f"reads format {persist.FORMAT_VERSION}; rebuild the index")
        built = manifest.get("embedding_model", {})
        want = embedder.info
        if built.get("name") != want.name or built.get("dimension") != want.dimension:
            raise IndexMismatchError(
                f"{directory}: index was built with {built.get('name')!r} ({built.get('dimension')}-d) but the "
                f"embedder is {want.name!r} ({want.dimension}-d); rebuild the index or load it with the model it was built with")
        built_backend = built.get("backend", "st-fp32")  # indexes from before backends were recorded
        if built_backend != want.backend:
            # int8 and fp32 vectors of one model differ slightly; mixing them would shift every score
            raise IndexMismatchError(
                f"{directory}: index was embedded with the {built_backend!r} backend but the embedder uses "
                f"{want.backend!r}; load it with Embedder(backend={built_backend!r}) or rebuild the index")
        if built.get("model_id") and built["model_id"] != want.model_id:
            raise IndexMismatchError(
                f"{directory}: index was embedded by {built['model_id']!r}, this install embeds with {want.model_id!r} "
                f"(another export recipe or runtime version); rebuild the index")

    # ---------- changes ----------

    def add(self, paths: Iterable[str | Path | tuple[str | Path, dict[str, Any]]], *, progress: bool = False,
            on_progress: Callable[[int, int], None] | None = None) -> AddReport:
        """Parse and embed new or changed filings only, then save. An unchanged filing is a no-op.

        Every file is parsed and embedded before anything changes, so a bad file (FilingParseError), a filing
        too large, or a cancel raised from `on_progress` leaves the index as it was.
        """
        report = self._add(list(paths), progress=progress, on_progress=on_progress)
        if report.added or report.replaced:
            self.save()
        return report

    def remove(self, doc_id: str) -> int:
        """Drop a filing's chunks and vectors, then save. Returns the number of chunks removed."""
        if doc_id not in self._filings:
            known = ", ".join(sorted(self._filings)) or "none"
            raise FilingNotFoundError(f"no filing {doc_id!r} in the index at {self.directory} (indexed: {known})")
        removed = self._drop(doc_id)
        self.save()
        return removed

    def _drop(self, doc_id: str) -> int:
        ids = np.array([i for i, c in self.chunks.items() if c.doc_id == doc_id], dtype=np.int64)
        self.store.remove(ids)
        for i in ids.tolist():
            del self.chunks[i]
        self._filings.pop(doc_id, None)
        self._filing_cache.pop(doc_id, None)
        self._refresh_lexical()
        return len(ids)

    def _add(self, items: list, *, progress: bool, on_progress: Callable[[int, int], None] | None = None) -> AddReport:
        started = time.perf_counter()
        report = AddReport()
        planned: list[tuple[Filing, list[Chunk]]] = []
        for filing, chunks in _load_all(items, self.config, self.embedder.model_path):  # raises before any change
            old = self._filings.get(filing.doc_id)
            if old is not None and old["content_hash"] == filing.content_hash and old.get("meta_key") == self._meta_key(filing):
                report.unchanged.append(filing.doc_id)
                continue
            planned.append((filing, chunks))
        parsed = [f for f, _ in planned]
        for filing, chunks in planned:
            if len(chunks) > MAX_CHUNKS_PER_FILING:
                raise FilingTooLargeError(  # before anything is embedded or changed
                    f"{Path(filing.source).name}: {len(chunks):,} passages; filingqa indexes at most "
                    f"{MAX_CHUNKS_PER_FILING:,} per filing (a 10-K makes a few hundred to 2,000). Split the file or "
                    f"index the filing itself.")
        texts = [c.embed_text for _, chunks in planned for c in chunks]
        # A passage repeated (boilerplate, a file pasted twice) is embedded once.
        unique, where = np.unique(np.array(texts, dtype=object), return_inverse=True) if texts else ([], [])
        vectors = self.embedder.embed(list(unique), progress=progress and len(unique) > 64, on_progress=on_progress)
        if len(texts):
            vectors = vectors[np.asarray(where).reshape(-1)]
        offset = 0
        for filing, chunks in planned:
            if filing.doc_id in self._filings:
                self._drop(filing.doc_id)
                report.replaced.append(filing.doc_id)
            else:
                report.added.append(filing.doc_id)
            ids = np.arange(self._next_id, self._next_id + len(chunks), dtype=np.int64)
            self._next_id += len(chunks)
            self.store.add(ids, vectors[offset: offset + len(chunks)])
            offset += len(chunks)
            for i, chunk in zip(ids.tolist(), chunks):
                self.chunks[i] = chunk
            self._filings[filing.doc_id] = {**filing.meta(), "chunks": len(chunks), "meta_key": self._meta_key(filing)}
            self._filing_cache[filing.doc_id] = filing
            report.chunks += len(chunks)
        if parsed:
            self._refresh_lexical()
        report.seconds = time.perf_counter() - started
        return report

    @staticmethod
    def _meta_key(filing: Filing) -> str:
        return json.dumps([filing.company, filing.form, filing.period_end, filing.fiscal_year, filing.fiscal_quarter])

    # ---------- persistence ----------

    def manifest(self) -> dict[str, Any]:
        return {
            "format_version": persist.FORMAT_VERSION,
            "embedding_model": {"name": self.embedder.info.name, "dimension": self.embedder.info.dimension,
                                "max_seq_length": self.embedder.info.max_seq_length,
                                "backend": self.embedder.info.backend, "precision": self.embedder.info.precision,
                                "model_id": self.embedder.info.model_id},
            "chunker": self.config.to_dict(),
            "libraries": _library_versions(),
            "count": len(self.chunks),
            "next_id": self._next_id,
            "filings": self._filings,
            "notes": self.notes,
            "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }

    def save(self) -> None:
        """Write the whole index to a temporary folder and swap it in (atomic)."""
        filings = {doc_id: self.filing(doc_id) for doc_id in self._filings}

        def write_into(tmp: Path) -> None:
            self._carry_derived(tmp)
            self.store.save(tmp / persist.VECTORS)
            persist.write_jsonl(tmp / persist.CHUNKS, ({"id": i, **c.to_dict()} for i, c in sorted(self.chunks.items())))
            (tmp / persist.FILINGS).mkdir()
            for doc_id, filing in filings.items():
                persist.write_json(tmp / persist.FILINGS / f"{doc_id}.json", filing_to_dict(filing))
            persist.write_json(tmp / persist.MANIFEST, self.manifest())  # last: its presence marks a complete index

        persist.write_atomic(self.directory, write_into)

    def _carry_derived(self, tmp: Path) -> None:
        """Keep what was derived for the filings still indexed (a replaced filing's is stale by its key anyway)."""
        old = self.directory / persist.DERIVED
        if not old.is_dir():
            return
        for path in old.glob("*/*.json"):
            if path.stem in self._filings:
                target = tmp / persist.DERIVED / path.parent.name / path.name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)

    def derived(self, name: str, doc_id: str, key: str) -> Any | None:
        """What was stored under `name` for a filing with this `key`, or None (never stored, or for another key)."""
        path = self.directory / persist.DERIVED / name / f"{doc_id}.json"
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return stored.get("data") if isinstance(stored, dict) and stored.get("key") == key else None

    def store_derived(self, name: str, doc_id: str, key: str, data: Any) -> None:
        """Keep per-filing data computed above the index (e.g. its facts) with the index, under `key`."""
        if doc_id not in self._filings:
            raise FilingNotFoundError(f"no filing {doc_id!r} in the index at {self.directory}")
        persist.write_json_atomic(self.directory / persist.DERIVED / name / f"{doc_id}.json", {"key": key, "data": data})

    # ---------- reading ----------

    def filings(self) -> list[dict[str, Any]]:
        """Metadata of every indexed filing (doc_id, company, form, period, pages, chunks...)."""
        return [{k: v for k, v in meta.items() if k != "meta_key"} for _, meta in sorted(self._filings.items())]

    def filing(self, doc_id: str) -> Filing:
        """The parsed filing (text, sections, tables, pages) as indexed."""
        if doc_id not in self._filing_cache:
            path = self.directory / persist.FILINGS / f"{doc_id}.json"
            if doc_id not in self._filings or not path.exists():
                raise FilingNotFoundError(f"no filing {doc_id!r} in the index at {self.directory}")
            self._filing_cache[doc_id] = filing_from_dict(json.loads(path.read_text(encoding="utf-8")))
        return self._filing_cache[doc_id]

    def __len__(self) -> int:
        return len(self.chunks)

    def _refresh_lexical(self) -> None:
        self._row_ids = np.array(sorted(self.chunks), dtype=np.int64)
        self._lexical = LexicalIndex([self.chunks[i].embed_text for i in self._row_ids.tolist()])
        self._aliases = {d: company_aliases(m.get("company"), d, (m.get("extra") or {}).get("ticker"))
                         for d, m in self._filings.items()}

    # ---------- search ----------

    def allowed_docs(self, query: str, doc_ids: Sequence[str] | None = None, company: str | None = None,
                     form: str | None = None) -> set[str] | None:
        """doc_ids a search may return: explicit filters, else the filer the query names; None means all."""
        docs = set(self._filings) if doc_ids is None else set(doc_ids) & set(self._filings)
        restricted = doc_ids is not None
        if company:
            wanted = company.lower()
            docs = {d for d in docs if wanted in (self._filings[d].get("company") or "").lower() or wanted in self._aliases[d]}
            restricted = True
        if form:
            docs = {d for d in docs if (self._filings[d].get("form") or "").lower() == form.lower()}
            restricted = True
        if not restricted:
            named = mentioned_companies(query, self._aliases)
            if named:
                return named
        return docs if restricted else None

    def search(self, query: str, k: int = 5, doc_ids: Sequence[str] | None = None, *, company: str | None = None,
               form: str | None = None, period: str | None = None) -> list[Hit]:
        """Top-k passages for `query` (see `Hit` for what the scores mean).

        `doc_ids`, `company` and `form` restrict the filings searched; without them, a query that names an
        indexed company ("Apple's R&D") searches only that company's filings. `period` ("Q3", "nine months",
        "FY2022") overrides the period words found in the query; passages from the matching period rank higher.
        """
        query = self._validate(query, k)
        allowed_docs = self.allowed_docs(query, doc_ids, company, form)
        if not self.chunks or (allowed_docs is not None and not allowed_docs):
            return []
        allowed_ids = None
        if allowed_docs is not None:
            allowed_ids = np.array([i for i in self._row_ids.tolist() if self.chunks[i].doc_id in allowed_docs], dtype=np.int64)
        expanded = expand_query(query)
        pool = max(50, 10 * k)

        dense = self.store.search(self.embedder.embed([expanded])[0], pool, allowed_ids)
        lexical_scores = self._lexical.scores(expanded)
        if allowed_ids is not None:
            mask = np.isin(self._row_ids, allowed_ids)
            lexical_scores = np.where(mask, lexical_scores, 0.0)
        top_rows = np.argsort(-lexical_scores, kind="stable")[:pool]
        lexical = [(int(self._row_ids[r]), float(lexical_scores[r])) for r in top_rows if lexical_scores[r] > 0]

        fused: dict[int, float] = {}
        for ranking in (dense, lexical):
            for rank, (cid, _) in enumerate(ranking, start=1):
                fused[cid] = fused.get(cid, 0.0) + 1.0 / (RRF_K + rank)
        intent = parse_period_intent(period if period else query)
        targets: dict[str, Any] = {}
        for cid in fused:
            chunk = self.chunks[cid]
            if chunk.doc_id not in targets:
                meta = self._filings[chunk.doc_id]
                targets[chunk.doc_id] = resolve_period(intent, meta.get("fiscal_quarter"), meta.get("fiscal_year"),
                                                          meta.get("period_end"), (meta.get("extra") or {}).get("fiscal_year_end"))
            fused[cid] *= period_match(targets[chunk.doc_id], chunk.period_months, chunk.period_end)
        best_possible = 2.0 / (RRF_K + 1)
        dense_by_id = dict(dense)
        lexical_by_id = dict(lexical)
        ranked = sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
        return [self._hit(cid, score / best_possible, dense_by_id, lexical_by_id) for cid, score in ranked]

    def _hit(self, cid: int, score: float, dense: dict[int, float], lexical: dict[int, float]) -> Hit:
        c = self.chunks[cid]
        dense_score = dense.get(cid, 0.0)  # 0.0: outside the dense candidate pool
        return Hit(text=c.text, score=round(float(score), 6), doc_id=c.doc_id, section=c.section, segment=c.segment,
                   period=c.period, page=c.page, start=c.start, end=c.end, chunk_id=c.chunk_id,
                   section_title=c.section_title, company=c.company, form=c.form, kind=c.kind,
                   dense_score=round(float(dense_score), 6), lexical_score=round(float(lexical.get(cid, 0.0)), 6))

    @staticmethod
    def _validate(query: str, k: int) -> str:
        if not isinstance(query, str) or not query.strip():
            raise InvalidQueryError("the query is empty; ask something like \"why did G&A rise in Q3?\"")
        if len(query) > MAX_QUERY_CHARS:
            raise InvalidQueryError(f"the query is {len(query):,} characters; the limit is {MAX_QUERY_CHARS:,}")
        if not any(ch.isalnum() for ch in query):
            raise InvalidQueryError(f"the query {query!r} has no words or figures to search for")
        if not isinstance(k, int) or k < 1 or k > 1000:
            raise InvalidQueryError(f"k must be an integer from 1 to 1000, got {k!r}")
        return query.strip()
