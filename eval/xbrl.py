"""A zero-label gold set from each filing's own inline XBRL: generate questions, ask them, score them.

Generation (`generate_questions(filing) -> [XbrlQuestion]`, pure): common consolidated concepts (no dimensions,
`CONCEPTS`) × the document's current period and its prior-year comparative (durations of 3/6/9/12 months ending
on or a year before dei:DocumentPeriodEndDate; instants at that date, a year before it, or the prior fiscal year
end). A (concept, period) is kept only when every fact of it agrees on the value and at least one is printed
(has a span in `Filing.text`); alternative concepts for one item (Revenues / RevenueFromContract...) that
disagree drop the item. Each is asked with explicit dates ("for the three months ended June 28, 2025") or in
fiscal shorthand ("in Q3 fiscal 2025", when the fiscal calendar is known). Sampling is seeded and spread over
concepts round-robin; phrasings alternate.

Scoring (`score_answer`, pure): right when `answer.value` matches the expected value (signed, within 0.5%
relative via `eval.metrics.numeric_match`; per-share amounts within 0.005 absolute); abstained when
`answer.no_answer`; else wrong. A filing with no financial-statement facts (statements incorporated by
reference: only dei) yields no questions and is reported as such.
"""
from __future__ import annotations

import random
import re
import statistics
import tempfile
import time
import traceback
import zlib
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Sequence

from corpus.fiscal import calendar_for, fiscal_period, parse_month_day, year_end
from corpus.model import Filing, XbrlFact
from corpus.xbrl import dei_values
from eval.metrics import numeric_match, percentile

DEFAULT_PER_FILING = 12
DEFAULT_SEED = 0
PER_SHARE_TOLERANCE = Decimal("0.005")  # absolute, USD per share
OUTCOMES = ("right", "wrong", "abstained")
_DAY_TOLERANCE = 7


@dataclass(frozen=True)
class Item:
    """One thing to ask about: the concepts that report it (preferred first) and how people name it."""

    key: str
    concepts: tuple[str, ...]
    labels: tuple[str, ...]  # the first whose words appear in the fact's row label, else labels[0]
    plural: tuple[bool, ...] = ()  # per label: "net sales were", "revenue was"


def _item(key: str, concepts: str, *labels: str) -> Item:
    return Item(key, tuple(concepts.split()), labels, tuple(label.endswith(("sales", "revenues", "inventories")) for label in labels))


