"""Question understanding: what is asked (intent), about which metric, segment and period.

Pure functions over the question text. Period words are parsed by index.query (shared with
retrieval) and resolved against a filing later, since "Q3" depends on the filing.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from corpus.period_intent import PeriodIntent, parse_period_intent
from corpus.words import ABBREVIATIONS, DOWN_WORDS, UP_WORDS, words_pattern
from qa.vocabulary import METRICS

# Longest phrase first: "total revenue" before "revenue".
_ALIAS_INDEX = sorted(((alias, metric) for metric, aliases in METRICS.items() for alias in aliases), key=lambda x: -len(x[0]))

INTENTS = ("value", "change", "change_percent", "why", "definition", "policy", "yesno", "who", "other")

_WHY = re.compile(r"^\s*why\b|\bwhy\s+(?:did|does|do|is|are|was|were|has|have|had|would|will)\b|\bwhat\s+(?:\w+\s+){0,2}?(?:drove|drives|caused|causes|explains|explained|contributed to|led to)\b|\breasons?\b|\bdrivers?\b|\bexplain\b|\bdue to what\b|\bwhat was behind\b|"
                  r"\bwhat\s+(?:factors|caused|causes)\b|\bwhich\s+factors\b|\bfactors?\s+(?:did|does)\b.*\b(?:cite|attribute|give)\b", re.I)
_PERCENT = re.compile(r"\bpercent(?:age)?\b|%|\bgrowth rate\b|\bhow fast\b|\brate of (?:growth|change|increase|decrease)\b|\bby what share\b", re.I)
_CHANGE = re.compile(r"\b(?:change|changed|increase|increased|decrease|decreased|grow|grew|growth|rise|rose|fall|fell|drop|dropped|decline|declined|"
                     r"go up|went up|go down|went down|move|moved|delta|difference|differ|yoy|year over year|year-over-year|vs\.?|versus|compared)\b", re.I)
_HOW_MUCH_CHANGE = re.compile(r"\bby how much\b|\bhow much did\b.*\b(?:increase|decrease|grow|rise|fall|change|drop|decline|go up|go down)\b", re.I)
_DEFINITION = re.compile(r"\bconsists? of\b|\bcomprised? of\b|\bmade? up\b|\bmakes? up\b|\brelates? to\b|\brepresents?\b|\bwhat (?:is|are) included in\b|\binclude[sd]?\b|\bwhat (?:does|do) .+ (?:mean|cover|include)\b|"
                         r"\bdefin(?:e|ition|ed)\b|\bcomponents? of\b|\bwhat (?:kind|type)s? of\b|\bwhat (?:is|are) (?!the (?:total|amount|value|balance)\b)", re.I)
_POLICY = re.compile(r"\bhow (?:is|are|was|were|does|do)\b.*\b(?:recogni[sz]ed?|recogni[sz]e|accounted|account for|measured|allocated|billed|determined|estimated|calculated|treated|"
                     r"assign(?:s|ed)?|valu(?:e|es|ed)|attribut(?:e|es|ed)|classif(?:y|ies|ied)|amortiz(?:e|es|ed)|depreciat(?:e|es|ed))\b|"
                     r"\bwhen (?:is|are|does|do)\b.*\brecogni[sz]|\b(?:accounting )?polic(?:y|ies)\b|\brecogni[sz]ed? (?:as|when|upon|over)\b", re.I)
# A leading phrase of period, source or scope, before the question proper: "For the six months ended June 27, 2025, was
# ...", "Looking at NVIDIA's revenue by geographic area, which ..." (a comma inside it only before a date's year).
LEADING_PHRASE = (r"(?:(?:in|for|during|as\s+of|at|according\s+to|based\s+on|per|looking\s+at|among|using|considering|"
                  r"over|across)\b(?:[^,?]|,(?=\s*(?:19|20)\d\d\b)){0,160},\s*)")
# "Did ...?", also after a leading phrase: "In the first six months of 2025, did ...?"
_YESNO = re.compile(r"^\s*" + LEADING_PHRASE + r"?"
                    r"(?:is|are|was|were|did|does|do|has|have|had|can|could|will|would|should)\b", re.I)
_VALUE = re.compile(r"^\s*(?:what|how much|how many|give|tell|show|report|list)\b|\bwhat (?:was|were|is|are)\b|\bhow much\b|\bamount\b|\btotal\b|\bbalance\b|\bvalue\b|\blevel\b", re.I)
_SEGMENT_RE = re.compile(r"\b(?:in|for|of|at|from)?\s*(?:the|our)?\s*([A-Z][\w&]*(?:\s+[A-Z][\w&]*){0,3})\s+segment\b")
_CONSOLIDATED = re.compile(r"\bconsolidated\b|\bcompany[- ]wide\b|\boverall\b|\bin total\b|\bwhole company\b|\b(?:all|both) (?:reportable )?segments\b|\bcombined\b|\btotal reportable segments\b", re.I)


@dataclass(frozen=True)
class Question:
    """A question taken apart. `metric` is canonical (see METRICS); `metric_text` is how the question said it."""

    text: str
    intent: str
    metric: str | None
    metric_text: str | None
    segment: str | None
    consolidated: bool
    period: PeriodIntent = field(default_factory=PeriodIntent)
    direction: str | None = None  # "increase" / "decrease" when the question presumes one


_ALIAS_PATTERNS = [(re.compile(rf"(?<![\w&]){re.escape(alias)}(?![\w&])"), alias, metric) for alias, metric in _ALIAS_INDEX]


@functools.lru_cache(maxsize=65536)
def find_metric(text: str) -> tuple[str | None, str | None]:
    """(canonical metric, matched words) for the longest metric phrase in `text`.

    Pure and called for every table row label of every candidate figure, so it is memoised.
    """
    lowered = text.lower().replace("’", "'")
    for pattern, alias, metric in _ALIAS_PATTERNS:
        if alias in lowered and pattern.search(lowered):
            return metric, alias
    return None, None


# "did net income grow faster than net sales": two growth rates compared, which one line's change cannot decide
GROWTH_COMPARED = re.compile(r"\b(?:faster|slower|more\s+(?:quickly|slowly|rapidly)|outpac\w*|outgr[eo]w\w*)\b", re.I)


def find_segment(text: str, known_segments: tuple[str, ...] = ()) -> str | None:
    if _CONSOLIDATED.search(text):
        return None  # "total across both segments" asks for the consolidated figure
    lowered = text.lower()
    # a segment named without the filer's name it starts with ("Parks, Experiences and Products" for "Disney Parks,
    # Experiences and Products") is that segment, not a shorter one inside the words ("Products")
    names = [(segment, segment) for segment in known_segments]
    names += [(segment.split(" ", 1)[1], segment) for segment in known_segments if len(segment.split()) >= 4]
    for said, segment in sorted(names, key=lambda pair: len(pair[0]), reverse=True):
        if said.lower() in lowered:
            return segment
    m = _SEGMENT_RE.search(text)
    if m:
        name = re.sub(r"^(?:The|Our|In|For|Of)\s+", "", m.group(1)).strip()
        return name or None
    return None


# A named filer's ("Apple's") or a place ("in Japan"): "What is <metric> ..." then asks for a figure.
_QUALIFIED = re.compile(r"\b[A-Z][\w&.-]*['’]s\b|\b(?:in|for|from)\s+(?:the\s+)?[A-Z][a-z]")


def _asked_sentence(text: str) -> str:
    """The sentence that asks, after any that set it up: "Analysts flag a current ratio below 1.0. Is ...?"."""
    sentences = re.split(r"(?<=[.!])\s+(?=[A-Z])", text.strip())
    return next((s for s in reversed(sentences) if s.rstrip().endswith("?")), sentences[-1])


def asks_yes_no(text: str) -> bool:
    """The question is answered yes or no ("Did ...?", "In 2023, was ...?", "Analysts flag ... . Is ...?")."""
    return bool(_YESNO.match(text) or _YESNO.match(_asked_sentence(text)))


def classify_intent(text: str) -> str:
    if _WHY.search(text):
        return "why"
    if _POLICY.search(text):
        return "policy"
    if re.match(r"^\s*who\b", text, re.I):
        return "who"
    if _HOW_MUCH_CHANGE.search(text) or (_CHANGE.search(text) and re.search(r"\bhow much\b|\bby how\b|\bwhat was the\b|\bwhat is the\b|^\s*(?:change|increase|decrease)\b", text, re.I)):
        return "change_percent" if _PERCENT.search(text) else "change"
    if _PERCENT.search(text) and _CHANGE.search(text):
        return "change_percent"
    if asks_yes_no(text):
        return "yesno"
    if _DEFINITION.search(text) and not re.search(r"\bwhat (?:was|were) (?:the )?(?:total|amount)\b", text, re.I):
        metric, _ = find_metric(text)
        # "What is total revenue for Q3?", "What is the company's revenue in Japan?" ask for a value (a period, a
        # whose or a where makes it a figure); "What is included in cost of revenue?" asks for a definition.
        qualified = parse_period_intent(text) != PeriodIntent() or _QUALIFIED.search(text)
        if not (re.match(r"^\s*what (?:is|are|was|were)\b", text, re.I) and metric and qualified) \
                or re.search(r"\bconsists? of\b|\binclude|\bcomprised?\b|\bmade? up\b|\bmakes? up\b|\bdefin|\bmean\b|\brelates? to\b|\brepresents?\b", text, re.I):
            return "definition"
    if _CHANGE.search(text) and re.search(r"\bhow\b|\bwhat\b", text, re.I):
        return "change"
    if _VALUE.search(text):
        return "value"
    return "other"


# A question also says it with a particle: "go up", "was down".
_ASKED_UP = words_pattern(UP_WORDS | {"up"})
_ASKED_DOWN = words_pattern(DOWN_WORDS | {"down"})


# A loss asked by its size: "did the operating loss widen" asks whether the signed figure fell.
_LOSS_ASKED = re.compile(r"\bloss(?:es)?\b(?!\s+(?:on|from|of|for)\b)", re.I)
_LOSS_GREW = re.compile(r"\b(?:widen(?:ed|s)?|deepen(?:ed|s)?)\b", re.I)
_LOSS_SHRANK = re.compile(r"\bnarrow(?:ed|s)?\b", re.I)


def _direction(text: str) -> str | None:
    # (only a yes/no question is decided by the signed figures; a why-question's words are matched as written)
    loss = asks_yes_no(text) and bool(_LOSS_ASKED.search(text)) and not re.search(
        r"\bprofit|\bincome\b|\bearnings\b", text, re.I)
    if loss and _LOSS_GREW.search(text):
        return "decrease"
    if loss and _LOSS_SHRANK.search(text):
        return "increase"
    if _ASKED_UP.search(text):
        return "decrease" if loss else "increase"
    if _ASKED_DOWN.search(text):
        return "increase" if loss else "decrease"
    return None


_METRIC_WORDS = frozenset(w for aliases in METRICS.values() for alias in aliases for w in re.findall(r"[a-z]+", alias)
                          if len(w) >= 4)


def _one_edit_apart(a: str, b: str) -> bool:
    """One letter added, dropped or changed ("incme" / "income", "margn" / "margin")."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def respelled(text: str) -> str:
    """The text with each word one letter away from exactly one word of the metric vocabulary put right ("net incme"
    -> "net income"); words of four letters or fewer, and words the vocabulary has, are left as they are."""
    def fix(m: re.Match) -> str:
        word = m.group(0)
        low = word.lower()
        if len(low) <= 4 or low in _METRIC_WORDS:
            return word
        near = [w for w in _METRIC_WORDS if _one_edit_apart(low, w)]
        return near[0] if len(near) == 1 else word
    return re.sub(r"[A-Za-z]+", fix, text)


