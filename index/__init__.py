"""index: chunks, embeddings, FAISS, hybrid retrieval.

    from index import Retriever
    r = Retriever.build(paths, out="DIR")      # or Retriever.load("DIR"), or default_retriever()
    r.add(paths); r.remove(doc_id)
    hits = r.search("why did G&A rise in Q3", k=5, doc_ids=None)
"""
from index.chunker import Chunker, ChunkerConfig
from index.default import bundled_retriever, default_index_dir, default_retriever
from index.embedder import Embedder, TokenCounter
from index.errors import (
    IndexBusyError,
    IndexChangedError,
    IndexDamagedError,
    IndexMismatchError,
    IndexNotFoundError,
    InvalidQueryError,
)
from index.model import Chunk, Hit
from index.retriever import AddReport, Retriever

__all__ = ["AddReport", "Chunk", "Chunker", "ChunkerConfig", "Embedder", "Hit", "IndexBusyError", "IndexChangedError",
           "IndexDamagedError", "IndexMismatchError", "IndexNotFoundError", "InvalidQueryError", "Retriever",
           "TokenCounter", "bundled_retriever", "default_index_dir", "default_retriever"]
