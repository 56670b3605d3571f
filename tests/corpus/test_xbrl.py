import json
import re
import time
import warnings
from decimal import Decimal
from pathlib import Path

import pytest

from corpus import load_filing
from corpus.load import xbrl_warnings
from corpus.model import XbrlFact
from corpus.serialize import facts_from_dict, facts_to_dict, filing_from_dict, filing_to_dict
from corpus.xbrl import number_value, text_value, words_number
from tests.conftest import SHARED, shared_filing

_NS = ('xmlns="http://www.w3.org/1999/xhtml" xmlns:ix="http://www.xbrl.org/2013/inlineXBRL" '
       'xmlns:xbrli="http://www.xbrl.org/2003/instance" xmlns:xbrldi="http://xbrl.org/2006/xbrldi" '
       'xmlns:ixt="http://www.xbrl.org/inlineXBRL/transformation/2020-02-12" '
       'xmlns:ixt-sec="http://www.sec.gov/inlineXBRL/transformation/2015-08-31" '
       'xmlns:us-gaap="http://fasb.org/us-gaap/2024" xmlns:dei="http://xbrl.sec.gov/dei/2024" '
       'xmlns:srt="http://fasb.org/srt/2024" xmlns:iso4217="http://www.xbrl.org/2003/iso4217" '
       'xmlns:acme="http://acme.example/2025"')


def _context(cid: str, period: str, segment: str = "") -> str:
    seg = f"<xbrli:segment>{segment}</xbrli:segment>" if segment else ""
    return (f'<xbrli:context id="{cid}"><xbrli:entity><xbrli:identifier scheme="http://www.sec.gov/CIK">0000000042'
            f"</xbrli:identifier>{seg}</xbrli:entity><xbrli:period>{period}</xbrli:period></xbrli:context>")


Q3 = "<xbrli:startDate>2025-03-30</xbrli:startDate><xbrli:endDate>2025-06-28</xbrli:endDate>"
Q3_PRIOR = "<xbrli:startDate>2024-03-31</xbrli:startDate><xbrli:endDate>2024-06-29</xbrli:endDate>"
AT_END = "<xbrli:instant>2025-06-28</xbrli:instant>"
SEGMENT = ('<xbrldi:explicitMember dimension="srt:ProductOrServiceAxis">us-gaap:ProductMember</xbrldi:explicitMember>'
           '<xbrldi:typedMember dimension="acme:ContractAxis"><acme:ContractDomain>A-17</acme:ContractDomain>'
           "</xbrldi:typedMember>")


def _nf(name: str, value: str, context: str = "d", unit: str = "usd", extra: str = 'decimals="-6" scale="6"') -> str:
    return (f'<ix:nonFraction name="{name}" contextRef="{context}" unitRef="{unit}" {extra} '
            f'format="ixt:num-dot-decimal">{value}</ix:nonFraction>')


