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
