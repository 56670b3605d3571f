"""Filing metadata from the file name and the cover page: company, form, fiscal period."""
from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.fiscal import calendar_for, fiscal_period, month_day_text, parse_month_day
from corpus.periods import DATE_RE, iso_date
from corpus.words import LEGAL_FORM

_FORMS = {"10K": "10-K", "10Q": "10-Q", "8K": "8-K", "EARNINGS": "earnings release", "20F": "20-F", "6K": "6-K",
          "10-K": "10-K", "10-Q": "10-Q", "8-K": "8-K"}
_NAME_RE = re.compile(
    r"^(?P<company>[A-Za-z][\w&.\-]*?)_(?P<year>(?:19|20)\d\d)(?:Q(?P<q>[1-4]))?_(?P<form>10-?K|10-?Q|8-?K|EARNINGS|20-?F|6-?K)"
    r"(?:_(?P<date>\d{4}-\d\d-\d\d))?$",
    re.I,
)
_QUARTER_END_RE = re.compile(rf"for\s+the\s+(?:quarterly\s+period|quarter|three\s+months)\s+ended\s*:?\s*(?P<date>{DATE_RE.pattern})", re.I)
# An earnings release states its quarter near the top: "results for the thirteen-week period (...) ended July 29, 2023".
_RELEASE_QUARTER_RE = re.compile(rf"\b(?:quarter|three\s+months|(?:thirteen|13)[\s-]+weeks?)[^.]{{0,120}}?\bended\s+(?P<date>{DATE_RE.pattern})", re.I)
_YEAR_END_RE = re.compile(rf"for\s+the\s+(?:fiscal\s+)?year\s+ended\s*:?\s*(?P<date>{DATE_RE.pattern})", re.I)
# Cover-page lines that sit where a registrant name would but are not one (the name may be a logo image).
_NOT_A_NAME = re.compile(r"commission\s+file|file\s+number|\(mark\s+one\)|^form\s|securities\s+and\s+exchange|"
                         r"transition\s+period|^[\d\W_]+$|\bact\s+of\s+19|quarterly\s+report|annual\s+report", re.I)
_KEEP_UPPER = {"PLC", "LLC", "LP", "LLP", "NV", "N.V.", "SA", "S.A.", "AG", "SE", "AB", "II", "III", "USA", "U.S."}
_FORM_TEXT_RE = re.compile(r"\bFORM\s+(10-K|10-Q|8-K|20-F|6-K)\b", re.I)
_REGISTRANT_RE = re.compile(r"\n\s*([A-Z][^\n]{1,80}?)\s*\n\s*\(Exact\s+name\s+of\s+(?:the\s+)?registrant", re.I)
# A cover page set as a table, one registrant a row (a parent and its utility filing together): "1-12609 PG&E
# Corporation California 94-3234914". The first row is the parent.
_REGISTRANT_ROW_RE = re.compile(
    r"^\s*\d{1,3}-\d{3,6}\s+(?P<name>[A-Z][\w&.,'’ -]{0,60}?\b(?i:" + LEGAL_FORM + r")\.?)(?=\s)", re.M)
_QUARTER_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4}
# A press release names its issuer with its ticker: "Ulta Beauty, Inc. (NASDAQ: ULTA)", "eBay Inc. (Nasdaq: EBAY)".
_ISSUER_RE = re.compile(
    r"(?<![\w&.'’-])((?:[A-Za-z][\w&.'’-]*\s+){0,3}?[A-Za-z][\w&.'’-]*,?\s+"
    rf"(?i:{LEGAL_FORM})\.?)"
    r"\s*\(\s*(?:NASDAQ|Nasdaq|NYSE|Nyse|NYSE American|Nasdaq Global Select Market)\s*:\s*[A-Z][A-Z.]{0,5}\s*\)"
    # or the release's first sentence: "McDonald's Corporation today announced results"
    r"|(?<![\w&.'’-])((?:[A-Z][\w&.'’-]*\s+){0,3}?[A-Z][\w&.'’-]*,?\s+" rf"(?i:{LEGAL_FORM})\.?)"
    r"\s+(?:today\s+)?(?:announced|reported)\b"
    # or a dateline's name and ticker without a legal form: "August 30, 2023 - Salesforce (NYSE: CRM)"
    r"|\s[-–—]\s+([A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,2})\s*\(\s*(?:NASDAQ|Nasdaq|NYSE)\s*:\s*[A-Z][A-Z.]{0,5}\s*\)")


@dataclass(frozen=True)
class FilingMeta:
    company: str | None = None
    form: str | None = None
    period_end: str | None = None
    fiscal_year: int | None = None
    fiscal_quarter: int | None = None
    fiscal_year_end: str | None = None  # "--09-27": the month and day the filer's fiscal year ends


