"""The reader's step: a short span from the passages, of the expected answer type, about the question."""
from __future__ import annotations

import math
import re
from dataclasses import replace
from decimal import Decimal

from corpus.scale import detect_scale
from corpus.sentences import sentence_at
from qa.answer.citations import cite, complete_span
from qa.answer.evidence import Evidence
from qa.answer.extract import answer_type, fits_type, range_end, typed_expression_at
from qa.answer.guards import (
    clause_does_the_asked_action,
    counts_a_part,
    covers_the_subject,
    does_the_asked_action,
    explains_asked_change,
    keyword_coverage,
    looks_tabular,
    names_another_subject,
    names_the_opposite,
    period_clash,
    period_context,
    states_a_reason,
    states_value,
)
from qa.answer.qualifiers import names_the_qualifiers
from qa.answer.respectively import respective_figure
from qa.figures.numbers import find_quantities
from qa.model import Answer

VALUE_INTENTS = {"value", "change", "change_percent"}
_YEAR = re.compile(r"(?:19|20)\d\d")
_FIGURE = re.compile(r"(?<![\w.,])\(?\$?\s?\d[\d,]*(?:\.\d+)?\)?%?(?![\w])")


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def reader_span(ev: Evidence) -> Answer | None:
    if ev.reader is None:
        return None
    q, config = ev.question, ev.config
    chosen = ev.passages(config.reader_passages)
    spans = ev.reader.extract(q.text, [h.text for h in chosen], top_k=config.reader_candidates)
    kind = answer_type(q.text, q.intent, q.metric)
    for span in spans:
        if span.score <= config.min_span_score:
            break
        # "When did ...?" is not answered by "$921,000", nor "What does backlog represent?" by "12%".
        if not fits_type(span.text, kind):
            continue
        hit = chosen[span.passage_index]
        sentence_start, sentence_end = sentence_at(hit.text, span.start, span.end)
        evidence = hit.text[sentence_start:sentence_end]
        # "67 million and 193 million ... during the second quarter and first half, respectively": the figure of
        # the period asked, whichever of the list the reader found.
        other = respective_figure(evidence, span.start - sentence_start, span.end - sentence_start, q.text)
        if other is not None:
            span = replace(span, text=evidence[other[0]:other[1]], start=sentence_start + other[0],
                           end=sentence_start + other[1])
        if kind in ("date", "duration"):
            # A span cut inside a date ("2019, the Ninth Circuit ..." of "On November 12, 2019, ...") or opening
            # with one and running on: the whole date, and only it. "At the time of the Red Hat closing in 2019"
            # says when in words, and stays.
            typed = typed_expression_at(hit.text, span.start, span.end, sentence_start, sentence_end, kind)
            opens_with_it = typed is not None and hit.text[span.start:typed[0]].strip(" ,").lower() in ("", "in", "on")
            if typed is not None and (typed[0] < span.start or typed[1] > span.end or opens_with_it):
                span = replace(span, text=hit.text[typed[0]:typed[1]], start=typed[0], end=typed[1])
        if kind in ("amount", "count"):
            whole = range_end(hit.text, span.start, span.end, sentence_end)
            if whole != span.end:
                span = replace(span, text=hit.text[span.start:whole], end=whole)
        # The passage must be about the question: "Who is the CFO?" is not answered from a sentence about the CEO.
        if q.intent != "why":
            cut = _one_sentence_of(span, hit.text, kind, q.text)
            if cut is not span:  # the checks and the citation read the piece kept, not the sentences cut away
                span = cut
                sentence_start, sentence_end = sentence_at(hit.text, span.start, span.end)
                evidence = hit.text[sentence_start:sentence_end]
        filing = ev.filing_of(hit)
        if keyword_coverage(q.text, evidence if len(evidence) > 80 else hit.text, filing.company) < config.min_keyword_coverage:
            continue
        where = " ".join((evidence, hit.segment or "", hit.section))
        # The checks read the span's own sentence: "... decreased during the third quarter ... models. iPad net
        # sales increased during the first nine months ..." is two sentences the splitter may keep as one, and a
        # span may run across both; a why-answer is the piece whose sentence is about the change asked.
        own = _own_sentence(evidence, span.start - sentence_start, span.end - sentence_start)
        if names_the_opposite(q.text, own):
            continue  # "unconsolidated bottling partners" answers nothing about consolidated ones
        if q.intent == "why" and not re.search(r"\b[a-z]{3,}\b", span.text):
            continue  # a reason is said in words, not by a bare name ("Chris Kempczinski")
        if q.intent == "why":
            # A piece with no words ("29%.") is a figure, not a reason.
            pieces = [(a, b) for a, b in _pieces(hit.text, span.start, span.end)
                      if len(re.findall(r"[A-Za-z]{3,}", hit.text[a:b])) >= 2]
            found = next(((a, b, own_) for a, b in pieces
                          if (own_ := _explaining_sentence(ev.ask, evidence, a - sentence_start, b - sentence_start, where, filing))),
                         None)
            if found is None:
                continue  # a reason for another period, direction, figure or product is not this one
            begin = _clause_start(hit.text, sentence_start, found[0], found[1])
            if begin is None:
                continue  # "$561 million, compared to $537 million": the change restated, not its reason
            if (begin, found[1]) != (span.start, span.end):
                span = replace(span, text=hit.text[begin:found[1]], start=begin, end=found[1])
            own = found[2]
        dated = period_context(filing, hit.start + sentence_start, evidence)
        if q.intent != "why" and not (not period_clash(q, dated, hit, filing)
                                      and does_the_asked_action(q.text, own)):
            continue  # "in the first half" is not answered by the second quarter's count, nor "in Japan" by a total
        if q.intent in VALUE_INTENTS and not _one_figure_about_it(q, kind, span.text, hit.start + span.start, evidence,
                                                                  hit, filing, config):
            continue
        if kind == "count" and not _counts_the_asked_thing(q.text, evidence, span.start - sentence_start,
                                                           span.end - sentence_start):
            continue  # "how many restaurants" is not answered by "employees ... totaled over 150,000"
        value, unit = _span_value(span.text, hit.start + span.start, filing) if q.intent in VALUE_INTENTS else (None, None)
        if value is None and kind == "count":
            value, unit = _count_value(span.text)
        return Answer(question=q.text, text=complete_span(span.text), value=value, unit=unit,
                      confidence=_sigmoid(span.score / 2), citations=(cite(hit, filing, sentence_start, sentence_end),),
                      kind="span")
    return None


