"""Checks a candidate figure or sentence must pass before it answers a value question.

A figure the reader or an extractor found answers a value question only if its sentence is about the question's
metric and period: the figure steps already looked for it, so a figure of another metric or period is a guess.
"""
from __future__ import annotations

import re

from corpus.model import Filing
from corpus.period_intent import parse_period_intent
from corpus.periods import MONTH_NAME
from corpus.words import DOWN_WORDS, FRAME_WORDS, UP_WORDS, content_words, coverage, words_pattern
from index.model import Hit
from qa.question import Question, find_metric
from qa.vocabulary import METRICS

# Words that place a figure at a date ("at the end of 2024", "at year-end") rather than name it: filings write the
# date ("As of December 31, 2024"), and period_clash judges it. "First half" stays: filings print those words.
_PERIOD_PLACE = frozenset({"end", "year-end", "yearend", "beginning"})

# "13,000 of our employees took ...": a number followed by "of our/the ..." counts a part of the whole, not the whole
PARTITIVE = re.compile(r"^\s*of\s+(?:our|the|its|their|these|those|whom|which)\b", re.I)


def counts_a_part(sentence: str, number_end: int) -> bool:
    """Whether the number ending at `number_end` in `sentence` is a part of a whole ("13,000 of our employees")."""
    return bool(PARTITIVE.match(sentence[number_end:number_end + 40]))


def keyword_coverage(question: str, passage: str, company: str | None = None) -> float:
    """Share of the question's subject words found in the passage (an abbreviation counts if its expansion is).
    The filer's own name counts where the passage speaks of itself ("the Company", "we"), and the words of a share buyback count
    when the passage says it another way ("buy back" / "repurchased")."""
    own = {w.lower() for w in re.findall(r"[A-Za-z&]+", company or "")}
    words = [w for w in content_words(question, drop=FRAME_WORDS) if w not in _PERIOD_PLACE]
    if not words:
        return 1.0
    lowered = passage.lower()
    bought_back = any(s in lowered for s in _SAME_ACTION["repurchase"] + ("repurchas",))
    # The filer's name is said when the passage speaks of itself ("the Company repurchased", "we had").
    itself = bool(re.search(r"\b(?:the company|we|our|us)\b", lowered))

    def said(w: str) -> bool:
        if own and set(re.findall(r"[a-z&]+", w)) <= own:
            return itself or coverage([w], passage) == 1.0
        return (bought_back and w in _BUYBACK_WORDS) or coverage([w], passage, abbreviations=True) == 1.0

    theirs = [w for w in words if own and set(re.findall(r"[a-z&]+", w)) <= own]
    found = [w for w in words if said(w)]
    if theirs and not set(found) - set(theirs):
        return 0.0  # the filer's name alone does not put a passage on the question's subject
    return len(found) / len(words)


_BUYBACK_WORDS = frozenset({"buy", "back", "buyback", "buybacks", "repurchase", "repurchases", "repurchased", "bought"})


def mentions_metric(q: Question, text: str) -> bool:
    lowered = " ".join(text.lower().replace("’", "'").split())
    names = set(METRICS.get(q.metric or "", ())) | {q.metric or "", q.metric_text or ""}
    return any(n and re.search(rf"(?<![\w&]){re.escape(n)}(?![\w&])", lowered) for n in names)


def period_clash(q: Question, sentence: str, hit: Hit, filing: Filing) -> bool:
    """Whether the sentence (or its passage) states a period other than the one asked about."""
    target = filing.target_period(q.period)
    if target is None:
        return False
    if target.months == -1:
        return True  # "Q4" asked of a Q3 filing
    if target.end_year and filing.period_end and target.end_year > int(filing.period_end[:4]):
        return True  # a filing cannot state a period that ends after it
    if _after_the_period(sentence, filing) and not _after_the_period(q.text, filing):
        return True  # "From July 28, 2025 through August 26, 2025, we repurchased ...": after the period reported
    stated_intent = parse_period_intent(sentence)
    if stated_intent.empty and hit.period:
        stated_intent = parse_period_intent(hit.period)
    stated = filing.target_period(stated_intent)
    if stated is None:
        return False
    if target.months and stated.months and target.months > 0 and stated.months > 0 and target.months != stated.months:
        return True
    return bool(target.end_year and stated.end_year and target.end_year != stated.end_year)


