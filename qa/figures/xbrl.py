"""Inline-XBRL facts as the figure of record: each tagged, printed figure becomes a `Fact`.

The filer tags every statement figure with its concept, period, dimensions, unit and scale, so its value needs
no guessing from column headers or "(in millions)" captions. A tagged figure replaces the table cell parsed at
the same place; untagged cells and sentences still give facts as before.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from corpus.model import Filing, XbrlFact
from corpus.periods import MONTH_NAMES, fiscal_months
from corpus.words import content_words
from qa.figures.numbers import parse_number, rounding_unit
from qa.figures.tables import Fact
from qa.vocabulary import CONCEPT_NAMES

_MONTHS = {3: "three", 6: "six", 9: "nine", 12: "twelve"}


def _long_date(iso: str) -> str:
    d = date.fromisoformat(iso)
    return f"{MONTH_NAMES[d.month - 1]} {d.day}, {d.year}"


def standard_label(concept: str | None) -> str | None:
    """The words questions use for a common concept ("us-gaap:AssetsCurrent" -> "total current assets")."""
    return CONCEPT_NAMES.get(concept.split(":")[-1]) if concept else None


def _months(start: str, end: str) -> int:
    return fiscal_months((date.fromisoformat(end) - date.fromisoformat(start)).days + 1)


def period_of(fact: XbrlFact) -> tuple[str, int, str] | None:
    """(label, months, end): "three months ended June 28, 2025", 3, "2025-06-28"; "as of ...", 0 for an instant."""
    if not fact.period_end:
        return None
    if fact.instant or not fact.period_start:
        return f"as of {_long_date(fact.period_end)}", 0, fact.period_end
    months = _months(fact.period_start, fact.period_end)
    words = _MONTHS.get(months)
    label = f"{words} months ended {_long_date(fact.period_end)}" if words else f"{months} months ended {_long_date(fact.period_end)}"
    return (f"year ended {_long_date(fact.period_end)}" if months == 12 else label), months, fact.period_end


def member_name(member: str) -> str:
    """"aapl:GreaterChinaSegmentMember" -> "Greater China"; "us-gaap:ServiceMember" -> "Service"."""
    local = member.split(":")[-1]
    local = re.sub(r"(?:Segment)?Member$", "", local)
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", local)
    return words.strip()


def _unit(fact: XbrlFact) -> str | None:
    unit = (fact.unit or "").upper()
    if unit in ("USD", "ISO4217:USD"):
        return "USD"
    if unit.replace("ISO4217:", "") in ("USD/SHARES", "USD/SHARE"):
        return "USD/share"
    if unit in ("PURE", "XBRLI:PURE"):
        return None  # ratios: printed as percentages with their own scale; left to the table parser
    if "SHARES" in unit:
        return "shares"
    return None


def _letters(text: str) -> str:
    """The letters of a name, "&" said as "and" ("Compute & Networking" is the member ComputeAndNetworking)."""
    return re.sub(r"[^a-z]", "", text.lower().replace("&", "and"))


def member_labels(filing: Filing) -> dict[str, str]:
    """Each member as the filing prints it: the row label of one of its figures that spells the member's name
    ("aapl:IPhoneMember" -> "iPhone", "WearablesHomeandAccessoriesMember" -> "Wearables, Home and Accessories")."""
    labels: dict[str, str] = {}
    for x in filing.xbrl:
        for _, member in x.dimensions:
            # The member's name is printed as its row or, in a table of segments side by side, its column.
            for printed in (x.row_label, x.column_header):
                name = re.sub(r"\s*[®™†‡*]+|\s*\([^)]*\)", "", printed or "").strip(" :")  # "(In millions)"
                if member not in labels and name and _letters(name).rstrip("s") == _letters(member_name(member)).rstrip("s"):
                    labels[member] = name
    return labels


def xbrl_facts(filing: Filing) -> list[Fact]:
    """Facts of the filing's printed, tagged figures: value at full scale, the filer's row label, and its
    concept, period and dimensions (a dimension's member becomes the segment)."""
    out = []
    printed = member_labels(filing)
    for x in filing.xbrl:
        if x.value is None or x.start is None or x.end is None:
            continue
        unit, period = _unit(x), period_of(x)
        if unit is None or period is None:
            continue
        label, months, end = period
        concept = x.concept.split(":")[-1]
        segment = " / ".join(printed.get(m) or member_name(m) for _, m in x.dimensions) or None
        row = (x.row_label or "").strip(" :")
        metric = row if row and not x.dimensions else CONCEPT_NAMES.get(concept) or row or member_name(concept)
        if x.dimensions:
            metric = re.sub(r"^total\s+", "", metric)  # a segment's revenue is part of the total, not the total
        line_start = filing.text.rfind("\n", 0, x.start) + 1
        line_end = filing.text.find("\n", x.end)
        line_end = len(filing.text) if line_end == -1 else line_end
        out.append(Fact(metric=metric, segment=segment, period=label, period_months=months, period_end=end,
                        value=x.value, unit=unit, start=x.start, end=x.end, source="table",
                        text=filing.text[line_start:line_end], context_start=line_start, context_end=line_end,
                        concept=x.concept, dimensions=x.dimensions))
    return out


def with_xbrl(facts: list[Fact], tagged: list[Fact]) -> list[Fact]:
    """`facts` with every figure parsed where a tagged figure sits replaced by the tagged one."""
    if not tagged:
        return facts
    spans = sorted((f.start, f.end) for f in tagged)
    starts = [a for a, _ in spans]

    def covered(f: Fact) -> bool:
        i = bisect.bisect_right(starts, f.end) - 1
        return i >= 0 and spans[i][0] < f.end and f.start < spans[i][1] and f.source == "table"

    return [f for f in facts if not covered(f)] + tagged


# Axes whose members are the segments, regions and products a question may name ("revenue in Japan").
_SEGMENT_AXES = re.compile(r"Segment|Geographic|ProductOrService|ProductsAndServices|Region|Country", re.I)


def reported_members(filing: Filing) -> list[str]:
    """Names of the segment, geography and product members the filing's tagged figures break out."""
    printed = member_labels(filing)
    names = {printed.get(member) or member_name(member) for x in filing.xbrl for axis, member in x.dimensions
             if x.value is not None and x.start is not None and _SEGMENT_AXES.search(axis)}
    return sorted(n for n in names if is_segment_name(n))


_NOT_SEGMENTS = re.compile(r"^(?:other|total|segments? total|consolidated|corporate|eliminations?|all other|"
                           r"reportable segments?|non us|us)$", re.I)


def is_segment_name(name: str) -> bool:
    """A region, segment or product a question may name; not a line item that a filer put on a segment axis
    ("Cost of products sold", "Research & development"), nor a residual ("Other", "Segments total")."""
    from qa.question import find_metric

    if len(name) <= 2 or len(name.split()) > 5 or re.search(r"[\d*()]|\bby segment\b|’s\b", name, re.I) \
            or _NOT_SEGMENTS.match(name.strip()):
        return False
    words = set(re.findall(r"[a-z]+", name.lower()))
    if words & _LINE_ITEM_WORDS:
        return False
    metric, alias = find_metric(name.replace("&", "and"))
    return not (metric and len(alias) >= 0.5 * len(name))


# Words of line items, never of a segment's, region's or product's name.
_LINE_ITEM_WORDS = {"cost", "costs", "expense", "expenses", "income", "earnings", "taxes", "tax", "provision", "dividends",
                    "paid", "per", "share", "assets", "liabilities", "debt", "administrative", "marketing", "handling",
                    "amortization", "depreciation", "development", "objectives", "recommendation"}


@dataclass(frozen=True)
class TagAudit:
    """Printed figures checked against the filer's XBRL tags.

    `checked`: table cells the parser read where a tagged figure sits; `agree`: those with the tag's value (scale
    and all, signs aside: a tag carries the concept's sign, the table its presentation); `disagreements`: (cell, tag)
    pairs that differ, i.e. the parser's scale or column was wrong. `sentences`: (sentence amount, tag) pairs,
    each a sentence stating an amount that a tag of the same period, unit and metric carries (to the sentence's
    rounding): the sentence is verified by the filer's own tag."""

    tags: int
    checked: int
    agree: int
    disagreements: tuple[tuple[Fact, Fact], ...] = ()
    sentences: tuple[tuple[Fact, Fact], ...] = ()

    @property
    def claims_tagged(self) -> int:
        return len(self.sentences)


def audit_tags(parsed: list[Fact], tagged: list[Fact], stated: list[Fact]) -> TagAudit:
    """Check the table parser's cells and the sentences' amounts against the tagged figures."""
    by_span = {(f.start, f.end): f for f in tagged}
    starts = sorted(by_span)
    checked = agree = 0
    wrong = []
    for cell in parsed:
        if cell.source != "table":
            continue
        i = bisect.bisect_right(starts, (cell.end, cell.end)) - 1
        if i < 0 or not (starts[i][0] < cell.end and cell.start < starts[i][1]):
            continue
        tag = by_span[starts[i]]
        checked += 1
        if abs(abs(cell.value) - abs(tag.value)) <= max(abs(tag.value) * Decimal("0.0005"), Decimal("0.005")):
            agree += 1
        else:
            wrong.append((cell, tag))
    by_period: dict[str | None, list[Fact]] = {}
    for tag in tagged:
        by_period.setdefault(tag.period_end, []).append(tag)
    sentences = [(s, tag) for s in stated for tag in [_tag_carrying(s, by_period.get(s.period_end, ()))] if tag]
    return TagAudit(tags=len(tagged), checked=checked, agree=agree, disagreements=tuple(wrong),
                    sentences=tuple(sentences))


def _printed_rounding(fact: Fact) -> Decimal:
    """What the last digit of a sentence's amount is worth as printed ("$94.0 billion": 100 million)."""
    if fact.context_start < 0:
        return Decimal(0)
    printed = fact.text[fact.start - fact.context_start:fact.end - fact.context_start]
    try:
        return rounding_unit(parse_number(printed))
    except ValueError:
        return Decimal(0)


def _tag_carrying(stated: Fact, tags) -> Fact | None:
    """The tag of `stated`'s period that carries its amount (to the printed rounding) for the same metric:
    the sentence's metric words all appear in the tag's row label, standard label or concept name, or a word
    that is not a generic one ("net", "income") does."""
    words = set(content_words(stated.metric))
    if not words:
        return None
    slack = max(_printed_rounding(stated) / 2, abs(stated.value) * Decimal("0.0005"), Decimal("0.005"))
    for tag in tags:
        if tag.unit != stated.unit or (stated.period_months not in (None, tag.period_months)):
            continue
        if abs(abs(tag.value) - abs(stated.value)) > slack:
            continue
        named = set(content_words(" ".join(x for x in (tag.metric, standard_label(tag.concept),
                                                        member_name(tag.concept or "")) if x)))
        if words <= named or (words & named) - _GENERIC_WORDS:
            return tag
    return None


# Words too common across line items to tie a sentence to a tag alone ("net loss" is not "gain (loss) on sale").
_GENERIC_WORDS = {"net", "total", "loss", "losses", "income", "gain", "gains", "other", "cost", "costs", "expense",
                  "expenses", "amount", "amounts", "value"}
