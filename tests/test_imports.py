"""The import graph: the answering code loads no heavy library until it needs one, and no module imports itself back."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("app", "corpus", "eval", "index", "qa")
HEAVY = ("faiss", "bm25s", "torch", "transformers", "onnxruntime", "sentence_transformers", "gradio")


def test_importing_the_answering_code_loads_no_heavy_library():
    """`import qa.pipeline` (and the figure and answer steps) must not pull FAISS, BM25, torch or transformers: they
    load when a pipeline is loaded or a model warmed up."""
    for module in ("qa", "qa.pipeline", "qa.answer.from_facts", "qa.figures.facts", "corpus"):
        done = subprocess.run([sys.executable, "-X", "importtime", "-c", f"import {module}"], cwd=ROOT,
                              capture_output=True, text=True, check=True)
        loaded = {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in done.stderr.splitlines() if "|" in line}
        assert not loaded & set(HEAVY), (module, sorted(loaded & set(HEAVY)))


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


class _Imports(ast.NodeVisitor):
    """Project modules a module imports, at any depth (functions included), but not under `if TYPE_CHECKING:`."""

    def __init__(self, modules: dict[str, Path]):
        self.modules, self.found = modules, set()

    def visit_If(self, node: ast.If) -> None:
        if "TYPE_CHECKING" not in ast.unparse(node.test):
            self.generic_visit(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level == 0 and node.module and node.module.split(".")[0] in PACKAGES:
            for alias in node.names:  # "from index import persist" imports the submodule index.persist
                sub = f"{node.module}.{alias.name}"
                self.found.add(sub if sub in self.modules else node.module)

    def visit_Import(self, node: ast.Import) -> None:
        self.found |= {a.name for a in node.names if a.name in self.modules}


def test_no_module_imports_itself_back():
    """No cycles in the import graph, counting imports inside functions (a cycle held together by a function-level
    import is still a cycle). A command line's `__main__` is where the graph starts, never inside it."""
    modules = _modules()
    graph = {}
    for name, path in modules.items():
        if name.endswith("__main__"):
            continue
        visitor = _Imports(modules)
        visitor.visit(ast.parse(path.read_text(encoding="utf-8")))
        graph[name] = visitor.found - {name}
    cycles, done, trail = [], set(), []

    def visit(node: str) -> None:
        if node in trail:
            cycles.append(trail[trail.index(node):] + [node])
            return
        if node in done or node not in graph:
            return
        trail.append(node)
        for nxt in sorted(graph[node]):
            visit(nxt)
        trail.pop()
        done.add(node)

    for node in sorted(graph):
        visit(node)
    assert not cycles, cycles[:5]
