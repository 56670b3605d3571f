"""Arithmetic a question asks of table rows: change, percentage change, average, sum, difference, ratio and
share ("What was the percentage change in finished goods between 2018 and 2019?").

A question is taken apart into an operation, the years it names and the rows it names (a row is named when the
question holds nearly all of its label's words); the figures come from the parsed table cells, each cited. Every
operand must be found, in one table, for the years asked: anything less is no answer, never a guess.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, DivisionByZero, InvalidOperation
from typing import Sequence

from corpus.words import singular_stems, stem
from qa.figures.tables import Fact
from qa.question import WHERE_TO_LOOK
from qa.vocabulary import OUTFLOW_LABEL

# Operations, most specific first: "percentage change" before "change", "as a percentage of" before "percentage".
_PERCENT_CHANGE = re.compile(r"percent(?:age)?\s*(?:change|increase|decrease|growth|decline|rise|fall)|%\s*(?:change|increase|decrease)"
                             r"|percentage\s+increase\s*/\s*\(?decrease|growth\s+rate|rate\s+of\s+(?:change|growth|increase)"
                             r"|by\s+what\s+percent"
                             # "the year-over-year change in revenue ... (in units of percents)"
                             r"|\bchange\b[^?;]*\bin\s+(?:units\s+of\s+)?percent(?:s|age)?\b(?!\s+points?)", re.I)
_PERCENT_OF = re.compile(r"\b(?:percentage|proportion|percent|share|%)\s+(?:of|did)\b|\bas\s+a\s+(?:percentage|proportion|%|percent|share)\b", re.I)
_RATIO = re.compile(r"\bratio\b", re.I)
# "the mean of" is arithmetic; "what does X mean", "what is meant by", "mean by" ask for a definition
_AVERAGE = re.compile(r"(?<!weighted[- ])(?<!weighted )\baverage\b|\bmean\b(?!\s+by\b)(?![\s?]*$)(?!\s*\?)", re.I)
_SUM = re.compile(r"\bsum\b|\bcombined\b|\bin\s+total\b|\btotal\s+(?:of|for|in)\b|\baltogether\b", re.I)
_DIFFERENCE = re.compile(r"\bdifference\b", re.I)
_CHANGE = re.compile(r"\bchange[sd]?\b|\bincrease[sd]?\b|\bdecrease[sd]?\b|\bgrowth\b|\bdecline\b|\bdifference\b|\bvariance\b", re.I)
_YEAR = re.compile(r"(?<![\d,.$])((?:19|20)\d\d)(?!\d|,\d)|\bFY\s?'?(\d\d)\b", re.I)
_ARITH_WORDS = {"change", "changed", "percentage", "percent", "increase", "decrease", "average", "mean", "sum", "total",
                "combined", "difference", "ratio", "proportion", "share", "growth", "rate", "value", "amount", "year",
                "years", "fiscal", "between", "from", "both", "compared", "period", "respectively", "what", "how", "much",
                "end", "ended", "ending", "beginning", "start", "note", "notes"}
# "Transfers (Note (b))", "Revenue (1)": a note or footnote mark is no word of the row's name.
# A row's note reference ("(Note 4)", "(a)") and its valuation suffix ("Receivables, net"): no words of the line.
_LABEL_NOTE = re.compile(r"\((?:notes?\b[^()]*(?:\([^()]*\))?[^()]*|[a-z0-9]{1,2}|[ivx]{1,4})\)", re.I)
_ARITH_STEMS = {stem(w) for w in _ARITH_WORDS}
MIN_ROW_COVERAGE = 0.75  # share of a row label's words the question must hold to name that row
_NET_SUFFIX = re.compile(r",\s*net\s*$", re.I)


@dataclass(frozen=True)
class ArithmeticAsk:
    """What a question asks to compute: `op`, the years named (in the order written) and its text."""

    op: str  # "change" | "percent_change" | "cagr" | "average" | "sum" | "difference" | "ratio" | "percent_of"
    years: tuple[int, ...]
    text: str


@dataclass(frozen=True)
class Computation:
    """A computed figure with every input it rests on and the formula written out (see `qa.compute.check`)."""

    value: Decimal
    unit: str
    formula: str  # "(668 − 716) / 716 × 100 = -6.70%": the inputs as read, the result as computed
    inputs: tuple[Fact, ...]
    description: str


# A period restated in parentheses: "fiscal 2023 (year ended February 3, 2024)" is one year, not two.
_RESTATED_PERIOD = re.compile(r"\((?=[^()]*\b(?:ended|ending)\b)[^()]*\)", re.I)


# "as reported in its 2009 Form 10-K": the year that names the document, no period asked when another is.
_DOCUMENT_YEAR = re.compile(r"\b(?:its|the|their|in|from|per)\s+(?:fiscal\s+|fy\s*)?(?:19|20)\d\d\s+(?:form\s+)?"
                            r"(?:10-?k|10-?q|annual\s+report|proxy(?:\s+statement)?)\b", re.I)


def asked_years(question: str) -> tuple[int, ...]:
    outside = _RESTATED_PERIOD.sub(" ", question)
    if _YEAR.search(outside):
        question = outside
    outside = _DOCUMENT_YEAR.sub(" ", question)
    if _YEAR.search(outside):
        question = outside
    years = []
    for m in _YEAR.finditer(question):
        year = int(m.group(1)) if m.group(1) else 2000 + int(m.group(2))
        if year not in years:
            years.append(year)
    return tuple(years)


# "the two-year revenue CAGR", "compound annual growth rate": growth per year, compounded, between two years.
_CAGR = re.compile(r"\bcagr\b|\bcompound(?:ed)?\s+annual\s+(?:growth|rate)", re.I)
_POINTS = re.compile(r"\babsolute\s+(?:percentage\s+)?change\b|\bpercentage\s+points?\b|\bbasis\s+points?\b", re.I)
_PROPORTION = re.compile(r"\bproportion\b", re.I)


_RESPECTIVE = re.compile(r"\brespective(?:ly)?\b", re.I)
_WHICH_YEARS = re.compile(r"\b(?:which|what)\s+(?:are\s+the\s+)?(?:financial\s+|fiscal\s+)?years\b.*\btable\b|"
                          r"\btable\b.*\b(?:which|what)\s+(?:financial\s+|fiscal\s+)?years\b", re.I)
_LOOKUP = re.compile(r"^\s*(?:what|how\s+much)\s+(?:is|are|was|were)\s+(?:the\s+)?(?:values?\s+of\s+(?:the\s+)?)?", re.I)


_COUNT_YEARS = re.compile(r"\bhow\s+many\s+(?:of\s+the\s+)?years\b.*?\b(exceed(?:ed|s)?|more\s+than|greater\s+than|above|over|"
                          r"below|less\s+than|lower\s+than|under)\s+\$?\s?(\d[\d,]*(?:\.\d+)?)\s*(thousand|million|billion|%)?", re.I)
_SCALE_WORD = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}


@dataclass(frozen=True)
class Count:
    """How many of a row's years pass a threshold, with the cells counted and those left out."""

    value: int
    counted: tuple[Fact, ...]
    description: str


