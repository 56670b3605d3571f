"""Values every layer of qa/ shares: an Answer with its Citations and Checks, and how they print.

A leaf module (the standard library and corpus.clean's glyph list only), so the figures layer and the answer steps
can both use it."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from corpus.clean import BULLET_CHARS

# A list item's glyph where an answer quotes one ("• Gross margin decreased ..."): the words stay, the glyph goes.
_ANSWER_BULLET = re.compile(rf"(?:^|(?<=\s))[{BULLET_CHARS}·]\s+")


@dataclass(frozen=True)
class Check:
    """The outcome of one arithmetic check on a claim."""

    claim: str  # which claim: "Service revenue (three months ended September 30, 2020)"
    status: str  # 'verified' | 'mismatch' | 'unverifiable'
    detail: str
    kind: str = ""  # 'change' | 'percent' | 'direction' | 'comparison'


# How a check's status prints, on the command line, in the audit and on the page.
STATUS_MARKS = {"verified": "✓", "mismatch": "✗", "unverifiable": "?"}


def overall_status(checks: tuple[Check, ...] | list[Check]) -> str:
    statuses = {c.status for c in checks}
    if "mismatch" in statuses:
        return "mismatch"
    if statuses == {"verified"}:
        return "verified"
    return "unverifiable"


@dataclass(frozen=True)
class CitedCell:
    """The one table cell a figure is read from, with what an analyst checks it by: its row label, its column (the
    period read from the header), the table's caption and units, and the filer's XBRL tag where it carries one."""

    text: str  # as printed ("164,501"): `filing.text[start:end]`
    start: int
    end: int
    row: str
    column: str | None = None
    table: str = ""
    units: str | None = None
    concept: str | None = None  # "us-gaap:Revenues"; provenance for tools, never put in answer text

    def heading(self) -> str:
        """The table as a reader names it: its caption with the units once ("... (in millions)")."""
        units = (self.units or "").strip("() ")
        if units and units.lower() in self.table.lower():
            units = ""  # the caption already says it: "... consists of the following (in millions):"
        return f"{self.table} ({units})" if self.table and units else self.table or units


@dataclass(frozen=True)
class Citation:
    """Where an answer comes from: `text == filing.text[start:end]` in filing `doc_id`. A figure read from a table
    cites the whole row as `text` and the cell itself as `cell`."""

    doc_id: str
    section: str
    page: int | None
    start: int
    end: int
    text: str
    period: str | None = None
    segment: str | None = None
    cell: CitedCell | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Citation":
        cell = data.get("cell")
        return cls(**{**data, "cell": CitedCell(**cell) if cell else None})


@dataclass(frozen=True)
class Answer:
    """An answer, or an honest "the filings do not say" (`no_answer=True`); never None or an exception.

    `value`/`unit` carry the figure at full scale (4143000, "USD") when the answer is a number.
    `kind` says how it was found: "fact" (a figure stated in a table or sentence), "claim" (a stated
    change), "computed" (arithmetic we did; `formula` shows it), "explanation" (a change and its drivers),
    "span" (the reader's extract), "none", or "invalid" (the question itself could not be asked: empty, too long,
    not text; `text` says which). `confidence` is in [0, 1]. `items` lists the figures or names
    of an answer that has several ("What were X in 2018 and 2019, respectively?").
    """

    question: str
    text: str
    value: Decimal | None = None
    unit: str | None = None
    confidence: float = 0.0
    no_answer: bool = False
    citations: tuple[Citation, ...] = ()
    checks: tuple[Check, ...] = ()
    kind: str = "none"
    formula: str | None = None
    items: tuple[str, ...] = ()  # an answer of several figures or names, each as printed ("2,929", "2,370")

    def __post_init__(self):
        # The promises every caller reads: confidence is a probability (a score summed or boosted past 1, or NaN,
        # is clamped here), and the text has no list glyphs (citations keep the filing's text as printed).
        confidence = self.confidence if self.confidence == self.confidence else 0.0
        object.__setattr__(self, "confidence", min(1.0, max(0.0, float(confidence))))
        if any(ch in self.text for ch in BULLET_CHARS + "·"):
            object.__setattr__(self, "text", _ANSWER_BULLET.sub("", self.text))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the value as a number (its exact digits as `value_text`), confidence to 4 places."""
        data = asdict(self)
        data["value"] = float(self.value) if self.value is not None else None
        data["value_text"] = str(self.value) if self.value is not None else None
        data["confidence"] = round(self.confidence, 4)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Answer":
        """The Answer `to_dict` wrote (what the JSON CLI and the page's API return)."""
        value = data.get("value_text") if data.get("value_text") is not None else data.get("value")
        return cls(question=data["question"], text=data["text"],
                   value=Decimal(str(value)) if value is not None else None, unit=data.get("unit"),
                   confidence=float(data.get("confidence", 0.0)), no_answer=bool(data.get("no_answer", False)),
                   citations=tuple(Citation.from_dict(c) for c in data.get("citations", ())),
                   checks=tuple(Check(**c) for c in data.get("checks", ())), kind=data.get("kind", "none"),
                   formula=data.get("formula"), items=tuple(data.get("items", ())))


def no_answer(question: str, reason: str = "The filings do not say.") -> Answer:
    return Answer(question=question, text=reason, no_answer=True, kind="none")


def invalid_question(question: str, problem: str) -> Answer:
    """No answer because nothing answerable was asked: `problem` is all there is to say."""
    return Answer(question=question, text=problem, no_answer=True, kind="invalid")


_SCALE_NAMES = ((Decimal(1_000_000_000_000), "trillion"), (Decimal(1_000_000_000), "billion"),
                (Decimal(1_000_000), "million"))


def format_money(value: Decimal, unit: str | None = "USD") -> str:
    """A figure as an analyst reads it: $164.5 billion, $5.42 billion, $23.6 million, $311,000, -$20,000, $0.05 per
    share, 14.3%. Amounts of a million or more are shown in millions, billions or trillions to three significant
    figures at least (one decimal from 10 up, two below); smaller ones with every digit. The exact figure stays in
    `Answer.value` (and `value_text` in JSON); `format_exact` prints it."""
    if unit == "%":
        return f"{trimmed_decimal(value, 2)}%"
    for size, name in _SCALE_NAMES if unit != "USD/share" else ():
        if abs(value) >= size:
            sign, scaled = "-" if value < 0 else "", abs(value) / size
            body = f"{scaled:,.1f}" if scaled >= 10 else f"{scaled:,.2f}".removesuffix("0")
            return f"{sign}${body} {name}" if unit in ("USD", None, "") else f"{sign}{body} {name} {unit}"
    return format_exact(value, unit)


def format_exact(value: Decimal, unit: str | None = "USD") -> str:
    """Every digit: $1,351,000; -$20,000; $0.05 per share; 14%. For exact-match scoring and where digits matter."""
    if unit == "%":
        return f"{value.normalize():f}%"
    sign = "-" if value < 0 else ""
    magnitude = abs(value)
    if unit == "USD/share":
        return f"{sign}${magnitude:,.2f} per share"
    if magnitude == magnitude.to_integral_value():
        body = f"{magnitude:,.0f}"
    else:
        body = f"{magnitude:,.2f}"
    return f"{sign}${body}" if unit in ("USD", None, "") else f"{sign}{body} {unit}"


def trimmed_decimal(value: Decimal, places: int) -> str:
    """At most `places` decimals, no trailing zeros: 14.3, 0.5, 12."""
    rounded = value.quantize(Decimal(1).scaleb(-places)) if value != value.to_integral_value() else value
    text = f"{rounded:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
