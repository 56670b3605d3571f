"""Inline XBRL facts of an EDGAR filing: ix:nonFraction figures and short ix:nonNumeric texts.

Works on the lxml tree that corpus/loaders.py parses, whichever parser made it: the XML parser
(namespaced tags, case kept: `{...inlineXBRL}nonFraction`, `contextRef`) or the HTML one (prefixed,
lowercased: `ix:nonfraction`, `contextref`). `tag_name` and `attributes` give both one spelling.

No taxonomy is needed (or fetched): a fact is its concept QName, context (period, dimensions), unit,
scale, sign and printed text, all in the filing. A malformed fact (unknown context or unit, bad
scale, a value its format cannot read) is skipped with a warning, never an exception.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from corpus.model import XbrlFact
from corpus.periods import MONTHS

__all__ = ["XbrlFact", "XbrlRead", "attributes", "dei_values", "number_value", "read_facts", "tag_name", "text_value"]

_NS_PREFIX = {
    "http://www.w3.org/1999/xhtml": "",
    "http://www.xbrl.org/2013/inlineXBRL": "ix",
    "http://www.xbrl.org/2008/inlineXBRL": "ix",
    "http://www.xbrl.org/2003/instance": "xbrli",
    "http://xbrl.org/2006/xbrldi": "xbrldi",
}
_NAME_CACHE: dict[str, str] = {}
# nonNumeric facts longer than this are text blocks (whole notes, already in Filing.text): not kept.
MAX_TEXT_CHARS = 300


def tag_name(el: Any) -> str | None:
    """"div", "ix:nonfraction", "xbrli:context", ... for either parser's element; None for a comment or PI."""
    tag = el.tag
    if not isinstance(tag, str):
        return None
    name = _NAME_CACHE.get(tag)
    if name is None:
        if tag[:1] == "{":
            ns, local = tag[1:].split("}", 1)
            prefix = _NS_PREFIX.get(ns, el.prefix or "")
            name = f"{prefix}:{local.lower()}" if prefix else local.lower()
            if ns not in _NS_PREFIX:
                return name  # a prefix of this document's choosing: not cached
        else:
            name = tag.lower()
        _NAME_CACHE[tag] = name
    return name


def attributes(el: Any) -> dict[str, str]:
    """Attributes by lowercased local name: `contextRef`/`contextref` -> "contextref", `xsi:nil` -> "nil"."""
    return {key.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower(): value for key, value in el.attrib.items()}


def element_text(el: Any, *, skip_exclude: bool = True) -> str:
    """All text under `el` (its tail not included), leaving out ix:exclude content."""
    parts: list[str] = []

    def visit(node: Any) -> None:
        if node.text and isinstance(node.tag, str):
            parts.append(node.text)
        for child in node:
            if not (skip_exclude and tag_name(child) == "ix:exclude"):
                visit(child)
            if child.tail:
                parts.append(child.tail)

    visit(el)
    return "".join(parts)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# --- format transforms (ixt: inlineXBRL transformation registry 3/4/5, ixt-sec: the SEC's) -----------

_ZERO_FORMATS = {"fixed-zero", "zerodash", "fixedzero"}
_DOT_DECIMAL = {"num-dot-decimal", "numdotdecimal", "numcommadot", "numspacedot", "num-dot-decimal-apos"}
_COMMA_DECIMAL = {"num-comma-decimal", "numcommadecimal", "numdotcomma", "numspacecomma", "num-comma-decimal-apos"}
_WORDS_FORMATS = {"numwordsen", "num-words-en"}
_UNITS_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())}
_TENS_WORDS = {w: 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), start=2)}
_SCALE_WORDS = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}


def _format_local(fmt: str | None) -> str:
    return (fmt or "").rsplit(":", 1)[-1].strip().lower()


