from index.chunker import Chunker, ChunkerConfig


def _chunks(filing, token_counter, **cfg):
    return Chunker(token_counter.count, ChunkerConfig(**cfg)).chunk(filing)


def test_offsets_are_exact_and_chunks_stay_inside_one_section(seed_000, seed_004, token_counter):
    for filing in (seed_000, seed_004):
        chunks = _chunks(filing, token_counter)
        assert chunks
        bounds = [(s.start, s.end, " > ".join(s.path)) for s in filing.sections]
        for c in chunks:
            assert filing.text[c.start:c.end] == c.text
            inside = [path for a, b, path in bounds if a <= c.start and c.end <= b]
            assert inside == [c.section], c.chunk_id
        ids = [c.chunk_id for c in chunks]
        assert len(set(ids)) == len(ids)


def test_every_chunk_fits_the_embedder_window_with_its_header(seed_000, seed_004, token_counter):
    for filing in (seed_000, seed_004):
        for c in _chunks(filing, token_counter):
            assert token_counter.count(c.embed_text) + 2 <= 256, c.chunk_id


def test_small_window_still_fits(seed_000, token_counter):
    chunks = _chunks(seed_000, token_counter, window=128, target_tokens=80)
    assert all(token_counter.count(c.embed_text) + 2 <= 128 for c in chunks)
    assert len(chunks) > len(_chunks(seed_000, token_counter))


def test_chunks_start_and_end_at_sentence_or_clause_breaks(seed_000, token_counter):
    text = seed_000.text
    for c in _chunks(seed_000, token_counter):
        if c.kind != "text":
            continue
        before = text[:c.start].rstrip()
        # Preceded by a sentence or clause end, a paragraph break, or a heading line.
        assert not before or before[-1] in ".!?:;,)" or "\n" in text[len(before):c.start] , text[c.start - 30:c.start + 30]
        after = text[c.end:c.end + 2]
        assert c.text[-1] in ".!?:;,)%" or after[:1] in ("", "\n") or after == "  ", c.text[-40:]


def test_headers_carry_context(seed_000, token_counter):
    chunks = _chunks(seed_000, token_counter)
    drivers = next(c for c in chunks if "stock\nexchange uplisting and annual fees of $89,000" in c.text)
    assert drivers.period == "three months ended September 30, 2020" and drivers.period_months == 3
    assert drivers.segment == "Cloud Telecommunications"
    assert drivers.header.startswith("Crexendo, Inc. | 10-Q | three months ended September 30, 2020 | ")
    assert drivers.header.endswith("General and Administrative")


def test_tables_are_whole_with_their_header(seed_000, seed_004, token_counter):
    chunks = _chunks(seed_000, token_counter)
    results = next(c for c in chunks if c.kind == "table" and "Total revenue" in c.text and "$4,143" in c.text)
    assert "Three Months Ended" in results.text and "Diluted earnings per share" in results.text
    assert "(in thousands" in results.header
    flat = [c for c in _chunks(seed_004, token_counter) if c.kind == "table"]
    first = [c for c in flat if c.period == "three months ended June 30, 2021"]
    assert first[0].text.startswith("Three Months Ended June 30, 2021")
    # A table split over chunks repeats its column headers in the continuation's header.
    for cont in first[1:]:
        assert "columns: Three Months Ended June 30, 2021" in cont.header


def test_a_run_with_no_sentence_break_is_cut_in_one_pass(token_counter):
    """500 words and commas, no full stop: cut at clause breaks into pieces that fit, with one tokenization of the
    run and a count per piece (the old search re-counted the rest of the run for every piece: quadratic)."""
    from corpus.context import context_filing

    words = ("revenue increased primarily due to higher subscription sales, partially offset by lower margins "
             "in the quarter compared with the prior year and ") * 500
    filing = context_filing([words], [])
    counts = []

    def counting(text):
        counts.append(len(text))
        return token_counter.count(text)

    chunker = Chunker(counting, ChunkerConfig(), token_counter.count_batch, token_counter.token_ends)
    chunks = chunker.chunk(filing)
    assert len(chunks) > 40 and all(filing.text[c.start:c.end] == c.text for c in chunks)
    assert all(token_counter.count(c.embed_text) + 2 <= 256 for c in chunks)
    assert all(c.text.endswith(",") or c is chunks[-1] for c in chunks if c.kind == "text")  # at clause breaks
    assert len(counts) < 4 * len(chunks)  # about one count a piece
    assert sum(counts) < 4 * len(words)  # the counted text adds up to a few times the run, not its square
    # The same pieces as the search over re-counted prefixes finds (kept for counters without offsets).
    slow = Chunker(token_counter.count, ChunkerConfig()).chunk(filing)
    assert [c.text for c in slow] == [c.text for c in chunks]
