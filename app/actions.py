"""What the page does, as plain functions: `handler(pipeline, *inputs) -> outputs`, testable without a server.

Each handler returns exactly the outputs of its event (app/page.py wires them; the API names are in brackets):
`ask` [/ask], `search` [/search], `filings` [/filings], `audit` [/audit], `add_filing` [/add_filing],
`remove_filing` [/remove_filing], and `pickers` (the filing dropdowns, refreshed on page load). Index changes go
through the pipeline (`Pipeline.add` / `Pipeline.remove` drop the cached facts of a changed filing).

Errors are turned into outputs in one place, `kindly`: a `FilingQAError` (a bad upload, an unknown filing, an
unusable query, a missing index or model) shows its message as one line; anything else shows one line too and
leaves its traceback in the log.
"""
from __future__ import annotations

import functools
import logging
import threading
from pathlib import Path
from typing import Any, Callable, Sequence

import gradio as gr

from app.examples import EXAMPLE_LIMIT, example_questions
from app.folders import PageFolders
from app.render import (
    answer_card,
    audit_tables,
    error_card,
    evidence_html,
    filings_rows,
    hits_rows,
    write_audit_csv,
)
from corpus.errors import FilingParseError, FilingQAError, one_line
from index.errors import BuildCancelledError
from index.retriever import AddReport
from qa.figures.audit import audit_report
from qa.pipeline import Pipeline

log = logging.getLogger("filingqa.app")

UPLOAD_TYPES = (".txt", ".htm", ".html", ".pdf")
MAX_UPLOAD_MB = 50


class UserError(FilingQAError):
    """Something the user gave the page that it cannot take (no file, wrong type, too large, nothing picked)."""


