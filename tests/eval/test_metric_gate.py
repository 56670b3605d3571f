"""The metric gate: the metric gold set's questions on a few shared filings stay at or above their floor.

Questions and hand-computed answers are in eval/metric_gold.jsonl (`python -m eval metrics`); the docs gated and
the floors are in eval/floor.json ("metrics"). Every computed answer must recompute from its cited cells.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import SHARED

GATE = json.loads((Path(__file__).resolve().parents[2] / "eval" / "floor.json").read_text(encoding="utf-8"))["metrics"]


@pytest.fixture(scope="module")
def report(embedder):
    from eval.metric_gold import load_metric_gold, run_metric_gold

    filings = SHARED / "filings"
    rows = [r for r in load_metric_gold() if r["doc"] in GATE["docs"]]
    if not all((filings / doc).is_file() for doc in GATE["docs"]):
        pytest.skip("../shared/filings is not present")
    return run_metric_gold(rows, filings, embedder=embedder, reader=None)


@pytest.mark.slow
@pytest.mark.shared
def test_right_share_at_or_above_floor(report):
    failures = [f"{r['id']}: {r['outcome']} {r.get('got')} (expected {r['expected']})" for r in report["records"]
                if r["outcome"] != "right"]
    assert report["overall"]["right_pct"] >= GATE["right_pct_min"], "\n".join(failures)


@pytest.mark.slow
@pytest.mark.shared
def test_wrong_share_at_or_below_ceiling(report):
    wrong = [f"{r['id']}: {r.get('got')} (expected {r['expected']})" for r in report["records"] if r["outcome"] == "wrong"]
    assert report["overall"]["wrong_pct"] <= GATE["wrong_pct_max"], "\n".join(wrong)


@pytest.mark.slow
@pytest.mark.shared
def test_every_computed_answer_recomputes_from_its_cells(report):
    o = report["overall"]
    assert o["verified"] == o["computed"]
