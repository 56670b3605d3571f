"""Run the gold set through a Pipeline and measure it: `run_gold(gold_path, pipeline) -> report dict`.

For each question: `pipeline.ask(question)` (timed; latency is of `ask` alone) and `pipeline.retrieve(question,
k=10)` (for recall@k / MRR; not timed). Questions are asked over the whole index, never restricted to the gold
`doc`. An exception in either is recorded as a failure of stage "error"; the run goes on.

What counts as answered right:
- value / change: `numeric_match` of `answer.value` against the gold value (0.5% relative, full scale; change
  questions compare magnitudes; a percent gold accepts a unitless fraction).
- text / why: token F1 >= 0.5 against some acceptable answer, or some acceptable answer (normalised) contained in
  the normalised answer text.
- none: the pipeline abstained (`answer.no_answer`).
An answerable question the pipeline abstained on is never right.

EM / F1 (SQuAD) compare a prediction string with the acceptable answers: "" when the pipeline abstained; for
value / change questions the figure with every digit (`format_exact(value, unit)`, e.g. "$4,143,000") when the answer
has one, else the answer text. For none questions EM = F1 = 1 iff the pipeline abstained.
"""
from __future__ import annotations

import statistics
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

from eval.gold import NUMERIC_TYPES, TYPES, GoldItem, load_gold
from eval.metrics import (
    STAGES,
    abstention_scores,
    attribute_failure,
    citation_hit,
    evidence_rank,
    exact_match,
    max_over,
    mrr,
    numeric_match,
    percentile,
    recall_at,
    text_correct,
    token_f1,
)

RECALL_KS = (1, 3, 5, 10)
RETRIEVE_K = 10


def prediction_string(item: GoldItem, answer) -> str:
    if answer is None or answer.no_answer:
        return ""
    if item.type in NUMERIC_TYPES and answer.value is not None:
        from qa.model import format_exact

        return format_exact(answer.value, answer.unit)
    return answer.text


def is_correct(item: GoldItem, answer) -> bool:
    if answer is None:
        return False
    if item.type == "none":
        return bool(answer.no_answer)
    if answer.no_answer:
        return False
    if item.type in NUMERIC_TYPES:
        return numeric_match(answer.value, answer.unit, item.value, item.unit, magnitude=item.type == "change")
    if item.type == "yesno":
        return said_yes_or_no(answer.text) == item.answers[0].lower()
    return text_correct(answer.text, item.answers)


def said_yes_or_no(text: str) -> str | None:
    """"yes" or "no" when an answer opens with it ("Yes. McDonald's paid ..."), else None."""
    first = text.strip().split(maxsplit=1)[0].strip(".,:;—-").lower() if text.strip() else ""
    return first if first in ("yes", "no") else None


def score_item(item: GoldItem, answer, hit_texts: list[str] | None, seconds: float | None,
               error: str | None = None) -> dict:
    """One question's record: what came, whether it was right, where it was lost."""
    abstained = answer is None or bool(answer.no_answer)
    pred = prediction_string(item, answer)
    citations = [c.text for c in answer.citations] if answer is not None else []
    rank = evidence_rank(hit_texts, item.evidence) if (hit_texts is not None and item.answerable) else None
    correct = is_correct(item, answer)
    numeric = (item.type in NUMERIC_TYPES and answer is not None and not abstained
               and numeric_match(answer.value, answer.unit, item.value, item.unit, magnitude=item.type == "change"))
    cited = citation_hit(citations, item.evidence) if item.answerable else False
    if error is not None:
        stage = "error"
    else:
        stage = attribute_failure(answerable=item.answerable, abstained=abstained, correct=correct, cited=cited,
                                  retrieved=rank is not None)
    outcome = "right" if correct else "abstained" if abstained else "wrong"
    record: dict[str, Any] = {
        "id": item.id, "type": item.type, "question": item.question, "category": item.category, "split": item.split,
        "form": item.form,
        "outcome": outcome, "reason_named": reason_named(item, answer),
        "correct": correct, "abstained": abstained, "cited": cited, "evidence_rank": rank,
        "em": max_over(exact_match, pred, item.answers), "f1": max_over(token_f1, pred, item.answers),
        "numeric": numeric if item.type in NUMERIC_TYPES else None,
        "seconds": seconds, "stage": stage,
        "expected": {"answers": list(item.answers), "value": item.value, "unit": item.unit, "doc": item.doc,
                     "evidence": item.evidence},
        "got": None if answer is None else {
            "text": answer.text, "value": float(answer.value) if answer.value is not None else None,
            "unit": answer.unit,
            "kind": answer.kind, "no_answer": answer.no_answer, "confidence": round(answer.confidence, 4),
            "citations": [{"doc_id": c.doc_id, "section": c.section, "text": " ".join(c.text.split())[:300]}
                          for c in answer.citations[:3]]},
    }
    if error is not None:
        record["error"] = error
    return record


