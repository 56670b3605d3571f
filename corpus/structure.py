"""Find headings, tables and the context they carry in cleaned filing text.

Pure functions over the cleaned text (and, for HTML, the blocks its layout prints as headings: see
`layout_headings`). Headings come in four levels:
1 top-level (ALL CAPS lines, "Item 7.", "PART II", the standard MD&A headings): resets context;
2 segment headings ("Operating Results of our Cloud Telecommunications Segment"): sets the segment;
3 period blocks ("Three months ended September 30, 2020 compared to ..."): sets the period;
4 topic headings ("General and Administrative"): the sections users ask about.
A segment or period applies to every section under it until the next heading of its level or above.
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, replace

from corpus.clean import is_table_row
from corpus.dom_tables import dom_table
from corpus.model import PageSpan, Period, Section, Table, TableRow
from corpus.periods import MONTH_NAME, parse_period, period_block, single_period
from corpus.scale import UNITS_RE, detect_scale
from corpus.sentences import split_spans

_CONNECTORS = {"a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with", "our",
               "its", "vs", "versus", "per", "into", "over", "under", "not", "other", "than"}
TOP_LEVEL_TITLES = {
    "overview", "results of operations", "liquidity and capital resources", "critical accounting policies",
    "critical accounting policies and estimates", "critical accounting estimates", "segment operating results",
    "off balance sheet arrangements", "off-balance sheet arrangements", "related party transactions",
    "impact of recent accounting pronouncements", "recent accounting pronouncements", "risk factors",
    "quantitative and qualitative disclosures about market risk", "controls and procedures", "legal proceedings",
    "executive overview", "business overview", "financial statements", "notes to consolidated financial statements",
    "notes to condensed consolidated financial statements", "forward-looking statements", "use of non-gaap financial measures",
    "segment information", "segment results", "business segments", "contractual obligations", "capital resources",
}
_ITEM_RE = re.compile(r"^(?:ITEM|Item)\s+\d{1,2}[A-C]?\s*[.:\-–—]?(?:\s+\S.*)?$")
_PART_RE = re.compile(r"^PART\s+(?:I|II|III|IV)\b\.?(?:\s*[-–—]?\s*\S.*)?$", re.I)
_NOTE_RE = re.compile(r"^(?:Note|NOTE)\s+\d{1,2}\s*[.:\-–—]\s*\S.*$|^\d{1,2}\.\s+[A-Z][A-Za-z]")
_SEGMENT_RES = [
    re.compile(r"\bresults\s+of\s+(?:our\s+|the\s+)?(?P<name>[A-Z][\w&,\- ]+?)\s+segments?\b", re.I),
    re.compile(r"^(?P<name>[A-Z][\w&\- ]+?)\s+(?:Services\s+)?Segment\b(?!s)", re.I),
    re.compile(r"^(?:results\s+of\s+)?(?P<name>consolidated)\s+(?:results|operations)\b", re.I),
    re.compile(r"^results\s+of\s+(?P<name>consolidated)\s+operations\b", re.I),
]
_REFERENCE_RE = re.compile(r"incorporated\s+(?:herein\s+)?by\s+reference|is\s+(?:included|set\s+forth|contained)\s+in\s+(?:Part|Item|Note)", re.I)
_CELL = r"\(?\$?\s?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\)?%?"
_TRAILING_FIGURES = re.compile(rf"(?<![\w.,])({_CELL})\s+({_CELL})\s*$")


def _ends_in_figures(line: str) -> bool:
    """A line that ends in two figures is a row ("Employees (in thousands) 125.5 122.9"), not one that ends in two
    years or a date ("Years Ended December 31, 2023 2022")."""
    m = _TRAILING_FIGURES.search(line)
    return bool(m) and not all(re.fullmatch(r"(?:19|20)\d\d", g.strip("()$% ")) for g in m.groups())
_UNITS_RE = UNITS_RE  # one units vocabulary with the scale detector
_NUM_TOKEN = re.compile(r"^\(?\$?\(?-?\d[\d,]*(?:\.\d+)?\)?%?\)?$|^[-—–$]$")
_PERIOD_WORDS = re.compile(r"\b(?:months?|weeks?|year|quarter)s?\s+ended\b|\b(?:19|20)\d\d\b", re.I)


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    text: str  # stripped

    @property
    def blank(self) -> bool:
        return not self.text


def split_lines(text: str) -> list[Line]:
    lines, pos = [], 0
    for raw in text.split("\n"):
        lead = len(raw) - len(raw.lstrip())
        stripped = raw.strip()
        lines.append(Line(pos + lead, pos + lead + len(stripped), stripped))
        pos += len(raw) + 1
    return lines


def _words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z][A-Za-z'’\-/&]*", text)


def is_title_like(text: str) -> bool:
    """Title Case or ALL CAPS words, connectors aside: "General and Administrative"."""
    words = _words(text)
    if not words:
        return False
    content = [w for w in words if w.lower() not in _CONNECTORS]
    if not content:
        return False
    caps = sum(1 for w in content if w[0].isupper())
    return caps / len(content) >= 0.75 and words[0][0].isupper()


def is_sentence_case_heading(text: str) -> bool:
    """A short capitalised phrase with no figures or final stop: "Service revenue", "Contract balances"."""
    words = text.split()
    return (1 <= len(words) <= 6 and text[0].isupper() and text[-1] not in ".,;:" and not re.search(r"\d|\$", text)
            and all(re.fullmatch(r"[A-Za-z][A-Za-z'’\-/&(),]*", w) for w in words))


def is_all_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def segment_name(title: str) -> str | None:
    for rx in _SEGMENT_RES:
        m = rx.search(title)
        if m:
            name = re.sub(r"\s+", " ", m.group("name")).strip(" ,")
            if name.lower() in {"the", "our", "operating", "reportable", "total reportable", "each"}:
                return None
            return "Consolidated" if name.lower() == "consolidated" else name
    return None


_CHECKBOX = re.compile(r"[☒☐□☑✓✔]")
_SIGNATURE = re.compile(r"^(?:By|Name|Title|Date|Its)\s*:|/s/", re.I)
_PERSON = re.compile(r"^[A-Z][a-z]+\s+(?:[A-Z]\.\s*)+[A-Z][A-Za-z'’\-]+(?:,?\s+(?:Jr|Sr|II|III|IV)\.?)?\s*\**$")
_ADDRESS = re.compile(r"\b\d{5}(?:-\d{4})?\s*$|,\s*[A-Z]{2}\s*$|\(\d{3}\)\s*\d{3}-\d{4}")
_NAVIGATION = re.compile(r"^(?:page|pages|table\s+of\s+contents|index|index\s+to\s+financial\s+statements|contents|"
                         r"back\s+to\s+contents|return\s+to\s+table\s+of\s+contents)$", re.I)
_CONTINUED = re.compile(r"[\s(—–\-]continued\)?\s*$", re.I)
_LEADERS = re.compile(r"\.{4,}|…{2,}|(?:\.\s){4,}")
_ROLE_WORDS = {"director", "directors", "chief", "executive", "officer", "financial", "accounting", "operating", "president",
               "vice", "senior", "chairman", "chair", "chairperson", "of", "the", "board", "and", "secretary", "treasurer",
               "controller", "principal", "general", "counsel", "managing", "authorized", "signatory", "lead", "independent",
               "co-founder", "founder", "ceo", "cfo", "coo", "corporate", "assistant", "partner", "trustee"}


def is_false_heading(t: str) -> bool:
    """Lines that look like titles on a PDF page but are not section titles: cover-page check boxes,
    addresses, signature blocks, navigation links, "(Continued)" running heads, TOC leader lines and
    rows of figures such as "2022 Change 2021 Change 2020"."""
    if _CHECKBOX.search(t) or _SIGNATURE.search(t) or _NAVIGATION.match(t) or _LEADERS.search(t):
        return True
    if _CONTINUED.search(t) or _PERSON.match(t) or _ADDRESS.search(t):
        return True
    words = _words(t)
    if not any(len(w) >= 2 for w in words):
        return True  # "C", "E": one glyph per line from a broken text layer
    if all(w.lower().rstrip(",") in _ROLE_WORDS for w in words):
        return True  # "Chief Executive Officer", "Director Director"
    tokens = re.sub(r"^(?:Note|NOTE|Item|ITEM)\s+\d{1,2}[A-C]?\b|^\d{1,2}[A-C]?\.", "", t).split()
    nums = sum(1 for tok in tokens if re.fullmatch(r"[$(]*\d[\d.,]*[)%]*", tok))
    return nums >= 2 and nums / max(1, len(tokens)) >= 0.3


@functools.lru_cache(maxsize=65536)  # pure; a PDF repeats its running heads and row labels on many pages
def heading_level(text: str) -> int | None:
    """Level 1-4 for a line that reads as a heading, None for prose."""
    t = text.strip()
    if not t or len(t) > 160 or t.startswith("•"):
        return None
    if period_block(t):
        return 3
    if is_false_heading(t):
        return None
    if _PART_RE.match(t) or _ITEM_RE.match(t):
        return 1
    words = _words(t)
    if not words or len(words) > 16 or is_table_row(t):
        return None
    if t.rstrip("”\"')]’")[-1:] in (".", ";", ",") and not _NOTE_RE.match(t):
        return None
    if not (t[0].isupper() or t[0].isdigit()):
        return None
    core = re.sub(r"\s*\([^)]*\)\s*:?$|:$", "", t).strip()
    if core.lower() in TOP_LEVEL_TITLES:
        return 1
    if segment_name(core) and is_title_like(core):
        return 2
    if is_all_caps(t):
        return 1
    if _NOTE_RE.match(t):
        return 1
    if is_title_like(core) and len(words) <= 12:
        return 4
    return None


def _number_share(text: str) -> tuple[int, float]:
    tokens = text.split()
    nums = sum(1 for tok in tokens if _NUM_TOKEN.match(tok))
    return nums, nums / max(1, len(tokens))


def _is_header_line(text: str) -> bool:
    """Column headers above table rows: periods, years, segment names, units."""
    if not text or len(text) > 200 or text.rstrip("”\"’)").endswith("."):
        return False
    if _UNITS_RE.search(text) and len(text) < 120:
        return True
    if re.fullmatch(r"(?:(?:19|20)\d\d\s*)+", text):
        return True
    words = _words(text)
    lower = [w for w in words if w[0].islower() and w.lower() not in _HEADER_VOCAB]
    if len(lower) > 1 or len(words) > 20 or text.endswith(":"):
        return False
    # "Three Months Ended  Nine Months Ended", "September 30,   September 30,", "Cloud  Software  Total".
    return bool(_PERIOD_WORDS.search(text) or re.search(r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\b", text)
                or (words and len(text) < 100 and _number_share(text)[0] == 0))


_HEADER_VOCAB = {"ended", "months", "weeks", "year", "years", "quarter", "in", "thousands", "millions", "and", "except",
                 "per", "share", "amounts", "for", "the", "of", "to", "as", "at", "fiscal", "dollars", "unaudited", "change", "total"}


@dataclass
class _TableBlock:
    start_line: int
    end_line: int  # inclusive
    header_start: int


def _is_group_label(text: str) -> bool:
    """A row label that opens a group of rows: "Net sales by category:", "June 26, 2022 to July 30, 2022:"."""
    return text.endswith(":") and len(text) < 60 and len(text.split()) <= 8 and not _UNITS_RE.search(text)


def _header_start(lines: list[Line], first_row: int, floor: int, fragments: set[int], reach: int = 30) -> int:
    """Index of the first column-header line above a table's first row. Headers may be stacked one
    word group per line ("Average" / "Price" / "Paid Per" / "Share"), and a group label may sit
    between them and the first row. Stops at a heading, a caption or prose, and at `floor`."""
    h, k, labels_only = first_row, first_row - 1, True
    while k >= max(0, floor) and first_row - k <= reach:
        t = _FOOTNOTE_MARK.sub("", lines[k].text).strip()
        if not t:
            k -= 1
            continue
        if labels_only and (_is_group_label(t) or _caps_group_under_header(lines, k, t)):
            h, k = k, k - 1
            continue
        labels_only = False
        if _STATEMENT_TITLE.search(t):
            break  # "CONSOLIDATED BALANCE SHEETS" is the table's caption: what lies above is another text
        above = next((lines[a].text for a in range(k - 1, max(-1, k - 3), -1) if lines[a].text), "")
        if k in fragments or _is_dated_header(t) or (_is_header_line(t) and _is_dated_header(above)) or (
                heading_level(t) is None and not t.endswith(":") and (_is_header_line(t) or (
                len(t) < 60 and not t.endswith(".") and _number_share(t)[0] == 0))):
            h, k = k, k - 1
            continue
        break
    return h


# "Consolidated Balance Sheets", "Condensed Consolidated Statements of ...", "Consolidated Condensed Statements of ..."
_STATEMENT_TITLE = re.compile(r"^(?:condensed\s+)?consolidated\s+(?:condensed\s+)?(?:balance\s+sheets?|statements?\s+of\b)",
                              re.I)


def _caps_group_under_header(lines: list[Line], k: int, text: str) -> bool:
    """"ASSETS" / "CURRENT ASSETS" between a balance sheet's "May 31, / 2023 2022" header and its first row: a
    short capitalised label with a dated header line within the three lines above it."""
    # (capitals, or Title Case: an earnings release's "Assets" / "Liabilities and Stockholders' Equity")
    title_case = re.fullmatch(r"[A-Z][\w'’]*(?:\s+(?:and|of|&|[A-Z][\w'’]*))*", text)
    if not ((text.isupper() or title_case) and len(text.split()) <= 6 and not re.search(r"\d", text)):
        return False
    above = [lines[a].text for a in range(k - 1, max(-1, k - 4), -1) if lines[a].text]
    return any(_is_dated_header(a) for a in above[:3])


def _is_dated_header(text: str) -> bool:
    """A column header naming periods, dates or units: "Three Months Ended", "2022 2021", "(In millions)"."""
    return _is_header_line(text) and bool(_PERIOD_WORDS.search(text) or _MONTH_RE.search(text) or _UNITS_RE.search(text))


_MONTH_RE = re.compile(rf"\b{MONTH_NAME}\b")
_FOOTNOTE_MARK = re.compile(r"\(\d{1,2}\)|\*+$")


def _wrapped_onto_a_row(lines: list[Line], k: int, n: int, reach: int = 3) -> bool:
    """A row label's next lines run on to its figures: a row within `reach` lines, every line before it a
    continuation ("(includes $2.29 billion ...", "and $171 million ... dates) 2,726 2,345"), never prose that ends."""
    for j in range(k, min(n, k + reach)):
        t = lines[j].text
        if is_table_row(t):
            return True
        if not t or t.endswith(".") or not (t[:1] == "(" or t[:1].islower()):
            return False
    return False


def find_line_tables(lines: list[Line], fragments: set[int] = frozenset()) -> list[_TableBlock]:
    """Blocks of table rows (label + numeric cells), with the header lines above them."""
    blocks: list[_TableBlock] = []
    i, n = 0, len(lines)
    while i < n:
        if not lines[i].blank and is_table_row(lines[i].text) and heading_level(lines[i].text) != 1:
            rows, j, last, gap = 1, i + 1, i, 0
            while j < n and gap <= 2:
                t = lines[j].text
                if not t:
                    gap += 1
                elif _ITEM_RE.match(t) or _PART_RE.match(t) or _STATEMENT_TITLE.search(t.strip()):
                    break  # (a statement's title opens another table: Intel's cash flows right below its balance sheet)
                elif is_table_row(t) or _NUM_TOKEN.match(t.split()[0]) and _number_share(t)[1] > 0.5:
                    rows, last, gap = rows + 1, j, 0
                elif len(t) < 70 and not t.endswith(".") and j + 1 < n and any(
                    is_table_row(lines[k].text) for k in range(j + 1, min(n, j + 4))
                ) and not period_block(t):
                    last, gap = j, 0  # a label-only row inside the table ("Operating expenses:")
                elif len(t) < 200 and not t.endswith(".") and j + 1 < n and (t[:1].isupper() or t[:1] == "(") \
                        and not _ITEM_RE.match(t) and _wrapped_onto_a_row(lines, j + 1, n):
                    last, gap = j, 0  # a long row label wrapped onto the next lines ("Customers (net of allowance
                    # ... at respective dates)" / "(includes $2.29 billion ...)" / "and $171 million ...) 2,726 2,345")
                else:
                    break
                j += 1
            if rows >= 2:
                h = _header_start(lines, i, blocks[-1].end_line + 1 if blocks else 0, fragments)
                blocks.append(_TableBlock(i, last, h))
                i = last + 1
                continue
        i += 1
    return blocks


# Words that open a sentence after a run-in heading in flattened text ("Contract balances The following table").
_STARTERS = {"The", "In", "This", "These", "Our", "We", "All", "For", "When", "Significant", "Each", "As", "Under",
             "During", "Generally", "Customers", "Below", "Following", "It"}
_INLINE_BOUNDARY = re.compile(r"(?:^|(?<=[.!?|:])\s+|(?<=\d)\s+|(?<=\s[-–—])\s+|(?<=\))\s+)(?=[A-Z0-9])")


def find_inline_headings(text: str, start: int, end: int) -> list[tuple[int, int, str, bool]]:
    """Run-in headings inside one very long line (seed 004: bolded captions flattened into the text).

    A heading is 1-9 capitalised words with no figures or punctuation that start right after a
    sentence end, a "|" or a numeric table cell, and are followed by the word that opens a new
    sentence. The last element says whether a sentence-opening word ("The", "In") confirmed it.
    """
    found: list[tuple[int, int, str, bool]] = []
    for m in _INLINE_BOUNDARY.finditer(text, start, end):
        pos = m.end()
        window = text[pos : min(end, pos + 160)]
        tokens = list(re.finditer(r"\S+", window))
        heading_end, by_starter = None, False
        for idx, tok in enumerate(tokens[:10]):
            word = tok.group()
            if word == "|" and idx >= 1:
                heading_end = tokens[idx - 1].end()
                break
            if idx >= 1 and word in _STARTERS:
                heading_end, by_starter = tokens[idx - 1].end(), True
                break
            if (idx >= 2 and word[0].isupper() and idx + 1 < len(tokens) and tokens[idx + 1].group()[0].islower()
                    and all(t.group()[0].isupper() or t.group() in _CONNECTORS for t in tokens[:idx])):
                heading_end = tokens[idx - 1].end()
                break
            if word == "-" or re.search(r"[\d$%.,;:()|–—•·]", word) and not re.fullmatch(r"\d{1,2}\.", word):
                break
        if heading_end is None:
            continue
        title = window[:heading_end].strip()
        words = title.split()
        numbered = bool(re.fullmatch(r"\d{1,2}\.", words[0])) if words else False
        if not words or not (words[0][0].isupper() or numbered) or words[0] in _STARTERS or len(words) > 9:
            continue
        if len(words) == 1 or _PERIOD_WORDS.search(title):
            continue
        found.append((pos, pos + heading_end, title, by_starter))
    # A title repeated right after "|" ("2. Revenue | 2. Revenue") is one heading.
    dedup: list[tuple[int, int, str, bool]] = []
    for h in found:
        if dedup and h[2] == dedup[-1][2] and h[0] - dedup[-1][1] < 8:
            continue
        dedup.append(h)
    return dedup


def find_inline_tables(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Flattened tables inside a long line: runs of figure-dense text, split at each period header."""
    spans = split_spans(text, start, end)
    out: list[tuple[int, int]] = []
    for a, b in spans:
        nums, share = _number_share(text[a:b])
        if nums < 8 or share < 0.2:
            continue
        # The run may start with a sentence of prose before the first column header.
        heads = [m.start() + a for m in re.finditer(r"(?:Three|Six|Nine|Twelve)\s+Months\s+Ended|\bJune\s+30,\s+December|\(in thousands\)|\b(?:19|20)\d\d(?:\s+(?:19|20)\d\d){2,}", text[a:b], re.I)]
        if not heads:
            out.append((a, b))
            continue
        first = heads[0]
        # Pull the lead-in ("Major products/services lines" belongs to the table; prose before a colon does not).
        cuts = [first] + [h for h in heads[1:] if re.match(r"(?:Three|Six|Nine|Twelve)", text[h:h + 6], re.I)]
        cuts = sorted(set(cuts))
        for x, y in zip(cuts, cuts[1:] + [b]):
            out.append((x, y))
    return out


