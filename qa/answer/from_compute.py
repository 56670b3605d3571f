"""The answer steps for figures we compute: arithmetic a question asks of the filing's tables, and standard (or
stated) metrics over its statement lines. Each gives the figure, its formula, every input cited to its printed
cell, and a check that recomputes it from those cells."""
from __future__ import annotations

import re
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from corpus.periods import DATE_RE, MONTH_NAMES, iso_date
from corpus.words import singular_stems
from qa.answer.citations import cite_fact
from qa.answer.from_facts import best_facts
from qa.compute.arithmetic import (
    Computation,
    as_amounts_paid,
    change_between_dates,
    compute,
    count_years,
    look_up,
    share_of,
)
from qa.compute.check import printed_value_matches, recheck, recheck_pick
from qa.compute.lines import find_line, line_name, line_value
from qa.compute.members import AXES, MemberPick, pick_member, pick_member_from_rows, pick_member_rate
from qa.compute.metrics import (
    ROW_PREFIX,
    MetricAsk,
    MetricResult,
    decimals_asked,
    evaluate_metric,
    evaluate_trend,
    rate_lines,
)
from qa.figures.facts import segment_key
from qa.figures.tables import Fact
from qa.model import Answer, Check, format_money, no_answer, trimmed_decimal
from qa.vocabulary import LINE_ITEMS, METRIC_UNITS

if TYPE_CHECKING:
    from qa.answer.evidence import Evidence


def _shown(value, unit: str) -> str:
    if unit == "ratio":
        return f"{value.quantize(Decimal('0.01')):,}"
    if unit == "%":
        return f"{value.quantize(Decimal('0.01')):,}%"
    return format_money(value, unit or "")


def _of_the_length(ev: "Evidence", target, fact: Fact) -> bool:
    """A figure of as many months as the question names, when it names them and the figure's column does ("13 weeks
    ended July 29": not the 26 weeks ended that day)."""
    asked = ev.ask.question.period.months
    return not (asked and target is not None and target.months and fact.period_months
                and fact.period_months != target.months)


def table_lookup(ev: "Evidence") -> Answer | None:
    """Several printed figures the question asks for at once, each cited ("... in 2018 and 2019, respectively")."""
    ask = ev.ask.lookup
    if ask is None:
        return None
    for filing in ev.filings_in_order(2):
        target = filing.target_period(ev.ask.question.period)
        if target is not None and target.months == -1:
            continue  # another quarter than the filing's: none of its columns is the one asked
        facts = [f for f in ev.facts(filing).facts if f.source == "table" and _of_the_length(ev, target, f)]
        if _balance_asked(ev) and DATE_RE.search(ev.question.text):
            facts = [f for f in facts if not f.period_months]  # at a date: no period's change in the line
        found = look_up(ask, facts, filing.text, filing.tables)
        if found is None or any(_part_of_the_name(f.metric, ev.ask.question.metric_text) for f in found.facts):
            continue
        if any(_only_a_date(f.metric) for f in found.facts):
            continue  # a row labelled "December 31, 2024" matched the question's date, not its subject
        segment = (ev.ask.question.segment or "").lower()
        if segment and not all(segment in f"{f.segment or ''} {f.metric}".lower() for f in found.facts):
            continue  # "Alumina segment Adjusted EBITDA": not the "Total segment Adjusted EBITDA" row
        if not found.items:
            continue
        if not found.facts or ask.op in ("row_years", "which_year", "items"):
            return Answer(question=ev.question.text, text=f"{found.description[0].upper()}{found.description[1:]}: "
                                                          f"{', '.join(found.items)}.", confidence=0.6, kind="fact",
                          items=found.items, citations=tuple(cite_fact(filing, f) for f in found.facts))
        shown = "; ".join(f"{item} ({f.period})" for item, f in zip(found.items, found.facts))
        one = found.facts[0] if len(found.facts) == 1 else None
        return Answer(question=ev.question.text, text=f"{found.description[0].upper()}{found.description[1:]}: {shown}.",
                      value=one.value if one else None, unit=found.facts[0].unit or None, confidence=0.7, kind="fact",
                      items=found.items, citations=tuple(cite_fact(filing, f) for f in found.facts))
    return None


def _only_a_date(label: str) -> bool:
    """A row label that is a date or a year and nothing else ("December 31, 2024", "Balance at 2023")."""
    rest = DATE_RE.sub(" ", label)
    rest = re.sub(r"\b(?:19|20)\d\d\b|\b(?:balance|balances|as\s+of|at|end\s+of\s+(?:the\s+)?(?:year|period))\b", " ", rest,
                  flags=re.I)
    return not re.search(r"[A-Za-z]{3,}", rest)


