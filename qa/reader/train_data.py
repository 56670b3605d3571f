"""Training and held-out data for the extractive reader (`qa.reader.train`).

Three sources, all built deterministically from a seed:

- **TAT-QA** (`../shared/datasets/tatqa/tatqa_dataset_dev.json`): the `span` and `multi-span` questions. A
  report context is linearised as its table rows ("Row label | col1 | col2", cells whitespace-collapsed) then
  its paragraphs in order. The answer string is located in that context (exactly, or allowing whitespace
  between characters: tables write "$  1,496.5" where the answer says "$1,496.5"); questions whose answer
  cannot be found are dropped. Multi-span: when every span is found and they sit next to each other (only a
  short separator such as ", ", " and " or " | " between them) the target is the shortest span covering them
  all; otherwise it is the first span (in answer order) found in the context. The split is BY CONTEXT
  (`table.uid`), 80/20 with the seed, so no report is both trained on and evaluated on.
- **Filings** (`../shared/filings/*.pdf`, read with `corpus.load_filing`): questions generated with regexes
  over sentences, several phrasings per kind (why / by how much / by what percent / what was / what does X
  consist of / how is X recognized / who is the CFO / where headquartered), with finance abbreviations
  (G&A, R&D, SG&A, S&M) and informal forms. The passage is a window of a few sentences around the answer.
  Crexendo text (the bundled seed filings, on which the gold set is written) is never read.
- **Unanswerable**: questions from both sources paired with a passage from another filing or another report
  context that does not contain the answer; the target is the [CLS] token (`answer_start is None`).
"""
from __future__ import annotations

import json
import random
import re
from dataclasses import asdict, dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
TATQA_DEV = SHARED / "datasets" / "tatqa" / "tatqa_dataset_dev.json"
FILINGS_DIR = SHARED / "filings"
SQUAD = SHARED / "datasets" / "squad2" / "cs224n-squad2-dev-half-v2.0.json"
_FORBIDDEN = re.compile(r"crexendo", re.IGNORECASE)


@dataclass(frozen=True)
class Example:
    """One (question, context) pair. `answer_start is None` means unanswerable (target: [CLS])."""

    qid: str
    question: str
    context: str
    answer_text: str
    answer_start: int | None
    source: str  # "tatqa" | "filings" | "filings-edgar" | "squad" | "negative-tatqa" | "negative-filings"
    group: str  # TAT-QA context uid or filing doc_id
    kind: str = ""  # question kind (filings) or answer type (TAT-QA)

    def __post_init__(self) -> None:
        if self.answer_start is not None:
            got = self.context[self.answer_start : self.answer_start + len(self.answer_text)]
            if got != self.answer_text:
                raise ValueError(f"answer offset does not point at the answer: {got!r} != {self.answer_text!r}")

    def to_dict(self) -> dict:
        return asdict(self)


# ---------------------------------------------------------------------------------------------------- TAT-QA


def _cell(text: str) -> str:
    return " ".join(str(text).split())


def tatqa_context(item: dict) -> tuple[str, list[tuple[int, int]]]:
    """The linearised context of one TAT-QA report and the (start, end) of each paragraph in it (by order)."""
    lines = []
    for row in item["table"]["table"]:
        cells = [_cell(c) for c in row]
        if any(cells):
            lines.append(" | ".join(c for c in cells if c) if cells[0] else " | ".join([""] + [c for c in cells[1:] if c]).lstrip(" |").strip())
    text = "\n".join(line for line in lines if line)
    spans = []
    for p in sorted(item["paragraphs"], key=lambda p: p["order"]):
        body = _cell(p["text"])
        text += "\n\n" if text else ""
        spans.append((len(text), len(text) + len(body)))
        text += body
    return text, spans


def _answer_pattern(answer: str) -> re.Pattern:
    chars = [c for c in answer if not c.isspace()]
    body = r"\s*".join(re.escape(c) for c in chars)
    lead = r"(?<![\w.])" if chars and chars[0].isalnum() else ""
    tail = r"(?![\w])" if chars and chars[-1].isalnum() else ""
    return re.compile(lead + body + tail)


def locate(answer: str, context: str, prefer: list[tuple[int, int]] = ()) -> tuple[int, int] | None:
    """Where `answer` is written in `context` (exact first, then whitespace-tolerant), inside `prefer` first."""
    answer = answer.strip()
    if not answer:
        return None
    pattern = _answer_pattern(answer)
    for lo, hi in list(prefer) + [(0, len(context))]:
        m = pattern.search(context, lo, hi)
        if m:
            return m.start(), m.end()
    return None


