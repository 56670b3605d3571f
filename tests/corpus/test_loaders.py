import pytest

from corpus import FilingParseError, load_filing
from corpus.metadata import meta_from_filename, meta_from_text
from tests.conftest import shared_filing
from tests.pdf_fixture import make_pdf

PAGES = [
    ["ACME CORP", "FORM 10-Q", "For the quarterly period ended March 31, 2024", "Cover page text of the filing."],
    ["Results of Operations", "Revenue increased 5% or $10,000 to $210,000 for the three months ended March 31, 2024.",
     "Widgets drove the growth in the quarter."],
    ["Liquidity and Capital Resources", "Cash and cash equivalents were $55,000 as of March 31, 2024.", "Page three ends."],
]


def test_pdf_pages_are_one_based_and_offsets_map_back(tmp_path):
    path = tmp_path / "ACME_2024Q1_10Q.pdf"
    path.write_bytes(make_pdf(PAGES))
    filing = load_filing(path)
    assert [p.number for p in filing.pages] == [1, 2, 3]
    for number, lines in enumerate(PAGES, start=1):
        page = filing.pages[number - 1]
        page_text = filing.text[page.start:page.end]
        assert all(line in page_text for line in lines)
        offset = filing.text.index(lines[1])
        assert filing.page_at(offset) == number
    assert (filing.company, filing.form, filing.fiscal_year, filing.fiscal_quarter) == ("Acme", "10-Q", 2024, 1)
    assert filing.period_end == "2024-03-31"


def test_truncated_pdf_is_a_clear_error(tmp_path):
    data = make_pdf(PAGES)
    path = tmp_path / "broken.pdf"
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(FilingParseError, match="broken.pdf"):
        load_filing(path)


def test_binary_named_txt_empty_file_and_unknown_type(tmp_path):
    binary = tmp_path / "notes.txt"
    binary.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(FilingParseError, match="binary"):
        load_filing(binary)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(FilingParseError, match="empty"):
        load_filing(empty)
    other = tmp_path / "sheet.xlsx"
    other.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(FilingParseError, match="unsupported file type"):
        load_filing(other)
    fake_pdf = tmp_path / "fake.pdf"
    fake_pdf.write_text("just text, no PDF header")
    with pytest.raises(FilingParseError, match="not a PDF"):
        load_filing(fake_pdf)


def test_huge_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_text("Revenue increased. " * 1000)
    with pytest.raises(FilingParseError, match="limit"):
        load_filing(path, max_bytes=1000)


def test_a_plain_text_file_past_its_cap_is_refused_by_size_naming_the_cap(tmp_path):
    from corpus.loaders import MAX_TEXT_BYTES

    path = tmp_path / "server-log.txt"
    with open(path, "wb") as fh:  # sparse: the size is real, nothing is written
        fh.truncate(MAX_TEXT_BYTES + 1)
    with pytest.raises(FilingParseError, match=r"server-log.txt: 16.0 MB is over the 16 MB limit for a plain-text filing"):
        load_filing(path)


def test_windows_1252_text_is_decoded(tmp_path):
    path = tmp_path / "legacy.txt"
    path.write_bytes("OVERVIEW\n\nMcDonald\x92s revenue was \x80 5 million \x96 up from last year.\n".encode("latin-1"))
    filing = load_filing(path)
    assert "McDonald’s revenue" in filing.text and "€ 5 million – up" in filing.text


def test_html_drops_scripts_keeps_headings_and_rows(tmp_path):
    html = """<html><head><title>t</title><style>p {color: red}</style></head><body>
    <script>alert('x'); var revenue = 999;</script>
    <div style="display:none"><ix:header>hidden xbrl</ix:header></div>
    <h2>RESULTS OF OPERATIONS</h2>
    <p>Service revenue increased 12% or $395,000, to $3,654,000 for the three months ended September 30, 2020.</p>
    <table><tr><td>Service revenue</td><td>$</td><td>3,654</td><td>$</td><td>3,259</td></tr>
    <tr><td>Product revenue</td><td></td><td>489</td><td></td><td>343</td></tr></table>
    <hr style="page-break-after: always"/>
    <h2>LIQUIDITY AND CAPITAL RESOURCES</h2><p>Cash was $15,453,000 as of September 30, 2020.</p>
    </body></html>"""
    path = tmp_path / "filing.htm"
    path.write_text(html)
    filing = load_filing(path)
    assert "alert" not in filing.text and "color: red" not in filing.text and "hidden xbrl" not in filing.text
    assert "Service revenue    $3,654    $3,259" in filing.text
    titles = [s.title for s in filing.sections]
    assert "RESULTS OF OPERATIONS" in titles and "LIQUIDITY AND CAPITAL RESOURCES" in titles
    assert len(filing.pages) == 2
    assert filing.page_at(filing.text.index("Cash was")) == 2


