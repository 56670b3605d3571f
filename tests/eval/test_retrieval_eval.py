"""eval/retrieval.py: recall of retrieval alone, against evidence text or evidence pages."""
import json

import pytest

from eval.retrieval import RetrievalItem, hit_is_right, load_items, retrieval_scores
from index.model import Hit
from tests.conftest import ROOT


def _hit(text, doc_id="ebay-2023q2-10q", page=12):
    return Hit(text=text, score=1.0, doc_id=doc_id, section="", segment=None, period=None, page=page, start=0, end=len(text))


def test_a_page_hit_is_the_right_file_and_page_or_the_phrase():
    item = RetrievalItem("ph01", "q", "Net revenues were $2.5 billion", "EBAY_2023Q2_10Q.pdf", (12,))
    sources = {"ebay-2023q2-10q": "EBAY_2023Q2_10Q.pdf", "ebay-2022-10k": "EBAY_2022_10K.pdf"}
    assert hit_is_right(item, _hit("anything on that page"), sources)
    assert not hit_is_right(item, _hit("anything", page=13), sources)
    assert not hit_is_right(item, _hit("anything", doc_id="ebay-2022-10k"), sources)
    assert hit_is_right(item, _hit("NET REVENUES WERE $2.5 BILLION", page=40), sources)  # the phrase, any case


def test_the_page_hit_set_is_well_formed():
    rows = [json.loads(line) for line in (ROOT / "eval" / "pagehit_gold.jsonl").read_text().splitlines() if line.strip()]
    assert len(rows) >= 40 and len({r["id"] for r in rows}) == len(rows)
    assert len({r["file"] for r in rows}) == 22
    assert all(r["pages"] and all(isinstance(p, int) and p >= 1 for p in r["pages"]) and r["evidence"] for r in rows)


@pytest.mark.slow
def test_seed_gold_recall_counts_ranks(seed_retriever):
    items = load_items(ROOT / "eval" / "gold.jsonl")
    assert items and all(i.evidence for i in items)
    scores = retrieval_scores(seed_retriever, items[:20])
    assert scores["n"] == 20 and 0 < scores["recall@1"] <= scores["recall@5"] <= scores["recall@10"] <= 1
    assert set(scores["ranks"]) == {i.id for i in items[:20]}
