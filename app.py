"""The filingqa web page (Gradio): ask, see the evidence, trust the numbers.

    python app.py [--host 127.0.0.1] [--port 7860] [--index DIR] [--share]

    from app import build_app
    demo = build_app(Pipeline.load())        # a gr.Blocks; mount it or demo.launch()

Tabs: Ask (answer card with ✓/✗ checks, evidence passages with the cited span marked), Filings (list, upload,
remove), Audit (every numeric claim of a filing, driver sums, table-text disagreements; CSV), Passages (raw
retrieval). Named API endpoints (`/ask`, `/search`, `/filings`, `/add_filing`, `/remove_filing`, `/audit`) are
documented in the README ("The web page"). The pipeline is built once and shared; every event that touches it runs in one
queue slot (`concurrency_id="pipeline"`), so on two cores a request waits its turn instead of thrashing.
"""
from __future__ import annotations

import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # no usage pings; must be set before gradio is imported

import argparse  # noqa: E402
import csv  # noqa: E402
import functools  # noqa: E402
import html  # noqa: E402
import logging  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any, Callable, Sequence  # noqa: E402

import gradio as gr  # noqa: E402

from corpus import FilingParseError  # noqa: E402
from index.errors import IndexMismatchError, IndexNotFoundError, InvalidQueryError  # noqa: E402
from qa.figures.audit import audit_report  # noqa: E402
from qa.model import STATUS_MARKS, Answer, format_money  # noqa: E402
from qa.pipeline import Pipeline  # noqa: E402

log = logging.getLogger("filingqa.app")

EXAMPLES = [
    "Why did G&A rise in Q3?",
    "What was total revenue in Q3?",
    "How are cancellation fees recognized?",
    "By how much did service revenue increase in the nine months?",
    "Who is the CFO?",
]
UPLOAD_TYPES = (".txt", ".htm", ".html", ".pdf")
MAX_UPLOAD_MB = 50
CONTEXT_CHARS = 300  # evidence: characters shown before and after the cited span
CONCURRENCY = 1  # pipeline events at a time: torch already uses both cores for one request

CSS = """
.fq-card { border: 1px solid #d0d7de; border-radius: 10px; padding: 14px 18px; margin: 4px 0 10px; background: #fff;
  color: #1f2328; font-size: 15px; line-height: 1.5; }
.fq-card.fq-none { border-color: #d4a72c; background: #fff8e5; }
.fq-card.fq-error { border-color: #cf222e; background: #ffebe9; }
.fq-answer { font-size: 16px; margin-bottom: 8px; }
.fq-meta { display: flex; flex-wrap: wrap; gap: 8px 18px; align-items: baseline; margin: 6px 0; color: #57606a; }
.fq-value { font-size: 22px; font-weight: 600; color: #1f2328; }
.fq-formula { font-family: monospace; font-size: 13px; color: #57606a; }
.fq-checks { list-style: none; padding: 0; margin: 8px 0 0; }
.fq-checks li { margin: 4px 0; }
.fq-badge { display: inline-block; min-width: 7.5em; border-radius: 999px; padding: 1px 10px; margin-right: 8px;
  font-size: 13px; font-weight: 600; text-align: center; }
.fq-badge.fq-verified { background: #dafbe1; color: #116329; border: 1px solid #4ac26b; }
.fq-badge.fq-mismatch { background: #ffebe9; color: #a40e26; border: 1px solid #ff8182; }
.fq-badge.fq-unverifiable { background: #eaeef2; color: #57606a; border: 1px solid #afb8c1; }
.fq-detail { color: #57606a; font-size: 13px; }
.fq-evidence h4 { margin: 0 0 2px; font-size: 14px; color: #1f2328; }
.fq-where { font-size: 13px; color: #57606a; margin-bottom: 6px; }
.fq-passage { font-size: 14px; line-height: 1.55; color: #1f2328; }
.fq-passage p { margin: 0 0 8px; }
.fq-passage mark { background: #fff1a8; color: #1f2328; padding: 1px 0; border-bottom: 2px solid #d4a72c; }
.fq-muted { color: #57606a; }
"""


