"""One scale detector for tables, sentences and caller contexts: "(in thousands)" -> 1,000.

A figure printed under "(Dollars in millions, except per share amounts)" is in millions; prose such as "an
increase in thousands of users" sets no scale. Every layer asks this module, so a table and the sentence
beside it can never disagree about what "(in 000s)" means.
"""
from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from typing import Sequence

SCALE_WORDS = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "trillion": 1_000_000_000_000}
SCALE_NAMES = {v: k for k, v in SCALE_WORDS.items()}

def detect_scale(text: str, *, loose: bool = False) -> int:
    """The multiplier a caption like "(in thousands)" or "(Dollars in millions, ...)" sets; 1 if none.

    Only caption-like mentions count, so prose such as "an increase in thousands of users" does not.
    The first caption in `text` wins: pass the table's own caption region for mixed documents. `loose` also
    takes the shorthands report excerpts use without a caption ("in US$ millions", "$m", "'000s"): for a
    caller's context that is only a table and a few paragraphs.
    """
    for m in _SCALE_CAPTION_RE.finditer(text):
        word = next(g for g in m.groups() if g)
        return SCALE_WORDS[word.lower().rstrip("s")]
    if _THOUSANDS_SHORTHAND_RE.search(text):
        return 1_000
    if loose:
        for multiplier, pattern in _LOOSE:
            if pattern.search(text):
                return multiplier
    return 1


_SCALE_CAPTION_RE = re.compile(
    r"\([^()]*?\bin\s+(thousands|millions|billions)\b[^()]*\)"  # "(in thousands, except per share amounts)"
    r"|\(\s*(?:U\.?S\.?\s*)?\$?\s*(thousands|millions|billions)\b(?=\s*(?:[),;]|of\s+(?:U\.S\.\s+)?dollars\b|except\b))"  # "(millions of dollars)"
    r"|\b(?:dollars|amounts|figures|\$)\s+(?:are\s+)?(?:stated\s+|presented\s+|expressed\s+|shown\s+)?"
    r"in\s+(thousands|millions|billions)\b"  # "Dollars in millions", "amounts in thousands"
    r"|\bin\s+(thousands|millions|billions)(?=\s*(?:[):,.;]|except|of\s+(?:U\.S\.\s+)?dollars|$))",  # caption end
    re.IGNORECASE | re.MULTILINE,
)
# Where a table says its units: "(in thousands, except per share data)", "(millions of dollars, unless noted)",
# "Dollars in millions".
UNITS_RE = re.compile(r"\((?:dollars\s+|amounts\s+|\$\s*)?in\s+(?:thousands|millions|billions)[^)]*\)"
                      r"|\(\s*(?:U\.?S\.?\s*)?\$?\s*(?:thousands|millions|billions)\b(?=\s*(?:[),;]|of\s+(?:U\.S\.\s+)?dollars\b|except\b))[^)]*\)?"
                      r"|\bin\s+(?:thousands|millions|billions)\b", re.I)
_THOUSANDS_SHORTHAND_RE = re.compile(r"\(\s*(?:in\s+)?\$?\s*000'?s?\s*\)", re.IGNORECASE)  # "($000)", "(in 000s)"


_LOOSE = ((1_000_000_000, re.compile(r"\bin (?:\w+ )?billions?\b|[$€£]\s?(?:bn|billions?)\b", re.I)),
          (1_000_000, re.compile(r"\bin (?:\w+ )?millions?\b|[$€£]\s?(?:m|millions?)\b|\(\s*millions?\s*\)", re.I)),
          (1_000, re.compile(r"\bin (?:\w+ )?thousands?\b|['’]000s?\b|[$€£]\s?000s?\b|\(\s*thousands?\s*\)|\b000s\b", re.I)))


_STATED = re.compile(r"\$\s?(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?:\s*(thousand|million|billion)\b)?", re.I)
_CELL_DIGITS = re.compile(r"\d[\d,]*(?:\.\d+)?")
MIN_SIGNIFICANT = 3  # "$47.6 million" ties a table to a scale; "$2 million" could match anything


def scale_from_text(cells: Sequence[str], text: str) -> int:
    """The scale of a table that prints no units line, from the amounts the text beside it states: "$47.6
    million" in the text and "47,625" in a cell say the table is in thousands; "$47,625" says it is in dollars.
    1 when the text ties no cell to a scale, or ties cells to two."""
    values = set()
    for cell in cells:
        m = _CELL_DIGITS.search(cell)
        if m and len(m.group(0).replace(",", "").replace(".", "").lstrip("0")) >= MIN_SIGNIFICANT:
            values.add(Decimal(m.group(0).replace(",", "")))
    if not values:
        return 1
    votes: Counter[int] = Counter()
    for m in _STATED.finditer(text):
        number, word = m.group(1).replace(",", ""), (m.group(2) or "").lower()
        digits = number.replace(".", "").lstrip("0")
        if len(digits) < MIN_SIGNIFICANT:
            continue
        amount = Decimal(number) * (SCALE_WORDS[word] if word else 1)
        decimals = len(number.split(".")[1]) if "." in number else 0
        step = Decimal(1).scaleb(-decimals) * (SCALE_WORDS[word] if word else 1)
        for scale in (1, 1_000, 1_000_000):
            target, slack = amount / scale, step / scale / 2
            if slack < Decimal("0.5") and scale > 1 and not word:
                continue  # "$47,625" cannot be 47.625 of a thousand-dollar table
            if any(abs(v - target) <= max(slack, Decimal("0.005")) for v in values):
                votes[scale] += 1
    if len(votes) == 1:
        return next(iter(votes))
    return 1
