"""Read a file into raw page texts: plain text, EDGAR HTML (inline XBRL included), or PDF.

Each reader returns a list of page strings (one element for unpaged text) and raises
FilingParseError with the file name and the reason for anything it cannot read. HTML is
parsed with lxml (XML parser for XHTML, HTML parser otherwise) and walked once for its text
and its inline-XBRL figures.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterator

from corpus.dom_tables import FIGURE_CELL
from corpus.errors import FilingParseError
from corpus.model import XbrlFact
from corpus.xbrl import TooManyFactsError, element_text, read_facts, tag_name

MAX_BYTES = 64 * 1024 * 1024  # A 10-K PDF is 1-5 MB; anything this large is almost surely not a filing.
# A 10-K's whole text is under 2 MB; a plain-text file far past that is a log or a paste, and parsing 60 MB of it
# took most of a minute before the passage cap could refuse it. Refused up front, by size.
MAX_TEXT_BYTES = 16_000_000
# Limits checked while a file is read, so a file far past any filing is refused in seconds, before the work that grows
# with it (chunking, embedding, facts). The largest of the 96 shared filings: 612,000 characters of text (Coca-Cola's
# 2023 10-K), 2,990 tagged XBRL facts (J&J's), 250 PDF pages; each limit is several times that. The text limit also
# bounds the worst build: 2.4 MB of dense prose without a sentence break embeds in about a minute on two cores
# (bench/hostile/big_inputs.py).
MAX_TEXT_CHARS = 2_500_000
MAX_PAGES = 2_000
MAX_XBRL_FACTS = 50_000
TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".htm", ".html", ".xhtml"}
PDF_SUFFIXES = {".pdf"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | PDF_SUFFIXES


def read_bytes(path: Path, max_bytes: int = MAX_BYTES, kind: str = "one filing") -> bytes:
    if not path.exists():
        raise FilingParseError(f"{path}: no such file")
    if not path.is_file():
        raise FilingParseError(f"{path}: not a regular file")
    size = path.stat().st_size
    if size == 0:
        raise FilingParseError(f"{path.name}: the file is empty")
    if size > max_bytes:
        raise FilingParseError(f"{path.name}: {size / 1e6:.1f} MB is over the {max_bytes / 1e6:.0f} MB limit for {kind}; "
                               f"split the file or index the filing itself")
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


def check_text_size(chars: int, name: str) -> None:
    """FilingParseError once a filing's text runs past MAX_TEXT_CHARS."""
    if chars > MAX_TEXT_CHARS:
        raise FilingParseError(f"{name}: its text runs past {MAX_TEXT_CHARS:,} characters (the longest 10-K filingqa "
                               f"knows has about 600,000); split the file or index the filing itself")


def read_text_pages(path: Path, max_bytes: int = MAX_BYTES) -> list[str]:
    text = decode_text(read_bytes(path, min(max_bytes, MAX_TEXT_BYTES), "a plain-text filing"), path.name)
    check_text_size(len(text), path.name)
    # Form feeds, where present, are page breaks.
    return text.split("\f") if "\f" in text else [text]


_BLOCK_TAGS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr",
               "section", "article", "header", "footer", "blockquote", "pre", "hr", "title", "center", "dd", "dt"}
