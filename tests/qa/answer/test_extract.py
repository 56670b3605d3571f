"""Answer types, sentences and the statement extractor on the seeds' own text (no models)."""
import pytest

from corpus import load_filing
from corpus.sentences import split_spans
from index.model import Hit
from qa.answer.extract import answer_type, extract, fits_type, names_a_thing
from qa.answer.guards import mentions_metric, period_clash
from qa.question import parse_question
from tests.conftest import SEED_000, SEED_004


@pytest.fixture(scope="module")
def f0():
    return load_filing(SEED_000)


@pytest.fixture(scope="module")
def f4():
    return load_filing(SEED_004)


def _window(filing, needle, after=600, before=0):
    i = filing.text.index(needle)
    return filing.text[i - before:i + after]


def _answer(question, passages, **kw):
    found = extract(question, passages, **kw)
    return None if found is None else " ".join(passages[found.passage_index][found.start:found.end].split())


# ------------------------------------------------------------------------------------------------ answer types

@pytest.mark.parametrize("question,intent,metric,kind", [
    ("When did the company sign the lease?", "other", None, "date"),
    ("When is equipment revenue recognized?", "policy", None, "clause"),
    ("How long is a typical service contract?", "other", None, "duration"),
    ("What is the term of the lease?", "definition", None, "duration"),
    ("How often are fees billed?", "policy", None, "frequency"),
    ("Where is the headquarters?", "other", None, "place"),
    ("How many shares were issued?", "value", None, "count"),
    ("Who leased the building to the company?", "who", None, "entity"),
    ("What was total revenue in Q3?", "value", "total revenue", "amount"),
    ("What does backlog represent?", "definition", "backlog", "clause"),
    ("What does the segment generate revenue from?", "value", "revenue", None),
])
def test_answer_type(question, intent, metric, kind):
    assert answer_type(question, intent, metric) == kind


@pytest.mark.parametrize("text,kind,ok", [
    ("$921,000", "date", False), ("January 27, 2020", "date", True),
    ("12%", "clause", False), ("$24,000", "clause", False), ("the total contract value", "clause", True),
    ("thirty-six to sixty month", "duration", True), ("30-60 days", "duration", True), ("$25,000", "duration", False),
    ("on a monthly basis", "frequency", True), ("$11,671,000", "count", False), ("2,007,000", "count", True),
    ("1615 S 52nd St, Tempe, AZ 85281", "place", True), ("Cash received", "amount", False),
])
def test_fits_type(text, kind, ok):
    assert fits_type(text, kind) is ok


def test_names_a_thing():
    assert names_a_thing("What does the Web Services segment generate revenue from?")
    assert names_a_thing("From which marketplace did the company move?")
    assert not names_a_thing("What interest rate does the loan carry?")  # a figure
    assert not names_a_thing("What was total revenue in Q3?")


def test_sentences_keep_abbreviations_and_wrapped_lines(f0):
    text = _window(f0, "intangibles. We define EBITDA", 220)
    assert [" ".join(text[a:b].split()) for a, b in split_spans(text)][:2] == [
        "intangibles.",
        "We define EBITDA as U.S. GAAP net income before interest income, interest expense, other income and expense, "
        "provision for income taxes, and depreciation and amortization.",
    ]


# ------------------------------------------------------------------------------------------------ the extractor

def test_consists_of_picks_the_sentence_whose_subject_is_the_question_subject(f0):
    service = _window(f0, "Service revenue consists primarily", 400)
    cost = _window(f0, "Cost of service revenue consists primarily", 400)
    assert _answer("What does service revenue consist of?", [cost, service]) == (
        "fees collected for cloud telecommunications services, professional services, interest from sales-type leases, "
        "reselling broadband Internet services, administrative fees, website hosting, and web management services")
    assert _answer("What does cost of service revenue consist of?", [service, cost]).startswith(
        "fees we pay to third-party telecommunications carriers, broadband Internet providers")


def test_passive_policy_question(f4):
    passage = _window(f4, "The stand-alone selling prices are determined", 300)
    assert _answer("How are stand-alone selling prices determined?", [passage]) == (
        "based on the prices at which the Company separately sells the desktop devices and telecommunication services")


def test_this_fee_refers_to_the_text_before_the_passage(f4):
    i = f4.text.index("This fee is assessed")
    passage, lead = f4.text[i:i + 200], f4.text[i - 300:i]
    assert _answer("How is the carrier cost recovery fee recognized?", [passage], leads=[lead]) == "monthly"
    assert _answer("How is the carrier cost recovery fee recognized?", [passage]) is None  # which fee is unknown