def _tatqa_target(q: dict, context: str, paragraphs: list[tuple[int, int]]) -> tuple[int, int] | None:
    answers = q["answer"] if isinstance(q["answer"], list) else [q["answer"]]
    answers = [str(a) for a in answers if str(a).strip()]
    prefer = []
    if q.get("answer_from") in ("text", "table-text"):
        for order in q.get("rel_paragraphs") or []:
            i = int(order) - 1
            if 0 <= i < len(paragraphs):
                prefer.append(paragraphs[i])
    found = [locate(a, context, prefer) for a in answers]
    if q["answer_type"] == "span" or len(answers) == 1:
        return found[0]
    hits = [f for f in found if f]
    if not hits:
        return None
    if len(hits) == len(answers):
        lo, hi = min(h[0] for h in hits), max(h[1] for h in hits)
        ordered = sorted(hits)
        gaps = [context[a[1] : b[0]] for a, b in zip(ordered, ordered[1:])]
        if all(len(g) <= 8 and re.fullmatch(r"[\s,;|]*(?:and|or)?[\s,;|]*", g) for g in gaps) and hi - lo <= 300:
            return lo, hi
    return hits[0]


def load_tatqa(path: Path = TATQA_DEV) -> list[tuple[str, list[Example]]]:
    """(context uid, examples) per TAT-QA report, span and multi-span questions whose answer was located."""
    items = json.loads(Path(path).read_text(encoding="utf-8"))
    out = []
    for item in items:
        uid = item["table"]["uid"]
        context, paragraphs = tatqa_context(item)
        examples = []
        for q in item["questions"]:
            if q["answer_type"] not in ("span", "multi-span"):
                continue
            target = _tatqa_target(q, context, paragraphs)
            if target is None:
                continue
            a, b = target
            examples.append(Example(q["uid"], _cell(q["question"]), context, context[a:b], a, "tatqa", uid,
                                    q["answer_type"]))
        out.append((uid, examples))
    return out


def split_tatqa(uids: list[str], seed: int, heldout_fraction: float = 0.2) -> tuple[set[str], set[str]]:
    """(train uids, held-out uids): a seeded shuffle of the sorted context uids."""
    ordered = sorted(uids)
    random.Random(seed).shuffle(ordered)
    n_held = round(len(ordered) * heldout_fraction)
    return set(ordered[n_held:]), set(ordered[:n_held])


def tatqa_gold(path: Path = TATQA_DEV, uids: set[str] | None = None) -> list[dict]:
    """Every span / multi-span TAT-QA question in `uids` with its context and ALL gold answers (for evaluation)."""
    items = json.loads(Path(path).read_text(encoding="utf-8"))
    out = []
    for item in items:
        uid = item["table"]["uid"]
        if uids is not None and uid not in uids:
            continue
        context, _ = tatqa_context(item)
        for q in item["questions"]:
            if q["answer_type"] in ("span", "multi-span"):
                answers = q["answer"] if isinstance(q["answer"], list) else [q["answer"]]
                out.append({"qid": q["uid"], "uid": uid, "question": _cell(q["question"]), "context": context,
                            "answers": [str(a) for a in answers], "answer_type": q["answer_type"]})
    return out


# --------------------------------------------------------------------------------------------------- filings

_ABBREV = [
    (re.compile(r"\bselling, general(?:,)? and administrative\b", re.I), ["SG&A", "SG&A"]),
    (re.compile(r"\bgeneral and administrative\b", re.I), ["G&A", "G and A"]),
    (re.compile(r"\bresearch and development\b", re.I), ["R&D"]),
    (re.compile(r"\bsales and marketing\b", re.I), ["S&M", "sales & marketing"]),
    (re.compile(r"\bcost of (?:revenue|revenues|sales)\b", re.I), ["COGS", "cost of sales"]),
    (re.compile(r"\boperating income\b", re.I), ["operating profit", "op income"]),
    (re.compile(r"\bearnings per share\b", re.I), ["EPS"]),
    (re.compile(r"\bcapital expenditures\b", re.I), ["capex"]),
]
_UP = {"increased", "increase", "increases", "rose", "grew", "higher"}
_VERB = r"(?P<verb>increased|decreased|rose|declined|grew|fell)"
_DUE = r"(?:(?:primarily|mainly|largely|principally|partially|partly|predominantly)\s+)?(?:due to|driven by|as a result of|attributable to|resulting from|reflecting)"
_AMOUNT = r"\$\s?\d[\d,]*(?:\.\d+)?(?:\s(?:million|billion|thousand))?|\d+(?:\.\d+)?\s?%"
_PERIOD_TAIL = re.compile(
    r"\s+(?:during|for|in|as of|at|from|compared|versus|when|over|of (?:approximately )?\$|by \$|\(|was|were|is|are|totaled)\b.*$"
    r"|\s+of (?:approximately )?\$.*$|\s*\(.*$", re.I)
