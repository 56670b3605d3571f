"""The sentence ranker: a MiniLM cross-encoder trained in-repo (`python -m qa.rank.train`) that scores how well a
filing sentence answers a question, and the calibration that turns its score into the probability of being right.

Load once and inject: `SentenceRanker.load()` reads `qa/models/minilm-rank` (weights, tokenizer, and
`calibration.json` when it has been fitted with `python -m eval.calibrate`).
"""
from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from corpus.errors import FilingQAError

DEFAULT_MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "minilm-rank"
CALIBRATION_FILE = "calibration.json"


class RankerModelError(FilingQAError):
    """The ranker's folder is missing or holds something else."""


@dataclass(frozen=True)
class Calibration:
    """Platt scaling, p = 1 / (1 + exp(-(a * score + b))), fitted on a dev set of answered questions; `fitted_on`
    says on what. Without a fit, the model's own sigmoid."""

    a: float = 1.0
    b: float = 0.0
    fitted_on: str = "none: the model's own sigmoid"

    def probability(self, score: float) -> float:
        z = self.a * score + self.b
        return 1.0 / (1.0 + math.exp(-z)) if z > -50 else 0.0

    @classmethod
    def read(cls, path: Path) -> "Calibration":
        if not path.exists():
            return cls()
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(float(data["a"]), float(data["b"]), str(data.get("fitted_on", "")))

    @classmethod
    def read_steps(cls, path: Path) -> dict[str, "Calibration"]:
        """The answer steps' own calibrations (`"steps"` in the file): a rule-based answer resting on a sentence the
        ranker scores s is right with another probability than the ranker's own answer at s."""
        if not path.exists():
            return {}
        steps = json.loads(path.read_text(encoding="utf-8")).get("steps") or {}
        return {name: cls(float(v["a"]), float(v["b"]), str(v.get("fitted_on", ""))) for name, v in steps.items()}


def fit_platt(scores: Sequence[float], right: Sequence[bool], iterations: int = 2000, lr: float = 0.05) -> tuple[float, float]:
    """(a, b) maximising the likelihood of `right` given `scores` (plain gradient descent; a few hundred points)."""
    a, b = 1.0, 0.0
    n = max(1, len(scores))
    for _ in range(iterations):
        ga = gb = 0.0
        for s, y in zip(scores, right):
            p = 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, a * s + b))))
            ga += (p - float(y)) * s
            gb += p - float(y)
        a -= lr * ga / n
        b -= lr * gb / n
    return a, b


class SentenceRanker:
    """Scores (question, candidate text) pairs; higher means the candidate answers the question."""

    def __init__(self, path: str | os.PathLike | None = None, *, max_length: int = 128, batch_size: int = 16) -> None:
        self.path = Path(path) if path is not None else DEFAULT_MODEL_DIR
        self.max_length = max_length
        self.batch_size = batch_size
        self.calibration = Calibration()
        self.step_calibrations: dict[str, Calibration] = {}
        self.tokenizer = None
        self.model = None

    @classmethod
    def load(cls, path: str | os.PathLike | None = None, **settings) -> "SentenceRanker":
        ranker = cls(path, **settings)
        ranker.warm_up()
        return ranker

    @classmethod
    def available(cls, path: str | os.PathLike | None = None) -> bool:
        folder = Path(path) if path is not None else DEFAULT_MODEL_DIR
        return (folder / "model.safetensors").exists() and (folder / "config.json").exists()

    def warm_up(self) -> None:
        if self.model is not None:
            return
        if not self.available(self.path):
            raise RankerModelError(f"{self.path}: no ranker weights (train them with `python -m qa.rank.train`)")
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        import torch
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        self.tokenizer = AutoTokenizer.from_pretrained(self.path, local_files_only=True)
        model = AutoModelForSequenceClassification.from_pretrained(self.path, local_files_only=True, dtype=torch.float32)
        if model.config.num_labels != 1:
            raise RankerModelError(f"{self.path}: a ranker has one output, this model has {model.config.num_labels}")
        self.model = model.float().eval()
        self.calibration = Calibration.read(self.path / CALIBRATION_FILE)
        self.step_calibrations = Calibration.read_steps(self.path / CALIBRATION_FILE)

    def scores(self, question: str, candidates: Sequence[str]) -> list[float]:
        """One raw score (a logit) per candidate, in order."""
        if not candidates:
            return []
        self.warm_up()
        import torch

        # batches of candidates of like length: little padding (the cost is the longest of each batch)
        order = sorted(range(len(candidates)), key=lambda i: len(candidates[i]))
        out = [0.0] * len(candidates)
        with torch.inference_mode():
            for i in range(0, len(order), self.batch_size):
                rows = order[i:i + self.batch_size]
                enc = self.tokenizer([question] * len(rows), [candidates[r] for r in rows], truncation="only_second",
                                     max_length=self.max_length, padding=True, return_tensors="pt")
                for r, score in zip(rows, self.model(**enc).logits[:, 0].tolist()):
                    out[r] = score
        return out

    def probability(self, score: float) -> float:
        """The calibrated chance that an answer resting on a candidate with this score is right."""
        return self.calibration.probability(score)

    def step_probability(self, step: str, score: float) -> float | None:
        """The chance that `step`'s answer, resting on a sentence with this score, is right; None when that step
        has no calibration of its own."""
        fitted = self.step_calibrations.get(step)
        return fitted.probability(score) if fitted is not None else None
