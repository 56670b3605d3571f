"""The project's errors: one base, `FilingQAError`, for everything a user can cause and fix.

Every layer raises a subclass (the corpus here, the index in `index/errors.py`, the reader, the gold set); every
command line and the page catch the base in one place and show its message as one line .
"""
from __future__ import annotations


class FilingQAError(Exception):
    """A problem the user can fix: a bad file, a missing index or filing, an unusable question."""


class FilingParseError(FilingQAError):
    """A file could not be read as a filing (corrupt, encrypted, empty, binary, too large)."""


class FilingNotFoundError(FilingQAError):
    """No filing with that doc_id in the index."""


USER_ERROR_EXIT = 2  # every command line exits with this on a user error
INTERNAL_ERROR_EXIT = 1


def one_line(exc: BaseException) -> str:
    """An error as the one line the user sees (never a traceback)."""
    return " ".join(str(exc).split()) or exc.__class__.__name__


def run_cli(body) -> int:
    """Run a command line's body (`body() -> exit status`): every error ends as one `error:` line.

    What the user can fix (a FilingQAError, a file that cannot be read or written, bad bytes) exits with
    USER_ERROR_EXIT; anything else is a bug: one line too, exit 1, the traceback only with FILINGQA_DEBUG=1.
    """
    import os
    import sys

    try:
        return body()
    except (FilingQAError, OSError, UnicodeError) as exc:
        print(f"error: {one_line(exc)}", file=sys.stderr)
        return USER_ERROR_EXIT
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - one line for the user; the traceback on request
        if os.environ.get("FILINGQA_DEBUG"):
            raise
        print(f"error: internal error ({exc.__class__.__name__}: {one_line(exc)}); run with FILINGQA_DEBUG=1 for "
              f"the traceback and please report it", file=sys.stderr)
        return INTERNAL_ERROR_EXIT


def per_file(paths, build, show=None):
    """`build(path)` for each path, in order: a FilingQAError is printed as one "error:" line and the rest go on.
    `show(report)` prints each report as it comes. Returns (reports, exit status: USER_ERROR_EXIT if any failed)."""
    import sys

    reports, status = [], 0
    for path in paths:
        try:
            report = build(path)
        except (FilingQAError, OSError, UnicodeError) as exc:
            print(f"error: {one_line(exc)}", file=sys.stderr)
            status = USER_ERROR_EXIT
            continue
        reports.append(report)
        if show is not None:
            show(report)
    return reports, status
