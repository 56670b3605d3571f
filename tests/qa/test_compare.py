"""Two companies in one index: a question naming both compares their figures; naming neither asks which; naming one
that is not indexed says so; and --explain shows how each was read and answered."""
from __future__ import annotations

import pytest

from index.retriever import Retriever
from qa.pipeline import Pipeline
from tests.conftest import pipeline_over

pytestmark = pytest.mark.slow

FILING = ("{name} CORP\nFORM 10-K\nFor the fiscal year ended December 31, 2022\n\nRESULTS OF OPERATIONS\n\n"
          "Total revenue was ${now:,} for the year ended December 31, 2022, compared to ${before:,} for the year ended "
          "December 31, 2021. The change was due primarily to higher {why}.\n\n"
          "Net income was ${income:,} for the year ended December 31, 2022.\n")


@pytest.fixture(scope="module")
def two_companies(tmp_path_factory, seed_pipeline):
    return pipeline_over(tmp_path_factory.mktemp("two"), seed_pipeline, {
        "acme-2022-10k.txt": ("Acme Corp", FILING.format(name="ACME", now=4_200_000, before=3_900_000,
                                                         why="widget prices", income=610_000)),
        "beta-2022-10k.txt": ("Beta Corp", FILING.format(name="BETA", now=2_100_000, before=2_300_000,
                                                         why="dealer volumes", income=150_000))})


def test_two_companies_named_are_compared_with_both_figures_cited(two_companies):
    higher = two_companies.ask("Which had higher total revenue in 2022, Acme or Beta?")
    assert not higher.no_answer and higher.items == ("Acme Corp",) and "$4.2 million" in higher.text
    assert {c.doc_id for c in higher.citations} == {"acme-2022-10k", "beta-2022-10k"}
    difference = two_companies.ask("How much more total revenue did Acme report than Beta in 2022?")
    assert difference.value == 2_100_000 and difference.checks[0].status == "verified"


def test_a_figure_asked_of_no_company_asks_which(two_companies):
    answer = two_companies.ask("What was total revenue in 2022?")
    assert answer.no_answer and answer.text.startswith("Which company?")
    assert "Acme Corp: $4.2 million" in answer.text and "Beta Corp: $2.1 million" in answer.text
    named = two_companies.ask("What was Beta's total revenue in 2022?")
    assert named.value == 2_100_000


def test_a_company_compared_that_is_not_indexed_is_named(two_companies):
    answer = two_companies.ask("Which had higher total revenue in 2022, Acme or Zeta?")
    assert answer.no_answer and "do not cover Zeta" in answer.text


def test_explain_shows_the_ask_the_checks_and_each_step(two_companies):
    shown = two_companies.explain("Why did Beta's total revenue decrease in 2022?").format()
    assert "read as: Ask(kind=why" in shown and "step figures:" in shown and "answer:" in shown
    compared = two_companies.explain("Which had higher total revenue in 2022, Acme or Beta?").format()
    assert "kind=compare" in compared and "check figure of Acme Corp:" in compared


def test_a_span_cut_to_one_sentence_is_checked_on_that_sentence(tmp_path, seed_pipeline):
    """The reader ran a span from the revenue sentence into the next one; cut to "Net income was $610,000", it
    must be checked against its own sentence, which does not name revenue (it answered net income before)."""
    filing = tmp_path / "gamma-2022-10k.txt"
    filing.write_text("GAMMA CORP\nFORM 10-K\nFor the fiscal year ended December 31, 2022\n\nRESULTS OF OPERATIONS\n\n"
                      "Total revenue increased to $4,200,000 in 2022 from $3,900,000 in 2021, due primarily to higher "
                      "widget prices.\n\nNet income was $610,000 for the year ended December 31, 2022.\n")
    retriever = Retriever.build([(filing, {"company": "Gamma Corp"})], out=tmp_path / "idx",
                                embedder=seed_pipeline.retriever.embedder)
    answer = Pipeline(retriever, seed_pipeline.reader).ask("What was Gamma's total revenue in 2022?")
    assert "610,000" not in answer.text


def test_a_figure_per_share_is_never_answered_with_a_total(two_companies):
    """"Revenue per share" asks for dollars per share: Acme's total revenue ($4,200,000) is turned down with its
    reason, and the comparison with a company that is not indexed names it ("compare with Zeta's")."""
    shown = two_companies.explain("What was Acme's total revenue per share in 2022?")
    assert shown.answer.no_answer and "4,200,000" not in shown.answer.text and "$4.2 million" not in shown.answer.text
    assert "unit-mismatch: USD, for a figure per share" in shown.format()
    assert two_companies.ask("What was Acme's net income per share in 2022?").no_answer  # no EPS printed
    assert two_companies.ask("What was Acme's net income in 2022?").value == 610_000
    compared = two_companies.ask("How did Acme's 2022 total revenue compare with Zeta's?")
    assert compared.no_answer and "do not cover Zeta" in compared.text
