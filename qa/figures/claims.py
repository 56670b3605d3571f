"""Change claims in filing prose, and checks of their arithmetic.

A change claim is a sentence such as "Service revenue increased 14% or $425,000, to
$3,525,000 for the three months ended September 30, 2020 as compared to $3,100,000 for
the three months ended September 30, 2019". It states up to four related numbers
(current, prior, change, percent) and a direction word; `verify_claim` checks that they
agree. MD&A then explains the change with a driver list ("primarily due to an increase
in X of $A, ..., offset by a decrease in Y of $B"); `reconcile_drivers` checks that the
drivers add up to the stated change.

Sign conventions, stated once:
- `Claim.change` is the stated amount signed by the direction word ("decreased ... $30,000" -> -30000).
- `Claim.percent` is the stated magnitude; a percent is computed as |change| / |prior|.
- Values are in the metric's own terms. "$2,000 of net other income" in a sentence about
  "Other expenses" is -2,000 of expense; a parenthesised "$(20,000)" for an expense metric
  is 20,000 of expense, because filings print the expense side of an income/(expense) line
  in parentheses.
- Drivers follow the writer's own framing: items listed as the cause move the metric in the
  claim's direction, items after "offset by" move it the other way. This is what makes
  "the decrease in income ... is due to an increase in operating expenses of $722,000 ...,
  offset by an increase in revenue of $541,000" come to -200,000 without knowing which
  line items are expenses.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Sequence

from corpus.model import Section
from corpus.periods import parse_period as parse_corpus_period
from corpus.sentences import split_spans
from corpus.structure import build_structure
from corpus.words import direction_of
from qa.figures.numbers import Quantity, find_quantities, rounding_unit
from qa.model import Check, overall_status

# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Claim:
    """One stated change of one metric between two periods."""

    metric: str  # the subject noun phrase: "Cloud Telecommunications service revenue"
    segment: str | None
    period: str | None  # "three months ended September 30, 2020", "as of September 30, 2020"
    current: Decimal | None
    prior: Decimal | None
    change: Decimal | None  # stated amount, signed by the direction word
    percent: Decimal | None  # stated magnitude
    percent_text: str | None  # as written ("1,167%"), which fixes the precision it was rounded to
    direction: str  # 'increase' | 'decrease' | 'flat' | 'unknown'
    text: str  # the sentence, text[start:end]
    start: int
    end: int
    # The rounding unit of the least precise amount as printed: 0 when written in full ("$1,351,000"),
    # 100,000,000 for "$2.5 billion". Checks allow for it instead of reporting rounding as a mismatch.
    precision: Decimal = Decimal(0)


@dataclass(frozen=True)
class Driver:
    """One item of an explanation: "an increase in recruiting fees of $55,000"."""

    label: str
    direction: str  # the item's own word: 'increase' | 'decrease' | 'unknown'
    amount: Decimal  # magnitude as stated
    start: int
    end: int
    offsetting: bool = False  # listed after "offset by": moves the metric against the claim


@dataclass(frozen=True)
class DriverSum:
    """Drivers of a claim added up in the claim's direction, against the stated change."""

    claim_metric: str
    drivers: tuple[Driver, ...]
    total: Decimal  # signed like Claim.change
    stated_change: Decimal
    unexplained: Decimal  # stated_change - total
    status: str  # 'verified' (exact) | 'partial' (drivers explain part, same sign) | 'mismatch'
    start: int  # span of the explaining sentence
    end: int