class UserError(Exception):
    """A problem the user can fix (bad upload, unknown filing); shown as one line, never a traceback."""


# --------------------------------------------------------------------------- rendering (pure functions)

def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _paragraphs(text: str) -> list[str]:
    """Hard-wrapped filing text as paragraphs: blank lines split, single newlines become spaces."""
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]


def answer_card(answer: Answer) -> str:
    """The answer as an HTML card: text, value and unit, confidence, and a ✓/✗ badge per check."""
    if answer.no_answer:
        return (f'<div class="fq-card fq-none"><div class="fq-answer">{_e(answer.text)}</div>'
                f'<div class="fq-meta">No answer: the indexed filings do not support one.</div></div>')
    parts = [f'<div class="fq-card fq-ok"><div class="fq-answer">{_e(answer.text)}</div><div class="fq-meta">']
    if answer.value is not None:
        parts.append(f'<span class="fq-value">{_e(format_money(answer.value, answer.unit))}</span>')
    parts.append(f"<span>confidence {answer.confidence:.0%}</span><span>found as: {_e(answer.kind)}</span></div>")
    if answer.formula:
        parts.append(f'<div class="fq-formula">computed: {_e(answer.formula)}</div>')
    if answer.checks:
        parts.append('<ul class="fq-checks">')
        for check in answer.checks:
            status = check.status if check.status in STATUS_MARKS else "unverifiable"
            what = f"{check.kind}: " if check.kind else ""
            parts.append(f'<li><span class="fq-badge fq-{status}">{STATUS_MARKS[status]} {_e(status)}</span>'
                         f'<span class="fq-detail">{_e(what)}{_e(check.detail)}</span></li>')
        parts.append("</ul>")
    else:
        parts.append('<div class="fq-detail">No arithmetic to check in this answer.</div>')
    parts.append("</div>")
    return "".join(parts)


def error_card(message: str) -> str:
    return f'<div class="fq-card fq-error"><div class="fq-answer">{_e(message)}</div></div>'


def passage_window(text: str, start: int, end: int, context: int = CONTEXT_CHARS) -> tuple[str, str, str]:
    """(before, cited, after): the cited span `text[start:end]` with about `context` characters either side,
    widened to whole words."""
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"citation [{start}, {end}) lies outside the filing text (length {len(text)})")
    a = max(0, start - context)
    if a > 0 and not text[a - 1].isspace():  # cut inside a word: start after its end
        space = text.find(" ", a, start)
        a = space + 1 if space != -1 else a
    b = min(len(text), end + context)
    if b < len(text) and not text[b].isspace():
        space = text.rfind(" ", end, b)
        b = space if space != -1 else b
    return text[a:start], text[start:end], text[end:b]


def passage_html(text: str, start: int, end: int, context: int = CONTEXT_CHARS) -> str:
    """The passage around a citation, escaped, reflowed into paragraphs, with the cited span in <mark>."""
    before, cited, after = passage_window(text, start, end, context)
    # Sentinels survive escaping and reflowing, then become the <mark> tags.
    marked = f"{before}\x02{cited}\x03{after}"
    paras = []
    for p in _paragraphs(marked):
        if p:
            paras.append(_e(p).replace("\x02", "<mark>").replace("\x03", "</mark>"))
    if paras and start - len(before) > 0:
        paras[0] = "… " + paras[0]
    if paras and end + len(after) < len(text):
        paras[-1] += " …"
    # A span that crosses a paragraph break: close and reopen the mark in each paragraph.
    body = _balance_marks("".join(f"<p>{p}</p>" for p in paras))
    return f'<div class="fq-passage">{body}</div>'


def _balance_marks(body: str) -> str:
    out, open_mark = [], False
    for para in re.findall(r"<p>.*?</p>", body, flags=re.S):
        inner = para[3:-4]
        if open_mark:
            inner = "<mark>" + inner
        opens, closes = inner.count("<mark>"), inner.count("</mark>")
        open_mark = opens > closes
        if open_mark:
            inner += "</mark>"
        out.append(f"<p>{inner}</p>")
    return "".join(out)


