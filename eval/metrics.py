"""The metrics of the gold run, as pure functions (tested in tests/eval/test_metrics.py without a model).

Text answers: SQuAD normalisation (lowercase; punctuation, the articles a/an/the and extra whitespace removed),
exact match and token F1, each the max over the acceptable answers.

Numbers: `numeric_match` compares full-scale values within a relative tolerance (0.5%). A figure off by a
scale factor (4,143 for $4,143,000) is wrong. Percentages: a prediction in percent ("%") is compared as is; a
unitless prediction for a percent gold is read as a fraction (0.14 == 14%). For change questions the sign may
be carried by the question's wording ("how much did X decrease" -> $200,000), so magnitudes are compared.

Evidence: `contains_evidence(passage, evidence)` after collapsing whitespace and lowercasing both (the filings
have hard line wraps and table padding). Evidence may be a list of alternatives (a figure stated in several
places): any one of them will do.
"""
from __future__ import annotations

import math
from decimal import Decimal
from typing import Iterable, Sequence

from eval.text_metrics import exact_match, normalize_answer, token_f1  # noqa: F401  (part of this module's API)

NUMERIC_TOLERANCE = 0.005  # relative

# The stages a failure is attributed to (see `attribute_failure`).
STAGES = ("retrieval", "reader/checker", "citation", "wrong abstention", "false answer", "error")


# ----------------------------------------------------------------------------------------------- text

def max_over(metric, prediction: str, answers: Sequence[str]) -> float:
    """Max of `metric(prediction, a)` over acceptable answers; with no answers (a none question) 1.0 iff the
    prediction is empty (SQuAD 2.0's convention for unanswerable questions)."""
    if not answers:
        return float(not normalize_answer(prediction))
    return max(metric(prediction, a) for a in answers)


def contains_answer(prediction: str, answers: Sequence[str]) -> bool:
    """Some acceptable answer, normalised, occurs in the normalised prediction (on word boundaries)."""
    p = f" {normalize_answer(prediction)} "
    return any(normalize_answer(a) and f" {normalize_answer(a)} " in p for a in answers)


def text_correct(prediction: str, answers: Sequence[str], threshold: float = 0.5) -> bool:
    """The rule for text and why questions: F1 >= 0.5 against some answer, or some answer contained in it."""
    return max_over(token_f1, prediction, answers) >= threshold or contains_answer(prediction, answers)


# ---------------------------------------------------------------------------------------------- numbers

def _num(x) -> float | None:
    if x is None:
        return None
    try:
        v = float(x) if not isinstance(x, Decimal) else float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def close(a: float, b: float, tolerance: float = NUMERIC_TOLERANCE) -> bool:
    if b == 0:
        return abs(a) < 1e-9
    return abs(a - b) <= tolerance * abs(b)


def numeric_match(pred_value, pred_unit: str | None, gold_value, gold_unit: str | None, *, magnitude: bool = False,
                  tolerance: float = NUMERIC_TOLERANCE) -> bool:
    """Is the predicted figure the gold one (full scale, within `tolerance` relative)?

    `magnitude=True` compares absolute values (change questions). A percent gold accepts a "%" prediction as is,
    and a unitless one as a fraction (x100). A money/share gold rejects a "%" prediction.
    """
    p, g = _num(pred_value), _num(gold_value)
    if p is None or g is None:
        return False
    candidates = [p]
    if gold_unit == "%":
        if pred_unit not in ("%", None, ""):
            return False
        if pred_unit in (None, ""):
            candidates = [p * 100, p]
    elif pred_unit == "%":
        return False
    if magnitude:
        return any(close(abs(c), abs(g), tolerance) for c in candidates)
    return any(close(c, g, tolerance) for c in candidates)


# --------------------------------------------------------------------------------------------- evidence

def normalize_ws(text: str) -> str:
    return " ".join(str(text).split()).lower()


def contains_evidence(passage: str, evidence: str | Sequence[str] | None) -> bool:
    """`passage` contains the evidence (or, given several alternatives, one of them)."""
    if not evidence:
        return False
    alternatives = [evidence] if isinstance(evidence, str) else list(evidence)
    text = normalize_ws(passage)
    return any(a and normalize_ws(a) in text for a in alternatives)


def citation_hit(citation_texts: Iterable[str], evidence: str | Sequence[str] | None) -> bool:
    """Some cited passage contains the evidence."""
    return any(contains_evidence(t, evidence) for t in citation_texts)


def evidence_rank(hit_texts: Sequence[str], evidence: str | Sequence[str] | None) -> int | None:
    """1-based rank of the first retrieved passage containing the evidence, None when none does."""
    for i, text in enumerate(hit_texts, 1):
        if contains_evidence(text, evidence):
            return i
    return None


def recall_at(ranks: Sequence[int | None], k: int) -> float:
    return sum(1 for r in ranks if r is not None and r <= k) / len(ranks) if ranks else 0.0


def mrr(ranks: Sequence[int | None]) -> float:
    return sum(1.0 / r for r in ranks if r is not None) / len(ranks) if ranks else 0.0


# -------------------------------------------------------------------------------------------- abstention

def abstention_scores(gold_none: Sequence[bool], abstained: Sequence[bool]) -> dict[str, float | int]:
    """Precision: of the abstentions, the share on none questions. Recall: of none questions, the share abstained.
    Precision is 1.0 when nothing was abstained on (no abstention was wrong)."""
    tp = sum(1 for g, a in zip(gold_none, abstained) if g and a)
    n_abstained = sum(abstained)
    n_none = sum(gold_none)
    return {"precision": tp / n_abstained if n_abstained else 1.0, "recall": tp / n_none if n_none else 1.0,
            "abstained": n_abstained, "none_questions": n_none}


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile (q in [0, 100])."""
    if not values:
        return 0.0
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


# ----------------------------------------------------------------------------------------------- stages

def attribute_failure(*, answerable: bool, abstained: bool, correct: bool, cited: bool, retrieved: bool) -> str | None:
    """The stage that lost a question, or None when it was answered right with a right citation.

    none question answered -> "false answer". Answerable and answered right, but no citation holds the evidence
    -> "citation". Answerable and not answered right: the evidence in none of the top-10 hits -> "retrieval"
    (whatever came after); else abstained -> "wrong abstention"; else -> "reader/checker".
    """
    if not answerable:
        return None if abstained else "false answer"
    if correct:
        return None if cited else "citation"
    if not retrieved:
        return "retrieval"
    return "wrong abstention" if abstained else "reader/checker"
