"""Citations: a passage's span in the offsets of its filing, widened to whole sentences."""
from __future__ import annotations

import re

from corpus.model import Filing
from corpus.sentences import sentence_at
from index.model import Hit
from qa.figures.tables import Fact
from qa.model import Answer, Citation, CitedCell


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
    """A table cell is cited with its whole row (label and every column) and the cell itself, with its column, table
    and units; a text fact with its sentence."""
    start = fact.context_start if fact.context_start >= 0 else fact.start
    end = fact.context_end if fact.context_end >= 0 else fact.end
    section = filing.section_at(start)
    return Citation(doc_id=filing.doc_id, section=" > ".join(section.path) if section else "", page=filing.page_at(start),
                    start=start, end=end, text=filing.text[start:end], period=fact.period, segment=fact.segment,
                    cell=cited_cell(filing, fact))


def cited_cell(filing: Filing, fact: Fact) -> CitedCell | None:
    """The cell a table figure is printed in, or None for a figure read from a sentence."""
    if fact.source != "table" or not 0 <= fact.start < fact.end <= len(filing.text):
        return None
    table = next((t for t in filing.tables if t.start <= fact.start < t.end), None)
    units = " ".join(table.units.split()) if table and table.units else None
    title = " ".join((table.caption if table else "").split())
    if not title or (units and title.strip("() ").lower() == units.strip("() ").lower()):
        section = filing.section_at(fact.start)  # an untitled table goes by the heading it sits under
        title = section.path[-1] if section and section.path else ""
    return CitedCell(text=filing.text[fact.start:fact.end], start=fact.start, end=fact.end, row=_row_label(filing, fact),
                     column=fact.period, table=title, units=units, concept=fact.concept)


# A token of a row that is a figure or part of one ("$", "(1,234)", "12.5%", "—"): what follows the row's label.
_CELL_TOKEN = re.compile(r"\$?\(?-?[\d,.]*\d[\d,.]*\)?%?|[$()—–-]")


def _names_a_number(words: list[str]) -> bool:
    """"Level 3", "Model 3", "Class 2": a small number after a capitalised word is part of the label, not a cell."""
    return len(words) >= 2 and words[-1].isdigit() and len(words[-1]) <= 2 and words[-2][:1].isupper() \
        and words[-2].isalpha()


def _row_label(filing: Filing, fact: Fact) -> str:
    """The row label as printed ("iPhone"), not the metric it was read as ("revenue"); the metric if none is read."""
    if 0 <= fact.context_start < fact.start:
        words = filing.text[fact.context_start:fact.start].split()
        while words and _CELL_TOKEN.fullmatch(words[-1]) and not _names_a_number(words):
            words.pop()  # the cells before this one, from the right (token by token: no backtracking on long rows)
        if any(ch.isalpha() for ch in " ".join(words)):
            return " ".join(words)
    return fact.metric
