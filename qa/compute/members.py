"""Which member of a breakdown has the most or least: "Which segment had the highest operating income in FY2023?",
"Which region had the fastest revenue growth?", "Which product line was the only one to grow?", "Which segment had
the highest operating margin?" (a rate: each member's own line over its own revenue, never the amounts compared).

A breakdown is read from the filer's own tags: figures whose one dimension is the segment, geographic or product
axis, for the period asked (and, for growth, the same period a year before). Every member's figure is cited, and
the pick is checked again from the cited cells. An untagged filing's breakdown is a run of table rows that its
"Total <metric>" row adds up ("U.S.", "International Operated Markets", ... "Total operating income"): the sum is
what tells the members of one breakdown from any other rows.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Iterator, Sequence

from corpus.model import XbrlFact
from corpus.period_intent import TargetPeriod
from corpus.periods import fiscal_months
from corpus.words import GEOGRAPHY
from qa.figures.tables import Fact
from qa.figures.xbrl import member_name

# The breakdown a question names, and the XBRL axes that carry it.
AXES = {"segment": ("StatementBusinessSegmentsAxis",),
        "region": ("StatementGeographicalAxis",),
        "product": ("ProductOrServiceAxis",)}
_BREAKDOWN = (("segment", r"segments?|divisions?|business(?:es)?|units?|groups?"),
              ("region", r"regions?|geograph\w*|countr(?:y|ies)|areas?|markets?"),
              ("product", r"products?|product\s+(?:lines?|categor(?:y|ies))|categor(?:y|ies)|lines?|brands?|offerings?"))
_WHICH = re.compile(r"\bwhich\b", re.I)
_MOST = re.compile(r"\b(?:highest|largest|most|biggest|greatest|top|fastest|strongest|best|only|higher|larger|more|"
                   r"bigger|greater|faster)\b", re.I)
_LEAST = re.compile(r"\b(?:lowest|smallest|least|weakest|worst|slowest|lower|smaller|less|fewer)\b", re.I)
_GROWTH = re.compile(r"\b(?:growth|grew|grow|growing|increase[sd]?|rose|rise|declin\w*|decrease[sd]?|fell|drop\w*)\b", re.I)
# Members that are no part of the breakdown's comparison: totals, reconciling items.
_NOT_A_MEMBER = re.compile(r"^(?:total.*|(?:all\s+)?others?(?:\s+\w+)?|corporate(?:\s+(?:and|&)\s+other\w*)?(?:\s+\w+)?|"
                           r".*\beliminations?|.*\breconcil\w*.*|unallocated.*|intersegment.*|"
                           # a subtotal of several ("Segments Excluding All Other Segments"): no one member
                           r".*\bexcluding\b.*|.*\bsegments\b.*)$", re.I)
_YEAR_DAYS = (358, 372)  # a year before, on a 52/53-week calendar too


@dataclass(frozen=True)
class MemberAsk:
    """Which member of `breakdown` ("segment", "region", "product") has the most (`most`) or least figure, or
    growth over the year before (`growth`)."""

    breakdown: str
    most: bool
    growth: bool
    sign: str | None = None  # "up" or "down": which members grew, or declined ("Which segments saw a decline?")
    in_dollars: bool = False  # growth as the change in dollars ("the largest decline in operating income in dollars")


_IN_DOLLARS = re.compile(r"\bin\s+(?:dollars?|dollar\s+terms|absolute\s+terms)\b|\bdollar\s+(?:change|increase|decrease|"
                         r"decline|growth)\b", re.I)


_LOSS_ASKED = re.compile(r"\b(?:largest|biggest|greatest|highest|most|smallest|lowest|least)\s+(?:[\w-]+\s+){0,2}?losse?s?\b",
                         re.I)


def parse_member_question(text: str) -> MemberAsk | None:
    """The breakdown question `text` asks, or None ("Which segment had the highest revenue growth in FY2022?");
    growth in dollars when the question says so."""
    ask = _parse_member_question(text)
    if ask is not None and not ask.growth and _LOSS_ASKED.search(text):
        # "the largest operating loss" is the lowest operating income (losses are negative figures)
        ask = replace(ask, most=not ask.most)
    if ask is not None and ask.growth and _IN_DOLLARS.search(text):
        return replace(ask, in_dollars=True)
    return ask


def _parse_member_question(text: str) -> MemberAsk | None:
    which = _WHICH.search(text)
    if which is None:
        return None
    after = text[which.end():]
    for breakdown, words in _BREAKDOWN:
        # "which segment", "which of Apple's reportable geographic segments", "which Disney segment"
        if re.match(rf"\s+(?:of\s+)?(?:[\w&'’.-]+\s+){{0,4}}?(?:{words})\b", after, re.I):
            most, least = _MOST.search(text), _LEAST.search(text)
            if not most and not least:
                moved = _GROWTH.search(text)
                if moved is None:
                    return None
                down = bool(re.match(r"declin|decrease|fell|drop", moved.group(0), re.I))
                return MemberAsk(breakdown, most=not down, growth=True, sign="down" if down else "up")
            moved = _GROWTH.search(text)
            fell = bool(moved) and bool(re.match(r"declin|decrease|fell|drop", moved.group(0), re.I))
            most_asked = bool(most) and not (least and least.start() < most.start())
            # "the largest decline" is the lowest growth
            return MemberAsk(breakdown, most=most_asked != fell, growth=bool(moved))
    # "Among Ford's reportable segments, which had the highest EBIT": the breakdown named before "which"
    for breakdown, words in _BREAKDOWN:
        if re.search(rf"^\s*among\b[^,?]*\b(?:{words})\b[^,?]*,\s*$", text[:which.start()], re.I):
            most, least = _MOST.search(text), _LEAST.search(text)
            if most or least:
                return MemberAsk(breakdown, most=bool(most) and not (least and least.start() < most.start()),
                                 growth=bool(_GROWTH.search(text)))
    return None


@dataclass(frozen=True)
class MemberPick:
    """The member picked, each member's figure (and the year before's, for growth), and the measure compared."""

    member: str
    measures: tuple[tuple[str, Decimal], ...]  # member -> figure or growth (%), as compared, best first
    current: tuple[tuple[str, Fact], ...]  # member -> its figure for the period asked
    prior: tuple[tuple[str, Fact], ...]  # member -> its figure a year before (growth only)
    moved: tuple[str, ...] | None = None  # for a sign asked: every member that moved that way (maybe none)
    bases: tuple[tuple[str, Fact], ...] = ()  # for a rate asked: member -> the figure its measure is over


def _member(fact: Fact, axes: tuple[str, ...] = ()) -> str:
    """The member's name on the breakdown's axis ("PBNA" of "PBNA / Operating Segments")."""
    names = (fact.segment or "").split(" / ")
    for (axis, _), name in zip(fact.dimensions, names):
        if axis.split(":")[-1] in axes:
            return name
    return names[0] if len(names) == 1 else ""


def _on_axis(fact: Fact, axes: tuple[str, ...]) -> bool:
    """One dimension on the breakdown's axis; any other only says it is an operating segment's own figure."""
    on = [a for a, _ in fact.dimensions if a.split(":")[-1] in axes]
    rest = [(a, m) for a, m in fact.dimensions if a.split(":")[-1] not in axes]
    return len(on) == 1 and all(a.endswith("ConsolidationItemsAxis") and m.endswith("OperatingSegmentsMember")
                                for a, m in rest)


def _months(start: str | None, end: str) -> int | None:
    if not start:
        return None
    return fiscal_months((date.fromisoformat(end[:10]) - date.fromisoformat(start[:10])).days + 1)


def _year_before(a: str, b: str) -> bool:
    days = (date.fromisoformat(a[:10]) - date.fromisoformat(b[:10])).days
    return _YEAR_DAYS[0] <= days <= _YEAR_DAYS[1]


def _member_qname(fact, axes: tuple[str, ...]) -> str:
    return next((m for a, m in fact.dimensions if a.split(":")[-1] in axes), "")


def _breakdown(ask: MemberAsk, concepts: tuple[str, ...], facts: list[Fact], target: TargetPeriod,
               tags: Sequence[XbrlFact]) -> Iterator[tuple[dict[str, Fact], list[Fact]]]:
    """For each of `concepts` (in order) that the filing tags for two or more members of the breakdown in the
    `target` period: (member -> its figure, every tagged figure of the concept on the axis). It stops at a member
    tagged for the period under another concept only, or tagged (in `tags`, the filing's XBRL, printed or not) with
    no printed figure: comparing without it would be a guess."""
    axes = AXES[ask.breakdown]
    tagged = [f for f in facts if f.concept and f.dimensions and f.unit == "USD" and f.period_end and _on_axis(f, axes)
              and f.concept.split(":")[-1] in concepts and _member(f, axes) and not _NOT_A_MEMBER.match(_member(f, axes))]
    # Countries ("country:CN") tagged beside the filer's regions on one axis are a finer breakdown inside them (Meta's
    # China within Asia-Pacific): regions are compared with regions.
    # (countries and an "Other countries" remainder are one breakdown, NVIDIA's: the regions must be two or more)
    regions = {_member(f, axes) for f in tagged if not _member_qname(f, axes).startswith("country:")
               and not re.match(r"other\b", _member(f, axes), re.I)}
    regions_only = len(regions) >= 2 and any(_member_qname(f, axes).startswith("country:") for f in tagged)
    if regions_only:
        tagged = [f for f in tagged if not _member_qname(f, axes).startswith("country:")]
    in_period = [f for f in tagged if f.period_months == target.months and target.ends_on(f.period_end)]
    everyone = {_member(f, axes) for f in in_period}  # (a member with two figures for the period: no guess)
    for concept in concepts:  # one concept for every member: the filer's revenue tag, not a mix of two
        mine = [f for f in tagged if f.concept.split(":")[-1] == concept]
        current = _unique([f for f in mine if f in in_period], axes)
        if len(current) < 2:
            continue
        if set(current) != everyone:
            return
        tagged_members = {_member_qname(x, axes) for x in tags if x.value is not None and x.concept.split(":")[-1] == concept
                          and x.period_end and not x.instant and _on_axis(x, axes) and target.ends_on(x.period_end)
                          and _months(x.period_start, x.period_end) == target.months}
        if regions_only:
            tagged_members = {m for m in tagged_members if not m.startswith("country:")}
        shown = {_member_qname(f, axes) for f in current.values()}
        if tags and not tagged_members <= shown | {m for m in tagged_members if _NOT_A_MEMBER.match(member_name(m))}:
            return
        yield current, mine


def pick_member(ask: MemberAsk, concepts: tuple[str, ...], facts: list[Fact], target: TargetPeriod,
                tags: Sequence[XbrlFact] = ()) -> MemberPick | None:
    """The member of the breakdown with the most or least figure (of one of `concepts`, in dollars) for the `target`
    period, or growth against a year before; None when the filing tags no such breakdown for it (see `_breakdown`)."""
    axes = AXES[ask.breakdown]
    for current, mine in _breakdown(ask, concepts, facts, target, tags):
        if not ask.growth:
            measures = {m: f.value for m, f in current.items()}
            return _pick(ask, measures, tuple(current.items()), ())
        prior = _unique([f for f in mine if f.period_months == target.months
                         and any(_year_before(c.period_end, f.period_end) for c in current.values())], axes)
        measures = {m: _growth(f.value, prior[m].value, ask.in_dollars) for m, f in current.items()
                    if m in prior and prior[m].value}
        if len(measures) < 2:
            continue
        return _pick(ask, measures, tuple((m, current[m]) for m in measures), tuple((m, prior[m]) for m in measures))
    return None


def pick_member_rate(ask: MemberAsk, numerators: tuple[str, ...], denominators: tuple[str, ...], facts: list[Fact],
                     target: TargetPeriod, tags: Sequence[XbrlFact] = ()) -> MemberPick | None:
    """The member with the highest or lowest rate, one line over another in percent ("operating margin": operating
    income over revenue), each member's two figures tagged for the `target` period; None unless both lines are
    tagged for the same members, every one of them with a positive base."""
    top = next(_breakdown(ask, numerators, facts, target, tags), (None,))[0]
    base = next(_breakdown(ask, denominators, facts, target, tags), (None,))[0]
    if top is None or base is None:
        return None
    if set(top) != set(base) or any(base[m].value <= 0 for m in base):
        return None  # (a member with one line only, or a negative base: no rate to compare)
    measures = {m: top[m].value / base[m].value * 100 for m in top}
    picked = _pick(ask, measures, tuple(top.items()), ())
    return MemberPick(picked.member, picked.measures, picked.current, (), bases=tuple((m, base[m]) for m in top))


_TOTAL_ROW = re.compile(r"^\s*total\b", re.I)


# What an untagged table must say it breaks down by (its section, caption or header), for each breakdown.
_TABLE_SAYS = {"segment": re.compile(r"\bsegments?\b", re.I),
               "region": re.compile(r"\bgeograph\w*|\bregions?\b|\bcountr(?:y|ies)\b", re.I),
               "product": re.compile(r"\bproducts?\b|\bcategor(?:y|ies)\b|\bservices?\b", re.I)}


def _is_breakdown(ask: MemberAsk, members: list[str], context: str, question: str) -> bool:
    """Rows that are the breakdown asked: the table names it; a region's members are places; members the question
    lists, if it lists any, are among them."""
    if any(":" in m for m in members):
        return False  # (rows under a group heading, "Net revenue: Desktop", are a segment's lines, not the segments;
        # a heading that names the breakdown, "Net sales by reportable segment:", is read off first: `_member_label`)
    if all(re.search(rf"(?<![\w]){re.escape(m.strip().lower())}(?![\w])", question.lower()) for m in members):
        return True  # the question names every row ("electric or natural gas"): the rows are the members it means
    if not _TABLE_SAYS[ask.breakdown].search(context):
        return False
    if ask.breakdown == "region" and not all(GEOGRAPHY.search(m) for m in members):
        return False
    if ask.breakdown != "region" and any(re.search(r"\bcountr(?:y|ies)\b", m, re.I) for m in members):
        return False  # countries ("Other countries") are no segments (Intel's revenue by country, in its segment note)
    listed = re.search(r"\(([^()]*,[^()]*)\)", question)  # "(Americas, EMEA, Asia Pacific)"
    if listed:
        names = {n.strip().lower() for n in re.split(r",|\band\b", listed.group(1)) if n.strip()}
        if not any(any(n in m.lower() for n in names) for m in members):
            return False
    return True


def _member_label(label: str, breakdown: str) -> str:
    """A member's row as the member: without a group heading that names the breakdown ("Net sales by reportable
    segment: Americas" is Americas)."""
    heading, colon, rest = label.rpartition(":")
    return rest.strip() if colon and _TABLE_SAYS[breakdown].search(heading) else label


def _label_year(fact: Fact) -> int:
    m = re.search(r"(?:19|20)\d\d", fact.period or "")
    return int(m.group(0)) if m else 0


def _ends(fact: Fact, year: int | None, target: TargetPeriod | None = None) -> bool:
    """The figure's period ends as `target` does, or, for a column headed by its year only ("2022"), in `year`."""
    if fact.period_end:
        return target.ends_on(fact.period_end) if target is not None else int(fact.period_end[:4]) == year
    return fact.period_months == 12 and year is not None and _label_year(fact) == year


def pick_member_from_rows(ask: MemberAsk, line: str, facts: list[Fact], target: TargetPeriod,
                          table_of, line_of, context_of, question: str) -> MemberPick | None:
    """The member with the most or least of `line` among the rows of an untagged table that its "Total <line>" row
    sums (to 0.2%), for the `target` period (and a year before, for growth). `table_of(fact)` is the fact's table
    start; `line_of(label)` the vocabulary line a row label names; `context_of(fact)` the words its table stands
    under (section, caption, header), which must name the breakdown asked."""
    rows = [f for f in facts if f.source == "table" and not f.concept and f.period_months is not None
            and f.period_months == (target.months or 0) and _ends(f, target.end_year, target)]
    by_table: dict[int, list[Fact]] = {}
    for f in sorted(rows, key=lambda f: f.context_start):
        by_table.setdefault(table_of(f), []).append(f)
    for table_rows in by_table.values():
        block: list[Fact] = []
        for f in table_rows:
            if not _TOTAL_ROW.match(f.metric):
                block.append(f)
                continue
            members, block = block, []
            if line_of(f.metric) != line or len(members) < 2 or len({m.metric for m in members}) != len(members):
                continue
            total = sum((m.value for m in members), Decimal(0))
            if abs(total - f.value) > abs(f.value) * Decimal("0.002"):
                continue  # not the rows it adds up
            names = [_member_label(m.metric, ask.breakdown) for m in members]
            if len(set(names)) != len(names) or not _is_breakdown(ask, names, context_of(f), question):
                continue
            # (the rows add up with "All other" or "Corporate"; they are compared without them)
            current = {m: x for m, x in zip(names, members) if not _NOT_A_MEMBER.match(m)}
            if len(current) < 2:
                continue
            if not ask.growth:
                return _pick(ask, {m: x.value for m, x in current.items()}, tuple(current.items()), ())
            prior = {}
            for m, x in current.items():
                before = [y for y in facts if y.context_start == x.context_start and y.metric == x.metric
                          and y.period_months == x.period_months and (
                              _year_before(x.period_end, y.period_end) if x.period_end and y.period_end
                              else not x.period_end and not y.period_end and _ends(y, _label_year(x) - 1))]
                if len({y.value for y in before}) == 1 and before[0].value:
                    prior[m] = before[0]
            if len(prior) != len(current):
                continue  # growth needs every member's year before
            measures = {m: _growth(x.value, prior[m].value, ask.in_dollars) for m, x in current.items()}
            return _pick(ask, measures, tuple(current.items()), tuple(prior.items()))
    return None


def _growth(now: Decimal, before: Decimal, in_dollars: bool) -> Decimal:
    """The change from `before` to `now`: in dollars, or in percent of `before`."""
    return now - before if in_dollars else (now - before) / abs(before) * 100


def _unique(facts: list[Fact], axes: tuple[str, ...]) -> dict[str, Fact]:
    """member -> its one figure (a member with two different figures for the period is left out)."""
    by_member: dict[str, list[Fact]] = {}
    for f in facts:
        by_member.setdefault(_member(f, axes), []).append(f)
    return {m: fs[0] for m, fs in by_member.items() if m and len({f.value for f in fs}) == 1}


def _pick(ask: MemberAsk, measures: dict[str, Decimal], current: tuple[tuple[str, Fact], ...],
          prior: tuple[tuple[str, Fact], ...]) -> MemberPick:
    ranked = sorted(measures.items(), key=lambda kv: kv[1], reverse=ask.most)
    if ask.sign is not None:
        moved = [m for m, v in ranked if (v < 0 if ask.sign == "down" else v > 0)]
        return MemberPick(" and ".join(moved), tuple(ranked), current, prior, moved=tuple(moved))
    return MemberPick(ranked[0][0], tuple(ranked), current, prior)
