"""Guidance a filing states as a range: "What revenue range did Intel guide to for Q2 2023?" answered from
"Forecasting second-quarter 2023 revenue of $11.5 billion to $12.5 billion". The sentence must say it looks ahead
(forecast, expect, guidance, outlook), name the figure asked and no other period than the one asked; two different
ranges that fit are no answer (a prior and an updated outlook side by side)."""
from __future__ import annotations

import re

from corpus.period_intent import parse_period_intent
from corpus.sentences import split_spans
from corpus.words import singular_stems
from qa.answer.evidence import Evidence
from qa.model import Answer, Citation

_AMOUNT = r"\$\s?\d[\d,]*(?:\.\d+)?\s*(?:billion|million|thousand|[bm]\b)?"
_RANGE = re.compile(rf"(?:between\s+)?{_AMOUNT}\s*(?:to|-|–|—|and)\s*(?:{_AMOUNT}|\d[\d,]*(?:\.\d+)?\s*(?:billion|million|"
                    r"thousand))|(?:between\s+)?\d+(?:\.\d+)?\s*%?\s*(?:to|-|–|—|and)\s*\d+(?:\.\d+)?\s*%", re.I)
# "in its Q2 fiscal 2024 earnings release", "in its FY2024 10-K": the document, not the period the guidance is for
_DOCUMENT = re.compile(r"\b(?:in|per|from|according\s+to)\s+(?:its|the|their)\s+[^,?]*?(?:10-?K|10-?Q|8-?K|earnings\s+"
                       r"(?:release|report)|annual\s+report|press\s+release)\b", re.I)
_AHEAD = re.compile(r"\b(?:forecast\w*|expect\w*|guid\w*|outlook|anticipat\w*|project\w*|rais\w*|reaffirm\w*|"
                    r"updat\w*|estimat\w*)\b", re.I)
_QUARTER_WORDS = {1: r"first[- ]quarter|\bq1\b|first\s+quarter", 2: r"second[- ]quarter|\bq2\b|second\s+quarter",
                  3: r"third[- ]quarter|\bq3\b|third\s+quarter", 4: r"fourth[- ]quarter|\bq4\b|fourth\s+quarter"}
_ANY_QUARTER = re.compile("|".join(_QUARTER_WORDS.values()), re.I)
_FULL_YEAR = re.compile(r"\bfull[- ]year\b|\bfiscal\s+(?:year\s+)?(?:19|20)?\d\d\b|\bfy\s?'?\d\d\b|\bannual\b", re.I)
_YEARS = re.compile(r"(?<![\d$,.])(?:(?:19|20)(\d\d))(?![\d,])|\bfy\s?'?(\d\d)\b", re.I)


def _years(text: str) -> set[int]:
    return {2000 + int(a or b) for a, b in _YEARS.findall(text)}


def _fits_period(sentence: str, question: str) -> bool:
    """The sentence names the quarter or full year the question asks, and no other year."""
    question = _DOCUMENT.sub(" ", question)
    asked = parse_period_intent(question)
    said = _years(sentence)
    if asked.year and said and asked.year not in said:
        return False
    if asked.quarter:
        return bool(re.search(_QUARTER_WORDS[asked.quarter], sentence, re.I))
    if _FULL_YEAR.search(question):
        # the sentence itself says it is the year's ("Full Year FY24", "for fiscal 2024"), and names no quarter
        return bool(_FULL_YEAR.search(sentence)) and not _ANY_QUARTER.search(sentence)
    return True


def stated_range(ev: Evidence) -> Answer | None:
    q = ev.question
    words = q.metric_text or q.metric
    if not words:
        return None
    wanted = set(singular_stems(words.lower())) - {"total", "net", "the"}
    found: list[tuple[str, int, int, str]] = []
    for filing in ev.filings_in_order(2):
        text = filing.text
        if not _RANGE.search(text):
            continue  # (no range anywhere: no sentence to split the whole filing for)
        for start, end in split_spans(text):
            sentence = text[start:end]
            if not _RANGE.search(sentence) or not _AHEAD.search(sentence) or any(
                    t.start <= start < t.end for t in filing.tables):
                continue  # (a row of an outlook table is dated by its header, not by its own words)
            if not wanted <= set(singular_stems(sentence.lower())) or not _fits_period(sentence, q.text):
                continue
            ranges = {" ".join(m.group(0).split()) for m in _RANGE.finditer(sentence)}
            if len(ranges) != 1:
                continue  # a prior and an updated range in one line: which is asked is not said
            found.append((ranges.pop(), start, end, filing.doc_id))
    if len({r for r, *_ in found}) != 1:
        return None
    said, start, end, doc_id = found[0]
    filing = ev.filings[doc_id]
    section = filing.section_at(start)
    citation = Citation(doc_id=doc_id, section=" > ".join(section.path) if section else "", page=filing.page_at(start),
                        start=start, end=end, text=filing.text[start:end])
    return Answer(question=q.text, text=f"{said} (as guided: \"{' '.join(filing.text[start:end].split())}\")",
                  confidence=0.6, citations=(citation,), kind="span")
