"""Held-out evaluation of the reader: `python -m eval.reader [--model DIR]`.

Also SQuAD 2.0 on the articles the reader's training holds out (`train_data.squad_articles`).

EM/F1 with SQuAD normalisation (lowercase; strip punctuation, the articles a/an/the, extra whitespace) on the
TAT-QA span and multi-span questions of the held-out report contexts (`<model>/heldout_uids.json`, written by
`qa.reader.train`). For multi-span questions the gold answer is the parts joined with spaces. The reader's answer is its
best span, ignoring the abstention threshold (every question here is answerable). The baseline returns, whole,
the context sentence or table row with the highest token overlap with the question.
"""
from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from corpus.words import FRAME_WORDS, STOP_WORDS
from eval.text_metrics import exact_match
from eval.text_metrics import normalize_answer as normalize
from eval.text_metrics import token_f1 as f1

_STOP = STOP_WORDS | FRAME_WORDS


def _units(context: str) -> list[str]:
    """Sentences of the paragraphs and rows of the table: what the baseline can return."""
    from corpus.sentences import split_spans

    units = []
    for line in context.split("\n"):
        if not line.strip():
            continue
        if " | " in line or len(line) < 200:
            units.append(line.strip())
        else:
            units.extend(line[a:b] for a, b in split_spans(line))
    return units


def _tokens(text: str) -> set[str]:
    return {t for t in normalize(text).split() if t not in _STOP}


def sentence_baseline(question: str, context: str) -> str:
    """The context sentence / table row sharing the most (non-stopword) tokens with the question; first on ties."""
    q = _tokens(question)
    best, best_score = "", -1.0
    for unit in _units(context):
        u = _tokens(unit)
        score = len(q & u) / (1 + 0.01 * len(u))
        if score > best_score:
            best, best_score = unit, score
    return best


def evaluate(reader, uids: set[str] | None = None, tatqa_path: Path | None = None) -> dict:
    """{answer_type: {n, reader: {em, f1, abstained}, baseline: {em, f1}}} over the held-out questions."""
    from qa.reader import train_data

    gold = train_data.tatqa_gold(tatqa_path or train_data.TATQA_DEV, uids)
    by_type: dict[str, dict] = {}
    for g in gold:
        target = " ".join(g["answers"])
        spans = reader.extract(g["question"], [g["context"]], top_k=1)
        pred = spans[0].text if spans else ""
        base = sentence_baseline(g["question"], g["context"])
        acc = by_type.setdefault(g["answer_type"], {"n": 0, "r_em": 0.0, "r_f1": 0.0, "b_em": 0.0, "b_f1": 0.0,
                                                      "abstained": 0})
        acc["n"] += 1
        acc["r_em"] += exact_match(pred, target)
        acc["r_f1"] += f1(pred, target)
        acc["b_em"] += exact_match(base, target)
        acc["b_f1"] += f1(base, target)
        acc["abstained"] += int(not spans or spans[0].score <= reader.THRESHOLD)
    out = {}
    for kind, a in sorted(by_type.items()):
        n = a["n"]
        out[kind] = {"n": n,
                     "reader": {"em": round(100 * a["r_em"] / n, 1), "f1": round(100 * a["r_f1"] / n, 1),
                                "abstained": a["abstained"]},
                     "baseline": {"em": round(100 * a["b_em"] / n, 1), "f1": round(100 * a["b_f1"] / n, 1)}}
    return out


def evaluate_squad(reader, gold: list[dict] | None = None) -> dict:
    """SQuAD 2.0 EM/F1 on held-out articles (`train_data.squad_gold`): an unanswerable question is right when the
    reader abstains (best score at or below its threshold); an answerable one scores its best span against every
    gold answer (the best one counts), whatever its score, as the TAT-QA columns do."""
    from qa.reader import train_data

    gold = gold if gold is not None else train_data.squad_gold()
    acc = {"has": [0, 0.0, 0.0, 0.0, 0.0], "none": [0, 0.0]}
    for g in gold:
        spans = reader.extract(g["question"], [g["context"]], top_k=1)
        pred = spans[0].text if spans else ""
        if not g["answers"]:
            acc["none"][0] += 1
            acc["none"][1] += int(not spans or spans[0].score <= reader.THRESHOLD)
            continue
        base = sentence_baseline(g["question"], g["context"])
        a = acc["has"]
        a[0] += 1
        a[1] += max(exact_match(pred, t) for t in g["answers"])
        a[2] += max(f1(pred, t) for t in g["answers"])
        a[3] += max(exact_match(base, t) for t in g["answers"])
        a[4] += max(f1(base, t) for t in g["answers"])
    n, m = acc["has"][0] or 1, acc["none"][0] or 1
    return {"answerable": {"n": acc["has"][0],
                           "reader": {"em": round(100 * acc["has"][1] / n, 1), "f1": round(100 * acc["has"][2] / n, 1)},
                           "baseline": {"em": round(100 * acc["has"][3] / n, 1), "f1": round(100 * acc["has"][4] / n, 1)}},
            "unanswerable": {"n": acc["none"][0], "abstained": round(100 * acc["none"][1] / m, 1)}}


def latency(reader, n_passages: int = 5, repeats: int = 5) -> dict:
    """Median seconds for one `extract` over `n_passages` filing-like passages (~250 words each)."""
    sentence = ("Revenue increased 12% to $4.2 billion, primarily due to higher subscription sales in the Americas "
                "and growth in our cloud services, partially offset by foreign currency headwinds. ")
    passages = [f"Passage {i}. " + sentence * 10 for i in range(n_passages)]
    reader.warm_up()
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        reader.extract("Why did revenue increase?", passages)
        times.append(time.perf_counter() - t)
    return {"passages": n_passages, "passage_words": len(passages[0].split()), "median_s": round(statistics.median(times), 3)}


def main(argv: list[str] | None = None) -> int:
    from qa.reader.model import DEFAULT_MODEL_DIR, Reader

    p = argparse.ArgumentParser(prog="python -m eval.reader", description=__doc__.split("\n")[0])
    p.add_argument("--model", type=Path, default=DEFAULT_MODEL_DIR)
    args = p.parse_args(argv)
    uids_file = args.model / "heldout_uids.json"
    if not uids_file.is_file():
        raise SystemExit(f"error: {uids_file} not found (written by python -m qa.reader.train)")
    import torch

    torch.set_num_threads(2)
    reader = Reader.load(args.model)
    result = {"heldout": evaluate(reader, set(json.loads(uids_file.read_text()))),
              "heldout_squad": evaluate_squad(reader), "latency": latency(reader)}
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
