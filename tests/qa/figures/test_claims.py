"""qa.figures.claims: change claims, their checks and driver sums, on the real Crexendo MD&A (seed 000)."""
from __future__ import annotations

from decimal import Decimal

import pytest

from qa.figures.claims import (
    AuditReport,
    Claim,
    audit_text,
    extract_claims,
    extract_drivers,
    overall_status,
    parse_period,
    reconcile_drivers,
    verify_claim,
)
from tests.conftest import SEED_000, SEED_004  # the seeds, bundled in corpus/filings/

D = Decimal


@pytest.fixture(scope="module")
def seed_000() -> str:
    return SEED_000.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def audit_000(seed_000) -> AuditReport:
    return audit_text(seed_000)


def paragraph_from(text: str, opening: str) -> str:
    """The paragraph of `text` that contains `opening`, as written (hard wraps kept)."""
    at = text.index(opening)
    start = text.rfind("\n\n", 0, at) + 2
    end = text.find("\n\n", at)
    return text[start : end if end != -1 else len(text)]


def only_claim(text: str, **context) -> Claim:
    claims = extract_claims(text, **context)
    assert len(claims) == 1, claims
    return claims[0]


def statuses(claim: Claim) -> dict[str, str]:
    return {c.kind: c.status for c in verify_claim(claim)}


# ---------------------------------------------------------------- single claims from the seed


def test_service_revenue_claim_wrapped_over_lines(seed_000):
    paragraph = paragraph_from(seed_000, "Service revenue increased 12% or $395,000,")
    claims = extract_claims(paragraph, segment="Consolidated")
    assert [c.metric for c in claims] == [
        "Service revenue", "Cloud Telecommunications service revenue", "Web service revenue",
    ]
    cloud = claims[1]
    assert "\n" in cloud.text  # the sentence is hard-wrapped in the filing
    assert paragraph[cloud.start : cloud.end] == cloud.text
    assert cloud.text.startswith("Cloud\nTelecommunications service revenue increased 14%")
    assert cloud.text.endswith("September 30, 2019.")
    assert (cloud.current, cloud.prior, cloud.change) == (D(3525000), D(3100000), D(425000))
    assert (cloud.percent, cloud.percent_text, cloud.direction) == (D(14), "14%", "increase")
    assert cloud.period == "three months ended September 30, 2020"
    assert cloud.segment == "Consolidated"
    assert statuses(cloud) == {"change": "verified", "percent": "verified", "direction": "verified"}
    percent_check = next(c for c in verify_claim(cloud) if c.kind == "percent")
    assert "13.71%" in percent_check.detail  # the computed value is reported
    web = claims[2]
    assert (web.change, web.direction) == (D(-30000), "decrease")
    assert statuses(web)["percent"] == "verified"  # 30,000 / 159,000 = 18.87% -> 19%


def test_increased_by_percent_or_amount(seed_000):
    claim = only_claim(paragraph_from(seed_000, "Product revenue increased by 43% or"))
    assert claim.metric == "Product revenue"
    assert (claim.current, claim.prior, claim.change) == (D(489000), D(343000), D(146000))
    assert overall_status(verify_claim(claim)) == "verified"


def test_other_expenses_sign_puzzle(seed_000):
    claim = only_claim(paragraph_from(seed_000, "Other expenses increased\n1,100%"))
    # an expense metric compared against a prior year of net other *income*
    assert claim.metric == "Other expenses"
    assert (claim.current, claim.prior, claim.change) == (D(20000), D(-2000), D(22000))
    assert claim.percent_text == "1,100%"
    assert statuses(claim) == {"change": "verified", "percent": "verified", "direction": "verified"}


def test_net_other_income_sign_puzzle(seed_000):
    claim = only_claim(paragraph_from(seed_000, "Net other income decreased 1,167%"))
    assert claim.metric == "Net other income"
    assert (claim.current, claim.prior, claim.change) == (D(-32000), D(3000), D(-35000))
    assert claim.period == "nine months ended September 30, 2020"
    checks = {c.kind: c for c in verify_claim(claim)}
    assert checks["percent"].status == "verified"
    assert "1166.67%" in checks["percent"].detail
    assert overall_status(list(checks.values())) == "verified"