@dataclass(frozen=True)
class AuditReport:
    """Every claim in a text with its checks, and every driver list with its sum."""

    claims: tuple[Claim, ...]
    checks: tuple[tuple[Check, ...], ...]  # checks[i] belong to claims[i]
    driver_sums: tuple[DriverSum, ...] = field(default_factory=tuple)

    def claim_status(self, index: int) -> str:
        """'mismatch' if any check fails, 'verified' if all pass, else 'unverifiable'."""
        return overall_status(self.checks[index])

    def status_counts(self) -> dict[str, int]:
        counts = {"verified": 0, "mismatch": 0, "unverifiable": 0}
        for checks in self.checks:
            counts[overall_status(checks)] += 1
        return counts

    def summary(self) -> str:
        counts = self.status_counts()
        reconciled = sum(1 for s in self.driver_sums if s.status == "verified")
        return (
            f"{len(self.claims)} claims: {counts['verified']} verified, {counts['mismatch']} mismatch, "
            f"{counts['unverifiable']} unverifiable; {len(self.driver_sums)} driver sums: {reconciled} reconcile"
        )


# --------------------------------------------------------------------------- sentences

# A blank line ends a paragraph unless the text goes on in lower case (see corpus.sentences).
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*(?![a-z])")


def _paragraph_end(text: str, position: int) -> int:
    m = _PARAGRAPH_BREAK.search(text, position)
    return m.start() if m else len(text)


def _squash(text: str) -> str:
    return " ".join(text.split())


# --------------------------------------------------------------------------- claims

_CHANGE_VERB = re.compile(
    r"\b(?:has\s+|have\s+|had\s+)?(?P<verb>increased|decreased|rose|fell|grew|declined|dropped|climbed|improved)\b"
    r"(?P<gap>,?\s+(?:by\s+)?(?:approximately\s+|about\s+|nearly\s+|almost\s+)?)(?=[$\d(]|-\d)",
    re.IGNORECASE,
)
_STATE_VERB = re.compile(
    r"\b(?P<verb>was|were|totaled|totalled|amounted\s+to)\b(?P<gap>\s+(?:approximately\s+)?)(?=\$)",
    re.IGNORECASE,
)
_COMPARED = re.compile(r"\b(?:compared\s+(?:to|with)|versus|vs\.)", re.IGNORECASE)
_NOT_A_SUBJECT = re.compile(r"^(?:the|this|these|such)\s+(?:net\s+)?(?:increase|decrease|change)s?\b|^there\b", re.I)
_INTRODUCTORY = re.compile(r"^(?:during|for|in|as\s+of|at|on|through|compared)\b[^,]*,\s*", re.IGNORECASE)
_QUALIFIER = re.compile(r"\s*of\s+(?:net\s+)?(?:other\s+)?(?P<kind>income|expense|loss|gain)s?\b", re.IGNORECASE)
_EXPENSE_WORDS = re.compile(r"\b(?:expenses?|loss(?:es)?|costs?|provision)\b", re.IGNORECASE)
_INCOME_WORDS = re.compile(r"\b(?:income|gains?|revenues?|profit|earnings)\b", re.IGNORECASE)
_NOUN_DIRECTION = re.compile(r"\b(?:an?\s+)?(?P<word>increase|decrease|decline|reduction)\s+of\b", re.IGNORECASE)

def parse_period(text: str) -> str | None:
    """The first reporting period named in `text` as a short label, e.g. "nine months ended September 30, 2020"."""
    period = parse_corpus_period(text)
    return period.label if period else None


def extract_claims(text: str, *, segment: str | None = None, period: str | None = None) -> list[Claim]:
    """Change claims in `text`, one per sentence, with offsets into `text`.

    `segment` is recorded on every claim; `period` is the fallback when a sentence names none.
    """
    claims = []
    for start, end in split_spans(text):
        claim = _claim_in_sentence(text, start, end, segment, period)
        if claim is not None:
            claims.append(claim)
    return claims


