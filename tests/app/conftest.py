"""One small index (the two seeds), one pipeline and one running page, shared by the app tests."""
from __future__ import annotations

import os
import socket

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # before anything imports gradio

import pytest

from tests.conftest import SEED_000, SEED_004


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def app_pipeline(tmp_path_factory):
    from index.embedder import Embedder
    from index.retriever import Retriever
    from qa.pipeline import Pipeline
    from qa.reader import Reader

    retriever = Retriever.build([SEED_000, SEED_004], out=tmp_path_factory.mktemp("app") / "index", embedder=Embedder())
    pipeline = Pipeline(retriever, Reader())
    pipeline.warm_up()
    return pipeline


@pytest.fixture(scope="session")
def app_url(app_pipeline):
    """The page served on a free local port in this process (gradio's own server thread)."""
    from app import CONCURRENCY, build_app

    demo = build_app(app_pipeline)
    demo.queue(default_concurrency_limit=CONCURRENCY)
    port = free_port()
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True, show_error=False)
    yield f"http://127.0.0.1:{port}/"
    demo.close()
