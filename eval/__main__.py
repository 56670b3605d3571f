"""Command line: `python -m eval [--gold FILE] [--index DIR] [--json OUT] [--md OUT]`
`python -m eval tatqa FILE [--json OUT] [--md OUT] [--heldout UIDS.json]`
`python -m eval xbrl FILE... [--json OUT] [--md OUT] [--per-filing N] [--no-progress]`
`python -m eval metrics [--gold FILE] [--filings DIR] [--only DOC] [--json OUT] [--md OUT] [--no-reader]`
`python -m eval statements FILE... [--md OUT]`, `python -m eval labels FILE... [--md OUT]` and
`python -m eval reliability REPORT.json... [--md OUT]`, `python -m eval retrieval --gold FILE [--index DIR]`,
`python -m eval calibrate --gold FILE... [--index DIR] [--ranker DIR]` (the ranker's calibration, on dev questions),
`python -m eval changes FILE... [--md OUT]` (the change statements and reasons read from the filings' MD&A)."""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

from corpus.errors import USER_ERROR_EXIT, FilingQAError, run_cli


def _write_json(path: str, data) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(data, indent=1, ensure_ascii=False, default=str) + "\n", encoding="utf-8")


def _emit(report, md: str, json_path: str | None, md_path: str | None) -> None:
    """Write a run's report (JSON) and table (Markdown) where asked, and print the table."""
    if json_path:
        _write_json(json_path, report)
    if md_path:
        Path(md_path).parent.mkdir(parents=True, exist_ok=True)
        Path(md_path).write_text(md, encoding="utf-8")
    print(md)


def _threads() -> None:
    try:
        import torch

        torch.set_num_threads(2)
    except ImportError:
        pass


