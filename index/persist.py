"""An index is a folder. No pickle.

    manifest.json                   format, model, chunker, each filing (with where it came from), a revision, and
                                    the SHA-256 of every file below
    vectors.faiss                   the passage vectors
    chunks.jsonl                    the passages
    filings/<doc_id>.json           each filing as parsed
    sources/<hash>/<file name>      the file a user added, as given, so a rebuild (new parser, new model, a damaged
                                    index) parses it again; bundled filings are read from corpus/filings instead
    derived/<name>/<doc_id>.json    what the layers above compute once per filing, each file carrying the key it was
                                    computed for, so a stale or missing one is simply computed again

Writers take `writer_lock` (a lock file beside the folder, naming the process that holds it), write the whole new
index into a sibling temporary folder, hard-linking the files that did not change, and exchange it with the old one
in a single rename (`renameat2(RENAME_EXCHANGE)` on Linux; elsewhere two renames, with `recover()` for a crash
between them). Readers take no lock: they check every file against the manifest's checksums and the revision after
reading, so a read that straddles a swap is seen and retried, and a file damaged on disk is named
(`IndexDamagedError`) instead of being served.
"""
from __future__ import annotations

import contextlib
import ctypes
import errno
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from index.errors import IndexBusyError, IndexDamagedError, IndexNotFoundError

FORMAT_VERSION = 2
READABLE_FORMATS = (1, 2)  # format 1: no checksums, no revision, no stored sources; read as is, written as 2
MANIFEST = "manifest.json"
VECTORS = "vectors.faiss"
CHUNKS = "chunks.jsonl"
FILINGS = "filings"
SOURCES = "sources"
DERIVED = "derived"
LOCK_TIMEOUT_S = 120.0  # how long a writer waits for another to finish before it says who holds the index
_TEMP_MARK = ".tmp-"


def _backup(directory: Path) -> Path:
    return directory.with_name(directory.name + ".previous")


def lock_path(directory: Path) -> Path:
    """The writers' lock file: beside the folder, since the folder itself is replaced by every write."""
    return directory.with_name(f".{directory.name}.lock")


# --------------------------------------------------------------------------- one writer at a time