_GENERIC_SUBJECTS = {"recognition", "revenue recognition", "amounts", "it", "such amounts", "the amount", "this",
                     "the increase", "the decrease", "the change", "as described"}
_TITLE_WORDS = {"vice", "president", "chief", "officer", "executive", "senior", "technology", "financial", "operating",
                "general", "counsel", "chairman", "director", "board", "legal", "accounting", "principal", "group",
                "corporation", "systems", "inc", "company", "holdings", "partners"}
_BAD_START = {"as", "after", "before", "when", "while", "although", "because", "if", "in", "on", "at", "for", "with",
              "during", "which", "since", "recognition", "revenue recognition", "such", "each", "all", "any", "both", "other", "these", "those", "amounts"}

_DRIVER_RE = re.compile(rf"^(?P<subj>.{{3,120}}?)\s+{_VERB}\b(?P<mid>[^;]*?),?\s+{_DUE}\s+(?P<ans>[^;]{{8,400}})$", re.S)
_ANAPHOR_DRIVER_RE = re.compile(
    rf"^(?:the|this|these|such)\s+(?P<noun>increases?|decreases?|declines?|changes?|growth)(?:\s+in\s+(?P<subj>[^,]{{3,100}}?))?\s+(?:was|were|is|are)\s+{_DUE}\s+(?P<ans>[^;]{{8,400}})$",
    re.I | re.S)
_CHANGE_RE = re.compile(rf"^(?P<subj>.{{3,120}}?)\s+{_VERB}\s+(?:by\s+)?(?P<amt>{_AMOUNT})(?:,?\s+or\s+(?P<amt2>{_AMOUNT}))?", re.S)
_VALUE_RE = re.compile(rf"^(?P<subj>.{{3,100}}?)\s+(?:was|were|totaled|amounted to)\s+(?:approximately\s+)?(?P<amt>{_AMOUNT})", re.S)
_CONSIST_RE = re.compile(
    r"^(?P<subj>.{3,100}?)\s+(?:(?:primarily|mainly|principally|generally)\s+)?(?:consists?|consisted|(?:is|are)\s+(?:primarily\s+)?comprised|comprises?)\s+(?:primarily\s+|mainly\s+|principally\s+)?of\s+(?P<ans>[^;]{5,400})$",
    re.S)
_RECOG_RE = re.compile(
    r"^(?P<subj>.{3,100}?)\s+(?:is|are)\s+(?:generally\s+)?recognized\s+(?P<ans>(?:when|as|over|at|upon|ratably|on|in the period)\b[^;]{3,300})$",
    re.S)
_WE_RECOG_RE = re.compile(
    r"^we\s+(?:generally\s+)?recognize\s+(?P<subj>[^,]{3,80}?)\s+(?P<ans>(?:when|as|over|at|upon|ratably)\b[^;]{3,300})$", re.I | re.S)
_WHO_RE = re.compile(
    r"(?P<ans>[A-Z][a-z]+(?:\s[A-Z]\.)?\s[A-Z][a-zA-Z'\-]+),\s+(?:our\s+|the\s+Company['’]s\s+)?(?P<role>(?:Executive\s+|Senior\s+)?(?:Vice\s+President[^,.;]{0,40}|Chief\s+[A-Z][a-z]+\s+Officer|President(?:\s+and\s+Chief\s+[A-Z][a-z]+\s+Officer)?|Chairman[^,.;]{0,30}|General\s+Counsel))")
_HQ_RE = re.compile(r"headquartered\s+in\s+(?P<ans>[A-Z][a-zA-Z.]+(?:[\s,]+[A-Z][a-zA-Z.]+){0,3})")

