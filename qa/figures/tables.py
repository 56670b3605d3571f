"""Filing tables to facts: rows, columns (period, segment) and cells with full-scale values.

Works on the tables corpus/ found: text tables with multi-line headers (seed 000), tables flattened
onto one line (seed 004), and PDF layout text ("Net sales $ 394,328 $ 365,817 $ 274,515").
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, replace
from decimal import Decimal

from corpus.model import Filing, Period, Table
from corpus.periods import MONTH, MONTH_NAME, MONTH_NAMES, MONTHS, weeks_to_months
from corpus.scale import UNITS_RE, detect_scale
from corpus.words import singular_stems
from qa.figures.numbers import parse_number
from qa.vocabulary import ONE_WORD_LINES

# "not meaningful" / "not applicable": a cell that holds no figure, its row's other figures in their columns.
_NOT_MEANINGFUL_TEXT = r"n/m|N/M|n\.m\.|NM|nm|n/a|N/A"
# A numeric cell as tables print it: "$3,654", "$ 440", "(964 )", "$(20)", "-", "$ -", "7 %", "0.05".
# A PDF may set the "$" well apart from its figure ("$          1.03"), and a negative percent as "(11 %)".
_CELL = (r"\(\s?-?\d+(?:\.\d+)?\s?%\s?\)(?![\w,])"
         r"|\$?(?:[ \t]+|\s)?\(?\s?-?\d{1,3}(?:,\d{3})+(?:\.\d+)?\s?\)?\s?%?(?![\w,])|\$?(?:[ \t]+|\s)?\(?\s?-?\d+(?:\.\d+)?\s?\)?\s?%?(?![\w,])"
         r"|\$(?:[ \t]+|\s)?[-–—](?!\w)|(?<!\w)[-–—](?!\w)"
         rf"|(?<![\w/])(?:{_NOT_MEANINGFUL_TEXT})(?![\w/])")
_CELL_RE = re.compile(_CELL)
_TRAILING_CELLS = re.compile(rf"(?:(?:^|\s+)(?:{_CELL}))+\s*$")
_DURATION = re.compile(r"\b(three|six|nine|twelve|3|6|9|12)\s+months\s+ended\b|\b(?:fiscal\s+)?(years?)\s+ended\b|\b(quarters?)\s+ended\b|\b(thirteen|twenty-six|thirty-nine|fifty-two|fifty-three|[1-5]\d)[\s-]+weeks\s+ended\b", re.I)
_MONTH_DAY = re.compile(rf"\b({MONTH})\s+(\d{{1,2}})\b", re.I)  # "December 26", "Dec 26", "Sept. 30"
_MONTH_DAY_BEFORE = re.compile(rf"\b{MONTH_NAME}\s+\d{{1,2}},?\s*$", re.I)
_YEAR = re.compile(r"(?<![\d,$.])((?:19|20)\d\d)(?![\d,])")
_MONTHS_OF = {"three": 3, "3": 3, "six": 6, "6": 6, "nine": 9, "9": 9, "twelve": 12, "12": 12, "years": 12, "year": 12,
              "quarter": 3, "quarters": 3, "thirteen": 3, "twenty-six": 6, "thirty-nine": 9, "fifty-two": 12, "fifty-three": 12,
              "13": 3, "26": 6, "39": 9, "52": 12, "53": 12}
_WORDS = {3: "three", 6: "six", 9: "nine", 12: "twelve"}


def _months_of(duration: re.Match[str]) -> int:
    """A duration's months: "nine months", "quarter", "39" or "36" weeks (see `corpus.periods.weeks_to_months`)."""
    if duration.group(4):
        return weeks_to_months(duration.group(4))
    return _MONTHS_OF[(duration.group(1) or duration.group(2) or duration.group(3)).lower()]
_HEADER_LABEL = re.compile(r"^\s*(?:(?:19|20)\d\d|change|increase|decrease|vs\.?|%|[/()$])(?:\s+(?:(?:19|20)\d\d|change|"
                           r"increase|decrease|vs\.?|%|[/()$]))*\s*$", re.I)
_UNITS_LINE = re.compile(r"^\s*\((?:dollars\s+|amounts\s+|\$\s*)?in\s+(?:thousands|millions|billions)\b", re.I)


@dataclass(frozen=True)
class Column:
    label: str
    period: Period | None = None
    segment: str | None = None
    is_change: bool = False  # a "% Change" column, not a period


@dataclass(frozen=True)
class Cell:
    text: str
    value: Decimal
    unit: str
    start: int
    end: int


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[Cell, ...]
    start: int
    end: int
    columns: tuple[int, ...] = ()  # each cell's column (index into ParsedTable.columns); () when one per column


@dataclass(frozen=True)
class ParsedTable:
    table: Table
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    segment: str | None  # the segment the whole table belongs to (from its section), if any


