"""Question → retrieval → evidence → the first answer its route gives that passes the checks → one checked Answer.

    p = Pipeline.load()                        # the default index over the bundled corpus, the project's reader
    a = p.ask("Why did G&A rise in Q3?")      # Answer(text, value, unit, confidence, no_answer, citations, checks)
    e = p.explain("Why did G&A rise in Q3?")  # the Ask, each check and step with its outcome, and the answer
    a = p.ask_context("What was revenue in 2019?", ["Revenue was $5.2 million in 2019 ..."], tables=[[...]])

The question is read once (`qa.ask.read_ask`); its kind picks the route (`qa.routes.ROUTES`), the steps of which live
in `qa/answer/`: figures from facts and claims (`from_facts.figures`), computed figures (`from_compute`), stated
forms, causes and amounts (`from_text`), and the reader (`from_reader`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from corpus.context import context_filing
from corpus.model import Filing
from corpus.period_intent import PeriodIntent, impossible_period
from index.errors import IndexNotFoundError, InvalidQueryError
from index.model import Hit
from index.query import company_aliases, company_key
from qa.answer.compare import compare
from qa.answer.evidence import AnswerConfig, Evidence
from qa.ask import Ask, compared_strangers, named_filers, read_ask, strangers
from qa.compute.labels import LabelMapper
from qa.figures.facts import FilingFacts, ReportedPeriod, facts_code_fingerprint
from qa.model import Answer, format_money, invalid_question, no_answer
from qa.rank.model import DEFAULT_MODEL_DIR as DEFAULT_RANKER_DIR
from qa.rank.model import SentenceRanker
from qa.reader import DEFAULT_MODEL_DIR, Reader
from qa.routes import Outcome, run_route

if TYPE_CHECKING:  # the retriever pulls in FAISS and BM25: loaded by `Pipeline.load`, not by `import qa`
    from index.retriever import AddReport, Retriever


def printable(question: object) -> str:
    """The question as text that can be shown and written anywhere (undecodable characters replaced)."""
    if not isinstance(question, str):
        return ""
    return question.encode("utf-8", "replace").decode("utf-8").replace("\x00", "?")


def filer_aliases(filings: Sequence[dict]) -> dict[str, set[str]]:
    """doc_id -> the names a question may use for its filer (registrant name, ticker, the name people use)."""
    return {m["doc_id"]: company_aliases(m.get("company"), m.get("doc_id", ""), (m.get("extra") or {}).get("ticker"))
            for m in filings}


def filer_tickers(filings: Sequence[dict]) -> dict[str, str]:
    """doc_id -> the filer's ticker ("KO"), matched in capitals only."""
    return {m["doc_id"]: (m.get("extra") or {}).get("ticker") for m in filings if (m.get("extra") or {}).get("ticker")}


def _figure_of(company: str, answer: Answer) -> str:
    period = answer.citations[0].period if answer.citations and answer.citations[0].period else ""
    return f"{company}: {format_money(answer.value, answer.unit)}{f' ({period})' if period else ''}"


def unknown_companies(question: str, filings: Sequence[dict]) -> list[str]:
    """Names the question treats as a company ("Apple's") that no indexed filing belongs to."""
    return strangers(question, filer_aliases(filings), lambda name: False)


def period_words(intent: PeriodIntent) -> str:
    """The period a question names, as an analyst says it: "fiscal 2025 (12 months)", "Q2 2023", "2045"."""
    if intent.quarter:
        return f"Q{intent.quarter} {intent.year}"
    year = f"{'fiscal ' if intent.fiscal else ''}{intent.year}"
    return f"{year} ({intent.months} months)" if intent.months else year


