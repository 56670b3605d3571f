"""Answer steps over the filing's sentences, without the reader: statements in a regular form ("X consists of",
"is recognized when"), stated causes ("due to ..."), and amounts stated next to the question's words."""
from __future__ import annotations

from qa.answer.citations import span_answer
from qa.answer.evidence import Evidence
from qa.answer.extract import Extract, extract, extract_amount, extract_cause
from qa.answer.guards import explains_asked_change, states_value
from qa.figures.numbers import find_quantities
from qa.model import Answer


def _answer(ev: Evidence, chosen, found: Extract, **kwargs) -> Answer:
    hit = chosen[found.passage_index]
    return span_answer(ev.question.text, hit, ev.filing_of(hit), found.start, found.end, found.sentence_start,
                       found.sentence_end, **kwargs)


def stated_form(ev: Evidence) -> Answer | None:
    """"What does cost of revenue consist of?" answered from "Cost of revenue consists of ..."."""
    q, chosen = ev.question, ev.passages(ev.config.k)
    contexts = [" ".join(x for x in (h.segment, h.section) if x) for h in chosen]
    leads = [ev.filing_of(h).text[max(0, h.start - 300):h.start] for h in chosen]
    names = [ev.filing_of(h).company or "" for h in chosen]
    found = extract(q.text, [h.text for h in chosen], contexts, leads=leads, intent=q.intent, metric=q.metric,
                    company_names=names)
    return None if found is None else _answer(ev, chosen, found)


def stated_cause(ev: Evidence) -> Answer | None:
    """The reason the filing gives ("due to", "attributed to") for the question's subject."""
    chosen = ev.passages(ev.config.k)
    contexts = [" ".join(x for x in (h.segment, h.section) if x) for h in chosen]

    def about_the_change(index: int, sentence: str) -> bool:
        hit, segment = chosen[index], ev.question.segment
        # A segment the question names must be the sentence's or its section's ("Greater China", not "iPhone").
        if segment and segment.lower() not in " ".join((sentence, hit.segment or "", hit.section)).lower():
            return False
        return explains_asked_change(ev.question, sentence, ev.filing_of(hit))

    found = extract_cause(ev.question.text, [h.text for h in chosen], contexts, accept=about_the_change)
    return None if found is None else _answer(ev, chosen, found)


def stated_amount(ev: Evidence) -> Answer | None:
    """"A $1,961,000 note payable for the purchase of ...": a dollar amount next to the question's words."""
    q, chosen = ev.question, ev.passages(ev.config.k)
    found = extract_amount(q.text, [h.text for h in chosen])
    if found is None:
        return None
    hit = chosen[found.passage_index]
    sentence = hit.text[found.sentence_start:found.sentence_end]
    figure = hit.text[found.start:found.end]
    if not states_value(q, "amount", figure, sentence, hit, ev.filing_of(hit), ev.config.min_value_coverage):
        return None
    amounts = [x for x in find_quantities(figure) if x.unit == "USD"]
    return _answer(ev, chosen, found, confidence=0.6 * found.score, value=amounts[0].value if amounts else None,
                   unit="USD" if amounts else None)
