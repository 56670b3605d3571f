"""Preparing filings in a child process: the same result, stopped at any point (parsing included), errors as raised."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from corpus import FilingParseError
from index.chunker import ChunkerConfig
from index.errors import BuildCancelledError
from index.isolated import prepare_isolated
from index.prepare import Source, prepare
from tests.conftest import SEED_000
from tests.pdf_fixture import make_pdf

pytestmark = pytest.mark.slow


def test_the_child_prepares_what_this_process_would(embedder):
    here = prepare([Source.of(SEED_000)], embedder, ChunkerConfig())
    seen = []
    there = prepare_isolated([Source.of(SEED_000)], embedder, ChunkerConfig(),
                             on_progress=lambda done, total: seen.append((done, total)))
    assert [c.text for c in there[0].chunks] == [c.text for c in here[0].chunks]
    assert there[0].filing.doc_id == here[0].filing.doc_id == "crexendo-2020q3-10q"
    assert np.allclose(there[0].vectors, here[0].vectors, atol=1e-5)
    assert seen and seen[-1][0] == seen[-1][1]


def test_a_cancel_stops_the_child_while_it_parses(tmp_path, embedder):
    big = tmp_path / "big-10k.pdf"
    big.write_bytes(make_pdf([[f"Page {p} line {k}: revenue increased because of dealers {p * k}" for k in range(40)]
                              for p in range(400)]))
    started = time.monotonic()
    with pytest.raises(BuildCancelledError):
        prepare_isolated([Source.of(big)], embedder, ChunkerConfig(), cancelled=lambda: time.monotonic() - started > 0.5)


def test_the_childs_errors_are_raised_here(tmp_path, embedder):
    bad = tmp_path / "broken-10k.pdf"
    bad.write_bytes(b"%PDF-1.4 this is not really a pdf")
    with pytest.raises(FilingParseError, match="broken-10k.pdf: corrupt or unreadable PDF"):
        prepare_isolated([Source.of(bad)], embedder, ChunkerConfig())


def test_parse_workers_stop_when_their_parent_is_killed(tmp_path):
    """`kill -9` of a writer: the parse workers it forked notice within a second and exit, instead of parsing on."""
    marker = tmp_path / "marker-10k.pdf"
    marker.write_bytes(make_pdf([[f"Page {p} line {k}: revenue rose by {p * k}" for k in range(40)] for p in range(1500)]))
    other = tmp_path / "other-10k.pdf"
    other.write_bytes(marker.read_bytes() + b"\n% another file\n")
    script = ("import sys; from index.prepare import Source, parse_all; from index.chunker import ChunkerConfig; "
              "parse_all([Source.of(sys.argv[1]), Source.of(sys.argv[2])], ChunkerConfig())")
    parent = subprocess.Popen([sys.executable, "-c", script, str(marker), str(other)], cwd=Path(__file__).parents[2])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(_running(str(marker))) < 3:  # the parent and its two workers
        time.sleep(0.2)
    assert len(_running(str(marker))) >= 3, "the workers never started"
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    time.sleep(3)
    left = _running(str(marker))
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left


def _running(marker: str) -> list[int]:
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit() and int(proc.name) != os.getpid():
            try:
                if marker in (proc / "cmdline").read_bytes().decode("utf-8", "replace"):
                    status = (proc / "status").read_text()
                    if "State:\tZ" not in status:
                        found.append(int(proc.name))
            except OSError:
                continue
    return found
