"""Command line: `python -m eval [--gold FILE] [--index DIR] [--json OUT] [--md OUT]`
and `python -m eval tatqa FILE [--json OUT] [--md OUT] [--heldout UIDS.json]`."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from corpus.errors import USER_ERROR_EXIT, FilingQAError


def _write_json(path: str, data) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(data, indent=1, ensure_ascii=False, default=str) + "\n", encoding="utf-8")


def _threads() -> None:
    try:
        import torch

        torch.set_num_threads(2)
    except ImportError:
        pass


def main_gold(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m eval", description="Run the gold set against the pipeline.")
    p.add_argument("--gold", metavar="FILE", help="default: eval/gold.jsonl")
    p.add_argument("--index", metavar="DIR", help="default: the bundled corpus's index")
    p.add_argument("--json", metavar="OUT", help="write the full report here")
    p.add_argument("--md", metavar="OUT", help="write the results table and failures here (markdown)")
    p.add_argument("--limit", type=int, help="only the first N questions")
    p.add_argument("--no-progress", action="store_true")
    args = p.parse_args(argv)
    from eval.runner import format_markdown, run_gold
    from qa.pipeline import Pipeline

    _threads()
    try:
        pipeline = Pipeline.load(args.index)
        report = run_gold(args.gold, pipeline, progress=not args.no_progress, limit=args.limit)
    except (FilingQAError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return USER_ERROR_EXIT
    md = format_markdown(report)
    if args.json:
        _write_json(args.json, report)
    if args.md:
        Path(args.md).write_text(md, encoding="utf-8")
    print(md)
    return 0


def main_tatqa(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m eval tatqa", description="Evaluate ask_context on a TAT-QA file.")
    p.add_argument("file", help="a TAT-QA json file, e.g. ../shared/datasets/tatqa/tatqa_dataset_dev.json")
    p.add_argument("--json", metavar="OUT")
    p.add_argument("--md", metavar="OUT")
    p.add_argument("--heldout", metavar="UIDS", help="only these context uids (JSON list, or object holding one)")
    p.add_argument("--reader", metavar="DIR", help="reader checkpoint (default: qa/models/minilm-finqa)")
    p.add_argument("--limit", type=int)
    p.add_argument("--no-progress", action="store_true")
    args = p.parse_args(argv)
    from eval.tatqa import format_tatqa_markdown, load_heldout, run_tatqa
    from qa.pipeline import Pipeline
    from qa.reader.model import Reader

    _threads()
    try:
        uids = load_heldout(args.heldout) if args.heldout else None
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return USER_ERROR_EXIT
    if not Path(args.file).is_file():
        print(f"error: {args.file} not found", file=sys.stderr)
        return USER_ERROR_EXIT
    try:
        pipeline = Pipeline(None, Reader(args.reader))
        pipeline.warm_up()
    except FilingQAError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return USER_ERROR_EXIT
    report = run_tatqa(args.file, pipeline, uids=uids, progress=not args.no_progress, limit=args.limit)
    md = format_tatqa_markdown(report)
    if args.json:
        _write_json(args.json, report)
    if args.md:
        Path(args.md).write_text(md, encoding="utf-8")
    print(md)
    print(f"contexts {report['contexts']}, reader loaded: {report['reader']}, answer kinds {report['answer_kinds']}, "
          f"p50 {report['latency']['p50_s']} s, run {report['latency']['run_s']} s, errors {report['errors']}")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "tatqa":
        return main_tatqa(argv[1:])
    return main_gold(argv)


if __name__ == "__main__":
    sys.exit(main())