def _claim_in_sentence(text: str, start: int, end: int, segment: str | None, period: str | None) -> Claim | None:
    sentence = text[start:end]
    verb = _claim_verb(sentence)
    if verb is None:
        return None
    metric = _metric(sentence[: verb.start()])
    if not metric:
        return None
    roles = _assign_roles(sentence, verb)
    if roles is None:
        return None
    word = verb.group("verb").lower()
    direction = _direction_of(word)
    if direction == "unknown":
        noun = _NOUN_DIRECTION.search(sentence, verb.end())
        if noun and (roles["prior"] is None or noun.start() < roles["prior"].start):
            direction = _direction_of(noun.group("word").lower())
    polarity = _polarity(metric)
    current = _in_metric_terms(roles["current"], sentence, polarity)
    prior = _in_metric_terms(roles["prior"], sentence, polarity)
    change = abs(roles["change"].value) if roles["change"] is not None else None
    if change is not None and direction == "decrease":
        change = -change
    percent = roles["percent"]
    precision = max((rounding_unit(q) for q in (roles["current"], roles["prior"], roles["change"]) if q is not None),
                    default=Decimal(0))
    return Claim(
        metric=metric,
        segment=segment,
        period=parse_period(sentence) or period,
        current=current,
        prior=prior,
        change=change,
        percent=abs(percent.value) if percent is not None else None,
        percent_text=percent.text if percent is not None else None,
        direction=direction,
        text=sentence,
        start=start,
        end=end,
        precision=precision,
    )


def _claim_verb(sentence: str) -> re.Match[str] | None:
    """The main verb of a change claim: "increased 14%", or "was $24,000 ... compared to"."""
    m = _CHANGE_VERB.search(sentence)
    if m:
        return m
    m = _STATE_VERB.search(sentence)
    if m and _COMPARED.search(sentence, m.end()):
        return m
    return None


def _metric(subject: str) -> str:
    """The subject noun phrase, without "Our" and any introductory "During ...," phrase."""
    subject = _squash(subject).rstrip(" ,")
    if _NOT_A_SUBJECT.search(subject):
        return ""
    subject = _INTRODUCTORY.sub("", subject)
    subject = re.sub(r"^(?:our|the\s+company's|the)\s+", "", subject, flags=re.IGNORECASE)
    subject = re.sub(r"\s+(?:has|have|had)$", "", subject)
    if not subject or len(subject.split()) > 14:
        return ""  # a clause rather than a line item
    return subject[0].upper() + subject[1:]


_EXPLANATION_OR_TABLE = re.compile(
    r"\b(?:(?:primarily|mainly|largely|principally|partially|partly)\s+)?(?:due\s+(?:primarily\s+|mainly\s+)?to|driven\s+by"
    r"|attributable\s+to|as\s+a\s+result\s+of|resulting\s+from|offset\s+by)\b|:\s|\bas\s+(?:detailed|shown|follows)\b",
    re.IGNORECASE,
)


def _assign_roles(sentence: str, verb: re.Match[str]) -> dict[str, Quantity | None] | None:
    """Which stated amount is the change, the new value, the old value, and the percent.

    Roles come from the words just before each amount: "or $425,000" is the change,
    "to $3,525,000" the new value, "compared to $3,100,000" (or "from $X") the old one.
    """
    roles: dict[str, Quantity | None] = {"current": None, "prior": None, "change": None, "percent": None}
    stating = verb.re is _STATE_VERB  # "was $X ... compared to $Y": the first amount is the new value
    previous_end = verb.end("verb")
    compared_seen = False
    # Amounts in the explanation ("... due primarily to (1) an increase of $18.4 million") or in a table the
    # sentence introduces ("... as detailed below:") are drivers and cells, not the claim's own figures.
    stop = _EXPLANATION_OR_TABLE.search(sentence, verb.end("verb"))
    limit = stop.start() if stop else len(sentence)
    second_claim = _CHANGE_VERB.search(sentence, verb.end())  # "..., and in 2019 decreased by $1.6 billion"
    if second_claim:
        limit = min(limit, second_claim.start())
    for q in find_quantities(sentence):
        if q.start < verb.end("verb") or q.unit not in ("USD", "%"):
            continue
        if q.start >= limit:
            break
        before = _squash(sentence[previous_end : q.start]).lower()
        previous_end = q.end
        compared_seen = compared_seen or bool(_COMPARED.search(before))
        if q.unit == "%":
            # "decreased 190 basis points to 42.7%": a rate it moved to (or from) is a level, not the change
            if roles["percent"] is None and not compared_seen and not re.search(r"\b(?:to|from)$", before):
                roles["percent"] = q
            continue
        if compared_seen:
            roles["prior"] = q
            break  # the first amount after "compared to" is the old value; the rest is commentary
        if re.search(r"\b(?:increase|decrease|decline|reduction)\s+of$|\bor$", before) and roles["change"] is None:
            roles["change"] = q  # "..., an increase of $1.2 million, or 12.9%" after the new value
        elif re.search(r"\bfrom$", before):
            roles["prior"] = q
        elif re.search(r"\bto$", before) and roles["current"] is None:
            roles["current"] = q
        elif stating and roles["current"] is None:
            roles["current"] = q
        elif roles["change"] is None and roles["current"] is None and not stating:
            roles["change"] = q
    if stating:
        if roles["current"] is None or roles["prior"] is None:
            return None
    elif roles["change"] is None and roles["percent"] is None:
        return None
    return roles


