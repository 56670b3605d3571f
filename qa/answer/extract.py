"""From retrieved passages to a short extractive answer, without the reader or before trusting it.

Three pure tools the pipeline combines:

- `answer_type(question)`: what kind of text answers it ("date", "duration", "frequency", "place", "count",
  "amount", "entity", "clause") and `fits_type(text, kind)` to check a candidate span against it;
- `extract(question, passages)`: a deterministic extractor for questions whose answer a filing states in a
  regular form ("X consists primarily of ...", "X is recognized when ...", "We define X as ...", "the
  OTCQX marketplace", "within 30-60 days"). It returns an `Extract` (passage, answer offsets, sentence offsets)
  or None, in which case the reader answers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence

from corpus.periods import MONTH_NAME
from corpus.sentences import split_spans
from corpus.words import STOP_WORDS, content_words, coverage, normalize_word, stem

_ADVERBS = r"(?:primarily|mainly|principally|generally|typically|usually|largely|also|currently|initially|then)"
_MONTH = MONTH_NAME
_NUMBER_WORD = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|eighteen|twenty|thirty|forty|" \
               r"forty-five|fifty|sixty|ninety|hundred)(?:-[a-z]+)?"
_QUANTITY = rf"(?:\d[\d,.]*|{_NUMBER_WORD})"
_TYPE_PATTERNS = {
    "date": re.compile(rf"\b{_MONTH}\s+\d{{1,2}},?\s+(?:19|20)\d\d\b|\b{_MONTH}\s+(?:19|20)\d\d\b|\b(?:19|20)\d\d\b"),
    "duration": re.compile(rf"\b{_QUANTITY}(?:\s*(?:-|–|to|or|and)\s*{_QUANTITY})?[\s-]+(?:days?|weeks?|months?|years?|quarters?)\b",
                           re.I),
    "frequency": re.compile(r"\b(?:on an? |on a )?(?:monthly|quarterly|annual|annually|yearly|weekly|daily|semi-annual(?:ly)?)"
                            r"(?: basis)?\b|\b(?:each|every|per|once a) (?:month|quarter|year|week|day)\b", re.I),
    "place": re.compile(r"\b\d+\s+(?:[NSEW]\.?\s+)?[A-Z0-9][\w.]*(?:\s+[A-Z][\w.]*)*,\s*[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*,\s*[A-Z]{2}\s*\d{5}\b"
                        r"|\b(?<=in )[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*,\s*(?:[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*|[A-Z]{2})\b"),
}
_AMOUNT = re.compile(r"\$\s?\(?\d|\d\s?%|\bpercent\b")
_NUMBER = re.compile(r"\d")
_BARE_FIGURE = r"[\s$€£(),.%\d-]*(?:million|billion|thousand|percent)?[\s)%]*"
# "12%", "$220.8, or 16 percent": figures, however joined, are no words
_BARE_NUMBER = re.compile(rf"^{_BARE_FIGURE}(?:,?\s*(?:or|and)\s+{_BARE_FIGURE})?$", re.I)

# Irregular past forms filings use for verbs questions ask in the present ("What pledge did it take?" / "took").
_IRREGULAR = {"take": "take|takes|took|taken|taking", "make": "make|makes|made|making", "buy": "buy|buys|bought|buying",
              "sell": "sell|sells|sold|selling", "pay": "pay|pays|paid|paying", "hold": "hold|holds|held|holding",
              "give": "give|gives|gave|given|giving", "have": "have|has|had|having", "carry": "carry|carries|carried|have|has|had",
              "get": "get|gets|got|gotten", "let": "let|lets|allow|allows|allowing|enable|enables",
              "do": "do|does|did|done", "begin": "begin|begins|began|begun"}
# A question's predicate and the other ways filings state the same relation.
_SYNONYMS = {
    "consist": ("consist", "comprise", "include", "made up of", "composed of"), "make": ("consist", "comprise", "include"),
    "include": ("include", "consist"), "comprise": ("comprise", "consist", "include"),
    "represent": ("represent", "defined as"), "mean": ("mean", "defined as", "represent", "refer to"),
    "relate": ("relate", "attributable"), "attributable": ("attributable", "relate", "due"),
    "calculate": ("calculat", "comput", "equal to", "defined as"), "compute": ("comput", "calculat", "equal to"),
    "determine": ("determin", "calculat", "estimat"), "define": ("define",),
    # "How does X value its inventory?" / "Inventories are stated at the lower of cost or net realizable value."
    "value": ("value", "are stated at", "is stated at", "are carried at", "is carried at", "are measured at",
              "is measured at", "are recorded at", "is recorded at"),
}
# Verbs questions about filings use; a question word outside this list is taken as a verb only when it ends the
# question or is a participle after "is/are" ("How is X recognized?"), so nouns such as "revenue" are not.
_VERBS = {
    "account", "acquire", "adopt", "allocate", "allow", "amortize", "apply", "assess", "bill", "buy", "calculate", "carry",
    "cause", "charge", "classify", "collect", "comprise", "compute", "consist", "contain", "cover", "define", "depreciate",
    "derive", "describe", "determine", "disclose", "do", "earn", "end", "enter", "establish", "estimate", "evaluate", "exclude",
    "expire", "mature", "begin", "start",
    "expect", "fund", "generate", "give", "hold", "include", "incur", "intend", "invest", "issue", "lease", "let", "mean",
    "measure", "offer", "operate", "own", "pay", "plan", "present", "provide", "purchase", "receive", "recognize", "record",
    "recover", "reflect", "relate", "report", "represent", "require", "sell", "take", "test", "treat", "use", "value",
}
_FIGURE_NOUNS = r"(?:amount|price|percentage|percent|number|value|total|rate|cost|balance|sum|level|figure|share|portion|proceeds|year|fy|fiscal|period|quarter|month|date|day)s?\b"
_AUX = r"(?:is|are|was|were|does|do|did|has|have|had|can|will|would)"
_COMPANY_WORDS = {"we", "our", "us", "company", "company's", "companys"}


@dataclass(frozen=True)
class Extract:
    """An answer found in `passages[passage_index]`: `[start:end]` the answer, `[sentence_start:sentence_end]` its sentence."""

    passage_index: int
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    score: float


# ------------------------------------------------------------------------------------------------ answer types

def names_a_thing(question: str) -> bool:
    """"What does X generate revenue from?", "In which release did X report ...?": the answer is a thing, not a figure."""
    from qa.question import find_metric

    q = " ".join(question.lower().split())
    m = re.match(rf"^\s*(?:what|which)\s+(?:does|do|did)\b|^\s*(?:(?:in|from|of|at|by|to|with|under|on)\s+)?(?:which|what)\s+"
                 rf"((?!{_FIGURE_NOUNS})[a-z][\w-]*(?:\s+(?!{_FIGURE_NOUNS})[a-z][\w-]*)?)\s+{_AUX}\b", q)
    # "What operating income did ... report": a metric is a figure, not a thing
    return bool(m) and not (m.group(1) and find_metric(m.group(1))[0])


def answer_type(question: str, intent: str | None = None, metric: str | None = None) -> str | None:
    """The kind of text that answers `question`, or None when any text may."""
    q = " ".join(question.lower().split())
    thing = names_a_thing(q)
    if re.match(r"^\s*when\b", q):
        # "When is revenue recognized?" / "When does the company record ...?" ask for a condition; "When did ...?" a date.
        return "clause" if re.match(r"^\s*when\s+(?:is|are|does|do|should|can|may)\b", q) else "date"
    if re.search(r"\bhow often\b|\bhow frequently\b", q):
        return "frequency"
    if re.search(r"\bhow long\b|\b(?:term|length|duration) of\b|\bwhat (?:is|was) the (?:\w+ )?(?:term|length|duration)\b"
                 r"|^\s*(?:over|for|during)\s+(?:what|which|how\s+many)\s+(?:period|years|months|term)\b", q):
        return "duration"
    if re.match(r"^\s*where\b", q):
        return "place"
    if re.search(r"\bhow many\b", q):
        return "count"
    if re.match(r"^\s*who\b", q):
        return "entity"
    if re.search(r"\bhow (?:much|large|big|high)\b", q) or intent in ("change", "change_percent"):
        return "amount"
    if intent == "value" and not thing:
        return "amount" if metric else None
    if intent in ("definition", "policy", "why"):
        return "clause"
    return None


def fits_type(text: str, kind: str | None) -> bool:
    """Whether a candidate answer is of the expected kind ("12%" does not answer "What does backlog represent?")."""
    if kind is None:
        return True
    if kind in _TYPE_PATTERNS:
        return bool(_TYPE_PATTERNS[kind].search(text))
    if kind == "amount":
        return bool(_NUMBER.search(text))
    if kind == "count":
        return bool(_NUMBER.search(text)) and not _AMOUNT.search(text)
    # entity / clause: words, not a bare figure
    return not _BARE_NUMBER.match(text) and bool(re.search(r"[A-Za-z]{2,}", text))


# A range's second figure after a span that is the first: "$2.2| and $2.4 billion", "13,000| to 18,000".
_RANGE_TAIL = re.compile(r"\s*(?:and|to|through|-|–)\s*\$?\s?\d[\d,.]*\d?(?:\s*(?:trillion|billion|million|thousand|percent|%))?")
_PLAIN_FIGURE = re.compile(r"\(?\$?\s?\d[\d,.]*\)?$")
_SCALE_TAIL = re.compile(r"\s*(?:trillion|billion|million|thousand)\b")


def range_end(text: str, start: int, end: int, hi: int) -> int:
    """Where a figure span ends: one ending on a bare figure (no scale or unit) followed by "and/to <figure> <scale>"
    is a range's first half, and the half alone misreads it ("$2.2" of "$2.2 and $2.4 billion"); one followed by its
    scale word takes it ("$2.2" of "$2.2 billion"). `end` otherwise."""
    last = _PLAIN_FIGURE.search(text[start:end].rstrip())  # the span ends on a bare figure ("Between $2.2")
    if last is None or re.fullmatch(r"(?:19|20)\d\d", last.group(0).strip()):  # a year is no amount
        return end
    tail = _RANGE_TAIL.match(text, end, hi) or _SCALE_TAIL.match(text, end, hi)
    return tail.end() if tail else end


def typed_expression_at(text: str, start: int, end: int, lo: int, hi: int, kind: str | None) -> tuple[int, int] | None:
    """The whole expression of the asked type ("November 12, 2019", "13.0 years") in text[lo:hi] that overlaps
    [start, end): a reader's span may start inside a date ("2019, the Ninth Circuit ...") or run past it. None when
    the kind has no pattern or nothing overlaps."""
    pattern = _TYPE_PATTERNS.get(kind or "")
    if pattern is None:
        return None
    return next(((m.start(), m.end()) for m in pattern.finditer(text, lo, hi) if m.start() < end and m.end() > start),
                None)


# ------------------------------------------------------------------------------------------------ words

def verb_pattern(verb: str) -> str:
    """A regex for the inflections of `verb` ("recognized" -> recognize/recognizes/recognised/recognizing ...)."""
    v = normalize_word(verb)
    if v in _IRREGULAR:
        return rf"\b(?:{_IRREGULAR[v]})\b"
    base = v
    if base.endswith("ied") and len(base) > 4:
        base = base[:-3] + "y"
    elif base.endswith("ies") and len(base) > 4:
        base = base[:-3] + "y"
    if base.endswith("y"):
        return rf"\b{re.escape(base[:-1])}(?:y|ies|ied|ying)\b"
    for suffix in ("ing", "ed", "es", "s", "e", "d"):
        if base.endswith(suffix) and len(base) - len(suffix) >= 3 and not base.endswith("ss"):
            base = base[: -len(suffix)]
            break
    if len(base) > 3 and base[-1] == base[-2] and base[-1] in "lmnprt":
        base = base[:-1] + f"{base[-1]}?"  # "billed" / "bill", "committed" / "commit"
    body = re.escape(base).replace("iz", "i[sz]").replace(r"\?", "?")
    return rf"\b{body}(?:e|es|s|ed|d|ing|ting|ling)?\b"


def _predicate_patterns(verb: str) -> list[str]:
    key = normalize_word(verb)
    for lemma, forms in _SYNONYMS.items():
        if re.fullmatch(verb_pattern(lemma).replace(r"\b", ""), key) or key.startswith(lemma):
            return [verb_pattern(f) if " " not in f else rf"\b{f}\b" for f in forms]
    return [verb_pattern(verb)]


# ------------------------------------------------------------------------------------------------ the extractor

@dataclass(frozen=True)
class _Form:
    """A question rewritten as the statement that would answer it: subject, verb choices, the words after the verb."""

    subject: tuple[str, ...]
    verbs: tuple[str, ...]  # regexes
    rest: tuple[str, ...]  # content words after the verb in the question ("recurring revenue from")
    rest_raw: str
    noun: str | None = None  # "which marketplace": the answer is a noun phrase ending in it
    definition: bool = False  # "What is X?": "X, an ...", "define X as ...", "X is ..."
    company_subject: bool = False


def _forms(question: str, intent: str | None) -> list[_Form]:
    """Candidate statement forms of a question (several when the verb is ambiguous)."""
    q = " ".join(question.strip().rstrip("?").split())
    forms: list[_Form] = []
    # "From which marketplace did X uplist ...", "What pledge did the company take ...", "Which acquisition is X from"
    m = re.match(rf"^(?:(?:in|from|of|at|by|to|with|under|on)\s+)?(?:which|what)\s+([a-z][\w-]*(?:\s+[a-z][\w-]*)?)\s+{_AUX}\s+(.+)$", q, re.I)
    if m and not re.match(rf"^(?:(?:is|are|was|were|kinds?|types?|does|do|did)\b|{_FIGURE_NOUNS})", m.group(1), re.I):
        noun = m.group(1).split()[-1]
        if noun:
            body = content_words(m.group(2))
            forms.append(_Form(subject=tuple(content_words(m.group(1))[:-1]) + tuple(body), verbs=(), rest=(), rest_raw="",
                               noun=" ".join(m.group(1).split()[-2:]) if len(m.group(1).split()) == 2 else noun))
            return forms
    # "What is CrexMo?" / "What is Adjusted EBITDA?"
    m = re.match(r"^what\s+(?:is|are)\s+(.+?)(?:\s+(?:in|for|under|within)\s+(?:the\s+)?(?:[A-Z][\w&.-]*(?:'s|’s)|its|our|the\s+company'?s)\s.*)?$", q, re.I)
    if m and len(m.group(1).split()) <= 4 and not re.search(r"\b(?:attributable|related|due|included|used|based|equal)\b", m.group(1), re.I):
        subject = re.sub(r"^(?:the|an?)\s+", "", m.group(1), flags=re.I)
        forms.append(_Form(subject=tuple(content_words(subject)), verbs=(), rest=(), rest_raw=subject, definition=True))
        return forms
    # "What makes up X?"
    m = re.match(r"^what\s+(?:makes?\s+up|comprises|constitutes)\s+(.+)$", q, re.I)
    if m:
        forms.append(_Form(subject=tuple(content_words(m.group(1))), verbs=tuple(_predicate_patterns("consist")), rest=(), rest_raw=""))
        return forms
    # "What does X consist of", "How does X define Y", "When did X enter into Y", "How is X recognized", "What are X attributable to"
    m = re.match(rf"^(?:what|how|when|where)(?:\s+(?:often|long|much|many))?\s+({_AUX})\s+(.+)$", q, re.I)
    if not m:
        return forms
    # After "is/are" the predicate is a participle or adjective ("recognized", "attributable"); after "does" any verb.
    copula = m.group(1).lower() in ("is", "are", "was", "were")
    words = m.group(2).split()
    for i in range(1, len(words)):
        verb = words[i].strip(",").lower()
        if verb in STOP_WORDS or not re.fullmatch(r"[a-z][a-z-]+", verb):
            continue
        if copula:
            if not re.search(r"(?:ed|en|able|ible)$|^(?:due|equal|based|paid|held|sold|made|set|built|bought)$", verb):
                continue
        elif not any(re.fullmatch(verb_pattern(v).replace(r"\b", ""), normalize_word(verb)) for v in _VERBS):
            continue
        subject = " ".join(words[:i])
        rest_raw = " ".join(words[i + 1:])
        forms.append(_Form(subject=tuple(content_words(subject)), verbs=tuple(_predicate_patterns(verb)),
                           rest=tuple(content_words(rest_raw)), rest_raw=rest_raw,
                           company_subject=not content_words(subject) or set(content_words(subject)) <= _COMPANY_WORDS))
    return forms


def extract(question: str, passages: Sequence[str], contexts: Sequence[str] | None = None, *, leads: Sequence[str] | None = None,
            intent: str | None = None, metric: str | None = None, company_names: Sequence[str] = ()) -> Extract | None:
    """The answer a passage states in the form the question asks about, or None.

    `contexts[i]` (section title, segment) counts as part of passage i's subject ("Web Services" above a
    paragraph that says "Research and development expenses ..."); `leads[i]` is the text just before passage i,
    what "This fee ..." at its start refers to. Earlier passages win ties. Questions that ask for a figure get None.
    """
    contexts = contexts if contexts is not None else [""] * len(passages)
    leads = leads if leads is not None else [""] * len(passages)
    kind = answer_type(question, intent, metric)
    if kind in ("amount", "count"):
        return None  # figures come from the numeric path or the reader, checked against metric and period
    names = {w for n in company_names if n for w in content_words(n)} | _COMPANY_WORDS
    best: Extract | None = None
    if kind in ("date", "duration", "frequency", "place"):
        best = _typed(question, passages, kind)
        if best is not None or kind != "date":
            return best
    if re.match(rf"^\s*{_AUX}\b", question, re.I):
        return _statement(question, passages, names)
    forms = [_with_company(f, names) for f in _forms(question, intent)]
    for p, passage in enumerate(passages):
        context = contexts[p] if p < len(contexts) else ""
        spans = split_spans(passage)
        for k, (a, b) in enumerate(spans):
            sentence = passage[a:b]
            previous = passage[spans[k - 1][0]:spans[k - 1][1]] if k else (leads[p] if p < len(leads) else "")
            for form in forms:
                found = _match(form, sentence, previous, context, names, kind)
                if found is None:
                    continue
                score, s, e = found
                score -= 0.03 * p  # retrieval order breaks ties
                if best is None or score > best.score:
                    best = Extract(p, a + s, a + e, a, b, score)
    return best


def _with_company(form: _Form, names: set[str]) -> _Form:
    """"How does Crexendo define X?": a subject that is only the filer's name is "we" / "the Company"."""
    if form.subject and all(w in names for w in form.subject):
        return _Form(subject=(), verbs=form.verbs, rest=form.rest, rest_raw=form.rest_raw, noun=form.noun,
                     definition=form.definition, company_subject=True)
    return form


