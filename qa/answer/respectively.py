"""Lists matched "respectively": "We repurchased 67 million and 193 million shares ... during the second quarter and
first half of fiscal year 2026, respectively." The i-th figure of the list belongs to the i-th period of the
closing list, so a question about the first half is answered by 193 million, whichever figure was found first."""
from __future__ import annotations

import re

from corpus.period_intent import PeriodIntent, parse_period_intent

_FIGURE = r"\(?\$?\d[\d,]*(?:\.\d+)?\)?(?:\s*(?:million|billion|thousand|%|percent))?"
_FIGURE_LIST = re.compile(rf"{_FIGURE}(?:\s*,\s*{_FIGURE})*,?\s+and\s+{_FIGURE}", re.I)
_ONE_FIGURE = re.compile(_FIGURE, re.I)
# The closing list of periods: "during the second quarter and first half of fiscal year 2026, respectively".
_PERIODS = re.compile(r"\b(?:during|for|in|as\s+of|at)\s+((?:(?!\b(?:during|for|in)\b)[^.;])+?),?\s+respectively\b", re.I)
_NUMBER_WORD = re.compile(r"^(?:the\s+)?(three|six|nine|twelve|first|second|third|fourth|\d+)$", re.I)


def _period_parts(text: str) -> list[PeriodIntent]:
    parts = [p.strip() for p in re.split(r",\s*(?:and\s+)?(?=[A-Za-z])|\s+and\s+", text) if p.strip()]
    # "three and six months ended June 30, 2025": a bare number word takes the unit of the last part.
    tail = re.sub(r"^(?:the\s+)?\S+\s*", "", parts[-1]) if parts else ""
    return [parse_period_intent(f"{p} {tail}" if _NUMBER_WORD.match(p) else p) for p in parts]


def _matches(asked: PeriodIntent, stated: PeriodIntent) -> bool:
    if asked.months and stated.months and asked.months != stated.months:
        return False
    if asked.year and stated.year and asked.year != stated.year:
        return False
    return bool((asked.months and stated.months) or (asked.year and stated.year))


def respective_figure(sentence: str, start: int, end: int, question: str) -> tuple[int, int] | None:
    """Where in `sentence` the figure the question's period points to lies, when the figure at [start, end) is one
    of a list matched "respectively" to a list of periods and the question names one of them; else None."""
    periods = _PERIODS.search(sentence)
    if periods is None:
        return None
    stated = _period_parts(periods.group(1))
    asked = parse_period_intent(question)
    if len(stated) < 2 or asked == PeriodIntent():
        return None
    chosen = [i for i, p in enumerate(stated) if _matches(asked, p)]
    if len(chosen) != 1:
        return None
    for run in _FIGURE_LIST.finditer(sentence, 0, periods.start()):
        items = list(_ONE_FIGURE.finditer(run.group(0)))
        if len(items) != len(stated):
            continue
        spans = [(run.start() + m.start(), run.start() + m.end()) for m in items]
        if any(a <= start < b or start <= a < end for a, b in spans):
            return spans[chosen[0]]
    return None
