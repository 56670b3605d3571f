"""Serve the page: `.venv/bin/python -m app [--host H] [--port P] [--index DIR] [--share]`."""
from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path
from typing import Sequence

from app.actions import MAX_UPLOAD_MB
from app.page import CONCURRENCY, build_app
from corpus.errors import USER_ERROR_EXIT, FilingQAError, one_line
from qa.pipeline import Pipeline

AUTH_ENV = "FILINGQA_AUTH"


def is_loopback(host: str) -> bool:
    """Whether `host` is reachable from this machine alone."""
    import ipaddress

    if host in ("localhost", ""):
        return host == "localhost"
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def read_auth(path: str | None, env_value: str | None) -> list[tuple[str, str]]:
    """User/password pairs for Gradio's `auth`: from a file (one 'user:password' a line) and the environment."""
    lines: list[str] = []
    if path:
        try:
            lines += Path(path).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise FilingQAError(f"--auth-file {path}: cannot be read ({exc})") from exc
    if env_value:
        lines.append(env_value)
    pairs = []
    for line in (ln.strip() for ln in lines):
        if not line or line.startswith("#"):
            continue
        user, sep, password = line.partition(":")
        if not sep or not user or not password:
            raise FilingQAError(f"an auth line must read 'user:password' with both parts given; got {user or '?'}:…")
        pairs.append((user, password))
    return pairs


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app", description="Serve the filingqa web page.")
    parser.add_argument("--host", default="127.0.0.1",
                        help="interface to listen on (0.0.0.0 for all; default %(default)s)")
    parser.add_argument("--port", type=int, default=7860, help="port (default %(default)s)")
    parser.add_argument("--index", metavar="DIR",
                        help="an index folder (default: the bundled corpus, built on first use)")
    parser.add_argument("--share", action="store_true", help="also open a public gradio.live link (off by default)")
    parser.add_argument("--auth-file", metavar="FILE",
                        help="ask for a user name and password: FILE holds one 'user:password' a line (or set "
                             f"{AUTH_ENV}=user:password); do this whenever the page listens beyond this machine")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    try:
        auth = read_auth(args.auth_file, os.environ.get(AUTH_ENV))
    except FilingQAError as exc:
        print(f"error: {one_line(exc)}", file=sys.stderr)
        return USER_ERROR_EXIT
    if (args.share or not is_loopback(args.host)) and not auth:
        print(f"filingqa: warning: the page will listen on {'a public gradio.live link' if args.share else args.host} "
              f"without a password: anyone who can reach it can read the indexed filings and add or remove filings. "
              f"Protect it with --auth-file FILE (lines 'user:password') or {AUTH_ENV}=user:password.",
              file=sys.stderr, flush=True)

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
                show_error=False, footer_links=["api"], auth=auth or None, allowed_paths=[])
    return 0


if __name__ == "__main__":
    sys.exit(main())
