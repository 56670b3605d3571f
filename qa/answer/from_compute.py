"""The answer step for arithmetic a question asks of the filing's tables: the computed figure, its formula,
every input cited to its printed cell, and a check that recomputes it from those cells."""
from __future__ import annotations

from typing import TYPE_CHECKING

from qa.answer.citations import cite_fact
from qa.compute.arithmetic import Computation, compute, parse_arithmetic
from qa.compute.check import recheck
from qa.model import Answer, format_money

if TYPE_CHECKING:
    from qa.answer.evidence import Evidence


def _shown(value, unit: str) -> str:
    if unit == "ratio":
        return f"{value.quantize(value.__class__('0.01')):,}"
    if unit == "%":
        return f"{value.quantize(value.__class__('0.01')):,}%"
    return format_money(value, unit or "")


def table_arithmetic(ev: "Evidence") -> Answer | None:
    """A change, percentage change, average, sum, difference, ratio or share over the rows the question names."""
    ask = parse_arithmetic(ev.question.text)
    if ask is None:
        return None
    order = list(dict.fromkeys([h.doc_id for h in ev.hits] + list(ev.filings)))
    for doc_id in order[:4]:
        filing = ev.filings[doc_id]
        facts = [f for f in ev.facts(filing).facts if f.source == "table"]
        comp = compute(ask, facts)
        if comp is None:
            continue
        return _answer(ev.question.text, comp, filing)
    return None


def _answer(question: str, comp: Computation, filing) -> Answer:
    check = recheck(comp.formula, comp.value, comp.inputs, filing)
    text = f"The {comp.description} is {_shown(comp.value, comp.unit)}, computed: {comp.formula}."
    return Answer(question=question, text=text[0].upper() + text[1:], value=comp.value,
                  unit=comp.unit if comp.unit else None, confidence=0.8 if check.status == "verified" else 0.4,
                  citations=tuple(cite_fact(filing, f) for f in comp.inputs), checks=(check,), kind="computed",
                  formula=comp.formula)