def _page_of(pages: tuple[PageSpan, ...], offset: int) -> int | None:
    # Pages are in order and do not overlap: the last page starting at or before the offset is the candidate.
    i = bisect.bisect_right(pages, offset, key=lambda p: p.start) - 1
    if i >= 0 and pages[i].start <= offset < pages[i].end:
        return pages[i].number
    return pages[-1].number if pages and offset >= pages[-1].end else None


_TOC_ENTRY = re.compile(r"^(?:(?:Item|ITEM)\s+\d{1,2}[A-C]?\.?\s+|\d{1,2}[A-C]?\.\s+)?[A-Za-z][^\d$]*?"
                        r"(?:\s\.*\s*\d{1,3}|\s(?:Part|PART)\s+[IV]+,\s+(?:Item|ITEM)\s+\d{1,2}[A-C]?)$")


def is_toc_entry(text: str) -> bool:
    """A table-of-contents line: a title followed by a page number or an "Part II, Item 1A" reference."""
    return len(text) < 200 and bool(_TOC_ENTRY.match(text))


def _toc_pages(lines: list[Line], pages: tuple[PageSpan, ...]) -> set[int]:
    """Pages that are mostly a table of contents: many "Item N." lines, or many title-plus-page-number lines."""
    items: dict[int, int] = {}
    entries: dict[int, int] = {}
    filled: dict[int, int] = {}
    titled: set[int] = set()  # pages that open with a "TABLE OF CONTENTS" title
    for ln in lines:
        if not ln.text:
            continue
        page = (_page_of(pages, ln.start) if pages else 0) or 0
        filled[page] = filled.get(page, 0) + 1
        if filled[page] <= 8 and re.fullmatch(r"(?:table\s+of\s+)?contents", ln.text, re.I):
            titled.add(page)
        if re.match(r"^(?:Item|ITEM)\s+\d{1,2}[A-C]?\b", ln.text):
            items[page] = items.get(page, 0) + 1
        if is_toc_entry(ln.text):
            entries[page] = entries.get(page, 0) + 1
    by_entries = {p for p, c in entries.items() if c >= 6 and c / filled[p] >= 0.3 or p in titled and c >= 4}
    return {p for p, c in items.items() if c >= 5} | by_entries


