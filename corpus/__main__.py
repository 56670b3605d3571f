"""`python -m corpus inspect FILE [--json]`: a parsing report for one filing."""
from __future__ import annotations

import argparse
import json
import sys

from corpus.errors import per_file, run_cli
from corpus.load import load_filing
from corpus.report import filing_report, format_report


def main(argv: list[str] | None = None) -> int:
    return run_cli(lambda: _main(argv))


def _main(argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(prog="python -m corpus", description="Parse filings and report what was found.")
    sub = parser.add_subparsers(dest="command", required=True)
    inspect = sub.add_parser("inspect", help="parsing report for one or more filings")
    inspect.add_argument("files", nargs="+", metavar="FILE")
    inspect.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)

    reports, status = per_file(args.files, lambda path: filing_report(load_filing(path)),
                               None if args.json else lambda report: print(format_report(report) + "\n"))
    if args.json:
        print(json.dumps(reports[0] if len(reports) == 1 else reports, indent=2))
    return status


if __name__ == "__main__":
    sys.exit(main())