def _statement(question: str, passages: Sequence[str], names: set[str]) -> Extract | None:
    """"Is X involved in any off-balance sheet arrangements?": the sentence that states it, whole."""
    words = [w for w in content_words(question) if w not in names]
    if len(words) < 2:
        return None
    best: Extract | None = None
    for p, passage in enumerate(passages):
        for a, b in split_spans(passage):
            cover = coverage(words, passage[a:b])
            if cover >= 0.8 and (best is None or cover - 0.03 * p > best.score):
                best = Extract(p, a, b, a, b, cover - 0.03 * p)
    return best


def _typed(question: str, passages: Sequence[str], kind: str) -> Extract | None:
    """A date / duration / frequency / place stated in the sentence that best covers the question."""
    # The question's light verbs ("take", "do") are rarely in the answering sentence ("is complete within 30-60 days").
    words = [w for w in content_words(question)
             if not re.fullmatch(r"long|often|frequently|term|length|duration|where|when|take|takes|do|get|gets|make|makes|happen", w)]
    best: Extract | None = None
    for p, passage in enumerate(passages):
        for a, b in split_spans(passage):
            sentence = passage[a:b]
            m = _TYPE_PATTERNS[kind].search(sentence)
            if not m:
                continue
            cover = coverage(words, sentence)
            if cover < 0.6:
                continue
            score = cover - 0.03 * p
            if best is None or score > best.score:
                best = Extract(p, a + m.start(), a + m.end(), a, b, score)
    return best


