"""Command line for qa/.

    python -m qa ask "QUESTION" [--index DIR] [--doc ID] [--json | --explain]
    python -m qa ask --file QUESTIONS.txt [--index DIR] [--doc ID]    (one question a line; JSON lines out)
    python -m qa prepare [--index DIR]      (compute and store every filing's facts now, not at its first question)
    python -m qa audit FILING... [--json]
"""
from __future__ import annotations

import argparse
import json
import sys

from corpus import load_filing
from corpus.errors import FilingQAError, one_line, per_file, run_cli
from qa.figures.audit import audit_report, format_audit
from qa.model import STATUS_MARKS, format_money


def format_answer(answer) -> str:
    lines = [answer.text]
    if answer.value is not None:
        lines.append(f"value: {format_money(answer.value, answer.unit)} | confidence {answer.confidence:.2f} | {answer.kind}")
    for check in answer.checks:
        lines.append(f"{STATUS_MARKS.get(check.status, '?')} {check.status}: {check.detail}")
    for n, c in enumerate(answer.citations, 1):
        where = " | ".join(x for x in (c.doc_id, f"p{c.page}" if c.page else None, c.section, c.period) if x)
        lines.append(f"[{n}] {where}")
        if c.cell is not None:  # a table figure: the cell, then its row
            table = c.cell.heading()
            lines.append(f"    cell \"{c.cell.text}\" | row: {c.cell.row} | column: {c.cell.column or '(not read)'}"
                         + (f" | table: {table}" if table else ""))
        lines.append(f"    \"{' '.join(c.text.split())[:600]}\"")
    return "\n".join(lines)


def _read_questions(path: str) -> list[str | UnicodeDecodeError]:
    """The non-blank lines of a UTF-8 file (or stdin for "-"), each a question; a line that is not valid UTF-8 is
    its decoding error, answered with an error line of its own while the others go on."""
    data = sys.stdin.buffer.read() if path == "-" else open(path, "rb").read()
    questions: list[str | UnicodeDecodeError] = []
    for raw in data.splitlines():
        try:
            line = raw.decode("utf-8-sig" if not questions else "utf-8").strip()
        except UnicodeDecodeError as exc:
            questions.append(exc)
            continue
        if line:
            questions.append(line)
    return questions


def _answer_line(pipeline, question: str | UnicodeDecodeError, doc_ids) -> dict:
    """One question's JSON line: the answer, or `{"question", "error"}` when it could not be asked."""
    if isinstance(question, UnicodeDecodeError):
        return {"question": None, "error": f"this line is not UTF-8 text (byte {question.start}); it was skipped"}
    try:
        return pipeline.ask(question, doc_ids=doc_ids).to_dict()
    except FilingQAError as exc:
        return {"question": question.encode("utf-8", "replace").decode("utf-8"), "error": one_line(exc)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m qa", description="Answer and audit questions over filings.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("ask", help="answer a question over indexed filings")
    p.add_argument("question", nargs="?")
    p.add_argument("--file", metavar="QUESTIONS", help="answer every line of this file (- for stdin), loading the "
                                                        "models once; one JSON object a line out")
    p.add_argument("--index", metavar="DIR", help="default: the bundled corpus (built on first use)")
    p.add_argument("--doc", action="append", metavar="ID", help="restrict to this doc_id (repeatable)")
    p.add_argument("--reader", metavar="DIR", help="a local extractive-QA checkpoint (default: qa/models/minilm-finqa)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--explain", action="store_true", help="print how the question was read, each check and step with "
                                                          "its outcome, then the answer")
    p = sub.add_parser("prepare", help="compute and store the facts of every indexed filing (after `index build`)")
    p.add_argument("--index", metavar="DIR", help="default: the bundled corpus (built on first use)")
    p = sub.add_parser("audit", help="check every numeric claim in a filing")
    p.add_argument("files", nargs="+", metavar="FILING")
    p.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    return run_cli(lambda: _run(parser, args))


def _run(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    if args.command == "ask":
        from qa.pipeline import Pipeline
        from qa.reader import DEFAULT_MODEL_DIR

        if (args.question is None) == (args.file is None):
            parser.error("ask takes a QUESTION or --file QUESTIONS, not both")
        questions = _read_questions(args.file) if args.file else None
        pipeline = Pipeline.load(args.index, reader=args.reader if args.reader is not None else DEFAULT_MODEL_DIR)
        if questions is not None:
            for question in questions:
                # One line per question, in order; a question that cannot be answered says why in its own line.
                print(json.dumps(_answer_line(pipeline, question, args.doc), ensure_ascii=False), flush=True)
            return 0
        if args.explain:
            print(pipeline.explain(args.question, doc_ids=args.doc).format())
            return 0
        answer = pipeline.ask(args.question, doc_ids=args.doc)
        if args.json:
            print(json.dumps(answer.to_dict(), indent=2, ensure_ascii=False))
        else:
            print(format_answer(answer))
        return 0
    if args.command == "prepare":
        from qa.pipeline import Pipeline

        pipeline = Pipeline.load(args.index, reader=None)
        computed = pipeline.prepare()
        print(f"facts stored for {computed} filings ({len(pipeline.retriever.filings()) - computed} already had them)",
              file=sys.stderr)
        return 0
    if args.command == "audit":
        show = None if args.json else lambda report: print(format_audit(report) if len(args.files) == 1 else report["summary"])
        reports, status = per_file(args.files, lambda path: audit_report(load_filing(path)), show)
        if args.json:
            print(json.dumps(reports[0] if len(reports) == 1 else reports, indent=2, ensure_ascii=False))
        return status
    return 0


if __name__ == "__main__":
    sys.exit(main())
