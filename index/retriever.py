"""Build, persist and search a hybrid (dense + BM25) index of filings.

    r = Retriever.build(["corpus/filings/crexendo-2020q3-10q-mdna.txt"], out="my-index")
    r = Retriever.load("my-index")
    r.add(["EBAY_2023Q2_10Q.pdf"]); r.remove("ebay-2023q2-10q")
    hits = r.search("why did G&A rise in Q3", k=5)

A change is prepared (parsed, chunked, embedded: index/prepare.py) without touching the index, then committed under
the index's write lock against the index as it is on disk then (another process may have changed it meanwhile),
saved, and only then served (index/state.py). A filing is the same filing as one indexed when its bytes are the same,
whatever its file is called; a different filing never replaces another because it has the same name.
"""
from __future__ import annotations

import contextlib
import json
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

import numpy as np

from corpus import Filing
from corpus.errors import FilingNotFoundError
from corpus.period_intent import parse_period_intent, period_match, resolve_period
from index import persist
from index.chunker import ChunkerConfig
from index.embedder import BACKENDS, Embedder
from index.errors import IndexChangedError, IndexDamagedError, IndexNotFoundError, InvalidQueryError
from index.isolated import prepare_isolated
from index.model import Chunk, Hit
from index.prepare import PreparedFiling, Source, prepare
from index.query import expand_query, mentioned_companies
from index.state import (
    IndexState,
    check_compatible,
    given_key,
    load_state,
    manifest_of,
    read_filing,
    save_state,
    stored_source_path,
)
from index.stores import VectorStore, chosen_backend

RRF_K = 60  # the usual reciprocal-rank-fusion constant: damps the difference between ranks 1 and 2
MAX_QUERY_CHARS = 2000
Item = "str | Path | tuple[str | Path, dict[str, Any]] | Source"


@dataclass(frozen=True)
class AddReport:
    """What `add` did, per doc_id; `notes` say what an analyst should know (another filing of the same company
    and period is indexed too; a stored file a rebuild could not read)."""

    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    chunks: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)


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


def _with_doc_id(prepared: PreparedFiling, doc_id: str) -> PreparedFiling:
    """The prepared filing under another doc_id (its vectors do not depend on it)."""
    if prepared.filing.doc_id == doc_id:
        return prepared
    chunks = tuple(replace(c, doc_id=doc_id, chunk_id=f"{doc_id}:{i:05d}") for i, c in enumerate(prepared.chunks))
    return replace(prepared, filing=replace(prepared.filing, doc_id=doc_id), chunks=chunks)


def plan_additions(state: IndexState, prepared: Sequence[PreparedFiling]) -> tuple[list[tuple[PreparedFiling, str | None]], list[str], list[str]]:
    """Which prepared filings are new, which replace an indexed one, which are already indexed; with their final ids.

    Identity is the content: the same bytes loaded with the same metadata are already indexed (whatever the file
    is called); the same bytes with other metadata replace that filing. A new filing keeps the id its file name
    gives unless another filing holds it; then the id gets its content hash (`name-1a2b3c4d`). Only an id the
    caller names (`doc_id` in the metadata, as the bundled manifest does) replaces the filing that holds it.
    Returns (entries for `IndexState.with_added`, unchanged doc_ids, notes).
    """
    taken = {d: m.get("content_hash") for d, m in state.filings.items()}
    entries: list[tuple[PreparedFiling, str | None]] = []
    unchanged: list[str] = []
    notes: list[str] = []
    for item in prepared:
        content = item.filing.content_hash
        given = given_key(item.source.meta)
        same = [d for d, h in taken.items() if h == content]
        if any(state.filings.get(d, {}).get("given") == given for d in same):
            unchanged.append(next(d for d in same if state.filings.get(d, {}).get("given") == given))
            continue
        named = item.source.doc_id or item.source.meta.get("doc_id")
        wanted = named or item.filing.doc_id
        if same and not named:
            entries.append((_with_doc_id(item, same[0]), same[0]))  # the same filing loaded with other metadata
            continue
        replaces = wanted if wanted in taken else None
        if replaces is not None and not named:
            holder = wanted
            wanted, replaces = f"{wanted}-{content[:8]}", None
            while wanted in taken:  # another filing took that too (16 hex digits name a content)
                wanted = f"{wanted}x"
            notes.append(f"another filing is indexed as {holder} already; this one, with different contents, is "
                         f"{wanted}")
        entries.append((_with_doc_id(item, wanted), replaces))
        taken.pop(replaces, None)
        taken[wanted] = content
        twin = _same_company_and_period(state, item.filing, exclude={wanted, replaces})
        if twin:
            notes.append(f"{wanted} and {twin} are both {item.filing.company}'s {item.filing.form} for the period "
                         f"ended {item.filing.period_end}, with different contents; both are kept")
    return entries, unchanged, notes


