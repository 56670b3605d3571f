"""Exact inner-product search over FAISS, addressed by integer chunk ids: the default store.

Vectors are unit length, so inner product is cosine similarity. `IndexIDMap2(IndexFlatIP)` keeps search exact and
lets one filing's vectors be removed without re-embedding the rest. 1.5 KB a 384-d passage; a search reads every
vector (bench/scale_bench.py measures where that stops being fast enough).
"""
from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np

from index.errors import IndexDamagedError
from index.stores.base import FaissStore


class ExactStore(FaissStore):
    backend = "faiss-exact"

    def _new_index(self, dimension: int) -> faiss.Index:
        return faiss.IndexIDMap2(faiss.IndexFlatIP(dimension))

    def _adopt(self, index: faiss.Index, path: Path | str) -> faiss.Index:
        # A damaged file FAISS still reads shows as vectors that are not finite or not of unit length.
        if index.ntotal:
            flat = faiss.downcast_index(index.index) if hasattr(index, "index") else index
            if not hasattr(flat, "get_xb"):
                raise IndexDamagedError(f"{path} is not an exact index (found {type(flat).__name__})")
            vectors = faiss.rev_swig_ptr(flat.get_xb(), index.ntotal * index.d).reshape(index.ntotal, index.d)
            norms = np.linalg.norm(vectors, axis=1)
            if not np.all(np.isfinite(norms)) or np.any(np.abs(norms - 1.0) > 1e-2):
                raise IndexDamagedError(f"{path} is damaged (vectors that are not finite or not of unit length)")
        return index

    def vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """(ids, vectors) of every passage, in insertion order: what another store is built from."""
        n = len(self)
        if not n:
            return np.zeros(0, dtype=np.int64), np.zeros((0, self.dimension), dtype=np.float32)
        flat = faiss.downcast_index(self._index.index)
        vectors = faiss.rev_swig_ptr(flat.get_xb(), n * self.dimension).reshape(n, self.dimension).copy()
        return faiss.vector_to_array(self._index.id_map).astype(np.int64), vectors
