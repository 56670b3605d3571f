"""The default index over the bundled corpus, built on first use into a git-ignored folder."""
from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

from corpus import BUNDLED_DIR, read_manifest
from corpus.fingerprint import add_files
from index.embedder import Embedder
from index.errors import IndexMismatchError, IndexNotFoundError
from index.retriever import Retriever

REPO_ROOT = Path(__file__).resolve().parents[1]


def default_index_dir() -> Path:
    """`$FILINGQA_INDEX` if set, else `.filingqa/index` in the repository (git-ignored)."""
    return Path(os.environ.get("FILINGQA_INDEX") or REPO_ROOT / ".filingqa" / "index")


# The code whose output the index stores (parsed filings, chunks): when it changes, so may the index.
_BUILD_CODE = (*sorted((REPO_ROOT / "corpus").glob("*.py")), REPO_ROOT / "index" / "chunker.py")


def corpus_fingerprint(directory: Path = BUNDLED_DIR, code: tuple[Path, ...] = _BUILD_CODE) -> str:
    """Changes when the bundled manifest, any bundled file, or the parsing/chunking code changes.

    The index stores each filing as parsed (sections, tables) and its chunks, so an index built by an older
    parser would keep answering from the old parse: the code is part of the fingerprint.
    """
    digest = hashlib.sha256((directory / "manifest.json").read_bytes())
    add_files(digest, [entry.path for entry in read_manifest(directory)])
    add_files(digest, code)
    return digest.hexdigest()[:16]


def default_retriever(embedder: Embedder | None = None, *, directory: Path | None = None, progress: bool = True) -> Retriever:
    """Load the default index, (re)building it when missing, stale, or built with another model."""
    directory = directory if directory is not None else default_index_dir()
    embedder = embedder if embedder is not None else Embedder()
    fingerprint = corpus_fingerprint()
    try:
        retriever = Retriever.load(directory, embedder=embedder)
        if retriever.notes.get("corpus_fingerprint") == fingerprint:
            return retriever
        reason = "the bundled corpus or the parsing code changed"
    except IndexNotFoundError:
        reason = "first use"
    except IndexMismatchError as exc:
        reason = f"it was built differently ({exc})"
    if progress:
        print(f"filingqa: building the default index at {directory} ({reason})...", file=sys.stderr)
    return Retriever.build([(e.path, e.meta) for e in read_manifest()], out=directory, embedder=embedder,
                           progress=progress, notes={"corpus_fingerprint": fingerprint})
