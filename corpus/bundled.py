"""The filings bundled under corpus/filings/ and their manifest."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BUNDLED_DIR = Path(__file__).resolve().parent / "filings"


@dataclass(frozen=True)
class ManifestEntry:
    path: Path
    meta: dict[str, Any]


def read_manifest(directory: Path = BUNDLED_DIR) -> list[ManifestEntry]:
    """Entries of `manifest.json` in `directory`: the file path and the metadata to load it with."""
    data = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    entries = []
    for item in data["filings"]:
        meta = {k: v for k, v in item.items() if k != "file"}
        entries.append(ManifestEntry(path=directory / item["file"], meta=meta))
    return entries
