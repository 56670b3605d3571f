"""Everything a filing states in numbers: table cells and sentence claims, cross-checked.

`FilingFacts.of(filing)` is computed once per filing and reused by the answerer and the audit.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from corpus.model import Filing
from corpus.periods import parse_period
from qa.claims import AuditReport, Claim, audit_text
from qa.question import find_metric
from qa.tables import Fact, known_segments, table_facts

_CONSOLIDATED = {None, "", "consolidated", "total", "total reportable segments"}


def canonical_metric(label: str, segments: tuple[str, ...] = ()) -> str:
    """"Cloud Telecommunications service revenue" -> "service revenue"; unknown labels lower-cased."""
    text = label
    for seg in segments:
        text = re.sub(re.escape(seg), " ", text, flags=re.I)
        text = re.sub(rf"^\s*{re.escape(seg.split()[0])}\b", " ", text, flags=re.I)  # "Web service revenue"
    text = re.sub(r"^\s*(?:consolidated|total)\s+", "", text, flags=re.I) if not re.match(r"^\s*total revenue", text, re.I) else text
    metric, alias = find_metric(text)
    plain = " ".join(text.lower().split())
    # The metric must lead the label ("Net revenues", "Cost of net revenues") or make up most of it;
    # "Foreign exchange contracts Net revenues" is a hedge line, not revenue.
    if metric and (plain.startswith(alias) or len(alias) >= 0.6 * len(plain)):
        return metric
    return plain


def segment_key(segment: str | None) -> str:
    return "consolidated" if (segment or "").strip().lower() in _CONSOLIDATED else segment.strip().lower()


def claim_segment(claim: Claim, segments: tuple[str, ...]) -> str | None:
    """The segment a claim is about: named in its metric, "Consolidated ..." or else the section's."""
    if re.match(r"\s*consolidated\b", claim.metric, re.I):
        return None
    for seg in segments:
        if seg.lower() in claim.metric.lower() or claim.metric.lower().startswith(seg.split()[0].lower() + " "):
            return seg
    return claim.segment


def _prior_period(claim: Claim) -> str | None:
    """The comparison period: "as compared to $3,259,000 for the three months ended September 30, 2019"."""
    m = re.search(r"\b(?:compared\s+(?:to|with)|versus|from)\b", claim.text, re.I)
    period = parse_period(claim.text[m.end():]) if m else None
    return period.label if period else None


@dataclass(frozen=True)
class Disagreement:
    """The same metric, segment and period stated twice with different values."""

    metric: str
    segment: str | None
    period: str
    table: Fact
    text: Fact

    @property
    def detail(self) -> str:
        return (f"{self.metric} ({self.period}{', ' + self.segment if self.segment else ''}): table says {self.table.value:,}"
                f" but text says {self.text.value:,}")


@dataclass(frozen=True)
class FilingFacts:
    doc_id: str
    facts: tuple[Fact, ...]
    audit: AuditReport
    disagreements: tuple[Disagreement, ...]
    segments: tuple[str, ...]

    @classmethod
    def of(cls, filing: Filing) -> "FilingFacts":
        segments = known_segments(filing)
        audit = audit_text(filing.text, filing.sections)
        facts = list(table_facts(filing))
        for claim in audit.claims:
            seg = claim_segment(claim, segments)
            if claim.current is not None and claim.period:
                facts.append(_claim_fact(claim, claim.current, claim.period, seg))
            prior_label = _prior_period(claim)
            if claim.prior is not None and prior_label:
                facts.append(_claim_fact(claim, claim.prior, prior_label, seg))
        return cls(filing.doc_id, tuple(facts), audit, tuple(cross_check(facts, segments)), segments)


def _claim_fact(claim: Claim, value: Decimal, period_label: str, segment: str | None) -> Fact:
    period = parse_period(period_label)
    return Fact(metric=claim.metric, segment=segment, period=period_label, period_months=period.months if period else None,
                period_end=period.end if period else None, value=value, unit="USD", start=claim.start, end=claim.end,
                source="text", text=claim.text)


def cross_check(facts: list[Fact], segments: tuple[str, ...] = ()) -> list[Disagreement]:
    """Table cells and sentences that state the same metric/segment/period with different values.

    A table in thousands rounds, so values within half a unit of the table's scale agree.
    """
    tables: dict[tuple[str, str, str], list[Fact]] = {}
    for f in facts:
        if f.source == "table" and f.period and f.unit != "%":
            tables.setdefault((canonical_metric(f.metric, segments), segment_key(f.segment), f.period), []).append(f)
    out = []
    seen = set()
    for f in facts:
        if f.source != "text" or not f.period:
            continue
        key = (canonical_metric(f.metric, segments), segment_key(f.segment), f.period)
        for cell in tables.get(key, []):
            tolerance = Decimal(500) if abs(cell.value) >= 1000 and cell.value % 1000 == 0 else Decimal("0.5")
            value = f.value
            if _opposite_polarity(cell.metric, f.metric):
                value = -value  # "Net other expense ... $47,000" is "Other income/(expense) (47)"
            if abs(cell.value - value) > tolerance and (key, cell.start, f.start) not in seen:
                seen.add((key, cell.start, f.start))
                out.append(Disagreement(key[0], None if key[1] == "consolidated" else key[1], key[2], cell, f))
    return out


def _polarity(label: str) -> str | None:
    """"expense" or "income" for labels that name one side only; None for both or neither."""
    lowered = label.lower()
    has_expense = bool(re.search(r"\bexpenses?\b|\blosse?s?\b", lowered))
    has_income = bool(re.search(r"\bincome\b|\bgains?\b", lowered))
    if has_expense and has_income:
        return "income" if re.search(r"income\s*/\s*\(expense\)|income\s*\(expense\)", lowered) else None
    return "expense" if has_expense else "income" if has_income else None


def _opposite_polarity(a: str, b: str) -> bool:
    pa, pb = _polarity(a), _polarity(b)
    return pa is not None and pb is not None and pa != pb
