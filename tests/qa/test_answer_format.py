"""Answers as an analyst reads them (issue 24): readable money, rounded formulas, confidence a probability, no list
glyphs, the cited table cell with its row, column, table and units, and an empty question's message alone."""
from decimal import Decimal

import pytest

from qa.answer.citations import cite_fact
from qa.model import Answer, Citation, format_exact, format_money, invalid_question


@pytest.mark.parametrize("value,unit,shown", [
    ("164501000000", "USD", "$164.5 billion"),
    ("37895000000", "USD", "$37.9 billion"),
    ("5424200000", "USD", "$5.42 billion"),
    ("5000000000", "USD", "$5.0 billion"),
    ("23646000", "USD", "$23.6 million"),
    ("-40300000", "USD", "-$40.3 million"),
    ("311000", "USD", "$311,000"),  # under a million: every digit, as filings print it
    ("1.05", "USD/share", "$1.05 per share"),
    ("14.25", "%", "14.25%"),
    ("19.01306240928882438316400581", "%", "19.01%"),
    ("2300000", "shares", "2.3 million shares"),
])
def test_money_reads_as_an_analyst_writes_it(value, unit, shown):
    assert format_money(Decimal(value), unit) == shown


def test_exact_keeps_every_digit():
    assert format_exact(Decimal("164501000000")) == "$164,501,000,000"
    assert format_exact(Decimal("12"), "%") == "12%"


@pytest.mark.parametrize("given,kept", [(1.05, 1.0), (-0.2, 0.0), (float("nan"), 0.0), (0.42, 0.42)])
def test_confidence_is_always_a_probability(given, kept):
    assert Answer(question="q", text="t", confidence=given).confidence == kept


def test_list_glyphs_never_reach_answer_text():
    answer = Answer(question="q", text="• Gross margin decreased 190 basis points. ● Sales rose 3%.")
    assert answer.text == "Gross margin decreased 190 basis points. Sales rose 3%."
    assert Answer(question="q", text="Cash · Equivalents").text == "Cash Equivalents"


def test_an_unaskable_question_is_its_message_alone():
    from app.render import answer_card

    card = answer_card(invalid_question("", "Please ask a question."))
    assert "Please ask a question." in card and "do not support one" not in card
    assert "do not support one" in answer_card(Answer(question="q", text="The filings do not say.", no_answer=True))


def _table_fact(filing):
    from qa.figures.facts import FilingFacts

    return next(f for f in FilingFacts.of(filing).facts if f.source == "table" and f.metric == "Service revenue"
                and f.period == "three months ended September 30, 2020")


def test_a_table_figure_cites_its_cell_row_column_table_and_units(seed_000):
    fact = _table_fact(seed_000)
    citation = cite_fact(seed_000, fact)
    cell = citation.cell
    assert cell is not None and seed_000.text[cell.start:cell.end] == cell.text == "$3,654"
    assert cell.row == "Service revenue" and cell.column == "three months ended September 30, 2020"
    assert cell.units == "(in thousands, except for per share amounts)"
    assert cell.table  # the untitled table goes by its heading
    assert citation.start <= cell.start < cell.end <= citation.end  # the row stays, second
    # JSON and back, as the CLI and the page's API carry it
    assert Citation.from_dict(Answer(question="q", text="t", citations=(citation,)).to_dict()["citations"][0]) == citation


def test_the_evidence_card_shows_the_cell_first_and_marks_it_in_the_row(seed_000):
    from app.render import evidence_html

    citation = cite_fact(seed_000, _table_fact(seed_000))
    html = evidence_html(Answer(question="q", text="t", citations=(citation,)), lambda doc_id: seed_000)
    assert html.index('class="fq-cell"') < html.index('class="fq-passage"')
    assert "<th>row</th><td>Service revenue</td>" in html
    assert html.count("<mark>$3,654</mark>") == 2  # in the cell table and in the row below it
    assert "(in thousands, except for per share amounts)" in html and "((" not in html  # the units once, bracketed once


