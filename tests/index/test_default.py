"""The default index's fingerprint: what makes it rebuild."""
from __future__ import annotations

from corpus import BUNDLED_DIR
from index.default import _BUILD_CODE, corpus_fingerprint


def test_fingerprint_covers_the_parser_and_chunker_code():
    names = {p.name for p in _BUILD_CODE}
    assert {"structure.py", "loaders.py", "chunker.py"} <= names


def test_fingerprint_changes_when_the_parsing_code_changes(tmp_path):
    code = tmp_path / "structure.py"
    code.write_text("HEADING = 1\n")
    before = corpus_fingerprint(BUNDLED_DIR, (code,))
    assert corpus_fingerprint(BUNDLED_DIR, (code,)) == before  # stable
    code.write_text("HEADING = 2\n")
    assert corpus_fingerprint(BUNDLED_DIR, (code,)) != before