@dataclass(frozen=True)
class CountAsk:
    """ "How many years did net income exceed $30,000 thousand?": above or below, the threshold as printed and its
    scale word, and the question (whose words name the row)."""

    above: bool
    threshold: str
    word: str
    text: str


def parse_count(question: str) -> CountAsk | None:
    m = _COUNT_YEARS.search(question)
    if not m:
        return None
    return CountAsk(not re.match(r"below|less|lower|under", m.group(1), re.I), m.group(2), (m.group(3) or "").lower(),
                    question)


def count_years(ask: CountAsk, facts: list[Fact], tables: list) -> Count | None:
    """The years of the named row past the threshold. The threshold is read in the table's own units when the
    table's scale is the question's (or unknown)."""
    above, word = ask.above, ask.word
    threshold = Decimal(ask.threshold.replace(",", ""))
    row = _named_row(facts, ask.text)
    if row is None:
        return None
    cells = list(row.by_year.values())
    table = next((t for t in tables if t.start <= cells[0].start < t.end), None)
    scale = table.scale if table is not None else 1
    factor = _SCALE_WORD.get(word, 1)
    limit = threshold * factor if scale > 1 else threshold  # full scale, or the table's own units
    passed = tuple(c for c in cells if (c.value > limit if above else c.value < limit))
    return Count(len(passed), passed, f"years in which {row.label} was {'above' if above else 'below'} {ask.threshold}"
                                      f"{' ' + word if word else ''}")