def words_number(text: str) -> int:
    """English number words: "two" -> 2, "twenty-five" -> 25, "one hundred five" -> 105, "no"/"none" -> 0."""
    words = re.sub(r"[-,]", " ", text.lower()).replace(" and ", " ").split()
    if words in (["no"], ["none"]):
        return 0
    total, current = 0, 0
    if not words:
        raise ValueError(f"no number words in {text!r}")
    for word in words:
        if word in _UNITS_WORDS:
            current += _UNITS_WORDS[word]
        elif word in _TENS_WORDS:
            current += _TENS_WORDS[word]
        elif word == "hundred":
            current = (current or 1) * 100
        elif word in _SCALE_WORDS:
            total += (current or 1) * _SCALE_WORDS[word]
            current = 0
        else:
            raise ValueError(f"{word!r} is not a number word")
    return total + current


def number_value(text: str, fmt: str | None) -> Decimal:
    """The number a printed figure stands for under its ixt format, before scale and sign.

    Raises ValueError for text the format cannot read.
    """
    name = _format_local(fmt)
    text = _squash(text)
    if name in _ZERO_FORMATS:
        return Decimal(0)
    if name in _WORDS_FORMATS:
        return Decimal(words_number(text))
    digits = re.sub(r"[\s\xa0'’]", "", text)
    if name in _COMMA_DECIMAL:
        digits = digits.replace(".", "").replace(",", ".")
    else:  # num-dot-decimal and the default: "," groups thousands
        digits = digits.replace(",", "")
    if not re.fullmatch(r"\d+(?:\.\d*)?|\.\d+", digits):
        raise ValueError(f"{text!r} is not a number in format {fmt or '(none)'}")
    return Decimal(digits)


def _iso(year: int, month: int, day: int) -> str:
    return date(year, month, day).isoformat()  # ValueError for an impossible date


def _month(word: str) -> int:
    month = MONTHS.get(word.lower().rstrip("."))
    if month is None:
        raise ValueError(f"{word!r} is not a month")
    return month


def text_value(text: str, fmt: str | None) -> str:
    """A nonNumeric fact's value under its format: dates to ISO ("2025-06-28", "--09-27", "2025-06"),
    booleans to "true"/"false"; other formats (exchange names, durations) keep the printed text.

    Raises ValueError for a date or boolean the format cannot read.
    """
    name = _format_local(fmt)
    text = _squash(text)
    if not name:
        return text
    nums = [int(n) for n in re.findall(r"\d+", text)]
    words = re.findall(r"[A-Za-z]+\.?", text)
    if name in ("fixed-true", "booleantrue"):
        return "true"
    if name in ("fixed-false", "booleanfalse"):
        return "false"
    if name == "boolballotbox":
        if text in ("☒", "☑", "\u2612", "\u2611", "x", "X"):
            return "true"
        if text in ("☐", "\u2610"):
            return "false"
        raise ValueError(f"{text!r} is not a ballot box")
    try:
        if name in ("date-monthname-day-year-en", "datemonthnamedayyearen", "datelongmonthdayyear", "dateshortmonthdayyear"):
            return _iso(nums[-1], _month(words[0]), nums[0])
        if name in ("date-day-monthname-year-en", "datedaymonthnameyearen", "datelongdaymonthyear", "dateshortdaymonthyear"):
            return _iso(nums[-1], _month(words[0]), nums[0])
        if name in ("date-monthname-day-en", "datemonthnamedayen", "datelongmonthday", "dateshortmonthday"):
            return f"--{_month(words[0]):02d}-{_iso(2000, _month(words[0]), nums[0])[8:]}"
        if name in ("date-day-monthname-en", "datedaymonthnameen", "datelongdaymonth", "dateshortdaymonth"):
            return f"--{_month(words[0]):02d}-{_iso(2000, _month(words[0]), nums[0])[8:]}"
        if name in ("date-month-day", "datemonthday"):
            return f"--{nums[0]:02d}-{_iso(2000, nums[0], nums[1])[8:]}"
        if name in ("date-day-month", "datedaymonth"):
            return f"--{nums[1]:02d}-{_iso(2000, nums[1], nums[0])[8:]}"
        if name in ("date-monthname-year-en", "datemonthnameyearen", "datelongmonthyear", "dateshortmonthyear"):
            return f"{nums[-1]:04d}-{_month(words[0]):02d}"
        if name in ("date-month-day-year", "datemonthdayyear", "dateslashus", "datedotus"):
            return _iso(_full_year(nums[2]), nums[0], nums[1])
        if name in ("date-day-month-year", "datedaymonthyear", "dateslasheu", "datedoteu"):
            return _iso(_full_year(nums[2]), nums[1], nums[0])
        if name in ("date-year-month-day", "dateyearmonthday"):
            return _iso(nums[0], nums[1], nums[2])
    except (IndexError, ValueError) as exc:
        raise ValueError(f"{text!r} is not a date in format {fmt}") from exc
    return text


