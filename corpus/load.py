"""`load_filing(path, **meta) -> Filing`: the one entry point from a file to a parsed filing."""
from __future__ import annotations

import bisect
import hashlib
import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from corpus.clean import clean_text, drop_running_heads, normalize_chars
from corpus.dom_tables import place_rows
from corpus.errors import FilingParseError
from corpus.loaders import FIGURE_OPEN, MAX_BYTES, RawDocument, read_pages, strip_figures, take_blocks, take_figures
from corpus.metadata import (
    FilingMeta,
    check_dei_period,
    check_fiscal_year,
    merge_meta,
    meta_from_dei,
    meta_from_filename,
    meta_from_text,
    pick_company,
    quarter_from_period_end,
    ticker_from_text,
)
from corpus.model import Filing, PageSpan, Table, XbrlFact
from corpus.structure import Block, build_structure, statements_by_reference
from corpus.xbrl import dei_values

PAGE_SEPARATOR = "\n\n"
MAX_XBRL_WARNINGS = 5  # per filing; the rest are counted
BLOCK_SLACK = 300  # how far past its raw place a block may lie in the cleaned page (tabs grow, little else does)
MAX_REFERENCED_FACTS = 200  # figures a 10-K tags when its statements are elsewhere (IBM 62, Wells Fargo 18; others 700+)


MAX_DOC_ID_CHARS = 80  # ids name files in an index folder (filings/<doc_id>.json): far under any file-name limit


def doc_id_for(path: Path) -> str:
    """A readable id from the file name: `EBAY_2023Q2_10Q.pdf` -> `ebay-2023q2-10q` (an index makes it unique)."""
    slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-") or "filing"
    if len(slug) > MAX_DOC_ID_CHARS:  # a 250-character file name: cut, and keep apart names that share the cut part
        slug = slug[:MAX_DOC_ID_CHARS - 9].rstrip("-") + "-" + hashlib.sha256(slug.encode()).hexdigest()[:8]
    return slug


def content_hash_of(data: bytes) -> str:
    """A filing's identity: the hash of its file's bytes (the same content under any name is the same filing)."""
    return hashlib.sha256(data).hexdigest()[:16]


def _clean_pages(pages: list[str], paged: bool) -> list[str]:
    if paged:
        pages = drop_running_heads(pages)
    return [clean_text(p, paged=paged) for p in pages]


def _word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _printed_at(text: str, figure: str, lo: int, hi: int) -> list[int]:
    """Where `figure` stands alone in text[lo:hi]: not inside a longer number or word ("1,234" is not in
    "11,234" nor in "1,234.5"). A plain scan: compiling a pattern per figure took a third of PDF parsing."""
    hits: list[int] = []
    hi = min(hi, len(text))
    i = text.find(figure, lo, hi) if figure else -1
    while i != -1:
        j = i + len(figure)
        before = text[i - 1] if i > 0 else ""
        after = text[j] if j < hi else ""
        follows_digit = j + 1 < hi and text[j + 1].isdecimal()
        if not (before and (_word_char(before) or before in ".,")) and not (after and (_word_char(after) or (after in ".," and follows_digit))):
            hits.append(i)
            i = text.find(figure, j, hi)
        else:
            i = text.find(figure, i + 1, hi)
    return hits


def _relocate(figures: dict[int, tuple[int, int]], marked: str, plain: str) -> dict[int, tuple[int, int]]:
    """Figure places in `plain` for figures found in `marked`, the same page cleaned with its markers in,
    where they made a cleaning step decide otherwise (a figure-only line no longer joined to the row
    above): the same printed figure nearest its marked place, if close."""
    window = abs(len(marked) - len(plain)) + 200
    placed = {}
    for number, (start, end) in figures.items():
        figure = marked[start:end]
        lo = max(0, start - window)
        hits = _printed_at(plain, figure, lo, start + window + len(figure))
        if hits:
            best = min(hits, key=lambda h: abs(h - start))
            placed[number] = (best, best + len(figure))
    return placed