def _after_the_period(text: str, filing: Filing) -> bool:
    """Every date the text names falls after the filing's period end (a subsequent event)."""
    from corpus.periods import DATE_RE, iso_date

    if not filing.period_end:
        return False
    dates = [iso_date(m.group(0)) for m in DATE_RE.finditer(text)]
    return bool(dates) and all(d is not None and d > filing.period_end for d in dates)


def period_context(filing: Filing, at: int, sentence: str, reach: int = 1500) -> str:
    """The sentence with the period its paragraph gives it: "The Company repurchased 12.9 million shares ..." states
    no period, the paragraph's "During the six months ended June 28, 2024, ..." does. The nearest earlier sentence
    of the paragraph that names a period goes first; a sentence that names its own is returned as it is."""
    from corpus.sentences import split_spans

    if not parse_period_intent(sentence).empty:
        return sentence
    start = max(filing.text.rfind("\n\n", 0, at), at - reach, 0)
    for a, b in reversed(split_spans(filing.text, start, at)):
        if not parse_period_intent(filing.text[a:b]).empty:
            return filing.text[a:b] + " " + sentence
    return sentence


_DATE = re.compile(rf"\b{MONTH_NAME}\s+\d{{1,2}},\s+(?:19|20)\d\d\b")


def looks_tabular(text: str) -> bool:
    """Rows of figures rather than a sentence: "Net revenues $ 2,540 $ 2,422 $ 118 5 %" (any length, unlike
    `corpus.clean.is_table_row`, which also wants a short line: a flattened table is one long line)."""
    # a date is no figure: "As of December 31, 2024, our employee headcount worldwide was 125,665." is a sentence
    text = _DATE.sub(" ", text)
    figures = re.findall(r"(?<![\w.])\(?\$?\s?\d[\d,.]*\)?%?", text)
    return len(figures) >= 3 and len(figures) * 4 >= len(text.split())


def states_value(q: Question, kind: str | None, span_text: str, sentence: str, hit: Hit, filing: Filing,
                 min_coverage: float) -> bool:
    """Whether a figure found in `sentence` may answer the value question `q`."""
    if kind in ("amount", "count") and not re.search(r"\d", span_text):
        return False
    if q.metric:
        if not mentions_metric(q, sentence):
            return False
    elif keyword_coverage(q.text, sentence if len(sentence) > 80 else hit.text, filing.company) < min_coverage:
        return False
    return not period_clash(q, sentence, hit, filing)


_PERIOD_MONTHS = ((3, re.compile(r"\bquarter\b|\bthree months\b|\b13 weeks\b", re.I)),
                  (6, re.compile(r"\bsix months\b|\bfirst half\b|\b26 weeks\b", re.I)),
                  (9, re.compile(r"\bnine months\b|\b39 weeks\b", re.I)),
                  # "up 98% from a year ago", "year over year", "the prior year": a comparison, not a year's period
                  (12, re.compile(r"(?<!\ba )(?<!\bprior )(?<!\blast )(?<!\bprevious )(?<!\bover )\b(?:fiscal )?year\b"
                                  r"(?!\s+ago\b)(?![\s-]+over[\s-]+year)|\btwelve months\b|\b52 weeks\b", re.I)))
_UP = words_pattern(UP_WORDS)
_SHARE_OF = re.compile(r"\bpercent(?:age)?\s+of\b|%\s+of\b|\bratio\b", re.I)
# The first word that introduces a cause: what comes before it is the change explained.
_CAUSE_WORD = re.compile(r"\b(?:due\s+(?:\w+\s+)?to|because|driven\s+(?:\w+\s+)?by|as\s+a\s+result\s+of|resulting\s+from|"
                         r"attributable\s+to|attributed\s+to|reflect(?:s|ed|ing)?|primarily\s+from|owing\s+to)\b", re.I)
_MOVED = re.compile(r"\b(?:chang|impact|affect|driv|offset|contribut|result|higher|lower|more|less|fewer)\w*", re.I)
_DOWN = words_pattern(DOWN_WORDS)


