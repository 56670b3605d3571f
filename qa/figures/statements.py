"""Figures a filing states in a sentence without a change: "cash provided by operating activities was $423,000".

Change claims (`qa.figures.claims`) already give the current and prior figure of "X increased ... to $Y"; this module finds
the plain statements MD&A liquidity and tax paragraphs are made of, so value questions about them are answered
from the filing's words rather than left to the reader:

    "During the nine months ended September 30, 2020, cash provided by operating activities was $423,000."
    "Cash used for investing activities was $921,000, ..."      (period inherited from the sentence before)
    "We had an income tax provision of $9,000 for the nine months ended September 30, 2020."

Deliberately narrow: a known metric phrase (`qa.vocabulary.METRICS`) directly followed by "was/were/totaled/amounted
to" and an amount, or "had/recorded/recognized ... <metric> of <amount>". A metric named as a change driver ("an
increase in share-based compensation of $17,000") or a cash flow about it ("proceeds from notes payable of ...")
is not a statement of its level and is skipped.
"""
from __future__ import annotations

import re
from typing import Iterable, Sequence

from corpus.model import Filing, Period
from corpus.periods import DATE_RE, iso_date, parse_period
from corpus.scale import detect_scale
from corpus.sentences import split_spans
from qa.figures.numbers import find_quantities
from qa.figures.tables import Fact
from qa.vocabulary import METRICS

_ALIASES = sorted({a for aliases in METRICS.values() for a in aliases if len(a) > 3}, key=len, reverse=True)
# Filings wrap lines anywhere: "cash provided by\noperating activities".
_ALIAS_RE = re.compile(r"(?<![\w&])(?:" + "|".join(re.escape(a).replace(r"\ ", r"\s+") for a in _ALIASES) + r")(?![\w&])", re.I)
_AMOUNT = r"\$\s?\(?\d[\d,]*(?:\.\d+)?\)?(?:\s+(?:million|billion|thousand))?"
# "<metric> was $X" / "<metric> (net of ...) totaled $X"
_IS = re.compile(rf"^\s+(?:\([^)]{{0,60}}\)\s+)?(?:was|were|totaled|totalled|amounted\s+to|came\s+to)\s+(?:approximately\s+|about\s+)?(?P<amount>{_AMOUNT})", re.I)
# "we had an income tax provision of $X" / "we recorded <metric> of $X"
_OF = re.compile(rf"^\s+of\s+(?:approximately\s+|about\s+)?(?P<amount>{_AMOUNT})", re.I)
_HAD_BEFORE = re.compile(r"\b(?:had|has|have|recorded|recognized|recognised|reported|incurred)\s+(?:an?\s+|total\s+)?$", re.I)
# The metric must be the sentence's (or clause's) subject: "During ..., cash provided by operating activities was",
# "As of June 2, 2023, the balance of deferred revenue was"; not "The impact of ... to cost of revenues was".
_SUBJECT_LEAD = re.compile(r"^\s*(?:(?:the|our|its|their)\s+)?(?:company's\s+|balance\s+of\s+)?(?:net\s+)?$", re.I)
# The metric is a driver of a change or the object of a cash flow: not its level.
_NOT_A_LEVEL = re.compile(
    r"\b(?:increases?|decreases?|declines?|reductions?|growth|changes?|rises?|drops?|proceeds|repayments?|payments?|"
    r"purchases?|issuances?|borrowings?|impact|effect)\s+(?:in|of|from|on|for|under|to)\s+(?:[\w-]+\s+){0,3}$", re.I)


# "total deferred revenue" (current and non-current) is not the table's "Deferred revenue" row: skip qualified names.
_QUALIFIED = re.compile(r"\b(?:total|current|non-?current|long-term|short-term|aggregate|remaining|unrecognized|other|"
                        r"segment|consolidated|adjusted|pro\s+forma|annual|average)\s+$", re.I)


# A roll-forward flattened into prose: "Cloud Telecommunications backlog as of July 1, 2020 $27,349 ...".
_DATED = re.compile(rf"^\s+(?:as\s+of|at)\s+(?P<date>{DATE_RE.pattern})\s+(?P<amount>\$\s?\(?\d[\d,]*(?:\.\d+)?\)?)(?!\s*%)")


