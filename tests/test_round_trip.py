"""Every serialised type comes back equal from its JSON form: Filing, Chunk, Answer and the index manifest."""
from __future__ import annotations

import json
from decimal import Decimal

from corpus.serialize import filing_from_dict, filing_to_dict
from index.model import Chunk
from qa.model import Answer, Check, Citation


def test_filing_round_trips_through_json(seed_000):
    again = filing_from_dict(json.loads(json.dumps(filing_to_dict(seed_000))))
    assert again == seed_000
    assert again.sections and again.tables  # the parts, not only the text


def test_chunk_round_trips_through_json(seed_retriever):
    chunk = next(iter(seed_retriever.chunks.values()))
    assert Chunk.from_dict(json.loads(json.dumps(chunk.to_dict()))) == chunk


def test_answer_round_trips_through_json():
    answer = Answer(question="What was revenue?", text="Revenue was $4,143,000.", value=Decimal("4143000.50"), unit="USD",
                    confidence=0.8125, citations=(Citation("doc", "Results", 3, 10, 30, "Revenue was $4,143,000.",
                                                           "three months ended September 30, 2020", None),),
                    checks=(Check("Revenue", "verified", "4,143,000 - 3,000,000 = 1,143,000", "change"),), kind="fact")
    again = Answer.from_dict(json.loads(json.dumps(answer.to_dict())))
    assert again == answer
    assert again.value == Decimal("4143000.50")  # exact digits, not a float's


def test_index_manifest_round_trips(seed_retriever):
    from index.persist import MANIFEST, read_manifest

    on_disk = read_manifest(seed_retriever.directory)
    again = json.loads(json.dumps(seed_retriever.manifest()))
    assert {k: v for k, v in again.items() if k != "created"} == {k: v for k, v in on_disk.items() if k != "created"}
    assert on_disk == json.loads((seed_retriever.directory / MANIFEST).read_text(encoding="utf-8"))