IXBRL = f"""<?xml version='1.0' encoding='ASCII'?>
<html {_NS}><head><title>acme-20250628</title></head><body>
<div style="display:none"><ix:header><ix:hidden>
<ix:nonNumeric name="dei:DocumentType" contextRef="d">10-Q</ix:nonNumeric>
<ix:nonNumeric name="dei:DocumentFiscalYearFocus" contextRef="d">2025</ix:nonNumeric>
<ix:nonNumeric name="dei:DocumentFiscalPeriodFocus" contextRef="d">Q3</ix:nonNumeric>
<ix:nonNumeric name="dei:CurrentFiscalYearEndDate" contextRef="d">--09-27</ix:nonNumeric>
<ix:nonNumeric name="dei:EntityRegistrantName" contextRef="d">ACME WIDGETS CORP</ix:nonNumeric>
<ix:nonNumeric name="dei:EntityCentralIndexKey" contextRef="d">0000000042</ix:nonNumeric>
<ix:nonFraction name="dei:EntityCommonStockSharesOutstanding" contextRef="i" unitRef="shares" decimals="0">1,000</ix:nonFraction>
</ix:hidden><ix:resources>
{_context("d", Q3)}{_context("p", Q3_PRIOR)}{_context("i", AT_END)}{_context("seg", Q3, SEGMENT)}
{_context("noperiod", "")}
<xbrli:unit id="usd"><xbrli:measure>iso4217:USD</xbrli:measure></xbrli:unit>
<xbrli:unit id="shares"><xbrli:measure>xbrli:shares</xbrli:measure></xbrli:unit>
<xbrli:unit id="pure"><xbrli:measure>xbrli:pure</xbrli:measure></xbrli:unit>
<xbrli:unit id="usdPerShare"><xbrli:divide><xbrli:unitNumerator><xbrli:measure>iso4217:USD</xbrli:measure>
</xbrli:unitNumerator><xbrli:unitDenominator><xbrli:measure>xbrli:shares</xbrli:measure></xbrli:unitDenominator>
</xbrli:divide></xbrli:unit>
</ix:resources></ix:header></div>
<p>FORM 10-Q</p>
<p>ACME WIDGETS CORPORATION</p>
<p>(Exact name of registrant as specified in its charter)</p>
<p>For the quarterly period ended <ix:nonNumeric name="dei:DocumentPeriodEndDate" contextRef="d"
 format="ixt:date-monthname-day-year-en">June&#160;28, 2025</ix:nonNumeric></p>
<p>Trading symbol <ix:nonNumeric name="dei:TradingSymbol" contextRef="d">ACME</ix:nonNumeric></p>
<h2>CONDENSED CONSOLIDATED STATEMENTS OF OPERATIONS</h2>
<table>
<tr><td colspan="3">(In millions)</td><td colspan="6">Three Months Ended</td></tr>
<tr><td colspan="3"/><td colspan="3">June 28,<br/>2025</td><td colspan="3">June 29,<br/>2024</td></tr>
<tr><td colspan="3">Net sales:</td><td colspan="6"/></tr>
<tr><td colspan="3">Total net sales</td><td>$</td><td>{_nf("us-gaap:Revenues", "94,036")}&#160;</td><td/>
<td>$</td><td>{_nf("us-gaap:Revenues", "85,777", "p")}</td><td/></tr>
<tr><td colspan="3">Products</td><td>$</td><td>{_nf("us-gaap:Revenues", "66,613", "seg")}</td><td/>
<td/><td/><td/></tr>
<tr><td colspan="3">Net loss</td><td>(</td><td>{_nf("us-gaap:NetIncomeLoss", "1,234.5", extra='decimals="-2" scale="3" sign="-"')}</td>
<td>)</td><td/><td/><td/></tr>
<tr><td colspan="3">Impairment</td><td/><td><ix:nonFraction name="acme:Impairment" contextRef="d" unitRef="usd"
 decimals="-6" scale="6" format="ixt:fixed-zero">&#8212;</ix:nonFraction></td><td/><td/><td/><td/></tr>
<tr><td colspan="3">Earnings per share</td><td>$</td><td>{_nf("us-gaap:EarningsPerShareBasic", "1.57", unit="usdPerShare", extra='decimals="2"')}</td>
<td/><td/><td/><td/></tr>
</table>
<p>We have <ix:nonFraction name="us-gaap:NumberOfReportableSegments" contextRef="d" unitRef="pure" decimals="INF"
 format="ixt-sec:numwordsen">two</ix:nonFraction> reportable segments, and a euro note of
 EUR <ix:nonFraction name="acme:EuroNote" contextRef="d" unitRef="usd" decimals="2"
 format="ixt:num-comma-decimal">1.234,56</ix:nonFraction>. Backlog was
 $<ix:nonFraction name="acme:Backlog" contextRef="d" unitRef="usd" decimals="-6" scale="6" format="ixt:num-dot-decimal"
 ><ix:nonFraction name="acme:BacklogCurrent" contextRef="d" unitRef="usd" decimals="-6" scale="6"
 format="ixt:num-dot-decimal">250</ix:nonFraction></ix:nonFraction> million.</p>
<p><ix:nonNumeric name="acme:PolicyNote" contextRef="d" continuedAt="cont-1">Policy starts</ix:nonNumeric> and
 the page goes on.</p>
<ix:continuation id="cont-1"><p>and continues<ix:exclude> (see page 7)</ix:exclude> here.</p></ix:continuation>
<p>Broken tags: <ix:nonFraction name="acme:Lost" contextRef="missing" unitRef="usd" decimals="0">5</ix:nonFraction>,
 <ix:nonFraction name="acme:BadScale" contextRef="d" unitRef="usd" decimals="0" scale="six">6</ix:nonFraction>,
 <ix:nonFraction name="acme:BadValue" contextRef="d" unitRef="usd" decimals="0">n/a</ix:nonFraction>,
 <ix:nonFraction name="acme:NoUnit" contextRef="d" unitRef="eur" decimals="0">8</ix:nonFraction>,
 <ix:nonFraction name="acme:Nothing" contextRef="d" unitRef="usd" decimals="0" xsi:nil="true"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/> and the rest of the report.</p>
</body></html>
"""


