"""The one vocabulary of figures: each metric a question names, each statement line a filing prints and each XBRL
concept that carries one, under one name.

A `Term` is one thing an analyst asks about. `said` is how questions and filing sentences name it (the longest
phrase found wins: "total revenue" before "revenue"); `printed` is how a primary statement labels its row, for the
terms that are statement lines (a row label must be one of them, give or take "total" and "net"); `concepts` are
the us-gaap concepts that are the term itself, so a tagged figure takes its name; `near_concepts` are neighbours a
filer sometimes tags the line with instead ("ReceivablesNetCurrent" for accounts receivable), read for the line
when its own concept is absent but never naming a figure.

Every table the rest of the code reads (METRICS, LINE_ITEMS, LINE_ALIASES, CONCEPT_NAMES) is a view of TERMS.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    name: str
    said: tuple[str, ...] = ()
    printed: tuple[str, ...] = ()
    concepts: tuple[str, ...] = ()
    near_concepts: tuple[str, ...] = ()
    balance: bool | None = None  # a statement line: True a balance at a date, False a flow over a period
    current: bool = False  # a current-asset line, which a balance sheet prints before its non-current namesake
    cash_flow: bool = False  # a line read from the cash-flow statement first (D&A as the add-back, capex, dividends)
    unit: str = "USD"  # what a figure of it is in: "USD/share", "shares", "%"

    @property
    def line_concepts(self) -> tuple[str, ...]:
        """The concepts a statement line is read from, its own first."""
        return self.concepts + self.near_concepts


# The words of a filer's own measure ("adjusted EBITDA", "non-GAAP gross margin", "organic sales growth"): a figure
# the filer prints and defines, never one we compute by the standard definition.
NON_GAAP = re.compile(r"\b(non-?gaap|adjusted|comparable|organic|constant[- ]currency)\b", re.I)
_NOT_THE_MEASURE = re.compile(r"\b(?:not|rather\s+than|instead\s+of|excluding|before|other\s+than|vs\.?|versus)\s+(?:on\s+an?\s+|in\s+)?$",
                              re.I)


def asked_measure(text: str) -> re.Match[str] | None:
    """The filer's own measure a question asks for ("adjusted EBITDA", "organic sales"), not one it sets aside
    ("reported, not constant currency")."""
    return next((m for m in NON_GAAP.finditer(text) if not _NOT_THE_MEASURE.search(text[max(0, m.start() - 24):m.start()])),
                None)

# The words of a question that asks for a rate, ratio or percentage, not an amount (not a slash: "increase /
# (decrease)" asks an amount). One copy, read by the Ask and by the metric steps.
RATE_ASKED = re.compile(r"\b(?:percent(?:age)?s?|ratio|turnover|coverage|rate|cagr|basis\s+points?)\b|%|"
                        r"\bdivided\s+by\b", re.I)

# A cash-flow row of money paid out ("Purchases of property and equipment (10,708)", "Treasury stock purchases"):
# printed in parentheses, said as the amount paid, as XBRL's Payments* concepts carry it.
OUTFLOW_LABEL = re.compile(r"^\s*(?:purchases?|payments?|repurchases?|acquisitions?\s+of|acquisitions?,?\s+net\s+of\s+cash|"
                           r"additions\s+to|capital\s+expend|"
                           r"(?:cash\s+)?(?:common\s+(?:stock|share)s?\s+)?dividends\s+paid|treasury\s+stock\s+purchases|common\s+stock\s+repurchased|"
                           r"investments?\s+in\s+property)", re.I)

TERMS: tuple[Term, ...] = (
    Term("total revenue",
         said=("total revenue", "total revenues", "total net revenue", "top line", "total sales", "net revenues",
               "net revenue", "total net sales", "total net revenues"),
         printed=("revenue", "revenues", "net revenue", "net revenues", "total revenue", "total revenues",
                  "net sales", "total net sales", "sales", "turnover", "operating revenues", "total operating revenues",
                  "total sales and revenues", "sales and revenues"),
         concepts=("Revenues", "RevenueFromContractWithCustomerExcludingAssessedTax", "SalesRevenueNet",
                   "RevenueFromContractWithCustomerIncludingAssessedTax"),
         balance=False),
    Term("revenue",
         said=("revenue", "revenues", "sales", "net sales", "turnover", "bring in", "brought in")),
    Term("service revenue",
         said=("service revenue", "services revenue", "service revenues")),
    Term("product revenue",
         said=("product revenue", "products revenue", "product sales", "product revenues")),
    Term("subscription revenue",
         said=("subscription revenue", "subscription and support revenue", "subscription revenues")),
    Term("cost of revenue",
         said=("cost of revenue", "cost of revenues", "cost of net revenue", "cost of net revenues",
               "cost of sales", "cost of goods sold", "cogs", "costs of revenue", "cost of net sales",
               "cost of products sold", "cost of goods and services sold"),
         printed=("cost of revenue", "cost of revenues", "cost of sales", "cost of goods sold", "cogs",
                  "cost of products sold"),
         concepts=("CostOfRevenue", "CostOfGoodsAndServicesSold", "CostOfGoodsSold"),
         balance=False),
    Term("cost of service revenue",
         said=("cost of service revenue", "cost of services", "service costs")),
    Term("cost of product revenue",
         said=("cost of product revenue", "cost of products", "product costs")),
    Term("gross profit",
         said=("gross profit", "gross margin"),
         printed=("gross profit", "gross margin dollars", "gross margin", "total gross margin"),
         concepts=("GrossProfit",),
         balance=False),
    Term("general and administrative expenses",
         said=("general and administrative expenses", "general and administrative", "g&a",
               "administrative expenses", "admin costs", "admin expenses")),
    Term("selling, general and administrative expenses",
         said=("selling, general and administrative expenses", "selling, general and administrative", "sg&a",
               "selling general and administrative"),
         printed=("selling, general and administrative expenses", "selling, general and administrative", "sg&a"),
         concepts=("SellingGeneralAndAdministrativeExpense",),
         balance=False),
    Term("research and development expenses",
         said=("research and development expenses", "research and development", "r&d", "research costs"),
         printed=("research and development expenses", "research and development", "r&d"),
         concepts=("ResearchAndDevelopmentExpense", "ResearchAndDevelopmentExpenseExcludingAcquiredInProcessCost",
                   "ResearchAndDevelopmentExpenseExcludingAcquiredInProcessCostExcludingMaterials"),
         balance=False),
    Term("selling and marketing expenses",
         said=("selling and marketing expenses", "selling and marketing", "sales and marketing", "s&m",
               "marketing expenses", "marketing spend")),
    Term("operating expenses",
         said=("operating expenses", "total operating expenses", "opex", "operating costs"),
         concepts=("OperatingExpenses",)),
    Term("operating income",
         said=("operating income", "income from operations", "operating profit", "operating loss",
               "loss from operations", "operating income (loss)", "income (loss) from operations"),
         printed=("operating income", "income from operations", "operating profit", "ebit", "operating loss",
                  "loss from operations", "operating income (loss)", "income (loss) from operations"),
         concepts=("OperatingIncomeLoss",),
         balance=False),
    Term("income before income taxes",
         said=("income before income taxes", "income before income tax", "pre-tax income", "pretax income",
               "income before taxes", "income before tax", "earnings before taxes", "profit before tax"),
         printed=("income before income taxes", "income before provision for income taxes", "pre-tax income", "pretax income", "income before taxes"),
         concepts=("IncomeLossFromContinuingOperationsBeforeIncomeTaxesExtraordinaryItemsNoncontrollingInterest",
                   "IncomeLossFromContinuingOperationsBeforeIncomeTaxesMinorityInterestAndIncomeLossFromEquityMethodInvestments"),
         balance=False),
    Term("income tax provision",
         said=("income tax provision", "provision for income taxes", "income tax expense", "tax provision",
               "income taxes"),
         printed=("income tax provision", "income tax expense", "provision for income taxes", "income taxes",
                  "tax expense",
                  # either sign named on the line: a provision is printed negative, a benefit positive
                  "(provision for) benefit from income taxes", "benefit from (provision for) income taxes",
                  "provision for (benefit from) income taxes", "income tax (expense) benefit",
                  "income tax benefit (expense)", "(provision) benefit for income taxes"),
         concepts=("IncomeTaxExpenseBenefit",),
         balance=False),
    Term("net income",
         said=("net income", "net profit", "net earnings", "bottom line", "profit", "net loss"),
         printed=("net income", "net earnings", "net profit"),
         concepts=("NetIncomeLoss",),
         near_concepts=("NetIncomeLossAvailableToCommonStockholdersBasic",),
         balance=False),
    Term("non-gaap net income",
         said=("non-gaap net income", "adjusted net income")),
    Term("earnings per share",
         said=("earnings per share", "eps", "diluted earnings per share", "basic earnings per share", "diluted eps",
               "basic eps", "profit per share", "income per share", "net income per share", "loss per share",
               "net loss per share", "earnings per diluted share", "earnings (loss) per share",
               "net income (loss) per share", "earnings (loss) per diluted share", "earnings per common share",
               "income per common share", "net income per common share", "net income (loss) per common share",
               "loss per common share", "net loss per common share", "earnings (loss) per common share"),
         unit="USD/share"),
    Term("operating ratio",
         said=("operating ratio",), unit="%"),
    Term("ebitda",
         said=("ebitda",)),
    Term("adjusted ebitda",
         said=("adjusted ebitda", "adj. ebitda", "adj ebitda")),
    Term("interest expense",
         said=("interest expense", "interest expense, net", "net interest expense", "interest, net"),
         printed=("interest expense", "interest expense, net", "interest, net"),  # (Lowe's "Interest – net")
         concepts=("InterestExpense", "InterestExpenseNonoperating", "InterestExpenseDebt"),
         balance=False),
    Term("other income (expense)",
         said=("other income (expense)", "other income", "other expense", "other income/(expense)",
               "net other income", "net other expense")),
    Term("depreciation and amortization",
         said=("depreciation and amortization", "d&a", "depreciation"),
         printed=("depreciation and amortization", "d&a", "depreciation & amortization"),
         concepts=("DepreciationDepletionAndAmortization", "DepreciationAndAmortization"),
         near_concepts=("DepreciationAmortizationAndAccretionNet",),
         balance=False, cash_flow=True),
    Term("share-based compensation",
         said=("share-based compensation", "stock-based compensation", "stock comp", "sbc", "equity compensation")),
    Term("cash and cash equivalents",
         said=("cash and cash equivalents", "cash", "cash balance", "cash position"),
         printed=("cash and cash equivalents", "cash and equivalents", "cash"),
         concepts=("CashAndCashEquivalentsAtCarryingValue",),
         balance=True),
    Term("working capital",
         said=("working capital",)),
    Term("inventories",
         said=("inventories", "inventory", "merchandise inventories", "merchandise inventory"),
         printed=("inventories", "inventory", "merchandise inventories", "inventories, net"),
         concepts=("InventoryNet",),
         balance=True, current=True),
    Term("prepaid expenses",
         said=("prepaid expenses", "prepaids")),
    Term("accounts receivable",
         said=("trade receivables", "accounts receivable", "receivables", "a/r"),
         printed=("accounts receivable", "receivables", "trade receivables", "a/r"),
         concepts=("AccountsReceivableNetCurrent",),
         near_concepts=("ReceivablesNetCurrent",),
         balance=True, current=True),
    Term("accounts payable",
         said=("accounts payable", "payables", "a/p"),
         printed=("accounts payable", "payables", "a/p"),
         concepts=("AccountsPayableCurrent", "AccountsPayableTradeCurrent"),
         balance=True),
    Term("accrued expenses",
         said=("accrued expenses", "accrued liabilities", "accruals")),
    Term("notes payable",
         said=("notes payable", "notes payables", "debt", "borrowings", "loans")),
    Term("finance lease obligations",
         said=("finance lease", "finance leases", "finance lease obligations", "capital lease")),
    Term("contingent consideration",
         said=("contingent consideration", "earn-out", "earnout")),
    Term("operating lease liabilities",
         said=("operating lease liabilities", "operating lease liability", "lease liabilities")),
    Term("contract liabilities",
         said=("contract liabilities", "contract liability", "deferred revenue", "unearned revenue")),
    Term("contract assets",
         said=("contract assets", "contract asset")),
    Term("shareholders' equity",
         said=("stockholders' equity", "stockholders equity", "shareholders' equity", "shareholders equity",
               "equity", "book value"),
         printed=("shareholders' equity", "stockholders' equity", "shareholders equity", "stockholders equity",
                  "equity"),
         concepts=("StockholdersEquity",),
         balance=True),
    Term("backlog",
         said=("backlog", "remaining performance obligations", "rpo")),
    Term("capital expenditures",
         said=("capital expenditures", "capital expenditure", "capex", "purchases of property and equipment",
               "payments for acquisition of property, plant and equipment",
               "purchases of property, plant and equipment", "additions to property, plant and equipment",
               "payments for property and equipment", "payments for acquisition of property and equipment",
               "purchases of pp&e", "additions to pp&e", "capital investments"),
         printed=("capital expenditures", "capital expenditure", "capex", "purchases of pp&e", "additions to pp&e",
                  "purchases of property, plant and equipment", "purchases of property and equipment",
                  "additions to property, plant and equipment", "payments for property, plant and equipment",
                  "payments for acquisition of property, plant and equipment", "capital investments"),
         concepts=("PaymentsToAcquirePropertyPlantAndEquipment",),
         near_concepts=("PaymentsToAcquireProductiveAssets",),
         balance=False, cash_flow=True),
    Term("free cash flow",
         said=("free cash flow", "fcf")),
    Term("cash provided by operating activities",
         said=("cash provided by operating activities", "operating cash flow", "cash from operations",
               "operating activities", "cash flow from operations"),
         printed=("cash from operations", "operating cash flow", "cash flow from operations",
                  "cash provided by operating activities", "cash from operating activities"),
         concepts=("NetCashProvidedByUsedInOperatingActivities",),
         balance=False),
    Term("cash used for investing activities",
         said=("cash used for investing activities", "investing activities", "investing cash flow"),
         printed=("cash from investing activities", "cash used in investing activities",
                  "net cash used in investing activities", "net cash provided by (used in) investing activities",
                  "cash used for investing activities", "investing cash flow"),
         concepts=("NetCashProvidedByUsedInInvestingActivities",),
         balance=False),
    Term("cash provided by financing activities",
         said=("cash provided by financing activities", "financing activities", "financing cash flow"),
         printed=("cash from financing activities", "cash used in financing activities",
                  "net cash used in financing activities", "net cash provided by (used in) financing activities",
                  "cash provided by financing activities", "financing cash flow"),
         concepts=("NetCashProvidedByUsedInFinancingActivities",),
         balance=False),
    Term("weighted-average shares",
         said=("weighted-average shares", "weighted-average common shares", "weighted average shares",
               "share count", "shares outstanding"), unit="shares"),
    Term("total assets",
         said=("total assets",),
         printed=("total assets", "assets"),
         concepts=("Assets",),
         balance=True),
    Term("total current assets",
         said=("total current assets", "current assets"),
         printed=("total current assets", "current assets"),
         concepts=("AssetsCurrent",),
         balance=True),
    Term("total liabilities",
         said=("total liabilities",),
         printed=("total liabilities", "liabilities"),
         concepts=("Liabilities",),
         balance=True),
    Term("total current liabilities",
         said=("total current liabilities", "current liabilities"),
         printed=("total current liabilities", "current liabilities"),
         concepts=("LiabilitiesCurrent",),
         balance=True),
    Term("long-term debt",
         said=("long-term debt", "long term debt", "term debt", "non-current debt", "noncurrent debt",
               "long-term borrowings", "non-current borrowings", "noncurrent borrowings"),
         printed=("long-term debt", "long term debt", "long-term borrowings"),
         concepts=("LongTermDebtNoncurrent",),
         # "excluding current maturities" by the taxonomy's definition (Verizon's balance-sheet line)
         near_concepts=("LongTermDebtAndCapitalLeaseObligations", "LongTermDebtNoncurrentAndFinanceLeaseObligations"),
         balance=True),
    Term("current portion of long-term debt",
         said=("current portion of long-term debt", "current maturities of long-term debt", "short-term debt",
               "long-term debt, classified as current", "long-term debt, current maturities", "long-term debt, current",
               "long-term debt due within one year", "current portion of borrowings"),
         printed=("current portion of long-term debt", "current portion of borrowings", "current maturities of long-term debt",
                  "long-term debt, current portion", "current portion of long term debt",
                  "long-term debt, classified as current", "long-term debt, current maturities",
                  "long-term debt, current", "long-term debt due within one year"),
         concepts=("LongTermDebtCurrent",),
         balance=True, current=True),
    Term("property, plant and equipment",
         said=("property, plant and equipment", "pp&e", "net property and equipment", "property and equipment"),
         printed=("property, plant and equipment, net", "property and equipment, net", "net property and equipment",
                  "net property, plant and equipment", "property, plant and equipment"),
         concepts=("PropertyPlantAndEquipmentNet",),
         balance=True),
    Term("marketable securities",
         said=("marketable securities", "short-term investments"),
         printed=("marketable securities", "short-term investments", "current marketable securities"),
         concepts=("MarketableSecuritiesCurrent",),
         near_concepts=("ShortTermInvestments", "AvailableForSaleSecuritiesDebtSecuritiesCurrent"),
         balance=True, current=True),
    Term("goodwill",
         said=("goodwill",)),
    Term("retained earnings",
         said=("retained earnings", "accumulated deficit")),
    Term("dividends paid",
         said=("dividends paid", "cash dividends paid", "dividends and dividend equivalents", "paid in dividends",
               "paid in cash dividends", "pay for dividends", "pay dividends", "paid dividends", "pays dividends",
               "cash dividends", "dividends", "cash dividend"),
         printed=("dividends paid", "dividends", "cash dividends", "common stock dividends", "cash dividends paid",
                  "dividends paid to shareholders", "dividends to shareholders", "dividends paid on common stock", "payments for dividends", "payments for dividends and dividend equivalents",
                  "payments of dividends", "cash dividends paid to shareholders", "payments of dividends to stockholders",
                  "payments of dividends to shareholders", "dividends paid to stockholders"),
         concepts=("PaymentsOfDividends", "PaymentsOfDividendsCommonStock"),
         balance=False, cash_flow=True),
    Term("repurchases of common stock",
         said=("repurchases of common stock", "repurchase of common stock", "share repurchases", "stock repurchases",
               "treasury stock purchases", "purchases of treasury stock", "common stock repurchased",
               "repurchased common stock", "acquiring its common stock", "repurchasing its common stock",
               "acquiring its own common stock", "common stock acquired", "buybacks", "share buybacks",
               "common share repurchases", "common stock repurchases"),
         printed=("repurchases of common stock", "repurchase of common stock", "purchases of common stock",
                  "common stock repurchased", "payments for repurchase of common stock", "payments for repurchases of common stock", "treasury stock purchases",
                  "purchases of treasury stock", "purchase of treasury stock", "shares repurchased",
                  "repurchases of common stock, including excise tax"),
         concepts=("PaymentsForRepurchaseOfCommonStock",),
         balance=False, cash_flow=True),
    Term("acquisitions, net of cash acquired",
         said=("acquisitions, net of cash acquired", "acquisitions net of cash acquired", "business acquisitions",
               "payments for acquisitions", "cash paid for acquisitions", "acquisition of businesses"),
         printed=("acquisitions, net of cash acquired", "acquisitions of businesses, net of cash acquired",
                  "business acquisitions, net of cash acquired", "acquisition of businesses, net of cash acquired",
                  "payments for acquisitions, net of cash acquired", "acquisitions, net of cash"),
         concepts=("PaymentsToAcquireBusinessesNetOfCashAcquired",),
         balance=False, cash_flow=True),
    Term("net income including noncontrolling interests",
         said=("net income including noncontrolling interests", "net income including noncontrolling interest",
               "net income including non-controlling interests", "consolidated net income including noncontrolling "
               "interests"),
         printed=("net income including noncontrolling interests", "net income including noncontrolling interest",
                  "consolidated net income"),
         concepts=("ProfitLoss",),
         balance=False),
    Term("total equity including noncontrolling interests",
         said=("total equity including noncontrolling interests", "total equity including noncontrolling interest",
               "equity including noncontrolling interests", "total equity including non-controlling interests"),
         printed=("total equity", "total equity including noncontrolling interests"),  # the parent's is "total
         # shareholders' equity"; "Total equity" adds the noncontrolling interests
         concepts=("StockholdersEquityIncludingPortionAttributableToNoncontrollingInterest",),
         balance=True),
    Term("basic earnings per share",
         concepts=("EarningsPerShareBasic",), unit="USD/share"),
    Term("diluted earnings per share",
         concepts=("EarningsPerShareDiluted",), unit="USD/share"),
)

# What a figure of each metric is in, where not dollars.
METRIC_UNITS: dict[str, str] = {t.name: t.unit for t in TERMS if t.unit != "USD"}
# Canonical metric -> the phrasings questions and filings use for it.
METRICS: dict[str, tuple[str, ...]] = {t.name: t.said for t in TERMS if t.said}
# Statement lines by name, and how a statement labels each one's row.
LINE_ITEMS: dict[str, Term] = {t.name: t for t in TERMS if t.balance is not None}
# A statement line's own one-word names ("Inventories", "Goodwill"): a line by itself under any heading.
ONE_WORD_LINES = frozenset(w for t in LINE_ITEMS.values() for w in (*t.printed, *t.said) if " " not in w)
LINE_ALIASES: dict[str, tuple[str, ...]] = {t.name: t.printed for t in LINE_ITEMS.values()}
# us-gaap concept (no prefix) -> the name of the term it is.
CONCEPT_NAMES: dict[str, str] = {concept: t.name for t in TERMS for concept in t.concepts}
