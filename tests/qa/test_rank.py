"""The sentence ranker: its training data (questions generated from filing sentences, hard negatives from the same
filing), its calibration, and what it ranks on a real 10-Q."""
from __future__ import annotations

import random

import pytest

from corpus.sentences import split_spans
from qa.rank.candidates import ANAPHOR, candidate_text
from qa.rank.data import _questions, sealed_companies, training_filings
from qa.rank.model import Calibration, SentenceRanker, fit_platt
from tests.conftest import shared_filing

MDNA = [
    "Americas net sales increased during the third quarter of 2025 compared to the third quarter of 2024 due "
    "primarily to higher net sales of iPhone and Services.",
    "Greater China net sales decreased during the first nine months of 2025 compared to the same period in 2024 due "
    "to lower net sales of iPhone.",
    "Operating income was $1.2 billion.",
    "The increase in operating income was primarily driven by favorable pricing initiatives.",
    "Organic revenue growth is defined as net revenue growth excluding acquisitions and currency.",
    "As of December 31, 2023, we had approximately 79,100 employees.",
    "As of December 31, 2023, approximately 400 employees in North America were covered by collective bargaining "
    "agreements.",
]


def test_generated_questions_name_the_figure_the_direction_and_the_period():
    found = _questions(MDNA, "Apple Inc.", random.Random(0))
    whys = [f for f in found if f.kind == "why"]
    americas = next(f for f in whys if f.index == 0)
    assert americas.subject == "americas net sales"
    assert "increase" in americas.question.lower() or "up" in americas.question.lower()
    china = next(f for f in whys if f.index == 1)
    assert "decrease" in china.question.lower() or "down" in china.question.lower()
    # the noun form ("The increase in operating income was ... driven by") is a change and its reason in one
    assert any(f.subject == "operating income" and f.index == 3 for f in whys)
    assert any(f.kind == "define" and f.subject == "organic revenue growth" for f in found)
    counts = [f for f in found if f.kind == "count"]
    assert [f.index for f in counts] == [5]  # the headcount, not the 400 covered by bargaining agreements


def test_a_period_asked_is_in_the_question_when_the_sentence_names_one():
    rng = random.Random(3)
    periods = {f.period for f in _questions(MDNA[:1] * 20, "Apple Inc.", rng) if f.kind == "why"}
    assert "the third quarter of 2025" in periods


def test_the_reason_in_the_next_sentence_is_read_with_its_change():
    assert ANAPHOR.match("The increase was primarily due to higher volume.")
    assert not ANAPHOR.match("Revenue increased due to higher volume.")
    # Tesla's 10-K: "The overall increases were primarily driven by additional costs ... related to AI programs."
    assert ANAPHOR.match("The overall increases were primarily driven by additional costs year over year.")
    text = candidate_text("MD&A > Revenue", "Revenue increased 5%.", "The increase was primarily due to higher volume.")
    assert text == "MD&A > Revenue: Revenue increased 5%. The increase was primarily due to higher volume."
    assert candidate_text("", "Revenue increased 5%.", "Costs fell.") == "Costs fell."


def test_a_blank_line_after_a_full_stop_ends_the_sentence_even_before_a_lower_case_name():
    text = "Mac net sales increased due to laptops.\n\niPad\n\niPad net sales decreased due to iPad Air."
    sentences = [text[a:b] for a, b in split_spans(text)]
    assert sentences[0] == "Mac net sales increased due to laptops."
    assert all("Mac" not in s for s in sentences[1:])


def test_sealed_companies_are_never_trained_on():
    sealed = sealed_companies()
    assert {"jnj", "csco", "tmo"} <= sealed
    names = [p.name for p in training_filings(exclude_companies=sealed)]
    assert not any(n.split("-")[0] in sealed for n in names)


def test_platt_calibration_orders_scores_and_defaults_to_the_sigmoid(tmp_path):
    scores = [-3, -2, -1.5, -1, 0, 0.5, 1, 2, 3, 4]
    right = [False, False, False, True, False, True, True, True, True, True]
    a, b = fit_platt(scores, right)
    cal = Calibration(a, b)
    assert a > 0 and cal.probability(-3) < 0.2 < 0.8 < cal.probability(4)
    assert Calibration.read(tmp_path / "missing.json").probability(0.0) == pytest.approx(0.5)


