from decimal import Decimal

from corpus import load_filing
from qa.figures.tables import infer_columns, known_segments, parse_table, table_facts


def _table(filing, starts_with):
    return next(t for t in filing.tables if filing.text[t.start:t.end].startswith(starts_with))


def test_seed_000_results_table_with_multiline_header(seed_000):
    parsed = parse_table(seed_000, _table(seed_000, "Results of Consolidated Operations"), known_segments(seed_000))
    assert [c.period.label for c in parsed.columns] == [
        "three months ended September 30, 2020", "three months ended September 30, 2019",
        "nine months ended September 30, 2020", "nine months ended September 30, 2019"]
    rows = {r.label: [c.value for c in r.cells] for r in parsed.rows}
    assert rows["Total revenue"] == [Decimal(4143000), Decimal(3602000), Decimal(12064000), Decimal(10708000)]
    assert rows["Income tax provision"] == [Decimal(-3000), Decimal(0), Decimal(-9000), Decimal(-7000)]
    # Per-share rows are not scaled by "(in thousands)".
    assert rows["Diluted earnings per share"] == [Decimal("0.01"), Decimal("0.02"), Decimal("0.05"), Decimal("0.06")]
    assert parsed.segment == "Consolidated"


def test_seed_000_segment_table_rows_broken_across_lines(seed_000):
    parsed = parse_table(seed_000, _table(seed_000, "Operating Results of our Cloud"), known_segments(seed_000))
    assert parsed.segment == "Cloud Telecommunications"
    rows = {r.label: [c.value for c in r.cells] for r in parsed.rows}
    assert rows["Cost of service revenue"] == [Decimal(930000), Decimal(811000), Decimal(2758000), Decimal(2515000)]
    assert rows["Cost of product revenue"] == [Decimal(314000), Decimal(172000), Decimal(797000), Decimal(664000)]
    assert rows["General and administrative"] == [Decimal(1277000), Decimal(974000), Decimal(3382000), Decimal(2870000)]
    assert rows["Other income/(expense)"] == [Decimal(-20000), Decimal(2000), Decimal(-47000), Decimal(-2000)]


def test_seed_004_flattened_table_columns_are_segments(seed_004):
    parsed = parse_table(seed_004, seed_004.tables[0], known_segments(seed_004))
    assert [c.segment for c in parsed.columns] == ["Cloud Telecommunications", "Software Solutions", "Total"]
    assert {c.period.label for c in parsed.columns} == {"three months ended June 30, 2021"}
    rows = {r.label: [c.value for c in r.cells] for r in parsed.rows}
    assert rows["Desktop devices"] == [Decimal(440000), Decimal(0), Decimal(440000)]
    assert rows["Software licenses"] == [Decimal(0), Decimal(737000), Decimal(737000)]
    assert rows["Total revenue"] == [Decimal(4767000), Decimal(1012000), Decimal(5779000)]
    # Every row adds up across the segments: the parse is aligned.
    for values in rows.values():
        assert values[0] + values[1] == values[2]


def test_seed_004_balance_table_and_negative_cells(seed_004):
    balances = parse_table(seed_004, next(t for t in seed_004.tables if "Contract assets 199" in seed_004.text[t.start:t.end]))
    assert [c.period.label for c in balances.columns] == ["as of June 30, 2021", "as of December 31, 2020"]
    rows = {r.label: [c.value for c in r.cells] for r in balances.rows}
    assert rows["Contract liabilities"] == [Decimal(3209000), Decimal(1228000)]
    changes = parse_table(seed_004, next(t for t in seed_004.tables if "(964 )" in seed_004.text[t.start:t.end]))
    first = changes.rows[0]
    assert [c.value for c in first.cells] == [Decimal(0), Decimal(-964000), Decimal(0), Decimal(-976000)]


def test_facts_carry_source_positions(seed_000):
    facts = table_facts(seed_000)
    total = next(f for f in facts if f.metric == "Total revenue" and f.period == "three months ended September 30, 2020"
                 and f.segment == "Consolidated")
    assert total.value == Decimal(4143000) and seed_000.text[total.start:total.end] == "$4,143"
    assert seed_000.text[total.context_start:total.context_end].startswith("Total revenue")


def test_pdf_layout_columns_with_change():
    cols = infer_columns("2022 Change 2021 Change 2020", 5)
    assert [c.label for c in cols] == ["2022", "% change", "2021", "% change", "2020"]
    assert [c.is_change for c in cols] == [False, True, False, True, False]


def test_pdf_statement_table(tmp_path):
    from tests.pdf_fixture import make_pdf

    pages = [["ACME CORP", "FORM 10-K", "For the fiscal year ended December 31, 2022", "Cover text of the filing here."],
             ["CONSOLIDATED STATEMENTS OF OPERATIONS", "(In millions, except per share amounts)",
              "Years ended December 31,", "2022 2021 2020",
              "Net sales $ 1,200 $ 1,100 $ 900", "Cost of sales 700 650 500", "Net income $ 150 $ 120 $ (30)"]]
    path = tmp_path / "ACME_2022_10K.pdf"
    path.write_bytes(make_pdf(pages))
    filing = load_filing(path)
    facts = {(f.metric, f.period): f.value for f in table_facts(filing)}
    assert facts[("Net sales", "year ended December 31, 2022")] == Decimal(1_200_000_000)
    assert facts[("Net income", "year ended December 31, 2020")] == Decimal(-30_000_000)


def test_guidance_tables_and_ranges_are_not_reported_figures():
    from corpus.context import context_filing
    from qa.figures.tables import table_facts

    guidance = context_filing([], [[["Three Months Ending", "September 30, 2023"], ["Net revenues", "$2.46 - $2.52"],
                                    ["Diluted EPS", "$0.92 - $0.97"]]])
    assert table_facts(guidance) == []
    reported = context_filing([], [[["(In millions)", "2023", "2022"], ["Net revenues", "$ 2,540", "$ 2,422"],
                                    ["Cost of net revenues", "$ 700", "$ 690"],
                                    ["Price range of a share", "$41.50 - $52.10", "$36.00 - $48.25"]]])
    assert {f.metric for f in table_facts(reported)} == {"Net revenues", "Cost of net revenues"}
