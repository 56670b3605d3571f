"""index: chunks, embeddings, FAISS, hybrid retrieval.

    from index import Retriever
    r = Retriever.build(paths, out="DIR")      # or Retriever.load("DIR"), or default_retriever()
    r.add(paths); r.remove(doc_id)
    hits = r.search("why did G&A rise in Q3", k=5, doc_ids=None)

The names below load on first use (PEP 562): `import index.model` or `index.errors` alone pulls in neither FAISS nor
BM25, so the answering code can name a `Hit` without the retriever's libraries.
"""
from __future__ import annotations

import importlib

_WHERE = {
    "AddReport": "index.retriever", "Retriever": "index.retriever",
    "Chunker": "index.chunker", "ChunkerConfig": "index.chunker",
    "Embedder": "index.embedder", "TokenCounter": "index.embedder",
    "Chunk": "index.model", "Hit": "index.model",
    "bundled_retriever": "index.default", "default_index_dir": "index.data_dirs", "default_retriever": "index.default",
    "IndexBusyError": "index.errors", "IndexChangedError": "index.errors", "IndexDamagedError": "index.errors",
    "IndexMismatchError": "index.errors", "IndexNotFoundError": "index.errors", "InvalidQueryError": "index.errors",
}
__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'index' has no attribute {name!r}")
