"""The default index's fingerprint: what makes it rebuild."""
from __future__ import annotations

import pytest

from corpus import BUNDLED_DIR
from index.default import _BUILD_CODE, corpus_fingerprint, default_retriever


def test_fingerprint_covers_the_parser_and_chunker_code():
    names = {p.name for p in _BUILD_CODE}
    assert {"structure.py", "loaders.py", "chunker.py"} <= names


def test_fingerprint_changes_when_the_parsing_code_changes(tmp_path):
    code = tmp_path / "structure.py"
    code.write_text("HEADING = 1\n")
    before = corpus_fingerprint(BUNDLED_DIR, (code,))
    assert corpus_fingerprint(BUNDLED_DIR, (code,)) == before  # stable
    code.write_text("HEADING = 2\n")
    assert corpus_fingerprint(BUNDLED_DIR, (code,)) != before


@pytest.mark.slow
def test_what_a_user_added_survives_every_rebuild_of_the_default_index(tmp_path, embedder, monkeypatch, capsys):
    """A parser change, damage, a lost manifest: the default index is rebuilt from the bundled corpus and the copies
    it keeps of the user's files, and says so."""
    from index import default as default_module
    from index import persist

    folder = tmp_path / "default-index"
    first = default_retriever(embedder, directory=folder, progress=False)
    bundled = {f["doc_id"] for f in first.filings()}
    upload = tmp_path / "uploads" / "acme-2022-10k.txt"
    upload.parent.mkdir()
    upload.write_text("ACME CORP\nFORM 10-K\nFor the fiscal year ended December 31, 2022\n\nWidget revenue increased "
                      "8% to $4.2 million in 2022 because of new dealers.\n", encoding="utf-8")
    (mine,) = first.add([upload]).added
    upload.unlink()  # the page's upload folder is temporary: the index keeps its own copy

    def everything():
        return {f["doc_id"] for f in default_retriever(embedder, directory=folder, progress=True).filings()}

    monkeypatch.setattr(default_module, "corpus_fingerprint", lambda *a, **k: "parser-changed")
    assert everything() == bundled | {mine}
    assert "1 you added, read again from the copies kept in" in capsys.readouterr().err
    (folder / persist.VECTORS).write_bytes(b"")  # damaged
    assert everything() == bundled | {mine}
    assert "it is damaged" in capsys.readouterr().err
    (folder / persist.MANIFEST).unlink()  # lost: the stored files are still there
    assert everything() == bundled | {mine}
    hits = default_retriever(embedder, directory=folder, progress=False).search("Why did Acme's widget revenue rise?", k=3)
    assert hits and hits[0].doc_id == mine


@pytest.mark.slow
def test_evaluation_uses_an_index_of_the_bundled_filings_alone(tmp_path, embedder):
    from index.default import bundled_retriever

    user = default_retriever(embedder, directory=tmp_path / "default-index", progress=False)
    extra = tmp_path / "acme.txt"
    extra.write_text("ACME CORP\nFORM 10-K\n\nRevenue rose because of new dealers.\n", encoding="utf-8")
    user.add([extra])
    bundled = bundled_retriever(embedder, directory=tmp_path / "bundled-index", progress=False)
    assert "acme" not in {f["doc_id"] for f in bundled.filings()} and len(bundled.filings()) == 2


@pytest.mark.slow
def test_a_stored_file_the_parser_cannot_read_is_kept_not_dropped(tmp_path, embedder, monkeypatch):
    """A parser change that cannot read a user's file: the rebuild keeps the file, says why, and a later rebuild
    that can read it indexes it again."""
    from corpus import FilingParseError
    from index import default as default_module
    from index import prepare as prepare_module

    folder = tmp_path / "default-index"
    upload = tmp_path / "acme-2022-10k.txt"
    upload.write_text("ACME CORP\nFORM 10-K\n\nWidget revenue increased because of new dealers.\n", encoding="utf-8")
    (mine,) = default_retriever(embedder, directory=folder, progress=False).add([upload]).added
    real = prepare_module.load_filing

    def stricter(path, **meta):
        if "acme" in str(path):
            raise FilingParseError(f"{path.name}: a format this version does not read")
        return real(path, **meta)

    monkeypatch.setattr(prepare_module, "load_filing", stricter)
    monkeypatch.setattr(default_module, "corpus_fingerprint", lambda *a, **k: "stricter-parser")
    rebuilt = default_retriever(embedder, directory=folder, progress=False)
    assert mine not in {f["doc_id"] for f in rebuilt.filings()}
    (kept,) = rebuilt.unindexed()
    assert kept["doc_id"] == mine and "a format this version does not read" in kept["reason"]
    assert (folder / kept["stored_source"]).read_bytes() == upload.read_bytes()
    monkeypatch.setattr(prepare_module, "load_filing", real)
    monkeypatch.setattr(default_module, "corpus_fingerprint", lambda *a, **k: "fixed-parser")
    again = default_retriever(embedder, directory=folder, progress=False)
    assert mine in {f["doc_id"] for f in again.filings()} and again.unindexed() == []