def reason_named(item: GoldItem, answer) -> bool | None:
    """For a question the filings cannot answer, with the reason a right no-answer names ("fiscal 2025 full year"):
    whether the no-answer names most of its words. None when there is nothing to judge."""
    if item.answerable or not item.expect_reason or answer is None or not answer.no_answer:
        return None
    from corpus.words import content_words, coverage

    words = content_words(item.expect_reason)
    return bool(words) and coverage(words, answer.text, abbreviations=True) >= 0.5


def outcomes(records: list[dict]) -> dict[str, int]:
    """Right, wrong and abstained counts (an abstention on a none question is right)."""
    return {k: sum(r["outcome"] == k for r in records) for k in ("right", "wrong", "abstained")}


def _aggregate(records: list[dict]) -> dict[str, Any]:
    n = len(records)
    if not n:
        return {"n": 0}
    answerable = [r for r in records if r["type"] != "none"]
    numeric = [r for r in records if r["type"] in NUMERIC_TYPES]
    answered = [r for r in answerable if not r["abstained"]]
    correct_answers = [r for r in answerable if r["correct"]]
    ranks = [r["evidence_rank"] for r in answerable]
    out: dict[str, Any] = {
        "n": n,
        "correct": round(sum(r["correct"] for r in records) / n, 4),
        "em": round(statistics.fmean(r["em"] for r in records), 4),
        "f1": round(statistics.fmean(r["f1"] for r in records), 4),
        "abstained": sum(r["abstained"] for r in records),
    }
    if numeric:
        out["numeric_accuracy"] = round(sum(bool(r["numeric"]) for r in numeric) / len(numeric), 4)
    if answerable:
        out["citation_accuracy"] = round(sum(r["cited"] for r in answered) / len(answered), 4) if answered else 0.0
        out["citation_accuracy_of_correct"] = (round(sum(r["cited"] for r in correct_answers) / len(correct_answers), 4)
                                               if correct_answers else 0.0)
        for k in RECALL_KS:
            out[f"recall@{k}"] = round(recall_at(ranks, k), 4)
        out["mrr"] = round(mrr(ranks), 4)
    return out


def run_gold(gold_path: str | Path | None, pipeline, *, progress: bool = True,
             limit: int | None = None, per_doc: bool = False) -> dict[str, Any]:
    """Ask every gold question, score it, and return the report (see eval/README.md for its fields). `per_doc`
    asks each question of its own filings only (`doc`), as an analyst asks of one known filing."""
    from tqdm import tqdm

    items = load_gold(gold_path)
    if limit is not None:
        items = items[:limit]
    records, latencies = [], []
    started = time.perf_counter()
    for item in tqdm(items, desc="gold", unit="q", disable=not progress):
        answer, hits, seconds, error = None, None, None, None
        try:
            t = time.perf_counter()
            docs = item.docs if per_doc and item.docs else None
            answer = pipeline.ask(item.question, doc_ids=docs)
            seconds = time.perf_counter() - t
            latencies.append(seconds)
            hits = [h.text for h in pipeline.retrieve(item.question, k=RETRIEVE_K, doc_ids=docs)]
        except Exception as exc:  # one question never stops the run
            error = f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}"
        records.append(score_item(item, answer, hits, seconds, error))
    total = time.perf_counter() - started

    present = [t for t in TYPES if any(r["type"] == t for r in records)]
    by_type = {t: _aggregate([r for r in records if r["type"] == t]) for t in present}
    overall = _aggregate(records)
    overall.update({f"abstention_{k}": (round(v, 4) if isinstance(v, float) else v)
                    for k, v in abstention_scores([r["type"] == "none" for r in records],
                                                  [r["abstained"] for r in records]).items()})
    failures = [r for r in records if r["stage"] is not None]
    stage_counts = Counter(r["stage"] for r in failures)
    groups = {}
    for field in ("split", "category", "form"):
        values = sorted({r[field] for r in records if r[field]})
        if values:
            groups[field] = {v: outcomes([r for r in records if r[field] == v]) for v in values}
    return {
        "gold": str(gold_path) if gold_path is not None else "eval/gold.jsonl",
        "n": len(records),
        "composition": dict(Counter(r["type"] for r in records)),
        "overall": overall,
        "by_type": by_type,
        "outcomes": outcomes(records),
        "groups": groups,
        "latency": {"ask_p50_s": round(percentile(latencies, 50), 3), "ask_p95_s": round(percentile(latencies, 95), 3),
                    "ask_mean_s": round(statistics.fmean(latencies), 3) if latencies else 0.0,
                    "run_s": round(total, 1)},
        "pipeline": {"reader": getattr(pipeline, "reader", None) is not None},
        "failures_by_stage": {s: stage_counts.get(s, 0) for s in STAGES},
        "failures": failures,
        "records": records,
    }


