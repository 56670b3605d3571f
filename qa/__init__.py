"""Deterministic checks on the numbers filings state.

`qa.figures.numbers` parses amounts and percentages as filings write them; `qa.figures.claims` finds
change claims ("Service revenue increased 14% or $425,000, to ...") and checks their
arithmetic, including the driver lists that explain a change.
"""
