"""Pure text clean-up for the artefacts real filings carry.

Runs per page (PDF) or on the whole text (txt/HTML) before sections are found; all
later offsets index into the cleaned text, so nothing downstream sees the artefacts.
"""
from __future__ import annotations

import re
from collections import Counter

_LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl"}
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\ufeff\x00"), None)
# Bullet glyphs PDFs and EDGAR text use, including private-use Symbol-font bullets.
BULLET_CHARS = "•●▪■◦○\u2022\u25cf\uf0b7\uf0a7\uf0d8\uf076\u27a2"
_BULLET_LINE = re.compile(rf"^\s*[{BULLET_CHARS}?]\s*$")
_BULLET_START = re.compile(rf"^(\s*)[{BULLET_CHARS}]\s*")
_PAGE_NUMBER = re.compile(r"^\s*(?:page\s+)?(?:\d{1,4}|[ivxlc]{1,6}|-\s*\d{1,4}\s*-)\s*$", re.I)
_EDGAR_FOOTER = re.compile(r"©\s*Edgar Online[^\n]*", re.I)
# A figure cell: "$ 1,234", "(1,234)", "( 1,689,954,794 )", "12.5%", a nil dash. Whitespace inside a cell is allowed only
# after "$" or "(" and before ")", never at its ends: the rows below repeat "\s+cell", and a cell that could also take
# the spaces around it made a failing match try every split of them (a 13-cell row took minutes).
_NUM_CELL = r"(?:\$\s*)?(?:\(\s*)?-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:\s*\))?%?(?![\w,])|(?:\$\s*)?-(?!\w)|—|–"
_NUMBERS_ONLY = re.compile(rf"^\s*(?:{_NUM_CELL})(?:\s+(?:{_NUM_CELL}))*\s*$")
_ROW_END = re.compile(rf"(?:{_NUM_CELL})\s*$")
_HAS_WORD = re.compile(r"[A-Za-z]{2,}")
_YEAR_ONLY = re.compile(r"^(?:19|20)\d\d$")  # a column header ("2021"), never a figure: figures >999 carry commas
# Navigation links a PDF repeats at page edges ("Table of Contents" links back to the TOC).
_NAV_LINK = re.compile(r"^(?:table of contents|index to financial statements|back to contents|return to (?:the )?table of contents)$")
# Lines that look repeated but carry table context; never dropped as running heads.
_KEEP_REPEATED = re.compile(r"\bin (?:thousands|millions|billions)\b|unaudited|\bended\b|january|february|march|april|may|june|july|august|september|october|november|december")


