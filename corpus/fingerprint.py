"""One digest over files' names and bytes: what says an index or a stored result was made from other code or data."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable


def add_files(digest, paths: Iterable[Path]) -> None:
    """Feed each file's name and bytes, in the order given, into a hashlib digest."""
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
