"""The extractive reader: the answer span in a passage, or an abstention.

`Reader` wraps a Hugging Face extractive-QA model (by default the project's own, `qa/models/minilm-finqa/`,
all-MiniLM-L6-v2 fine-tuned by `python -m qa.reader.train`). Weights may be stored in fp16; they always run in
float32 on CPU.

Scores. For each window of a passage the model gives start and end logits per token. A span's raw score is
`start_logit[i] + end_logit[j]`; the window's null score is the same sum at the [CLS] token. A `Span.score`
is raw minus null of the window it came from, so

    score > 0   the model prefers this span to "no answer in this window";
    score <= 0  it prefers to abstain (`Reader.THRESHOLD` is 0.0).

Scores are logit differences (not probabilities) and compare across passages of one question.
`no_answer_score(question, passages)` is minus the best span score: > 0 means "abstain".
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from corpus.errors import FilingQAError

DEFAULT_MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "minilm-finqa"


class ReaderModelError(FilingQAError):
    """The reader's model folder is missing or does not hold an extractive-QA model."""


@dataclass(frozen=True)
class Span:
    """An answer span: `passages[passage_index][start:end] == text` (character offsets into that passage)."""

    text: str
    score: float  # start+end logit minus the window's [CLS] (null) score; <= Reader.THRESHOLD means abstain
    passage_index: int
    start: int
    end: int