CONCEPTS: tuple[Item, ...] = (
    _item("revenue", "RevenueFromContractWithCustomerExcludingAssessedTax Revenues", "revenue", "net sales",
          "total revenues", "net revenues", "net operating revenues"),
    _item("cost_of_revenue", "CostOfGoodsAndServicesSold CostOfRevenue", "cost of revenue", "cost of sales",
          "cost of products sold", "cost of goods sold"),
    _item("gross_profit", "GrossProfit", "gross profit", "gross margin"),
    # J&J tags its R&D line ...ExcludingAcquiredInProcessCost and the acquired in-process R&D charge
    # ResearchAndDevelopmentExpense: two figures for one item, which is then not asked.
    _item("rd", "ResearchAndDevelopmentExpense ResearchAndDevelopmentExpenseExcludingAcquiredInProcessCost",
          "research and development expense"),
    _item("sga", "SellingGeneralAndAdministrativeExpense", "selling, general and administrative expense"),
    _item("operating_income", "OperatingIncomeLoss", "operating income"),
    _item("income_tax", "IncomeTaxExpenseBenefit", "income tax expense", "provision for income taxes"),
    _item("net_income", "NetIncomeLoss", "net income"),
    _item("net_income_with_nci", "ProfitLoss", "net income including noncontrolling interests"),
    _item("eps_basic", "EarningsPerShareBasic", "basic earnings per share", "basic net loss per share",
          "basic loss per share"),
    _item("eps_diluted", "EarningsPerShareDiluted", "diluted earnings per share", "diluted net loss per share",
          "diluted loss per share"),
    _item("cash", "CashAndCashEquivalentsAtCarryingValue", "cash and cash equivalents"),
    _item("receivables", "AccountsReceivableNetCurrent", "accounts receivable, net"),
    _item("inventory", "InventoryNet", "inventories"),
    _item("current_assets", "AssetsCurrent", "total current assets"),
    _item("assets", "Assets", "total assets"),
    _item("current_liabilities", "LiabilitiesCurrent", "total current liabilities"),
    _item("liabilities", "Liabilities", "total liabilities"),
    _item("equity", "StockholdersEquity", "total shareholders' equity", "total stockholders' equity",
          "total shareowners' equity"),
    _item("equity_with_nci", "StockholdersEquityIncludingPortionAttributableToNoncontrollingInterest",
          "total equity including noncontrolling interests"),
    _item("operating_cash_flow", "NetCashProvidedByUsedInOperatingActivities",
          "net cash provided by operating activities", "cash generated by operating activities"),
    _item("capex", "PaymentsToAcquirePropertyPlantAndEquipment",
          "payments for acquisition of property, plant and equipment", "capital expenditures"),
    _item("investing_cash_flow", "NetCashProvidedByUsedInInvestingActivities",
          "net cash used in investing activities", "net cash provided by (used in) investing activities"),
    _item("financing_cash_flow", "NetCashProvidedByUsedInFinancingActivities",
          "net cash used in financing activities", "net cash provided by (used in) financing activities"),
    _item("depreciation_amortization", "DepreciationDepletionAndAmortization DepreciationAndAmortization",
          "depreciation and amortization"),
    _item("dividends_paid", "PaymentsOfDividends PaymentsOfDividendsCommonStock", "dividends paid",
          "cash dividends paid"),
    _item("buybacks", "PaymentsForRepurchaseOfCommonStock", "repurchases of common stock",
          "payments for repurchases of common stock"),
    _item("acquisitions", "PaymentsToAcquireBusinessesNetOfCashAcquired", "acquisitions, net of cash acquired"),
    _item("long_term_debt", "LongTermDebtNoncurrent", "long-term debt", "term debt"),
)

_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December")
_MONTH_WORDS = {3: "three", 6: "six", 9: "nine", 12: "twelve"}
_ORDINAL_MONTHS = {6: "first six months", 9: "first nine months"}
_LEGAL = re.compile(r"[,\s]+(?:inc|incorporated|corp|corporation|company|co|plc|ltd|limited|llc|n\.v|s\.a|"
                    r"holdings?)\.?$", re.I)


@dataclass(frozen=True)
class XbrlQuestion:
    """One generated question with the value the filing's XBRL gives for it (full scale, signed)."""

    id: str
    doc: str
    question: str
    item: str
    concept: str
    period_start: str | None
    period_end: str
    instant: bool
    period_kind: str  # "quarter", "ytd", "annual", "instant"
    phrasing: str  # "dates", "fiscal"
    expected: Decimal
    unit: str  # the answer's convention: "USD", "USD/share", "shares", ...

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["expected"] = str(self.expected)
        return d


# ------------------------------------------------------------------------------------------ generation

def company_name(filing: Filing) -> str:
    """The name as people write it: "Apple Inc." -> "Apple", "WELLS FARGO & COMPANY/MN" -> "Wells Fargo"."""
    from corpus.metadata import normalize_company

    raw = dei_values(filing.xbrl).get("EntityRegistrantName") or filing.company or filing.doc_id.split("-")[0]
    name = normalize_company(re.sub(r"/[A-Z]{2,3}/?$", "", raw.strip()))
    name = re.sub(r"^the\s+", "", name, flags=re.I)
    while True:
        shorter = _LEGAL.sub("", name).strip(" ,&")
        if shorter == name or not shorter:
            return name
        name = shorter


def unit_of(fact_unit: str | None) -> str:
    """XBRL unit -> the Answer convention: "USD/shares" -> "USD/share"."""
    if not fact_unit:
        return ""
    if fact_unit.endswith("/shares"):
        return fact_unit[: -len("/shares")] + "/share"
    return fact_unit


