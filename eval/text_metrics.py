"""SQuAD text metrics: one definition shared by the reader's held-out evaluation (`eval.reader`) and the
gold-set runner (`eval.metrics`).

Normalisation: lowercase; punctuation, the articles a/an/the and extra whitespace removed.
"""
from __future__ import annotations

import collections
import re
import string

_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCT = set(string.punctuation) | set("®™℠©")  # "iPad Air®" is "iPad Air"


def normalize_answer(text: str) -> str:
    """SQuAD normalisation: lowercase, strip punctuation, drop a/an/the, collapse whitespace."""
    text = str(text).lower()
    text = "".join(ch for ch in text if ch not in _PUNCT)
    text = _ARTICLES.sub(" ", text)
    return " ".join(text.split())


def exact_match(prediction: str, gold: str) -> float:
    return float(normalize_answer(prediction) == normalize_answer(gold))


def token_f1(prediction: str, gold: str) -> float:
    p, g = normalize_answer(prediction).split(), normalize_answer(gold).split()
    if not p or not g:
        return float(p == g)
    same = sum((collections.Counter(p) & collections.Counter(g)).values())
    if same == 0:
        return 0.0
    precision, recall = same / len(p), same / len(g)
    return 2 * precision * recall / (precision + recall)
