"""The metric gold set: computed-metric questions over the shared filings, with hand-computed answers.

`eval/metric_gold.jsonl`, one question per line:
    {"id", "question", "doc": path under ../shared/filings, "type": "metric" | "none" | "judgement",
     "value": the answer (full scale for USD; 31.5 for 31.5 %), "unit": "ratio" | "%" | "USD" | "days",
     "decimals": the places the question asks for (null: exact to 0.1 %), "source": where the inputs came from,
     "inputs": [{"line", "label", "value", "period_end", "concept"?}], "reason" (for "none": why it is not answerable)}
A "judgement" is a yes/no or comparative question: "answer" is "yes", "no" or the name picked ("investing"), and
"values" (optional) the per-year figures it rests on, in percent to one decimal, each of which the answer must show.

Each question is asked over an index of its own filing. Right: the answer's value is the gold value to the
asked decimals (a "none" question is right when the pipeline says the filing does not give it); wrong: another
value; abstained: no answer to a metric question. `verified` counts computed answers whose check recomputes the
result from the cited cells.
"""
from __future__ import annotations

import json
import re
import tempfile
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any, Sequence

from eval.gold import GoldFormatError

DEFAULT_GOLD = Path(__file__).with_name("metric_gold.jsonl")
UNITS = {"ratio", "%", "USD", "days"}


def load_metric_gold(path: str | Path = DEFAULT_GOLD) -> list[dict[str, Any]]:
    rows = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as exc:
            raise GoldFormatError(f"{path}:{n}: not JSON ({exc})") from None
        missing = {"id", "question", "doc", "type"} - set(row)
        if missing:
            raise GoldFormatError(f"{path}:{n}: missing {sorted(missing)}")
        if row["type"] == "metric" and (row.get("value") is None or row.get("unit") not in UNITS):
            raise GoldFormatError(f"{path}:{n}: a metric question needs a value and a unit in {sorted(UNITS)}")
        if row["type"] == "judgement" and not row.get("answer"):
            raise GoldFormatError(f"{path}:{n}: a judgement question needs its answer (yes, no or the name picked)")
        rows.append(row)
    return rows


def is_right(row: dict[str, Any], value: Decimal | None) -> bool:
    if value is None:
        return False
    gold = Decimal(str(row["value"]))
    if row.get("decimals") is not None:
        return abs(Decimal(value) - gold) <= Decimal(5).scaleb(-row["decimals"] - 1) + Decimal("1e-9")
    return abs(Decimal(value) - gold) <= abs(gold) * Decimal("0.001")


def judged_right(row: dict[str, Any], answer) -> bool:
    """The answer says the gold's yes/no (its first word) or names the gold's pick first, and shows each
    per-year figure the gold lists (to one decimal)."""
    said = (answer.items[0] if answer.items and row["answer"] not in ("yes", "no") else answer.text).strip().lower()
    if not said.startswith(row["answer"].lower()):
        return False
    shown = [Decimal(x.replace(",", "")) for x in re.findall(r"-?\d[\d,]*(?:\.\d+)?", " ".join(answer.items or ()))]
    return all(any(abs(v - Decimal(str(g))) <= Decimal("0.051") for v in shown) for g in row.get("values") or ())


def score(row: dict[str, Any], answer, seconds: float | None, error: str | None = None) -> dict[str, Any]:
    record = {"id": row["id"], "doc": row["doc"], "type": row["type"], "question": row["question"],
              "expected": row.get("value"), "unit": row.get("unit"), "seconds": seconds, "error": error}
    if answer is None:
        record.update(outcome="wrong", got=None, text=error or "")
        return record
    record.update(got=float(answer.value) if answer.value is not None else None, text=answer.text, kind=answer.kind,
                  verified=any(c.kind == "computed" and c.status == "verified" for c in answer.checks),
                  citations=len(answer.citations))
    if row["type"] == "none":
        record["outcome"] = "right" if answer.no_answer else "wrong"
    elif row["type"] == "judgement":
        record["expected"] = row["answer"]
        record["outcome"] = "abstained" if answer.no_answer else "right" if judged_right(row, answer) else "wrong"
    elif answer.no_answer or answer.value is None:
        record["outcome"] = "abstained"
    else:
        record["outcome"] = "right" if is_right(row, answer.value) else "wrong"
    return record


