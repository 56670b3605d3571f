"""The command lines and the Python API under hostile use: each finding of issue 20, reproduced as a user would.

    .venv/bin/python bench/hostile/cli_probe.py [--repo DIR] [--only CASE] [--json OUT]

Cases (each runs in a fresh copy of the checkout, with its own index and cache folders):
  uploads_survive_rebuild   a filing added to the default index, then a change to the parsing code (a line appended to
                            corpus/words.py): is it still listed?
  same_name                 a text file named like a bundled filing ("Crexendo 2020Q3 10Q.txt"): does it replace it?
  failed_save               a full disk (a 32 MB tmpfs filled up; needs root) during `add`, then an unrelated `remove`
  damage                    4 KB overwritten in vectors.faiss, an empty vectors.faiss, a damaged filings/<doc>.json:
                            what `index search`, `index list`, `qa ask` and the default index say
  periods_and_bytes         impossible periods, a year no filing reports, a line that is not UTF-8, a lone surrogate
  small                     a leftover temporary folder, the folder mode, a 251-character file name, a damaged
                            embedding cache on two runs
`--repo` probes another checkout (to reproduce a finding on an older commit).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
IMPOSTOR = ("Crexendo, Inc.\nFORM 10-Q\nFor the quarterly period ended September 30, 2020\n\nTotal revenue was "
            "$999,000,000 for the three months ended September 30, 2020.\n")
Q3_REVENUE = "What was total revenue for the three months ended September 30, 2020?"


class Checkout:
    """A private copy of a checkout's working tree (no .git, .venv or .filingqa) and folders for its state."""

    def __init__(self, repo: Path, folder: Path):
        self.root = folder / "repo"
        shutil.copytree(repo, self.root, ignore=shutil.ignore_patterns(".git", ".venv", ".filingqa", "__pycache__",
                                                                       "bench", "tests", "docs", "*.safetensors"))
        model = repo / "qa" / "models" / "minilm-finqa" / "model.safetensors"
        if model.exists():
            os.symlink(model, self.root / "qa" / "models" / "minilm-finqa" / "model.safetensors")
        self.folder = folder
        self.env = {**os.environ, "HF_HUB_OFFLINE": "1", "FILINGQA_CACHE": str(folder / "cache"),
                    "FILINGQA_INDEX": str(folder / "default-index"), "PYTHONPATH": str(self.root)}

    def run(self, *args: str, stdin: bytes | None = None, timeout: float = 900) -> dict:
        done = subprocess.run([sys.executable, "-m", *args], cwd=self.root, env=self.env, input=stdin,
                              capture_output=True, timeout=timeout)
        err = done.stderr.decode("utf-8", "replace")
        lines = [ln for ln in err.splitlines() if ln.strip() and "it/s]" not in ln and "Loading weights" not in ln]
        return {"exit": done.returncode, "stdout": done.stdout.decode("utf-8", "replace"),
                "stderr_last": lines[-1][:300] if lines else "", "traceback": "Traceback" in err,
                "stderr_lines": len(lines), "cache_warnings": sum("embedding cache" in ln for ln in lines)}

    def python(self, code: str, timeout: float = 900) -> dict:
        done = subprocess.run([sys.executable, "-c", code], cwd=self.root, env=self.env, capture_output=True,
                              text=True, timeout=timeout)
        return {"exit": done.returncode, "out": done.stdout.strip()[-1500:], "err": done.stderr.strip()[-600:]}

    def file(self, name: str, text: str) -> Path:
        path = self.folder / "files" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def listed(self, *index: str) -> list[str] | dict:
        done = self.run("index", "list", *index, "--json")
        return sorted(f["doc_id"] for f in json.loads(done["stdout"] or "[]")) if done["exit"] == 0 else done


