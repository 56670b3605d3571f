"""The user's default index (the bundled corpus and every filing they add) and the bundled corpus alone.

`default_retriever()` is what the page and the command lines use without `--index`: the bundled filings plus the
user's, rebuilt when the bundled corpus, the parsing code, the model or the index format changed, or when a file of it
is damaged, with the user's filings read again from the copies the index keeps (index/rebuild.py). Evaluation and
benchmarks use `bundled_retriever()`, a separate index of the bundled filings alone, so they never see (or change)
what a user added.
"""
from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from corpus import BUNDLED_DIR, read_manifest
from corpus.fingerprint import add_files
from index.data_dirs import default_cache_dir, default_index_dir
from index.embedder import Embedder
from index.errors import IndexDamagedError, IndexMismatchError, IndexNotFoundError
from index.prepare import Source
from index.rebuild import rebuild
from index.retriever import Retriever

REPO_ROOT = Path(__file__).resolve().parents[1]


def bundled_index_dir() -> Path:
    """The bundled corpus's own index, beside the cached vectors (deleting it is safe: it is built again)."""
    return default_cache_dir() / "bundled-index"


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


def bundled_sources() -> list[Source]:
    """The bundled filings, as a build reads them (corpus/filings and the metadata its manifest gives)."""
    return [Source(e.path, e.meta, "bundled") for e in read_manifest()]


def default_retriever(embedder: Embedder | None = None, *, directory: Path | None = None, progress: bool = True) -> Retriever:
    """The user's index: the bundled filings and the user's, (re)built when missing, stale, built with another
    model or damaged; what the user added is read again from the copies the index keeps, and said so."""
    return _current(directory if directory is not None else default_index_dir(), embedder, keep_user=True,
                    progress=progress)


def bundled_retriever(embedder: Embedder | None = None, *, directory: Path | None = None,
                      progress: bool = True) -> Retriever:
    """The bundled filings alone, for evaluation and benchmarks (never the user's index)."""
    return _current(directory if directory is not None else bundled_index_dir(), embedder, keep_user=False,
                    progress=progress)


def _current(directory: Path, embedder: Embedder | None, *, keep_user: bool, progress: bool) -> Retriever:
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
    except IndexDamagedError as exc:
        reason = f"it is damaged: {exc}"

    def say(what: str) -> None:
        if progress:
            print(f"filingqa: building the index at {directory} ({reason}): {what}...", file=sys.stderr)

    retriever, report = rebuild(directory, embedder, bundled_sources(), keep_user=keep_user,
                                notes={"corpus_fingerprint": fingerprint}, progress=progress, say=say)
    if progress and report.unreadable:
        print(f"filingqa: {report.summary()}", file=sys.stderr)
    return retriever
