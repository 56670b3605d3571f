"""Value and change questions answered from facts and claims, exactly, with the source position.

Every figure comes from the filing text with its citation; derived figures (a difference, a growth
rate) are computed here, labelled "computed" and shown with their formula.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from corpus.model import Filing
from corpus.period_intent import TargetPeriod, period_match
from corpus.periods import DATE_RE, iso_date, parse_period
from corpus.sentences import split_spans
from corpus.words import singular_stems
from qa.answer.citations import cite_fact
from qa.answer.guards import covers_the_subject, names_another_subject
from qa.answer.qualifiers import Qualifiers, absent_qualifiers, unmatched_qualifier
from qa.figures.claims import Claim, DriverSum
from qa.figures.facts import FilingFacts, canonical_metric, claim_segment, segment_key
from qa.figures.tables import Fact
from qa.figures.xbrl import standard_label
from qa.model import Answer, Check, Citation, format_exact, format_money, no_answer
from qa.question import GROWTH_COMPARED, WHERE_TO_LOOK, Question
from qa.vocabulary import CONCEPT_NAMES, LINE_ITEMS, METRIC_UNITS, METRICS, OUTFLOW_LABEL

if TYPE_CHECKING:  # evidence imports this module's target_period through the guards
    from qa.answer.evidence import Evidence

MIN_SCORE = 0.5


def period_key(period_end: str | None, label: str | None) -> str | None:
    """The fact's end date, or just its year for year-only columns ("fiscal 2019" -> "2019")."""
    if period_end:
        return period_end
    m = re.search(r"\b((?:19|20)\d\d)\b", label or "")
    return m.group(1) if m else None


def _metric_score(question: Question, label: str, segments: tuple[str, ...], company: frozenset[str] = frozenset()) -> float:
    canon = canonical_metric(label, segments)
    if canon not in METRICS:
        # A row that is no known metric ("Desktop devices", "Software licenses") matches when the question names
        # it, or when the question's own words all appear in a long label ("... recognized at a point in time").
        # The filer's own name is not a row: "Johnson & Johnson $100" is a stock-performance line.
        label_words = _stems(label) - company
        question_words = _stems(WHERE_TO_LOOK.sub(" ", question.text)) - _PERIOD_WORDS - company
        # A one-word row ("Payments", "Diluted") names a known metric only as part of its statement, where the
        # standard label or the row's own metric words decide; alone it answers questions naming no metric.
        metric_words = _stems(question.metric_text or "")
        if label_words and label_words < metric_words:
            return 0.0  # words of the metric's own name make another line: "Noncontrolling interests" of "total
            # equity including noncontrolling interests", "Interest income, net" of "net income including ..."
        if label_words and label_words <= question_words and (question.metric is None or len(label_words) > 1):
            return 1.0
        return 0.9 if len(question_words) >= 3 and question_words <= label_words else 0.0
    if canon == question.metric:
        # "Net sales: Products" is a part of net sales: a row with words the question does not use comes second.
        return 1.0 if _stems(label) <= _stems(question.text) | _stems(question.metric) else 0.9
    if question.metric == "revenue" and canon in ("total revenue", "net revenue"):
        return 0.95
    if question.metric_text and question.metric_text in label.lower():
        # "revenue" is inside "cost of service revenue", which is not a kind of revenue.
        return 0.0 if canon.startswith("cost") and not question.metric.startswith("cost") else 0.8
    return 0.0


@functools.lru_cache(maxsize=65536)  # pure; asked for every row label of every candidate figure
def _stems(text: str) -> frozenset[str]:
    """Content words of a label or question, plural -s dropped; period and frame words are not its subject."""
    return frozenset(singular_stems(text))


_SEGMENT_MARKER = re.compile(r"\b(?:operating|reportable|business)\s+segments?\b|\bconsolidated\b", re.I)


def share_basis(text: str) -> str | None:
    """"basic", "diluted", "both" ("Basic and diluted net loss per share") or None: which share count a per-share
    figure is over."""
    basic = re.search(r"\bbasic", text, re.I)
    diluted = re.search(r"dilut", text, re.I)
    return "both" if basic and diluted else "basic" if basic else "diluted" if diluted else None