T_WHY = [
    "Why did {s} {base}?", "What drove the {noun} in {s}?", "What caused {s} to {base}?",
    "What was the reason for the {noun} in {s}?", "why {s} {updown}", "Explain the {noun} in {s}.",
    "What were the main drivers of the {noun} in {s}?", "{S} {noun} - why?", "What's behind the {noun} in {s}?",
    "why did {s} go {updown}", "What explains the change in {s}?", "Reason {s} {changed}?",
]
T_AMOUNT = [
    "By how much did {s} {base}?", "How much did {s} {base} by?", "What was the dollar {noun} in {s}?",
    "how much did {s} go {updown}", "{S} change amount?", "What was the change in {s}?",
    "How much higher or lower was {s}?", "{S}: how big was the {noun}?",
]
T_PERCENT = [
    "By what percentage did {s} {base}?", "What was the percentage {noun} in {s}?", "How many percent did {s} {base}?",
    "{S} % change?", "What was the percent change in {s}?", "how much did {s} {base} in percent",
    "What was the growth rate of {s}?",
]
T_VALUE = [
    "What was {s}?", "How much was {s}?", "{S}?", "What were the {s} for the period?", "Tell me the {s}.",
    "what's the {s}", "What amount of {s} was reported?", "How much did {s} come to?",
]
T_CONSIST = [
    "What does {s} consist of?", "What is included in {s}?", "What makes up {s}?", "What are the components of {s}?",
    "{S} consists of what?", "what's in {s}", "What is {s} primarily made up of?", "What do {s} include?",
    "Describe the composition of {s}.",
]
T_RECOG = [
    "How is {s} recognized?", "When is {s} recognized?", "How does the company recognize {s}?",
    "When do they book {s}?", "{S} recognition policy?", "What is the accounting policy for recognizing {s}?",
    "when does the company record {s}", "How is {s} accounted for?",
]
T_WHO = ["Who is the {role}?", "Who serves as {role}?", "Name the company's {role}.", "who's the {role}",
         "Who is the company's {role}?"]
T_HQ = ["Where is the company headquartered?", "Where are the headquarters?", "Where is the HQ located?",
        "In which city is the company based?", "where is the head office"]
PERIOD_SUFFIX = ["", "", "", " in the quarter", " this year", " year over year", " compared to last year",
                 " in the period", " vs. the prior year"]


def _clean_subject(subj: str) -> str | None:
    s = subj.replace("\n", " ")
    s = re.sub(r"^[•\-\u2022?*\s]+", "", s)
    # A heading glued before the sentence ("CASH EQUIVALENTS Cash equivalents consist ..."): keep the tail.
    m = re.search(r"(?:[A-Z][A-Z,&\- ]{3,}|\b[A-Z][a-z]+(?: [A-Z][a-z]+)*)\s+(?=[A-Z][a-z])", s)
    if m and m.start() == 0 and len(s) - m.end() > 3 and subj.find("\n") >= 0:
        s = s[m.end():]
    s = _PERIOD_TAIL.sub("", s)
    s = re.sub(r"^(?:the|our|total|net|in addition,|additionally,|also,)\s+", lambda m: "" if m.group(0).lower().strip() in ("the", "our") else m.group(0), s, flags=re.I)
    s = " ".join(s.split()).strip(" ,.:")
    if not (3 <= len(s) <= 70) or len(s.split()) > 9 or s.split()[0].lower() in _BAD_START:
        return None
    if re.search(r"\b(?:we|it|they|which|that|this|these|there|he|she|i)\b", s, re.I) or re.search(r"[\d$%]", s):
        return None
    words = s.split()
    for k in range(1, len(words) - 1):  # a title-case heading glued before its sentence: "Segment Revenue Segment revenue"
        if [w.lower() for w in words[k : k + 2]] == [w.lower() for w in words[:2]]:
            s = " ".join(words[k:])
            break
    if s.isupper():
        s = s.title()
    if s.lower() in _GENERIC_SUBJECTS:
        return None
    first = s.split()[0]
    return s[0].lower() + s[1:] if first[:1].isupper() and first[1:].islower() else s


def _variant(s: str, rng: random.Random) -> str:
    for pattern, repl in _ABBREV:
        if pattern.search(s) and rng.random() < 0.5:
            return pattern.sub(rng.choice(repl), s, count=1)
    return s