def test_a_step_with_its_own_calibration_reads_the_same_score_as_another_chance(tmp_path):
    import json

    path = tmp_path / "calibration.json"
    path.write_text(json.dumps({"a": 1.0, "b": 0.0, "steps": {"stated_cause": {"a": 1.0, "b": 2.0, "fitted_on": "t"}}}))
    steps = Calibration.read_steps(path)
    assert set(steps) == {"stated_cause"}
    # a stated cause on a sentence the ranker scores 0 is right more often than the ranker's own answer there
    assert steps["stated_cause"].probability(0.0) > Calibration.read(path).probability(0.0) == pytest.approx(0.5)
    assert Calibration.read_steps(tmp_path / "missing.json") == {}


@pytest.fixture(scope="module")
def ranker():
    if not SentenceRanker.available():
        pytest.skip("no ranker weights in qa/models/minilm-rank")
    return SentenceRanker.load()


def test_the_ranker_prefers_the_period_asked_over_its_neighbour(ranker):
    from corpus import load_filing

    filing = load_filing(shared_filing("edgar/aapl-10-q-2025-08-01.html"))
    text = filing.text
    sentences = [" ".join(text[a:b].split()) for a, b in split_spans(text)]
    quarter = next(s for s in sentences if s.startswith("Greater China net sales increased during the third quarter"))
    months = next(s for s in sentences if s.startswith("Greater China net sales decreased during the first nine"))
    other = next(s for s in sentences if s.startswith("Japan net sales increased"))
    q = "Why did Greater China net sales increase in the third quarter of 2025?"
    s_quarter, s_months, s_other = ranker.scores(q, [quarter, months, other])
    assert s_quarter > s_months and s_quarter > s_other


def test_a_figure_asked_is_the_one_written_before_the_things_counted():
    from qa.answer.from_ranker import stated_figure

    found = stated_figure("Approximately how many full-time employees did Oracle have as of May 31, 2022?",
                          "As of May 31, 2022, we employed approximately 143,000 full-time employees, of which "
                          "approximately 48,000 were employed in the United States.")
    assert found is not None and int(found.value) == 143000
    # two amounts and no count asked: the sentence does not single one out
    assert stated_figure("How much does McDonald's expect to incur in 2023?",
                         "The Company expects to incur up to $250 million of expenses in 2023, of which $199 million "
                         "was incurred in the first half.") is None
    assert stated_figure("How many restaurants did it close?", "Revenue grew 4% to $1.2 billion.") is None
    # A part of the workforce is no headcount (Tesla's 10-K states its headcount elsewhere).
    assert stated_figure("How many employees did Tesla have at the end of 2024?",
                         "In 2024, over 13,000 of our employees worldwide, 80% of whom represent Tesla's frontline "
                         "workforce, took advantage of opportunities to advance their career within the Company.") is None
    meta = stated_figure("How many employees did Meta have at the end of 2024?",
                         "We had a global workforce of 74,067 employees as of December 31, 2024.")
    assert meta is not None and int(meta.value) == 74067
    # the number after the things it totals, in a sentence that opens with a date (no row of figures)
    from qa.answer.guards import looks_tabular

    tesla = "As of December 31, 2024, our employee headcount worldwide was 125,665."
    assert not looks_tabular(tesla) and looks_tabular("Net revenues $ 2,540 $ 2,422 $ 118 5 %")
    found = stated_figure("How many employees did Tesla have at the end of 2024?", tesla)
    assert found is not None and int(found.value) == 125665
    assert stated_figure("How many employees did Tesla have?", "Beginning in January 2022, we began to match 50% of "
                         "each employee's contributions up to a maximum of 6% of eligible compensation.") is None
    assert stated_figure("How many consumer vehicles did Tesla deliver in 2023?", "Automotive sales revenue includes "
                         "deliveries of new Model S, Model X, Semi, Model 3, Model Y, and Cybertruck vehicles.") is None


@pytest.fixture(scope="module")
def apple_10q_pipeline(tmp_path_factory, ranker):
    from index.retriever import Retriever
    from qa.pipeline import Pipeline
    from qa.reader import Reader

    path = shared_filing("edgar/aapl-10-q-2025-08-01.html")
    out = tmp_path_factory.mktemp("rank_index")
    retriever = Retriever.build([path], out)
    pipeline = Pipeline(retriever, Reader(), ranker=ranker)
    pipeline.warm_up()
    return pipeline


