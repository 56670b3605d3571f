"""Standard financial metrics as small expressions over statement lines, and the question that asks for one.

    ask = parse_metric_question("What is Apple's FY2024 quick ratio? Round to two decimal places.")
    result = evaluate_metric(ask, filing, facts)    # value, formula with every input, inputs cited, or what is missing

A definition the question states ("Quick ratio = (cash + marketable securities + accounts receivable) / total
current liabilities") overrides the registry's. Averages of balances use the two year-end figures a 10-K prints
(this year's and last year's); a year the filing does not contain is a no-answer that names it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal, DivisionByZero, InvalidOperation

from corpus.model import Filing
from corpus.period_intent import PeriodIntent, TargetPeriod, parse_period_intent
from corpus.periods import DATE_RE, iso_date
from qa.compute.arithmetic import asked_years, formula_number
from qa.compute.lines import LineValue, find_line, fiscal_year_of, line_value, row_value
from qa.figures.facts import FilingFacts
from qa.figures.tables import Fact
from qa.question import asks_yes_no, find_metric
from qa.vocabulary import LINE_ITEMS, OUTFLOW_LABEL, RATE_ASKED, asked_measure

# Lines that are costs or outflows however they are printed ("Interest expense (2,755)"): their size enters a metric.
OUTFLOWS = {"capital expenditures", "dividends paid", "repurchases of common stock", "interest expense"}
# A line a statement may print with either sign ("Provision for income taxes (352)", "(Provision for) benefit from
# income taxes (623)"): the totals above and below it decide what it takes away (see `_as_subtracted`).
DEDUCTED_BETWEEN = {"income tax provision": ("income before income taxes", "net income including noncontrolling interests",
                                             "net income")}
ROW_PREFIX = "row:"  # a term of a stated definition read from the statement row of that name, not a vocabulary line  # printed in parentheses, used as positive amounts


@dataclass(frozen=True)
class MetricDefinition:
    """`expression` is arithmetic over line names in braces: "{total current assets} - {total current
    liabilities}"; "avg{total assets}" is the mean of this year's and last year's closing balance. `percent`:
    the result is a percentage (×100)."""

    name: str
    aliases: tuple[str, ...]
    expression: str
    unit: str  # "ratio" | "%" | "USD" | "days"


REGISTRY: tuple[MetricDefinition, ...] = (
    MetricDefinition("gross margin", ("gross margin", "gross profit margin"), "{gross profit} / {total revenue} * 100", "%"),
    MetricDefinition("operating margin", ("operating margin", "operating profit margin", "ebit margin"),
                     "{operating income} / {total revenue} * 100", "%"),
    MetricDefinition("net profit margin", ("net profit margin", "net margin", "net income margin", "profit margin"),
                     "{net income} / {total revenue} * 100", "%"),
    MetricDefinition("current ratio", ("current ratio", "working capital ratio"),
                     "{total current assets} / {total current liabilities}", "ratio"),
    MetricDefinition("quick ratio", ("quick ratio", "acid-test ratio", "acid test ratio"),
                     "({cash and cash equivalents} + {marketable securities} + {accounts receivable}) / "
                     "{total current liabilities}", "ratio"),
    MetricDefinition("cash ratio", ("cash ratio",), "{cash and cash equivalents} / {total current liabilities}", "ratio"),
    MetricDefinition("working capital", ("working capital",), "{total current assets} - {total current liabilities}", "USD"),
    MetricDefinition("EBITDA", ("unadjusted ebitda", "ebitda"), "{operating income} + {depreciation and amortization}", "USD"),
    MetricDefinition("EBITDA margin", ("ebitda margin", "unadjusted ebitda margin"),
                     "({operating income} + {depreciation and amortization}) / {total revenue} * 100", "%"),
    MetricDefinition("free cash flow", ("free cash flow", "fcf"), "{cash provided by operating activities} - {capital expenditures}", "USD"),
    MetricDefinition("free cash flow conversion", ("free cash flow conversion", "fcf conversion"),
                     "({cash provided by operating activities} - {capital expenditures}) / {net income} * 100", "%"),
    MetricDefinition("effective tax rate", ("effective tax rate", "effective income tax rate"),
                     "{income tax provision} / {income before income taxes} * 100", "%"),
    MetricDefinition("return on assets", ("return on assets", "roa", "return on average assets"),
                     "{net income} / avg{total assets} * 100", "%"),
    MetricDefinition("return on equity", ("return on equity", "roe", "return on average equity"),
                     "{net income} / avg{shareholders' equity} * 100", "%"),
    MetricDefinition("asset turnover", ("asset turnover", "total asset turnover", "asset turnover ratio"),
                     "{total revenue} / avg{total assets}", "ratio"),
    MetricDefinition("inventory turnover", ("inventory turnover", "inventory turnover ratio"),
                     "{cost of revenue} / avg{inventories}", "ratio"),
    MetricDefinition("days sales outstanding", ("days sales outstanding", "dso"),
                     "365 * avg{accounts receivable} / {total revenue}", "days"),
    MetricDefinition("days inventory outstanding", ("days inventory outstanding", "dio", "days of inventory"),
                     "365 * avg{inventories} / {cost of revenue}", "days"),
    MetricDefinition("days payable outstanding", ("days payable outstanding", "dpo"),
                     "365 * avg{accounts payable} / {cost of revenue}", "days"),
    MetricDefinition("interest coverage", ("interest coverage", "interest coverage ratio", "times interest earned"),
                     "{operating income} / {interest expense}", "ratio"),
    MetricDefinition("capital expenditure as a percentage of revenue",
                     ("capital expenditure as a percentage of revenue", "capex as a percentage of revenue",
                      "capex to revenue", "capital expenditures as a percentage of revenue", "capex intensity",
                      "capex as a % of revenue", "capital expenditure as a % of revenue", "capex as % of revenue",
                      "capital expenditures as a % of revenue"),
                     "{capital expenditures} / {total revenue} * 100", "%"),
    MetricDefinition("dividend payout ratio", ("dividend payout ratio", "payout ratio"),
                     "{dividends paid} / {net income} * 100", "%"),
    MetricDefinition("R&D as a percentage of revenue", ("r&d as a percentage of revenue", "r&d intensity",
                                                        "research and development as a percentage of revenue"),
                     "{research and development expenses} / {total revenue} * 100", "%"),
    MetricDefinition("fixed asset turnover", ("fixed asset turnover", "fixed-asset turnover", "fixed asset turnover ratio",
                                              "pp&e turnover"),
                     "{total revenue} / avg{property, plant and equipment}", "ratio"),
    MetricDefinition("debt to equity", ("debt to equity", "debt-to-equity", "debt/equity"),
                     "({long-term debt} + {current portion of long-term debt}) / {shareholders' equity}", "ratio"),
    MetricDefinition("net debt", ("net debt",),
                     "{long-term debt} + {current portion of long-term debt} - {cash and cash equivalents}", "USD"),
    MetricDefinition("debt to assets", ("total liabilities to total assets", "liabilities to assets"),
                     "{total liabilities} / {total assets}", "ratio"),
)
_ALIASES = sorted(((alias, d) for d in REGISTRY for alias in d.aliases), key=lambda pair: -len(pair[0]))

_DEFINED = re.compile(r"(?P<name>[A-Za-z][\w&'’ -]{1,60}?)\s*,?\s*(?:=|\bis\s+defined\s+as\b|\bis\s+calculated\s+as\b|"
                      r"\bdefined\s+as\b|\bequals\b)\s*:?\s*(?P<expr>[^?;]+?)(?:\.\s|\.?$|\?)", re.I)
_DECIMALS = re.compile(r"\b(?:round(?:ed)?\s+(?:it\s+)?to\s+|to\s+|with\s+)?(one|two|three|four|zero|no|\d)\s+decimal(?:\s+places?|s)?\b", re.I)
_WORD_NUMBERS = {"zero": 0, "no": 0, "one": 1, "two": 2, "three": 3, "four": 4}
_IN_PERCENT = re.compile(r"\bin\s+percent(?:age)?s?\b|\bas\s+a\s+percent(?:age)?\b|\bin\s+%", re.I)
_IN_MILLIONS = re.compile(r"\b(?:in\s+)?(?:usd|us\$|\$|dollars?)\s+(thousands|millions|billions)\b|\bin\s+(thousands|millions|billions)\b", re.I)
_AVERAGE = re.compile(r"\b(?:(\w+)[- ]year\s+)?average\b", re.I)
_YEAR_COUNTS = {"two": 2, "three": 3, "four": 4, "five": 5, "2": 2, "3": 3, "4": 4, "5": 5}


@dataclass(frozen=True)
class MetricAsk:
    """A question asking for a metric: which definition, for which fiscal years (several when it asks for an
    n-year average), to how many decimals, and in what unit the answer is shown."""

    definition: MetricDefinition
    years: tuple[int, ...]
    average: bool = False
    decimals: int | None = None
    show_scale: int = 1  # 1_000_000 for "in USD millions"
    stated: bool = False  # the definition is the question's own
    said: tuple[str, ...] = ()  # the metric's names the question used ("gross margin")
    asks_rate: bool = False  # the question says percentage, ratio or rate (not a dollar line of the same words)
    within: PeriodIntent | None = None  # a quarter or year to date asked ("Q2 2023", "six months ended ..."), not a year
    as_of: str | None = None  # a metric of balances only, asked at a date ("as of July 29, 2023"): ISO date
    verdict: tuple[str, Decimal] | None = None  # a yes/no comparison of two lines: (">" | ">=" | "<", limit)
    change: bool = False  # the metric's change from the earlier period to the later (percentage points for a %)
    year_ended: str | None = None  # a year asked only by its last day ("the fiscal year ended February 2, 2024"): ISO


# "unadjusted EBITDA (operating income + depreciation and amortization)": a formula in parentheses after a name.
_DEFINED_ASIDE = re.compile(r"(?P<name>[A-Za-z][\w&'’ -]{1,60}?)\s*\((?P<expr>[^()]*?(?:\+|−|–|\s-\s|/|×|\*|\bminus\b|"
                            r"\bplus\b|\bdivided by\b|\bover\b)[^()]*)\)", re.I)


def _registry_match(question: str) -> MetricDefinition | None:
    lowered = question.lower().replace("’", "'")
    return next((d for alias, d in _ALIASES if re.search(rf"(?<![\w&]){re.escape(alias)}(?![\w&])", lowered)), None)


# "..., defined as A + B" after the period or anything else: the formula, its name taken from before it.
_DEFINED_AFTER = re.compile(r",\s*(?:defined|calculated|computed)\s+as\s*:?\s*(?P<expr>[^?;]+?)(?:\.\s|\.?$|\?)", re.I)
# What a definition says besides its formula: the unit of the answer ("(in USD)", ", in USD millions") and where its
# lines are printed ("(cash flow statement)").
_ASIDES = re.compile(r"\s*,?\s*\(?\bin\s+(?:usd|us\$|\$|dollars?)(?:\s+(?:thousands|millions|billions))?\)?|"
                     # a parenthesis with no formula inside: where lines are printed ("(cash flow statement)") or a
                     # line's own qualifier ("interest expense (net of capitalized interest)")
                     r"\s*\((?![^()]*(?:\+|−|–|\s-\s|/|×|\*|\bminus\b|\bplus\b|\bless\b|\bdivided\s+by\b|\btimes\b))"
                     r"[^()]*\)|"
                     # how the answer is shown: ", in percent rounded to two decimals"
                     r",?\s*\b(?:(?:expressed\s+)?(?:in|as\s+a)\s+percent(?:age)?s?|round(?:ed)?\s+to)\b.*$", re.I)


def _definition_from(question: str) -> MetricDefinition | None:
    """A definition the question states: "X = A / (B + C)", "X is defined as A - B", "X (A + B)". Its name and
    unit are the registry's when the question names a metric it knows; else the last words before the formula."""
    # the fullest formula any form of statement gives: "X at <date>, defined as (A + B + C) divided by D" is read
    # whole, not as the parenthesis alone
    parsed = [(m, e) for m in (_DEFINED.search(question), _DEFINED_ASIDE.search(question),
                               _DEFINED_AFTER.search(question))
              if m and (e := _parse_expression(_ASIDES.sub("", m.group("expr"))))]
    if not parsed:
        return None
    m, expression = max(parsed, key=lambda me: me[1].count("{"))
    known = _registry_match(question)
    if known is not None and known.unit == "USD" and "/" in expression:
        known = None  # "working capital (current) ratio, defined as A divided by B": a ratio, not the difference
    if known is not None:
        unit = known.unit
        name = known.name
    else:
        said = m.groupdict().get("name") or ""
        if not said or re.match(r"\s*(?:where|with|in\s+which)\b", said, re.I):
            # "X margin for fiscal 2022, where free cash flow = A - B, divided by C": the name is before the clause
            said = re.split(r"\b(?:as\s+of|for|in)\b|,", question[:m.start()])[0]
        said = re.sub(r"\b(?:fiscal\s+|fy\s*)?(?:19|20)\d\d\b", " ", said, flags=re.I)  # (the year is the question's)
        name = " ".join(re.sub(r"^.*\b(?:what|is|was|the|of|its|their|company's|'s)\s+", "", said, flags=re.I).split()[-5:])
        percent = bool(re.search(r"\bmargin\b|\brate\b|\bpercent|\breturn on\b", name, re.I)) or (
            "/" in expression and bool(re.search(r"\bpercent(?:age)?s?\b|%", question[m.end():], re.I)))  # ("...? Percentage to two decimals.")
        days = bool(re.search(r"\bdays\b|\bdso\b|\bdpo\b|\bdio\b", name, re.I))
        unit = "days" if days else "%" if percent else "ratio" if "/" in expression else "USD"
    if unit in ("%", "ratio", "days") and "/" not in expression:
        return None  # a rate read without its denominator is a formula read in part, never a rate
    if unit == "%" and "100" not in expression:
        expression = f"({expression}) * 100"
    return MetricDefinition(name, (name.lower(),), expression, unit)


