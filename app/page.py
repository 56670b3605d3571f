"""The page's layout and event wiring (Gradio); what each event does is in app/actions.py.

Tabs: Ask (answer card with ✓/✗ checks, evidence passages with the cited span marked), Filings (list, upload,
remove), Audit (every numeric claim of a filing, driver sums, table-text disagreements; CSV), Passages (raw
retrieval). The named API endpoints are `/ask`, `/search`, `/filings`, `/audit`, `/add_filing`, `/remove_filing`
(see the README, "The web page"). The pipeline is built once and shared; every event that uses its models runs in
one queue slot (`concurrency_id="pipeline"`), so on two cores a request waits its turn instead of thrashing, and under
one lock (which also guards callers that mount the Blocks beside events of their own). An upload runs in a slot of
its own (`"build"`): its parsing and embedding happen in a child process on one core (index/isolated.py), and the
index it changes is swapped in whole once saved, so questions are answered meanwhile. The page reads only what was
uploaded to it (app/folders.py).
"""
from __future__ import annotations

import functools
import inspect
import threading
from types import SimpleNamespace
from typing import Any, Callable

import gradio as gr

from app import actions
from app.actions import MAX_UPLOAD_MB, UPLOAD_TYPES
from app.examples import EXAMPLE_LIMIT
from app.folders import PageFolders
from app.render import (
    CLAIM_HEADERS,
    CSS,
    DISAGREEMENT_HEADERS,
    FILING_HEADERS,
    HIT_COLUMN_WIDTHS,
    HIT_HEADERS,
    SUM_HEADERS,
)
from qa.pipeline import Pipeline

CONCURRENCY = 1  # pipeline events at a time: torch already uses both cores for one request
INTRO = ("# filingqa\nQuestions over SEC filings, answered with evidence you can check: every figure cites its source "
         "passage, and the arithmetic of stated changes is re-done (✓ verified, ✗ mismatch).")


def build_app(pipeline: Pipeline, *, title: str = "filingqa", folders: PageFolders | None = None) -> gr.Blocks:
    """The page over an already loaded pipeline (models load once, outside any request). `folders`: where uploads
    arrive and downloads are written (default: Gradio's upload folder of this process, and a new outputs folder)."""
    if pipeline.retriever is None:
        raise ValueError("build_app needs a pipeline with a retriever (an index)")
    folders = folders if folders is not None else PageFolders.private()
    ids = actions.indexed_ids(pipeline)
    examples = [u["value"] for u in actions.examples(pipeline) if u.get("visible")]
    with gr.Blocks(title=title, analytics_enabled=False) as demo:
        gr.Markdown(INTRO)
        with gr.Tabs():
            ui = SimpleNamespace(**_ask_tab(ids, examples), **_filings_tab(pipeline, ids), **_audit_tab(ids),
                                 **_passages_tab(ids))
        _wire(demo, ui, _server(pipeline), folders)
    return demo


def _server(pipeline: Pipeline) -> Callable[..., Callable]:
    """`serve(fn)`: the action `fn(pipeline, *inputs)` as an event handler of the inputs alone, one at a time
    (`locked=False`: outside the lock, for the upload, which uses no model of this process)."""
    lock = threading.RLock()

    def serve(fn: Callable, locked: bool = True) -> Callable:
        @functools.wraps(fn)
        def handler(*args, **kwargs):
            if not locked:
                return fn(pipeline, *args, **kwargs)
            with lock:
                return fn(pipeline, *args, **kwargs)

        # gradio reads the inputs (API parameter names, the gr.Progress default) from the signature
        signature = inspect.signature(fn)
        handler.__signature__ = signature.replace(parameters=list(signature.parameters.values())[1:])
        return handler
    return serve


# --------------------------------------------------------------------------- layout, one tab each