def _d(text: str) -> date:
    return date.fromisoformat(text[:10])


def _near(a: date, b: date) -> bool:
    return abs((a - b).days) <= _DAY_TOLERANCE


def _months(start: str, end: str) -> int | None:
    days = (_d(end) - _d(start)).days + 1
    months = round(days / 30.44)
    return months if months in (3, 6, 9, 12) and abs(days - months * 30.44) <= 12 else None


def _year_before(d: date) -> date:
    try:
        return d.replace(year=d.year - 1)
    except ValueError:  # Feb 29
        return d.replace(year=d.year - 1, day=28)


def _fiscal_calendar(filing: Filing, dei: dict[str, str]):
    month_day = parse_month_day(dei.get("CurrentFiscalYearEndDate") or filing.extra.get("fiscal_year_end"))
    if month_day is None:
        return None
    try:
        fy = int(dei["DocumentFiscalYearFocus"]) if dei.get("DocumentFiscalYearFocus") else filing.fiscal_year
    except ValueError:
        fy = filing.fiscal_year
    return calendar_for(month_day, filing.period_end, fy)


def date_text(iso: str) -> str:
    d = _d(iso)
    return f"{_MONTH_NAMES[d.month - 1]} {d.day}, {d.year}"


def period_kind(start: str | None, end: str, instant: bool) -> str | None:
    if instant:
        return "instant"
    months = _months(start, end) if start else None
    if months is None:
        return None
    if months == 3:
        return "quarter"
    if months == 12:
        return "annual"
    return "ytd"


def period_phrase(start: str | None, end: str, kind: str, phrasing: str, cal) -> str | None:
    """"for the three months ended June 28, 2025" / "in Q3 fiscal 2025" / "as of September 28, 2024" /
    "at the end of fiscal 2024"; None when the fiscal shorthand cannot be named."""
    months = 0 if kind == "instant" else _months(start, end)
    if phrasing == "dates":
        if kind == "instant":
            return f"as of {date_text(end)}"
        if months == 12:
            return f"for the fiscal year ended {date_text(end)}"
        return f"for the {_MONTH_WORDS[months]} months ended {date_text(end)}"
    if cal is None:
        return None
    label = fiscal_period(end, 3 if kind == "instant" else months, cal)
    if label is None:
        return None
    year, quarter = label
    if kind == "instant":
        return f"at the end of fiscal {year}" if quarter in (None, 4) else f"at the end of Q{quarter} fiscal {year}"
    if months == 12:
        return f"in fiscal {year}"
    if months == 3:
        return f"in Q{quarter} fiscal {year}"
    if months // 3 != quarter:
        return None
    return f"in the {_ORDINAL_MONTHS[months]} of fiscal {year}"


def _label(item: Item, facts: Sequence[XbrlFact]) -> tuple[str, bool]:
    rows = " ".join((f.row_label or "").lower() for f in facts)
    for label, plural in zip(item.labels, item.plural):
        if label.lower() in rows:
            return label, plural
    return item.labels[0], item.plural[0]


_TEMPLATES = {
    "flow": ("What {be} {pos} {label} {period}?", "How much {label} did {co} report {period}?"),
    "per_share": ("What {be} {pos} {label} {period}?", "How much was {pos} {label} {period}?"),
    "instant": ("What {be} {pos} {label} {period}?", "How much {label} did {co} have {period}?"),
}


