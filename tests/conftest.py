"""Shared fixtures: the seed filings, ../shared paths, and no network in tests."""
from __future__ import annotations

import socket
from pathlib import Path

import pytest

from corpus import BUNDLED_DIR

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED_000 = BUNDLED_DIR / "crexendo-2020q3-10q-mdna.txt"
SEED_004 = BUNDLED_DIR / "crexendo-2021q2-10q-note2-revenue.txt"


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    """Tests run offline: any connection other than to this machine fails loudly."""
    real_connect = socket.socket.connect

    def guarded(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and host not in ("127.0.0.1", "localhost", "::1", "0.0.0.0") and not host.startswith("/"):
            raise RuntimeError(f"network access blocked in tests: {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(scope="session")
def seed_000():
    from corpus import load_filing

    return load_filing(SEED_000)


@pytest.fixture(scope="session")
def seed_004():
    from corpus import load_filing

    return load_filing(SEED_004)


def shared_filing(name: str) -> Path:
    path = SHARED / "filings" / name
    if not path.exists():
        pytest.skip(f"../shared/filings/{name} is not present")
    return path