def uploads_survive_rebuild(c: Checkout) -> dict:
    upload = c.file("acme-2022-10k.txt", "ACME CORP\nFORM 10-K\nFor the fiscal year ended December 31, 2022\n\n"
                                         "Widget revenue increased 8% to $4.2 million in 2022 because of new dealers.\n")
    added = c.run("index", "add", str(upload))
    before = c.listed()
    upload.unlink()  # as the page's upload folder forgets it
    with open(c.root / "corpus" / "words.py", "a", encoding="utf-8") as fh:
        fh.write("\n# a change to the parsing code\n")
    after = c.listed()
    return {"added": added["stderr_last"], "listed_before_the_change": before, "listed_after_the_change": after,
            "kept": isinstance(after, list) and "acme-2022-10k" in after}


def same_name(c: Checkout) -> dict:
    asked = c.run("qa", "ask", Q3_REVENUE, "--json")
    before = json.loads(asked["stdout"] or "{}").get("value") if asked["exit"] == 0 else asked
    added = c.run("index", "add", str(c.file("Crexendo 2020Q3 10Q.txt", IMPOSTOR)))
    asked = c.run("qa", "ask", Q3_REVENUE, "--json")
    answer = json.loads(asked["stdout"] or "{}") if asked["exit"] == 0 else asked
    return {"added": added["stderr_last"], "listed": c.listed(), "q3_revenue_before": before,
            "q3_revenue_after": answer.get("value") if isinstance(answer, dict) else answer,
            "cited": [x["doc_id"] for x in answer.get("citations", [])] if isinstance(answer, dict) else None}


def failed_save(c: Checkout) -> dict:
    mount = c.folder / "small-disk"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=32m", "tmpfs", str(mount)], capture_output=True).returncode:
        return {"skipped": "mounting a tmpfs needs root"}
    try:
        code = f"""
import json, sys
from pathlib import Path
from index.retriever import Retriever
index = Path({str(mount / 'idx')!r})
r = Retriever.build(sorted(Path('corpus/filings').glob('*.txt')), out=index)
big = Path({str(c.folder / 'files' / 'big-10k.txt')!r})
big.parent.mkdir(parents=True, exist_ok=True)
big.write_text('ACME CORP FORM 10-K\\n\\n' + ' '.join(f'Revenue rose {{i}}% because of dealer {{i}}.' for i in range(60000)))
filler = Path({str(mount / 'filler')!r})
free = __import__('shutil').disk_usage(index).free
filler.write_bytes(b'0' * max(0, free - 600_000))  # leave room for a little, not for the new filing
try:
    r.add([big]); said = 'added'
except Exception as exc:  # OSError here; FAISS's RuntimeError on older commits
    said = f'{{exc.__class__.__name__}}: {{str(exc)[-120:]}}'
served = [f['doc_id'] for f in r.filings()]
filler.unlink()
r.remove('crexendo-2020q3-10q')  # an unrelated change, once there is room again
on_disk = [f['doc_id'] for f in Retriever.load(index).filings()]
print(json.dumps({{'add_on_a_full_disk': said[:200], 'served_after_the_failed_add': served,
                  'on_disk_after_an_unrelated_remove': on_disk}}))
"""
        done = c.python(code)
        return json.loads(done["out"].splitlines()[-1]) if done["exit"] == 0 else done
    finally:
        subprocess.run(["umount", str(mount)], capture_output=True)


def damage(c: Checkout) -> dict:
    index = c.folder / "idx"
    c.run("index", "build", *(str(p) for p in sorted((c.root / "corpus" / "filings").glob("*.txt"))), "--out", str(index))
    vectors = index / "vectors.faiss"
    good = vectors.read_bytes()
    broken = bytearray(good)
    broken[200:4296] = os.urandom(4096)
    vectors.write_bytes(bytes(broken))
    out = {"overwritten_4kb": c.run("index", "search", "revenue", "--index", str(index), "-k", "3")}
    vectors.write_bytes(b"")
    out["empty_vectors"] = {"search": c.run("index", "search", "revenue", "--index", str(index)),
                            "list": c.run("index", "list", "--index", str(index)),
                            "app": c.run("app", "--index", str(index), "--port", "0", timeout=120)}
    vectors.write_bytes(good)
    filing = next((index / "filings").glob("*.json"))
    filing.write_text("{ damaged", encoding="utf-8")
    out["damaged_filing_json"] = c.run("qa", "ask", "Why did G&A rise in Q3?", "--index", str(index))
    c.listed()  # the default index, built
    (c.folder / "default-index" / "vectors.faiss").write_bytes(b"")
    out["default_index_damaged"] = {"list": c.listed()}
    return out