_SENTENCE_END = re.compile(r"[.;]\s+(?=[A-Za-z])")


# A reason follows one of these words; "as our Blackwell revenue consists of ..." only with its subject.
_CAUSAL = re.compile(r"\b(?:due\s+(?:\w+\s+)?to|because(?:\s+of)?|driven\s+(?:\w+\s+)?by|as\s+a\s+result\s+of|resulting\s+from|"
                     r"result(?:ed|s)?\s+(?:\w+\s+)?(?:from|of)|attributable\s+to|attributed\s+to|reflect(?:s|ed|ing)?|"
                     r"offset\s+by|owing\s+to|caused\s+by|led\s+to|as\s+(?=(?:our|the|its|we|a|an)\s))\s*", re.I)


def _clause_start(text: str, sentence_start: int, start: int, end: int) -> int | None:
    """Where the reason a why-span gives begins: the span itself when it holds a causal word, else the end of the
    last causal word before it in its sentence (so "full-scale datacenter systems ..." reads "our Blackwell revenue
    consists primarily of full-scale datacenter systems ..."); None when the sentence states no cause for it."""
    if _CAUSAL.search(text, start, end):
        return start
    before = list(_CAUSAL.finditer(text, sentence_start, start))
    if not before:
        return None
    between = text[before[-1].end():start]
    if re.search(r"[.;]\s|[”\"]|\bsaid\b", between):
        return None  # the cause belongs to an earlier sentence, or to a quote ("...," said its CEO, <name>)
    return before[-1].end() if len(between) <= 80 else start  # deep in a list of causes: the span as found


def _own_sentence(evidence: str, start: int, end: int) -> str:
    """The part of `evidence` between the sentence ends around [start, end)."""
    before = [m.end() for m in _SENTENCE_END.finditer(evidence, 0, max(0, start))]
    after = _SENTENCE_END.search(evidence, max(start, end - 1))  # a piece may end on its own full stop
    return evidence[before[-1] if before else 0:after.start() + 1 if after else len(evidence)]


def _explaining_sentence(ask, evidence: str, start: int, end: int, where: str, filing) -> str | None:
    """The sentence of `evidence` around [start, end) when it gives a reason for the change the why-question asks
    about (its period, direction, qualifiers and subject); else None."""
    q = ask.question
    sentence = _own_sentence(evidence, start, end)
    ok = (states_a_reason(sentence) and explains_asked_change(q, sentence, filing)
          and names_the_qualifiers(ask.qualifiers, where, filing.company) and covers_the_subject(q.text, where, filing.company)
          and not names_another_subject(q.text, sentence, filing.company))
    return sentence if ok else None


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """[start, end) cut at the sentence ends inside it (the whole span first when there are none)."""
    cuts = [m for m in _SENTENCE_END.finditer(text, start, end)]
    if not cuts:
        return [(start, end)]
    bounds = [start] + [m.end() for m in cuts]
    ends = [m.start() + 1 for m in cuts] + [end]
    return [(a, b) for a, b in zip(bounds, ends) if text[a:b].strip()]


