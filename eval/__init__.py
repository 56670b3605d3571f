"""Evaluation of filingqa: a hand-written gold set over the bundled filings, and TAT-QA.

    python -m eval [--gold FILE] [--index DIR] [--json OUT] [--md OUT]
    python -m eval tatqa FILE [--json OUT] [--heldout UIDS.json]

    from eval.runner import run_gold
    report = run_gold("eval/gold.jsonl", pipeline)
"""
