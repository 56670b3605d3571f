"""Amounts and percentages as filings write them, parsed to exact full-scale Decimals.

Filings write money in several table and prose styles: "$1,351,000", "$(20,000)" and
"(964 )" for negatives, "$ -" or a lone "-" for a zero cell, "$1.5 million", and a
caption such as "(in thousands, except per share amounts)" that scales every table
figure. Everything here is exact (Decimal, no floats) because the checkers compare
sums to the dollar.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from corpus.periods import MONTH
from corpus.scale import SCALE_WORDS

# A number as printed: thousands separators, optional decimals. Longest form first.
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!,?\d)|\d+(?:\.\d+)?|\.\d+"
_DASH_CHARS = "-\u2013\u2014"  # hyphen, en dash, em dash: a zero cell in tables
_DASH = r"\-\u2013\u2014"  # the same, for a regex character class
_SCALE_WORD = r"(?:thousand|million|billion|trillion)\b"
_PER_SHARE = r"\s+per\s+(?:(?:basic|diluted|common|ordinary|weighted[- ]average)\s+)*share\b"
_MONTH = MONTH

_QUANTITY_RE = re.compile(
    rf"""
    (?P<money>
        (?P<m_lead_minus>-)?\$\s*(?:
            \(\s*(?P<m_paren>{_NUM})\s*\)
          | (?P<m_minus>-)?(?P<m_num>{_NUM})
          | (?P<m_dash>[{_DASH}])(?![\w{_DASH}])
        )
      | \(\s*\$\s*(?P<m_outer_paren>{_NUM})\s*\)
    )
    (?(m_dash)|(?:\s*(?P<m_word>{_SCALE_WORD}))?)
    (?P<m_per_share>{_PER_SHARE})?
  | (?P<percent>
        (?:\(\s*(?P<p_paren>{_NUM})\s*\)|(?P<p_minus>-)?(?P<p_num>{_NUM}))\s*(?:%|percent\b|per\s+cent\b)
    )
  | (?P<bare>
        (?<![\w.,$)\-/])
        (?:\(\s*(?P<b_paren>{_NUM})\s*\)|(?P<b_num>{_NUM})(?:\s+(?P<b_word>{_SCALE_WORD}))?)
        (?![\w%\-/]|[.,]\d)
    )
  | (?P<dash>(?<!\S)[{_DASH}](?!\S))
    """,
    re.VERBOSE | re.IGNORECASE,
)

_DATE_DAY_BEFORE = re.compile(rf"\b{_MONTH}\s+$", re.IGNORECASE)  # "September 30": 30 is a day
_REFERENCE_BEFORE = re.compile(
    r"\b(?:Note|Notes|Item|Items|Part|Section|Rule|Regulation|No\.?|Nos\.?|Form|Page|Level|Tier|ASC|ASU|Topic"
    r"|Article|Schedule|Exhibit|Chapter|Step|Phase|Suite|Box)\s+$",
    re.IGNORECASE,
)
_DOLLARS_AFTER = re.compile(r"\s+(?:U\.S\.\s+)?dollars\b", re.IGNORECASE)
_SHARES_AFTER = re.compile(r"\s+(?:(?:common|ordinary|preferred|treasury)\s+)?shares?\b(?!\s*-?based)", re.IGNORECASE)
_PER_SHARE_LABEL = re.compile(r"per\s+(?:\w+\s+){0,2}share\b", re.IGNORECASE)


@dataclass(frozen=True)
class Quantity:
    """One number found in text: its full-scale value, unit, and where it was written."""

    value: Decimal  # full scale: "$1.5 million" -> 1500000; "(in thousands)" table "3,654" -> 3654000
    unit: str  # 'USD' | '%' | 'USD/share' | 'shares' | '' (a bare number whose unit the text does not say)
    text: str  # exactly as written, text[start:end]
    start: int
    end: int
    scale: int  # multiplier applied to the printed figure (1 for percents and per-share amounts)


def _decimal(printed: str) -> Decimal:
    return Decimal(printed.replace(",", ""))


def parse_number(token: str, scale: int = 1) -> Quantity:
    """Parse one token such as "$1,351,000", "$(20,000)", "(964 )", "$ -", "-", "14%", "$1.5 million".

    `scale` is the table caption's multiplier; percentages and per-share amounts ignore it and
    a scale word in the token itself ("million") replaces it. Raises ValueError for anything else.
    """
    stripped = token.strip()
    offset = token.find(stripped) if stripped else 0
    m = _QUANTITY_RE.match(stripped)
    rest = stripped[m.end() :] if m else ""
    if m is None or (rest and not (_DOLLARS_AFTER.fullmatch(rest) or _SHARES_AFTER.fullmatch(rest))):
        raise ValueError(f"not a number as filings write them: {token!r}")
    quantity = _quantity_from_match(m, stripped, scale, shift=offset)
    return Quantity(quantity.value, quantity.unit, token[offset : offset + len(stripped)], offset,
                    offset + len(stripped), quantity.scale)


def _quantity_from_match(m: re.Match[str], text: str, scale: int, shift: int = 0) -> Quantity:
    """Value, unit and scale of one `_QUANTITY_RE` match (no context checks)."""
    g = m.groupdict()
    if g["money"]:
        if g["m_dash"]:
            printed, negative = Decimal(0), False
        else:
            digits = g["m_paren"] or g["m_outer_paren"] or g["m_num"]
            printed = _decimal(digits)
            negative = bool(g["m_paren"] or g["m_outer_paren"] or g["m_minus"] or g["m_lead_minus"])
        if g["m_per_share"]:
            unit, used_scale = "USD/share", 1  # per-share amounts are never in thousands
        else:
            unit = "USD"
            used_scale = SCALE_WORDS[g["m_word"].lower()] if g["m_word"] else scale
    elif g["percent"]:
        printed = _decimal(g["p_paren"] or g["p_num"])
        negative = bool(g["p_paren"] or g["p_minus"])
        unit, used_scale = "%", 1
    elif g["bare"]:
        printed = _decimal(g["b_paren"] or g["b_num"])
        negative = bool(g["b_paren"])
        unit = ""
        used_scale = SCALE_WORDS[g["b_word"].lower()] if g["b_word"] else scale
        after = text[m.end():]
        if _DOLLARS_AFTER.match(after):
            unit = "USD"
        elif _SHARES_AFTER.match(after):
            unit, used_scale = "shares", 1  # "1,000,000 shares" in prose is a count, written in full
    else:  # a lone dash cell
        printed, negative, unit, used_scale = Decimal(0), False, "", scale
    value = printed * used_scale
    if used_scale != 1 and value == value.to_integral_value():
        value = value.quantize(Decimal(1))  # "$1.5 million" -> 1500000, not 1500000.0
    if negative:
        value = -value
    return Quantity(value, unit, m.group(0), m.start() + shift, m.end() + shift, used_scale)


def find_quantities(text: str, scale: int = 1) -> list[Quantity]:
    """Every amount, percentage and table figure in `text`, with offsets into `text`.

    `scale` (from `detect_scale` on the table caption) multiplies money and bare table figures.
    Left out as not quantities: years and days in dates ("September 30, 2020", "2020 and 2019"),
    references ("Note 15", "Item 303"), page numbers alone on a centred line, and a dash that
    separates words ("Web Services - We generate") rather than sitting among figures.
    """
    raw = [(m, _quantity_from_match(m, text, scale)) for m in _QUANTITY_RE.finditer(text)]
    kept: list[Quantity] = []
    for m, quantity in raw:
        if m.group("bare") and _is_not_a_quantity(text, m):
            continue
        if m.group("dash") and not _dash_is_table_cell(text, m):
            continue
        kept.append(quantity)
    return _mark_per_share_rows(text, kept)


def _is_not_a_quantity(text: str, m: re.Match[str]) -> bool:
    """Bare numbers that are dates, years, references or page numbers."""
    printed = m.group("b_num")
    before = text[max(0, m.start() - 40) : m.start()]
    if printed and re.fullmatch(r"(?:19|20)\d\d", printed) and not m.group("b_word"):
        return True  # a year: tables print larger amounts with separators ("3,685")
    if printed and re.fullmatch(r"\d{1,2}", printed) and _DATE_DAY_BEFORE.search(before):
        return True
    if _REFERENCE_BEFORE.search(before):
        return True
    if printed and text.startswith(". ", m.end()) and re.search(r"(?:^|\n|\|)\s*$", before):
        return True  # a list or note number opening a line: "2. Revenue"
    line_start = text.rfind("\n", 0, m.start()) + 1
    line_end = text.find("\n", m.end())
    line_end = len(text) if line_end == -1 else line_end
    if (
        not text[line_start : m.start()].strip()
        and not text[m.end() : line_end].strip()
        and m.start() - line_start >= 10
    ):
        return True  # a page number centred on its own line
    return False


def _dash_is_table_cell(text: str, m: re.Match[str]) -> bool:
    """A lone dash is a zero only next to other cells: "67 - 67", "licenses - 737", "(33 ) - (21 )"."""
    before = text[: m.start()].rstrip()
    after = text[m.end() :].lstrip()
    previous_is_cell = bool(before) and (before[-1].isdigit() or before[-1] in ")$" + _DASH_CHARS)
    next_is_cell = bool(after) and (after[0].isdigit() or after[0] in "($" + _DASH_CHARS)
    return previous_is_cell or next_is_cell


def _mark_per_share_rows(text: str, quantities: list[Quantity]) -> list[Quantity]:
    """Table rows labelled "... per share" hold per-share amounts, which are never scaled.

    The row label is the words between the previous figure and this one; figures separated
    only by spaces stay on the same row and keep its label.
    """
    marked: list[Quantity] = []
    per_share_row = False
    previous_end = 0
    for q in quantities:
        gap = text[previous_end : q.start]
        if "\n" in gap or re.search(r"[A-Za-z]", gap):
            # a short label with no sentence break: a row caption, not prose that mentions shares
            per_share_row = bool(_PER_SHARE_LABEL.search(gap)) and len(gap) < 80 and not re.search(r"[.;]\s", gap)
        if per_share_row and q.unit == "USD":
            printed = q.value / q.scale if q.scale else q.value
            q = Quantity(printed, "USD/share", q.text, q.start, q.end, 1)
        marked.append(q)
        previous_end = q.end
    return marked


def rounding_unit(q: Quantity) -> Decimal:
    """What the last printed digit is worth: "$2.5 billion" -> 100,000,000; "$1,351,000" -> 0 (exact)."""
    if q.scale == 1 and q.unit != "USD/share":
        return Decimal(0)
    m = re.search(r"\d[\d,]*(?:\.(\d+))?", q.text)
    decimals = len(m.group(1)) if m and m.group(1) else 0
    unit = Decimal(1).scaleb(-decimals) * q.scale
    return unit if unit > 1 else Decimal(0)