def normalize_chars(text: str) -> str:
    """Unify line breaks and spaces; drop invisible characters; expand ligatures."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ").replace("\t", "    ")
    text = text.translate(_INVISIBLE)
    for lig, plain in _LIGATURES.items():
        text = text.replace(lig, plain)
    return text


_DATE_END = re.compile(r"(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+\d{1,2},?\s+(?:19|20)\d\d\s*$")


_PROSE_TAIL = {"of", "in", "by", "to", "and", "a", "an", "was", "were", "is", "the", "from", "for", "at", "with", "or", "than", "approximately"}


def is_table_row(line: str) -> bool:
    """A label followed by numeric cells, e.g. "Product revenue   489   343   1,317"."""
    stripped = line.strip()
    if not (_HAS_WORD.search(stripped) and _ROW_END.search(stripped) and len(stripped) < 300):
        return False
    cells = re.search(rf"(?:\s+(?:{_NUM_CELL}))+\s*$", " " + stripped)
    label = stripped[: len(stripped) - len(cells.group(0)) + 1].strip() if cells else stripped
    n_cells = len(re.findall(_NUM_CELL, cells.group(0))) if cells else 0
    if n_cells < 2:
        # One figure at the end: a row only if the label is short, capitalised and not mid-sentence ("... costs of $33,000").
        last_word = label.split()[-1].lower() if label.split() else ""
        if len(label) > 70 or not label[:1].isupper() or last_word in _PROSE_TAIL or ", a " in label:
            return False
    # Prose wrapped at a date or year ("... ended September 30, 2019") is not a row of figures.
    if _DATE_END.search(stripped):
        return False
    return True


def join_broken_rows(lines: list[str]) -> list[str]:
    """Re-attach numeric cells that the extraction pushed onto lines of their own.

    Seed 000 has "Cost of service revenue  $930  $811  $2,758" followed, after blank lines,
    by "$2,515". A cell fragment is short, not centred like a page number, and follows a
    row that has a trailing gap or is itself a money row.
    """
    out: list[str] = []
    for line in lines:
        stripped = line.strip()
        if stripped and _NUMBERS_ONLY.match(stripped) and len(line) - len(line.lstrip()) < 10:
            # Find the previous non-blank line within three blank lines.
            j, blanks = len(out) - 1, 0
            while j >= 0 and not out[j].strip() and blanks < 4:
                j, blanks = j - 1, blanks + 1
            if j >= 0 and blanks <= 3 and is_table_row(out[j]):
                prev = out[j]
                looks_like_cell = ("$" in stripped or "," in stripped or "(" in stripped or prev != prev.rstrip()) \
                    and not _YEAR_ONLY.match(stripped)
                if looks_like_cell:
                    out[j] = prev.rstrip() + "    " + stripped
                    del out[j + 1 :]
                    continue
        out.append(line)
    return out


def mark_bullets(lines: list[str]) -> list[str]:
    """Turn `?`/glyph bullet lines into a "• " prefix on the item they introduce."""
    out: list[str] = []
    pending = False
    for line in lines:
        if _BULLET_LINE.match(line):
            pending = True
            continue
        if pending and line.strip():
            line = "• " + line.strip()
            pending = False
        else:
            line = _BULLET_START.sub(r"\1• ", line)
        out.append(line)
    return out


def drop_page_numbers(lines: list[str], *, edges_only: bool) -> list[str]:
    """Remove lone page-number lines; on PDF pages only near the top or bottom."""
    if not edges_only:
        return [ln for ln in lines if not _PAGE_NUMBER.match(ln) or not ln.strip()]
    content = [i for i, ln in enumerate(lines) if ln.strip()]
    edges = set(content[:2] + content[-3:])
    return [ln for i, ln in enumerate(lines) if not (i in edges and _PAGE_NUMBER.match(ln))]


def collapse_blank_lines(text: str) -> str:
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip("\n")


def clean_text(text: str, *, paged: bool = False) -> str:
    """Clean one page (paged=True) or a whole unpaged filing."""
    text = normalize_chars(text)
    text = _EDGAR_FOOTER.sub("", text)
    lines = text.split("\n")
    lines = join_broken_rows(lines)
    lines = drop_page_numbers(lines, edges_only=paged)
    lines = mark_bullets(lines)
    return collapse_blank_lines("\n".join(lines))


def _line_key(line: str) -> str:
    return re.sub(r"\d+", "#", line.strip().lower())


def is_running_head(key: str, count: int, n_pages: int, min_share: float = 0.15) -> bool:
    """Whether a line key seen at the edges of `count` of `n_pages` pages is a header/footer.

    Long filings bind exhibits after the report, so a company-name header ("ORACLE CORPORATION") may
    top only a fifth of the pages; units and period lines are table headers however often they repeat."""
    if len(key) >= 120 or count < 3 or _KEEP_REPEATED.search(key):
        return False
    if _NAV_LINK.match(key):
        return True
    # Page numbers and other figure-only lines need the old, stricter share: a lone figure may be a cell.
    share = min_share if re.search(r"[a-z]{2}", key) else max(min_share, 0.4)
    return count >= share * n_pages


def drop_running_heads(pages: list[str], *, min_share: float = 0.15) -> list[str]:
    """Remove header/footer lines repeated near the edges of many pages ("Apple Inc. | 2022 Form 10-K | 21")."""
    if len(pages) < 4:
        return pages
    edge_counts: Counter[str] = Counter()
    for page in pages:
        lines = [ln for ln in page.split("\n") if ln.strip()]
        edge_counts.update({_line_key(ln) for ln in lines[:3] + lines[-3:]})
    repeated = {k for k, n in edge_counts.items() if is_running_head(k, n, len(pages), min_share)}
    if not repeated:
        return pages
    cleaned = []
    for page in pages:
        lines = page.split("\n")
        content = [i for i, ln in enumerate(lines) if ln.strip()]
        edges = set(content[:3] + content[-3:])
        cleaned.append("\n".join(ln for i, ln in enumerate(lines) if not (i in edges and _line_key(ln) in repeated)))
    return cleaned