def _is_fragment(text: str) -> bool:
    """A short piece of a multi-line column header: "Average", "Paid Per", "of Shares"."""
    return (bool(text) and len(text) <= 40 and len(text.split()) <= 4 and text[-1] not in ".:;!?" and not re.search(r"\d", text)
            and not _ITEM_RE.match(text) and not _PART_RE.match(text))


def column_header_runs(lines: list[Line], min_run: int = 3) -> set[int]:
    """Indices of lines in runs of `min_run`+ consecutive short fragments: in unspaced PDF text these are
    column headers stacked one word group per line, never a series of section titles."""
    out: set[int] = set()
    run: list[int] = []
    for idx, ln in enumerate(lines + [Line(0, 0, "")]):
        if not ln.blank and _is_fragment(ln.text) and heading_level(ln.text) in (None, 4):
            run.append(idx)
            continue
        if len(run) >= min_run:
            out.update(run)
        run = []
    return out


def ends_with_connector(text: str) -> bool:
    """A title cut at the line end: "Description of the", "Share Exchange and"."""
    words = text.split()
    return len(words) >= 2 and words[-1].lower() in _CONNECTORS


@dataclass(frozen=True)
class Heading:
    start: int
    end: int
    title: str
    level: int
    kind: str = "body"
    segment: str | None = None  # None: read from the title (`segment_name`); "" none; else the segment it names


