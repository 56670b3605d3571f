"""eval/analyst_gold.jsonl: the analyst set parses, is split by company with at least 30% of companies sealed, and
names only shared filings."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from eval.gold import load_gold

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "eval" / "analyst_gold.jsonl"
SHARED = ROOT.parent / "shared" / "filings"


def test_the_set_parses_with_its_three_classes_and_forms():
    items = load_gold(GOLD)
    assert len(items) >= 250
    assert set(Counter(i.category for i in items)) == {"metric", "judgement", "reading"}
    assert {i.form for i in items} == {"10-K", "10-Q", "8-K", "earnings"}
    assert all(i.company for i in items) and len({i.company for i in items}) >= 40


def test_split_by_company_with_at_least_30_percent_of_companies_sealed():
    items = load_gold(GOLD)
    split_of = {}
    for i in items:
        assert split_of.setdefault(i.company, i.split) == i.split, f"{i.company} is in both splits"
    sealed = sum(1 for s in split_of.values() if s == "sealed")
    assert sealed / len(split_of) >= 0.3


@pytest.mark.shared
@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/filings is not present")
def test_every_question_names_a_shared_filing():
    from corpus.load import doc_id_for

    docs = {doc_id_for(p) for p in [*SHARED.glob("*.pdf"), *(SHARED / "edgar").glob("*.html")]}
    assert {d for i in load_gold(GOLD) for d in i.docs} <= docs
