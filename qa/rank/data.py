"""Training data for the sentence ranker (`qa.rank.train`): (question, candidate) pairs labelled 1 when the
candidate answers the question, 0 when it does not. Deterministic for a seed.

Sources:
- **Filings** (`../shared/filings`, PDFs and EDGAR HTML, read with `corpus.load_filing`): sentences of a regular
  form turned into questions. A change with its reason ("Americas net sales increased during the third quarter of
  2025 ... due primarily to ...", or "The increase was driven by ..." after it) becomes "Why did Americas net sales
  increase in the third quarter of 2025?"; a definition or method ("X is defined as", "we recognize X when", "X
  consists of") becomes "How does the company define X?"; a headcount becomes "How many employees ...". The hard
  negatives are the same filing's sentences a careless reader would take: other reasons (another period, another
  segment, another figure), the change stated without its reason, other sentences naming the subject.
- **SQuAD 2.0** (the dev half in `../shared/datasets/squad2`): the sentence holding the answer against the other
  sentences of its paragraph; unanswerable questions give only negatives, so a related sentence that does not
  answer scores low.

Filings of companies in a sealed split (`sealed_companies`) are never read: the sets that measure the ranker
seal them.
"""
from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, replace
from pathlib import Path

from corpus.changes import CHANGE as _CHANGE
from corpus.changes import HAS_REASON as _HAS_REASON
from corpus.changes import NOUN_CHANGE as _NOUN_CHANGE
from corpus.changes import PERIOD as _PERIOD
from qa.rank.candidates import ANAPHOR, candidate_text, heading_of

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
FILINGS_DIR = SHARED / "filings"
SQUAD = SHARED / "datasets" / "squad2" / "cs224n-squad2-dev-half-v2.0.json"
ANALYST_GOLD = ROOT / "eval" / "analyst_gold.jsonl"
_FORBIDDEN = re.compile(r"crexendo", re.I)  # the seed filings the oldest gold set is written on


@dataclass(frozen=True)
class Pair:
    question: str
    candidate: str
    label: int
    source: str  # "filings-why" | "filings-define" | "filings-count" | "squad"
    group: str  # the filing's doc id or the SQuAD article: train/validation split by group


# ----------------------------------------------------------------------------------------- sealed filings

def _sealed_items(gold_paths: tuple[Path, ...]):
    """The gold lines a set seals ("split": "sealed"), from the files that exist."""
    for path in gold_paths:
        if Path(path).exists():
            for line in Path(path).read_text(encoding="utf-8").splitlines():
                item = json.loads(line) if line.strip() else {}
                if item.get("split") == "sealed":
                    yield item


def sealed_companies(gold_paths: tuple[Path, ...] = (ANALYST_GOLD,)) -> set[str]:
    """Tickers of the companies a gold set seals."""
    return {item["company"].lower() for item in _sealed_items(gold_paths) if item.get("company")}


def sealed_docs(gold_paths: tuple[Path, ...] = (ANALYST_GOLD,)) -> set[str]:
    """The filings (doc ids) a gold set's sealed questions are asked of."""
    docs = [item.get("doc") for item in _sealed_items(gold_paths)]
    return {d for doc in docs for d in ([doc] if isinstance(doc, str) else doc or [])}


def _doc_stem(path: Path) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")


def training_filings(directory: Path = FILINGS_DIR, exclude_companies: set[str] = frozenset(),
                     exclude_docs: set[str] = frozenset()) -> list[Path]:
    """Every shared filing except the sealed companies' (EDGAR files are named by ticker: "aapl-10-k-...")."""
    paths = sorted(Path(directory).glob("*.pdf")) + sorted((Path(directory) / "edgar").glob("*.htm*"))
    out = []
    for path in paths:
        stem = _doc_stem(path)
        if _FORBIDDEN.search(path.name) or stem in exclude_docs or stem.split("-")[0] in exclude_companies:
            continue
        out.append(path)
    return out


# ------------------------------------------------------------------------------------------ sentence forms