def _ask_tab(ids: list[str], examples: list[str]) -> dict[str, Any]:
    with gr.Tab("Ask", id="ask"):
        with gr.Row():
            question = gr.Textbox(label="Question", placeholder="e.g. Why did G&A rise in Q3?", lines=1,
                                  max_lines=3, scale=5, elem_id="question", autofocus=True)
            ask_btn = gr.Button("Ask", variant="primary", scale=1, elem_id="ask-btn")
        ask_filter = gr.Dropdown(choices=ids, value=[], multiselect=True, label="Only these filings",
                                 info="Leave empty to search every indexed filing.", elem_id="ask-filter")
        gr.Markdown("Try an example:")
        with gr.Row(elem_id="examples"):  # EXAMPLE_LIMIT slots, relabelled after each upload or removal
            example_btns = [gr.Button(examples[n] if n < len(examples) else "", size="sm", variant="secondary",
                                      min_width=60, visible=n < len(examples)) for n in range(EXAMPLE_LIMIT)]
        card = gr.HTML(value="", label="answer_card", elem_id="answer-card", css_template=CSS, js_on_load=None)
        gr.Markdown("### Evidence")
        evidence = gr.HTML(value='<div class="fq-muted">Ask a question to see the passages it rests on.</div>',
                           label="evidence", elem_id="evidence", css_template=CSS, js_on_load=None)
        with gr.Accordion("Answer as JSON (what the /ask API returns)", open=False):
            answer_json = gr.JSON(label="answer", elem_id="answer-json")
    return dict(question=question, ask_btn=ask_btn, ask_filter=ask_filter, example_btns=example_btns, card=card,
                evidence=evidence, answer_json=answer_json)


def _filings_tab(pipeline: Pipeline, ids: list[str]) -> dict[str, Any]:
    with gr.Tab("Filings", id="filings"):
        filings_df = gr.Dataframe(value=actions.filings(pipeline), headers=FILING_HEADERS, interactive=False,
                                  label="Indexed filings", elem_id="filings-table")
        with gr.Row():
            with gr.Column():
                upload = gr.File(label=f"Add a filing ({', '.join(UPLOAD_TYPES)}; up to {MAX_UPLOAD_MB} MB)",
                                 file_types=list(UPLOAD_TYPES), type="filepath", elem_id="upload")
                with gr.Row():
                    add_btn = gr.Button("Parse and add to the index", variant="primary", elem_id="add-btn", scale=3)
                    cancel_btn = gr.Button("Cancel", variant="secondary", elem_id="cancel-btn", scale=1)
            with gr.Column():
                remove_pick = gr.Dropdown(choices=ids, value=None, label="Remove a filing", elem_id="remove-pick")
                remove_btn = gr.Button("Remove from the index", variant="stop", elem_id="remove-btn")
        filings_status = gr.Markdown(label="status", elem_id="filings-status")
    return dict(filings_df=filings_df, upload=upload, add_btn=add_btn, cancel_btn=cancel_btn, remove_pick=remove_pick,
                remove_btn=remove_btn, filings_status=filings_status)


def _audit_tab(ids: list[str]) -> dict[str, Any]:
    with gr.Tab("Audit", id="audit"):
        with gr.Row():
            audit_pick = gr.Dropdown(choices=ids, value=ids[0] if ids else None, label="Filing", scale=4,
                                     elem_id="audit-pick")
            audit_btn = gr.Button("Audit", variant="primary", scale=1, elem_id="audit-btn")
        audit_summary = gr.Markdown(label="summary", elem_id="audit-summary")
        claims_df = gr.Dataframe(headers=CLAIM_HEADERS, interactive=False, wrap=True,
                                 label="Numeric claims (✓ verified, ✗ mismatch, ? unverifiable); click a header to sort")
        sums_df = gr.Dataframe(headers=SUM_HEADERS, interactive=False, wrap=True,
                               label="Driver sums: do the stated drivers add up to the stated change?")
        disagreements_df = gr.Dataframe(headers=DISAGREEMENT_HEADERS, interactive=False, wrap=True,
                                        label="Table-text disagreements")
        audit_files = gr.File(label="Download as CSV", file_count="multiple", interactive=False)
    return dict(audit_pick=audit_pick, audit_btn=audit_btn,
                audit_outputs=[audit_summary, claims_df, sums_df, disagreements_df, audit_files])