def _fill(template: str, s: str, rng: random.Random, up: bool | None = None, **extra) -> str:
    s = _variant(s, rng)
    if up is not None and rng.random() < 0.3:
        s = s + rng.choice(PERIOD_SUFFIX)
    values = {
        "s": s, "S": s[0].upper() + s[1:],
        "base": "increase" if up else "decrease", "noun": "increase" if up else "decrease",
        "updown": "up" if up else "down", "changed": "rose" if up else "fell", **extra,
    }
    q = template.format(**values)
    if rng.random() < 0.1:
        q = q.lower().rstrip("?") if rng.random() < 0.5 else q
    return q


def _trim_answer(ans: str) -> str:
    ans = " ".join(ans.split())
    ans = re.split(r",?\s+(?:partially|partly|offset in part|which (?:was|were) (?:partially )?offset)\b", ans)[0]
    return ans.rstrip(" .,;:")


def _window(text: str, sents: list[tuple[int, int]], i: int, rng: random.Random, max_chars: int = 1400) -> tuple[int, int]:
    lo, hi = i, i
    before, after = rng.randint(0, 3), rng.randint(0, 3)
    while before and lo > 0 and sents[i][1] - sents[lo - 1][0] < max_chars:
        lo -= 1
        before -= 1
    while after and hi + 1 < len(sents) and sents[hi + 1][1] - sents[lo][0] < max_chars:
        hi += 1
        after -= 1
    return sents[lo][0], sents[hi][1]


def _filing_questions(filing, rng: random.Random, per_kind: int) -> list[Example]:
    from corpus.sentences import split_spans

    text = filing.text
    sents = split_spans(text)
    found: dict[str, list[tuple[str, int, int, int]]] = {}  # kind -> (question, answer start, answer end, sentence)

    def add(kind: str, question: str, a: int, b: int, i: int) -> None:
        while b > a and text[b - 1] in " .,;:\n":
            b -= 1
        if b - a >= 1:
            found.setdefault(kind, []).append((question, a, b, i))

    last_change: tuple[str, bool] | None = None
    for i, (s0, s1) in enumerate(sents):
        sent = text[s0:s1]
        if len(sent) > 700 or sent.count("|") > 2 or sum(c.isdigit() for c in sent) > len(sent) * 0.25:
            last_change = None
            continue
        body = re.sub(r"[.]$", "", sent)
        m = _DRIVER_RE.search(body)
        if m and (subj := _clean_subject(m.group("subj"))):
            up = m.group("verb") in _UP
            ans = _trim_answer(m.group("ans"))
            a = s0 + m.start("ans")
            add("why", _fill(rng.choice(T_WHY), subj, rng, up), a, a + len(_raw_prefix(text, a, ans)), i)
        m2 = _ANAPHOR_DRIVER_RE.search(body)
        if m2:
            subj = _clean_subject(m2.group("subj")) if m2.group("subj") else (last_change[0] if last_change else None)
            if subj:
                up = m2.group("noun").lower().startswith(("increase", "growth")) if m2.group("noun").lower()[0] != "c" else (last_change[1] if last_change else True)
                ans = _trim_answer(m2.group("ans"))
                a = s0 + m2.start("ans")
                add("why", _fill(rng.choice(T_WHY), subj, rng, up), a, a + len(_raw_prefix(text, a, ans)), i)
        m3 = _CHANGE_RE.search(body)
        last_change = None
        if m3 and (subj := _clean_subject(m3.group("subj"))):
            up = m3.group("verb") in _UP
            last_change = (subj, up)
            for key in ("amt", "amt2"):
                amt = m3.group(key)
                if not amt:
                    continue
                templates = T_PERCENT if amt.rstrip().endswith("%") else T_AMOUNT
                a = s0 + m3.start(key)
                add("percent" if templates is T_PERCENT else "amount", _fill(rng.choice(templates), subj, rng, up), a,
                    s0 + m3.end(key), i)
        m4 = _VALUE_RE.search(body)
        if m4 and not m3 and (subj := _clean_subject(m4.group("subj"))):
            add("value", _fill(rng.choice(T_VALUE), subj, rng), s0 + m4.start("amt"), s0 + m4.end("amt"), i)
        for kind, pattern, templates in (("consist", _CONSIST_RE, T_CONSIST), ("recognize", _RECOG_RE, T_RECOG),
                                         ("recognize", _WE_RECOG_RE, T_RECOG)):
            m5 = pattern.search(body)
            if m5 and (subj := _clean_subject(m5.group("subj"))):
                ans = _trim_answer(m5.group("ans"))
                a = s0 + m5.start("ans")
                add(kind, _fill(rng.choice(templates), subj, rng), a, a + len(_raw_prefix(text, a, ans)), i)
        for m6 in _WHO_RE.finditer(sent):
            role = " ".join(m6.group("role").split()).rstrip(" ,")
            if any(w.lower().strip(".") in _TITLE_WORDS for w in m6.group("ans").split()):
                continue
            add("who", rng.choice(T_WHO).format(role=role), s0 + m6.start("ans"), s0 + m6.end("ans"), i)
        m7 = _HQ_RE.search(sent)
        if m7:
            add("where", rng.choice(T_HQ), s0 + m7.start("ans"), s0 + m7.end("ans"), i)

    out = []
    for kind, items in sorted(found.items()):
        seen = set()
        rng.shuffle(items)
        for question, a, b, i in items:
            if len(out) and sum(1 for e in out if e.kind == kind) >= per_kind:
                break
            if (a, b) in seen or b - a > 350:
                continue
            seen.add((a, b))
            w0, w1 = _window(text, sents, i, rng)
            context = text[w0:w1]
            out.append(Example(f"{filing.doc_id}:{kind}:{a}", question, context, text[a:b], a - w0, "filings",
                               filing.doc_id, kind))
    return out