def coverage_of(filing: Filing, periods: frozenset[ReportedPeriod]) -> str:
    """What one filing covers, in words: "eBay Inc. 10-Q for the period ended 2023-06-30 (3-month and 6-month periods
    and balances ending in 2022-2023)"."""
    name = " ".join(x for x in (filing.company or filing.doc_id, filing.form) if x)
    ended = f" for the period ended {filing.period_end}" if filing.period_end else ""
    years = sorted({p.year for p in periods})
    if not years:
        return f"{name}{ended}"
    span = f"{years[0]}" if len(years) == 1 else f"{years[0]}-{years[-1]}"
    lengths = sorted({p.months for p in periods if p.months and p.tagged})
    parts = [" and ".join(f"{m}-month" for m in lengths) + " periods"] if lengths else []
    if any(p.months == 0 and p.tagged for p in periods):
        parts.append("balances")
    return f"{name}{ended} ({' and '.join(parts) or 'figures'} ending in {span})"


def why_not(ask: Ask, hits: Sequence[Hit], outcomes: Sequence[Outcome] = ()) -> str:
    """What the no-answer is missing, in words: the reason, figure or statement no passage gives, where the closest
    passage was ("... The closest passage, under “Gross Profit Margin”, does not state it."), and a candidate a
    check turned down ("A figure was found but ... ")."""
    from qa.answer.guards import asked_subject

    q = ask.question
    section = next((h.section.split(" > ")[-1] for h in hits if h.section), None)
    where = f" The closest passage, under “{section}”, does not state it." if section else ""
    rejected = next((o for o in outcomes if o.status == "rejected"), None)
    turned = f" A candidate was turned down ({rejected.reason})." if rejected else ""
    if ask.kind == "why":
        subject = asked_subject(ask.text) or q.metric
        about = f" for the change in {subject}" if subject else ""
        return f"The filings do not say. No sentence found states a reason{about} in the period asked.{where}{turned}"
    if ask.expects == "figure" and q.metric:
        return (f"The filings do not say. No figure found for {q.metric} matches the period and qualifiers asked."
                f"{where}{turned}")
    return f"The filings do not say. No sentence found states what is asked.{where}{turned}"


@dataclass(frozen=True)
class Explanation:
    """How a question was answered: the Ask, the checks before any step (name, what it found), each step's outcome,
    and the answer."""

    question: str
    answer: Answer
    ask: Ask | None = None
    checks: tuple[tuple[str, str], ...] = ()
    outcomes: tuple[Outcome, ...] = field(default=())

    def format(self) -> str:
        lines = [f"question: {self.question}"]
        if self.ask is not None:
            lines.append(f"read as: {self.ask.describe()}")
        lines += [f"check {name}: {found}" for name, found in self.checks]
        for o in self.outcomes:
            shown = f" ({o.reason})" if o.reason else ""
            got = f" -> {' '.join(o.answer.text.split())[:160]}" if o.answer is not None and not o.answer.no_answer else ""
            lines.append(f"step {o.step}: {o.status}{shown}{got}")
        lines.append(f"answer: {' '.join(self.answer.text.split())}")
        return "\n".join(lines)