def summarize(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    n = len(records)
    counts = {k: sum(r["outcome"] == k for r in records) for k in ("right", "wrong", "abstained")}
    computed = [r for r in records if r.get("kind") == "computed"]
    return {"n": n, **counts, "right_pct": round(100 * counts["right"] / n, 1) if n else 0.0,
            "wrong_pct": round(100 * counts["wrong"] / n, 1) if n else 0.0,
            "computed": len(computed), "verified": sum(bool(r.get("verified")) for r in computed)}


def run_metric_gold(rows: Sequence[dict[str, Any]], filings_dir: str | Path, *, embedder=None, reader=None
                    ) -> dict[str, Any]:
    """Ask every question over an index of its own filing (built once per filing in a temporary folder)."""
    from index.embedder import Embedder
    from index.retriever import Retriever
    from qa.pipeline import Pipeline

    embedder = embedder if embedder is not None else Embedder()
    embedder.warm_up()
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_doc[row["doc"]].append(row)
    records, started = [], time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="filingqa-metric-eval-") as tmp:
        for i, (doc, questions) in enumerate(by_doc.items()):
            path = Path(filings_dir) / doc
            retriever = Retriever.build([path], out=Path(tmp) / str(i), embedder=embedder)
            pipeline = Pipeline(retriever, reader)
            for row in questions:
                t = time.perf_counter()
                try:
                    answer, error = pipeline.ask(row["question"]), None
                except Exception as exc:  # one question never stops the run
                    answer, error = None, f"{type(exc).__name__}: {exc}"
                records.append(score(row, answer, time.perf_counter() - t, error))
    latencies = sorted(r["seconds"] for r in records if r["seconds"] is not None)
    p95 = latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))] if latencies else None
    by_doc_summary = {doc: summarize([r for r in records if r["doc"] == doc]) for doc in by_doc}
    by_type = {kind: summarize([r for r in records if r["type"] == kind]) for kind in sorted({r["type"] for r in records})}
    return {"overall": summarize(records), "by_type": by_type, "by_doc": by_doc_summary, "records": records,
            "latency": {"p95_s": round(p95, 3) if p95 is not None else None,
                        "run_s": round(time.perf_counter() - started, 1)}}


def format_metric_markdown(report: dict[str, Any]) -> str:
    o = report["overall"]
    lines = ["| slice | n | right | wrong | abstained | right % | wrong % | computed answers verified |",
             "|---|---|---|---|---|---|---|---|",
             f"| **all** | {o['n']} | {o['right']} | {o['wrong']} | {o['abstained']} | {o['right_pct']} | {o['wrong_pct']} | "
             f"{o['verified']} of {o['computed']} |"]
    for kind, s in report.get("by_type", {}).items():
        lines.append(f"| type: {kind} | {s['n']} | {s['right']} | {s['wrong']} | {s['abstained']} | {s['right_pct']} | "
                     f"{s['wrong_pct']} | {s['verified']} of {s['computed']} |")
    for doc, s in report["by_doc"].items():
        lines.append(f"| {doc} | {s['n']} | {s['right']} | {s['wrong']} | {s['abstained']} | {s['right_pct']} | "
                     f"{s['wrong_pct']} | {s['verified']} of {s['computed']} |")
    lines.append("")
    lines.append(f"Latency of `ask`: p95 {report['latency']['p95_s']} s; run {report['latency']['run_s']} s.")
    failures = [r for r in report["records"] if r["outcome"] != "right"]
    if failures:
        lines += ["", "| id | outcome | expected | got | answer |", "|---|---|---|---|---|"]
        for r in failures:
            text = " ".join((r.get("text") or "").split())[:160].replace("|", "/")
            lines.append(f"| {r['id']} | {r['outcome']} | {r['expected']} | {r['got']} | {text} |")
    return "\n".join(lines) + "\n"
