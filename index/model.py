"""Typed values that flow out of index/: chunks and the hits a search returns."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Chunk:
    """A passage: exactly `filing.text[start:end]`, with the context that was embedded with it."""

    chunk_id: str
    doc_id: str
    text: str
    start: int
    end: int
    header: str
    section: str  # the section path, " > "-joined
    section_title: str
    segment: str | None
    period: str | None
    period_months: int | None
    period_end: str | None
    page: int | None
    kind: str  # "text" | "table"
    company: str | None = None
    form: str | None = None

    @property
    def embed_text(self) -> str:
        return f"{self.header}\n{self.text}"

    def to_dict(self) -> dict[str, Any]:
        # Every field is a str, int or None: a shallow dict is the same as asdict(), which copies deeply and was
        # a second of every 13,000-chunk save.
        return {name: getattr(self, name) for name in self.__dataclass_fields__}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Chunk":
        return cls(**{k: data.get(k) for k in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Hit:
    """One retrieved passage.

    `score` is in (0, 1]: the reciprocal-rank-fusion score of the dense and BM25 rankings, times the
    period factor (1.0 when the passage's period matches the question's, 0.75 when it clashes, 0.92
    when the passage has no period), divided by the best possible fused score (rank 1 in both lists).
    It ranks hits within one search; it is not a probability. `dense_score` is the cosine similarity
    of query and passage (-1..1) and `lexical_score` the raw BM25 score (0 when no query word matched).
    """

    text: str
    score: float
    doc_id: str
    section: str
    segment: str | None
    period: str | None
    page: int | None
    start: int
    end: int
    chunk_id: str = ""
    section_title: str = ""
    company: str | None = None
    form: str | None = None
    kind: str = "text"
    dense_score: float = 0.0
    lexical_score: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
