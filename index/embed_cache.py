"""Vectors already computed, keyed by (model, backend, text): a rebuild embeds only the passages whose text changed.

One SQLite file per model and backend under the cache folder (index/data_dirs.py: `$FILINGQA_CACHE`, else the user
cache folder). SQLite because it is in the standard library, survives a crash mid-write (a transaction
either lands or not) and lets several processes share the file. A damaged or unwritable cache is never fatal:
the build goes on without it and says so in the log.
"""
from __future__ import annotations

import hashlib
import logging
import sqlite3
from pathlib import Path
from typing import Sequence

import numpy as np

log = logging.getLogger("filingqa.index")
_LOOKUP_BATCH = 500  # under SQLite's limit on bound parameters


def text_key(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()[:20]


class EmbeddingCache:
    """`get` the vectors known for some texts, `put` new ones. `model_id` names model, backend and precision."""

    def __init__(self, directory: str | Path, model_id: str, dimension: int):
        self.dimension = dimension
        safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in model_id)
        self.path = Path(directory) / f"embeddings-{safe}.sqlite"
        self._db: sqlite3.Connection | None = None
        self._broken = False

    def _connect(self) -> sqlite3.Connection | None:
        if self._db is None and not self._broken:
            try:
                self._db = self._open()
            except sqlite3.DatabaseError as exc:
                # Not a database (a torn copy, a disk error): it holds nothing worth keeping, so it is made anew,
                # once, instead of warning on every run.
                log.warning("filingqa: embedding cache %s is damaged (%s); starting a new one", self.path, exc)
                try:
                    self.path.unlink(missing_ok=True)
                    for suffix in ("-wal", "-shm", "-journal"):
                        self.path.with_name(self.path.name + suffix).unlink(missing_ok=True)
                    self._db = self._open()
                except (sqlite3.Error, OSError) as again:
                    self._fail(again)
            except OSError as exc:
                self._fail(exc)
        return self._db

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
        try:
            db.execute("CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, vector BLOB NOT NULL)")
            if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise sqlite3.DatabaseError("quick_check failed")
        except sqlite3.Error:
            db.close()
            raise
        return db

    def _fail(self, exc: Exception) -> None:
        log.warning("filingqa: embedding cache %s unusable (%s); embedding without it", self.path, exc)
        self._broken = True
        self._db = None

    def get(self, texts: Sequence[str]) -> dict[int, np.ndarray]:
        """Row index in `texts` -> its cached vector, for the texts the cache holds."""
        db = self._connect()
        if db is None or not texts:
            return {}
        keys = [text_key(t) for t in texts]
        where: dict[bytes, list[int]] = {}
        for i, key in enumerate(keys):
            where.setdefault(key, []).append(i)
        found: dict[int, np.ndarray] = {}
        unique = list(where)
        try:
            for start in range(0, len(unique), _LOOKUP_BATCH):
                part = unique[start: start + _LOOKUP_BATCH]
                rows = db.execute(f"SELECT key, vector FROM vectors WHERE key IN ({','.join('?' * len(part))})", part)
                for key, blob in rows:
                    vector = np.frombuffer(blob, dtype=np.float32)
                    if vector.shape != (self.dimension,):
                        continue  # written by something else: embed again
                    for i in where[key]:
                        found[i] = vector
        except sqlite3.Error as exc:
            self._fail(exc)
            return {}
        return found

    def put(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        db = self._connect()
        if db is None or not len(texts):
            return
        rows = [(text_key(t), np.ascontiguousarray(v, dtype=np.float32).tobytes()) for t, v in zip(texts, vectors)]
        try:
            with db:
                db.executemany("INSERT OR REPLACE INTO vectors (key, vector) VALUES (?, ?)", rows)
        except sqlite3.Error as exc:
            self._fail(exc)

    def __len__(self) -> int:
        db = self._connect()
        return 0 if db is None else int(db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0])

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
