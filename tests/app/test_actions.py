"""app/actions.py called directly, without a server: the outputs of each event, index changes through the
pipeline, and errors as one line (the page's one `kindly` wrapper)."""
from __future__ import annotations

import logging
import shutil
from pathlib import Path
from types import SimpleNamespace

import gradio as gr
import pytest

from app import actions
from app.actions import UserError, check_upload
from app.folders import PageFolders
from corpus.errors import FilingQAError
from qa.reader import ReaderModelError
from tests.conftest import SEED_004
from tests.pdf_fixture import make_pdf

SEEDS = ["crexendo-2020q3-10q", "crexendo-2021q2-10q"]
SKIP = gr.skip()

# Outside a gradio request the page's warning toast becomes a Python warning; the outputs are what is tested here.
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


def _cached(pipeline, doc_id):
    return any(key[0] == doc_id for key in pipeline._facts)  # keys are (doc_id, content hash)


def _one_line(status: str) -> bool:
    return "\n" not in status and "Traceback" not in status


def _folders(tmp_path) -> PageFolders:
    """The page's folders for a test: uploads "arrive" in tmp_path."""
    return PageFolders(uploads=tmp_path, outputs=tmp_path / "outputs")


# --------------------------------------------------------------------------- errors, without models

def test_a_user_error_is_a_filingqa_error():
    assert issubclass(UserError, FilingQAError)


def test_every_filingqa_error_shows_its_message_as_one_line():
    def broken(question, doc_ids=None):
        raise ReaderModelError("qa/models/x: no model weights\n(model.safetensors)")

    with pytest.warns(UserWarning, match="no model weights"):  # the toast, outside a request
        card, evidence, answer = actions.ask(SimpleNamespace(ask=broken, refresh=lambda: False), "Why?")
    assert answer == {"error": "qa/models/x: no model weights (model.safetensors)"}
    assert "fq-error" in card and "no model weights" in card and evidence == ""


def test_an_unexpected_error_is_one_line_too_and_logged(caplog):
    def broken(question, doc_ids=None):
        raise RuntimeError("boom")

    with caplog.at_level(logging.ERROR, logger="filingqa.app"):
        _, _, answer = actions.ask(SimpleNamespace(ask=broken, refresh=lambda: False), "Why?")
    assert answer == {"error": "Something went wrong (RuntimeError: boom)."}
    assert "ask failed" in caplog.text and caplog.records[0].exc_info  # the traceback stays in the log


def test_nothing_picked_is_a_message():
    status, *rest = actions.remove_filing(None, None)
    assert status == "✗ Pick a filing to remove." and rest == [SKIP] * 6
    assert actions.audit(None, "") == ("✗ Pick a filing to audit.", [], [], [], None)
    status, *_ = actions.add_filing(None, None)
    assert status.startswith("✗ Choose a filing to upload")


def test_check_upload_rejects_wrong_type_empty_missing_and_huge(tmp_path):
    folders = _folders(tmp_path)
    exe = tmp_path / "filing.exe"
    exe.write_bytes(b"MZ")
    with pytest.raises(UserError, match="unsupported file type '.exe'"):
        check_upload(exe, folders)
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    with pytest.raises(UserError, match="empty"):
        check_upload(empty, folders)
    with pytest.raises(UserError, match="Choose a filing"):
        check_upload(None, folders)
    with pytest.raises(UserError, match="not a file uploaded to this page"):
        check_upload(tmp_path / "gone.pdf", folders)
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 2_000_000)
    with pytest.raises(UserError, match="larger than the 1 MB limit"):
        check_upload(big, folders, max_mb=1)
    ok = tmp_path / "ok.HTM"
    ok.write_text("<p>Revenue</p>")
    assert check_upload(ok, folders) == ok