_SKIP_TAGS = {"script", "style", "noscript", "template", "head", "ix:header"}
_CELL_TAGS = {"td", "th"}
_CELL_SEP = "\ue001"  # survives whitespace folding, then becomes a column gap
_PAGE_SEP = "\ue000"  # a page break that line stripping cannot eat
_PAGE_BREAK = re.compile(r"page-break-(?:before|after)\s*:\s*always", re.I)
_HIDDEN = re.compile(r"display\s*:\s*none", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
# A tagged figure's printed text travels through cleaning between FIGURE_OPEN + two id characters and
# FIGURE_CLOSE (private-use characters, never in filing text); `take_figures` removes them and says where
# each figure ended up.
FIGURE_OPEN, FIGURE_CLOSE = "\ue002", "\ue003"
_ID_BASE = 0xE100
MAX_FIGURES = 256 * 256
_FIGURE_MARK = re.compile("\ue002([\ue100-\ue1ff]{2})|\ue003")
# A block's marks go round its text as the line shows it: no space inside them that line stripping would take.
_SPACE_IN_MARK = re.compile("(?<=[\ue100-\ue1ff]) +| +(?=\ue003)")


def _figure_mark(number: int) -> str:
    return FIGURE_OPEN + chr(_ID_BASE + (number >> 8)) + chr(_ID_BASE + (number & 255))


def strip_figures(text: str) -> str:
    return _FIGURE_MARK.sub("", text)


def take_figures(text: str) -> tuple[str, dict[int, tuple[int, int]]]:
    """`text` without figure markers, and where each marked figure lies in it (number -> (start, end)).

    Marks nest (a layout block around the figures it holds). A figure seen twice (a nested table repeats
    its cells) keeps its first place."""
    parts: list[str] = []
    spans: dict[int, tuple[int, int]] = {}
    pos, out_len = 0, 0
    opened: list[tuple[int, int]] = []
    for m in _FIGURE_MARK.finditer(text):
        parts.append(text[pos:m.start()])
        out_len += m.start() - pos
        pos = m.end()
        if m.group(1):
            number = ((ord(m.group(1)[0]) - _ID_BASE) << 8) | (ord(m.group(1)[1]) - _ID_BASE)
            opened.append((number, out_len))
        elif opened:
            number, open_at = opened.pop()
            spans.setdefault(number, (open_at, out_len))
    parts.append(text[pos:])
    return "".join(parts), spans


def take_blocks(page: str, numbers: set[int]) -> tuple[str, dict[int, tuple[int, int]]]:
    """`page` without the marks of blocks `numbers` (figure marks kept, so figures are placed as before),
    and where each block lies in the page once every mark is gone (number -> (start, end))."""
    parts: list[str] = []
    spans: dict[int, tuple[int, int]] = {}
    pos, plain_len = 0, 0
    opened: list[tuple[int, int]] = []
    for m in _FIGURE_MARK.finditer(page):
        parts.append(page[pos:m.start()])
        plain_len += m.start() - pos
        pos = m.end()
        if m.group(1):
            number = ((ord(m.group(1)[0]) - _ID_BASE) << 8) | (ord(m.group(1)[1]) - _ID_BASE)
            opened.append((number, plain_len))
            if number not in numbers:
                parts.append(m.group(0))
        elif opened:
            number, open_at = opened.pop()
            if number in numbers:
                spans.setdefault(number, (open_at, plain_len))
            else:
                parts.append(m.group(0))
    parts.append(page[pos:])
    return "".join(parts), spans


@dataclass(frozen=True)
class LayoutBlock:
    """A block the HTML lays out as a heading, the table of contents at the front, or a table of figures
    (`kind` "heading", "toc" or "table", the last with its DOM rows): its mark number (placed like a figure's, see `take_figures`) and how it is printed. `size` is
    its font size in points relative to the body text's (0 when the same or unknown)."""

    number: int
    kind: str = "heading"
    bold: bool = False
    italic: bool = False
    underline: bool = False
    size: float = 0.0
    rows: tuple[tuple[tuple[int, int, str], ...], ...] = ()  # a "table" block's rows: (column, colspan, text) per cell


@dataclass(frozen=True)
class RawDocument:
    """Raw page texts of one file and whether they are real pages (PDF, or HTML/txt with page breaks).

    For EDGAR inline XBRL, also its facts (row label and column header filled in, no spans yet), each
    fact's figure number (None when it is not printed) and what was wrong with its XBRL; for any HTML,
    the blocks laid out as headings (and the front table of contents); `pages` then carry the figure
    and block markers (see `take_figures`).
    """

    pages: list[str]
    paged: bool
    facts: tuple[XbrlFact, ...] = ()
    figures: tuple[int | None, ...] = ()
    warnings: tuple[str, ...] = ()
    blocks: tuple[LayoutBlock, ...] = ()
    figure_x: tuple[float, ...] = ()  # a PDF's marked figures: the right edge (points) of each one's last digit


def parse_markup(html: str) -> Any | None:
    """An lxml tree: EDGAR inline XBRL is XHTML and parses as XML (namespaces and all); anything that
    is not well-formed goes to the HTML parser. None for markup with no elements at all."""
    from lxml import etree
    from lxml import html as lxml_html

    body = _XML_DECL.sub("", html, count=1)
    if html.lstrip()[:5] == "<?xml" or "xmlns" in body[:5000]:
        try:
            return etree.fromstring(body, etree.XMLParser(huge_tree=True, resolve_entities=False, no_network=True))
        except etree.XMLSyntaxError:
            pass
    try:
        return lxml_html.document_fromstring(body)
    except (etree.ParserError, ValueError):
        return None


# How a block is printed: (bold, italic, underlined, font size in points or None).
Look = tuple[bool, bool, bool, "float | None"]
_PLAIN: Look = (False, False, False, None)
_HEADING_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "center", "section", "header"}
_BOLD_TAGS = {"b", "strong", "h1", "h2", "h3", "h4", "h5", "h6"}
_STYLE_BOLD = re.compile(r"font-weight\s*:\s*(?:bold|bolder|[6-9]00)\b", re.I)
_STYLE_NOT_BOLD = re.compile(r"font-weight\s*:\s*(?:normal|lighter|[1-5]00)\b", re.I)
_STYLE_ITALIC = re.compile(r"font-style\s*:\s*(?:italic|oblique)", re.I)
_STYLE_NOT_ITALIC = re.compile(r"font-style\s*:\s*normal", re.I)
_STYLE_UNDERLINE = re.compile(r"text-decoration(?:-line)?\s*:[^;]*underline", re.I)
_STYLE_SIZE = re.compile(r"font-size\s*:\s*(\d+(?:\.\d+)?)\s*(pt|px)", re.I)
_ITEM_LINE = re.compile(r"^(?:ITEM|Item)\s+\d{1,2}[A-C]?\b|^PART\s+(?:I|II|III|IV)\b", re.I)
_TOC_ROW = re.compile(r"^(?:ITEM|Item)\s+\d{1,2}[A-C]?\b.*\s(?:\d{1,3}(?:\s*[-–]\s*\d{1,3})?)$")
MAX_HEADING_CHARS = 200


