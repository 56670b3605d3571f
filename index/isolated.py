"""Prepare filings (parse, chunk, embed) in a child process that can be stopped at any point.

The page prepares each upload here: a long or hostile file then neither holds the questions the page answers
meanwhile (the child embeds on one thread, leaving the other core to them) nor outlives a Cancel (the child is
stopped wherever it is, parsing included), and a file that makes the parser run out of memory costs the child, not
the server. The child is `python -m index.isolated`, fed one pickled job on stdin; it answers with pickled messages on
stdout (progress, then the prepared filings or the error) and exits when its parent is gone.

    prepared = prepare_isolated([Source.of(path)], embedder, config, on_progress=..., cancelled=event.is_set)
"""
from __future__ import annotations

import os
import pickle
import queue
import struct
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any, BinaryIO, Callable, Sequence

from corpus.errors import FilingParseError, FilingQAError
from index.chunker import ChunkerConfig
from index.embedder import Embedder
from index.errors import BuildCancelledError
from index.prepare import PreparedFiling, Source, prepare

REPO_ROOT = Path(__file__).resolve().parents[1]
CHILD_THREADS = 1
CHILD_MEMORY_BYTES = 6 * 1024 ** 3  # address space a child may take: a parse that wants more is refused, not served


def _send(stream: BinaryIO, message: Any) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(struct.pack(">Q", len(data)) + data)
    stream.flush()


def _receive(stream: BinaryIO) -> Any | None:
    head = stream.read(8)
    if len(head) < 8:
        return None
    size = struct.unpack(">Q", head)[0]
    return pickle.loads(stream.read(size))  # noqa: S301 - our own child's messages


def prepare_isolated(sources: Sequence[Source], embedder: Embedder, config: ChunkerConfig, *,
                     on_progress: Callable[[int, int], None] | None = None,
                     on_stage: Callable[[str], None] | None = None,
                     cancelled: Callable[[], bool] | None = None,
                     threads: int = CHILD_THREADS) -> list[PreparedFiling]:
    """`index.prepare.prepare` in a child process. `cancelled()` is polled ten times a second: when it says so, the
    child is stopped and BuildCancelledError raised (so is anything `on_progress` raises). Errors of the child
    (FilingParseError, FilingTooLargeError, ...) are raised here as they were raised there."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO_ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}
    child = subprocess.Popen([sys.executable, "-m", "index.isolated"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, env=env, cwd=REPO_ROOT)
    messages: queue.Queue = queue.Queue()

    def read() -> None:
        while True:
            try:
                message = _receive(child.stdout)
            except (OSError, EOFError, pickle.UnpicklingError):
                message = None
            messages.put(message)
            if message is None or message[0] in ("done", "error"):
                return

    try:
        _send(child.stdin, {"sources": list(sources), "embedder": embedder.settings(), "config": config,
                            "threads": threads})
        child.stdin.close()
        threading.Thread(target=read, daemon=True, name="filingqa-build-reader").start()
        while True:
            if cancelled is not None and cancelled():
                raise BuildCancelledError("Build cancelled; nothing was added and the index is unchanged.")
            try:
                message = messages.get(timeout=0.1)
            except queue.Empty:
                continue
            if message is None:
                child.wait(5)
                raise FilingParseError(f"{', '.join(s.name for s in sources)}: reading it stopped the parser (exit "
                                       f"{child.returncode}; out of memory?); the index is unchanged")
            kind, payload = message
            if kind == "progress" and on_progress is not None:
                on_progress(*payload)
            elif kind == "stage" and on_stage is not None:
                on_stage(payload)
            elif kind == "done":
                return payload
            elif kind == "error":
                raise payload
    finally:
        if child.poll() is None:
            child.kill()
        child.wait()
        for stream in (child.stdin, child.stdout):
            try:
                stream.close()
            except OSError:
                pass


def _serve() -> None:
    """The child: read one job, prepare it, answer. Exits if the parent dies (nobody would read the answer)."""
    import resource

    from index.prepare import _die_with_parent

    _die_with_parent(os.getppid())
    try:
        resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY_BYTES, CHILD_MEMORY_BYTES))
    except (ValueError, OSError):
        pass
    # The answers get the real stdout to themselves: anything a library prints goes to stderr instead.
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    job = _receive(sys.stdin.buffer)
    try:
        embedder = Embedder(**job["embedder"], threads=job["threads"])
        _send(out, ("stage", "parsing"))
        result = prepare(job["sources"], embedder, job["config"],
                         on_progress=lambda done, total: _send(out, ("progress", (done, total))))
        _send(out, ("done", result))
    except FilingQAError as exc:
        _send(out, ("error", exc))
    except MemoryError:
        _send(out, ("error", FilingParseError("the file needs more memory to parse than filingqa allows a filing; "
                                              "the index is unchanged")))
    except Exception as exc:  # noqa: BLE001 - reported to the parent as one line, never lost
        _send(out, ("error", FilingQAError(f"{exc.__class__.__name__}: {exc}")))


if __name__ == "__main__":
    _serve()
