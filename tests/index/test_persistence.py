"""An index folder under concurrent writers, crashes, full disks and damage: nothing committed is lost, nothing damaged
is served, and every failure is one named error."""
from __future__ import annotations

import errno
import json
import os
import shutil
import threading

import pytest

from corpus.errors import FilingNotFoundError
from index import persist
from index.__main__ import main as index_cli
from index.errors import IndexBusyError, IndexDamagedError
from index.retriever import Retriever
from tests.conftest import SEED_004

pytestmark = pytest.mark.slow


def _filing(folder, name: str, words: str) -> os.PathLike:
    path = folder / f"{name}.txt"
    path.write_text(f"{name.upper()} CORP\nFORM 10-Q\nFor the quarterly period ended June 30, 2023\n\n"
                    f"Revenue increased 12% to $4,143,000 because of {words}. General and administrative expenses "
                    f"rose because of {words} as well.\n", encoding="utf-8")
    return path


@pytest.fixture()
def base(tmp_path, embedder):
    out = tmp_path / "idx"
    Retriever.build([SEED_004], out=out, embedder=embedder)
    return out


def _ids(directory, embedder) -> list[str]:
    return [f["doc_id"] for f in Retriever.load(directory, embedder=embedder).filings()]


def test_two_writers_at_once_keep_both_filings(tmp_path, base, embedder):
    """Each writer commits against the index as it is on disk then, one at a time: neither change is lost."""
    first, second = Retriever.load(base, embedder=embedder), Retriever.load(base, embedder=embedder)
    files = [_filing(tmp_path, "alpha", "new dealers"), _filing(tmp_path, "beta", "higher audit fees")]
    errors = []

    def add(retriever, path):
        try:
            retriever.add([path])
        except Exception as exc:  # noqa: BLE001 - the assertion below names it
            errors.append(exc)

    threads = [threading.Thread(target=add, args=pair) for pair in zip((first, second), files)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert _ids(base, embedder) == ["alpha", "beta", "crexendo-2021q2-10q"]
    # A writer that loaded the index before the other's change sees it once it writes again.
    first.remove("beta")
    assert _ids(base, embedder) == ["alpha", "crexendo-2021q2-10q"]


def test_a_busy_index_names_the_process_changing_it(base, embedder, tmp_path):
    waiting = Retriever.load(base, embedder=embedder)
    waiting.lock_timeout = 0.3
    with persist.writer_lock(base):
        with pytest.raises(IndexBusyError, match=f"being changed by process {os.getpid()}"):
            waiting.add([_filing(tmp_path, "alpha", "new dealers")])
    assert _ids(base, embedder) == ["crexendo-2021q2-10q"]


def test_a_failed_save_leaves_what_is_served_as_it_was(base, embedder, tmp_path, monkeypatch):
    """A full disk during `add`: the filing is neither served nor written by the next, unrelated change."""
    r = Retriever.load(base, embedder=embedder)
    real = persist.write_jsonl

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(persist, "write_jsonl", disk_full)
    with pytest.raises(OSError, match="No space left"):
        r.add([_filing(tmp_path, "alpha", "new dealers")])
    assert [f["doc_id"] for f in r.filings()] == ["crexendo-2021q2-10q"]
    assert not any("alpha" in h.doc_id for h in r.search("new dealers", k=5))
    monkeypatch.setattr(persist, "write_jsonl", real)
    r.add([_filing(tmp_path, "beta", "audit fees")])
    r.remove("beta")
    assert _ids(base, embedder) == ["crexendo-2021q2-10q"]
    assert not [p for p in tmp_path.iterdir() if persist._TEMP_MARK in p.name]


def test_a_crashed_write_leaves_a_temporary_folder_the_next_write_removes(base, embedder, tmp_path):
    leftover = tmp_path / f".{base.name}{persist._TEMP_MARK}crashed"
    (leftover / "filings").mkdir(parents=True)
    (leftover / "vectors.faiss").write_bytes(b"half")
    Retriever.load(base, embedder=embedder).add([_filing(tmp_path, "alpha", "new dealers")])
    assert not leftover.exists()


def test_a_write_keeps_the_folder_mode(base, embedder, tmp_path):
    base.chmod(0o755)
    Retriever.load(base, embedder=embedder).add([_filing(tmp_path, "alpha", "new dealers")])
    assert base.stat().st_mode & 0o777 == 0o755


def test_identity_is_the_content_not_the_name(base, embedder, tmp_path):
    r = Retriever.load(base, embedder=embedder)
    renamed = tmp_path / "Crexendo 2021Q2 10Q.txt"
    shutil.copy(SEED_004, renamed)  # the bundled filing's bytes under another name
    assert r.add([renamed]).unchanged == ["crexendo-2021q2-10q"]
    impostor = tmp_path / "crexendo-2021q2-10q-note2-revenue" / "crexendo-2021q2-10q.txt"
    impostor.parent.mkdir()
    impostor.write_text("Crexendo, Inc.\nFORM 10-Q\nFor the quarterly period ended June 30, 2021\n\nTotal revenue was "
                        "$999,000,000 for the three months ended June 30, 2021.\n", encoding="utf-8")
    report = r.add([impostor])  # another file of the same name (and so the same readable id)
    (new_id,) = report.added
    assert new_id.startswith("crexendo-2021q2-10q-") and report.replaced == []
    assert report.notes == [f"another filing is indexed as crexendo-2021q2-10q already; this one, with different "
                            f"contents, is {new_id}"]
    assert set(_ids(base, embedder)) == {"crexendo-2021q2-10q", new_id}
    assert r.filing("crexendo-2021q2-10q").content_hash != r.filing(new_id).content_hash
    # Only an id the caller names replaces the filing holding it (as the bundled manifest does when a file changes).
    impostor.write_text(impostor.read_text(encoding="utf-8") + "A new line.\n", encoding="utf-8")
    named = r.add([(impostor, {"doc_id": "crexendo-2021q2-10q"})])
    assert named.replaced == ["crexendo-2021q2-10q"] and named.added == []


def test_a_very_long_file_name_gets_a_short_id(base, embedder, tmp_path):
    path = _filing(tmp_path, "a" * 240, "new dealers")  # 244 characters with ".txt"
    (doc_id,) = Retriever.load(base, embedder=embedder).add([path]).added
    assert len(doc_id) <= 80 and doc_id in _ids(base, embedder)


def test_every_damaged_file_is_named(base, embedder, tmp_path):
    r = Retriever.load(base, embedder=embedder)
    r.add([_filing(tmp_path, "alpha", "new dealers")])
    vectors = base / persist.VECTORS
    good = vectors.read_bytes()
    damaged = bytearray(good)
    damaged[200:4296] = os.urandom(4096)  # 4 KB overwritten: FAISS would still read it
    vectors.write_bytes(bytes(damaged))
    with pytest.raises(IndexDamagedError, match="vectors.faiss is damaged"):
        Retriever.load(base, embedder=embedder)
    vectors.write_bytes(b"")
    with pytest.raises(IndexDamagedError, match="vectors.faiss is damaged"):
        Retriever.load(base, embedder=embedder)
    vectors.write_bytes(good)
    filing = base / persist.FILINGS / "alpha.json"
    filing.write_text("{ damaged", encoding="utf-8")
    fresh = Retriever.load(base, embedder=embedder)
    with pytest.raises(IndexDamagedError, match="alpha.json is damaged"):
        fresh.filing("alpha")
    (base / persist.MANIFEST).write_text("{ not json", encoding="utf-8")
    with pytest.raises(IndexDamagedError, match="manifest.json is damaged"):
        Retriever.load(base, embedder=embedder)


def test_the_command_lines_say_a_damaged_index_in_one_line(base, capsys):
    (base / persist.VECTORS).write_bytes(b"")
    for argv in (["list", "--index", str(base)], ["search", "revenue", "--index", str(base)]):
        assert index_cli(argv) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and err[0].startswith("error: ") and "vectors.faiss is damaged" in err[0]
    from qa.__main__ import main as qa_cli

    assert qa_cli(["ask", "What was revenue?", "--index", str(base)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "vectors.faiss is damaged" in err[0]


def test_readers_see_the_old_or_the_new_index_never_a_mix(base, embedder, tmp_path):
    writer = Retriever.load(base, embedder=embedder)
    files = [_filing(tmp_path, f"doc{i}", f"reason {i}") for i in range(4)]
    stop = threading.Event()
    failures, loads = [], [0]

    def read():
        while not stop.is_set():
            try:
                loaded = Retriever.load(base, embedder=embedder)
                assert len(loaded.chunks) == sum(f["chunks"] for f in loaded.filings())
                loads[0] += 1
            except Exception as exc:  # noqa: BLE001 - any failure is the finding
                failures.append(repr(exc))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for path in files:
            writer.add([path])
        for path in files:
            writer.remove(path.stem)
    finally:
        stop.set()
        reader.join()
    assert not failures and loads[0] > 0


def test_refresh_serves_what_another_process_saved(base, embedder, tmp_path):
    page = Retriever.load(base, embedder=embedder)
    assert page.refresh() is False  # nothing changed: one stat
    Retriever.load(base, embedder=embedder).add([_filing(tmp_path, "alpha", "new dealers")])
    assert page.refresh() is True and "alpha" in [f["doc_id"] for f in page.filings()]
    assert page.search("new dealers", k=1)[0].doc_id == "alpha"


def test_a_format_1_index_is_read_and_written_as_format_2(base, embedder, tmp_path):
    manifest = json.loads((base / persist.MANIFEST).read_text())
    old = {k: v for k, v in manifest.items() if k not in ("files", "revision", "unindexed")}
    old["format_version"] = 1
    for meta in old["filings"].values():
        for key in ("origin", "given", "stored_source"):
            meta.pop(key, None)
    (base / persist.MANIFEST).write_text(json.dumps(old))
    r = Retriever.load(base, embedder=embedder)
    assert [f["doc_id"] for f in r.filings()] == ["crexendo-2021q2-10q"]
    r.add([_filing(tmp_path, "alpha", "new dealers")])
    upgraded = json.loads((base / persist.MANIFEST).read_text())
    assert upgraded["format_version"] == persist.FORMAT_VERSION and upgraded["files"]
    with pytest.raises(FilingNotFoundError):
        r.filing("nowhere")


def test_rebuild_parses_every_filing_again_from_the_copies_the_index_keeps(base, embedder, tmp_path, capsys):
    path = _filing(tmp_path, "alpha", "new dealers")
    Retriever.load(base, embedder=embedder).add([path])
    path.unlink()  # the user's own copy is gone: the index keeps one
    assert index_cli(["build", str(SEED_004), "--out", str(base)]) == 2
    assert "already holds an index" in capsys.readouterr().err
    assert index_cli(["rebuild", "--index", str(base)]) == 0
    assert "1 you added" in capsys.readouterr().err
    assert _ids(base, embedder) == ["alpha", "crexendo-2021q2-10q"]
