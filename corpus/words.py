"""One vocabulary of words for every layer: finance abbreviations, stop words, content words, coverage.

Retrieval, the answer steps and the reader's checks all ask "which words of the question does this passage
contain?"; they use these functions so they count the same content words.
"""
from __future__ import annotations

import re
from typing import Sequence

# Abbreviation -> words the filings use. Matched case-insensitively on word boundaries.
ABBREVIATIONS: dict[str, str] = {
    "g&a": "general and administrative expenses",
    "sg&a": "selling, general and administrative expenses",
    "r&d": "research and development expenses",
    "s&m": "sales and marketing selling and marketing expenses",
    "cogs": "cost of goods sold cost of revenue cost of sales",
    "eps": "earnings per share",
    "ebitda": "EBITDA earnings before interest taxes depreciation and amortization",
    "adj. ebitda": "adjusted EBITDA",
    "capex": "capital expenditures purchases of property and equipment",
    "opex": "operating expenses",
    "pp&e": "property, plant and equipment",
    "fcf": "free cash flow",
    "yoy": "year over year compared to the prior year",
    "qoq": "quarter over quarter compared to the prior quarter",
    "d&a": "depreciation and amortization",
    "nol": "net operating loss",
    "ar": "accounts receivable",
    "a/r": "accounts receivable",
    "ap": "accounts payable",
    "a/p": "accounts payable",
    "sbc": "share-based compensation stock-based compensation",
    "arr": "annual recurring revenue",
    "mrr": "monthly recurring revenue",
    "rpo": "remaining performance obligations",
    "gaap": "GAAP generally accepted accounting principles",
    "roe": "return on equity",
    "roic": "return on invested capital",
    "ytd": "year to date",
    "mda": "management's discussion and analysis",
    "md&a": "management's discussion and analysis",
    "10k": "10-K annual report",
    "10q": "10-Q quarterly report",
    "ceo": "chief executive officer",
    "cfo": "chief financial officer",
    "nii": "net interest income",
    "bps": "basis points",
    "ipo": "initial public offering",
    "m&a": "mergers and acquisitions",
    "rev": "revenue",
    "h1": "first half six months",
    "h2": "second half",
    "q1": "first quarter three months",
    "q2": "second quarter three months",
    "q3": "third quarter three months",
    "q4": "fourth quarter three months",
}

# A question's everyday word -> the words filings print for the same figure ("R&D spending" is "R&D expenses");
# any one of them counts. Kept to pairs that always mean the same line: "sales" and "revenue" are not one
# ("automotive sales revenue" is a line beside "automotive leasing revenue").
WORD_SYNONYMS: dict[str, tuple[str, ...]] = {
    "spending": ("expense", "cost", "expenditure"),
    "spend": ("expense", "cost", "expenditure"),
    "profit": ("income", "earnings"),
    "earnings": ("income",),
    # Filings count people as "headcount" or "workforce" as often as "employees".
    "employees": ("headcount", "workforce"),
}

# Which way a figure moved, in the words questions and filings say it with (verbs, nouns and comparatives): the
# question's direction and a sentence's are read from the same lists.
UP_WORDS = frozenset({"increase", "increased", "increases", "rise", "rose", "risen", "rises", "grow", "grew", "grown",
                      "grows", "growth", "climbed", "improved", "jump", "jumped", "higher"})
DOWN_WORDS = frozenset({"decrease", "decreased", "decreases", "fall", "fell", "fallen", "falls", "decline", "declined",
                        "declines", "drop", "dropped", "drops", "reduction", "lower"})


def direction_of(word: str) -> str | None:
    """"rose" -> "increase", "declines" -> "decrease", else None."""
    low = word.lower()
    return "increase" if low in UP_WORDS else "decrease" if low in DOWN_WORDS else None


def words_pattern(words: frozenset[str] | Sequence[str]) -> re.Pattern[str]:
    """Any of `words`, whole, in any case (longest first, so "increased" is not read as "increase")."""
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")\b", re.I)


# The words of a company's legal form, which people leave out when they name it ("Apple Inc." is Apple).
LEGAL_FORMS = ("incorporated", "inc", "corporation", "corp", "company", "co", "limited", "ltd", "plc", "llc", "l.p",
               "lp", "n.v", "s.a", "holdings", "holding", "group")
LEGAL_FORM = "|".join(re.escape(w) for w in sorted(LEGAL_FORMS, key=len, reverse=True))  # a regex alternation

