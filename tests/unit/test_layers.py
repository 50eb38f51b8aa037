"""The package's layers point only down, and no import cycle exists, counting imports inside functions.

Read from the source (ast), not by importing: an import inside a function is as much a dependency as one at
the top of a module. A new module must be given a layer here (the README's Layout section lists them).
"""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "analysis"

# lowest first: a module may import its own layer and the layers before it, never a later one
LAYERS = {
    "foundation": ["analysis", "analysis.vocab", "analysis.errors", "analysis.config", "analysis.fileio", "analysis.jsonio",
                   "analysis.csvsafe", "analysis.yamlio", "analysis.digest", "analysis.parsing", "analysis.workdirs",
                   "analysis.workers", "analysis.startup"],
    "sources": ["analysis.figures", "analysis.sources*"],
    "select": ["analysis.select"],
    "transforms": ["analysis.harmonize", "analysis.geography", "analysis.anchor", "analysis.distribution",
                   "analysis.reconcile", "analysis.audit", "analysis.crosswalk", "analysis.sectors", "analysis.findings",
                   "analysis.extraction*"],
    "views": ["analysis.views", "analysis.plots", "analysis.columns", "analysis.references"],
    "session": ["analysis.params", "analysis.session", "analysis.outputs", "analysis.headline"],
    "orchestrate": ["analysis.runner", "analysis.run_cache", "analysis.sweep", "analysis.report", "analysis.kernels",
                    "analysis.cli", "analysis.__main__", "analysis.commands*"],
}


def modules() -> dict[str, Path]:
    out = {}
    for p in sorted(PACKAGE.rglob("*.py")):
        parts = p.relative_to(PACKAGE.parent).with_suffix("").parts
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = p
    return out


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Package modules `name` imports anywhere in its source (module level or inside functions). `from pkg import
    mod` imports pkg (its __init__ runs first) as well as pkg.mod, so it counts as both."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([node.module] if node.module else []))
            found |= {base} | {f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in known}
    return {m for m in found if m in known and m != name}


def graph() -> dict[str, set[str]]:
    mods = modules()
    return {name: imports(name, path, set(mods)) for name, path in mods.items()}


def layer_of(module: str) -> int:
    for rank, members in enumerate(LAYERS.values()):
        for m in members:
            if module == m or (m.endswith("*") and (module == m[:-1] or module.startswith(m[:-1] + "."))):
                return rank
    raise AssertionError(f"{module} has no layer: add it to LAYERS in {Path(__file__).name} and to the README's Layout")


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), plus self-imports."""
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def test_no_import_cycle_even_inside_functions():
    assert cycles(graph()) == []


def test_layers_point_only_down():
    upward = [f"{m} ({list(LAYERS)[layer_of(m)]}) imports {d} ({list(LAYERS)[layer_of(d)]})"
              for m, deps in graph().items() for d in sorted(deps) if layer_of(d) > layer_of(m)]
    assert upward == []


def test_vocab_is_the_bottom_and_select_reads_only_vocab():
    g = graph()
    assert g["analysis.vocab"] == set() and g["analysis.select"] == {"analysis.vocab"}


def test_the_cycle_finder_can_fail():
    """A two-module cycle is found; a one-way import is not."""
    assert cycles({"analysis.a": {"analysis.b"}, "analysis.b": {"analysis.a"}}) == [["analysis.a", "analysis.b"]]
    assert cycles({"analysis.a": {"analysis.b"}, "analysis.b": set()}) == []


def test_an_import_inside_a_function_counts(tmp_path):
    mod = tmp_path / "m.py"
    mod.write_text("def f():\n    from analysis.audit import read_claims\n    import analysis.views\n")
    assert imports("analysis.m", mod, {"analysis.audit", "analysis.views"}) == {"analysis.audit", "analysis.views"}
