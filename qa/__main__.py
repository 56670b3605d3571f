"""Command line for qa/: `python -m qa audit FILING [--json]`."""
from __future__ import annotations

import argparse
import json
import sys

from corpus import FilingParseError, load_filing
from qa.audit import audit_report, format_audit


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m qa", description="Answer and audit questions over filings.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("audit", help="check every numeric claim in a filing")
    p.add_argument("files", nargs="+", metavar="FILING")
    p.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    if args.command == "audit":
        reports, status = [], 0
        for path in args.files:
            try:
                report = audit_report(load_filing(path))
            except FilingParseError as exc:
                print(f"error: {exc}", file=sys.stderr)
                status = 2
                continue
            reports.append(report)
            if not args.json:
                print(format_audit(report) if len(args.files) == 1 else report["summary"])
        if args.json:
            print(json.dumps(reports[0] if len(reports) == 1 else reports, indent=2, ensure_ascii=False))
        return status
    return 0


if __name__ == "__main__":
    sys.exit(main())