_ROW_YEARS = re.compile(r"\b(?:in\s+)?which\s+(?:financial\s+|fiscal\s+)?years\s+(?:was|were|is|are|did|does)\b", re.I)
_WHICH_YEAR = re.compile(r"\b(?:in\s+)?which\s+(?:financial\s+|fiscal\s+)?year\b", re.I)
_MORE = re.compile(r"\b(?:higher|highest|larger|largest|greater|greatest|more|most|bigger|biggest|increased?)\b", re.I)
_LESS = re.compile(r"\b(?:lower|lowest|smaller|smallest|less|least|fewer|decreased?)\b", re.I)
_THAN = re.compile(r"\b(more|greater|higher|less|lower|fewer)\s+than\s+\$?\s?(\d[\d,]*(?:\.\d+)?)", re.I)
_ITEMS = re.compile(r"\bwhat\s+(?:are|were)\s+the\s+(?:financial\s+|main\s+|various\s+)?(?:items|components|categories|"
                    r"line\s+items)\b.*\b(?:listed|shown|in)\s+(?:in\s+)?the\s+table\b", re.I)


def parse_lookup(question: str) -> ArithmeticAsk | None:
    """A question asking for several printed figures, no arithmetic: "What were X in 2018 and 2019, respectively?"
    (op "values"), "Which years does the table cover?" ("years"), "In which years was X provided?" ("row_years"),
    "In which year was X higher?" ("which_year"), "What are the items listed in the table?" ("items")."""
    if _ITEMS.search(question):
        return ArithmeticAsk("items", (), question)
    if _WHICH_YEARS.search(question):
        return ArithmeticAsk("years", (), question)
    if _ROW_YEARS.search(question):
        return ArithmeticAsk("row_years", (), question)
    if _WHICH_YEAR.search(question) and (_MORE.search(question) or _LESS.search(question)):
        return ArithmeticAsk("which_year", asked_years(question), question)
    years = asked_years(question)
    if parse_arithmetic(question) is not None:
        return None
    if _RESPECTIVE.search(question) or (len(years) >= 2 and _LOOKUP.search(question)):
        return ArithmeticAsk("values", years, question)
    if len(years) == 1 and _LOOKUP.search(question):
        return ArithmeticAsk("value", years, question)  # "What was the deferred revenue in 2018?"
    return None


_THAN_COMPARED = re.compile(r"\b(?:higher|lower|more|less|greater|larger|smaller|fewer)\b(?![^?]*\bthan\s+(?:the\s+)?"
                            r"(?:\$|\d))[^?]*\bthan\b", re.I)


_PER_UNIT_AVERAGE = re.compile(r"\baverage\s+(?:[\w-]+\s+){0,3}?per\b", re.I)


def parse_arithmetic(question: str) -> ArithmeticAsk | None:
    """The operation a question asks for, or None when it asks for no arithmetic."""
    years = asked_years(question)
    if _CAGR.search(question):
        op = "cagr"
    elif _POINTS.search(question):
        op = "change"  # "the absolute change in the expected volatility (%)": percentage points
    elif _PERCENT_CHANGE.search(question):
        op = "percent_change"
    elif _RATIO.search(question) or (_PROPORTION.search(question) and not re.search(r"percent|%", question, re.I)):
        op = "ratio"
    elif _PERCENT_OF.search(question):
        op = "percent_of"
    elif _AVERAGE.search(question) and not _PER_UNIT_AVERAGE.search(question):
        op = "average"  # (not "average revenue per account": a figure's name)
    elif _DIFFERENCE.search(question) and not re.search(r"\bbetween\s+(?:19|20)\d\d\s+and\s+(?:19|20)\d\d\b", question):
        op = "difference"
    elif _CHANGE.search(question) or (len(years) >= 2 and _THAN_COMPARED.search(question)):
        op = "change"  # "higher at the end of 2023 than at the end of 2022": the change between them decides
    elif _SUM.search(question):
        op = "sum"
    else:
        return None
    return ArithmeticAsk(op, years, question)