@dataclass(frozen=True)
class Fact:
    """One figure: which metric, segment and period it belongs to, its value, and where it is written."""

    metric: str
    segment: str | None
    period: str | None
    period_months: int | None
    period_end: str | None
    value: Decimal
    unit: str
    start: int
    end: int
    source: str  # "table" | "text"
    text: str = ""  # the row or sentence it came from
    context_start: int = -1  # where that row or sentence lies in the filing text (-1: same as start/end)
    context_end: int = -1
    concept: str | None = None  # the XBRL concept a tagged figure carries ("us-gaap:Revenues")
    dimensions: tuple[tuple[str, str], ...] = ()  # its (axis, member) pairs; () is consolidated


def _trimmed(token: str, start: int) -> tuple[str, int, int]:
    lead = len(token) - len(token.lstrip())
    core = token.strip()
    return core, start + lead, start + lead + len(core)


def _cells_in(text: str, offset: int) -> list[tuple[str, int, int]]:
    return [_trimmed(m.group(0), m.start() + offset) for m in _CELL_RE.finditer(text)]


# A row of percentages whose cells print no "%": "Operating ratio (%)", "Gross margin percentage".
_PERCENT_ROW = re.compile(r"\(\s*%\s*\)|%\s*$|\bpercent(?:age)?\b|\bas\s+a\s+%", re.I)


def _parse_cell(token: str, start: int, end: int, scale: int, per_share: bool, percent_row: bool = False) -> Cell | None:
    raw = token.strip()
    if raw in ("-", "–", "—") or re.fullmatch(r"\$\s*[-–—]", raw):
        return Cell(raw, Decimal(0), "USD" if "$" in raw else "", start, end)
    number = re.sub(r"^\(\s?([\d.]+)\s?%\s?\)$", r"(\1)%", raw)  # "(11 %)" is minus 11 percent
    percent = number.endswith("%") or (percent_row and "$" not in raw)
    try:
        q = parse_number(re.sub(r"\$\s+", "$", number.replace("( ", "(").replace(" )", ")").replace(" %", "%")),
                         scale=1 if (per_share or percent) else scale)
    except ValueError:
        return None
    unit = "%" if percent else "USD/share" if per_share else ("USD" if "$" in raw or scale > 1 else q.unit)
    return Cell(raw, q.value, unit, start, end)


_TOTAL_CLOSES = re.compile(r"^\s*total\b", re.I)


def split_rows(text: str, table: Table) -> list[tuple[str, list[tuple[str, int, int]], int, int]]:
    """(label, cell tokens, start, end) for each row of the table body, in order."""
    body = text[table.start:table.end]
    rows = []
    lines = body.split("\n")
    if len(lines) > 2:
        pos = table.start
        group = ""
        for line in lines:
            m = _TRAILING_CELLS.search(line)
            if m and _MONTH_DAY_BEFORE.search(line[: m.start()]):
                m = None  # "backlog as of July 1, 2020 $27,349 ...": the year belongs to the date, not the cells
            if not m and line.strip().endswith(":") and pos > table.start and not re.search(r"thousands|millions|\(", line):
                group = line.strip()  # "Weighted-average common shares outstanding:" heads the rows below
            if m and _UNITS_LINE.match(line):
                m = None  # "(Dollars in millions, except per share data) 2023 2022": a header line, not a row
            if m and _HEADER_LABEL.match(line[: m.start()]):
                m = None  # "2022 Change 2021 Change 2020": the column line, its last year no cell
            if m and re.search(r"[A-Za-z]", line[: m.start()]) and not _DURATION.search(line):
                label = line[: m.start()].strip()
                if group and len(label.split()) == 1 and label.lower() not in ONE_WORD_LINES:
                    label = f"{group} {label}"  # "Basic" under "Non-GAAP earnings per common share:"
                if _TOTAL_CLOSES.match(label):
                    group = ""  # "Total current liabilities" closes "Current liabilities:" (Intel's long-term "Debt")
                lead = len(line) - len(line.lstrip())
                rows.append((label, _cells_in(line[m.start():], pos + m.start()), pos + lead, pos + len(line.rstrip())))
            elif m and not re.search(r"[A-Za-z]", line) and rows and len(_cells_in(line, 0)) >= 2 and not _YEAR.fullmatch(line.strip()[:4]):
                rows.append(("", _cells_in(line, pos), pos, pos + len(line)))  # an unlabelled total row
            pos += len(line) + 1
        return rows
    # A flattened table: label words, then a run of cells, then the next label.
    tokens = list(re.finditer(rf"(?<!\S)(?:{_CELL})|\S+", body))
    label_words: list[re.Match[str]] = []
    cells: list[re.Match[str]] = []
    for tok in tokens + [None]:
        is_cell = tok is not None and _CELL_RE.fullmatch(tok.group(0)) is not None
        if tok is not None and is_cell and not (_YEAR.fullmatch(tok.group(0).strip()) and not cells and _looks_like_header(label_words)):
            cells.append(tok)
            continue
        if cells:
            label = " ".join(w.group(0) for w in label_words)
            start = table.start + (label_words[0].start() if label_words else cells[0].start())
            rows.append((label, [_trimmed(c.group(0), c.start() + table.start) for c in cells],
                         start, table.start + cells[-1].end()))
            label_words, cells = [], []
        if tok is not None:
            label_words.append(tok)
    return rows


