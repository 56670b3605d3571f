"""A question, read once: `read_ask(text, ...) -> Ask`.

Everything the answer steps need from a question is read here and nowhere else: what kind of question it is (a
figure, a computed metric, a change, why, how, when, a count, which, yes/no, a comparison), the answer it expects,
the companies it names (against the indexed filers), its metric, period and segment, and each form it can take that a
step computes (arithmetic over table rows, a lookup of several printed figures, a metric from statement lines, a
trend, the cash activities). The pipeline routes an Ask by its kind (`qa/routes.py`); no step parses the text again.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Mapping

from corpus.period_intent import impossible_period
from corpus.words import ABBREVIATIONS, LEGAL_FORM
from qa.answer.extract import answer_type, names_a_thing
from qa.answer.qualifiers import Qualifiers, read_qualifiers
from qa.compute.arithmetic import ArithmeticAsk, CountAsk, parse_arithmetic, parse_count, parse_lookup
from qa.compute.members import MemberAsk, parse_member_question
from qa.compute.metrics import ActivityAsk, MetricAsk, TrendAsk, asked_metric, parse_trend_question, which_activity
from qa.question import LEADING_PHRASE, Question, parse_question
from qa.vocabulary import METRIC_UNITS, RATE_ASKED

# What a question can ask, and the answer each kind expects. A how/when/which question is never answered by a figure;
# a figure question never by a definition.
EXPECTED_ANSWER = {
    "figure": "figure", "computed": "figure", "change": "figure", "count": "figure", "compare": "figures",
    "why": "reason", "how": "text", "when": "text", "which": "text", "yesno": "yes/no", "text": "text",
}
KINDS = tuple(EXPECTED_ANSWER)
# Intents whose question may be a figure the filings report (the rest ask for words).
NUMERIC_INTENTS = frozenset({"value", "change", "change_percent", "why", "yesno"})
# A figure to compute, not one stated: an amount printed next to the question's words is not its answer.
COMPUTED_WORDS = re.compile(r"\b(?:percentage|percent|ratio|average|proportion|rate|change|difference|growth|total of|sum)\b",
                            re.I)
FORWARD_LOOKING = re.compile(r"\b(?:guidance|guide[sd]?|forecast|outlook|expect(?:s|ed)?|anticipat(?:e|es|ed)|project(?:ed|ion)s?|"
                             r"plan(?:s|ned)? to|will)\b",
                             re.I)
_GUIDANCE = re.compile(r"\b(?:guidance|forecast|outlook|guide[sd]?)\b", re.I)
# How a thing is done, defined or affected: "How does Meta calculate ...", "How is revenue recognized?", "How did
# foreign exchange affect revenue?". Words, never a figure, whatever figure the question names.
_HOW = re.compile(r"^\s*how\s+(?:does|do|did|is|are|was|were|should|can|will|would)\b(?!.*\b(?:much|many)\b)", re.I)
_HOW_VERB = re.compile(r"\b(?:calculat|comput|measur|defin|determin|recogni[sz]|account|affect|impact|estimat|allocat|"
                       r"treat|assign|classif|present|report)\w*", re.I)
# A time or period as the answer: "Which quarter is typically strongest?", "In which year was revenue highest?",
# "When does the fiscal year end?", "Since when ...?".
_WHICH_PERIOD = re.compile(r"^\s*(?:in\s+)?(?:which|what)\s+(?:quarter|month|year|period|season|date|day)\b", re.I)
_WHEN_DATE = re.compile(r"^\s*(?:since\s+)?when\b.*\b(?:end|ends|begin|begins|start|starts|expire|expires|mature|matures|"
                        r"close|closes|occur|occurs|pay|paid|due|launch|launched|left|become|became)\b|^\s*since\s+when\b", re.I)
# "Which segment ...?", "Which Nvidia segment ...?": a name is the answer (picking it from figures is a comparison no
# step makes: no single figure answers it).
_WHICH_THING = re.compile(r"^\s*" + LEADING_PHRASE + r"?(?:in\s+|of\s+|from\s+)?which\b", re.I)
# "What price did Crexendo agree to pay ...", "What interest rate does the loan carry?": an amount named by its noun,
# not by a statement line.
_AMOUNT_NOUNS = (r"(?:price|proceeds|rent|amount|cost|fee|rate|dividends?(?:\s+per\s+share)?|capitalization|consideration|"
                 r"compensation|salar(?:y|ie)|balance|value)s?")
_AMOUNT_NOUN = re.compile(rf"^\s*what\s+(?:\w+\s+){{0,2}}?{_AMOUNT_NOUNS}\s+(?:did|does|do|was|were|is|are|has|have|had)\b"
                          rf"|^\s*what\s+(?:was|were|is|are)\s+(?:the\s+)?(?:[\w'’]+\s+){{0,4}}?{_AMOUNT_NOUNS}\b", re.I)
# "What did Comcast report for total revenue?": a figure, though phrased "what did ...".
_REPORTS_FIGURE = re.compile(r"^\s*what\s+(?:did|does|do)\b.*\b(?:report|record|post|disclose|show|earn|generate)\w*\s+"
                             r"(?:for|as|in)\b", re.I)
_TIMING_KINDS = frozenset({"date", "duration", "frequency", "place"})
# A rate, ratio or percentage asked ("gross margin percentage", "in percent", "operating income / revenue"): an
# amount of dollars or shares is no answer to it.
# A figure per share ("profit per share", "EPS", "dividends per diluted share"): a total is no answer to it.
_PER_SHARE = re.compile(r"\bper\s+(?:\w+\s+){0,2}?share\b|\beps\b", re.I)


@dataclass(frozen=True)
class Ask:
    """One question, read. `kind` is one of KINDS; `question` holds intent, metric, segment, period and direction.

    The forms a step computes are here too, each None when the question does not take it: `arithmetic` (a change,
    average, ratio ... of table rows), `lookup` (several printed figures at once), `metric` (a metric computed from
    statement lines), `trend` (did a metric move one way every year), `activities` (which cash activity, in which
    years). `companies` are the doc_ids of the indexed filers the question names.
    """

    text: str
    kind: str
    question: Question
    answer_kind: str | None  # the kind of text a span answer must be (extract.answer_type): "amount", "date", ...
    reads_figure: bool  # a figure the filings report for a period: the figure steps may answer it
    computes: bool  # asks for a figure to compute ("percentage", "average"), not one printed
    arithmetic: ArithmeticAsk | None = None
    lookup: ArithmeticAsk | None = None
    metric: MetricAsk | None = None
    trend: TrendAsk | None = None
    activities: ActivityAsk | None = None
    count: CountAsk | None = None  # "How many years did X exceed $N?"
    member: MemberAsk | None = None  # "Which segment had the highest operating income?"
    companies: tuple[str, ...] = ()
    qualifiers: Qualifiers = field(default_factory=Qualifiers)
    compare_as: str | None = None  # a comparison of companies: "more", "less", "difference" or "both"
    per_share: bool = False  # asks for a figure per share
    rate_asked: bool = False  # asks for a rate, ratio or percentage, not an amount
    modifiers: tuple[str, ...] = ()  # words narrowing the metric ("e-commerce" net sales): a figure must carry them
    impossible: str | None = None  # why the period it names cannot exist ("There is no quarter Q9 ...")
    notes: tuple[str, ...] = field(default=(), compare=False)

    @property
    def expects(self) -> str:
        return EXPECTED_ANSWER[self.kind]

    @property
    def strong_arithmetic(self) -> bool:
        """Arithmetic asked so plainly that it goes before any stated figure (not a change asked without its years,
        which the filing's own stated change answers first)."""
        return self.arithmetic is not None and (self.arithmetic.op != "change" or len(self.arithmetic.years) >= 2)

    @property
    def strong_lookup(self) -> bool:
        """Several printed figures asked at once: before any one of them."""
        return self.lookup is not None and self.lookup.op != "value"

    def describe(self) -> str:
        """The Ask in one line, for `qa ask --explain`."""
        q = self.question
        period = ", ".join(f"{k}={v}" for k, v in vars(q.period).items() if v not in (None, False))
        parts = [f"kind={self.kind}", f"expects={self.expects}", f"intent={q.intent}"]
        parts += [f"{name}={value!r}" for name, value in (
            ("metric", q.metric), ("segment", q.segment), ("period", period or None), ("direction", q.direction),
            ("answer_kind", self.answer_kind), ("per share", self.per_share), ("rate", self.rate_asked),
            ("modifiers", ", ".join(self.modifiers) or None), ("companies", ", ".join(self.companies) or None),
            ("arithmetic", self.arithmetic and f"{self.arithmetic.op} {self.arithmetic.years}"),
            ("lookup", self.lookup and f"{self.lookup.op} {self.lookup.years}"),
            ("computed metric", self.metric and f"{self.metric.definition.name} {self.metric.years}"),
            ("trend", self.trend and f"{self.trend.metric.definition.name} {self.trend.direction}"),
            ("activities", self.activities and f"{self.activities.years} {'most' if self.activities.most else 'least'}"),
            ("count", self.count and f"{'above' if self.count.above else 'below'} {self.count.threshold}"),
            ("member", self.member and f"{self.member.breakdown} {'most' if self.member.most else 'least'}"
                       f"{' growth' if self.member.growth else ''}")) if value]
        return "Ask(" + ", ".join(parts) + ")"


# Capitals that name no segment: periods, units, standards, and the abbreviations of metrics.
_NOT_SEGMENT_CAPS = {"q1", "q2", "q3", "q4", "fy", "ytd", "h1", "h2", "usd", "gaap", "us", "u.s", "sec", "ceo", "cfo",
                     "roa", "roe", "roic", "dso", "dio", "dpo", "ttm", "yoy", "qoq", "eps", "ebit", "ebitda", "fcf",
                     "capex", "opex", "cogs"}


def subject_qualifiers(text: str, qualifiers: Qualifiers, company_words: frozenset[str]) -> list[str]:
    """The names that narrow a figure to a part of the company ("Greater China", "ME&T"): the qualifiers' names
    that are no possessive company name ("Apple's"), and capitals that are no company, period, unit or metric."""
    names = [n for n in qualifiers.names if not re.search(rf"\b{re.escape(n)}['’]s\b", text)]
    for token in re.findall(r"(?<![\w&])([A-Z]{2,}(?:&[A-Z]+)?)(?![\w&])", text):
        lowered = token.lower()
        if lowered in _NOT_SEGMENT_CAPS or lowered in ABBREVIATIONS or set(re.findall(r"[a-z&]+", lowered)) <= company_words:
            continue
        names.append(token)
    return names


# Words before a metric that do not narrow it: its own framing, periods, scale and the measure words (read apart).
_NOT_MODIFIERS = {"total", "consolidated", "net", "gross", "reported", "gaap", "quarterly", "annual", "annualized",
                  "fiscal", "full", "year", "years", "company", "companys", "its", "the", "their", "our", "his", "her",
                  "a", "an", "of", "in", "for", "what", "was", "were", "is", "are", "did", "does", "how", "much", "many",
                  "first", "second", "third", "fourth", "quarter", "half", "month", "months", "three", "six", "nine",
                  "twelve", "weeks", "fy", "ytd", "q1", "q2", "q3", "q4", "h1", "h2", "1h", "2h", "usd", "dollar",
                  "dollars", "cash", "diluted", "basic", "adjusted", "non-gaap", "organic", "comparable", "overall",
                  "entire", "whole", "combined", "aggregate", "report", "recorded", "record", "generate",
                  "generated", "earn", "earned", "post", "posted", "spend", "spent", "pay", "paid", "current", "prior", "latest", "most", "recent",
                  "same", "and", "or", "to", "from", "by", "with", "on", "at", "as", "that", "this",
                  "quarter's", "year's", "yearly", "period", "statement", "reportable", "segment", "segments",
                  "higher", "lower", "more", "less", "larger", "largest", "highest", "lowest", "least",
                  "greater", "greatest", "bigger", "biggest", "smaller", "smallest", "better", "worse", "had", "has",
                  "have", "which", "whose", "who", "each", "every", "both", "any", "all", "through", "via"}


def metric_modifiers(text: str, metric_text: str | None, company_words: frozenset[str]) -> tuple[str, ...]:
    """The words just before the metric's own words that narrow it to a part ("e-commerce" in "Ulta Beauty's
    e-commerce net sales", "wireless equipment" in "wireless equipment revenues"): no company, period or framing
    word, nothing across a possessive."""
    if not metric_text:
        return ()
    lowered = text.lower().replace("’", "'")
    at = lowered.find(metric_text.lower())
    if at <= 0:
        return ()
    before = re.split(r"[(),:;?]", lowered[:at])[-1]  # "operating margin (operating income / ...)": none
    words = []
    for token in reversed(re.findall(r"[a-z0-9&'-]+", before)[-3:]):
        if token.endswith("'s") or token.endswith("'") or token in _NOT_MODIFIERS or re.search(r"\d", token) \
                or any(part in _NOT_MODIFIERS for part in token.split("-")) \
                or token.strip("-") in company_words or set(re.findall(r"[a-z&]+", token)) <= company_words:
            break
        words.append(token)
    # and what the question says the figure came from: "net sales came from e-commerce" is e-commerce net sales
    source = re.match(r"\s+(?:came|come|comes|derived)\s+from\s+(?:the\s+|its\s+)?([a-z][a-z&-]*(?:\s+[a-z][a-z&-]*){0,2})",
                      text[at + len(metric_text):])  # (as written: "from Data Center" is a name, read apart)
    after = []
    for token in (source.group(1).split() if source else []):
        if token in _NOT_MODIFIERS or token in ("in", "during", "for", "of", "and", "at") or token in company_words:
            break
        after.append(token)
    return tuple(reversed(words)) + tuple(after)


def _kind(q: Question, answer_kind: str | None, reads_figure: bool, *, trend, activities, metric, text: str) -> str:
    """What is asked, in the order the forms take precedence (a why-question is why, whatever figure it names)."""
    if q.intent == "why":
        return "why"
    if trend is not None:
        return "yesno"
    if activities is not None:
        return "which"
    if metric is not None:
        return "yesno" if q.intent == "yesno" else "computed"  # "Was the current ratio below 1.0?": a verdict
    if answer_kind in _TIMING_KINDS or _WHICH_PERIOD.search(text) or _WHEN_DATE.search(text):
        return "when"
    if _HOW.search(text) and (not reads_figure or _HOW_VERB.search(text)) or q.intent == "policy":
        return "how"
    if _WHICH_THING.search(text):
        return "which"
    if q.intent in ("change", "change_percent"):
        return "change"
    if q.intent == "yesno":
        return "yesno"
    if answer_kind == "count":
        return "count"
    if FORWARD_LOOKING.search(text):
        return "text"  # guidance and plans are stated in words (and ranges), not reported figures
    if reads_figure or answer_kind == "amount" or (q.intent in ("value", "other") and _AMOUNT_NOUN.search(text)):
        return "figure"
    return "text"


_MORE = re.compile(r"\b(?:higher|highest|more|most|larger|largest|greater|greatest|bigger|biggest|better)\b", re.I)
_LESS = re.compile(r"\b(?:lower|lowest|less|least|smaller|smallest|fewer|worse)\b", re.I)
_DIFFERENCE = re.compile(r"\bdifference\b|\bhow\s+much\s+(?:more|less|larger|smaller|higher|lower|bigger)\b|"
                         r"\bby\s+how\s+much\b", re.I)


def _compare_as(text: str) -> str:
    """How a comparison of two companies is asked: the difference, which is more, which is less, or both figures."""
    if _DIFFERENCE.search(text):
        return "difference"
    if re.search(r"\b(?:which|who)\b", text, re.I) and (_MORE.search(text) or _LESS.search(text)):
        return "more" if _MORE.search(text) else "less"
    return "both"


def read_ask(text: str, segments: tuple[str, ...] = (), companies: Iterable[str] = (),
             company_words: frozenset[str] = frozenset()) -> Ask:
    """Read a question once. `segments`: the segment names the searched filings report (they are no metric);
    `companies`: the names of the indexed filers it names (two or more make a comparison); `company_words`: the words
    of those names, which qualify no figure."""
    companies = tuple(companies)
    # a "segment" named as the company is ("FEDEX" of FedEx's filing) is the company, not a part of it
    segments = tuple(sg for sg in segments if not (company_words and set(re.findall(r"[a-z&]+", sg.lower())) <= company_words))
    q = parse_question(text, segments)
    clean = q.text
    not_why = q.intent != "why"
    thing = q.intent == "value" and names_a_thing(clean) and not _REPORTS_FIGURE.search(clean)
    reads_figure = bool(q.intent in NUMERIC_INTENTS and q.metric and not FORWARD_LOOKING.search(clean) and not thing
                        and not _WHICH_THING.search(clean) and not (_HOW.search(clean) and _HOW_VERB.search(clean)))
    # guidance is stated in words, no table's figure ("expected volatility" is a row, not an outlook)
    reported = not_why and not _GUIDANCE.search(clean)
    arithmetic = parse_arithmetic(clean) if reported else None
    # a CAGR, an average, a ratio or share of two lines is computed, never one printed figure or a stated one-year
    # change ("revenue increased 18%" is no two-year CAGR); a sum may be printed ("revenue in total")
    # (a "ratio" of a metric printed as one, "operating ratio", is still the filing's figure)
    reads_figure = reads_figure and (arithmetic is None or arithmetic.op in ("change", "percent_change", "sum") or (
        arithmetic.op in ("ratio", "percent_of", "difference") and METRIC_UNITS.get(q.metric or "", "USD") != "USD"))
    metric = asked_metric(clean, arithmetic.op if arithmetic else None) if not_why and not FORWARD_LOOKING.search(clean) \
        else None
    trend = parse_trend_question(clean) if not_why else None
    activities = which_activity(clean) if not_why else None
    qualifiers = read_qualifiers(clean, company_words)
    member = parse_member_question(clean) if not_why else None
    if member is not None:
        metric = None  # "which segment had the highest segment profit margin": the members compared, no consolidated
        # metric
    if metric is not None and (subject_qualifiers(clean, qualifiers, company_words) or qualifiers.places
                               or (metric.within and q.intent == "yesno" and metric.verdict is None
                                   and not metric.change and q.direction is not None)):
        # A segment's or place's metric ("ME&T free cash flow") is no consolidated computation, and two quarters
        # compared is a yes/no the statement lines of one period do not decide.
        metric = None
    answer_kind = answer_type(clean, q.intent, q.metric)
    compare_as = None
    if len(companies) >= 2 and q.metric and q.intent != "why":
        # Two companies' figures: each is read as a figure question of its own, then compared.
        compare_as, reads_figure, kind = _compare_as(clean), True, "compare"
    else:
        kind = _kind(q, answer_kind, reads_figure, trend=trend, activities=activities, metric=metric, text=clean)
        if member is not None and kind in ("figure", "change", "text"):
            kind = "which"  # "By ownership type (...), which category had the highest growth": members compared
    return Ask(
        text=clean, kind=kind, question=q, answer_kind=answer_kind, reads_figure=reads_figure,
        computes=bool(COMPUTED_WORDS.search(clean)),
        arithmetic=arithmetic, lookup=parse_lookup(clean) if reported else None, metric=metric, trend=trend,
        activities=activities, count=parse_count(clean), member=member,
        companies=companies, qualifiers=qualifiers, compare_as=compare_as,
        impossible=impossible_period(clean), per_share=bool(_PER_SHARE.search(clean)),
        rate_asked=bool(RATE_ASKED.search(clean)), modifiers=metric_modifiers(clean, q.metric_text, company_words),
    )


# --------------------------------------------------------------------------- companies

_POSSESSIVE_NAME = re.compile(r"\b([A-Z][A-Za-z&.\-]+(?:\s+[A-Z][A-Za-z&.\-]+)?)(?:'s|’s)(?!\w)")
_LEADING_WORDS = {"did", "does", "do", "is", "was", "has", "have", "are", "were", "what", "why", "how", "which", "when",
                  "where", "who", "in", "for", "at", "by", "from", "of", "on", "can", "will", "should", "would", "and",
                  "per", "among", "according", "to", "as", "with", "under", "during", "after", "before", "since",
                  "using", "based", "including", "excluding", "between", "versus", "compared", "within", "across",
                  "regarding", "the", "a", "an",
                  # an imperative's verb: "Compute AAPL's ...", "Calculate Lowe's ..."
                  "compute", "calculate", "determine", "find", "give", "list", "show", "state", "provide", "identify",
                  "derive", "estimate", "quantify", "assess", "evaluate", "name", "tell", "report", "applying",
                  "judged", "taking", "looking", "use", "considering"}
_GENERIC_NAMES = {"company", "companys", "board", "management", "nasdaq", "sec", "fasb", "segment", "group", "firm"}


def possessive_names(text: str) -> list[str]:
    """Names the question treats as an owner ("Apple's", "Reality Labs'"), as printed."""
    out = []
    for m in _POSSESSIVE_NAME.finditer(text):
        printed = m.group(1)
        first, _, rest = printed.partition(" ")
        if rest and first.lower() in _LEADING_WORDS:
            printed = rest  # "Did Apple's ...": the question's first word is capitalised, not part of the name
        name = re.sub(r"['’.]", "", printed).lower()
        if name in _GENERIC_NAMES or name.split()[0] in _GENERIC_NAMES:
            continue
        out.append(printed)
    return out


def strangers(text: str, aliases: Mapping[str, set[str]], used_by_filings) -> list[str]:
    """Names the question treats as a company that no indexed filer has and no indexed filing uses. A name a filing
    uses (a segment, brand, program or subsidiary of the filer: "Reality Labs'", "Grooming's") is a qualifier, not
    a company missing from the index. `used_by_filings(name) -> bool`."""
    known = set().union(*aliases.values()) if aliases else set()
    out = []
    for printed in possessive_names(text):
        name = re.sub(r"['’.]", "", printed).lower()
        # "Ford Motor Company's": the legal form is no word of the name people use ("ford motor").
        name = re.sub(rf"\s+(?:{LEGAL_FORM})$", "", name) or name
        # "Gamble's" in "Procter & Gamble's" is a word of a known name, not a stranger.
        if any(name == k or name.replace(" ", "") == k or k.startswith(name)
               or re.search(rf"(?<![\w]){re.escape(name)}(?![\w])", k) for k in known):
            continue
        if used_by_filings(printed):
            continue
        out.append(printed)
    return out


# Names on either side of a comparison: "Verizon or AT&T", "Apple vs. Meta", "than PepsiCo", "between P&G and Unilever",
# "compare with AT&T's".
_NAME = r"[A-Z][\w&.'’-]*(?:\s+(?:&\s+)?[A-Z][\w&.'’-]*)*"
_COMPARED = (re.compile(rf"\b(?:than|vs\.?|versus|compared?\s+(?:to|with)|or)\s+(?:that\s+of\s+)?({_NAME})"),
             re.compile(rf"({_NAME})(?:['’]s)?\s*,?\s+(?:or|vs\.?|versus)\s"),
             re.compile(rf"\bbetween\s+({_NAME})\s+and\s+({_NAME})"))
_PERIOD_NAME = re.compile(r"(?:FY|CY|Q[1-4]|[1-4]Q|H[12]|[12]H)?\s*'?\d{2,4}", re.I)  # "FY2023", "Q2", "2024"
_NOT_NAMES = {"Q1", "Q2", "Q3", "Q4", "FY", "GAAP", "EPS", "Which", "What", "How", "Who", "Did", "Does", "Is", "Was"}


def named_filers(text: str, aliases: Mapping[str, set[str]], tickers: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """doc_ids of the indexed filers the question names, by any of their names (`aliases`: doc_id -> lower-case
    names) or, written in capitals as a whole word, their ticker (`tickers`: doc_id -> "KO")."""
    from index.query import mentioned_companies

    found = set(mentioned_companies(text, dict(aliases)))
    for doc_id, ticker in (tickers or {}).items():
        if ticker and re.search(rf"(?<![\w&]){re.escape(ticker.upper())}(?![\w&])", text):
            found.add(doc_id)
    return tuple(sorted(found))


def compared_strangers(text: str, aliases: Mapping[str, set[str]], tickers: Mapping[str, str] | None = None) -> list[str]:
    """A name compared with an indexed filer that is no indexed filer itself ("Verizon or AT&T" where only Verizon
    is indexed): the comparison cannot be made, and the missing side is named."""
    if not named_filers(text, aliases, tickers):
        return []
    out = []
    for pattern in _COMPARED:
        for m in pattern.finditer(text):
            # "Bauxite, Alumina or Aluminum": alternatives of a list, not a filer's rival ("Verizon or AT&T"): an "or"
            # compares names only when the one on its other side is a filer's
            if m.group(0).startswith("or ") and not named_filers(text[max(0, m.start() - 60):m.start()].split(",")[-1],
                                                                 aliases, tickers):
                continue
            if re.search(r"\bor\s$", m.group(0)) and not named_filers(text[m.end():m.end() + 60].split(",")[0],
                                                                      aliases, tickers):
                continue
            for name in (g.strip() for g in m.groups() if g):
                name = re.sub(r"['’]s$", "", name)
                if name in _NOT_NAMES or len(name) < 2 or _PERIOD_NAME.fullmatch(name):
                    continue
                if not named_filers(name, aliases, tickers) and not named_filers(f"{name}'s", aliases, tickers):
                    out.append(name)
    return list(dict.fromkeys(out))
