"""Which steps may answer which kind of question, in what order: the route of an Ask, as data.

A step is a plain `(Evidence) -> Answer | None` (qa/answer/*) with the condition on the Ask under which it applies
(a step that computes arithmetic applies to a question that asks for some). `run_route` tries the steps of the Ask's
kind in order and keeps the first candidate that passes the checks every candidate passes: its type is the one the Ask
expects (a figure for a figure question, words for a how/when/which question) and it answers the arithmetic asked
(a dollar change does not answer "what was the percentage change"). Every step's outcome is recorded with a named
reason, so `qa ask --explain` can show why an answer was chosen and a no-answer can say what is missing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Callable

from qa.answer.evidence import Evidence
from qa.answer.extract import fits_type
from qa.answer.from_absence import stated_absence
from qa.answer.from_compute import (
    cash_activities,
    computed_metric,
    member_share,
    metric_trend,
    table_arithmetic,
    table_count,
    table_lookup,
    which_member,
)
from qa.answer.from_facts import figures
from qa.answer.from_outlook import stated_range
from qa.answer.from_ranker import ranked_sentence, sentence_score
from qa.answer.from_reader import reader_span
from qa.answer.from_text import stated_amount, stated_cause, stated_form
from qa.ask import FORWARD_LOOKING, Ask
from qa.compute.arithmetic import answers_ask
from qa.compute.metrics import stated_sum
from qa.model import Answer
from qa.question import GROWTH_COMPARED
from qa.vocabulary import NON_GAAP


@dataclass(frozen=True)
class Step:
    name: str
    run: Callable[[Evidence], "Answer | None"]
    applies: Callable[[Ask], bool] = lambda ask: True  # noqa: E731 - a step with no condition
    condition: str = ""  # the condition in words, for --explain

    def only_if(self, extra: Callable[[Ask], bool], words: str) -> "Step":
        applies = self.applies
        return Step(self.name, self.run, lambda ask: applies(ask) and extra(ask),
                    f"{self.condition} and {words}" if self.condition else words)


@dataclass(frozen=True)
class Outcome:
    """What one step did with a question: "answered", "no-answer" (an honest one, with its reason), "rejected"
    (a candidate that failed a check, `reason` naming it), "nothing" (no candidate), or "skipped" (does not apply)."""

    step: str
    status: str
    reason: str = ""
    answer: Answer | None = None


ARITHMETIC_FIRST = Step("table_arithmetic", table_arithmetic, lambda a: a.strong_arithmetic,
                        "arithmetic asked plainly (not a change without its years)")
LOOKUP_FIRST = Step("table_lookup", table_lookup, lambda a: a.strong_lookup, "several printed figures asked at once")
COUNT = Step("table_count", table_count, lambda a: a.count is not None, "how many years a row passed a threshold")
FIGURES = Step("figures", figures, lambda a: a.reads_figure, "a figure the filings report")
LOOKUP_AFTER = Step("table_lookup", table_lookup, lambda a: a.lookup is not None and not a.strong_lookup,
                    "a printed figure of a row the question names")
ARITHMETIC_AFTER = Step("table_arithmetic", table_arithmetic,
                        lambda a: a.arithmetic is not None and not a.strong_arithmetic,
                        "a change asked without its years (after the filing's stated change)")
STATED_AMOUNT = Step("stated_amount", stated_amount, lambda a: a.answer_kind == "amount" and a.question.intent in
                     ("value", "other") and not a.computes, "an amount asked, not a figure to compute")
STATED_FORM = Step("stated_form", stated_form)
STATED_CAUSE = Step("stated_cause", stated_cause)
READER = Step("reader_span", reader_span)
RANKED = Step("ranked_sentence", ranked_sentence, lambda a: a.expects in ("text", "reason") or a.kind == "count",
              "words asked (a reason, a way, a time, a count), not a figure to compute")
COMPUTED_METRIC = Step("computed_metric", computed_metric, lambda a: a.metric is not None, "a metric computed from "
                       "statement lines")
TREND = Step("metric_trend", metric_trend, lambda a: a.trend is not None, "did a metric move one way every year")
MEMBER = Step("which_member", which_member, lambda a: a.member is not None,
              "which segment, region or product line has the most or least")
SHARE = Step("member_share", member_share, lambda a: a.question.segment is not None and a.question.metric is not None
             and a.metric is None and (a.rate_asked or a.arithmetic is not None and a.arithmetic.op == "percent_of"),
             "a member's rate or share of a total (a segment's margin, its percentage of total revenue)")
ABSENCE = Step("stated_absence", stated_absence, lambda a: a.trend is None and a.metric is None,
               "no trend or metric asked (whether the filer did something, said in words)")
ACTIVITIES = Step("cash_activities", cash_activities, lambda a: a.activities is not None,
                  "which cash activity brought in or used the most")

OUTLOOK = Step("stated_range", stated_range, lambda a: a.question.metric is not None and bool(FORWARD_LOOKING.search(a.text)),
               "guidance asked for a figure the question names")
_NUMBERS = (SHARE, ARITHMETIC_FIRST, LOOKUP_FIRST, COUNT, FIGURES, LOOKUP_AFTER, ARITHMETIC_AFTER)
_FIGURE = (*_NUMBERS, OUTLOOK, STATED_AMOUNT, STATED_FORM, READER)
_NOT_TREND = (lambda a: a.trend is None, "no trend asked")
_NOT_ACTIVITIES = (lambda a: a.activities is None, "no cash activity asked")

# The one table: for each kind of question, the steps that may answer it, in order.
ROUTES: dict[str, tuple[Step, ...]] = {
    "figure": _FIGURE,
    "change": _FIGURE,
    "count": (*_NUMBERS, OUTLOOK, STATED_AMOUNT, STATED_FORM, RANKED, READER),
    "text": (*_NUMBERS, OUTLOOK, STATED_AMOUNT, STATED_FORM, RANKED, READER),  # "What is ...?": words; a figure if asked
    "computed": (COMPUTED_METRIC, FIGURES),
    "yesno": (TREND, COMPUTED_METRIC, ABSENCE, *(s.only_if(*_NOT_TREND) for s in _FIGURE)),
    "which": (ACTIVITIES, MEMBER,
              *(s.only_if(*_NOT_ACTIVITIES) for s in (LOOKUP_FIRST, LOOKUP_AFTER, STATED_FORM, READER))),
    "why": (FIGURES, STATED_CAUSE, RANKED, READER),
    "how": (STATED_FORM, RANKED, READER),
    "when": (LOOKUP_FIRST, LOOKUP_AFTER, READER, STATED_FORM, RANKED),  # a date first; the sentence if no span
}


def cited_context(ev: Evidence, answer: Answer) -> str:
    """What stands above each cited cell in its table (the caption and column headers: "External revenues"), which
    qualifies the cell as much as its row does."""
    out = []
    for c in answer.citations:
        filing = ev.filings.get(c.doc_id)
        table = next((t for t in filing.tables if t.start <= c.start < t.end), None) if filing else None
        if table is not None:
            out.append(f"{table.caption} {filing.text[table.start:c.start][-2000:]}")
    return " ".join(out)


def type_mismatch(ask: Ask, answer: Answer, context: str = "") -> str | None:
    """Why a candidate is not the kind of answer the Ask expects, or None when it is (`context`: what qualifies its
    cited cells beyond their rows)."""
    if answer.no_answer:
        return None
    expects = ask.expects
    if expects == "figure" and ask.kind != "count" and answer.value is None and not answer.items:
        return "wrong-answer-type: words, for a question that asks for a figure"
    if expects == "text" and ask.kind in ("how", "when", "which"):
        figure = answer.value is not None and answer.kind in ("fact", "computed", "claim")
        # A bare figure ("3.35 billion") is no way of doing, no time, no name; a date answers when.
        bare = not fits_type(answer.text, "clause") and not (ask.kind == "when" and fits_type(answer.text, "date"))
        if figure or bare:
            return f"wrong-answer-type: a figure, for a {ask.kind} question"
    # (a metric computed from its definition is checked line by line; a change of one line is a line's figure)
    if ask.modifiers and answer.value is not None and answer.kind in ("fact", "claim", "span", "computed") \
            and not (answer.kind == "computed" and ask.metric is not None) and ask.expects in ("figure", "yes/no"):
        # "e-commerce" is "eCommerce", "weighted-average" "weighted average": compared without hyphens and spaces.
        # The answer's text holds the row's label as printed with its heading ("Weighted-average shares: Diluted").
        seen = re.sub(r"[-\s]", "", " ".join([answer.text, context, *(f"{c.section} {c.text} {c.segment or ''}"
                                                                       for c in answer.citations)]).lower())
        missing = [m for m in ask.modifiers if m.replace("-", "") not in seen]
        if missing:
            return f"qualifier-missing: {missing[0]} (the figure found is not for it)"
    if ask.qualifiers.measure and answer.value is not None and answer.kind != "computed" and not NON_GAAP.search(
            " ".join([answer.text, context, *(f"{c.section} {c.text}" for c in answer.citations)])):
        # "net economic earnings (non-GAAP) per share" is not the GAAP diluted EPS row
        return f"qualifier-missing: {ask.qualifiers.measure} (the figure found is not the measure asked)"
    if ask.expects == "figure" and answer.kind == "span" and answer.value is not None and ask.qualifiers.names:
        # A sentence's figure answers "Instagram's advertising revenue" only if it is about Instagram.
        seen = " ".join([answer.text, *(f"{c.section} {c.text}" for c in answer.citations)]).lower()
        missing = [n for n in ask.qualifiers.names if n.lower() not in seen]
        if missing:
            return f"qualifier-missing: {missing[0]} (the sentence found is not about it)"
    if ask.kind == "count" and answer.value is not None and answer.unit in ("USD", "%"):
        return f"unit-mismatch: {answer.unit}, for a count"
    if ask.rate_asked and ask.kind not in ("how", "count") and answer.value is not None and answer.unit in ("USD", "shares"):
        return f"unit-mismatch: {answer.unit}, for a rate, ratio or percentage"
    if ask.per_share and ask.kind != "how" and answer.value is not None and answer.unit \
            and not answer.unit.endswith("/share") and not _per_share_change(ask, answer):
        return f"unit-mismatch: {answer.unit}, for a figure per share"
    summed = stated_sum(ask.text) if answer.kind in ("fact", "claim", "computed") and answer.value is not None \
        and ask.metric is None else None
    if summed and not set(re.findall(r"[a-z]+", summed.lower())) <= set(re.findall(r"[a-z]+", answer.text.lower())):
        # "total debt (short-term debt plus long-term debt)": one printed line ("Short-term debt") is not the sum the
        # question defines; the filer's own line of that name ("Total notes payable and borrowings") is
        return f"formula-stated: the question defines {summed} by several lines; the figure found is one of them"
    if answer.unit == "%" and answer.value is not None and abs(answer.value) > 100 and _SHARE_ASKED.search(ask.text) \
            and not _CHANGE_ASKED.search(ask.text):
        return "impossible-share: a part's share of its whole over 100% (the two figures are not part and whole)"
    if answer.unit == "%" and answer.kind == "computed" and answer.value is not None and 0 < abs(answer.value) < Decimal("0.01") \
            and _SHARE_ASKED.search(ask.text):
        # 13,040 over 17,519,000,000: a part read at another scale than its whole, not a share of 0.00%
        return "impossible-share: a part's share of its whole rounds to 0.00% (the two figures are at different scales)"
    if ask.arithmetic is not None and answer.value is not None and not answers_ask(ask.arithmetic, answer.unit):
        return f"unit-mismatch: {answer.unit or 'no unit'} does not answer the {ask.arithmetic.op.replace('_', ' ')} asked"
    return None


# "What share of total net sales came from the U.S.?": a part of a whole, never more than all of it
_SHARE_ASKED = re.compile(r"\b(?:share|percentage|proportion|portion|fraction)\s+of\b|\bas\s+a\s+(?:share|percentage)\s+of\b"
                          r"|\baccount(?:ed)?\s+for\b|\bcame\s+from\b", re.I)
_CHANGE_ASKED = re.compile(r"\bchange|\bgr[eo]w|\bincrease|\bdecrease|\bdecline|\bcagr\b|\bgrowth", re.I)


def _per_share_change(ask: Ask, answer: Answer) -> bool:
    """A percentage change computed from figures per share (the percentage change of diluted EPS is a percentage;
    a stated change of the net profit is not the change per share)."""
    return answer.unit == "%" and answer.kind == "computed" and ask.arithmetic is not None \
        and ask.arithmetic.op in ("percent_change", "cagr") and bool(_PER_SHARE_ROW.search(answer.text))


_PER_SHARE_ROW = re.compile(r"\bper\s+(?:common\s+|diluted\s+|basic\s+)?share\b|\beps\b", re.I)
_VERDICT = re.compile(r"^\s*(?:yes|no)\b", re.I)
_COMPARED = re.compile(r"\b(?:than|more|less|higher|lower|exceed\w*|above|below|greater|fewer|over|under|positive|"
                       r"negative|compared|versus|vs|widen\w*|narrow\w*|cover(?:s|ed)?)\b", re.I)


# "below 1.0", "more than $5 billion", "at least 30%": a figure against a threshold the question states.
_THRESHOLD = re.compile(r"\b(below|under|less\s+than|lower\s+than|smaller\s+than|above|over|greater\s+than|more\s+than|"
                        r"higher\s+than|larger\s+than|exceed(?:s|ed|ing)?|at\s+least|at\s+most)\s+"
                        r"(-?\$?\s?\d[\d,]*(?:\.\d+)?)\s*(%|percent\b|x\b|times\b|billion\b|million\b|thousand\b)?", re.I)
_SCALES = {"billion": Decimal(10) ** 9, "million": Decimal(10) ** 6, "thousand": Decimal(10) ** 3}
# "Did it report positive equity?", "a shareholders' deficit (negative equity)": the figure's sign decides.
# The sign a yes/no question asks of a figure: "positive free cash flow", "an operating profit", "a net loss".
# ("a loss on extinguishment of debt" is a line of its own, printed positive: no sign asked)
_SIGN_ASKED = re.compile(r"\b(positive|negative|deficit|profitable)\b|\b(?:an?|any)\s+(?:(?:net|operating|pre-?tax|gross)\s+)?"
                         r"(profit|loss|surplus)\b(?!\s+(?:on|from|of|for)\b)", re.I)
_POSITIVE_SIGN = ("positive", "profitable", "profit", "surplus")


def _against_threshold(text: str, answer: Answer) -> bool | None:
    """Whether the answer's figure passes the threshold or sign the question asks about; None when it asks none
    (or one in a unit the figure is not in)."""
    m = _THRESHOLD.search(text)
    if m:
        limit = Decimal(re.sub(r"[$,\s]", "", m.group(2)))
        scale = (m.group(3) or "").lower()
        if scale in _SCALES:
            if answer.unit != "USD":
                return None
            limit *= _SCALES[scale]
        elif scale in ("%", "percent") and answer.unit != "%":
            return None
        word = m.group(1).lower()
        value = Decimal(str(answer.value))
        if word.startswith(("below", "under", "less", "lower", "smaller")):
            return value < limit
        if word.startswith("at most"):
            return value <= limit
        if word.startswith("at least"):
            return value >= limit
        return value > limit
    sign = _SIGN_ASKED.search(text)
    if sign and answer.value:
        return (answer.value > 0) == ((sign.group(1) or sign.group(2)).lower() in _POSITIVE_SIGN)
    return None


def with_verdict(ask: Ask, answer: Answer) -> Answer | None:
    """A yes/no question's answer: one that opens with its verdict as it is; a computed change between the dates
    asked given its verdict by its sign against the direction asked ("Did equity decrease ...?": −$12.4 billion,
    yes); for a question that compares nothing, the amount reported for the period (yes unless zero) or the
    statement as it stands; anything else None (a figure that decides nothing)."""
    if answer.no_answer or _VERDICT.match(answer.text):
        return answer
    if GROWTH_COMPARED.search(ask.text):
        return None  # "did net income grow faster than net sales": one line's change decides nothing
    if answer.value is not None and answer.kind in ("fact", "computed"):
        verdict = _against_threshold(ask.text, answer)
        if verdict is not None:
            return replace(answer, text=f"{'Yes' if verdict else 'No'}. {answer.text}")
    direction = ask.question.direction
    if direction is None and ask.trend is not None:  # "did gross margin improve": the move the trend word names
        direction = "increase" if ask.trend.direction == "up" else "decrease"
    changed = ask.arithmetic is not None and ask.arithmetic.op in ("change", "percent_change") or (
        ask.metric is not None and ask.metric.change)  # (a margin's move between two periods)
    if changed and answer.kind == "computed" and answer.value is not None and direction in ("increase", "decrease"):
        moved = "increase" if answer.value > 0 else "decrease" if answer.value < 0 else None
        return replace(answer, text=f"{'Yes' if moved == direction else 'No'}. {answer.text}")
    if direction is None and not _COMPARED.search(ask.text):
        if answer.value is not None and answer.kind == "fact":
            # "Did it pay dividends in FY2022?": the amount it reports for the period asked is the verdict.
            return replace(answer, text=f"{'Yes' if answer.value else 'No'}. {answer.text}")
        if answer.value is None and len(re.findall(r"[A-Za-z]{3,}", answer.text)) >= 3:
            # "Is Crexendo involved in any off-balance sheet arrangements?": the statement itself ("we are not
            # involved ..."); a verdict read from its words could be wrong ("closed to new members" for "open?").
            return answer
    return None


# The steps that answer in words, and the ranker's probability their sentence needs: the rule-based forms are
# specific and are overruled only on strong disagreement; the reader has no calibrated score of its own, so its
# sentence must be more likely right than not.
_WORDS_STEPS = {"stated_cause": lambda c: c.min_words_probability, "stated_form": lambda c: c.min_form_probability,
                "reader_span": lambda c: c.min_reader_probability}


# "Below) access our Family products ...": a span cut out of a parenthesis, not a statement
_UNOPENED = re.compile(r"^[^()]*\)")
# A step whose "no" leaves the later steps their turn: the ranker finding no likely sentence does not mean the
# reader cannot find the span (its answer is checked by the ranker in turn).
_DEFERRED_DECLINES = frozenset({"ranked_sentence"})


def _with_sentence_probability(ev: Evidence, answer: Answer, step: str) -> tuple[Answer, str | None]:
    """A words answer with its calibrated chance of being right as its confidence, or the reason it is dropped.

    The chance comes from the ranker's score of the sentence cited, through the step's own calibration when the
    ranker has one (fitted on dev answers of that step: `python -m eval calibrate --steps`), and must then reach
    `min_rank_probability` like the ranker's own answers; without one, the ranker's probability must reach the
    step's floor (`_WORDS_STEPS`)."""
    if _UNOPENED.match(answer.text):
        return answer, "fragment: the span starts inside a parenthesis of its sentence"
    score = sentence_score(ev, answer)
    if score is None:
        return answer, None
    p = ev.ranker.step_probability(step, score)
    needed = ev.config.min_rank_probability
    if p is None:
        p, needed = ev.ranker.probability(score), _WORDS_STEPS[step](ev.config)
    if p < needed:
        return answer, f"unlikely: a {p:.0%} chance of being right (the ranker's score of the sentence cited)"
    return replace(answer, confidence=p), None