@dataclass(frozen=True)
class Block:
    """A block an HTML filing prints as a heading, its table of contents (`kind` "toc") or a table of
    figures (`kind` "table", with its DOM rows), placed in the cleaned text, with how it is printed
    (`size`: points above the body text's)."""

    start: int
    end: int
    kind: str = "heading"
    bold: bool = False
    italic: bool = False
    underline: bool = False
    size: float = 0.0
    rows: tuple[TableRow, ...] = ()  # a "table" block's rows, placed


# A heading whose sub-headings are segments, product lines or regions ("Segment Operating Performance",
# "Products and Services Performance", "Net Sales by Geographic Area").
_SEGMENT_PARENT = re.compile(r"\bsegments?\b|\bproducts?\b|\bgeograph|\bregions?\b|\bregional\b|\bbrands?\b|"
                             r"\bdivisions?\b|\bcategor(?:y|ies)\b", re.I)
_BARE_ITEM = re.compile(r"^(?:(?:ITEM|Item)\s+\d{1,2}[A-C]?|PART\s+(?:I|II|III|IV))\s*[.:\-–—]?$", re.I)
_GLUED_ITEM = re.compile(r"^((?:ITEM|Item)\s+\d{1,2}[A-C]?\.)(?=[A-Za-z])")
_CONTENTS = re.compile(r"^(?:table\s+of\s+)?contents$|^index$", re.I)
MAX_HEADING_WORDS = 12
_BRAND = re.compile(r"[a-z]{1,2}[A-Z]")  # "iPhone", "eBay": a lower-case start that is a name, not a sentence's middle


