"""Question → retrieval → facts/claims (numbers) and reader spans (everything else) → one checked Answer.

    p = Pipeline.load()                        # the default index over the bundled corpus, the project's reader
    a = p.ask("Why did G&A rise in Q3?")      # Answer(text, value, unit, confidence, no_answer, citations, checks)
    a = p.ask_context("What was revenue in 2019?", ["Revenue was $5.2 million in 2019 ..."], tables=[[...]])
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Sequence

from corpus.model import Filing, PageSpan
from corpus.sentences import sentence_at
from corpus.structure import build_structure
from index.errors import IndexNotFoundError, InvalidQueryError
from index.model import Hit
from index.query import ABBREVIATIONS, company_aliases, parse_period_intent, resolve_period
from index.retriever import AddReport, Retriever
from qa.answer.extract import Extract, answer_type, extract, extract_amount, extract_cause, fits_type, names_a_thing
from qa.answer.from_facts import answer_change, answer_value, explain_change, target_period
from qa.figures.facts import FilingFacts
from qa.figures.numbers import detect_scale, find_quantities
from qa.model import Answer, Citation, no_answer
from qa.question import METRICS, Question, parse_question
from qa.reader import DEFAULT_MODEL_DIR, Reader

NUMERIC_INTENTS = {"value", "change", "change_percent", "why", "yesno"}
VALUE_INTENTS = {"value", "change", "change_percent"}
_STOPWORDS = {
    "a", "an", "the", "of", "in", "on", "for", "to", "and", "or", "is", "are", "was", "were", "be", "been", "did", "do",
    "does", "what", "which", "who", "whom", "how", "why", "when", "where", "much", "many", "by", "with", "as", "at",
    "from", "it", "its", "their", "this", "that", "these", "those", "company", "company's", "filing", "report", "during",
    "there", "any", "has", "have", "had", "about", "q1", "q2", "q3", "q4", "quarter", "year", "months", "month",
    "three", "six", "nine", "twelve", "ended", "period", "fiscal", "total", "amount", "value", "rise", "rose", "fall",
    "fell", "increase", "decrease", "increased", "decreased", "change", "changed", "go", "up", "down", "get", "so", "far",
}


@dataclass(frozen=True)
class PipelineConfig:
    k: int = 8  # passages retrieved
    reader_passages: int = 4  # passages the reader reads
    min_span_score: float = 0.0  # reader abstains at or below (Reader.THRESHOLD)
    min_keyword_coverage: float = 0.5  # share of the question's content words the answer passage must contain
    reader_candidates: int = 20  # spans the reader proposes; the first of the expected type that fits wins
    min_value_coverage: float = 0.6  # a figure's sentence must cover this share of a metric-less value question
    max_question_chars: int = 1000


def keywords(question: str) -> list[str]:
    """Content words of a question (abbreviations kept: "g&a", "cfo")."""
    words = re.findall(r"[a-z][a-z&'/-]*[a-z&]|[a-z]", question.lower())
    return [w for w in words if w not in _STOPWORDS and len(w) > 1]


def keyword_coverage(question: str, passage: str) -> float:
    """Share of the question's content words found in the passage (an abbreviation counts if its expansion is)."""
    words = keywords(question)
    if not words:
        return 1.0
    text = passage.lower()
    hit = 0
    for w in words:
        stem = w[:5] if len(w) > 5 else w
        if re.search(rf"(?<![a-z]){re.escape(stem)}", text):
            hit += 1
            continue
        # "g&a" is covered by "general and administrative"; "cfo" by "chief financial officer".
        expansion = [x for x in re.findall(r"[a-z]+", ABBREVIATIONS.get(w, "")) if x not in _STOPWORDS]
        if expansion and sum(x[:5] in text for x in expansion) >= max(1, round(len(expansion) * 2 / 3)):
            hit += 1
    return hit / len(words)


_POSSESSIVE_NAME = re.compile(r"\b([A-Z][A-Za-z&.\-]+(?:\s+[A-Z][A-Za-z&.\-]+)?)(?:'s|’s)(?!\w)")
_GENERIC_NAMES = {"company", "companys", "board", "management", "nasdaq", "sec", "fasb", "crexmo", "segment", "group", "firm"}


