"""Structure rules learned from the real PDFs in ../shared/filings: unit cases on hand-made text,
plus checks on the PDFs themselves (marked `shared`, skipped when ../shared is absent)."""
import pytest

from corpus import load_filing
from corpus.clean import drop_running_heads, join_broken_rows
from corpus.metadata import check_fiscal_year, meta_from_text, normalize_company
from corpus.structure import build_structure, column_header_runs, heading_level, is_toc_entry, split_lines
from tests.conftest import shared_filing

REPURCHASES = """Purchases of Equity Securities by the Issuer and Affiliated Purchasers
Share repurchase activity during the three months ended September 24, 2022 was as follows (in millions, except number of
shares, which are reflected in thousands, and per share amounts):
Periods
Total Number
of Shares
Purchased
Average
Price
Paid Per
Share
June 26, 2022 to July 30, 2022:
Open market and privately negotiated purchases 41,690 $ 145.91 41,690
July 31, 2022 to August 27, 2022:
Open market and privately negotiated purchases 54,669 $ 168.29 54,669
Total 160,172 $ 60,665
Company Stock Performance
The following graph shows a comparison of five-year cumulative total shareholder return."""


@pytest.mark.parametrize("line", [
    "Yes  ☒     No  ☐", "2022 Change 2021 Change 2020", "Page", "Table of Contents", "Cupertino, California 95014",
    "By: /s/ Timothy D. Cook", "Timothy D. Cook", "Chief Executive Officer", "Director Director", "C",
    "NOTES TO CONSOLIDATED FINANCIAL STATEMENTS—(Continued)", "Letter from Adviser.............. 11", "Data.”",
])
def test_false_headings_are_rejected(line):
    assert heading_level(line) is None


@pytest.mark.parametrize("line, level", [
    ("Note 3 – Financial Instruments", 1), ("Item 1A. Risk Factors", 1), ("Segment Operating Performance", 4),
    ("2022 Employee Stock Plan", 4), ("Fiscal 2022 compared to Fiscal 2021", 3),
])
def test_real_headings_are_kept(line, level):
    assert heading_level(line) == level


def test_stacked_column_headers_are_one_table_not_headings():
    sections, tables, _ = build_structure(REPURCHASES)
    titles = [s.title for s in sections]
    assert not {"Average", "Price", "Paid Per", "Share", "Periods"} & set(titles)
    assert "Company Stock Performance" in titles
    (table,) = tables
    assert "Average" in table.header and "Paid Per" in table.header
    assert table.scale == 1_000_000 and "except number of\nshares" in table.units
    assert REPURCHASES[table.start:table.end].endswith("Total 160,172 $ 60,665")


def test_column_header_runs_need_three_short_lines():
    lines = split_lines("Average\nPrice\nPaid Per\nRevenue grew 5% in the quarter.\nOverview\nOur business sells things.")
    assert column_header_runs(lines) == {0, 1, 2}


def test_wrapped_title_is_joined():
    text = "Critical Audit Matter.\nHow We Addressed the\nMatter in Our Audit\nWe tested the controls over the estimate in detail."
    sections, _, _ = build_structure(text)
    assert "How We Addressed the Matter in Our Audit" in [s.title for s in sections]


def test_toc_entries():
    assert is_toc_entry("Item 1A. Risk Factors 5") and is_toc_entry("RISK FACTORS Part II, Item 1A")
    assert not is_toc_entry("Revenue increased 5% to $1,000 in 2022")


def test_year_header_is_not_glued_to_the_row_above():
    rows = ["Total (3) $ 183,061 $ 11 $ (13,963) ", "2021", "Adjusted"]
    assert join_broken_rows(rows) == rows


def test_navigation_links_and_company_headers_are_running_heads():
    pages = [f"Table of Contents\nACME CORPORATION\nBody text of page {i} with detail.\n{i}" for i in range(10)]
    pages += [f"Exhibit text {i} without the header.\nMore." for i in range(30)]
    cleaned = drop_running_heads(pages)
    assert not any("Table of Contents" in p or "ACME CORPORATION" in p for p in cleaned)
    units = [f"Statement {i}\n(In millions)\nRevenue 1 2" for i in range(8)]
    assert all("(In millions)" in p for p in drop_running_heads(units))


def test_company_names_on_the_cover():
    assert normalize_company("ADOBE INC.") == "Adobe Inc."
    assert normalize_company("McDONALD’S CORPORATION") == "McDonald’s Corporation"
    assert normalize_company("PG&E CORPORATION") == "PG&E Corporation" and normalize_company("eBay Inc.") == "eBay Inc."
    cover = ("FORM 10-Q\nFor the quarterly period ended: October 29, 2022\nCommission File Number: 1-10299\n"
             "(Exact name of registrant as specified in its charter)\n")
    meta = meta_from_text(cover)
    assert meta.company is None and meta.period_end == "2022-10-29"


def test_fiscal_year_that_cannot_hold_the_period_end_is_corrected():
    assert check_fiscal_year(2022, "2023-06-02")[0] == 2023 and check_fiscal_year(2022, "2023-06-02")[1]
    assert check_fiscal_year(2024, "2023-07-31") == (2024, None)  # Salesforce: fiscal 2024 ends January 2024
    assert check_fiscal_year(2022, "2023-01-28") == (2022, None)  # retailers name the year it starts in


