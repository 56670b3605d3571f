"""Figures matched to periods by "respectively", on sentences as 10-Qs print them (NVIDIA's buyback sentence)."""
import pytest

from qa.answer.respectively import respective_figure

NVDA = ("We repurchased 67 million and 193 million shares of our common stock for $9.7 billion and $24.2 billion "
        "during the second quarter and first half of fiscal year 2026, respectively.")
QUARTERS = "Revenue was $1.2 billion and $2.5 billion for the three and six months ended June 30, 2025, respectively."


def _pick(sentence: str, found: str, question: str) -> str | None:
    at = sentence.index(found)
    place = respective_figure(sentence, at, at + len(found), question)
    return sentence[place[0]:place[1]] if place else None


@pytest.mark.parametrize("sentence, found, question, figure", [
    (NVDA, "67 million", "How many shares did NVIDIA repurchase in the first half of fiscal 2026?", "193 million"),
    (NVDA, "193 million", "How many shares did NVIDIA repurchase in the second quarter?", "67 million"),
    (NVDA, "$9.7 billion", "How much did NVIDIA spend on repurchases in the first half of fiscal 2026?", "$24.2 billion"),
    (QUARTERS, "$1.2 billion", "What was revenue for the six months ended June 30, 2025?", "$2.5 billion"),
    ("Net sales were $94.0 billion and $85.8 billion in 2025 and 2024, respectively.", "$85.8 billion",
     "What were net sales in 2025?", "$94.0 billion"),
])
def test_the_figure_of_the_period_asked(sentence, found, question, figure):
    assert _pick(sentence, found, question) == figure


def test_no_period_in_the_question_or_no_respectively_leaves_the_figure():
    assert _pick(NVDA, "67 million", "How many shares did NVIDIA repurchase?") is None
    assert _pick("We repurchased 67 million shares in the second quarter.", "67 million", "How many in the first half?") is None
