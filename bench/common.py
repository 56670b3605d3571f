"""Shared by the bench scripts: percentiles, machine facts and writing the results."""
from __future__ import annotations

import os
import platform
import resource
from pathlib import Path


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def peak_rss_mb() -> int:
    """Peak resident memory of this process so far (Linux reports ru_maxrss in KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def machine() -> str:
    import torch

    return f"{platform.machine()}, {os.cpu_count()} CPUs, torch threads {torch.get_num_threads()}"


def report(result: dict, path: str) -> None:
    """Write the figures to `path` (JSON, tracked in bench/results/) and print them."""
    import json
    from pathlib import Path

    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


def latency_figures(latencies_ms: list[float]) -> dict:
    """p50, p95 and max of a run's ask latencies, in whole milliseconds, with the peak memory and the machine."""
    return {"ask_p50_ms": round(percentile(latencies_ms, 50)), "ask_p95_ms": round(percentile(latencies_ms, 95)),
            "ask_max_ms": round(max(latencies_ms)), "peak_rss_mb": peak_rss_mb(), "machine": machine()}


def skip_line(script: str, what: str, needed: Path) -> str:
    """The one line a bench script prints for data it lacks: what was skipped, what it needs, where that comes from."""
    return (f"{script}: skipped {what}: it needs {needed}, which is absent (the development data in ../shared beside "
            f"the checkout: the shared filings and datasets, not distributed with filingqa)")