def test_notes_payable_change_from_zero(seed_000):
    claim = only_claim(paragraph_from(seed_000, "Notes payables increased $2,962,000"))
    assert (claim.metric, claim.current, claim.prior, claim.change, claim.percent) == (
        "Notes payables", D(2962000), D(0), D(2962000), None,
    )
    assert claim.period == "as of September 30, 2020"
    assert statuses(claim) == {"change": "verified", "direction": "verified"}


def test_backlog_as_of_period(seed_000):
    claim = extract_claims(paragraph_from(seed_000, "Backlog increased 12% or $2,978,000"))[0]
    assert (claim.metric, claim.period) == ("Backlog", "as of September 30, 2020")
    assert (claim.current, claim.prior, claim.change) == (D(28313000), D(25335000), D(2978000))
    assert overall_status(verify_claim(claim)) == "verified"


def test_were_x_compared_to_y(seed_000):
    claim = only_claim(paragraph_from(seed_000, "Research and development expenses were $24,000"))
    assert (claim.metric, claim.current, claim.prior, claim.change, claim.direction) == (
        "Research and development expenses", D(24000), D(24000), None, "unknown",
    )
    assert claim.period == "nine months ended September 30, 2020"
    (check,) = verify_claim(claim)
    assert check.status == "unverifiable" and "current - prior = $0" in check.detail


def test_income_decrease_percent_and_precision(seed_000):
    claim = only_claim(paragraph_from(seed_000, "Income before income taxes decreased 60%"), period="fallback")
    assert (claim.current, claim.prior, claim.change, claim.percent) == (D(134000), D(334000), D(-200000), D(60))
    assert claim.period == "three months ended September 30, 2020"  # named in the sentence, so no fallback
    assert overall_status(verify_claim(claim)) == "verified"


# ---------------------------------------------------------------- the checker catches errors


def test_wrong_percent_is_a_mismatch_with_the_computed_value():
    claim = only_claim("Service revenue increased 15% or $425,000, to $3,525,000 as compared to $3,100,000.")
    checks = {c.kind: c for c in verify_claim(claim)}
    assert checks["percent"].status == "mismatch"
    assert "13.71%" in checks["percent"].detail and "15%" in checks["percent"].detail
    assert checks["change"].status == "verified"


def test_wrong_change_and_wrong_direction_are_mismatches():
    claim = only_claim("Service revenue increased 14% or $452,000, to $3,525,000 as compared to $3,100,000.")
    assert statuses(claim)["change"] == "mismatch"
    claim = only_claim("Service revenue decreased 14% or $425,000, to $3,525,000 as compared to $3,100,000.")
    assert statuses(claim)["direction"] == "mismatch"
    assert overall_status(verify_claim(claim)) == "mismatch"


def test_decimal_percent_rounds_half_up_at_the_stated_precision():
    # 1,351 / 1,000 -> 35.1% exactly; 534 / 3,051 = 17.5024% -> "17.5%" and "18%" are both right
    assert statuses(only_claim("Fees increased 35.1% or $351, to $1,351 compared to $1,000."))["percent"] == "verified"
    assert statuses(only_claim("Fees increased 17.5% or $534, to $3,585 compared to $3,051."))["percent"] == "verified"
    assert statuses(only_claim("Fees increased 18% or $534, to $3,585 compared to $3,051."))["percent"] == "verified"
    assert statuses(only_claim("Fees increased 17% or $534, to $3,585 compared to $3,051."))["percent"] == "mismatch"
    # 1 / 8 = 12.5% exactly: half-up gives 13%
    assert statuses(only_claim("Fees increased 13% or $1, to $9 compared to $8."))["percent"] == "verified"