def unknown_companies(question: str, filings: Sequence[dict]) -> list[str]:
    """Names the question treats as a company ("Apple's") that no indexed filing belongs to."""
    known: set[str] = set()
    for meta in filings:
        known |= company_aliases(meta.get("company"), meta.get("doc_id", ""))
    out = []
    for m in _POSSESSIVE_NAME.finditer(question):
        name = re.sub(r"['’.]", "", m.group(1)).lower()
        if name in _GENERIC_NAMES or name.split()[0] in _GENERIC_NAMES:
            continue
        if not any(name == k or name.replace(" ", "") == k or k.startswith(name) for k in known):
            out.append(m.group(1))
    return out


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


class Pipeline:
    """The answering pipeline. Models load once (`warm_up`) and are shared by every `ask`."""

    def __init__(self, retriever: Retriever | None, reader: Reader | None, config: PipelineConfig | None = None):
        self.retriever = retriever
        self.reader = reader
        self.config = config if config is not None else PipelineConfig()
        self._facts: dict[tuple[str, object], FilingFacts] = {}

    @classmethod
    def load(cls, index_dir: str | Path | None = None, *, reader: Reader | str | Path | None = DEFAULT_MODEL_DIR,
             config: PipelineConfig | None = None) -> "Pipeline":
        """Open an index (default: the bundled corpus, built on first use) and a reader, warmed up.

        `reader` is a Reader, a model folder, or None to answer without one (figures still work; text questions
        the deterministic extractors cannot answer abstain). A folder that holds no usable model is a
        ReaderModelError, never a silent fallback.
        """
        from index.default import default_retriever

        retriever = Retriever.load(index_dir) if index_dir is not None else default_retriever()
        if reader is not None and not isinstance(reader, Reader):
            reader = Reader(reader)
        pipeline = cls(retriever, reader, config)
        pipeline.warm_up()
        return pipeline

    def warm_up(self) -> None:
        """Load the models (safe to call twice); a broken reader raises ReaderModelError."""
        if self.retriever is not None:
            self.retriever.embedder.warm_up()
        if self.reader is not None:
            self.reader.warm_up()

    def add(self, paths: Sequence[str | Path], *, progress: bool = False) -> AddReport:
        """Parse, embed and index filings (new or changed ones only); facts cached for a replaced filing are dropped."""
        report = self._index().add(list(paths), progress=progress)
        for doc_id in report.replaced:
            self.forget(doc_id)
        return report

    def remove(self, doc_id: str) -> int:
        """Remove a filing from the index and its cached facts; FilingNotFoundError if it is not indexed."""
        removed = self._index().remove(doc_id)
        self.forget(doc_id)
        return removed

    def _index(self) -> Retriever:
        if self.retriever is None:
            raise IndexNotFoundError("this pipeline answers over caller context only; it has no index to change")
        return self.retriever

    # ------------------------------------------------------------------ public

    def retrieve(self, question: str, k: int | None = None, doc_ids: Sequence[str] | None = None) -> list[Hit]:
        if self.retriever is None:
            return []
        return self.retriever.search(question, k=k if k is not None else self.config.k, doc_ids=doc_ids)

    def ask(self, question: str, doc_ids: Sequence[str] | None = None) -> Answer:
        """The best-supported answer to `question` over the indexed filings, or an honest no-answer."""
        problem = self._check_question(question)
        if problem:
            return no_answer(question or "", problem)
        if self.retriever is not None:
            strangers = unknown_companies(question, self.retriever.filings())
            if strangers:
                return no_answer(question, f"The indexed filings do not cover {', '.join(strangers)}.")
        try:
            hits = self.retrieve(question, doc_ids=doc_ids)
        except InvalidQueryError as exc:
            return no_answer(question, str(exc))
        filings = {}
        for h in hits:
            if h.doc_id not in filings:
                filings[h.doc_id] = self.retriever.filing(h.doc_id)
        # Figures for "H1 2020" may sit in the comparison column of another filing of the same company.
        if hits:
            company = filings[hits[0].doc_id].company
            for meta in self.retriever.filings():
                if meta["doc_id"] not in filings and company and meta.get("company") == company and (doc_ids is None or meta["doc_id"] in doc_ids):
                    filings[meta["doc_id"]] = self.retriever.filing(meta["doc_id"])
        return self._answer(question, hits, filings)

    def ask_context(self, question: str, paragraphs: Sequence[str], tables: Sequence[Sequence[Sequence[str]]] | None = None) -> Answer:
        """The same answering over context the caller holds: paragraph strings and tables as lists of rows."""
        problem = self._check_question(question)
        if problem:
            return no_answer(question or "", problem)
        filing = context_filing(paragraphs, tables or ())
        hits = [Hit(text=filing.text[p.start:p.end], score=1.0, doc_id=filing.doc_id, section="", segment=None, period=None,
                    page=None, start=p.start, end=p.end) for p in filing.pages]
        return self._answer(question, hits, {filing.doc_id: filing}, use_all_passages=True)

    # ------------------------------------------------------------------ internals

    def _check_question(self, question: str) -> str | None:
        if not isinstance(question, str) or not question.strip():
            return "Please ask a question, e.g. \"Why did G&A rise in Q3?\""
        if len(question) > self.config.max_question_chars:
            return f"The question is {len(question):,} characters long; please keep it under {self.config.max_question_chars:,}."
        if not re.search(r"[A-Za-z]{2,}", question):
            return "The question has no words to search for."
        return None

    def facts(self, filing: Filing) -> FilingFacts:
        """Facts of a filing, computed once per content (caller contexts share a doc_id, not a text)."""
        key = (filing.doc_id, filing.content_hash or hash(filing.text))
        if key not in self._facts:
            self._facts[key] = FilingFacts.of(filing)
        return self._facts[key]

    def forget(self, doc_id: str) -> None:
        """Drop cached facts of a filing (after it is replaced or removed)."""
        self._facts = {k: v for k, v in self._facts.items() if k[0] != doc_id}

    def _answer(self, question: str, hits: list[Hit], filings: dict[str, Filing], use_all_passages: bool = False) -> Answer:
        if not hits:
            return no_answer(question)
        segments = tuple(sorted({s for f in filings.values() for s in self.facts(f).segments}))
        q = parse_question(question, segments)
        forward_looking = re.search(r"\b(?:guidance|forecast|outlook|expect(?:s|ed)?|project(?:ed|ion)s?|plan(?:s|ned)? to|will)\b", q.text, re.I)
        # "What does the segment generate revenue from?" mentions a metric but asks for a thing, not its figure.
        thing = q.intent == "value" and names_a_thing(q.text)
        numeric = self._numeric(q, hits, filings) if q.intent in NUMERIC_INTENTS and q.metric and not forward_looking and not thing else None
        if numeric is not None:
            return numeric
        # Statements in a regular form ("X consists of ...", "X is recognized when ...") before the reader's guess;
        # a date, duration, frequency or place the reader finds (of that type) before the first one stated near the
        # question's words.
        kind = answer_type(q.text, q.intent, q.metric)
        typed = kind in ("date", "duration", "frequency", "place")
        steps = (self._span, self._extract) if typed else (self._extract, self._span)
        if kind == "amount" and q.intent in ("value", "other") and not _COMPUTED.search(q.text):
            steps = (self._amount,) + steps  # "a $1,961,000 note payable for the purchase of ..." before the reader
        if q.intent == "why":
            steps = (self._cause, self._span)  # the stated reason before the reader's guess
        for step in steps:
            answer = step(q, hits, filings, use_all_passages)
            if answer is not None:
                return answer
        return no_answer(question)

    def _extract(self, q: Question, hits: list[Hit], filings: dict[str, Filing], use_all: bool) -> Answer | None:
        chosen = hits if use_all else hits[: self.config.k]
        contexts = [" ".join(x for x in (h.segment, h.section) if x) for h in chosen]
        leads = [filings[h.doc_id].text[max(0, h.start - 300):h.start] for h in chosen]
        names = [filings[h.doc_id].company or "" for h in chosen]
        found = extract(q.text, [h.text for h in chosen], contexts, leads=leads, intent=q.intent, metric=q.metric, company_names=names)
        return None if found is None else _extracted(q, chosen[found.passage_index], filings, found)

    def _cause(self, q: Question, hits: list[Hit], filings: dict[str, Filing], use_all: bool) -> Answer | None:
        chosen = hits if use_all else hits[: self.config.k]
        contexts = [" ".join(x for x in (h.segment, h.section) if x) for h in chosen]
        found = extract_cause(q.text, [h.text for h in chosen], contexts)
        return None if found is None else _extracted(q, chosen[found.passage_index], filings, found)

    def _numeric(self, q: Question, hits: list[Hit], filings: dict[str, Filing]) -> Answer | None:
        """Facts and claims of the filings retrieval found, most relevant filing first."""
        order = list(dict.fromkeys([h.doc_id for h in hits] + list(filings)))
        best: Answer | None = None
        for rank, doc_id in enumerate(order[:4]):
            filing = filings[doc_id]
            facts = self.facts(filing)
            if q.intent == "why":
                answer = explain_change(q, filing, facts)
            elif q.intent in ("change", "change_percent"):
                answer = answer_change(q, filing, facts)
            elif q.intent == "yesno":
                answer = _yes_no(q, answer_change(q, filing, facts))
            else:
                answer = answer_value(q, filing, facts)
            if answer is None:
                continue
            answer = replace(answer, confidence=answer.confidence * (1.0 - 0.1 * rank))
            if best is None or answer.confidence > best.confidence:
                best = answer
        return best

    def _amount(self, q: Question, hits: list[Hit], filings: dict[str, Filing], use_all: bool) -> Answer | None:
        chosen = hits if use_all else hits[: self.config.k]
        found = extract_amount(q.text, [h.text for h in chosen])
        if found is None:
            return None
        hit = chosen[found.passage_index]
        filing = filings[hit.doc_id]
        sentence = hit.text[found.sentence_start:found.sentence_end]
        figure = hit.text[found.start:found.end]
        if not self._states_value(q, "amount", figure, sentence, hit, filing):
            return None
        amounts = [x for x in find_quantities(figure) if x.unit == "USD"]
        return _extracted(q, hit, filings, found, confidence=0.6 * found.score, value=amounts[0].value if amounts else None,
                          unit="USD" if amounts else None)

    def _states_value(self, q: Question, kind: str | None, span_text: str, sentence: str, hit: Hit, filing: Filing) -> bool:
        """A figure the reader found answers a value question only if its sentence is about the question's metric
        and period: the numeric path already looked for it, so a figure of another metric or period is a guess."""
        if kind in ("amount", "count") and not re.search(r"\d", span_text):
            return False
        if q.metric:
            if not _mentions_metric(q, sentence):
                return False
        elif keyword_coverage(q.text, sentence if len(sentence) > 80 else hit.text) < self.config.min_value_coverage:
            return False
        return not _period_clash(q, sentence, hit, filing)

    def _span(self, q: Question, hits: list[Hit], filings: dict[str, Filing], use_all: bool) -> Answer | None:
        if self.reader is None:
            return None
        chosen = hits if use_all else hits[: self.config.reader_passages]
        spans = self.reader.extract(q.text, [h.text for h in chosen], top_k=self.config.reader_candidates)
        kind = answer_type(q.text, q.intent, q.metric)
        for span in spans:
            if span.score <= self.config.min_span_score:
                break
            # "When did ...?" is not answered by "$921,000", nor "What does backlog represent?" by "12%".
            if not fits_type(span.text, kind):
                continue
            hit = chosen[span.passage_index]
            sentence_start, sentence_end = sentence_at(hit.text, span.start, span.end)
            evidence = hit.text[sentence_start:sentence_end]
            # The passage must be about the question: "Who is the CFO?" is not answered from a sentence about the CEO.
            if keyword_coverage(q.text, evidence if len(evidence) > 80 else hit.text) < self.config.min_keyword_coverage:
                continue
            filing = filings[hit.doc_id]
            if q.intent in VALUE_INTENTS and not self._states_value(q, kind, span.text, evidence, hit, filing):
                continue
            citation = _citation(hit, filing, sentence_start, sentence_end)
            text = _complete_span(span.text)
            value = unit = None
            if q.intent in ("value", "change", "change_percent"):
                # A figure inside a table is at the table's scale ("$ 2,540" under "presented in millions").
                at = hit.start + span.start
                table = next((t for t in filing.tables if t.start <= at < t.end), None)
                amounts = [x for x in find_quantities(span.text, scale=table.scale if table else 1)
                           if x.unit in ("USD", "%", "USD/share")]
                line_end = filing.text.find("\n", at)
                line = filing.text[filing.text.rfind("\n", 0, at) + 1:line_end if line_end != -1 else len(filing.text)]
                if table is None and _looks_tabular(line[:400]) and detect_scale(filing.text[max(0, at - 1500):at]) > 1:
                    amounts = []  # a table the parser missed, under "(in millions)": the figure's scale is unknown
                if len(amounts) == 1:  # a figure the reader found in a sentence: keep it as the answer's value
                    value, unit = amounts[0].value, amounts[0].unit
            return Answer(question=q.text, text=text, value=value, unit=unit, confidence=_sigmoid(span.score / 2),
                          citations=(citation,), kind="span")
        return None