# An imperative cross-reference: the sentence sends the reader elsewhere ("Refer to ...", "See Note 4 ...").
_POINTER = re.compile(r"\s*(?:[·•–-]\s*)?(?:please\s+)?(?:refer\s+to|see)\b", re.I)


def _match(form: _Form, sentence: str, previous: str, context: str, names: set[str], kind: str | None) -> tuple[float, int, int] | None:
    """(score, answer start, answer end) within `sentence` when it states `form`, else None."""
    names = names - _COMPANY_WORDS
    if form.noun is not None:
        return _noun_phrase(form, sentence)
    if form.definition:
        return _definition(form, sentence)
    if _POINTER.match(sentence):
        return None  # "Refer to 'Non-GAAP Financial Measures' for additional information": it points, states nothing
    for pattern in form.verbs:
        for m in re.finditer(pattern, sentence, re.I):
            before = sentence[: m.start()]
            if re.search(r"\b(?:the|a|an|its|our|their|fair|realizable|carrying|net|book)\s+$", before, re.I) \
                    and re.match(r"\s+of\b", sentence[m.end():]):
                continue  # "the net realizable value of inventory": the verb's word used as a noun
            # "This fee recovers ...": a demonstrative subject refers to the sentence before.
            subject_text = before + " " + context
            if re.match(r"\s*(?:[·•–-]\s*)?(?:this|these|such)\s", sentence, re.I) or \
                    re.search(r"\b(?:this|these|such|the)\s+\w+(?:\s+(?:is|are|was|were|has|have|had|(?:will|can|may) be))?\s*$", before, re.I):
                subject_text += " " + previous
            if m.group(0).lower().startswith(("is ", "are ")) and form.rest and coverage(form.rest, before) == 1.0:
                subject_score = 1.0  # passive: the question's object is the sentence's subject ("Inventories are stated at")
            elif form.company_subject:
                subject_score = 1.0 if re.search(r"\b(?:we|our|the company)\b", before, re.I) or any(n in before.lower() for n in names) else 0.6
            else:
                subject_score = coverage(form.subject, subject_text)
            if subject_score < 0.6:
                continue
            after = sentence[m.end():]
            # The question's words after its verb may sit anywhere ("... consist of in the Cloud segment").
            rest_score = coverage(form.rest, sentence + " " + context) if form.rest else 1.0
            if rest_score < 0.5:
                continue
            start = m.end() + _skip_rest(after, form.rest_raw)
            end = len(sentence.rstrip(" .;"))
            answer = sentence[start:end]
            if not fits_type(answer, kind if kind in ("date", "clause", "entity") else "clause"):
                continue
            if kind == "date":
                d = _TYPE_PATTERNS["date"].search(sentence)
                if not d:
                    continue
                start, end = d.start(), d.end()
            # Words of the sentence's own subject the question never mentions ("Cost of service revenue" vs
            # "service revenue") make it a different subject.
            own = content_words(re.split(r"[,;:–—(]|\b(?:which|that)\b", before)[-1])
            extra = [w for w in own if coverage([w], " ".join(form.subject) + " " + context + " " + form.rest_raw) < 1]
            return subject_score + 0.5 * rest_score - 0.2 * len(extra), start, end
    return None