_TOKEN = re.compile(r"\(|\)|\+|−|–|-(?=\s)|/|×|\*|\bdivided by\b|\bover\b|\bplus\b|\bminus\b|\btimes\b|\bmultiplied by\b|"
                    r"\d+(?:\.\d+)?(?=\s|$|\))", re.I)
_OPERATOR = {"+": "+", "plus": "+", "−": "-", "–": "-", "-": "-", "minus": "-", "/": "/", "divided by": "/",
             "over": "/", "×": "*", "*": "*", "times": "*", "multiplied by": "*"}


# "interest expense – net": a row's own ", net" printed after a dash, no subtraction (nothing named "net" is taken away)
_NET_SUFFIX = re.compile(r"\s+[–-]\s+net\b(?=\s*(?:$|[+/*×)−–,?.]|-\s|\b(?:divided|plus|minus|times|over|from|in|per|"
                         r"on|as|at|for)\b))", re.I)


def _parse_expression(text: str) -> str | None:
    """A stated formula in line names as braces ("(cash and equivalents + A/R) / current liabilities" ->
    "({cash and cash equivalents} + {accounts receivable}) / {total current liabilities}"); None when a term
    names no line we know."""
    # (a date or year inside a term is the period, not a number of the formula: "receivable at January 31, 2023")
    text = re.sub(r"\b(?:fiscal\s+)?(?:19|20)\d\d\b", " ", re.sub(DATE_RE.pattern, " ", text), flags=re.I)
    text = _NET_SUFFIX.sub(", net", text)
    out: list[str] = []
    pos = 0
    for m in list(_TOKEN.finditer(text)) + [None]:
        phrase = text[pos:m.start() if m else len(text)].strip(" ,:")
        if phrase:
            term = _term(phrase)
            if term is None:
                return None
            out.append(term)
        if m is None:
            break
        token = m.group(0).lower()
        if token in _OPERATOR and text[pos:m.start()].rstrip().endswith(",") and len(out) > 1:
            out = ["(", *out, ")"]  # "A plus B, divided by C": the comma closes what comes before it
        out.append(_OPERATOR.get(token, token))
        pos = m.end()
    expression = " ".join(out)
    return expression if "{" in expression else None