def evidence_html(answer: Answer, filing_of: Callable[[str], Any], filings_meta: dict[str, dict] | None = None) -> str:
    """Each citation: filing, section, period and page, then the passage with the cited span highlighted."""
    if not answer.citations:
        return '<div class="fq-muted">No evidence to show.</div>'
    meta = filings_meta or {}
    blocks, seen = [], set()
    for n, c in enumerate(answer.citations, start=1):
        if (c.doc_id, c.start, c.end) in seen:
            continue
        seen.add((c.doc_id, c.start, c.end))
        m = meta.get(c.doc_id, {})
        title = " ".join(str(x) for x in (m.get("company"), m.get("form")) if x)
        title = f"{title} ({c.doc_id})" if title else c.doc_id
        where = [f"section: {c.section}" if c.section else "section: (none)"]
        if c.period:
            where.append(f"period: {c.period}")
        if c.segment:
            where.append(f"segment: {c.segment}")
        where.append(f"page {c.page}" if c.page else "page: n/a (plain text)")
        where.append(f"characters {c.start:,}–{c.end:,}")
        try:
            passage = passage_html(filing_of(c.doc_id).text, c.start, c.end)
        except (KeyError, ValueError) as exc:  # the filing was removed after answering, or offsets are off
            passage = f'<div class="fq-passage"><mark>{_e(" ".join(c.text.split()))}</mark></div>' \
                      f'<div class="fq-muted">({_e(_one_line(exc))})</div>'
        blocks.append(f'<div class="fq-card fq-evidence"><h4>[{n}] {_e(title)}</h4>'
                      f'<div class="fq-where">{" · ".join(_e(w) for w in where)}</div>{passage}</div>')
    return "".join(blocks)


def _one_line(exc: BaseException) -> str:
    text = str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc)
    return " ".join(text.split()) or exc.__class__.__name__


FILING_HEADERS = ["doc_id", "company", "form", "period end", "fiscal period", "pages", "chunks"]


def filings_rows(filings: Sequence[dict]) -> list[list[Any]]:
    rows = []
    for f in filings:
        fq, fy = f.get("fiscal_quarter"), f.get("fiscal_year")
        fiscal = f"Q{fq} {fy}" if fq and fy else (f"FY{fy}" if fy else "")
        rows.append([f.get("doc_id", ""), f.get("company") or "", f.get("form") or "", f.get("period_end") or "",
                     fiscal, f.get("pages") or 0, f.get("chunks") or 0])
    return rows


HIT_HEADERS = ["rank", "score", "dense", "lexical", "doc_id", "section", "period", "page", "kind", "text"]


def hits_rows(hits: Sequence[Any]) -> list[list[Any]]:
    return [[i, round(h.score, 4), round(h.dense_score, 4), round(h.lexical_score, 3), h.doc_id, h.section,
             h.period or "", h.page if h.page is not None else "", h.kind, " ".join(h.text.split())]
            for i, h in enumerate(hits, start=1)]


CLAIM_HEADERS = ["status", "claim", "metric", "segment", "period", "current", "prior", "change", "percent", "page",
                 "offset", "problems", "text"]
SUM_HEADERS = ["status", "metric", "drivers", "total", "stated change", "unexplained", "page", "offset", "items"]
DISAGREEMENT_HEADERS = ["detail", "metric", "segment", "period", "table value", "text value", "table offset",
                        "text offset"]