def assemble_pages(pages: list[str], paged: bool) -> tuple[str, tuple[PageSpan, ...], dict[int, tuple[int, int]]]:
    """Clean each page and join them, recording where each 1-based page lies in the text and where each
    marked figure (see `corpus.loaders.take_figures`) ended up: figure number -> (start, end)."""
    cleaned = _clean_pages(pages, paged)
    marked = any(FIGURE_OPEN in p for p in pages)
    # The text is what cleaning makes of the unmarked pages, so markers never change a cleaning decision.
    plain = _clean_pages([strip_figures(p) for p in pages], paged) if marked else cleaned
    parts, spans, figures, pos = [], [], {}, 0
    for number, (page_marked, page_text) in enumerate(zip(cleaned, plain), start=1):
        local: dict[int, tuple[int, int]] = {}
        if marked:
            unmarked, local = take_figures(page_marked)
            if unmarked != page_text:
                local = _relocate(local, unmarked, page_text)
        if not paged and not page_text:
            continue
        if parts:
            pos += len(PAGE_SEPARATOR)
        if paged:
            spans.append(PageSpan(number=number, start=pos, end=pos + len(page_text)))
        for figure, (start, end) in local.items():
            figures.setdefault(figure, (pos + start, pos + end))
        parts.append(page_text)
        pos += len(page_text)
    return PAGE_SEPARATOR.join(parts), tuple(spans), figures


def _line_pattern(line: str) -> re.Pattern[str]:
    return re.compile(r"(?m)^[ \t]*" + r"[ \t]+".join(re.escape(w) for w in line.split()) + r"[ \t]*$")


def place_blocks(raw: RawDocument, places: list[tuple[str, dict[int, tuple[int, int]]]], text: str,
                 pages: tuple[PageSpan, ...]) -> tuple[Block, ...]:
    """The layout blocks (headings, the table of contents) placed in the cleaned `text`: each block's first
    and last lines found whole, in order, on its cleaned page, no further on than its raw place allows.
    `places` is each raw page without marks and where its blocks lie in it. A block that cleaning
    dropped (a running head) is found nowhere and left out."""
    looks = {b.number: b for b in raw.blocks}
    out: list[Block] = []
    for index, (page, spans) in enumerate(places):
        if not spans:
            continue
        lo, hi = (pages[index].start, pages[index].end) if pages else (0, len(text))
        cursor = lo
        for number, (a, b) in sorted(spans.items(), key=lambda kv: kv[1]):
            lines = [ln for ln in normalize_chars(page[a:b]).split("\n") if ln.strip()]
            if not lines:
                continue
            limit = min(hi, lo + b + BLOCK_SLACK)
            look = looks[number]
            # A table's first line may be one cleaning took for a page number ("2023" atop a page).
            tries = lines[:3] if look.kind == "table" else lines[:1]
            first = next((m for m in (_line_pattern(ln).search(text, cursor, limit) for ln in tries) if m), None)
            if first is None:
                continue
            last = _line_pattern(lines[-1]).search(text, first.end(), limit) if len(lines) > 1 else first
            start = first.start() + len(first.group()) - len(first.group().lstrip())
            end = (last or first).end()
            rows = place_rows(text, start, hi, look.rows) if look.rows else ()
            if rows:
                end = max(end, rows[-1].end)
            elif look.kind == "table":
                continue
            out.append(Block(start, end, look.kind, look.bold, look.italic, look.underline, look.size, rows))
            cursor = end
    return tuple(out)


def place_facts(raw: RawDocument, figures: dict[int, tuple[int, int]]) -> tuple[XbrlFact, ...]:
    """The document's facts with the span of their printed figure in the filing text, where it survived."""
    placed = []
    for fact, number in zip(raw.facts, raw.figures):
        span = figures.get(number) if number is not None else None
        placed.append(replace(fact, start=span[0], end=span[1]) if span else fact)
    return tuple(placed)


def xbrl_warnings(warnings: tuple[str, ...]) -> tuple[str, ...]:
    if len(warnings) <= MAX_XBRL_WARNINGS:
        return tuple(f"XBRL: {w}" for w in warnings)
    shown = tuple(f"XBRL: {w}" for w in warnings[:MAX_XBRL_WARNINGS])
    return (*shown, f"XBRL: {len(warnings) - MAX_XBRL_WARNINGS} more problems like these")


def statements_elsewhere(text: str, sections, facts: tuple[XbrlFact, ...]) -> str | None:
    """The sentence saying the financial statements are incorporated by reference, where Item 8 says so
    and (for inline XBRL) the filing tags too few figures to hold them itself."""
    sentence = statements_by_reference(text, sections)
    if sentence is None or not facts:
        return sentence
    figures = sum(1 for f in facts if f.text is None and not f.concept.startswith("dei:"))
    return sentence if figures < MAX_REFERENCED_FACTS else None


def with_figure_x(tables: tuple[Table, ...], figure_x: tuple[float, ...],
                  figures: dict[int, tuple[int, int]]) -> tuple[Table, ...]:
    """Each table with the x position of every marked figure that lies in it."""
    placed = sorted((start, figure_x[number]) for number, (start, _) in figures.items() if number < len(figure_x))
    starts = [at for at, _ in placed]
    out = []
    for table in tables:
        lo, hi = bisect.bisect_left(starts, table.start), bisect.bisect_left(starts, table.end)
        out.append(replace(table, figure_x=tuple(placed[lo:hi])) if hi > lo else table)
    return tuple(out)