@pytest.mark.parametrize("sentence,span,whole", [
    ("We expect capital expenditures of $2.2 and $2.4 billion in 2023.", "$2.2", "$2.2 and $2.4 billion"),
    ("We employ between 13,000 and 18,000 part-time associates.", "13,000", "13,000 and 18,000"),
    ("Capital expenditures between $2.2 and $2.4 billion.", "between $2.2", "between $2.2 and $2.4 billion"),
    ("Capital expenditures were $2.2 billion and rose.", "$2.2", "$2.2 billion"),
    ("Revenue rose 5% to 7% in the year.", "5%", "5%"),  # a percentage carries its unit: left as read
    ("Sales in 2023 and 2024 rose.", "2023", "2023"),  # a year is no amount
])
def test_a_figure_span_takes_its_range_and_scale(sentence, span, whole):
    from qa.answer.extract import range_end

    start = sentence.index(span)
    assert sentence[start:range_end(sentence, start, start + len(span), len(sentence))] == whole


def test_a_cross_reference_is_no_definition():
    from qa.answer.extract import extract

    passages = ["Refer to “Non-GAAP Financial Measures” in this discussion and analysis for additional information.",
                "Adjusted operating income excludes amortization expense and special project costs."]
    found = extract("What does the company mean by adjusted operating income?", passages, ["Operating Income", ""],
                    intent="definition", metric="operating income")
    assert found is None or found.passage_index == 1


def test_an_answer_names_a_member_as_printed_and_no_xbrl_tag():
    from qa.answer.from_facts import _for_period, _label
    from qa.figures.tables import Fact
    from qa.question import parse_question

    def fact(dimensions):
        return Fact("revenue", "iPhone", "fiscal 2024", 12, "2024-09-28", Decimal(201183000000), "USD", 0, 7, "table",
                    concept="us-gaap:RevenueFromContractWithCustomerExcludingAssessedTax", dimensions=dimensions)

    question = parse_question("What were iPhone net sales in fiscal 2024?")
    product = _label(question, fact((("srt:ProductOrServiceAxis", "aapl:IPhoneMember"),)))
    assert product == "Revenue (iPhone)" and "us-gaap" not in product and "Member" not in product
    assert _label(question, fact((("us-gaap:StatementBusinessSegmentsAxis", "x:IPhoneMember"),))) == "Revenue (iPhone segment)"
    assert _for_period("fiscal 2022") == "for fiscal 2022"
    assert _for_period("year ended December 31, 2024") == "for the year ended December 31, 2024"
    assert _for_period("as of June 30, 2023") == "as of June 30, 2023"


def test_the_passages_table_puts_the_text_before_the_section(seed_retriever):
    from app.render import HIT_COLUMN_WIDTHS, HIT_HEADERS, SECTION_CHARS, hits_rows

    rows = hits_rows(seed_retriever.search("why did G&A rise in Q3", k=3))
    assert HIT_HEADERS.index("text") < HIT_HEADERS.index("section") and len(HIT_COLUMN_WIDTHS) == len(HIT_HEADERS)
    for row in rows:
        assert len(row) == len(HIT_HEADERS) and " > " not in row[HIT_HEADERS.index("section")]
        assert len(row[HIT_HEADERS.index("section")]) <= SECTION_CHARS
    assert [row[HIT_HEADERS.index("text")] for row in rows] == [" ".join(h.text.split()) for h in
                                                                 seed_retriever.search("why did G&A rise in Q3", k=3)]


def test_a_cold_build_shows_parsing_progress(capsys):
    from corpus import BUNDLED_DIR, read_manifest
    from index.chunker import ChunkerConfig
    from index.prepare import Source, parse_all

    parse_all([Source.of((e.path, e.meta)) for e in read_manifest(BUNDLED_DIR)], ChunkerConfig(), progress=True)
    assert "parsing filings" in capsys.readouterr().err
    parse_all([Source.of((e.path, e.meta)) for e in read_manifest(BUNDLED_DIR)], ChunkerConfig())
    assert "parsing filings" not in capsys.readouterr().err