@contextlib.contextmanager
def writer_lock(directory: Path, timeout: float = LOCK_TIMEOUT_S,
                on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the index's write lock (an exclusive `flock`, released by the kernel if the holder dies).

    Waits up to `timeout` seconds for another writer, calling `on_wait(holder)` once when it has to wait; then
    IndexBusyError naming the process that holds it. Without `fcntl` (not POSIX) there is no lock.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    directory = Path(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path(directory), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = _holder(fd)
                if time.monotonic() >= deadline:
                    raise IndexBusyError(f"the index at {directory} is being changed by {holder}; try again when it "
                                         f"has finished") from None
                if on_wait is not None and not told:
                    on_wait(holder)
                    told = True
                time.sleep(0.05)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"process {os.getpid()} ({' '.join(sys.argv)[:200]})".encode("utf-8", "replace"), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _holder(fd: int) -> str:
    try:
        said = os.pread(fd, 300, 0).decode("utf-8", "replace").strip()
    except OSError:
        said = ""
    return said or "another process"


def holds_no_writer(directory: Path) -> bool:
    """True when no writer holds the index (checked by taking the lock for an instant)."""
    try:
        with writer_lock(directory, timeout=0):
            return True
    except (IndexBusyError, OSError):  # busy, or a read-only place where no writer can be either
        return False


# --------------------------------------------------------------------------- writing

def recover(directory: Path) -> None:
    """Call with the write lock held: restore the previous index if a two-rename swap was interrupted after moving
    it aside, and delete the temporary folders of writes that crashed (no other writer can be using them)."""
    directory = Path(directory)
    backup = _backup(directory)
    if not (directory / MANIFEST).exists() and (backup / MANIFEST).exists():
        if directory.exists():
            shutil.rmtree(directory)
        os.replace(backup, directory)
    if directory.parent.is_dir():
        for stale in directory.parent.glob(f".{directory.name}{_TEMP_MARK}*"):
            shutil.rmtree(stale, ignore_errors=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux `renameat2`); False where the system or filesystem cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def fsync_dir(path: Path) -> None:
    """Make a rename inside `path` durable (POSIX; a no-op where folders cannot be opened)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _folder_mode(directory: Path) -> int:
    """The mode the index folder has (kept across writes), else what the umask gives a new folder."""
    try:
        return directory.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o777 & ~umask


def write_atomic(directory: Path, write_into: Callable[[Path], None]) -> None:
    """Call `write_into(tmp_dir)` to fill a fresh folder, then put it in place of `directory` (hold the write lock).

    A failure before the swap leaves the old index as it was and no temporary folder behind.
    """
    directory = Path(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    recover(directory)
    mode = _folder_mode(directory)
    tmp = Path(tempfile.mkdtemp(prefix=f".{directory.name}{_TEMP_MARK}", dir=directory.parent))
    try:
        write_into(tmp)
        for path in sorted(tmp.rglob("*"), key=lambda p: -len(p.parts)):  # files, then their folders
            if path.is_file():
                with open(path, "rb") as fh:
                    os.fsync(fh.fileno())
            else:
                fsync_dir(path)
        fsync_dir(tmp)
        os.chmod(tmp, mode)  # mkdtemp makes 0700; the index keeps the mode its owner gave it
        if directory.exists() and _exchange(tmp, directory):
            fsync_dir(directory.parent)
            shutil.rmtree(tmp, ignore_errors=True)  # the old index, now under the temporary name
            return
        backup = _backup(directory)
        if backup.exists():
            shutil.rmtree(backup)
        if directory.exists():
            os.replace(directory, backup)
        os.replace(tmp, directory)
        fsync_dir(directory.parent)
        shutil.rmtree(backup, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def link_or_copy(source: Path, target: Path) -> None:
    """A file that did not change goes into the new folder as a hard link (instant); a copy where links fail."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def copy_file(source: Path, target: Path) -> None:
    """A user's file into the index (a copy, never a link: they may change theirs later)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)


def write_json_atomic(path: Path, data: Any) -> None:
    """One file, replaced whole (a crash leaves the old one or none, never half)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp.", dir=path.parent)  # short: the target's name may be long already
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json(path: Path, data: Any) -> str:
    """Write JSON; returns the SHA-256 of the bytes written (for the manifest)."""
    data_bytes = json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
    path.write_bytes(data_bytes)
    return hashlib.sha256(data_bytes).hexdigest()


def write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> str:
    """Write JSON lines; returns the SHA-256 of the bytes written."""
    digest = hashlib.sha256()
    with open(path, "wb") as fh:
        for row in rows:
            line = (json.dumps(row, ensure_ascii=False) + "\n").encode("utf-8")
            digest.update(line)
            fh.write(line)
    return digest.hexdigest()


def file_sha256(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


# --------------------------------------------------------------------------- reading

def read_manifest(directory: Path) -> dict[str, Any]:
    """The manifest, as a dict; IndexNotFoundError without one, IndexDamagedError if it is not a manifest."""
    directory = Path(directory)
    path = directory / MANIFEST
    for _ in range(100):  # a writer between the two renames of a swap (systems without an atomic exchange)
        try:
            data = path.read_bytes()
            break
        except (FileNotFoundError, NotADirectoryError):
            if not _backup(directory).joinpath(MANIFEST).exists():
                raise IndexNotFoundError(f"no filingqa index at {directory} (missing {MANIFEST}); build one with "
                                         f"`python -m index build FILE... --out {directory}`") from None
            if holds_no_writer(directory):
                with contextlib.suppress(IndexBusyError, OSError), writer_lock(directory, timeout=0):
                    recover(directory)  # a two-rename swap that crashed half-way
            else:
                time.sleep(0.05)
        except OSError as exc:
            raise IndexDamagedError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    else:
        raise IndexBusyError(f"the index at {directory} is being replaced by another process; try again")
    try:
        manifest = json.loads(data.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise IndexDamagedError(f"{path} is damaged (not valid JSON: {exc})") from exc
    if not isinstance(manifest, dict) or not isinstance(manifest.get("filings"), dict):
        raise IndexDamagedError(f"{path} is damaged (not a filingqa manifest)")
    return manifest


def read_checked(directory: Path, name: str, manifest: dict[str, Any]) -> bytes:
    """A file of the index, checked against the manifest's checksum (format 1 has none: read as is)."""
    path = Path(directory) / name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise IndexDamagedError(f"{path} is missing") from None
    except OSError as exc:
        raise IndexDamagedError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    expected = (manifest.get("files") or {}).get(name)
    if expected is not None and hashlib.sha256(data).hexdigest() != expected:
        raise IndexDamagedError(f"{path} is damaged (its checksum does not match the manifest)")
    return data


def revision(directory: Path) -> str | None:
    """The revision the manifest on disk names now (None when there is none to read)."""
    try:
        return json.loads((Path(directory) / MANIFEST).read_bytes()).get("revision")
    except (OSError, ValueError, AttributeError):
        return None


def read_jsonl(data: bytes, name: str) -> list[dict[str, Any]]:
    rows = []
    for number, line in enumerate(data.decode("utf-8", "strict").splitlines(), start=1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except ValueError as exc:
                raise IndexDamagedError(f"{name} is damaged (line {number}: {exc})") from exc
    return rows


def stored_sources(directory: Path) -> list[Path]:
    """The user's files stored in an index folder (what a rebuild parses again), whatever state the rest is in."""
    folder = Path(directory) / SOURCES
    return sorted(p for p in folder.glob("*/*") if p.is_file()) if folder.is_dir() else []