def _sources_of(entries: Iterable[tuple[PreparedFiling, str | None]]) -> dict[str, Path]:
    """The user's files to keep with the index: stored-source path (relative) -> the file as given."""
    return {stored_source_path(p.filing.content_hash, p.source.path.name): p.source.path for p, _ in entries
            if p.source.origin == "user" and p.source.path is not None}


def _same_company_and_period(state: IndexState, filing: Filing, exclude: set) -> str | None:
    """An indexed filing of the same company, form and period."""
    if not (filing.company and filing.period_end):
        return None
    return next((d for d, m in state.filings.items() if d not in exclude and m.get("company") == filing.company
                 and m.get("period_end") == filing.period_end and m.get("form") == filing.form), None)


class Retriever:
    """Hybrid retrieval over an index folder. Use `build` or `load`; changes are saved atomically, one writer at a
    time, and served only once saved."""

    def __init__(self, directory: str | Path, embedder: Embedder, *, config: ChunkerConfig | None = None,
                 state: IndexState | None = None, notes: Mapping[str, Any] | None = None,
                 lock_timeout: float = persist.LOCK_TIMEOUT_S):
        self.directory = Path(directory)
        self.embedder = embedder
        self.config = config if config is not None else ChunkerConfig()
        self._state = state if state is not None else IndexState.empty(embedder.info.dimension, notes)
        self.lock_timeout = lock_timeout
        self._filing_cache: dict[tuple[str, str], Filing] = {}  # (doc_id, content hash) -> parsed filing
        self._lock_depth = 0
        self._manifest_mark: tuple[int, int, int] | None = None  # the manifest file last seen by `refresh`

    # ---------- what is indexed now ----------

    @property
    def state(self) -> IndexState:
        return self._state

    @property
    def chunks(self) -> Mapping[int, Chunk]:
        return self._state.chunks

    @property
    def store(self) -> VectorStore:
        return self._state.store

    @property
    def notes(self) -> Mapping[str, Any]:
        return self._state.notes

    # ---------- construction ----------

    @classmethod
    def build(cls, paths: Iterable[Item], out: str | Path, *, embedder: Embedder | None = None,
              config: ChunkerConfig | None = None, progress: bool = False, notes: dict[str, Any] | None = None,
              on_progress: Callable[[int, int], None] | None = None, store: str | None = None) -> "Retriever":
        """A new index at `out` (replacing any index there) over `paths` (files, or (file, metadata) pairs).

        `on_progress(embedded, to_embed)` is called as passages are embedded; raising from it (BuildCancelledError)
        stops the build before anything is written. `store` names the vector store ("faiss-exact", "faiss-ivf-sq8";
        default: exact, approximate above index.stores.APPROXIMATE_ABOVE passages); the index keeps the choice.
        """
        if chosen_backend(store) is not None and store is not None:
            notes = {**(notes or {}), "store": store}
        retriever = cls(out, embedder if embedder is not None else Embedder(), config=config, notes=notes)
        prepared = prepare([Source.of(p) for p in paths], retriever.embedder, retriever.config, progress=progress,
                           on_progress=on_progress)
        retriever.commit(prepared, fresh=True)
        return retriever

    @classmethod
    def load(cls, directory: str | Path, *, embedder: Embedder | None = None) -> "Retriever":
        """Open an index; IndexMismatchError if it was built with another model, backend or format, IndexDamagedError
        (naming the file) if a file of it is damaged.

        Without `embedder`, queries are embedded with the backend the index was built with.
        """
        directory = Path(directory)
        if embedder is None:
            backend = (persist.read_manifest(directory).get("embedding_model") or {}).get("backend", "st-fp32")
            embedder = Embedder(backend=backend) if backend in BACKENDS else Embedder()
        state, manifest = load_state(directory, lambda m: check_compatible(m, embedder.info, directory))
        return cls(directory, embedder, config=ChunkerConfig(**manifest["chunker"]), state=state)

    def refresh(self) -> bool:
        """Serve what is on disk now if another process changed the index since it was read; True if it did.
        Cheap when nothing changed (one stat of the manifest)."""
        try:
            seen = (self.directory / persist.MANIFEST).stat()
        except OSError:
            return False
        mark = (seen.st_ino, seen.st_mtime_ns, seen.st_size)
        if mark == self._manifest_mark:
            return False
        on_disk = persist.revision(self.directory)
        changed = on_disk is not None and on_disk != self._state.revision
        if changed:
            state, _ = load_state(self.directory, lambda m: check_compatible(m, self.embedder.info, self.directory))
            self._state = state
        self._manifest_mark = mark
        return changed

    # ---------- changes ----------

    def add(self, paths: Iterable[Item], *, progress: bool = False,
            on_progress: Callable[[int, int], None] | None = None, isolated: bool = False,
            cancelled: Callable[[], bool] | None = None) -> AddReport:
        """Parse and embed new or changed filings only, then save. A filing already indexed (the same bytes, under
        any name) is a no-op.

        Every file is parsed and embedded before anything changes, so a bad file (FilingParseError), a filing
        too large, or a cancel raised from `on_progress` leaves the index as it was. `isolated` prepares them in a
        child process (index/isolated.py) that `cancelled()` stops at any point, parsing included.
        """
        started = time.perf_counter()
        todo, unchanged = self.pending([Source.of(p) for p in paths])
        if isolated and todo:
            prepared = prepare_isolated(todo, self.embedder, self.config, on_progress=on_progress, cancelled=cancelled)
        else:
            prepared = prepare(todo, self.embedder, self.config, progress=progress, on_progress=on_progress)
        report = self.commit(prepared)
        return replace(report, unchanged=unchanged + report.unchanged, seconds=time.perf_counter() - started)

    def pending(self, sources: Sequence[Source]) -> tuple[list[Source], list[str]]:
        """The sources not yet indexed (by content and metadata), and the doc_ids of those that are."""
        todo, unchanged = [], []
        state = self._state
        for source in sources:
            indexed = state.with_content(source.content_hash())
            if indexed is not None and state.filings[indexed].get("given") == given_key(source.meta):
                unchanged.append(indexed)
            else:
                todo.append(source)
        return todo, unchanged

    def commit(self, prepared: Sequence[PreparedFiling], *, fresh: bool = False) -> AddReport:
        """Take prepared filings into the index: under the write lock, against the index as it is on disk now, saved
        before it is served. `fresh` starts from an empty index (a build)."""
        started = time.perf_counter()
        with self.writing():
            base = IndexState.empty(self.embedder.info.dimension, self._state.notes) if fresh else self._on_disk()
            entries, unchanged, notes = plan_additions(base, prepared)
            if not entries and not fresh:
                self._state = base
                return AddReport(unchanged=unchanged, notes=notes, seconds=time.perf_counter() - started)
            state = base.with_added(entries)
            self._save(state, {p.filing.doc_id: p.filing for p, _ in entries}, _sources_of(entries))
        for prepared_filing, _ in entries:
            self._filing_cache[(prepared_filing.filing.doc_id, prepared_filing.filing.content_hash)] = prepared_filing.filing
        replaced = [p.filing.doc_id for p, r in entries if r is not None]
        return AddReport(added=[p.filing.doc_id for p, r in entries if r is None], replaced=replaced,
                         unchanged=unchanged, chunks=sum(len(p.chunks) for p, _ in entries), notes=notes,
                         seconds=time.perf_counter() - started)

    def remove(self, doc_id: str) -> int:
        """Drop a filing's chunks and vectors, then save. Returns the number of chunks removed."""
        with self.writing():
            base = self._on_disk()
            if doc_id not in base.filings:
                known = ", ".join(sorted(base.filings)) or "none"
                raise FilingNotFoundError(f"no filing {doc_id!r} in the index at {self.directory} (indexed: {known})")
            removed = int(base.filings[doc_id].get("chunks") or 0)
            self._save(base.without(doc_id), {}, {})
        return removed

    def replace_all(self, prepared: Sequence[PreparedFiling], unindexed: Sequence[Mapping[str, Any]] = (),
                    keep_files: Mapping[str, Path] | None = None, notes: Mapping[str, Any] | None = None) -> AddReport:
        """Make the index hold exactly these filings (a rebuild); `unindexed` lists the user's files it could not
        parse, kept with the index all the same (`keep_files`: each one's stored path -> the file to keep there)."""
        with self.writing():
            base = IndexState.empty(self.embedder.info.dimension, notes if notes is not None else self._state.notes)
            entries, _, report_notes = plan_additions(base, prepared)
            state = replace(base.with_added(entries), unindexed=tuple(unindexed))
            sources = {**_sources_of(entries), **(keep_files or {})}
            self._save(state, {p.filing.doc_id: p.filing for p, _ in entries}, sources)
        return AddReport(added=[p.filing.doc_id for p, _ in entries], chunks=sum(len(p.chunks) for p, _ in entries),
                         notes=report_notes)

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the index's write lock (re-entrant within this Retriever): a rebuild holds it from reading the old
        index to saving the new one, so no filing another process adds meanwhile is lost."""
        if self._lock_depth:
            self._lock_depth += 1
            try:
                yield
            finally:
                self._lock_depth -= 1
            return

        def waiting(holder: str) -> None:
            print(f"filingqa: waiting for {holder} to finish changing {self.directory}", file=sys.stderr)

        with persist.writer_lock(self.directory, self.lock_timeout, waiting):
            self._lock_depth = 1
            try:
                yield
            finally:
                self._lock_depth = 0

    def _on_disk(self) -> IndexState:
        """The index as saved now (hold the write lock): this one's state, unless another process changed it."""
        on_disk = persist.revision(self.directory)
        if on_disk == self._state.revision or not (self.directory / persist.MANIFEST).exists():
            return self._state
        try:
            state, _ = load_state(self.directory, lambda m: check_compatible(m, self.embedder.info, self.directory))
        except IndexNotFoundError:
            return self._state
        return state

    def manifest(self) -> dict[str, Any]:
        """The manifest of the index as served (what `manifest.json` says, but for its creation time)."""
        return manifest_of(self._state, self.embedder.info, self.config, _library_versions())

    def _save(self, state: IndexState, new_filings: Mapping[str, Filing], sources: Mapping[str, Path]) -> None:
        """Save, then serve: a failed save (a full disk) leaves what is served as it was."""
        self._state = save_state(self.directory, state, new_filings, sources=sources, info=self.embedder.info,
                                 config=self.config, libraries=_library_versions())

    # ---------- derived data ----------

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
        if doc_id not in self._state.filings:
            raise FilingNotFoundError(f"no filing {doc_id!r} in the index at {self.directory}")
        persist.write_json_atomic(self.directory / persist.DERIVED / name / f"{doc_id}.json", {"key": key, "data": data})

    # ---------- reading ----------

    def filings(self) -> list[dict[str, Any]]:
        """Metadata of every indexed filing (doc_id, company, form, period, pages, chunks, origin...)."""
        hidden = ("given", "stored_source")
        return [{k: v for k, v in meta.items() if k not in hidden} for _, meta in sorted(self._state.filings.items())]

    def unindexed(self) -> list[dict[str, Any]]:
        """Files a user added that the last rebuild could not parse (kept with the index, with the reason)."""
        return [dict(u) for u in self._state.unindexed]

    def filing(self, doc_id: str) -> Filing:
        """The parsed filing (text, sections, tables, pages) as indexed."""
        state = self._state
        meta = state.filings.get(doc_id)
        if meta is None:
            raise FilingNotFoundError(f"no filing {doc_id!r} in the index at {self.directory}")
        key = (doc_id, meta.get("content_hash"))
        if key not in self._filing_cache:
            try:
                filing = read_filing(self.directory, doc_id, state)
            except IndexDamagedError:
                if persist.revision(self.directory) not in (None, state.revision):
                    raise IndexChangedError(
                        f"the index at {self.directory} was changed by another process while this one read it; "
                        f"ask again") from None
                raise
            self._filing_cache[key] = filing
        return self._filing_cache[key]

    def __len__(self) -> int:
        return len(self._state.chunks)

    # ---------- search ----------

    def allowed_docs(self, query: str, doc_ids: Sequence[str] | None = None, company: str | None = None,
                     form: str | None = None, state: IndexState | None = None) -> set[str] | None:
        """doc_ids a search may return: explicit filters, else the filer the query names; None means all."""
        state = state if state is not None else self._state
        filings, aliases = state.filings, state.aliases
        docs = set(filings) if doc_ids is None else set(doc_ids) & set(filings)
        restricted = doc_ids is not None
        if company:
            wanted = company.lower()
            docs = {d for d in docs if wanted in (filings[d].get("company") or "").lower() or wanted in aliases[d]}
            restricted = True
        if form:
            docs = {d for d in docs if (filings[d].get("form") or "").lower() == form.lower()}
            restricted = True
        if not restricted:
            named = mentioned_companies(query, aliases)
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
        state = self._state  # one version of the index from start to end, whatever a writer does meanwhile
        chunks = state.chunks
        allowed_docs = self.allowed_docs(query, doc_ids, company, form, state)
        if not chunks or (allowed_docs is not None and not allowed_docs):
            return []
        allowed_ids = None
        if allowed_docs is not None:
            allowed_ids = np.array([i for i in state.row_ids.tolist() if chunks[i].doc_id in allowed_docs], dtype=np.int64)
        expanded = expand_query(query)
        pool = max(50, 10 * k)

        dense = state.store.search(self.embedder.embed([expanded])[0], pool, allowed_ids)
        lexical_scores = state.lexical.scores(expanded)
        if allowed_ids is not None:
            mask = np.isin(state.row_ids, allowed_ids)
            lexical_scores = np.where(mask, lexical_scores, 0.0)
        top_rows = np.argsort(-lexical_scores, kind="stable")[:pool]
        lexical = [(int(state.row_ids[r]), float(lexical_scores[r])) for r in top_rows if lexical_scores[r] > 0]

        fused: dict[int, float] = {}
        for ranking in (dense, lexical):
            for rank, (cid, _) in enumerate(ranking, start=1):
                fused[cid] = fused.get(cid, 0.0) + 1.0 / (RRF_K + rank)
        intent = parse_period_intent(period if period else query)
        targets: dict[str, Any] = {}
        for cid in fused:
            chunk = chunks[cid]
            if chunk.doc_id not in targets:
                meta = state.filings[chunk.doc_id]
                targets[chunk.doc_id] = resolve_period(intent, meta.get("fiscal_quarter"), meta.get("fiscal_year"),
                                                          meta.get("period_end"), (meta.get("extra") or {}).get("fiscal_year_end"))
            fused[cid] *= period_match(targets[chunk.doc_id], chunk.period_months, chunk.period_end)
        best_possible = 2.0 / (RRF_K + 1)
        dense_by_id = dict(dense)
        lexical_by_id = dict(lexical)
        ranked = sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
        return [self._hit(chunks[cid], score / best_possible, dense_by_id.get(cid, 0.0), lexical_by_id.get(cid, 0.0))
                for cid, score in ranked]

    @staticmethod
    def _hit(c: Chunk, score: float, dense_score: float, lexical_score: float) -> Hit:
        # dense_score 0.0: outside the dense candidate pool; lexical_score 0.0: no query word matched
        return Hit(text=c.text, score=round(float(score), 6), doc_id=c.doc_id, section=c.section, segment=c.segment,
                   period=c.period, page=c.page, start=c.start, end=c.end, chunk_id=c.chunk_id,
                   section_title=c.section_title, company=c.company, form=c.form, kind=c.kind,
                   dense_score=round(float(dense_score), 6), lexical_score=round(float(lexical_score), 6))

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
