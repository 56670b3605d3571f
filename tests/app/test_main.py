"""`python -m app`: a missing index is one line and exit status 2, before any model loads."""
from __future__ import annotations

import pytest

from app.__main__ import main
from corpus.errors import USER_ERROR_EXIT


def test_a_missing_index_is_one_line_and_a_user_error_exit(tmp_path, capsys):
    assert main(["--index", str(tmp_path / "none"), "--port", "0"]) == USER_ERROR_EXIT
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("error: no filingqa index at ") and "Traceback" not in "".join(err)


def test_listening_beyond_this_machine_without_a_password_is_warned_about(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("FILINGQA_AUTH", raising=False)
    assert main(["--host", "0.0.0.0", "--index", str(tmp_path / "none"), "--port", "0"]) == USER_ERROR_EXIT
    err = capsys.readouterr().err
    assert "warning: the page will listen on 0.0.0.0 without a password" in err and "--auth-file" in err
    for quiet in (["--host", "127.0.0.1"], ["--host", "0.0.0.0", "--auth-file", str(_auth(tmp_path))]):
        main([*quiet, "--index", str(tmp_path / "none"), "--port", "0"])
        assert "warning" not in capsys.readouterr().err


def test_auth_comes_from_a_file_or_the_environment(tmp_path):
    from app.__main__ import is_loopback, read_auth
    from corpus.errors import FilingQAError

    assert read_auth(str(_auth(tmp_path)), "carol:pass:word") == [("alice", "s3cret"), ("bob", "hunter2"),
                                                                   ("carol", "pass:word")]
    assert read_auth(None, None) == []
    bad = tmp_path / "bad.txt"
    bad.write_text("alice\n")
    with pytest.raises(FilingQAError, match="user:password"):
        read_auth(str(bad), None)
    with pytest.raises(FilingQAError, match="cannot be read"):
        read_auth(str(tmp_path / "none.txt"), None)
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("10.0.0.5") and not is_loopback("example.com")


def _auth(folder):
    path = folder / "auth.txt"
    path.write_text("# who may use the page\nalice:s3cret\n\nbob:hunter2\n", encoding="utf-8")
    return path
