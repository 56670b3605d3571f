"""The gold set: one JSON object per line (schema in eval/README.md), loaded into `GoldItem`s and validated.

Validation is strict and names the offending line: unknown type, numeric types without `value`/`unit`, an
answerable question without `evidence`, or evidence not found (whitespace-normalised, case-insensitive) in the
named filing's text.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from corpus.errors import FilingQAError
from eval.metrics import contains_evidence

TYPES = ("value", "change", "why", "text", "yesno", "none")
NUMERIC_TYPES = ("value", "change")
UNITS = ("USD", "%", "USD/share", "shares", "ratio", "days", "count")
DEFAULT_GOLD = Path(__file__).resolve().parent / "gold.jsonl"


class GoldFormatError(FilingQAError, ValueError):
    """A gold line is malformed or its evidence is not in the filing it names."""


@dataclass(frozen=True)
class GoldItem:
    id: str
    question: str
    type: str
    answers: tuple[str, ...]
    value: float | None = None
    unit: str | None = None
    doc: str | tuple[str, ...] | None = None  # a question about two filings names both
    evidence: str | tuple[str, ...] | None = None  # one substring, or alternatives (any one will do)
    category: str | None = None  # the class of question a set is about ("class" in the file: "periods", ...)
    split: str | None = None  # "dev" or "sealed" (a set split by company)
    expect_reason: str | None = None  # what a right no-answer names ("fiscal 2025 full year", "Microsoft")
    form: str | None = None  # the filing's form ("10-K", "10-Q", "8-K", "earnings"), for results by form
    company: str | None = None  # the company's ticker, lower case (a set split by company)
    page: int | None = None  # the PDF page of the evidence, 1-based
    note: str | None = None  # how the gold was worked out (inputs and formula)
    trap: bool | None = None  # a neighbouring sentence is about another period, segment or metric

    @property
    def docs(self) -> tuple[str, ...]:
        return () if self.doc is None else (self.doc,) if isinstance(self.doc, str) else self.doc

    @property
    def answerable(self) -> bool:
        return self.type != "none"

    @classmethod
    def from_dict(cls, data: dict, where: str = "") -> "GoldItem":
        missing = [k for k in ("id", "question", "type", "answers") if k not in data]
        if missing:
            raise GoldFormatError(f"{where}: missing {', '.join(missing)}")
        data = {("category" if k == "class" else k): v for k, v in data.items()}
        unknown = set(data) - set(cls.__dataclass_fields__)
        if unknown:
            raise GoldFormatError(f"{where}: unknown field(s) {sorted(unknown)}")
        if data["type"] not in TYPES:
            raise GoldFormatError(f"{where}: type must be one of {TYPES}, got {data['type']!r}")
        if not isinstance(data["answers"], list) or not all(isinstance(a, str) for a in data["answers"]):
            raise GoldFormatError(f"{where}: answers must be a list of strings, got {data['answers']!r}")
        evidence = data.get("evidence")
        if isinstance(evidence, list):
            if not evidence or not all(isinstance(e, str) and e.strip() for e in evidence):
                raise GoldFormatError(f"{where}: evidence must be a non-empty string or list of them, got {evidence!r}")
            evidence = tuple(evidence)
        elif evidence is not None and not isinstance(evidence, str):
            raise GoldFormatError(f"{where}: evidence must be a string or a list of strings, got {evidence!r}")
        doc = data.get("doc")
        if isinstance(doc, list):
            doc = tuple(doc)
        item = cls(id=str(data["id"]), question=data["question"], type=data["type"], answers=tuple(data["answers"]),
                   value=data.get("value"), unit=data.get("unit"), doc=doc, evidence=evidence,
                   category=data.get("category"), split=data.get("split"), expect_reason=data.get("expect_reason"),
                   form=data.get("form"), company=data.get("company"), page=data.get("page"), note=data.get("note"),
                   trap=data.get("trap"))
        if item.type in NUMERIC_TYPES:
            if not isinstance(item.value, (int, float)) or item.unit not in UNITS:
                raise GoldFormatError(f"{where}: a {item.type} question needs a numeric value and a unit in {UNITS}, "
                                      f"got value={item.value!r} unit={item.unit!r}")
        if item.type == "yesno" and [a.lower() for a in item.answers] not in (["yes"], ["no"]):
            raise GoldFormatError(f"{where}: a yesno question's answers are [\"yes\"] or [\"no\"], got {item.answers!r}")
        if item.answerable:
            if not item.answers:
                raise GoldFormatError(f"{where}: an answerable question needs at least one acceptable answer")
            if not item.evidence or (isinstance(item.evidence, str) and not item.evidence.strip()):
                raise GoldFormatError(f"{where}: an answerable question needs evidence")
        elif item.answers:
            raise GoldFormatError(f"{where}: a none question has no acceptable answers, got {item.answers!r}")
        return item


def load_gold(path: str | Path | None = None) -> list[GoldItem]:
    """Parse a gold file (no filing checks; see `validate_gold`)."""
    path = Path(path) if path is not None else DEFAULT_GOLD
    items, seen = [], set()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path.name}:{n}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise GoldFormatError(f"{where}: not JSON ({exc})") from exc
        item = GoldItem.from_dict(data, where)
        if item.id in seen:
            raise GoldFormatError(f"{where}: duplicate id {item.id!r}")
        seen.add(item.id)
        items.append(item)
    return items


def validate_gold(items: list[GoldItem], filing_text: Callable[[str], str]) -> list[str]:
    """Problems with the evidence of `items` (empty when all is well). `filing_text(doc_id)` gives a filing's text."""
    problems = []
    for item in items:
        if not item.answerable or item.doc is None:
            if item.answerable:
                problems.append(f"{item.id}: answerable question without doc")
            continue
        try:
            texts = [filing_text(doc) for doc in item.docs]
        except KeyError as exc:
            problems.append(f"{item.id}: unknown doc {exc}")
            continue
        alternatives = [item.evidence] if isinstance(item.evidence, str) else list(item.evidence)
        for alternative in alternatives:  # every alternative must be real text of one of the filings
            if not any(contains_evidence(text, alternative) for text in texts):
                problems.append(f"{item.id}: evidence {alternative!r} not found in {', '.join(item.docs)}")
    return problems


def bundled_texts() -> dict[str, str]:
    """doc_id -> parsed text of the bundled filings (corpus/filings/)."""
    from corpus import BUNDLED_DIR, load_filing

    manifest = json.loads((BUNDLED_DIR / "manifest.json").read_text(encoding="utf-8"))
    return {f["doc_id"]: load_filing(BUNDLED_DIR / f["file"]).text for f in manifest["filings"]}
