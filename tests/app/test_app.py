"""The page's actions on a real pipeline (the two seeds): upload, bad uploads, remove, the facts cache."""
from __future__ import annotations

import shutil

import gradio as gr
import pytest

from app import UserError, add_filing, build_app, remove_filing
from tests.conftest import SEED_004
from tests.pdf_fixture import make_pdf

pytestmark = pytest.mark.slow

SEEDS = ["crexendo-2020q3-10q", "crexendo-2021q2-10q"]


def _ids(pipeline):
    return [f["doc_id"] for f in pipeline.retriever.filings()]


def _cached(pipeline, doc_id):
    return any(key[0] == doc_id for key in pipeline._facts)  # keys are (doc_id, content hash)


def test_build_app_names_its_api_endpoints(app_pipeline):
    demo = build_app(app_pipeline)
    assert isinstance(demo, gr.Blocks)
    named = {fn.api_name for fn in demo.fns.values() if fn.api_visibility == "public"}
    assert {"ask", "search", "filings", "add_filing", "remove_filing", "audit"} <= named


@pytest.mark.parametrize("name,content,message", [
    ("broken.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage", "Could not read broken.pdf"),
    ("scan.pdf", make_pdf([[]]), "Could not read scan.pdf"),
    ("notes.docx", b"PK\x03\x04", "unsupported file type '.docx'"),
    ("binary.txt", bytes(range(256)) * 64, "Could not read binary.txt"),
])
def test_bad_uploads_get_a_clear_message_and_leave_the_index_alone(app_pipeline, tmp_path, name, content, message):
    before = app_pipeline.retriever.filings()
    chunks = len(app_pipeline.retriever)
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UserError, match=message) as err:
        add_filing(app_pipeline, path)
    assert "Traceback" not in str(err.value)
    assert app_pipeline.retriever.filings() == before and len(app_pipeline.retriever) == chunks


def test_upload_then_remove_a_filing(app_pipeline, tmp_path):
    path = tmp_path / "acme-2021q2-10q-note.txt"
    shutil.copy(SEED_004, path)
    message = add_filing(app_pipeline, path)
    added = [d for d in _ids(app_pipeline) if d not in SEEDS]
    assert len(added) == 1 and message.startswith(f"Added {added[0]} (")
    doc_id = added[0]
    assert app_pipeline.ask("What was desktop devices revenue in the six months ended June 30, 2021?",
                            doc_ids=[doc_id]).citations[0].doc_id == doc_id
    assert _cached(app_pipeline, doc_id)
    assert add_filing(app_pipeline, path) == f"{doc_id} is already indexed and unchanged."

    assert remove_filing(app_pipeline, doc_id).startswith(f"Removed {doc_id} (")
    assert _ids(app_pipeline) == SEEDS and not _cached(app_pipeline, doc_id)
    with pytest.raises(UserError, match="no filing"):
        remove_filing(app_pipeline, doc_id)
    with pytest.raises(UserError, match="Pick a filing"):
        remove_filing(app_pipeline, None)
