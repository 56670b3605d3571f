"""Statement line items by canonical name, and the figure a filing reports for one in one fiscal year.

A filing with inline XBRL names its lines by concept (us-gaap:LiabilitiesCurrent), so a line is found by the
concepts that carry it: consolidated (no dimension), twelve months ending with the fiscal year for a flow, the
year's closing date for a balance. A filing without tags is read from its table rows, by the canonical name
of their labels. Either way the line is one figure or none: two different figures for one line is no answer.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date

from corpus.fiscal import calendar_for, fiscal_period, parse_month_day
from corpus.model import Filing
from corpus.period_intent import TargetPeriod
from corpus.words import singular_stems
from qa.figures.facts import FilingFacts
from qa.figures.tables import Fact
from qa.vocabulary import CONCEPT_NAMES, LINE_ALIASES, Term


def _plain(phrase: str) -> str:
    return " ".join(re.sub(r"[^\w&/' -]", " ", phrase.lower().replace("’", "'")).split())


_ALIAS_ORDER = sorted(((_plain(alias), name) for name, aliases in LINE_ALIASES.items() for alias in aliases),
                      key=lambda pair: -len(pair[0]))


_ALIAS_PATTERNS = [(alias, re.compile(rf"(?:total |net )?{re.escape(alias)}(?: balances?| amounts?| net| expenses?)?"), name)
                   for alias, name in _ALIAS_ORDER]


@functools.lru_cache(maxsize=65536)  # pure; asked of every row label of every filing for each computed metric
def find_line(phrase: str) -> str | None:
    """The line item a phrase names ("cash and equivalents" -> "cash and cash equivalents"), longest alias first;
    the phrase must be the alias, give or take "the", "total" and "net"."""
    text = re.sub(r"^(?:the|its|a|an)\s+", "", _plain(phrase))
    for alias, pattern, name in _ALIAS_PATTERNS:
        if text == alias or (alias in text and pattern.fullmatch(text)):
            return name
    return None


@dataclass(frozen=True)
class LineValue:
    """The figure for a line in a fiscal year (`fact`), or why there is none (`missing`)."""

    item: Term
    fiscal_year: int
    fact: Fact | None = None
    missing: str = ""


def fiscal_year_of(filing: Filing, end: str, months: int) -> int | None:
    """The fiscal year a period ending on `end` belongs to, by the filer's calendar (Apple's ends in September)."""
    month_day = parse_month_day(filing.fiscal_year_end)
    if month_day is None:
        return int(end[:4])
    cal = calendar_for(month_day, filing.period_end, filing.fiscal_year)
    found = fiscal_period(date.fromisoformat(end), months or 3, cal)
    return found[0] if found else None


def _in_year(filing: Filing, fact: Fact, balance: bool, fiscal_year: int) -> bool:
    if balance:
        if fact.period_months != 0 or not fact.period_end:
            return False
        found = fiscal_year_of(filing, fact.period_end, 3)
        # A balance closes the fiscal year on its last day: the date a twelve-month period of that year ends on.
        return found == fiscal_year and _is_year_end(filing, fact.period_end)
    if fact.period_months != 12:
        return False
    if fact.period_end:
        return fiscal_year_of(filing, fact.period_end, 12) == fiscal_year
    m = re.search(r"(?:19|20)\d\d", fact.period or "")
    return bool(m) and int(m.group(0)) == fiscal_year


def _is_year_end(filing: Filing, end: str) -> bool:
    month_day = parse_month_day(filing.fiscal_year_end)
    if month_day is None:
        return True
    cal = calendar_for(month_day, filing.period_end, filing.fiscal_year)
    found = fiscal_period(date.fromisoformat(end), 12, cal)
    return bool(found) and found[1] is None


_NOTE_MARK = re.compile(r"\s*\((?:\d{1,2}|[a-z])\)|\s*\(note \d+\)", re.I)
_STATEMENT = re.compile(r"\b(?:balance sheets?|statements? of (?:consolidated )?(?:operations|income|earnings|cash flows?|"
                        r"financial (?:position|condition)|comprehensive (?:income|loss)))\b", re.I)


def line_name(label: str, facts: FilingFacts) -> str | None:
    """The standard line a row label names: the synonym table's, else the label mapper's (`facts.line_names`)."""
    # ("Long-term debt, classified as current (includes $128 million ... related to VIEs)": an aside is no name)
    # ("Accounts receivable, net of allowance for doubtful accounts": what it is net of is no part of its name)
    return find_line(_NOTE_MARK.sub("", label)) or find_line(re.sub(r"\s*\([^()]*\)", "", label)) \
        or find_line(re.sub(r",?\s+net\s+of\b.*$", "", label, flags=re.I)) or facts.line_names.get(label)


_CASH_FLOWS = re.compile(r"\bcash\s+flows?\b", re.I)


def _in_statement(filing: Filing, fact: Fact, statement: re.Pattern[str] = _STATEMENT) -> bool:
    """The figure sits in a primary statement (a section or table caption names it), or in the one `statement`
    names."""
    section = filing.section_at(fact.start)
    table = next((t for t in filing.tables if t.start <= fact.start < t.end), None)
    # (a PDF statement's title may sit in the table's own first lines, under a page footer read as its caption)
    top = filing.text[table.start:min(table.start + 300, fact.start)] if table else ""
    titles = " ".join(line for line in top.splitlines() if _TITLE_LINE.fullmatch(line.strip()))
    return bool(statement.search(" ".join([section.path_text if section else "", table.caption if table else "", titles])))


# A line that is a statement's title and nothing else ("Consolidated Statements of Income"), not a sentence about one
_TITLE_LINE = re.compile(r"(?:condensed\s+)?(?:consolidated\s+)?(?:balance\s+sheets?|statements?\s+of\s+[\w\s’'()]{3,60})",
                         re.I)


def _in_target(fact: Fact, balance: bool, target: TargetPeriod) -> bool:
    """The figure is for a quarter's or year-to-date's `target` period (a flow of its length, a balance at its end)."""
    if not fact.period_end:
        return False
    if balance:
        return fact.period_months == 0 and target.ends_on(fact.period_end)
    return fact.period_months == target.months and target.ends_on(fact.period_end)


def _when(within: TargetPeriod | None, fiscal_year: int, balance: bool) -> str:
    """The period a missing line was looked for, in words ("as of 2023-07-29", "at the end of fiscal 2023")."""
    if within is not None:
        return f"as of {within.end_date}" if within.months is None else \
            f"for the {within.months} months ending in {within.end_year}"
    return f"at the end of fiscal {fiscal_year}" if balance else f"for fiscal {fiscal_year}"


def _statement_kind(filing: Filing, fact: Fact) -> str | None:
    section = filing.section_at(fact.start)
    table = next((t for t in filing.tables if t.start <= fact.start < t.end), None)
    m = _STATEMENT.search(" ".join([section.path_text if section else "", table.caption if table else ""]))
    return m.group(0).lower() if m else None


def _first_registrant(filing: Filing, candidates: list[Fact]) -> list[Fact]:
    """Candidates from one statement, printed twice with different figures (a combined filing: PG&E Corporation's
    cash-flow statement, then its utility's), are the first registrant's: the filer's own statements come first."""
    if len({f.value for f in candidates}) < 2:
        return candidates
    kinds = {_statement_kind(filing, f) for f in candidates}
    if len(kinds) != 1 or None in kinds:
        return candidates
    tables = sorted({next((t.start for t in filing.tables if t.start <= f.start < t.end), -1) for f in candidates})
    if len(tables) < 2 or -1 in tables:
        return candidates
    first = next(t for t in filing.tables if t.start == tables[0])
    return [f for f in candidates if first.start <= f.start < first.end]


def row_value(phrase: str, fiscal_year: int, filing: Filing, facts: FilingFacts,
              within: TargetPeriod | None = None) -> LineValue:
    """A line the question's own definition names that no vocabulary term is ("amortization of intangibles",
    "long-term debt classified as current"): the primary-statement row whose label is those words (give or take
    "total", "net", a note and the group heading above it), consolidated, in the period asked."""
    noise = {"total", "net", "the", "of", "and", "a", "an", "as", "for", "in", "paid"}  # ("dividends paid": the row)
    asked = {w for w in singular_stems(phrase.lower()) if w not in noise}
    item = Term(phrase)

    def words(label: str) -> set[str]:
        return {w for w in singular_stems(re.sub(r"\([^()]*\)", " ", label.lower())) if w not in noise}

    def in_period(f: Fact) -> bool:
        balance = f.period_months == 0
        return _in_target(f, balance, within) if within is not None else _in_year(filing, f, balance, fiscal_year)

    candidates = []
    for f in facts.facts:
        if f.source != "table" or f.dimensions or f.segment or not asked or not in_period(f):
            continue
        own = words(f.metric.split(":")[-1])  # the row's own label, without its group heading ("Current assets:")
        if own and own <= asked and asked <= words(f.metric) | words(_group_heading(filing, f)):
            candidates.append(f)
    # one printed name, two tags (Verizon's "Debt maturing within one year": LongTermDebtCurrent on the balance sheet,
    # FinanceLeaseLiabilityCurrent in its lease note): the tag of a statement line the vocabulary knows
    known = [f for f in candidates if f.concept and f.concept.split(":")[-1] in CONCEPT_NAMES]
    if known and len({f.value for f in candidates}) > 1:
        candidates = known
    tagged = [f for f in candidates if f.concept]
    if tagged and len({abs(f.value) for f in candidates}) > 1:
        candidates = tagged  # the filer tagged the row: an untagged cell of its name is a summary's or a misread column
    candidates = [f for f in candidates if _in_statement(filing, f)] or candidates
    # (a percent-of-sales column beside a money line, "95,989 3.8%", is no figure of the line)
    candidates = [f for f in candidates if (f.unit == "%") == (item.unit == "%")]
    candidates = _first_registrant(filing, candidates)
    if within is not None and candidates and all(f.period_months == 0 for f in candidates):
        last = max(f.period_end for f in candidates)
        candidates = [f for f in candidates if f.period_end == last]
    when = _when(within, fiscal_year, balance=False)
    if not candidates:
        return LineValue(item, fiscal_year, missing=f"{phrase} {when} (no statement row of that name)")
    if len({abs(f.value) for f in candidates}) > 1:
        return LineValue(item, fiscal_year, missing=f"{phrase} {when} (the filing prints "
                                                    f"{len({abs(f.value) for f in candidates})} different figures for it)")
    return LineValue(item, fiscal_year, fact=candidates[0])


def _group_heading(filing: Filing, fact: Fact) -> str:
    """The nearest line ending in ":" above a row within its table ("Noncurrent Liabilities:"), or ""."""
    table = next((t for t in filing.tables if t.start <= fact.start < t.end), None)
    if table is None:
        return ""
    above = filing.text[table.start:fact.context_start if fact.context_start >= 0 else fact.start]
    headings = re.findall(r"(?m)^\s*([A-Z][^\n:]{2,60}):?\s*$", above)
    return headings[-1] if headings else ""


def line_value(item: Term, fiscal_year: int, filing: Filing, facts: FilingFacts,
               within: TargetPeriod | None = None) -> LineValue:
    """The one consolidated figure the filing reports for `item` in `fiscal_year`, or in the quarter or year to date
    `within` (resolved on this filing's calendar)."""
    def in_period(f: Fact) -> bool:
        return _in_target(f, item.balance, within) if within is not None else _in_year(filing, f, item.balance,
                                                                                       fiscal_year)

    tagged = facts.tags is not None
    candidates: list[Fact] = []
    if tagged:
        # The concept printed on a row named as the line first (J&J's "Research and development expense" is
        # ...ExcludingAcquiredInProcessCost; its ResearchAndDevelopmentExpense is the acquired in-process R&D
        # charge), then one printed in a primary statement, then the usual order.
        by_concept = [[f for f in facts.facts if f.concept and f.concept.split(":")[-1] == concept and not f.dimensions
                       and in_period(f)] for concept in item.line_concepts]
        found = [fs for fs in by_concept if fs]
        named = [fs for fs in found if any(line_name(f.metric, facts) == item.name for f in fs)]
        stated = [fs for fs in found if any(_in_statement(filing, f) for f in fs)]
        # D&A is the cash-flow statement's add-back, not a note's depreciation of one class of assets.
        own = [fs for fs in found if any(_in_statement(filing, f, _CASH_FLOWS) for f in fs)] if item.cash_flow else []
        candidates = (own or named or stated or found or [[]])[0]
    if not candidates:
        # Untagged rows: the label must be the line's own name ("Total current liabilities", not "Other current
        # liabilities"), and a primary statement's row is the one of record over a note's or a segment table's.
        # (a row tagged with a concept no line of the vocabulary claims is read by its label: Verizon's "Capital
        # expenditures (including capitalized software)" is tagged PaymentsToAcquireOtherProductiveAssets)
        candidates = [f for f in facts.facts if f.source == "table" and not f.segment and not f.dimensions
                      and (not f.concept or f.concept.split(":")[-1] not in CONCEPT_NAMES)
                      and line_name(f.metric, facts) == item.name and in_period(f)]
        in_statements = [f for f in candidates if _in_statement(filing, f)]
        in_own = [f for f in in_statements if _in_statement(filing, f, _CASH_FLOWS)] if item.cash_flow else []
        # a line of the income statement or balance sheet is not the cash-flow statement's row of that name ("Income
        # taxes (546.7)" there is the change in taxes payable, not the provision)
        elsewhere = [f for f in in_statements if not _in_statement(filing, f, _CASH_FLOWS)] if not item.cash_flow else []
        candidates = in_own or elsewhere or in_statements or candidates
        tables = {next((t.start for t in filing.tables if t.start <= f.start < t.end), None) for f in candidates}
        if item.current and in_statements and len(tables) == 1 and len({f.value for f in candidates}) > 1:
            first_row = min(f.context_start for f in candidates)
            candidates = [f for f in candidates if f.context_start == first_row]  # current assets come first
    # (a percent-of-sales column beside a money line, "95,989 3.8%", is no figure of the line)
    candidates = [f for f in candidates if (f.unit == "%") == (item.unit == "%")]
    candidates = _first_registrant(filing, candidates)
    if within is not None and item.balance and candidates:
        last = max(f.period_end for f in candidates)  # the period's closing balance, not an earlier one that year
        candidates = [f for f in candidates if f.period_end == last]
    if not candidates:
        return LineValue(item, fiscal_year, missing=f"{item.name} {_when(within, fiscal_year, bool(item.balance))}")
    values = {abs(f.value) for f in candidates}
    if len(values) > 1 and max(values) - min(values) <= max(values) / 1000:
        # "23,183" in a summary and "23,182.6" in the statement: one figure printed to two precisions, the finer
        candidates = sorted(candidates, key=lambda f: _trailing_zeros(f.value))
        values = {abs(candidates[0].value)}
    if len(values) > 1:
        return LineValue(item, fiscal_year, missing=f"{item.name} for fiscal {fiscal_year} (the filing prints "
                                                      f"{len(values)} different figures for it)")
    return LineValue(item, fiscal_year, fact=candidates[0])


def _trailing_zeros(value) -> int:
    digits = str(abs(int(value)))
    return len(digits) - len(digits.rstrip("0"))