def test_metadata_from_file_names_and_cover_text():
    assert meta_from_filename("EBAY_2023Q2_10Q").fiscal_quarter == 2
    apple = meta_from_filename("APPLE_2022_10K")
    assert (apple.company, apple.form, apple.fiscal_year) == ("Apple", "10-K", 2022)
    amcor = meta_from_filename("AMCOR_2022_8K_2022-07-01")
    assert (amcor.form, amcor.period_end) == ("8-K", "2022-07-01")
    assert meta_from_filename("INTEL_2023Q1_EARNINGS").form == "earnings release"
    cover = "FORM 10-Q\nFor the quarterly period ended September 30, 2020\n"
    meta = meta_from_text(cover)
    assert (meta.form, meta.period_end, meta.fiscal_year) == ("10-Q", "2020-09-30", 2020)


@pytest.mark.shared
def test_real_10k_toc_is_not_the_body():
    filing = load_filing(shared_filing("APPLE_2022_10K.pdf"))
    items = [s for s in filing.sections if s.title.startswith("Item 7.")]
    kinds = sorted(s.kind for s in items)
    assert kinds == ["body", "toc"]
    body = next(s for s in items if s.kind == "body")
    toc = next(s for s in items if s.kind == "toc")
    assert body.page > toc.page
    assert filing.company == "Apple Inc." and filing.period_end == "2022-09-24"


def test_a_pdf_past_the_page_cap_is_refused_before_its_pages_are_read(tmp_path, monkeypatch):
    from corpus import loaders

    monkeypatch.setattr(loaders, "MAX_PAGES", 3)
    path = tmp_path / "long.pdf"
    path.write_bytes(make_pdf([["ACME CORP annual report, page text."]] * 5))
    with pytest.raises(FilingParseError, match="5 pages; filingqa reads filings of up to 3 pages"):
        load_filing(path)


def test_text_past_the_character_cap_is_refused_while_reading(tmp_path, monkeypatch):
    from corpus import loaders

    monkeypatch.setattr(loaders, "MAX_TEXT_CHARS", 500)
    text = tmp_path / "long.txt"
    text.write_text("ACME CORP revenue increased. " * 40, encoding="utf-8")
    pdf = tmp_path / "long.pdf"
    pdf.write_bytes(make_pdf([["ACME CORP revenue increased because of new dealers and higher prices."] * 5] * 4))
    html = tmp_path / "long.htm"
    html.write_text("<html><body>" + "<p>ACME CORP revenue increased.</p>" * 40 + "</body></html>", encoding="utf-8")
    for path in (text, pdf, html):
        with pytest.raises(FilingParseError, match="text runs past 500 characters"):
            load_filing(path)


def test_inline_xbrl_with_more_facts_than_any_filing_is_refused_before_parsing(tmp_path, monkeypatch):
    from corpus import loaders

    monkeypatch.setattr(loaders, "MAX_XBRL_FACTS", 10)
    fact = '<ix:nonFraction name="us-gaap:Revenues" contextRef="c" unitRef="u" decimals="0">{}</ix:nonFraction>'
    path = tmp_path / "bomb.htm"
    path.write_text('<html xmlns:ix="http://www.xbrl.org/2013/inlineXBRL"><body><div style="display:none">'
                    + "".join(fact.format(i) for i in range(20)) + "</div><p>ACME CORP annual report.</p></body></html>",
                    encoding="utf-8")
    with pytest.raises(FilingParseError, match="20 inline-XBRL facts; filingqa reads at most 10"):
        load_filing(path)


def test_a_row_of_many_cells_ending_in_a_spaced_negative_is_read_at_once():
    """A 13-cell statement row whose last cell is "( 1,689,954,794 )" made the row pattern try every split of the
    spaces between cells (exponential: minutes for this one line, found in Mullen's 2023 10-Q)."""
    from corpus.clean import is_table_row

    row = ("Balance, June 30, 2023    1,036    1    1,210,056    1,210    363,097    363    —    —    86,762,748    "
           "86,763    1,950,179,828    17,125,589    17,126    ( 1,689,954,794 )")
    assert is_table_row(row)
    assert is_table_row(row + "    91,511,517    351,842,014")
    assert not is_table_row("Revenue grew in 2023 because of the new " + "1,234    " * 12 + "stores")
