"""Read a file into raw page texts: plain text, EDGAR HTML, or PDF.

Each reader returns a list of page strings (one element for unpaged text) and raises
FilingParseError with the file name and the reason for anything it cannot read.
"""
from __future__ import annotations

import re
from pathlib import Path

from corpus.errors import FilingParseError

MAX_BYTES = 64 * 1024 * 1024  # A 10-K PDF is 1-5 MB; anything this large is almost surely not a filing.
TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".htm", ".html", ".xhtml"}
PDF_SUFFIXES = {".pdf"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | PDF_SUFFIXES


def read_bytes(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    if not path.exists():
        raise FilingParseError(f"{path}: no such file")
    if not path.is_file():
        raise FilingParseError(f"{path}: not a regular file")
    size = path.stat().st_size
    if size == 0:
        raise FilingParseError(f"{path.name}: the file is empty")
    if size > max_bytes:
        raise FilingParseError(f"{path.name}: {size / 1e6:.1f} MB is over the {max_bytes / 1e6:.0f} MB limit for one filing")
    return path.read_bytes()


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, which EDGAR's older text often is."""
    if b"\x00" in data[:65536]:
        raise FilingParseError(f"{name}: looks like a binary file, not text (it contains NUL bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    sample = text[:65536]
    control = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f")
    if sample and (control / len(sample) > 0.01 or sample.count("\ufffd") / len(sample) > 0.05):
        raise FilingParseError(f"{name}: looks like a binary file, not text")
    if not re.search(r"[A-Za-z]{3,}", sample):
        raise FilingParseError(f"{name}: contains no readable text")
    return text


def read_text_pages(path: Path, max_bytes: int = MAX_BYTES) -> list[str]:
    text = decode_text(read_bytes(path, max_bytes), path.name)
    # Form feeds, where present, are page breaks.
    return text.split("\f") if "\f" in text else [text]


_BLOCK_TAGS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr",
               "section", "article", "header", "footer", "blockquote", "pre", "hr", "title", "center", "dd", "dt"}
_CELL_SEP = "\ue001"  # survives whitespace folding, then becomes a column gap
_PAGE_SEP = "\ue000"  # a page break that line stripping cannot eat
_PAGE_BREAK = re.compile(r"page-break-(?:before|after)\s*:\s*always", re.I)
_HIDDEN = re.compile(r"display\s*:\s*none", re.I)


def html_to_pages(html: str) -> list[str]:
    """EDGAR HTML to text: scripts, styles and hidden XBRL headers dropped, each table row one line."""
    from bs4 import BeautifulSoup, NavigableString

    soup = BeautifulSoup(html, "lxml")
    for tag in soup(["script", "style", "noscript", "template", "head", "ix:header"]):
        tag.decompose()
    for tag in soup.find_all(style=_HIDDEN):
        tag.decompose()
    for tag in soup.find_all(style=_PAGE_BREAK):
        tag.insert_before(NavigableString(_PAGE_SEP))
    for row in soup.find_all("tr"):
        cells = [re.sub(r"\s+", " ", c.get_text(" ", strip=True)) for c in row.find_all(["td", "th"])]
        merged: list[str] = []
        for cell in cells:
            if merged and merged[-1] in ("$", "(") and cell:
                merged[-1] += cell  # EDGAR puts "$" in a cell of its own
            elif cell in (")", "%") and merged:
                merged[-1] += cell
            elif cell:
                merged.append(cell)
        row.replace_with(NavigableString("\n" + _CELL_SEP.join(merged) + "\n"))
    for tag in soup.find_all(_BLOCK_TAGS):
        tag.insert_before(NavigableString("\n"))
        tag.insert_after(NavigableString("\n"))
    text = soup.get_text()
    # Inline whitespace inside paragraphs is layout, not content.
    text = "\n".join(re.sub(r"[ \t\xa0]+", " ", ln).strip().replace(_CELL_SEP, "    ") for ln in text.split("\n"))
    pages = text.split(_PAGE_SEP)
    return pages if any(p.strip() for p in pages) else []


def read_html_pages(path: Path, max_bytes: int = MAX_BYTES) -> list[str]:
    html = decode_text(read_bytes(path, max_bytes), path.name)
    pages = html_to_pages(html)
    if not pages:
        raise FilingParseError(f"{path.name}: the HTML has no visible text")
    return pages


def read_pdf_pages(path: Path, max_bytes: int = MAX_BYTES) -> list[str]:
    import pypdfium2 as pdfium

    data = read_bytes(path, max_bytes)
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise FilingParseError(f"{path.name}: not a PDF (no %PDF header)")
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        reason = str(exc)
        if "password" in reason.lower():
            raise FilingParseError(f"{path.name}: the PDF is encrypted and needs a password") from exc
        raise FilingParseError(f"{path.name}: corrupt or unreadable PDF ({reason})") from exc
    try:
        pages = []
        for i in range(len(doc)):
            page = doc[i]
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range())
            textpage.close()
            page.close()
    except pdfium.PdfiumError as exc:
        raise FilingParseError(f"{path.name}: corrupt PDF, failed on page {len(pages) + 1} ({exc})") from exc
    finally:
        doc.close()
    if not any(re.search(r"[A-Za-z]{3,}", p) for p in pages):
        raise FilingParseError(f"{path.name}: the PDF has no text layer (scanned images need OCR, which filingqa does not do)")
    return pages


def read_pages(path: Path, max_bytes: int = MAX_BYTES) -> tuple[list[str], bool]:
    """Raw page texts and whether they are real pages (PDF, or HTML/txt with page breaks)."""
    suffix = path.suffix.lower()
    if suffix in PDF_SUFFIXES:
        return read_pdf_pages(path, max_bytes), True
    if suffix in HTML_SUFFIXES:
        pages = read_html_pages(path, max_bytes)
        return pages, len(pages) > 1
    if suffix in TEXT_SUFFIXES:
        pages = read_text_pages(path, max_bytes)
        return pages, len(pages) > 1
    raise FilingParseError(
        f"{path.name}: unsupported file type {suffix or '(none)'}; filingqa reads {', '.join(sorted(SUPPORTED_SUFFIXES))}"
    )