def periods_and_bytes(c: Checkout) -> dict:
    questions = ["What was total revenue in Q9 2020?", "What was total revenue for the quarter ended June 31, 20250?",
                 "What was total revenue in FY99999999999999999999?", "What was total revenue in 2045?"]
    data = ("\n".join(questions[:2]) + "\n").encode() + b"What was revenue \xff\xfe in Q3?\n" + \
        ("\n".join(questions[2:]) + "\n").encode()
    batch = c.run("qa", "ask", "--file", "-", stdin=data)
    answers = []
    for line in batch.pop("stdout").splitlines():
        try:
            row = json.loads(line)
        except ValueError:
            continue
        answers.append({"question": row.get("question"), "value": row.get("value"),
                        "says": (row.get("text") or row.get("error") or "")[:160]})
    surrogate = c.run("qa", "ask", "What was revenue in Q3\udcff?")  # the byte 0xff in argv: not UTF-8
    return {"batch": {**batch, "answers": answers, "lines_in": 5}, "lone_surrogate": surrogate}


def small(c: Checkout) -> dict:
    index = c.folder / "idx"
    seed = str(c.root / "corpus" / "filings" / "crexendo-2021q2-10q-note2-revenue.txt")
    c.run("index", "build", seed, "--out", str(index))
    leftover = index.parent / f".{index.name}.tmp-crashed"
    leftover.mkdir()
    index.chmod(0o755)
    long_name = c.file("a" * 247 + ".txt", IMPOSTOR.replace("999,000,000", "1,000"))  # 251 characters
    added = c.run("index", "add", str(long_name), "--index", str(index))
    prepared = c.run("qa", "prepare", "--index", str(index))  # stores each filing's facts beside it
    cache = next((c.folder / "cache").glob("embeddings-*.sqlite"))
    cache.write_bytes(b"this is not a database" * 100)
    runs = [c.run("index", "add", str(c.file(f"other{n}.txt", IMPOSTOR.replace("999", str(n)))), "--index", str(index))
            for n in range(2)]
    return {"leftover_temporary_folder_after_a_write": leftover.exists(),
            "folder_mode_after_a_write": oct(index.stat().st_mode & 0o777),
            "251_character_name": {"add": added, "facts_stored": prepared},
            "damaged_cache": [{"exit": r["exit"], "warnings": r["cache_warnings"]} for r in runs]}


def _short(value):
    """What a case found, with long command outputs cut to their ends."""
    if isinstance(value, dict):
        return {k: (v[-400:] if k == "stdout" and isinstance(v, str) else _short(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_short(v) for v in value]
    return value


CASES = {f.__name__: f for f in (uploads_survive_rebuild, same_name, failed_save, damage, periods_and_bytes, small)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", default=str(ROOT))
    parser.add_argument("--only", action="append", choices=sorted(CASES))
    parser.add_argument("--json", default=str(ROOT / "bench" / "results" / "cli_probe.json"))
    args = parser.parse_args()
    results = {"repo": str(Path(args.repo).resolve())}
    for name in args.only or CASES:
        with tempfile.TemporaryDirectory(prefix=f"filingqa-{name}-") as tmp:
            results[name] = _short(CASES[name](Checkout(Path(args.repo).resolve(), Path(tmp))))
        print(name, json.dumps(results[name], indent=1, ensure_ascii=False), flush=True)
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