def _skip_rest(after: str, rest_raw: str) -> int:
    """Offset in `after` past adverbs and the question's own words after its verb ("consist [of]", "revenue from")."""
    m = re.match(rf"\s*(?:{_ADVERBS}\s+)*", after, re.I)
    pos = m.end() if m else 0
    for word in rest_raw.split():
        m = re.match(rf"\s*(?:{_ADVERBS}\s+)*(?:the\s+|an?\s+|our\s+|its\s+)?{re.escape(stem(word.lower()))}[\w/()-]*\s*", after[pos:], re.I)
        if not m:
            break
        pos += m.end()
    return pos


def _noun_phrase(form: _Form, sentence: str) -> tuple[float, int, int] | None:
    """"the OTCQX marketplace", "our November 10, 2020 earnings press release": a named phrase ending in the noun."""
    cover = coverage(form.subject, sentence)
    if cover < 0.6:
        return None
    noun = re.escape(form.noun).replace(r"\ ", r"\s+")
    for m in re.finditer(rf"\b{noun}s?\b", sentence, re.I):
        before = sentence[: m.start()]
        d = list(re.finditer(r"\b(?:the|our|its|their|a|an|in|from|of|by)\s+", before, re.I))
        if not d:
            continue
        start = d[-1].end()
        modifiers = content_words(sentence[start:m.start()])
        if not modifiers or len(sentence[start:m.start()].split()) > 6:
            continue
        if all(coverage([w], " ".join(form.subject)) == 1 for w in modifiers):
            continue  # "the public offering" when the question says "public offering": not an answer
        return cover, start, m.end()
    return None