def _stems(text: str) -> set[str]:
    """A label's or question's words as stems: "inventories" and "inventory" are one word."""
    return {stem(w) for w in singular_stems(text)}


def answers_ask(ask: ArithmeticAsk, unit: str | None) -> bool:
    """Whether a figure in `unit` can answer `ask`: a percentage change or share is in percent, nothing else is
    a percentage unless its rows are."""
    if ask.op in ("percent_change", "percent_of", "cagr"):
        return unit == "%"
    return True


def fact_year(fact: Fact) -> int | None:
    """The year a figure is for: its period's end, else the year its column prints."""
    if fact.period_end:
        return int(fact.period_end[:4])
    m = re.search(r"(?:19|20)\d\d", fact.period or "")
    return int(m.group(0)) if m else None


@dataclass(frozen=True)
class _Row:
    """One table row as the question may name it: its figures by year and how well the question names it."""

    label: str
    by_year: dict
    coverage: float
    words: int
    position: int  # where in the question its words first appear
    verbatim: int = 0  # the length of its label when the question writes the label whole ("total net sales")


# "long-term debt (excluding current maturities)", "Long-term debt, less amount due within one year": the words after
# an exclusion name what the line leaves out, not the line, in a question and in a row label alike.
_EXCLUDED = re.compile(r"\b(?:excluding|exclusive\s+of|less|net\s+of|other\s+than|except(?:\s+for)?|without)\b"
                       r"(?!\s+than\b)[^,;()?]*", re.I)


# Two printed amounts side by side in a label ("$ 9,371.0 $ 10,356.0"): a row's cells, not words ("net of tax of $12")
_FIGURE_IN_LABEL = re.compile(r"\$\s*\(?\d{1,3}(?:,\d{3})*(?:\.\d+)?\)?\s+\$\s*\(?\d")
_PROSE_LABEL = re.compile(r"^\s*(?:and|or|of|to|the|in|respectively)\b.*\d{1,3},\d{3}", re.I)


def _rows(facts: list[Fact], question: str) -> list[_Row]:
    """Table rows whose label the question names, best first."""
    # (where to look is no row: "Using the income statements" names no "State" row)
    q_words = _stems(_EXCLUDED.sub(" ", WHERE_TO_LOOK.sub(" ", question)))
    lowered = question.lower()
    grouped: dict[tuple[int, str], dict[int, list[Fact]]] = {}
    for f in facts:
        if f.source != "table" or f.concept is not None and f.dimensions:
            continue  # a segment's tagged figure is not the row the question reads
        year = fact_year(f)
        if year is None:
            continue
        grouped.setdefault((f.context_start, f.metric), {}).setdefault(year, []).append(f)
    rows = []
    for (_, label), by_year in grouped.items():
        if _FIGURE_IN_LABEL.search(label) or _PROSE_LABEL.match(label):
            continue  # "Operating income $ 9,371.0 $ 10,356.0 ...": a flattened row misread, its label holds figures;
            # "and 2,665 shares as of May 31, 2023 and 2022, respectively": a sentence's tail, no row
        # The label as printed on its row, and with the heading of its group ("RSUs" over "Granted"): the
        # question may name either.
        printed = re.split(r"\s{2,}", next(iter(by_year.values()))[0].text.strip())[0]
        best = None
        for name in dict.fromkeys((label, printed)):
            # "Merchandise inventories, net": a trailing ", net" is how a balance is printed, not a word to name;
            # the row printed without it still comes first
            bare = _NET_SUFFIX.sub("", name)
            label_words = _stems(_EXCLUDED.sub(" ", _LABEL_NOTE.sub(" ", bare))) - _ARITH_STEMS
            if not label_words:
                continue
            hit = label_words & q_words
            score = (len(hit) / len(label_words) * (0.99 if bare != name and "net" not in q_words else 1.0), len(hit))
            if best is None or score > best[0]:
                best = (score, hit)
        if best is None or best[0][0] < MIN_ROW_COVERAGE:
            continue
        (cover, _), hit = best
        whole = lowered.find(label.lower())
        positions = [lowered.find(w) for w in hit if lowered.find(w) >= 0]  # a stem is a word's start
        position = whole if whole >= 0 else max(positions) if positions else 0
        unique = {y: fs[0] for y, fs in by_year.items() if len({f.value for f in fs}) == 1}
        rows.append(_Row(label, unique, cover, len(hit), position, len(label) if whole >= 0 else 0))
    rows.sort(key=lambda r: (-r.coverage, -r.words, r.position))
    return rows