def _segment_score(question: Question, segment: str | None) -> float:
    if question.segment:
        if not segment or question.segment.lower() not in segment.lower():
            return 0.0
        # "Nuclear-powered submarines / Marine Systems": a product line of the segment, not the segment's total,
        # unless the question names it too.
        extra = [part for part in segment.split(" / ") if question.segment.lower() not in part.lower()
                 and part.lower() not in question.text.lower() and not _SEGMENT_MARKER.search(part)]
        return 0.4 if extra else 1.0
    return 1.0 if segment_key(segment) == "consolidated" else 0.6


def asked_dates(question: str) -> set[str]:
    """ISO dates the question asks about ("as of July 1, 2020"); not the comparison points ("since December 31, 2019")."""
    out = set()
    for m in DATE_RE.finditer(question):
        before = question[max(0, m.start() - 24):m.start()].lower()
        if re.search(r"\b(?:since|from|compared (?:to|with)|versus|vs\.?|over)\s+(?:the\s+end\s+of\s+|as\s+of\s+)?$", before):
            continue
        iso = iso_date(m.group(0))
        if iso:
            out.add(iso)
    return out


def _date_factor(dates: set[str], end: str | None) -> float:
    """A figure for another day than the one asked (September 30 for "as of July 1") is not the answer."""
    if not dates or not end or len(end) < 10:
        return 1.0
    return 1.0 if end in dates else 0.3


def _period_score(target: TargetPeriod | None, months: int | None, end: str | None, filing: Filing,
                  asked_year: int | None = None) -> float:
    if target is not None and target.months == -1:
        return 0.0  # a quarter this filing does not cover ("Q4" in a Q3 10-Q)
    if asked_year is not None and end and int(end[:4]) != asked_year and not (target and target.ends_on(end)):
        return 0.3  # the question names another year: this figure is not the answer
    if target is None:
        # No period asked: the filing's own current period is the natural reading.
        default = TargetPeriod(months=3 if filing.form == "10-Q" else 12 if filing.form == "10-K" else None,
                               end_year=int(filing.period_end[:4]) if filing.period_end else filing.fiscal_year)
        score = period_match(default, months, end)
        return 1.0 if score == 1.0 else 0.8 if months == 0 and end and default.end_year == int(end[:4]) else score * 0.9
    if target.months is None and months == 0:
        return 1.0 if target.end_year is None or (end and target.ends_on(end)) else 0.75
    return period_match(target, months, end)


_PERIOD_WORDS = {"first", "second", "third", "fourth", "half", "month", "date", "june", "september", "december", "march",
                 "record", "recorded", "report", "reported", "segment", "end", "beginning", "balance", "close"}


def _overlap(question: str, label: str) -> int:
    """Words the question and a row label share: tells "Diluted earnings per share" from "Basic ..."."""
    return len(_stems(question) & _stems(label))


@dataclass(frozen=True)
class ScoredFact:
    fact: Fact
    score: float