def restyle(look: Look, el: Any, name: str | None) -> Look:
    """`look` as `el` changes it, by its tag (<b>, <i>, <u>, <h2>) or its style attribute."""
    bold, italic, underline, size = look
    bold = bold or name in _BOLD_TAGS
    italic = italic or name in ("i", "em")
    underline = (underline or name == "u") and name != "a"  # links are underlined; headings are not links
    style = el.get("style")
    if style:
        if _STYLE_BOLD.search(style):
            bold = True
        elif _STYLE_NOT_BOLD.search(style):
            bold = False
        if _STYLE_ITALIC.search(style):
            italic = True
        elif _STYLE_NOT_ITALIC.search(style):
            italic = False
        if name != "a" and _STYLE_UNDERLINE.search(style):
            underline = True
        m = _STYLE_SIZE.search(style)
        if m:
            size = float(m.group(1)) * (0.75 if m.group(2).lower() == "px" else 1.0)
    return bold, italic, underline, size


def body_font_size(html: str) -> float | None:
    """The font size most of the markup's styled text uses, in points."""
    counts: dict[float, int] = {}
    for m in _STYLE_SIZE.finditer(html):
        size = float(m.group(1)) * (0.75 if m.group(2).lower() == "px" else 1.0)
        counts[size] = counts.get(size, 0) + 1
    return max(counts, key=counts.get) if counts else None


@dataclass
class _TableHead:
    """The rows of a table above its first tagged figure: (start column, colspan, text) per cell."""

    rows: list[list[tuple[int, int, str]]] = field(default_factory=list)
    done: bool = False
    single_row: bool = False  # one row with text: a line laid out in cells ("ITEM 1A. | RISK FACTORS"), not data
    grid: list[tuple[tuple[int, int, str], ...]] = field(default_factory=list)  # every row with text, marks out
    spanned: list[list[int]] = field(default_factory=list)  # [column, colspan, rows still covered] of rowspan cells

    def free_column(self, column: int) -> int:
        """The first column from `column` on that no cell above covers with its rowspan."""
        moved = True
        while moved:
            moved = False
            for start, span, left in self.spanned:
                if left > 0 and start <= column < start + span:
                    column, moved = start + span, True
        return column

    def next_row(self, added: int) -> None:
        """One row done: cells spanning down from earlier rows cover one row fewer (the `added` last ones
        began in this row)."""
        for entry in self.spanned[:len(self.spanned) - added]:
            entry[2] -= 1
        self.spanned = [e for e in self.spanned if e[2] > 0]

    def holds_figures(self) -> bool:
        """Two or more rows, one of them a label with a figure beside it: a table of figures, not layout."""
        return len(self.grid) >= 2 and any(
            any(start > 0 and FIGURE_CELL.fullmatch(text) for start, _, text in row)
            and any(re.search(r"[A-Za-z]{2}", text) for _, _, text in row) for row in self.grid)

    def column_header(self, column: int) -> str | None:
        texts = []
        for row in self.rows:
            for start, span, text in row:
                if start <= column < start + span:
                    if start > 0 and text:  # a cell from the first column is a title or a row label
                        texts.append(text)
                    break
        return " ".join(texts) or None