@pytest.mark.shared
def test_apple_10k_repurchase_headers_and_statements():
    filing = load_filing(shared_filing("APPLE_2022_10K.pdf"))
    titles = [s.title for s in filing.sections]
    for bad in ("Average", "Paid Per", "2022 Change 2021 Change 2020", "Page", "Yes  ☒     No  ☐", "Unrealized"):
        assert bad not in titles
    for good in ("Segment Operating Performance", "Note 3 – Financial Instruments", "CONSOLIDATED BALANCE SHEETS"):
        assert good in titles
    balance = [t for t in filing.tables if t.caption == "CONSOLIDATED BALANCE SHEETS"]
    assert len(balance) == 1 and balance[0].scale == 1_000_000
    body = filing.text[balance[0].start:balance[0].end]
    assert "Total assets $ 352,755" in body and "Total liabilities and shareholders’ equity $ 352,755" in body
    income = next(t for t in filing.tables if t.caption == "CONSOLIDATED STATEMENTS OF OPERATIONS")
    assert income.scale == 1_000_000 and "Years ended" in income.header


@pytest.mark.shared
@pytest.mark.parametrize("name", ["APPLE_2022_10K.pdf", "EBAY_2022_10K.pdf", "FEDEX_2023_10K.pdf", "INTEL_2020_10K.pdf",
                                  "MCDONALDS_2022_10K.pdf", "ORACLE_2023_10K.pdf", "SALESFORCE_2023_10K.pdf",
                                  "BOSTONPROPERTIES_2015_10K.pdf", "APPLE_2023Q3_10Q.pdf", "EBAY_2023Q2_10Q.pdf",
                                  "ADOBE_2022Q2_10Q.pdf", "PG_E_2023Q3_10Q.pdf"])
def test_toc_comes_before_the_body(name):
    filing = load_filing(shared_filing(name))
    toc = [s for s in filing.sections if s.kind == "toc"]
    body_items = [s for s in filing.sections if s.kind == "body" and s.level == 1]
    assert toc and body_items
    assert min(s.page for s in toc) <= 6


@pytest.mark.shared
def test_cover_metadata_on_real_filings():
    foot = load_filing(shared_filing("FOOTLOCKER_2022_10Q.pdf"))
    assert foot.company == "Footlocker" and foot.period_end == "2022-10-29"
    adobe = load_filing(shared_filing("ADOBE_2022Q2_10Q.pdf"))
    assert (adobe.company, adobe.period_end, adobe.fiscal_year) == ("Adobe Inc.", "2023-06-02", 2023)
    assert any("fiscal 2022" in w for w in adobe.warnings)


RELEASE = """Acme Widgets Announces Second Quarter Fiscal 2023 Results
SPRINGFIELD, Ill.--(BUSINESS WIRE)-- Acme Widgets, Inc. (NASDAQ: ACME) today announced financial results for
the thirteen-week period ("second quarter") and twenty-six-week period ("first six months") ended July 29, 2023
compared to the same periods ended July 30, 2022.
13 Weeks Ended 26 Weeks Ended
July 29, July 30, July 29, July 30,
(Dollars in millions, except per share data) 2023 2022 2023 2022
Net sales $ 2,529.8 $ 2,297.1 $ 5,164.1 $ 4,643.0
Comparable sales 8.0% 14.4% 8.7% 16.2%
Diluted earnings per share $ 6.02 $ 5.70 $ 12.90 $ 12.00
Investors are cautioned that forward-looking statements in its Annual Report on Form 10-K for the fiscal year ended
January 28, 2023 may differ.
"""


def test_an_earnings_release_names_its_issuer_and_quarter():
    meta = meta_from_text(RELEASE)
    assert meta.company == "Acme Widgets, Inc."
    assert meta.period_end == "2023-07-29"  # not the 10-K year end mentioned further down


def test_a_units_line_that_carries_the_years_belongs_to_the_header():
    from corpus.model import Filing
    from qa.figures.tables import parse_table

    _, tables, _ = build_structure(RELEASE)
    table = next(t for t in tables if "Net sales" in RELEASE[t.start:t.end])
    assert table.scale == 1_000_000 and "(Dollars in millions" in table.header
    filing = Filing(doc_id="acme", company=None, form=None, period_end=None, fiscal_year=None, fiscal_quarter=None,
                    source="", content_hash="", text=RELEASE, pages=(), sections=(), tables=tables)
    parsed = parse_table(filing, table)
    rows = {r.label: r for r in parsed.rows}
    assert not any(label.startswith("(Dollars") for label in rows)  # a header line, not a row of "2023 2022"
    assert [c.period.label for c in parsed.columns] == [
        "three months ended July 29, 2023", "three months ended July 30, 2022",
        "six months ended July 29, 2023", "six months ended July 30, 2022"]
    assert rows["Net sales"].cells[0].value == 2_529_800_000  # full scale


@pytest.mark.shared
def test_earnings_release_metadata_on_real_filings():
    ulta = load_filing(shared_filing("ULTABEAUTY_2023Q2_EARNINGS.pdf"))
    assert (ulta.company, ulta.period_end) == ("Ulta Beauty, Inc.", "2023-07-29")
    ebay = load_filing(shared_filing("EBAY_2023Q2_EARNINGS.pdf"))
    assert (ebay.company, ebay.period_end) == ("eBay Inc.", "2023-06-30")
    # Its guidance mentions "the three months ended October 31, 2023" further down; the quarter is July's.
    assert load_filing(shared_filing("SALESFORCE_2024Q2_EARNINGS.pdf")).period_end == "2023-07-31"