def main_gold(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m eval", description="Run a gold set against the pipeline, or "
                                "one of the subcommands below.", epilog=subcommands_help(),
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--gold", metavar="FILE", help="default: eval/gold.jsonl")
    p.add_argument("--index", metavar="DIR", help="default: the bundled corpus's index")
    p.add_argument("--json", metavar="OUT", help="write the full report here")
    p.add_argument("--md", metavar="OUT", help="write the results table and failures here (markdown)")
    p.add_argument("--limit", type=int, help="only the first N questions")
    p.add_argument("--no-progress", action="store_true")
    p.add_argument("--per-doc", action="store_true", help="ask each question of its own filings (its doc) only")
    p.add_argument("--ranker", metavar="DIR", help="the sentence ranker's folder (default: the project's), or 'none'")
    p.add_argument("--rank-threshold", type=float, metavar="P",
                   help="the ranker's calibrated probability below which a sentence is no answer (default: the config's)")
    p.add_argument("--verify-threshold", type=float, metavar="P",
                   help="the ranker's probability below which a rule-based words answer is dropped (default: the config's)")
    p.add_argument("--hide-failures-of", metavar="SPLIT", help="count this split's failures, never list them "
                                                               "(a sealed set, until its issue ends)")
    args = p.parse_args(argv)
    from eval.runner import format_markdown, run_gold
    from qa.pipeline import Pipeline
    from qa.rank.model import DEFAULT_MODEL_DIR as DEFAULT_RANKER_DIR

    _threads()
    try:
        ranker = {"none": None, None: DEFAULT_RANKER_DIR}.get(args.ranker, args.ranker)
        pipeline = Pipeline.load(args.index, bundled=True, ranker=ranker)
        if args.rank_threshold is not None:
            pipeline.config = replace(pipeline.config, min_rank_probability=args.rank_threshold)
        if args.verify_threshold is not None:
            pipeline.config = replace(pipeline.config, min_words_probability=args.verify_threshold)
        report = run_gold(args.gold, pipeline, progress=not args.no_progress, limit=args.limit, per_doc=args.per_doc)
    except (FilingQAError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return USER_ERROR_EXIT
    md = format_markdown(report, args.hide_failures_of)
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
    p.add_argument("--ranker", metavar="DIR", help="the sentence ranker's folder (default: the project's), or 'none'")
    p.add_argument("--limit", type=int)
    p.add_argument("--no-progress", action="store_true")
    args = p.parse_args(argv)
    from eval.tatqa import format_tatqa_markdown, load_heldout, run_tatqa
    from qa.pipeline import Pipeline
    from qa.rank.model import DEFAULT_MODEL_DIR as DEFAULT_RANKER_DIR
    from qa.rank.model import SentenceRanker
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
        ranker_dir = {"none": None, None: DEFAULT_RANKER_DIR}.get(args.ranker, args.ranker)
        pipeline = Pipeline(None, Reader(args.reader), ranker=SentenceRanker.load(ranker_dir) if ranker_dir else None)
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


def main_xbrl(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m eval xbrl",
                                description="Ask questions generated from each filing's own inline XBRL, and score them.")
    p.add_argument("files", nargs="+", metavar="FILE", help="EDGAR inline-XBRL filings (.htm/.html)")
    p.add_argument("--json", metavar="OUT")
    p.add_argument("--md", metavar="OUT")
    p.add_argument("--per-filing", type=int, default=None, metavar="N", help="questions per filing (default 12)")
    p.add_argument("--seed", type=int, default=None, help="sampling seed (default 0)")
    p.add_argument("--reader", metavar="DIR", help="reader checkpoint (default: qa/models/minilm-finqa)")
    p.add_argument("--no-progress", action="store_true")
    args = p.parse_args(argv)
    from eval.xbrl import DEFAULT_PER_FILING, DEFAULT_SEED, format_xbrl_markdown, run_xbrl
    from index.embedder import Embedder
    from qa.reader.model import Reader

    per_filing = args.per_filing if args.per_filing is not None else DEFAULT_PER_FILING
    if per_filing < 1:
        print(f"error: --per-filing must be at least 1, got {per_filing}", file=sys.stderr)
        return USER_ERROR_EXIT
    missing = [f for f in args.files if not Path(f).is_file()]
    if missing:
        print(f"error: {', '.join(missing)} not found", file=sys.stderr)
        return USER_ERROR_EXIT
    _threads()
    try:
        embedder, reader = Embedder(), Reader(args.reader)
        embedder.warm_up()
        reader.warm_up()
        report = run_xbrl(args.files, embedder=embedder, reader=reader, per_filing=per_filing,
                          seed=args.seed if args.seed is not None else DEFAULT_SEED, progress=not args.no_progress)
    except FilingQAError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return USER_ERROR_EXIT
    md = format_xbrl_markdown(report)
    _emit(report, md, args.json, args.md)
    o = report["overall"]
    print(f"{o['n']} questions: right {o['right']}, wrong {o['wrong']}, abstained {o['abstained']}; "
          f"run {report['latency']['run_s']} s")
    return 0


def main_metrics(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m eval metrics",
                                description="Ask the metric gold set (computed metrics over the shared filings) and score it.")
    p.add_argument("--gold", metavar="FILE", help="default: eval/metric_gold.jsonl")
    p.add_argument("--filings", metavar="DIR", help="where the gold's docs are (default: ../shared/filings)")
    p.add_argument("--only", metavar="DOC", action="append", help="ask only the questions of this doc (repeatable)")
    p.add_argument("--json", metavar="OUT")
    p.add_argument("--md", metavar="OUT")
    p.add_argument("--no-reader", action="store_true", help="answer without the reader (computed answers need none)")
    args = p.parse_args(argv)
    from eval.metric_gold import DEFAULT_GOLD, format_metric_markdown, load_metric_gold, run_metric_gold
    from index.embedder import Embedder

    filings = Path(args.filings) if args.filings else Path(__file__).resolve().parent.parent.parent / "shared" / "filings"
    try:
        rows = load_metric_gold(args.gold or DEFAULT_GOLD)
        rows = [r for r in rows if not args.only or r["doc"] in args.only]
        missing = sorted({r["doc"] for r in rows if not (filings / r["doc"]).is_file()})
        if missing:
            print(f"error: {len(missing)} gold filings not under {filings}: {', '.join(missing[:4])}", file=sys.stderr)
            return USER_ERROR_EXIT
        _threads()
        reader = None
        if not args.no_reader:
            from qa.reader.model import Reader

            reader = Reader()
            reader.warm_up()
        report = run_metric_gold(rows, filings, embedder=Embedder(), reader=reader)
    except FilingQAError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return USER_ERROR_EXIT
    md = format_metric_markdown(report)
    _emit(report, md, args.json, args.md)
    return 0


def main_statements(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m eval statements",
                                description="Which primary statements, years and standard lines each filing gives.")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--md", metavar="OUT")
    p.add_argument("--synonyms-only", action="store_true", help="map row labels by the synonym table alone")
    args = p.parse_args(argv)
    from eval.statements import format_statements_markdown, recognise

    missing = [f for f in args.files if not Path(f).is_file()]
    if missing:
        print(f"error: {', '.join(missing)} not found", file=sys.stderr)
        return USER_ERROR_EXIT
    from index.embedder import Embedder
    from qa.compute.labels import LabelMapper

    labels = None if args.synonyms_only else LabelMapper(Embedder())
    try:
        rows = [recognise(f, labels) for f in args.files]
    except FilingQAError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return USER_ERROR_EXIT
    _emit(rows, format_statements_markdown(rows), None, args.md)
    return 0


def main_labels(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m eval labels",
                                description="Row-label to standard-line mapping, checked against the filings' XBRL tags.")
    p.add_argument("files", nargs="+")
    p.add_argument("--md", type=Path, default=None, help="also write the table as Markdown")
    args = p.parse_args(argv)
    from eval.labels import format_labels_markdown, label_pairs, measure
    from index.embedder import Embedder
    from qa.compute.labels import LabelMapper

    result = measure(*label_pairs(args.files), LabelMapper(Embedder()))
    _emit(result, format_labels_markdown(result), None, args.md)
    return 0


def main_reliability(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m eval reliability",
                                description="Confidence buckets against the share right, from gold-run reports (--json).")
    p.add_argument("reports", nargs="+", metavar="REPORT")
    p.add_argument("--md", metavar="OUT")
    args = p.parse_args(argv)
    from eval.reliability import format_reliability_markdown, load_points

    sets = load_points(args.reports)
    _emit(sets, format_reliability_markdown(sets), None, args.md)
    return 0


def main_retrieval(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m eval retrieval",
                                description="Recall@k of retrieval alone against a gold set's evidence (or evidence pages).")
    p.add_argument("--gold", required=True, metavar="FILE", help="eval/gold.jsonl, eval/why_gold.jsonl or eval/pagehit_gold.jsonl")
    p.add_argument("--index", metavar="DIR", help="default: the bundled corpus's index")
    p.add_argument("--json", metavar="OUT")
    args = p.parse_args(argv)
    from eval.retrieval import load_items, retrieval_scores
    from index.default import bundled_retriever
    from index.retriever import Retriever

    try:
        retriever = Retriever.load(args.index) if args.index else bundled_retriever()
        scores = retrieval_scores(retriever, load_items(args.gold))
    except (FilingQAError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return USER_ERROR_EXIT
    if args.json:
        _write_json(args.json, {**scores, "backend": retriever.embedder.backend, "gold": args.gold})
    missed = sorted(i for i, rank in scores["ranks"].items() if rank is None or rank > 5)
    print(" ".join(f"{k} {v}" for k, v in scores.items() if k != "ranks")
          + f" (backend {retriever.embedder.backend}); not in the top 5: {', '.join(missed) or 'none'}")
    return 0


def main(argv: list[str] | None = None) -> int:
    return run_cli(lambda: _dispatch(list(sys.argv[1:] if argv is None else argv)))


def _changes(argv: list[str]) -> int:
    from eval.changes import main as main_changes

    return main_changes(argv)


def _calibrate(argv: list[str]) -> int:
    from eval.calibrate import main as main_calibrate

    _threads()
    return main_calibrate(argv)


# Every subcommand, its entry point and the line `python -m eval --help` shows for it. Without one, a gold set runs.
SUBCOMMANDS = {
    "tatqa": (main_tatqa, "TAT-QA: exact match and F1 by answer type, through the pipeline"),
    "xbrl": (main_xbrl, "figures against EDGAR filings' own XBRL tags, by concept"),
    "metrics": (main_metrics, "the computed-metric gold set (eval/metric_gold.jsonl)"),
    "statements": (main_statements, "which statement lines the statement model finds per filing"),
    "labels": (main_labels, "the row labels read per statement line"),
    "reliability": (main_reliability, "confidence buckets against the share right, from reports"),
    "retrieval": (main_retrieval, "the evidence passage's rank (hit@k, MRR) for a gold set"),
    "calibrate": (_calibrate, "fit the sentence ranker's calibration on dev questions"),
    "changes": (_changes, "the change statements and reasons read from the filings' MD&A"),
}


def subcommands_help() -> str:
    width = max(map(len, SUBCOMMANDS))
    return "subcommands (each has its own --help):\n" + "\n".join(
        f"  {name:<{width}}  {line}" for name, (_, line) in SUBCOMMANDS.items())


def _dispatch(argv: list[str]) -> int:
    if argv and argv[0] in SUBCOMMANDS:
        return SUBCOMMANDS[argv[0]][0](argv[1:])
    return main_gold(argv)


if __name__ == "__main__":
    sys.exit(main())