def audit_tables(report: dict[str, Any]) -> tuple[list[list], list[list], list[list]]:
    """The audit report as rows for the claims, driver-sum and disagreement tables (and their CSVs)."""
    claims = []
    for c in report["claims"]:
        problems = "; ".join(f"{k['status']} ({k['kind']}): {k['detail']}"
                             for k in c["checks"] if k["status"] != "verified")
        claims.append([f"{STATUS_MARKS.get(c['status'], '?')} {c['status']}", c["claim"], c["metric"], c["segment"] or "",
                       c["period"] or "", c["current"], c["prior"], c["change"], c["percent"] or "",
                       c["page"] if c["page"] is not None else "", c["start"], problems, c["text"]])
    sums = []
    for s in report["driver_sums"]:
        mark = {"verified": "✓", "mismatch": "✗"}.get(s["status"], "?")
        items = "; ".join(f"{'offset: ' if d['offsetting'] else ''}{d['label']} {d['amount']:,.0f}" for d in s["items"])
        sums.append([f"{mark} {s['status']}", s["metric"], s["drivers"], s["total"], s["stated_change"],
                     s["unexplained"],
                     s["page"] if s["page"] is not None else "", s["start"], items])
    disagreements = [[d["detail"], d["metric"], d["segment"] or "", d["period"] or "", d["table_value"],
                      d["text_value"],
                      d["table_start"], d["text_start"]] for d in report["disagreements"]]
    return claims, sums, disagreements