def _part_of_the_name(label: str, metric_text: str | None) -> bool:
    """A row named by some of the metric's own words is another line: "Noncontrolling interests" of "total equity
    including noncontrolling interests"."""
    words, named = set(singular_stems(label)), set(singular_stems(metric_text or ""))
    return bool(words) and words < named


def table_count(ev: "Evidence") -> Answer | None:
    """How many years a named row passes a threshold, the years counted cited."""
    if ev.ask.count is None:
        return None
    for filing in ev.filings_in_order(2):
        found = count_years(ev.ask.count, [f for f in ev.facts(filing).facts if f.source == "table"],
                            list(filing.tables))
        if found is None:
            continue
        years = ", ".join(f.period or "" for f in found.counted) or "none"
        return Answer(question=ev.question.text, text=f"{found.value}: the {found.description} ({years}).",
                      value=Decimal(found.value), unit="count", confidence=0.6, kind="computed",
                      citations=tuple(cite_fact(filing, f) for f in found.counted))
    return None


def table_arithmetic(ev: "Evidence") -> Answer | None:
    """A change, percentage change, average, sum, difference, ratio or share over the rows the question names."""
    ask = ev.ask.arithmetic
    if ask is None:
        return None
    dates = sorted(DATE_RE.finditer(ev.question.text), key=lambda m: m.start())
    dated = {iso_date(m.group(0)) for m in dates}
    # "at the end of Q2", or a balance-sheet line between two days: balances first, not the cash-flow statement's
    # changes in that line over a period
    point = ev.ask.question.period.point or (_balance_asked(ev) and bool(dated))
    for filing in ev.filings_in_order(4):
        target = filing.target_period(ev.ask.question.period)
        facts = [f for f in ev.facts(filing).facts if f.source == "table" and _of_the_length(ev, target, f)
                 and not _share_of_a_money_line(ev, f)]
        balances = [f for f in facts if not f.period_months]
        # "at July 29, 2023 than at July 30, 2022": the columns of those days, not another balance of the same year
        on_dates = [f for f in balances if f.period_end in dated] if len(dated) >= 2 else []
        if {f.period_end for f in on_dates} != dated:
            on_dates = []  # (balances on some of the days only: the days asked are periods' ends)
        if on_dates:  # the filing prints balances on the days asked: a period's change in the row is not one
            days = sorted(dated)
            same_year = len(days) == 2 and days[0][:4] == days[1][:4]
            comp = (change_between_dates(ask, on_dates, *days) if same_year else None) \
                or compute(ask, on_dates) or compute(ask, balances)
        else:
            comp = (compute(ask, balances) if point else None) or compute(ask, facts)
        if comp is None:
            continue
        if ev.ask.expects == "yes/no":
            comp = as_amounts_paid(comp) or comp  # "did payments for buybacks decline": by the amounts paid
        return _answer(ev.question.text, comp, filing)
    return None


def _share_of_a_money_line(ev: "Evidence", fact: Fact) -> bool:
    """A percent cell of a line the question asks in money ("Revenue 100%" of a percent-of-revenue table): no
    figure of that line, however its row is labelled."""
    metric = ev.ask.question.metric
    return bool(metric) and fact.unit == "%" and METRIC_UNITS.get(metric, "USD") != "%"


def _balance_asked(ev: "Evidence") -> bool:
    """The question's metric is a balance-sheet line (inventories, long-term debt): a figure at a date."""
    metric = ev.ask.question.metric
    return bool(metric in LINE_ITEMS and LINE_ITEMS[metric].balance)


def _answer(question: str, comp: Computation, filing) -> Answer:
    check = recheck(comp.formula, comp.value, comp.inputs, filing)
    text = f"The {comp.description} is {_shown(comp.value, comp.unit)}, computed: {comp.formula}."
    return Answer(question=question, text=text[0].upper() + text[1:], value=comp.value,
                  unit=comp.unit if comp.unit else None, confidence=0.8 if check.status == "verified" else 0.4,
                  citations=tuple(cite_fact(filing, f) for f in comp.inputs), checks=(check,), kind="computed",
                  formula=comp.formula)


_DEFAULT_DECIMALS = {"ratio": 2, "%": 2, "days": 1, "USD": 0}


_SEGMENT_WORDS = re.compile(r"\b(?:segment|division|divisional|reportable|operating\s+segment|business|unit|group)\b\s*", re.I)