def _extracted(q: Question, hit: Hit, filings: dict[str, Filing], found: Extract, confidence: float = 0.6,
               value=None, unit: str | None = None) -> Answer:
    """The answer a deterministic extractor found in `hit`, cited with its sentence."""
    return Answer(question=q.text, text=_complete_span(hit.text[found.start:found.end]), value=value, unit=unit,
                  confidence=confidence, citations=(_citation(hit, filings[hit.doc_id], found.sentence_start, found.sentence_end),),
                  kind="span")


def _citation(hit: Hit, filing: Filing, start: int, end: int) -> Citation:
    """The citation of `hit.text[start:end]`, in offsets of the filing."""
    a, b = hit.start + start, hit.start + end
    return Citation(doc_id=hit.doc_id, section=hit.section, page=filing.page_at(a) if filing.pages else hit.page,
                    start=a, end=b, text=filing.text[a:b], period=hit.period, segment=hit.segment)


def _mentions_metric(q: Question, text: str) -> bool:
    lowered = " ".join(text.lower().replace("’", "'").split())
    names = set(METRICS.get(q.metric or "", ())) | {q.metric or "", q.metric_text or ""}
    return any(n and re.search(rf"(?<![\w&]){re.escape(n)}(?![\w&])", lowered) for n in names)