def test_percent_of_a_zero_base_is_unverifiable_not_a_mismatch():
    claim = only_claim(
        "Deposits increased 100% or $5,000, to $5,000 at June 30, 2021 as compared to $0 at December 31, 2020."
    )
    checks = {c.kind: c for c in verify_claim(claim)}
    assert checks["percent"].status == "unverifiable"
    assert checks["percent"].detail == "undefined (zero base)"
    assert checks["change"].status == "verified"
    assert overall_status(list(checks.values())) == "unverifiable"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Revenue rose 12.9% to $10.5 million from $9.3 million.",
            ("Revenue", D(10500000), D(9300000), None, "increase"),
        ),
        (
            "Gross profit fell $200,000, or 10%, to $1,800,000 for the six months ended June 30, 2021 "
            "compared with $2,000,000.",
            ("Gross profit", D(1800000), D(2000000), D(-200000), "decrease"),
        ),
        (
            "Revenue was $10.5 million for the year ended December 31, 2020, an increase of $1.2 million, or 12.9%, "
            "compared to $9.3 million for the year ended December 31, 2019.",
            ("Revenue", D(10500000), D(9300000), D(1200000), "increase"),
        ),
    ],
)
def test_other_phrasings(sentence, expected):
    claim = only_claim(sentence)
    assert (claim.metric, claim.current, claim.prior, claim.change, claim.direction) == expected
    assert overall_status(verify_claim(claim)) == "verified"


def test_parse_period_labels():
    wrapped = "for the nine months ended\nSeptember 30, 2020 as compared"
    assert parse_period(wrapped) == "nine months ended September 30, 2020"
    assert parse_period("to $263,000 at September 30, 2020 as compared") == "as of September 30, 2020"
    assert parse_period("for the fiscal year ended June 30, 2021") == "year ended June 30, 2021"
    assert parse_period("compared to the prior year") is None


def test_sentences_without_amounts_are_not_claims(seed_000):
    text = paragraph_from(seed_000, "As Web Services segment revenue has\ndecreased")
    assert all(c.metric.startswith("Consolidated") or c.metric.startswith("General") for c in extract_claims(text))
    assert extract_claims("Product revenue fluctuates from one period to the next based on timing.") == []


# ---------------------------------------------------------------- drivers


def test_extract_drivers_amount_before_noun_and_offsets(seed_000):
    sentence = (
        "The increase is related to a $90,000\nincrease in inventory deposits, $53,000 increase in software "
        "services and\nsupport, a $39,000 increase in corporate insurance policies, and a $9,000\n"
        "increase in other prepaid expense accounts."
    )
    assert sentence in seed_000
    drivers = extract_drivers(sentence)
    assert [(d.label, d.direction, d.amount, d.offsetting) for d in drivers] == [
        ("inventory deposits", "increase", D(90000), False),
        ("software services and support", "increase", D(53000), False),
        ("corporate insurance policies", "increase", D(39000), False),
        ("other prepaid expense accounts", "increase", D(9000), False),
    ]
    assert " ".join(sentence[drivers[0].start : drivers[0].end].split()) == "a $90,000 increase in inventory deposits"


def test_extract_drivers_offset_by(seed_000):
    sentence = (
        "The decrease in net other expense is due to a $5,000\ndecrease in foreign exchange losses offset by an "
        "increase in allocated interest\nexpense of $1,000 for interest on finance agreements and a $1,000 "
        "decrease in\ninterest income."
    )
    assert sentence in seed_000
    drivers = extract_drivers(sentence)
    assert [(d.label, d.direction, d.amount, d.offsetting) for d in drivers] == [
        ("foreign exchange losses", "decrease", D(5000), False),
        ("allocated interest expense", "increase", D(1000), True),
        ("interest income", "decrease", D(1000), True),
    ]


def test_income_decrease_reconciles_with_expense_increases_and_a_revenue_offset(seed_000):
    paragraph = paragraph_from(seed_000, "Income before income taxes decreased 60%")
    claim = extract_claims(paragraph)[0]
    drivers_sum = reconcile_drivers(claim, paragraph[claim.end :], offset=claim.end)
    assert [d.amount for d in drivers_sum.drivers] == [D(722000), D(19000), D(541000)]
    assert [d.offsetting for d in drivers_sum.drivers] == [False, False, True]
    assert (drivers_sum.total, drivers_sum.stated_change, drivers_sum.unexplained) == (D(-200000), D(-200000), D(0))
    assert drivers_sum.status == "verified"
    first = drivers_sum.drivers[0]
    assert " ".join(paragraph[first.start : first.end].split()) == "an increase in operating expenses of $722,000"


