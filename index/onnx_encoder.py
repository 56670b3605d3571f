"""MiniLM sentence vectors through ONNX Runtime, the model exported and quantized here from the packaged weights.

Why: fp32 PyTorch on two cores embeds about 48 chunks/s; the same graph under ONNX Runtime with int8 weights
(dynamic quantization, one scale per output channel) runs about 2.8x faster and keeps cosine >= 0.98 to the fp32
vectors on real chunks (bench/index_bench.py measures both in one run). The export needs torch and transformers,
which the install already has; it takes a few seconds once and the result is cached on disk, keyed by the weights,
the recipe and the onnxruntime version, so no file is committed and nothing is downloaded.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import warnings
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from index.model_files import weights_file

RECIPE_VERSION = 2  # bump when the export or quantization recipe changes: cached models are then rebuilt
PRECISIONS = ("fp32", "int8")
OPSET = 17


def model_key(model_dir: Path, precision: str) -> str:
    """Names one built model: the packaged weights (size and config), the recipe, the precision, onnxruntime."""
    import onnxruntime

    weights = weights_file(model_dir)
    digest = hashlib.sha256()
    digest.update(json.dumps([weights.name, weights.stat().st_size, RECIPE_VERSION, precision, OPSET,
                              onnxruntime.__version__]).encode())
    digest.update((model_dir / "config.json").read_bytes())
    return digest.hexdigest()[:12]


def _export(model_dir: Path, out: Path) -> None:
    """The packaged BERT encoder as an ONNX graph returning last_hidden_state (pooling is done in numpy)."""
    import torch
    from transformers import AutoModel

    class Encoder(torch.nn.Module):
        def __init__(self, bert):
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.bert(input_ids=input_ids, attention_mask=attention_mask,
                             token_type_ids=token_type_ids).last_hidden_state

    # Eager attention: the SDPA graph exports as ops ONNX Runtime runs 1.6x slower (measured, int8, batch 8).
    bert = AutoModel.from_pretrained(str(model_dir), local_files_only=True, attn_implementation="eager").eval()
    dummy = torch.ones((1, 8), dtype=torch.long)
    axes = {0: "batch", 1: "tokens"}
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer warnings about shapes: the axes are declared dynamic below
        torch.onnx.export(Encoder(bert), (dummy, dummy, torch.zeros_like(dummy)), str(out),
                          input_names=["input_ids", "attention_mask", "token_type_ids"],
                          output_names=["last_hidden_state"], opset_version=OPSET, dynamo=False,
                          dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes,
                                        "last_hidden_state": axes})


def build_model(model_dir: Path, out: Path, precision: str) -> Path:
    """Export (and for int8, quantize) into `out` atomically; a crash leaves no half-written model."""
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {PRECISIONS}, got {precision!r}")
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".onnx-build-", dir=out.parent) as tmp:
        fp32 = Path(tmp) / "model-fp32.onnx"
        _export(model_dir, fp32)
        built = fp32
        if precision == "int8":
            from onnxruntime.quantization import QuantType, quantize_dynamic

            built = Path(tmp) / "model-int8.onnx"
            root = logging.getLogger()
            level = root.level
            root.setLevel(logging.ERROR)  # its advice to pre-process applies to static quantization, not this
            try:
                # MatMul weights only: int8 embedding tables cost accuracy (cosine min 0.97 -> lower) and save no time
                quantize_dynamic(str(fp32), str(built), per_channel=True, weight_type=QuantType.QInt8,
                                 op_types_to_quantize=["MatMul"])
            finally:
                root.setLevel(level)
        os.replace(built, out)
    return out


def cached_model(model_dir: Path, cache_dir: Path, precision: str) -> Path:
    """The ONNX model for these weights and precision, built on first use."""
    path = cache_dir / "models" / f"{model_dir.name}-{precision}-{model_key(model_dir, precision)}.onnx"
    return path if path.exists() else build_model(model_dir, path, precision)


class OnnxEncoder:
    """Tokenize, run the graph, mean-pool over real tokens, L2-normalise: what sentence-transformers does."""

    def __init__(self, model_file: Path, tokenizer_file: Path, *, max_seq_length: int = 256, threads: int | None = None):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or min(os.cpu_count() or 1, 4)
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self._session = ort.InferenceSession(str(model_file), options, providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self._session.get_inputs()}
        tokenizer = Tokenizer.from_file(str(tokenizer_file))
        tokenizer.no_padding()  # the packaged tokenizer.json pads to 128; batches are padded here, to their longest
        tokenizer.enable_truncation(max_seq_length)
        self._tokenizer = tokenizer

    def encode(self, texts: Sequence[str], *, batch_size: int = 32,
               on_batch: Callable[[int], None] | None = None) -> np.ndarray:
        """(len(texts), dim) float32 unit vectors. Batches hold texts of similar length, so little is padding."""
        encodings = self._tokenizer.encode_batch(list(texts))
        order = np.argsort([len(e.ids) for e in encodings], kind="stable")
        out: np.ndarray | None = None
        for start in range(0, len(order), batch_size):
            rows = order[start: start + batch_size]
            width = max(len(encodings[i].ids) for i in rows)
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for j, i in enumerate(rows):
                n = len(encodings[i].ids)
                ids[j, :n] = encodings[i].ids
                mask[j, :n] = 1
            feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            hidden = self._session.run(None, {k: v for k, v in feeds.items() if k in self._inputs})[0]
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            pooled /= np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
            if out is None:
                out = np.empty((len(texts), pooled.shape[1]), dtype=np.float32)
            out[rows] = pooled
            if on_batch is not None:
                on_batch(len(rows))
        return out
