"""Sentence boundaries with character offsets, tuned for filing prose.

A hand-written splitter because the maintained options either need data downloaded
from a hub (NLTK punkt) or lose offsets on the abbreviations and figures filings are
full of ("Inc.", "U.S.", "$1.5 million", "No. 2"). Returns (start, end) spans.
"""
from __future__ import annotations

import re

_ABBREVIATIONS = {
    "inc", "corp", "co", "ltd", "llc", "plc", "no", "nos", "u.s", "u.k", "e.g", "i.e", "vs", "mr", "mrs", "ms",
    "dr", "st", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "approx",
    "etc", "fig", "sec", "rev", "est", "dept", "div", "ave", "jr", "sr", "n.a", "l.p", "s.a", "cf", "al",
}
# A terminator, optional closing quote/bracket, whitespace, then something that can open a sentence.
_BOUNDARY = re.compile(r"[.!?][\"'”’)\]]*(?=\s+[\"“'(\[]?[A-Z0-9$•·])")
# A blank line ends a paragraph unless the text goes on in lower case: hard-wrapped filings sometimes
# break a sentence with an empty line ("payments made on financing contracts\n\nof\n$22,000.").
# After a full stop a blank line always ends the sentence, whatever follows ("... desktops.\n\niPad\n\niPad net sales").
_PARAGRAPH = re.compile(r"\n[ \t]*\n\s*(?![a-z])|(?<=[.!?])[ \t]*\n[ \t]*\n|\n(?=• )|(?<=\S) (?=• )")


def _is_abbreviation(text: str, dot: int) -> bool:
    if text[dot] != ".":
        return False
    before = text[max(0, dot - 12) : dot]
    if re.search(r"(?:^|\n|\|)\s*\d{1,2}$", text[max(0, dot - 6) : dot]) or (dot <= 2 and before.isdigit()):
        return True  # a list or note number opening a line: "2. Revenue"
    m = re.search(r"([A-Za-z][A-Za-z.]*)$", before)
    if not m:
        # "1." inside a list or a number: "Note 2." still ends a sentence, so only digits glued to a letter count.
        return False
    word = m.group(1).lower()
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


_CONNECTORS = {"a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with", "our", "its"}
_LINE = re.compile(r"(?m)^[^\S\n]*(?P<line>[A-Z][^\n]{0,70}?)[^\S\n]*\n(?=[^\S\n]*[A-Z])")


def _is_heading_line(line: str) -> bool:
    """A short Title Case line with no final punctuation: a heading run into the next sentence in PDF text."""
    if line[-1:] in ".,;:!?)%" or re.search(r"\d", line):
        return False
    words = re.findall(r"[A-Za-z][A-Za-z'’&/-]*", line)
    content = [w for w in words if w.lower() not in _CONNECTORS]
    return 1 <= len(words) <= 8 and bool(content) and all(w[0].isupper() for w in content)


def split_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans of text[start:end], trimmed of surrounding whitespace, in order."""
    end = len(text) if end is None else end
    cuts = [start]
    for m in _PARAGRAPH.finditer(text, start, end):
        cuts.append(m.start())
    for m in _LINE.finditer(text, start, end):
        if _is_heading_line(m.group("line")):
            cuts.append(m.end())
    for m in _BOUNDARY.finditer(text, start, end):
        if not _is_abbreviation(text, m.start()):
            cuts.append(m.end())
    cuts.append(end)
    spans = []
    for a, b in zip(sorted(set(cuts)), sorted(set(cuts))[1:]):
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            spans.append((a, b))
    return spans


def sentence_at(text: str, start: int, end: int) -> tuple[int, int]:
    """The whole sentence(s) holding `text[start:end]`: from the first one's first letter to the last one's end.

    Citations use it so a highlight never starts mid-word or mid-sentence.
    """
    spans = split_spans(text)
    first = next((a for a, b in spans if b > start), start)
    last = next((b for a, b in reversed(spans) if a < end), end)
    return min(first, start), max(last, end)