def _definition(form: _Form, sentence: str) -> tuple[float, int, int] | None:
    """"We define X as ...", "X is defined as ...", "X, an intelligent ...", "X represents ..."."""
    subject = r"\s+".join(re.escape(w) for w in re.sub(r"^(?:the|an?)\s+", "", form.rest_raw, flags=re.I).split())
    if not subject:
        return None
    subject = rf"[“\"']?{subject}[”\"']?"  # “unit case” means ...
    for pattern, score in ((rf"\bdefines?\s+{subject}\s+as\s+", 1.2), (rf"\b{subject}\s+(?:is|are)\s+defined\s+as\s+", 1.2),
                           (rf"\b{subject}\s+(?:represents?|means|refers to|consists? (?:primarily )?of)\s+", 1.1),
                           (rf"\b{subject},\s+(?=(?:an?|the)\s)", 1.0), (rf"\b{subject}\s+(?:is|are)\s+(?=(?:an?|the)\s)", 0.9)):
        m = re.search(pattern, sentence, re.I)
        if m:
            end = len(sentence.rstrip(" .;"))
            clause = sentence.find(";", m.end())
            end = clause if clause != -1 else end  # "...; and “unit case volume” means ...": the next term's own
            if end - m.end() < 5:
                continue
            return score, m.end(), end
    return None