# Where a term is to be read, said after it: "depreciation from the cash flow statement", "(cash flow statement)".
_SOURCE = re.compile(r"\s*\(?\b(?:(?:as\s+)?(?:reported\s+)?(?:from|per|in|on)\s+)?(?:the\s+)?(?:condensed\s+)?"
                     r"(?:consolidated\s+)?(?:statements?\s+of\s+cash\s+flows?|cash[- ]flows?\s+statement|balance\s+sheet|"
                     r"income\s+statement)s?\)?\s*$", re.I)
# A phrase that names no line at all but the question's framing: kept out of row terms.
_NOT_A_ROW = re.compile(r"\b(?:what|was|were|is|the\s+company|round|decimal|percent|usd|dollars?|millions?|billions?)\b", re.I)


def _term(phrase: str) -> str | None:
    phrase = _SOURCE.sub("", phrase)
    # "accounts receivable, net at January 31, 2023", "total fiscal 2023 revenues", "the average of total equity at
    # December 31, 2009 and December 31, 2008": the periods are the question's
    phrase = re.sub(DATE_RE.pattern, " ", phrase)
    phrase = re.sub(r"\b(?:fiscal\s+)?(?:19|20)\d\d\b", " ", phrase, flags=re.I)
    phrase = re.sub(r"\b[a-z]*\d+[a-z]+\b(?:\s+company\b)?", " ", phrase, flags=re.I)  # ("3M Company": the filer's name)
    phrase = re.sub(r"(?:,?\s+(?:at|as\s+of|on|for|in|and|between)(?:\s+the\s+end\s+of)?)+\s*$", "",
                    " ".join(phrase.split()), flags=re.I)
    avg = re.match(r"(?:the\s+)?average\s+(?:of\s+)?(.+?)(?:\s+(?:between|over|for)\b.*)?$", phrase, re.I)
    if avg:
        line = find_line(avg.group(1))
        return f"avg{{{line}}}" if line else None
    phrase = re.sub(r"\s+(?:for|in|of)\s+(?:the\s+)?(?:fiscal\s+)?(?:year|fy)\b.*$", "", phrase, flags=re.I)
    # ("cash payments for dividends": the payments are the cash-flow line whether or not "cash" is said)
    line = find_line(phrase) or find_line(re.sub(r"^(?:the\s+)?cash\s+(?=payments?\b|paid\b)", "", phrase.strip(), flags=re.I))
    if line:
        return f"{{{line}}}"
    # A line the vocabulary does not know, named as the filing prints it ("amortization of intangibles"): its row.
    words = phrase.strip(" ,.").lower()
    if 1 <= len(words.split()) <= 8 and not _NOT_A_ROW.search(words) and re.fullmatch(r"[a-z][a-z&,'’ -]*", words):
        return f"{{{ROW_PREFIX}{words}}}"
    return None