def _named_row(facts: list[Fact], question: str) -> _Row | None:
    """The one row the question names in full that has two or more years; None when none does or several do."""
    rows = [r for r in _rows(facts, question) if r.coverage == 1.0 and len(r.by_year) >= 2]
    if not rows:
        return None
    top = max(r.words for r in rows)
    best = [r for r in rows if r.words == top]
    return best[0] if len(best) == 1 else None


def _best_row(rows: list[_Row], years: tuple[int, ...]) -> _Row | None:
    """The row the question names that has figures for every asked year; None when two rows fit equally."""
    fitting = [r for r in rows if all(y in r.by_year for y in years)]
    if not fitting:
        return None
    top = fitting[0]
    # ("Total net sales" written whole in the question outranks a "Net sales" row whose label is inside it)
    rivals = [r for r in fitting[1:] if (r.coverage, r.words) == (top.coverage, top.words)
              and r.verbatim >= top.verbatim and any(r.by_year[y].value != top.by_year[y].value for y in years)]
    return None if rivals else top


def _fmt(value: Decimal) -> str:
    """A result as shown: to two decimals unless whole."""
    v = value.quantize(Decimal("0.01")) if value != value.to_integral_value() else value
    return f"{v:,}"


def formula_number(value: Decimal) -> str:
    """An input as read, every digit kept (the formula is evaluated again from this text)."""
    text = f"{value.normalize():,f}" if value == value.to_integral_value() else f"{value:,f}"
    return f"({text})" if value < 0 else text


def share_of(part: Fact, whole: Fact, description: str) -> Computation | None:
    """`part` as a percentage of `whole` (a member's figure over the total's), or None for a zero whole."""
    if not whole.value:
        return None
    share = part.value / whole.value * 100
    return Computation(share, "%", f"{formula_number(part.value)} / {formula_number(whole.value)} × 100 = {_fmt(share)}%", (part, whole),
                       description)


def _years_for(ask: ArithmeticAsk, rows: list[_Row]) -> tuple[int, ...] | None:
    """The years to read: those asked; for a change with none named, the two years the best row has."""
    if ask.years:
        return ask.years
    if not rows:
        return None
    years = sorted(rows[0].by_year)
    if ask.op in ("change", "percent_change") and len(years) == 2:
        return tuple(years)
    if ask.op == "average" and len(years) >= 2:
        return tuple(years)
    return None


def compute(ask: ArithmeticAsk, facts: list[Fact]) -> Computation | None:
    """The computation `ask` describes over `facts` (table cells), or None when an operand is missing or unclear."""
    rows = _rows(facts, ask.text)
    years = _years_for(ask, rows)
    if not rows or not years:
        return None
    try:
        if ask.op in ("change", "percent_change", "cagr"):
            return _change(ask, rows, years)
        if ask.op == "average":
            return _average(rows, years)
        if ask.op == "sum":
            return _sum(rows, years)
        if ask.op in ("difference", "ratio", "percent_of"):
            return _two_rows(ask, rows, years)
    except (InvalidOperation, DivisionByZero, ZeroDivisionError):
        return None
    return None


def change_between_dates(ask: ArithmeticAsk, facts: list[Fact], early: str, late: str) -> Computation | None:
    """A change between two balances of one row on the days asked (ISO dates), for days of one year ("from January
    31, 2022 to October 31, 2022") that a change between years cannot tell apart."""
    if ask.op not in ("change", "percent_change"):
        return None
    early_rows = {r.label: r for r in _rows([f for f in facts if f.period_end == early], ask.text)}
    for row in _rows([f for f in facts if f.period_end == late], ask.text):
        before = early_rows.get(row.label)
        if before is None or len(row.by_year) != 1 or len(before.by_year) != 1:
            continue
        b, a = next(iter(row.by_year.values())), next(iter(before.by_year.values()))
        change = b.value - a.value
        if ask.op == "change":
            formula = f"{formula_number(b.value)} − {formula_number(a.value)} = {_fmt(change)}"
            return Computation(change, unit_of(row.label, b), formula, (b, a),
                               f"change in {row.label} from {a.period} to {b.period}")
        if a.value == 0:
            return None
        pct = change / abs(a.value) * 100
        formula = f"({formula_number(b.value)} − {formula_number(a.value)}) / {formula_number(abs(a.value))} × 100 = {_fmt(pct)}%"
        return Computation(pct, "%", formula, (b, a), f"percentage change in {row.label} from {a.period} to {b.period}")
    return None