class Pipeline:
    """The answering pipeline. Models load once (`warm_up`) and are shared by every `ask`."""

    def __init__(self, retriever: Retriever | None, reader: Reader | None, config: AnswerConfig | None = None,
                 ranker: SentenceRanker | None = None):
        self.retriever = retriever
        self.reader = reader
        self.ranker = ranker
        self.config = config if config is not None else AnswerConfig()
        self._facts: dict[tuple[str, object], FilingFacts] = {}
        # Row labels to standard lines by the retriever's embedder (loaded once); without one, synonyms only.
        self._labels = LabelMapper(retriever.embedder) if retriever is not None else None

    @classmethod
    def load(cls, index_dir: str | Path | None = None, *, reader: Reader | str | Path | None = DEFAULT_MODEL_DIR,
             config: AnswerConfig | None = None, bundled: bool = False,
             ranker: SentenceRanker | str | Path | None = DEFAULT_RANKER_DIR) -> "Pipeline":
        """Open an index (default: the user's, the bundled corpus and what they added, built on first use; with
        `bundled`, the bundled corpus alone, as evaluation wants it) and a reader, warmed up.

        `reader` is a Reader, a model folder, or None to answer without one (figures still work; text questions
        the deterministic extractors cannot answer abstain). A folder that holds no usable model is a
        ReaderModelError, never a silent fallback. `ranker` likewise: a SentenceRanker, its folder, or None to
        answer why/how/what questions with the rule-based steps alone.
        """
        from index.default import bundled_retriever, default_retriever
        from index.retriever import Retriever

        if index_dir is not None:
            retriever = Retriever.load(index_dir)
        else:
            retriever = bundled_retriever() if bundled else default_retriever()
        if reader is not None and not isinstance(reader, Reader):
            reader = Reader(reader)
        if ranker is not None and not isinstance(ranker, SentenceRanker):
            ranker = SentenceRanker(ranker)
        pipeline = cls(retriever, reader, config, ranker)
        pipeline.warm_up()
        return pipeline

    def warm_up(self) -> None:
        """Load the models (safe to call twice); a broken reader raises ReaderModelError."""
        if self.retriever is not None:
            self.retriever.embedder.warm_up()
        if self.reader is not None:
            self.reader.warm_up()
        if self.ranker is not None:
            self.ranker.warm_up()

    def add(self, paths: Sequence[str | Path], *, progress: bool = False,
            on_progress: Callable[[int, int], None] | None = None, isolated: bool = False,
            cancelled: Callable[[], bool] | None = None) -> AddReport:
        """Parse, embed and index filings (new or changed ones only); facts cached for a replaced filing are dropped.

        `on_progress(embedded, to_embed)` follows the embedding; raising from it stops the build, nothing written.
        `isolated` does the parsing and embedding in a child process that `cancelled()` stops at any point (the
        page's uploads: questions go on being answered meanwhile, see index/isolated.py).
        """
        report = self._index().add(list(paths), progress=progress, on_progress=on_progress, isolated=isolated,
                                   cancelled=cancelled)
        for doc_id in report.replaced:
            self.forget(doc_id)
        self.prepare([*report.added, *report.replaced])  # at build time, so no question waits for them
        return report

    def refresh(self) -> bool:
        """Answer from the index as it is on disk now, if another process changed it (one stat when it did not)."""
        return self.retriever.refresh() if self.retriever is not None else False

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
        return self.explain(question, doc_ids).answer

    def explain(self, question: str, doc_ids: Sequence[str] | None = None, *, whole: bool = True) -> Explanation:
        """`ask`, with how it went: the Ask, the checks made before any step, and every step's outcome.

        A question naming two indexed companies is answered for each and compared; a figure asked of no company
        over an index of several is answered only if one company reports it (else the no-answer asks which, with
        each one's figure). `whole=False` answers for the filings `doc_ids` alone, as one company's part of those.
        """
        problem = self._check_question(question)
        if problem:
            return Explanation(printable(question), invalid_question(printable(question), problem), checks=(("text", problem),))
        impossible = impossible_period(question)
        if impossible is not None:
            said = f"{impossible} {self._covered_line(doc_ids)}".strip()
            return Explanation(question, no_answer(question, said), checks=(("period-impossible", impossible),))
        named: dict[str, list[str]] = {}  # company -> its doc_ids, for each indexed filer the question names
        if self.retriever is not None:
            metas = self.retriever.filings()
            aliases, tickers = filer_aliases(metas), filer_tickers(metas)
            missing = strangers(question, aliases, self._used_by_filings) + compared_strangers(question, aliases, tickers)
            if missing:
                said = f"The indexed filings do not cover {', '.join(dict.fromkeys(missing))}."
                return Explanation(question, no_answer(question, said), checks=(("company-not-indexed", said),))
            # One company however its filings spell it ("McDonald's Corporation", "Mcdonalds"), and only among the
            # filings the caller asks of, when it names them.
            by_doc = {m["doc_id"]: m.get("company") or m["doc_id"] for m in metas}
            name_of: dict[str, str] = {}
            for doc_id in named_filers(question, aliases, tickers):
                if whole and doc_ids is not None and doc_id not in doc_ids:
                    continue  # (one company's part of a comparison still reads the question as it was asked)
                name = name_of.setdefault(company_key(by_doc[doc_id]), by_doc[doc_id])
                named.setdefault(name, []).append(doc_id)
            if doc_ids is None and named:
                doc_ids = [d for docs in named.values() for d in docs]
        try:
            hits = self.retrieve(question, doc_ids=doc_ids)
        except InvalidQueryError as exc:
            return Explanation(question, no_answer(question, str(exc)), checks=(("query", str(exc)),))
        filings = {}
        for h in hits:
            if h.doc_id not in filings:
                filings[h.doc_id] = self.retriever.filing(h.doc_id)
        # Figures for "H1 2020" may sit in the comparison column of another filing of the same company.
        if hits:
            company = filings[hits[0].doc_id].company
            for meta in self.retriever.filings():
                if meta["doc_id"] not in filings and company and company_key(meta.get("company")) == company_key(company) \
                        and (doc_ids is None or meta["doc_id"] in doc_ids):
                    filings[meta["doc_id"]] = self.retriever.filing(meta["doc_id"])
        named_docs = {d for docs in named.values() for d in docs}
        words = frozenset(w for name in named for w in re.findall(r"[a-z&]+", name.lower())) | frozenset(
            w for m in self.retriever.filings() if m["doc_id"] in named_docs for a in aliases[m["doc_id"]]
            for w in re.findall(r"[a-z&]+", a)) if self.retriever is not None and named else frozenset()
        # EDGAR's conformed names drop a possessive's apostrophe ("Lowes Companies" for Lowe's): "lowe" is theirs too.
        words |= frozenset(w[:-1] for w in words if len(w) > 3 and w.endswith("s"))
        # a two-letter ticker ("KO") names the filer too, though no alias holds it
        words |= frozenset(t.lower() for d, t in filer_tickers(self.retriever.filings()).items() if d in named_docs) \
            if self.retriever is not None and named else frozenset()
        explained = self._answer(question, hits, filings, companies=tuple(named), company_words=words, whole=whole)
        if whole and explained.ask is not None and explained.ask.kind == "compare":
            return self._compare(question, explained.ask, named)
        if whole and not named and self.retriever is not None:
            return self._one_company_or_ask_which(question, explained, hits, doc_ids)
        return explained

    def _compare(self, question: str, ask: Ask, named: dict[str, list[str]]) -> Explanation:
        """Each company's figure, asked of its filings alone, then compared (qa/answer/compare.py)."""
        parts = [(company, self.explain(question, docs, whole=False)) for company, docs in named.items()]
        answer = compare(question, ask.compare_as or "both", [(c, e.answer) for c, e in parts])
        checks = tuple((f"figure of {c}", " ".join(e.answer.text.split())[:200]) for c, e in parts)
        return Explanation(question, answer, ask, checks, tuple(o for _, e in parts for o in e.outcomes))

    def _one_company_or_ask_which(self, question: str, explained: Explanation, hits: Sequence[Hit],
                                  doc_ids: Sequence[str] | None) -> Explanation:
        """A figure asked of no company over filings of several: the answer stands only if no other company among
        the passages found reports one too; otherwise the no-answer asks which, with what each reports."""
        answer, ask = explained.answer, explained.ask
        if ask is None or answer.no_answer or ask.expects != "figure" or not answer.citations:
            return explained
        metas = {m["doc_id"]: m for m in self.retriever.filings() if doc_ids is None or m["doc_id"] in doc_ids}
        company_of = {d: company_key(m.get("company") or d) for d, m in metas.items()}
        shown = {}  # key -> the name its first filing prints
        for d, m in metas.items():
            shown.setdefault(company_of[d], m.get("company") or d)
        chosen = company_of.get(answer.citations[0].doc_id)
        # The other companies the passages found, and those with a filing for the year asked (the figure may be in a
        # filing the passages missed).
        year = ask.question.period.year
        dated = [d for d, m in metas.items() if year and (m.get("period_end") or "")[:4] in (str(year), str(year + 1))]
        others = list(dict.fromkeys(company_of[d] for d in dated + [h.doc_id for h in hits]
                                    if d in company_of and company_of[d] != chosen))[:5]
        found = []
        for company in others:
            other = self.explain(question, [d for d, c in company_of.items() if c == company], whole=False).answer
            if not other.no_answer and other.value is not None:
                found.append((company, other))
        if not found:
            return explained
        listed = "; ".join(_figure_of(shown.get(c, c), a) for c, a in [(chosen, answer), *found])
        said = (f"Which company? The question names none, and more than one indexed company reports it: {listed}. "
                f"Ask again naming one.")
        return Explanation(question, no_answer(question, said), ask, (*explained.checks, ("company-ambiguous", said)),
                           explained.outcomes)

    def ask_context(self, question: str, paragraphs: Sequence[str], tables: Sequence[Sequence[Sequence[str]]] | None = None) -> Answer:
        """The same answering over context the caller holds: paragraph strings and tables as lists of rows."""
        problem = self._check_question(question)
        if problem:
            return invalid_question(printable(question), problem)
        filing = context_filing(paragraphs, tables or ())
        hits = [Hit(text=filing.text[p.start:p.end], score=1.0, doc_id=filing.doc_id, section="", segment=None, period=None,
                    page=None, start=p.start, end=p.end) for p in filing.pages]
        return self._answer(question, hits, {filing.doc_id: filing}, use_all_passages=True).answer

    # ------------------------------------------------------------------ internals

    def _check_question(self, question: str) -> str | None:
        if not isinstance(question, str) or not question.strip():
            return "Please ask a question, e.g. \"Why did G&A rise in Q3?\""
        bad = next((i for i, ch in enumerate(question) if 0xD800 <= ord(ch) <= 0xDFFF or ch == "\x00"), None)
        if bad is not None:  # a lone surrogate (bytes that were not UTF-8) or a NUL: not text anyone typed
            return (f"The question is not valid text (an undecodable character at position {bad + 1}); "
                    f"please type it again.")
        if len(question) > self.config.max_question_chars:
            return f"The question is {len(question):,} characters long; please keep it under {self.config.max_question_chars:,}."
        if not re.search(r"[A-Za-z]{2,}", question):
            return "The question has no words to search for."
        return None

    def facts(self, filing: Filing) -> FilingFacts:
        """Facts of a filing, computed once per content (caller contexts share a doc_id, not a text).

        An indexed filing's facts are stored with the index when first computed (at `add`, for uploads) and read
        back from there, so no question pays for them again, in this process or the next.
        """
        key = (filing.doc_id, filing.content_hash or hash(filing.text))
        if key not in self._facts:
            stored_key = self._stored_facts_key(filing)
            stored = self.retriever.derived("facts", filing.doc_id, stored_key) if stored_key else None
            facts = FilingFacts.from_dict(stored) if stored is not None else None
            if facts is None:
                facts = FilingFacts.of(filing)
                facts = facts.with_line_names(self._labels) if self._labels and facts.tags is None else facts
                if stored_key:
                    self.retriever.store_derived("facts", filing.doc_id, stored_key, facts.to_dict())
            self._facts[key] = facts
        return self._facts[key]

    def prepare(self, doc_ids: Sequence[str] | None = None) -> int:
        """Compute and store the facts of these indexed filings (default: all) that have none stored; returns how many."""
        if self.retriever is None:
            return 0
        wanted = list(doc_ids) if doc_ids is not None else [f["doc_id"] for f in self.retriever.filings()]
        computed = 0
        for doc_id in wanted:
            filing = self.retriever.filing(doc_id)
            if self.retriever.derived("facts", doc_id, self._stored_facts_key(filing)) is None:
                self.facts(filing)
                computed += 1
        return computed

    def _stored_facts_key(self, filing: Filing) -> str | None:
        """The key of an indexed filing's stored facts: its content, the facts code, the label-mapping model."""
        if self.retriever is None or not filing.content_hash:
            return None
        indexed = next((f for f in self.retriever.filings() if f["doc_id"] == filing.doc_id), None)
        if indexed is None or indexed.get("content_hash") != filing.content_hash:
            return None  # caller context, or not the indexed text
        return f"{filing.content_hash}:{facts_code_fingerprint()}:{self.retriever.embedder.backend}"

    def forget(self, doc_id: str) -> None:
        """Drop cached facts of a filing (after it is replaced or removed)."""
        self._facts = {k: v for k, v in self._facts.items() if k[0] != doc_id}

    def _covered_line(self, doc_ids: Sequence[str] | None, most: int = 6) -> str:
        """The periods the indexed filings (or those asked about) are for, in one line."""
        if self.retriever is None:
            return ""
        metas = [m for m in self.retriever.filings() if doc_ids is None or m["doc_id"] in doc_ids]
        said = [f"{m.get('company') or m['doc_id']} {m.get('form') or ''} for the period ended {m.get('period_end')}"
                .replace("  ", " ") for m in metas[:most]]
        more = f" and {len(metas) - most} more" if len(metas) > most else ""
        return f"The indexed filings are: {'; '.join(said)}{more}." if said else ""

    def _used_by_filings(self, name: str) -> bool:
        """Whether an indexed filing uses `name` (a segment, brand or program of its filer: "Reality Labs"), so a
        question's "Reality Labs'" qualifies a figure rather than naming a company missing from the index."""
        pattern = re.compile(rf"(?<![\w]){re.escape(name)}(?![\w])")  # as printed: capitalised, whole words
        try:
            return any(pattern.search(h.text) for h in self.retriever.search(name, k=5))
        except InvalidQueryError:
            return False

    def uncovered_period(self, ask: Ask, filings: dict[str, Filing]) -> str | None:
        """Why no filing searched can hold the figure asked for: the period it names is none of those their figures
        are for (an answer from another period would be wrong). None when a filing covers it or cannot tell."""
        q = ask.question
        if q.period.year is None or not ask.reads_figure or not filings:
            return None
        covered = []
        for filing in filings.values():
            periods = self.facts(filing).periods()
            tagged = any(p.tagged for p in periods)
            target = filing.target_period(q.period)
            if (not periods or target is None or target.end_year is None or target.months == -1
                    or any(p.answers(target.end_year, target.months, tagged) for p in periods)):
                return None
            covered.append(coverage_of(filing, periods))
        return (f"The filings searched report no {q.metric_text or q.metric} for {period_words(q.period)}: "
                f"{'; '.join(covered[:6])}{f' and {len(covered) - 6} more' if len(covered) > 6 else ''}.")

    def _answer(self, question: str, hits: list[Hit], filings: dict[str, Filing], use_all_passages: bool = False,
                companies: tuple[str, ...] = (), company_words: frozenset[str] = frozenset(),
                whole: bool = True) -> Explanation:
        if not hits:
            return Explanation(question, no_answer(question), checks=(("passages", "none retrieved"),))
        segments = tuple(sorted({s for f in filings.values() for s in self.facts(f).segments}))
        ask = read_ask(question, segments, companies, company_words)
        if ask.kind == "compare":
            if whole:
                return Explanation(question, no_answer(question), ask)  # answered per company by `explain`
            ask = replace(ask, kind="figure")  # one company's part of a comparison: its figure
        uncovered = self.uncovered_period(ask, filings)
        if uncovered is not None:
            return Explanation(question, no_answer(question, uncovered), ask, (("period-not-covered", uncovered),))
        evidence = Evidence(ask=ask, hits=tuple(hits), filings=filings, facts=self.facts, config=self.config,
                            reader=self.reader, use_all=use_all_passages, ranker=self.ranker)
        answer, outcomes = run_route(evidence)
        if answer is None:
            answer = no_answer(question, why_not(ask, hits, outcomes))
        return Explanation(question, answer, ask, (), tuple(outcomes))
