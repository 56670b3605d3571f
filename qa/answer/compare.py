"""Two or more companies' figures side by side: which is larger, by how much, or both, each cited.

The pipeline answers a comparison as one figure question per company (each over that company's filings alone), then
`compare` puts the answers together. A company whose figure is missing makes the comparison a no-answer that names
it and says what the others report; figures in different units are never compared; a difference is recomputed from
the two cited figures and marked verified.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Sequence

from qa.model import Answer, Check, format_money, no_answer


def _said(company: str, answer: Answer) -> str:
    period = answer.citations[0].period if answer.citations and answer.citations[0].period else ""
    return f"{company}: {format_money(answer.value, answer.unit)}{f' ({period})' if period else ''}"


def compare(question: str, compare_as: str, parts: Sequence[tuple[str, Answer]]) -> Answer:
    """The comparison `compare_as` ("more", "less", "difference", "both") of each company's answer."""
    missing = [(c, a) for c, a in parts if a.no_answer or a.value is None]
    found = [(c, a) for c, a in parts if (c, a) not in missing]
    if missing:
        why = "; ".join(f"{c}: {' '.join(a.text.split())}" for c, a in missing)
        have = f" What the others report: {'; '.join(_said(c, a) for c, a in found)}." if found else ""
        return no_answer(question, f"The comparison cannot be made: {why}{have}")
    units = {a.unit for _, a in found}
    if len(units) > 1:
        return no_answer(question, "The figures found are in different units and cannot be compared: "
                                   + "; ".join(_said(c, a) for c, a in found) + ".")
    citations = tuple(c for _, a in found for c in a.citations)
    listed = "; ".join(_said(c, a) for c, a in found)
    confidence = min(a.confidence for _, a in found) * 0.95
    if compare_as == "difference" and len(found) == 2:
        (first, a), (second, b) = found
        value = Decimal(a.value) - Decimal(b.value)
        formula = f"{a.value:,} − {b.value:,} = {value:,}"
        check = Check(formula, "verified" if Decimal(a.value) - Decimal(b.value) == value else "mismatch",
                      f"recomputed from the two cited figures ({first}, {second})", "difference")
        return Answer(question=question, text=f"{first}'s figure exceeds {second}'s by "
                                              f"{format_money(value, a.unit)} ({listed}).",
                      value=value, unit=a.unit, confidence=confidence, citations=citations, checks=(check,),
                      kind="computed", formula=formula)
    if compare_as in ("more", "less"):
        pick = (max if compare_as == "more" else min)(found, key=lambda ca: Decimal(ca[1].value))
        word = "higher" if compare_as == "more" else "lower"
        others = [c for c, _ in found if c != pick[0]]
        check = Check(f"{pick[0]} {word}", "verified", "; ".join(_said(c, a) for c, a in found), "comparison")
        return Answer(question=question, text=f"{pick[0]} ({word} than {', '.join(others)}): {listed}.",
                      confidence=confidence, citations=citations, checks=(check,), kind="computed", items=(pick[0],))
    return Answer(question=question, text=f"{listed}.", confidence=confidence, citations=citations, kind="fact",
                  items=tuple(c for c, _ in found))