def member_share(ev: "Evidence") -> Answer | None:
    """One member's rate or share, each figure the member's own and cited: "the operating margin of the Analog
    segment (operating profit divided by revenue)" is its operating income over its revenue; "What share of total
    revenue came from the Data Center market platform?" is the member's revenue over the consolidated revenue, both
    of the same period. A figure of a product line under the member, or of another member, answers nothing."""
    q = ev.question
    lines = rate_lines(q.text)
    if lines is not None:
        top, base = (_member_line(name, q.segment or "") for name in lines)
        if top is None or base is None:
            return None
        top_q, base_q = replace(q, metric=top, metric_text=top), replace(q, metric=base, metric_text=base)
    elif ev.ask.arithmetic is not None and ev.ask.arithmetic.op == "percent_of":
        top_q, base_q = q, replace(q, segment=None)
    else:
        return None
    for filing in ev.filings_in_order(2):
        facts = ev.facts(filing)
        part = next((sf.fact for sf in best_facts(top_q, filing, facts) if sf.fact.unit == "USD"), None)
        if part is None or not _names_the_member(q.segment, part.segment):
            continue
        whole = next((sf.fact for sf in best_facts(base_q, filing, facts)
                      if sf.fact.unit == "USD" and segment_key(sf.fact.segment) == segment_key(
                          part.segment if base_q.segment else None)
                      and sf.fact.period_end == part.period_end and sf.fact.period_months == part.period_months), None)
        if whole is None or whole is part or abs(part.value) > abs(whole.value) or whole.value <= 0:
            continue  # (a part larger than its whole is two different lines)
        member = (part.segment or "").split(" / ")[-1]
        what = f"{part.metric} as a percentage of {whole.metric}" if base_q.segment else f"share of {whole.metric}"
        comp = share_of(part, whole, f"{what} for {member} ({part.period})")
        if comp is None:
            continue
        answer = _answer(q.text, comp, filing)
        places = decimals_asked(q.text)
        if places is None:
            return answer
        rounded = comp.value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        return replace(answer, value=rounded, text=f"{answer.text} Rounded as asked: {rounded}%.")
    return None


def _member_line(name: str, member: str) -> str | None:
    """The vocabulary line a rate's term names for one member: "Analog operating profit", "division net revenue"
    and "segment revenue" are the member's operating income and revenue."""
    if name in LINE_ITEMS:
        return name
    phrase = name[len(ROW_PREFIX):] if name.startswith(ROW_PREFIX) else name
    if member:
        phrase = re.sub(re.escape(member), " ", phrase, flags=re.I)
    return find_line(" ".join(_SEGMENT_WORDS.sub(" ", phrase).split()))


def _names_the_member(asked: str | None, segment: str | None) -> bool:
    """The member asked is the figure's whole segment, not one part of a path under another ("Gaming / Data
    Center")."""
    if not asked or not segment:
        return False
    parts = [p.strip().lower() for p in segment.split(" / ")]
    return parts[-1] == asked.strip().lower() or any(p == asked.strip().lower() for p in parts) and len(parts) == 1


def computed_metric(ev: "Evidence") -> Answer | None:
    """A standard (or stated) metric computed from the statement lines of the filing retrieval found first."""
    ask = ev.ask.metric
    if ask is None:
        return None
    first_missing: MetricResult | None = None
    for filing in ev.filings_in_order(3):
        if _printed_in_dollars(ask, ev.facts(filing)):
            return None  # Apple's "Gross margin" is a dollar line: the filing's own meaning of the words wins
        if ask.within is not None and not ask.stated and _printed_for_period(ask, filing, ev.facts(filing)):
            return None  # the filer prints its own "EBITDA" for the quarter: its figure, by its definition, answers
        result = evaluate_metric(ask, filing, ev.facts(filing))
        if result.value is not None:
            return _metric_answer(ev.question.text, result, filing, ev.facts(filing))
        first_missing = first_missing or result
    if first_missing is None:
        return None
    what = ask.definition.name
    years = (_as_of(ask.as_of) if ask.as_of else f"the {ask.within.months} months asked" if ask.within is not None
             else ", ".join(f"fiscal {y}" for y in ask.years))
    return no_answer(ev.question.text, f"{what[0].upper()}{what[1:]} for {years} needs figures the filing does not give: "
                                       f"{'; '.join(first_missing.missing[:4])} (formula: {_readable(ask.definition.expression)}).")


def metric_trend(ev: "Evidence") -> Answer | None:
    """Yes or no on a metric's direction, with the metric for each year it rests on, every input cited."""
    ask = ev.ask.trend
    if ask is None:
        return None
    for filing in ev.filings_in_order(2):
        results, verdict = evaluate_trend(ask, filing, ev.facts(filing))
        if verdict is None:
            continue
        name = ask.metric.definition.name
        unit = ask.metric.definition.unit
        shown = "; ".join(f"fiscal {y}: {_round(r.value, unit, ask.metric.decimals)}" for y, r in results)
        up = ask.direction == "up"
        moved = f"{'rose' if up else 'fell'} each year" if verdict else f"did not {'rise' if up else 'fall'} each year"
        text = (f"{'Yes' if verdict else 'No'}: {filing.company or filing.doc_id}'s {name} {moved} "
                f"({shown}; {_readable(ask.metric.definition.expression)}).")
        inputs = tuple(dict.fromkeys(f for _, r in results for f in r.inputs))
        checks = tuple(recheck(f"{r.formula} = {r.value:f}", r.value, tuple(dict.fromkeys(r.inputs)), filing) for _, r in results)
        return Answer(question=ev.question.text, text=text, confidence=0.75, kind="computed",
                      citations=tuple(cite_fact(filing, f) for f in inputs), checks=checks,
                      items=tuple(_round(r.value, unit, ask.metric.decimals) for _, r in results))
    return None


