"""MD&A as structure: the changes a filing states and the reasons it attaches to them.

`change_statements(filing)` finds every sentence that states a change of a figure ("Americas net sales increased
during the third quarter of 2025 ...", "The increase in operating income was primarily driven by ...") and reads
it into a `ChangeStatement`: the figure (subject), the direction, the amount and percent when stated, the period it
names, the heading it sits under (the segment, product or region of its section), and the reasons attached to it
("due primarily to ...", "driven by ...", "reflecting ...", "as a result of ..."), with what "partially offset" it;
a reason given in the next sentence ("The increase was due to ...") is attached to the change before it. Pure
functions of the filing's text and sections.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.model import Filing
from corpus.sentences import split_spans

VERB = (r"(?P<verb>increased|decreased|rose|declined|grew|fell|improved|was\s+(?:up|down)|were\s+(?:up|down)|"
        r"(?:was|were)\s+(?:higher|lower))")
DUE = (r"(?:(?:primarily|mainly|largely|principally|partially|partly|predominantly|mostly)\s+)?"
       r"(?:due\s+(?:primarily\s+|mainly\s+|largely\s+)?to|driven\s+(?:primarily\s+|mainly\s+)?by|as\s+a\s+result\s+of|"
       r"attributable\s+to|resulting\s+from|reflect(?:s|ed|ing)|because\s+of)")
# "<figure> increased ..." opening a sentence
CHANGE = re.compile(rf"^(?P<subj>[A-Z][^;:]{{2,110}}?)\s+{VERB}\b(?P<mid>[^;]*?)$", re.S)
HAS_REASON = re.compile(rf"\b{DUE}\s+\S", re.I)
# "The increase in operating income was primarily driven by ...": the change and its reason in one noun phrase.
NOUN_CHANGE = re.compile(r"^(?:the\s+)?(?P<dir>increase|decrease|decline|growth|improvement|reduction|rise|drop)\s+in\s+"
                         r"(?:our\s+)?(?P<subj>[^,;]{3,90}?)(?:\s+(?:for|in|during)\s+(?P<when>[^,;]{3,60}?))?\s+"
                         r"(?:was|were|is|are)\s+(?:primarily\s+|mainly\s+|largely\s+|partially\s+)?"
                         r"(?:due|driven|attributable|the\s+result|a\s+result|caused)", re.I)
PERIOD = re.compile(
    r"\b(?:(?:the\s+)?(?:first|second|third|fourth)\s+quarter(?:\s+of)?(?:\s+(?:fiscal\s+)?(?:year\s+)?\d{4})?|"
    r"(?:the\s+)?(?:three|six|nine|twelve)\s+months\s+ended\s+[A-Z][a-z]+\s+\d{1,2},\s+\d{4}|"
    r"(?:the\s+)?(?:first|last)\s+(?:six|nine|three)\s+months\s+of\s+(?:fiscal\s+)?\d{4}|"
    r"(?:fiscal\s+(?:year\s+)?\d{4})|(?:(?:the\s+)?(?:year|quarter)\s+ended\s+[A-Z][a-z]+\s+\d{1,2},\s+\d{4})|"
    r"(?:in|during|for)\s+\d{4})", re.I)
# The sentence after a change that gives its reason: "The increase was primarily due to ...", "This reflects ...".
FOLLOWS = re.compile(r"^\s*(?:the|this|these|such|that)\s+(?:year[- ]over[- ]year\s+|period[- ]over[- ]period\s+)?"
                     r"(?:increases?|decreases?|declines?|changes?|growth|improvement|reduction|decline|rise|drop)\b"
                     r"|^\s*(?:this|these|it)\s+(?:was|were|is|are)\b", re.I)
_AMOUNT = re.compile(r"\$\s?\d[\d,]*(?:\.\d+)?(?:\s(?:million|billion|thousand))?")
_PERCENT = re.compile(r"(?<![\d.])\d+(?:\.\d+)?\s?%|\b\d+(?:\.\d+)?\s+(?:percent|percentage\s+points|basis\s+points)\b")
_OFFSET = re.compile(r",?\s*(?:which\s+(?:was|were)\s+)?(?:partially|partly|offset\s+in\s+part)\s+offset\s+by\s+|,?\s*"
                     r"offset\s+in\s+part\s+by\s+", re.I)
_UP_WORDS = ("increase", "rose", "grew", "improve", "up", "higher", "growth", "rise")


@dataclass(frozen=True)
class ChangeStatement:
    """One change the filing states. `start`/`end`: the sentence (through the next one when that holds the
    reason); `reasons`: the clauses it gives as causes, `offsets`: what it says partly offset them."""

    start: int
    end: int
    subject: str
    direction: str  # "increase" | "decrease"
    amount: str | None
    percent: str | None
    period: str | None
    heading: str
    segment: str | None
    reasons: tuple[str, ...]
    offsets: tuple[str, ...]


def _direction(word: str) -> str:
    return "increase" if word.lower().split()[-1].startswith(_UP_WORDS) else "decrease"


def reasons_of(sentence: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(causes, offsets) a sentence gives: the clause after "due to"/"driven by"/..., split at "partially offset by"."""
    m = HAS_REASON.search(sentence)
    if m is None:
        return (), ()
    body = re.sub(rf"^{DUE}\s+", "", sentence[m.start():].strip(), flags=re.I).rstrip(" .")
    parts = _OFFSET.split(body, maxsplit=1)
    cause = parts[0].strip(" ,;")
    offset = parts[1].strip(" ,;") if len(parts) > 1 else ""
    return ((cause,) if cause else ()), ((offset,) if offset else ())