def test_check_upload_refuses_any_file_that_was_not_uploaded_to_the_page(tmp_path):
    """The API takes a path: a path to a server file (a private note, the project's own requirements) is refused."""
    uploads, elsewhere = tmp_path / "uploads", tmp_path / "private"
    uploads.mkdir()
    elsewhere.mkdir()
    secret = elsewhere / "notes.txt"
    secret.write_text("Revenue was $999,000,000. The password is hunter2.")
    secret.chmod(0o600)
    folders = PageFolders(uploads=uploads, outputs=tmp_path / "outputs")
    for path in (secret, uploads / ".." / "private" / "notes.txt", Path(actions.__file__).parents[1] / "requirements.txt"):
        with pytest.raises(UserError, match="not a file uploaded to this page"):
            check_upload(path, folders)
    link = uploads / "innocent.txt"
    link.symlink_to(secret)  # a link inside the upload folder to a file outside it
    with pytest.raises(UserError, match="not a file uploaded to this page"):
        check_upload(link, folders)
    with pytest.raises(UserError, match="not a file uploaded to this page"):
        check_upload(secret, None)  # no upload folder known: nothing is an upload
    status, *_ = actions.add_filing(None, str(secret), [], folders=folders)
    assert status.startswith("✗ notes.txt: not a file uploaded to this page")


# --------------------------------------------------------------------------- on the seed pipeline

@pytest.mark.slow
def test_ask_returns_the_card_the_evidence_and_the_answer(app_pipeline):
    card, evidence, answer = actions.ask(app_pipeline, "Why did G&A rise in Q3?")
    assert "uplisting" in card and "✓ verified" in card and "$311,000" in card
    assert "<mark>" in evidence and "uplisting" in evidence and "Crexendo, Inc. 10-Q (crexendo-2020q3-10q)" in evidence
    assert answer["kind"] == "explanation" and answer["citations"][0]["doc_id"] == SEEDS[0]
    _, _, only = actions.ask(app_pipeline, "What was total revenue in Q3?", [SEEDS[1]])
    assert all(c["doc_id"] == SEEDS[1] for c in only["citations"])


@pytest.mark.slow
def test_search_filings_and_audit(app_pipeline, tmp_path):
    rows, hits = actions.search(app_pipeline, "why did G&A rise in Q3", 3)
    assert len(rows) == len(hits) == 3 and rows[0][0] == 1 and any("uplisting" in h["text"] for h in hits)
    rows, error = actions.search(app_pipeline, "  ")
    assert rows == [] and "empty" in error["error"] and _one_line(error["error"])  # InvalidQueryError
    assert [row[0] for row in actions.filings(app_pipeline)] == SEEDS
    summary, claims, sums, disagreements, files = actions.audit(app_pipeline, SEEDS[0], _folders(tmp_path))
    assert summary.startswith(f"{SEEDS[0]}: ") and claims and len(files) == 3
    again = actions.audit(app_pipeline, SEEDS[0], _folders(tmp_path))[4]
    assert again == files and sorted(p.name for p in (tmp_path / "outputs" / "audit").iterdir()) == sorted(
        Path(f).name for f in files)  # the next audit replaces the files, no folder per call
    summary, *rest = actions.audit(app_pipeline, "nope-10q")
    assert summary.startswith("✗ no filing 'nope-10q'") and rest == [[], [], [], None]  # FilingNotFoundError


@pytest.mark.slow
def test_pickers_offer_the_indexed_filings_and_keep_the_selection(app_pipeline):
    ask_filter, search_filter, remove_pick, audit_pick = actions.pickers(app_pipeline, [SEEDS[1], "gone-10q"])
    assert ask_filter["choices"] == SEEDS and ask_filter["value"] == search_filter["value"] == [SEEDS[1]]
    assert remove_pick["value"] is None and audit_pick["value"] == SEEDS[0]


@pytest.mark.slow
@pytest.mark.parametrize("name,content,message", [
    ("broken.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage", "✗ Could not read broken.pdf: "),
    ("scan.pdf", make_pdf([[]]), "✗ Could not read scan.pdf: "),
    ("notes.docx", b"PK\x03\x04", "✗ notes.docx: unsupported file type '.docx'"),
    ("binary.txt", bytes(range(256)) * 64, "✗ Could not read binary.txt: "),
])
def test_a_bad_upload_is_a_one_line_message_and_leaves_the_index_alone(app_pipeline, tmp_path, name, content,
                                                                        message):
    before, chunks = app_pipeline.retriever.filings(), len(app_pipeline.retriever)
    path = tmp_path / name
    path.write_bytes(content)
    status, *rest = actions.add_filing(app_pipeline, str(path), [SEEDS[0]], folders=_folders(tmp_path))
    assert status.startswith(message) and _one_line(status) and rest == [SKIP] * 6
    assert app_pipeline.retriever.filings() == before and len(app_pipeline.retriever) == chunks


