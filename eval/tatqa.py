"""TAT-QA evaluation of `Pipeline.ask_context`, scored like the official TAT-QA metric (own implementation).

Scoring (after the description of the official `tatqa_metric`):
- Each side (gold answers with the gold scale, the prediction with our scale) becomes ONE string: the answers
  sorted and joined by spaces, where a number becomes "%.4f" of (round(x, 2) x scale) — or of x as written when it
  carries "%" — and a non-number gets " <scale>" appended when there is a scale.
- The strings are tokenised on spaces and hyphens; each token lowercased, stripped of punctuation unless it is a
  number, numbers rewritten as floats, articles dropped. (Splitting on "-" drops minus signs, as the official
  metric does: a sign error is not penalised.)
- EM: the normalised strings are equal. F1: token-bag F1, 0 when the gold has numbers and the prediction shares
  none of them. For arithmetic and count questions F1 = EM.
- Scale must match: EM (and so F1 of arithmetic/count) is 0 when our scale differs from the gold scale (a gold
  written "1.6%" under scale "" counts as scale "percent"). Scale accuracy is reported on its own too.
- An abstention is an empty prediction: EM = F1 = 0.

Our Answer -> a TAT-QA prediction: a figure (`answer.value`) becomes the number with a scale. Percent ("%") -> the
value, scale "percent". Money: our values are full scale when the pipeline applied the table's unit ("in
thousands") and in the document's units when it did not (e.g. a unit stated only in a paragraph), so the number is
divided by the scale of the table the pipeline parsed when that is > 1; otherwise the scale declared in the context
text is reported and the number kept (unless only the divided number appears in the context). Per-share amounts
and counts: scale "". A reader span is the text; scale "percent" if it is a number with "%", the context's scale if
it is another number, else "".
"""
from __future__ import annotations

import json
import re
import statistics
import string
import time
import traceback
from collections import defaultdict
from itertools import permutations
from pathlib import Path
from typing import Any, Sequence

SCALES = {"": 1, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "percent": 1}
_PUNCT = set(string.punctuation)
_ARTICLES = re.compile(r"\b(a|an|the)\b", re.I)

# ------------------------------------------------------------------------------------------------- metric


