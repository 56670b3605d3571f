"""A tiny PDF writer for tests: real text pages, no dependency, byte offsets computed."""
from __future__ import annotations


def _escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


# Helvetica advance widths (per 1000 em) of the characters test tables print.
_WIDTHS = {**{d: 556 for d in "0123456789$"}, ",": 278, ".": 278, " ": 278, "(": 333, ")": 333, "-": 333, "%": 889}


def text_width(text: str, size: float = 11) -> float:
    return sum(_WIDTHS.get(ch, 556) for ch in text) * size / 1000


def make_pdf(pages: list[list]) -> bytes:
    """A valid PDF with one Helvetica text line per list item on each page (see the loop for placed pieces)."""
    objects: list[bytes] = []
    n_pages = len(pages)
    # 1 catalog, 2 pages, 3 font, then (page, content) pairs.
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(n_pages))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for i, lines in enumerate(pages):
        content = []
        for k, line in enumerate(lines):
            y = 740 - 14 * k
            # A line is a string set at the margin, or (x, text) pieces, each ending at x when x < 0
            # (right-aligned, as statement figures are: Helvetica's widths place it).
            for x, text in ([(72, line)] if isinstance(line, str) else line):
                left = -x - text_width(text) if x < 0 else x
                content.append(f"BT /F1 11 Tf {left:.2f} {y} Td ({_escape(text)}) Tj ET")
        stream = "\n".join(content).encode("latin-1")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
            f"/Contents {5 + 2 * i} 0 R >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for num, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{num} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