def explains_asked_change(q: Question, sentence: str, filing: Filing) -> bool:
    """Whether a sentence giving a reason is about the change asked: the period asked is among those it names
    ("during the third quarter and first nine months" serves both), and it moves the way the question says."""
    target = filing.target_period(q.period)
    # No period asked: a quarterly report's own quarter is the natural reading.
    months = target.months if target is not None else 3 if filing.form == "10-Q" else None
    if months and months > 0:
        named = {m for m, pattern in _PERIOD_MONTHS if pattern.search(sentence)}
        if named and months not in named:
            return False
    # "second quarter of fiscal 2026" is not served by a sentence on "the second quarter ... of fiscal year 2025"
    # alone; a sentence comparing with an earlier year ("... compared to 2023") names the later one implicitly.
    asked_year = parse_period_intent(q.text).year
    stated_years = {int(y) for y in re.findall(r"(?<![\d$,.])((?:19|20)\d\d)(?![\d,])", sentence)}
    if asked_year and stated_years and asked_year not in stated_years \
            and not re.search(r"\b(?:compared|versus|vs\.?|from|over|prior)\b", sentence, re.I):
        return False
    if asked_year and _is_the_comparison_year(asked_year, sentence):
        return False  # "in 2024 as compared to 2023" explains 2024's change, not 2023's
    if re.search(r"\bpercentage\b", sentence, re.I) and not re.search(r"\bpercent(?:age)?\b|%", q.text, re.I):
        return False  # "gross margin percentage" is another figure than "gross margin"
    head = _CAUSE_WORD.split(sentence, maxsplit=1)[0]
    said, _ = find_metric(head) if len(head) < len(sentence) else (None, None)
    if q.metric and (_UP.search(head) or _DOWN.search(head)) and (
            said and said not in q.metric and q.metric not in said  # ("total revenue" is "revenue" said whole)
            or _SHARE_OF.search(head) and not _SHARE_OF.search(q.text)):
        return False  # "Operating income increased 2% due to the increase in net sales", "SG&A as a percentage of net
        # sales increased": a reason for another figure
    if q.direction and not (_UP.search(sentence) or _DOWN.search(sentence) or _MOVED.search(sentence)):
        return False  # a change asked is explained by a sentence on a change, not by any "because"
    if q.direction == "increase" and _DOWN.search(sentence) and not _UP.search(sentence):
        return False
    if q.direction == "decrease" and _UP.search(sentence) and not _DOWN.search(sentence):
        return False
    if _NO_CHANGE.search(q.text) and not _NO_CHANGE.search(sentence) and (_UP.search(sentence) or _DOWN.search(sentence)):
        return False  # "why were sales flat?" is not explained by "sales decreased ... due to ..."
    return True


_NO_CHANGE = re.compile(r"\b(?:flat|unchanged|stable|steady|remained\s+(?:the\s+same|consistent|level))\b", re.I)


def _is_the_comparison_year(year: int, sentence: str) -> bool:
    """The sentence compares a later year with `year` ("2024 as compared to 2023"): `year` is the base, not the
    year whose change it explains."""
    m = re.search(r"((?:19|20)\d\d)\b[^.;]{0,80}?\b(?:as\s+)?(?:compared\s+(?:to|with)|versus|vs\.?)\s+[^.;]{0,40}?"
                  r"\b((?:19|20)\d\d)\b", sentence, re.I)
    return bool(m) and int(m.group(2)) == year and int(m.group(1)) > year


_SUBJECT = re.compile(r"^\s*(?:why\s+)?(?:did|do|does|was|were|is|are|has|have|had)\s+(?P<subject>.+?)\s+(?:go\s+(?:up|down)|"
                      r"increase|decrease|rise|fall|decline|grow|drop|change|improve|worsen|remain|stay|jump|surge|"
                      r"climb|shrink|expand|contract|rose|fell|grew|dropped|increased|decreased|declined|changed|so\b)"
                      # "What drove the growth in Data Center networking revenue?"
                      r"|^\s*what\s+(?:\w+ly\s+)?(?:drove|caused|led\s+to|explains?|was\s+behind|is\s+behind|"
                      r"were\s+the\s+drivers\s+of)\s+"
                      r"(?:the\s+)?(?:[\w-]+\s+)?(?:increase|decrease|growth|decline|rise|fall|drop|change|improvement|"
                      r"deterioration)\s+in\s+(?:(?:first|second|third|fourth)[- ]quarter\s+|q[1-4]\s+|fiscal\s+)?"
                      r"(?:(?:19|20)\d\d\s+)?(?P<subject2>.+?)\s*(?:\b(?:in|during|for)\s+(?:the\s+)?(?:first|second|"
                      r"third|fourth|fiscal|q[1-4]|(?:19|20)\d\d|three|six|nine|twelve)\b.*|\b(?:versus|vs\.?|compared|"
                      r"relative|from)\b.*)?\??$",
                      re.I)


