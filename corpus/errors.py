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


def per_file(paths, build, show=None):
    """`build(path)` for each path, in order: a FilingQAError is printed as one "error:" line and the rest go on.
    `show(report)` prints each report as it comes. Returns (reports, exit status: USER_ERROR_EXIT if any failed)."""
    import sys

    reports, status = [], 0
    for path in paths:
        try:
            report = build(path)
        except FilingQAError as exc:
            print(f"error: {exc}", file=sys.stderr)
            status = USER_ERROR_EXIT
            continue
        reports.append(report)
        if show is not None:
            show(report)
    return reports, status