def _direction_of(word: str) -> str:
    return direction_of(word) or "unknown"


def _polarity(metric: str) -> str:
    """'expense' for costs and losses, 'income' for revenue and income, else ''.

    The head noun decides: the last such word before any "of"/"before" phrase, so "Cost of
    service revenue" is an expense, "Income before income taxes" income, "Income tax provision" an expense.
    """
    head = re.split(r"\s+(?:of|before|after|from|for|on|in|net\s+of)\s+", metric, maxsplit=1)[0]
    words = [(m.start(), "expense") for m in _EXPENSE_WORDS.finditer(head)]
    words += [(m.start(), "income") for m in _INCOME_WORDS.finditer(head)]
    return max(words)[1] if words else ""


def _in_metric_terms(q: Quantity | None, sentence: str, polarity: str) -> Decimal | None:
    """A stated value in the metric's own sign (see the module docstring)."""
    if q is None:
        return None
    qualifier = _QUALIFIER.match(sentence, q.end)
    if qualifier and polarity:
        side = "expense" if qualifier.group("kind").lower() in ("expense", "loss") else "income"
        return abs(q.value) if side == polarity else -abs(q.value)
    if q.value < 0 and polarity == "expense":
        return abs(q.value)  # "$(20,000)" for an expense: the expense side printed in parentheses
    return q.value


# --------------------------------------------------------------------------- checks


def claim_label(claim: Claim) -> str:
    parts = [claim.metric]
    if claim.segment:
        parts.append(f"[{claim.segment}]")
    if claim.period:
        parts.append(f"({claim.period})")
    return " ".join(parts)


def verify_claim(claim: Claim) -> list[Check]:
    """Check what the claim states: change = current - prior, the percent, and the direction word."""
    label = claim_label(claim)
    checks = []
    computed_change = claim.current - claim.prior if claim.current is not None and claim.prior is not None else None
    if claim.change is not None and computed_change is not None:
        checks.append(_check_change(label, claim.change, computed_change, claim.precision))
    if claim.percent is not None:
        checks.append(_check_percent(label, claim, computed_change))
    if claim.direction in ("increase", "decrease"):
        direction_check = _check_direction(label, claim.direction, computed_change)
        if direction_check is not None:
            checks.append(direction_check)
    if not checks:
        detail = "no change or percent stated to check"
        if computed_change is not None:
            detail += f"; current - prior = {_money(computed_change)}"
        checks.append(Check(label, "unverifiable", detail, "comparison"))
    return checks


