"""One contract for every vector store (index/stores): the numpy search decides.

Exact stores must give the oracle's ranking; approximate ones a recall@10 of at least 0.9 on clustered vectors like
a filing's passages (the full-scale figure, >= 0.95 at 10k-1M, is bench/scale_bench.py's), and the oracle's exact
answer whenever the search is restricted to some ids. Every store: scores are cosines, best first; remove, copy,
save/load and damage behave the same.
"""
import numpy as np
import pytest

from index.errors import IndexDamagedError, IndexMismatchError
from index.stores import STORES, ExactStore, LanceStore, VectorStore, backend_for, store_class

try:
    import lancedb  # noqa: F401 - the lancedb store's engine: the optional `lance` extra (requirements-dev has it)

    BACKENDS = sorted(STORES)
except ImportError:
    BACKENDS = sorted(b for b in STORES if b != LanceStore.backend)
SQ8_TOLERANCE = 0.02  # the 8-bit store's cosine error, at most


def _oracle(vectors, ids, query, k, allowed=None):
    scores = vectors @ query
    order = [i for i in np.argsort(-scores, kind="stable") if allowed is None or ids[i] in allowed]
    return [(int(ids[i]), float(scores[i])) for i in order[:k]]


def _unit(v):
    return (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32)


def _passages(rng, n, d, topics=40):
    """Vectors in topic clusters, as passages of filings are (random vectors have no neighbours worth finding)."""
    centres = rng.normal(size=(topics, d))
    return _unit(centres[rng.integers(0, topics, n)] + 0.6 * rng.normal(size=(n, d)))


def _exact(store):
    """Below its ANN threshold the LanceDB store scans every row: exact."""
    return isinstance(store, (ExactStore, LanceStore))


def _tolerance(store):
    return 1e-5 if _exact(store) else SQ8_TOLERANCE


@pytest.fixture(params=BACKENDS)
def filled(request):
    rng = np.random.default_rng(0)
    vectors, ids = _passages(rng, 3000, 48), np.arange(1000, 4000)
    store = store_class(request.param)(48)
    store.add(ids[:1000], vectors[:1000])  # two batches: a store grows as filings are added
    store.add(ids[1000:], vectors[1000:])
    queries = _unit(vectors[rng.integers(0, 3000, 40)] + 0.3 * rng.normal(size=(40, 48)))
    return store, vectors, ids, queries


def test_every_store_is_the_protocol(filled):
    store, *_ = filled
    assert isinstance(store, VectorStore) and store.backend in STORES and len(store) == 3000


def test_search_agrees_with_the_oracle(filled):
    store, vectors, ids, queries = filled
    recalls = []
    for query in queries:
        got, want = store.search(query, 10), _oracle(vectors, ids, query, 10)
        assert len(got) == 10 and [s for _, s in got] == sorted((s for _, s in got), reverse=True)
        assert all(abs(s - float(vectors[i - 1000] @ query)) <= _tolerance(store) for i, s in got)  # cosines
        recalls.append(len({i for i, _ in got} & {i for i, _ in want}) / 10)
        if _exact(store):
            assert [i for i, _ in got] == [i for i, _ in want]
    assert np.mean(recalls) >= 0.9, f"{store.backend}: recall@10 {np.mean(recalls):.3f}"
    assert store.search_batch(queries[:3], 5) == [store.search(q, 5) for q in queries[:3]]  # one code path


def test_a_restricted_search_finds_the_oracles_passages(filled):
    store, vectors, ids, queries = filled
    allowed = set(ids[::37].tolist())  # one company's few passages among many
    for query in queries[:10]:
        got = store.search(query, 10, np.array(sorted(allowed)))
        want = _oracle(vectors, ids, query, 10, allowed)
        assert {i for i, _ in got} <= allowed and len(got) == 10
        if _exact(store):
            assert [i for i, _ in got] == [i for i, _ in want]
        else:  # every allowed passage compared: the oracle's ten, up to ties within the 8-bit error
            assert len({i for i, _ in got} & {i for i, _ in want}) >= 9
    assert store.search(queries[0], 5, np.array([], dtype=np.int64)) == []


def _load(kind, path, dimension, params=None, digest=None):
    """`load` as the index reads it: a folder store is checked against the digest its `save` returned."""
    if hasattr(kind, "from_bytes"):
        return kind.load(path, dimension, params)
    return kind.load(path, dimension, params, expected=digest)