def wanted_periods(filing: Filing, facts: Sequence[XbrlFact], cal) -> set[tuple[str | None, str, bool]]:
    """(start, end, instant) of the document's current period and its prior-year comparative, as dated in facts."""
    dei = dei_values(facts)
    end_text = dei.get("DocumentPeriodEndDate") or filing.period_end
    if not end_text:
        return set()
    try:
        current = _d(end_text)
    except ValueError:
        return set()
    duration_ends = [current, _year_before(current)]
    instant_ends = list(duration_ends)
    if cal is not None:
        label = fiscal_period(current, 3, cal)
        if label is not None:
            instant_ends.append(year_end(label[0] - 1, cal))
    out = set()
    for f in facts:
        if f.dimensions or f.value is None or not f.period_end:
            continue
        end = _d(f.period_end)
        if f.instant and any(_near(end, e) for e in instant_ends):
            out.add((None, f.period_end, True))
        elif not f.instant and f.period_start and any(_near(end, e) for e in duration_ends) and \
                _months(f.period_start, f.period_end):
            out.add((f.period_start, f.period_end, False))
    return out


def statement_facts(filing: Filing) -> list[XbrlFact]:
    """Numeric facts without dimensions outside dei: what the financial statements tag."""
    return [f for f in filing.xbrl if f.value is not None and not f.dimensions and not f.concept.startswith("dei:")]


# A segment's total, asked by the segment's name: facts with the segment axis as their only dimension.
SEGMENT_AXIS = "StatementBusinessSegmentsAxis"
SEGMENT_ITEMS = (("segment_revenue", ("RevenueFromContractWithCustomerExcludingAssessedTax", "Revenues"), "revenue"),
                 ("segment_operating_income", ("OperatingIncomeLoss",), "operating income"))
_NOT_A_SEGMENT = re.compile(r"corporate|eliminat|reconcil|intersegment|unallocated|other|total|consolidat|^reportable$|"
                            r"^operating$|^segments?$", re.I)