def meta_from_filename(stem: str) -> FilingMeta:
    """`EBAY_2023Q2_10Q` -> eBay-style fields; `AMCOR_2022_8K_2022-07-01` keeps its event date."""
    m = _NAME_RE.match(stem)
    if not m:
        return FilingMeta()
    form = _FORMS.get(m.group("form").upper().replace("-", "")) or _FORMS.get(m.group("form").upper())
    company = m.group("company").replace("_", " ")
    return FilingMeta(
        company=company.title() if company.isupper() else company,
        form=form,
        period_end=m.group("date"),
        fiscal_year=int(m.group("year")),
        fiscal_quarter=int(m.group("q")) if m.group("q") else None,
    )


def meta_from_text(text: str) -> FilingMeta:
    """What the cover page says: form, period end, registrant name."""
    head = text[:20000]
    form = None
    fm = _FORM_TEXT_RE.search(head)
    if fm:
        form = fm.group(1).upper()
    period_end, quarter, year, year_end = None, None, None, None
    qm = _QUARTER_END_RE.search(head[:6000])  # the cover page; later mentions may be guidance
    ym = _YEAR_END_RE.search(head)
    release = None if qm else _RELEASE_QUARTER_RE.search(head[:4000])
    if qm and (form in (None, "10-Q") or not ym):
        period_end = iso_date(qm.group("date"))
        form = form or "10-Q"
    elif release:
        period_end = iso_date(release.group("date"))  # no cover page: the release's own quarter, form unknown
    elif ym:
        period_end = iso_date(ym.group("date"))
        form = form or "10-K"
        year_end = "--" + period_end[5:] if period_end and form == "10-K" else None
    if period_end:
        year = int(period_end[:4])
    wq = re.search(r"\b(first|second|third|fourth)\s+quarter\b", head[:6000], re.I)  # the cover's, not a later one
    if wq and form == "10-Q":
        quarter = _QUARTER_WORDS[wq.group(1).lower()]
    company = None
    rm = _REGISTRANT_RE.search(head)
    if rm and not _NOT_A_NAME.search(rm.group(1).strip()):
        company = normalize_company(re.sub(r"\s+", " ", rm.group(1)).strip(" ,"))
    if company is None:
        row = _REGISTRANT_ROW_RE.search(head[:6000])
        if row and re.search(r"exact\s+name\s+of\s+(?:the\s+)?registrant", head[:row.start()], re.I):
            company = normalize_company(re.sub(r"\s+", " ", row.group("name")).strip(" ,"))
    if company is None:
        im = _ISSUER_RE.search(head)
        if im:
            company = normalize_company(re.sub(r"\s+", " ", next(g for g in im.groups() if g)).strip(" ,"))
    return FilingMeta(company=company, form=form, period_end=period_end, fiscal_year=year, fiscal_quarter=quarter,
                      fiscal_year_end=year_end)


# Where a filing without XBRL prints its ticker: the cover's securities table ("Common Stock, par value $0.001 per
# share CRM New York Stock Exchange"), a sentence ("under the trading symbol “AAPL.”") or a release ("(NYSE: CRM)").
_TICKER_RES = (
    re.compile(r"Trading\s+Symbol[^\n]*\n[^\n]*?\b(?:Common\s+(?:Stock|Shares)|Ordinary\s+Shares)\b[^\n]*?\s"
               r"([A-Z]{1,5})\s+(?:The\s+)?(?:New\s+York\s+Stock\s+Exchange|Nasdaq|NASDAQ|NYSE)", re.I),
    re.compile(r"\btrading\s+symbol\s+[“\"]([A-Z]{1,5})\.?[”\"]"),
    re.compile(r"\(\s*(?:NASDAQ|Nasdaq|NYSE)\s*:\s*([A-Z]{1,5})\s*\)"),
)


def ticker_from_text(text: str) -> str | None:
    """The filer's ticker as its cover page, its market-information section or its release prints it."""
    # (a release names its issuer first; a later "(NYSE: HYMC)" is another company it mentions)
    for pattern, within in zip(_TICKER_RES, (20000, 400000, 6000)):
        m = pattern.search(text[:within])
        if m and m.group(1).isupper():
            return m.group(1)
    return None


_FOCUS_QUARTERS = {"Q1": 1, "Q2": 2, "Q3": 3, "Q4": 4}


