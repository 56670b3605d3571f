"""Qualifiers a figure question names that the filing does not contain: "revenue in Brazil" of a filing that never
mentions Brazil cannot be answered, and the consolidated figure would be a wrong answer, not a near one."""
from __future__ import annotations

import re

from corpus.model import Filing
from corpus.periods import MONTHS

# "in Brazil", "for the Americas segment", "from Greater China": a Title-case phrase after a preposition.
_QUALIFIER = re.compile(r"\b(?:in|for|from|at|of)\s+(?:the\s+)?((?:[A-Z][a-z][\w&'’-]*)(?:\s+(?:[A-Z][a-z][\w&'’-]*|of|and))*)")
_NOT_QUALIFIERS = {"fiscal", "year", "quarter", "first", "second", "third", "fourth", "three", "six", "nine", "twelve",
                   "months", "half", "company", "total", "net", "gaap", "the"}


def absent_qualifiers(question: str, filing: Filing, company_words: set[str]) -> list[str]:
    """Title-case qualifiers of `question` that appear nowhere in the filing's text (company names and period
    words are not qualifiers)."""
    lowered = " ".join(filing.text.lower().split())
    out = []
    for m in _QUALIFIER.finditer(question):
        phrase = re.sub(r"['’]s$", "", re.sub(r"(?:\s+(?:of|and))+$", "", m.group(1)))
        words = [re.sub(r"['’]s$", "", w.lower()) for w in phrase.split()]
        if not words or words[0] in MONTHS or all(w in _NOT_QUALIFIERS or w in company_words for w in words):
            continue
        if phrase.lower() not in lowered:
            out.append(phrase)
    return out