# The cash flow statement's three totals, by the word an answer calls each.
_ACTIVITIES = {"cash provided by operating activities": "operating", "cash used for investing activities": "investing",
               "cash provided by financing activities": "financing"}


def cash_activities(ev: "Evidence") -> Answer | None:
    """Which of operating, investing and financing activities brought in (or used) the most cash in a year."""
    activity = ev.ask.activities
    if activity is None:
        return None
    years, most = activity.years, activity.most
    for filing in ev.filings_in_order(2):
        facts = ev.facts(filing)
        # a half-year or a quarter asked ("the six months ended June 30, 2025"): that period's totals, not a year's
        intent = ev.ask.question.period
        within = filing.target_period(intent) if intent.months in (3, 6, 9) else None
        if within is not None and within.months not in (3, 6, 9):
            continue
        found = [(name, line_value(LINE_ITEMS[name], years[0], filing, facts, within)) for name in _ACTIVITIES]
        if any(v.fact is None for _, v in found):
            continue
        pick = (max if most else min)(found, key=lambda nv: nv[1].fact.value)
        names = _ACTIVITIES
        listed = "; ".join(f"{names[n]} {format_money(v.fact.value, 'USD')}" for n, v in found)
        verb = "brought in the most cash" if most else "used the most cash"
        when = f"the {pick[1].fact.period}" if within is not None and pick[1].fact.period else f"fiscal {years[0]}"
        return Answer(question=ev.question.text, text=f"{names[pick[0]].capitalize()} activities {verb} in {when} "
                                                       f"({listed}).",
                      confidence=0.75, kind="computed", items=(f"{names[pick[0]]} activities",),
                      citations=tuple(cite_fact(filing, v.fact) for _, v in found),
                      checks=(recheck_pick(pick[1].fact, tuple(v.fact for _, v in found), filing, most),))
    return None


def _round(value, unit: str, decimals: int | None) -> str:
    places = decimals if decimals is not None else _DEFAULT_DECIMALS[unit]
    shown = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{shown:,}%" if unit == "%" else f"{shown:,}"


def _as_of(iso: str) -> str:
    """"as of September 30, 2022" for "2022-09-30"."""
    return f"as of {MONTH_NAMES[int(iso[5:7]) - 1]} {int(iso[8:10])}, {iso[:4]}"


def _readable(expression: str) -> str:
    text = re.sub(r"avg\{([^}]+)\}", r"average \1", expression).replace(ROW_PREFIX, "")
    return text.replace("{", "").replace("}", "").replace("*", "×")


def _printed_in_dollars(ask: MetricAsk, facts) -> bool:
    """The filing prints the words the question uses for a percentage metric as a dollar line of its own
    ("Total gross margin $180,683"), and the question does not ask for a percentage."""
    if ask.stated or ask.definition.unit != "%" or ask.asks_rate:
        return False
    return any(f.unit == "USD" and re.sub(r"^total\s+", "", " ".join(f.metric.lower().split())) in ask.said
               for f in facts.facts if f.source == "table")


def _printed_for_period(ask: MetricAsk, filing, facts) -> bool:
    """A row named as the metric itself ("EBITDA") printed in dollars for the quarter or year to date asked (a printed
    margin is our computation's own figure; a dollar line by the filer's definition is its answer)."""
    target = filing.target_period(ask.within)
    if target is None or target.months in (None, -1) or ask.definition.unit != "USD":
        return False
    names = {ask.definition.name.lower(), *ask.said}
    return any(" ".join(f.metric.lower().split()) in names and f.unit == "USD" and not f.segment
               and f.period_months == target.months
               and f.period_end and target.ends_on(f.period_end) for f in facts.facts if f.source == "table")


def _printed_line(ask: MetricAsk, facts) -> Fact | None:
    """A row the filing prints under the metric's own name for the asked year ("Free cash flow" in a non-GAAP
    table), which an analyst wants beside the standard computation."""
    if ask.definition.unit != "USD" or ask.average:
        return None
    name = ask.definition.name.lower()
    year = str(ask.years[0])
    for f in facts.facts:
        label = " ".join(f.metric.lower().split())
        if label == name and f.unit == "USD" and not f.segment and year in (f.period or "") + (f.period_end or ""):
            return f
    return None


