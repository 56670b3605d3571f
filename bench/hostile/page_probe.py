"""The page under attack and under load, through its public API (gradio_client), as anyone on the network could.

    .venv/bin/python bench/hostile/page_probe.py [--repo DIR] [--upload-mb 2] [--json OUT]

1. Path attack: `/add_filing` handed, over plain HTTP, server paths that were never uploaded (a mode-600 private
   note, the project's own requirements.txt, a file under ../shared), then `/search` for their words: nothing may be
   read. The same call through gradio_client is recorded too: that client uploads a file it can read from its own
   machine first, so on the server's machine it "works" for whoever could read the file anyway.
2. Gradio's /file= route asked for files the page never made (another process's upload in the shared /tmp/gradio,
   the private note, the project's files, the index): none may be served.
3. Load: a large legitimate upload (a one-sentence text of --upload-mb MB) while `/ask` is called every half second:
   the latency of each answer during the build.

`--repo` runs the page of another checkout (to reproduce a finding on an older commit). Writes a JSON summary.
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.hostile.inputs import one_sentence, write  # noqa: E402

MARKER = "zebracorn"  # a word no filing has: if a search finds it, a private file was read


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_page(repo: Path, index: Path, port: int, env: dict) -> subprocess.Popen:
    log = open(index.parent / "page.log", "w")  # noqa: SIM115 - the page writes it as long as it runs
    page = subprocess.Popen([sys.executable, "-m", "app", "--index", str(index), "--port", str(port)], cwd=repo, env=env,
                            stdout=log, stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + 300
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
            return page
        except OSError:
            if page.poll() is not None:
                raise RuntimeError(f"the page exited: {(index.parent / 'page.log').read_text()[-2000:]}") from None
            time.sleep(1)
    page.kill()
    raise RuntimeError("the page did not start in 300 s")


def _raw_call(url: str, api_name: str, data: list) -> str:
    """Call an endpoint with plain HTTP, as a remote attacker would (gradio_client would upload a local file first)."""
    request = urllib.request.Request(f"{url}gradio_api/call/{api_name}", data=json.dumps({"data": data}).encode(),
                                     headers={"Content-Type": "application/json"})
    event = json.loads(urllib.request.urlopen(request, timeout=30).read())["event_id"]
    with urllib.request.urlopen(f"{url}gradio_api/call/{api_name}/{event}", timeout=120) as stream:
        return stream.read().decode("utf-8", "replace")


def _searched(client) -> bool:
    _, hits = client.predict(MARKER, 5, [], api_name="/search")
    return isinstance(hits, list) and any(MARKER in h.get("text", "") for h in hits)


def path_attack(client, url: str, targets: list[Path]) -> list[dict]:
    """Server paths handed to /add_filing over plain HTTP: the server must not read them."""
    out = []
    for target in targets:
        try:
            answer = _raw_call(url, "add_filing", [{"path": str(target), "meta": {"_type": "gradio.FileData"}}, []])
            status = " ".join(answer.split())[:240]
        except OSError as exc:
            status = f"refused: {exc}"[:240]
        out.append({"path": str(target), "status": status, "added": "Added" in status, "read": _searched(client)})
    return out


def client_uploads(client, target: Path) -> dict:
    """The same through gradio_client, as the finding did: the client uploads the file from the machine it runs on
    (here, the same machine), so this is an upload by whoever can read the file, not the server reading it."""
    status = client.predict({"path": str(target), "meta": {"_type": "gradio.FileData"}}, [], api_name="/add_filing")[0]
    return {"path": str(target), "status": str(status)[:240], "uploaded_by_the_client": "Added" in str(status)}


def file_route(url: str, paths: list[Path]) -> list[dict]:
    """Gradio's /file= route asked for files the page never made: another process's upload in the shared
    /tmp/gradio, a private note, the project's own files."""
    other = write(Path(tempfile.gettempdir()) / "gradio" / "other-process" / "secret.txt",
                  f"{MARKER} another process's upload".encode())
    out = []
    try:
        for path in [other, *paths]:
            try:
                with urllib.request.urlopen(f"{url}gradio_api/file={path}", timeout=10) as response:
                    body = response.read()
                out.append({"path": str(path), "served": True, "bytes": len(body)})
            except OSError as exc:
                out.append({"path": str(path), "served": False, "status": str(exc)[:120]})
    finally:
        other.unlink(missing_ok=True)
    return out


def asks_during_upload(client, upload: Path, question: str) -> dict:
    from gradio_client import handle_file

    result: dict = {}

    def add() -> None:
        started = time.perf_counter()
        result["status"] = client.predict(handle_file(str(upload)), [], api_name="/add_filing")[0]
        result["upload_seconds"] = round(time.perf_counter() - started, 1)

    uploading = threading.Thread(target=add)
    uploading.start()
    time.sleep(1.0)
    latencies = []
    while uploading.is_alive():
        started = time.perf_counter()
        client.predict(question, [], api_name="/ask")
        latencies.append(time.perf_counter() - started)
        time.sleep(0.5)
    uploading.join()
    ordered = sorted(latencies)
    return {**result, "asks": len(latencies), "ask_p50_s": round(ordered[len(ordered) // 2], 2) if ordered else None,
            "ask_max_s": round(ordered[-1], 2) if ordered else None}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", default=str(ROOT), help="the checkout whose page to probe (default: this one)")
    parser.add_argument("--upload-mb", type=float, default=2.0)
    parser.add_argument("--json", default=str(ROOT / "bench" / "results" / "page_probe.json"))
    args = parser.parse_args()
    from gradio_client import Client

    repo = Path(args.repo).resolve()
    with tempfile.TemporaryDirectory(prefix="filingqa-probe-") as tmp:
        tmp = Path(tmp)
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False",
               "FILINGQA_CACHE": str(tmp / "cache"), "FILINGQA_INDEX": str(tmp / "default-index")}
        env.pop("GRADIO_TEMP_DIR", None)
        seeds = sorted((repo / "corpus" / "filings").glob("*.txt"))
        subprocess.run([sys.executable, "-m", "index", "build", *map(str, seeds), "--out", str(tmp / "index")],
                       cwd=repo, env=env, check=True, capture_output=True)
        private = write(tmp / "private" / "notes.txt", f"Private notes: {MARKER} revenue was $999,000,000.".encode())
        private.chmod(0o600)
        targets = [private, repo / "requirements.txt"]
        shared = sorted((repo.parent / "shared" / "filings").glob("*.pdf"))[:1]
        targets += shared
        port = free_port()
        page = start_page(repo, tmp / "index", port, env)
        try:
            url = f"http://127.0.0.1:{port}/"
            client = Client(url, verbose=False)
            summary = {"repo": str(repo), "path_attack": path_attack(client, url, targets),
                       "file_route": file_route(url, targets + [tmp / "index" / "manifest.json"]),
                       "client_upload": client_uploads(client, private)}
            upload = write(tmp / "upload" / "long-one-sentence-10k.txt", one_sentence(int(args.upload_mb * 1e6)))
            summary["asks_during_upload"] = {"upload_mb": args.upload_mb,
                                             **asks_during_upload(client, upload, "What was total revenue in Q3?")}
        finally:
            page.terminate()
            page.wait(30)
    print(json.dumps(summary, indent=2))
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(summary, indent=2) + "\n")
    ok = (not any(t["read"] or t["added"] for t in summary["path_attack"])
          and not any(f["served"] for f in summary["file_route"])
          and (summary["asks_during_upload"]["ask_max_s"] or 0) <= 2.0)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