class _TextWalk:
    """EDGAR HTML to text in one pass over the tree; tagged figures come out marked, with their row
    label and column header."""

    def __init__(self, fact_elements: set[Any], body_size: float | None = None):
        self.fact_elements = fact_elements
        self.body_size = body_size
        self.count = 0  # marks handed out, figures and blocks alike
        self.block_count = 0
        self.blocks: list[LayoutBlock] = []
        self.toc_seen = False
        self.out: list[str] = []
        self.figure_of: dict[Any, int] = {}
        self.figure_text: dict[Any, str] = {}
        self.placed: dict[int, tuple[str | None, str | None]] = {}
        self.tables: list[_TableHead] = []
        self.emitted: list[int] = []

    def visible(self, el: Any, name: str | None) -> bool:
        if name is None or name in _SKIP_TAGS:
            return False
        style = el.get("style")
        return not (style and _HIDDEN.search(style))

    def walk(self, el: Any) -> None:
        name = tag_name(el)
        if not self.visible(el, name):
            return
        style = el.get("style")
        if style and _PAGE_BREAK.search(style):
            self.out.append(_PAGE_SEP)
        if el in self.fact_elements:
            self.out.append(self.figure(el))
            return
        if name == "tr":
            merged = self.row(el)
            cells = _CELL_SEP.join(text for _, _, text in merged)
            if self.tables:
                plain = tuple((start, span, re.sub(r"\s+", " ", strip_figures(_SPACE_IN_MARK.sub("", text))).strip())
                              for start, span, text in merged)
                if any(text for *_, text in plain):
                    self.tables[-1].grid.append(plain)
            if self.tables and self.tables[-1].single_row:
                cells = self.heading_row(el, cells)
            self.out.append("\n" + cells + "\n")
            return
        block = name in _BLOCK_TAGS
        if block:
            self.out.append("\n")
        mark_at, blocks_before = None, self.block_count
        if block and name != "br":
            self.block_count += 1
        if name in _HEADING_TAGS or name == "table":
            mark_at = len(self.out)
            self.out.append("")  # where the block's open mark goes, if it earns one
        if name == "table":
            rows = sum(1 for x in el.iter() if isinstance(x.tag, str) and tag_name(x) == "tr" and "".join(x.itertext()).strip())
            self.tables.append(_TableHead(single_row=rows == 1))
        if el.text:
            self.out.append(el.text)
        for child in el:
            self.walk(child)
            if child.tail:
                self.out.append(child.tail)
        if name == "table":
            table = self.tables.pop()
            if mark_at is not None and not self.toc_seen and self.is_toc(mark_at):
                self.mark(mark_at, LayoutBlock(self.count, kind="toc"))
            elif mark_at is not None and table.holds_figures() and not self.tables:
                self.mark(mark_at, LayoutBlock(self.count, kind="table", rows=tuple(table.grid)))
        elif mark_at is not None and self.block_count == blocks_before + 1:
            self.heading_block(el, mark_at)  # a block with no blocks inside: its text is a line of its own
        if block:
            self.out.append("\n")

    def mark(self, at: int, block: LayoutBlock) -> None:
        """Put `block`'s marks round what the walk wrote from `at` on."""
        if block.number >= MAX_FIGURES:
            return
        self.out[at] = _figure_mark(block.number)
        self.out.append(FIGURE_CLOSE)
        self.blocks.append(block)
        self.count += 1

    def is_toc(self, at: int) -> bool:
        """The first table that lists three or more "Item N. Title ... page" rows is the table of contents."""
        rows = 0
        for line in strip_figures("".join(self.out[at:])).split("\n"):
            line = re.sub(r"\s+", " ", line.replace(_CELL_SEP, " ")).strip()
            if _TOC_ROW.match(line):
                rows += 1
        self.toc_seen = rows >= 3
        return self.toc_seen

    def look_of(self, el: Any) -> Look | None:
        """How the text under `el` is printed: bold/italic/underlined if all of it is (runs with no letter
        or digit, such as a "®", aside), at the size of its longest run. None for no such text."""
        look = _PLAIN
        for above in reversed(list(el.iterancestors())):
            look = restyle(look, above, tag_name(above))
        runs = [(t, lk) for t, lk in self.runs(el, look) if re.search(r"[A-Za-z0-9]", t)]
        if not runs:
            return None
        size = max(runs, key=lambda r: len(r[0].strip()))[1][3]
        return all(lk[0] for _, lk in runs), all(lk[1] for _, lk in runs), all(lk[2] for _, lk in runs), size

    def runs(self, el: Any, look: Look) -> Iterator[tuple[str, Look]]:
        look = restyle(look, el, tag_name(el))
        if el.text:
            yield el.text, look
        for child in el:
            if self.visible(child, tag_name(child)):
                yield from self.runs(child, look)
            if child.tail:
                yield child.tail, look

    def layout_block(self, el: Any, text: str) -> LayoutBlock | None:
        """A block for `text` (one line's worth, marks out) if it is printed like a heading: bold, italic,
        underlined or larger than the body text, or it is an "Item N." / "PART II" line."""
        text = re.sub(r"\s+", " ", strip_figures(text).replace(_CELL_SEP, " ")).strip()
        if not text or len(text) > MAX_HEADING_CHARS or not re.search(r"[A-Za-z]{2}", text):
            return None
        look = self.look_of(el)
        if look is None:
            return None
        bold, italic, underline, size = look
        larger = size - self.body_size if size is not None and self.body_size is not None else 0.0
        if not (bold or italic or underline or larger >= 1 or _ITEM_LINE.match(text)):
            return None
        return LayoutBlock(self.count, bold=bold, italic=italic, underline=underline, size=max(0.0, larger))

    def heading_block(self, el: Any, at: int) -> None:
        if sum(len(part) for part in self.out[at:]) > 4 * MAX_HEADING_CHARS:
            return
        block = self.layout_block(el, "".join(self.out[at:]))
        if block is not None:
            self.mark(at, block)

    def heading_row(self, tr: Any, cells: str) -> str:
        """The cells of a one-row layout table, marked if they read as a heading."""
        block = self.layout_block(tr, cells)
        if block is None or block.number >= MAX_FIGURES:
            return cells
        self.blocks.append(block)
        self.count += 1
        return _figure_mark(block.number) + cells + FIGURE_CLOSE

    def figure(self, el: Any) -> str:
        """A tagged figure's printed text, marked with its number (once per element)."""
        if el in self.figure_text:
            if el in self.figure_of:
                self.emitted.append(self.figure_of[el])
            return self.figure_text[el]
        raw = element_text(el, skip_exclude=False)
        printed = re.sub(r"\s+", " ", raw).strip()
        number = self.count
        if not printed or number >= MAX_FIGURES:
            self.figure_text[el] = raw
            return raw
        self.count += 1
        for inner in el.iter():
            if inner in self.fact_elements:
                self.figure_of[inner] = number
        self.placed[number] = (None, None)
        self.emitted.append(number)
        lead, trail = raw[: len(raw) - len(raw.lstrip())], raw[len(raw.rstrip()):]
        self.figure_text[el] = text = lead + _figure_mark(number) + printed + FIGURE_CLOSE + trail
        return text

    def strings(self, el: Any) -> Iterator[str]:
        """The visible strings under `el` (its tail not included), a tagged figure as one string."""
        if el in self.fact_elements:
            yield self.figure(el)
            return
        if el.text:
            yield el.text
        for child in el:
            if self.visible(child, tag_name(child)):
                yield from self.strings(child)
            if child.tail:
                yield child.tail

    def cells(self, el: Any) -> Iterator[Any]:
        for child in el:
            name = tag_name(child)
            if self.visible(child, name):
                if name in _CELL_TAGS:
                    yield child
                yield from self.cells(child)

    def row(self, tr: Any) -> list[tuple[int, int, str]]:
        """One table row as its cells' (column, colspan, text), "$", "(", ")" and "%" cells joined to their
        figures (which keep their own column)."""
        grid: list[tuple[int, int, str, list[int]]] = []
        head = self.tables[-1] if self.tables else None
        column, added = 0, 0
        for cell in self.cells(tr):
            del self.emitted[:]
            text = re.sub(r"\s+", " ", " ".join(s.strip() for s in self.strings(cell) if s.strip()))
            span, down = _span(cell.get("colspan")), _span(cell.get("rowspan"))
            if head is not None:
                column = head.free_column(column)
                if down > 1:
                    head.spanned.append([column, span, down - 1])
                    added += 1
            grid.append((column, span, text, list(self.emitted)))
            column += span
        if head is not None:
            head.next_row(added)
        self.place_figures(grid)
        merged: list[tuple[int, int, str]] = []
        for start, span, cell, _ in grid:
            last = merged[-1] if merged else None
            if last and last[2] in ("$", "(") and cell:
                merged[-1] = (start, span, last[2] + cell)  # EDGAR puts "$" in a cell of its own
            elif cell in (")", "%") and last:
                merged[-1] = (last[0], start + span - last[0], last[2] + cell)
            elif cell:
                merged.append((start, span, cell))
        return merged

    def place_figures(self, grid: list[tuple[int, int, str, list[int]]]) -> None:
        head = self.tables[-1] if self.tables else None
        if not any(numbers for *_, numbers in grid):
            if head is not None and not head.done:
                head.rows.append([(start, span, strip_figures(text)) for start, span, text, _ in grid])
            return
        if head is not None:
            head.done = True
        label = None
        for start, _, text, numbers in grid:
            for number in numbers:
                self.placed[number] = (label, head.column_header(start) if head else None)
            plain = strip_figures(text)
            if label is None and not numbers and re.search(r"[A-Za-z]", plain):
                label = plain