def write_audit_csv(report: dict[str, Any], directory: str | Path) -> list[str]:
    """claims, driver sums and disagreements as three CSV files (UTF-8 with BOM so spreadsheets read ✓/✗)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, headers, rows in zip(("claims", "driver-sums", "disagreements"),
                                   (CLAIM_HEADERS, SUM_HEADERS, DISAGREEMENT_HEADERS), audit_tables(report)):
        path = directory / f"{report['doc_id']}-audit-{name}.csv"
        with path.open("w", newline="", encoding="utf-8-sig") as fh:
            writer = csv.writer(fh)
            writer.writerow(headers)
            writer.writerows(rows)
        paths.append(str(path))
    return paths


# --------------------------------------------------------------------------- actions on the pipeline

def check_upload(path: str | Path | None, max_mb: float = MAX_UPLOAD_MB) -> Path:
    """The uploaded file, if it is one we accept; UserError with the reason otherwise."""
    if path is None or str(path) == "":
        raise UserError("Choose a filing to upload (.txt, .htm, .html or .pdf).")
    path = Path(path)
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


def add_filing(pipeline: Pipeline, path: str | Path | None, *, progress: bool = False) -> str:
    """Parse and index one uploaded filing; a one-line summary. The index is unchanged when this raises."""
    path = check_upload(path)
    try:
        report = pipeline.retriever.add([path], progress=progress)
    except FilingParseError as exc:
        raise UserError(f"Could not read {path.name}: {_one_line(exc)}. The index is unchanged.") from exc
    for doc_id in report.added + report.replaced + report.unchanged:
        pipeline.forget(doc_id)  # its cached facts belong to the old text
    if report.added:
        return f"Added {', '.join(report.added)} ({report.chunks} passages, {report.seconds:.1f} s)."
    if report.replaced:
        return f"Updated {', '.join(report.replaced)} ({report.chunks} passages, {report.seconds:.1f} s)."
    return f"{', '.join(report.unchanged)} is already indexed and unchanged."


def remove_filing(pipeline: Pipeline, doc_id: str | None) -> str:
    if not doc_id:
        raise UserError("Pick a filing to remove.")
    try:
        chunks = pipeline.retriever.remove(doc_id)
    except KeyError as exc:
        raise UserError(_one_line(exc)) from exc
    pipeline.forget(doc_id)
    return f"Removed {doc_id} ({chunks} passages)."


# --------------------------------------------------------------------------- the page

def _kindly(fallback: Callable[[str], Any]):
    """Run a handler; on an error, log it, show a one-line warning and return `fallback(message)` as outputs."""
    def wrap(fn):
        @functools.wraps(fn)  # gradio reads the signature (API parameter names, gr.Progress) through __wrapped__
        def handler(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except (UserError, InvalidQueryError, FilingParseError) as exc:
                message = _one_line(exc)
            except Exception as exc:  # the page shows one line; the log keeps the traceback
                log.exception("filingqa: %s failed", fn.__name__)
                message = f"Something went wrong ({exc.__class__.__name__}: {_one_line(exc)})."
            gr.Warning(message)
            return fallback(message)
        return handler
    return wrap


def build_app(pipeline: Pipeline, *, title: str = "filingqa") -> gr.Blocks:
    """The page over an already loaded pipeline (models load once, outside any request)."""
    if pipeline.retriever is None:
        raise ValueError("build_app needs a pipeline with a retriever (an index)")
    lock = threading.RLock()  # also guards callers that mount the Blocks with other events of their own

    def doc_ids() -> list[str]:
        return [f["doc_id"] for f in pipeline.retriever.filings()]

    def meta_by_id() -> dict[str, dict]:
        return {f["doc_id"]: f for f in pipeline.retriever.filings()}

    def choices_updates(selected_filter: Sequence[str] | None = None) -> tuple:
        ids = doc_ids()
        kept = [d for d in (selected_filter or []) if d in ids]
        return (gr.update(choices=ids, value=kept), gr.update(choices=ids, value=kept),
                gr.update(choices=ids, value=None), gr.update(choices=ids, value=ids[0] if ids else None))

    with gr.Blocks(title=title, analytics_enabled=False) as demo:
        gr.Markdown("# filingqa\nQuestions over SEC filings, answered with evidence you can check: every figure "
                    "cites its source passage, and the arithmetic of stated changes is re-done (✓ verified, "
                    "✗ mismatch).")
        with gr.Tabs():
            # ---------------------------------------------------------------- Ask
            with gr.Tab("Ask", id="ask"):
                with gr.Row():
                    question = gr.Textbox(label="Question", placeholder="e.g. Why did G&A rise in Q3?", lines=1,
                                          max_lines=3, scale=5, elem_id="question", autofocus=True)
                    ask_btn = gr.Button("Ask", variant="primary", scale=1, elem_id="ask-btn")
                ask_filter = gr.Dropdown(choices=doc_ids(), value=[], multiselect=True, label="Only these filings",
                                         info="Leave empty to search every indexed filing.", elem_id="ask-filter")
                gr.Markdown("Try an example:")
                with gr.Row(elem_id="examples"):
                    example_btns = [gr.Button(q, size="sm", variant="secondary", min_width=60) for q in EXAMPLES]
                card = gr.HTML(value="", label="answer_card", elem_id="answer-card", css_template=CSS, js_on_load=None)
                gr.Markdown("### Evidence")
                evidence = gr.HTML(value='<div class="fq-muted">Ask a question to see the passages it rests on.</div>',
                                   label="evidence", elem_id="evidence", css_template=CSS, js_on_load=None)
                with gr.Accordion("Answer as JSON (what the /ask API returns)", open=False):
                    answer_json = gr.JSON(label="answer", elem_id="answer-json")

            # ---------------------------------------------------------------- Filings
            with gr.Tab("Filings", id="filings"):
                filings_df = gr.Dataframe(value=filings_rows(pipeline.retriever.filings()), headers=FILING_HEADERS,
                                          interactive=False, label="Indexed filings", elem_id="filings-table")
                with gr.Row():
                    with gr.Column():
                        upload = gr.File(label=f"Add a filing ({', '.join(UPLOAD_TYPES)}; up to {MAX_UPLOAD_MB} MB)",
                                         file_types=list(UPLOAD_TYPES), type="filepath", elem_id="upload")
                        add_btn = gr.Button("Parse and add to the index", variant="primary", elem_id="add-btn")
                    with gr.Column():
                        remove_pick = gr.Dropdown(choices=doc_ids(), value=None, label="Remove a filing",
                                                  elem_id="remove-pick")
                        remove_btn = gr.Button("Remove from the index", variant="stop", elem_id="remove-btn")
                filings_status = gr.Markdown(label="status", elem_id="filings-status")

            # ---------------------------------------------------------------- Audit
            with gr.Tab("Audit", id="audit"):
                ids = doc_ids()
                with gr.Row():
                    audit_pick = gr.Dropdown(choices=ids, value=ids[0] if ids else None, label="Filing", scale=4,
                                             elem_id="audit-pick")
                    audit_btn = gr.Button("Audit", variant="primary", scale=1, elem_id="audit-btn")
                audit_summary = gr.Markdown(label="summary", elem_id="audit-summary")
                claims_df = gr.Dataframe(headers=CLAIM_HEADERS, interactive=False, wrap=True,
                                         label="Numeric claims (✓ verified, ✗ mismatch, ? unverifiable); "
                                               "click a header to sort")
                sums_df = gr.Dataframe(headers=SUM_HEADERS, interactive=False, wrap=True,
                                       label="Driver sums: do the stated drivers add up to the stated change?")
                disagreements_df = gr.Dataframe(headers=DISAGREEMENT_HEADERS, interactive=False, wrap=True,
                                                label="Table-text disagreements")
                audit_files = gr.File(label="Download as CSV", file_count="multiple", interactive=False)

            # ---------------------------------------------------------------- Passages
            with gr.Tab("Passages", id="passages"):
                with gr.Row():
                    query = gr.Textbox(label="Query", placeholder="why did G&A rise in Q3", scale=4, elem_id="query")
                    k = gr.Slider(1, 20, value=5, step=1, label="top k", scale=1)
                search_filter = gr.Dropdown(choices=doc_ids(), value=[], multiselect=True, label="Only these filings")
                search_btn = gr.Button("Search", variant="primary", elem_id="search-btn")
                hits_df = gr.Dataframe(headers=HIT_HEADERS, interactive=False, wrap=True,
                                       label="Retrieved passages (score: fused dense + BM25, 1 = best possible)")
                with gr.Accordion("Hits as JSON (what the /search API returns)", open=False):
                    hits_json = gr.JSON(label="hits")

        # -------------------------------------------------------------------- handlers
        @_kindly(lambda msg: (error_card(msg), "", {"error": msg}))
        def ask(question: str, doc_ids: list[str] | None = None):
            """Answer a question over the indexed filings. Returns (answer card HTML, evidence HTML, answer JSON)."""
            with lock:
                answer = pipeline.ask(question or "", doc_ids=list(doc_ids) if doc_ids else None)
                evidence_block = evidence_html(answer, pipeline.retriever.filing, meta_by_id())
                return answer_card(answer), evidence_block, answer.to_dict()

        @_kindly(lambda msg: ([], {"error": msg}))
        def search(query: str, k: float = 5, doc_ids: list[str] | None = None):
            """Top-k retrieved passages. Returns (table rows, list of hits as dicts)."""
            with lock:
                hits = pipeline.retriever.search(query or "", k=int(k), doc_ids=list(doc_ids) if doc_ids else None)
            return hits_rows(hits), [h.to_dict() for h in hits]

        def list_filings():
            """The indexed filings as table rows (doc_id, company, form, period end, fiscal period, pages, chunks)."""
            with lock:
                return filings_rows(pipeline.retriever.filings())

        def after_change(message: str, selected: Sequence[str] | None):
            return (f"✓ {message}", filings_rows(pipeline.retriever.filings()), None, *choices_updates(selected))

        def change_failed(message: str):
            return (f"✗ {message}", gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip())

        @_kindly(change_failed)
        def add(file: str | None, selected: list[str] | None = None, progress=gr.Progress(track_tqdm=True)):  # noqa: B008 (gradio injects it so)
            """Parse an uploaded filing (.txt, .htm, .html, .pdf) and add it to the index."""
            progress(0.05, desc="Parsing and embedding")
            with lock:
                message = add_filing(pipeline, file, progress=True)
                return after_change(message, selected)

        @_kindly(change_failed)
        def remove(doc_id: str | None, selected: list[str] | None = None):
            """Remove a filing (by doc_id) from the index."""
            with lock:
                message = remove_filing(pipeline, doc_id)
                return after_change(message, selected)

        @_kindly(lambda msg: (f"✗ {msg}", [], [], [], None))
        def audit(doc_id: str | None):
            """Audit a filing's numeric claims. Returns (summary, claims, driver sums, disagreements, CSV files)."""
            if not doc_id:
                raise UserError("Pick a filing to audit.")
            with lock:
                try:
                    filing = pipeline.retriever.filing(doc_id)
                except KeyError as exc:
                    raise UserError(_one_line(exc)) from exc
                report = audit_report(filing, pipeline.facts(filing))
            claims, sums, disagreements = audit_tables(report)
            files = write_audit_csv(report, tempfile.mkdtemp(prefix="filingqa-audit-"))
            return report["summary"], claims, sums, disagreements, files

        pipeline_events = dict(concurrency_id="pipeline", concurrency_limit=CONCURRENCY)
        ask_io = dict(fn=ask, inputs=[question, ask_filter], outputs=[card, evidence, answer_json], **pipeline_events)
        ask_btn.click(api_name="ask", **ask_io)
        question.submit(api_visibility="private", **ask_io)
        for btn, text in zip(example_btns, EXAMPLES):  # an example fills the box, then answers
            btn.click(lambda t=text: t, outputs=[question], api_visibility="private", queue=False).then(
                api_visibility="private", **ask_io)

        search_io = dict(fn=search, inputs=[query, k, search_filter], outputs=[hits_df, hits_json], **pipeline_events)
        search_btn.click(api_name="search", **search_io)
        query.submit(api_visibility="private", **search_io)

        change_outputs = [filings_status, filings_df, upload, ask_filter, search_filter, remove_pick, audit_pick]
        add_btn.click(add, inputs=[upload, ask_filter], outputs=change_outputs, api_name="add_filing",
                      **pipeline_events)
        remove_btn.click(remove, inputs=[remove_pick, ask_filter], outputs=change_outputs, api_name="remove_filing",
                         **pipeline_events)
        audit_btn.click(audit, inputs=[audit_pick], outputs=[audit_summary, claims_df, sums_df, disagreements_df,
                                                              audit_files], api_name="audit", **pipeline_events)
        demo.load(list_filings, outputs=[filings_df], api_name="filings", queue=False)
        # A page opened after an upload or removal elsewhere must offer the current filings, not those at build time.
        demo.load(choices_updates, outputs=[ask_filter, search_filter, remove_pick, audit_pick],
                  api_visibility="private", queue=False)
    return demo


