"""`python -m app`: a missing index is one line and exit status 2, before any model loads."""
from __future__ import annotations

from app.__main__ import main
from corpus.errors import USER_ERROR_EXIT


def test_a_missing_index_is_one_line_and_a_user_error_exit(tmp_path, capsys):
    assert main(["--index", str(tmp_path / "none"), "--port", "0"]) == USER_ERROR_EXIT
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("error: no filingqa index at ") and "Traceback" not in "".join(err)