_DEFINE = [
    (re.compile(r"^(?P<subj>[A-Z][^,;:()]{2,70}?)\s+(?:\([A-Z][\w&-]{1,10}\)\s+)?(?:is|are)\s+defined\s+as\b", re.S), "define"),
    (re.compile(r"\bwe\s+define\s+(?P<subj>[^,;:]{3,70}?)\s+as\b", re.I), "define"),
    (re.compile(r"^(?P<subj>[A-Z][^,;:()]{2,70}?)\s+(?:represents?|refers?\s+to|means)\b", re.S), "define"),
    (re.compile(r"^(?P<subj>[A-Z][^,;:()]{2,70}?)\s+(?:(?:primarily|mainly|principally)\s+)?(?:consists?|"
                r"(?:is|are)\s+(?:primarily\s+)?comprised)\s+(?:primarily\s+|mainly\s+)?of\b", re.S), "consist"),
    (re.compile(r"^(?P<subj>[A-Z][^,;:()]{2,70}?)\s+(?:is|are)\s+(?:generally\s+)?recognized\s+(?:when|as|over|at|upon|"
                r"ratably|on)\b", re.S), "recognize"),
    (re.compile(r"\bwe\s+(?:generally\s+)?recognize\s+(?P<subj>[^,;:]{3,60}?)\s+(?:when|as|over|at|upon|ratably)\b", re.I),
     "recognize"),
    (re.compile(r"^(?P<subj>[A-Z][^,;:()]{2,70}?)\s+(?:is|are)\s+(?:calculated|computed|measured)\s+(?:as|by|using|based)\b",
                re.S), "measure"),
    (re.compile(r"\bwe\s+(?:calculate|compute|measure)\s+(?P<subj>[^,;:]{3,60}?)\s+(?:as|by|using|based)\b", re.I),
     "measure"),
]
_EMPLOYEES = re.compile(r"\b(?:approximately|about|over|more than|nearly)?\s*\d[\d,]{2,}\s+(?:full-time\s+)?"
                        r"(?:employees|team members|associates|people)\b", re.I)
# The whole headcount, not a part of it ("400 employees ... covered by collective bargaining").
_HEADCOUNT = re.compile(r"\b(?:had|employ(?:ed|s)?|ha(?:ve|s)|workforce\s+of|total\s+of)\s+(?:a\s+total\s+of\s+)?"
                        r"(?:approximately|about|over|more than|nearly)?\s*\d[\d,]{2,}(?:\s+and\s+[\d,]+)?\s+"
                        r"(?:full-time\s+)?(?:employees|team members|associates|people)\b(?![^.]{0,40}\b(?:covered|located|in\s+the|outside))", re.I)
_GENERIC = {"it", "this", "that", "these", "such amounts", "the amount", "amounts", "the increase", "the decrease",
            "the change", "which", "they", "we", "total", "other", "there", "each", "all"}
_BAD_SUBJECT = re.compile(r"[\d$%|]|\b(?:we|it|they|which|that|this|these|there|our\s+results|as|if|when|while|"
                          r"although|because|is|are|was|were|due|may|could|would|should|will)\b", re.I)

T_WHY = ["Why did {s} {base}{p}?", "What reasons did {c} give for the {noun} in {s}{p}?",
         "What primarily drove the {amount}{noun} in {s}{p}?", "What caused the {amount}{noun} in {s}{p}?", "What drove the {noun} in {s}{p}?", "What caused {s} to {base}{p}?",
         "What was the reason for the {noun} in {s}{p}?", "What were the main drivers of the {noun} in {s}{p}?",
         "Explain the {noun} in {s}{p}.", "What's behind the {noun} in {s}{p}?", "Why was {s} {updown}{p}?",
         "What factors contributed to the {noun} in {s}{p}?", "How does {c} explain the {noun} in {s}{p}?"]
