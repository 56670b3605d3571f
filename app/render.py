"""What the page shows, as pure functions of typed values: HTML cards, table rows and CSV files.

The answer card (✓/✗ badge per check), the evidence (each citation's passage with the cited span in <mark>), the
filings, passages and audit tables. Every string from a filing is escaped here; nothing here touches the pipeline.
"""
from __future__ import annotations

import csv
import html
import re
from pathlib import Path
from typing import Any, Callable, Sequence

from corpus.errors import FilingNotFoundError, one_line
from qa.model import STATUS_MARKS, Answer, Citation, format_money

CONTEXT_CHARS = 300  # evidence: characters shown before and after the cited span

# The classes the cards below use; the page hands this to its HTML components.
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
.fq-cell { border-collapse: collapse; margin: 4px 0 8px; font-size: 14px; }
.fq-cell th { text-align: left; color: #57606a; font-weight: 500; padding: 1px 12px 1px 0; vertical-align: top; }
.fq-cell td { padding: 1px 0; }
.fq-cell mark { background: #fff1a8; color: #1f2328; font-weight: 600; border-bottom: 2px solid #d4a72c; }
"""

FILING_HEADERS = ["doc_id", "company", "form", "period end", "fiscal period", "pages", "chunks"]
# The passage text comes right after its filing; the section (its last headings) and the scores' parts after it.
HIT_HEADERS = ["rank", "score", "doc_id", "text", "section", "period", "page", "kind", "dense", "lexical"]
HIT_COLUMN_WIDTHS = ["5%", "6%", "11%", "44%", "13%", "8%", "4%", "5%", "2%", "2%"]
SECTION_CHARS = 60  # the section as the table shows it; the whole path is in the JSON
# A claim is its metric, segment and period (the JSON's "claim" joins them; the table does not repeat it), its figures,
# what kept it from being verified, and the sentence.
CLAIM_HEADERS = ["status", "metric", "segment", "period", "current", "prior", "change", "percent", "problems", "page",
                 "text"]
SUM_HEADERS = ["status", "metric", "drivers", "total", "stated change", "unexplained", "page", "offset", "items"]
DISAGREEMENT_HEADERS = ["detail", "metric", "segment", "period", "table value", "text value", "table offset",
                        "text offset"]


def fiscal_period(fiscal_quarter: int | None, fiscal_year: int | None) -> str:
    """The fiscal period as the page writes it: "Q3 2020", "FY2020", or "" when unknown."""
    if fiscal_quarter and fiscal_year:
        return f"Q{fiscal_quarter} {fiscal_year}"
    return f"FY{fiscal_year}" if fiscal_year else ""


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


# --------------------------------------------------------------------------- the answer

def answer_card(answer: Answer) -> str:
    """The answer as an HTML card: text, value and unit, confidence, and a ✓/✗ badge per check."""
    if answer.kind == "invalid":  # an empty or over-long question: its message alone
        return f'<div class="fq-card fq-none"><div class="fq-answer">{_e(answer.text)}</div></div>'
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


# --------------------------------------------------------------------------- the evidence

def _paragraphs(text: str) -> list[str]:
    """Hard-wrapped filing text as paragraphs: blank lines split, single newlines become spaces."""
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]


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
        blocks.append(f'<div class="fq-card fq-evidence"><h4>[{n}] {_e(title)}</h4>'
                      f'<div class="fq-where">{" · ".join(_e(w) for w in _where(c))}</div>'
                      f'{_cited_passage(c, filing_of)}</div>')
    return "".join(blocks)


def _where(c: Citation) -> list[str]:
    where = [f"section: {c.section}" if c.section else "section: (none)"]
    if c.period:
        where.append(f"period: {c.period}")
    if c.segment:
        where.append(f"segment: {c.segment}")
    where.append(f"page {c.page}" if c.page else "page: n/a (plain text)")
    where.append(f"characters {c.start:,}–{c.end:,}")
    return where


def cell_html(c: Citation) -> str:
    """A table figure's cell as an analyst checks it: the table and its units, the row, the column, the printed cell
    (highlighted) and the filer's XBRL tag where there is one."""
    cell = c.cell
    if cell is None:
        return ""
    rows = [("table", _e(cell.heading() or "(untitled)")), ("row", _e(cell.row)), ("column", _e(cell.column or "(not read)")),
            ("cell", f"<mark>{_e(cell.text)}</mark>")]
    if cell.concept:
        rows.append(("XBRL tag", _e(cell.concept)))
    body = "".join(f"<tr><th>{name}</th><td>{value}</td></tr>" for name, value in rows)
    return f'<table class="fq-cell">{body}</table>'


def _cited_passage(c: Citation, filing_of: Callable[[str], Any]) -> str:
    try:
        if c.cell is not None:  # the cell first; below it the row and its neighbours, the cell marked in the row
            return cell_html(c) + passage_html(filing_of(c.doc_id).text, c.cell.start, c.cell.end)
        return passage_html(filing_of(c.doc_id).text, c.start, c.end)
    except (FilingNotFoundError, KeyError, ValueError) as exc:  # removed after answering, or offsets are off
        return (f'<div class="fq-passage"><mark>{_e(" ".join(c.text.split()))}</mark></div>'
                f'<div class="fq-muted">({_e(one_line(exc))})</div>')


# --------------------------------------------------------------------------- tables

def filings_rows(filings: Sequence[dict]) -> list[list[Any]]:
    # a text or HTML filing has no pages: "n/a", as the evidence card says, not 0
    return [[f.get("doc_id", ""), f.get("company") or "", f.get("form") or "", f.get("period_end") or "",
             fiscal_period(f.get("fiscal_quarter"), f.get("fiscal_year")), f.get("pages") or "n/a", f.get("chunks") or 0]
            for f in filings]


def hits_rows(hits: Sequence[Any]) -> list[list[Any]]:
    return [[i, round(h.score, 4), h.doc_id, " ".join(h.text.split()), _short_section(h.section), h.period or "",
             h.page if h.page is not None else "", h.kind, round(h.dense_score, 4), round(h.lexical_score, 3)]
            for i, h in enumerate(hits, start=1)]


def _short_section(section: str) -> str:
    """The section's innermost heading, cut to SECTION_CHARS."""
    last = section.rsplit(" > ", 1)[-1]
    return last if len(last) <= SECTION_CHARS else last[:SECTION_CHARS - 1].rstrip() + "…"


def audit_tables(report: dict[str, Any]) -> tuple[list[list], list[list], list[list]]:
    """The audit report as rows for the claims, driver-sum and disagreement tables (and their CSVs)."""
    claims = []
    for c in report["claims"]:
        problems = "; ".join(f"{k['status']} ({k['kind']}): {k['detail']}"
                             for k in c["checks"] if k["status"] != "verified")
        claims.append([f"{STATUS_MARKS.get(c['status'], '?')} {c['status']}", c["metric"], c["segment"] or "",
                       c["period"] or "", c["current"], c["prior"], c["change"], c["percent"] or "", problems,
                       c["page"] if c["page"] is not None else "", c["text"]])
    sums = []
    for s in report["driver_sums"]:
        mark = {"verified": "✓", "mismatch": "✗"}.get(s["status"], "?")
        items = "; ".join(f"{'offset: ' if d['offsetting'] else ''}{d['label']} {d['amount']:,.0f}" for d in s["items"])
        sums.append([f"{mark} {s['status']}", s["metric"], s["drivers"], s["total"], s["stated_change"],
                     s["unexplained"], s["page"] if s["page"] is not None else "", s["start"], items])
    disagreements = [[d["detail"], d["metric"], d["segment"] or "", d["period"] or "", d["table_value"],
                      d["text_value"], d["table_start"], d["text_start"]] for d in report["disagreements"]]
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