def _span(value: str | None, most: int = 1000) -> int:
    """A colspan or rowspan attribute as a count (1 when missing or garbled)."""
    try:
        return min(most, max(1, int(value or 1)))
    except ValueError:
        return 1


def html_document(html: str) -> RawDocument:
    """EDGAR HTML to page texts (scripts, styles and hidden XBRL headers dropped, each table row one line)
    and its inline-XBRL facts. No pages for markup without visible text."""
    root = parse_markup(html)
    if root is None:
        return RawDocument(pages=[], paged=False)
    read = read_facts(root, MAX_XBRL_FACTS)
    walk = _TextWalk({el for fact, el in zip(read.facts, read.elements) if fact.text is None}, body_font_size(html))
    walk.walk(root)
    text = "".join(walk.out)
    # Inline whitespace inside paragraphs is layout, not content.
    text = "\n".join(_SPACE_IN_MARK.sub("", re.sub(r"[ \t\xa0]+", " ", ln)).strip().replace(_CELL_SEP, "    ")
                     for ln in text.split("\n"))
    pages = text.split(_PAGE_SEP)
    if not any(p.strip() for p in pages):
        return RawDocument(pages=[], paged=False)
    facts, figures = [], []
    for fact, el in zip(read.facts, read.elements):
        number = walk.figure_of.get(el)
        if number is not None:
            label, header = walk.placed[number]
            fact = replace(fact, row_label=label, column_header=header)
        facts.append(fact)
        figures.append(number)
    return RawDocument(pages=pages, paged=len(pages) > 1, facts=tuple(facts), figures=tuple(figures),
                       warnings=read.warnings, blocks=tuple(walk.blocks))