# ------------------------------------------------------------------------------------------------ causes

# How filings state a reason: "X increased primarily due to Y", "because Y", "as a result of Y".
_CAUSE = re.compile(r"\b(?:(?:is|was|are|were)\s+)?(?:" + _ADVERBS + r"\s+)?(?:due\s+(?:(?:" + _ADVERBS + r")\s+)?to|because(?:\s+of)?|as\s+a\s+result\s+of|"
                    r"resulting\s+from|driven\s+by|attributable\s+to|caused\s+by|owing\s+to|on\s+account\s+of)\s+"
                    r"|\b(?:can\s+)?(?:" + _ADVERBS + r"\s+)?(?:be\s+)?attributed\s+to\s+"
                    # "The decrease is related to ...", "The increase is from ...": only after a copula
                    r"|\b(?:is|was|are|were)\s+(?:" + _ADVERBS + r"\s+)?(?:related\s+to|from)\s+", re.I)
# "The decrease is ..." / "This increase ...": the subject is named in the sentence before.
ANAPHORIC = re.compile(r"^\s*(?:the|this|these|such)\s+(?:overall\s+|net\s+|year[- ]over[- ]year\s+)?(?:increase|decrease|"
                        r"decline|change|rise|growth|reduction|drop|improvement)(?P<plural>s)?\b", re.I)
