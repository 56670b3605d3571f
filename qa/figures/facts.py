"""Everything a filing states in numbers: table cells and sentence claims, cross-checked.

`FilingFacts.of(filing)` is computed once per filing and reused by the answerer and the audit.
"""
from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from corpus.codec import from_jsonable, to_jsonable
from corpus.fingerprint import add_files
from corpus.model import Filing
from corpus.periods import parse_period
from qa.figures.claims import AuditReport, Claim, audit_text, claim_label
from qa.figures.statements import stated_facts
from qa.figures.tables import Fact, known_segments, table_facts
from qa.figures.xbrl import TagAudit, audit_tags, is_segment_name, reported_members, with_xbrl, xbrl_facts
from qa.model import Check
from qa.question import find_metric

_CONSOLIDATED = {None, "", "consolidated", "total", "total reportable segments"}
_ROOT = Path(__file__).resolve().parents[2]
# The code whose output FilingFacts is: stored facts computed by other code are computed again.
_FACTS_CODE = ("corpus/*.py", "qa/figures/*.py", "qa/compute/*.py", "qa/question.py", "qa/vocabulary.py", "qa/model.py")


@functools.lru_cache(maxsize=1)
def facts_code_fingerprint() -> str:
    digest = hashlib.sha256()
    add_files(digest, [path for pattern in _FACTS_CODE for path in sorted(_ROOT.glob(pattern))])
    return digest.hexdigest()[:16]


@functools.lru_cache(maxsize=65536)  # pure; asked for every row label of every candidate figure
def canonical_metric(label: str, segments: tuple[str, ...] = ()) -> str:
    """"Cloud Telecommunications service revenue" -> "service revenue"; unknown labels lower-cased."""
    text = label
    for seg in segments:
        text = re.sub(rf"(?<!\w){re.escape(seg)}(?!\w)", " ", text, flags=re.I)  # "Vision" is not in "provision"
        text = re.sub(rf"^\s*{re.escape(seg.split()[0])}\b", " ", text, flags=re.I)  # "Web service revenue"
    whole, whole_alias = find_metric(text)
    if whole and whole_alias.startswith("total ") and " ".join(text.lower().split()).startswith(whole_alias):
        return whole  # "Total assets", "Total current liabilities": the total is the metric itself
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
class ReportedPeriod:
    """A period some figure of a filing is for: the year it ends in (and the date, when known), its length in months
    (0 for a balance at a date, None when unknown), and whether the filer tagged it (then its length is exact)."""

    year: int
    end: str | None
    months: int | None
    tagged: bool

    def answers(self, year: int, months: int | None, tagged_filing: bool) -> bool:
        """Whether a question for a period of `months` months ending in `year` may be answered by this period. A year
        that ends in the first days of January (52/53-week filers: "January 3, 2020") is the year before's too. A
        length rules a period out only where it is known: a tagged figure's always; in a filing without tags, a parsed
        column's length is a guess and rules nothing out; in a tagged filing, an untagged figure of no known length
        is no evidence of a period the tags do not show."""
        early_january = bool(self.end) and self.end[5:7] == "01" and self.end[8:10].isdigit() and int(self.end[8:10]) <= 14
        if self.year != year and not (early_january and self.year - 1 == year):
            return False
        if months is None or not (self.tagged or tagged_filing):
            return True
        return self.months == months