def _metric_change_answer(question: str, result: MetricResult, filing) -> Answer:
    """A margin's or ratio's change between two periods: both values, each from its cited lines, and the move in
    percentage points (or in the ratio)."""
    ask = result.ask
    unit = ask.definition.unit
    places = ask.decimals if ask.decimals is not None else _DEFAULT_DECIMALS[unit]
    step = Decimal(1).scaleb(-places)
    rounded = result.value.quantize(step, rounding=ROUND_HALF_UP)
    (_, now), (_, before) = result.per_year
    by_period = list(dict.fromkeys(f.period for f in result.inputs if f.period))
    later, earlier = (by_period + ["the later period", "the earlier period"])[:2]
    sign = "+" if rounded > 0 else ""
    moved = f"{sign}{rounded:,} percentage points" if unit == "%" else f"{sign}{rounded:,}"
    shown = (lambda v: f"{v.quantize(step, rounding=ROUND_HALF_UP):,}{'%' if unit == '%' else ''}")
    source = "as the question defines it" if ask.stated else "standard definition"
    inputs = "; ".join(f"{f.metric} {format_money(f.value, f.unit)} ({f.period})" for f in dict.fromkeys(result.inputs))
    text = (f"{filing.company or filing.doc_id}'s {ask.definition.name} changed by {moved}: {shown(now)} for the "
            f"{later} vs. {shown(before)} for the {earlier} ({source}: {_readable(ask.definition.expression)}). "
            f"Inputs: {inputs}.")
    formula = f"{result.formula} = {trimmed_decimal(result.value, 4)}"
    check = recheck(formula, result.value, tuple(dict.fromkeys(result.inputs)), filing)
    return Answer(question=question, text=text, value=rounded, unit=unit,
                  confidence=0.85 if check.status == "verified" else 0.4,
                  citations=tuple(cite_fact(filing, f) for f in dict.fromkeys(result.inputs)), checks=(check,),
                  kind="computed", formula=formula)


def _metric_answer(question: str, result: MetricResult, filing, facts) -> Answer:
    ask = result.ask
    if ask.change:
        return _metric_change_answer(question, result, filing)
    unit = ask.definition.unit
    places = ask.decimals if ask.decimals is not None else _DEFAULT_DECIMALS[unit]
    shown_value = result.value / ask.show_scale if unit == "USD" else result.value
    rounded = shown_value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    value = rounded * ask.show_scale if unit == "USD" else rounded
    inputs = "; ".join(f"{f.metric} {format_money(f.value, f.unit)} ({f.period})" for f in dict.fromkeys(result.inputs))
    if unit == "USD":
        # in the scale the question asks ("in USD millions, one decimal": $1,577.3 million), else readable
        shown = (f"{'-' if rounded < 0 else ''}${abs(rounded):,} {_SCALE_WORDS[ask.show_scale]}" if ask.show_scale > 1
                 else format_money(value, "USD"))
    else:
        shown = f"{rounded:,}{'%' if unit == '%' else ' days' if unit == 'days' else ''}"
    years = " to ".join(str(y) for y in (ask.years[0], ask.years[-1])) if ask.average else str(ask.years[0])
    kind = f"{len(ask.years)}-year average " if ask.average else ""
    source = "as the question defines it" if ask.stated else "standard definition"
    when = (f"the {result.inputs[0].period}" if ask.within is not None and result.inputs else
            _as_of(ask.as_of) if ask.as_of else f"fiscal {years}")
    text = (f"{filing.company or filing.doc_id}'s {kind}{ask.definition.name} {'' if ask.as_of else 'for '}{when} is {shown} "
            f"({source}: {_readable(ask.definition.expression)}). Inputs: {inputs}.")
    printed = _printed_line(ask, facts)
    if printed is not None:
        text += (f" The filing's own \"{printed.metric}\" line prints {format_money(printed.value, printed.unit)} for "
                 f"{printed.period} (its definition may differ).")
    if ask.verdict is not None:
        # a comparison asked yes or no: the verdict from the unrounded figure, against the question's own bar
        op, limit = ask.verdict
        passed = result.value > limit if op == ">" else result.value >= limit if op == ">=" else result.value < limit
        bar = f"{'above' if op == '>' else 'at least' if op == '>=' else 'below'} {_shown(limit, unit) if limit else 'zero'}"
        text = f"{'Yes' if passed else 'No'} ({'it is' if passed else 'it is not'} {bar}). {text}"
    formula = f"{result.formula} = {trimmed_decimal(result.value, 4)}"
    check = recheck(formula, result.value, tuple(dict.fromkeys(result.inputs)), filing)
    return Answer(question=question, text=text, value=value, unit="USD" if unit == "USD" else unit,
                  confidence=0.85 if check.status == "verified" else 0.4,
                  citations=tuple(cite_fact(filing, f) for f in dict.fromkeys(result.inputs)), checks=(check,),
                  kind="computed", formula=formula)


