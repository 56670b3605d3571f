"""Answer steps over the filing's sentences, without the reader: statements in a regular form ("X consists of",
"is recognized when"), stated causes ("due to ..."), and amounts stated next to the question's words."""
from __future__ import annotations

import re
from dataclasses import replace

from corpus.model import Filing
from corpus.sentences import split_spans
from index.model import Hit
from qa.answer.citations import cite, span_answer
from qa.answer.evidence import Evidence
from qa.answer.extract import ANAPHORIC, Extract, cause_candidates, extract, extract_amount
from qa.answer.guards import (
    covers_the_subject,
    explains_asked_change,
    extra_subject_words,
    looks_tabular,
    names_another_subject,
    names_the_opposite,
    states_value,
)
from qa.answer.qualifiers import names_the_qualifiers
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
    if found is None or names_the_opposite(q.text, chosen[found.passage_index].text[found.sentence_start:found.sentence_end]):
        return None
    answer = _answer(ev, chosen, found)
    if ev.ask.expects != "figure" or answer.value is not None:
        return answer
    # "the carrying value ... was $14.1 billion": the one amount the span states is the figure asked
    amounts = [x for x in find_quantities(answer.text) if x.unit in ("USD", "%", "USD/share")]
    if len(amounts) != 1:
        return answer
    text = re.sub(r"^\s*(?:was|were|is|are|of|totaled|totalled|amounted\s+to)\s+", "", answer.text, flags=re.I)
    return replace(answer, text=text, value=amounts[0].value, unit=amounts[0].unit)


def stated_cause(ev: Evidence) -> Answer | None:
    """The reason the filing gives ("due to", "attributed to") for the question's subject. When the filing explains
    the asked figure only by its parts ("Products gross margin ...", "Services gross margin ..."), each part's
    reason, for the same period, together."""
    chosen = [with_antecedent(h, ev.filing_of(h)) for h in ev.passages(ev.config.k)]
    contexts = [" ".join(x for x in (h.segment, h.section) if x) for h in chosen]

    def about_the_change(index: int, sentence: str) -> bool:
        hit, segment = chosen[index], ev.question.segment
        if looks_tabular(sentence):
            return False  # a row of figures states no reason ("Common stockholders $7,091 $14,997 $12,556")
        # A segment the question names must be the sentence's or its section's ("Greater China", not "iPhone").
        if segment and segment.lower() not in " ".join((sentence, hit.segment or "", hit.section)).lower():
            return False
        filing = ev.filing_of(hit)
        where = " ".join((sentence, hit.segment or "", hit.section))
        if not names_the_qualifiers(ev.ask.qualifiers, where, filing.company):
            return False  # "Why did net sales in India decline?" is not answered by a reason about iPad
        if not covers_the_subject(ev.question.text, where, filing.company) \
                or names_another_subject(ev.question.text, sentence, filing.company) \
                or names_the_opposite(ev.question.text, sentence):
            return False  # a reason for freight revenue is no reason for passenger revenue
        return explains_asked_change(ev.question, sentence, filing)

    # The filer's own name is no subject words: "Why did Apple's gross margin change?" asks about gross margin.
    question = _without_company(ev.question.text, {ev.filing_of(h).company or "" for h in chosen})
    found = cause_candidates(question, [h.text for h in chosen], contexts, accept=about_the_change)
    if not found:
        return None
    # Among reasons that cover the question alike, the figure named most exactly first: "Other expenses decreased"
    # before "Equipment and other rents expense decreased" for "other expenses".
    found.sort(key=lambda x: (-round(x.score + 0.01 * x.passage_index, 3), extra_subject_words(
        ev.question.text, chosen[x.passage_index].text[x.sentence_start:x.start], ev.filing_of(chosen[x.passage_index]).company),
        x.passage_index))
    best = found[0]
    parts = _parts(ev, chosen, found) if not ev.question.segment else []
    if len(parts) < 2:
        answer = _answer(ev, chosen, best)
        return replace(answer, text=_with_its_change(answer.text, chosen[best.passage_index], best))
    text = " ".join(f"{label}: {cause}." for label, cause, _ in parts)
    citations = tuple(cite(chosen[x.passage_index], ev.filing_of(chosen[x.passage_index]), x.sentence_start,
                           x.sentence_end) for _, _, x in parts)
    first = chosen[parts[0][2].passage_index].text[parts[0][2].sentence_start:parts[0][2].sentence_end]
    period = _DURING.search(first)
    when = f", for the {' '.join(period.group(1).split())}" if period else ""
    change = _total_change(ev, chosen[parts[0][2].passage_index], first)
    lead = f"{change.text} " if change else ""
    return Answer(question=ev.question.text, text=f"{lead}The filing explains it by its parts{when}. {text}",
                  confidence=0.7 * best.score, citations=(change.citations if change else ()) + citations,
                  checks=change.checks if change else (), value=change.value if change else None,
                  unit=change.unit if change else None, kind="explanation")