def _raw_prefix(text: str, a: int, cleaned: str) -> str:
    """The stretch of `text` from `a` whose whitespace-collapsed form is `cleaned` (answers keep source offsets)."""
    words = cleaned.split()
    pos = a
    for w in words:
        k = text.find(w, pos)
        if k < 0:
            break
        pos = k + len(w)
    return text[a:pos]


def load_filings(directory: Path = FILINGS_DIR, seed: int = 13, per_kind: int = 40,
                 edgar: bool = True) -> tuple[list[Example], list[tuple[str, str]]]:
    """Generated questions from the filing PDFs (and, with `edgar`, the EDGAR filings), and (doc_id, passage) pools
    for unanswerable pairs. The sealed companies' filings (`qa.rank.data.training_filings`) are never read."""
    from corpus import load_filing
    from corpus.sentences import split_spans
    from qa.rank.data import sealed_companies, sealed_docs, training_filings

    rng = random.Random(seed)
    examples, pool = [], []
    paths = training_filings(Path(directory), sealed_companies(), sealed_docs())
    for path in paths:
        if path.suffix.lower() != ".pdf" and not edgar:
            continue
        filing = load_filing(path)
        if _FORBIDDEN.search(filing.company or "") or _FORBIDDEN.search(filing.text[:5000]):
            continue
        found = _filing_questions(filing, rng, per_kind)
        if path.suffix.lower() != ".pdf":
            found = [replace(ex, source="filings-edgar") for ex in found]
        examples.extend(found)
        sents = split_spans(filing.text)
        for i in rng.sample(range(len(sents)), min(40, len(sents))):
            w0, w1 = _window(filing.text, sents, i, rng)
            if w1 - w0 > 200:
                pool.append((filing.doc_id, filing.text[w0:w1]))
    return examples, pool


# ---------------------------------------------------------------------------------------------------- SQuAD


