"""Domain errors raised at the corpus boundary; the CLI turns them into one line."""


class FilingParseError(Exception):
    """A file could not be read as a filing (corrupt, encrypted, empty, binary, too large)."""
