import pytest

from corpus.period_intent import PeriodIntent
from qa.question import parse_question

SEGMENTS = ("Cloud Telecommunications", "Web Services", "Software Solutions")

# (question, intent, metric, segment, period intent)
CASES = [
    ("Why did G&A rise in Q3?", "why", "general and administrative expenses", None, PeriodIntent(months=3, quarter=3, fiscal=True)),
    ("What drove the increase in R&D for the nine months?", "why", "research and development expenses", None, PeriodIntent(months=9)),
    ("Why did Web Services revenue fall in the third quarter?", "why", "revenue", "Web Services", PeriodIntent(months=3, quarter=3, fiscal=True)),
    ("What explains higher cost of service revenue year to date?", "why", "cost of service revenue", None, PeriodIntent(to_date=True)),
    ("Reasons for the decrease in income before income taxes in Q3 2020", "why", "income before income taxes", None, PeriodIntent(months=3, quarter=3, year=2020, fiscal=True)),
    ("What was total revenue for the three months ended September 30, 2020?", "value", "total revenue", None, PeriodIntent(months=3, year=2020)),
    ("What was total revenue in Q3?", "value", "total revenue", None, PeriodIntent(months=3, quarter=3, fiscal=True)),
    ("How much cash did the company have as of September 30, 2020?", "value", "cash and cash equivalents", None, PeriodIntent(year=2020, point=True)),
    ("What were diluted earnings per share for the nine months ended September 30, 2020?", "value", "earnings per share", None, PeriodIntent(months=9, year=2020)),
    ("Net income in the third quarter of 2020?", "value", "net income", None, PeriodIntent(months=3, quarter=3, year=2020, fiscal=True)),
    ("What was adjusted EBITDA for the nine months?", "value", "adjusted ebitda", None, PeriodIntent(months=9)),
    ("What was EBITDA in Q3 2020?", "value", "ebitda", None, PeriodIntent(months=3, quarter=3, year=2020, fiscal=True)),
    ("Cloud Telecommunications segment operating income for the three months", "value", "operating income", "Cloud Telecommunications", PeriodIntent(months=3)),
    ("What was the backlog at September 30, 2020?", "value", "backlog", None, PeriodIntent(year=2020)),
    ("How much were contract liabilities as of June 30, 2021?", "value", "contract liabilities", None, PeriodIntent(year=2021, point=True)),
    ("Desktop devices revenue for the six months ended June 30, 2021", "value", "revenue", None, PeriodIntent(months=6, year=2021)),
    ("What was revenue in the first half of 2021?", "value", "revenue", None, PeriodIntent(months=6, year=2021)),
    ("H1 2021 software licenses revenue", "value", "revenue", None, PeriodIntent(months=6, year=2021, fiscal=True)),
    ("What were total operating expenses for the Web Services segment in Q3?", "value", "operating expenses", "Web Services", PeriodIntent(months=3, quarter=3, fiscal=True)),
    ("FY2022 net sales", "value", "revenue", None, PeriodIntent(months=12, year=2022, fiscal=True)),
    ("What was opex in fiscal 2023?", "value", "operating expenses", None, PeriodIntent(months=12, year=2023, fiscal=True)),
    ("What was capex year to date?", "value", "capital expenditures", None, PeriodIntent(to_date=True)),
    ("What was revenue in the prior-year quarter?", "value", "revenue", None, PeriodIntent(months=3, prior=True)),
    ("By how much did service revenue increase in Q3?", "change", "service revenue", None, PeriodIntent(months=3, quarter=3, fiscal=True)),
    ("How much did product revenue grow in the nine months ended September 30, 2020?", "change", "product revenue", None, PeriodIntent(months=9, year=2020)),
    ("What was the change in working capital?", "change", "working capital", None, PeriodIntent()),
    ("How much did SG&A change YoY?", "change", "selling, general and administrative expenses", None, PeriodIntent()),
    ("By what percentage did selling and marketing expenses increase in Q3?", "change_percent", "selling and marketing expenses", None, PeriodIntent(months=3, quarter=3, fiscal=True)),
    ("What was the percent change in consolidated G&A for the nine months?", "change_percent", "general and administrative expenses", None, PeriodIntent(months=9)),
    ("What was the growth rate of Cloud Telecommunications service revenue in Q3?", "change_percent", "service revenue", "Cloud Telecommunications", PeriodIntent(months=3, quarter=3, fiscal=True)),
    ("How much did inventories decrease, in %, since December 31, 2019?", "change_percent", "inventories", None, PeriodIntent()),
    ("What does cost of service revenue consist of?", "definition", "cost of service revenue", None, PeriodIntent()),
    ("What is included in general and administrative expenses?", "definition", "general and administrative expenses", None, PeriodIntent()),
    ("What do R&D expenses include?", "definition", "research and development expenses", None, PeriodIntent()),
    ("Define Adjusted EBITDA", "definition", "adjusted ebitda", None, PeriodIntent()),
    ("What is backlog?", "definition", "backlog", None, PeriodIntent()),
    ("How are cancellation fees recognised?", "policy", None, None, PeriodIntent()),
    ("How is product revenue recognized?", "policy", "product revenue", None, PeriodIntent()),
    ("When are activation fees recognized as revenue?", "policy", "revenue", None, PeriodIntent()),
    ("How does the company account for bundled packages?", "policy", None, None, PeriodIntent()),
    # Method questions from the shared 10-Ks: how a figure is arrived at, not the figure.
    ("How does Tesla value its inventory?", "policy", "inventories", None, PeriodIntent()),
    ("How does NVIDIA assign revenue to geographic regions?", "policy", "revenue", None, PeriodIntent()),
    ("Did Web Services revenue decrease in Q3?", "yesno", "revenue", "Web Services", PeriodIntent(months=3, quarter=3, fiscal=True)),
    ("Is the company involved in any off-balance sheet arrangements?", "yesno", None, None, PeriodIntent()),
    ("Who is the CFO?", "who", None, None, PeriodIntent()),
    ("Who owns the company that sold the office building?", "who", None, None, PeriodIntent()),
]


@pytest.mark.parametrize("text,intent,metric,segment,period", CASES, ids=[c[0][:50] for c in CASES])
def test_question_understanding(text, intent, metric, segment, period):
    q = parse_question(text, SEGMENTS)
    assert (q.intent, q.metric, q.segment, q.period) == (intent, metric, segment, period)


def test_at_least_forty_phrasings_and_every_period_form():
    assert len(CASES) >= 40
    texts = " ".join(c[0].lower() for c in CASES)
    for form in ["q3", "third quarter", "prior-year quarter", "nine months", "year to date", "first half",
                 "six months ended june 30, 2021", "fy2022", "as of september 30, 2020"]:
        assert form in texts, form


def test_consolidated_and_direction():
    q = parse_question("Why did consolidated general and administrative expenses rise in Q3?")
    assert q.consolidated and q.direction == "increase"
    assert parse_question("Why did Web Services revenue fall?", SEGMENTS).direction == "decrease"
