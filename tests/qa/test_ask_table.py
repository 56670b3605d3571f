"""The contract of the parse: 483 questions pinned to the Ask they are read as (kind, expected answer, metric,
period, companies, comparison). Drawn from every gold set (seeds, why set, metric set, ask set) and 76 new phrasings an
analyst types (abbreviations, Q2, 1H25, FY24, last year, tickers, misspellings, two companies, how/when/which).

An independent reader labelled each question's kind and period from written definitions, without the code
(`labelled_otherwise` and `because` record where the parse is pinned differently, and why). The companies a question
names are resolved against the fixed list of filers below, as an index holding them would.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from index.query import company_aliases
from qa.ask import EXPECTED_ANSWER, named_filers, read_ask

TABLE = [json.loads(line) for line in (Path(__file__).parent / "ask_table.jsonl").read_text(encoding="utf-8").splitlines()
         if line.strip()]
FILERS = {"aapl": ("Apple Inc.", "AAPL"), "meta": ("Meta Platforms, Inc.", "META"), "ko": ("The Coca-Cola Company", "KO"),
          "pg": ("Procter & Gamble Co", "PG"), "nvda": ("NVIDIA Corporation", "NVDA"), "tsla": ("Tesla, Inc.", "TSLA"),
          "unp": ("Union Pacific Corporation", "UNP"), "vz": ("Verizon Communications Inc.", "VZ"),
          "cmcsa": ("Comcast Corporation", "CMCSA"), "cat": ("Caterpillar Inc.", "CAT"),
          "hon": ("Honeywell International Inc.", "HON"), "crexendo": ("Crexendo, Inc.", "CXDO"),
          "pep": ("PepsiCo, Inc.", "PEP"), "t": ("AT&T Inc.", "T"), "jnj": ("Johnson & Johnson", "JNJ"),
          "mcd": ("McDonald's Corporation", "MCD"), "fdx": ("FedEx Corporation", "FDX"), "intc": ("Intel Corporation", "INTC"),
          "orcl": ("Oracle Corporation", "ORCL"), "ebay": ("eBay Inc.", "EBAY"), "crm": ("Salesforce, Inc.", "CRM"),
          "xom": ("Exxon Mobil Corporation", "XOM")}
ALIASES = {d: company_aliases(name, f"{d}-10-k", ticker) for d, (name, ticker) in FILERS.items()}
TICKERS = {d: ticker for d, (_, ticker) in FILERS.items()}


def _read(question: str):
    """As the pipeline reads it: with the named filers' names, and their words, which qualify no figure."""
    docs = named_filers(question, ALIASES, TICKERS)
    names = tuple(dict.fromkeys(FILERS[d][0] for d in docs))
    words = frozenset(w for name in names for w in re.findall(r"[a-z&]+", name.lower())) | frozenset(
        w for d in docs for alias in ALIASES[d] for w in re.findall(r"[a-z&]+", alias))
    return read_ask(question, (), names, words), names


@pytest.mark.parametrize("row", TABLE, ids=[f"{i:03d}" for i in range(len(TABLE))])
def test_each_question_is_read_as_pinned(row):
    ask, names = _read(row["question"])
    p = ask.question.period
    got = {"kind": ask.kind, "expects": ask.expects, "metric": ask.question.metric, "year": p.year,
           "quarter": p.quarter, "months": p.months, "fiscal": p.fiscal, "point": p.point, "to_date": p.to_date,
           "companies": list(names), "compare_as": ask.compare_as}
    assert got == {k: row[k] for k in got}, row["question"]


def test_the_table_covers_every_kind_and_the_new_phrasings():
    kinds = Counter(row["kind"] for row in TABLE)
    assert len(TABLE) >= 300 and set(kinds) == set(EXPECTED_ANSWER), kinds
    new = [row["question"] for row in TABLE if row["source"] == "new"]
    for form in ("Q2 FY25", "1H25", "FY24", "last year", "KO ", "incme", "margn", "Which had higher", "When does"):
        assert any(form in q for q in new), form
    # The independent labels agree on the kind of at least nine questions in ten.
    assert sum("kind" not in row.get("labelled_otherwise", {}) for row in TABLE) >= 0.9 * len(TABLE)
