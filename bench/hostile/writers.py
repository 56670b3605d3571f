"""Several processes changing one index: nothing committed is lost, nothing half-written is read.

    .venv/bin/python bench/hostile/writers.py [--trials 5] [--kills 20] [--load-seconds 30] [--repo DIR] [--json OUT]

1. Two writers at once (`python -m index add A --index X & python -m index add B --index X`), `--trials` times:
   both filings must be in the index afterwards (or a writer refused with a clear message).
2. `kill -9` of a writer at a random moment, `--kills` times: the index must load, holding the filings before the
   change or after it, and no parse worker may outlive the killed writer.
3. Sustained load for `--load-seconds`: writers adding and removing filings in turn while a reader loads the index
   over and over: every load must succeed (no torn read) and every writer told "added" must find its filing there.

`--repo` runs the command lines of another checkout (to reproduce a finding on an older commit).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def filing_text(name: str, words: int = 3000) -> str:
    rng = random.Random(name)
    body = " ".join(f"{rng.choice(['Revenue', 'Costs', 'Margin', 'Cash'])} rose {rng.randint(1, 90)}% to "
                    f"${rng.randint(1, 999):,},000 in the quarter." for _ in range(words // 8))
    return f"{name.upper()} CORP\nFORM 10-Q\nFor the quarterly period ended June 30, 2023\n\n{body}\n"


class Lab:
    def __init__(self, repo: Path, folder: Path):
        self.repo, self.folder = repo, folder
        self.env = {**os.environ, "HF_HUB_OFFLINE": "1", "FILINGQA_CACHE": str(folder / "cache"),
                    "FILINGQA_INDEX": str(folder / "default-index")}
        self.files = folder / "files"
        self.files.mkdir(parents=True, exist_ok=True)

    def filing(self, name: str, words: int = 3000) -> Path:
        path = self.files / f"{name}.txt"
        if not path.exists():
            path.write_text(filing_text(name, words), encoding="utf-8")
        return path

    def index(self, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "index", *args], cwd=self.repo, env=self.env, capture_output=True,
                              text=True, timeout=timeout)

    def start(self, *args: str, cache: Path | None = None) -> subprocess.Popen:
        env = {**self.env, "FILINGQA_CACHE": str(cache)} if cache is not None else self.env
        return subprocess.Popen([sys.executable, "-m", "index", *args], cwd=self.repo, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)

    def listed(self, index: Path) -> list[str] | str:
        done = self.index("list", "--index", str(index), "--json")
        if done.returncode != 0:
            return f"error: {done.stderr.strip().splitlines()[-1] if done.stderr.strip() else done.returncode}"
        return sorted(f["doc_id"] for f in json.loads(done.stdout))

    def base(self, name: str) -> Path:
        index = self.folder / name
        shutil.rmtree(index, ignore_errors=True)
        done = self.index("build", str(self.filing("base")), "--out", str(index))
        assert done.returncode == 0, done.stderr
        return index


def last_line(text: str) -> str:
    lines = [ln for ln in text.splitlines() if ln.strip() and "it/s]" not in ln and "Loading weights" not in ln]
    return lines[-1][:200] if lines else ""


def two_writers(lab: Lab, trials: int) -> list[dict]:
    out = []
    for trial in range(trials):
        index = lab.base(f"writers-{trial}")
        a, b = lab.filing(f"alpha{trial}"), lab.filing(f"beta{trial}")
        first, second = lab.start("add", str(a), "--index", str(index)), lab.start("add", str(b), "--index", str(index))
        said = [last_line(p.communicate(timeout=600)[1]) for p in (first, second)]
        listed = lab.listed(index)
        both = isinstance(listed, list) and {f"alpha{trial}", f"beta{trial}"} <= set(listed)
        refused = [s for s, p in zip(said, (first, second)) if p.returncode != 0]
        out.append({"trial": trial, "exits": [first.returncode, second.returncode], "said": said, "indexed": listed,
                    "both_present": both, "clear_refusal": bool(refused) and all(s.startswith("error:") for s in refused)})
    return out


def orphans(marker: str) -> list[int]:
    """Processes whose command line names `marker` (the killed writer's parse workers would)."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if marker in (proc / "cmdline").read_bytes().decode("utf-8", "replace"):
                    found.append(int(proc.name))
            except OSError:
                continue
    return found


def _timed_add(lab: Lab, files: list[Path], index: Path, cache: Path | None) -> float:
    started = time.perf_counter()
    writer = lab.start("add", *map(str, files), "--index", str(index), cache=cache)
    _, err = writer.communicate(timeout=900)
    assert writer.returncode == 0, err
    return time.perf_counter() - started


def kills(lab: Lab, count: int, seed: int = 3) -> list[dict]:
    """Half the kills hit a long add (parsing in forked workers, embedding, with no vector cached), half a short one
    whose vectors are cached (mostly starting up, parsing and saving); each at a random moment within the time that
    add takes uncut."""
    rng = random.Random(seed)
    index = lab.base("killed")
    before = lab.listed(index)
    long = [lab.filing(f"big{k}", 60_000) for k in range(2)]  # big enough to parse in forked workers
    short = [lab.filing("small", 2_000)]
    took = {}
    for name, files in (("long", long), ("short", short)):
        cold = lab.folder / "cold-cache" / "timing" if name == "long" else None
        took[name] = _timed_add(lab, files, index, cold)  # uncut (the short one's vectors now cached)
        for path in files:
            lab.index("remove", path.stem, "--index", str(index))
    out = []
    for trial in range(count):
        kind = "long" if trial % 2 == 0 else "short"
        files = long if kind == "long" else short
        cold = lab.folder / "cold-cache" / str(trial) if kind == "long" else None
        writer = lab.start("add", *map(str, files), "--index", str(index), cache=cold)
        wait = rng.uniform(0.2, took[kind])
        time.sleep(wait)
        finished = writer.poll() is not None
        if not finished:
            os.kill(writer.pid, signal.SIGKILL)  # the writer alone: its parse workers must notice and stop
        writer.wait()
        time.sleep(1.5)  # a parse worker notices its parent is gone within half a second
        left = [p for p in orphans(str(files[0])) if p != os.getpid()]
        listed = lab.listed(index)
        ok = isinstance(listed, list) and (listed == before or set(listed) == set(before) | {p.stem for p in files})
        out.append({"trial": trial, "add": kind, "killed_after_s": round(wait, 1), "of_s": round(took[kind], 1),
                    "had_finished": finished, "loads": ok, "indexed": listed, "orphan_workers": left})
        for pid in left:
            os.kill(pid, signal.SIGKILL)
        if isinstance(listed, list):  # back to the base for the next trial
            for path in files:
                if path.stem in listed:
                    lab.index("remove", path.stem, "--index", str(index))
    temporaries = sorted(p.name for p in index.parent.glob(f".{index.name}.tmp-*"))
    lab.index("add", str(lab.filing("after-kills")), "--index", str(index))  # the next write cleans up
    return [*out, {"temporaries_after_kills": temporaries,
                   "temporaries_after_next_write": sorted(p.name for p in index.parent.glob(f".{index.name}.tmp-*"))}]


def sustained(lab: Lab, seconds: float) -> dict:
    index = lab.base("load")
    stop = time.time() + seconds
    reads = {"ok": 0, "failed": []}
    committed: list[str] = []
    lost: list[str] = []
    writer_errors: list[str] = []

    def reader() -> None:
        while time.time() < stop:
            listed = lab.listed(index)
            if isinstance(listed, list):
                reads["ok"] += 1
            else:
                reads["failed"].append(listed)

    def writer(tag: str) -> None:
        n = 0
        while time.time() < stop:
            name = f"{tag}{n}"
            done = lab.index("add", str(lab.filing(name, 800)), "--index", str(index))
            if done.returncode == 0:
                committed.append(name)
                listed = lab.listed(index)
                if isinstance(listed, list) and name not in listed:
                    lost.append(name)
                lab.index("remove", name, "--index", str(index))
            else:
                writer_errors.append(last_line(done.stderr))
            n += 1

    threads = [threading.Thread(target=reader), threading.Thread(target=writer, args=("w1x",)),
               threading.Thread(target=writer, args=("w2x",))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"seconds": seconds, "reads_ok": reads["ok"], "reads_failed": reads["failed"][:5],
            "reads_failed_count": len(reads["failed"]), "adds_committed": len(committed),
            "committed_but_missing": lost, "writer_errors": writer_errors[:5]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=5)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--load-seconds", type=float, default=30)
    parser.add_argument("--repo", default=str(ROOT))
    parser.add_argument("--json", default=str(ROOT / "bench" / "results" / "writers.json"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="filingqa-writers-") as tmp:
        lab = Lab(Path(args.repo).resolve(), Path(tmp))
        result = {"repo": str(lab.repo), "two_writers": two_writers(lab, args.trials)}
        print(json.dumps(result["two_writers"], indent=1), flush=True)
        result["kills"] = kills(lab, args.kills)
        print(json.dumps(result["kills"], indent=1), flush=True)
        result["sustained"] = sustained(lab, args.load_seconds)
        print(json.dumps(result["sustained"], indent=1), flush=True)
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
    good = (all(t["both_present"] or t["clear_refusal"] for t in result["two_writers"])
            and all(k.get("loads", True) and not k.get("orphan_workers") for k in result["kills"])
            and not result["kills"][-1]["temporaries_after_next_write"]
            and not result["sustained"]["reads_failed_count"] and not result["sustained"]["committed_but_missing"])
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