def with_antecedent(hit: Hit, filing: Filing, reach: int = 800) -> Hit:
    """A passage that opens with "The increase was due to ..." widened back to the two sentences before it in the
    filing (within its section), so the change it explains is read and cited with it."""
    if not ANAPHORIC.match(hit.text):
        return hit
    section = filing.section_at(hit.start)
    floor = max(0, hit.start - reach, section.start if section else 0)
    before = split_spans(filing.text, floor, hit.start)[-2:]
    if not before:
        return hit
    start = before[0][0]
    return replace(hit, text=filing.text[start:hit.start] + hit.text, start=start)


def _total_change(ev: Evidence, hit, sentence: str) -> Answer | None:
    """The change of the asked figure itself, from the filing's facts, when it is for the period the parts'
    sentences explain ("Gross margin changed by $4,040,000,000 (three months ended June 28, 2025 vs. ...)")."""
    from corpus.period_intent import parse_period_intent
    from qa.answer.from_facts import answer_change

    if not ev.question.metric:
        return None
    filing = ev.filing_of(hit)
    change = answer_change(ev.question, filing, ev.facts(filing))
    if change is None or change.no_answer or not change.citations:
        return None
    explained = parse_period_intent(sentence).months
    shown = parse_period_intent(change.citations[0].period or change.text).months
    return change if explained and explained == shown else None


_CONNECTOR_TAIL = re.compile(r"[\s,;–—-]*(?:\b(?:was|were|is|are)\s+)?(?:\b(?:primarily|mainly|largely|partly|"
                             r"principally|mostly)\s+)?(?:\bdue\s+(?:primarily\s+|mainly\s+|largely\s+)?to|\bdriven\s+"
                             r"(?:primarily\s+|mainly\s+)?by|\bas\s+a\s+result\s+of|\bbecause\s+of|\battributable\s+to|"
                             r"\battributed\s+to|\breflect(?:s|ed|ing)?|\bresult(?:ed|ing)?\s+from|\bowing\s+to)?\s*$", re.I)


def _with_its_change(cause: str, hit, found: Extract) -> str:
    """The cause with the change it explains, in the filing's words, so the answer names its figure, direction and
    period: "Higher net sales of iPhone and Mac — Greater China net sales increased during the third quarter of
    2025 compared to the third quarter of 2024." The cause alone when the sentence opens with it."""
    lead = _CONNECTOR_TAIL.sub("", hit.text[found.sentence_start:found.start]).strip()
    lead = _ANAPHOR_TAIL.sub("", lead)  # "RL revenue ... increased $250 million. The increase": the change is the first
    if len(lead.split()) < 3 or not re.search(r"\b(?:increas|decreas|rose|fell|declin|grew|improv|chang|drop|"
                                               r"higher|lower|up|down)", lead, re.I):
        return cause
    where = f" ({hit.segment})" if hit.segment and hit.segment.lower() not in lead.lower() else ""
    return f"{cause.rstrip('.')} — {lead.rstrip('.')}{where}."


_ANAPHOR_TAIL = re.compile(r"(?<=[.;])\s+(?:The|This|These|Such)\b[^.;]*$")
_DURING = re.compile(r"\bduring\s+(?:the\s+)?(.+?)\s+compared\s+(?:to|with)\b", re.I)
_PART_VERB = re.compile(r"\s+(?:increased|decreased|rose|fell|declined|grew|improved|was|were)\b", re.I)


def _parts(ev: Evidence, chosen, found: list[Extract]) -> list[tuple[str, str, Extract]]:
    """The reasons of sibling parts the question did not name (their subjects differ by a leading qualifier:
    "Products gross margin" / "Services gross margin"), each once, when the question's own words name no part."""
    top = found[0].score
    out: list[tuple[str, str, Extract]] = []
    for x in found:
        if x.score < top - 0.05:
            break  # a part's reason covers the question as well as the best one does
        passage = chosen[x.passage_index].text
        subject = passage[x.sentence_start:x.start]
        verb = _PART_VERB.search(subject)
        label = " ".join(subject[:verb.start()].split()) if verb else ""
        if not label or any(label == name for name, _, _ in out):
            continue
        out.append((label, " ".join(passage[x.start:x.end].split()), x))
    labels = [set(label.lower().split()) for label, _, _ in out]
    shared = set.intersection(*labels) if labels else set()
    if len(out) < 2 or not shared or any(not (words - shared) for words in labels):
        return []  # not parts of one figure: the best reason alone
    asked = set(ev.question.text.lower().replace("’", "'").split())
    if any((words - shared) & asked for words in labels):
        return []  # the question names a part: that part's reason only
    return out


def _without_company(question: str, names: set[str]) -> str:
    for name in names:
        for word in re.findall(r"[A-Z][\w&.-]+", name):
            if word.lower() not in ("inc", "inc.", "corporation", "corp", "company", "co", "the"):
                question = re.sub(rf"\b{re.escape(word)}(?:'s|’s)?\b", " ", question)
    return question


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
