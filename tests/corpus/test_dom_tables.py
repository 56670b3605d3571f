"""HTML tables from their DOM grid: colspans and rowspans line each figure up with its header cells, "$" and
")" cells join their figures, the units line sets the scale, and every cell is placed in the filing text."""
from decimal import Decimal

import pytest

from corpus import load_filing
from corpus.serialize import filing_from_dict, filing_to_dict
from qa.figures.tables import parse_table, share_scale, table_facts
from tests.conftest import SHARED


# An income statement laid out the way EDGAR filers do: the units cell spans two header rows, each period
# heading spans its two year columns, "$" and ")" sit in cells of their own, a spacer row has no text.
def _row(label, cells):
    """A row with a "$" cell, the figure and a ")" cell per column, as EDGAR prints them."""
    out = f"<tr><td>{label}</td>"
    for dollar, figure in cells:
        out += f"<td>{'$' if dollar else ''}</td><td>{figure.rstrip(')')}</td><td>{')' if figure.endswith(')') else ''}</td>"
    return out + "</tr>"


STATEMENT = f"""
<html><body>
<div style="font-weight:700">CONDENSED CONSOLIDATED STATEMENT OF INCOME</div>
<table>
<tr><td></td><td></td><td></td><td></td><td></td></tr>
<tr><td rowspan="2">(millions of dollars, unless noted)</td><td colspan="6">Three Months Ended June 30,</td>
    <td colspan="6">Six Months Ended June 30,</td></tr>
<tr><td colspan="3">2025</td><td colspan="3">2024</td><td colspan="3">2025</td><td colspan="3">2024</td></tr>
<tr><td>Revenues and other income</td></tr>
{_row("Sales and other operating revenue", [(1, "79,477"), (1, "89,986"), (1, "160,535"), (1, "170,397")])}
{_row("Other income", [(0, "(567)"), (0, "1,330"), (0, "1,270"), (0, "2,160")])}
<tr><td>Earnings per common share:</td></tr>
{_row("Basic", [(1, "1.64"), (1, "2.14"), (1, "3.40"), (1, "4.20")])}
{_row("Weighted average shares outstanding (millions)", [(0, "4,318"), (0, "4,410"), (0, "4,329"), (0, "4,421")])}
</table>
<div>Revenue fell as prices declined across the segments during the quarter.</div>
</body></html>
"""


@pytest.fixture()
def statement(tmp_path):
    path = tmp_path / "statement.htm"
    path.write_text(STATEMENT)
    return load_filing(path)


def test_dom_table_keeps_its_grid_and_places_every_cell(statement):
    [table] = [t for t in statement.tables if t.rows]
    assert table.units == "(millions of dollars, unless noted)" and table.scale == 1_000_000
    grid = [[(c.column, c.text) for c in row.cells] for row in table.rows]
    # The rowspan of the units cell pushes the year row right: its first year sits over the first figure.
    assert grid[1] == [(1, "2025"), (4, "2024"), (7, "2025"), (10, "2024")]
    assert grid[3][:2] == [(0, "Sales and other operating revenue"), (2, "$79,477")]
    assert grid[4][1] == (2, "(567)")  # the ")" cell joins its figure
    for row in table.rows:
        for cell in row.cells:
            assert statement.text[cell.start:cell.end] == cell.text


def test_each_figure_takes_the_period_of_the_header_cells_above_it(statement):
    table = next(t for t in statement.tables if t.rows)
    parsed = parse_table(statement, table)
    assert [c.period.label for c in parsed.columns] == [
        "three months ended June 30, 2025", "three months ended June 30, 2024",
        "six months ended June 30, 2025", "six months ended June 30, 2024"]
    rows = {r.label: r for r in parsed.rows}
    assert [c.value for c in rows["Sales and other operating revenue"].cells] == [
        Decimal(79_477_000_000), Decimal(89_986_000_000), Decimal(160_535_000_000), Decimal(170_397_000_000)]
    assert rows["Other income"].cells[0].value == Decimal(-567_000_000)
    # "Basic" under "Earnings per common share:" is a per-share amount, never scaled to millions.
    assert [c.value for c in rows["Earnings per common share Basic"].cells] == [
        Decimal("1.64"), Decimal("2.14"), Decimal("3.40"), Decimal("4.20")]
    assert rows["Earnings per common share Basic"].cells[0].unit == "USD/share"
    shares = rows["Weighted average shares outstanding (millions)"].cells[0]
    assert (shares.value, shares.unit) == (Decimal(4_318_000_000), "shares")  # the row's own "(millions)"


