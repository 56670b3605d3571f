"""The reader's training data: SQuAD split by article, the sealed companies' filings never read."""
from __future__ import annotations

import random

import pytest

from qa.reader import train_data


def _squad():
    if not train_data.SQUAD.is_file():
        pytest.skip("../shared/datasets/squad2 is not present")


def test_squad_is_split_by_article_and_held_out_articles_are_never_trained_on():
    _squad()
    train, held = train_data.squad_articles()
    train_titles, held_titles = {a["title"] for a in train}, {a["title"] for a in held}
    assert train_titles and held_titles and not train_titles & held_titles
    assert len(held_titles) == round(0.2 * (len(train_titles) + len(held_titles)))
    assert train_data.squad_articles()[1] == held  # the same split every time
    examples = train_data.squad_examples(train, random.Random(0), 200)
    assert {e.group for e in examples} <= train_titles
    answerable = [e for e in examples if e.answer_start is not None]
    assert answerable and any(e.answer_start is None for e in examples)
    for e in answerable:  # the offset points at the answer (Example checks it too)
        assert e.context[e.answer_start:e.answer_start + len(e.answer_text)] == e.answer_text
    held_contexts = {p["context"] for a in held for p in a["paragraphs"]}
    assert all(g["context"] in held_contexts for g in train_data.squad_gold(limit=100))


def test_the_filings_read_for_training_leave_out_the_sealed_companies():
    from qa.rank.data import sealed_companies, training_filings

    if not train_data.FILINGS_DIR.is_dir():
        pytest.skip("../shared/filings is not present")
    sealed = sealed_companies()
    stems = [p.stem.lower() for p in training_filings(train_data.FILINGS_DIR, sealed)]
    assert stems and not any(s.split("-")[0] in sealed for s in stems)
