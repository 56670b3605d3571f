"""`load_filing(path, **meta) -> Filing`: the one entry point from a file to a parsed filing."""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from corpus.clean import clean_text, drop_running_heads
from corpus.errors import FilingParseError
from corpus.loaders import MAX_BYTES, read_pages
from corpus.metadata import FilingMeta, check_fiscal_year, merge_meta, meta_from_filename, meta_from_text, quarter_from_period_end
from corpus.model import Filing, PageSpan
from corpus.structure import build_structure

PAGE_SEPARATOR = "\n\n"


def doc_id_for(path: Path) -> str:
    """Stable id from the file name: `EBAY_2023Q2_10Q.pdf` -> `ebay-2023q2-10q`."""
    return re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-") or "filing"


def assemble_pages(pages: list[str], paged: bool) -> tuple[str, tuple[PageSpan, ...]]:
    """Clean each page and join them, recording where each 1-based page lies in the text."""
    if paged:
        pages = drop_running_heads(pages)
    cleaned = [clean_text(p, paged=paged) for p in pages]
    if not paged:
        return PAGE_SEPARATOR.join(c for c in cleaned if c), ()
    parts, spans, pos = [], [], 0
    for number, page_text in enumerate(cleaned, start=1):
        if parts:
            pos += len(PAGE_SEPARATOR)
        spans.append(PageSpan(number=number, start=pos, end=pos + len(page_text)))
        parts.append(page_text)
        pos += len(page_text)
    return PAGE_SEPARATOR.join(parts), tuple(spans)


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
    pages, paged = read_pages(path, max_bytes)
    raw_hash = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    text, page_spans = assemble_pages(pages, paged)
    if len(re.findall(r"[A-Za-z]{3,}", text)) < 5:
        raise FilingParseError(f"{path.name}: too little text to be a filing")
    sections, tables, warnings = build_structure(text, page_spans)
    explicit = FilingMeta(**{k: v for k, v in meta.items() if k in FilingMeta.__dataclass_fields__})
    from_name, from_text = meta_from_filename(path.stem), meta_from_text(text)
    # Fiscal year/quarter follow the file-name convention (fiscal, not calendar); company and period
    # end prefer the cover page over a file name abbreviation like "PG_E".
    merged = merge_meta(explicit, FilingMeta(company=from_text.company, period_end=from_text.period_end), from_name, from_text)
    quarter = merged.fiscal_quarter or quarter_from_period_end(merged.period_end, merged.form)
    fiscal_year, meta_warning = (merged.fiscal_year, None) if explicit.fiscal_year else check_fiscal_year(merged.fiscal_year, merged.period_end)
    if meta_warning:
        warnings = (*warnings, meta_warning)
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
        extra=dict(meta.get("extra") or {}),
    )
