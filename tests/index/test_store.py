import numpy as np

from index.store import VectorStore


def _oracle(vectors, ids, query, k, allowed=None):
    scores = vectors @ query
    order = [i for i in np.argsort(-scores, kind="stable") if allowed is None or ids[i] in allowed]
    return [(int(ids[i]), float(scores[i])) for i in order[:k]]


def _unit(rng, n, d):
    v = rng.normal(size=(n, d)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_search_matches_brute_force(tmp_path):
    rng = np.random.default_rng(0)
    vectors, ids = _unit(rng, 300, 32), np.arange(1000, 1300)
    store = VectorStore(32)
    store.add(ids, vectors)
    for q in _unit(rng, 5, 32):
        got = store.search(q, 10)
        want = _oracle(vectors, ids, q, 10)
        assert [i for i, _ in got] == [i for i, _ in want]
        assert np.allclose([s for _, s in got], [s for _, s in want], atol=1e-5)
        allowed = set(ids[::7].tolist())
        got = store.search(q, 10, np.array(sorted(allowed)))
        assert [i for i, _ in got] == [i for i, _ in _oracle(vectors, ids, q, 10, allowed)]


def test_remove_and_round_trip(tmp_path):
    rng = np.random.default_rng(1)
    vectors, ids = _unit(rng, 50, 16), np.arange(50)
    store = VectorStore(16)
    store.add(ids, vectors)
    assert store.remove(np.arange(10)) == 10
    assert len(store) == 40
    assert all(i >= 10 for i, _ in store.search(vectors[3], 40))
    store.save(tmp_path / "v.faiss")
    loaded = VectorStore.load(tmp_path / "v.faiss", 16)
    assert len(loaded) == 40
    assert loaded.search(vectors[20], 3) == store.search(vectors[20], 3)


def test_empty_filters_and_store():
    store = VectorStore(8)
    assert store.search(np.ones(8, dtype=np.float32), 5) == []
    store.add(np.array([1]), np.ones((1, 8), dtype=np.float32) / np.sqrt(8))
    assert store.search(np.ones(8, dtype=np.float32), 5, np.array([], dtype=np.int64)) == []
