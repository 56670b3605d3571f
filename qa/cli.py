"""The `filingqa` command (installed by `pip install .`): one entry over the package command lines.

    filingqa ask "Why did G&A rise in Q3?" [--index DIR] [--json]      (= python -m qa ask ...)
    filingqa index build FILE... --out DIR                          (= python -m index ...)
    filingqa app [--port 7860]                                      (= python -m app ...)
    filingqa eval [--gold FILE] | filingqa eval tatqa FILE ...       (= python -m eval ...)
    filingqa inspect FILE...                                        (= python -m corpus inspect ...)

Each subcommand is the module's own `main`, given the rest of the line, so the two spellings never differ.
"""
from __future__ import annotations

import importlib
import sys
from importlib import metadata

# subcommand -> (module whose `main` runs it, whether the subcommand's own name is passed on, what it does)
COMMANDS: dict[str, tuple[str, bool, str]] = {
    "ask": ("qa.__main__", True, "answer a question over indexed filings (--json for the JSON answer)"),
    "prepare": ("qa.__main__", True, "compute and store every indexed filing's facts now"),
    "audit": ("qa.__main__", True, "check every numeric claim in a filing"),
    "index": ("index.__main__", False, "build, add to, remove from, list and search an index"),
    "app": ("app.__main__", False, "serve the web page"),
    "eval": ("eval.__main__", False, "run a gold set or a benchmark dataset against the pipeline"),
    "inspect": ("corpus.__main__", True, "parse filings and report what was found in each"),
}


def usage() -> str:
    width = max(map(len, COMMANDS))
    lines = "\n".join(f"  {name:<{width}}  {what}" for name, (_, _, what) in COMMANDS.items())
    return (f"usage: filingqa COMMAND [ARGS...]   (filingqa COMMAND --help for its options)\n\ncommands:\n{lines}\n"
            "\nWithout --index, commands use your index: the bundled filings and those you added.")


def _version() -> str:
    try:
        return metadata.version("filingqa")
    except metadata.PackageNotFoundError:
        return "unknown (not installed; running from a checkout)"


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help", "help"):
        print(usage())
        return 0 if args else 2
    if args[0] == "--version":
        print(f"filingqa {_version()}")
        return 0
    if args[0] not in COMMANDS:
        print(f"filingqa: unknown command {args[0]!r}\n\n{usage()}", file=sys.stderr)
        return 2
    module, keep_name, _ = COMMANDS[args[0]]
    return importlib.import_module(module).main(args if keep_name else args[1:])


if __name__ == "__main__":
    sys.exit(main())