def member_name(member: str) -> str:
    """"aapl:GreaterChinaSegmentMember" -> "Greater China" (the words of its local name)."""
    local = member.partition(":")[2] or member
    local = re.sub(r"(?:Segments?)?Member$", "", local)
    return " ".join(re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+", local))


def segment_candidates(filing: Filing, periods) -> list[dict[str, Any]]:
    """Each segment's revenue and operating income for the document's periods, where the segment's name (from its
    member) is printed in the filing and every fact of it agrees."""
    text = " ".join(filing.text.lower().split())
    by_key: dict[tuple[str, str, str | None, str], list[XbrlFact]] = defaultdict(list)
    for f in filing.xbrl:
        if f.value is None or f.instant or len(f.dimensions) != 1:
            continue
        axis, member = f.dimensions[0]
        if not axis.endswith(SEGMENT_AXIS):
            continue
        by_key[(f.concept.partition(":")[2], member, f.period_start, f.period_end)].append(f)
    out = []
    for key, concepts, label in SEGMENT_ITEMS:
        for (concept, member, start, end), fs in sorted(by_key.items()):
            if concept not in concepts or (start, end, False) not in periods:
                continue
            name = member_name(member)
            if not name or _NOT_A_SEGMENT.search(name) or f" {name.lower()} " not in f" {text} ":
                continue
            values, units = {f.value for f in fs}, {f.unit for f in fs}
            kind = period_kind(start, end, False)
            if len(values) != 1 or len(units) != 1 or kind is None or not any(f.start is not None for f in fs):
                continue
            out.append({"item": key, "concept": concept, "start": start, "end": end, "instant": False, "kind": kind,
                        "expected": values.pop(), "unit": unit_of(units.pop()), "label": f"{name} segment {label}",
                        "plural": False})
    # Revenue under both concepts for one segment and period must agree, else the item is ambiguous.
    seen: dict[tuple, set] = defaultdict(set)
    for c in out:
        seen[(c["item"], c["label"], c["start"], c["end"])].add(c["expected"])
    unique, kept = [], set()
    for c in out:
        k = (c["item"], c["label"], c["start"], c["end"])
        if len(seen[k]) == 1 and k not in kept:
            kept.add(k)
            unique.append(c)
    return unique


def candidates(filing: Filing) -> list[dict[str, Any]]:
    """Every askable (item, period) with its unique value: dicts of item, concept, start, end, instant, kind,
    expected, unit, label, plural."""
    facts = statement_facts(filing)
    cal = _fiscal_calendar(filing, dei_values(filing.xbrl))
    periods = wanted_periods(filing, filing.xbrl, cal)
    by_key: dict[tuple[str, str | None, str, bool], list[XbrlFact]] = defaultdict(list)
    for f in facts:
        by_key[(f.concept.partition(":")[2] or f.concept, f.period_start if not f.instant else None, f.period_end,
                f.instant)].append(f)
    out = []
    for item in CONCEPTS:
        for start, end, instant in sorted(periods, key=lambda p: (p[1], p[0] or "")):
            found = [(c, by_key[(c, start, end, instant)]) for c in item.concepts if by_key.get((c, start, end, instant))]
            if not found:
                continue
            values = {f.value for _, fs in found for f in fs}
            units = {f.unit for _, fs in found for f in fs}
            if len(values) != 1 or len(units) != 1:
                continue  # not unique: the item is ambiguous for this period
            if not any(f.start is not None for _, fs in found for f in fs):
                continue  # never printed: nothing to find in the text
            kind = period_kind(start, end, instant)
            if kind is None:
                continue
            concept, fs = found[0]
            label, plural = _label(item, [f for _, g in found for f in g])
            out.append({"item": item.key, "concept": concept, "start": start, "end": end, "instant": instant,
                        "kind": kind, "expected": values.pop(), "unit": unit_of(units.pop()), "label": label,
                        "plural": plural})
    return out + segment_candidates(filing, periods)


def _question_text(c: dict[str, Any], company: str, period: str, template: int) -> str:
    family = "instant" if c["instant"] else ("per_share" if c["unit"].endswith("/share") else "flow")
    text = _TEMPLATES[family][template % len(_TEMPLATES[family])]
    be = "were" if c["plural"] else "was"
    return text.format(be=be, co=company, pos=possessive(company), label=c["label"], period=period)


def possessive(name: str) -> str:
    """"Apple" -> "Apple's", "Meta Platforms" -> "Meta Platforms'"."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def generate_questions(filing: Filing, per_filing: int | None = DEFAULT_PER_FILING,
                       seed: int = DEFAULT_SEED) -> list[XbrlQuestion]:
    """Questions for one filing. `per_filing=None`: every candidate in every phrasing that can be named; else
    that many, sampled (seeded by `seed` and the doc_id) round-robin over items, phrasings alternating."""
    if per_filing is not None and per_filing < 0:
        raise ValueError(f"per_filing must be >= 0 or None, got {per_filing}")
    cands = candidates(filing)
    if not cands:
        return []
    company = company_name(filing)
    cal = _fiscal_calendar(filing, dei_values(filing.xbrl))
    rng = random.Random(seed * 1_000_003 + zlib.crc32(filing.doc_id.encode()))
    by_item: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for c in cands:
        by_item[c["item"]].append(c)
    order = list(by_item)
    rng.shuffle(order)
    for key in order:
        rng.shuffle(by_item[key])
    picked: list[tuple[dict[str, Any], tuple[str, ...]]] = []
    round_robin = [c for i in range(max(map(len, by_item.values()))) for key in order
                   if i < len(by_item[key]) for c in [by_item[key][i]]]
    for n, c in enumerate(round_robin):
        if per_filing is None:
            picked.append((c, ("dates", "fiscal")))
        else:
            first = ("dates", "fiscal")[n % 2]
            picked.append((c, (first, "dates" if first == "fiscal" else "fiscal")))
    out: list[XbrlQuestion] = []
    for c, phrasings in picked:
        if per_filing is not None and len(out) >= per_filing:
            break
        for phrasing in phrasings:
            period = period_phrase(c["start"], c["end"], c["kind"], phrasing, cal)
            if period is None:
                continue
            out.append(XbrlQuestion(
                id=f"{filing.doc_id}:{c['item']}:{c['kind']}:{c['end']}:{phrasing}", doc=filing.doc_id,
                question=_question_text(c, company, period, rng.randrange(2)), item=c["item"],
                concept=c["concept"], period_start=c["start"], period_end=c["end"], instant=c["instant"],
                period_kind=c["kind"], phrasing=phrasing, expected=c["expected"], unit=c["unit"]))
            if per_filing is not None:
                break  # one phrasing per sampled (item, period): the other only when the first cannot be named
    return out


def no_question_reason(filing: Filing) -> str:
    if not filing.xbrl:
        return "no inline XBRL"
    known = {c for item in CONCEPTS for c in item.concepts}
    if not any(f.concept.partition(":")[2] in known for f in statement_facts(filing)):
        return "no financial-statement XBRL facts (statements incorporated by reference)"
    return "no common consolidated concept with a unique value for the document's periods"


# --------------------------------------------------------------------------------------------- scoring

def is_right(expected: Decimal, unit: str, value, pred_unit: str | None) -> bool:
    if value is None:
        return False
    if unit.endswith("/share"):
        if pred_unit == "%":
            return False
        return abs(Decimal(str(value)) - expected) <= PER_SHARE_TOLERANCE
    return numeric_match(value, pred_unit, expected, unit)


def score_answer(q: XbrlQuestion, answer, seconds: float | None = None, error: str | None = None) -> dict[str, Any]:
    """One question's record: outcome "right" / "wrong" / "abstained", what came, and the question."""
    if answer is None:
        outcome = "wrong"
    elif answer.no_answer:
        outcome = "abstained"
    else:
        outcome = "right" if is_right(q.expected, q.unit, answer.value, answer.unit) else "wrong"
    record = {**q.to_dict(), "outcome": outcome, "seconds": round(seconds, 3) if seconds is not None else None,
              "got": None if answer is None else {
                  "value": str(answer.value) if answer.value is not None else None, "unit": answer.unit,
                  "text": " ".join(answer.text.split())[:120], "kind": answer.kind, "no_answer": answer.no_answer}}
    if error is not None:
        record["error"] = error
    return record


def summarize(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    n = len(records)
    counts = {o: sum(1 for r in records if r["outcome"] == o) for o in OUTCOMES}
    return {"n": n, **counts, **{f"{o}_pct": round(100 * counts[o] / n, 1) if n else 0.0 for o in OUTCOMES}}


def _grouped(records: Sequence[dict[str, Any]], key: str) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in records:
        groups[str(r[key])].append(r)
    return {k: summarize(v) for k, v in sorted(groups.items())}


def build_report(records: Sequence[dict[str, Any]], filings: Sequence[dict[str, Any]],
                 latencies: Sequence[float], run_s: float, *, reader: bool) -> dict[str, Any]:
    return {
        "n": len(records),
        "overall": summarize(records),
        "by_concept": _grouped(records, "item"),
        "by_period_kind": _grouped(records, "period_kind"),
        "by_phrasing": _grouped(records, "phrasing"),
        "by_filing": _grouped(records, "doc"),
        "filings": list(filings),
        "latency": {"ask_p50_s": round(percentile(latencies, 50), 3), "ask_p95_s": round(percentile(latencies, 95), 3),
                    "ask_mean_s": round(statistics.fmean(latencies), 3) if latencies else 0.0, "run_s": round(run_s, 1)},
        "pipeline": {"reader": reader},
        "errors": sum(1 for r in records if "error" in r),
        "failures": [r for r in records if r["outcome"] != "right"],
        "records": list(records),
    }


# -------------------------------------------------------------------------------------------------- run

def run_xbrl(paths: Sequence[str | Path], *, embedder=None, reader=None, per_filing: int | None = DEFAULT_PER_FILING,
             seed: int = DEFAULT_SEED, progress: bool = True) -> dict[str, Any]:
    """Generate each filing's questions, ask them over a single-filing index (built in a temporary folder with
    the shared `embedder`), score them. One question's exception is recorded as wrong; the run goes on."""
    from tqdm import tqdm

    from corpus import load_filing
    from index.embedder import Embedder
    from index.retriever import Retriever
    from qa.pipeline import Pipeline

    embedder = embedder if embedder is not None else Embedder()
    embedder.warm_up()
    if reader is not None:
        reader.warm_up()
    records: list[dict[str, Any]] = []
    filings: list[dict[str, Any]] = []
    latencies: list[float] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="filingqa-xbrl-eval-") as tmp:
        for path in paths:
            t0 = time.perf_counter()
            filing = load_filing(path)
            questions = generate_questions(filing, per_filing, seed)
            entry: dict[str, Any] = {"doc": filing.doc_id, "path": str(path), "form": filing.form,
                                     "company": company_name(filing), "questions": len(questions),
                                     "xbrl_facts": len(filing.xbrl)}
            if not questions:
                entry["reason"] = no_question_reason(filing)
                filings.append(entry)
                continue
            retriever = Retriever.build([path], out=Path(tmp) / filing.doc_id, embedder=embedder)
            pipeline = Pipeline(retriever, reader)
            pipeline.warm_up()
            entry["index_s"] = round(time.perf_counter() - t0, 1)
            for q in tqdm(questions, desc=filing.doc_id, unit="q", disable=not progress):
                answer, seconds, error = None, None, None
                try:
                    t = time.perf_counter()
                    answer = pipeline.ask(q.question)
                    seconds = time.perf_counter() - t
                    latencies.append(seconds)
                except Exception as exc:  # one question never stops the run
                    error = f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}"
                records.append(score_answer(q, answer, seconds, error))
            entry["run_s"] = round(time.perf_counter() - t0, 1)
            filings.append(entry)
    return build_report(records, filings, latencies, time.perf_counter() - started, reader=reader is not None)