def test_table_facts_cite_the_printed_cell(statement):
    facts = [f for f in table_facts(statement) if f.metric == "Sales and other operating revenue"]
    assert {(f.period, statement.text[f.start:f.end]) for f in facts} >= {("six months ended June 30, 2024", "$170,397")}


def test_dom_grid_survives_the_index_round_trip(statement):
    again = filing_from_dict(filing_to_dict(statement))
    assert again.tables == statement.tables


def test_share_counts_follow_the_units_line():
    assert share_scale("(In millions, except number of shares, which are reflected in thousands, and per-share amounts)",
                       1_000_000) == 1_000
    assert share_scale("(In millions except per share data)", 1_000_000) == 1_000_000
    assert share_scale("(in millions, except share and per share data)", 1_000_000) == 1
    assert share_scale(None, 1_000) == 1_000
    assert share_scale("(millions of dollars, unless noted)", 1_000_000) == 1  # dollars, not shares
    assert share_scale("(millions of dollars)", 1_000_000, "Common stock outstanding (millions of shares)") == 1_000_000


EDGAR = SHARED / "filings" / "edgar"
EDGAR_FILES = sorted(EDGAR.glob("*.html")) if EDGAR.is_dir() else []


@pytest.mark.shared
@pytest.mark.skipif(not EDGAR_FILES, reason="../shared/filings/edgar is not present")
@pytest.mark.parametrize("path", EDGAR_FILES, ids=lambda p: p.stem)
def test_edgar_table_cells_agree_with_their_tags(path):
    """The parser reads the printed tables on its own (units line, header cells, row labels); the filer's tags
    then check it. On every shared EDGAR filing at least 95% of the tagged cells it parsed agree (measured:
    11,562 of 11,634 over the twelve)."""
    from qa.figures.xbrl import audit_tags, xbrl_facts

    filing = load_filing(path)
    assert sum(1 for t in filing.tables if t.rows) >= 0.8 * len(filing.tables)
    audit = audit_tags(table_facts(filing), xbrl_facts(filing), [])
    if audit.checked:
        assert audit.agree >= 0.95 * audit.checked, audit.disagreements[:5]


def test_a_pdf_balance_sheet_keeps_its_header_through_its_group_lines():
    """FedEx's 10-K prints "May 31, / 2023 2022" above "ASSETS / CURRENT ASSETS"; the audit report's date above
    the statement title is no column header."""
    from corpus.context import context_filing
    from qa.figures.tables import table_facts

    text = ("Memphis, Tennessee\nJuly 17, 2023\n\nCONSOLIDATED BALANCE SHEETS\n(IN MILLIONS)\nMay 31,\n2023 2022\n"
            "ASSETS\nCURRENT ASSETS\nCash and cash equivalents $ 6,856 $ 6,897\nPrepaid expenses and other 962 968\n"
            "Total current assets 18,610 20,365\n")
    filing = context_filing([text], [])
    periods = {(f.metric, f.period) for f in table_facts(filing)}
    assert ("Total current assets", "as of May 31, 2023") in periods
    assert ("Total current assets", "as of May 31, 2022") in periods


def test_a_table_without_units_takes_its_scale_from_amounts_stated_beside_it():
    from corpus.scale import scale_from_text

    assert scale_from_text(["$24,193", "$47,625"], "and $47.6 million of non-cash charges") == 1_000
    assert scale_from_text(["$24,193", "$47,625"], "charges of $47,625 in total") == 1
    assert scale_from_text(["24,193"], "a $2 million fee") == 1  # two digits tie a table to nothing