def asked_subject(question: str) -> str | None:
    """The subject of a why-question ("Tesla's R&D spending" in "Why did Tesla's R&D spending go up in 2024?"), or of
    a yes/no question on a change ("Did Verizon's wireless equipment revenues decline ...?")."""
    m = _SUBJECT.search(_LEADING_SOURCE.sub("", question))
    return None if m is None else m.group("subject") or m.group("subject2")


# "According to Apple's 10-Q for the quarter ended March 29, 2025, what drove ...": where to look, before the question
_LEADING_SOURCE = re.compile(r"^\s*(?:according\s+to|per|based\s+on|in|from)\s+[^,?]*?(?:,\s*(?:19|20)\d\d)?,\s*(?=[a-z])",
                             re.I)


def covers_the_subject(question: str, evidence: str, company: str | None) -> bool:
    """Every word of a why-question's subject ("Union Pacific's *passenger revenue*") is in the evidence (the
    sentence with its section path), abbreviations spelled out counting: a reason for freight revenue is no reason
    for passenger revenue. Questions not shaped "Why did <subject> <verb>" pass."""
    from corpus.words import content_words, coverage

    subject = asked_subject(question)
    if subject is None:
        return True
    own = {w.lower() for w in re.findall(r"[A-Za-z&]+", company or "")}
    # "Coca-Cola's" is the company's own name in pieces ("COCA COLA CO"), not a word of the subject.
    words = [w for w in content_words(subject) if not set(re.findall(r"[a-z&]+", w.rstrip("s"))) <= own
             and not set(re.findall(r"[a-z&]+", w)) <= own]
    return coverage(words, evidence, abbreviations=True) == 1.0


_CHANGE_VERB = re.compile(r"\b(?:increased|decreased|rose|fell|declined|grew|improved|worsened|dropped|was\s+(?:up|down)|"
                          r"were\s+(?:up|down)|remained)\b", re.I)
_CHANGE_NOUN = re.compile(r"\b(?:increase|decrease|decline|growth)\b", re.I)
_NOT_SUBJECT = {"increase", "decrease", "change", "total", "net", "quarter", "months", "month", "year", "years", "fiscal",
                "first", "second", "third", "fourth", "nine", "six", "three", "twelve", "period", "compared", "during",
                "primarily", "consolidated", "company", "percent"}


def names_another_subject(question: str, sentence: str, company: str | None) -> bool:
    """The sentence's own subject (before its change verb) puts another word where the why-question's subject has
    one: "Cash used in *investing* activities increased ..." is about another figure than "cash used in *financing*
    activities", "Interest expense decreased ..." than "other expenses". A sentence that only adds words ("Freight
    revenues from bulk shipments" for "bulk freight revenues") or abbreviates them ("RL" for "Reality Labs",
    "G&A" for "general and administrative") is about the same figure."""
    mismatch = _subject_mismatch(question, sentence, company)
    return bool(mismatch and mismatch[0] and mismatch[1])


def extra_subject_words(question: str, sentence: str, company: str | None) -> int:
    """How many words the sentence's own subject adds to the why-question's ("Equipment and other rents expense"
    adds two to "other expenses"): fewer is the closer figure."""
    mismatch = _subject_mismatch(question, sentence, company)
    return len(mismatch[0]) if mismatch else 0


def _subject_mismatch(question: str, sentence: str, company: str | None) -> tuple[list[str], list[str]] | None:
    """(words the sentence's subject adds, words of the asked subject it lacks), or None when either is unknown."""
    from corpus.words import ABBREVIATIONS, coverage

    subject = asked_subject(question)
    # "Compute & Networking revenue – The year over year increase ... was driven by": the noun names the change.
    verb = _CHANGE_VERB.search(sentence) or _CHANGE_NOUN.search(sentence)
    if subject is None or verb is None:
        return None
    own = {w.lower() for w in re.findall(r"[A-Za-z&]+", company or "")}

    def words(text: str) -> list[str]:
        return [w for w in re.findall(r"[a-z&]+", text.lower().replace("’s", "").replace("'s", ""))
                if w not in _SUBJECT_STOP and w not in _NOT_SUBJECT and w not in own and w.rstrip("s") not in own]

    wanted, stated = words(subject), words(re.sub(r"\d[\d,.]*", " ", sentence[:verb.start()]))
    if not stated:
        return None
    spelled = " ".join([subject] + [ABBREVIATIONS[w] for w in wanted if w in ABBREVIATIONS])
    initials = {"".join(w[0] for w in wanted[i:j]) for i in range(len(wanted)) for j in range(i + 2, len(wanted) + 1)}
    extra = [w for w in stated if coverage([w], spelled, abbreviations=True) < 1.0 and w not in initials]
    said = " ".join(stated + [ABBREVIATIONS[w] for w in stated if w in ABBREVIATIONS])
    missing = [w for w in wanted if coverage([w], said, abbreviations=True) < 1.0
               and not any(w.startswith(x[:1]) and x in initials for x in stated)]
    return extra, missing


