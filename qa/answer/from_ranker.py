"""The sentence the learned ranker (`qa.rank`) finds answers a why / how / what question, among the sentences of
the passages retrieved and the section around them, after the structural checks: the segment and names the
question qualifies its subject with, the period and direction of the change asked (a why question), no row of
figures. The answer's confidence is the ranker's calibrated probability; below the threshold the step declines
and says which sentence came closest and why it is not taken.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.changes import HAS_REASON
from corpus.sentences import split_spans
from qa.answer.evidence import Evidence
from qa.answer.guards import counts_a_part, explains_asked_change, looks_tabular, names_the_opposite
from qa.answer.qualifiers import names_the_qualifiers
from qa.figures.numbers import find_quantities
from qa.model import Answer, Citation
from qa.rank.candidates import ANAPHOR, Candidate, candidate_text, heading_of, previous_sentence, sentences_between

_REACH = 1500  # characters of the section read on each side of a retrieved passage (a reason beside its figure)
_MAX_CANDIDATES = 64  # sentences scored (after the checks)
_MAX_READ = 320  # sentences read and checked
_MIN_WORDS = 6
# "... increased during 2023 compared to 2022 primarily due to:": the reasons are the items that follow
_INTRODUCES_LIST = re.compile(r"\b(?:due\s+to|driven\s+by|result\s+of|reflect(?:s|ed|ing)?|attributable\s+to|"
                              r"following)[^.:]{0,40}:\s*$", re.I)
_LIST_ITEMS = 4
# "How does X define Y?", "What does Y mean?": a definition is asked, and a sentence that gives one says so
_DEFINITION_ASKED = re.compile(r"\bdefin(?:e|es|ed|ition)\b|\bmean(?:s|t)?\b(?!\s+of\b)|\bwhat\s+is\s+meant\b", re.I)
_DEFINES = re.compile(r"\bdefin(?:e|es|ed|ition)\b|\bmeans?\b|\brefers?\s+to\b|\brepresents?\b|\bconsists?\s+of\b|"
                      r"\bequal(?:s|\s+to)\b|\bcalculated\b|\bcomputed\b|\bmeasured?\s+(?:as|by)\b|\bis\s+the\b|"
                      r"\bare\s+the\b|\bdescribes?\b|\bexclud(?:es|ing)\b|\bless\b|\bminus\b|\bdivided\b|"
                      r"\bmeasure\s+of\b|=", re.I)

# "Company adjusted free cash flow was $2.9 billion, ... excluding Ford Credit": a figure stated, not a definition
# (unless the sentence also defines it: "FCF, which we define as ..., was $2.9 billion").
_STATES_A_VALUE = re.compile(r"\b(?:was|were|totaled|amounted\s+to|(?:increased|decreased|rose|fell|grew|declined)"
                             r"(?:\s+by)?)\s+(?:approximately\s+|about\s+)?\$?\s?\d", re.I)
_DEFINES_PLAINLY = re.compile(r"\bdefin(?:e|es|ed|ition)\b|\bmeans?\b|\brefers?\s+to\b|\b(?:calculated|computed|"
                              r"measured)\s+(?:as|by)\b|\brepresents?\b", re.I)


@dataclass(frozen=True)
class Ranked:
    candidate: Candidate
    score: float
    probability: float


def candidates(ev: Evidence) -> list[Candidate]:
    """The sentences of the passages retrieved (in retrieval order), then those of their section nearby, each once."""
    out: dict[tuple[str, int], Candidate] = {}
    hits = ev.passages(ev.config.k)
    for hit in hits:
        for c in sentences_between(ev.filing_of(hit), hit.start, hit.end):
            out.setdefault((c.doc_id, c.start), c)
    for hit in hits:
        filing = ev.filing_of(hit)
        section = filing.section_at(hit.start)
        lo = max(hit.start - _REACH, section.start if section else 0)
        hi = min(hit.end + _REACH, section.end if section else len(filing.text))
        for c in sentences_between(filing, lo, hi):
            out.setdefault((c.doc_id, c.start), c)
        if len(out) >= _MAX_READ:
            break
    return list(out.values())[:_MAX_READ]


def rejection(ev: Evidence, c: Candidate) -> str | None:
    """Why a sentence cannot answer the question whatever the ranker says, or None."""
    filing = ev.filings[c.doc_id]
    if looks_tabular(c.sentence):
        return "a row of figures, not a sentence"
    where = c.text  # the sentence with its heading path and antecedent
    segment = ev.question.segment
    if segment and segment.lower() not in where.lower():
        return f"not about {segment}"
    if not names_the_qualifiers(ev.ask.qualifiers, where, filing.company):
        return "not about the name the question qualifies its subject with"
    if names_the_opposite(ev.question.text, c.sentence):
        return "about the opposite of what is asked (unrealized for realized)"
    words = re.findall(r"[A-Za-z][A-Za-z'’-]*", c.sentence)
    if len(c.sentence.split()) < _MIN_WORDS or sum(w[0].isupper() for w in words) >= 0.8 * len(words):
        return "a heading or fragment, not a sentence"
    if _DEFINITION_ASKED.search(ev.question.text):
        if not _DEFINES.search(c.sentence):
            return "names the term without defining it"
        if _STATES_A_VALUE.search(c.sentence) and not _DEFINES_PLAINLY.search(c.sentence):
            return "states the term's figure, not what it means"
    if ev.ask.kind == "why":
        if not HAS_REASON.search(c.sentence) and not _INTRODUCES_LIST.search(c.sentence):
            return "states no reason (a change without its cause)"
        if not explains_asked_change(ev.question, _with_antecedent(c), filing):
            return "about another period, direction or figure than the change asked"
    return None


def _with_antecedent(c: Candidate) -> str:
    """The sentence and, when it opens with "The increase ...", the change it points back at (in its text)."""
    return c.text.split(": ", 1)[-1] if ANAPHOR.match(" ".join(c.sentence.split())) else c.sentence


def rank(ev: Evidence) -> tuple[list[Ranked], dict[str, int]]:
    """The candidates that pass the checks, best first, and how many each check turned away."""
    kept, turned_away = [], {}
    for c in candidates(ev):
        reason = rejection(ev, c)
        if reason is None:
            kept.append(c)
            if len(kept) >= _MAX_CANDIDATES:
                break
        else:
            turned_away[reason] = turned_away.get(reason, 0) + 1
    if not kept:
        return [], turned_away
    ranker = ev.ranker
    scores = ranker.scores(ev.question.text, [c.text for c in kept])
    ranked = [Ranked(c, s, ranker.probability(s)) for c, s in zip(kept, scores)]
    ranked.sort(key=lambda r: -r.score)
    return ranked, turned_away


def ranked_sentence(ev: Evidence) -> Answer | None:
    """The best sentence, whole, when its calibrated probability reaches `config.min_rank_probability`; else an
    honest no-answer naming the closest sentence and what kept it out."""
    if ev.ranker is None:
        return None
    ranked, turned_away = rank(ev)
    if not ranked:
        if not turned_away:
            return None
        worst = max(turned_away, key=turned_away.get)
        return Answer(question=ev.question.text, no_answer=True, kind="none",
                      text=f"No sentence of the passages read answers it: {sum(turned_away.values())} were set aside "
                           f"(most often: {worst}).")
    if ranked and asks_a_figure(ev):
        # a figure asked: only a sentence that singles one out can answer ("13,000 of our employees took ..." is
        # no headcount, however well it ranks)
        ranked = [r for r in ranked if stated_figure(ev.question.text, r.candidate.sentence) is not None]
        if not ranked:
            return None
    best = ranked[0]
    filing = ev.filings[best.candidate.doc_id]
    # "How many employees": a sentence that counts the very things asked is a stated form, checked as the
    # rule-based forms are; any other sentence needs the ranker's own confidence.
    counts_them = bool(_HOW_MANY.search(ev.question.text)) \
        and stated_figure(ev.question.text, best.candidate.sentence) is not None
    needed = ev.config.min_form_probability if counts_them else ev.config.min_rank_probability
    if best.probability < needed:
        closest = " ".join(best.candidate.sentence.split())
        return Answer(question=ev.question.text, no_answer=True, kind="none", confidence=best.probability,
                      text=f"The filing does not state it plainly: the closest sentence ({_short(closest)}) is "
                           f"unlikely to answer it ({best.probability:.0%}).")
    c = best.candidate
    start = c.start
    if ANAPHOR.match(" ".join(c.sentence.split())):
        # "The increase was primarily due to ...": the change it explains is part of the answer and its citation
        start = sentence_before(ev, c)
    end = _through_its_list(filing, c) if _INTRODUCES_LIST.search(c.sentence) else c.end
    section = filing.section_at(start)
    text = " ".join(filing.text[start:end].split())
    citation = Citation(doc_id=c.doc_id, section=" > ".join(section.path) if section else "",
                        page=filing.page_at(start) if filing.pages else None, start=start, end=end,
                        text=filing.text[start:end], period=None, segment=section.segment if section else None)
    value, unit = None, None
    if asks_a_figure(ev):
        figure = stated_figure(ev.question.text, filing.text[c.start:c.end])
        if figure is None:
            return None  # a figure asked: a sentence that does not single one out is no answer to it
        value, unit = figure.value, figure.unit or None
        spelled = re.search(r"\b(thousand|million|billion)\b", figure.text, re.I)
        if spelled and figure.scale == 1 and abs(value) < 1000:  # "365 million shares" as written: 365,000,000
            value *= {"thousand": 10 ** 3, "million": 10 ** 6, "billion": 10 ** 9}[spelled.group(1).lower()]
    return Answer(question=ev.question.text, text=text, confidence=best.probability, citations=(citation,),
                  kind="explanation" if ev.ask.kind == "why" else "span", value=value, unit=unit)


_FIGURE_ASKED = re.compile(r"^\s*(?:approximately\s+|roughly\s+)?(?:how\s+(?:much|many)|what\s+(?:was|is|were|are)\s+the\s+"
                           r"(?:amount|number|percentage|ratio|rate)\b|at\s+what\s+(?:ratio|rate|price))", re.I)
_HOW_MANY = re.compile(r"\bhow\s+many\s+(?P<noun>[a-z][a-z\s-]{2,60}?)\s+(?:did|does|do|were|was|are|is|has|have|had|will)\b", re.I)


def asks_a_figure(ev: Evidence) -> bool:
    """The question wants a number (a count, an amount, a rate), not words."""
    return ev.ask.kind == "count" or ev.ask.expects == "figure" or bool(_FIGURE_ASKED.search(ev.question.text))


def stated_figure(question: str, sentence: str):
    """The figure a sentence gives for the question: for "how many <things>", the number written before the
    things ("approximately 143,000 full-time employees"); otherwise the sentence's one amount, percentage or
    per-share figure. None when the sentence does not single one out."""
    quantities = [q for q in find_quantities(sentence) if not re.fullmatch(r"(?:19|20)\d\d", q.text.strip())]
    many = _HOW_MANY.search(question)
    if many:
        head = many.group("noun").split()[-1].lower().rstrip("s")
        for q in quantities:
            if q.unit in ("%", "USD", "USD/share"):
                continue  # "50% of each employee's contributions" counts no employees
            if re.search(r"\b[A-Z][A-Za-z]*\s$", sentence[:q.start]) and re.fullmatch(r"\d{1,2}", q.text.strip()):
                continue  # "Model 3, Model Y, and Cybertruck vehicles": a name's number, not a count
            after = sentence[q.end:q.end + 48].lower()
            if counts_a_part(sentence, q.end):
                continue  # "13,000 of our employees took ...": a part of the whole, not the count
            if re.match(rf"^[\s\w,()-]{{0,30}}?\b{re.escape(head)}", after):
                return q
            # "our employee headcount worldwide was 125,665": the things named, then the number they total
            before = sentence[max(0, q.start - 60):q.start].lower()
            if re.search(rf"\b{re.escape(head[:6])}\w*(?:\s+[a-z-]+){{0,3}}\s+(?:was|were|is|are|of|totaled)\s+"
                         rf"(?:approximately\s+|about\s+|over\s+)?$", before):
                return q
        return None
    typed = [q for q in quantities if q.unit in ("USD", "%", "USD/share")]
    return typed[0] if len(typed) == 1 else None


def _through_its_list(filing, c: Candidate) -> int:
    """The end of the items a sentence ending "primarily due to:" introduces (a few, within its section)."""
    section = filing.section_at(c.start)
    limit = section.end if section else len(filing.text)
    spans = split_spans(filing.text, c.end, min(limit, c.end + 3000))[:_LIST_ITEMS]
    return spans[-1][1] if spans else c.end


def sentence_before(ev: Evidence, c: Candidate) -> int:
    """Where the sentence before `c` starts in its filing (`c.start` when there is none)."""
    before = previous_sentence(ev.filings[c.doc_id].text, c.start)
    return before[0] if before else c.start


def _short(sentence: str, limit: int = 160) -> str:
    return f"“{sentence}”" if len(sentence) <= limit else f"“{sentence[:limit].rsplit(' ', 1)[0]} ...”"



def sentence_score(ev: Evidence, answer: Answer) -> float | None:
    """The ranker's score of the sentence a words-answer cites (a logit; see `SentenceRanker.probability` and
    `step_probability`), or None without a ranker or a citation. The sentence scored is the one the answer's words
    come from, with the sentence before it (a cause's clause often follows the change it explains, and a cited
    paragraph is longer than the ranker reads); if no citation holds the words, each citation whole, the lowest
    counting."""
    if ev.ranker is None or not answer.citations:
        return None
    words = answer.text.split()[:8]
    said = re.compile(r"\s+".join(re.escape(w) for w in words), re.I) if words else None
    texts, holding = [], []
    for c in answer.citations:
        filing = ev.filings.get(c.doc_id)
        if filing is None:
            return None
        found = said.search(filing.text, c.start, c.end) if said else None
        start, end = next(((a, b) for a, b in split_spans(filing.text, c.start, c.end) if a <= found.start() < b),
                          (c.start, c.end)) if found else (c.start, c.end)
        before = previous_sentence(filing.text, start)
        previous = filing.text[before[0]:before[1]] if before else ""
        text = candidate_text(heading_of(filing, start), previous, filing.text[start:end])
        (holding if found else texts).append(text)
    return min(ev.ranker.scores(ev.question.text, holding or texts))
