"""Qualifiers a figure question names that the filing does not contain: "revenue in Brazil" of a filing that never
mentions Brazil cannot be answered, and the consolidated figure would be a wrong answer, not a near one."""
from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.model import Filing
from corpus.periods import MONTH_NAMES, MONTHS
from corpus.words import LEGAL_FORMS
from qa.vocabulary import asked_measure

# "in Brazil", "for the Americas segment", "from Greater China": a Title-case phrase after a preposition.
_QUALIFIER = re.compile(r"\b(?:in|for|from|at|of)\s+(?:the\s+)?((?:[A-Z][a-z][\w&'’-]*)(?:\s+(?:[A-Z][a-z][\w&'’-]*|of|and))*)")
_NOT_QUALIFIERS = {"fiscal", "year", "quarter", "first", "second", "third", "fourth", "three", "six", "nine", "twelve",
                   "months", "half", "company", "total", "net", "gaap", "the", "ended", "ending"}


# Capitalised words of a question that are no qualifier of its subject.
_QUESTION_WORDS = {"why", "what", "how", "did", "does", "do", "was", "were", "is", "are", "q1", "q2", "q3", "q4", "fy",
                   "fiscal", "first", "second", "third", "fourth", "quarter", "year", "the", "gaap", "non-gaap", "yoy",
                   "qoq", "ytd", "ttm", "ltm", "form"}  # ("Form 10-K" names the document, no part of the filer)


@dataclass(frozen=True)
class Qualifiers:
    """What a question qualifies its figure or subject by, read once from its text: the proper names ("India",
    "Vision Pro"), the Title-case phrases after a preposition ("in Brazil", "for the Americas segment"), a non-GAAP
    measure ("adjusted", "organic") and a quarter ("Q3", "three months"). The names of the companies it names are
    left out (a comparison names two filers; neither qualifies the other's figure)."""

    names: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    measure: str | None = None
    quarter: str | None = None


def read_qualifiers(question: str, company_words: frozenset[str] = frozenset()) -> Qualifiers:
    """The question's qualifiers (see `Qualifiers`), without the words of the companies it names."""
    months = {m.lower() for m in MONTH_NAMES}
    # (a sentence's first word is capitalised, in parentheses too: "? (Use additions to ... as capex.)")
    words = re.findall(r"(?<!^)(?<![.?!]\s)(?<![.?!]\s\()\b([A-Z][a-z][A-Za-z®™-]*|[a-z][A-Z][A-Za-z]+)", question.strip())
    names = [w.rstrip("’s").rstrip("'s") if w.endswith(("’s", "'s")) else w for w in words
             if w.lower() not in months and w.lower() not in _QUESTION_WORDS and not re.fullmatch(r"[A-Z]{1,2}", w)]
    names = [w for w in names if not set(re.findall(r"[a-z&]+", w.lower())) <= company_words
             and w.lower().strip(".") not in LEGAL_FORMS]  # "PG&E Corporation's": no part of the company
    places = []
    for m in _QUALIFIER.finditer(question):
        for part in re.split(r"\s+(?:of|and)\s+", re.sub(r"(?:\s+(?:of|and))+$", "", m.group(1))):
            part = re.sub(r"['’]s$", "", part)
            words = set(re.findall(r"[a-z&]+", part.lower()))
            if not words <= company_words and not words <= months:  # "as of July 29, 2023": a date, no place
                places.append(part)
    measure = asked_measure(question)
    quarter = _QUARTER.search(question)
    return Qualifiers(tuple(names), tuple(places), measure.group(1) if measure else None,
                      quarter.group(0) if quarter else None)


def _own_words(company: str | None) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Za-z&]+", company or "")}


def qualifier_names(qualifiers: Qualifiers, company: str | None) -> list[str]:
    """The proper names a question qualifies its subject with ("India", "Vision Pro", "iPhone"), without this filer's
    own words. Acronyms ("G&A", "RL") are left out: filings spell them out."""
    own = _own_words(company)
    return [w for w in qualifiers.names if not set(re.findall(r"[a-z&]+", w.lower())) <= own]


def absent_qualifiers(qualifiers: Qualifiers, filing: Filing, company_words: set[str]) -> list[str]:
    """Title-case qualifiers of the question none of whose words appear in the filing's text (company names, months
    and period words are not qualifiers). Lenient on purpose: one word of "Greater China" in the text is enough."""
    lowered = " ".join(filing.text.lower().split())
    glued = lowered.replace(" ", "")  # "FairValue" in a question, "fair value" in the table
    out = []
    for part in qualifiers.places:
        words = [w for w in (re.sub(r"['’]s$", "", x.lower()) for x in part.split())
                 if w not in _NOT_QUALIFIERS and w not in MONTHS and w not in company_words]
        if words and not any(re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", lowered) or w in glued for w in words):
            out.append(part)
    return out


# What a figure question asks for beyond its metric: a non-GAAP measure, or a quarter.
_QUARTER = re.compile(r"\b(?:q[1-4]|(?:first|second|third|fourth|1st|2nd|3rd|4th)\s+(?:fiscal\s+)?quarter|three\s+months|"
                      r"13\s+weeks|thirteen\s+weeks)\b", re.I)
# A period longer than a quarter: a year, or a half or nine months to date ("six months ended July 29, 2023").
_FULL_YEAR = re.compile(r"^(?:(?:fiscal\s+)?years?\s+ended|fiscal\s+(?:19|20)\d\d|twelve\s+months|(?:19|20)\d\d$|fy|"
                        r"(?:six|nine|6|9)\s+months|(?:twenty-six|thirty-nine|26|39)\s+weeks)", re.I)


def unmatched_qualifier(qualifiers: Qualifiers, evidence: str, company: str | None, period: str | None) -> str | None:
    """What the question qualifies its figure by that the answer's evidence (its cited row or sentence, with the
    row's table caption, section path and segment) does not carry: a place or product ("Japan", "iPhone"), a
    non-GAAP measure, or a quarter answered with a full year. None when the evidence carries them all."""
    lowered = evidence.lower()
    for name in qualifier_names(qualifiers, company):
        if not re.search(rf"(?<![a-z]){re.escape(name.lower())}", lowered):
            return name
    measure = qualifiers.measure
    if measure and not re.search(rf"\b{re.escape(measure.lower()).replace('-', '-?')}", lowered):
        return measure
    if qualifiers.quarter and period and _FULL_YEAR.search(period.strip()):
        return qualifiers.quarter
    return None


def names_the_qualifiers(qualifiers: Qualifiers, evidence: str, company: str | None) -> bool:
    """Every name the question qualifies its subject with ("India", "Vision Pro", "Greater China") is in the
    evidence (the sentence with its section path): a reason about iPad is no reason about India."""
    lowered = evidence.lower()
    return all(re.search(rf"(?<![a-z]){re.escape(w.lower())}", lowered) for w in qualifier_names(qualifiers, company))