def _looks_like_header(words: list[re.Match[str]]) -> bool:
    text = " ".join(w.group(0) for w in words)
    return bool(_DURATION.search(text) or _MONTH_DAY.search(text) or "thousands" in text.lower() or "millions" in text.lower())


def _mode_width(rows) -> int:
    counts = Counter(len(cells) for _, cells, _, _ in rows if cells)
    return max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0] if counts else 0


def infer_columns(header: str, width: int, known_segments: tuple[str, ...] = ()) -> tuple[Column, ...]:
    """Columns from the header text: durations, month-days, years, "Change" and segment names, in order."""
    if width == 0:
        return ()
    column_token = (r"(?<![\d,])(?:19|20)\d\d(?![\d,])|\bChange\b|%\s*Change|"
                    r"\bInc(?:rease)?\.?\s*/\s*\(?Dec(?:rease)?\.?\)?")  # "Inc/ (Dec)": a change column
    if len(re.findall(column_token, header)) != width:
        # The caption's sentence names the periods too ("... periods ended July 1, 2023 and June 25, 2022"): the
        # column header is the longest run of last lines naming exactly one per column ("Three Months Ended Nine
        # Months Ended / July 1, / 2023 / June 25, / 2022 Change ..."), its dates and durations with it.
        # (a run naming no duration or day, "2022 2021", leaves them to the lines above: "Nine Months Ended
        # September 30, 2022")
        lines = header.splitlines()
        run = next(("\n".join(lines[k:]) for k in range(len(lines))
                    if len(re.findall(column_token, "\n".join(lines[k:]))) == width), header)
        if _DURATION.search(run) or _MONTH_DAY.search(run):
            header = run
    durations = [_months_of(m) for m in _DURATION.finditer(header)]
    days = [(MONTHS[m.group(1).lower().rstrip(".")], int(m.group(2))) for m in _MONTH_DAY.finditer(header)]
    years = [int(y) for y in _YEAR.findall(header)]
    tokens = re.findall(column_token, header)
    if len(tokens) != width:
        # The caption's sentence names the years too ("... for 2022, 2021 and 2020 were as follows"): the
        # column line is the last one naming exactly one per column ("2022 Change 2021 Change 2020").
        tokens = next((found for line in reversed(header.splitlines())
                       if len(found := re.findall(column_token, line)) == width), tokens)
    tokens = ["Change" if re.match(r"Inc", t) else t for t in tokens]
    if len(tokens) == width - 1 and tokens and tokens[-1] == "Change":
        tokens.append("Change")  # the change in dollars and in percent under one "Inc/ (Dec)"
    change_cols = [i for i, t in enumerate(tokens) if "Change" in t]
    segments = _segment_columns(header, known_segments)

    def period(i: int, year: int | None, count: int = width) -> Period | None:
        """The period of slot `i` of `count` (the columns, or the columns that are periods)."""
        months = durations[i * len(durations) // count] if durations else (0 if days else None)
        if year is None:
            return None
        day = days[min(len(days) - 1, i * len(days) // count)] if days else None
        end = f"{year:04d}-{day[0]:02d}-{day[1]:02d}" if day else None
        month_name = MONTH_NAMES[day[0] - 1] if day else None  # "May" is a full name of three letters
        when = f"{month_name.capitalize()} {day[1]}, {year}" if day and month_name else str(year)
        if months is None:
            return Period(label=f"fiscal {year}", months=12, end=None)
        if months == 0:
            return Period(label=f"as of {when}", months=0, end=end)
        if months == 12:
            return Period(label=f"year ended {when}", months=12, end=end)
        return Period(label=f"{_WORDS[months]} months ended {when}", months=months, end=end)

    if len(tokens) == width and change_cols:
        cols, y_i = [], 0
        year_tokens = [int(t) for t in tokens if "Change" not in t]
        for tok in tokens:
            if "Change" in tok:
                cols.append(Column("% change", is_change=True))
            else:
                cols.append(Column(str(year_tokens[y_i]), period(y_i, year_tokens[y_i], len(year_tokens))))
                y_i += 1
        return tuple(cols)
    if len(tokens) == len(years) and years and width == 2 * len(years) and not change_cols:
        # "13 Weeks Ended July 29, 2023 / July 30, 2022" over "$ 2,529,809 100.0% $ 2,297,113 100.0%": each year
        # a figure and its percent of sales
        return tuple(Column(str(years[i // 2]), period(i, years[i // 2])) for i in range(width))
    if len(years) >= width:
        years = years[-width:]
        cols, seen = [], set()
        for i in range(width):
            p = period(i, years[i])
            if p is not None and (p.label, p.months) in seen:
                p = None  # "Reported amount 2022 2021 2020 | Currency translation benefit/(cost) 2022 2021 2020":
                # a second group of the same periods is another measure of them, not the line's figure
            seen.add((p.label, p.months) if p else None)
            cols.append(Column(str(years[i]), p, segments[i] if len(segments) == width else None))
        return tuple(cols)
    if len(segments) == width:
        year = years[0] if years else None
        return tuple(Column(segments[i], period(0, year) if year else None, segments[i]) for i in range(width))
    return tuple(Column(f"column {i + 1}") for i in range(width))


def _segment_columns(header: str, known_segments: tuple[str, ...]) -> list[str]:
    """Segment names across a header, matched by their first word ("Cloud Software Total ...")."""
    found: list[tuple[int, str]] = []
    for seg in known_segments:
        m = re.search(rf"\b{re.escape(seg.split()[0])}\b", header)
        if m:
            found.append((m.start(), seg))
    total = re.search(r"\bTotal\b", header)
    if found and total:
        found.append((total.start(), "Total"))
    return [name for _, name in sorted(found)]


def parse_table(filing: Filing, table: Table, known_segments: tuple[str, ...] = ()) -> ParsedTable:
    if table.rows:
        return parse_dom_table(filing, table, known_segments)
    text = filing.text
    rows_raw = split_rows(text, table)
    width = _mode_width(rows_raw)
    flattened = "\n" not in text[table.start:table.end]
    if flattened and rows_raw:
        # The column header is everything before the first figure; the first label keeps only its tail.
        first_label, first_cells, _, first_end = rows_raw[0]
        header = text[table.start:first_cells[0][1]]
        label = _strip_header(first_label)
        rows_raw[0] = (label, first_cells, first_cells[0][1] - len(label) - 1, first_end)
    else:
        header = table.header
    columns = infer_columns(table.caption + "\n" + header, width, known_segments)
    scale = table.scale
    if rows_raw and not flattened and width:
        # The header lines were read as the table's first lines ("Consolidated Statements of Cash Flows / Years
        # Ended (In Millions) Dec 26, 2020 ..."): the columns and units are theirs, over a header found further up
        # (an auditor's report dated "January 21, 2021" above a statement).
        first_full = next((r for r in rows_raw if len(r[1]) == width), rows_raw[0])  # not a footer's page number
        inside = text[table.start:first_full[2]]
        lines = inside.splitlines()
        dated = [k for k, line in enumerate(lines)
                 if len(_YEAR.findall(line)) >= width and (_DURATION.search(line) or _MONTH_DAY.search(line))]
        if dated:  # from that line on (and a "Years Ended" just above it): not a signature's date further up
            k = dated[-1]
            while k > 0 and dated[-1] - k < 2 and (_DURATION.search(lines[k - 1]) or _MONTH_DAY.search(lines[k - 1])):
                k -= 1  # "Years Ended" or a date split over two lines ("September 30, / 2022 December 31, 2021")
            inside = "\n".join(lines[k:])
        if not dated and not any(c.period for c in columns) and not table.caption and not table.header:
            # no header at all: the lines just above the table (up to the table before it) may hold it
            floor = max([t.end for t in filing.tables if t.end <= table.start] + [0])
            above = text[max(floor, table.start - 600):table.start].splitlines()[-6:]
            if any(len(_YEAR.findall(line)) >= 2 and (_DURATION.search(line) or _MONTH_DAY.search(line)) for line in above):
                inside = "\n".join(above) + "\n" + inside
                dated = [0]
        if dated or not any(c.period for c in columns):
            found = infer_columns(inside, width, known_segments)
            if any(c.period for c in found):
                columns = found
                stated = detect_scale(inside)  # (1 when the lines state no units: the table's own stand)
                scale = stated if stated != 1 and (dated or not table.units) else scale
    section = filing.section_at(table.start)
    # An unlabelled total row glued to the row above it in flattened text ("... other - 37 37 $ 4,767 $ 1,012
    # $ 5,779") comes out as one run of 2 x width cells: split it, naming the total after the table's subject.
    total_label = "Total revenue" if re.search(r"revenue", f"{table.caption} {header} {section.title if section else ''}", re.I) else "Total"
    split: list = []
    for label, cells, start, end in rows_raw:
        if width and len(cells) > width and len(cells) % width == 0:
            for k in range(0, len(cells), width):
                part = cells[k:k + width]
                split.append((label if k == 0 else total_label, part, start if k == 0 else part[0][1], part[-1][2]))
        else:
            split.append((label, cells, start, end))
    edges = column_edges(split, width, table.figure_x)
    rows = []
    for label, cells, start, end in split:
        indices: tuple[int, ...] = ()
        if edges:
            placed = place_by_x(cells, edges, table.figure_x)
            if len(cells) != width and (placed is None or not _clean_row_label(label, placed)):
                continue
            if placed is not None:
                cells, indices = [c for c, _ in placed], tuple(i for _, i in placed)
                if indices == tuple(range(width)):
                    indices = ()
        elif len(cells) != width:
            continue  # a row we cannot align with the columns is left out rather than guessed
        if all(re.fullmatch(r"(?:19|20)\d\d", tok) for tok, _, _ in cells) and (
                not label.strip() or UNITS_RE.search(label) or re.fullmatch(r"\W*(?:fiscal\s+)?years?\W*", label, re.I)):
            continue  # "In millions 2022 2021 2020": the column header, not a row of figures
        per_share = bool(re.search(r"per\s+(?:common\s+)?share|\bEPS\b", label, re.I))
        share_count = bool(re.search(r"\bshares\b", label, re.I)) and not per_share
        percent_row = bool(_PERCENT_ROW.search(label)) and not per_share and not share_count
        row_scale = excepted_scale(table.caption + " " + (table.units or "") + " " + header, label, scale)
        parsed = [_parse_cell(tok, s, e, 1 if share_count else row_scale, per_share, percent_row) for tok, s, e in cells]
        if share_count:
            parsed = [replace(c, unit="shares") if c else c for c in parsed]
        blank = [k for k, (tok, _, _) in enumerate(cells) if _NOT_MEANINGFUL.fullmatch(tok)]
        if blank and len(blank) < len(cells):  # "506.3 221.1 285.2 n/m": the figures in their columns, no n/m
            at = indices or tuple(range(len(cells)))
            kept = [k for k in range(len(cells)) if k not in blank]
            parsed, indices = [parsed[k] for k in kept], tuple(at[k] for k in kept)
        if any(c is None for c in parsed):
            continue
        rows.append(Row(label=_clean_label(label) or total_label, cells=tuple(parsed), start=start, end=end, columns=indices))
    return ParsedTable(table=table, columns=columns, rows=tuple(rows), segment=section.segment if section else None)


_NOT_MEANINGFUL = re.compile(_NOT_MEANINGFUL_TEXT)
_FOOTNOTE_CELL = re.compile(r"^\(\d\)$")
_FOOTNOTE_MARKS = re.compile(r"\(\d\)")
# Figures in one column of a PDF table are right-aligned to within a point or two; a figure further than this
# from every column's edge is not in any of them.
_ALIGN_POINTS = 12.0


def _x_of(token: tuple[str, int, int], figure_x: tuple[tuple[int, float], ...], starts: list[int]) -> float | None:
    """The right edge of the last digit run printed in a cell token, if the page geometry has it."""
    _, a, b = token
    i = bisect.bisect_left(starts, b) - 1
    return figure_x[i][1] if i >= 0 and starts[i] >= a else None


def column_edges(rows_raw, width: int, figure_x: tuple[tuple[int, float], ...]) -> tuple[float, ...]:
    """Each column's right edge in a PDF table: the median edge of its figures over the rows that fill every
    column, when those rows agree (columns apart, each row's figures on them). () when they do not."""
    if not figure_x or width < 1:
        return ()
    starts = [at for at, _ in figure_x]
    full = [[_x_of(c, figure_x, starts) for c in cells] for _, cells, _, _ in rows_raw if len(cells) == width]
    full = [xs for xs in full if None not in xs]
    if len(full) < 2:
        return ()
    edges = tuple(sorted(xs[i] for xs in full)[len(full) // 2] for i in range(width))
    if any(b - a < 2 * _ALIGN_POINTS for a, b in zip(edges, edges[1:])):
        return ()
    aligned = sum(all(abs(x - e) <= _ALIGN_POINTS for x, e in zip(xs, edges)) for xs in full)
    return edges if aligned >= 0.8 * len(full) else ()


def _clean_row_label(label: str, placed: list) -> bool:
    """A row the geometry placed keeps only a label with no figures in it: digits there (other than a year
    or a footnote mark) mean the row's cells were not all read as cells ("March 31 June 30 ... 31")."""
    rest = _FOOTNOTE_MARKS.sub(" ", _YEAR.sub(" ", label))
    return not re.search(r"\d", rest) and (bool(label.strip()) or len(placed) >= 2)


def place_by_x(cells, edges: tuple[float, ...], figure_x: tuple[tuple[int, float], ...]):
    """(cell token, column) for each figure of a row by where it is printed; a footnote mark between the label
    and the figures ("(1)") is dropped. None when a figure lies in no column or two share one."""
    starts = [at for at, _ in figure_x]
    placed, taken = [], set()
    for token in cells:
        x = _x_of(token, figure_x, starts)
        if x is None:
            return None
        column = min(range(len(edges)), key=lambda i: abs(edges[i] - x))
        if abs(edges[column] - x) > _ALIGN_POINTS:
            if _FOOTNOTE_CELL.match(token[0]) and not placed:
                continue
            return None
        if column in taken or (placed and column < placed[-1][1]):
            return None
        placed.append((token, column))
        taken.add(column)
    return placed or None


_HEADER_TAIL = re.compile(r"^.*(?:\bSegments?\b|\(in (?:thousands|millions)[^)]*\)|\bEnded\b[^A-Za-z]*|(?:19|20)\d\d)\s*", re.I | re.S)
_GROUP_LABEL = re.compile(r"^(?:Major [\w/ ]+? lines|Timing of revenue recognition)\s+", re.I)


def _strip_header(label: str) -> str:
    """The row label inside "…(In thousands) … Segments Major products/services lines Desktop devices"."""
    label = _HEADER_TAIL.sub("", label)
    return _GROUP_LABEL.sub("", label).strip()


def _clean_label(label: str) -> str:
    return re.sub(r"\s+", " ", label).strip(" :$").strip()


def known_segments(filing: Filing) -> tuple[str, ...]:
    return tuple(sorted({s.segment for s in filing.sections if s.segment and s.segment != "Consolidated"}))


_RANGE = re.compile(r"\$\s?\d[\d,.]*\s*(?:-|–|—|to)\s*\$\s?\d")
_OUTLOOK = re.compile(r"\b(?:months|quarter|year|weeks)\s+ending\b|\b(?:guidance|outlook|forecast|forward-looking)\b", re.I)


def _line_of(text: str, start: int, end: int) -> str:
    """The whole printed line(s) a row lies on (a wide row may be split into several parsed rows)."""
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", end)
    b = b if b != -1 else len(text)
    return text[a:b] if b - a <= 400 else text[start:end]  # a flattened table is one long line: keep to the row


def is_outlook(table: Table, filing: Filing) -> bool:
    """A table of expectations: a future period ("Three Months Ending") or a guidance/outlook caption or section."""
    section = filing.section_at(table.start)
    where = " ".join([table.caption, table.header, section.title if section else ""])
    return bool(_OUTLOOK.search(where))


def _continues(filing: Filing, previous: tuple[Table, ParsedTable], table: Table, parsed: ParsedTable) -> bool:
    """`table` is the next block of the table above it: text tables both, no header or units of its own, as many
    columns, and nothing but labels between them."""
    above, above_parsed = previous
    if table.rows or above.rows or table.units or any(c.period for c in parsed.columns) or not parsed.rows:
        return False
    if not any(c.period for c in above_parsed.columns) or len(above_parsed.columns) != len(parsed.columns):
        return False
    gap = filing.text[above.end:table.start]
    return len(gap) < 400 and not re.search(r"\d[\d,]{2,}", gap)


def table_facts(filing: Filing) -> list[Fact]:
    """Every aligned cell of every table in the filing, as a Fact."""
    segs = known_segments(filing)
    facts = []
    previous: tuple[Table, ParsedTable] | None = None
    for table in filing.tables:
        if is_outlook(table, filing):
            continue  # guidance ("Three Months Ending ...", "$2.46 - $2.52") is not a reported figure
        parsed = parse_table(filing, table, segs)
        if previous is not None and _continues(filing, previous, table, parsed):
            # A statement split into blocks at a group label ("Adjustments to reconcile ...:"): the block below
            # reads under the header and units of the block above.
            above = previous[0]
            parsed = parse_table(filing, replace(table, caption=above.caption, header=above.header, units=above.units,
                                                 scale=above.scale, period=table.period or above.period), segs)
        previous = (table, parsed)
        for row in parsed.rows:
            if _RANGE.search(_line_of(filing.text, row.start, row.end)):
                continue  # "$2.46 - $2.52": an estimate range, not a figure
            for index, cell in zip(row.columns or range(len(row.cells)), row.cells):
                col = parsed.columns[index]
                if col.is_change:
                    continue
                period = col.period or table.period
                segment = col.segment if col.segment not in (None, "Total") else parsed.segment
                facts.append(Fact(metric=row.label, segment=segment, period=period.label if period else None,
                                  period_months=period.months if period else None, period_end=period.end if period else None,
                                  value=cell.value, unit=cell.unit, start=cell.start, end=cell.end, source="table",
                                  text=filing.text[row.start:row.end], context_start=row.start, context_end=row.end))
    return facts


def _column(header: str, context: str, known_segments: tuple[str, ...]) -> Column:
    """One DOM column from the header cells above it ("Three Months Ended June 30, | 2025"); what the
    header leaves out (the duration, the month and day) comes from the caption."""
    label = re.sub(r"\s+", " ", header).strip()
    if re.search(r"\bchange\b|\bvariance\b|\bvs\.?\s|\bincrease\b|\bdecrease\b|^%$", label, re.I):
        return Column(label or "change", is_change=True)
    years = [int(y) for y in _YEAR.findall(label)]
    segment = next((seg for seg in known_segments if re.search(rf"\b{re.escape(seg)}\b", label, re.I)), None)
    if not years:
        return Column(label or "column", None, segment)
    duration = _DURATION.search(label) or _DURATION.search(context)
    day = _MONTH_DAY.search(label) or _MONTH_DAY.search(context)
    months = None
    if duration is not None:
        months = _months_of(duration)
    elif day is not None:
        months = 0
    year = years[-1]
    if day is None:
        period = Period(label=f"fiscal {year}", months=12 if months in (None, 12) else months, end=None)
    else:
        month = MONTHS[day.group(1).lower().rstrip(".")]
        name = MONTH_NAMES[month - 1]
        when, end = f"{name} {int(day.group(2))}, {year}", f"{year:04d}-{month:02d}-{int(day.group(2)):02d}"
        if months == 0:
            period = Period(label=f"as of {when}", months=0, end=end)
        elif months == 12:
            period = Period(label=f"year ended {when}", months=12, end=end)
        else:
            period = Period(label=f"{_WORDS[months]} months ended {when}", months=months, end=end)
    return Column(label, period, segment)


def _tagged_scale(filing: Filing, table: Table, unit: str) -> int | None:
    """The scale the filer's XBRL tags give the table's figures in `unit` ("usd", "shares"), if any: 6 is
    millions. The tag is the filer's own word, so it overrides a units line the parser may misread."""
    scales = Counter(f.scale for f in filing.xbrl if f.start is not None and table.start <= f.start < table.end
                     and f.value is not None and (f.unit or "").lower() == unit)
    return 10 ** scales.most_common(1)[0][0] if scales else None


# "(In millions, except number of shares, which are reflected in thousands, ...)": share counts have a
# scale of their own; "(in millions, except share and per-share data)": share counts are not scaled.
_SHARES_IN = re.compile(r"\bshares?\b[^)]*?\bin\s+(thousands|millions|billions)\b", re.I)
_SHARES_EXCEPTED = re.compile(r"\bexcept\b[^)]*?\b(?:number\s+of\s+)?shares?\b(?!\s*(?:amounts|data|price))"
                              r"|\bexcept\b[^)]*?\bshare\s+(?:and|&)\s+per[-\s]share", re.I)
_SHARE_COUNT_LABEL = re.compile(r"^(?:[\w-]+\s+){0,2}?(?:number\s+of\s+)?(?:common\s+)?shares\b|^weighted[-\s]average\b"
                                r"|^average\s+(?:number\s+of\s+)?(?:common\s+)?shares\b", re.I)
_PER_SHARE_LABEL = re.compile(r"per\s+(?:common\s+|ordinary\s+)?share|\bEPS\b", re.I)


def _unit_kind(unit: str | None) -> str | None:
    """A tag's unit as the parser needs it: "per share", "shares", "money" (any currency), or None."""
    if not unit:
        return None
    unit = unit.lower()
    if "/share" in unit:
        return "per share"
    if unit == "shares":
        return "shares"
    return "money" if re.fullmatch(r"[a-z]{3}", unit) else None


def _label_words(label: str) -> str:
    """A row label without its asides: "(authorized 4,320,000,000 shares)", "par value $1.00 per share"."""
    label = re.sub(r"\([^()]*\)", " ", label)
    return re.sub(r"(?:par|stated)\s+value\s*(?:of\s+)?\$?\s?[\d.]+\s+per\s+share", " ", label, flags=re.I)


_LABEL_SCALE = re.compile(r"\((?:in\s+)?(thousands|millions|billions)(?:\s+of\s+shares)?\)", re.I)


# "(in millions, except remaining performance obligation, which is presented in billions)": one row's own scale
_EXCEPT_SCALE = re.compile(r"\bexcept\s+(?:for\s+)?(?P<what>[a-z][a-z\s&-]{2,60}?),?\s+which\s+(?:is|are)\s+(?:presented|shown|"
                           r"stated|reflected|expressed)\s+in\s+(?P<scale>thousands|millions|billions)\b", re.I)


def excepted_scale(context: str, label: str, scale: int) -> int:
    """The scale of a row that the table's units line excepts by name, else `scale`."""
    for m in _EXCEPT_SCALE.finditer(context):
        words = set(singular_stems(m.group("what").lower())) - {"the", "and", "of", "our", "total"}
        if words and words <= set(singular_stems(label.lower())):
            return detect_scale(f"(in {m.group('scale')})")
    return scale


def share_scale(units: str | None, table_scale: int, label: str = "") -> int:
    """The scale of share counts in a table whose units line is `units`, on a row labelled `label`: the
    row's own "(millions)" first; a units line of dollars ("millions of dollars") does not count shares."""
    m = _LABEL_SCALE.search(label)
    if m:
        return detect_scale(f"(in {m.group(1)})")
    if not units:
        return table_scale
    m = _SHARES_IN.search(units)
    if m:
        return detect_scale(f"(in {m.group(1)})")
    return 1 if _SHARES_EXCEPTED.search(units) or re.search(r"\bof\s+(?:U\.S\.\s+)?dollars\b", units, re.I) else table_scale


def parse_dom_table(filing: Filing, table: Table, known_segments: tuple[str, ...] = ()) -> ParsedTable:
    """An HTML table from its DOM grid: each figure takes the period of the header cells above its column
    (colspans and rowspans as laid out), each row the label in its first cell."""
    from corpus.dom_tables import is_data_row, is_figure

    money_scale = _tagged_scale(filing, table, "usd") or table.scale
    count_scale = _tagged_scale(filing, table, "shares")
    # A tagged figure says what it counts (dollars, shares, dollars per share); its untagged neighbours in
    # the row count the same.
    tagged = sorted((f.start, _unit_kind(f.unit)) for f in filing.xbrl
                    if f.start is not None and table.start <= f.start < table.end and f.value is not None)
    starts = [a for a, _ in tagged]

    def kind_of(cell) -> str | None:
        """The unit kind of the tag printed in `cell` ("$ 180.56" holds the tag on "180.56")."""
        i = bisect.bisect_left(starts, cell.start)
        return tagged[i][1] if i < len(starts) and starts[i] < cell.end else None

    section = filing.section_at(table.start)
    context = " ".join(x for x in (table.caption, section.title if section else "") if x)
    columns: list[Column] = []
    column_at: dict[tuple, int] = {}
    header: list = []
    rows: list[Row] = []
    group, data_seen, header_open = "", False, False
    for row in table.rows:
        label_cell = row.cells[0] if row.cells and row.cells[0].column == 0 and not is_figure(row.cells[0].text) else None
        if not is_data_row(row):
            if label_cell is None or len(row.cells) > 1:
                header = [row] if data_seen and not header_open else header + [row]
                header_open = True
            elif not UNITS_RE.search(label_cell.text):
                group = _clean_label(label_cell.text)  # heads the rows below ("Earnings per share:" over "Basic")
            continue
        header_open, data_seen = False, True
        label = _clean_label(label_cell.text) if label_cell else ""
        if group and len(label.split()) == 1:
            label = f"{group} {label}"
        if _TOTAL_CLOSES.match(label):
            group = ""  # a group's total closes it
        kinds = {k for k in map(kind_of, row.cells) if k}
        if len(kinds) == 1:
            row_kind = kinds.pop()
        else:
            words = _label_words(label)
            row_kind = "shares" if _SHARE_COUNT_LABEL.match(words) else "per share" \
                if _PER_SHARE_LABEL.search(words) or _PER_SHARE_LABEL.search(_label_words(group)) else "money"
        cells, indices = [], []
        for cell in row.cells:
            if cell is label_cell or not is_figure(cell.text):
                continue
            above = [(i, k, c) for i, h in enumerate(header) for k, c in enumerate(h.cells)
                     if c.column > 0 and c.column <= cell.column < c.column + c.span]
            key = tuple((id(header[i]), k) for i, k, _ in above) or ("column", cell.column)
            if key not in column_at:
                column_at[key] = len(columns)
                columns.append(_column(" ".join(c.text for *_, c in above), context, known_segments))
            kind = kind_of(cell) or row_kind
            if re.search(r"\bshares\b", columns[column_at[key]].label, re.I) and not kind_of(cell):
                kind = "shares"  # an equity statement's "Shares" column beside its "Amount"
            share_count, per_share = kind == "shares", kind == "per share"
            scale = (count_scale or share_scale(table.units, table.scale, label)) if share_count else \
                excepted_scale(f"{table.caption} {table.units or ''}", label, money_scale)
            parsed = _parse_cell(cell.text, cell.start, cell.end, scale, per_share,
                                 bool(_PERCENT_ROW.search(label)) and kind == "money")
            if parsed is None:
                continue
            cells.append(replace(parsed, unit="shares") if share_count else parsed)
            indices.append(column_at[key])
        if cells and label:
            rows.append(Row(label=label, cells=tuple(cells), start=row.start, end=row.end, columns=tuple(indices)))
    return ParsedTable(table=table, columns=tuple(columns), rows=tuple(rows), segment=section.segment if section else None)