def best_facts(question: Question, filing: Filing, facts: FilingFacts, target: TargetPeriod | None = None,
               match_dates: bool = True) -> list[ScoredFact]:
    """Facts for the question's metric, segment and period, best first (`match_dates`: only on the dates it names)."""
    if question.metric is None:
        return []
    target = target if target is not None else filing.target_period(question.period)
    dates = asked_dates(question.text) if match_dates else set()
    scored = []
    company = frozenset(_stems(filing.company or ""))
    tagged_filing = facts.tags is not None
    # ("excluding noncontrolling interests" asks for the parent's share: neither the total nor the minority's)
    excluded = bool(_NCI_EXCLUDED.search(question.text))
    with_nci = bool(_WITH_NCI_ASKED.search(question.text)) and not excluded
    unit = METRIC_UNITS.get(question.metric, "USD")
    balance = LINE_ITEMS[question.metric].balance if question.metric in LINE_ITEMS else None
    basis = share_basis(question.text) if unit == "USD/share" else None
    own_concepts = LINE_ITEMS[question.metric].line_concepts if question.metric in LINE_ITEMS else ()
    nci_itself = bool(re.search(r"non-?controlling|minority", question.text, re.I)) and not re.search(
        r"\binclud\w*", question.text, re.I) and not excluded
    for f in facts.facts:
        if balance and f.period_months and (f.concept or dates):
            continue  # inventories at a date, not the cash-flow statement's change in them over the period (a tag
            # knows its period, as do days the question names; a column headed "2019" or "Year Ended" does not say
            # whether its rows are balances)
        if basis and share_basis(f"{f.concept or ''} {f.metric}") not in (None, basis, "both"):
            continue  # basic earnings per share asked: not the diluted line
        concept = (f.concept or "").split(":")[-1]
        if concept and own_concepts:
            if CONCEPT_NAMES.get(concept, question.metric) != question.metric \
                    and canonical_metric(f.metric, facts.segments) != question.metric:
                continue  # tagged and labelled as another line: "Noncontrolling interests" is no equity total (Apple's
                # "Term debt" tagged current is still term debt by its label: the rivals are named, not guessed)
            if _NCI_ONLY.search(concept) and not nci_itself:
                continue  # the noncontrolling interests' share alone answers only a question about it
        if not concept and not nci_itself and _NCI_ROW.search(f.metric):
            continue  # an untagged row of the minority's share ("Noncontrolling Interest - Preferred Stock of
            # Subsidiary") answers only a question about it
        if (f.unit == "%") != (unit == "%") or (f.concept and f.unit != unit):
            continue  # a tagged figure carries its unit: "Diluted" shares do not answer diluted EPS; a rate, a rate
        m = _metric_score(question, f.metric, facts.segments, company)
        if f.concept and question.metric and canonical_metric(f.metric, facts.segments) not in METRICS \
                and not _stems(f.metric) & _stems(question.metric_text or question.metric):
            # A tagged figure is what its concept says: a row named only by a segment ("Health Care") of a
            # restructuring table is not that segment's net earnings, however the question words match the row.
            m = 0.0
        if concept and not f.dimensions and CONCEPT_NAMES.get(concept) == question.metric:
            m = max(m, 0.95)  # the filer's tag names the line asked, whatever its row says ("Balance at December 31")
        standard = standard_label(f.concept)
        if standard and standard != f.metric:  # the filer's row label or the concept's standard words, the better
            m = max(m, _metric_score(question, standard, facts.segments, company))
        if m == 0:
            continue
        seg = f.segment if f.source == "table" else f.segment
        s = _segment_score(question, seg)
        p = _period_score(target, f.period_months, period_key(f.period_end, f.period), filing, question.period.year)
        # (a figure of no known period, a column whose header was not read, cannot be the one of a date or year
        # asked: "$15.48" of an unread "2023 2022" header is no FY2022 figure)
        p *= _date_factor(dates, f.period_end) if f.period_end or f.period else 0.0 if dates or question.period.year else 1.0
        source = 1.0 if f.source == "table" else 0.98
        if tagged_filing and f.source == "table" and not f.concept:
            source = 0.97  # the filer tagged its statements: an untagged cell is a summary or a misread column
        if concept and own_concepts and concept not in own_concepts and concept not in CONCEPT_NAMES:
            source *= 0.85  # tagged as no line the vocabulary knows, and not as the one asked
        if f.concept and _WITH_NCI.search(f.concept) and excluded:
            continue  # "total equity excluding noncontrolling interests": never the total that includes them
        if f.concept and _WITH_NCI.search(f.concept) and not with_nci:
            source *= 0.9  # "net income" and "equity" mean the parent's unless noncontrolling interests are asked
        elif with_nci and (f.concept and _PARENT_ONLY.search(f.concept) or _ATTRIBUTABLE.search(f.metric)):
            source *= 0.9  # "including noncontrolling interests": not the parent's share
        score = m * s * p * source * (1 + 0.05 * _overlap(question.text, f.metric))
        if score >= MIN_SCORE:
            scored.append(ScoredFact(f, score))
    return sorted(scored, key=lambda sf: (-sf.score, sf.fact.start))


# Concepts that include noncontrolling interests, and questions that ask for them.
_WITH_NCI = re.compile(r"IncludingPortionAttributableToNoncontrollingInterest|:ProfitLoss$|DisposalGroup|"
                       r"DiscontinuedOperation|FairValueDisclosure$")  # discontinued operations and fair-value notes:
                       # not the statement's line either ("Total assets" of a fair-value table)