_STATES_CHANGE = re.compile(r"\b(?:increased|decreased|rose|fell|declined|grew|improved|dropped|was|were)\b", re.I)


def antecedent_start(passage: str, spans: Sequence[tuple[int, int]], k: int) -> int | None:
    """Where the change an anaphoric reason sentence refers to begins ("RL revenue in 2024 increased $250 million.
    The increase was mostly due to ..."): the sentence before, or the two before for a plural ("Gross profit margin
    increased ... for the three months ... [and] for the six months ... The increases were ..."); None when the
    sentence names its own subject or opens the passage."""
    m = ANAPHORIC.match(passage[spans[k][0]:spans[k][1]])
    if m is None or k == 0:
        return None
    start = spans[k - 1][0]
    if m.group("plural") and k >= 2 and _STATES_CHANGE.search(passage[spans[k - 2][0]:spans[k - 2][1]]):
        start = spans[k - 2][0]
    return start
# Filings say "increased" / "decreased" where questions say "rise" or "drop".
_DIRECTION = {**dict.fromkeys(("drop", "dropped", "fall", "fell", "decline", "declined", "shrink", "shrank", "lower",
                               "down", "less", "reduce", "reduced"), "decrease"),
              **dict.fromkeys(("rise", "rose", "grow", "grew", "higher", "up", "jump", "jumped", "more", "climb",
                               "climbed"), "increase")}
# "go up", "improve": a direction the guards read from the sentence's verb, not a subject word.
_VAGUE_MOVES = {"go", "goes", "went", "improve", "improved", "worsen", "worsened", "change", "changed"}
_WHY_WORDS = {"why", "reason", "reasons", "cause", "caused", "explain", "explains", "drive", "drove", "driven", "behind"}