def _layout_level(title: str, block: Block, parent_size: float | None) -> int | None:
    """The level of a heading the layout prints, or None for a block that is not one: a sentence or a
    piece of one, a caption introducing a list, a cover-page line."""
    if _ITEM_RE.match(title) or _PART_RE.match(title) or _BARE_ITEM.match(title):
        return 1
    words = title.split()
    if len(words) > MAX_HEADING_WORDS or not (title[0].isupper() or title[0].isdigit() or _BRAND.match(title)):
        return None
    note = bool(_NOTE_RE.match(title))
    if title.rstrip("”\"')]’")[-1] in ".;,:" and not note:
        return None
    if ends_with_connector(title) and not (note or words[-1].lower() == "other"):  # "Accrued Liabilities and Other"
        return None
    if is_false_heading(title) or is_table_row(title) or not re.search(r"[A-Za-z]{2}", title):
        return None
    if _NOTE_RE.match(title) and (block.bold or block.size):
        return 1
    if period_block(title):
        return 3
    if block.bold or block.size >= 1:
        # A bold line in a smaller size than the heading above it is that heading's sub-heading.
        return 4 if parent_size is not None and block.size < parent_size - 0.5 else 2
    return 4  # italic or underlined


def layout_headings(text: str, blocks: tuple[Block, ...]) -> list[Heading]:
    """Headings from the blocks an HTML filing prints as headings: PART and Item lines (level 1), bold or
    larger lines (2), period blocks (3), italic, underlined or smaller bold lines (4). A level-4 heading
    under a heading about segments, products or regions names its segment ("Greater China"). The table of
    contents is one section of kind "toc"."""
    headings: list[Heading] = []
    parent: Heading | None = None
    parent_size: float | None = None
    previous: tuple[bool, bool, float] | None = None  # how the last heading was printed
    contents, contents_title = None, ""
    for block in sorted(blocks, key=lambda b: b.start):
        title = re.sub(r"\s+", " ", text[block.start:block.end]).strip()
        # "Item 3.Legal Proceedings": the layout spaced the two spans with padding, not a space.
        title = _GLUED_ITEM.sub(r"\1 ", title)
        if block.kind == "table":
            continue
        if block.kind == "toc":
            if contents is not None and block.start - contents.end < 300:
                headings.append(Heading(contents.start, contents.end, contents_title, 1, "toc"))
            else:
                headings.append(Heading(block.start, block.start, "Table of Contents", 1, "toc"))
            parent, parent_size = None, None
            continue
        if _CONTENTS.match(title):
            contents, contents_title = block, title  # the title of the table of contents, if one follows
            continue
        if not title:
            continue
        level = _layout_level(title, block, parent_size)
        if level is None:
            continue
        last = headings[-1] if headings else None
        adjacent = last is not None and last.kind == "body" and block.start - last.end <= 3
        if adjacent and last.level == 1 and _BARE_ITEM.match(last.title) and level != 1:
            # "Item 7." / "Management's Discussion and Analysis ..." on two lines: one heading.
            headings[-1] = replace(last, end=block.end, title=f"{last.title} {title}")
            continue
        if adjacent and last.level == level == 2 and previous == (block.bold, block.italic, block.size) \
                and len(last.title.split()) + len(title.split()) <= 2 * MAX_HEADING_WORDS \
                and (is_all_caps(last.title) and is_all_caps(title) or title.split()[0].lower() in _CONNECTORS):
            # A title printed over two lines ("REPORT OF INDEPENDENT ..." / "ON FINANCIAL STATEMENT SCHEDULE");
            # a title-case line right under another is its sub-heading.
            headings[-1] = replace(last, end=block.end, title=f"{last.title} {title}")
            continue
        previous = (block.bold, block.italic, block.size)
        segment = None
        if level == 4 and parent is not None and _SEGMENT_PARENT.search(parent.title) and len(title.split()) <= 6:
            segment = title  # "Greater China" under "Segment Operating Performance"
        elif level == 2:
            named = segment_name(title)
            # "Financial Information by Business Segment" names no segment.
            segment = named if named and not re.search(r"\bby\b", named, re.I) and not ends_with_connector(named) else ""
        if level == 2:
            title = re.sub(r"\s*\([^)]*\)\s*:?$|:$", "", title).strip() or title
        elif level == 1:
            title = title.rstrip(":").strip() or title
        heading = Heading(block.start, block.end, title, level, segment=segment)
        if level == 2:
            parent, parent_size = heading, block.size
        elif level == 1:
            parent, parent_size = None, None
        headings.append(heading)
    return headings