_NCI_ONLY = re.compile(r"^(?:MinorityInterest\w*|\w+(?<!IncludingPortion)AttributableToNoncontrollingInterest)$")  # the
# minority's share alone (not StockholdersEquityIncludingPortionAttributableToNoncontrollingInterest, the total)
_NCI_ROW = re.compile(r"^(?!\s*total\b)(?!.*\b(?:includ|before|excluding)).*\b(?:non-?controlling|minority)", re.I)
_PARENT_ONLY = re.compile(r":(?:NetIncomeLoss|StockholdersEquity)$")  # the parent's share alone
_ATTRIBUTABLE = re.compile(r"\battributable\s+to\b(?!.*noncontrolling)", re.I)
_NCI_EXCLUDED = re.compile(r"\b(?:excluding|excludes?|exclusive\s+of|without|net\s+of|other\s+than|before)\s+(?:the\s+)?"
                           r"(?:non-?controlling|minority)", re.I)
_WITH_NCI_ASKED = re.compile(r"non-?controlling|minority interest|including .*interests|discontinued|disposal", re.I)


def _claim_citation(filing: Filing, start: int, end: int, period: str | None, segment: str | None) -> Citation:
    section = filing.section_at(start)
    return Citation(doc_id=filing.doc_id, section=" > ".join(section.path) if section else "", page=filing.page_at(start),
                    start=start, end=end, text=filing.text[start:end], period=period, segment=segment)


def _label(question: Question, fact: Fact) -> str:
    name = fact.metric if fact.source == "table" else (question.metric or fact.metric)
    seg = ""
    if fact.segment and segment_key(fact.segment) != "consolidated":
        # a member of a product, geography or other axis is named as printed, not called a segment ("iPhone")
        by_segment = not fact.dimensions or any("segment" in axis.lower() for axis, _ in fact.dimensions)
        seg = f" ({fact.segment} segment)" if by_segment else f" ({fact.segment})"
    return f"{name[0].upper()}{name[1:]}{seg}"


def answer_value(question: Question, filing: Filing, facts: FilingFacts) -> Answer | None:
    """The figure the filing states for the question's metric, segment and period, or None."""
    ranked = best_facts(question, filing, facts)
    if not ranked:
        return None
    best = ranked[0]
    if best.fact.source == "table" and best.fact.value < 0:
        # "Income tax provision (9)" is a deduction printed in parentheses; "a provision of $9,000" is how it is said.
        said = [sf for sf in ranked if sf.fact.source == "text" and sf.fact.value == -best.fact.value
                and sf.fact.period == best.fact.period and sf.score >= best.score * 0.9]
        best = said[0] if said else best
    rivals = _rivals(best, ranked)
    same_row = _same_row_rivals(best, ranked) if not rivals else []
    if same_row:
        # one of the row's figures is the filer's tagged line for the period: that one, not a guess between columns
        values = {best.fact.value, *(sf.fact.value for sf in same_row)}
        tagged = [sf for sf in ranked if sf.fact.concept and sf.score >= best.score * 0.8
                  and any(abs(sf.fact.value - v) <= abs(v) / 1000 for v in values)]  # (printed in millions)
        best, rivals = (tagged[0], []) if tagged else (best, same_row)
    if rivals:
        return _ambiguous(question, filing, [best, *rivals])
    # Cite every source that states the same figure for the same period (a table cell and a sentence).
    same = [sf for sf in ranked if abs(sf.fact.value) == abs(best.fact.value) and sf.fact.period == best.fact.period
            and sf.score >= best.score * 0.9]
    same.sort(key=lambda sf: sf.fact is not best.fact)
    citations = tuple(cite_fact(filing, sf.fact) for sf in same[:3])
    f = best.fact
    if f.source == "table" and f.value < 0 and not f.concept and OUTFLOW_LABEL.search(f.metric):
        f = replace(f, value=-f.value)  # money paid out, printed in parentheses: the amount paid
    when = f" {_for_period(f.period)}" if f.period else ""
    # the filer's XBRL tag travels in the citation's cell (`CitedCell.concept`), not in the sentence a reader reads
    text = f"{_label(question, f)} was {format_money(f.value, f.unit)}{when}."
    checks = ()
    if len({sf.fact.source for sf in same}) > 1:
        checks = (Check(text, "verified", "the table and the text state the same figure", "comparison"),)
    printed = " ".join(filing.text[f.start:f.end].split())
    return Answer(question=question.text, text=text, value=f.value, unit=f.unit, confidence=min(1.0, best.score),
                  citations=citations, checks=checks, kind="fact", items=(printed,) if printed else ())