def _change(ask: ArithmeticAsk, rows: list[_Row], years: tuple[int, ...]) -> Computation | None:
    if len(years) != 2:
        return None
    early, late = sorted(years)
    row = _best_row(rows, (early, late))
    if row is None:
        return None
    a, b = row.by_year[early], row.by_year[late]
    change = b.value - a.value
    if ask.op == "change":
        formula = f"{formula_number(b.value)} − {formula_number(a.value)} = {_fmt(change)}"
        return Computation(change, unit_of(row.label, b), formula, (b, a), f"change in {row.label} from {early} to {late}")
    if a.value == 0:
        return None
    if ask.op == "cagr":
        return _cagr(row.label, a, b, late - early)
    pct = change / abs(a.value) * 100
    formula = f"({formula_number(b.value)} − {formula_number(a.value)}) / {formula_number(abs(a.value))} × 100 = {_fmt(pct)}%"
    return Computation(pct, "%", formula, (b, a), f"percentage change in {row.label} from {early} to {late}")


def as_amounts_paid(comp: Computation) -> Computation | None:
    """A change of a cash outflow printed in parentheses ("Payments for repurchases of common stock (16,248) ...
    (1,300)"), as the amounts paid: it declined by 14,948, though the signed figure rose. None for any other."""
    if len(comp.inputs) != 2 or comp.unit == "%" or not comp.description.startswith("change in "):
        return None
    later, earlier = comp.inputs
    if later.value >= 0 or earlier.value >= 0 or not OUTFLOW_LABEL.search(later.metric):
        return None
    change = abs(later.value) - abs(earlier.value)
    formula = f"{formula_number(abs(later.value))} − {formula_number(abs(earlier.value))} = {_fmt(change)}"
    return Computation(change, comp.unit, formula, comp.inputs, comp.description.replace("change in ", "change in the "
                       "amount paid (", 1) + ")")


def _cagr(label: str, first: Fact, last: Fact, years: int) -> Computation | None:
    """Growth per year, compounded: (last / first) ^ (1 / years) − 1, in percent; None unless both are positive."""
    if years < 1 or first.value <= 0 or last.value <= 0:
        return None
    rate = ((last.value / first.value) ** (Decimal(1) / Decimal(years)) - 1) * 100
    formula = f"(({formula_number(last.value)} / {formula_number(first.value)}) ^ (1 / {years}) − 1) × 100 = {_fmt(rate)}%"
    return Computation(rate, "%", formula, (last, first), f"compound annual growth of {label} over {years} years")


def _average(rows: list[_Row], years: tuple[int, ...]) -> Computation | None:
    if len(years) == 1:
        years = (years[0], years[0] - 1)  # "the 2019 average": the year and the one before it, as balances are averaged
    elif len(years) == 2 and abs(years[0] - years[1]) > 1:
        low, high = sorted(years)
        years = tuple(range(low, high + 1))  # "from 2017 to 2019": every year in the range
    row = _best_row(rows, years)
    if row is None:
        return None
    cells = [row.by_year[y] for y in sorted(years, reverse=True)]
    sizes = [_size(c, row.label) for c in cells]
    total = sum(sizes, Decimal(0))
    mean = total / len(cells)
    formula = f"({' + '.join(formula_number(v) for v in sizes)}) / {len(cells)} = {_fmt(mean)}"
    return Computation(mean, unit_of(row.label, cells[0]), formula, tuple(cells),
                       f"average {row.label} over {', '.join(str(y) for y in sorted(years))}")


def _size(cell: Fact, label: str) -> Decimal:
    """An outflow printed in parentheses ("Capital expenditures (8,695)") by its size: an average or a total of
    capital spending is a positive amount."""
    return abs(cell.value) if cell.value < 0 and OUTFLOW_LABEL.search(label) else cell.value