def run_route(ev: Evidence) -> tuple[Answer | None, list[Outcome]]:
    """The first answer the Ask's route gives that passes the checks, and every step's outcome."""
    outcomes: list[Outcome] = []
    declined: Answer | None = None  # the ranker's decline (which sentence came closest), if no later step answers
    for step in ROUTES[ev.ask.kind]:
        if not step.applies(ev.ask):
            outcomes.append(Outcome(step.name, "skipped", f"needs {step.condition}"))
            continue
        answer = step.run(ev)
        if answer is None:
            outcomes.append(Outcome(step.name, "nothing"))
            continue
        problem = type_mismatch(ev.ask, answer, cited_context(ev, answer) if ev.ask.modifiers else "")
        if problem is None and ev.ask.expects == "yes/no":
            decided = with_verdict(ev.ask, answer)
            if decided is None:
                problem = "no-verdict: the figure found does not decide yes or no"
            else:
                answer = decided
        if problem is None and step.name in _WORDS_STEPS and not answer.no_answer and answer.value is None:
            answer, problem = _with_sentence_probability(ev, answer, step.name)
        if problem is not None:
            outcomes.append(Outcome(step.name, "rejected", problem, answer))
            continue
        outcomes.append(Outcome(step.name, "no-answer" if answer.no_answer else "answered", answer.text if
                                answer.no_answer else "", answer))
        if answer.no_answer and step.name in _DEFERRED_DECLINES:
            declined = declined or answer
            continue
        return answer, outcomes
    return declined, outcomes
