"""One version of an index, in memory and on disk.

An `IndexState` is never changed in place: a change makes a new state (`with_added`, `without`), which a Retriever
saves and only then puts in place of the old one. A search reads one state from start to end, so it sees the index
before or after a change, never a mix; a failed save leaves the state in memory as it was on disk.

`load_state` reads a folder written by `save_state` (or by format 1), checking every file against the manifest.
"""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

import numpy as np

from corpus import Filing
from corpus.serialize import filing_from_dict, filing_to_dict
from index import persist
from index.chunker import ChunkerConfig
from index.embedder import EmbedderInfo
from index.errors import IndexBusyError, IndexDamagedError, IndexMismatchError
from index.lexical import LexicalIndex
from index.model import Chunk
from index.prepare import PreparedFiling, Source
from index.query import company_aliases
from index.stores import (
    APPROXIMATE_ABOVE,
    DEFAULT_STORE,
    ExactStore,
    IvfStore,
    VectorStore,
    chosen_backend,
    new_store,
    store_class,
)

READ_ATTEMPTS = 20  # reads that straddled a writer's swap are retried (each swap is one rename)


@dataclass(frozen=True)
class IndexState:
    """The passages, their vectors and the filings' metadata of one revision of an index.

    `filings` maps doc_id to what the manifest keeps of a filing: its metadata (`Filing.meta()`), `chunks`, `origin`
    ("bundled" or "user"), `given` (the metadata it was loaded with), `stored_source` (the copy of a user's file,
    relative to the folder). `files` holds the SHA-256 of each file as saved, `revision` the manifest's revision.
    """

    store: VectorStore
    chunks: Mapping[int, Chunk]
    filings: Mapping[str, Mapping[str, Any]]
    next_id: int = 0
    notes: Mapping[str, Any] = field(default_factory=dict)
    revision: str | None = None
    files: Mapping[str, str] = field(default_factory=dict)
    unindexed: tuple[Mapping[str, Any], ...] = ()  # stored files a rebuild could not parse: kept, with the reason
    row_ids: np.ndarray = field(init=False, repr=False, compare=False)
    lexical: LexicalIndex = field(init=False, repr=False, compare=False)
    aliases: Mapping[str, set[str]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        row_ids = np.array(sorted(self.chunks), dtype=np.int64)
        object.__setattr__(self, "row_ids", row_ids)
        object.__setattr__(self, "lexical", LexicalIndex([self.chunks[i].embed_text for i in row_ids.tolist()]))
        object.__setattr__(self, "aliases", {d: company_aliases(m.get("company"), d, (m.get("extra") or {}).get("ticker"))
                                             for d, m in self.filings.items()})

    @classmethod
    def empty(cls, dimension: int, notes: Mapping[str, Any] | None = None) -> "IndexState":
        """No passages yet, in the store `notes["store"]` names (a caller's choice, kept with the index), else the one
        `$FILINGQA_STORE` names, else the default (exact; it becomes approximate as the index grows, see `with_added`)."""
        notes = dict(notes or {})
        return cls(new_store(notes.get("store") or chosen_backend() or DEFAULT_STORE, dimension), {}, {}, 0, notes)

    def with_added(self, entries: Iterable[tuple[PreparedFiling, str | None]]) -> "IndexState":
        """A new state with each prepared filing added (under its filing's doc_id), replacing the doc_id paired
        with it, if any. The store is copied: this state stays as it was."""
        store = self.store.copy()
        chunks = dict(self.chunks)
        filings = {d: dict(m) for d, m in self.filings.items()}
        files = dict(self.files)
        next_id = self.next_id
        for prepared, replaces in entries:
            if replaces is not None:
                _drop(store, chunks, filings, files, replaces)
            filing = prepared.filing
            ids = np.arange(next_id, next_id + len(prepared.chunks), dtype=np.int64)
            next_id += len(prepared.chunks)
            if len(ids):
                store.add(ids, prepared.vectors, [_row(c, filing) for c in prepared.chunks])
            chunks.update(zip(ids.tolist(), prepared.chunks))
            filings[filing.doc_id] = entry_for(prepared)
            files.pop(filing_file(filing.doc_id), None)  # written anew by the next save
        return replace(self, store=_fitted(store, self.notes), chunks=chunks, filings=filings, files=files,
                       next_id=next_id)

    def without(self, doc_id: str) -> "IndexState":
        store = self.store.copy()
        chunks, filings, files = dict(self.chunks), {d: dict(m) for d, m in self.filings.items()}, dict(self.files)
        _drop(store, chunks, filings, files, doc_id)
        return replace(self, store=store, chunks=chunks, filings=filings, files=files)

    def with_content(self, content_hash: str) -> str | None:
        """The doc_id of the filing with these bytes, if one is indexed."""
        return next((d for d, m in self.filings.items() if m.get("content_hash") == content_hash), None)


def _row(chunk: Chunk, filing: Filing) -> dict[str, Any]:
    """What a store that holds passages keeps of one: its text and the metadata searches filter by."""
    return {"doc_id": chunk.doc_id, "company": chunk.company, "form": chunk.form, "fiscal_year": filing.fiscal_year,
            "fiscal_quarter": filing.fiscal_quarter, "period": chunk.period, "text": chunk.embed_text}


def _fitted(store: VectorStore, notes: Mapping[str, Any]) -> VectorStore:
    """The store for the index's new size: an exact store grown past APPROXIMATE_ABOVE passages becomes the
    approximate one, unless a backend was chosen (by the caller, kept in the notes, or by `$FILINGQA_STORE`)."""
    if notes.get("store") or chosen_backend() or not isinstance(store, ExactStore) or len(store) <= APPROXIMATE_ABOVE:
        return store
    ids, vectors = store.vectors()
    approximate = IvfStore(store.dimension)
    approximate.add(ids, vectors)
    return approximate


def _drop(store: VectorStore, chunks: dict, filings: dict, files: dict, doc_id: str) -> None:
    ids = np.array([i for i, c in chunks.items() if c.doc_id == doc_id], dtype=np.int64)
    store.remove(ids)
    for i in ids.tolist():
        del chunks[i]
    filings.pop(doc_id, None)
    files.pop(filing_file(doc_id), None)


def filing_file(doc_id: str) -> str:
    return f"{persist.FILINGS}/{doc_id}.json"


def given_key(meta: Mapping[str, Any]) -> str:
    """The metadata a filing was loaded with, as one comparable string."""
    return json.dumps({k: v for k, v in sorted(meta.items()) if k != "doc_id"}, sort_keys=True, default=str)


def stored_source_path(content_hash: str, name: str) -> str:
    """Where the index keeps a user's file: by content, under its own (shortened) name."""
    stem, dot, suffix = name.rpartition(".")
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in (stem if dot else name))[:80] or "filing"
    return f"{persist.SOURCES}/{content_hash}/{safe}{dot}{suffix if dot else ''}"