def find_headings(text: str, lines: list[Line], table_lines: set[int], pages: tuple[PageSpan, ...],
                  inline_tables: list[tuple[int, int]] = ()) -> list[Heading]:
    toc_pages = _toc_pages(lines, pages)
    fragments = column_header_runs(lines)
    headings: list[Heading] = []
    merged_into_previous: set[int] = set()
    for idx, ln in enumerate(lines):
        if ln.blank or idx in merged_into_previous:
            continue
        if idx in table_lines:
            # A table caption can still open a segment ("Operating Results of our Cloud ... Segment (in thousands):").
            core = re.sub(r"\s*\([^)]*\)\s*:?$|:$", "", ln.text).strip()
            name = segment_name(core)
            if name and is_title_like(core) and len(core) < 120:
                headings.append(Heading(ln.start, ln.end, core, 2))
            continue
        if len(ln.text) > 1500:
            for a, b, title, by_starter in find_inline_headings(text, ln.start, ln.end):
                if not by_starter and any(x <= a < y for x, y in inline_tables):
                    continue  # column headers inside a flattened table
                # Run-in captions in flattened notes are siblings of the segment captions ("Contract balances"
                # covers every segment), so a non-segment caption closes the segment above it.
                level = 2 if segment_name(title) or (heading_level(title) or 4) > 1 else 1
                headings.append(Heading(a, b, title, level))
            continue
        if idx in fragments:
            continue
        level = heading_level(ln.text)
        prev_blank = idx == 0 or lines[idx - 1].blank
        next_blank = idx + 1 >= len(lines) or lines[idx + 1].blank
        end, title_text = ln.end, ln.text
        if level == 4 and ends_with_connector(ln.text):
            # A title wrapped over two lines ("Description of the" / "Matter"): join it, or drop it.
            nxt = lines[idx + 1] if idx + 1 < len(lines) else None
            joined = f"{ln.text} {nxt.text}" if nxt and not nxt.blank else ""
            if not joined or len(nxt.text) > 60 or heading_level(joined) != 4 or ends_with_connector(joined):
                continue
            merged_into_previous.add(idx + 1)
            end, title_text = nxt.end, joined
            next_blank = idx + 2 >= len(lines) or lines[idx + 2].blank
        if level is None and prev_blank and next_blank and is_sentence_case_heading(ln.text):
            level = 4  # "Service revenue" standing alone between blank lines
        if level is None:
            continue
        prev_t = next((lines[k].text for k in range(idx - 1, max(-1, idx - 3), -1) if not lines[k].blank), "")
        next_line = lines[idx + 1 + (end != ln.end)] if idx + 1 + (end != ln.end) < len(lines) else None
        strong = bool(_ITEM_RE.match(ln.text) or _PART_RE.match(ln.text)) and not prev_t.split()[-1][:1].islower() \
            and prev_t[-1] not in ",(" if prev_t else False
        if not prev_blank and prev_t and prev_t[-1] not in ".:;!?”\"" and heading_level(prev_t) is None and not strong \
                and not is_table_row(prev_t) and not (headings and headings[-1].end >= lines[idx - 1].start):
            continue  # the line continues a sentence from the line above
        if level == 4 and not (prev_blank or next_blank):
            # Unspaced (PDF) text: a heading sits between a finished sentence and a capitalised line.
            next_t = next_line.text if next_line else ""
            ends_sentence = not prev_t or prev_t[-1] in ".:;!?”\"" or heading_level(prev_t) is not None or is_table_row(prev_t)
            if not (ends_sentence and next_t[:1].isupper() and len(title_text) < 90):
                continue
        if ln.text.endswith(":") and level == 4:
            continue  # a caption introducing a list or table, not a heading
        page = _page_of(pages, ln.start) if pages else 0
        kind = "toc" if (page or 0) in toc_pages and (pages or re.match(r"^(?:Item|ITEM|PART|Part)\b", ln.text)) else "body"
        # "Item 1. Business" followed by a page number on the TOC page.
        if re.search(r"\s\d{1,3}$", ln.text) and level == 1 and _ITEM_RE.match(ln.text):
            kind = "toc"
        # Headings wrapped over two lines ("Item 5. Market for ... Equity" / "Securities").
        if headings and headings[-1].end + 1 >= ln.start - 1 and headings[-1].level == level == 1 and not prev_blank \
                and not _ITEM_RE.match(ln.text) and not _PART_RE.match(ln.text) and len(ln.text) < 40:
            last = headings[-1]
            headings[-1] = replace(last, end=ln.end, title=f"{last.title} {ln.text}")
            continue
        title = re.sub(r"\s*\([^)]*\)\s*:?$|:$", "", title_text).strip() if level == 2 else title_text
        headings.append(Heading(ln.start, end, title, level, kind))
    return headings


