"""Command line for the index: build, add, remove, rebuild, list, search. JSON output with --json.

    python -m index build FILE... --out DIR [--replace] [--store faiss-exact|faiss-ivf-sq8]
    python -m index add FILE... [--index DIR]
    python -m index ingest FILE... --index DIR [--ray-address ADDR] [--workers N]   (Ray; resumable)
    python -m index remove DOC_ID [--index DIR]
    python -m index rebuild [--index DIR]
    python -m index list [--index DIR] [--json]
    python -m index search "QUERY" [--index DIR] [-k 5] [--doc ID] [--company NAME] [--form 10-K] [--period Q3] [--json]

Without --index, commands use the default index: the bundled corpus and what you added (built on first use).
Every error is one `error:` line and exit status 2.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from corpus.errors import FilingQAError, run_cli
from index import persist
from index.default import bundled_sources, corpus_fingerprint, default_index_dir, default_retriever
from index.embedder import Embedder
from index.rebuild import rebuild
from index.retriever import Retriever
from index.stores import APPROXIMATE_ABOVE, STORES


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


def _rebuild(index: str | None) -> int:
    """Parse every filing of an index again (from the copies it keeps) and embed it with this install's model."""
    if not index:
        directory = default_index_dir()
        retriever, report = rebuild(directory, Embedder(), bundled_sources(),
                                    notes={"corpus_fingerprint": corpus_fingerprint()}, progress=True)
    else:
        directory = Path(index)
        try:
            manifest = persist.read_manifest(directory)
            ids = set(manifest["filings"])
        except FilingQAError:
            ids = set()
        bundled = [s for s in bundled_sources() if s.meta.get("doc_id") in ids]
        retriever, report = rebuild(directory, Embedder(), bundled, progress=True)
    print(f"rebuilt {directory}: {report.summary()}; {len(retriever)} chunks in {report.seconds:.1f}s", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m index", description="Build and search filingqa indexes.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("build", help="build a new index from filings")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--out", required=True, metavar="DIR")
    p.add_argument("--replace", action="store_true", help="replace the index already at DIR (and what was added to it)")
    p.add_argument("--store", choices=sorted(STORES), help="the vector store (default: exact, approximate above "
                                                           f"{APPROXIMATE_ABOVE:,} passages; $FILINGQA_STORE)")

    p = sub.add_parser("add", help="add filings; a file already indexed (the same bytes, under any name) is skipped")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--index", metavar="DIR", help=f"default: your index at {default_index_dir()}")

    p = sub.add_parser("ingest", help="add many filings through Ray (parse, chunk, embed on workers; resumable)")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--index", required=True, metavar="DIR", help="the index to write (made if missing)")
    p.add_argument("--ray-address", metavar="ADDR", help="a Ray cluster (default: a local Ray on this machine)")
    p.add_argument("--workers", type=int, help="parallel workers (default: the CPUs Ray has)")
    p.add_argument("--store", choices=sorted(STORES), help="the vector store of a new index")

    p = sub.add_parser("remove", help="remove a filing by doc_id")
    p.add_argument("doc_id")
    p.add_argument("--index", metavar="DIR", help=f"default: your index at {default_index_dir()}")

    p = sub.add_parser("rebuild", help="parse and embed every filing of an index again, from the copies it keeps "
                                       "(after an upgrade, a model change or damage)")
    p.add_argument("--index", metavar="DIR", help=f"default: your index at {default_index_dir()}")

    p = sub.add_parser("list", help="list indexed filings")
    p.add_argument("--index", metavar="DIR", help=f"default: your index at {default_index_dir()}")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("search", help="search passages")
    p.add_argument("query")
    p.add_argument("--index", metavar="DIR", help=f"default: your index at {default_index_dir()}")
    p.add_argument("-k", type=int, default=5)
    p.add_argument("--doc", action="append", metavar="ID", help="restrict to this doc_id (repeatable)")
    p.add_argument("--company")
    p.add_argument("--form")
    p.add_argument("--period", help='period words overriding the query\'s, e.g. "Q3", "nine months", "FY2022"')
    p.add_argument("--json", action="store_true")

    args = parser.parse_args(argv)
    return run_cli(lambda: _run(args))


def _run(args: argparse.Namespace) -> int:
    if args.command == "build":
        out = Path(args.out)
        if (out / persist.MANIFEST).exists() and not args.replace:
            raise FilingQAError(f"{out} already holds an index; `python -m index add FILE... --index {out}` adds to "
                                f"it, --replace builds a new one in its place")
        r = Retriever.build(args.files, out=out, progress=True, store=args.store)
        print(f"built {args.out}: {len(r.filings())} filings, {len(r)} chunks ({r.store.backend} store)", file=sys.stderr)
    elif args.command == "ingest":
        from index.ray_ingest import ingest

        rep = ingest(args.files, args.index, ray_address=args.ray_address, workers=args.workers, store=args.store)
        print(f"ingested {len(rep.added)} filings ({rep.passages:,} passages) in {rep.seconds:.1f} s "
              f"({rep.passages_per_s:.0f} passages/s, {rep.workers} workers); {rep.skipped} already indexed, skipped",
              file=sys.stderr)
    elif args.command == "add":
        rep = _open(args.index).add(args.files, progress=True)
        print(f"added {rep.added or '-'}; replaced {rep.replaced or '-'}; unchanged {rep.unchanged or '-'}; "
              f"{rep.chunks} chunks embedded in {rep.seconds:.1f}s", file=sys.stderr)
        for note in rep.notes:
            print(f"note: {note}", file=sys.stderr)
    elif args.command == "remove":
        n = _open(args.index).remove(args.doc_id)
        print(f"removed {args.doc_id} ({n} chunks)", file=sys.stderr)
    elif args.command == "rebuild":
        return _rebuild(args.index)
    elif args.command == "list":
        r = _open(args.index)
        filings = r.filings()
        if args.json:
            print(json.dumps(filings, indent=2, ensure_ascii=False))
        else:
            for f in filings:
                print(f"{f['doc_id']:36s} {f['company'] or '?':28.28s} {f['form'] or '?':17s} {f['period_end'] or '?':10s} "
                      f"pages={f['pages'] or 'n/a'} chunks={f['chunks']} {f.get('origin') or ''}")
            for u in r.unindexed():
                print(f"{u.get('file')}: kept but not indexed ({u.get('reason')})")
    elif args.command == "search":
        r = _open(args.index)
        _print_hits(r.search(args.query, k=args.k, doc_ids=args.doc, company=args.company, form=args.form,
                             period=args.period), args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
