"""qa.figures.numbers: amounts as filings write them, on tokens and on the real seed filings."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from corpus.scale import detect_scale
from qa.figures.numbers import Quantity, find_quantities, parse_number
from tests.conftest import SEED_000, SEED_004  # the seeds, bundled in corpus/filings/


def read_seed(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("token", "value", "unit"),
    [
        ("$1,351,000", "1351000", "USD"),
        ("$(20,000)", "-20000", "USD"),
        ("($20,000)", "-20000", "USD"),
        ("(964 )", "-964", ""),
        ("$ 440", "440", "USD"),
        ("$ (976 )", "-976", "USD"),
        ("$ -", "0", "USD"),
        ("-", "0", ""),
        ("$1.5 million", "1500000", "USD"),
        ("2.3 billion", "2300000000", ""),
        ("14%", "14", "%"),
        ("1,167%", "1167", "%"),
        ("12.9%", "12.9", "%"),
        ("$0.05 per share", "0.05", "USD/share"),
        ("$0.05", "0.05", "USD"),
        ("1,000,000 shares", "1000000", "shares"),
    ],
)
def test_parse_number_tokens(token, value, unit):
    q = parse_number(token)
    assert q.value == Decimal(value)
    assert q.unit == unit
    assert q.text == token


def test_table_scale_applies_to_money_but_not_to_percents_or_per_share_amounts():
    assert parse_number("3,654", scale=1_000).value == Decimal("3654000")
    assert parse_number("$ 440", scale=1_000).value == Decimal("440000")
    assert parse_number("(964 )", scale=1_000).value == Decimal("-964000")
    assert parse_number("14%", scale=1_000).value == Decimal("14")
    assert parse_number("$0.05 per share", scale=1_000).value == Decimal("0.05")
    # a scale word in the token replaces the caption's scale
    q = parse_number("$1.5 million", scale=1_000)
    assert (q.value, q.scale) == (Decimal("1500000"), 1_000_000)


@pytest.mark.parametrize("token", ["", "abc", "$", "Revenue", "14 apples 3"])
def test_parse_number_rejects_non_numbers(token):
    with pytest.raises(ValueError):
        parse_number(token)


@pytest.mark.parametrize(
    ("caption", "scale"),
    [
        ("Results of Consolidated Operations (in thousands):", 1_000),
        ("(In thousands)", 1_000),
        ("(in thousands, except for per share amounts)", 1_000),
        ("(Dollars in millions, except per share amounts)", 1_000_000),
        ("Amounts in billions", 1_000_000_000),
        ("in millions", 1_000_000),
        ("($000)", 1_000),
        ("We added customers in thousands of locations across the country", 1),
        ("Service revenue increased 14%", 1),
    ],
)
def test_detect_scale(caption, scale):
    assert detect_scale(caption) == scale


def test_offsets_index_the_given_text_and_dates_are_not_amounts():
    text = (
        "Service revenue increased 14% or $425,000, to $3,525,000 for the three months ended September\n"
        "30, 2020 as compared to $3,100,000 for the three months ended September 30, 2019."
    )
    found = find_quantities(text)
    assert [q.text for q in found] == ["14%", "$425,000", "$3,525,000", "$3,100,000"]
    assert [q.value for q in found] == [Decimal(14), Decimal(425000), Decimal(3525000), Decimal(3100000)]
    assert all(text[q.start : q.end] == q.text for q in found)
    assert all(isinstance(q, Quantity) for q in found)


def test_word_separating_dashes_and_references_are_not_quantities():
    text = "Cloud Telecommunications - Our services, see Note 15 and Item 1A. Web Services- We host 30-60 days."
    assert find_quantities(text) == []


def test_seed_000_years_are_never_money_and_per_share_rows_are_not_scaled():
    text = read_seed(SEED_000)
    table_start = text.index("Results of Consolidated Operations (in thousands")
    table_end = text.index("Three months ended September 30, 2020 compared", table_start)
    table = text[table_start:table_end]
    scale = detect_scale(table)
    assert scale == 1_000
    found = find_quantities(table, scale)
    assert not any(q.value in (Decimal(2019), Decimal(2020), Decimal(2019_000), Decimal(2020_000)) for q in found)
    service_row = [q.value for q in found if table.rfind("\n", 0, q.start) == table.index("\nService revenue")]
    assert service_row == [Decimal("3654000"), Decimal("3259000"), Decimal("10747000"), Decimal("9414000")]
    eps = [q for q in found if q.unit == "USD/share"]
    assert [q.value for q in eps] == [Decimal(v) for v in ["0.01", "0.02", "0.05", "0.06"] * 2]
    tax_row_line = table.index("\nIncome tax provision")
    tax_row = [q.value for q in found if table.rfind("\n", 0, q.start) == tax_row_line]
    assert tax_row == [Decimal("-3000"), Decimal("0"), Decimal("-9000"), Decimal("-7000")]


def test_seed_000_prose_dates_yield_no_quantities():
    text = read_seed(SEED_000)
    for q in find_quantities(text):
        assert q.unit != "USD" or q.text.lstrip("-(").startswith("$")
        assert text[q.start : q.end] == q.text
    assert all(q.value not in (Decimal(2019), Decimal(2020)) for q in find_quantities(text))


def test_seed_004_flattened_table_rows_and_column_totals():
    text = read_seed(SEED_004)
    assert detect_scale(text) == 1_000
    start = text.index("Three Months Ended June 30, 2021")
    end = text.index("Timing of revenue recognition", start)
    cells = find_quantities(text[start:end], detect_scale(text))
    values = [q.value for q in cells]
    assert [q.text for q in cells[:3]] == ["$ 440", "$ -", "$ 440"]
    assert values[:3] == [Decimal(440_000), Decimal(0), Decimal(440_000)]
    assert len(values) % 3 == 0
    rows = [values[i : i + 3] for i in range(0, len(values), 3)]
    *lines, totals = rows
    for cloud, software, total in lines:  # each product line: segment cells add to the total cell
        assert cloud + software == total
    assert totals == [sum(r[0] for r in lines), sum(r[1] for r in lines), sum(r[2] for r in lines)]
    assert totals == [Decimal(4_767_000), Decimal(1_012_000), Decimal(5_779_000)]


def test_seed_004_negative_cells_written_with_a_space_inside_the_parentheses():
    text = read_seed(SEED_004)
    start = text.index("Revenue recognized that was included in the contract liability")
    end = text.index("Increase due to additional unamortized discounts", start)
    cells = find_quantities(text[start:end], 1_000)
    assert [q.text for q in cells[:4]] == ["$ -", "(964 )", "$ -", "$ (976 )"]
    assert [q.value for q in cells[:4]] == [Decimal(0), Decimal(-964_000), Decimal(0), Decimal(-976_000)]
    transferred = text.index("Transferred to receivables", start) - start
    row = [q.value for q in cells if q.start > transferred][:4]
    assert row == [Decimal(-33_000), Decimal(0), Decimal(-21_000), Decimal(0)]