def build_structure(text: str, pages: tuple[PageSpan, ...] = (), blocks: tuple[Block, ...] = ()
                    ) -> tuple[tuple[Section, ...], tuple[Table, ...], tuple[str, ...]]:
    """Sections (with inherited segment/period), tables and warnings for a cleaned filing text. Headings
    come from `blocks` (what an HTML filing's layout prints as headings) where there are any, else from
    the text."""
    lines = split_lines(text)
    warnings: list[str] = []

    # An HTML table of figures comes from its DOM grid; line tables fill in where the markup has none.
    tables: list[Table] = [dom_table(text, b.start, b.end, b.rows, _page_of(pages, b.start) if pages else None)
                           for b in blocks if b.kind == "table"]
    in_dom = [(t.start, t.end) for t in tables]
    table_lines: set[int] = set()
    fragments = column_header_runs(lines)
    for block in find_line_tables(lines, fragments):
        # Caption: the nearest non-blank line above the headers if it reads like one.
        cap_idx = next((k for k in range(block.header_start - 1, max(-1, block.header_start - 4), -1) if not lines[k].blank), None)
        caption = ""
        first = block.header_start
        if cap_idx is not None:
            cap = lines[cap_idx].text
            # (a row with its figures is no caption, whatever units it names: "Employees (in thousands) 125.5 122.9"
            # closing the page before a balance sheet in millions)
            figures_row = _ends_in_figures(cap)
            if not figures_row and (cap.endswith(":") or _UNITS_RE.search(cap)
                                    or (heading_level(cap) and len(cap) < 120 and not period_block(cap))):
                caption, first = cap, cap_idx
        header_end = block.start_line
        if header_end <= block.end_line and _UNITS_RE.match(lines[header_end].text) and re.search(r"\b(?:19|20)\d\d\b", lines[header_end].text):
            header_end += 1  # "(Dollars in millions, except per share data) 2023 2022 2023 2022" ends the header
        header = "\n".join(lines[k].text for k in range(block.header_start, header_end) if lines[k].text)
        units_m = _UNITS_RE.search(caption + "\n" + header) or _UNITS_RE.search(text[max(0, lines[first].start - 300) : lines[first].start])
        units = units_m.group(0) if units_m else None
        start, end = lines[first].start, lines[block.end_line].end
        if not any(a < end and start < b for a, b in in_dom):
            tables.append(Table(caption=caption, header=header, units=units, scale=detect_scale(units or ""), start=start,
                                end=end, page=_page_of(pages, start) if pages else None, period=single_period(header)))
        # A caption that is a title ("CONSOLIDATED BALANCE SHEETS") still opens a section.
        titled = caption and not caption.endswith(":") and heading_level(caption) is not None
        table_lines.update(range(first + 1 if titled else first, block.end_line + 1))

    for ln in lines:
        if len(ln.text) > 1500:
            cuts = [h[0] for h in find_inline_headings(text, ln.start, ln.end) if h[3]]
            spans = []
            for a, b in find_inline_tables(text, ln.start, ln.end):
                inner = [c for c in cuts if a < c < b]
                if inner:
                    b = inner[0]  # a run-in heading ends the table
                spans.append((a, b))
            for a, b in spans:
                if any(x < b and a < y for x, y in in_dom):
                    continue
                while b > a and text[b - 1].isspace():
                    b -= 1
                units_m = _UNITS_RE.search(text[a:b]) or _UNITS_RE.search(text[max(0, a - 400) : a])
                units = units_m.group(0) if units_m else None
                head = text[a : min(b, a + 200)]
                tables.append(Table(caption="", header=head[:160], units=units, scale=detect_scale(units or ""), start=a, end=b,
                                    page=_page_of(pages, a) if pages else None, period=single_period(head)))
    tables.sort(key=lambda t: t.start)

    inline_tables = [(t.start, t.end) for t in tables if not t.caption and t.header and len(text[t.start:t.end].split("\n")) == 1]
    if any(b.kind == "heading" for b in blocks):
        headings = layout_headings(text, blocks)
    else:
        headings = find_headings(text, lines, table_lines, pages, inline_tables)
    sections: list[Section] = []
    stack: dict[int, str] = {}
    segment: str | None = None
    period: Period | None = None
    first_start = headings[0].start if headings else len(text)
    if text[:first_start].strip():
        sections.append(Section(title="(opening text)", level=0, path=("(opening text)",), start=0, end=first_start,
                                page=_page_of(pages, 0) if pages else None))
    for i, h in enumerate(headings):
        end = headings[i + 1].start if i + 1 < len(headings) else len(text)
        if h.level == 1:
            stack = {1: h.title}
            segment, period = None, None
        elif h.level == 2:
            stack = {k: v for k, v in stack.items() if k < 2}
            stack[2] = h.title
            segment, period = (h.segment if h.segment is not None else segment_name(h.title)) or None, None
        elif h.level == 3:
            stack = {k: v for k, v in stack.items() if k < 3}
            stack[3] = h.title
            period = period_block(h.title) or parse_period(h.title)
        else:
            stack = {k: v for k, v in stack.items() if k < 4}
            stack[4] = h.title
        # A caption such as "Results of Consolidated Operations (in thousands...)" sets the segment
        # for the table; a table caption that names a segment applies until the next heading.
        body = text[h.end:end]
        kind = h.kind
        if kind == "body" and len(body.strip()) < 600 and _REFERENCE_RE.search(body):
            kind = "reference"
        sections.append(Section(title=h.title, level=h.level, path=tuple(stack[k] for k in sorted(stack)), start=h.start,
                                end=end, segment=h.segment or segment, period=period, kind=kind,
                                page=_page_of(pages, h.start) if pages else None))
    # Sections that share a path (seed 000's G&A under two segments share titles, not paths) get ordinals.
    seen: dict[tuple[str, ...], int] = {}
    numbered = []
    for s in sections:
        seen[s.path] = seen.get(s.path, 0) + 1
        numbered.append(replace(s, ordinal=seen[s.path]))
    sections = numbered

    body = [s for s in sections if s.kind == "body" and s.level > 0]
    if not body:
        warnings.append("no sections found: the text has no recognisable headings")
    stubs = [s for s in body if len(text[s.start:s.end].strip()) - len(s.title) < 40 and s.level == 4]
    if stubs:
        warnings.append(f"{len(stubs)} stub sections (heading with under 40 characters of text), e.g. {stubs[0].title!r}")
    return tuple(sections), tuple(tables), tuple(warnings)


