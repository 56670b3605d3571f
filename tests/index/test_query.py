import pytest

from corpus.period_intent import PeriodIntent, TargetPeriod, parse_period_intent, period_match, resolve_period
from index.query import company_aliases, expand_query, mentioned_companies


@pytest.mark.parametrize("query,expected", [
    ("why did G&A rise in Q3", "general and administrative expenses"),
    ("SG&A trend", "selling, general and administrative expenses"),
    ("R&D spend", "research and development expenses"),
    ("S&M expense", "selling and marketing"),
    ("COGS in 2022", "cost of revenue"),
    ("diluted EPS", "earnings per share"),
    ("adjusted ebitda", "EBITDA earnings before interest taxes depreciation and amortization"),
    ("capex guidance", "capital expenditures"),
    ("opex growth", "operating expenses"),
    ("PP&E net", "property, plant and equipment"),
    ("FCF margin", "free cash flow"),
    ("revenue YoY", "year over year"),
])
def test_abbreviations_expand(query, expected):
    assert expected in expand_query(query)


def test_expansion_keeps_the_query_and_adds_nothing_needless():
    assert expand_query("total revenue for 2020") == "total revenue for 2020"
    assert expand_query("why did G&A rise in Q3").startswith("why did G&A rise in Q3 (")
    assert "primarily due to" in expand_query("why did G&A rise in Q3")


@pytest.mark.parametrize("query,intent", [
    ("why did G&A rise in Q3", PeriodIntent(months=3, quarter=3, fiscal=True)),
    ("revenue in the third quarter", PeriodIntent(months=3, quarter=3, fiscal=True)),
    ("nine months revenue", PeriodIntent(months=9)),
    ("R&D year to date", PeriodIntent(to_date=True)),
    ("first half revenue", PeriodIntent(months=6)),
    ("H1 margin", PeriodIntent(months=6)),
    ("six months ended June 30, 2021", PeriodIntent(months=6, year=2021)),
    ("FY2022 EPS", PeriodIntent(months=12, year=2022, fiscal=True)),
    ("fiscal 2023 revenue", PeriodIntent(months=12, year=2023, fiscal=True)),
    ("third quarter of 2020 revenue", PeriodIntent(months=3, quarter=3, year=2020, fiscal=True)),
    ("revenue in the prior-year quarter", PeriodIntent(months=3, prior=True)),
    ("cash as of September 30, 2020", PeriodIntent(year=2020, point=True)),
    ("growth from Q2 2020 to Q2 2021", PeriodIntent(months=3, quarter=2, year=2021, fiscal=True)),
])
def test_period_intents(query, intent):
    assert parse_period_intent(query) == intent


def test_period_words_resolve_against_each_filing():
    q3 = resolve_period(parse_period_intent("Q3"), fiscal_quarter=3, fiscal_year=2020, period_end="2020-09-30")
    assert q3 == TargetPeriod(months=3, end_year=2020)
    ytd = resolve_period(parse_period_intent("year to date"), 3, 2020, "2020-09-30")
    assert ytd.months == 9
    h1 = resolve_period(parse_period_intent("year to date"), 2, 2021, "2021-06-30")
    assert h1.months == 6
    assert period_match(q3, 3, "2020-09-30") == 1.0
    assert period_match(q3, 9, "2020-09-30") < 1.0
    assert period_match(q3, 3, "2019-09-30") < 1.0
    assert period_match(None, 9, "2020-09-30") == 1.0
    prior = resolve_period(parse_period_intent("prior-year quarter"), 3, 2020, "2020-09-30")
    assert prior == TargetPeriod(months=3, end_year=2019)


def test_company_mentions():
    aliases = {"apple-2022-10k": company_aliases("Apple Inc.", "apple-2022-10k"),
               "footlocker-2022-10q": company_aliases("Foot Locker, Inc.", "footlocker-2022-10q"),
               "mcdonalds-2022-10k": company_aliases("McDonald’s Corporation", "mcdonalds-2022-10k"),
               "bostonproperties-2015-10k": company_aliases("Boston Properties, Inc.", "bostonproperties-2015-10k")}
    assert mentioned_companies("What was Apple's R&D in FY2022?", aliases) == {"apple-2022-10k"}
    assert mentioned_companies("Foot Locker inventory", aliases) == {"footlocker-2022-10q"}
    assert mentioned_companies("McDonald's franchised margins", aliases) == {"mcdonalds-2022-10k"}
    assert mentioned_companies("office rents in Boston", aliases) == set()
    assert mentioned_companies("revenue per square foot", aliases) == set()


def test_a_capitalised_first_word_names_a_one_word_filer():
    from index.query import company_aliases, mentioned_companies

    aliases = {"ultabeauty-2023q2-earnings": company_aliases("Ulta Beauty, Inc.", "ultabeauty-2023q2-earnings"),
               "footlocker-2022-10q": company_aliases("Footlocker", "footlocker-2022-10q"),
               "apple-2023q3-10q": company_aliases("Apple Inc.", "apple-2023q3-10q")}
    assert mentioned_companies("Why did Ulta's gross margin decrease?", aliases) == {"ultabeauty-2023q2-earnings"}
    assert mentioned_companies("What drove foot traffic?", aliases) == set()  # lower case: a word, not a name
    assert mentioned_companies("Why did G&A rise in Q3?", aliases) == set()


def test_a_fiscal_year_resolves_against_the_filers_calendar():
    # NVIDIA's quarter ended July 27, 2025 is Q2 of fiscal 2026: its fiscal-2026 periods end in calendar 2025.
    nvidia = dict(fiscal_quarter=2, fiscal_year=2026, period_end="2025-07-27")
    assert resolve_period(parse_period_intent("net income in Q2 fiscal 2026"), **nvidia).end_year == 2025
    assert resolve_period(parse_period_intent("Q2 FY25 revenue"), **nvidia).end_year == 2024
    # Apple's fiscal year ends in September: fiscal 2025 is calendar 2025; a calendar year is left as it is.
    apple = dict(fiscal_quarter=3, fiscal_year=2025, period_end="2025-06-28")
    assert resolve_period(parse_period_intent("net sales in Q3 fiscal 2025"), **apple).end_year == 2025
    assert resolve_period(parse_period_intent("revenue in 2025"), **nvidia).end_year == 2025


def test_names_people_use_for_filers():
    from index.query import company_aliases, mentioned_companies

    aliases = {"pg": company_aliases("Procter & Gamble Co", "pg-10-k-2025", "PG"),
               "ko": company_aliases("Coca Cola Co", "ko-10-q-2025", "KO"),
               "aapl": company_aliases("Apple Inc.", "aapl-10-q-2025", "AAPL")}
    assert mentioned_companies("What were Procter & Gamble's total liabilities?", aliases) == {"pg"}
    assert mentioned_companies("P&G's net sales in fiscal 2025", aliases) == {"pg"}
    assert mentioned_companies("Coca-Cola's dividends", aliases) == {"ko"}
    assert mentioned_companies("AAPL net sales", aliases) == {"aapl"}


def test_a_period_known_only_by_its_year_still_matches_a_dated_target():
    target = resolve_period(parse_period_intent("net sales in fiscal 2024"), fiscal_quarter=None, fiscal_year=2024,
                            period_end="2024-09-28", fiscal_year_end="--09-28")
    assert target.end_date and target.ends_on("2024-09-28") and target.ends_on("2024") and not target.ends_on("2023")
    assert not target.ends_on("2023-09-30")