def sidecar_meta(path: Path) -> dict[str, Any]:
    """Metadata for `path` from a manifest.json beside it (as corpus/filings/ has), if it lists the file."""
    manifest = path.parent / "manifest.json"
    if not manifest.is_file():
        return {}
    try:
        entries = json.loads(manifest.read_text(encoding="utf-8")).get("filings", [])
    except (ValueError, OSError, AttributeError):
        return {}
    for item in entries:
        if isinstance(item, dict) and item.get("file") == path.name:
            return {k: v for k, v in item.items() if k != "file"}
    return {}


_META_KEYS = {"doc_id", "company", "form", "period_end", "fiscal_year", "fiscal_quarter"}


def load_filing(path: str | Path, *, max_bytes: int = MAX_BYTES, **meta: Any) -> Filing:
    """Read, clean and structure one filing. Keyword metadata overrides what is detected.

    Raises FilingParseError (with the file name and reason) for unreadable input.
    """
    path = Path(path)
    meta = {**sidecar_meta(path), **meta}
    unknown = set(meta) - _META_KEYS - {"extra"}
    if unknown:
        raise TypeError(f"load_filing got unknown metadata {sorted(unknown)}; known: {sorted(_META_KEYS)}")
    raw = read_pages(path, max_bytes)
    raw_hash = content_hash_of(path.read_bytes())
    numbers = {b.number for b in raw.blocks}
    marked = [take_blocks(page, numbers) for page in raw.pages] if numbers else [(page, {}) for page in raw.pages]
    text, page_spans, figures = assemble_pages([page for page, _ in marked], raw.paged)
    if len(re.findall(r"[A-Za-z]{3,}", text)) < 5:
        raise FilingParseError(f"{path.name}: too little text to be a filing")
    blocks = place_blocks(raw, [(strip_figures(page), spans) for page, spans in marked], text, page_spans) if numbers else ()
    sections, tables, warnings = build_structure(text, page_spans, blocks)
    if raw.figure_x:
        tables = with_figure_x(tables, raw.figure_x, figures)
    warnings = (*warnings, *xbrl_warnings(raw.warnings))
    explicit = FilingMeta(**{k: v for k, v in meta.items() if k in FilingMeta.__dataclass_fields__})
    from_name, from_text = meta_from_filename(path.stem), meta_from_text(text)
    dei = dei_values(raw.facts)
    from_dei = meta_from_dei(dei)
    # An inline-XBRL cover (dei facts) is the filer's own word on company, form and fiscal period. Without
    # it, fiscal year/quarter follow the file-name convention (fiscal, not calendar); company and period
    # end prefer the cover page over a file name abbreviation like "PG_E".
    company = pick_company(from_dei.company, from_text.company)
    merged = merge_meta(explicit, replace(from_dei, company=company),
                        FilingMeta(company=from_text.company, period_end=from_text.period_end), from_name, from_text)
    if explicit.fiscal_quarter or from_dei.fiscal_year is None:
        quarter = merged.fiscal_quarter or quarter_from_period_end(merged.period_end, merged.form)
    else:
        quarter = from_dei.fiscal_quarter  # None: the filing covers a fiscal year
    if explicit.fiscal_year or from_dei.fiscal_year:
        fiscal_year, meta_warning = merged.fiscal_year, check_dei_period(from_dei) if not explicit.fiscal_year else None
    else:
        fiscal_year, meta_warning = check_fiscal_year(merged.fiscal_year, merged.period_end)
    if meta_warning:
        warnings = (*warnings, meta_warning)
    detected = {"fiscal_year_end": merged.fiscal_year_end, "ticker": dei.get("TradingSymbol") or ticker_from_text(text),
                "cik": dei.get("EntityCentralIndexKey"),
                "statements_incorporated_by_reference": statements_elsewhere(text, sections, raw.facts)}
    return Filing(
        doc_id=meta.get("doc_id") or doc_id_for(path),
        company=merged.company,
        form=merged.form,
        period_end=merged.period_end,
        fiscal_year=fiscal_year,
        fiscal_quarter=quarter,
        source=str(path),
        content_hash=raw_hash,
        text=text,
        pages=page_spans,
        sections=sections,
        tables=tables,
        warnings=warnings,
        extra={**{k: v for k, v in detected.items() if v}, **(meta.get("extra") or {})},
        xbrl=place_facts(raw, figures),
    )