def squad_articles(path: Path = SQUAD, seed: int = 13, heldout_fraction: float = 0.2) -> tuple[list[dict], list[dict]]:
    """(train, held-out) SQuAD 2.0 articles: a seeded shuffle of the titles, split 80/20 (by article, so no
    paragraph is both trained on and evaluated on)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))["data"]
    titles = sorted(a["title"] for a in data)
    random.Random(seed).shuffle(titles)
    held = set(titles[: round(len(titles) * heldout_fraction)])
    return [a for a in data if a["title"] not in held], [a for a in data if a["title"] in held]


def squad_examples(articles: list[dict], rng: random.Random, questions: int | None = None) -> list[Example]:
    """SQuAD 2.0 questions over their paragraph: the first gold answer, or [CLS] for an unanswerable one."""
    out = []
    for article in articles:
        for paragraph in article["paragraphs"]:
            context = paragraph["context"]
            for qa in paragraph["qas"]:
                if qa.get("is_impossible") or not qa["answers"]:
                    out.append(Example(qa["id"], qa["question"], context, "", None, "squad", article["title"], "none"))
                    continue
                ans = qa["answers"][0]
                if context[ans["answer_start"]: ans["answer_start"] + len(ans["text"])] != ans["text"]:
                    continue
                out.append(Example(qa["id"], qa["question"], context, ans["text"], ans["answer_start"], "squad",
                                   article["title"], "span"))
    rng.shuffle(out)
    return out[:questions] if questions is not None else out


def squad_gold(path: Path = SQUAD, seed: int = 13, limit: int = 600) -> list[dict]:
    """Held-out SQuAD 2.0 questions (the articles `squad_articles` holds out) with every gold answer."""
    _, held = squad_articles(path, seed)
    out = []
    for article in held:
        for paragraph in article["paragraphs"]:
            for qa in paragraph["qas"]:
                answers = [a["text"] for a in qa["answers"]] if not qa.get("is_impossible") else []
                out.append({"question": qa["question"], "context": paragraph["context"], "answers": answers})
    random.Random(seed).shuffle(out)
    return out[:limit]


def _negatives(examples: list[Example], pool: list[tuple[str, str]], fraction: float, rng: random.Random,
               source: str) -> list[Example]:
    out = []
    for ex in rng.sample(examples, round(len(examples) * fraction)):
        for _ in range(5):
            group, passage = rng.choice(pool)
            if group != ex.group and ex.answer_text.lower() not in passage.lower():
                out.append(Example(ex.qid + ":neg", ex.question, passage, "", None, source, group, ex.kind))
                break
    return out


@dataclass(frozen=True)
class Dataset:
    train: list[Example]
    heldout_uids: list[str]
    counts: dict


def build(seed: int = 13, per_kind: int = 40, negative_fraction: float = 0.25, tatqa_path: Path = TATQA_DEV,
          filings_dir: Path = FILINGS_DIR, squad_path: Path = SQUAD, squad_questions: int = 2500,
          edgar: bool = True, tatqa_copies: int = 2) -> Dataset:
    """The training set and the held-out TAT-QA context uids, deterministic for a seed."""
    rng = random.Random(seed)
    per_context = load_tatqa(tatqa_path)
    train_uids, held = split_tatqa([uid for uid, _ in per_context], seed)
    tat_train = [ex for uid, exs in per_context if uid in train_uids for ex in exs]
    tat_pool = [(uid, exs[0].context if exs else "") for uid, exs in per_context if uid in train_uids and exs]
    gen, filing_pool = load_filings(filings_dir, seed, per_kind, edgar=edgar)
    neg_tat = _negatives(tat_train, tat_pool, negative_fraction, rng, "negative-tatqa")
    neg_gen = _negatives(gen, filing_pool, negative_fraction, rng, "negative-filings")
    squad = []
    if squad_questions and Path(squad_path).exists():
        squad = squad_examples(squad_articles(squad_path, seed)[0], rng, squad_questions)
    # TAT-QA twice: the reader's job is financial reports, and they are a tenth of the examples otherwise.
    train = tat_train * tatqa_copies + gen + neg_tat + neg_gen + squad
    rng.shuffle(train)
    kinds: dict[str, int] = {}
    for ex in gen:
        kinds[ex.kind] = kinds.get(ex.kind, 0) + 1
    counts = {
        "tatqa_train_questions": len(tat_train),
        "tatqa_copies": tatqa_copies,
        "tatqa_train_contexts": len(train_uids),
        "tatqa_heldout_contexts": len(held),
        "tatqa_heldout_questions": sum(len(exs) for uid, exs in per_context if uid in held),
        "filings_questions": len(gen),
        "filings_by_kind": dict(sorted(kinds.items())),
        "filings_docs": len({ex.group for ex in gen}),
        "filings_edgar_docs": len({ex.group for ex in gen if ex.source == "filings-edgar"}),
        "negatives_tatqa": len(neg_tat),
        "negatives_filings": len(neg_gen),
        "squad_answerable": sum(1 for ex in squad if ex.answer_start is not None),
        "squad_unanswerable": sum(1 for ex in squad if ex.answer_start is None),
        "total": len(train),
    }
    return Dataset(train, sorted(held), counts)


if __name__ == "__main__":  # python -m qa.reader.model.train_data: counts and a sample of each kind
    data = build()
    print(json.dumps(data.counts, indent=2))
    shown = set()
    for ex in data.train:
        key = (ex.source, ex.kind)
        if key not in shown or len(shown) < 0:
            shown.add(key)
            print(f"\n[{ex.source}/{ex.kind}] Q: {ex.question}\n  A: {ex.answer_text!r}")