def _check_change(label: str, stated: Decimal, computed: Decimal, precision: Decimal = Decimal(0)) -> Check:
    if abs(stated) == abs(computed):
        return Check(label, "verified", f"current - prior = {_money(computed)}, stated {_money(abs(stated))}", "change")
    if precision and abs(abs(stated) - abs(computed)) <= precision * Decimal("1.5"):
        return Check(label, "verified", f"current - prior = {_money(computed)}, stated {_money(abs(stated))}: equal within "
                     f"the rounding of the amounts (to {_money(precision)})", "change")
    return Check(
        label, "mismatch", f"current - prior = {_money(computed)}, but the stated change is {_money(abs(stated))}",
        "change",
    )


def _check_percent(label: str, claim: Claim, computed_change: Decimal | None) -> Check:
    change = claim.change if claim.change is not None else computed_change
    prior = claim.prior
    if prior is None and claim.current is not None and claim.change is not None:
        prior = claim.current - claim.change
    if change is None or prior is None:
        return Check(label, "unverifiable", "percent stated without the amounts to recompute it", "percent")
    if prior == 0:
        return Check(label, "unverifiable", "undefined (zero base)", "percent")
    exact = abs(change) / abs(prior) * 100
    places = _decimal_places(claim.percent_text or "")
    rounded = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    shown = f"{_money(abs(change))} / {_money(abs(prior))} = {exact.quantize(Decimal('0.01'), ROUND_HALF_UP)}%"
    if rounded == claim.percent:
        return Check(label, "verified", f"{shown}, rounds to {rounded}% as stated", "percent")
    if claim.precision and claim.current is not None and claim.prior is not None:
        low, high = _percent_range(claim.current, claim.prior, claim.precision / 2)
        half = Decimal(1).scaleb(-places) / 2
        if low <= claim.percent + half and claim.percent - half <= high:
            return Check(label, "verified", f"{shown}; the amounts are rounded (to {_money(claim.precision)}), so the change "
                         f"lies between {low:.1f}% and {high:.1f}%, which includes the stated {claim.percent_text}", "percent")
    return Check(label, "mismatch", f"{shown}, rounds to {rounded}%, but {claim.percent_text} is stated", "percent")


def _percent_range(current: Decimal, prior: Decimal, half_unit: Decimal) -> tuple[Decimal, Decimal]:
    """Smallest and largest |change| / |prior| when both amounts may be off by half a printed unit."""
    values = []
    for c in (current - half_unit, current + half_unit):
        for p in (prior - half_unit, prior + half_unit):
            if p != 0:
                values.append(abs(c - p) / abs(p) * 100)
    return min(values), max(values)


def _check_direction(label: str, direction: str, computed_change: Decimal | None) -> Check | None:
    if computed_change is None:
        return None
    agrees = computed_change > 0 if direction == "increase" else computed_change < 0
    status = "verified" if agrees else "mismatch"
    return Check(label, status, f"'{direction}' with current - prior = {_money(computed_change)}", "direction")


def _decimal_places(percent_text: str) -> int:
    m = re.search(r"\.(\d+)", percent_text)
    return len(m.group(1)) if m else 0


def _money(value: Decimal) -> str:
    sign = "-" if value < 0 else ""
    magnitude = abs(value)
    body = f"{magnitude:,.2f}".rstrip("0").rstrip(".") if magnitude != magnitude.to_integral() else f"{magnitude:,.0f}"
    return f"{sign}${body}"


# --------------------------------------------------------------------------- drivers

