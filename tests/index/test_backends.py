"""The embedder backends, the embedding cache, cancelling a build and parsing files in parallel."""
import json
import sqlite3

import numpy as np
import pytest

from corpus import FilingParseError
from index import persist
from index.chunker import ChunkerConfig
from index.embed_cache import EmbeddingCache
from index.embedder import DEFAULT_BACKEND, Embedder
from index.errors import BuildCancelledError, IndexMismatchError
from index.retriever import Retriever
from tests.conftest import SEED_000, SEED_004

pytestmark = pytest.mark.slow


class _Counting(Embedder):
    """The real embedder, counting the texts its model actually encodes (cache misses)."""

    encoded = 0

    def _encode(self, texts, **kwargs):
        type(self).encoded += len(texts)
        return super()._encode(texts, **kwargs)


def test_int8_onnx_vectors_stay_close_to_fp32_sentence_transformers(seed_retriever):
    texts = [c.embed_text for c in list(seed_retriever.chunks.values())[:60]]
    fp32 = Embedder(backend="st-fp32", use_cache=False).embed(texts)
    int8 = Embedder(backend="onnx-int8", use_cache=False).embed(texts)
    onnx_fp32 = Embedder(backend="onnx-fp32", use_cache=False).embed(texts)
    cos_int8 = (fp32 * int8).sum(axis=1)
    assert cos_int8.mean() >= 0.985 and cos_int8.min() >= 0.95, (cos_int8.mean(), cos_int8.min())
    assert (fp32 * onnx_fp32).sum(axis=1).min() >= 0.9999  # the same graph: only float rounding differs
    assert np.allclose(np.linalg.norm(int8, axis=1), 1.0, atol=1e-5)


def test_queries_are_embedded_like_the_documents(seed_retriever):
    assert seed_retriever.embedder.backend == DEFAULT_BACKEND
    manifest = persist.read_manifest(seed_retriever.directory)
    assert manifest["embedding_model"]["backend"] == DEFAULT_BACKEND
    assert manifest["embedding_model"]["precision"] == "int8"
    assert manifest["embedding_model"]["model_id"] == seed_retriever.embedder.model_id
    reopened = Retriever.load(seed_retriever.directory)  # no embedder given: the index's own backend
    assert reopened.embedder.backend == DEFAULT_BACKEND


def test_an_index_is_not_searched_with_another_backend(tmp_path, embedder):
    built = Retriever.build([SEED_004], out=tmp_path / "idx", embedder=embedder)
    with pytest.raises(IndexMismatchError, match="onnx-int8.*st-fp32"):
        Retriever.load(built.directory, embedder=Embedder(backend="st-fp32"))


def test_an_index_from_before_backends_were_recorded_opens_with_the_fp32_model(tmp_path, embedder):
    built = Retriever.build([SEED_004], out=tmp_path / "idx", embedder=embedder)
    path = built.directory / persist.MANIFEST
    manifest = json.loads(path.read_text())
    for key in ("backend", "precision", "model_id"):
        del manifest["embedding_model"][key]
    path.write_text(json.dumps(manifest))
    with pytest.raises(IndexMismatchError, match="'st-fp32' backend"):
        Retriever.load(built.directory, embedder=embedder)
    assert Retriever.load(built.directory).embedder.backend == "st-fp32"


def test_an_index_embedded_by_another_recipe_or_runtime_is_refused(tmp_path, embedder):
    built = Retriever.build([SEED_004], out=tmp_path / "idx", embedder=embedder)
    path = built.directory / persist.MANIFEST
    manifest = json.loads(path.read_text())
    manifest["embedding_model"]["model_id"] = "model-onnx-int8-0123456789ab"
    path.write_text(json.dumps(manifest))
    with pytest.raises(IndexMismatchError, match="another export recipe or runtime version"):
        Retriever.load(built.directory, embedder=embedder)


def test_unknown_backend_is_refused():
    with pytest.raises(ValueError, match="onnx-int8"):
        Embedder(backend="int4")


def test_a_rebuild_embeds_only_the_passages_whose_text_changed(tmp_path):
    first = ("Revenue increased 12% to $4.1 million for the three months ended September 30, 2022, due to new "
             "customers in the cloud segment.")
    other = "General and administrative expenses rose because of higher audit fees and new hires at the company."
    path = tmp_path / "acme-2022q3-10q.txt"
    path.write_text(f"ACME CORP FORM 10-Q\n\nRESULTS OF OPERATIONS\n\n{first}\n\nEXPENSES\n\n{other}\n", encoding="utf-8")
    embedder = _Counting(cache_dir=tmp_path / "cache")
    _Counting.encoded = 0
    built = Retriever.build([path], out=tmp_path / "idx", embedder=embedder)
    assert _Counting.encoded == len(built) >= 2
    before = {c.embed_text: built.store._index.reconstruct(i) for i, c in built.chunks.items()}

    _Counting.encoded = 0
    again = Retriever.build([path], out=tmp_path / "idx2", embedder=embedder)
    assert _Counting.encoded == 0  # every passage known: nothing embedded
    for i, c in again.chunks.items():
        assert np.array_equal(again.store._index.reconstruct(i), before[c.embed_text])

    path.write_text(path.read_text().replace("higher audit fees", "higher legal fees"), encoding="utf-8")
    _Counting.encoded = 0
    changed = Retriever.build([path], out=tmp_path / "idx3", embedder=embedder)
    changed_texts = [c.embed_text for c in changed.chunks.values() if c.embed_text not in before]
    assert changed_texts and _Counting.encoded == len(changed_texts) < len(changed)
    assert "legal fees" in changed.search("legal fees", k=1)[0].text