_SUBJECT_STOP = {"the", "a", "an", "of", "in", "for", "on", "and", "to", "from", "by", "its", "our", "their", "s", "as"}


_REASON = re.compile(r"\b(?:due\s+(?:primarily\s+|mainly\s+|largely\s+|in\s+part\s+)?to|because|driven\s+by|result(?:ed|s|ing)?\s+"
                     r"(?:of|from|in)|as\s+a\s+result|attributable|attributed|reflect(?:s|ed|ing)?|offset|owing\s+to|led\s+to|"
                     r"caused|increas|decreas|higher|lower|growth|declin|improv|partially|rose|fell|grew)", re.I)


def states_a_reason(sentence: str) -> bool:
    """The sentence gives a reason or a change (a causal word or a move): "FoA other revenue consists of revenue
    from WhatsApp Business Platform ..." explains no change, whatever a why-question asks of it."""
    return bool(_REASON.search(sentence))


_COUNT_ACTION = re.compile(r"^\s*(?i:how\s+many)\b.*?\b(?:did|does|do|has|have|had|will|would)\s+(?:[A-Z][\w.&'’-]*\s+|the\s+"
                           r"company\s+|it\s+|we\s+|they\s+)+(?P<verb>[a-z]+)(?P<back>\s+back)?\b")
_WEAK_VERBS = {"have", "has", "had", "be", "get", "got", "report", "reported", "hold", "own", "see", "show", "list", "there"}
_SAME_ACTION = {"buy": ("repurchas", "bought", "buy", "purchas"), "repurchase": ("repurchas", "bought back", "buyback"),
                "hire": ("hire", "hiring", "employ"), "sell": ("sold", "sell", "sale"), "issue": ("issu",),
                "open": ("open",), "close": ("clos",), "acquire": ("acquir", "acquisition")}


def _asked_action_stems(question: str) -> tuple[str, ...] | None:
    """The stems of the action a count question asks ("repurchas", "bought back"), or None when it asks none (or a
    weak one: "have", "report")."""
    m = _COUNT_ACTION.search(question)
    if m is None or m.group("verb") in _WEAK_VERBS:
        return None
    verb = m.group("verb")
    return _SAME_ACTION.get(verb, (verb[:max(4, len(verb) - 2)],))


def does_the_asked_action(question: str, sentence: str) -> bool:
    """A count answers "How many shares did Meta repurchase?" only from a sentence that says the action (repurchased,
    bought back): "2,190 million shares ... issued and outstanding" counts something else."""
    stems = _asked_action_stems(question)
    return stems is None or any(s in sentence.lower() for s in stems)


def clause_does_the_asked_action(question: str, clause: str) -> bool:
    """The number's own clause says the action asked, or names no other: "we produced 1,845,985 consumer vehicles"
    does not count the vehicles delivered, though its sentence goes on "and delivered 1,808,581"."""
    stems = _asked_action_stems(question)
    lowered = clause.lower()
    return stems is None or any(s in lowered for s in stems) or not re.search(r"\b[a-z]{3,}ed\b", lowered)


_NEGATED = re.compile(r"\b(un|non-?)([a-z]{5,})", re.I)


def names_the_opposite(question: str, sentence: str) -> bool:
    """The sentence has the negated form of a word the question asks about, and not the word itself:
    "unconsolidated bottling partners" for "consolidated bottling partners", "unrealized" for "realized",
    "non-GAAP" for "GAAP"."""
    asked = {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z-]+", question)}
    lowered = sentence.lower()
    for m in _NEGATED.finditer(lowered):
        word = m.group(2)
        if word in asked and m.group(0) not in asked and not re.search(rf"(?<![a-z-]){word}\b", lowered):
            return True
    return False