# A yes/no comparison of two lines: "was net cash from operating activities higher than net income", "capital
# expenditures exceed 5% of revenue", "operating income above 5x interest expense", "free cash flow (...) cover the
# dividends it paid".
_COMPARISON = re.compile(r"\b(?P<op>(?:higher|greater|larger|more|bigger)\s+than|(?:lower|less|smaller)\s+than|"
                         r"exceed(?:ed|s)?|above|below|cover(?:ed|s)?)\s+(?:(?P<factor>\d+(?:\.\d+)?)\s*"
                         r"(?P<unit>%|x\b|times\b|percent\b)\s*(?:of\s+)?)?", re.I)
_SIDE_NOISE = re.compile(r"^(?:(?:the|its|their|his|her|total|consolidated|reported|gaap)\s+)+", re.I)


def _side(phrase: str, question: str) -> tuple[str, str] | None:
    """(expression, name) of one side of a comparison: a line, a metric the registry or the question defines."""
    phrase = _SIDE_NOISE.sub("", phrase.strip(" ,.?")).strip()
    if not phrase or re.search(r"['’]s\b", phrase):
        return None
    stated = _definition_from(question)
    if stated is not None and stated.name.lower() == phrase.lower() and stated.unit == "USD":
        return f"({stated.expression})", phrase
    known = next((d for alias, d in _ALIASES if alias == phrase.lower()), None)
    if known is not None:
        return (f"({known.expression})", phrase) if known.unit == "USD" else None
    line = find_line(phrase)
    if line is None:  # a name the question uses for a statement line ("acquiring its common stock")
        metric, alias = find_metric(phrase)
        line = metric if metric in LINE_ITEMS and alias == phrase.lower() else None
    return (f"{{{line}}}", line) if line else None  # (named as the vocabulary names the line)


# "spend more cash acquiring its common stock than it paid in cash dividends": the left side between the two words
_SPLIT_COMPARISON = re.compile(r"\b(?P<op>more|less)\s+(?:cash\s+)?(?P<left>[\w&' -]{3,60}?)\s+than\s+"
                               r"(?:(?:it|they|the\s+company)\s+(?:paid|spent|returned|made|had|used)\s+(?:in|on|for|as)?\s*)?",
                               re.I)


def _sides(before: list[str], after: list[str], question: str) -> tuple:
    """The two sides around a comparison or "as a percentage of": the longest run of words (up to eight) ending
    just before it, and the longest starting just after it, that each name a line or a metric (see `_side`)."""
    left = next((found for k in range(min(8, len(before)), 0, -1)
                 if (found := _side(" ".join(before[-k:]), question))), None)
    right = next((found for k in range(min(8, len(after)), 0, -1)
                  if (found := _side(" ".join(after[:k]), question))), None)
    return left, right


# a period said after a line and before the comparison: "dividends paid in the six months ended June 30, 2023 exceed"
_PERIOD_AFTER = re.compile(r"\s+(?:in|for|during|over)\s+(?:the\s+)?(?:(?:first|second|third|fourth)\s+(?:quarter|half)|"
                           r"(?:three|six|nine|twelve|3|6|9|12)\s+months|fiscal|fy|q[1-4]|(?:19|20)\d\d|year|quarter)\b"
                           r"[^?]*$", re.I)


def _comparison_from(question: str) -> MetricDefinition | None:
    """A comparison of two lines as a metric with its verdict's limit: see `_COMPARISON`. The sides are the longest
    runs of words before and after the comparison word that name a line."""
    for m in _SPLIT_COMPARISON.finditer(question):
        left, right = _sides(m.group("left").split(), question[m.end():].split(), question)
        if left is not None and right is not None and left[0] != right[0]:
            op = ">" if m.group("op").lower() == "more" else "<"
            return MetricDefinition(f"{left[1]} less {right[1]}", (), f"{left[0]} - ({right[0]})", "USD"), \
                (op, Decimal(0))
    for m in _COMPARISON.finditer(question):
        before = re.sub(r"\s*\([^()]*\)\s*$", "", question[:m.start()])  # (a definition after the name)
        before = _PERIOD_AFTER.sub("", before).split()  # ("dividends paid in the six months ended June 30, 2023")
        after = question[m.end():]
        both = re.match(r"\s*both\s+(.+?)\s*(?:\?|$|\b(?:in|for|during)\s+the\b)", after, re.I)
        if both:  # "cover both its additions to PP&E and its cash dividends": their sum, split where both sides name
            words = both.group(1).split()  # a line ("property, plant and equipment" has an "and" of its own)
            parts = next(([p1, p2] for i, w in enumerate(words) if w.lower() == "and"
                          and (p1 := _sides([], words[:i], question)[1]) and (p2 := _sides([], words[i + 1:], question)[1])
                          ), [None, None])
            left = _sides(before, [], question)[0]
            if left is not None and all(parts) and len({left[0], *(p[0] for p in parts)}) == 3:
                right = (f"({parts[0][0]} + {parts[1][0]})", f"{parts[0][1]} and {parts[1][1]}")
                op = ">=" if m.group("op").lower().startswith("cover") else ">"
                return MetricDefinition(f"{left[1]} less {right[1]}", (), f"{left[0]} - {right[0]}", "USD"), \
                    (op, Decimal(0))
        left, right = _sides(before, after.split(), question)
        if left is None or right is None or left[0] == right[0]:
            continue
        op = "<" if re.match(r"lower|less|smaller|below", m.group("op"), re.I) else \
            ">=" if m.group("op").lower().startswith("cover") else ">"
        factor, unit = m.group("factor"), (m.group("unit") or "").lower()
        if factor and unit in ("%", "percent"):
            return MetricDefinition(f"{left[1]} as a percentage of {right[1]}", (), f"{left[0]} / {right[0]} * 100",
                                    "%"), (op, Decimal(factor))
        if factor:
            return MetricDefinition(f"{left[1]} to {right[1]}", (), f"{left[0]} / {right[0]}", "ratio"), \
                (op, Decimal(factor))
        if op == ">=" and _HOW_MANY_TIMES.search(question):
            # "How many times did operating income cover interest expense?": the multiple itself, no verdict
            return MetricDefinition(f"{left[1]} to {right[1]}", (), f"{left[0]} / {right[0]}", "ratio"), None
        return MetricDefinition(f"{left[1]} less {right[1]}", (), f"{left[0]} - ({right[0]})", "USD"), (op, Decimal(0))
    return None


