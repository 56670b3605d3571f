"""Sentence-aware chunks inside one section, each fitting the embedder's window with its context header.

A chunk's `text` is exactly `filing.text[start:end]`; what gets embedded is `header + "\n" + text`,
where the header names company, form, period and section path (and, for a table split over
several chunks, the table's caption and column headers), so context is never lost.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace
from typing import Any, Callable

from corpus.model import Filing, Section, Table
from corpus.sentences import split_spans
from index.model import Chunk


@dataclass(frozen=True)
class ChunkerConfig:
    """`window` is the embedder's word-piece limit; chunks aim at `target_tokens` of text and never
    exceed the window once the header and the two special tokens are added."""

    window: int = 256
    target_tokens: int = 160
    min_tokens: int = 24

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def context_header(filing: Filing, section: Section, period_label: str | None, extra: str = "") -> str:
    parts = [p for p in (filing.company, filing.form, period_label or _filing_period(filing)) if p]
    path = " > ".join(section.path)
    if section.segment and section.segment.lower() not in path.lower():
        path = f"{section.segment} segment > {path}"
    head = " | ".join(parts + [path])
    return f"{head} | {extra}" if extra else head


def _filing_period(filing: Filing) -> str | None:
    if filing.fiscal_quarter and filing.fiscal_year:
        return f"Q{filing.fiscal_quarter} {filing.fiscal_year}"
    return f"FY{filing.fiscal_year}" if filing.fiscal_year else None


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _split_long(text: str, a: int, b: int, budget: int, count: Callable[[str], int],
                token_ends: Callable[[str], list[int]] | None = None) -> list[tuple[int, int]]:
    """Cut an over-long sentence at clause breaks ("; ", ", an increase in ...") or, failing that, spaces.

    With `token_ends` (each word piece's end offset, from one tokenization of the whole run) this is linear in the
    run's length; without it, each piece is found by binary search over re-counted prefixes, which is quadratic in a
    run with no sentence break (a 500 KB one took over a minute) and is kept only for counters without offsets.
    """
    if token_ends is not None:
        return _split_by_offsets(text, a, b, budget, count, token_ends(text[a:b]))
    pieces: list[tuple[int, int]] = []
    while a < b:
        if count(text[a:b]) <= budget:
            pieces.append((a, b))
            break
        # Binary search the longest prefix that fits, then back off to a clause or word break.
        lo, hi = a + 1, b
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if count(text[a:mid]) <= budget:
                lo = mid
            else:
                hi = mid - 1
        end = _break_before(text, a, lo)
        pieces.append(_trim(text, a, end))
        a = _skip_space(text, end, b)
    return [p for p in pieces if p[1] > p[0]]


def _break_before(text: str, a: int, limit: int) -> int:
    """Where to end a piece that may run to `limit`: after the last clause break, or word break, in its second half."""
    window = text[a:limit]
    cut = max(window.rfind("; "), window.rfind(", "))
    if cut < len(window) // 2:
        cut = window.rfind(" ")
    return a + cut + 1 if cut > 0 else limit


def _skip_space(text: str, a: int, b: int) -> int:
    while a < b and text[a].isspace():
        a += 1
    return a


def _split_by_offsets(text: str, a: int, b: int, budget: int, count: Callable[[str], int],
                      ends: list[int]) -> list[tuple[int, int]]:
    """`_split_long` over the word pieces' end offsets (relative to `a`): each piece ends after at most `budget` of them."""
    origin = a
    pieces: list[tuple[int, int]] = []
    first = 0  # the first word piece that ends after the piece being cut starts
    while a < b:
        while first < len(ends) and origin + ends[first] <= a:
            first += 1
        if len(ends) - first <= budget:
            pieces.append(_trim(text, a, b))
            break
        room = budget
        while True:
            end = _break_before(text, a, origin + ends[first + room - 1])
            piece = _trim(text, a, end)
            # A piece cut inside a word may take a word piece more on its own than inside the run: count it.
            if room <= 8 or count(text[piece[0]:piece[1]]) <= budget:
                break
            room -= 8
        pieces.append(piece)
        a = _skip_space(text, end, b)
    return [p for p in pieces if p[1] > p[0]]


def _body_start(text: str, section: Section) -> int:
    """Skip the heading itself: it is in every chunk's header already."""
    if section.level == 0:
        return section.start
    line_end = text.find("\n", section.start, section.end)
    first_line = text[section.start: line_end if line_end != -1 else section.end]
    if len(first_line.strip()) <= len(section.title) + 40:
        return line_end if line_end != -1 else section.end
    return min(section.end, section.start + len(section.title))


class Chunker:
    def __init__(self, count_tokens: Callable[[str], int], config: ChunkerConfig | None = None,
                 count_batch: Callable[[list[str]], list[int]] | None = None,
                 token_ends: Callable[[str], list[int]] | None = None):
        # Sentences and headers are counted more than once while packing; tokenizing was most of chunking's time.
        self._counts: dict[str, int] = {}
        self._count_one = count_tokens
        self._count_batch = count_batch
        self._token_ends = token_ends  # word-piece end offsets: linear splitting of a run with no sentence break
        self.config = config if config is not None else ChunkerConfig()

    def count(self, text: str) -> int:
        n = self._counts.get(text)
        if n is None:
            n = self._counts[text] = self._count_one(text)
        return n

    def _count_all(self, texts: list[str]) -> None:
        """Count many texts in one call to the tokenizer (much cheaper than one call each)."""
        todo = [t for t in dict.fromkeys(texts) if t not in self._counts]
        if todo and self._count_batch is not None:
            self._counts.update(zip(todo, self._count_batch(todo)))

    def _fit(self, header: str) -> str:
        """Shorten a header that would take more than half the window (small windows, long table headers)."""
        limit = self.config.window // 2
        while self.count(header) > limit and len(header) > 20:
            header = header[: int(len(header) * 0.85)].rsplit(" ", 1)[0] + " …"
        return header

    def _budget(self, header: str) -> int:
        # Window minus [CLS]/[SEP], the header and the newline joining them.
        room = self.config.window - 2 - self.count(header) - 1
        return max(self.config.min_tokens, min(self.config.target_tokens, room))

    def chunk(self, filing: Filing) -> list[Chunk]:
        text = filing.text
        chunks: list[Chunk] = []
        tables = sorted(filing.tables, key=lambda t: t.start)
        for section in filing.sections:
            if section.kind == "toc":
                continue
            start = _body_start(text, section)
            inner = [t for t in tables if t.start < section.end and t.end > start]
            cursor = start
            for table in inner:
                if table.start > cursor:
                    chunks += self._text_chunks(filing, section, cursor, table.start)
                chunks += self._table_chunks(filing, section, table, max(table.start, start), min(table.end, section.end))
                cursor = max(cursor, table.end)
            if cursor < section.end:
                chunks += self._text_chunks(filing, section, cursor, section.end)
        return [self._numbered(c, i, filing.doc_id) for i, c in enumerate(chunks)]

    @staticmethod
    def _numbered(chunk: Chunk, i: int, doc_id: str) -> Chunk:
        return replace(chunk, chunk_id=f"{doc_id}:{i:05d}")

    def _make(self, filing: Filing, section: Section, a: int, b: int, header: str, kind: str, period) -> Chunk:
        return Chunk(
            chunk_id="", doc_id=filing.doc_id, text=filing.text[a:b], start=a, end=b, header=header,
            section=" > ".join(section.path), section_title=section.title, segment=section.segment,
            period=period.label if period else None, period_months=period.months if period else None,
            period_end=period.end if period else None, page=filing.page_at(a), kind=kind,
            company=filing.company, form=filing.form,
        )

    def _text_chunks(self, filing: Filing, section: Section, a: int, b: int) -> list[Chunk]:
        text = filing.text
        a, b = _trim(text, a, b)
        if b <= a:
            return []
        header = self._fit(context_header(filing, section, section.period.label if section.period else None))
        budget = self._budget(header)
        units: list[tuple[int, int]] = []
        sentences = list(split_spans(text, a, b))
        self._count_all([text[s:e] for s, e in sentences])
        for s, e in sentences:
            units += _split_long(text, s, e, budget, self.count, self._token_ends) if len(text[s:e]) > budget * 3 or self.count(text[s:e]) > budget else [(s, e)]
        out: list[Chunk] = []
        cur_start, cur_end, cur_tokens = None, None, 0
        for s, e in units:
            n = self.count(text[s:e])
            if cur_start is not None and cur_tokens + n > budget:
                out.append(self._make(filing, section, cur_start, cur_end, header, "text", section.period))
                cur_start, cur_tokens = None, 0
            if cur_start is None:
                cur_start = s
            cur_end, cur_tokens = e, cur_tokens + n
        if cur_start is not None:
            out.append(self._make(filing, section, cur_start, cur_end, header, "text", section.period))
        return out

    def _table_chunks(self, filing: Filing, section: Section, table: Table, a: int, b: int) -> list[Chunk]:
        text = filing.text
        a, b = _trim(text, a, b)
        if b <= a:
            return []
        period = table.period or section.period
        caption = table.caption or (table.header.split("\n")[0] if table.header else "")
        extra = "table" + (f": {caption}" if caption else "") + (f" ({table.units})" if table.units and table.units not in caption else "")
        header = self._fit(context_header(filing, section, period.label if period else None, extra[:200]))
        budget = self._budget(header)
        if self.count(text[a:b]) <= budget:
            return [self._make(filing, section, a, b, header, "table", period)]
        # Split between rows (lines); a flattened one-line table splits between cells. Continuation
        # chunks carry the column headers in their header so they are never cut off from them.
        cont_header = self._fit(context_header(filing, section, period.label if period else None,
                                               (extra + " | columns: " + " ".join(table.header.split()))[:400]))
        budget_cont = self._budget(cont_header)
        rows = [(m.start() + a, m.end() + a) for m in re.finditer(r"[^\n]+", text[a:b])]
        self._count_all([text[s:e] for s, e in rows])
        if len(rows) <= 1:
            rows = _split_long(text, a, b, budget_cont, self.count, self._token_ends)
        out: list[Chunk] = []
        cur: tuple[int, int] | None = None
        cur_tokens = 0
        for s, e in rows:
            for rs, re_ in (_split_long(text, s, e, budget_cont, self.count, self._token_ends) if self.count(text[s:e]) > budget_cont else [(s, e)]):
                n = self.count(text[rs:re_])
                limit = budget if not out else budget_cont
                if cur is not None and cur_tokens + n > limit:
                    out.append(self._make(filing, section, cur[0], cur[1], header if not out else cont_header, "table", period))
                    cur, cur_tokens = None, 0
                cur = (rs, re_) if cur is None else (cur[0], re_)
                cur_tokens += n
        if cur is not None:
            out.append(self._make(filing, section, cur[0], cur[1], header if not out else cont_header, "table", period))
        return out
