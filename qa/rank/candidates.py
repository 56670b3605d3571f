"""What the sentence ranker reads for one candidate sentence: the filing's heading path above it, the sentence
before it when it opens with an anaphor ("The increase was primarily due to ..."), and the sentence itself.

One function for training and for answering, so the model is scored on what it was trained on.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.model import Filing
from corpus.sentences import split_spans

# "The increase", "The overall increases", "This year-over-year decline": a change named by what it refers back to.
ANAPHOR = re.compile(r"^\s*(?:the|this|these|such|that)\s+(?:[\w-]+\s+){0,2}?"
                     r"(?:increases?|decreases?|declines?|changes?|growth|improvement|reduction|decline|rise|drop)\b"
                     r"|^\s*(?:this|these|it)\s+(?:was|were|is|are)\b", re.I)
_MAX_HEADING = 120


@dataclass(frozen=True)
class Candidate:
    """One sentence of a filing as the ranker reads it; `start`/`end` are the sentence's own offsets (what an
    answer cites), `text` what the model scores."""

    doc_id: str
    start: int
    end: int
    sentence: str
    text: str


def heading_of(filing: Filing, offset: int) -> str:
    section = filing.section_at(offset)
    if section is None:
        return ""
    path = " > ".join(p for p in section.path if p) or section.title
    if section.segment and section.segment.lower() not in path.lower():
        path = f"{path} > {section.segment}"
    return path[-_MAX_HEADING:]


def candidate_text(heading: str, previous: str, sentence: str) -> str:
    """Heading, the antecedent sentence when the sentence needs it, then the sentence."""
    body = " ".join(sentence.split())
    lead = " ".join(previous.split()) + " " if previous and ANAPHOR.match(body) else ""
    return f"{heading}: {lead}{body}" if heading else f"{lead}{body}"


def previous_sentence(text: str, start: int, reach: int = 600) -> tuple[int, int] | None:
    """The (start, end) of the sentence before offset `start`, within `reach` characters, or None."""
    spans = split_spans(text, max(0, start - reach), start)
    return spans[-1] if spans else None


def sentences_between(filing: Filing, lo: int, hi: int, *, min_chars: int = 25, max_chars: int = 900) -> list[Candidate]:
    """The candidate sentences of `filing.text[lo:hi]` (sentences too short or too long to state a reason are
    skipped; the first sentence's antecedent is read from before `lo`)."""
    text = filing.text
    before = previous_sentence(text, lo)
    spans = split_spans(text, lo, hi)
    out: list[Candidate] = []
    previous = text[before[0]:before[1]] if before else ""
    for start, end in spans:
        sentence = text[start:end]
        if min_chars <= len(sentence.strip()) <= max_chars:
            out.append(Candidate(filing.doc_id, start, end, sentence,
                                 candidate_text(heading_of(filing, start), previous, sentence)))
        previous = sentence
    return out
