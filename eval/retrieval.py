"""Retrieval alone, scored against gold evidence: recall@k and MRR of `Retriever.search`, no reader involved.

Two kinds of gold:
- evidence sets (eval/gold.jsonl, eval/why_gold.jsonl): a hit is right when its text contains the evidence;
- the page-hit set (eval/pagehit_gold.jsonl, questions over the 22 shared PDFs): a hit is right when it is from the
  question's file and starts on one of the evidence pages, or contains the evidence phrase.

Used by bench/index_bench.py to show that a faster embedder loses no retrieval, and by
`python -m eval retrieval --index DIR --gold FILE`.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eval.metrics import contains_evidence, mrr, recall_at

KS = (1, 5, 10)


@dataclass(frozen=True)
class RetrievalItem:
    id: str
    question: str
    evidence: str | tuple[str, ...] | None
    file: str | None = None  # page-hit items: the PDF's file name
    pages: tuple[int, ...] = ()


def load_items(path: str | Path) -> list[RetrievalItem]:
    """Answerable gold items with evidence (an evidence set), or every page-hit item."""
    items = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        if row.get("type") == "none" or not row.get("evidence"):
            continue
        evidence = row["evidence"]
        items.append(RetrievalItem(row["id"], row["question"], tuple(evidence) if isinstance(evidence, list) else evidence,
                                   row.get("file"), tuple(row.get("pages") or ())))
    return items


def hit_is_right(item: RetrievalItem, hit, source_names: dict[str, str]) -> bool:
    if contains_evidence(hit.text, item.evidence):
        return True
    if item.file and isinstance(item.evidence, str) and contains_evidence(hit.text.lower(), item.evidence.lower()):
        return True  # page-hit phrases were copied from the PDF as printed; the case may differ after cleaning
    return bool(item.file and item.pages and source_names.get(hit.doc_id) == item.file and hit.page in item.pages)


def retrieval_scores(retriever, items: list[RetrievalItem], k: int = max(KS)) -> dict[str, Any]:
    """{"n", "recall@1", "recall@5", "recall@10", "mrr", "ranks": {id: rank or None}} over `items`."""
    sources = {f["doc_id"]: Path(f.get("source") or "").name for f in retriever.filings()}
    ranks: dict[str, int | None] = {}
    for item in items:
        hits = retriever.search(item.question, k=k)
        ranks[item.id] = next((n for n, h in enumerate(hits, 1) if hit_is_right(item, h, sources)), None)
    values = list(ranks.values())
    out: dict[str, Any] = {"n": len(items)}
    for cut in KS:
        out[f"recall@{cut}"] = round(recall_at(values, cut), 4)
    out["mrr"] = round(mrr(values), 4)
    out["ranks"] = ranks
    return out
