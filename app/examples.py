"""Example questions for the Ask tab, made from the indexed filings: few, deterministic, in the filings' terms.

Per filing, in the order given (the index lists them by doc_id): its total revenues for its fiscal period ("What
were Crexendo's total revenues for Q3 2020?"), then why the first metric its discussion of results breaks out by
period changed ("Why did service revenue change in Q3 2020?"). The fixed questions over the bundled filings when
no filing gives one.
"""
from __future__ import annotations

import re
from typing import Sequence

from app.render import fiscal_period
from corpus.model import Filing
from corpus.words import LEGAL_FORM
from qa.pipeline import unknown_companies
from qa.question import find_metric

EXAMPLE_LIMIT = 5
FALLBACK_EXAMPLES = (
    "Why did G&A rise in Q3?",
    "What was total revenue in Q3?",
    "How are cancellation fees recognized?",
    "By how much did service revenue increase in the nine months?",
    "Who is the CFO?",
)
_LEGAL_SUFFIX = re.compile(rf"[,\s]+(?:{LEGAL_FORM})\.?$", re.I)
_REVENUE = re.compile(r"\brevenues?\b|\bnet sales\b", re.I)


def example_questions(filings: Sequence[Filing], limit: int = EXAMPLE_LIMIT) -> list[str]:
    """Up to `limit` questions about `filings` (FALLBACK_EXAMPLES when they give none)."""
    questions: list[str] = []
    for filing in filings:
        for question in (revenue_question(filing), why_question(filing)):
            if question and question not in questions:
                questions.append(question)
    return questions[:limit] or list(FALLBACK_EXAMPLES[:limit])


def revenue_question(filing: Filing) -> str | None:
    """The question after the filing's total revenues for its fiscal period, if the filing speaks of revenue."""
    if not _REVENUE.search(filing.text):
        return None
    period = fiscal_period(filing.fiscal_quarter, filing.fiscal_year)
    when = f" for {period}" if period else ""
    name = short_name(filing.company)
    question = f"What were {name}'s total revenues{when}?"
    # A name the pipeline would not recognise as this filer's ("Foo Holdings's") is left out, not asked about.
    if name and not unknown_companies(question, [{"company": filing.company, "doc_id": filing.doc_id}]):
        return question
    return f"What were total revenues{when}?"


def why_question(filing: Filing) -> str | None:
    """Why the metric of the first heading under a period that is just a metric's name changed ("Service revenue"
    under "Three months ended September 30, 2020 compared to ..."), in that period."""
    for section in filing.sections:
        if section.kind != "body" or section.period is None:
            continue
        metric, words = find_metric(section.title)
        if metric and words == " ".join(section.title.lower().split()):
            period = fiscal_period(filing.fiscal_quarter, filing.fiscal_year)
            if period and section.period.months == (3 if filing.fiscal_quarter else 12):
                return f"Why did {metric} change in {period}?"
            return f"Why did {metric} change in the {re.sub(r'^the ', '', section.period.label, flags=re.I)}?"
    return None


def short_name(company: str | None) -> str:
    """The filer's name as a question says it: "Crexendo, Inc." -> "Crexendo"."""
    name = " ".join((company or "").split())
    while (shorter := _LEGAL_SUFFIX.sub("", name)) != name:
        name = shorter
    return name