# Where the question says to look ("Respond using the cash flow statement", "per the balance sheet"): it names no
# metric ("cash flow" is no cash figure asked) and no row.
WHERE_TO_LOOK = re.compile(r"\b(?:respond|answer)\s+using\s+[^.?;]*|\b(?:from|per|using|according\s+to|in|on)\s+"
                           r"(?:the|its)\s+(?:[\w-]+\s+){0,3}?(?:statements?|balance\s+sheets?)\b", re.I)


def parse_question(text: str, known_segments: tuple[str, ...] = ()) -> Question:
    """Take a question apart. Abbreviations are matched as written ("G&A") and in full; a misspelt metric word one
    letter from the vocabulary ("net incme") is read as meant."""
    clean = " ".join(text.split())
    segment = find_segment(clean, known_segments)
    # Match the metric outside the segment's name ("Web Services revenue" is revenue, not service revenue).
    metric_scope = re.sub(re.escape(segment), " ", clean, flags=re.I) if segment else clean
    metric_scope = WHERE_TO_LOOK.sub(" ", metric_scope)
    metric, metric_text = find_metric(metric_scope)
    if metric is None:
        metric, metric_text = find_metric(respelled(metric_scope))
    if metric is None:
        for abbr, words in ABBREVIATIONS.items():
            if re.search(rf"(?<![\w&]){re.escape(abbr)}(?![\w&])", clean.lower()):
                metric, metric_text = find_metric(words)
                if metric:
                    break
    intent = classify_intent(clean)
    if intent == "other" and metric:
        intent = "value"  # a bare noun phrase such as "FY2022 net sales" asks for the figure
    return Question(
        text=clean,
        intent=intent,
        metric=metric,
        metric_text=metric_text,
        segment=segment,
        consolidated=bool(_CONSOLIDATED.search(clean)),
        period=parse_period_intent(clean),
        direction=_direction(clean),
    )