def _period_clash(q: Question, sentence: str, hit: Hit, filing: Filing) -> bool:
    """Whether the sentence (or its passage) states a period other than the one asked about."""
    target = target_period(q, filing)
    if target is None:
        return False
    if target.months == -1:
        return True  # "Q4" asked of a Q3 filing
    if target.end_year and filing.period_end and target.end_year > int(filing.period_end[:4]):
        return True  # a filing cannot state a period that ends after it
    stated_intent = parse_period_intent(sentence)
    if stated_intent.empty and hit.period:
        stated_intent = parse_period_intent(hit.period)
    stated = resolve_period(stated_intent, filing.fiscal_quarter, filing.fiscal_year, filing.period_end)
    if stated is None:
        return False
    if target.months and stated.months and target.months > 0 and stated.months > 0 and target.months != stated.months:
        return True
    return bool(target.end_year and stated.end_year and target.end_year != stated.end_year)


# Asks for a figure to be computed, not one stated: an amount next to its words is not the answer.
_COMPUTED = re.compile(r"\b(?:percentage|percent|ratio|average|proportion|rate|change|difference|growth|total of|sum)\b", re.I)


def _looks_tabular(text: str) -> bool:
    """Rows of figures rather than a sentence: "Net revenues $ 2,540 $ 2,422 $ 118 5 %" (any length, unlike
    `corpus.clean.is_table_row`, which also wants a short line: a flattened table is one long line)."""
    figures = re.findall(r"(?<![\w.])\(?\$?\s?\d[\d,.]*\)?%?", text)
    return len(figures) >= 3 and len(figures) * 4 >= len(text.split())