@pytest.fixture(scope="module")
def acme(tmp_path_factory):
    path = tmp_path_factory.mktemp("ixbrl") / "acme-10-q-2025-08-01.htm"
    path.write_text(IXBRL, encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        filing = load_filing(path)
    assert [str(w.message)[:80] for w in caught] == []  # no XMLParsedAsHTMLWarning, nothing else
    return filing


def _fact(filing, concept, context="d"):
    found = [f for f in filing.xbrl if f.concept == concept and f.context_id == context]
    assert len(found) == 1, (concept, context, found)
    return found[0]


def test_figures_carry_value_unit_period_and_span(acme):
    total = _fact(acme, "us-gaap:Revenues")
    assert total.value == Decimal("94036000000") and str(total.value) == "94036000000"
    assert (total.unit, total.decimals, total.scale, total.instant) == ("USD", -6, 6, False)
    assert (total.period_start, total.period_end, total.dimensions) == ("2025-03-30", "2025-06-28", ())
    assert acme.text[total.start:total.end] == "94,036"
    assert (total.row_label, total.column_header) == ("Total net sales", "Three Months Ended June 28, 2025")
    prior = _fact(acme, "us-gaap:Revenues", "p")
    assert acme.text[prior.start:prior.end] == "85,777" and prior.column_header == "Three Months Ended June 29, 2024"
    assert "Total net sales    $94,036    $85,777" in acme.text  # "$" cells still merge


def test_sign_scale_and_transforms(acme):
    loss = _fact(acme, "us-gaap:NetIncomeLoss")
    assert loss.value == Decimal("-1234500") and acme.text[loss.start:loss.end] == "1,234.5"
    assert "Net loss    (1,234.5)" in acme.text
    zero = _fact(acme, "acme:Impairment")
    assert zero.value == 0 and acme.text[zero.start:zero.end] == "—"
    eps = _fact(acme, "us-gaap:EarningsPerShareBasic")
    assert (eps.value, eps.unit, eps.decimals) == (Decimal("1.57"), "USD/shares", 2)
    segments = _fact(acme, "us-gaap:NumberOfReportableSegments")
    assert (segments.value, segments.unit, segments.decimals) == (2, "pure", None)
    assert acme.text[segments.start:segments.end] == "two" and segments.row_label is None
    assert _fact(acme, "acme:EuroNote").value == Decimal("1234.56")


def test_nested_figures_share_one_span(acme):
    outer, inner = _fact(acme, "acme:Backlog"), _fact(acme, "acme:BacklogCurrent")
    assert outer.value == inner.value == Decimal("250000000")
    assert (outer.start, outer.end) == (inner.start, inner.end)
    assert acme.text[outer.start:outer.end] == "250"


def test_dimensions_explicit_and_typed(acme):
    product = _fact(acme, "us-gaap:Revenues", "seg")
    assert product.dimensions == (("acme:ContractAxis", "A-17"), ("srt:ProductOrServiceAxis", "us-gaap:ProductMember"))
    assert product.row_label == "Products" and acme.text[product.start:product.end] == "66,613"


def test_hidden_facts_have_no_span_and_instants_only_an_end(acme):
    shares = _fact(acme, "dei:EntityCommonStockSharesOutstanding", "i")
    assert (shares.value, shares.unit, shares.instant) == (1000, "shares", True)
    assert (shares.period_start, shares.period_end, shares.start, shares.end) == (None, "2025-06-28", None, None)


def test_non_numeric_continuation_exclude_and_dates(acme):
    note = _fact(acme, "acme:PolicyNote")
    assert (note.value, note.text) == (None, "Policy starts and continues here.")
    assert "(see page 7)" in acme.text  # excluded from the fact, still printed
    assert _fact(acme, "dei:DocumentPeriodEndDate").text == "2025-06-28"


def test_malformed_facts_are_warnings_not_crashes(acme):
    concepts = {f.concept for f in acme.xbrl}
    assert not concepts & {"acme:Lost", "acme:BadScale", "acme:BadValue", "acme:NoUnit"}
    nil = _fact(acme, "acme:Nothing")
    assert nil.value is None and nil.start is None
    xbrl = [w for w in acme.warnings if w.startswith("XBRL:")]
    assert len(xbrl) == 5
    for needle in ("context 'noperiod' skipped: no period", "fact acme:Lost skipped: unknown context 'missing'",
                   "scale 'six'", "'n/a' is not a number", "unknown unit 'eur'"):
        assert any(needle in w for w in xbrl), needle
    assert "Broken tags: 5,\n6,\nn/a,\n8," in acme.text


def test_many_xbrl_warnings_are_counted_not_listed():
    shown = xbrl_warnings(tuple(f"fact f-{i} skipped: unknown context 'c-0'" for i in range(40)))
    assert len(shown) == 6 and shown[-1] == "XBRL: 35 more problems like these"


def test_dei_facts_set_the_metadata(acme):
    assert (acme.company, acme.form, acme.period_end) == ("Acme Widgets Corporation", "10-Q", "2025-06-28")
    assert (acme.fiscal_year, acme.fiscal_quarter) == (2025, 3)
    assert acme.extra == {"fiscal_year_end": "--09-27", "ticker": "ACME", "cik": "0000000042"}


def test_markers_never_leak(acme):
    assert not re.search("[\ue000-\ue1ff]", acme.text)
    assert all(s.title == s.title.strip() for s in acme.sections)


def test_round_trip_keeps_facts(acme):
    again = filing_from_dict(json.loads(json.dumps(filing_to_dict(acme))))
    assert again == acme and again.xbrl == acme.xbrl
    assert facts_from_dict(json.loads(json.dumps(facts_to_dict(acme.xbrl)))) == acme.xbrl
    for fact in acme.xbrl:
        assert XbrlFact.from_dict(json.loads(json.dumps(fact.to_dict()))) == fact
    assert "row_label" not in _fact(acme, "dei:DocumentType").to_dict()  # defaults are left out


def test_html_parser_path_finds_lowercased_ix_tags(tmp_path):
    # Not well-formed XML (unclosed <br>, &nbsp;): the HTML parser reads it and lowercases tags and attributes.
    html = ("<html><body><div style='display:none'><ix:header><ix:resources>"
            + _context("c1", Q3) + "<xbrli:unit id='u'><xbrli:measure>iso4217:USD</xbrli:measure></xbrli:unit>"
            "</ix:resources></ix:header></div><p>FORM 10-Q<br>Revenue was&nbsp;$<ix:nonFraction name='us-gaap:Revenues'"
            " contextRef='c1' unitRef='u' scale='3' decimals='-3'>1,500</ix:nonFraction> thousand this quarter.</p>"
            "</body></html>")
    path = tmp_path / "plain.htm"
    path.write_text(html)
    filing = load_filing(path)
    (fact,) = filing.xbrl
    assert (fact.concept, fact.value, fact.period_end) == ("us-gaap:Revenues", Decimal("1500000"), "2025-06-28")
    assert filing.text[fact.start:fact.end] == "1,500" and "Revenue was $1,500 thousand" in filing.text


def test_number_transforms():
    assert number_value("1,234.50", "ixt:num-dot-decimal") == Decimal("1234.50")
    assert number_value("1234", "ixt:numdotdecimal") == 1234
    assert number_value("1.234.567,8", "ixt:num-comma-decimal") == Decimal("1234567.8")
    assert number_value("—", "ixt:fixed-zero") == number_value("-", "ixt-sec:zerodash") == 0
    assert number_value("Twenty-five", "ixt-sec:numwordsen") == 25
    assert words_number("one hundred five") == 105 and words_number("two thousand three hundred") == 2300
    assert words_number("none") == 0
    for bad, fmt in (("n/a", None), ("12a", "ixt:num-dot-decimal"), ("several", "ixt-sec:numwordsen"), ("", None)):
        with pytest.raises(ValueError):
            number_value(bad, fmt)


def test_text_transforms():
    assert text_value("September 27", "ixt:date-monthname-day-en") == "--09-27"
    assert text_value("12/31", "ixt:date-month-day") == text_value("12-31", "ixt:date-month-day") == "--12-31"
    assert text_value("DECEMBER 31, 2024", "ixt:date-monthname-day-year-en") == "2024-12-31"
    assert text_value("28 June 2025", "ixt:date-day-monthname-year-en") == "2025-06-28"
    assert text_value("June 2025", "ixt:date-monthname-year-en") == "2025-06"
    assert text_value("06/28/25", "ixt:date-month-day-year") == "2025-06-28"
    assert text_value("☒", "ixt-sec:boolballotbox") == "true" and text_value("No", "ixt:fixed-false") == "false"
    assert text_value("  Nasdaq  Global Market ", "ixt-sec:exchnameen") == "Nasdaq Global Market"
    with pytest.raises(ValueError):
        text_value("June 31, 2025", "ixt:date-monthname-day-year-en")


EDGAR = SHARED / "filings" / "edgar"
EDGAR_FILES = sorted(p.name for p in EDGAR.glob("*.html")) if EDGAR.is_dir() else []


@pytest.mark.shared
def test_apple_10q_revenue_fact_and_fiscal_quarter():
    filing = load_filing(shared_filing("edgar/aapl-10-q-2025-08-01.html"))
    (total, *_) = [f for f in filing.xbrl if f.concept == "us-gaap:RevenueFromContractWithCustomerExcludingAssessedTax"
                   and not f.dimensions and (f.period_start, f.period_end) == ("2025-03-30", "2025-06-28")]
    assert total.value == Decimal("94036000000") and filing.text[total.start:total.end] == "94,036"
    assert total.row_label == "Total net sales" and total.column_header == "Three Months Ended June 28, 2025"
    assert (filing.company, filing.form, filing.period_end) == ("Apple Inc.", "10-Q", "2025-06-28")
    assert (filing.fiscal_year, filing.fiscal_quarter, filing.extra["fiscal_year_end"]) == (2025, 3, "--09-27")


@pytest.mark.shared
def test_nvidia_10q_is_q2_of_fiscal_2026():
    filing = load_filing(shared_filing("edgar/nvda-10-q-2025-08-27.html"))
    assert (filing.period_end, filing.fiscal_year, filing.fiscal_quarter) == ("2025-07-27", 2026, 2)
    assert filing.extra["ticker"] == "NVDA" and not [w for w in filing.warnings if w.startswith("dei says")]


@pytest.mark.shared
@pytest.mark.skipif(not EDGAR_FILES, reason="../shared/filings/edgar is not present")
@pytest.mark.parametrize("name", EDGAR_FILES)
def test_every_printed_figure_reads_back_as_its_value(name):
    started = time.perf_counter()
    filing = load_filing(Path(EDGAR / name))
    assert time.perf_counter() - started < 10  # about 1 s here; a guard against a quadratic slip, not a benchmark
    figures = [f for f in filing.xbrl if f.text is None and f.value is not None]
    placed = [f for f in figures if f.start is not None]
    # IBM and Wells Fargo tag little outside the cover; filings before inline XBRL (2019) tag nothing.
    assert len(placed) >= 0.1 * len(figures)
    assert figures or not any(f.concept.startswith("dei:") for f in filing.xbrl)
    for fact in placed:
        printed = filing.text[fact.start:fact.end]
        if fact.value == 0 and not re.search(r"\d", printed):
            continue  # "—" under ixt:fixed-zero
        fmt = "ixt-sec:numwordsen" if re.search("[A-Za-z]", printed) else None
        assert abs(number_value(printed, fmt).scaleb(fact.scale)) == abs(fact.value), (fact, printed)
    assert not re.search("[\ue000-\ue1ff]", filing.text)
    assert filing.company and filing.form in ("10-K", "10-Q", "10-K/A", "10-Q/A") and filing.fiscal_year
    assert filing.extra.get("fiscal_year_end") or not filing.xbrl  # the dei cover names it; older filings have none
