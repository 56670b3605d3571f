"""The words steps' thresholds are chosen on dev by what a wrong answer costs."""
from __future__ import annotations

from eval.calibrate import COST_OF_WRONG, best_threshold


def _points(*pairs):
    return [{"probability": p, "right": r} for p, r in pairs]


def test_a_threshold_drops_the_low_answers_when_their_wrongs_cost_more_than_their_rights():
    # below 0.2: two wrong and three right (3 - 2 x 3 < 0), so they go; above: one wrong among nine
    points = _points((0.12, True), (0.13, True), (0.14, True), (0.15, False), (0.15, False),
                     *[(0.3 + 0.05 * k, True) for k in range(8)], (0.43, False))
    got = best_threshold(points)
    assert got["threshold"] == 0.3
    assert (got["kept"], got["kept_right"], got["dropped_right"], got["dropped_wrong"]) == (9, 8, 3, 2)


def test_nothing_is_dropped_when_every_answer_is_right_and_everything_when_none_is():
    assert best_threshold(_points((0.1, True), (0.9, True)))["threshold"] == 0.0
    assert best_threshold(_points((0.1, False), (0.9, False)))["kept"] == 0


def test_the_cost_of_a_wrong_answer_is_the_products_three_to_one():
    assert COST_OF_WRONG == 3.0
    # one wrong above two rights: kept at cost 1 (2 - 1 > 0), dropped at cost 3 (2 - 3 < 0)
    points = _points((0.2, True), (0.3, True), (0.5, False), (0.9, True))
    assert best_threshold(points, cost=1.0)["threshold"] == 0.0
    assert best_threshold(points)["threshold"] == 0.9