def meta_from_dei(dei: dict[str, str]) -> FilingMeta:
    """What an inline-XBRL filing's cover facts say (`corpus.xbrl.dei_values`): registrant, form, period
    end, fiscal year and quarter (None for a fiscal year, "FY"), fiscal-year end. A fiscal year or quarter
    the facts leave out is worked out from the period end and the fiscal-year end."""
    period_end = dei.get("DocumentPeriodEndDate")
    if period_end and not re.fullmatch(r"\d{4}-\d\d-\d\d", period_end):
        period_end = None
    form = dei.get("DocumentType") or None
    year_text, focus = dei.get("DocumentFiscalYearFocus", ""), dei.get("DocumentFiscalPeriodFocus", "").upper()
    fiscal_year = int(year_text) if re.fullmatch(r"(?:19|20)\d\d", year_text) else None
    quarter = _FOCUS_QUARTERS.get(focus)
    month_day = parse_month_day(dei.get("CurrentFiscalYearEndDate"))
    if month_day is None and period_end and form and form.startswith("10-K"):
        month_day = int(period_end[5:7]), int(period_end[8:10])
    if month_day and period_end and (fiscal_year is None or (quarter is None and focus != "FY")):
        label = fiscal_period(period_end, 12 if focus == "FY" or (form or "").startswith("10-K") else 3,
                              calendar_for(month_day, period_end, fiscal_year))
        if label:
            fiscal_year = fiscal_year if fiscal_year is not None else label[0]
            quarter = quarter if quarter is not None or focus == "FY" else label[1]
    name = dei.get("EntityRegistrantName")
    company = normalize_company(re.sub(r"\s*/[A-Z]{2}/?$", "", name.strip())) if name else None
    return FilingMeta(company=company, form=form, period_end=period_end, fiscal_year=fiscal_year,
                      fiscal_quarter=quarter, fiscal_year_end=month_day_text(*month_day) if month_day else None)


def check_dei_period(meta: FilingMeta) -> str | None:
    """A warning when the dei fiscal year and quarter do not fit the period end under the fiscal-year end."""
    month_day = parse_month_day(meta.fiscal_year_end)
    if not (month_day and meta.period_end and meta.fiscal_year):
        return None
    annual = meta.fiscal_quarter is None
    label = fiscal_period(meta.period_end, 12 if annual else 3, calendar_for(month_day, meta.period_end, meta.fiscal_year))
    if label == (meta.fiscal_year, meta.fiscal_quarter):
        return None
    said = f"fiscal {'year' if annual else f'Q{meta.fiscal_quarter}'} {meta.fiscal_year}"
    found = f"fiscal {'year' if label[1] is None else f'Q{label[1]}'} {label[0]}" if label else "no fiscal quarter end"
    return f"dei says {said}, but a period ending {meta.period_end} is {found} for a year ending {meta.fiscal_year_end}"


def pick_company(dei_name: str | None, cover_name: str | None) -> str | None:
    """The dei registrant name (EDGAR's conformed name, often abbreviated: "Nvidia Corp"), unless the cover
    page spells the same name out ("Nvidia Corporation")."""
    if dei_name and cover_name and cover_name.lower().startswith(dei_name.lower().rstrip(".")):
        return cover_name
    return dei_name or cover_name


def normalize_company(name: str) -> str:
    """Cover pages set the registrant in capitals: "ADOBE INC." -> "Adobe Inc.", "McDONALD’S CORPORATION" ->
    "McDonald’s Corporation". Names already in mixed case ("eBay Inc.") and short all-caps tokens
    with "&" ("PG&E") or legal forms ("PLC") are kept."""
    letters = [c for c in name if c.isalpha()]
    if not letters or sum(c.isupper() for c in letters) / len(letters) < 0.8:
        return name

    def word(w: str) -> str:
        if w.upper() in _KEEP_UPPER or "&" in w:
            return w
        w = re.sub(r"[A-Z]{2,}", lambda m: m.group(0)[0] + m.group(0)[1:].lower(), w)
        return re.sub(r"(?<=['’])S\b", "s", w)

    return " ".join(word(w) for w in name.split())


def merge_meta(*metas: FilingMeta) -> FilingMeta:
    """First non-empty value wins, field by field (explicit > file name > text)."""
    fields = {}
    for name in FilingMeta.__dataclass_fields__:
        fields[name] = next((getattr(m, name) for m in metas if getattr(m, name) not in (None, "")), None)
    return FilingMeta(**fields)


def quarter_from_period_end(period_end: str | None, form: str | None) -> int | None:
    """Calendar quarter of a 10-Q period end, used when nothing better is known."""
    if not period_end or form != "10-Q":
        return None
    month = int(period_end[5:7])
    return (month - 1) // 3 + 1


def plausible_fiscal_years(period_end: str) -> set[int]:
    """Fiscal years a period ending on `period_end` can belong to: its calendar year, the next one
    (fiscal years named for the year they end, such as Apple's), and the previous one only for a
    period ending in January or February (retailers name a year for the one it starts in)."""
    year, month = int(period_end[:4]), int(period_end[5:7])
    return {year, year + 1} | ({year - 1} if month <= 2 else set())


def check_fiscal_year(fiscal_year: int | None, period_end: str | None) -> tuple[int | None, str | None]:
    """The fiscal year to keep and a warning when a file name's year cannot hold the cover's period end
    (ADOBE_2022Q2_10Q covers the quarter ended June 2, 2023: fiscal 2023)."""
    if fiscal_year is None or not period_end:
        return fiscal_year, None
    if fiscal_year in plausible_fiscal_years(period_end):
        return fiscal_year, None
    fixed = int(period_end[:4])
    return fixed, f"file name says fiscal {fiscal_year} but the cover's period end is {period_end}; using fiscal {fixed}"

