"""What every vector store is (the seven methods filingqa uses), and the FAISS code the FAISS stores share.

A store holds unit-length vectors under integer chunk ids and answers inner-product (cosine) top-k searches,
optionally restricted to some ids. `add` may be given each passage's metadata and text (`rows`), which a store that
holds passages keeps (LanceDB) and the FAISS stores ignore. `search(q)` is `search_batch([q])[0]`: one code path. `save` writes one file and
returns its SHA-256 (the manifest keeps it); `load`/`from_bytes` read it back, refusing a damaged file with
IndexDamagedError. `copy` gives an independent store (an index state is copied, changed, then swapped in whole).
Every backend passes the one contract suite in tests/index/test_store_contract.py, with a numpy search as oracle.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, ClassVar, Mapping, Protocol, Sequence, runtime_checkable

import faiss
import numpy as np

from index.errors import IndexDamagedError

Ranked = list[tuple[int, float]]


@runtime_checkable
class VectorStore(Protocol):
    backend: ClassVar[str]  # the name the manifest records ("faiss-exact")
    filename: ClassVar[str]  # what `save` writes in an index folder: a file ("vectors.faiss") or a folder
    dimension: int

    def __len__(self) -> int: ...
    def add(self, ids: np.ndarray, vectors: np.ndarray, rows: Sequence[Mapping[str, Any]] | None = None) -> None: ...
    def remove(self, ids: np.ndarray) -> int: ...
    def search(self, query: np.ndarray, k: int, allowed_ids: np.ndarray | None = None) -> Ranked: ...
    def search_batch(self, queries: np.ndarray, k: int, allowed_ids: np.ndarray | None = None) -> list[Ranked]: ...
    def save(self, path: Path) -> str: ...
    def copy(self) -> "VectorStore": ...
    def params(self) -> dict[str, Any]: ...


def checked(ids: np.ndarray, vectors: np.ndarray, dimension: int) -> tuple[np.ndarray, np.ndarray]:
    """What `add` takes, as contiguous int64 ids and float32 vectors; ValueError naming the bad shape."""
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    if vectors.ndim != 2 or vectors.shape[1] != dimension:
        raise ValueError(f"expected vectors of shape (n, {dimension}), got {vectors.shape}")
    ids = np.ascontiguousarray(ids, dtype=np.int64)
    if len(ids) != len(vectors):
        raise ValueError(f"{len(ids)} ids for {len(vectors)} vectors")
    return ids, vectors


class FaissStore:
    """The FAISS side every FAISS store shares: ids in, (id, score) out, serialised to one file.

    Subclasses make the index (`_new_index`), may prepare it before an add (`_before_add`, e.g. train) and set the
    search parameters (`_search_params`)."""

    backend: ClassVar[str] = ""
    filename: ClassVar[str] = "vectors.faiss"

    def __init__(self, dimension: int):
        self.dimension = dimension
        self._index = self._new_index(dimension)

    def _new_index(self, dimension: int) -> faiss.Index:
        raise NotImplementedError

    def _before_add(self, vectors: np.ndarray) -> None:
        """Called with each batch before it is added (an IVF store trains on its first)."""

    def _search_params(self, selector: faiss.IDSelector | None, k: int) -> faiss.SearchParameters | None:
        return faiss.SearchParameters(sel=selector) if selector is not None else None

    def params(self) -> dict[str, Any]:
        """What the manifest records beside the backend's name (an IVF store's lists and probes)."""
        return {}

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def add(self, ids: np.ndarray, vectors: np.ndarray, rows: Sequence[Mapping[str, Any]] | None = None) -> None:
        ids, vectors = checked(ids, vectors, self.dimension)
        if len(ids):
            self._before_add(vectors)
            self._index.add_with_ids(vectors, ids)

    def remove(self, ids: np.ndarray) -> int:
        ids = np.ascontiguousarray(ids, dtype=np.int64)
        return int(self._index.remove_ids(faiss.IDSelectorBatch(ids))) if len(ids) else 0

    def search_batch(self, queries: np.ndarray, k: int, allowed_ids: np.ndarray | None = None) -> list[Ranked]:
        """Top-k (id, cosine) per query; `allowed_ids` restricts the search inside FAISS, not by post-filtering."""
        if len(self) == 0 or k <= 0:
            return [[] for _ in range(len(queries))]
        queries = np.ascontiguousarray(queries, dtype=np.float32)
        selector = allowed = None
        if allowed_ids is not None:
            if len(allowed_ids) == 0:
                return [[] for _ in range(len(queries))]
            # Keep the id array and selector alive until the search returns: FAISS holds raw pointers.
            allowed = np.ascontiguousarray(allowed_ids, dtype=np.int64)
            selector = faiss.IDSelectorBatch(allowed)
            k = min(k, len(allowed))
        params = self._search_params(selector, k)
        scores, ids = self._index.search(queries, min(k, len(self)), params=params)
        del params, selector, allowed
        return [[(int(i), float(s)) for i, s in zip(row_ids, row_scores) if i != -1] for row_ids, row_scores in zip(ids, scores)]

    def search(self, query: np.ndarray, k: int, allowed_ids: np.ndarray | None = None) -> Ranked:
        return self.search_batch(query.reshape(1, -1), k, allowed_ids)[0]

    def copy(self) -> "FaissStore":
        """An independent copy: a change to it leaves this store as it is."""
        store = object.__new__(type(self))
        store.__dict__.update(self.__dict__)
        store._index = faiss.clone_index(self._index)
        return store

    def save(self, path: Path) -> str:
        """Write the vectors; returns the SHA-256 of the bytes written (the manifest keeps it)."""
        data = faiss.serialize_index(self._index).tobytes()
        Path(path).write_bytes(data)
        return hashlib.sha256(data).hexdigest()

    @classmethod
    def load(cls, path: Path, dimension: int, params: dict[str, Any] | None = None) -> "FaissStore":
        if Path(path).is_dir():
            raise IndexDamagedError(f"{path} is not a FAISS file (it is a folder: another store's?)")
        return cls.from_bytes(Path(path).read_bytes(), dimension, path, params)

    @classmethod
    def from_bytes(cls, data: bytes, dimension: int, path: Path | str = "vectors",
                   params: dict[str, Any] | None = None) -> "FaissStore":
        """Vectors as `save` wrote them; IndexDamagedError (naming `path`) for anything else."""
        try:
            index = faiss.deserialize_index(np.frombuffer(data, dtype=np.uint8))
        except (RuntimeError, ValueError) as exc:
            raise IndexDamagedError(f"{path} is damaged (FAISS cannot read it: {str(exc).splitlines()[0][:160]})") from exc
        if index.d != dimension:
            raise IndexDamagedError(f"{path}: vectors have dimension {index.d}, expected {dimension}")
        store = cls(dimension, **(params or {}))
        store._index = store._adopt(index, path)
        return store

    def _adopt(self, index: faiss.Index, path: Path | str) -> faiss.Index:
        """The index read from `path`, checked as this backend can check it (IndexDamagedError if not)."""
        return index