def _rivals(best: ScoredFact, ranked: list[ScoredFact]) -> list[ScoredFact]:
    """Other tagged lines that match the question exactly as well, for the same period and segment, under another
    XBRL concept: Apple prints "Term debt" twice (us-gaap:LongTermDebtCurrent and LongTermDebtNoncurrent), and
    picking one would be a guess. Untagged cells keep the first match (their periods are often unknown)."""
    f = best.fact
    if not f.concept:
        return []
    return [sf for sf in ranked[1:] if abs(sf.score - best.score) < 1e-9 and sf.fact.period == f.period
            and sf.fact.concept and sf.fact.concept != f.concept and abs(sf.fact.value) != abs(f.value)
            and sf.fact.unit == f.unit and segment_key(sf.fact.segment) == segment_key(f.segment)]


def _same_row_rivals(best: ScoredFact, ranked: list[ScoredFact]) -> list[ScoredFact]:
    """Other figures of the same untagged row for the same period: columns under one period header that the header
    does not tell apart ("Year ended December 31, 2008: As originally filed | Adjustment | As revised")."""
    f = best.fact
    if f.concept or f.source != "table" or not (f.period or f.period_end):
        return []
    return [sf for sf in ranked[1:] if sf.fact.source == "table" and not sf.fact.concept
            and sf.fact.context_start == f.context_start and sf.fact.period == f.period
            and sf.fact.period_months == f.period_months and sf.fact.period_end == f.period_end
            and segment_key(sf.fact.segment) == segment_key(f.segment) and sf.fact.value != f.value
            and sf.fact.unit == f.unit]


def _ambiguous(question: Question, filing: Filing, candidates: list[ScoredFact]) -> Answer:
    """A no-answer naming the lines that fit equally, so the asker can say which one they mean."""
    lines = "; ".join(f"{_label(question, sf.fact)}{f' ({sf.fact.concept})' if sf.fact.concept else ''}: "
                      f"{format_money(sf.fact.value, sf.fact.unit)}" for sf in candidates[:4])
    period = candidates[0].fact.period
    text = (f"The filing prints more than one line that fits the question{f' for the {period}' if period else ''}: "
            f"{lines}. Say which one you mean.")
    return Answer(question=question.text, text=text, no_answer=True, kind="none",
                  citations=tuple(cite_fact(filing, sf.fact) for sf in candidates[:4]))


# "Total sales in Mexico", "revenue from Greater China": a claim's figure narrowed to a named place or unit.
_NARROWED_TO = re.compile(r"\b(?i:in|from|at)\s+(?:the\s+)?(?!(?:January|February|March|April|May|June|July|August|"
                          r"September|October|November|December|Fiscal|Q[1-4]|First|Second|Third|Fourth)\b)"
                          r"([A-Z][\w&.’'-]*(?:\s+[A-Z][\w&.’'-]*)*)")


def _unasked_place(metric: str, question: str, company: str | None) -> bool:
    """Whether a claim's figure is narrowed to a named place or unit the question does not name (a country's sales
    increase is no answer on the company's)."""
    asked = question.lower()
    return any(name.lower() not in asked and name.lower() not in (company or "").lower()
               for name in _NARROWED_TO.findall(metric))


def _claim_clause(text: str, claim: Claim) -> str:
    """The claim's sentence up to its end: "In Canada, total sales decreased 16 percent" (the place may come first)."""
    before = split_spans(text, max(0, claim.start - 600), claim.end)  # (the splitter knows "U.S." is no end)
    start = next((a for a, b in reversed(before) if a <= claim.start), claim.start)
    return text[start:claim.end]


def matching_claims(question: Question, filing: Filing, facts: FilingFacts) -> list[tuple[float, int]]:
    """(score, index into facts.audit.claims) for claims about the question's metric/segment/period."""
    target = filing.target_period(question.period)
    dates = asked_dates(question.text)
    out = []
    for i, claim in enumerate(facts.audit.claims):
        m = _metric_score(question, claim.metric, facts.segments)
        if m == 0 or _unasked_place(_claim_clause(filing.text, claim), question.text, filing.company):
            continue
        seg = claim_segment(claim, facts.segments)
        s = _segment_score(question, seg)
        if question.consolidated and segment_key(seg) != "consolidated":
            s *= 0.5
        period = parse_period(claim.period) if claim.period else None
        p = _period_score(target, period.months if period else None, period.end if period else None, filing,
                          question.period.year)
        p *= _date_factor(dates, period.end if period else None)
        score = m * s * p
        if score >= MIN_SCORE:
            out.append((score, i))
    return sorted(out, key=lambda x: (-x[0], facts.audit.claims[x[1]].start))


