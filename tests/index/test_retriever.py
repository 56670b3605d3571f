import json
import shutil

import pytest

from corpus import FilingParseError
from corpus.errors import FilingNotFoundError
from index import persist
from index.__main__ import main as index_cli
from index.embedder import Embedder
from index.errors import IndexMismatchError, IndexNotFoundError, InvalidQueryError
from index.retriever import Retriever
from tests.conftest import SEED_004, shared_filing
from tests.pdf_fixture import make_pdf

pytestmark = pytest.mark.slow

ACME_PAGES = [
    ["ACME WIDGETS CORP", "FORM 10-K", "For the fiscal year ended December 31, 2022", "Annual report cover page."],
    ["RESULTS OF OPERATIONS", "Widget revenue increased 8% to $4.2 million in 2022 because of new dealers.",
     "General and administrative expenses rose because of higher audit fees at Acme."],
    ["LIQUIDITY AND CAPITAL RESOURCES", "Acme held cash of $1.1 million as of December 31, 2022.",
     "Capital expenditures were $0.3 million for a new widget press."],
]


@pytest.fixture(scope="module")
def seed_index(seed_retriever):
    return seed_retriever


def _acme(tmp_path):
    path = tmp_path / "ACME_2022_10K.pdf"
    path.write_bytes(make_pdf(ACME_PAGES))
    return path


