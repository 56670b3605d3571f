"""BM25 over chunk texts (bm25s, stemmed English), scored for all or a filtered set of chunks."""
from __future__ import annotations

import logging
from typing import Sequence

import bm25s
import numpy as np
import Stemmer

# bm25s sets its own logger to DEBUG, so "Building index from IDs objects" reached the terminal whenever anything
# configured logging; its debug lines are not for our users.
logging.getLogger("bm25s").setLevel(logging.WARNING)


class LexicalIndex:
    """Rebuilt from chunk texts on load (seconds even for thousands of chunks), so nothing extra is persisted."""

    def __init__(self, texts: Sequence[str]):
        self._stemmer = Stemmer.Stemmer("english")
        self._size = len(texts)
        self._bm25 = None
        if texts:
            tokens = bm25s.tokenize(list(texts), stopwords="en", stemmer=self._stemmer, show_progress=False)
            self._bm25 = bm25s.BM25()
            self._bm25.index(tokens, show_progress=False)

    def __len__(self) -> int:
        return self._size

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every chunk (row order of the texts given), zeros when nothing matches."""
        if self._bm25 is None:
            return np.zeros(0, dtype=np.float32)
        tokens = bm25s.tokenize(query, stopwords="en", stemmer=self._stemmer, return_ids=False, show_progress=False)[0]
        vocab = self._bm25.vocab_dict
        known = [t for t in tokens if t in vocab]
        if not known:
            return np.zeros(self._size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(known), dtype=np.float32)
