"""The page as `from app import build_app` gives it: its named API endpoints and their inputs, its examples."""
from __future__ import annotations

import gradio as gr
import pytest

from app import CONCURRENCY, build_app
from app.examples import EXAMPLE_LIMIT
from qa.pipeline import Pipeline

# The endpoints and their parameter names are the page's API (README, "The web page"): they must not drift.
ENDPOINTS = {
    "/ask": ["question", "doc_ids"],
    "/search": ["query", "k", "doc_ids"],
    "/filings": [],
    "/audit": ["doc_id"],
    "/add_filing": ["file", "selected"],
    "/remove_filing": ["doc_id", "selected"],
}


def test_build_app_needs_an_index():
    with pytest.raises(ValueError, match="needs a pipeline with a retriever"):
        build_app(Pipeline(None, None))
    assert CONCURRENCY == 1


@pytest.mark.slow
def test_build_app_names_its_api_endpoints_and_their_inputs(app_pipeline):
    demo = build_app(app_pipeline)
    assert isinstance(demo, gr.Blocks)
    named = {fn.api_name for fn in demo.fns.values() if fn.api_visibility == "public"}
    assert named == {name.lstrip("/") for name in ENDPOINTS}
    api = demo.get_api_info()["named_endpoints"]
    assert {name: [p["parameter_name"] for p in api[name]["parameters"]] for name in ENDPOINTS} == ENDPOINTS
    assert [len(api[name]["returns"]) for name in ENDPOINTS] == [3, 2, 1, 5, 7, 7]
    assert all(fn.concurrency_id == "pipeline" for fn in demo.fns.values()
               if fn.api_name in ("ask", "search", "audit", "remove_filing"))
    # An upload has a slot of its own: its build runs in a child process while questions are answered.
    assert [fn.concurrency_id for fn in demo.fns.values() if fn.api_name == "add_filing"] == ["build"]


@pytest.mark.slow
def test_the_example_buttons_ask_about_the_indexed_filings(app_pipeline):
    demo = build_app(app_pipeline)
    row = next(b for b in demo.blocks.values() if getattr(b, "elem_id", None) == "examples")
    # the filing indexed last first (an upload's questions lead); the unused slots are hidden, kept for later uploads
    assert [b.value for b in row.children if b.visible] == ["What were Crexendo's total revenues for Q2 2021?",
                                                            "What were Crexendo's total revenues for Q3 2020?",
                                                            "Why did service revenue change in Q3 2020?"]
    assert len(row.children) == EXAMPLE_LIMIT


def test_the_examples_follow_an_upload():
    from types import SimpleNamespace

    from app import actions
    from corpus import load_filing
    from tests.conftest import SEED_000, SEED_004

    filings = {"crexendo": load_filing(SEED_000), "acme": load_filing(SEED_004, company="Acme Corp", doc_id="acme")}
    retriever = SimpleNamespace(filings=lambda: [{"doc_id": d} for d in filings], filing=filings.__getitem__)
    shown = [u["value"] for u in actions.examples(SimpleNamespace(retriever=retriever)) if u["visible"]]
    assert shown[0] == "What were Acme's total revenues for Q2 2021?" and "Crexendo" in " ".join(shown[1:])


@pytest.mark.slow
def test_cancel_runs_beside_the_build_it_stops(app_pipeline):
    """Cancel must not wait in the pipeline's queue slot or lock: the upload it stops holds them."""
    demo = build_app(app_pipeline)
    cancel = next(b for b in demo.blocks.values() if getattr(b, "elem_id", None) == "cancel-btn")
    (event,) = [fn for fn in demo.fns.values() if any(t[0] == cancel._id for t in fn.targets)]
    assert event.queue is False and event.concurrency_id != "pipeline"
    assert event.fn().startswith("Stopping the build")
