"""What every answer step reads: the parsed question, the retrieved passages, their filings and facts.

The pipeline builds one `Evidence` per question; each step (`qa/answer/*`) is a plain callable
`(evidence) -> Answer | None`, run in the order its route gives (`qa/routes.py`) until one answers.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Mapping

from corpus.model import Filing
from index.model import Hit
from qa.figures.facts import FilingFacts
from qa.question import Question

if TYPE_CHECKING:  # the reader pulls in torch; steps only call it
    from qa.ask import Ask
    from qa.rank.model import SentenceRanker
    from qa.reader import Reader


@dataclass(frozen=True)
class AnswerConfig:
    k: int = 8  # passages retrieved
    reader_passages: int = 4  # passages the reader reads
    min_span_score: float = 0.0  # reader abstains at or below (Reader.THRESHOLD)
    min_keyword_coverage: float = 0.5  # share of the question's content words the answer passage must contain
    reader_candidates: int = 20  # spans the reader proposes; the first of the expected type that fits wins
    min_value_coverage: float = 0.6  # a figure's sentence must cover this share of a metric-less value question
    max_question_chars: int = 1000
    # answer when the ranker's calibrated chance of being right p makes p - 3(1 - p) >= 0: a wrong answer costs three
    # right ones (the brief: a wrong answer is the worst outcome)
    min_rank_probability: float = 0.75
    # a rule-based words answer is dropped only when the ranker finds its sentence unlikely (the rules are specific:
    # they are overruled on strong disagreement, not on doubt)
    min_words_probability: float = 0.25
    min_form_probability: float = 0.1  # a stated form ("X consists of ..."): its shape is most of the evidence
    min_reader_probability: float = 0.5  # the reader's span: its sentence must be more likely right than not


@dataclass(frozen=True)
class Evidence:
    """One question's evidence: the question as read once (`ask`), the passages retrieved, their filings and facts.
    `use_all`: the caller's own context, so every passage is read."""

    ask: Ask
    hits: tuple[Hit, ...]
    filings: Mapping[str, Filing]
    facts: Callable[[Filing], FilingFacts]
    config: AnswerConfig
    reader: "Reader | None" = None
    use_all: bool = False
    ranker: "SentenceRanker | None" = None

    @property
    def question(self) -> Question:
        """The question's intent, metric, segment, period and direction (part of the Ask)."""
        return self.ask.question

    def passages(self, limit: int) -> tuple[Hit, ...]:
        """The passages a step reads: all of a caller's context, else the first `limit` hits."""
        return self.hits if self.use_all else self.hits[:limit]

    def filings_in_order(self, limit: int) -> list[Filing]:
        """The filings retrieval found, most relevant first (then any other indexed one), at most `limit`."""
        order = dict.fromkeys([h.doc_id for h in self.hits] + list(self.filings))
        return [self.filings[doc_id] for doc_id in list(order)[:limit]]

    def filing_of(self, hit: Hit) -> Filing:
        return self.filings[hit.doc_id]
