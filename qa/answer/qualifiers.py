"""Qualifiers a figure question names that the filing does not contain: "revenue in Brazil" of a filing that never
mentions Brazil cannot be answered, and the consolidated figure would be a wrong answer, not a near one."""
from __future__ import annotations

import re

from corpus.model import Filing
from corpus.periods import MONTH_NAMES, MONTHS

# "in Brazil", "for the Americas segment", "from Greater China": a Title-case phrase after a preposition.
_QUALIFIER = re.compile(r"\b(?:in|for|from|at|of)\s+(?:the\s+)?((?:[A-Z][a-z][\w&'’-]*)(?:\s+(?:[A-Z][a-z][\w&'’-]*|of|and))*)")
_NOT_QUALIFIERS = {"fiscal", "year", "quarter", "first", "second", "third", "fourth", "three", "six", "nine", "twelve",
                   "months", "half", "company", "total", "net", "gaap", "the", "ended", "ending"}


# Capitalised words of a question that are no qualifier of its subject.
_QUESTION_WORDS = {"why", "what", "how", "did", "does", "do", "was", "were", "is", "are", "q1", "q2", "q3", "q4", "fy",
                   "fiscal", "first", "second", "third", "fourth", "quarter", "year", "the", "gaap", "non-gaap", "yoy",
                   "qoq", "ytd", "ttm", "ltm"}


def qualifier_names(question: str, company: str | None) -> list[str]:
    """The proper names a question qualifies its subject with ("India", "Vision Pro", "iPhone"), without the
    company's own words, months and question words. Acronyms ("G&A", "RL") are left out: filings spell them out."""
    own = {w.lower() for w in re.findall(r"[A-Za-z&]+", company or "")}
    months = {m.lower() for m in MONTH_NAMES}
    words = re.findall(r"(?<!^)(?<![.?!]\s)\b([A-Z][a-z][A-Za-z®™-]*|[a-z][A-Z][A-Za-z]+)", question.strip())
    wanted = [w for w in words if not set(re.findall(r"[a-z&]+", w.lower())) <= own and w.lower() not in months
              and w.lower() not in _QUESTION_WORDS and not re.fullmatch(r"[A-Z]{1,2}", w)]
    return [w.rstrip("’s").rstrip("'s") if w.endswith(("’s", "'s")) else w for w in wanted]


def absent_qualifiers(question: str, filing: Filing, company_words: set[str]) -> list[str]:
    """Title-case qualifiers of `question` none of whose words appear in the filing's text (company names, months
    and period words are not qualifiers). Lenient on purpose: one word of "Greater China" in the text is enough."""
    lowered = " ".join(filing.text.lower().split())
    glued = lowered.replace(" ", "")  # "FairValue" in a question, "fair value" in the table
    out = []
    for m in _QUALIFIER.finditer(question):
        for part in re.split(r"\s+(?:of|and)\s+", re.sub(r"(?:\s+(?:of|and))+$", "", m.group(1))):
            part = re.sub(r"['’]s$", "", part)
            words = [w for w in (re.sub(r"['’]s$", "", x.lower()) for x in part.split())
                     if w not in _NOT_QUALIFIERS and w not in MONTHS and w not in company_words]
            if words and not any(re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", lowered) or w in glued for w in words):
                out.append(part)
    return out


# What a figure question asks for beyond its metric: a non-GAAP measure, or a quarter.
_NON_GAAP = re.compile(r"\b(non-?gaap|adjusted|comparable|organic|constant[- ]currency)\b", re.I)
_QUARTER = re.compile(r"\b(?:q[1-4]|(?:first|second|third|fourth|1st|2nd|3rd|4th)\s+(?:fiscal\s+)?quarter|three\s+months|"
                      r"13\s+weeks|thirteen\s+weeks)\b", re.I)
_FULL_YEAR = re.compile(r"^(?:(?:fiscal\s+)?years?\s+ended|fiscal\s+(?:19|20)\d\d|twelve\s+months|(?:19|20)\d\d$|fy)", re.I)


def unmatched_qualifier(question: str, evidence: str, company: str | None, period: str | None) -> str | None:
    """What the question qualifies its figure by that the answer's evidence (its cited row or sentence, with the
    row's table caption, section path and segment) does not carry: a place or product ("Japan", "iPhone"), a
    non-GAAP measure, or a quarter answered with a full year. None when the evidence carries them all."""
    lowered = evidence.lower()
    for name in qualifier_names(question, company):
        if not re.search(rf"(?<![a-z]){re.escape(name.lower())}", lowered):
            return name
    measure = _NON_GAAP.search(question)
    if measure and not re.search(rf"\b{re.escape(measure.group(1).lower()).replace('-', '-?')}", lowered):
        return measure.group(1)
    quarter = _QUARTER.search(question)
    if quarter and period and _FULL_YEAR.search(period.strip()):
        return quarter.group(0)
    return None