T_DEFINE = {
    "define": ["How does {c} define {s}?", "What does {s} mean?", "What is {s}?", "How is {s} defined?",
               "What does {c} mean by {s}?"],
    "consist": ["What does {s} consist of?", "What is included in {s}?", "What makes up {s}?",
                "What are the components of {s}?"],
    "recognize": ["How is {s} recognized?", "When does {c} recognize {s}?", "How does {c} recognize {s}?",
                  "What is the revenue recognition policy for {s}?"],
    "measure": ["How is {s} calculated?", "How does {c} measure {s}?", "How is {s} measured?",
                "What is the calculation of {s}?"],
}
T_EMPLOYEES = ["How many employees did {c} have?", "What was {c}'s headcount?", "How many people does {c} employ?",
               "What is the size of {c}'s workforce?"]
_UP = ("increas", "rose", "grew", "improv", "up", "higher")
_FIGURE = re.compile(r"\$\s?\d[\d,.]*\s(?:million|billion)|\b\d+(?:\.\d+)?%|\b\d+\s+basis\s+points")
# Analysts name the document before the question: "According to Apple's 10-Q for the quarter ended ..., why ..."
T_SOURCE = ["According to {c}'s {form}, ", "Per the {form}, ", "Based on {c}'s {form}, ", "In its {form}, "]
_FORMS = ["10-K", "10-Q", "annual report", "quarterly report", "filing"]


def _with_source(question: str, company: str, rng: random.Random) -> str:
    """A third of the questions open with the document they are asked of, as analysts write them."""
    if rng.random() >= 0.3:
        return question
    lead = rng.choice(T_SOURCE).format(c=company, form=rng.choice(_FORMS))
    return lead + question[0].lower() + question[1:]


def _clean_subject(raw: str) -> str | None:
    s = " ".join(raw.split()).strip(" ,.:")
    s = re.sub(r"^(?:•\s*)?(?:in addition,|additionally,|also,|overall,)\s*", "", s, flags=re.I)
    s = _PERIOD.sub("", s).strip(" ,")
    s = re.sub(r"\s+(?:for|in|during|as of|at|from|compared|versus)\s*$", "", s, flags=re.I)
    s = re.sub(r"^(?:our|the)\s+(?:company['’]s\s+)?", "", s, flags=re.I)
    s = re.sub(r"\s+(?:generally|primarily|mainly|principally|also)$", "", s, flags=re.I)
    if not (3 <= len(s) <= 70) or len(s.split()) > 9 or s.lower() in _GENERIC or _BAD_SUBJECT.search(s):
        return None
    first = s.split()[0]
    return s[0].lower() + s[1:] if first[:1].isupper() and first[1:].islower() else s


def _company_word(company: str | None) -> str:
    name = re.sub(r",?\s+(?:inc|corp|corporation|company|co|ltd|plc|llc|n\.v|s\.a)\.?$", "", (company or "").strip(),
                  flags=re.I)
    return name or "the company"


@dataclass(frozen=True)
class _Found:
    kind: str
    question: str
    index: int  # the positive sentence's position in the filing's sentence list
    subject: str
    period: str
    where: str = ""  # the heading the question names when the filing states the same change under several


