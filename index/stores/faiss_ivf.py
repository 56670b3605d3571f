"""Approximate search for millions of passages: FAISS IVF with 8-bit scalar-quantised vectors.

The vectors are split into `nlist` clusters (k-means, trained on the first vectors added); a search compares the
query with the cluster centres and scans the `nprobe` nearest clusters. Each vector is kept in 8 bits a dimension:
384 bytes a passage instead of 1.5 KB, and a search reads about nprobe/nlist of them. A search restricted to some
ids (a company's filings) scans every cluster, comparing only the allowed ids, so a filter never loses a passage to
the clusters it skipped. Ids are added and removed in place, like the exact store. Recall@10 against exact search,
memory and speed at 10k-1M passages: bench/scale_bench.py (README, "Beyond one machine").
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from index.errors import IndexDamagedError
from index.stores.base import FaissStore

# Lists per passage: FAISS's guidance of 4·sqrt(n) clusters, trained on at least 39 vectors a list when there are.
LISTS_PER_SQRT = 4
MIN_LISTS, MAX_LISTS = 16, 65536
# Clusters scanned per search: a share of the lists, at least MIN_PROBES. Swept on the shared filings' passages
# (bench/scale_bench.py's vectors, 200 gold questions): at 10k passages (400 lists) recall@10 is 0.949 with 32
# probes, 0.966 with 48; at 100k (1,265 lists) 0.986 with 32, 0.990 with 80, at under 1 ms a search.
PROBE_SHARE = 1 / 16
MIN_PROBES = 48
TRAIN_SAMPLE = 100_000  # k-means on at most this many vectors (the rest are only assigned)


def lists_for(n: int) -> int:
    return int(min(MAX_LISTS, max(MIN_LISTS, round(LISTS_PER_SQRT * math.sqrt(max(n, 1))), 1)))


def probes_for(nlist: int) -> int:
    return int(min(nlist, max(MIN_PROBES, math.ceil(nlist * PROBE_SHARE))))


class IvfStore(FaissStore):
    backend = "faiss-ivf-sq8"

    def __init__(self, dimension: int, nlist: int | None = None, nprobe: int | None = None):
        self.nlist = nlist  # None: chosen from the first vectors added
        self.nprobe = nprobe
        super().__init__(dimension)

    def _new_index(self, dimension: int) -> faiss.Index | None:
        return None if self.nlist is None else self._ivf(dimension, self.nlist)

    @staticmethod
    def _ivf(dimension: int, nlist: int) -> faiss.Index:
        quantizer = faiss.IndexFlatIP(dimension)
        index = faiss.IndexIVFScalarQuantizer(quantizer, dimension, nlist, faiss.ScalarQuantizer.QT_8bit,
                                              faiss.METRIC_INNER_PRODUCT)
        index.own_fields = True
        quantizer.this.disown()  # owned by the IVF index from here
        return index

    def params(self) -> dict[str, Any]:
        return {"nlist": self.nlist, "nprobe": self._probes()}

    def _probes(self) -> int | None:
        return self.nprobe if self.nprobe is not None else probes_for(self.nlist) if self.nlist else None

    def __len__(self) -> int:
        return 0 if self._index is None else int(self._index.ntotal)

    def _before_add(self, vectors: np.ndarray) -> None:
        if self._index is None:
            self.nlist = min(lists_for(len(vectors)), len(vectors))
            self._index = self._ivf(self.dimension, self.nlist)
        if not self._index.is_trained:
            sample = vectors
            if len(vectors) > TRAIN_SAMPLE:
                sample = vectors[np.random.default_rng(0).choice(len(vectors), TRAIN_SAMPLE, replace=False)]
            self._index.train(np.ascontiguousarray(sample))

    def remove(self, ids: np.ndarray) -> int:
        return 0 if self._index is None else super().remove(ids)

    def search_batch(self, queries: np.ndarray, k: int, allowed_ids: np.ndarray | None = None):
        if self._index is None:
            return [[] for _ in range(len(queries))]
        return super().search_batch(queries, k, allowed_ids)

    def _search_params(self, selector: faiss.IDSelector | None, k: int) -> faiss.SearchParameters:
        # filtered: every list, comparing only the allowed ids (exact within the 8-bit vectors)
        nprobe = self.nlist if selector is not None else self._probes()
        return faiss.SearchParametersIVF(sel=selector, nprobe=int(nprobe)) if selector is not None else \
            faiss.SearchParametersIVF(nprobe=int(nprobe))

    def copy(self) -> "IvfStore":
        if self._index is None:
            return IvfStore(self.dimension, self.nlist, self.nprobe)
        return super().copy()

    def save(self, path: Path) -> str:
        if self._index is None:  # nothing added yet: an empty exact-format file is not this store; write an empty IVF
            self._index = self._ivf(self.dimension, self.nlist or MIN_LISTS)
        return super().save(path)

    def _adopt(self, index: faiss.Index, path: Path | str) -> faiss.Index:
        ivf = faiss.downcast_index(index)  # a view: `index` keeps owning the C++ object, so it is what is kept
        if not isinstance(ivf, faiss.IndexIVFScalarQuantizer):
            raise IndexDamagedError(f"{path} is not an IVF index (found {type(ivf).__name__})")
        self.nlist = int(ivf.nlist)
        return index