_AS_SHARE_OF = re.compile(r"\bas\s+an?\s+(?:percent(?:age)?|%|share|proportion)\s+of\b", re.I)


def _share_from(question: str) -> MetricDefinition | None:
    """"A as a percentage of B" for two statement lines the registry has no name for ("research and development
    expense as a percentage of net revenue"): A / B × 100, each side the longest run of words naming a line."""
    m = _AS_SHARE_OF.search(question)
    if m is None:
        return None
    before = re.split(r"\b(?:what|was|were|is|are)\b", question[:m.start()], flags=re.I)[-1]
    before = re.sub(r"\s*\([^()]*\)\s*$", "", before).split()  # (what the line is, said after its name)
    left, right = _sides(before, question[m.end():].split(), question)
    if left is None or right is None or left[0] == right[0]:
        return None
    return MetricDefinition(f"{left[1]} as a percentage of {right[1]}", (), f"{left[0]} / {right[0]} * 100", "%")


_ONE_OVER_ONE = re.compile(r"^\(?\{([^{}]+)\} / \{([^{}]+)\}\)?(?: \* 100)?$")


def rate_lines(question: str) -> tuple[str, str] | None:
    """The two lines of the rate a question asks ("operating margin (operating income / net operating revenues)",
    "net earnings as a % of net sales", "operating margin"): (numerator, denominator), as the question defines it
    or else as the registry does; None when the rate is no one line over another."""
    definition = _definition_from(question) or _share_from(question) or _registry_match(question)
    if definition is None or definition.unit not in ("%", "ratio"):
        return None
    m = _ONE_OVER_ONE.match(definition.expression)
    return (m.group(1), m.group(2)) if m else None


# "What percentage of McDonald's total revenues in 2023 came from revenues from franchised restaurants?"
_CAME_FROM = re.compile(r"\b(?:percentage|percent|share|proportion|portion|fraction)\s+of\s+(?P<whole>[^?]+?)\s+"
                        r"(?:came|come|comes|was|were|derived|generated)\s+(?:from|by)\s+(?P<part>[^?(,]+?)\s*"
                        r"(?=\?|$|,|\(|\b(?:in|for|during)\s+(?:the\s+)?(?:fiscal|fy|q[1-4]|(?:19|20)\d\d|first|second|third|"
                        r"fourth|three|six|nine|twelve|year|quarter)\b)", re.I)


def _share_came_from(question: str) -> MetricDefinition | None:
    """"What share of total revenues came from <a line>?": the line over the whole, in percent. The part may be a row
    the vocabulary does not know ("cloud services and license support"), read by its name."""
    m = _CAME_FROM.search(question)
    if m is None:
        return None
    whole_words = re.sub(r"\b[\w&.]+['’]s\s+|\b(?:fiscal\s+|fy\s*)?(?:19|20)\d\d\b|\bfy\d\d\b", " ", m.group("whole"),
                         flags=re.I).split()
    whole = next((found for k in range(min(8, len(whole_words)), 0, -1)
                  if (found := _side(" ".join(whole_words[:k]), question))), None)
    phrase = m.group("part").strip()
    part = _side(phrase, question)
    if part is None and not re.search(r"\d|['’]s\b|^(?:its|their|our|his|her)\b|\b(?:largest|biggest|top|one|two|three|"
                                      r"four|five|ten)\b", phrase, re.I):  # ("its five largest customers": no line)
        term = _term(phrase)
        part = (term, phrase) if term else None
    if whole is None or part is None or whole[0] == part[0]:
        return None
    return MetricDefinition(f"{part[1]} as a percentage of {whole[1]}", (), f"{part[0]} / {whole[0]} * 100", "%")


_COMBINED = re.compile(r"\band\s+(?P<right>[\w&'’ -]{3,60}?)\s+combined\b", re.I)


def _combined_from(question: str) -> MetricDefinition | None:
    """"share repurchases and dividends combined": the two lines' sum, each an amount paid by its size."""
    m = _COMBINED.search(question)
    if m is None:
        return None
    left, right = _sides(question[:m.start()].split(), m.group("right").split(), question)
    if left is None or right is None or left[0] == right[0]:
        return None
    return MetricDefinition(f"{left[1]} and {right[1]} combined", (), f"{left[0]} + {right[0]}", "USD")


def stated_sum(question: str) -> str | None:
    """The name of a figure the question defines as two or more lines added or taken away ("total debt" of "total
    debt (short-term debt plus long-term debt)"), an amount no other printed line is; None when it defines none."""
    stated = _definition_from(question)
    if stated is None or len(_TERM.findall(stated.expression)) < 2 or "/" in stated.expression:
        return None
    return stated.name


