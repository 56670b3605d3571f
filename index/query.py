"""Query understanding for retrieval: query expansion (abbreviations, verbs filings use) and company names.

Pure functions. The vocabulary itself (abbreviations, period intent) lives in `corpus/`, shared with qa/.
"""
from __future__ import annotations

import re

from corpus.words import ABBREVIATIONS, LEGAL_FORM, WORD_SYNONYMS

_VERB_SYNONYMS = {
    "rise": "increase", "rose": "increased", "grow": "increase", "grew": "increased", "jump": "increase",
    "up": "increased", "fall": "decrease", "fell": "decreased", "drop": "decrease", "dropped": "decreased",
    "decline": "decrease", "declined": "decreased", "down": "decreased", "go up": "increase", "go down": "decrease",
}
_ABBR_RE = re.compile(r"(?<![\w&/])(" + "|".join(sorted(map(re.escape, ABBREVIATIONS), key=len, reverse=True)) + r")(?![\w&/])", re.I)
_SYNONYM_RE = re.compile(r"\b(" + "|".join(sorted(map(re.escape, WORD_SYNONYMS), key=len, reverse=True)) + r")\b", re.I)
_VERB_RE = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _VERB_SYNONYMS), key=len, reverse=True)) + r")\b", re.I)


def expand_query(query: str) -> str:
    """The query with expansions appended, so both the abbreviation and its words can match."""
    additions: list[str] = []
    for m in _ABBR_RE.finditer(query):
        words = ABBREVIATIONS[m.group(1).lower()]
        if words.lower() not in query.lower() and words not in additions:
            additions.append(words)
    if re.match(r"\s*(?:why|what (?:drove|caused|explains))\b", query, re.I) or re.search(r"\b(?:drivers?|reasons?)\b", query, re.I):
        additions.append("primarily due to")  # how filings word explanations
    for m in _VERB_RE.finditer(query):
        word = _VERB_SYNONYMS[m.group(1).lower()]
        if word not in additions:
            additions.append(word)
    for m in _SYNONYM_RE.finditer(query):  # the words filings print for the question's everyday word
        for word in WORD_SYNONYMS[m.group(1).lower()]:
            if word not in additions and word not in query.lower():
                additions.append(word)
    return f"{query} ({'; '.join(additions)})" if additions else query


# Words of a registrant's name that people leave out when they name it.
_DROPPED_WORDS = frozenset({"communications", "international", "platforms", "technologies", "technology", "holdings",
                            "systems", "industries", "enterprises", "brands", "worldwide", "global", "incorporated"})


def company_key(company: str | None) -> str:
    """One key per company, however its filings spell it: "McDonald's Corporation" and "Mcdonalds" (a PDF's name)
    are both "mcdonalds"; "The Coca-Cola Company" and "Coca Cola Co" both "cocacola"."""
    name = re.sub(r"['’]", "", (company or "").lower())
    name = re.sub(rf"\b(?:{LEGAL_FORM}|the)\b", " ", name)
    return re.sub(r"[^a-z0-9]", "", name) or (company or "").lower()


def company_aliases(company: str | None, doc_id: str, ticker: str | None = None) -> set[str]:
    """Lower-case names a question might use for a filer: "apple", "foot locker", "footlocker", "coca-cola",
    "procter and gamble", "p&g", and its ticker ("aapl")."""
    aliases: set[str] = set()
    if company:
        name = re.sub(r"['’]", "", company.lower())
        name = re.sub(rf"\b(?:{LEGAL_FORM}|the)\b|[,.]", " ", name)
        name = re.sub(r"\s+", " ", name).strip()
        if name:
            # The whole name, glued ("foot locker" / "footlocker") and hyphenated ("coca cola" / "coca-cola"); a first
            # word alone is too ambiguous ("boston", "foot"), so a multi-word name is not shortened, unless the rest
            # is a corporate word people drop ("Verizon Communications" is "Verizon", "Honeywell International"
            # "Honeywell").
            for variant in {name, name.replace(" & ", " and "), name.replace(" and ", " & ")}:
                aliases |= {variant, variant.replace(" ", ""), variant.replace(" ", "-")}
            words = [w for w in re.split(r"\s+|&", name.replace(" and ", " & ")) if w]
            if len(words) >= 2 and all(w in _DROPPED_WORDS for w in words[1:]):
                aliases.add(words[0])
            if "&" in name or " and " in name and len(words) == 2:
                aliases.add("&".join(w[0] for w in words))  # "p&g", "j&j"
    if ticker and len(ticker) >= 3 and ticker.isalpha():
        aliases.add(ticker.lower())
    stem = doc_id.split("-")[0]
    if len(stem) >= 3:
        aliases.add(stem)
    return {a for a in aliases if len(a) >= 3 and a not in {"the", "first", "new", "american", "general", "united"}}


def mentioned_companies(query: str, aliases_by_doc: dict[str, set[str]]) -> set[str]:
    """doc_ids whose filer the query names (empty when it names none)."""
    lowered = query.lower()
    variants = (re.sub(r"[’']s\b", "", lowered), re.sub(r"[’']", "", lowered))
    # A capitalised possessive that starts a glued filer name ("Ulta's" for "ultabeauty") names it too; a bare
    # word does not ("office rents in Boston" is not Boston Properties).
    proper = {w.lower() for w in re.findall(r"\b([A-Z][A-Za-z&]{3,})['’]s\b", query)}
    hits = set()
    for doc_id, aliases in aliases_by_doc.items():
        if any(re.search(rf"(?<![\w]){re.escape(a)}(?![\w])", q) for a in aliases for q in variants):
            hits.add(doc_id)
        elif any(a.startswith(w) and " " not in a and len(a) > len(w) for a in aliases for w in proper):
            hits.add(doc_id)
    return hits