_EXPLANATION_START = re.compile(
    r"^(?:(?:the|this|these|such)\s+(?:net\s+)?(?:increases?|decreases?|declines?|growth|changes?|reductions?)\b"
    r"|there\s+(?:was|were)\s+an?\s+(?:increase|decrease)\b)",
    re.IGNORECASE,
)
_TRIGGER = re.compile(
    r"\b(?:due\s+to|related\s+to|attributable\s+to|attributed\s+to|driven\s+by|result\s+of|resulted\s+from"
    r"|is\s+from|was\s+from|from\s+an?\b|there\s+(?:was|were))",
    re.IGNORECASE,
)
_OFFSET = re.compile(r"\b(?:partially\s+|partly\s+)?offset\s+(?:in\s+part\s+)?by\b", re.IGNORECASE)
_DIRECTION_PHRASE = re.compile(
    r"\b(?:(?:an?|the|our)\s+)?(?:net\s+)?(?P<word>increase|decrease|decline|reduction)s?\b", re.IGNORECASE
)
_DIRECTION_AFTER = re.compile(r"\s+(?P<word>increase|decrease|decline|reduction)s?\b", re.IGNORECASE)
# Where a label written after its amount stops: "$90,000 increase in inventory deposits, ..."
_LABEL_STOP = re.compile(
    r",|;|\.(?:\s|$)|\s+(?:offset|and\s+(?:an?\s+|the\s+)?(?:\$|increase|decrease)|as\s+a\s+result|related\s+to"
    r"|due\s+to|directly|primarily|which|during)\b",
    re.IGNORECASE,
)


def extract_drivers(text: str) -> list[Driver]:
    """The items of an explanation sentence, each with its amount, direction word and span.

    Handles "an increase in X of $A", "a $A increase in X", "an increase of $A in X",
    "and Y of $B" (same direction as the item before), and amounts with no direction word
    ("the $1,961,000 note payable", "$54,000 in earn-out payments").
    """
    trigger = _TRIGGER.search(text)
    clause_start = trigger.end() if trigger else 0
    offset = _OFFSET.search(text, clause_start)
    offset_at = offset.start() if offset else len(text) + 1
    amounts = [q for q in find_quantities(text) if q.start >= clause_start and q.unit == "USD"]
    drivers: list[Driver] = []
    item_end = clause_start  # where the previous item stopped; the next one starts after it
    inherited = "unknown"
    for q in amounts:
        after_word = _DIRECTION_AFTER.match(text, q.end)
        if after_word:  # "a $90,000 increase in inventory deposits"
            direction = _direction_of(after_word.group("word").lower())
            start = _article_start(text, q.start, item_end)
            label, end = _label_after(text, after_word.end())
        else:
            gap = text[item_end : q.start]
            phrases = list(_DIRECTION_PHRASE.finditer(gap))
            if phrases:  # "an increase in recruiting fees of $55,000" / "an increase of $97,000 in salaries"
                phrase = phrases[-1]
                direction = _direction_of(phrase.group("word").lower())
                start = item_end + phrase.start()
                label = _label_between(gap[phrase.end() :])
                end = q.end
                if not label:
                    label, end = _label_after(text, q.end)
            else:  # "and other expense of $35,000", "net income of $779,000", "the $1,961,000 note payable"
                direction = inherited
                label = _label_between(_after_separator(gap))
                start = item_end + len(gap) - len(_after_separator(gap).lstrip()) if label else q.start
                end = q.end
                if not label:
                    start = _article_start(text, q.start, item_end)
                    label, end = _label_after(text, q.end)
        drivers.append(Driver(label, direction, abs(q.value), start, end, offsetting=start > offset_at))
        inherited = direction
        item_end = max(end, q.end)
    return drivers


def _article_start(text: str, amount_start: int, floor: int) -> int:
    m = re.search(r"\b(?:an?|the)\s+$", text[floor:amount_start], re.IGNORECASE)
    return floor + m.start() if m else amount_start


def _label_after(text: str, position: int) -> tuple[str, int]:
    """A label written after the amount, up to the next item; returns (label, end offset)."""
    stop = _LABEL_STOP.search(text, position)
    end = stop.start() if stop else len(text)
    raw = text[position:end]
    label = re.sub(r"^\s*(?:in|of|for|from)\s+", "", _squash(raw))
    return label, position + len(raw.rstrip())


