"""Reliability of the answers' confidence: for each confidence bucket, how many answers there were and what
share of them were right, over the records of gold-set runs (`python -m eval ... --json OUT`).

    python -m eval reliability REPORT.json... [--md OUT]

An answer's confidence is honest when the share right in each bucket is near the bucket's confidence. A run's
abstentions are counted apart: they are not answers.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Sequence

BUCKETS = ((0.0, 0.5), (0.5, 0.6), (0.6, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 1.0001))


def answered(records: Sequence[dict[str, Any]]) -> list[tuple[float, bool, str]]:
    """(confidence, right, kind) of each record that gave an answer."""
    out = []
    for r in records:
        got = r.get("got")
        if got and not got.get("no_answer"):
            out.append((float(got.get("confidence") or 0.0), bool(r.get("correct")), got.get("kind") or ""))
    return out


def reliability(points: Sequence[tuple[float, bool, str]]) -> list[dict[str, Any]]:
    rows = []
    for lo, hi in BUCKETS:
        inside = [(c, ok) for c, ok, _ in points if lo <= c < hi]
        if inside:
            rows.append({"bucket": f"{lo:.1f}–{min(hi, 1.0):.1f}", "answers": len(inside),
                         "right": sum(ok for _, ok in inside),
                         "share_right": round(sum(ok for _, ok in inside) / len(inside), 3),
                         "mean_confidence": round(sum(c for c, _ in inside) / len(inside), 3)})
    return rows


def by_kind(points: Sequence[tuple[float, bool, str]]) -> list[dict[str, Any]]:
    kinds = sorted({k for _, _, k in points})
    return [{"kind": k, "answers": sum(1 for *_, x in points if x == k),
             "right": sum(ok for _, ok, x in points if x == k),
             "mean_confidence": round(sum(c for c, _, x in points if x == k) / max(1, sum(1 for *_, x in points if x == k)), 3)}
            for k in kinds]


def load_points(paths: Sequence[str | Path]) -> dict[str, list[tuple[float, bool, str]]]:
    return {Path(p).stem: answered(json.loads(Path(p).read_text(encoding="utf-8"))["records"]) for p in paths}


def format_reliability_markdown(sets: dict[str, list[tuple[float, bool, str]]]) -> str:
    pooled = [p for points in sets.values() for p in points]
    lines = [f"Answers from: {', '.join(f'{name} ({len(p)})' for name, p in sets.items())}.", "",
             "| confidence | answers | right | share right | mean confidence |", "|---|---|---|---|---|"]
    for r in reliability(pooled):
        lines.append(f"| {r['bucket']} | {r['answers']} | {r['right']} | {r['share_right']:.0%} | {r['mean_confidence']:.2f} |")
    lines += ["", "| answer kind | answers | right | share right | mean confidence |", "|---|---|---|---|---|"]
    for r in by_kind(pooled):
        lines.append(f"| {r['kind']} | {r['answers']} | {r['right']} | {r['right'] / r['answers']:.0%} | {r['mean_confidence']:.2f} |")
    return "\n".join(lines) + "\n"