def _one_sentence_of(span, text: str, kind: str | None, question: str):
    """A span the reader ran across sentence ends ("... expense. RSUs granted ... In general, our RSUs vest over a
    service period of four years") cut to its piece of the asked type that shares most words with the question."""
    pieces = [(a, b) for a, b in _pieces(text, span.start, span.end) if fits_type(text[a:b], kind)]
    if len(pieces) < 2 and (not pieces or pieces[0] == (span.start, span.end)):
        return span
    a, b = max(pieces, key=lambda p: (keyword_coverage(question, text[p[0]:p[1]]), p[0]))
    return replace(span, text=text[a:b].rstrip(" ."), start=a, end=b)


def _line_at(text: str, at: int) -> str:
    end = text.find("\n", at)
    return text[text.rfind("\n", 0, at) + 1:end if end != -1 else len(text)]


def _one_figure_about_it(q, kind, span_text: str, at: int, evidence: str, hit, filing, config) -> bool:
    """A value answer is one figure, stated about the question's metric and period. "3,901 2,321 2,821" is a
    table row, not a figure; and a change asked for is computed from cells, so a cell the reader picks in a
    table row is not it."""
    if len([f for f in _FIGURE.findall(span_text) if not _YEAR.fullmatch(f)]) > 1:
        return False
    if q.intent != "value" and looks_tabular(_line_at(filing.text, at)[:400]):
        return False
    return states_value(q, kind, span_text, evidence, hit, filing, config.min_value_coverage)


# "how many McDonald's restaurants were ...": the thing counted is the last word before the verb.
_COUNTED = re.compile(r"\bhow\s+many\s+((?:[\w'’&.-]+\s+){0,4}?)(?=(?:were|was|are|is|did|does|do|had|has|have|"
                      r"will|in|at|as)\b|\?|$)", re.I)
_CLAUSE_BREAK = re.compile(r"[,;:()]|\s(?:which|who|of which|while|and)\s", re.I)


def _counts_the_asked_thing(question: str, sentence: str, start: int, end: int) -> bool:
    """Whether the number's own clause names the thing the question counts ("40,275 McDonald's restaurants", not
    "Company employees, ..., totaled over 150,000 worldwide"); true when the question names no thing."""
    m = _COUNTED.search(question)
    words = m.group(1).split() if m else []
    if not words:
        return True
    if counts_a_part(sentence, end):
        return False  # "over 13,000 of our employees ... took advantage of ...": a part, not the headcount
    stem = re.sub(r"(?:ies|es|s)$", "", words[-1].lower())[:6]
    breaks = [b for b in _CLAUSE_BREAK.finditer(sentence)]
    begin = max((b.end() for b in breaks if b.end() <= start), default=0)
    finish = min((b.start() for b in breaks if b.start() >= end), default=len(sentence))
    return stem in sentence[begin:finish].lower() and clause_does_the_asked_action(question, sentence[begin:finish])


_BARE_COUNT = re.compile(r"^\s*(?:approximately|about|over|more than|nearly|roughly)?\s*(\d{1,3}(?:,\d{3})+|\d+)\s*"
                         r"(?:(thousand|million|billion)\b)?\s*[a-z\s-]{0,30}$", re.I)
_COUNT_SCALE = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}


def _count_value(text: str) -> tuple:
    """A count the span states ("143,000", "approximately 74,067 employees"), else (None, None)."""
    m = _BARE_COUNT.match(text)
    if not m:
        return None, None
    scale = _COUNT_SCALE.get((m.group(2) or "").lower(), 1)
    return Decimal(m.group(1).replace(",", "")) * scale, "count"


def _span_value(text: str, at: int, filing) -> tuple:
    """The one figure a span states, at its table's scale ("$ 2,540" under "presented in millions"), or none."""
    table = next((t for t in filing.tables if t.start <= at < t.end), None)
    amounts = [x for x in find_quantities(text, scale=table.scale if table else 1) if x.unit in ("USD", "%", "USD/share")]
    if table is None and looks_tabular(_line_at(filing.text, at)[:400]) and detect_scale(filing.text[max(0, at - 1500):at]) > 1:
        return None, None  # a table the parser missed, under "(in millions)": the figure's scale is unknown
    if len(amounts) == 1:  # a figure the reader found in a sentence: keep it as the answer's value
        return amounts[0].value, amounts[0].unit
    return None, None
