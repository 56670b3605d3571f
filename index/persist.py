"""An index is a folder: manifest.json, vectors.faiss, chunks.jsonl, filings/<doc_id>.json. No pickle.

`derived/<name>/<doc_id>.json` holds what the layers above compute once per filing (the facts of qa/figures): each
file is written atomically on its own and carries the key it was computed for, so a stale or missing one is
simply computed again.

Writes go to a sibling temporary folder which then replaces the old one by rename, so a crash
mid-write leaves the previous index intact. If a crash falls between the two renames of the swap,
`recover()` finds the old folder under its backup name and puts it back.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, Iterable

from index.errors import IndexNotFoundError

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
VECTORS = "vectors.faiss"
CHUNKS = "chunks.jsonl"
FILINGS = "filings"
DERIVED = "derived"


def _backup(directory: Path) -> Path:
    return directory.with_name(directory.name + ".previous")


def recover(directory: Path) -> None:
    """Restore the previous index if a swap was interrupted after moving it aside."""
    backup = _backup(directory)
    if not (directory / MANIFEST).exists() and (backup / MANIFEST).exists():
        if directory.exists():
            shutil.rmtree(directory)
        os.replace(backup, directory)


def write_atomic(directory: Path, write_into) -> None:
    """Call `write_into(tmp_dir)` to fill a fresh folder, then swap it in place of `directory`."""
    directory = Path(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    recover(directory)
    tmp = Path(tempfile.mkdtemp(prefix=f".{directory.name}.tmp-", dir=directory.parent))
    try:
        write_into(tmp)
        for path in tmp.rglob("*"):
            if path.is_file():
                with open(path, "rb") as fh:
                    os.fsync(fh.fileno())
        backup = _backup(directory)
        if backup.exists():
            shutil.rmtree(backup)
        if directory.exists():
            os.replace(directory, backup)
        os.replace(tmp, directory)
        if backup.exists():
            shutil.rmtree(backup)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def write_json_atomic(path: Path, data: Any) -> None:
    """One file, replaced whole (a crash leaves the old one or none, never half)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def read_manifest(directory: Path) -> dict[str, Any]:
    directory = Path(directory)
    recover(directory)
    path = directory / MANIFEST
    if not path.exists():
        raise IndexNotFoundError(f"no filingqa index at {directory} (missing {MANIFEST}); build one with "
                                 f"`python -m index build FILE... --out {directory}`")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise IndexNotFoundError(f"{path} is not valid JSON ({exc}); rebuild the index") from exc


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]
