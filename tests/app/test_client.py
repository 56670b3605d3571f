"""The page's API through gradio_client, as an API user would call it (see the README, "The web page")."""
from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client(app_url):
    from gradio_client import Client

    return Client(app_url, verbose=False)


def test_ask_returns_the_answer_as_json(client):
    card, evidence, answer = client.predict("Why did G&A rise in Q3?", [], api_name="/ask")
    assert not answer["no_answer"] and answer["kind"] == "explanation"
    assert "uplisting" in answer["text"] and answer["value"] == 311000 and answer["unit"] == "USD"
    assert answer["checks"] and all(c["status"] == "verified" for c in answer["checks"])
    assert answer["citations"][0]["doc_id"] == "crexendo-2020q3-10q"
    assert "✓ verified" in card and "<mark>" in evidence and "uplisting" in evidence


def test_ask_with_a_filing_filter_and_a_number(client):
    _, _, answer = client.predict("What was total revenue in Q3?", ["crexendo-2020q3-10q"], api_name="/ask")
    assert answer["value"] == 4143000 and answer["citations"][0]["doc_id"] == "crexendo-2020q3-10q"
    _, _, other = client.predict("What was total revenue in Q3?", ["crexendo-2021q2-10q"], api_name="/ask")
    assert all(c["doc_id"] == "crexendo-2021q2-10q" for c in other["citations"])


def test_an_empty_question_is_a_no_answer_not_an_error(client):
    card, evidence, answer = client.predict("   ", [], api_name="/ask")
    assert answer["no_answer"] and "Please ask a question" in answer["text"] and "fq-none" in card


def test_search_returns_scored_hits(client):
    table, hits = client.predict("why did G&A rise in Q3", 3, [], api_name="/search")
    assert len(hits) == 3 == len(table["data"])
    assert table["headers"][:2] == ["rank", "score"]
    assert hits[0]["score"] >= hits[1]["score"] >= hits[2]["score"] and 0 < hits[-1]["score"] <= 1
    assert any("uplisting" in h["text"] for h in hits)
    assert {"doc_id", "section", "period", "page", "start", "end"} <= set(hits[0])


def test_an_empty_search_gets_a_message(client):
    table, hits = client.predict("", 5, [], api_name="/search")
    assert not any(table["data"]) and "empty" in hits["error"]


def test_filings_and_audit(client):
    filings = client.predict(api_name="/filings")
    assert [row[0] for row in filings["data"]] == ["crexendo-2020q3-10q", "crexendo-2021q2-10q"]
    summary, claims, sums, disagreements, files = client.predict("crexendo-2020q3-10q", api_name="/audit")
    assert summary.startswith("crexendo-2020q3-10q: ") and "verified" in summary
    assert any(row[0] == "✓ verified" for row in claims["data"])
    assert len(files) == 3 and all(str(f).endswith(".csv") for f in files)


def test_a_bad_upload_through_the_api_leaves_the_index_alone(client, tmp_path):
    from gradio_client import handle_file

    bad = tmp_path / "corrupt.pdf"
    bad.write_bytes(b"%PDF-1.7\nthis is not a pdf")
    before = client.predict(api_name="/filings")
    status, *_ = client.predict(handle_file(str(bad)), [], api_name="/add_filing")
    assert status.startswith("✗ Could not read corrupt.pdf") and "index is unchanged" in status
    assert client.predict(api_name="/filings") == before


def test_a_server_path_handed_to_add_filing_is_never_read(client, app_url, tmp_path):
    """The path attack as a remote caller makes it, over plain HTTP (gradio_client itself uploads a file it can read
    from its own machine, or refuses a path it cannot): the server reads nothing it was not sent."""
    import json
    import urllib.request

    secret = tmp_path / "notes.txt"
    secret.write_text("Private notes: zebracorn revenue was $999,000,000.", encoding="utf-8")
    secret.chmod(0o600)
    before = client.predict(api_name="/filings")
    for path in (secret, Path(__file__).parents[2] / "requirements.txt"):
        body = json.dumps({"data": [{"path": str(path), "meta": {"_type": "gradio.FileData"}}, []]}).encode()
        request = urllib.request.Request(f"{app_url}gradio_api/call/add_filing", data=body,
                                         headers={"Content-Type": "application/json"})
        event = json.loads(urllib.request.urlopen(request, timeout=30).read())["event_id"]
        with urllib.request.urlopen(f"{app_url}gradio_api/call/add_filing/{event}", timeout=60) as stream:
            answer = stream.read().decode()
        assert "event: error" in answer and "Added" not in answer
    assert client.predict(api_name="/filings") == before
    _, hits = client.predict("zebracorn", 5, [], api_name="/search")
    assert not any("zebracorn" in h["text"] for h in hits)
    with pytest.raises(FileNotFoundError):  # a path the client cannot read is not sent at all
        client.predict({"path": str(tmp_path / "only-on-the-server.txt"), "meta": {"_type": "gradio.FileData"}}, [],
                       api_name="/add_filing")


def test_the_page_serves_no_file_it_did_not_make(app_url, tmp_path):
    """Gradio's /file= route: another process's upload in the shared /tmp/gradio, the project's files: refused."""
    import tempfile
    import urllib.error
    import urllib.request

    other = Path(tempfile.gettempdir()) / "gradio" / "another-app" / "upload.txt"
    other.parent.mkdir(parents=True, exist_ok=True)
    other.write_text("another process's upload", encoding="utf-8")
    try:
        for path in (other, Path(__file__).parents[2] / "requirements.txt"):
            with pytest.raises(urllib.error.HTTPError, match="403"):
                urllib.request.urlopen(f"{app_url}gradio_api/file={path}", timeout=10)
    finally:
        other.unlink(missing_ok=True)