def _damage(path):
    """Cut a third off the store's file (or its largest data file, for a folder store)."""
    target = path if path.is_file() else max((p for p in path.rglob("*") if p.is_file()), key=lambda p: p.stat().st_size)
    data = target.read_bytes()
    target.unlink()  # a new file, not the inode the store's working copy shares
    target.write_bytes(data[: len(data) // 3])


def test_remove_copy_save_and_load(filled, tmp_path):
    store, vectors, ids, queries = filled
    twin = store.copy()
    assert store.remove(ids[:500]) == 500 and len(store) == 2500 and len(twin) == 3000  # the copy is its own
    assert all(i >= 1500 for i, _ in store.search(vectors[3], 50))
    digest = store.save(tmp_path / store.filename)
    assert len(digest) == 64
    loaded = _load(type(store), tmp_path / store.filename, 48, store.params(), digest)
    assert len(loaded) == 2500 and loaded.params() == store.params()
    assert loaded.search_batch(queries[:5], 10) == store.search_batch(queries[:5], 10)
    loaded.add(ids[:10], vectors[:10])  # a loaded store changes apart from the folder it was read from
    assert len(_load(type(store), tmp_path / store.filename, 48, store.params(), digest)) == 2500


def test_damage_and_a_wrong_dimension_are_named(filled, tmp_path):
    store, *_ = filled
    path = tmp_path / store.filename
    digest = store.save(path)
    with pytest.raises(IndexDamagedError, match="dimension 48, expected 32"):
        _load(type(store), path, 32, digest=digest)
    for other in (b for b in BACKENDS if b != store.backend):  # one backend's file read as another's
        with pytest.raises(IndexDamagedError, match="is not"):
            _load(store_class(other), path, 48)
    _damage(path)
    with pytest.raises(IndexDamagedError, match=store.filename):
        _load(type(store), path, 48, digest=digest)


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_empty_store_answers_nothing(backend, tmp_path):
    store = store_class(backend)(8)
    assert len(store) == 0 and store.search(np.ones(8, dtype=np.float32), 5) == [] and store.remove(np.arange(3)) == 0
    digest = store.save(tmp_path / store.filename)
    assert len(_load(store_class(backend), tmp_path / store.filename, 8, store.params(), digest)) == 0


def test_the_backend_is_chosen_by_size_unless_set(monkeypatch):
    monkeypatch.delenv("FILINGQA_STORE", raising=False)
    from index.stores import APPROXIMATE_ABOVE

    assert backend_for(1000) == "faiss-exact" and backend_for(APPROXIMATE_ABOVE + 1) == "faiss-ivf-sq8"
    assert backend_for(APPROXIMATE_ABOVE + 1, "faiss-exact") == "faiss-exact"
    monkeypatch.setenv("FILINGQA_STORE", "faiss-ivf-sq8")
    assert backend_for(10) == "faiss-ivf-sq8"
    with pytest.raises(IndexMismatchError, match="'milvus' is not one this filingqa has"):
        store_class("milvus")


@pytest.mark.skipif(LanceStore.backend not in BACKENDS, reason="LanceDB is the optional `lance` extra")
def test_the_lancedb_ann_index_keeps_recall_and_filters_exact(tmp_path):
    """Past `index_above` rows the LanceDB store searches its IVF_SQ index (built at save), refined with the full
    vectors; a restricted search still scans its rows exactly."""
    rng = np.random.default_rng(5)
    vectors, ids = _passages(rng, 4000, 48), np.arange(4000)
    store = LanceStore(48, index_above=1000)
    store.add(ids, vectors)
    store.save(tmp_path / store.filename)
    assert store.partitions and store.params()["partitions"] == store.partitions
    queries = _unit(vectors[rng.integers(0, 4000, 30)] + 0.3 * rng.normal(size=(30, 48)))
    recall = np.mean([len({i for i, _ in store.search(q, 10)} & {i for i, _ in _oracle(vectors, ids, q, 10)}) / 10
                      for q in queries])
    assert recall >= 0.9, recall
    allowed = set(ids[::41].tolist())
    for q in queries[:5]:
        got = store.search(q, 10, np.array(sorted(allowed)))
        assert [i for i, _ in got] == [i for i, _ in _oracle(vectors, ids, q, 10, allowed)]