def entry_for(prepared: PreparedFiling) -> dict[str, Any]:
    """What the manifest keeps of a prepared filing."""
    filing, source = prepared.filing, prepared.source
    entry = {**filing.meta(), "chunks": len(prepared.chunks), "origin": source.origin, "given": given_key(source.meta)}
    if source.origin == "user" and source.path is not None:
        entry["stored_source"] = stored_source_path(filing.content_hash, source.path.name)
    return entry


# --------------------------------------------------------------------------- disk

def manifest_of(state: IndexState, info: EmbedderInfo, config: ChunkerConfig, libraries: Mapping[str, str]) -> dict:
    return {
        "format_version": persist.FORMAT_VERSION,
        "revision": state.revision,
        "embedding_model": {"name": info.name, "dimension": info.dimension, "max_seq_length": info.max_seq_length,
                            "backend": info.backend, "precision": info.precision, "model_id": info.model_id},
        "chunker": config.to_dict(),
        "libraries": dict(libraries),
        "count": len(state.chunks),
        "next_id": state.next_id,
        "filings": {d: dict(m) for d, m in sorted(state.filings.items())},
        "unindexed": [dict(u) for u in state.unindexed],
        "notes": dict(state.notes),
        "store": {"backend": state.store.backend, "params": state.store.params()},
        "files": dict(sorted(state.files.items())),
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


def save_state(directory: Path, state: IndexState, new_filings: Mapping[str, Filing], *, sources: Mapping[str, Path],
               info: EmbedderInfo, config: ChunkerConfig, libraries: Mapping[str, str]) -> IndexState:
    """Write `state` as the index at `directory` (hold the write lock). Returns it with its new revision and files.

    `new_filings` are the filings to write; every other filing's file, stored source and derived data is linked
    from the folder as it is. `sources` maps a stored-source path (relative) to the user's file to copy there.
    """
    old = Path(directory)
    revision = uuid.uuid4().hex
    files: dict[str, str] = {}

    def write_into(tmp: Path) -> None:
        files[state.store.filename] = state.store.save(tmp / state.store.filename)
        files[persist.CHUNKS] = persist.write_jsonl(
            tmp / persist.CHUNKS, ({"id": i, **c.to_dict()} for i, c in sorted(state.chunks.items())))
        (tmp / persist.FILINGS).mkdir()
        for doc_id, meta in state.filings.items():
            name = filing_file(doc_id)
            if doc_id in new_filings:
                files[name] = persist.write_json(tmp / name, filing_to_dict(new_filings[doc_id]))
            else:
                persist.link_or_copy(old / name, tmp / name)
                files[name] = state.files.get(name) or persist.file_sha256(tmp / name)
            stored = meta.get("stored_source")
            if stored:
                given = sources.get(stored)
                if given is not None:
                    persist.copy_file(given, tmp / stored)
                elif (old / stored).is_file():
                    persist.link_or_copy(old / stored, tmp / stored)
        for item in state.unindexed:  # kept although a rebuild could not parse them
            stored = item.get("stored_source")
            if stored and stored in sources:
                persist.copy_file(sources[stored], tmp / stored)
            elif stored and (old / stored).is_file():
                persist.link_or_copy(old / stored, tmp / stored)
        _carry_derived(old, tmp, state, new_filings)
        saved = replace(state, revision=revision, files=files)
        persist.write_json(tmp / persist.MANIFEST, manifest_of(saved, info, config, libraries))  # last: marks it whole

    persist.write_atomic(old, write_into)
    return replace(state, revision=revision, files=dict(files))


def _carry_derived(old: Path, tmp: Path, state: IndexState, new_filings: Mapping[str, Filing]) -> None:
    """Keep what was derived for filings still indexed and unchanged (a replaced filing's is stale by its key)."""
    folder = old / persist.DERIVED
    if not folder.is_dir():
        return
    for path in folder.glob("*/*.json"):
        if path.stem in state.filings and path.stem not in new_filings:
            persist.link_or_copy(path, tmp / persist.DERIVED / path.parent.name / path.name)


def check_compatible(manifest: Mapping[str, Any], info: EmbedderInfo, directory: Path) -> None:
    """IndexMismatchError unless the index was built in a format this code reads, with this embedder."""
    if manifest.get("format_version") not in persist.READABLE_FORMATS:
        raise IndexMismatchError(f"{directory}: index format {manifest.get('format_version')!r}, this filingqa reads "
                                 f"formats {', '.join(map(str, persist.READABLE_FORMATS))}; rebuild the index")
    built = manifest.get("embedding_model") or {}
    if built.get("name") != info.name or built.get("dimension") != info.dimension:
        raise IndexMismatchError(
            f"{directory}: index was built with {built.get('name')!r} ({built.get('dimension')}-d) but the "
            f"embedder is {info.name!r} ({info.dimension}-d); rebuild the index or load it with the model it was built with")
    built_backend = built.get("backend", "st-fp32")  # indexes from before backends were recorded
    if built_backend != info.backend:
        # int8 and fp32 vectors of one model differ slightly; mixing them would shift every score
        raise IndexMismatchError(
            f"{directory}: index was embedded with the {built_backend!r} backend but the embedder uses "
            f"{info.backend!r}; load it with Embedder(backend={built_backend!r}) or rebuild the index")
    if built.get("model_id") and built["model_id"] != info.model_id:
        raise IndexMismatchError(
            f"{directory}: index was embedded by {built['model_id']!r}, this install embeds with {info.model_id!r} "
            f"(another export recipe or runtime version); rebuild the index")


def load_state(directory: Path, check: Callable[[Mapping[str, Any]], None]) -> tuple[IndexState, dict[str, Any]]:
    """Read the index at `directory`: its state and manifest. `check(manifest)` refuses an index built otherwise.

    Every file is checked against the manifest's checksum; a read that a writer's swap overtook is read again;
    a damaged file is an IndexDamagedError that names it.
    """
    directory = Path(directory)
    for _ in range(READ_ATTEMPTS):
        manifest = persist.read_manifest(directory)
        check(manifest)
        info = manifest["embedding_model"]
        kept = manifest.get("store") or {"backend": DEFAULT_STORE}  # indexes from before stores were named: exact
        kind = store_class(kept.get("backend", DEFAULT_STORE))
        try:
            store = _read_store(kind, directory, manifest, info["dimension"], kept.get("params"))
            chunk_rows = persist.read_checked(directory, persist.CHUNKS, manifest)
        except IndexDamagedError:
            if manifest.get("revision") and persist.revision(directory) != manifest.get("revision"):
                continue  # replaced while being read
            raise
        if manifest.get("revision") and persist.revision(directory) != manifest.get("revision"):
            continue
        break
    else:
        raise IndexBusyError(f"the index at {directory} kept changing while it was read; try again")
    try:
        chunks = {row["id"]: Chunk.from_dict(row) for row in persist.read_jsonl(chunk_rows, str(directory / persist.CHUNKS))}
    except (KeyError, TypeError) as exc:
        raise IndexDamagedError(f"{directory / persist.CHUNKS} is damaged ({exc.__class__.__name__}: {exc})") from exc
    if len(chunks) != len(store):
        raise IndexDamagedError(f"{directory}: {len(chunks)} passages but {len(store)} vectors; the index is damaged, "
                                f"rebuild it")
    filings = manifest["filings"]
    files = dict(manifest.get("files") or {})
    state = IndexState(store, chunks, filings, int(manifest.get("next_id") or 0), manifest.get("notes") or {},
                       manifest.get("revision"), files, tuple(manifest.get("unindexed") or ()))
    return state, manifest


def _read_store(kind: type, directory: Path, manifest: Mapping[str, Any], dimension: int,
                params: Mapping[str, Any] | None) -> VectorStore:
    """The index's vector store, checked against the manifest: one file (FAISS) or a folder (LanceDB)."""
    if hasattr(kind, "from_bytes"):
        data = persist.read_checked(directory, kind.filename, manifest)
        return kind.from_bytes(data, dimension, directory / kind.filename, dict(params or {}))
    return kind.load(directory / kind.filename, dimension, dict(params or {}),
                     expected=(manifest.get("files") or {}).get(kind.filename))


def read_filing(directory: Path, doc_id: str, state: IndexState) -> Filing:
    """A filing as parsed, from the folder, checked against the state's checksum of its file."""
    name = filing_file(doc_id)
    expected = state.files.get(name)
    data = persist.read_checked(directory, name, {"files": {name: expected}} if expected else {})
    try:
        return filing_from_dict(json.loads(data.decode("utf-8")))
    except (ValueError, UnicodeDecodeError, KeyError, TypeError) as exc:
        raise IndexDamagedError(f"{Path(directory) / name} is damaged ({exc.__class__.__name__}: {exc})") from exc


def stored_user_sources(directory: Path, bundled_ids: Mapping[str, str]) -> tuple[list[Source], list[str]]:
    """What a user added to the index at `directory`, for a rebuild: whatever state the folder is in.

    Returns the sources (their stored files; from a format-1 index, which kept none, the filings as parsed) and
    notes of what could not be recovered. `bundled_ids` maps each bundled doc_id to its content hash: a filing
    of a format-1 index that is not bundled is the user's.
    """
    directory = Path(directory)
    sources: list[Source] = []
    notes: list[str] = []
    try:
        manifest = persist.read_manifest(directory)
    except Exception:  # noqa: BLE001 - a manifest that cannot be read still leaves the stored files to go by
        manifest = None
    if manifest is not None:
        entries = list(manifest["filings"].items()) + [(u.get("doc_id"), u) for u in manifest.get("unindexed") or ()]
        for doc_id, meta in entries:
            origin = meta.get("origin") or ("bundled" if bundled_ids.get(doc_id) == meta.get("content_hash") else "user")
            if origin != "user":
                continue
            given = json.loads(meta["given"]) if meta.get("given") else {}
            stored = meta.get("stored_source")
            if stored and (directory / stored).is_file():
                sources.append(Source(directory / stored, given, "user", doc_id=doc_id))
                continue
            try:
                parsed = filing_from_dict(json.loads((directory / filing_file(doc_id)).read_text(encoding="utf-8")))
                sources.append(Source(None, given, "user", parsed=parsed, doc_id=doc_id))
            except (OSError, ValueError, KeyError, TypeError):
                notes.append(f"{doc_id}: neither its file nor its parsed copy could be read")
        return sources, notes
    for path in persist.stored_sources(directory):  # the manifest is gone: the stored files are all there is
        sources.append(Source(path, {}, "user"))
    return sources, notes
