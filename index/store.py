"""Exact inner-product vector store over FAISS, addressed by integer chunk ids.

Vectors are unit length, so inner product is cosine similarity. `IndexIDMap2(IndexFlatIP)` keeps
search exact and lets one filing's vectors be removed without re-embedding the rest.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import faiss
import numpy as np

from index.errors import IndexDamagedError


class VectorStore:
    def __init__(self, dimension: int):
        self.dimension = dimension
        self._index = faiss.IndexIDMap2(faiss.IndexFlatIP(dimension))

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or vectors.shape[1] != self.dimension:
            raise ValueError(f"expected vectors of shape (n, {self.dimension}), got {vectors.shape}")
        ids = np.ascontiguousarray(ids, dtype=np.int64)
        if len(ids) != len(vectors):
            raise ValueError(f"{len(ids)} ids for {len(vectors)} vectors")
        self._index.add_with_ids(vectors, ids)

    def remove(self, ids: np.ndarray) -> int:
        ids = np.ascontiguousarray(ids, dtype=np.int64)
        return int(self._index.remove_ids(faiss.IDSelectorBatch(ids))) if len(ids) else 0

    def search_batch(self, queries: np.ndarray, k: int, allowed_ids: np.ndarray | None = None) -> list[list[tuple[int, float]]]:
        """Top-k (id, cosine) per query; `allowed_ids` restricts the search (exactly, not by post-filtering)."""
        if len(self) == 0 or k <= 0:
            return [[] for _ in range(len(queries))]
        queries = np.ascontiguousarray(queries, dtype=np.float32)
        params = selector = allowed = None
        if allowed_ids is not None:
            if len(allowed_ids) == 0:
                return [[] for _ in range(len(queries))]
            # Keep the id array and selector alive until the search returns: FAISS holds raw pointers.
            allowed = np.ascontiguousarray(allowed_ids, dtype=np.int64)
            selector = faiss.IDSelectorBatch(allowed)
            params = faiss.SearchParameters(sel=selector)
            k = min(k, len(allowed))
        scores, ids = self._index.search(queries, min(k, len(self)), params=params)
        del params, selector, allowed
        return [[(int(i), float(s)) for i, s in zip(row_ids, row_scores) if i != -1] for row_ids, row_scores in zip(ids, scores)]

    def search(self, query: np.ndarray, k: int, allowed_ids: np.ndarray | None = None) -> list[tuple[int, float]]:
        return self.search_batch(query.reshape(1, -1), k, allowed_ids)[0]

    def copy(self) -> "VectorStore":
        """An independent copy: a change to it leaves this store as it is."""
        store = VectorStore(self.dimension)
        store._index = faiss.clone_index(self._index)
        return store

    def save(self, path: Path) -> str:
        """Write the vectors; returns the SHA-256 of the bytes written (the manifest keeps it)."""
        data = faiss.serialize_index(self._index).tobytes()
        Path(path).write_bytes(data)
        return hashlib.sha256(data).hexdigest()

    @classmethod
    def load(cls, path: Path, dimension: int) -> "VectorStore":
        return cls.from_bytes(Path(path).read_bytes(), dimension, path)

    @classmethod
    def from_bytes(cls, data: bytes, dimension: int, path: Path | str = "vectors") -> "VectorStore":
        """Vectors as `save` wrote them; IndexDamagedError (naming `path`) for anything else, including vectors that
        are not finite or not of unit length (a damaged file that FAISS would still read)."""
        try:
            index = faiss.deserialize_index(np.frombuffer(data, dtype=np.uint8))
        except (RuntimeError, ValueError) as exc:
            raise IndexDamagedError(f"{path} is damaged (FAISS cannot read it: {str(exc).splitlines()[0][:160]})") from exc
        if index.d != dimension:
            raise IndexDamagedError(f"{path}: vectors have dimension {index.d}, expected {dimension}")
        store = cls(dimension)
        store._index = index
        if len(store):
            flat = faiss.downcast_index(index.index) if hasattr(index, "index") else index
            vectors = faiss.rev_swig_ptr(flat.get_xb(), len(store) * dimension).reshape(len(store), dimension)
            norms = np.linalg.norm(vectors, axis=1)
            if not np.all(np.isfinite(norms)) or np.any(np.abs(norms - 1.0) > 1e-2):
                raise IndexDamagedError(f"{path} is damaged (vectors that are not finite or not of unit length)")
        return store