def _questions(sentences: list[str], company: str, rng: random.Random) -> list[_Found]:
    out: list[_Found] = []
    c = _company_word(company)
    for i, sentence in enumerate(sentences):
        body = " ".join(sentence.split()).rstrip(".")
        if len(body) > 600 or sum(ch.isdigit() for ch in body) > len(body) * 0.25:
            continue
        change = _CHANGE.search(body)
        noun_change = _NOUN_CHANGE.search(body)
        reason_here = _HAS_REASON.search(body)
        reason_next = i + 1 < len(sentences) and ANAPHOR.match(" ".join(sentences[i + 1].split())) \
            and _HAS_REASON.search(sentences[i + 1])
        if noun_change:
            raw, up = noun_change.group("subj"), noun_change.group("dir").lower() in ("increase", "growth", "improvement", "rise")
        elif change and (reason_here or reason_next):
            raw, up = change.group("subj"), change.group("verb").lower().split()[-1].startswith(_UP)
        else:
            raw = None
        if raw and (subject := _clean_subject(raw)):
            period = _PERIOD.search(body) or (_PERIOD.search(sentences[i - 1]) if noun_change and i else None)
            said = period.group(0) if period and rng.random() < 0.8 else ""
            said = re.sub(r"^(?:in|during|for)\s+", "", said, flags=re.I)
            template = rng.choice(T_WHY)
            subject_said = subject if rng.random() < 0.7 or "{c}" in template else f"{c}'s {subject}"
            figure = _FIGURE.search(body)
            question = template.format(s=subject_said, c=c, base="increase" if up else "decrease",
                                       noun="increase" if up else "decrease", updown="up" if up else "down",
                                       p=f" in {said}" if said else "",
                                       amount=f"{figure.group(0)} " if figure and rng.random() < 0.5 else "")
            question = _with_source(question, c, rng)
            out.append(_Found("why", question, i + 1 if (reason_next and not reason_here) else i, subject.lower(),
                              said.lower()))
        for pattern, kind in _DEFINE:
            m = pattern.search(body)
            if m and (subject := _clean_subject(m.group("subj"))):
                question = _with_source(rng.choice(T_DEFINE[kind]).format(s=subject, c=c), c, rng)
                out.append(_Found("define", question, i, subject.lower(), ""))
                break
        if _HEADCOUNT.search(body):
            out.append(_Found("count", rng.choice(T_EMPLOYEES).format(c=c), i, "employees", ""))
    return out


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z][a-z&-]+", text.lower()) if len(w) > 2}


def filing_pairs(filing, rng: random.Random, per_kind: int = 40, negatives: int = 6) -> list[Pair]:
    """Generated questions of one filing, each with its positive and its hard negatives."""
    from corpus.sentences import split_spans

    text = filing.text
    spans = split_spans(text)
    sentences = [text[a:b] for a, b in spans]
    found = _questions(sentences, filing.company, rng)
    by_kind: dict[str, list[_Found]] = {}
    for f in found:
        by_kind.setdefault(f.kind, []).append(f)

    def rendered(i: int) -> str:
        return candidate_text(heading_of(filing, spans[i][0]), sentences[i - 1] if i else "", sentences[i])

    pairs: list[Pair] = []
    titles = [(filing.section_at(a).title if filing.section_at(a) else "") for a, _ in spans]
    whys = list(by_kind.get("why", []))
    for k, f in enumerate(whys):
        same = {titles[g.index] for g in whys if g.subject == f.subject and g.period == f.period}
        if len(same) > 1 and titles[f.index]:
            # "Why did operating income increase?" has several answers; under its heading it has one
            where = " ".join(titles[f.index].split())
            whys[k] = replace(f, question=f"{f.question.rstrip('?.')} for {where}?", where=where.lower())
    keys = [(f.subject, f.period, f.where) for f in whys]
    # the same question with two different answers in one filing would teach noise: asked of neither
    whys = [f for f, key in zip(whys, keys) if keys.count(key) == 1]
    by_kind["why"] = whys
    reasons = whys
    for kind, items in sorted(by_kind.items()):
        rng.shuffle(items)
        for f in items[:per_kind]:
            subject_words = _words(f.subject)
            pool: list[int] = []
            if kind == "why":
                # other reasons: another period of the same figure, another figure, another segment
                pool += [g.index for g in reasons if g.index != f.index
                         and not (g.subject == f.subject and (g.period == f.period or not f.period)
                                 and (g.where == f.where or not f.where))]
                # the change stated without its reason, and other sentences naming the figure
                pool += [j for j in range(max(0, f.index - 3), min(len(sentences), f.index + 4))
                         if j not in (f.index, f.index - 1)]
            else:
                pool += [g.index for g in by_kind.get(kind, []) if g.subject != f.subject]
            pool += [j for j, s in enumerate(sentences) if j != f.index and subject_words
                     and len(subject_words & _words(s)) >= max(1, len(subject_words) - 1)
                     and not (kind == "count" and _EMPLOYEES.search(s))]
            pool = [j for j in dict.fromkeys(pool) if 25 <= len(sentences[j].strip()) <= 900
                    and " ".join(sentences[j].split()) != " ".join(sentences[f.index].split())]
            if not pool:
                continue
            picked = rng.sample(pool, min(negatives, len(pool)))
            source = f"filings-{kind}"
            pairs.append(Pair(f.question, rendered(f.index), 1, source, filing.doc_id))
            pairs += [Pair(f.question, rendered(j), 0, source, filing.doc_id) for j in picked]
    return pairs