# --------------------------------------------------------------------------------------------- markdown

def _fmt_value(value: str | None, unit: str | None) -> str:
    if value is None:
        return ""
    v = Decimal(value)
    shown = f"{v:,.2f}" if unit and unit.endswith("/share") else f"{v:,}"
    return f"{shown} {unit or ''}".strip()


def format_xbrl_markdown(report: dict[str, Any]) -> str:
    cell = lambda s: str(s).replace("|", "\\|").replace("\n", " ")  # noqa: E731
    lines = ["| slice | n | right | wrong | abstained | right % | abstained % |", "|---|---|---|---|---|---|---|"]

    def row(name: str, m: dict[str, Any]) -> None:
        lines.append(f"| {name} | {m['n']} | {m['right']} | {m['wrong']} | {m['abstained']} | {m['right_pct']} "
                     f"| {m['abstained_pct']} |")

    row("**all**", report["overall"])
    for group, title in (("by_period_kind", "period"), ("by_phrasing", "phrasing"), ("by_filing", "filing"),
                         ("by_concept", "concept")):
        for name, m in report[group].items():
            row(f"{title}: {name}", m)
    lat = report["latency"]
    lines += ["", f"Latency of `ask`: p50 {lat['ask_p50_s']} s, p95 {lat['ask_p95_s']} s; whole run {lat['run_s']} s "
              f"(index builds included). Reader loaded: {report['pipeline']['reader']}. Errors: {report['errors']}.", ""]
    lines += ["| filing | form | questions | note |", "|---|---|---|---|"]
    for f in report["filings"]:
        note = f.get("reason") or f"index + asks {f.get('run_s', '')} s"
        lines.append(f"| {f['doc']} | {f['form']} | {f['questions']} | {cell(note)} |")
    if report["failures"]:
        lines += ["", "| outcome | question | expected | got | answer text |", "|---|---|---|---|---|"]
        for r in report["failures"]:
            got = r["got"]
            shown = (r.get("error") or "").splitlines()[0][:80] if got is None else _fmt_value(got["value"], got["unit"])
            text = "" if got is None else got["text"]
            lines.append(f"| {r['outcome']} | {cell(r['question'])} | {_fmt_value(r['expected'], r['unit'])} "
                         f"| {cell(shown)} | {cell(text)} |")
    return "\n".join(lines) + "\n"
