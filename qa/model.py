"""Values every layer of qa/ shares: an Answer with its Citations and Checks, and how they print.

A leaf module (standard library only), so the figures layer and the answer steps can both use it."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any


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
class Citation:
    """Where an answer comes from: `text == filing.text[start:end]` in filing `doc_id`."""

    doc_id: str
    section: str
    page: int | None
    start: int
    end: int
    text: str
    period: str | None = None
    segment: str | None = None


@dataclass(frozen=True)
class Answer:
    """An answer, or an honest "the filings do not say" (`no_answer=True`); never None or an exception.

    `value`/`unit` carry the figure at full scale (4143000, "USD") when the answer is a number.
    `kind` says how it was found: "fact" (a figure stated in a table or sentence), "claim" (a stated
    change), "computed" (arithmetic we did; `formula` shows it), "explanation" (a change and its drivers),
    "span" (the reader's extract) or "none". `confidence` is in [0, 1]. `items` lists the figures or names
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
                   citations=tuple(Citation(**c) for c in data.get("citations", ())),
                   checks=tuple(Check(**c) for c in data.get("checks", ())), kind=data.get("kind", "none"),
                   formula=data.get("formula"), items=tuple(data.get("items", ())))


def no_answer(question: str, reason: str = "The filings do not say.") -> Answer:
    return Answer(question=question, text=reason, no_answer=True, kind="none")


def format_money(value: Decimal, unit: str | None = "USD") -> str:
    """$1,351,000; -$20,000; $0.05 per share; 14%."""
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