def _sum(rows: list[_Row], years: tuple[int, ...]) -> Computation | None:
    if len(years) < 2:
        return None
    row = _best_row(rows, years)
    if row is None:
        return None
    cells = [row.by_year[y] for y in years]
    sizes = [_size(c, row.label) for c in cells]
    total = sum(sizes, Decimal(0))
    formula = f"{' + '.join(formula_number(v) for v in sizes)} = {_fmt(total)}"
    return Computation(total, unit_of(row.label, cells[0]), formula, tuple(cells),
                       f"sum of {row.label} over {', '.join(str(y) for y in years)}")


def _two_rows(ask: ArithmeticAsk, rows: list[_Row], years: tuple[int, ...]) -> Computation | None:
    """A − B, A / B or A / B × 100 for two rows the question names (in the order it names them), one year."""
    if len(years) != 1:
        return None
    year = years[0]
    fitting = [r for r in rows if year in r.by_year]
    # Two different rows, both named fully; the one named first is A ("X as a percentage of Y").
    named = [r for r in fitting if r.coverage == 1.0]
    distinct: list[_Row] = []
    for r in named:
        if all(r.label != d.label for d in distinct):
            distinct.append(r)
    if len(distinct) != 2:
        return None
    first, second = sorted(distinct, key=lambda r: r.position)
    if ask.op != "difference" and _is_total(first, ask.text) and not _is_total(second, ask.text):
        first, second = second, first  # "What percentage of total income is Swiss income?": the total is the whole
    a, b = first.by_year[year], second.by_year[year]
    if a.value == b.value and (a.context_start == b.context_start or a.start == b.start or ask.op != "difference"):
        return None  # one figure under two names ("Revenue" and "Total revenue" of one table) is no share of itself
    if ask.op == "difference":
        value = a.value - b.value
        return Computation(value, unit_of(first.label, a), f"{formula_number(a.value)} − {formula_number(b.value)} = {_fmt(value)}", (a, b),
                           f"difference between {first.label} and {second.label} in {year}")
    if b.value == 0:
        return None
    if ask.op != "difference" and "%" in (unit_of(first.label, a), unit_of(second.label, b)):
        return None  # a percentage is already a ratio: "Operating ratio (%)" over "Operating" revenue is no figure
    if ask.op == "ratio":
        value = a.value / b.value
        return Computation(value, "ratio", f"{formula_number(a.value)} / {formula_number(b.value)} = {_fmt(value)}", (a, b),
                           f"ratio of {first.label} to {second.label} in {year}")
    value = a.value / b.value * 100
    return Computation(value, "%", f"{formula_number(a.value)} / {formula_number(b.value)} × 100 = {_fmt(value)}%", (a, b),
                       f"{first.label} as a percentage of {second.label} in {year}")


def _is_total(row: _Row, question: str) -> bool:
    """The row is a total: its label says so, or the question calls it one ("the total income before taxes")."""
    before = question[:row.position].lower().split()[-2:]
    return bool(re.match(r"\s*total\b", row.label, re.I)) or "total" in before


_RATE_LABEL = re.compile(r"%|\bpercent(?:age)?\b|\brate\b|\bmargin\b|\byield\b", re.I)


def unit_of(row_label: str, fact: Fact) -> str:
    """A figure's unit; a row of rates ("Discount rate", "Gross margin (%)") is in percent though its cells print
    no "%"."""
    if fact.unit in ("", "USD") and _RATE_LABEL.search(row_label) and abs(fact.value) < 1000:
        return "%"
    return fact.unit


@dataclass(frozen=True)
class Lookup:
    """Several printed figures a question asks for, in the order it asks (`years`: a table's years)."""

    facts: tuple[Fact, ...]
    items: tuple[str, ...]
    description: str