def _subject(raw: str) -> str:
    s = " ".join(raw.split()).strip(" ,.:")
    s = re.sub(r"^(?:•\s*)?(?:in addition,|additionally,|also,|overall,)\s*", "", s, flags=re.I)
    return PERIOD.sub("", s).strip(" ,")


def change_statements(filing: Filing) -> list[ChangeStatement]:
    """Every stated change of a figure in the filing's prose, in order."""
    text = filing.text
    spans = split_spans(text)
    out: list[ChangeStatement] = []
    for i, (a, b) in enumerate(spans):
        sentence = " ".join(text[a:b].split()).rstrip(".")
        if len(sentence) > 600 or sum(ch.isdigit() for ch in sentence) > len(sentence) * 0.25:
            continue  # a flattened table row, not prose
        noun = NOUN_CHANGE.search(sentence)
        change = CHANGE.search(sentence) if noun is None else None
        if noun is None and change is None:
            continue
        subject = _subject(noun.group("subj") if noun else change.group("subj"))
        if not subject:
            continue
        direction = _direction(noun.group("dir") if noun else change.group("verb"))
        end = b
        causes, offsets = reasons_of(sentence)
        if not causes and i + 1 < len(spans):
            following = " ".join(text[spans[i + 1][0]:spans[i + 1][1]].split())
            if FOLLOWS.match(following):
                causes, offsets = reasons_of(following)
                end = spans[i + 1][1] if causes else b
        period = PERIOD.search(sentence)
        head = sentence[:HAS_REASON.search(sentence).start()] if HAS_REASON.search(sentence) else sentence
        amount, percent = _AMOUNT.search(head), _PERCENT.search(head)
        section = filing.section_at(a)
        out.append(ChangeStatement(
            start=a, end=end, subject=subject, direction=direction, amount=amount.group(0) if amount else None,
            percent=percent.group(0) if percent else None,
            period=re.sub(r"^(?:in|during|for)\s+", "", period.group(0), flags=re.I) if period else None,
            heading=" > ".join(section.path) if section else "", segment=section.segment if section else None,
            reasons=causes, offsets=offsets))
    return out