def to_number(text: str) -> float | None:
    """'$1,496.5' -> 1496.5; '(12.3)' -> -12.3; '22.2%' -> 22.2; anything else -> None."""
    t = str(text).strip().lower().replace(",", "").replace("$", "").replace("€", "").replace("£", "").strip()
    negative = t.startswith("(") and t.endswith(")")
    t = t.strip("()").strip()
    if t.endswith("%"):
        t = t[:-1].strip()
    if not t or not re.fullmatch(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?", t):
        return None
    value = float(t)
    return -value if negative else value


def is_number(text: str) -> bool:
    return to_number(text) is not None


def _normalize_token(token: str) -> str:
    token = token.lower()
    if is_number(token):
        return str(to_number(token))
    token = "".join(ch for ch in token if ch not in _PUNCT)
    return " ".join(_ARTICLES.sub(" ", token).split())


def normalize_tatqa(text: str) -> str:
    parts = [_normalize_token(t) for t in re.split(r" |-", str(text))]
    return " ".join(p for p in parts if p.strip()).strip()


def answer_string(answers: Sequence, scale: str) -> str:
    """The one string a side is compared as (see the module docstring)."""
    out = []
    for ans in sorted(str(a) for a in answers):
        number = to_number(ans)
        if number is not None:
            out.append("%.4f" % number if "%" in ans else "%.4f" % (round(number, 2) * SCALES.get(scale, 1)))
        else:
            out.append(f"{ans} {scale}" if scale else ans)
    return " ".join(out)


def _bag_f1(pred: set[str], gold: set[str]) -> float:
    inter = len(pred & gold)
    precision = inter / len(pred) if pred else 1.0
    recall = inter / len(gold) if gold else 1.0
    return 0.0 if precision == 0 and recall == 0 else 2 * precision * recall / (precision + recall)


def _numbers_agree(gold: set[str], pred: set[str]) -> bool:
    gold_numbers = {w for w in gold if is_number(w)}
    return not gold_numbers or bool(gold_numbers & {w for w in pred if is_number(w)})


def _align(pred_bags: list[set[str]], gold_bags: list[set[str]]) -> list[float]:
    """Best one-to-one assignment of predicted to gold bags (exhaustive: bags are few)."""
    size = max(len(pred_bags), len(gold_bags))
    scores = [[(_bag_f1(p, g) if _numbers_agree(g, p) else 0.0) for p in pred_bags] for g in gold_bags]
    best, best_total = [0.0] * size, -1.0
    if len(gold_bags) <= len(pred_bags):
        for perm in permutations(range(len(pred_bags)), len(gold_bags)):
            row = [scores[g][p] for g, p in enumerate(perm)]
            if sum(row) > best_total:
                best_total, best = sum(row), row + [0.0] * (size - len(row))
    else:
        for perm in permutations(range(len(gold_bags)), len(pred_bags)):
            row = [scores[g][p] for p, g in enumerate(perm)]
            if sum(row) > best_total:
                best_total, best = sum(row), row + [0.0] * (size - len(row))
    return best


def em_f1_strings(prediction: str | Sequence[str], gold: str | Sequence[str]) -> tuple[float, float]:
    pred_spans = [prediction] if isinstance(prediction, str) else list(prediction)
    gold_spans = [gold] if isinstance(gold, str) else list(gold)
    pred_norm = [normalize_tatqa(s) for s in pred_spans]
    gold_norm = [normalize_tatqa(s) for s in gold_spans]
    em = float(set(pred_norm) == set(gold_norm) and len(pred_norm) == len(gold_norm))
    f1_per_bag = _align([set(s.split()) for s in pred_norm], [set(s.split()) for s in gold_norm])
    return em, round(statistics.fmean(f1_per_bag), 2) if f1_per_bag else 0.0


def gold_answers(question: dict) -> list[str]:
    ans = question["answer"]
    return [str(a) for a in ans] if isinstance(ans, list) else [str(ans)]


def effective_gold_scale(question: dict) -> str:
    """The gold scale, except that answers written with "%" under scale "" count as "percent" (an annotation habit
    of TAT-QA: "1.6%" with scale "" and 1.6 with scale "percent" are the same answer)."""
    scale = question.get("scale", "") or ""
    answers = gold_answers(question)
    if not scale and answers and all("%" in a and is_number(a) for a in answers):
        return "percent"
    return scale


def tatqa_score(question: dict, prediction: str | Sequence[str] | None, pred_scale: str) -> tuple[float, float]:
    """(EM, F1) of one prediction against a TAT-QA question dict (answer, answer_type, scale)."""
    if prediction is None or (isinstance(prediction, str) and not prediction.strip()) or (
            not isinstance(prediction, str) and not any(str(p).strip() for p in prediction)):
        return 0.0, 0.0
    answers = gold_answers(question)
    if not answers:
        return 0.0, 0.0
    gold_scale = effective_gold_scale(question)
    preds = [prediction] if isinstance(prediction, str) else list(prediction)
    em, f1 = em_f1_strings(answer_string(preds, pred_scale), answer_string(answers, gold_scale))
    if pred_scale != gold_scale:
        em = 0.0
    if question["answer_type"] in ("arithmetic", "count"):
        f1 = em
    return em, f1


# ------------------------------------------------------------------------------------------ prediction

def declared_scale(text: str) -> str:
    """The unit a context states ("in millions" -> "million"); "" when none."""
    from corpus.scale import SCALE_NAMES, detect_scale

    return SCALE_NAMES.get(detect_scale(text, loose=True), "")


def _context_numbers(text: str) -> list[float]:
    return [v for v in (to_number(t) for t in re.findall(r"\(?-?\$?\s?\d[\d,]*\.?\d*%?\)?", text)) if v is not None]


def _appears(x: float, numbers: list[float]) -> bool:
    return any(abs(abs(x) - abs(n)) <= max(1e-6, 0.0005 * abs(n)) for n in numbers)


def _fmt(x: float) -> str:
    return f"{x:.6f}".rstrip("0").rstrip(".")


def to_prediction(answer, paragraphs: Sequence[str], table: Sequence[Sequence[str]] | None) -> tuple[str | list[str], str]:
    """(prediction string, scale) for an Answer over a TAT-QA context; ("", "") for an abstention."""
    if answer is None or answer.no_answer:
        return "", ""
    from corpus.context import context_filing

    text = "\n".join(paragraphs) + "\n" + "\n".join(" ".join(str(c) for c in row) for row in (table or []))
    declared = declared_scale(text)
    if answer.kind == "span" and re.search(r"\b(?:thousand|million|billion)s?\b", answer.text, re.I):
        return answer.text, ""  # "$9.9 million" as the filing writes it: the words carry the scale
    if len(answer.items) == 1 and answer.value is not None and is_number(answer.items[0]):
        pass  # one figure printed as a plain number: the value and its scale below say it best
    elif answer.items:
        filing = context_filing(paragraphs, [table] if table else [])
        table_scale = max((t.scale for t in filing.tables), default=1)
        numeric = all(is_number(i) for i in answer.items)
        years = all(re.fullmatch(r"(?:19|20)\d\d", i) for i in answer.items)
        if not numeric or years:
            return list(answer.items), ""  # names or years
        if all("%" in i for i in answer.items):
            return list(answer.items), "percent"
        name = next((n for n, f in SCALES.items() if f == table_scale and n and n != "percent"), declared)
        return list(answer.items), name
    if answer.value is not None:
        value = float(answer.value)
        if answer.unit == "%":
            return _fmt(value), "percent"
        if answer.unit in ("USD/share", "ratio", "count"):
            return _fmt(value), ""
        filing = context_filing(paragraphs, [table] if table else [])
        table_scale = max((t.scale for t in filing.tables), default=1)
        if table_scale > 1:
            name = next(n for n, f in SCALES.items() if f == table_scale and n)
            return _fmt(value / table_scale), name
        if declared:
            factor = SCALES[declared]
            numbers = _context_numbers(text)
            if _appears(value / factor, numbers) and not _appears(value, numbers):
                return _fmt(value / factor), declared
        return _fmt(value), declared
    span = answer.text
    if is_number(span):
        return span, "percent" if "%" in span else declared
    return span, ""


# -------------------------------------------------------------------------------------------------- run

def load_heldout(path: str | Path) -> set[str]:
    """Context uids from a JSON list, or from a dict holding such a list (first list-valued key)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if isinstance(data, dict):
        for key in ("heldout_uids", "uids", "heldout", "contexts"):
            if isinstance(data.get(key), list):
                return set(map(str, data[key]))
        lists = [v for v in data.values() if isinstance(v, list)]
        if not lists:
            raise ValueError(f"{path}: no list of uids found in the JSON object")
        return set(map(str, lists[0]))
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a JSON list of uids, got {type(data).__name__}")
    return set(map(str, data))


def _summary(rows: list[dict]) -> dict[str, Any]:
    n = len(rows)
    if not n:
        return {"n": 0}
    return {"n": n, "em": round(100 * statistics.fmean(r["em"] for r in rows), 2),
            "f1": round(100 * statistics.fmean(r["f1"] for r in rows), 2),
            "scale_accuracy": round(100 * statistics.fmean(r["scale_ok"] for r in rows), 2),
            "abstained": sum(r["abstained"] for r in rows)}


def run_tatqa(path: str | Path, pipeline, *, uids: set[str] | None = None, progress: bool = True,
              limit: int | None = None) -> dict[str, Any]:
    """Ask every question of a TAT-QA file (restricted to context `uids` if given) with `pipeline.ask_context`."""
    from tqdm import tqdm

    items = json.loads(Path(path).read_text(encoding="utf-8"))
    if uids is not None:
        items = [it for it in items if it["table"]["uid"] in uids]
    work = [(it, q) for it in items for q in sorted(it["questions"], key=lambda q: q.get("order", 0))]
    if limit is not None:
        work = work[:limit]
    rows, latencies = [], []
    started = time.perf_counter()
    for item, q in tqdm(work, desc="tatqa", unit="q", disable=not progress):
        paragraphs = [p["text"] for p in sorted(item["paragraphs"], key=lambda p: p.get("order", 0))]
        table = item["table"]["table"]
        row = {"uid": q["uid"], "context": item["table"]["uid"], "question": q["question"], "type": q["answer_type"],
               "source": q["answer_from"], "gold": q["answer"], "gold_scale": q.get("scale", "")}
        try:
            # The pipeline caches facts per filing and every context is doc_id "context": drop the last one's.
            pipeline.forget("context")
            t = time.perf_counter()
            answer = pipeline.ask_context(q["question"], paragraphs, [table])
            latencies.append(time.perf_counter() - t)
            pred, scale = to_prediction(answer, paragraphs, table)
            em, f1 = tatqa_score(q, pred, scale)
            row.update(pred=pred, scale=scale, kind=answer.kind, abstained=answer.no_answer, em=em, f1=f1,
                       scale_ok=scale == effective_gold_scale(q))
        except Exception as exc:  # one question never stops the run
            row.update(pred="", scale="", kind="error", abstained=True, em=0.0, f1=0.0, scale_ok=False,
                       error=f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}")
        rows.append(row)
    by_type, by_source = defaultdict(list), defaultdict(list)
    for r in rows:
        by_type[r["type"]].append(r)
        by_source[r["source"]].append(r)
    kinds = defaultdict(int)
    for r in rows:
        kinds[r["kind"]] += 1
    return {
        "file": str(path), "contexts": len({r["context"] for r in rows}), "heldout_only": uids is not None,
        "reader": getattr(pipeline, "reader", None) is not None,
        "overall": _summary(rows),
        "by_answer_type": {k: _summary(v) for k, v in sorted(by_type.items())},
        "by_answer_source": {k: _summary(v) for k, v in sorted(by_source.items())},
        "answer_kinds": dict(kinds),
        "latency": {"p50_s": round(sorted(latencies)[len(latencies) // 2], 3) if latencies else 0.0,
                    "run_s": round(time.perf_counter() - started, 1)},
        "errors": sum(1 for r in rows if "error" in r),
        "rows": rows,
    }


def format_tatqa_markdown(report: dict[str, Any]) -> str:
    lines = ["| slice | n | EM | F1 | scale acc. | abstained |", "|---|---|---|---|---|---|"]
    o = report["overall"]
    lines.append(f"| **all** | {o['n']} | {o.get('em', 0)} | {o.get('f1', 0)} | {o.get('scale_accuracy', 0)} "
                 f"| {o.get('abstained', 0)} |")
    for group in ("by_answer_type", "by_answer_source"):
        for name, m in report[group].items():
            lines.append(f"| {name} | {m['n']} | {m['em']} | {m['f1']} | {m['scale_accuracy']} | {m['abstained']} |")
    return "\n".join(lines) + "\n"
