"""PDF table columns from the page geometry: each figure's right edge (PDFium's character boxes) says which
column it is printed in, so a row with an empty cell keeps its figures under the right years."""
from decimal import Decimal

from corpus import load_filing
from qa.figures.tables import known_segments, parse_table, table_facts
from tests.conftest import shared_filing
from tests.pdf_fixture import make_pdf

# A balance sheet whose "Goodwill" row is empty for 2023: the one figure is 2022's.
BALANCE = [
    "CONSOLIDATED BALANCE SHEETS",
    "(In millions)",
    [(-400, "2023"), (-500, "2022")],
    [(72, "Cash and cash equivalents"), (-400, "$ 1,200"), (-500, "$ 1,050")],
    [(72, "Accounts receivable, net"), (-400, "830"), (-500, "790")],
    [(72, "Goodwill"), (-500, "415")],
    [(72, "Total assets"), (-400, "$ 2,030"), (-500, "$ 2,255")],
]


def test_a_row_with_an_empty_cell_keeps_its_figure_in_its_column(tmp_path):
    path = tmp_path / "acme-10-k.pdf"
    path.write_bytes(make_pdf([BALANCE]))
    filing = load_filing(path)
    facts = [f for f in table_facts(filing) if f.metric == "Goodwill"]
    assert [(f.value, f.period) for f in facts] == [(Decimal(415_000_000), "fiscal 2022")]
    cash = {f.period: f.value for f in table_facts(filing) if f.metric == "Cash and cash equivalents"}
    assert cash == {"fiscal 2023": Decimal(1_200_000_000), "fiscal 2022": Decimal(1_050_000_000)}


def test_without_geometry_a_short_row_is_left_out(tmp_path):
    # The same table as plain text: no positions, so the lone figure cannot be placed and is not guessed.
    text = "\n".join(line if isinstance(line, str) else " ".join(t for _, t in line) for line in BALANCE)
    path = tmp_path / "acme-10-k.txt"
    path.write_text(text + "\n", encoding="utf-8")
    filing = load_filing(path)
    assert not [f for f in table_facts(filing) if f.metric == "Goodwill"]
    assert {f.metric for f in table_facts(filing)} >= {"Cash and cash equivalents", "Total assets"}


def test_apple_percentage_rows_sit_under_their_years():
    """Apple's FY2022 operating-expense table prints "% of net sales" only under the three year columns of
    five (2022, Change, 2021, Change, 2020), and its caption sentence names the years as well."""
    filing = load_filing(shared_filing("APPLE_2022_10K.pdf"))
    table = next(t for t in filing.tables if "Percentage of total net sales 7% 6% 7%" in filing.text[t.start:t.end])
    parsed = parse_table(filing, table, known_segments(filing))
    assert [c.label for c in parsed.columns] == ["2022", "% change", "2021", "% change", "2020"]
    rd = next(r for r in parsed.rows if r.label == "Research and development")
    assert rd.cells[0].value == Decimal(26_251_000_000)
    share = next(r for r in parsed.rows if r.label == "Percentage of total net sales")
    assert share.columns == (0, 2, 4)
    assert [c.value for c in share.cells] == [Decimal(7), Decimal(6), Decimal(7)]


def test_a_negative_percent_in_parentheses_is_a_cell():
    """McDonald's prints a fall as "(11 %)": read as a cell, so the row is whole, not cut at that figure."""
    filing = load_filing(shared_filing("MCDONALDS_2022_10K.pdf"))
    table = next(t for t in filing.tables if "Sales by Company-operated restaurants $ 8,748" in filing.text[t.start:t.end])
    row = next(r for r in parse_table(filing, table).rows if r.label == "Sales by Company-operated restaurants")
    assert [c.text for c in row.cells] == ["$ 8,748", "(11 %)", "$ 9,787", "20 %", "$ 8,139"]
    assert row.cells[1].value == Decimal(-11)
