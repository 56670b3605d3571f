"""The regression gate: the gold set against the default pipeline must stay at or above eval/floor.json.

Runs every gold question once (one Pipeline, models loaded once; about two minutes on 2 cores) and checks each
floor as its own test case, so a failure names the metric. After an intended improvement, re-measure with
`python -m eval --json eval/results/gold.json` and raise the floors (a little below the measured values).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.gold import DEFAULT_GOLD

FLOOR_FILE = Path(__file__).resolve().parents[2] / "eval" / "floor.json"
FLOORS = json.loads(FLOOR_FILE.read_text(encoding="utf-8"))["floors"]


@pytest.fixture(scope="module")
def report(seed_pipeline):
    """The gold set against the default index over the bundled corpus (built for this test session)."""
    from eval.runner import run_gold

    return run_gold(DEFAULT_GOLD, seed_pipeline, progress=False)


def _lookup(report: dict, dotted: str) -> float:
    node = report
    for part in dotted.split("."):
        node = node[part]
    return float(node)


@pytest.mark.slow
@pytest.mark.parametrize("metric", sorted(FLOORS))
def test_metric_at_or_above_floor(report, metric):
    measured = _lookup(report, metric)
    failures = [f"{r['id']} [{r['stage']}] {r['question']}" for r in report["failures"]][:15]
    assert measured >= FLOORS[metric], (f"{metric} = {measured:.4f} fell below its floor {FLOORS[metric]} "
                                        f"(eval/floor.json). First failures:\n" + "\n".join(failures))


@pytest.mark.slow
def test_no_question_raised(report):
    errors = [f"{r['id']}: {r.get('error', '').splitlines()[0]}" for r in report["failures"] if r["stage"] == "error"]
    assert not errors, "\n".join(errors)
