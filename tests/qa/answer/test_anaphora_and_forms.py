"""Reasons stated in the sentence after their change ("The increase was due to ..."), the clause a why-span
belongs to, and the statement forms real 10-K/10-Q notes use ("X means", "are stated at", "ends on"). Sentences
are from the shared EDGAR filings' MD&A and notes."""
import pytest

from corpus.model import Filing
from corpus.words import coverage
from index.model import Hit
from qa.answer.extract import cause_candidates, extract
from qa.answer.from_reader import _clause_start
from qa.answer.from_text import with_antecedent
from qa.answer.guards import (
    explains_asked_change,
    extra_subject_words,
    keyword_coverage,
    names_the_opposite,
    period_context,
)
from qa.question import parse_question

META_RL = ("RL revenue in 2024 increased $250 million, or 13%, compared to 2023. The increase was mostly due to an "
           "increase in RL consumer hardware products sold.")
KO_MARGIN = ("Our gross profit margin increased to 62.4% for the three months ended June 27, 2025, compared to 61.1% for "
             "the three months ended June 28, 2024. Our gross profit margin increased to 62.5% for the six months ended "
             "June 27, 2025, compared to 61.8% for the six months ended June 28, 2024. The increases were primarily due to "
             "the impact of favorable pricing initiatives and the refranchising of certain of our bottling operations.")
KO_SEGMENTS = ("Operating income for North America for the three months ended June 27, 2025 and June 28, 2024 was $1,621 "
               "million and $1,376 million, respectively. The increase in operating income was primarily driven by "
               "favorable pricing initiatives and lower operating expenses. Operating income for North America for the six "
               "months ended June 27, 2025 and June 28, 2024 was $2,962 million and $1,873 million, respectively. The "
               "increase in operating income was primarily driven by favorable pricing initiatives and lower other "
               "operating charges due to the impairment of our BodyArmor trademark in the prior year.")


def _filing(text: str, form: str = "10-Q", period_end: str = "2025-06-27", company: str = "COCA COLA CO") -> Filing:
    return Filing(doc_id="t", company=company, form=form, period_end=period_end, fiscal_year=None, fiscal_quarter=None,
                  source="test", content_hash="t", text=text)


def test_an_anaphoric_reason_is_judged_and_cited_with_the_change_before_it():
    found = cause_candidates("What drove the increase in Reality Labs revenue in 2024?", [META_RL], ["Reality Labs"])
    assert len(found) == 1
    assert META_RL[found[0].sentence_start:found[0].sentence_end] == META_RL  # the change and its reason, as one claim
    assert META_RL[found[0].start:found[0].end] == "an increase in RL consumer hardware products sold"


def test_a_plural_anaphor_reaches_both_periods_it_explains():
    claims = []
    cause_candidates("Why did gross profit margin improve in the second quarter of 2025?", [KO_MARGIN],
                     accept=lambda p, claim: claims.append(claim) or True)
    assert claims and "three months" in claims[0] and "six months" in claims[0]


def test_the_neighbouring_periods_reason_is_not_the_asked_periods():
    q = parse_question("What drove North America operating income increase in the six months ended June 2025?")
    filing = _filing(KO_SEGMENTS)
    found = cause_candidates(q.text, [KO_SEGMENTS], accept=lambda p, claim: explains_asked_change(q, claim, filing))
    assert found and all("BodyArmor" in KO_SEGMENTS[x.start:x.end] for x in found)


def test_a_passage_opening_with_an_anaphor_is_widened_to_its_change():
    text = "Gross Profit Margin\n\n" + KO_MARGIN
    at = text.index("The increases")
    filing = _filing(text)
    hit = Hit(text=text[at:], score=1.0, doc_id="t", section="", segment=None, period=None, page=None, start=at,
              end=len(text))
    widened = with_antecedent(hit, filing)
    assert widened.text.startswith("Our gross profit margin increased to 62.4%") and widened.end == hit.end


def test_the_closest_named_figure_wins_a_tie():
    q = "Why did Union Pacific's other expenses decrease in 2024?"
    assert extra_subject_words(q, "Other expenses decreased 8% in 2024 compared to 2023 driven by", "UNION PACIFIC CORP") \
        < extra_subject_words(q, "Equipment and other rents expense decreased 3% compared to 2023 due to",
                              "UNION PACIFIC CORP")


def test_a_why_span_is_read_from_its_causal_word():
    text = ("Gross margins decreased to 72.4% for the second quarter of fiscal year 2026 compared to 75.1%, as our "
            "Blackwell revenue consists primarily of full-scale datacenter systems compared to Hopper HGX systems.")
    span = text.index("full-scale")
    assert text[_clause_start(text, 0, span, len(text) - 1):].startswith("our Blackwell revenue consists")
    restated = ("During the three months ended June 27, 2025, equity income was $561 million, compared to equity income "
                "of $537 million during the three months ended June 28, 2024, an increase of $24 million, or 4%.")
    assert _clause_start(restated, 0, restated.index("$561"), len(restated)) is None  # the change, not a reason


