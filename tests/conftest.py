"""Shared fixtures: the seed filings, ../shared paths, one seed index per session, and no network in tests.

No test reads or writes the user's default index or cache (`.filingqa/`): the whole session points
`FILINGQA_INDEX` and `FILINGQA_CACHE` at a temporary folder before any test runs, and the two-seed index is built
there once.
"""
from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import pytest

from corpus import BUNDLED_DIR

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED_000 = BUNDLED_DIR / "crexendo-2020q3-10q-mdna.txt"
SEED_004 = BUNDLED_DIR / "crexendo-2021q2-10q-note2-revenue.txt"


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    """Tests run offline: any connection other than to this machine fails loudly."""
    real_connect = socket.socket.connect

    def guarded(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and host not in ("127.0.0.1", "localhost", "::1", "0.0.0.0") and not host.startswith("/"):
            raise RuntimeError(f"network access blocked in tests: {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(scope="session")
def seed_000():
    from corpus import load_filing

    return load_filing(SEED_000)


@pytest.fixture(scope="session")
def seed_004():
    from corpus import load_filing

    return load_filing(SEED_004)


def shared_filing(name: str) -> Path:
    path = SHARED / "filings" / name
    if not path.exists():
        pytest.skip(f"../shared/filings/{name} is not present")
    return path


def pytest_configure(config):
    """Point the default index at a per-session temporary folder before any test (or import) looks at it."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="filingqa-tests-"))
    config._filingqa_index_root = folder
    os.environ["FILINGQA_INDEX"] = str(folder / "default-index")
    os.environ["FILINGQA_CACHE"] = str(folder / "cache")  # built ONNX models and cached vectors, never the user's


def pytest_unconfigure(config):
    folder = getattr(config, "_filingqa_index_root", None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def embedder():
    from index.embedder import Embedder

    e = Embedder()
    e.warm_up()
    return e


@pytest.fixture(scope="session")
def seed_retriever(embedder):
    """The default index over the two bundled seeds, built once per session in the session's temporary folder."""
    from index.default import default_retriever

    return default_retriever(embedder, progress=False)


@pytest.fixture(scope="session")
def seed_pipeline(seed_retriever):
    """Retrieval over the seeds, the project's reader and sentence ranker (as `Pipeline.load` gives them), loaded
    once; tests that change the index copy it."""
    from qa.pipeline import Pipeline
    from qa.rank.model import SentenceRanker
    from qa.reader import Reader

    pipeline = Pipeline(seed_retriever, Reader(), ranker=SentenceRanker())
    pipeline.warm_up()
    return pipeline


def copy_of_seed_index(seed_retriever, folder: Path):
    """A private, writable copy of the seed index (for tests that add or remove filings)."""
    from index.retriever import Retriever

    shutil.copytree(seed_retriever.directory, folder)
    return Retriever.load(folder, embedder=seed_retriever.embedder)


def pipeline_over(folder, seed_pipeline, filings: dict[str, tuple[str, str]]):
    """A pipeline over synthetic filings written into `folder` (file name -> (company, text)), with the seeds'
    embedder and reader."""
    from index.retriever import Retriever
    from qa.pipeline import Pipeline

    sources = []
    for name, (company, text) in filings.items():
        (folder / name).write_text(text)
        sources.append((folder / name, {"company": company}))
    retriever = Retriever.build(sources, out=folder / "idx", embedder=seed_pipeline.retriever.embedder)
    return Pipeline(retriever, seed_pipeline.reader)
