"""Where filingqa writes when no folder is named: the user's index and the cache (vectors already computed, the
exported ONNX model, the bundled corpus's own index).

`$FILINGQA_INDEX` and `$FILINGQA_CACHE` when set. Otherwise the platform's user folders (platformdirs: on Linux
`~/.local/share/filingqa/index` and `~/.cache/filingqa`), never the installed package or the checkout. A checkout
that already holds `.filingqa/` (where filingqa wrote before it was installable) keeps using it, so an upgrade finds
the filings its user added instead of starting an empty index beside them.
"""
from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "filingqa"
# The folder an earlier filingqa wrote into, inside a checkout (git-ignored); read only where it already exists.
LEGACY_DIR = Path(__file__).resolve().parents[1] / ".filingqa"


def _chosen(variable: str, legacy: Path, platform_dir: str) -> Path:
    if os.environ.get(variable):
        return Path(os.environ[variable])
    return legacy if legacy.is_dir() else Path(platform_dir)


def default_index_dir() -> Path:
    """`$FILINGQA_INDEX`; else an existing checkout's `.filingqa/index`; else the user data folder's `index`."""
    return _chosen("FILINGQA_INDEX", LEGACY_DIR / "index", os.path.join(platformdirs.user_data_dir(APP_NAME), "index"))


def default_cache_dir() -> Path:
    """`$FILINGQA_CACHE`; else an existing checkout's `.filingqa/cache`; else the user cache folder."""
    return _chosen("FILINGQA_CACHE", LEGACY_DIR / "cache", platformdirs.user_cache_dir(APP_NAME))