@dataclass(frozen=True)
class FilingFacts:
    doc_id: str
    facts: tuple[Fact, ...]
    audit: AuditReport
    disagreements: tuple[Disagreement, ...]
    segments: tuple[str, ...]
    tags: TagAudit | None = None  # printed figures checked against the XBRL tags (None: the filing has none)
    # Row labels the synonym table does not know, mapped to a standard line (qa.compute.labels.LabelMapper).
    line_names: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return to_jsonable(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "FilingFacts":
        return from_jsonable(cls, data)

    def periods(self) -> frozenset["ReportedPeriod"]:
        """Every period the filing's figures are for: what it covers."""
        out = set()
        for f in self.facts:
            if f.period_end and f.period_end[:4].isdigit():
                out.add(ReportedPeriod(int(f.period_end[:4]), f.period_end, f.period_months, f.concept is not None))
            elif f.period:
                out.update(ReportedPeriod(int(y), None, f.period_months, False)
                           for y in re.findall(r"\b((?:19|20)\d\d)\b", f.period))
        return frozenset(out)

    def with_line_names(self, mapper) -> "FilingFacts":
        """The same facts, with the untagged table rows' labels mapped by `mapper` (a LabelMapper)."""
        labels = {f.metric for f in self.facts if f.source == "table" and not f.concept and f.metric}
        return replace(self, line_names=mapper.line_names(labels))

    @classmethod
    def of(cls, filing: Filing) -> "FilingFacts":
        # Segments headed in the text and members tagged on segment axes; a line item under a segment heading
        # ("Cost of products sold") is no segment.
        named = {}
        for s in sorted(set(known_segments(filing)) | set(reported_members(filing)), key=lambda s: s != s.title()):
            if is_segment_name(s):
                named[s.lower()] = s  # one spelling each; the printed one ("Rest of Asia Pacific") over "Rest Of ..."
        segments = tuple(sorted(named.values()))
        audit = audit_text(filing.text, filing.sections)
        # A tagged figure is the figure of record: it replaces the cell parsed at its place.
        parsed, tagged = list(table_facts(filing)), xbrl_facts(filing)
        facts = with_xbrl(parsed, tagged)
        audit = with_table_checks(audit, facts, segments, filing)
        for claim in audit.claims:
            seg = claim_segment(claim, segments)
            if claim.current is not None and claim.period:
                facts.append(_claim_fact(claim, claim.current, claim.period, seg))
            prior_label = _prior_period(claim)
            if claim.prior is not None and prior_label:
                facts.append(_claim_fact(claim, claim.prior, prior_label, seg))
        disagreements = cross_check(facts, segments)
        # Plain statements answer value questions but are not cross-checked: they round ("approximately $0.7 billion")
        # and name broader totals than one table row, which would flag agreeing figures.
        stated = stated_facts(filing, skip=[(c.start, c.end) for c in audit.claims], segments=segments)
        facts.extend(stated)
        sentences = [f for f in facts if f.source == "text"]
        tags = audit_tags(parsed, tagged, sentences) if tagged else None
        if tags is not None and tags.sentences:
            audit = with_tag_checks(audit, tags)
        return cls(filing.doc_id, tuple(facts), audit, tuple(disagreements), segments, tags)


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
            if _is_deduction(cell.metric) and abs(cell.value + value) <= tolerance:
                continue  # "Income tax provision (9)": a statement prints deductions in parentheses
            if abs(cell.value - value) > tolerance and (key, cell.start, f.start) not in seen:
                seen.add((key, cell.start, f.start))
                out.append(Disagreement(key[0], None if key[1] == "consolidated" else key[1], key[2], cell, f))
    return out


def _is_deduction(label: str) -> bool:
    return bool(re.search(r"\b(?:provisions?|expenses?|costs?|taxe?s?|losse?s?|expenditures?|capex|purchases?|payments?|"
                          r"repurchases?|dividends?\s+paid)\b", label.lower()))


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


def _claim_year_and_months(claim: Claim, filing: Filing) -> tuple[int | None, int | None]:
    period = parse_period(claim.period) if claim.period else None
    if period and period.end:
        return int(period.end[:4]), period.months
    m = re.search(r"\b(?:in|during|for)\s+(?:fiscal\s+(?:year\s+)?)?((?:19|20)\d\d)\b", claim.text)
    if m and filing.form == "10-K":
        return int(m.group(1)), 12
    return None, None


def _unique_value(candidates: list[Fact]) -> Fact | None:
    """The figure most of the candidate cells state (the statement, its segment note and MD&A table agree),
    or None when no value has at least half of them."""
    if not candidates:
        return None
    counts: dict[Decimal, int] = {}
    for f in candidates:
        counts[f.value] = counts.get(f.value, 0) + 1
    value, n = max(counts.items(), key=lambda kv: (kv[1], abs(kv[0])))
    if n * 2 < len(candidates):
        return None
    return next(f for f in candidates if f.value == value)


def table_check(claim: Claim, facts: list[Fact], segments: tuple[str, ...], filing: Filing) -> Check | None:
    """Check a percentage stated without its amounts ("FedEx Express revenue decreased 7% in 2023") against the
    two figures the filing's tables give for the same metric, segment and period. None when the tables do not
    give exactly one figure for each year."""
    if claim.percent is None or (claim.current is not None and claim.prior is not None):
        return None
    # Stay conservative: a sentence covering two periods ("... respectively") or a qualified metric
    # ("interest expense that impacted earnings") does not map onto one table row.
    if re.search(r"\brespectively\b", claim.text, re.I) or re.search(r"\b(?:that|which|excluding|related|from|per)\b", claim.metric, re.I):
        return None
    year, months = _claim_year_and_months(claim, filing)
    if year is None:
        return None
    metric, seg = canonical_metric(claim.metric, segments), segment_key(claim_segment(claim, segments))

    def figure(y: int) -> Fact | None:
        found = [f for f in facts if f.source == "table" and f.unit == "USD" and canonical_metric(f.metric, segments) == metric
                 and segment_key(f.segment) == seg and f.period_months == months
                 and ((f.period_end and int(f.period_end[:4]) == y) or (not f.period_end and str(y) in (f.period or "")))]
        return _unique_value(found)

    cur, pri = figure(year), figure(year - 1)
    if cur is None or pri is None or pri.value == 0:
        return None
    now, before = cur.value, pri.value
    if now < 0 and before < 0 and _is_deduction(claim.metric):
        # A cash-flow statement prints capital expenditures as (1,899.2); "capital expenditures decreased 7%" speaks
        # of the amounts spent.
        now, before = -now, -before
    exact = (now - before) / abs(before) * 100
    places = len(claim.percent_text.split(".")[1].rstrip("%")) if claim.percent_text and "." in claim.percent_text else 0
    rounded = abs(exact).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    going_up = exact > 0
    direction_ok = claim.direction not in ("increase", "decrease") or going_up == (claim.direction == "increase")
    detail = (f"from the tables: {cur.value:,} ({year}) vs {pri.value:,} ({year - 1}) = {exact:.2f}%, "
              f"rounds to {rounded}%; stated {claim.percent_text}")
    status = "verified" if rounded == claim.percent and direction_ok else "mismatch"
    return Check(claim_label(claim), status, detail, "table")


def with_tag_checks(audit: AuditReport, tags: TagAudit) -> AuditReport:
    """A claim whose amount the filer tagged (same period, unit and metric) gets a verified "xbrl" check."""
    checks = []
    for claim, claim_checks in zip(audit.claims, audit.checks):
        carried = [(s, t) for s, t in tags.sentences if claim.start <= s.start < claim.end]
        extra = tuple(Check(claim_label(claim), "verified", f"{_amount(s)} is tagged {t.concept} = {t.value:,} ({t.period})",
                            "xbrl") for s, t in carried[:2])
        checks.append(claim_checks + extra)
    return replace(audit, checks=tuple(checks))


def _amount(fact: Fact) -> str:
    if fact.context_start < 0:
        return f"{fact.value:,}"
    return fact.text[fact.start - fact.context_start:fact.end - fact.context_start]


def with_table_checks(audit: AuditReport, facts: list[Fact], segments: tuple[str, ...], filing: Filing) -> AuditReport:
    """Replace "percent stated without the amounts" with a check against the tables where they give both figures."""
    checks = []
    for claim, claim_checks in zip(audit.claims, audit.checks):
        extra = table_check(claim, facts, segments, filing)
        if extra is None:
            checks.append(claim_checks)
        else:
            kept = tuple(c for c in claim_checks if not (c.kind == "percent" and c.status == "unverifiable"))
            checks.append(kept + (extra,))
    return replace(audit, checks=tuple(checks))
