"""Hostile inputs against `python -m index add`: each must be refused or indexed within the limits (60 s, 1.5 GB).

    .venv/bin/python bench/hostile/big_inputs.py [--only NAME] [--repo DIR] [--timeout S] [--json OUT]

Each case makes its file, adds it to a fresh copy of a one-seed index in a child process, and records the wall
time, the child's peak resident memory and what it said (the passages indexed, or the one-line refusal).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.hostile.inputs import many_pages_pdf, one_sentence, write, xbrl_bomb  # noqa: E402
from corpus import BUNDLED_DIR  # noqa: E402

LIMIT_S, LIMIT_MB = 60, 1536
CASES = {
    "pdf_5000_pages": ("filing.pdf", lambda: many_pages_pdf(5000)),
    "pdf_500_pages": ("filing.pdf", lambda: many_pages_pdf(500)),
    "text_one_sentence_500kb": ("filing.txt", lambda: one_sentence(500_000)),
    "text_one_sentence_2mb": ("filing.txt", lambda: one_sentence(2_000_000)),
    "text_one_sentence_2400kb": ("filing.txt", lambda: one_sentence(2_400_000)),  # just under the text limit
    "text_one_sentence_5mb": ("filing.txt", lambda: one_sentence(5_000_000)),
    "xbrl_620000_hidden_facts": ("filing.htm", lambda: xbrl_bomb(620_000)),
}


def run(cmd: list[str], timeout: float, cwd: Path) -> tuple[int, float, int, str]:
    """(exit status, seconds, peak RSS in MB of the child and what it waited for, last stderr line)."""
    started = time.perf_counter()
    child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=cwd)
    try:
        _, err = child.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        child.kill()
        _, err = child.communicate()
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024  # the largest child so far
    lines = [ln for ln in (err or "").splitlines() if ln.strip() and "Loading weights" not in ln and "it/s" not in ln]
    return child.returncode, seconds, peak, lines[-1] if lines else ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", choices=sorted(CASES))
    parser.add_argument("--json", default=str(ROOT / "bench" / "results" / "hostile_inputs.json"))
    parser.add_argument("--repo", default=str(ROOT), help="the checkout whose command line to run (default: this one)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds before a case is killed")
    args = parser.parse_args()
    repo = Path(args.repo).resolve()
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    os.environ.update(env)
    results = {}
    with tempfile.TemporaryDirectory(prefix="filingqa-hostile-") as tmp:
        base = Path(tmp) / "base"
        code, *_ = run([sys.executable, "-m", "index", "build", str(BUNDLED_DIR / "crexendo-2021q2-10q-note2-revenue.txt"),
                        "--out", str(base)], 600, repo)
        assert code == 0, "could not build the base index"
        for name in args.only or CASES:
            file_name, make = CASES[name]
            path = write(Path(tmp) / name / file_name, make())
            index = Path(tmp) / name / "index"
            shutil.copytree(base, index)
            # A fresh measuring child per case: RUSAGE_CHILDREN keeps the largest child so far.
            probe = [sys.executable, "-c",
                     "import resource, subprocess, sys, json; r = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
                     "print(json.dumps([r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024, "
                     "(r.stderr.strip().splitlines() or [''])[-1]]))",
                     sys.executable, "-m", "index", "add", str(path), "--index", str(index)]
            started = time.perf_counter()
            fresh = {**os.environ, "FILINGQA_CACHE": str(Path(tmp) / name / "cache")}  # no vector cached already
            child = subprocess.Popen(probe, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=repo,
                                     env=fresh, start_new_session=True)
            try:
                out, _ = child.communicate(timeout=args.timeout)
                code, peak_mb, said = json.loads(out.strip().splitlines()[-1])
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
                child.communicate()
                code, peak_mb, said = None, None, f"still running after {args.timeout} s: killed"
            seconds = time.perf_counter() - started
            results[name] = {"file_mb": round(path.stat().st_size / 1e6, 1), "exit": code, "seconds": round(seconds, 1),
                             "peak_rss_mb": peak_mb, "said": said[:300],
                             "within_limits": seconds <= LIMIT_S and peak_mb is not None and peak_mb <= LIMIT_MB}
            print(name, json.dumps(results[name]), flush=True)
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps({"limits": {"seconds": LIMIT_S, "peak_rss_mb": LIMIT_MB}, "cases": results},
                                          indent=2) + "\n")
    return 0 if all(r["within_limits"] for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