def test_driver_sum_reports_what_is_unexplained():
    text = (
        "Fees increased 10% or $100,000, to $1,100,000 compared to $1,000,000. The increase is primarily due to an "
        "increase in legal fees of $70,000 and an increase in rent of $20,000, offset by a decrease in travel "
        "of $5,000."
    )
    claim = only_claim(text[: text.index(" The increase")])
    drivers_sum = reconcile_drivers(claim, text[claim.end :], offset=claim.end)
    assert (drivers_sum.total, drivers_sum.unexplained, drivers_sum.status) == (D(85000), D(15000), "partial")
    assert text[drivers_sum.start : drivers_sum.end].startswith("The increase is primarily due to")
    overshoot = text.replace("$70,000", "$95,000")
    claim = only_claim(overshoot[: overshoot.index(" The increase")])
    drivers_sum = reconcile_drivers(claim, overshoot[claim.end :])
    assert (drivers_sum.total, drivers_sum.unexplained, drivers_sum.status) == (D(110000), D(-10000), "mismatch")


@pytest.mark.parametrize(
    ("opening", "stated", "count"),
    [
        ("Consolidated\ngeneral and administrative expenses increased 30% or $311,000", D(311000), 13),
        ("Consolidated general\nand administrative expenses increased 18%, or $534,000", D(534000), 18),
    ],
)
def test_consolidated_g_and_a_drivers_sum_exactly(seed_000, opening, stated, count):
    paragraph = paragraph_from(seed_000, opening)
    claim = next(c for c in extract_claims(paragraph) if c.metric == "Consolidated general and administrative expenses")
    drivers_sum = reconcile_drivers(claim, paragraph[claim.end :])
    assert len(drivers_sum.drivers) == count
    assert sum(d.amount for d in drivers_sum.drivers if not d.offsetting) - sum(
        d.amount for d in drivers_sum.drivers if d.offsetting
    ) == stated
    assert (drivers_sum.total, drivers_sum.stated_change, drivers_sum.unexplained, drivers_sum.status) == (
        stated, stated, D(0), "verified",
    )
    # one driver off by $1,000 no longer reconciles, and the gap is reported
    tampered = paragraph.replace("rent expense of $75,000", "rent expense of $76,000").replace(
        "rent expense of $200,000", "rent expense of $201,000"
    )
    drivers_sum = reconcile_drivers(claim, tampered[claim.end :])
    assert (drivers_sum.unexplained, drivers_sum.status) == (D(1000), "partial")


# ---------------------------------------------------------------- the whole filing

# Counted by hand, reading seed 000 top to bottom: every "increased/decreased [by] N%" claim,
# as (percent as written, stated change signed by its direction word). 60 in all: 6 in the
# overview, 10 consolidated, 20 Cloud Telecommunications, 10 Web Services, 14 balance-sheet.
HAND_COUNTED_PERCENT_CLAIMS = [
    ("14%", 425000), ("16%", 1414000), ("43%", 146000), ("2%", 23000), ("19%", -30000), ("16%", -81000),
    # consolidated, three months then nine months
    ("12%", 395000), ("14%", 425000), ("19%", -30000), ("43%", 146000), ("60%", -200000),
    ("14%", 1333000), ("16%", 1414000), ("16%", -81000), ("2%", 23000), ("14%", -130000),
    # Cloud Telecommunications segment, three months
    ("14%", 425000), ("43%", 146000), ("12%", 2978000), ("15%", 119000), ("83%", 142000), ("54%", 111000),
    ("5%", 48000), ("31%", 303000), ("30%", 311000), ("1,100%", 22000),
    # Cloud Telecommunications segment, nine months
    ("16%", 1414000), ("2%", 23000), ("12%", 2978000), ("10%", 243000), ("20%", 133000), ("36%", 216000),
    ("10%", 286000), ("18%", 512000), ("18%", 534000), ("2,250%", 45000),
    # Web Services segment, three months then nine months
    ("19%", -30000), ("36%", -9000), ("12%", 8000), ("30%", 311000), ("75%", -3000),
    ("16%", -81000), ("8%", -6000), ("12%", 22000), ("18%", 534000), ("1,167%", -35000),
    # liquidity and balance sheet
    ("384%", 10911000), ("261%", 11173000), ("31%", -119000), ("135%", 191000), ("64%", 248000), ("66%", 252000),
    ("67%", -4000), ("149%", 128000), ("10%", -184000), ("19%", -22000), ("100%", -175000), ("98%", -50000),
    ("2%", 19000), ("269%", 11796000),
]