def _yes_no(q: Question, change: Answer | None) -> Answer | None:
    """"Did Web Services revenue decrease in Q3?" answered from the stated change."""
    if change is None or change.value is None or q.direction is None:
        return None
    went_up = change.value > 0
    agrees = went_up if q.direction == "increase" else not went_up
    return replace(change, text=("Yes. " if agrees else "No. ") + change.text)


def _complete_span(text: str) -> str:
    text = " ".join(text.split()).strip(" ,;")
    return text[0].upper() + text[1:] if text else text


def context_filing(paragraphs: Sequence[str], tables: Sequence[Sequence[Sequence[str]]]) -> Filing:
    """A Filing made from caller-supplied paragraphs and tables (rows of cells), one "page" per passage."""
    parts: list[str] = []
    for table in tables:
        rows = [[str(c).strip() for c in row] for row in table if any(str(c).strip() for c in row)]
        if rows:
            # An empty cell prints as "-" to keep the columns; a row with no figures at all ("Net sales:") is a
            # group label and prints alone.
            parts.append("\n".join("    ".join(c if c else "-" for c in row) if i and any(row[1:]) else "    ".join(c for c in row if c)
                                   for i, row in enumerate(rows)))
    parts += [p.strip() for p in paragraphs if p and p.strip()]
    text, spans, pos = "", [], 0
    for i, part in enumerate(parts):
        if i:
            text += "\n\n"
            pos += 2
        spans.append(PageSpan(number=i + 1, start=pos, end=pos + len(part)))
        text += part
        pos += len(part)
    sections, found_tables, _ = build_structure(text, tuple(spans))
    return Filing(doc_id="context", company=None, form=None, period_end=None, fiscal_year=None, fiscal_quarter=None,
                  source="(context)", content_hash="", text=text, pages=tuple(spans), sections=sections, tables=found_tables)
