"""A filing's facts are computed once, at build time, and stored with the index; questions read them back."""
import shutil

import pytest

from corpus.codec import from_jsonable, to_jsonable
from index import persist
from index.retriever import Retriever
from qa.figures import facts as facts_module
from qa.figures.facts import FilingFacts
from qa.pipeline import Pipeline
from tests.conftest import SEED_004, copy_of_seed_index

pytestmark = pytest.mark.slow


def test_facts_survive_the_json_round_trip_exactly(seed_000):
    facts = FilingFacts.of(seed_000)
    assert facts.facts and facts.audit.claims
    assert FilingFacts.from_dict(to_jsonable(facts)) == facts
    assert from_jsonable(FilingFacts, to_jsonable(facts)).facts[0].value == facts.facts[0].value  # Decimal, exact


def test_an_upload_stores_its_facts_and_a_new_process_reads_them(tmp_path, seed_retriever, seed_pipeline, monkeypatch):
    retriever = copy_of_seed_index(seed_retriever, tmp_path / "index")
    pipeline = Pipeline(retriever, None)
    path = tmp_path / "acme-2021q2-10q-note.txt"
    path.write_text(SEED_004.read_text(encoding="utf-8") + "\n\nAcme's own copy.\n", encoding="utf-8")
    report = pipeline.add([path])
    (doc_id,) = report.added
    assert (retriever.directory / persist.DERIVED / "facts" / f"{doc_id}.json").exists()

    def no_computing(filing):
        raise AssertionError(f"facts of {filing.doc_id} computed again")

    monkeypatch.setattr(facts_module.FilingFacts, "of", classmethod(lambda cls, filing: no_computing(filing)))
    fresh = Pipeline(Retriever.load(retriever.directory, embedder=seed_retriever.embedder), None)
    answer = fresh.ask("What was desktop devices revenue in the six months ended June 30, 2021?", doc_ids=[doc_id])
    assert not answer.no_answer and answer.value is not None and answer.citations[0].doc_id == doc_id


def test_stored_facts_are_kept_across_saves_and_recomputed_when_stale(tmp_path, seed_retriever):
    retriever = copy_of_seed_index(seed_retriever, tmp_path / "index")
    shutil.rmtree(retriever.directory / persist.DERIVED, ignore_errors=True)  # other tests' questions stored some
    pipeline = Pipeline(retriever, None)
    assert pipeline.prepare() == 2 and pipeline.prepare() == 0
    doc = "crexendo-2020q3-10q"
    key = pipeline._stored_facts_key(retriever.filing(doc))
    retriever.remove("crexendo-2021q2-10q")  # a save: the other filing's stored facts are carried over
    assert retriever.derived("facts", doc, key) is not None
    assert retriever.derived("facts", doc, key + "-other-code") is None  # another key: computed again, not served
    stored = retriever.directory / persist.DERIVED / "facts" / f"{doc}.json"
    stored.write_text("{ damaged", encoding="utf-8")
    assert retriever.derived("facts", doc, key) is None
    assert Pipeline(retriever, None).prepare() == 1