def _label_between(words: str) -> str:
    """The label in "in recruiting fees of " -> "recruiting fees"; "" when only "of " is there."""
    m = re.match(r"\s*(?:(?:in|of|for|on)\s+)?(?P<label>.*?)\s+(?:of|in|from|for)\s*$", words, re.DOTALL)
    if not m:
        return ""  # no "X of" before the amount: the label, if any, comes after it
    label = _squash(m.group("label")).strip(" ,")
    return re.sub(r"^(?:and|the|a|an|our)\s+", "", label, flags=re.IGNORECASE)


def _after_separator(gap: str) -> str:
    """The part of an inter-item gap after the last ', ' or ' and ': the next item's own words."""
    parts = re.split(r",|\band\b|;", gap)
    return parts[-1] if parts else gap


def reconcile_drivers(claim: Claim, following_text: str, *, offset: int = 0) -> DriverSum | None:
    """Add up the drivers in the explanation that follows `claim`, against its stated change.

    The explanation is the first sentence of `following_text` that opens like "The increase
    in ... is due to" or "There was an increase in"; `offset` is where `following_text`
    starts in the audited text, so spans index into that text. None when there is no
    explanation with amounts, or nothing stated to reconcile against.
    """
    stated = claim.change
    if stated is None and claim.current is not None and claim.prior is not None:
        stated = claim.current - claim.prior
    if stated is None:
        return None
    for start, end in split_spans(following_text):
        sentence = following_text[start:end]
        if not _EXPLANATION_START.search(sentence):
            continue
        drivers = extract_drivers(sentence)
        if not drivers:
            return None
        shift = offset + start
        drivers = [replace(d, start=d.start + shift, end=d.end + shift) for d in drivers]
        return _sum_drivers(claim, stated, tuple(drivers), offset + start, offset + end)
    return None


def _sum_drivers(claim: Claim, stated: Decimal, drivers: tuple[Driver, ...], start: int, end: int) -> DriverSum:
    if claim.direction in ("increase", "decrease"):
        claim_sign = 1 if claim.direction == "increase" else -1
    else:
        claim_sign = -1 if stated < 0 else 1
    total = sum(((-d.amount if d.offsetting else d.amount) for d in drivers), Decimal(0)) * claim_sign
    unexplained = stated - total
    if unexplained == 0:
        status = "verified"
    elif total * stated > 0 and abs(total) < abs(stated):
        status = "partial"  # "primarily due to": the listed drivers need not be all of it
    else:
        status = "mismatch"
    return DriverSum(claim.metric, drivers, total, stated, unexplained, status, start, end)


# --------------------------------------------------------------------------- audit

def audit_text(text: str, sections: Sequence[Section] | None = None) -> AuditReport:
    """Find every claim in `text`, check each, and reconcile each one's driver list.

    Segment and fallback period come from the section a claim sits under (corpus/ finds the
    sections and their context; pass a Filing's `sections` to reuse them). A claim's drivers are
    looked for between the claim and the next claim or the end of its paragraph.
    """
    if sections is None:
        sections = build_structure(text)[0]
    claims = [_with_section_context(c, sections) for c in extract_claims(text)]
    checks = tuple(tuple(verify_claim(c)) for c in claims)
    sums = []
    for i, claim in enumerate(claims):
        stop = _paragraph_end(text, claim.end)
        if i + 1 < len(claims):
            stop = min(stop, claims[i + 1].start)
        driver_sum = reconcile_drivers(claim, text[claim.end : stop], offset=claim.end)
        if driver_sum is not None:
            sums.append(driver_sum)
    return AuditReport(tuple(claims), checks, tuple(sums))


def _with_section_context(claim: Claim, sections: Sequence[Section]) -> Claim:
    section = next((sec for sec in sections if sec.start <= claim.start < sec.end), None)
    if section is None:
        return claim
    period = claim.period or (section.period.label if section.period else None)
    return replace(claim, segment=claim.segment or section.segment, period=period)
