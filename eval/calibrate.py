"""Fit the sentence ranker's calibration on dev questions: `python -m eval calibrate --gold FILE... --index DIR
[--ranker DIR] [--split dev] [--out DIR/calibration.json]`.

Each question of the split is asked with the ranker answering at any score (no threshold, the model's own
sigmoid); where the answer came from the ranker, its raw score and whether it was right are kept (a question the
filing does not answer is never answered right). Platt scaling fitted on those pairs turns a score into the
probability of being right; the file written says on what it was fitted, with the reliability of the fit.
Questions of a sealed split are never read.

`--steps` (after the ranker's own fit): the rule-based words steps (stated causes, stated forms, the reader's span)
answer with a sentence the ranker scores too. Asked with nothing dropping their answers, each step's (score, right)
pairs get their own Platt fit, so that a stated cause's confidence is the chance that a stated cause is right, and
every words answer then needs the same 0.75 (`min_rank_probability`: a wrong answer costs three right ones).
"""
from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path
from typing import Any

from eval.gold import load_gold
from eval.runner import is_correct
from qa.rank.model import CALIBRATION_FILE, Calibration, fit_platt

STEP = "ranked_sentence"


def ranker_points(items, pipeline, per_doc: bool = True) -> list[dict[str, Any]]:
    """(id, score, right) of each question the ranker answered."""
    out = []
    for item in items:
        explanation = pipeline.explain(item.question, item.docs if per_doc and item.docs else None)
        outcome = next((o for o in explanation.outcomes if o.step == STEP and o.answer is not None
                        and not o.answer.no_answer), None)
        if outcome is None or explanation.answer is not outcome.answer:
            continue
        p = min(max(outcome.answer.confidence, 1e-6), 1 - 1e-6)
        out.append({"id": item.id, "category": item.category, "score": math.log(p / (1 - p)),
                    "right": is_correct(item, outcome.answer)})
    return out


def reliability_rows(points, calibration: Calibration, edges=(0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0001)):
    rows = []
    for lo, hi in zip(edges, edges[1:]):
        inside = [p for p in points if lo <= calibration.probability(p["score"]) < hi]
        if inside:
            rows.append({"bucket": f"{lo:.1f}-{min(hi, 1.0):.1f}", "answers": len(inside),
                         "share_right": round(sum(p["right"] for p in inside) / len(inside), 3)})
    return rows


def calibrate(gold_paths, index_dir, ranker_dir, split: str = "dev", per_doc: bool = True) -> dict[str, Any]:
    from qa.pipeline import Pipeline
    from qa.rank.model import SentenceRanker

    items = [i for path in gold_paths for i in load_gold(path) if (i.split or "dev") == split and i.split != "sealed"]
    ranker = SentenceRanker(ranker_dir)
    ranker.warm_up()
    ranker.calibration = Calibration()  # the model's own sigmoid: the raw score is read back from it
    pipeline = Pipeline.load(index_dir, bundled=True, ranker=ranker)
    pipeline.config = replace(pipeline.config, min_rank_probability=0.0)
    points = ranker_points(items, pipeline, per_doc)
    a, b = fit_platt([p["score"] for p in points], [p["right"] for p in points]) if points else (1.0, 0.0)
    fitted = Calibration(a, b, f"{len(points)} ranker answers to the {split} questions of "
                               f"{', '.join(Path(g).name for g in gold_paths)}")
    return {"a": a, "b": b, "fitted_on": fitted.fitted_on, "questions": len(items), "answers": len(points),
            "right": sum(p["right"] for p in points), "reliability": reliability_rows(points, fitted),
            "points": points}


# The rule-based words steps, each with the AnswerConfig field holding its floor when it has no calibration.
WORDS_STEPS = {"stated_cause": "min_words_probability", "stated_form": "min_form_probability",
               "reader_span": "min_reader_probability"}
COST_OF_WRONG = 3.0  # a wrong answer costs three right ones (AnswerConfig.min_rank_probability: p - 3(1 - p) >= 0)
_NEVER = 1.01  # a threshold above every probability: the step never answers


def words_points(items, pipeline, per_doc: bool = True) -> list[dict[str, Any]]:
    """(id, step, score, right) of each question a words step answered when nothing drops its answers (no step
    calibration, every floor at 0); `score` is the ranker's raw score of the sentence cited."""
    ranker = pipeline.ranker
    ranker.step_calibrations = {}
    pipeline.config = replace(pipeline.config, **{f: 0.0 for f in WORDS_STEPS.values()})
    a, b = ranker.calibration.a, ranker.calibration.b
    out = []
    for item in items:
        explanation = pipeline.explain(item.question, item.docs if per_doc and item.docs else None)
        answer = explanation.answer
        step = next((o.step for o in explanation.outcomes if o.answer is answer), None)
        if step in WORDS_STEPS and not answer.no_answer:
            p = min(max(answer.confidence, 1e-9), 1 - 1e-9)  # the ranker's probability: its score read back
            out.append({"id": item.id, "category": item.category, "step": step,
                        "score": round((math.log(p / (1 - p)) - b) / a, 4), "right": is_correct(item, answer)})
    return out


