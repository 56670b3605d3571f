"""corpus: filings in, structure out.

`load_filing(path, **meta) -> Filing` reads plain text, EDGAR HTML or PDF, cleans the
artefacts filings carry, and finds sections (with their segment and period context),
tables and pages. See `python -m corpus inspect FILE`.
"""
from corpus.bundled import BUNDLED_DIR, read_manifest
from corpus.errors import FilingParseError
from corpus.load import load_filing
from corpus.model import Filing, PageSpan, Period, Section, Table

__all__ = ["BUNDLED_DIR", "Filing", "FilingParseError", "PageSpan", "Period", "Section", "Table", "load_filing",
           "read_manifest"]