def kindly(fallback: Callable[[str], Any]):
    """Run a handler; on an error, log it, show a one-line warning and return `fallback(message)` as outputs."""
    def wrap(fn):
        @functools.wraps(fn)  # gradio reads the signature (API parameter names, gr.Progress) through __wrapped__
        def handler(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except FilingQAError as exc:
                message = one_line(exc)
            except Exception as exc:  # the page shows one line; the log keeps the traceback
                log.exception("filingqa: %s failed", fn.__name__)
                message = f"Something went wrong ({exc.__class__.__name__}: {one_line(exc)})."
            gr.Warning(message)
            return fallback(message)
        return handler
    return wrap


def indexed_ids(pipeline: Pipeline) -> list[str]:
    """The doc_ids of the indexed filings, in order."""
    return [f["doc_id"] for f in pipeline.retriever.filings()]


# --------------------------------------------------------------------------- asking

@kindly(lambda msg: (error_card(msg), "", {"error": msg}))
def ask(pipeline: Pipeline, question: str, doc_ids: list[str] | None = None):
    """Answer a question over the indexed filings. Returns (answer card HTML, evidence HTML, answer JSON)."""
    pipeline.refresh()  # another process (the command line) may have changed the index since
    answer = pipeline.ask(question or "", doc_ids=list(doc_ids) if doc_ids else None)
    meta = {f["doc_id"]: f for f in pipeline.retriever.filings()}
    return answer_card(answer), evidence_html(answer, pipeline.retriever.filing, meta), answer.to_dict()


@kindly(lambda msg: ([], {"error": msg}))
def search(pipeline: Pipeline, query: str, k: float = 5, doc_ids: list[str] | None = None):
    """Top-k retrieved passages. Returns (table rows, list of hits as dicts)."""
    hits = pipeline.retriever.search(query or "", k=int(k), doc_ids=list(doc_ids) if doc_ids else None)
    return hits_rows(hits), [h.to_dict() for h in hits]


@kindly(lambda msg: (f"✗ {msg}", [], [], [], None))
def audit(pipeline: Pipeline, doc_id: str | None, folders: PageFolders | None = None):
    """Audit a filing's numeric claims. Returns (summary, claims, driver sums, disagreements, CSV files).

    The CSV files go to the page's outputs folder, one set per filing, replaced by the next audit of it."""
    if not doc_id:
        raise UserError("Pick a filing to audit.")
    filing = pipeline.retriever.filing(doc_id)
    report = audit_report(filing, pipeline.facts(filing))
    claims, sums, disagreements = audit_tables(report)
    files = write_audit_csv(report, folders.outputs / "audit") if folders is not None else None
    return report["summary"], claims, sums, disagreements, files


# --------------------------------------------------------------------------- the filings

def filings(pipeline: Pipeline):
    """The indexed filings as table rows (doc_id, company, form, period end, fiscal period, pages, chunks)."""
    return filings_rows(pipeline.retriever.filings())


def pickers(pipeline: Pipeline, selected: Sequence[str] | None = None) -> tuple[dict, dict, dict, dict]:
    """The filing dropdowns (Ask filter, Passages filter, Remove, Audit) offering the indexed filings; the two
    filters keep what of `selected` is still indexed."""
    ids = indexed_ids(pipeline)
    kept = [d for d in (selected or []) if d in ids]
    return (gr.update(choices=ids, value=kept), gr.update(choices=ids, value=kept),
            gr.update(choices=ids, value=None), gr.update(choices=ids, value=ids[0] if ids else None))


def examples(pipeline: Pipeline) -> list[dict]:
    """The example buttons' labels: questions about the filings added last (an upload's first), one per button,
    the unused buttons hidden."""
    ids = indexed_ids(pipeline)[::-1][:EXAMPLE_LIMIT]
    questions = example_questions([pipeline.retriever.filing(d) for d in ids])
    return [gr.update(value=q, visible=True) for q in questions] + [gr.update(visible=False)] * (EXAMPLE_LIMIT - len(questions))


def _change_failed(message: str) -> tuple:
    """Outputs of an add or remove that failed: the message, every other output as it was."""
    return (f"✗ {message}", gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip())


def _changed(pipeline: Pipeline, message: str, selected: Sequence[str] | None) -> tuple:
    """Outputs of an add or remove: the message, the filings table, a cleared upload, the pickers."""
    return (f"✓ {message}", filings(pipeline), None, *pickers(pipeline, selected))


def check_upload(path: str | Path | None, folders: PageFolders | None, max_mb: float = MAX_UPLOAD_MB) -> Path:
    """The uploaded file, if it is one we accept; UserError with the reason otherwise.

    Only a file in the page's own upload folder is an upload: the API takes a path, and a path to any other file on
    the server (a private note, the project's own files) is refused before anything reads it."""
    if path is None or str(path) == "":
        raise UserError("Choose a filing to upload (.txt, .htm, .html or .pdf).")
    path = Path(path)
    if folders is None or not folders.holds_upload(path):
        raise UserError(f"{path.name}: not a file uploaded to this page; upload the filing itself.")
    if path.suffix.lower() not in UPLOAD_TYPES:
        raise UserError(f"{path.name}: unsupported file type {path.suffix or '(none)'!r}; "
                        f"upload a filing as {', '.join(UPLOAD_TYPES)}.")
    if not path.is_file():
        raise UserError(f"{path.name}: the upload did not arrive; try again.")
    size = path.stat().st_size
    if size == 0:
        raise UserError(f"{path.name}: the file is empty.")
    if size > max_mb * 1024 * 1024:
        raise UserError(f"{path.name}: {size / 1024 / 1024:,.1f} MB is larger than the {max_mb:g} MB limit.")
    return path


class BuildControl:
    """The page's Cancel button: stops the build in progress wherever it is (parsing included: the build runs in a
    child process, which is stopped).

    One per page; builds run one at a time (they share the build queue slot), so one flag serves them all.
    """

    def __init__(self):
        self._stop = threading.Event()

    def start(self) -> None:
        self._stop.clear()

    def cancel(self) -> str:
        self._stop.set()
        return "Stopping the build; the index stays as it was."

    def cancelled(self) -> bool:
        return self._stop.is_set()

    def check(self) -> None:
        if self._stop.is_set():
            raise BuildCancelledError("Build cancelled; nothing was added and the index is unchanged.")


@kindly(_change_failed)
def add_filing(pipeline: Pipeline, file: str | None, selected: list[str] | None = None,
               progress=gr.Progress(), control: BuildControl | None = None,  # noqa: B008 (gradio injects it so)
               folders: PageFolders | None = None):
    """Parse an uploaded filing (.txt, .htm, .html, .pdf) and add it to the index.

    The parsing and embedding run in a child process (questions are answered meanwhile); progress shows the passages
    embedded so far; `control.cancel()` stops the build, at any point, before anything is written.
    """
    control = control if control is not None else BuildControl()
    control.start()
    path = check_upload(file, folders)
    progress(0.02, desc=f"Parsing {path.name}")

    def embedding(done: int, total: int) -> None:
        control.check()
        progress((done, total) if total else 1.0, desc="Embedding passages", unit="passages")

    try:
        report = pipeline.add([path], on_progress=embedding, isolated=True, cancelled=control.cancelled)
    except FilingParseError as exc:  # the index is only written once the filing is parsed and embedded
        raise UserError(f"Could not read {path.name}: {one_line(exc)}. The index is unchanged.") from exc
    return _changed(pipeline, _added(report), selected)


def _added(report: AddReport) -> str:
    if report.added:
        said = f"Added {', '.join(report.added)} ({report.chunks} passages, {report.seconds:.1f} s)."
    elif report.replaced:
        said = f"Updated {', '.join(report.replaced)} ({report.chunks} passages, {report.seconds:.1f} s)."
    else:
        said = f"{', '.join(report.unchanged)} is already indexed and unchanged (the same file, by its content)."
    return " ".join([said, *(f"Note: {note}." for note in report.notes)])


@kindly(_change_failed)
def remove_filing(pipeline: Pipeline, doc_id: str | None, selected: list[str] | None = None):
    """Remove a filing (by doc_id) from the index."""
    if not doc_id:
        raise UserError("Pick a filing to remove.")
    chunks = pipeline.remove(doc_id)
    return _changed(pipeline, f"Removed {doc_id} ({chunks} passages).", selected)