def test_why_did_ga_rise_in_q3_finds_the_consolidated_drivers(seed_index):
    hits = seed_index.search("why did G&A rise in Q3", k=3)
    drivers = [h for h in hits if "stock exchange uplisting and annual fees of $89,000" in " ".join(h.text.split())]
    assert drivers, [h.text[:80] for h in hits]
    hit = drivers[0]
    assert hit.period == "three months ended September 30, 2020"
    assert "Three months ended September 30, 2020 compared to three months ended September 30, 2019" in hit.section
    assert hit.doc_id == "crexendo-2020q3-10q"
    assert all(0 < h.score <= 1 for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_period_words_pick_the_period_block(seed_index):
    nine = seed_index.search("G&A increase drivers for the nine months", k=3)
    assert nine[0].period == "nine months ended September 30, 2020"
    ytd = seed_index.search("why did G&A rise year to date", k=3)
    assert ytd[0].period == "nine months ended September 30, 2020"
    q2 = seed_index.search("desktop devices revenue six months ended June 30, 2021", k=3)
    assert q2[0].doc_id == "crexendo-2021q2-10q" and q2[0].period == "six months ended June 30, 2021"


def test_hits_point_at_the_filing_text(seed_index):
    for h in seed_index.search("how are cancellation fees recognized", k=5):
        assert seed_index.filing(h.doc_id).text[h.start:h.end] == h.text
    top3 = seed_index.search("how are cancellation fees recognized", k=3)
    assert any("cancellation fees relate to remaining contractual term buyout payments" in h.text for h in top3)


def test_doc_filter(seed_index):
    hits = seed_index.search("revenue", k=10, doc_ids=["crexendo-2021q2-10q"])
    assert hits and {h.doc_id for h in hits} == {"crexendo-2021q2-10q"}
    assert seed_index.search("revenue", k=5, doc_ids=["no-such-doc"]) == []


def test_bad_queries_are_clear_errors(seed_index):
    for bad in ["", "   ", "?!?", "x" * 5000]:
        with pytest.raises(InvalidQueryError):
            seed_index.search(bad)
    with pytest.raises(InvalidQueryError):
        seed_index.search("revenue", k=0)


def test_add_remove_and_no_op_readd(tmp_path, embedder):
    out = tmp_path / "idx"
    r = Retriever.build([SEED_004], out=out, embedder=embedder)
    n004 = len(r)
    report = r.add([_acme(tmp_path), SEED_004])
    assert report.added == ["acme-2022-10k"] and report.unchanged == ["crexendo-2021q2-10q"]
    embedded_before = report.chunks
    again = Retriever.load(out, embedder=embedder).add([_acme(tmp_path)])
    assert again.added == [] and again.unchanged == ["acme-2022-10k"] and again.chunks == 0
    r = Retriever.load(out, embedder=embedder)
    assert len(r) == n004 + embedded_before
    # Naming the company restricts the search to its filing.
    hits = r.search("Why did Acme's G&A rise?", k=5)
    assert hits and {h.doc_id for h in hits} == {"acme-2022-10k"}
    assert r.remove("acme-2022-10k") > 0
    r = Retriever.load(out, embedder=embedder)
    assert len(r) == n004 and [f["doc_id"] for f in r.filings()] == ["crexendo-2021q2-10q"]
    with pytest.raises(FilingNotFoundError):
        r.remove("acme-2022-10k")


def test_pdf_hits_carry_their_page(tmp_path, embedder):
    r = Retriever.build([_acme(tmp_path)], out=tmp_path / "idx", embedder=embedder)
    hit = r.search("capital expenditures widget press", k=1)[0]
    assert hit.page == 3
    filing = r.filing(hit.doc_id)
    page = filing.pages[hit.page - 1]
    assert page.start <= hit.start and hit.end <= page.end


@pytest.mark.shared
def test_real_pdf_hits_are_on_their_page(tmp_path, embedder):
    path = shared_filing("AMCOR_2022_8K_2022-07-01.pdf")
    r = Retriever.build([path], out=tmp_path / "idx", embedder=embedder)
    hits = r.search("shareholders approval of the transaction", k=5)
    assert hits
    filing = r.filing(hits[0].doc_id)
    for h in hits:
        # a passage may run on over a page break (a paragraph continues); it is cited by the page it starts on
        page = filing.pages[h.page - 1]
        assert page.start <= h.start <= page.end
        assert filing.text[h.start:h.end] == h.text


def test_index_built_with_another_model_is_refused(seed_index):
    other = Embedder(name="sentence-transformers/all-mpnet-base-v2", dimension=768)
    with pytest.raises(IndexMismatchError, match="all-mpnet-base-v2"):
        Retriever.load(seed_index.directory, embedder=other)
    with pytest.raises(IndexNotFoundError):
        Retriever.load(seed_index.directory / "nowhere")


def test_bad_input_leaves_the_index_intact(tmp_path, embedder):
    out = tmp_path / "idx"
    Retriever.build([SEED_004], out=out, embedder=embedder)
    before = (out / persist.CHUNKS).read_bytes()
    data = make_pdf(ACME_PAGES)
    bad = [tmp_path / "truncated.pdf", tmp_path / "binary.txt", tmp_path / "empty.txt"]
    bad[0].write_bytes(data[: len(data) // 3])
    bad[1].write_bytes(bytes(range(256)) * 50)
    bad[2].write_bytes(b"")
    for path in bad:
        r = Retriever.load(out, embedder=embedder)
        with pytest.raises(FilingParseError):
            r.add([_acme(tmp_path), path])  # the good file is not half-added either
        assert (out / persist.CHUNKS).read_bytes() == before
        assert [f["doc_id"] for f in Retriever.load(out, embedder=embedder).filings()] == ["crexendo-2021q2-10q"]


def test_a_crash_mid_write_keeps_the_old_index(tmp_path, embedder, monkeypatch):
    out = tmp_path / "idx"
    Retriever.build([SEED_004], out=out, embedder=embedder)
    r = Retriever.load(out, embedder=embedder)

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(persist, "write_jsonl", crash)
    with pytest.raises(OSError):
        r.add([_acme(tmp_path)])
    monkeypatch.undo()
    reloaded = Retriever.load(out, embedder=embedder)
    assert [f["doc_id"] for f in reloaded.filings()] == ["crexendo-2021q2-10q"]
    assert not [p for p in tmp_path.iterdir() if ".tmp-" in p.name]
    # A crash between the two renames of the swap: the old folder is found under its backup name.
    shutil.move(str(out), str(out) + ".previous")
    out.mkdir()
    assert [f["doc_id"] for f in Retriever.load(out, embedder=embedder).filings()] == ["crexendo-2021q2-10q"]


def test_cli_search_json(seed_index, capsys):
    code = index_cli(["search", "why did G&A rise in Q3", "--index", str(seed_index.directory), "-k", "3", "--json"])
    assert code == 0
    hits = json.loads(capsys.readouterr().out)
    assert len(hits) == 3
    assert set(hits[0]) >= {"text", "score", "doc_id", "section", "segment", "period", "page", "start", "end"}
    assert index_cli(["search", "  ", "--index", str(seed_index.directory)]) == 2
    assert "error: the query is empty" in capsys.readouterr().err


def test_a_filing_over_the_passage_cap_is_refused_and_the_index_kept(tmp_path, embedder, monkeypatch):
    import index.prepare as prepare_module
    from index.errors import FilingTooLargeError

    out = tmp_path / "idx"
    r = Retriever.build([_acme(tmp_path)], out=out, embedder=embedder)
    before = len(r)
    monkeypatch.setattr(prepare_module, "MAX_CHUNKS_PER_FILING", 3)  # the seed 10-Q makes far more than 3
    with pytest.raises(FilingTooLargeError, match="at most 3 per filing"):
        r.add([SEED_004])
    assert len(Retriever.load(out, embedder=embedder)) == before


class _CountingEmbedder:
    """The real embedder, counting the texts it is asked to embed."""

    def __init__(self, inner):
        self.inner, self.texts = inner, 0

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def embed(self, texts, **kwargs):
        self.texts += len(texts)
        return self.inner.embed(texts, **kwargs)


def test_a_repeated_passage_is_embedded_once(tmp_path, embedder):
    paragraph = ("General and administrative expenses increased 30% to $1,351,000 for the three months ended "
                 "September 30, 2020, due primarily to higher personnel costs and professional fees. ") * 6
    path = tmp_path / "acme-2022-10k.txt"
    path.write_text("ACME CORP FORM 10-K\n\n" + "\n\n".join([paragraph] * 40) + "\n", encoding="utf-8")
    counting = _CountingEmbedder(embedder)
    r = Retriever.build([path], out=tmp_path / "idx", embedder=counting)
    assert len(r) > counting.texts >= 1
    assert r.search("Why did G&A increase?", k=3)
