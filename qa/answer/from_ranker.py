"""The sentence the learned ranker (`qa.rank`) finds answers a why / how / what question, among the sentences of
the passages retrieved and the section around them, after the structural checks: the segment and names the
question qualifies its subject with, the period and direction of the change asked (a why question), no row of
figures. The answer's confidence is the ranker's calibrated probability; below the threshold the step declines
and says which sentence came closest and why it is not taken.
"""
from __future__ import annotations

from dataclasses import dataclass

from corpus.sentences import split_spans
from qa.answer.evidence import Evidence
from qa.answer.guards import explains_asked_change, looks_tabular, names_the_opposite
from qa.answer.qualifiers import names_the_qualifiers
from qa.model import Answer, Citation
from qa.rank.candidates import ANAPHOR, Candidate, candidate_text, heading_of, sentences_between

_REACH = 1500  # characters of the section read on each side of a retrieved passage (a reason beside its figure)
_MAX_CANDIDATES = 96


@dataclass(frozen=True)
class Ranked:
    candidate: Candidate
    score: float
    probability: float


def candidates(ev: Evidence) -> list[Candidate]:
    """The sentences of the passages retrieved and of their section nearby, each once, in retrieval order."""
    out: dict[tuple[str, int], Candidate] = {}
    for hit in ev.passages(ev.config.k):
        filing = ev.filing_of(hit)
        section = filing.section_at(hit.start)
        lo = max(hit.start - _REACH, section.start if section else 0)
        hi = min(hit.end + _REACH, section.end if section else len(filing.text))
        for c in sentences_between(filing, lo, hi):
            out.setdefault((c.doc_id, c.start), c)
        if len(out) >= _MAX_CANDIDATES:
            break
    return list(out.values())[:_MAX_CANDIDATES]


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
    if ev.ask.kind == "why" and not explains_asked_change(ev.question, _with_antecedent(c), filing):
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
    best = ranked[0]
    filing = ev.filings[best.candidate.doc_id]
    if best.probability < ev.config.min_rank_probability:
        closest = " ".join(best.candidate.sentence.split())
        return Answer(question=ev.question.text, no_answer=True, kind="none", confidence=best.probability,
                      text=f"The filing does not state it plainly: the closest sentence ({_short(closest)}) is "
                           f"unlikely to answer it ({best.probability:.0%}).")
    c = best.candidate
    start = c.start
    if ANAPHOR.match(" ".join(c.sentence.split())):
        # "The increase was primarily due to ...": the change it explains is part of the answer and its citation
        start = sentence_before(ev, c)
    section = filing.section_at(start)
    text = " ".join(filing.text[start:c.end].split())
    citation = Citation(doc_id=c.doc_id, section=" > ".join(section.path) if section else "",
                        page=filing.page_at(start) if filing.pages else None, start=start, end=c.end,
                        text=filing.text[start:c.end], period=None, segment=section.segment if section else None)
    return Answer(question=ev.question.text, text=text, confidence=best.probability, citations=(citation,),
                  kind="explanation" if ev.ask.kind == "why" else "span")


def sentence_before(ev: Evidence, c: Candidate) -> int:
    """Where the sentence before `c` starts in its filing (`c.start` when there is none)."""
    spans = split_spans(ev.filings[c.doc_id].text, max(0, c.start - 600), c.start)
    return spans[-1][0] if spans else c.start


def _short(sentence: str, limit: int = 160) -> str:
    return f"“{sentence}”" if len(sentence) <= limit else f"“{sentence[:limit].rsplit(' ', 1)[0]} ...”"



def sentence_probability(ev: Evidence, answer: Answer) -> float | None:
    """The ranker's calibrated chance that the sentence a words-answer cites answers the question (the lowest over
    its citations), or None without a ranker or a citation."""
    if ev.ranker is None or not answer.citations:
        return None
    texts = []
    for c in answer.citations:
        filing = ev.filings.get(c.doc_id)
        if filing is None:
            return None
        before = split_spans(filing.text, max(0, c.start - 600), c.start)
        previous = filing.text[before[-1][0]:before[-1][1]] if before else ""
        texts.append(candidate_text(heading_of(filing, c.start), previous, filing.text[c.start:c.end]))
    return min(ev.ranker.probability(s) for s in ev.ranker.scores(ev.question.text, texts))