def _passages_tab(ids: list[str]) -> dict[str, Any]:
    with gr.Tab("Passages", id="passages"):
        with gr.Row():
            query = gr.Textbox(label="Query", placeholder="why did G&A rise in Q3", scale=4, elem_id="query")
            k = gr.Slider(1, 20, value=5, step=1, label="top k", scale=1)
        search_filter = gr.Dropdown(choices=ids, value=[], multiselect=True, label="Only these filings")
        search_btn = gr.Button("Search", variant="primary", elem_id="search-btn")
        hits_df = gr.Dataframe(headers=HIT_HEADERS, interactive=False, wrap=True, column_widths=HIT_COLUMN_WIDTHS,
                               label="Retrieved passages (score: fused dense + BM25, 1 = best possible)")
        with gr.Accordion("Hits as JSON (what the /search API returns)", open=False):
            hits_json = gr.JSON(label="hits")
    return dict(query=query, k=k, search_filter=search_filter, search_btn=search_btn, hits_df=hits_df,
                hits_json=hits_json)


# --------------------------------------------------------------------------- events

def _wire(demo: gr.Blocks, ui: SimpleNamespace, serve: Callable[..., Callable],
          folders: PageFolders) -> None:
    slot = dict(concurrency_id="pipeline", concurrency_limit=CONCURRENCY)
    ask_io = dict(fn=serve(actions.ask), inputs=[ui.question, ui.ask_filter],
                  outputs=[ui.card, ui.evidence, ui.answer_json], **slot)
    ui.ask_btn.click(api_name="ask", **ask_io)
    ui.question.submit(api_visibility="private", **ask_io)
    for btn in ui.example_btns:  # an example fills the box with its current label, then answers
        btn.click(lambda label: label, inputs=[btn], outputs=[ui.question], api_visibility="private",
                  queue=False).then(api_visibility="private", **ask_io)

    search_io = dict(fn=serve(actions.search), inputs=[ui.query, ui.k, ui.search_filter],
                     outputs=[ui.hits_df, ui.hits_json], **slot)
    ui.search_btn.click(api_name="search", **search_io)
    ui.query.submit(api_visibility="private", **search_io)

    pickers = [ui.ask_filter, ui.search_filter, ui.remove_pick, ui.audit_pick]
    change_outputs = [ui.filings_status, ui.filings_df, ui.upload, *pickers]
    control = actions.BuildControl()

    def add_filing(pipeline, file, selected=None, progress=gr.Progress()):  # noqa: B008 (gradio injects it so)
        return actions.add_filing(pipeline, file, selected, progress, control=control, folders=folders)

    def audit(pipeline, doc_id):
        return actions.audit(pipeline, doc_id, folders)

    # Its own slot, outside the lock: the build runs in a child process, and questions go on meanwhile.
    # Progress shows on the status line alone (not once per output); the examples follow the filings.
    refresh_examples = dict(fn=serve(actions.examples), outputs=ui.example_btns, api_visibility="private", **slot)
    ui.add_btn.click(serve(add_filing, locked=False), inputs=[ui.upload, ui.ask_filter], outputs=change_outputs,
                     api_name="add_filing", concurrency_id="build", concurrency_limit=1,
                     show_progress_on=[ui.filings_status]).then(**refresh_examples)
    # Outside the pipeline's slot and lock: it must run while the build it stops holds them.
    ui.cancel_btn.click(control.cancel, outputs=[ui.filings_status], api_visibility="private", queue=False)
    ui.remove_btn.click(serve(actions.remove_filing), inputs=[ui.remove_pick, ui.ask_filter], outputs=change_outputs,
                        api_name="remove_filing", show_progress_on=[ui.filings_status], **slot).then(**refresh_examples)
    ui.audit_btn.click(serve(audit), inputs=[ui.audit_pick], outputs=ui.audit_outputs, api_name="audit", **slot)
    demo.load(serve(actions.filings), outputs=[ui.filings_df], api_name="filings", queue=False)
    # A page opened after an upload or removal elsewhere must offer the current filings, not those at build time.
    demo.load(serve(actions.pickers), outputs=pickers, api_visibility="private", queue=False)
    demo.load(serve(actions.examples), outputs=ui.example_btns, api_visibility="private", queue=False)