@pytest.mark.slow
def test_upload_another_filing_of_the_same_name_and_remove_go_through_the_pipeline(app_pipeline, tmp_path):
    folders = _folders(tmp_path)
    path = tmp_path / "acme-2021q2-10q-note.txt"
    shutil.copy(SEED_004, path)
    path.write_text(SEED_004.read_text(encoding="utf-8") + "\n\nAcme's own note.\n", encoding="utf-8")
    status, table, upload, ask_filter, *_ = actions.add_filing(app_pipeline, str(path), [SEEDS[0]], folders=folders)
    doc_id = next(row[0] for row in table if row[0] not in SEEDS)
    assert status.startswith(f"✓ Added {doc_id} (") and upload is None
    assert doc_id in ask_filter["choices"] and ask_filter["value"] == [SEEDS[0]]
    _, _, answer = actions.ask(app_pipeline, "What was desktop devices revenue in the six months ended June 30, 2021?",
                               [doc_id])
    assert answer["citations"][0]["doc_id"] == doc_id and _cached(app_pipeline, doc_id)
    again = actions.add_filing(app_pipeline, str(path), folders=folders)[0]
    assert again.startswith(f"✓ {doc_id} is already indexed and unchanged")
    renamed = tmp_path / "someone-else-named-it.txt"
    shutil.copy(path, renamed)  # the same bytes under another name: the same filing
    assert actions.add_filing(app_pipeline, str(renamed), folders=folders)[0].startswith(f"✓ {doc_id} is already indexed")

    # Another file of the same name is another filing: added beside it under its own id, replacing nothing.
    path.write_text(SEED_004.read_text(encoding="utf-8") + "\n\nSubsequent events: none.\n", encoding="utf-8")
    status, table, *_ = actions.add_filing(app_pipeline, str(path), folders=folders)
    other = next(row[0] for row in table if row[0] not in SEEDS and row[0] != doc_id)
    assert status.startswith(f"✓ Added {other} (") and other.startswith(f"{doc_id}-") and _cached(app_pipeline, doc_id)

    for gone in (other, doc_id):
        status, table, *_ = actions.remove_filing(app_pipeline, gone, [gone])
        assert status.startswith(f"✓ Removed {gone} (") and gone not in [row[0] for row in table]
        assert not _cached(app_pipeline, gone)
    assert [row[0] for row in table] == SEEDS
    status, *rest = actions.remove_filing(app_pipeline, doc_id)
    assert status.startswith(f"✗ no filing '{doc_id}'") and _one_line(status) and rest == [SKIP] * 6


@pytest.mark.slow
def test_cancel_stops_an_upload_mid_build_and_leaves_the_index_alone(app_pipeline, tmp_path):
    class CancelAtFirstBatch(actions.BuildControl):
        checks = 0

        def check(self):
            type(self).checks += 1
            self.cancel()  # as the page's Cancel button does, from another request
            super().check()

    path = tmp_path / "acme-2021q2-10q-note.txt"
    path.write_text(SEED_004.read_text(encoding="utf-8") + "\n\nA passage no index has seen yet.\n", encoding="utf-8")
    before, chunks = app_pipeline.retriever.filings(), len(app_pipeline.retriever)
    status, *rest = actions.add_filing(app_pipeline, str(path), [SEEDS[0]], control=CancelAtFirstBatch(),
                                       folders=_folders(tmp_path))
    assert status == "✗ Build cancelled; nothing was added and the index is unchanged." and rest == [SKIP] * 6
    assert CancelAtFirstBatch.checks == 1
    assert app_pipeline.retriever.filings() == before and len(app_pipeline.retriever) == chunks
    reopened = type(app_pipeline.retriever).load(app_pipeline.retriever.directory)
    assert [f["doc_id"] for f in reopened.filings()] == [f["doc_id"] for f in before]