# --------------------------------------------------------------------------------------------- markdown

def _pct(x) -> str:
    return "" if x is None else f"{100 * x:.1f}"


def format_markdown(report: dict[str, Any], hide_split: str | None = None) -> str:
    """The results table and every failure (`hide_split`: a sealed split's failures are counted, never listed)."""
    cols = [("n", "n"), ("correct", "right %"), ("numeric_accuracy", "numeric %"), ("em", "EM"), ("f1", "F1"),
            ("citation_accuracy", "citation %"), ("recall@1", "R@1"), ("recall@3", "R@3"), ("recall@5", "R@5"),
            ("recall@10", "R@10"), ("mrr", "MRR"), ("abstained", "abstained")]
    lines = ["| | " + " | ".join(h for _, h in cols) + " |", "|---" * (len(cols) + 1) + "|"]
    rows = [("**all**", report["overall"])] + list(report["by_type"].items())
    for name, m in rows:
        cells = []
        for key, _ in cols:
            v = m.get(key)
            cells.append(str(v) if key in ("n", "abstained") and v is not None else
                         (f"{v:.3f}" if key == "mrr" and v is not None else _pct(v)))
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    o, lat = report["overall"], report["latency"]
    lines += ["", f"Abstention precision {_pct(o['abstention_precision'])}%, recall {_pct(o['abstention_recall'])}% "
              f"({o['abstention_abstained']} abstentions, {o['abstention_none_questions']} none questions). "
              f"Latency of `ask`: p50 {lat['ask_p50_s']} s, p95 {lat['ask_p95_s']} s; whole run {lat['run_s']} s. "
              f"Reader loaded: {report['pipeline']['reader']}.", "",
              "Failures by stage: " + (", ".join(f"{s} {n}" for s, n in report["failures_by_stage"].items() if n)
                                       or "none"), ""]
    if report.get("groups"):
        splits = report["groups"].get("split", {"all": report["outcomes"]})
        lines += ["| split | right | wrong | abstained |", "|---|---|---|---|"]
        lines += [f"| {name} | {o['right']} | {o['wrong']} | {o['abstained']} |" for name, o in splits.items()]
        for field, title in (("category", "class"), ("form", "form")):
            values = sorted({r.get(field) for r in report["records"] if r.get(field)})
            if not values:
                continue
            lines += ["", f"| {title} | " + " | ".join(f"{s} right / wrong / abstained" for s in splits) + " |",
                      "|---" * (len(splits) + 1) + "|"]
            for value in values:
                cells = []
                for split in splits:
                    o = outcomes([r for r in report["records"] if r.get(field) == value
                                  and (split == "all" or r["split"] == split)])
                    cells.append(f"{o['right']} / {o['wrong']} / {o['abstained']}")
                lines.append(f"| {value} | " + " | ".join(cells) + " |")
        lines.append("")
    shown_failures = [r for r in report["failures"] if hide_split is None or r.get("split") != hide_split]
    if hide_split and len(shown_failures) < len(report["failures"]):
        lines += [f"{len(report['failures']) - len(shown_failures)} failures of the {hide_split} split are not shown.", ""]
    if shown_failures:
        lines += ["| id | type | stage | question | expected | got |", "|---|---|---|---|---|---|"]
        for r in shown_failures:
            exp = r["expected"]
            expected = (f"{exp['value']:,.10g} {exp['unit']}" if exp["value"] is not None else
                        "; ".join(exp["answers"])[:80] or "(abstain)")
            got = r["got"]
            if got is None:
                shown = (r.get("error") or "").splitlines()[0][:80]
            elif got["no_answer"]:
                shown = "(abstained)"
            else:
                figure = f"{got['value']:,.10g} {got['unit'] or ''} · " if got["value"] is not None else ""
                shown = figure + got["text"][:90]
            cell = lambda s: str(s).replace("|", "\\|").replace("\n", " ")  # noqa: E731
            lines.append(f"| {r['id']} | {r['type']} | {r['stage']} | {cell(r['question'])} | {cell(expected)} "
                         f"| {cell(shown)} |")
    return "\n".join(lines) + "\n"