def _full_year(year: int) -> int:
    return year + 2000 if year < 100 else year


# --- contexts, units, facts ---------------------------------------------------------------------------

@dataclass(frozen=True)
class _Context:
    start: str | None
    end: str | None
    instant: bool
    dimensions: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class XbrlRead:
    """What `read_facts` found: facts in document order, the element each came from, and warnings."""

    facts: tuple[XbrlFact, ...]
    elements: tuple[Any, ...]
    warnings: tuple[str, ...]


def _descendants(el: Any) -> dict[str, list[Any]]:
    """`el`'s descendants grouped by tag name, in document order."""
    found: dict[str, list[Any]] = {}
    for child in el.iterdescendants():
        name = tag_name(child)
        if name:
            found.setdefault(name, []).append(child)
    return found


def _date_text(parts: dict[str, list[Any]], name: str) -> str | None:
    if name not in parts:
        return None
    text = _squash(element_text(parts[name][0]))[:10]
    date.fromisoformat(text)  # ValueError for a malformed date
    return text


def _read_context(el: Any) -> _Context:
    parts = _descendants(el)
    start, end, instant = (_date_text(parts, n) for n in ("xbrli:startdate", "xbrli:enddate", "xbrli:instant"))
    dims = tuple(sorted((attributes(m).get("dimension", ""), _squash(element_text(m)))
                        for m in parts.get("xbrldi:explicitmember", []) + parts.get("xbrldi:typedmember", [])))
    if any(not axis for axis, _ in dims):
        raise ValueError("a dimension member without its dimension attribute")
    if instant:
        return _Context(None, instant, True, dims)
    if start and end:
        return _Context(start, end, False, dims)
    if "xbrli:forever" in parts:
        return _Context(None, None, False, dims)
    raise ValueError("no period (startDate/endDate, instant or forever)")


def _measure(el: Any) -> str:
    names = [_squash(element_text(m)).rsplit(":", 1)[-1] for m in _descendants(el).get("xbrli:measure", [])]
    if not names or not all(names):
        raise ValueError("no measure")
    return "*".join(names)


def _read_unit(el: Any) -> str:
    parts = _descendants(el)
    if "xbrli:divide" not in parts:
        return _measure(el)
    if "xbrli:unitnumerator" not in parts or "xbrli:unitdenominator" not in parts:
        raise ValueError("a divide without unitNumerator and unitDenominator")
    return f"{_measure(parts['xbrli:unitnumerator'][0])}/{_measure(parts['xbrli:unitdenominator'][0])}"


def _fact_text(el: Any, continuations: dict[str, Any]) -> str:
    """A nonNumeric's text with its ix:continuation chain appended (ix:exclude content left out)."""
    parts, seen = [element_text(el)], set()
    next_id = attributes(el).get("continuedat")
    while next_id and next_id not in seen and next_id in continuations:
        seen.add(next_id)
        part = continuations[next_id]
        parts.append(element_text(part))
        next_id = attributes(part).get("continuedat")
    return " ".join(parts)


class TooManyFactsError(ValueError):
    """More facts than any filing tags: a generated or hostile file."""