_ITEM_8 = re.compile(r"^(?:ITEM|Item)\s+8\b")
_BY_REFERENCE = re.compile(r"incorporated\s+(?:[\w-]+\s+){0,4}?by\s+reference|incorporated\s+herein|"
                           r"(?:are|is)\s+(?:included|contained|set\s+forth)\s+in\s+(?:the\s+)?(?:\d{4}\s+)?annual\s+report", re.I)
MAX_REFERENCE_ITEM_CHARS = 4000  # an Item 8 that holds the statements runs to tens of thousands


def statements_by_reference(text: str, sections: tuple[Section, ...]) -> str | None:
    """The sentence saying the financial statements are incorporated by reference (Item 8 of a 10-K that
    points to the annual report exhibit), or None where Item 8 holds them or there is no Item 8."""
    for i, s in enumerate(sections):
        if s.kind == "toc" or s.level != 1 or not _ITEM_8.match(s.title):
            continue
        end = next((t.start for t in sections[i + 1:] if t.level == 1), len(text))
        if end - s.start > MAX_REFERENCE_ITEM_CHARS:
            continue
        spans = split_spans(text, s.start, end)
        for k, (a, b) in enumerate(spans):
            if _BY_REFERENCE.search(text[a:b]):
                if k and re.match(r"(?:That|This|These|Such)\b", text[a:b]):
                    a = spans[k - 1][0]  # "That information is incorporated ...": say what it is
                return re.sub(r"\s+", " ", text[a:b]).strip()
    return None
