"""Rebuild an index from what it was made of, keeping everything a user added.

The bundled filings are read again from corpus/filings; a user's from the copy the index keeps of each file
(sources/), or, from an index of the first format (which kept none), as they were parsed. Runs when the parsing code,
the model or the index format changed, and when a file of the index is damaged. A stored file that the current parser
cannot read is not dropped: it stays with the index, listed with the reason (`Retriever.unindexed()`).
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from corpus.errors import FilingQAError, one_line
from index.embedder import Embedder
from index.prepare import PreparedFiling, Source, prepare
from index.retriever import Retriever
from index.state import given_key, stored_source_path, stored_user_sources


@dataclass(frozen=True)
class RebuildReport:
    bundled: int
    user: int  # the user's filings indexed again
    unreadable: tuple[str, ...]  # the user's filings kept but not indexed, each with the reason
    seconds: float

    def summary(self) -> str:
        text = f"{self.bundled} bundled filings"
        if self.user or self.unreadable:
            text += f" and {self.user} you added (read again from the copies kept with the index)"
        if self.unreadable:
            text += f"; {len(self.unreadable)} of yours could not be read by this version and are kept unindexed: " \
                    + "; ".join(self.unreadable)
        return text


def rebuild(directory: Path, embedder: Embedder, bundled: Sequence[Source], *, keep_user: bool = True,
            notes: Mapping[str, Any] | None = None, progress: bool = False,
            say: Callable[[str], None] | None = None) -> tuple[Retriever, RebuildReport]:
    """A new index at `directory` over `bundled` plus, with `keep_user`, every filing a user added to the index that
    is there now, whatever state it is in. Holds the index's write lock throughout, so nothing added meanwhile is lost.
    `say(line)` is told what is rebuilt before the work starts."""
    started = time.perf_counter()
    retriever = Retriever(directory, embedder, notes=notes)
    with retriever.writing():
        bundled_ids = {s.meta.get("doc_id"): s.content_hash() for s in bundled}
        user, lost = stored_user_sources(Path(directory), bundled_ids) if keep_user else ([], [])
        if say is not None:
            mine = f" and {len(user)} you added, read again from the copies kept in {Path(directory) / 'sources'}" \
                if user else ""
            say(f"{len(bundled)} bundled filings{mine}")
        prepared: list[PreparedFiling] = prepare(list(bundled), embedder, retriever.config, progress=progress)
        unindexed: list[dict[str, Any]] = []
        keep: dict[str, Path] = {}
        for source in user:  # one at a time: a file this parser cannot read is kept, not fatal
            try:
                prepared += prepare([source], embedder, retriever.config, progress=progress)
            except FilingQAError as exc:
                if source.path is None:
                    lost.append(f"{source.doc_id}: {exc}")
                    continue
                stored = stored_source_path(source.content_hash(), source.path.name)
                keep[stored] = source.path
                unindexed.append({"doc_id": source.doc_id, "file": source.path.name, "stored_source": stored,
                                  "content_hash": source.content_hash(), "given": given_key(source.meta),
                                  "reason": one_line(exc)})
                lost.append(f"{source.path.name}: {exc}")
        retriever.replace_all(prepared, unindexed, keep, notes)
    report = RebuildReport(len(bundled), len(prepared) - len(bundled), tuple(lost), time.perf_counter() - started)
    return retriever, report