def html_to_pages(html: str) -> list[str]:
    """EDGAR HTML to page texts, without the facts."""
    return [strip_figures(p) for p in html_document(html).pages]


_FACT_TAG = re.compile(rb"<[A-Za-z_][\w.-]*:non(?:fraction|numeric)\b", re.I)


def read_html_document(path: Path, max_bytes: int = MAX_BYTES) -> RawDocument:
    data = read_bytes(path, max_bytes)
    facts = sum(1 for _ in _FACT_TAG.finditer(data))  # before the tree is built: a million hidden facts cost gigabytes
    if facts > MAX_XBRL_FACTS:
        raise FilingParseError(f"{path.name}: {facts:,} inline-XBRL facts; filingqa reads at most {MAX_XBRL_FACTS:,} "
                               f"(a 10-K tags about 3,000)")
    html = decode_text(data, path.name)
    try:
        document = html_document(html)
    except RecursionError:
        raise FilingParseError(f"{path.name}: the HTML nests elements too deeply to read") from None
    except TooManyFactsError as exc:
        raise FilingParseError(f"{path.name}: {exc}") from None
    check_text_size(sum(len(p) for p in document.pages), path.name)
    if not document.pages:
        raise FilingParseError(f"{path.name}: the HTML has no visible text")
    return document