def look_up(ask: ArithmeticAsk, facts: list[Fact], text: str, tables: Sequence = ()) -> Lookup | None:
    """The figures of one row for each asked year, or of each named row for the one asked year; the years of the
    first table (with year columns) for "which years"."""
    if ask.op == "items":
        table = next((t for t in tables if t.rows), None)
        if table is None:
            return None
        labels: list[str] = []
        for f in sorted((f for f in facts if f.source == "table" and table.start <= f.start < table.end),
                        key=lambda f: f.context_start):
            printed = re.split(r"\s{2,}", f.text.strip())[0]
            if printed and not _is_total_label(printed) and printed not in labels:
                labels.append(printed)
        return Lookup((), tuple(labels), "the items the table lists") if len(labels) >= 2 else None
    if ask.op in ("row_years", "which_year"):
        row = _named_row(facts, ask.text)
        if row is None:
            return None
        years = sorted(row.by_year, reverse=True)
        if ask.op == "row_years":
            return Lookup((), tuple(str(y) for y in years), f"the years {row.label} is given for")
        than = _THAN.search(ask.text)
        if than:
            limit = Decimal(than.group(2).replace(",", ""))
            more = than.group(1).lower() in ("more", "greater", "higher")
            cells = [row.by_year[y] for y in years]
            passed = [c for c in cells if (_in_units(c) > limit if more else _in_units(c) < limit)]
            return Lookup(tuple(passed), tuple(str(fact_year(c)) for c in passed),
                          f"the years {row.label} was {'more' if more else 'less'} than {than.group(2)}")
        pick = max if _MORE.search(ask.text) and not _LESS.search(ask.text) else min if _LESS.search(ask.text) else None
        if pick is None:
            return None
        chosen = pick(years, key=lambda y: row.by_year[y].value)
        values = [row.by_year[y].value for y in years]
        if values.count(row.by_year[chosen].value) > 1:
            return None
        return Lookup((row.by_year[chosen],), (str(chosen),), f"the year {row.label} was {'highest' if pick is max else 'lowest'}")
    if ask.op == "years":
        tables: dict[int, list[int]] = {}
        for f in facts:
            year = fact_year(f)
            if f.source == "table" and year is not None:
                row = tables.setdefault(f.context_start, [])
                if year not in row:
                    row.append(year)
        rows = [years for years in tables.values() if len(years) >= 2]
        if not rows:
            return None
        years = rows[0]
        return Lookup((), tuple(str(y) for y in years), "the years the table covers")
    rows = _rows(facts, ask.text)
    if ask.op == "value":
        year = ask.years[0]
        named = [r for r in rows if r.coverage == 1.0 and year in r.by_year]
        if not named:
            return None
        top = max(r.words for r in named)
        best = [r for r in named if r.words == top]
        if len({r.by_year[year].value for r in best}) != 1:
            return None  # two rows of the question's words print different figures: not a guess
        cell = best[0].by_year[year]
        return Lookup((cell,), (text[cell.start:cell.end],), f"{best[0].label} in {year}")
    if len(ask.years) >= 2:
        row = _best_row(rows, ask.years)
        if row is None:
            return None
        cells = tuple(row.by_year[y] for y in ask.years)
        return Lookup(cells, tuple(text[c.start:c.end] for c in cells),
                      f"{row.label} in {', '.join(str(y) for y in ask.years)}")
    if len(ask.years) == 1:
        year = ask.years[0]
        named = [r for r in rows if r.coverage == 1.0 and year in r.by_year]
        distinct: list[_Row] = []
        for r in sorted(named, key=lambda r: r.position):
            if all(r.label != d.label for d in distinct):
                distinct.append(r)
        if len(distinct) < 2:
            return None
        cells = tuple(r.by_year[year] for r in distinct)
        return Lookup(cells, tuple(text[c.start:c.end] for c in cells),
                      f"{' and '.join(r.label for r in distinct)} in {year}")
    return None


def _is_total_label(label: str) -> bool:
    return bool(re.match(r"\s*(?:total|net)\b", label, re.I)) or label.strip().endswith(":")


def _in_units(fact: Fact) -> Decimal:
    """A figure in the units its table prints (a threshold in a question is written in them): the printed cell."""
    digits = re.sub(r"[^\d.]", "", fact.text[fact.start - fact.context_start:fact.end - fact.context_start]) \
        if fact.context_start >= 0 else ""
    try:
        value = Decimal(digits) if digits else abs(fact.value)
    except InvalidOperation:
        value = abs(fact.value)
    return -value if fact.value < 0 else value
