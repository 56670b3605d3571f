"""A yes/no question on whether the filer did something in a period ("Did Meta pay a cash dividend in 2023?") answered
"no" from the filing's own sentence that it did not ("Prior to 2024, we had never declared or paid any cash
dividend"), when its statements report no such figure for the period either. A sentence on what it does not expect
or intend to do, or one naming only other periods, says nothing of the period asked."""
from __future__ import annotations

import re

from corpus.period_intent import parse_period_intent
from corpus.sentences import split_spans
from qa.answer.evidence import Evidence
from qa.answer.from_facts import best_facts
from qa.model import Answer, Citation

# "Did GameStop pay any cash dividends ...", "Did IBM repurchase any shares of its common stock ...": the act and
# what it was done to
_ASKED_ACT = re.compile(r"^\s*(?:did|has|have|does|do)\s+.+?\s+(?P<verb>pay|declare|repurchase|buy\s+back)\s+"
                        r"(?P<object>[\w\s'’-]+?)(?=\s+(?:in|during|for|under|on|to|from|since|as|at)\b|\s*[?,(]|$)",
                        re.I)
_VERBS = {"pay": r"pa(?:y|id|ying)|declar\w*", "declare": r"declar\w*|pa(?:y|id|ying)",
          "repurchase": r"repurchas\w*|(?:buy|bought)\s+back|purchas\w*", "buy back": r"repurchas\w*|(?:buy|bought)\s+back"}
_NOT_THE_THING = {"a", "an", "any", "its", "their", "the", "cash", "common", "regular", "quarterly", "of", "own"}
_FORWARD = re.compile(r"\b(?:expect\w*|anticipat\w*|intend\w*|plan\w*|will|may|might|could|would|future|foreseeable)\b",
                      re.I)
_YEAR = re.compile(r"(?<![\d$,.])((?:19|20)\d\d)(?![\d,])")


def _thing(words: str) -> str | None:
    """The noun of what was done ("dividend" of "any cash dividends"): its first word that is no determiner."""
    rest = [w for w in re.findall(r"[a-z]+", words.lower()) if w not in _NOT_THE_THING]
    return rest[0].rstrip("s") if rest else None


def _covers(sentence: str, year: int | None) -> bool:
    """The sentence's own years leave the year asked in ("Prior to 2024" for 2023; no year: its present)."""
    years = [int(y) for y in _YEAR.findall(sentence)]
    if not years or year is None:
        return True
    if year in years:
        return True
    before = re.search(r"\b(?:prior\s+to|before|until)\s+((?:19|20)\d\d)\b", sentence, re.I)
    return bool(before) and year < int(before.group(1))


def stated_absence(ev: Evidence) -> Answer | None:
    q = ev.question
    m = _ASKED_ACT.match(q.text)
    thing = _thing(m.group("object")) if m else None
    if m is None or thing is None:
        return None
    verbs = _VERBS[" ".join(m.group("verb").lower().split())]
    negated = re.compile(rf"(?P<lead>\b(?:not|never|no)\b(?:\W+\w+){{0,3}}?\W+(?:{verbs}))\b(?:\W+\w+){{0,10}}?\W+{thing}s?\b",
                         re.I)
    year = parse_period_intent(q.text).year
    for filing in ev.filings_in_order(2):
        facts = ev.facts(filing)
        if q.metric and any(sf.fact.value for sf in best_facts(q, filing, facts)):
            return None  # the statements report it for the period: no sentence says otherwise
        text = filing.text
        if thing not in text.lower():
            continue  # (no sentence to split the whole filing for)
        for start, end in split_spans(text):
            sentence = text[start:end]
            if thing not in sentence.lower():
                continue
            # ("we do not expect to pay dividends" says nothing of what was paid)
            found = next((f for f in negated.finditer(sentence) if not _FORWARD.search(f.group("lead"))), None)
            if found is None or not _covers(sentence, year):
                continue
            section = filing.section_at(start)
            citation = Citation(doc_id=filing.doc_id, section=" > ".join(section.path) if section else "",
                                page=filing.page_at(start), start=start, end=end, text=sentence)
            said = " ".join(sentence.split())
            return Answer(question=q.text, text=f"No. The filing states: \"{said}\"", confidence=0.7,
                          citations=(citation,), kind="span")
    return None