_SCALE_WORDS = {1_000: "thousand", 1_000_000: "million", 1_000_000_000: "billion"}


_RATE_OF_MEMBERS = re.compile(r"\bmargins?\b|\bratio\b|\brate\b|\bas\s+an?\s+(?:percent(?:age)?|%|share)\s+of\b", re.I)


def which_member(ev: "Evidence") -> Answer | None:
    """The segment, region or product line with the most or least of the metric asked (or of its growth), every
    member's figure cited and the pick checked again from the cited cells."""
    ask, metric = ev.ask.member, ev.ask.question.metric
    item = LINE_ITEMS.get(metric or "") or LINE_ITEMS.get(f"total {metric}")  # a segment's "revenue" is the line's
    if ask is None:
        return None
    measure = _MEASURE_ASKED.search(ev.question.text)
    if not ask.growth and _RATE_OF_MEMBERS.search(ev.question.text):
        # "the higher gross margin", "segment profit margin": a rate per member, never its amount compared
        return _which_member_rate(ev, ask, measure.group("measure") if measure else "")
    for filing in ev.filings_in_order(2):
        # the filer's own segment measure, tagged on the breakdown's axis ("segment profit", "EBIT") first
        named = _measure_concepts(measure.group("measure"), filing.xbrl, AXES[ask.breakdown]) if measure else ()
        lines = item.line_concepts if item else ()
        concepts = tuple(dict.fromkeys(named + lines + tuple(_MEMBER_ALSO[c] for c in lines if c in _MEMBER_ALSO)))
        if not concepts:
            continue
        target = filing.target_period(ev.ask.question.period) or filing.default_period()
        if target.months is None and target.end_year and (filing.form or "").upper().startswith("10-K"):
            target = replace(target, months=12)  # "in 2023" of an annual report: its year
        if target.months in (None, -1):
            continue
        facts = ev.facts(filing)
        pick = pick_member(ask, concepts, facts.facts, target, filing.xbrl)
        if pick is None and not filing.xbrl and item is not None:
            pick = _pick_from_rows(ask, item.name, filing, facts, target, ev.question.text)
        if pick is None:
            continue
        pick = _as_printed(pick, facts)
        if pick.moved is not None:
            return _moved_answer(ev.question.text, pick, metric, ask.sign, filing)
        shown_as = measure.group("measure").strip() if measure and named and pick is not None else metric
        return _member_answer(ev.question.text, pick, shown_as, ask.most, ask.growth, filing, ask.in_dollars)
    return None




def _member_line_concepts(name: str, tags, axes: tuple[str, ...]) -> tuple[str, ...]:
    """The concepts a member's line may be tagged with: the vocabulary line a rate's term names (a row named by the
    question, "division operating profit", read without its breakdown word), or the filer's own measure on the axis
    ("segment EBITDA")."""
    phrase = name[len(ROW_PREFIX):] if name.startswith(ROW_PREFIX) else name
    line = _member_line(name, "")
    own = _measure_concepts(phrase, tags, axes) if name not in LINE_ITEMS else ()
    concepts = LINE_ITEMS[line].line_concepts if line in LINE_ITEMS else ()
    # a segment's net earnings are tagged before any split with noncontrolling interests (that split is the
    # consolidated figure's): P&G's segment "Net earnings" is ProfitLoss
    concepts += tuple(_MEMBER_ALSO.get(c, "") for c in concepts if c in _MEMBER_ALSO)
    return tuple(dict.fromkeys(own + concepts))


_MEMBER_ALSO = {"NetIncomeLoss": "ProfitLoss"}


def _which_member_rate(ev: "Evidence", ask, measure: str) -> Answer | None:
    """The member with the highest or lowest rate of one line over another ("the highest operating margin
    (operating income / net operating revenues)"), each member's two figures cited and every rate recomputed. A
    filer's own measure's margin ("segment EBITDA margin") is that measure over revenue."""
    lines = rate_lines(ev.question.text)
    own = re.sub(r"\s*\bmargins?\b\s*", " ", measure).strip() if re.search(r"\bmargins?\b", measure, re.I) else ""
    if lines is None and own:
        lines = (f"{ROW_PREFIX}{own}", "total revenue")
    if lines is None:
        return None
    for filing in ev.filings_in_order(2):
        axes = AXES[ask.breakdown]
        top, base = (_member_line_concepts(name, filing.xbrl, axes) for name in lines)
        if not top or not base:
            continue
        target = filing.target_period(ev.ask.question.period) or filing.default_period()
        if target.months is None and target.end_year and (filing.form or "").upper().startswith("10-K"):
            target = replace(target, months=12)
        if target.months in (None, -1):
            continue
        pick = pick_member_rate(ask, top, base, ev.facts(filing).facts, target, filing.xbrl)
        if pick is None:
            continue
        return _member_rate_answer(ev.question.text, _as_printed(pick, ev.facts(filing)), measure, lines, ask.most,
                                   filing)
    return None