def read_facts(root: Any, max_facts: int = 50_000) -> XbrlRead:
    """Every ix:nonFraction, and every ix:nonNumeric that is not a text block, in document order."""
    contexts: dict[str, _Context] = {}
    units: dict[str, str] = {}
    continuations: dict[str, Any] = {}
    candidates: list[tuple[str, Any]] = []
    warnings: list[str] = []
    for el in root.iter():
        name = tag_name(el)
        if name is None or not name.startswith(("ix:", "xbrli:")):
            continue
        if name in ("ix:nonfraction", "ix:nonnumeric"):
            candidates.append((name, el))
            if len(candidates) > max_facts:
                raise TooManyFactsError(f"{len(candidates):,} inline-XBRL facts and counting; filingqa reads at most "
                                        f"{max_facts:,} (a 10-K tags about 3,000)")
        elif name == "ix:continuation":
            continuations[attributes(el).get("id", "")] = el
        elif name == "xbrli:context":
            cid = attributes(el).get("id", "")
            try:
                contexts[cid] = _read_context(el)
            except ValueError as exc:
                warnings.append(f"context {cid!r} skipped: {exc}")
        elif name == "xbrli:unit":
            uid = attributes(el).get("id", "")
            try:
                units[uid] = _read_unit(el)
            except ValueError as exc:
                warnings.append(f"unit {uid!r} skipped: {exc}")
    facts, elements = [], []
    for name, el in candidates:
        attrs = attributes(el)
        concept, cid = attrs.get("name", ""), attrs.get("contextref", "")
        label = f"{attrs['id']} ({concept or '?'})" if attrs.get("id") else concept or "(unnamed)"
        context = contexts.get(cid)
        try:
            if not concept:
                raise ValueError("no name")
            if context is None:
                raise ValueError(f"unknown context {cid!r}")
            if name == "ix:nonfraction":
                fact = _number_fact(el, attrs, concept, cid, context, units)
            else:
                if concept.endswith("TextBlock") or attrs.get("escape", "").lower() in ("true", "1"):
                    continue
                text = text_value(_fact_text(el, continuations), attrs.get("format"))
                if len(text) > MAX_TEXT_CHARS:
                    continue
                fact = XbrlFact(concept=concept, value=None, text=text, context_id=cid, period_start=context.start,
                                period_end=context.end, instant=context.instant, dimensions=context.dimensions)
        except ValueError as exc:
            warnings.append(f"fact {label} skipped: {exc}")
            continue
        facts.append(fact)
        elements.append(el)
    return XbrlRead(facts=tuple(facts), elements=tuple(elements), warnings=tuple(warnings))


def _number_fact(el: Any, attrs: dict[str, str], concept: str, cid: str, context: _Context,
                 units: dict[str, str]) -> XbrlFact:
    unit_id = attrs.get("unitref", "")
    if unit_id not in units:
        raise ValueError(f"unknown unit {unit_id!r}")
    try:
        scale = int(attrs.get("scale", "0"))
        if not -30 <= scale <= 30:
            raise ValueError
    except ValueError:
        raise ValueError(f"scale {attrs.get('scale')!r} is not a power of ten") from None
    decimals_text = attrs.get("decimals", "INF").strip()
    try:
        decimals = None if decimals_text.upper() == "INF" else int(decimals_text)
    except ValueError:
        raise ValueError(f"decimals {decimals_text!r} is not an integer or INF") from None
    if attrs.get("nil", "").lower() in ("true", "1"):
        value = None
    else:
        value = number_value(element_text(el), attrs.get("format")).scaleb(scale)
        if value == value.to_integral_value():
            value = value.quantize(Decimal(1))  # 94036000000, not 9.4036E+10
        if attrs.get("sign") == "-":
            value = -value
    return XbrlFact(concept=concept, value=value, context_id=cid, unit=units[unit_id], decimals=decimals, scale=scale,
                    period_start=context.start, period_end=context.end, instant=context.instant,
                    dimensions=context.dimensions)


_DEI = ("EntityRegistrantName", "DocumentType", "DocumentPeriodEndDate", "DocumentFiscalYearFocus",
        "DocumentFiscalPeriodFocus", "CurrentFiscalYearEndDate", "TradingSymbol", "EntityCentralIndexKey")


def dei_values(facts: tuple[XbrlFact, ...] | list[XbrlFact]) -> dict[str, str]:
    """The cover-page dei facts by local name ("DocumentType" -> "10-Q"); for each, the first fact
    without dimensions, else the first (TradingSymbol is tagged per class of stock)."""
    found: dict[str, str] = {}
    for dimensional in (False, True):
        for fact in facts:
            prefix, _, local = fact.concept.partition(":")
            if prefix == "dei" and local in _DEI and local not in found and fact.text and bool(fact.dimensions) == dimensional:
                found[local] = fact.text
    return found
