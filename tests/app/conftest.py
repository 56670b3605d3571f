"""One small index (the two seeds), one pipeline and one running page, shared by the app tests."""
from __future__ import annotations

import os
import socket

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # before anything imports gradio

import pytest

from tests.conftest import copy_of_seed_index


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def app_pipeline(tmp_path_factory, seed_pipeline, seed_retriever):
    """The page's pipeline: the session's models over a private copy of the seed index (the app tests upload)."""
    from qa.pipeline import Pipeline

    retriever = copy_of_seed_index(seed_retriever, tmp_path_factory.mktemp("app") / "index")
    return Pipeline(retriever, seed_pipeline.reader)


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