def cause_candidates(question: str, passages: Sequence[str], contexts: Sequence[str] | None = None,
                     min_coverage: float = 0.6, accept: Callable[[int, str], bool] | None = None) -> list[Extract]:
    """Every reason a passage gives for what a why-question asks about: the clause after "due to" / "because" /
    "as a result of" in each sentence whose subject (with the passage's section title) covers the question's
    words, best first."""
    contexts = contexts if contexts is not None else [""] * len(passages)
    # The period and the direction are the guards' (`accept`) to judge; the subject's words are scored here.
    words = [_DIRECTION.get(w.lower(), w) for w in content_words(question)
             if w.lower() not in _WHY_WORDS and not _PERIOD_WORD.fullmatch(w.lower()) and w.lower() not in _VAGUE_MOVES]
    if not words:
        return []
    found: list[Extract] = []
    for p, passage in enumerate(passages):
        context = contexts[p] if p < len(contexts) else ""
        spans = split_spans(passage)
        for k, (a, b) in enumerate(spans):
            sentence = passage[a:b]
            cause = _CAUSE.search(sentence)
            if cause is None:
                continue
            # "The increase was due to ...": the claim is the change the sentence before states with this reason,
            # judged (period, subject, qualifiers) and cited as one.
            first = antecedent_start(passage, spans, k)
            claim_start = a if first is None else first
            if accept is not None and not accept(p, passage[claim_start:b]):
                continue
            # The subject sits before the connective ("The increase in trade receivables is due to ...").
            subject = passage[claim_start:a + cause.start()]
            share = coverage(words, subject + " " + context, abbreviations=True)
            if share < min_coverage:
                continue
            start = a + cause.end()
            end = b
            while end > start and passage[end - 1] in ".;, \n":
                end -= 1
            if end - start < 3:
                continue
            found.append(Extract(p, start, end, claim_start, b, share - 0.01 * p))
    found.sort(key=lambda x: -x.score)
    return found


def extract_cause(question: str, passages: Sequence[str], contexts: Sequence[str] | None = None,
                  min_coverage: float = 0.6, accept: Callable[[int, str], bool] | None = None) -> Extract | None:
    """The best reason a passage gives for what a why-question asks about (see `cause_candidates`), or None.
    For changes the filing states with figures, `qa.answer.from_facts.explain_change` answers first."""
    found = cause_candidates(question, passages, contexts, min_coverage, accept)
    return found[0] if found else None


# ------------------------------------------------------------------------------------------------ amounts in prose

_PERIOD_WORD = re.compile(r"(?:19|20)\d\d|q[1-4]|h[12]|fy\d*|three|six|nine|twelve|months?|ended|quarter|year|fiscal|"
                          r"first|second|third|fourth|half|" + _MONTH.lower().strip("(?:)"), re.I)
_PROSE_AMOUNT = re.compile(r"\$\s?\d[\d,]*(?:\.\d+)?(?:\s+(?:million|billion|thousand))?")


def extract_amount(question: str, passages: Sequence[str], min_coverage: float = 0.75, window: int = 12) -> Extract | None:
    """The amount a sentence states right next to the question's words ("a $1,961,000 note payable for the purchase
    of the corporate office building"): for each dollar amount, the share of the question's content words found
    among the `window` words on either side of it; the best amount at or above `min_coverage`, or None.
    Sentences that read as rows of figures are skipped (their scale is the table's)."""
    words = [w for w in content_words(question) if not _PERIOD_WORD.fullmatch(w.lower())]
    if len(words) < 3:
        return None  # "How much was revenue?" is the numeric path's, not a guess from the nearest sentence
    best: Extract | None = None
    for p, passage in enumerate(passages):
        for a, b in split_spans(passage):
            sentence = passage[a:b]
            amounts = list(_PROSE_AMOUNT.finditer(sentence))
            if not amounts or len(amounts) * 4 > len(sentence.split()):
                continue
            for m in amounts:
                before = sentence[:m.start()].split()[-window:]
                after = sentence[m.end():].split()[:window]
                # Stop at the next amount: its words belong to it ("$921,000 ... and $745,000 for ...").
                after = after[:next((i for i, w in enumerate(after) if w.startswith("$")), len(after))]
                before = before[len(before) - next((i for i, w in enumerate(reversed(before)) if w.startswith("$")), len(before)):]
                share = coverage(words, " ".join(before + after))
                if share < min_coverage:
                    continue
                score = share - 0.01 * p
                if best is None or score > best.score:
                    best = Extract(p, a + m.start(), a + m.end(), a, b, score)
    return best