def best_threshold(points: list[dict[str, Any]], cost: float = COST_OF_WRONG) -> dict[str, Any]:
    """The probability below which a step's answers are dropped (become abstentions) that maximises
    right - cost * wrong over the answers kept; the lowest such threshold on ties (answer more)."""
    values = sorted({0.0, _NEVER} | {p["probability"] for p in points})

    def utility(t: float) -> float:
        kept = [p for p in points if p["probability"] >= t]
        return sum(p["right"] for p in kept) - cost * sum(not p["right"] for p in kept)
    best = max(values, key=lambda t: (utility(t), -t))
    kept = [p for p in points if p["probability"] >= best]
    return {"threshold": best, "answers": len(points), "kept": len(kept), "kept_right": sum(p["right"] for p in kept),
            "dropped_right": sum(p["right"] for p in points if p["probability"] < best),
            "dropped_wrong": sum(not p["right"] for p in points if p["probability"] < best)}


def calibrate_steps(gold_paths, index_dir, ranker_dir, split: str = "dev", per_doc: bool = True) -> dict[str, Any]:
    """Each words step's own Platt calibration of the ranker's score, fitted on the split's questions, with what
    it keeps at the answering threshold (`min_rank_probability`) and the threshold that would be best on them."""
    from qa.answer.evidence import AnswerConfig
    from qa.pipeline import Pipeline

    items = [i for path in gold_paths for i in load_gold(path) if (i.split or "dev") == split and i.split != "sealed"]
    pipeline = Pipeline.load(index_dir, bundled=True, ranker=ranker_dir)
    points = words_points(items, pipeline, per_doc)
    needed = AnswerConfig().min_rank_probability
    steps = {}
    for step in WORDS_STEPS:
        mine = [p for p in points if p["step"] == step]
        if len(mine) < 10 or all(p["right"] for p in mine) or not any(p["right"] for p in mine):
            continue  # too few, or nothing to tell right from wrong: the step keeps its floor
        a, b = fit_platt([p["score"] for p in mine], [p["right"] for p in mine])
        fitted = Calibration(a, b, f"{len(mine)} {step} answers to the {split} questions of "
                                   f"{', '.join(Path(g).name for g in gold_paths)}")
        for p in mine:
            p["probability"] = round(fitted.probability(p["score"]), 4)
        kept = [p for p in mine if p["probability"] >= needed]
        steps[step] = {"a": a, "b": b, "fitted_on": fitted.fitted_on, "answers": len(mine),
                       "right": sum(p["right"] for p in mine), "kept_at_threshold": len(kept),
                       "kept_right": sum(p["right"] for p in kept),
                       "best_threshold_on_dev": best_threshold(mine)["threshold"],
                       "reliability": reliability_rows(mine, fitted)}
    return {"steps": steps, "points": points}


def write(result: dict[str, Any], out: Path) -> None:
    data = {k: v for k, v in result.items() if k != "points"}
    tmp = out.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    tmp.replace(out)


def main(argv: list[str]) -> int:
    import argparse

    from qa.rank.model import DEFAULT_MODEL_DIR

    p = argparse.ArgumentParser(prog="python -m eval calibrate", description=__doc__.split("\n")[0])
    p.add_argument("--gold", action="append", required=True, metavar="FILE")
    p.add_argument("--index", metavar="DIR")
    p.add_argument("--ranker", metavar="DIR", default=str(DEFAULT_MODEL_DIR))
    p.add_argument("--split", default="dev")
    p.add_argument("--out", metavar="FILE", help=f"default: RANKER/{CALIBRATION_FILE}")
    p.add_argument("--points", metavar="FILE", help="write every (score, right) point here")
    p.add_argument("--steps", action="store_true",
                   help="instead: each rule-based words step's own calibration, fitted on the split's questions "
                        "(written into the ranker's calibration file, beside the ranker's own)")
    args = p.parse_args(argv)
    out = Path(args.out) if args.out else Path(args.ranker) / CALIBRATION_FILE
    if args.steps:
        result = calibrate_steps(args.gold, args.index, args.ranker, args.split)
        if args.points:
            Path(args.points).write_text(json.dumps(result["points"], indent=1) + "\n", encoding="utf-8")
        current = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
        write({**current, "steps": result["steps"]}, out)
        print(json.dumps(result["steps"], indent=1))
        return 0
    result = calibrate(args.gold, args.index, args.ranker, args.split)
    current = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    write({**result, **({"steps": current["steps"]} if "steps" in current else {})}, out)
    if args.points:
        Path(args.points).write_text(json.dumps(result["points"], indent=1) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k != "points"}, indent=1))
    return 0