# Words that make a row label a place (a geographic breakdown's member): continents, regions, the usual countries
# and the words filers build regions from ("International", "Rest of Asia Pacific", "Outside the U.S.").
GEOGRAPHY = re.compile(
    r"\b(?:americas?|north|south|latin|central|europe\w*|emea|apac|apj|asia|pacific|africa|middle\s+east|china|"
    r"japan|india|korea|taiwan|singapore|australia|canada|mexico|brazil|germany|france|united\s+(?:states|kingdom)|"
    r"u\.?\s?s\.?|u\.?k\.?|international|domestic|foreign|worldwide|rest\s+of|other\s+countries|outside|"
    r"western|eastern|nordics?|benelux|greater)\b", re.I)

# Function words: never content.
STOP_WORDS = frozenset({
    "a", "an", "the", "of", "in", "on", "for", "to", "and", "or", "is", "are", "was", "were", "be", "been", "did", "do",
    "does", "what", "which", "who", "whom", "how", "why", "when", "where", "much", "many", "by", "with", "as", "at",
    "from", "it", "its", "their", "this", "that", "these", "those", "there", "any", "has", "have", "had", "about",
    "our", "we", "us", "they", "them", "his", "her", "into", "than", "then", "such", "other", "each", "all", "also",
    "primarily", "mainly", "principally", "generally", "typically", "usually", "typical", "not", "no", "can", "may",
    "company", "company's", "companys", "filing", "report", "during", "between", "within", "under", "after", "before",
})
# Words that frame a figure question (its period, its direction, "total amount") rather than name its subject:
# a passage need not repeat them to be about the question.
FRAME_WORDS = frozenset({
    "q1", "q2", "q3", "q4", "quarter", "year", "months", "month", "three", "six", "nine", "twelve", "ended", "period",
    "fiscal", "total", "amount", "value", "rise", "rose", "fall", "fell", "increase", "decrease", "increased",
    "decreased", "change", "changed", "go", "up", "down", "get", "so", "far",
})
# What a figure question shares with any row label without saying which row it means.
LABEL_STOP_WORDS = frozenset({
    "the", "and", "for", "was", "were", "what", "how", "much", "did", "does", "that", "with", "from", "total", "ended",
    "months", "three", "six", "nine", "twelve", "quarter", "year", "fiscal", "company", "its", "our",
})
_WORD = re.compile(r"[A-Za-z][A-Za-z&'’/-]*[A-Za-z&]|[A-Za-z]")


def normalize_word(word: str) -> str:
    """Lower case, no possessive, American spelling: "Company’s" -> "company", "recognised" -> "recognized"."""
    w = word.lower().replace("’", "'")
    w = re.sub(r"'s$", "", w)
    return re.sub(r"is(e|ed|es|ing)$", r"iz\1", w)


def content_words(text: str, drop: frozenset[str] = frozenset()) -> list[str]:
    """The words of `text` that carry meaning, normalised, in order (abbreviations kept: "g&a", "cfo")."""
    words = [(w.lower(), normalize_word(w)) for w in _WORD.findall(text) if len(w) > 1]
    return [norm for low, norm in words if low not in STOP_WORDS and low not in drop and norm not in drop]


def stem(word: str) -> str:
    """A prefix that matches the word's inflections ("recognized" ~ "recognition", "expenses" ~ "expense")."""
    return word[:5] if len(word) > 5 else word


def singular_stems(text: str) -> set[str]:
    """Words of a row label or figure question, three letters or more, plural -s dropped ("licenses" ~ "license").

    Row labels are short and nearly every word tells rows apart ("Other", "Net", "increase (decrease)"), so only
    `LABEL_STOP_WORDS` are dropped here, not the full stop list.
    """
    words = {w for w in re.findall(r"[a-z]{3,}", _normalize_text(text)) if w not in LABEL_STOP_WORDS}
    return {w[:-1] if w.endswith("s") and not w.endswith("ss") and len(w) > 4 else w for w in words}


def _normalize_text(text: str) -> str:
    return re.sub(r"is(e|ed|es|ing)\b", r"iz\1", " ".join(text.lower().replace("’", "'").split()))


def coverage(words: Sequence[str], text: str, *, abbreviations: bool = False) -> float:
    """Share of `words` whose stem starts a word of `text` (plurals and inflections count).

    With `abbreviations`, "g&a" also counts when `text` spells out "general and administrative".
    """
    if not words:
        return 1.0
    lowered = _normalize_text(text)
    hit = 0
    for w in words:
        if re.search(rf"(?<![a-z]){re.escape(stem(w))}", lowered):
            hit += 1
        elif abbreviations and w in ABBREVIATIONS:
            expansion = [x for x in re.findall(r"[a-z]+", ABBREVIATIONS[w].lower()) if x not in STOP_WORDS]
            if expansion and sum(stem(x) in lowered for x in expansion) >= max(1, round(len(expansion) * 2 / 3)):
                hit += 1
        elif abbreviations and any(re.search(rf"(?<![a-z]){stem(x)}", lowered) for x in WORD_SYNONYMS.get(w, ())):
            hit += 1
    return hit / len(words)
