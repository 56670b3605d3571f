from corpus.sentences import split_spans


def _sections(filing, title):
    return [s for s in filing.sections if s.title == title]


def test_seed_000_ga_sections_are_distinguishable(seed_000):
    ga = _sections(seed_000, "General and Administrative")
    assert len(ga) == 4
    contexts = {(s.segment, s.period.label) for s in ga}
    assert contexts == {
        ("Cloud Telecommunications", "three months ended September 30, 2020"),
        ("Cloud Telecommunications", "nine months ended September 30, 2020"),
        ("Web Services", "three months ended September 30, 2020"),
        ("Web Services", "nine months ended September 30, 2020"),
    }
    assert len({s.path for s in ga}) == 4
    cloud_q3 = next(s for s in ga if s.segment == "Cloud Telecommunications" and s.period.months == 3)
    body = " ".join(seed_000.text[cloud_q3.start:cloud_q3.end].split())
    assert "stock exchange uplisting and annual fees of $89,000" in body
    assert cloud_q3.period.end == "2020-09-30"
    assert cloud_q3.path[-2].startswith("Three months ended September 30, 2020 compared to")


def test_seed_000_context_resets_at_top_level_headings(seed_000):
    consolidated = [s for s in _sections(seed_000, "Service revenue")]
    assert {s.segment for s in consolidated} == {"Consolidated"}
    assert sorted(s.period.months for s in consolidated) == [3, 9]
    liquidity = _sections(seed_000, "Working Capital")[0]
    assert liquidity.segment is None and liquidity.period is None
    assert liquidity.path == ("Liquidity and Capital Resources", "Working Capital")


def test_seed_000_sections_tile_the_text(seed_000):
    secs = seed_000.sections
    assert secs[0].start == 0
    for a, b in zip(secs, secs[1:]):
        assert a.end == b.start
    assert secs[-1].end == len(seed_000.text)


def test_reference_heading_is_marked(seed_000):
    ref = _sections(seed_000, "Impact of Recent Accounting Pronouncements")[0]
    assert ref.kind == "reference"


def test_seed_000_tables_keep_header_and_units(seed_000):
    by_start = {seed_000.text[t.start:t.end].split("\n")[0]: t for t in seed_000.tables}
    results = next(t for k, t in by_start.items() if k.startswith("Results of Consolidated Operations"))
    text = seed_000.text[results.start:results.end]
    assert "Three Months Ended" in results.header and "2020" in results.header
    assert results.scale == 1000
    assert "Total revenue" in text and "$4,143" in text
    segment = next(t for k, t in by_start.items() if k.startswith("Operating Results of our Cloud"))
    assert segment.scale == 1000 and "General and administrative                 1,277" in seed_000.text[segment.start:segment.end]


def test_seed_004_flattened_line_gets_sections(seed_004):
    titles = [s.title for s in seed_004.sections]
    for expected in ["2. Revenue", "Cloud Telecommunications Services Segment", "Software Solutions Segment",
                     "Disaggregation of Revenue", "Contract balances",
                     "Transaction price allocated to the remaining performance obligations"]:
        assert expected in titles
    seg = {s.title: s.segment for s in seed_004.sections}
    assert seg["Cloud Telecommunications Services Segment"] == "Cloud Telecommunications"
    assert seg["Software Solutions Segment"] == "Software Solutions"


def test_seed_004_flattened_tables(seed_004):
    periods = [t.period.label for t in seed_004.tables if t.period]
    assert periods[:4] == ["three months ended June 30, 2021", "three months ended June 30, 2020",
                           "six months ended June 30, 2021", "six months ended June 30, 2020"]
    first = seed_004.tables[0]
    assert seed_004.text[first.start:first.end].startswith("Three Months Ended June 30, 2021")
    assert "Desktop devices $ 440 $ - $ 440" in seed_004.text[first.start:first.end]
    assert first.scale == 1000


def test_seed_004_splits_into_sentences(seed_004):
    spans = split_spans(seed_004.text)
    assert len(spans) >= 25
    sentences = [seed_004.text[a:b] for a, b in spans]
    assert "The typical length of a contract for service is thirty-six to sixty months." in sentences
    # "i.e." inside a sentence does not end it.
    assert any(s.startswith("For bundled packages, the Company accounts") and "i.e. if a product" in s for s in sentences)


def test_metadata_from_bundled_manifest(seed_000, seed_004):
    assert (seed_000.doc_id, seed_000.company, seed_000.form, seed_000.period_end) == (
        "crexendo-2020q3-10q", "Crexendo, Inc.", "10-Q", "2020-09-30")
    assert (seed_004.fiscal_year, seed_004.fiscal_quarter, seed_004.period_end) == (2021, 2, "2021-06-30")


def test_sentence_at_starts_at_the_first_letter_of_the_sentence():
    from corpus.sentences import sentence_at

    text = "Products gross margin percentage decreased due to tariffs. Services rose."
    start = text.index("roducts")
    assert sentence_at(text, start, start + 5) == (0, text.index(" Services"))
    inner = text.index("rose")
    assert text[slice(*sentence_at(text, inner, inner + 4))] == "Services rose."
