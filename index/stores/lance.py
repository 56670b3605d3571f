"""The vector store on LanceDB: an existing engine, embedded here, the same tables on object storage or a server at
scale (LanceDB Cloud / Enterprise reads these datasets as written).

Each passage is a row: its chunk id, vector, text and the metadata filingqa filters by (doc_id, company, form, fiscal
year and quarter, period). The table lives in a private working folder (LanceDB appends new files for every change
and never rewrites a data file), and an index folder holds a saved copy, `vectors.lance`, made of hard links (the
one file LanceDB rewrites in place, its version hint, is copied). A search restricted to some ids is a prefiltered
exact scan of those rows; an unrestricted one uses the table's ANN index (IVF over 8-bit vectors, LanceDB's IVF_SQ,
with as many partitions and probes as the FAISS IVF store, refined with the full vectors; built when the table passes
INDEX_ABOVE rows) or an exact scan below that. The lexical side stays filingqa's BM25 over the same
passages (index/lexical.py), so hybrid search and the answers are the same as on the FAISS stores.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import weakref
from pathlib import Path
from typing import Any, ClassVar, Mapping, Sequence

import numpy as np

from index.errors import IndexDamagedError, IndexMismatchError
from index.stores.base import checked
from index.stores.faiss_ivf import TRAIN_SAMPLE, lists_for, probes_for

TABLE = "passages"
INDEX_ABOVE = 100_000  # rows from which an unrestricted search uses an ANN index rather than an exact scan
REFINE = 2  # candidates re-scored with the full vectors, per result: the 8-bit index's ranking corrected
_REWRITTEN = "latest_version_hint.json"  # the one file LanceDB rewrites in place: copied, never linked
META_COLUMNS = ("doc_id", "company", "form", "fiscal_year", "fiscal_quarter", "period", "text")


def _snapshot(source: Path, target: Path) -> None:
    """`source` (a Lance dataset folder) as `target`: hard links of its immutable files, a copy of the rest."""
    for path in sorted(source.rglob("*")):
        if path.is_file():
            dest = target / path.relative_to(source)
            dest.parent.mkdir(parents=True, exist_ok=True)
            if path.name == _REWRITTEN:
                shutil.copyfile(path, dest)
            else:
                try:
                    os.link(path, dest)
                except OSError:
                    shutil.copyfile(path, dest)


def folder_digest(folder: Path) -> str:
    """SHA-256 over each file's relative path and content: the manifest's checksum of a folder store."""
    digest = hashlib.sha256()
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode())
        with open(path, "rb") as fh:
            digest.update(hashlib.file_digest(fh, "sha256").digest())
    return digest.hexdigest()


class LanceStore:
    backend: ClassVar[str] = "lancedb"
    filename: ClassVar[str] = "vectors.lance"

    def __init__(self, dimension: int, index_above: int | None = None, partitions: int | None = None):
        try:
            import lancedb
        except ImportError:
            raise IndexMismatchError("the lancedb vector store needs LanceDB: pip install 'filingqa[lance]' "
                                     "(or pip install lancedb)") from None

        self.dimension = dimension
        self.index_above = index_above if index_above is not None else INDEX_ABOVE
        self._work = Path(tempfile.mkdtemp(prefix="filingqa-lance-"))
        weakref.finalize(self, shutil.rmtree, str(self._work), True)
        self._db = lancedb.connect(str(self._work))
        self._table = None
        self._indexed_rows = 0
        self.partitions = partitions  # of the ANN index, once built

    # ---------- the table

    def _schema(self):
        import pyarrow as pa

        return pa.schema([pa.field("id", pa.int64()), pa.field("vector", pa.list_(pa.float32(), self.dimension)),
                          *(pa.field(c, pa.int32() if c.startswith("fiscal") else pa.string()) for c in META_COLUMNS)])

    def _open(self):
        if self._table is None:
            self._table = (self._db.open_table(TABLE) if (self._work / f"{TABLE}.lance").is_dir()
                           else self._db.create_table(TABLE, schema=self._schema()))
        return self._table

    def __len__(self) -> int:
        return 0 if self._table is None and not (self._work / f"{TABLE}.lance").is_dir() else self._open().count_rows()

    def params(self) -> dict[str, Any]:
        return {"index_above": self.index_above, "partitions": self.partitions}

    def add(self, ids: np.ndarray, vectors: np.ndarray, rows: Sequence[Mapping[str, Any]] | None = None) -> None:
        import pyarrow as pa

        ids, vectors = checked(ids, vectors, self.dimension)
        if not len(ids):
            return
        rows = rows if rows is not None else [{}] * len(ids)
        columns = {"id": pa.array(ids), "vector": pa.FixedSizeListArray.from_arrays(pa.array(vectors.ravel()), self.dimension)}
        for c in META_COLUMNS:
            columns[c] = pa.array([r.get(c) for r in rows], type=pa.int32() if c.startswith("fiscal") else pa.string())
        self._open().add(pa.table(columns, schema=self._schema()))

    def remove(self, ids: np.ndarray) -> int:
        ids = np.asarray(ids, dtype=np.int64)
        if not len(ids) or not len(self):
            return 0
        before = len(self)
        self._open().delete(f"id IN ({', '.join(map(str, ids.tolist()))})")
        return before - len(self)

    def search_batch(self, queries: np.ndarray, k: int, allowed_ids: np.ndarray | None = None) -> list[list[tuple[int, float]]]:
        return [self.search(q, k, allowed_ids) for q in np.asarray(queries, dtype=np.float32)]

    def search(self, query: np.ndarray, k: int, allowed_ids: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Top-k (id, cosine). Restricted: an exact scan of the allowed rows; else the ANN index where there is one."""
        if k <= 0 or not len(self) or (allowed_ids is not None and len(allowed_ids) == 0):
            return []
        q = self._open().search(np.asarray(query, dtype=np.float32).reshape(-1)).distance_type("dot")
        if allowed_ids is not None:
            listed = ", ".join(map(str, np.asarray(allowed_ids, dtype=np.int64).tolist()))
            q = q.where(f"id IN ({listed})", prefilter=True).bypass_vector_index()
        elif self._indexed_rows and self.partitions:
            q = q.nprobes(probes_for(self.partitions)).refine_factor(REFINE)
        found = q.select(["id"]).limit(k).to_arrow()
        # LanceDB's "dot" distance is 1 - inner product
        return [(int(i), 1.0 - float(d)) for i, d in zip(found["id"].to_pylist(), found["_distance"].to_pylist())]

    # ---------- copies and files

    def copy(self) -> "LanceStore":
        twin = LanceStore(self.dimension, self.index_above, self.partitions)
        if (self._work / f"{TABLE}.lance").is_dir():
            _snapshot(self._work / f"{TABLE}.lance", twin._work / f"{TABLE}.lance")
        twin._indexed_rows = self._indexed_rows
        return twin

    def save(self, path: Path) -> str:
        """The table as a dataset folder at `path` (its ANN index built first when the table is big enough)."""
        table = self._open()
        rows = table.count_rows()
        if rows >= self.index_above and rows > self._indexed_rows * 1.1:
            self.partitions = lists_for(rows)
            table.create_index(metric="dot", index_type="IVF_SQ", num_partitions=self.partitions, replace=True,
                               sample_rate=max(1, TRAIN_SAMPLE // self.partitions), max_iterations=25)
            self._indexed_rows = rows
        _snapshot(self._work / f"{TABLE}.lance", Path(path))
        return folder_digest(Path(path))

    @classmethod
    def load(cls, path: Path, dimension: int, params: dict[str, Any] | None = None,
             expected: str | None = None) -> "LanceStore":
        """The store saved at `path` (a folder), checked against `expected` (its digest in the manifest)."""
        path = Path(path)
        if not path.is_dir():
            raise IndexDamagedError(f"{path} is not a LanceDB store (missing, or a file: another store's?)")
        if expected is not None and folder_digest(path) != expected:
            raise IndexDamagedError(f"{path} is damaged (its checksum does not match the manifest)")
        store = cls(dimension, **(params or {}))
        _snapshot(path, store._work / f"{TABLE}.lance")
        try:
            table = store._open()
            width = table.schema.field("vector").type.list_size
        except Exception as exc:  # noqa: BLE001 - any failure to open the dataset is damage, named with its file
            raise IndexDamagedError(f"{path} is damaged (LanceDB cannot open it: {str(exc).splitlines()[0][:160]})") from exc
        if width != dimension:
            raise IndexDamagedError(f"{path}: vectors have dimension {width}, expected {dimension}")
        store._indexed_rows = table.count_rows() if table.list_indices() else 0
        return store