def test_the_ranker_answers_with_the_reason_sentence_and_a_calibrated_confidence(apple_10q_pipeline):
    answer = apple_10q_pipeline.ask("What caused the decline in Greater China net sales over the first nine months "
                                    "of 2025?")
    assert not answer.no_answer
    assert "lower net sales of iPhone" in answer.text
    assert 0.0 < answer.confidence <= 1.0
    assert any("first nine months" in c.text for c in answer.citations)


def test_a_reason_the_filing_does_not_give_is_declined_with_what_came_closest(apple_10q_pipeline):
    explanation = apple_10q_pipeline.explain("Why did Apple's net sales in India decline in the third quarter of 2025?")
    assert explanation.answer.no_answer
    assert explanation.answer.text.strip()


def test_the_shared_optimiser_spares_biases_and_layer_norms_and_warms_up():
    import torch

    from qa.training import adamw_with_warmup

    class Block(torch.nn.Module):  # named as transformers names them
        def __init__(self):
            super().__init__()
            self.dense, self.LayerNorm, self.frozen = torch.nn.Linear(4, 4), torch.nn.LayerNorm(4), torch.nn.Linear(4, 4)

    model = Block()
    model.frozen.weight.requires_grad_(False)  # a frozen matrix is not trained
    params, opt, sched = adamw_with_warmup(model, 1e-3, total_steps=10, warmup=0.5)
    assert len(params) == 5  # dense weight and bias, layer-norm weight and bias, the frozen layer's bias
    decays = sorted(g["weight_decay"] for g in opt.param_groups for _ in g["params"])
    assert decays == [0.0, 0.0, 0.0, 0.0, 0.01]  # only the dense weight decays
    assert sched.get_last_lr()[0] == 0.0
    opt.step()
    sched.step()
    assert 0.0 < sched.get_last_lr()[0] < 1e-3


def test_a_definition_asked_is_the_whole_defining_sentence_never_a_span_cut_from_a_parenthesis(ranker, tmp_path_factory):
    from index.retriever import Retriever
    from qa.pipeline import Pipeline
    from qa.reader import Reader

    path = shared_filing("edgar/meta-10-k-2025-01-30.html")
    pipeline = Pipeline(Retriever.build([path], tmp_path_factory.mktemp("meta_index")), Reader(), ranker=ranker)
    answer = pipeline.ask("How does Meta define Family daily active people (DAP)?")
    assert not answer.no_answer
    assert answer.text.startswith("We define a daily active person as a registered and logged-in user")
    assert not answer.text.startswith("Below)")


def test_a_definition_asked_is_never_answered_with_the_terms_figure(ranker, tmp_path_factory):
    from index.retriever import Retriever
    from qa.pipeline import Pipeline
    from qa.reader import Reader

    # Ford's 10-Q states "Company adjusted free cash flow was $2.9 billion, ... excluding Ford Credit ..." and, in
    # its non-GAAP list, what the measure is.
    path = shared_filing("edgar/f-10-q-2023-06-30.html")
    pipeline = Pipeline(Retriever.build([path], tmp_path_factory.mktemp("ford_index")), Reader(), ranker=ranker)
    answer = pipeline.ask("How does Ford define Company adjusted free cash flow?")
    assert not answer.no_answer and "was $2.9 billion" not in answer.text
    assert "operating cash flow excluding Ford Credit" in answer.text


def test_a_date_cut_by_the_reader_is_read_whole_and_figures_however_joined_are_no_words():
    from qa.answer.extract import fits_type, typed_expression_at

    text = "On November 12, 2019, the Ninth Circuit Court of Appeals denied the request."
    cut = text.index("2019")  # the reader's span began inside the date: "2019, the Ninth Circuit ..."
    a, b = typed_expression_at(text, cut, cut + 30, 0, len(text), "date")
    assert text[a:b] == "November 12, 2019"
    assert typed_expression_at(text, 0, 5, 0, len(text), "place") is None
    assert not fits_type("$220.8, or 16 percent", "clause") and fits_type("operating income excluding charges", "clause")