# A digit run (or nil dash) a PDF table prints as (part of) a cell; its right edge says which column it sits in.
_DIGITS = re.compile(r"\d[\d,]*(?:\.\d+)?|(?<!\S)[-–—](?!\S)")  # a lone dash is a nil cell
_ENDS_IN_FIGURE = re.compile(r"\d\s*\)?\s*%?\s*$")


def mark_pdf_figures(text: str, right_edge: Callable[[int], float], first: int) -> tuple[str, list[float]]:
    """`text` (one page) with each digit run of a table-like line (two or more runs, or one that ends the line)
    marked as figure `first`, `first` + 1, ..., and the right edge of each one's last character. A number
    inside a line of prose is never a cell to align."""
    out: list[str] = []
    edges: list[float] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        runs = list(_DIGITS.finditer(line))
        if not runs or (len(runs) < 2 and not _ENDS_IN_FIGURE.search(line)) or first + len(edges) + len(runs) > MAX_FIGURES:
            out.append(line)
        else:
            at = 0
            for m in runs:
                number = first + len(edges)
                edges.append(round(right_edge(pos + m.end() - 1), 1))
                out.append(line[at:m.start()] + _figure_mark(number) + m.group() + FIGURE_CLOSE)
                at = m.end()
            out.append(line[at:])
        pos += len(line)
    return "".join(out), edges


def read_pdf_document(path: Path, max_bytes: int = MAX_BYTES) -> RawDocument:
    """A PDF's page texts, with the figures of its table lines marked and their x positions (PDFium's
    character boxes: the text layer's own geometry, so a row with an empty cell still lines up)."""
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
    pages: list[str] = []
    edges: list[float] = []
    chars = 0
    try:
        if len(doc) > MAX_PAGES:
            raise FilingParseError(f"{path.name}: {len(doc):,} pages; filingqa reads filings of up to {MAX_PAGES:,} "
                                   f"pages (a 10-K has 100 to 300); split the file or index the filing itself")
        for i in range(len(doc)):
            page = doc[i]
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            chars += len(text)
            check_text_size(chars, path.name)
            # get_text_range gives one character per character box, so a text offset is a box index.
            marked, page_edges = mark_pdf_figures(text, lambda k, tp=textpage: tp.get_charbox(k)[2], len(edges))
            pages.append(marked)
            edges.extend(page_edges)
            textpage.close()
            page.close()
    except pdfium.PdfiumError as exc:
        raise FilingParseError(f"{path.name}: corrupt PDF, failed on page {len(pages) + 1} ({exc})") from exc
    finally:
        doc.close()
    if not any(re.search(r"[A-Za-z]{3,}", strip_figures(p)) for p in pages):
        raise FilingParseError(f"{path.name}: the PDF has no text layer (scanned images need OCR, which filingqa does not do)")
    return RawDocument(pages=pages, paged=True, figure_x=tuple(edges))


def read_pages(path: Path, max_bytes: int = MAX_BYTES) -> RawDocument:
    """Raw page texts of `path` by its type (and, for EDGAR inline XBRL, its facts)."""
    suffix = path.suffix.lower()
    if suffix in PDF_SUFFIXES:
        return read_pdf_document(path, max_bytes)
    if suffix in HTML_SUFFIXES:
        return read_html_document(path, max_bytes)
    if suffix in TEXT_SUFFIXES:
        pages = read_text_pages(path, max_bytes)
        return RawDocument(pages=pages, paged=len(pages) > 1)
    raise FilingParseError(
        f"{path.name}: unsupported file type {suffix or '(none)'}; filingqa reads {', '.join(sorted(SUPPORTED_SUFFIXES))}"
    )