def decimals_asked(question: str) -> int | None:
    """The decimal places the question asks a figure rounded to ("Percent to one decimal"), or None."""
    m = _DECIMALS.search(question)
    if m is None:
        return None
    return int(m.group(1)) if m.group(1).isdigit() else _WORD_NUMBERS.get(m.group(1).lower())


def parse_metric_question(question: str) -> MetricAsk | None:
    """The metric a question asks for, or None when it names none we compute."""
    verdict = None
    compared = _comparison_from(question) if asks_yes_no(question) or _CLEARS.search(question) \
        or _HOW_MANY_TIMES.search(question) else None
    if compared is not None:
        definition, verdict = compared
    else:
        definition = _definition_from(question)
    stated = definition is not None
    if definition is None:
        definition = _registry_match(question)
    if definition is None:
        definition = _share_from(question) or _share_came_from(question) or _combined_from(question)
        stated = definition is not None  # (as the question names it, not a registry's definition)
    if definition is None:
        return None
    years = asked_years(question)
    if not years:
        return None
    average = _AVERAGE.search(question)
    if average and "avg{" in definition.expression and not average.group(1):
        # "revenue divided by the average of FY2022 and FY2023 net PP&E": the definition's own average of balances,
        # for the last year named, not an average of the metric over years.
        average, years = None, (max(years),)
    span = tuple(range(min(years), max(years) + 1)) if len(years) == 2 and average else years
    if average and average.group(1) and average.group(1).lower() in _YEAR_COUNTS and len(years) == 1:
        n = _YEAR_COUNTS[average.group(1).lower()]
        span = tuple(range(years[0] - n + 1, years[0] + 1))
    decimals = decimals_asked(question)
    scale = _IN_MILLIONS.search(question)
    words = {"thousands": 1_000, "millions": 1_000_000, "billions": 1_000_000_000}
    unit = definition.unit
    if _IN_PERCENT.search(question) and unit == "ratio":
        definition = MetricDefinition(definition.name, definition.aliases, f"({definition.expression}) * 100", "%")
    lowered = question.lower()
    dates = {iso_date(m.group(0)) for m in DATE_RE.finditer(question)}
    balances_only = all(LINE_ITEMS[name].balance if name in LINE_ITEMS else bool(_AT_DATE.search(question))
                        for _, name in _TERM.findall(definition.expression))
    return MetricAsk(definition, span, average=bool(average) and len(span) > 1,
                     as_of=dates.pop() if len(dates) == 1 and balances_only and not average else None,
                     decimals=decimals,
                     show_scale=words[(scale.group(1) or scale.group(2)).lower()] if scale else 1, stated=stated,
                     said=tuple(a for a in definition.aliases if a in lowered), asks_rate=bool(RATE_ASKED.search(question)),
                     verdict=verdict, year_ended=_year_ended(question, span))


# "for the fiscal year ended February 2, 2024": a year named by its last day, whose fiscal label is the filer's
_YEAR_ENDED = re.compile(r"\b(?:fiscal\s+)?years?\s+ended\s+(" + DATE_RE.pattern + r")", re.I)
_FISCAL_LABEL = re.compile(r"\b(?:fiscal(?:\s+year)?\s*|fy\s*'?)(?:19|20)?\d\d\b", re.I)


def _year_ended(question: str, years: tuple[int, ...]) -> str | None:
    """The ISO last day of the one year asked, when the question names it only so (no "fiscal 2023" beside it)."""
    ended = _YEAR_ENDED.findall(question)
    if len(years) != 1 or len(ended) != 1 or _FISCAL_LABEL.search(_YEAR_ENDED.sub(" ", question)):
        return None
    return iso_date(ended[0][0] if isinstance(ended[0], tuple) else ended[0])


# A rule of thumb's bar cleared ("did it clear that bar"), however the question is put.
_CLEARS = re.compile(r"\brule\b", re.I)
_HOW_MANY_TIMES = re.compile(r"\bhow\s+many\s+times\b", re.I)


_AT_DATE = re.compile(r"\b(?:as\s+of|at)\s+(?:the\s+end\s+of\s+)?" + DATE_RE.pattern, re.I)
_NOT_A_YEAR = re.compile(r"\bQ[1-4]\b|\b[1-4]Q\d\d\b|\bquarters?\b|\b(?:three|six|nine|3|6|9)\s+months\b|\bfirst half\b|"
                         r"\b(?:1H|H1)(?:\s*(?:FY)?\s*'?\d\d)?\b|\byear[- ]to[- ]date\b|\bytd\b|\bweeks?\b", re.I)
# A definition the question writes out ("defined as", "=", "computed as"), which wins over any word of it.
_STATED_HINT = re.compile(r"\bdefined\s+as\b|\bcalculated\s+as\b|\bcomputed\s+as\b|=|\bequals\b", re.I)


def asked_metric(question: str, arithmetic_op: str | None = None) -> MetricAsk | None:
    """The metric a question asks for over fiscal years; None for a quarter's figures, which no annual metric is,
    and for a change in a metric between two dates (`arithmetic_op` "change" or "percent_change": "How much did
    working capital increase from ... to ...?"), which the filing's stated change or its table rows answer."""
    if asked_measure(question) and not _STATED_HINT.search(question) and _definition_from(question) is None:
        return None  # (a filer's own measure, "adjusted EBITDA", is printed, not computed by the standard definition)
    if arithmetic_op in ("change", "percent_change") or _MOVED.search(question) and _TWO_PERIODS.search(question):
        return _metric_change(question)
    if not _NOT_A_YEAR.search(question):
        return parse_metric_question(question)
    # A quarter's or year to date's metric: only one of flows or balances of that period (a margin, free cash flow, a
    # current ratio), never an average of balances or a count of days, which a part of a year does not define.
    ask = parse_metric_question(question)
    if ask is not None and ask.as_of is not None and not ask.average:
        return ask  # balances at the date asked ("as of April 1, 2023" of a first-quarter release): no period needed
    intent = parse_period_intent(question)
    if ask is None or ask.average or "avg{" in ask.definition.expression or ask.definition.unit == "days" \
            or intent.months not in (3, 6, 9) or intent.to_date:
        return None
    return replace(ask, within=intent)


