"""bench/scale_bench.py's passages: the base vectors first, then copies moved a little, none identical, all unit."""
import subprocess
import sys

import numpy as np

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT))
from bench.scale_bench import corpus, perturbed  # noqa: E402


def test_copies_are_near_their_passage_and_never_identical():
    rng = np.random.default_rng(0)
    base = rng.normal(size=(50, 16)).astype(np.float32)
    base /= np.linalg.norm(base, axis=1, keepdims=True)
    vectors = corpus(base, 230, sigma=0.02)
    assert vectors.shape == (230, 16) and np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    assert np.allclose(vectors[:50], base)  # the passages themselves first
    cosines = np.sum(vectors[50:] * base[np.arange(50, 230) % 50], axis=1)
    assert 0.9 < cosines.min() and cosines.max() < 0.99999  # near their passage, never a duplicate
    assert len({row.tobytes() for row in vectors}) == 230


def test_a_perturbed_passage_changes_its_figures_only():
    text = perturbed("Revenue was $164,501 million in 2024, up 22%.", np.random.default_rng(3))
    assert text != "Revenue was $164,501 million in 2024, up 22%." and text.startswith("Revenue was $")
    assert [c.isdigit() for c in text] == [c.isdigit() for c in "Revenue was $164,501 million in 2024, up 22%."]


def test_an_unknown_backend_fails_in_one_line():
    done = subprocess.run([sys.executable, "bench/scale_bench.py", "--backend", "milvus", "--passages", "10"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0 and "'milvus' is not one this filingqa has" in done.stderr
    assert "Traceback" not in done.stderr