def test_a_damaged_cache_file_does_not_stop_a_build(tmp_path, caplog):
    cache = tmp_path / "cache"
    cache.mkdir()
    embedder = Embedder(cache_dir=cache)
    embedder.warm_up()
    embedder.cache.close()
    embedder.cache.path.write_bytes(b"this is not a database" * 100)
    fresh = Embedder(cache_dir=cache)
    built = Retriever.build([SEED_004], out=tmp_path / "idx", embedder=fresh)
    assert len(built) > 0 and built.search("cancellation fees", k=1)
    assert "embedding cache" in caplog.text and "starting a new one" in caplog.text
    # Made anew once, not warned about on every run: the next process finds a working cache with the vectors in it.
    caplog.clear()
    again = Embedder(cache_dir=cache)
    again.warm_up()
    assert len(again.cache) >= len({c.embed_text for c in built.chunks.values()}) and "embedding cache" not in caplog.text


def test_cache_keys_vectors_by_text_and_model(tmp_path):
    a = EmbeddingCache(tmp_path, "minilm-onnx-int8", 3)
    b = EmbeddingCache(tmp_path, "minilm-st-fp32", 3)
    a.put(["alpha", "beta"], np.array([[1, 0, 0], [0, 1, 0]], dtype=np.float32))
    found = a.get(["beta", "gamma", "alpha", "beta"])
    assert sorted(found) == [0, 2, 3] and found[0].tolist() == [0, 1, 0]
    assert b.get(["alpha"]) == {}  # another backend's vectors are never served
    with sqlite3.connect(a.path) as db:
        assert db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0] == 2


def test_a_cancelled_build_leaves_the_index_as_it_was(tmp_path, embedder):
    built = Retriever.build([SEED_004], out=tmp_path / "idx", embedder=Embedder(cache_dir=tmp_path / "cache"))
    before = sorted(p.name for p in built.directory.iterdir())
    calls = []

    def stop(done, total):
        calls.append((done, total))
        raise BuildCancelledError("stopped by the user")

    with pytest.raises(BuildCancelledError):
        built.add([SEED_000], on_progress=stop)
    assert calls and calls[0] == (0, calls[0][1]) and calls[0][1] > 0
    reopened = Retriever.load(built.directory)
    assert [f["doc_id"] for f in reopened.filings()] == ["crexendo-2021q2-10q"]
    assert sorted(p.name for p in reopened.directory.iterdir()) == before


def test_progress_counts_up_to_the_passages_embedded(tmp_path):
    seen = []
    built = Retriever.build([SEED_000], out=tmp_path / "idx", embedder=Embedder(cache_dir=tmp_path / "cache"),
                            on_progress=lambda done, total: seen.append((done, total)))
    assert seen[0][0] == 0 and seen[-1][0] == seen[-1][1] == len({c.embed_text for c in built.chunks.values()})
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_files_are_parsed_in_parallel_with_the_same_result(tmp_path, monkeypatch, embedder):
    from index import prepare as prepare_module
    from index.prepare import Source, parse_all

    config = ChunkerConfig()
    sources = [Source.of(SEED_000), Source.of(SEED_004)]
    serial = parse_all(sources, config)
    monkeypatch.setattr(prepare_module, "PARALLEL_PARSE_BYTES", 0)
    parallel = parse_all(sources, config)
    assert [f.doc_id for f, _ in parallel] == [f.doc_id for f, _ in serial] == ["crexendo-2020q3-10q", "crexendo-2021q2-10q"]
    assert [f.content_hash for f, _ in parallel] == [f.content_hash for f, _ in serial]
    assert parallel[0][0].sections == serial[0][0].sections
    assert [c.text for c in parallel[0][1]] == [c.text for c in serial[0][1]] and len(serial[0][1]) > 10

    bad = tmp_path / "broken-10k.pdf"
    bad.write_bytes(b"%PDF-1.4 this is not really a pdf")
    with pytest.raises(FilingParseError, match="broken-10k.pdf"):
        parse_all([Source.of(SEED_000), Source.of(bad)], config)


def test_cached_vectors_are_named_by_the_model_that_made_them(monkeypatch):
    from index import onnx_encoder
    from index.embedder import packaged_model_path

    path = packaged_model_path()
    int8 = Embedder()._cache_id(path)
    assert Embedder(backend="st-fp32")._cache_id(path) != int8
    assert Embedder(backend="onnx-fp32")._cache_id(path) != int8
    monkeypatch.setattr(onnx_encoder, "RECIPE_VERSION", onnx_encoder.RECIPE_VERSION + 1)  # a changed recipe
    assert Embedder()._cache_id(path) != int8
