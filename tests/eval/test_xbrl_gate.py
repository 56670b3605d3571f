"""The real-filing gate: the XBRL-generated gold set on shared EDGAR filings must stay at or above its floor.

Questions come from each filing's own XBRL tags (`python -m eval xbrl`), asked over a single-filing index with the
session's models. The files and floors are in eval/floor.json ("xbrl"); raise them with every improvement.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import SHARED

GATE = json.loads((Path(__file__).resolve().parents[2] / "eval" / "floor.json").read_text(encoding="utf-8"))["xbrl"]


@pytest.fixture(scope="module")
def report(embedder, seed_pipeline):
    paths = [SHARED / "filings" / "edgar" / name for name in GATE["files"]]
    if not all(p.exists() for p in paths):
        pytest.skip("../shared/filings/edgar is not present")
    from eval.xbrl import run_xbrl

    return run_xbrl(paths, embedder=embedder, reader=seed_pipeline.reader, progress=False)


@pytest.mark.slow
@pytest.mark.shared
def test_right_share_at_or_above_floor(report):
    overall = report["overall"]
    failures = [f"{r['question']} -> {r.get('got')}" for r in report["failures"]][:10]
    assert overall["right_pct"] >= GATE["right_pct_min"], "\n".join(failures)


@pytest.mark.slow
@pytest.mark.shared
def test_wrong_share_at_or_below_ceiling(report):
    overall = report["overall"]
    wrong = [f"{r['question']} -> {r.get('got')}" for r in report["failures"] if r["outcome"] == "wrong"]
    assert overall["wrong_pct"] <= GATE["wrong_pct_max"], "\n".join(wrong)