def _member_rate_answer(question: str, pick: MemberPick, measure: str, lines: tuple[str, str], most: bool,
                        filing) -> Answer:
    period = pick.current[0][1].period or ""
    top_of, base_of = dict(pick.current), dict(pick.bases)
    names = tuple(n[len(ROW_PREFIX):] if n.startswith(ROW_PREFIX) else n for n in lines)
    shown = "; ".join(f"{m} {v.quantize(Decimal('0.01'))}% ({format_money(top_of[m].value, 'USD')} / "
                      f"{format_money(base_of[m].value, 'USD')})" for m, v in pick.measures)
    best = pick.measures[0]
    tied = [m for m, v in pick.measures[1:] if v == best[1]]
    which = "highest" if most else "lowest"
    lead = (f"{best[0]} and {', '.join(tied)} tie for the {which}" if tied else f"{best[0]} had the {which}")
    rate = f"{names[0]} as a percentage of {names[1]}"
    text = f"{lead} {f'{measure} ({rate})' if measure else rate} ({period}): {shown}."
    inputs = tuple(f for m, _ in pick.measures for f in (top_of[m], base_of[m]))
    unread = [f for f in inputs if not printed_value_matches(filing, f)]
    again = {m: top_of[m].value / base_of[m].value * 100 for m in top_of}
    status = "verified" if not unread and again[best[0]] == (max if most else min)(again.values()) else "mismatch"
    formula = f"{'max' if most else 'min'}({', '.join(f'{m} {v:.2f}%' for m, v in again.items())}) = {best[0]}"
    check = Check(formula, status, f"every rate recomputed from the {len(inputs)} cited cells" if status == "verified"
                  else "a cited cell or the comparison does not hold", "computed")
    return Answer(question=question, text=text, confidence=0.8 if status == "verified" and not tied else 0.4,
                  kind="computed", items=(best[0], *tied), citations=tuple(cite_fact(filing, f) for f in inputs),
                  checks=(check,))


# The measure a breakdown is compared by: "the largest segment profit in", "the highest EBIT in".
_MEASURE_ASKED = re.compile(r"\b(?:highest|largest|most|biggest|greatest|lowest|smallest|least|higher|larger|greater|"
                            r"bigger|lower|smaller)\s+"
                            r"(?P<measure>[A-Za-z&' -]{2,40}?)\s+(?:in|for|during|over|of|at|between)\b", re.I)