def _pct(change: Decimal, prior: Decimal) -> Decimal:
    return (change / abs(prior) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _for_period(period: str) -> str:
    """"for the year ended ...", "for fiscal 2022", "as of ...": a period as the end of a sentence says it."""
    if period.startswith("as of"):
        return period
    return f"for {period}" if period.startswith(("fiscal", "FY")) else f"for the {period}"


def describe_claim(claim: Claim, segment: str | None) -> str:
    verb = {"increase": "increased", "decrease": "decreased"}.get(claim.direction, "changed")
    parts = [claim.metric[0].upper() + claim.metric[1:]]
    if segment and segment_key(segment) != "consolidated" and segment.lower() not in claim.metric.lower():
        parts.append(f"({segment} segment)")
    amount = []
    if claim.percent_text:
        amount.append(claim.percent_text)
    if claim.change is not None:
        amount.append(format_money(abs(claim.change)))
    parts.append(verb + (" " + " or ".join(amount) if amount else ""))
    if claim.current is not None:
        parts.append(f"to {format_money(claim.current)}")
    if claim.period:
        parts.append(_for_period(claim.period))
    if claim.prior is not None:
        parts.append(f"from {format_money(claim.prior)}")
    return " ".join(parts)


def answer_change(question: Question, filing: Filing, facts: FilingFacts) -> Answer | None:
    """A stated change claim (with its checks) or, failing that, a change computed from two facts."""
    claims = matching_claims(question, filing, facts)
    if claims:
        score, i = claims[0]
        claim = facts.audit.claims[i]
        seg = claim_segment(claim, facts.segments)
        checks = tuple(facts.audit.checks[i])
        percent_q = question.intent == "change_percent"
        value = claim.percent if percent_q and claim.percent is not None else abs(claim.change) if claim.change is not None else None
        unit = "%" if percent_q and claim.percent is not None else "USD"
        if value is not None and claim.direction == "decrease":
            value = -value
        return Answer(question=question.text, text=describe_claim(claim, seg) + ".", value=value, unit=unit,
                      confidence=min(1.0, score), citations=(_claim_citation(filing, claim.start, claim.end, claim.period, seg),),
                      checks=checks, kind="claim")
    return computed_change(question, filing, facts)


def computed_change(question: Question, filing: Filing, facts: FilingFacts) -> Answer | None:
    """current − prior from two stated figures; labelled computed, with the formula."""
    target = filing.target_period(question.period)
    current = best_facts(question, filing, facts, target)
    if not current:
        return None
    cur = current[0].fact
    cur_key = period_key(cur.period_end, cur.period)
    if cur.period_months is None or not cur_key:
        return None
    prior_target = TargetPeriod(months=cur.period_months, end_year=int(cur_key[:4]) - 1)
    prior_question = replace(question, period=replace(question.period, year=prior_target.end_year))
    prior = [sf for sf in best_facts(prior_question, filing, facts, prior_target, match_dates=False)
             if sf.fact.period_months == cur.period_months and period_key(sf.fact.period_end, sf.fact.period)
             and int(period_key(sf.fact.period_end, sf.fact.period)[:4]) == prior_target.end_year
             and segment_key(sf.fact.segment) == segment_key(cur.segment) and sf.fact.metric == cur.metric]
    if not prior:
        return None
    pri = prior[0].fact
    dates = {iso_date(m.group(0)) for m in DATE_RE.finditer(question.text)} - {None}
    if len(dates) >= 2 and not {cur.period_end, pri.period_end} <= dates:
        return None  # "between February 3, 2023 and August 4, 2023": not the same day a year before
    change = cur.value - pri.value
    # the formula with its inputs as stated, every digit (the sentence around it reads them rounded)
    formula = f"{format_exact(cur.value)} − {format_exact(pri.value)} = {format_exact(change)}"
    text = f"{_label(question, cur)} changed by {format_money(change)} ({cur.period} vs. {pri.period}), computed: {formula}"
    value, unit = change, cur.unit or "USD"  # a change of figures per share is per share
    checks = [Check(formula, "verified", "computed from the two stated figures", "change")]
    if pri.value != 0:
        pct = _pct(change, pri.value)
        pct_formula = f"{format_exact(change)} / {format_exact(abs(pri.value))} = {pct}%"
        text += f"; {pct_formula}"
        checks.append(Check(pct_formula, "verified", "computed growth rate", "percent"))
        if question.intent == "change_percent":
            value, unit = pct, "%"
    else:
        checks.append(Check("growth rate", "unverifiable", "undefined (zero base)", "percent"))
    return Answer(question=question.text, text=text + ".", value=value, unit=unit,
                  confidence=min(current[0].score, prior[0].score), citations=(cite_fact(filing, cur), cite_fact(filing, pri)),
                  checks=tuple(checks), kind="computed", formula=formula)


def explain_change(question: Question, filing: Filing, facts: FilingFacts) -> Answer | None:
    """A "why" answer from a claim and its drivers: the change, the drivers, and whether they add up."""
    candidates = matching_claims(question, filing, facts)
    for score, i in candidates:
        claim = facts.audit.claims[i]
        driver_sum = _driver_sum_for(claim, facts.audit.driver_sums)
        if driver_sum is None:
            continue
        seg = claim_segment(claim, facts.segments)
        explanation = filing.text[driver_sum.start:driver_sum.end]
        because = _because_clause(explanation)
        text = f"{describe_claim(claim, seg)}, {because}"
        check = Check(f"drivers of {claim.metric} ({claim.period})", "verified" if driver_sum.status == "verified" else
                      "mismatch" if driver_sum.status == "mismatch" else "unverifiable", _driver_detail(driver_sum), "drivers")
        start, end = min(claim.start, driver_sum.start), max(claim.end, driver_sum.end)
        return Answer(question=question.text, text=" ".join(text.split()), value=abs(claim.change) if claim.change is not None else None,
                      unit="USD", confidence=min(1.0, score),
                      citations=(_claim_citation(filing, start, end, claim.period, seg),),
                      checks=tuple(facts.audit.checks[i]) + (check,), kind="explanation")
    return None


def _driver_sum_for(claim: Claim, sums: tuple[DriverSum, ...]) -> DriverSum | None:
    after = [ds for ds in sums if ds.start >= claim.end and ds.claim_metric == claim.metric and ds.start - claim.end < 2000]
    return min(after, key=lambda ds: ds.start) if after else None


def _because_clause(sentence: str) -> str:
    m = re.search(r"\b(?:primarily|mainly|largely|principally)?\s*(?:due\s+to|driven\s+by|attributable\s+to|the\s+result\s+of|related\s+to)\b.*", sentence, re.I | re.S)
    clause = m.group(0).strip() if m else sentence.strip()
    return clause if clause.endswith(".") else clause + "."


def _driver_detail(ds: DriverSum) -> str:
    items = " ".join(f"{'−' if (d.offsetting) else '+'} {format_money(d.amount)}" for d in ds.drivers).lstrip("+ ")
    detail = f"{len(ds.drivers)} drivers: {items} = {format_money(abs(ds.total))}; stated change {format_money(abs(ds.stated_change))}"
    if ds.unexplained:
        detail += f"; unexplained {format_money(ds.unexplained)}"
    return detail


def _yes_no(q: Question, change: Answer | None, company: str | None) -> Answer | None:
    """"Did Web Services revenue decrease in Q3?" answered from the change, a stated one only when it is of the
    figure asked ("Wireless service revenue increased" says nothing of wireless equipment revenues)."""
    if change is None or change.value is None or q.direction is None or GROWTH_COMPARED.search(q.text):
        return None
    stated = " ".join(c.text for c in change.citations[:1])
    # A stated claim must be about the figure asked; a change computed from two facts was matched to the metric
    # as any change question's is ("long-term debt (excluding current maturities)" is the row "Long-term debt").
    if change.kind == "claim" and (not covers_the_subject(q.text, stated, company)
                                   or names_another_subject(q.text, stated, company)):
        return None
    went_up = change.value > 0
    agrees = went_up if q.direction == "increase" else not went_up
    return replace(change, text=("Yes. " if agrees else "No. ") + change.text)


def _is_the_line_asked(q: Question, filing: Filing, facts: FilingFacts) -> bool:
    """The best figure for a yes/no question is the line it asks about, by its tag or its label: an amount of a
    nearby line ("Net cash provided by operating activities" for "cash dividends") would decide it by accident."""
    ranked = best_facts(q, filing, facts)
    if not ranked:
        return False
    fact = ranked[0].fact
    concept = (fact.concept or "").split(":")[-1]
    bare = re.sub(r"\s*\([^()]*\)", "", fact.metric)  # "stockholders' (deficit) equity"
    company = frozenset(_stems(filing.company or ""))
    return CONCEPT_NAMES.get(concept) == q.metric or max(_metric_score(q, fact.metric, facts.segments, company),
                                                          _metric_score(q, bare, facts.segments, company)) >= 0.9


def figures(ev: "Evidence") -> Answer | None:
    """The answer step over facts and claims of the filings retrieval found, most relevant filing first."""
    q = ev.question
    best: Answer | None = None
    missing: Answer | None = None
    for rank, filing in enumerate(ev.filings_in_order(4)):
        facts = ev.facts(filing)
        absent = _missing_qualifier(q, ev.ask.qualifiers, filing, facts)
        if absent is not None:
            missing = missing or absent
            continue  # this filing never mentions what the question names; another filing may
        if q.intent == "why":
            answer = explain_change(q, filing, facts)
        elif q.intent in ("change", "change_percent"):
            answer = answer_change(q, filing, facts)
        elif q.intent == "yesno":
            answer = _yes_no(q, answer_change(q, filing, facts), filing.company)
            if answer is None and q.direction is None and _is_the_line_asked(q, filing, facts):
                answer = answer_value(q, filing, facts)  # "Did it pay dividends?": the amount, given its verdict after
        else:
            answer = answer_value(q, filing, facts)
        if answer is None:
            continue
        if q.intent != "why":
            unmatched = _unmatched(q, ev.ask.qualifiers, filing, facts, answer)
            if unmatched is not None:
                missing = missing or unmatched
                continue
        answer = replace(answer, confidence=answer.confidence * (1.0 - 0.1 * rank))
        if best is None or answer.confidence > best.confidence:
            best = answer
    if best is None and missing is not None:
        return missing
    if best is None and q.intent == "value":
        reference = next((f.extra.get("statements_incorporated_by_reference") for f in ev.filings.values()
                          if f.extra.get("statements_incorporated_by_reference")), None)
        if reference:
            return no_answer(q.text, "The financial statements are incorporated by reference to the annual report "
                                     f"exhibit and are not in this document (\"{reference[:200]}\").")
    return best


def _evidence_of(filing: Filing, citation: Citation) -> str:
    """A cited figure's context: its row or sentence, its table's caption and header, section path and segment."""
    table = next((t for t in filing.tables if t.start <= citation.start < t.end), None)
    section = filing.section_at(citation.start)
    parts = (citation.text, citation.section, citation.segment or "", table.caption if table else "",
             table.header if table else "", section.path_text if section else "")
    return " ".join(p for p in parts if p)


def _unmatched(q: Question, qualifiers: Qualifiers, filing: Filing, facts: FilingFacts, answer: Answer) -> Answer | None:
    """A no-answer when the figure found is not for what the question qualifies it by (a country, a product, a
    non-GAAP measure, a quarter): the consolidated or full-year figure would be a wrong answer, not a near one."""
    if answer.no_answer or not answer.citations:
        return None
    first = answer.citations[0]
    missing = unmatched_qualifier(qualifiers, " ".join(_evidence_of(filing, c) for c in answer.citations),
                                  filing.company, first.period)
    if missing is None:
        return None
    what = q.metric or "this figure"
    reported = ", ".join(facts.segments[:12]) if facts.segments else "the company as a whole only"
    found = f"{answer.text.rstrip('.')}" if len(answer.text) < 200 else "a figure"
    return no_answer(q.text, f"The filing does not report {what} for {missing}. What it gives is not that: {found}. "
                             f"It reports figures for: {reported}.")


def _missing_qualifier(q: Question, qualifiers: Qualifiers, filing: Filing, facts: FilingFacts) -> Answer | None:
    """A no-answer when the question names a place, segment or product the filing never mentions."""
    company_words = {w.lower() for w in re.findall(r"[A-Za-z&]+", filing.company or "")}
    absent = absent_qualifiers(qualifiers, filing, company_words)
    if not absent:
        return None
    reported = ", ".join(facts.segments[:12]) if facts.segments else "the company as a whole only"
    what = q.metric or "this figure"
    return no_answer(q.text, f"The filing does not report {what} for {' or '.join(absent)}: it never mentions "
                             f"{'them' if len(absent) > 1 else 'it'}. It reports figures for: {reported}.")