# A rate's move between two periods: "did gross margin improve ... compared with ...", "by how many percentage points
# did operating margin change from 2022 to 2023".
_MOVED = re.compile(r"\b(?:improv\w*|deteriorat\w*|worsen\w*|expand\w*|contract\w*|declin\w*|increas\w*|decreas\w*|"
                    r"ris(?:e|en|ing)|rose|fall(?:en|ing)?|fell|chang\w*|percentage\s+points?)\b", re.I)
_TWO_PERIODS = re.compile(r"\b(?:compared\s+(?:with|to)|versus|vs\.?|than|from\b.*\bto)\b", re.I)


def _metric_change(question: str) -> MetricAsk | None:
    """A margin's or ratio's change between two periods (the later one's less the earlier one's), for two years or
    a quarter or year to date against the same period a year before; None for a line's change, which the filing's
    rows or stated change answer, and for anything else."""
    ask = parse_metric_question(question)
    # (and a sum the question defines, "total debt (short-term debt plus long-term debt)": no one row is it)
    summed = ask is not None and ask.stated and ask.definition.unit == "USD" and len(_TERM.findall(ask.definition.expression)) >= 2
    if ask is None or (ask.definition.unit not in ("%", "ratio") and not summed) or ask.average \
            or ask.verdict is not None or "avg{" in ask.definition.expression:
        return None
    if _NOT_A_YEAR.search(question):
        intent = parse_period_intent(question)
        if intent.months not in (3, 6, 9) or intent.to_date:
            return None
        return replace(ask, within=intent, change=True)
    years = tuple(sorted(set(ask.years), reverse=True))
    return replace(ask, years=years, change=True) if len(years) == 2 else None


@dataclass(frozen=True)
class MetricResult:
    """A computed metric: its value (unrounded), the formula with each input written in, the inputs, the
    years, or what is missing."""

    ask: MetricAsk
    value: Decimal | None
    formula: str
    inputs: tuple[Fact, ...]
    per_year: tuple[tuple[int, Decimal], ...] = ()
    missing: tuple[str, ...] = ()


_TERM = re.compile(r"(avg)?\{([^}]+)\}")


def _line(name: str, year: int, filing: Filing, facts: FilingFacts, cache: dict,
          within: TargetPeriod | None = None) -> LineValue:
    key = (name, year, within)
    if key not in cache:
        cache[key] = (row_value(name[len(ROW_PREFIX):], year, filing, facts, within) if name.startswith(ROW_PREFIX)
                      else line_value(LINE_ITEMS[name], year, filing, facts, within))
    return cache[key]


def _amount(fact: Fact, name: str) -> Decimal:
    outflow = name in OUTFLOWS or (name.startswith(ROW_PREFIX) and OUTFLOW_LABEL.search(name[len(ROW_PREFIX):]))
    return abs(fact.value) if outflow else fact.value


def _as_subtracted(fact: Fact, name: str, year: int, filing: Filing, facts: FilingFacts, cache: dict,
                   within: TargetPeriod | None) -> Decimal | None:
    """The amount a line between two totals takes away, whichever sign it is printed with: above + printed = below
    means it was printed as added ("Provision for income taxes (352)", "Income tax (expense) benefit 40"), above −
    printed = below as subtracted; None when the totals do not say (or the line sits between none)."""
    if name not in DEDUCTED_BETWEEN:
        return None
    above, *belows = DEDUCTED_BETWEEN[name]
    start = _line(above, year, filing, facts, cache, within).fact
    if start is None:
        return None
    for below in belows:
        end = _line(below, year, filing, facts, cache, within).fact
        if end is None:
            continue
        close = abs(end.value) / 200
        if abs(start.value + fact.value - end.value) <= close:
            return -fact.value
        if abs(start.value - fact.value - end.value) <= close:
            return fact.value
    return None


def _one_year(definition: MetricDefinition, year: int, filing: Filing, facts: FilingFacts, cache: dict,
              within: TargetPeriod | None = None) -> tuple[Decimal | None, str, list[Fact], list[str]]:
    """(value, formula with inputs written in, inputs, missing) for one fiscal year."""
    inputs: list[Fact] = []
    missing: list[str] = []
    read_as: dict[tuple[int, int], str] = {}  # each cell used -> the term it was read for

    def fill(m: re.Match[str]) -> str:
        averaged, name = bool(m.group(1)), m.group(2)
        years = (year, year - 1) if averaged else (year,)
        values = []
        for y in years:
            found = _line(name, y, filing, facts, cache, within)
            if found.fact is None:
                missing.append(found.missing)
                return "0"
            cell = (found.fact.start, found.fact.end)
            if read_as.setdefault(cell, name) != name:
                # "current term debt" and "non-current term debt" both read from one "Term debt" cell: two lines
                # the filing does not tell apart by name
                bare = [n.removeprefix(ROW_PREFIX) for n in (name, read_as[cell])]
                missing.append(f"{bare[0]} {_when_text(y, within)} (the cell found is the one read for {bare[1]})")
                return "0"
            inputs.append(found.fact)
            subtracted = _as_subtracted(found.fact, name, y, filing, facts, cache, within)
            values.append(subtracted if subtracted is not None else _amount(found.fact, name))
        if averaged:
            return f"(({formula_number(values[0])} + {formula_number(values[1])}) / 2)"
        return formula_number(values[0])

    arithmetic = _TERM.sub(fill, definition.expression)
    if missing:
        return None, "", inputs, missing
    try:
        value = _evaluate(arithmetic)
    except (InvalidOperation, DivisionByZero, ZeroDivisionError):
        return None, "", inputs, [f"a zero denominator in {definition.name} for fiscal {year}"]
    return value, arithmetic, inputs, []


def _when_text(year: int, within: TargetPeriod | None) -> str:
    return f"for the {within.months} months ending in {year}" if within is not None and within.months else f"for fiscal {year}"


def _evaluate(expression: str) -> Decimal:
    from qa.compute.check import evaluate

    return evaluate(expression)


