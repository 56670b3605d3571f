"""Command line for the index: build, add, remove, list, search. JSON output with --json.

    python -m index build FILE... --out DIR
    python -m index add FILE... --index DIR
    python -m index remove DOC_ID --index DIR
    python -m index list [--index DIR] [--json]
    python -m index search "QUERY" [--index DIR] [-k 5] [--doc ID] [--company NAME] [--form 10-K] [--period Q3] [--json]

Without --index, commands use the default index over the bundled corpus (built on first use).
"""
from __future__ import annotations

import argparse
import json
import sys

from corpus.errors import USER_ERROR_EXIT, FilingQAError
from index.default import default_index_dir, default_retriever
from index.retriever import Retriever


def _open(index: str | None) -> Retriever:
    return Retriever.load(index) if index else default_retriever()


def _print_hits(hits, as_json: bool) -> None:
    if as_json:
        print(json.dumps([h.to_dict() for h in hits], indent=2, ensure_ascii=False))
        return
    if not hits:
        print("no passages found")
    for n, h in enumerate(hits, 1):
        where = " | ".join(x for x in (h.doc_id, f"p{h.page}" if h.page else None, h.segment, h.period) if x)
        print(f"{n}. [{h.score:.3f}] {where}\n   {h.section}\n   {' '.join(h.text.split())[:400]}\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m index", description="Build and search filingqa indexes.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("build", help="build a new index from filings (replaces one at --out)")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--out", required=True, metavar="DIR")

    p = sub.add_parser("add", help="add or update filings; unchanged ones are skipped")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--index", metavar="DIR", help=f"default: the bundled corpus at {default_index_dir()}")

    p = sub.add_parser("remove", help="remove a filing by doc_id")
    p.add_argument("doc_id")
    p.add_argument("--index", metavar="DIR", help=f"default: the bundled corpus at {default_index_dir()}")

    p = sub.add_parser("list", help="list indexed filings")
    p.add_argument("--index", metavar="DIR", help=f"default: the bundled corpus at {default_index_dir()}")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("search", help="search passages")
    p.add_argument("query")
    p.add_argument("--index", metavar="DIR", help=f"default: the bundled corpus at {default_index_dir()}")
    p.add_argument("-k", type=int, default=5)
    p.add_argument("--doc", action="append", metavar="ID", help="restrict to this doc_id (repeatable)")
    p.add_argument("--company")
    p.add_argument("--form")
    p.add_argument("--period", help='period words overriding the query\'s, e.g. "Q3", "nine months", "FY2022"')
    p.add_argument("--json", action="store_true")

    args = parser.parse_args(argv)
    try:
        if args.command == "build":
            r = Retriever.build(args.files, out=args.out, progress=True)
            print(f"built {args.out}: {len(r.filings())} filings, {len(r)} chunks", file=sys.stderr)
        elif args.command == "add":
            rep = _open(args.index).add(args.files, progress=True)
            print(f"added {rep.added or '-'}; replaced {rep.replaced or '-'}; unchanged {rep.unchanged or '-'}; "
                  f"{rep.chunks} chunks embedded in {rep.seconds:.1f}s", file=sys.stderr)
        elif args.command == "remove":
            n = _open(args.index).remove(args.doc_id)
            print(f"removed {args.doc_id} ({n} chunks)", file=sys.stderr)
        elif args.command == "list":
            filings = _open(args.index).filings()
            if args.json:
                print(json.dumps(filings, indent=2, ensure_ascii=False))
            else:
                for f in filings:
                    print(f"{f['doc_id']:36s} {f['company'] or '?':28.28s} {f['form'] or '?':17s} {f['period_end'] or '?':10s} "
                          f"pages={f['pages']} chunks={f['chunks']}")
        elif args.command == "search":
            r = _open(args.index)
            _print_hits(r.search(args.query, k=args.k, doc_ids=args.doc, company=args.company, form=args.form,
                                 period=args.period), args.json)
    except FilingQAError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return USER_ERROR_EXIT
    return 0


if __name__ == "__main__":
    sys.exit(main())