def test_audit_finds_every_hand_counted_percent_claim_and_all_verify(audit_000):
    assert len(HAND_COUNTED_PERCENT_CLAIMS) == 60
    with_percent = [(i, c) for i, c in enumerate(audit_000.claims) if c.percent is not None]
    assert [(c.percent_text, int(c.change)) for _, c in with_percent] == HAND_COUNTED_PERCENT_CLAIMS
    assert all(audit_000.claim_status(i) == "verified" for i, _ in with_percent)


def test_audit_of_seed_000_claims_without_percent(audit_000):
    without = [(i, c) for i, c in enumerate(audit_000.claims) if c.percent is None]
    assert [(c.metric, c.current, c.prior) for _, c in without] == [
        ("Research and development expenses", D(8000), D(8000)),
        ("Research and development expenses", D(24000), D(24000)),
        ("Notes payables", D(2962000), D(0)),
    ]
    assert [audit_000.claim_status(i) for i, _ in without] == ["unverifiable", "unverifiable", "verified"]


def test_audit_of_seed_000_summary_and_offsets(audit_000, seed_000):
    assert audit_000.summary() == "63 claims: 61 verified, 0 mismatch, 2 unverifiable; 29 driver sums: 28 reconcile"
    for claim in audit_000.claims:
        assert seed_000[claim.start : claim.end] == claim.text
        assert " ".join(claim.text.split()).lower().startswith(("our " + claim.metric).lower()) or " ".join(
            claim.text.split()
        ).startswith(claim.metric)
    for driver_sum in audit_000.driver_sums:
        for driver in driver_sum.drivers:
            assert f"{driver.amount:,}" in seed_000[driver.start : driver.end]


def test_audit_of_seed_000_sections_give_segment_and_period(audit_000):
    g_and_a = [c for c in audit_000.claims if c.metric == "Consolidated general and administrative expenses"]
    # the consolidated G&A paragraph is repeated under both segments
    assert [(c.segment, c.period, c.change) for c in g_and_a] == [
        ("Cloud Telecommunications", "three months ended September 30, 2020", D(311000)),
        ("Cloud Telecommunications", "nine months ended September 30, 2020", D(534000)),
        ("Web Services", "three months ended September 30, 2020", D(311000)),
        ("Web Services", "nine months ended September 30, 2020", D(534000)),
    ]
    assert {c.segment for c in audit_000.claims if c.metric == "Working capital"} == {None}


def test_audit_of_seed_000_driver_sums(audit_000):
    sums = audit_000.driver_sums
    g_and_a = [s for s in sums if s.claim_metric == "Consolidated general and administrative expenses"]
    assert [(s.total, s.unexplained, s.status) for s in g_and_a] == [
        (D(311000), D(0), "verified"), (D(534000), D(0), "verified"),
        (D(311000), D(0), "verified"), (D(534000), D(0), "verified"),
    ]
    not_reconciled = [s for s in sums if s.status != "verified"]
    # "related to our increase in interest expense ... and a decrease in credit card cash back rewards of
    # $2,000": the interest expense part has no amount, so $20,000 of the $22,000 is unexplained.
    assert [(s.claim_metric, s.total, s.stated_change, s.unexplained, s.status) for s in not_reconciled] == [
        ("Other expenses", D(2000), D(22000), D(20000), "partial"),
    ]
    working_capital = next(s for s in sums if s.claim_metric == "Working capital")
    assert len(working_capital.drivers) == 16 and working_capital.total == D(10911000)


def test_audit_of_flattened_note_finds_no_change_claims():
    report = audit_text(SEED_004.read_text(encoding="utf-8"))
    assert report.claims == () and report.driver_sums == ()
    assert report.summary() == "0 claims: 0 verified, 0 mismatch, 0 unverifiable; 0 driver sums: 0 reconcile"


def test_parenthesised_values_of_a_loss_metric_read_as_the_loss():
    claim = only_claim(
        "Net loss decreased 50% or $500, to $(500) for the year ended December 31, 2020 compared to $(1,000)."
    )
    assert (claim.current, claim.prior, claim.change) == (D(500), D(1000), D(-500))
    assert overall_status(verify_claim(claim)) == "verified"
