"""Vector stores behind one protocol (`base.VectorStore`): which backend an index uses, by name.

    faiss-exact    exact inner product (the default; index/stores/faiss_exact.py)
    faiss-ivf-sq8  approximate, for millions of passages (index/stores/faiss_ivf.py)
    lancedb        LanceDB, an engine that holds the passages and their metadata (index/stores/lance.py; the
                   optional `lance` extra)

The manifest records the backend and its parameters; an index names a backend this install lacks -> IndexMismatchError.
`backend_for(n)` picks the approximate store above APPROXIMATE_ABOVE passages unless a backend is set
(`Retriever.build(store=...)` or `$FILINGQA_STORE`).
"""
from __future__ import annotations

import os
from typing import Any

from index.errors import IndexMismatchError
from index.stores.base import FaissStore, VectorStore
from index.stores.faiss_exact import ExactStore
from index.stores.faiss_ivf import IvfStore
from index.stores.lance import LanceStore

STORES: dict[str, type] = {ExactStore.backend: ExactStore, IvfStore.backend: IvfStore, LanceStore.backend: LanceStore}
DEFAULT_STORE = ExactStore.backend
# Above this many passages a new or grown index switches to the approximate store unless one was chosen: where exact
# search's p95 passes ~50 ms on two cores while IVF keeps recall@10 >= 0.95 (bench/scale_bench.py, README).
APPROXIMATE_ABOVE = 300_000
STORE_ENV = "FILINGQA_STORE"


def store_class(backend: str) -> type:
    try:
        return STORES[backend]
    except KeyError:
        raise IndexMismatchError(f"vector store {backend!r} is not one this filingqa has "
                                 f"({', '.join(STORES)}); rebuild the index or install the version that wrote it") from None


def chosen_backend(setting: str | None = None) -> str | None:
    """The backend set by the caller or `$FILINGQA_STORE`, checked; None when nothing is set (size decides)."""
    backend = setting if setting is not None else os.environ.get(STORE_ENV) or None
    if backend is not None:
        store_class(backend)
    return backend


def backend_for(passages: int, setting: str | None = None) -> str:
    chosen = chosen_backend(setting)
    if chosen is not None:
        return chosen
    return IvfStore.backend if passages > APPROXIMATE_ABOVE else DEFAULT_STORE


def new_store(backend: str, dimension: int, params: dict[str, Any] | None = None) -> VectorStore:
    return store_class(backend)(dimension, **(params or {}))


__all__ = ["APPROXIMATE_ABOVE", "DEFAULT_STORE", "STORES", "ExactStore", "FaissStore", "IvfStore", "LanceStore",
           "VectorStore", "backend_for",
           "chosen_backend", "new_store", "store_class"]