def test_the_negated_word_is_another_thing():
    q = "When does Coca-Cola recognize concentrate revenue on sales to consolidated bottling partners?"
    assert names_the_opposite(q, "When we sell concentrates or syrups to our unconsolidated bottling partners, we "
                                 "recognize the concentrate revenue when the concentrates or syrups are sold")
    assert not names_the_opposite(q, "When we sell concentrates or syrups to our consolidated bottling partners, we do "
                                     "not recognize the concentrate revenue until the bottling partner has sold")


@pytest.mark.parametrize("question, sentence, answer", [
    ("What is a unit case in Coca-Cola's volume reporting?",
     "As used in this report, “unit case” means a unit of measurement equal to 192 U.S. fluid ounces of finished "
     "beverage (24 eight-ounce servings); and “unit case volume” means the number of unit cases sold.",
     "a unit of measurement equal to 192 U.S. fluid ounces of finished beverage (24 eight-ounce servings)"),
    ("How does Tesla value its inventory?",
     "We write-down inventory when we believe that the net realizable value of inventory is less than the carrying "
     "value. Inventories are stated at the lower of cost or net realizable value.",
     "the lower of cost or net realizable value"),
    ("When does Apple's fiscal year end?",
     "The Company’s fiscal year is the 52- or 53-week period that ends on the last Saturday of September.",
     "on the last Saturday of September"),
])
def test_statement_forms_of_real_notes(question, sentence, answer):
    found = extract(question, [sentence], company_names=["COCA COLA CO", "Tesla, Inc.", "Apple Inc."])
    assert found is not None and sentence[found.start:found.end] == answer


def test_keyword_coverage_reads_the_filer_and_a_buyback_as_the_filing_says_them():
    sentence = "During the nine months ended June 28, 2025, the Company repurchased 312 million shares of its common stock."
    q = "How many shares did Apple buy back in the first nine months of fiscal 2025?"
    assert keyword_coverage(q, sentence, "Apple Inc.") > keyword_coverage(q, sentence)
    # A sentence that does not speak of the filer does not say its name.
    assert keyword_coverage("What was Crexendo's market capitalization?", "Selling and marketing expenses consist "
                            "primarily of salaries", "Crexendo, Inc.") < 0.5


def test_spending_is_an_expense():
    assert coverage(["spending"], "R&D expenses increased $571 million", abbreviations=True) == 1.0
    assert coverage(["sales"], "Automotive leasing revenue decreased", abbreviations=True) == 0.0


def test_a_year_ago_is_a_comparison_not_a_period():
    q = parse_question("What drove the growth in Data Center networking revenue?")
    filing = _filing("", company="NVIDIA CORP", period_end="2025-07-27")
    assert explains_asked_change(q, "Networking revenue was $7.3 billion, up 98% from a year ago and up 46% "
                                    "sequentially, driven by the growth of NVLink compute fabric", filing)


def test_a_sentence_takes_its_period_from_its_paragraph():
    text = ("During the six months ended June 28, 2024, the total cash outflow for treasury stock purchases was $874 "
            "million. The Company repurchased 12.9 million shares of common stock under the share repurchase plan.")
    at = text.index("The Company")
    filing = _filing(text)
    assert period_context(filing, at, text[at:]).startswith("During the six months ended June 28, 2024")
    assert period_context(filing, 0, text[:at]) == text[:at]


def test_a_subsequent_event_is_not_the_reported_period():
    from qa.answer.guards import _after_the_period, period_clash

    text = "From July 28, 2025 through August 26, 2025, we repurchased 20 million shares for $3.5 billion."
    filing = _filing(text, company="NVIDIA CORP", period_end="2025-07-27")
    q = parse_question("How many shares did NVIDIA repurchase in the first half of fiscal 2026?")
    hit = Hit(text=text, score=1.0, doc_id="t", section="", segment=None, period=None, page=None, start=0, end=len(text))
    assert period_clash(q, text, hit, filing)
    assert not _after_the_period("193 million shares as of July 27, 2025 and 162 million as of July 28, 2024", filing)


def test_a_no_answer_says_what_is_missing_and_where_it_looked():
    from qa.ask import read_ask
    from qa.pipeline import why_not

    hit = Hit(text="x", score=1.0, doc_id="t", section="Item 7 > Research and Development Expense", segment=None,
              period=None, page=None, start=0, end=1)
    text = why_not(read_ask("Why did Tesla's R&D spending go up in 2024?"), [hit])
    assert text.startswith("The filings do not say.") and "Tesla's R&D spending" in text
    assert "Research and Development Expense" in text
