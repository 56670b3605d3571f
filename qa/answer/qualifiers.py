"""Qualifiers a figure question names that the filing does not contain: "revenue in Brazil" of a filing that never
mentions Brazil cannot be answered, and the consolidated figure would be a wrong answer, not a near one."""
from __future__ import annotations

import re

from corpus.model import Filing
from corpus.periods import MONTHS

# "in Brazil", "for the Americas segment", "from Greater China": a Title-case phrase after a preposition.
_QUALIFIER = re.compile(r"\b(?:in|for|from|at|of)\s+(?:the\s+)?((?:[A-Z][a-z][\w&'’-]*)(?:\s+(?:[A-Z][a-z][\w&'’-]*|of|and))*)")
_NOT_QUALIFIERS = {"fiscal", "year", "quarter", "first", "second", "third", "fourth", "three", "six", "nine", "twelve",
                   "months", "half", "company", "total", "net", "gaap", "the", "ended", "ending"}


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
    from qa.answer.guards import qualifier_names

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