def _evaluate_change(ask: MetricAsk, filing: Filing, facts: FilingFacts) -> MetricResult:
    """The metric in the later period less the metric in the earlier: two years, or the quarter (or year to date)
    asked and the same period a year before, on the filer's calendar."""
    cache: dict = {}
    if ask.within is not None:
        now = filing.target_period(ask.within)
        if now is None or now.months not in (3, 6, 9) or now.end_year is None:
            return MetricResult(ask, None, "", (), (), ("the period asked, which this filing does not cover",))
        before = TargetPeriod(now.months, now.end_year - 1, (date.fromisoformat(now.end_date) - timedelta(days=365))
                              .isoformat() if now.end_date else None)
        periods = [(now.end_year, now), (now.end_year - 1, before)]
    else:
        periods = [(ask.years[0], None), (ask.years[1], None)]
    values, formulas, inputs, missing = [], [], [], []
    for year, target in periods:
        value, formula, used, lacking = _one_year(ask.definition, year, filing, facts, cache, target)
        inputs += used
        missing += lacking
        values.append((year, value))
        formulas.append(formula)
    if missing or any(v is None for _, v in values):
        return MetricResult(ask, None, "", tuple(inputs), (), tuple(dict.fromkeys(missing)) or ("a period's figures",))
    return MetricResult(ask, values[0][1] - values[1][1], f"({formulas[0]}) - ({formulas[1]})", tuple(inputs),
                        tuple(values))


def evaluate_metric(ask: MetricAsk, filing: Filing, facts: FilingFacts) -> MetricResult:
    """The metric for the asked year (or the mean over the asked years), every input a cited figure."""
    if ask.change:
        return _evaluate_change(ask, filing, facts)
    if ask.year_ended is not None and ask.within is None and ask.as_of is None:
        year = fiscal_year_of(filing, ask.year_ended, 12)  # Lowe's year ended February 2, 2024 is its fiscal 2023
        if year is not None and year != ask.years[0]:
            ask = replace(ask, years=(year,))
    cache: dict = {}
    per_year, formulas, inputs, missing = [], [], [], []
    within = None
    if ask.as_of is not None:
        within = TargetPeriod(months=None, end_year=int(ask.as_of[:4]), end_date=ask.as_of)
    elif ask.within is not None:
        within = filing.target_period(ask.within)
        if within is None or within.months not in (3, 6, 9):
            return MetricResult(ask, None, "", (), (), (f"the {ask.within.months}-month period asked, which this filing "
                                                        f"does not cover",))
    for year in ask.years:
        value, formula, used, lacking = _one_year(ask.definition, year, filing, facts, cache, within)
        missing += lacking
        inputs += used
        if value is not None:
            per_year.append((year, value))
            formulas.append(formula)
    if missing:
        return MetricResult(ask, None, "", tuple(inputs), tuple(per_year), tuple(dict.fromkeys(missing)))
    if ask.average:
        value = sum((v for _, v in per_year), Decimal(0)) / len(per_year)
        formula = f"(({') + ('.join(formulas)})) / {len(per_year)}"
    else:
        value, formula = per_year[0][1], formulas[0]
    return MetricResult(ask, value, formula, tuple(inputs), tuple(per_year))


# "Does Salesforce have an improving operating margin profile as of FY2023?": the metric for that year and the
# two before it, and whether it rose each year.
_TREND = re.compile(r"\b(improv(?:e|ed|es|ing)|deteriorat(?:e|ed|es|ing)|worsen(?:ed|ing)?|declin(?:e|ed|ing)|"
                    r"ris(?:e|ing)|rose|fall(?:ing)?|fell|grow(?:ing)?|grew)\b", re.I)
_ACTIVITIES = re.compile(r"\boperating\b.*\binvesting\b.*\bfinancing\b|\boperating\b.*\bfinancing\b.*\binvesting\b", re.I)


@dataclass(frozen=True)
class TrendAsk:
    metric: MetricAsk
    direction: str  # "up" | "down"


def parse_trend_question(question: str) -> TrendAsk | None:
    """A yes/no question on a metric's direction over the years up to the one asked."""
    if not re.match(r"\s*(?:does|did|is|was|has|have|are|were)\b", question, re.I):
        return None
    trend = _TREND.search(question)
    ask = parse_metric_question(question)
    if trend is None or ask is None or not ask.years:
        return None
    word = trend.group(1).lower()
    down = word.startswith(("deteriorat", "worsen", "declin", "fall", "fell"))
    # "as of FY2023": that year and the two before it; "from 2022 to 2024": the years named.
    first, last = min(ask.years), max(ask.years)
    years = tuple(range(first, last + 1)) if last > first else (last - 2, last - 1, last)
    if len(years) > 6:
        return None
    return TrendAsk(MetricAsk(ask.definition, years, decimals=ask.decimals, stated=ask.stated), "down" if down else "up")


def evaluate_trend(ask: TrendAsk, filing: Filing, facts: FilingFacts) -> tuple[list[tuple[int, MetricResult]], bool | None]:
    """Each year's metric (the years the filing gives, at least two) and whether it moved the asked way every year."""
    results = []
    for year in ask.metric.years:
        one = MetricAsk(ask.metric.definition, (year,), decimals=ask.metric.decimals, stated=ask.metric.stated)
        result = evaluate_metric(one, filing, facts)
        if result.value is not None:
            results.append((year, result))
    if len(results) < 2 or results[-1][0] != ask.metric.years[-1]:
        return results, None
    values = [r.value for _, r in results]
    moves = [b > a for a, b in zip(values, values[1:])] if ask.direction == "up" else [b < a for a, b in zip(values, values[1:])]
    return results, all(moves)


@dataclass(frozen=True)
class ActivityAsk:
    """"Which of operating, investing and financing activities brought in the most cash in FY2022?": the year, and
    whether the most cash brought in (or, "used", the least) is asked."""

    years: tuple[int, ...]
    most: bool = True


def which_activity(question: str) -> ActivityAsk | None:
    if not _ACTIVITIES.search(question) or not re.search(r"\bwhich\b", question, re.I):
        return None
    years = asked_years(question)[:1]
    return ActivityAsk(years, most=not re.search(r"\b(?:used|least|spent|outflow)\b", question, re.I)) if years else None
