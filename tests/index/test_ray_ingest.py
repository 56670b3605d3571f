"""Ingestion on Ray (index/ray_ingest.py): the same index as the single-process build, and a re-run that skips every
filing already written."""
import pytest

from corpus import BUNDLED_DIR, read_manifest
from index.retriever import Retriever

pytestmark = pytest.mark.slow
ray = pytest.importorskip("ray", reason="Ray is the optional `ray` extra (requirements-dev.txt installs it)")


def _seeds():
    return [(e.path, e.meta) for e in read_manifest(BUNDLED_DIR)]


def test_ray_ingestion_matches_the_build_and_resumes(embedder, tmp_path):
    from index.ray_ingest import ingest

    try:
        report = ingest(_seeds(), tmp_path / "ray", workers=1, embedder=embedder, progress=False)
        assert len(report.added) == 2 and report.skipped == 0 and report.passages > 100
        built = Retriever.build(_seeds(), out=tmp_path / "built", embedder=embedder)
        ingested = Retriever.load(tmp_path / "ray", embedder=embedder)
        assert sorted(f["doc_id"] for f in ingested.filings()) == sorted(f["doc_id"] for f in built.filings())
        assert len(ingested) == len(built) == report.passages
        for query in ("why did G&A rise in Q3", "cancellation fees recognized"):
            assert [h.text for h in ingested.search(query, k=5)] == [h.text for h in built.search(query, k=5)]
        again = ingest(_seeds(), tmp_path / "ray", embedder=embedder, progress=False)
        assert again.added == () and again.skipped == 2 and again.passages == 0
    finally:
        ray.shutdown()
