"""Checks a candidate figure or sentence must pass before it answers a value question.

A figure the reader or an extractor found answers a value question only if its sentence is about the question's
metric and period: the figure steps already looked for it, so a figure of another metric or period is a guess.
"""
from __future__ import annotations

import re

from corpus.model import Filing
from corpus.period_intent import parse_period_intent, resolve_period
from corpus.words import FRAME_WORDS, content_words, coverage
from index.model import Hit
from qa.answer.from_facts import target_period
from qa.question import METRICS, Question


def keyword_coverage(question: str, passage: str) -> float:
    """Share of the question's subject words found in the passage (an abbreviation counts if its expansion is)."""
    return coverage(content_words(question, drop=FRAME_WORDS), passage, abbreviations=True)


def mentions_metric(q: Question, text: str) -> bool:
    lowered = " ".join(text.lower().replace("’", "'").split())
    names = set(METRICS.get(q.metric or "", ())) | {q.metric or "", q.metric_text or ""}
    return any(n and re.search(rf"(?<![\w&]){re.escape(n)}(?![\w&])", lowered) for n in names)


def period_clash(q: Question, sentence: str, hit: Hit, filing: Filing) -> bool:
    """Whether the sentence (or its passage) states a period other than the one asked about."""
    target = target_period(q, filing)
    if target is None:
        return False
    if target.months == -1:
        return True  # "Q4" asked of a Q3 filing
    if target.end_year and filing.period_end and target.end_year > int(filing.period_end[:4]):
        return True  # a filing cannot state a period that ends after it
    stated_intent = parse_period_intent(sentence)
    if stated_intent.empty and hit.period:
        stated_intent = parse_period_intent(hit.period)
    stated = resolve_period(stated_intent, filing.fiscal_quarter, filing.fiscal_year, filing.period_end,
                            filing.extra.get("fiscal_year_end"))
    if stated is None:
        return False
    if target.months and stated.months and target.months > 0 and stated.months > 0 and target.months != stated.months:
        return True
    return bool(target.end_year and stated.end_year and target.end_year != stated.end_year)


def looks_tabular(text: str) -> bool:
    """Rows of figures rather than a sentence: "Net revenues $ 2,540 $ 2,422 $ 118 5 %" (any length, unlike
    `corpus.clean.is_table_row`, which also wants a short line: a flattened table is one long line)."""
    figures = re.findall(r"(?<![\w.])\(?\$?\s?\d[\d,.]*\)?%?", text)
    return len(figures) >= 3 and len(figures) * 4 >= len(text.split())


def states_value(q: Question, kind: str | None, span_text: str, sentence: str, hit: Hit, filing: Filing,
                 min_coverage: float) -> bool:
    """Whether a figure found in `sentence` may answer the value question `q`."""
    if kind in ("amount", "count") and not re.search(r"\d", span_text):
        return False
    if q.metric:
        if not mentions_metric(q, sentence):
            return False
    elif keyword_coverage(q.text, sentence if len(sentence) > 80 else hit.text) < min_coverage:
        return False
    return not period_clash(q, sentence, hit, filing)


_PERIOD_MONTHS = ((3, re.compile(r"\bquarter\b|\bthree months\b|\b13 weeks\b", re.I)),
                  (6, re.compile(r"\bsix months\b|\bfirst half\b|\b26 weeks\b", re.I)),
                  (9, re.compile(r"\bnine months\b|\b39 weeks\b", re.I)),
                  (12, re.compile(r"\b(?:fiscal )?year\b|\btwelve months\b|\b52 weeks\b", re.I)))
_UP = re.compile(r"\b(?:increased|increase|rose|grew|higher)\b", re.I)
_DOWN = re.compile(r"\b(?:decreased|decrease|declined|decline|fell|lower|dropped)\b", re.I)


def explains_asked_change(q: Question, sentence: str, filing: Filing) -> bool:
    """Whether a sentence giving a reason is about the change asked: the period asked is among those it names
    ("during the third quarter and first nine months" serves both), and it moves the way the question says."""
    target = target_period(q, filing)
    # No period asked: a quarterly report's own quarter is the natural reading.
    months = target.months if target is not None else 3 if filing.form == "10-Q" else None
    if months and months > 0:
        named = {m for m, pattern in _PERIOD_MONTHS if pattern.search(sentence)}
        if named and months not in named:
            return False
    if re.search(r"\bpercentage\b", sentence, re.I) and not re.search(r"\bpercent(?:age)?\b|%", q.text, re.I):
        return False  # "gross margin percentage" is another figure than "gross margin"
    if q.direction == "increase" and _DOWN.search(sentence) and not _UP.search(sentence):
        return False
    if q.direction == "decrease" and _UP.search(sentence) and not _DOWN.search(sentence):
        return False
    return True


_NOT_QUALIFIERS = {"why", "what", "how", "did", "does", "do", "was", "were", "is", "are", "q1", "q2", "q3", "q4", "fy",
                   "fiscal", "first", "second", "third", "fourth", "quarter", "year", "the", "gaap", "non-gaap"}


def names_the_qualifiers(question: str, evidence: str, company: str | None) -> bool:
    """Every name the question qualifies its subject with ("India", "Vision Pro", "Greater China") is in the
    evidence (the sentence with its section path): a reason about iPad is no reason about India."""
    from corpus.periods import MONTH_NAMES

    own = {w.lower() for w in re.findall(r"[A-Za-z&]+", company or "")}
    months = {m.lower() for m in MONTH_NAMES}
    # Proper names only ("India", "Vision Pro"): acronyms ("G&A", "RL") are often spelled out in the filing.
    words = re.findall(r"(?<!^)(?<![.?!]\s)\b([A-Z][a-z][A-Za-z®™-]*)", question.strip())
    wanted = [w for w in words if not set(re.findall(r"[a-z&]+", w.lower())) <= own and w.lower() not in months
              and w.lower() not in _NOT_QUALIFIERS and not re.fullmatch(r"[A-Z]{1,2}", w)]
    lowered = evidence.lower()
    return all(re.search(rf"(?<![a-z]){re.escape(w.lower().rstrip('’s').rstrip(chr(39) + 's'))}", lowered) for w in wanted)


_SUBJECT = re.compile(r"^\s*why\s+(?:did|do|does|was|were|is|are|has|have|had)\s+(?P<subject>.+?)\s+(?:go\s+(?:up|down)|"
                      r"increase|decrease|rise|fall|decline|grow|drop|change|improve|worsen|remain|stay|jump|surge|"
                      r"climb|shrink|expand|contract|rose|fell|grew|dropped|increased|decreased|declined|changed|so\b)",
                      re.I)


def covers_the_subject(question: str, evidence: str, company: str | None) -> bool:
    """Every word of a why-question's subject ("Union Pacific's *passenger revenue*") is in the evidence (the
    sentence with its section path), abbreviations spelled out counting: a reason for freight revenue is no reason
    for passenger revenue. Questions not shaped "Why did <subject> <verb>" pass."""
    from corpus.words import content_words, coverage

    m = _SUBJECT.search(question)
    if m is None:
        return True
    own = {w.lower() for w in re.findall(r"[A-Za-z&]+", company or "")}
    words = [w for w in content_words(m.group("subject")) if w not in own and w.rstrip("s") not in own]
    return coverage(words, evidence, abbreviations=True) == 1.0
