"""Serve the page: `.venv/bin/python -m app [--host H] [--port P] [--index DIR] [--share]`."""
from __future__ import annotations

import argparse
import logging
import sys
import time
from typing import Sequence

from app.actions import MAX_UPLOAD_MB
from app.page import CONCURRENCY, build_app
from app.render import one_line
from corpus.errors import USER_ERROR_EXIT, FilingQAError
from qa.pipeline import Pipeline


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app", description="Serve the filingqa web page.")
    parser.add_argument("--host", default="127.0.0.1",
                        help="interface to listen on (0.0.0.0 for all; default %(default)s)")
    parser.add_argument("--port", type=int, default=7860, help="port (default %(default)s)")
    parser.add_argument("--index", metavar="DIR",
                        help="an index folder (default: the bundled corpus, built on first use)")
    parser.add_argument("--share", action="store_true", help="also open a public gradio.live link (off by default)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")

    started = time.perf_counter()
    print("filingqa: loading the index and models"
          + ("" if args.index else " (the first run builds the index over the bundled filings, about a minute)"),
          file=sys.stderr, flush=True)
    try:
        pipeline = Pipeline.load(index_dir=args.index)
    except FilingQAError as exc:
        print(f"error: {one_line(exc)}", file=sys.stderr)
        return USER_ERROR_EXIT
    print(f"filingqa: ready in {time.perf_counter() - started:.1f} s: {len(pipeline.retriever.filings())} filings, "
          f"{len(pipeline.retriever)} passages", file=sys.stderr, flush=True)
    demo = build_app(pipeline)
    demo.queue(default_concurrency_limit=CONCURRENCY, max_size=64)
    demo.launch(server_name=args.host, server_port=args.port, share=args.share, max_file_size=f"{MAX_UPLOAD_MB}mb",
                show_error=False, footer_links=["api"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