# ------------------------------------------------------------------------------------------------- SQuAD

def squad_pairs(path: Path = SQUAD, rng: random.Random | None = None, questions: int = 3000,
                negatives: int = 3) -> list[Pair]:
    """The answer's sentence against its paragraph's other sentences; unanswerable questions, negatives only."""
    from corpus.sentences import split_spans

    rng = rng or random.Random(13)
    data = json.loads(Path(path).read_text(encoding="utf-8"))["data"]
    items = []
    for article in data:
        for paragraph in article["paragraphs"]:
            context = paragraph["context"]
            spans = split_spans(context)
            for qa in paragraph["qas"]:
                items.append((article["title"], context, spans, qa))
    rng.shuffle(items)
    pairs: list[Pair] = []
    for title, context, spans, qa in items[:questions]:
        sentences = [(a, b) for a, b in spans if b - a >= 20]
        if len(sentences) < 2:
            continue
        if qa.get("is_impossible"):
            for a, b in rng.sample(sentences, min(negatives, len(sentences))):
                pairs.append(Pair(qa["question"], context[a:b], 0, "squad", title))
            continue
        start = qa["answers"][0]["answer_start"]
        hit = next(((a, b) for a, b in sentences if a <= start < b), None)
        if hit is None:
            continue
        pairs.append(Pair(qa["question"], context[hit[0]:hit[1]], 1, "squad", title))
        others = [s for s in sentences if s != hit]
        for a, b in rng.sample(others, min(negatives, len(others))):
            pairs.append(Pair(qa["question"], context[a:b], 0, "squad", title))
    return pairs


# ------------------------------------------------------------------------------------------------ dataset

@dataclass(frozen=True)
class Dataset:
    train: list[Pair]
    validation: list[Pair]
    counts: dict


def build(seed: int = 13, per_kind: int = 40, squad_questions: int = 3000, validation_fraction: float = 0.1,
          filings_dir: Path = FILINGS_DIR, squad_path: Path = SQUAD, progress=None) -> Dataset:
    """Pairs from the unsealed filings and SQuAD, split by filing / article into train and validation."""
    from corpus import load_filing

    rng = random.Random(seed)
    paths = training_filings(filings_dir, sealed_companies(), sealed_docs())
    pairs: list[Pair] = []
    read = 0
    for path in paths:
        try:
            filing = load_filing(path)
        except Exception as exc:  # noqa: BLE001 - a filing the loader rejects is left out, and counted
            if progress:
                progress(f"skipped {path.name}: {exc}")
            continue
        if _FORBIDDEN.search(filing.company or ""):
            continue
        read += 1
        pairs += filing_pairs(filing, rng, per_kind)
        if progress:
            progress(f"{path.name}: {len(pairs)} pairs so far")
    if Path(squad_path).exists():
        pairs += squad_pairs(squad_path, rng, squad_questions)
    groups = sorted({p.group for p in pairs})
    rng.shuffle(groups)
    held = set(groups[:max(1, round(len(groups) * validation_fraction))])
    train = [p for p in pairs if p.group not in held]
    validation = [p for p in pairs if p.group in held]
    rng.shuffle(train)
    counts: dict = {"filings_read": read, "pairs": len(pairs), "train": len(train), "validation": len(validation),
                    "validation_groups": len(held), "by_source": {}}
    for p in pairs:
        entry = counts["by_source"].setdefault(p.source, {"positive": 0, "negative": 0})
        entry["positive" if p.label else "negative"] += 1
    return Dataset(train, validation, counts)