# --------------------------------------------------------------------------- command line

def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python app.py", description="Serve the filingqa web page.")
    parser.add_argument("--host", default="127.0.0.1",
                        help="interface to listen on (0.0.0.0 for all; default %(default)s)")
    parser.add_argument("--port", type=int, default=7860, help="port (default %(default)s)")
    parser.add_argument("--index", metavar="DIR",
                        help="an index folder (default: the bundled corpus, built on first use)")
    parser.add_argument("--share", action="store_true", help="also open a public gradio.live link (off by default)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")

    started = time.perf_counter()
    print("filingqa: loading the index and models"
          + ("" if args.index else " (the first run builds the index over the bundled filings, about a minute)"),
          file=sys.stderr, flush=True)
    try:
        pipeline = Pipeline.load(index_dir=args.index)
    except (IndexNotFoundError, IndexMismatchError, FilingParseError) as exc:
        print(f"error: {_one_line(exc)}", file=sys.stderr)
        return 2
    print(f"filingqa: ready in {time.perf_counter() - started:.1f} s: {len(pipeline.retriever.filings())} filings, "
          f"{len(pipeline.retriever)} passages", file=sys.stderr, flush=True)
    demo = build_app(pipeline)
    demo.queue(default_concurrency_limit=CONCURRENCY, max_size=64)
    demo.launch(server_name=args.host, server_port=args.port, share=args.share, max_file_size=f"{MAX_UPLOAD_MB}mb",
                show_error=False, footer_links=["api"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