def _measure_concepts(measure: str, tags, axes: tuple[str, ...]) -> tuple[str, ...]:
    """Concepts the filer tags on the breakdown's axis whose name holds every word of the measure asked
    ("SegmentReportingInformationSegmentProfit" for "segment profit"), most tagged first."""
    words = {w.lower() for w in re.findall(r"[A-Za-z]+", measure)} - {"the", "a", "an", "total", "reported"}
    if not words:
        return ()
    counts: dict[str, int] = {}
    for x in tags:
        local = x.concept.split(":")[-1]
        if not any(a.split(":")[-1] in axes for a, _ in (x.dimensions or ())):
            continue
        if words <= {w.lower() for w in re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+", local)}:
            counts[local] = counts.get(local, 0) + 1
    return tuple(sorted(counts, key=lambda c: -counts[c]))


def _printed_name(member: str, fact: Fact, facts) -> str:
    """A member as its row prints it ("LatAm", not the tag's "Latin America"), when the row is named by the member
    and not by a line ("Revenue") or a figure."""
    label = re.split(r"\s{2,}|\s(?=[$(\d—–-])", (fact.text or "").strip())[0].strip(" :")
    if not label or label == member or re.search(r"\d", label) or len(label) > 60 or line_name(label, facts) \
            or label.lower().startswith("total"):
        return member
    return label


def _as_printed(pick: MemberPick, facts) -> MemberPick:
    """The pick with each member named as the filing prints it (unless two would print alike)."""
    names = {m: _printed_name(m, f, facts) for m, f in pick.current}
    if len(set(names.values())) != len(names):
        return pick

    def rename(pairs):
        return tuple((names.get(m, m), v) for m, v in pairs)

    return replace(pick, member=" and ".join(names.get(m, m) for m in pick.member.split(" and ")) if pick.moved
                   is not None else names.get(pick.member, pick.member), measures=rename(pick.measures),
                   current=rename(pick.current), prior=rename(pick.prior), bases=rename(pick.bases),
                   moved=tuple(names.get(m, m) for m in pick.moved) if pick.moved is not None else None)


def _pick_from_rows(ask, line: str, filing, facts, target, question: str) -> MemberPick | None:
    """An untagged filing's breakdown: the rows its "Total <line>" row adds up (qa.compute.members)."""
    return pick_member_from_rows(
        ask, line, facts.facts, target,
        table_of=lambda f: next((t.start for t in filing.tables if t.start <= f.start < t.end), -1),
        line_of=lambda label: line_name(label, facts), context_of=lambda f: _table_context(filing, f),
        question=question)


def _table_context(filing, fact: Fact) -> str:
    """The words a figure's table stands under: its section's headings, caption and column header."""
    section = filing.section_at(fact.start)
    table = next((t for t in filing.tables if t.start <= fact.start < t.end), None)
    return " ".join([section.path_text if section else "", table.caption if table else "", table.header if table else ""])


def _moved_answer(question: str, pick: MemberPick, metric: str, sign: str, filing) -> Answer:
    """Which members grew (or declined): every member's growth shown, the ones that moved that way named, each
    recomputed from its two cited cells."""
    period = pick.current[0][1].period or ""
    prior, now = dict(pick.prior), dict(pick.current)
    shown = "; ".join(f"{m} {v.quantize(Decimal('0.1')):+}% ({format_money(now[m].value, 'USD')} vs "
                      f"{format_money(prior[m].value, 'USD')})" for m, v in pick.measures)
    verb = "declined" if sign == "down" else "grew"
    moved = pick.moved or ()
    lead = (f"{' and '.join(moved)} {verb}" if len(moved) > 1 else f"Only {moved[0]} {verb}" if len(moved) == 1
            and len(pick.measures) > 1 else f"{moved[0]} {verb}" if moved else f"No member {verb}")
    text = f"{lead} in {metric} ({period}): {shown}."
    inputs = tuple(f for _, f in (*pick.current, *pick.prior))
    unread = [f for f in inputs if not printed_value_matches(filing, f)]
    again = {m: (now[m].value - prior[m].value) for m in now if m in prior}
    holds = {m for m, d in again.items() if (d < 0 if sign == "down" else d > 0)} == set(moved)
    status = "verified" if not unread and holds else "mismatch"
    formula = "; ".join(f"{m} {now[m].value:,} − {prior[m].value:,}" for m in again)
    check = Check(formula, status, f"recomputed from the {len(inputs)} cited cells" if status == "verified" else
                  "a cited cell or a change does not hold", "computed")
    return Answer(question=question, text=text, confidence=0.8 if status == "verified" else 0.4, kind="computed",
                  items=moved, citations=tuple(cite_fact(filing, f) for f in inputs), checks=(check,))


def _member_answer(question: str, pick: MemberPick, metric: str, most: bool, growth: bool, filing,
                   in_dollars: bool = False) -> Answer:
    period = pick.current[0][1].period or ""
    prior, now = dict(pick.prior), dict(pick.current)

    def shown(member: str, measure: Decimal) -> str:
        if not growth:
            return f"{member} {format_money(measure, 'USD')}"
        moved = (f"{'+' if measure > 0 else ''}{format_money(measure, 'USD')}" if in_dollars
                 else f"{measure.quantize(Decimal('0.1')):+}%")
        return f"{member} {moved} ({format_money(now[member].value, 'USD')} vs {format_money(prior[member].value, 'USD')})"

    top = pick.measures[0]
    tied = [m for m, v in pick.measures[1:] if v == top[1]]
    which = "highest" if most else "lowest"
    what = (f"{metric} change in dollars" if in_dollars else f"{metric} growth") if growth else metric
    lead = (f"{top[0]} and {', '.join(tied)} tie for the {which} {what}" if tied else
            f"{top[0]} had the {which} {what}")
    text = f"{lead} ({period}): " + "; ".join(shown(m, v) for m, v in pick.measures) + "."
    inputs = tuple(f for _, f in (*pick.current, *pick.prior))
    unread = [f for f in inputs if not printed_value_matches(filing, f)]
    again = {m: ((now[m].value - prior[m].value) * (1 if in_dollars else 100 / abs(prior[m].value)) if growth
                 else now[m].value) for m in now}
    best = (max if most else min)(again.values())
    status = "verified" if not unread and again[top[0]] == best else "mismatch"
    formula = f"{'max' if most else 'min'}({', '.join(f'{m} {v:.2f}' for m, v in again.items())}) = {top[0]}"
    check = Check(formula, status, f"compared again from the {len(inputs)} cited cells" if status == "verified" else
                  "a cited cell or the comparison does not hold", "computed")
    return Answer(question=question, text=text, confidence=0.8 if status == "verified" and not tied else 0.4,
                  kind="computed", items=(top[0], *tied), citations=tuple(cite_fact(filing, f) for f in inputs),
                  checks=(check,))
