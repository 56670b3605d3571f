"""Citations: a passage's span in the offsets of its filing, widened to whole sentences."""
from __future__ import annotations

from corpus.model import Filing
from corpus.sentences import sentence_at
from index.model import Hit
from qa.figures.tables import Fact
from qa.model import Answer, Citation


def cite(hit: Hit, filing: Filing, start: int, end: int) -> Citation:
    """The citation of `hit.text[start:end]`, in offsets of the filing, starting and ending on sentence boundaries."""
    a, b = sentence_at(hit.text, start, end)
    a, b = hit.start + a, hit.start + b
    return Citation(doc_id=hit.doc_id, section=hit.section, page=filing.page_at(a) if filing.pages else hit.page,
                    start=a, end=b, text=filing.text[a:b], period=hit.period, segment=hit.segment)


def complete_span(text: str) -> str:
    """An answer span as a reader sees it: one line, no dangling punctuation, a capital first letter."""
    text = " ".join(text.split()).strip(" ,;")
    return text[0].upper() + text[1:] if text else text


def span_answer(question: str, hit: Hit, filing: Filing, start: int, end: int, sentence_start: int, sentence_end: int,
                *, confidence: float = 0.6, value=None, unit: str | None = None) -> Answer:
    """The answer `hit.text[start:end]`, cited with its sentence `hit.text[sentence_start:sentence_end]`."""
    return Answer(question=question, text=complete_span(hit.text[start:end]), value=value, unit=unit,
                  confidence=confidence, citations=(cite(hit, filing, sentence_start, sentence_end),), kind="span")


def cite_fact(filing: Filing, fact: Fact) -> Citation:
    """A table cell is cited with its whole row (label and every column); a text fact with its sentence."""
    start = fact.context_start if fact.context_start >= 0 else fact.start
    end = fact.context_end if fact.context_end >= 0 else fact.end
    section = filing.section_at(start)
    return Citation(doc_id=filing.doc_id, section=" > ".join(section.path) if section else "", page=filing.page_at(start),
                    start=start, end=end, text=filing.text[start:end], period=fact.period, segment=fact.segment)
