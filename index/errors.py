"""Domain errors at the index boundary, under the project's one base (`corpus.errors.FilingQAError`)."""
from corpus.errors import FilingQAError


class IndexNotFoundError(FilingQAError):
    """No index at the given directory (or it lacks a manifest)."""


class IndexMismatchError(FilingQAError):
    """The index was built with another embedding model, dimension or format version."""


class InvalidQueryError(FilingQAError, ValueError):
    """An empty, absurdly long or otherwise unusable query."""


class FilingTooLargeError(FilingQAError):
    """A filing would make more passages than one index takes for a filing (a log dump, a file repeated)."""


class BuildCancelledError(FilingQAError):
    """The user stopped an index build; nothing was written, the index is as it was."""


class IndexDamagedError(FilingQAError):
    """A file of the index is missing, unreadable or not what its manifest says (a crash, a disk error, an edit)."""


class IndexBusyError(FilingQAError):
    """Another process is changing the index and did not finish in time."""


class IndexChangedError(FilingQAError):
    """The index changed on disk (another process added or removed filings) while this one was reading it."""
