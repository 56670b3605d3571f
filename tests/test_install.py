"""filingqa as a library (issue 24): what `pip install .` ships, the `filingqa` command over the module command lines,
the default folders outside the checkout, `python app.py`, and bench scripts that say what data they lack."""
import subprocess
import sys
from pathlib import Path

import pytest
import tomllib

from tests.conftest import ROOT


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_every_top_level_package_and_its_data_is_shipped():
    config = _pyproject()
    shipped = config["tool"]["setuptools"]["packages"]["find"]["include"]
    for package in ("app", "corpus", "eval", "index", "qa"):
        assert (ROOT / package / "__init__.py").is_file() and f"{package}*" in shipped
    data = config["tool"]["setuptools"]["package-data"]
    tracked = subprocess.run(["git", "ls-files", "qa/models", "corpus/filings"], cwd=ROOT, capture_output=True,
                             text=True).stdout.split()
    for path in tracked or [str(p.relative_to(ROOT)) for p in (ROOT / "qa" / "models").rglob("*") if p.is_file()]:
        package, rest = path.split("/", 1)
        assert any(Path(rest).match(pattern) for pattern in data[package]), f"{path} would not be installed"
    assert config["project"]["scripts"]["filingqa"] == "qa.cli:main"
    # the runtime list is requirements.txt itself; test tools are not installed with the library
    assert config["tool"]["setuptools"]["dynamic"]["dependencies"]["file"] == ["requirements.txt"]
    runtime = (ROOT / "requirements.txt").read_text()
    assert "pytest" not in runtime and "platformdirs" in runtime
    assert not any(line.startswith("-") for line in runtime.splitlines())  # setuptools reads requirement lines only


def test_the_filingqa_command_lists_and_dispatches(capsys):
    from qa.cli import COMMANDS, main

    assert main([]) == 2
    listed = capsys.readouterr().out
    assert all(name in listed for name in COMMANDS)
    assert main(["frobnicate"]) == 2 and "unknown command 'frobnicate'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as done:
        main(["eval", "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert all(name in out for name in ("tatqa", "xbrl", "metrics", "calibrate", "changes", "retrieval"))
    assert main(["index", "list", "--index", "/nonexistent/filingqa-index"]) == 2  # index's own CLI, its own error


def test_python_app_py_is_the_page_command():
    done = subprocess.run([sys.executable, "app.py", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "--index" in done.stdout and "--share" in done.stdout


def test_default_folders_are_the_users_unless_set(monkeypatch, tmp_path):
    from index import data_dirs

    monkeypatch.setattr(data_dirs, "LEGACY_DIR", tmp_path / "checkout" / ".filingqa")
    monkeypatch.delenv("FILINGQA_INDEX", raising=False)
    monkeypatch.delenv("FILINGQA_CACHE", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    if sys.platform.startswith("linux"):
        assert data_dirs.default_index_dir() == tmp_path / "data" / "filingqa" / "index"
        assert data_dirs.default_cache_dir() == tmp_path / "cache" / "filingqa"
    assert ROOT not in data_dirs.default_index_dir().parents
    # a checkout that already has the old folder keeps it: its user's filings are there
    (tmp_path / "checkout" / ".filingqa" / "index").mkdir(parents=True)
    assert data_dirs.default_index_dir() == tmp_path / "checkout" / ".filingqa" / "index"
    monkeypatch.setenv("FILINGQA_INDEX", str(tmp_path / "mine"))
    assert data_dirs.default_index_dir() == tmp_path / "mine"


def test_a_bench_set_without_its_data_is_skipped_in_one_line(monkeypatch, tmp_path):
    sys.path.insert(0, str(ROOT))
    from bench import ask_bench
    from bench.common import skip_line

    monkeypatch.setattr(ask_bench, "SHARED", tmp_path / "shared" / "filings")
    assert ask_bench.needed_data("seeds") is None
    assert ask_bench.needed_data("edgar-10k") == tmp_path / "shared" / "filings" / "edgar" / f"{ask_bench.TEN_K}.html"
    assert ask_bench.needed_data("pdfs") == tmp_path / "shared" / "filings"
    line = skip_line("ask_bench", "the pdfs set", tmp_path)
    assert "\n" not in line and "../shared" in line
    done = subprocess.run([sys.executable, "bench/parse_bench.py", "--filings", str(tmp_path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
