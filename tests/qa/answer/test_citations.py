"""Citations start and end on the cited sentence's boundaries, in the filing's offsets."""
from __future__ import annotations

from index.model import Hit
from qa.answer.citations import cite


def _hit(filing, start: int, end: int) -> Hit:
    return Hit(text=filing.text[start:end], score=1.0, doc_id=filing.doc_id, section="", segment=None, period=None,
               page=None, start=start, end=end)


def test_a_span_inside_a_sentence_is_cited_from_the_sentence_start(seed_000):
    text = seed_000.text
    sentence = "Consolidated\ngeneral and administrative expenses increased 30%"
    at = text.index(sentence)
    hit = _hit(seed_000, max(0, at - 400), at + 600)
    inner = at - hit.start + len("Consolidated gen")  # a reader span starting mid-word
    citation = cite(hit, seed_000, inner, inner + 20)
    assert citation.start == at and citation.text.startswith(sentence)
    assert citation.text == text[citation.start:citation.end] and citation.text.rstrip().endswith(".")


def test_a_span_at_the_passage_start_keeps_its_first_letter(seed_000):
    text = seed_000.text
    at = text.index("Consolidated\ngeneral and administrative expenses increased 30%")
    hit = _hit(seed_000, at, at + 500)
    citation = cite(hit, seed_000, 0, 12)
    assert citation.text.startswith("Consolidated\ngeneral")
