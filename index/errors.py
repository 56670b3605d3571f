"""Domain errors at the index boundary; the CLI and the page turn them into one clear line."""


class IndexNotFoundError(Exception):
    """No index at the given directory (or it lacks a manifest)."""


class IndexMismatchError(Exception):
    """The index was built with another embedding model, dimension or format version."""


class InvalidQueryError(ValueError):
    """An empty, absurdly long or otherwise unusable query."""