def stated_facts(filing: Filing, skip: Iterable[tuple[int, int]] = (), segments: Sequence[str] = ()) -> list[Fact]:
    """Facts stated as "<metric> was $X" (or "<metric> as of <date> $X" under a scale caption) in the filing's body
    sections; amounts inside `skip` spans are left out; `segments` name the segment a dated row's label starts with."""
    text = filing.text
    skipped = sorted(skip)
    out: list[Fact] = []
    for section in filing.sections:
        if section.kind != "body":
            continue
        previous: Period | None = None
        last_end = section.start
        for a, b in split_spans(text, section.start, section.end):
            if "\n\n" in text[last_end:a] or "\n \n" in text[last_end:a]:
                previous = None  # a new paragraph does not inherit the last one's period
            last_end = b
            sentence = text[a:b]
            own = parse_period(sentence)
            period = own or previous or section.period
            if own:
                previous = own
            if period is None or (own is None and _names_another_year(sentence, period)):
                continue  # "In fiscal 2022, ..." under a 2023 heading: the sentence's period is not known
            if len(re.findall(r"\d[\d,.]*", sentence)) > 16:
                continue  # a table flattened into one "sentence": its figures are the table parser's job
            scale = detect_scale(text[max(section.start, a - 400):a])
            for fact in _sentence_facts(sentence, a, period, section.segment) + _dated_facts(sentence, a, scale, segments):
                if not any(s <= fact.start < e for s, e in skipped):
                    out.append(fact)
    return out


def _names_another_year(sentence: str, period: Period) -> bool:
    years = {int(y) for y in re.findall(r"\b((?:19|20)\d\d)\b", sentence)}
    return bool(years) and (period.end is None or years != {int(period.end[:4])})


def _sentence_facts(sentence: str, offset: int, period: Period, segment: str | None) -> list[Fact]:
    facts = []
    for m in _ALIAS_RE.finditer(sentence):
        before, after = sentence[:m.start()], sentence[m.end():]
        if _NOT_A_LEVEL.search(before) or _QUALIFIED.search(before):
            continue
        lead = before[before.rfind(",") + 1:]
        stated = (_IS.match(after) if _SUBJECT_LEAD.match(lead) else None) or \
            (_OF.match(after) if _HAD_BEFORE.search(before) else None)
        if not stated:
            continue
        amount_start = m.end() + stated.start("amount")
        quantities = [q for q in find_quantities(stated.group("amount")) if q.unit == "USD"]
        if not quantities:
            continue
        q = quantities[0]
        per_share = re.search(r"per\s+share|\beps\b", m.group(0), re.I)
        facts.append(Fact(metric=" ".join(m.group(0).split()), segment=segment, period=period.label, period_months=period.months,
                          period_end=period.end, value=q.value, unit="USD/share" if per_share else "USD", start=offset + amount_start + q.start,
                          end=offset + amount_start + q.end, source="text", text=sentence,
                          context_start=offset, context_end=offset + len(sentence)))
    return facts


def _dated_facts(sentence: str, offset: int, scale: int, segments: Sequence[str]) -> list[Fact]:
    """"<segment> <metric> as of <date> $N" rows, each with its own date, at the scale of the caption above."""
    if scale == 1:
        return []  # "$27,349" with no "(in thousands)" above: the scale would be a guess
    facts = []
    for m in _ALIAS_RE.finditer(sentence):
        dated = _DATED.match(sentence[m.end():])
        if not dated:
            continue
        label = re.split(r"[\d$)%]\s+", sentence[:m.start()])[-1]  # the row's own words before the metric
        if _NOT_A_LEVEL.search(label) or len(label.split()) > 4:
            continue
        segment = next((seg for seg in segments if seg.lower() in label.lower()), None)
        quantities = [q for q in find_quantities(dated.group("amount"), scale=scale) if q.unit == "USD"]
        end_iso = iso_date(dated.group("date"))
        if not quantities or not end_iso:
            continue
        q = quantities[0]
        amount_start = m.end() + dated.start("amount")
        period = Period(label=f"as of {' '.join(dated.group('date').split())}", months=0, end=end_iso)
        facts.append(Fact(metric=" ".join(m.group(0).split()), segment=segment, period=period.label, period_months=0,
                          period_end=end_iso, value=q.value, unit="USD", start=offset + amount_start + q.start,
                          end=offset + amount_start + q.end, source="text", text=sentence,
                          context_start=offset, context_end=offset + len(sentence)))
    return facts
