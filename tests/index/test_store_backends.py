"""The same Retriever on each vector store: the manifest names the store, searches and answers carry on, the size
rule switches an exact index to the approximate store, and an index naming an unknown store is a clear error."""
import json

import pytest

from corpus import BUNDLED_DIR, read_manifest
from index.errors import IndexMismatchError
from index.retriever import Retriever

pytestmark = pytest.mark.slow
QUERIES = ("why did G&A rise in Q3", "cancellation fees recognized", "service revenue nine months", "uplisting fees")


def _seeds():
    return [(e.path, e.meta) for e in read_manifest(BUNDLED_DIR)]


def _backends():
    try:
        import lancedb  # noqa: F401 - the optional `lance` extra; CI installs it (requirements-dev.txt)
    except ImportError:
        return ("faiss-exact", "faiss-ivf-sq8")
    return ("faiss-exact", "faiss-ivf-sq8", "lancedb")


@pytest.fixture(scope="module")
def both(embedder, tmp_path_factory):
    """Every store this install has (the name is from when there were two), over the seeds."""
    root = tmp_path_factory.mktemp("stores")
    return {backend: Retriever.build(_seeds(), out=root / backend, embedder=embedder, store=backend)
            for backend in _backends()}


def test_the_manifest_names_the_store_and_loading_keeps_it(both, embedder):
    for backend, retriever in both.items():
        manifest = json.loads((retriever.directory / "manifest.json").read_text())
        assert manifest["store"]["backend"] == backend and manifest["notes"]["store"] == backend
        assert retriever.store.filename in manifest["files"] and (retriever.directory / retriever.store.filename).exists()
        again = Retriever.load(retriever.directory, embedder=embedder)
        assert again.store.backend == backend and len(again) == len(retriever)


def test_searches_agree_across_stores(both):
    exact = both["faiss-exact"]
    for backend, other in both.items():
        for query in QUERIES:
            want = [h.chunk_id for h in exact.search(query, k=5)]
            got = [h.chunk_id for h in other.search(query, k=5)]
            assert got[0] == want[0] and len(set(got) & set(want)) >= 4, (backend, query)
            doc = exact.search(query, k=1)[0].doc_id
            assert {h.doc_id for h in other.search(query, k=5, doc_ids=[doc])} == {doc}


def test_an_answer_is_the_same_on_the_approximate_store(both):
    from qa.pipeline import Pipeline

    answers = {b: Pipeline(r, None).ask("Why did G&A rise in Q3?").text for b, r in both.items()}
    assert len(set(answers.values())) == 1 and "uplisting" in answers["faiss-exact"]


def test_a_grown_index_switches_to_the_approximate_store(embedder, tmp_path, monkeypatch):
    import index.state

    monkeypatch.delenv("FILINGQA_STORE", raising=False)
    monkeypatch.setattr(index.state, "APPROXIMATE_ABOVE", 50)  # the seeds make 129 passages
    grown = Retriever.build(_seeds(), out=tmp_path / "grown", embedder=embedder)
    assert grown.store.backend == "faiss-ivf-sq8" and len(grown.store) == len(grown)
    kept = Retriever.build(_seeds(), out=tmp_path / "kept", embedder=embedder, store="faiss-exact")
    assert kept.store.backend == "faiss-exact"  # a chosen store is kept whatever the size


def test_an_index_naming_an_unknown_store_is_refused(both, embedder, tmp_path):
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(both["faiss-exact"].directory, copy)
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["store"]["backend"] = "milvus"
    (copy / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(IndexMismatchError, match="'milvus'"):
        Retriever.load(copy, embedder=embedder)


@pytest.mark.parametrize("backend", _backends())
def test_add_and_remove_work_on_every_store(backend, embedder, tmp_path):
    seeds = _seeds()
    retriever = Retriever.build(seeds[:1], out=tmp_path / backend, embedder=embedder, store=backend)
    first = len(retriever)
    report = retriever.add(seeds[1:])
    assert report.added and len(retriever) == first + report.chunks == len(retriever.store)
    doc = report.added[0]
    assert retriever.remove(doc) == report.chunks and len(retriever) == len(retriever.store) == first
    reloaded = Retriever.load(tmp_path / backend, embedder=embedder)
    assert reloaded.store.backend == backend and len(reloaded.store) == first
    assert all(h.doc_id != doc for h in reloaded.search("total revenue", k=10))