class Reader:
    """Extractive QA over a few passages. Light `__init__`; the model loads in `warm_up()`."""

    THRESHOLD = 0.0

    def __init__(self, path: str | os.PathLike | None = None, *, max_length: int = 384, stride: int = 128,
                 batch_size: int = 16, max_answer_tokens: int = 64) -> None:
        if max_length < 32:
            raise ValueError(f"max_length must be at least 32, got {max_length}")
        if not 0 <= stride < max_length // 2:
            raise ValueError(f"stride must be in [0, max_length/2), got {stride}")
        if batch_size < 1:
            raise ValueError(f"batch_size must be positive, got {batch_size}")
        if max_answer_tokens < 1:
            raise ValueError(f"max_answer_tokens must be positive, got {max_answer_tokens}")
        self.path = Path(path) if path is not None else DEFAULT_MODEL_DIR
        self.max_length = max_length
        self.stride = stride
        self.batch_size = batch_size
        self.max_answer_tokens = max_answer_tokens
        self.tokenizer = None
        self.model = None

    @classmethod
    def load(cls, path: str | os.PathLike | None = None, **settings) -> "Reader":
        """A warmed-up reader over the project's model (default) or any local extractive-QA checkpoint folder."""
        reader = cls(path, **settings)
        reader.warm_up()
        return reader

    def warm_up(self) -> None:
        """Load tokenizer and model once (float32, eval mode). Safe to call twice."""
        if self.model is not None:
            return
        _check_model_dir(self.path)
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        import torch
        from transformers import AutoModelForQuestionAnswering, AutoTokenizer

        tokenizer = AutoTokenizer.from_pretrained(self.path, local_files_only=True)
        if not getattr(tokenizer, "is_fast", False):
            raise ReaderModelError(f"{self.path}: the reader needs a fast tokenizer (tokenizer.json) for offsets")
        model = AutoModelForQuestionAnswering.from_pretrained(self.path, local_files_only=True, dtype=torch.float32)
        self.model = model.float().eval()
        self.tokenizer = tokenizer

    # ------------------------------------------------------------------------------------------------ inference

    def extract(self, question: str, passages: list[str], top_k: int = 3, min_score: float | None = None) -> list[Span]:
        """The `top_k` best spans over all passages, best first, each at most `max_answer_tokens` tokens.

        Without `min_score` the best spans are returned whatever their score (check `score > Reader.THRESHOLD`
        to decide whether to answer); with it, spans scoring at or below `min_score` are dropped.
        An empty question or no passages gives [].
        """
        if top_k < 1:
            raise ValueError(f"top_k must be positive, got {top_k}")
        spans, _ = self._run(question, passages, top_k)
        if min_score is not None:
            spans = [s for s in spans if s.score > min_score]
        return spans

    def no_answer_score(self, question: str, passages: list[str]) -> float:
        """Minus the best span score: > 0 (THRESHOLD) means the model would rather abstain. inf with no input."""
        spans, _ = self._run(question, passages, 1)
        return -spans[0].score if spans else float("inf")

    def _run(self, question: str, passages: list[str], top_k: int) -> tuple[list[Span], int]:
        if isinstance(passages, str):
            raise TypeError("passages must be a list of strings, not one string")
        question = " ".join((question or "").split())
        indexed = [(i, p) for i, p in enumerate(passages) if p and p.strip()]
        if not question or not indexed:
            return [], 0
        self.warm_up()
        import torch

        question = self._clip_question(question)
        enc = self.tokenizer(
            [question] * len(indexed), [p for _, p in indexed], truncation="only_second", max_length=self.max_length,
            stride=self.stride, return_overflowing_tokens=True, return_offsets_mapping=True, padding=False,
        )
        n = len(enc["input_ids"])
        start_logits, end_logits = [], []
        with torch.inference_mode():
            for b in range(0, n, self.batch_size):
                batch = self._pad(enc, range(b, min(n, b + self.batch_size)))
                out = self.model(**batch)
                start_logits.extend(out.start_logits.float().numpy())
                end_logits.extend(out.end_logits.float().numpy())
        best: dict[tuple[int, int, int], float] = {}
        for f in range(n):
            passage_no = indexed[enc["overflow_to_sample_mapping"][f]][0]
            seq_ids = enc.sequence_ids(f)
            offsets = enc["offset_mapping"][f]
            length = len(enc["input_ids"][f])
            for score, s_char, e_char in self._best_in_window(start_logits[f][:length], end_logits[f][:length], seq_ids,
                                                             offsets, top_k):
                key = (passage_no, s_char, e_char)
                if score > best.get(key, -np.inf):
                    best[key] = score
        ranked = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))[:top_k]
        return [Span(passages[p][s:e], float(score), p, s, e) for (p, s, e), score in ranked], n

    def _best_in_window(self, start: np.ndarray, end: np.ndarray, seq_ids: list, offsets: list, k: int):
        """(score, start char, end char) of the k best context spans of one window, score relative to [CLS]."""
        ctx = np.array([sid == 1 for sid in seq_ids])
        if not ctx.any():
            return []
        null = float(start[0] + end[0])
        idx = np.flatnonzero(ctx)
        s, e = start[idx], end[idx]
        grid = s[:, None] + e[None, :]
        i, j = np.indices(grid.shape)
        valid = (j >= i) & (j - i < self.max_answer_tokens)
        grid = np.where(valid, grid, -np.inf)
        flat = grid.ravel()
        take = min(k * 4, int(valid.sum()))
        top = np.argpartition(-flat, take - 1)[:take]
        out = []
        for t in top[np.argsort(-flat[top], kind="stable")]:
            a, b = divmod(int(t), grid.shape[1])
            s_char, e_char = offsets[idx[a]][0], offsets[idx[b]][1]
            if e_char > s_char:
                out.append((float(flat[t]) - null, int(s_char), int(e_char)))
            if len(out) >= k:
                break
        return out

    def _clip_question(self, question: str) -> str:
        """Keep the question to at most a third of the window so a context window always fits."""
        limit = self.max_length // 3
        enc = self.tokenizer(question, add_special_tokens=False, return_offsets_mapping=True)
        if len(enc["input_ids"]) <= limit:
            return question
        return question[: enc["offset_mapping"][limit - 1][1]]

    def _pad(self, enc, rows) -> dict:
        import torch

        rows = list(rows)
        width = max(len(enc["input_ids"][r]) for r in rows)
        pad = self.tokenizer.pad_token_id or 0
        ids = torch.full((len(rows), width), pad, dtype=torch.long)
        mask = torch.zeros((len(rows), width), dtype=torch.long)
        types = torch.zeros((len(rows), width), dtype=torch.long)
        for k, r in enumerate(rows):
            row = enc["input_ids"][r]
            ids[k, : len(row)] = torch.tensor(row)
            mask[k, : len(row)] = 1
            if "token_type_ids" in enc:
                types[k, : len(row)] = torch.tensor(enc["token_type_ids"][r])
        batch = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in enc:
            batch["token_type_ids"] = types
        return batch


def _check_model_dir(path: Path) -> None:
    if not path.is_dir():
        hint = " (train it with `python -m qa.reader.train`)" if path == DEFAULT_MODEL_DIR else ""
        raise ReaderModelError(f"reader model folder not found: {path}{hint}")
    config = path / "config.json"
    if not config.is_file():
        raise ReaderModelError(f"{path} is not a Hugging Face model folder: no config.json")
    try:
        archs = json.loads(config.read_text(encoding="utf-8")).get("architectures") or []
    except (OSError, json.JSONDecodeError) as exc:
        raise ReaderModelError(f"{config}: unreadable config ({exc})") from exc
    if not any(a.endswith("ForQuestionAnswering") for a in archs):
        raise ReaderModelError(f"{path} is not an extractive QA model (architectures: {archs or 'none'})")
    if not any((path / name).is_file() for name in ("model.safetensors", "pytorch_model.bin")):
        raise ReaderModelError(f"{path}: no model weights (model.safetensors)")
