"""Guards on why and count answers, on sentences from the shared EDGAR filings' MD&A and notes."""
import pytest

from qa.answer.guards import covers_the_subject, does_the_asked_action, names_another_subject, states_a_reason


@pytest.mark.parametrize("question, sentence, company, other", [
    ("Why did cash used in financing activities increase in the first half of fiscal year 2026?",
     "Cash used in investing activities increased in the first half of fiscal year 2026 compared to the first half",
     "NVIDIA CORP", True),
    ("Why did Union Pacific's other expenses decrease in 2024?",
     "Interest Expense – Interest expense decreased in 2024 compared to 2023 due to a decreased weighted-average debt",
     "UNION PACIFIC CORP", True),
    ("Why did Union Pacific's operating expenses decrease in 2024?",
     "Purchased services and materials decreased 4% in 2024 compared to 2023", "UNION PACIFIC CORP", True),
    # Adding words or abbreviating them is the same figure.
    ("Why did Union Pacific's bulk freight revenues decrease in 2024?",
     "Bulk – Freight revenues from bulk shipments decreased 3% in 2024 compared to 2023", "UNION PACIFIC CORP", False),
    ("Why did Reality Labs' loss from operations increase in 2024?",
     "RL loss from operations increased in 2024 due to higher costs", "Meta Platforms, Inc.", False),
    ("Why did G&A rise in Q3?", "General and administrative expenses increased 30% or $311,000 to $1,351,000",
     "Crexendo, Inc.", False),
])
def test_a_sentence_about_another_figure_is_told_apart(question, sentence, company, other):
    assert names_another_subject(question, sentence, company) is other


def test_what_drove_questions_have_a_subject_too():
    question = "What drove the growth in Data Center networking revenue?"
    assert not covers_the_subject(question, "Cost of revenue in 2024 increased $4.20 billion ... related to our data "
                                            "centers and technical infrastructure", "Meta Platforms, Inc.")
    assert covers_the_subject(question, "Networking revenue was up due to the growth of NVLink compute fabric for "
                                        "GB200 and GB300 systems (Data Center)", "NVIDIA CORP")


def test_a_definition_states_no_reason():
    assert not states_a_reason("FoA other revenue consists of revenue from WhatsApp Business Platform, Meta Verified "
                               "subscriptions, net fees we receive from developers")
    assert states_a_reason("iPad net sales increased during the first nine months of 2025 due to higher net sales of iPad Air")


def test_a_count_comes_from_a_sentence_that_says_the_action():
    question = "How many shares of Class A stock did Meta repurchase in 2024?"
    assert not does_the_asked_action(question, "As of December 31, 2024, there were 2,190 million shares of Class A "
                                               "common stock and 344 million shares of Class B common stock outstanding.")
    assert does_the_asked_action(question, "During 2024, we repurchased and subsequently retired 65 million shares of "
                                           "our Class A common stock for an aggregate amount of $29.75 billion.")
    assert does_the_asked_action("How many shares did Apple buy back?", "The Company repurchased 312 million shares")
    assert does_the_asked_action("How many employees did Meta have at the end of 2024?", "We had 74,067 employees")


IPAD = ("iPad net sales decreased during the third quarter of 2025 compared to the third quarter of 2024 due to lower net "
        "sales of iPad Pro®, partially offset by higher net sales of all other iPad models. iPad net sales increased "
        "during the first nine months of 2025 compared to the same period in 2024 due primarily to higher net sales of "
        "iPad Air®.")


def test_a_span_across_two_sentences_is_read_piece_by_piece():
    from qa.answer.from_reader import _own_sentence, _pieces

    start = IPAD.index("Lower".lower())
    pieces = _pieces(IPAD, start, len(IPAD))
    assert [IPAD[a:b] for a, b in pieces][-1].startswith("iPad net sales increased during the first nine months")
    first = _own_sentence(IPAD, *pieces[0])
    assert "third quarter" in first and "nine months" not in first
