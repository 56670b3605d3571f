"""Hostile files, made on the fly (nothing here is committed but the recipe)."""
from __future__ import annotations

import random
from pathlib import Path

from tests.pdf_fixture import make_pdf

WORDS = ("revenue", "increased", "primarily", "due", "to", "higher", "subscription", "sales", "and", "services",
         "partially", "offset", "by", "lower", "hardware", "margins", "in", "the", "quarter", "compared", "with")


def one_sentence(n_bytes: int, seed: int = 7) -> bytes:
    """Text with no sentence break at all: words, figures and commas, no full stop (the chunker's worst case). No two
    stretches repeat, so every passage is embedded (a repeated one would be embedded once)."""
    rng = random.Random(seed)
    words, size, i = [], 0, 0
    while size < n_bytes:
        word = rng.choice(WORDS) if i % 6 else f"${rng.randint(1, 999):,},{rng.randint(0, 999):03d}"
        word += "," if i % 17 == 16 else ""
        words.append(word)
        size += len(word) + 1
        i += 1
    return ("ACME CORP FORM 10-K " + " ".join(words))[:n_bytes].encode()


def many_pages_pdf(pages: int, lines: int = 40) -> bytes:
    """A PDF of `pages` pages of prose and table-like lines, no two alike (about 5 KB a page at 40 lines)."""
    return make_pdf([[f"Page {p} line {k}: net revenue increased {k % 30}% to ${p * 7 + k:,} million in the quarter, "
                      f"driven by services" if k % 5 else f"Segment {p}-{k} revenue    {p:,}    {k * 13:,}    ( {p + k:,} )"
                      for k in range(lines)] for p in range(pages)])


def xbrl_bomb(facts: int) -> bytes:
    """Inline XBRL with `facts` hidden numeric facts (a generated or hostile file; real 10-Ks tag about 3,000)."""
    head = ('<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml" '
            'xmlns:ix="http://www.xbrl.org/2013/inlineXBRL" xmlns:xbrli="http://www.xbrl.org/2003/instance">'
            '<body><div style="display:none"><ix:header><ix:resources><xbrli:context id="c"><xbrli:entity>'
            '<xbrli:identifier scheme="x">1</xbrli:identifier></xbrli:entity><xbrli:period><xbrli:instant>2023-12-31'
            '</xbrli:instant></xbrli:period></xbrli:context></ix:resources></ix:header>')
    fact = '<ix:nonFraction name="us-gaap:Revenues" contextRef="c" unitRef="u" decimals="0">{}</ix:nonFraction>'
    body = "".join(fact.format(i) for i in range(facts))
    tail = "</div><p>ACME CORP annual report. Revenue increased in 2023.</p></body></html>"
    return (head + body + tail).encode()


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path