def test_definitions(f0):
    passage = _window(f0, "We define EBITDA", 400)
    assert _answer("What is EBITDA?", [passage]) == (
        "U.S. GAAP net income before interest income, interest expense, other income and expense, provision for "
        "income taxes, and depreciation and amortization")
    assert _answer("How does Crexendo define Adjusted EBITDA?", [passage], company_names=["Crexendo, Inc."]) == (
        "as EBITDA adjusted for share-based compensation")


def test_named_thing_date_duration_and_statement(f0):
    assert _answer("What marketplace did the company uplist from?", [_window(f0, "The increase in consolidated", 500)]) == "OTCQX marketplace"
    assert _answer("When did Crexendo agree to buy its office building?", [_window(f0, "We leased our corporate office", 900)]) == "January 27, 2020"
    assert _answer("How long does installation usually take?", [_window(f0, "Contract liabilities increased 2%", 700)]) == "30-60 days"
    assert _answer("Is the company involved in off-balance sheet arrangements?", [_window(f0, "As of, September 30, 2020, we are not", 300)]) == (
        "As of, September 30, 2020, we are not involved in any off-balance sheet arrangements, as defined in Item "
        "303(a)(4)(ii) of SEC Regulation S-K.")


def test_figure_questions_are_left_to_the_numeric_path(f0):
    assert extract("How many shares were sold in the offering?", [_window(f0, "Cash\nprovided by financing", 500)]) is None
    assert extract("What was total revenue in Q3?", [_window(f0, "Service revenue consists primarily", 400)],
                   intent="value", metric="total revenue") is None


# ------------------------------------------------------------------------------------------------ value guard

def _hit(filing, needle, period=None):
    i = filing.text.index(needle)
    return Hit(text=filing.text[i:i + 300], score=1.0, doc_id=filing.doc_id, section="", segment=None, period=period,
               page=None, start=i, end=i + 300)


def test_a_figure_of_another_period_does_not_answer(f0):
    hit = _hit(f0, "Our Web Services revenue decreased 19%")
    sentence = " ".join(hit.text.split(". ")[0].split())
    asked_2021 = parse_question("What was Web Services revenue for the three months ended June 30, 2021?")
    asked_2020 = parse_question("What was Web Services revenue for the three months ended September 30, 2020?")
    asked_nine = parse_question("What was Web Services revenue for the nine months ended September 30, 2020?")
    asked_q4 = parse_question("What was Web Services revenue in the fourth quarter of 2020?")
    assert period_clash(asked_2021, sentence, hit, f0)
    assert not period_clash(asked_2020, sentence, hit, f0)
    assert period_clash(asked_nine, sentence, hit, f0)
    assert period_clash(asked_q4, sentence, hit, f0)


def test_a_figure_of_another_metric_does_not_answer(f0):
    q = parse_question("What was net income for the three months ended September 30, 2020?")
    assert not mentions_metric(q, "Income tax provision was $9,000 for the nine months")
    assert mentions_metric(q, "Net income was $779,000 for the nine months")


def _cause(question, filing):
    from qa.answer.extract import extract_cause

    found = extract_cause(question, [filing.text])
    return None if found is None else " ".join(filing.text[found.start:found.end].split())


def test_cause_after_attributed_to(seed_000):
    answer = _cause("Why were current trade receivables higher?", seed_000)
    assert answer.startswith("a number of customers carrying a balance") and "slowdown in collections" in answer


def test_cause_of_an_anaphoric_subject_comes_from_the_sentence_before(seed_000):
    # "Operating lease liabilities decreased 98% ... The decrease is related to the expiration of ..."
    answer = _cause("Why did operating lease liabilities decrease?", seed_000)
    assert answer.startswith("the expiration of the corporate office lease")


def test_no_cause_for_a_subject_the_filing_never_explains(seed_000):
    assert _cause("Why did the number of employees grow?", seed_000) is None


def test_rows_of_figures_are_told_from_sentences():
    from qa.answer.guards import looks_tabular

    assert looks_tabular("Net revenues $     2,540 $     2,422 $        118 5 %")
    assert not looks_tabular("During the nine months ended September 30, 2020, cash provided by operating activities was $423,000.")


def test_an_amount_stated_next_to_the_question_words(seed_000):
    from qa.answer.extract import extract_amount

    found = extract_amount("How much was the Paycheck Protection Program loan?", [seed_000.text])
    assert seed_000.text[found.start:found.end] == "$1,001,000"
    # Period words do not count as cover: "net income ... three months ended" must not find "$2,000 of net other income".
    assert extract_amount("What was net income for the three months ended June 30, 2021?", [seed_000.text]) is None
    assert extract_amount("What was the market capitalization at September 30, 2020?", [seed_000.text]) is None


def test_how_large_asks_for_an_amount():
    assert answer_type("How large is the note payable for the building?") == "amount"
    assert answer_type("How big was the loan?") == "amount"
