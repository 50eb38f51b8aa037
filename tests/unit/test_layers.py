"""The package's layers point only down, and no import cycle exists, counting imports inside functions.

A module's layer is the folder it lives in (`analysis/core/...`), so a new module lands in a layer by where it is
created; LAYERS orders the folders, lowest first. Imports are read from the source (ast), not by importing: an
import inside a function is as much a dependency as one at the top of a module.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "analysis"

# lowest first: a module may import its own layer and the layers before it, never a later one
LAYERS = ["core", "sources", "methods", "claims", "session", "report", "pipeline", "cli"]
# the package's own top level: `analysis/__init__.py` sits below everything, `__main__.py` above everything
TOP_LEVEL = {"analysis": 0, "analysis.__main__": len(LAYERS) - 1}


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
    """The rank of `module`'s folder in LAYERS (its top-level package under analysis/)."""
    if module in TOP_LEVEL:
        return TOP_LEVEL[module]
    folder = module.split(".")[1]
    if folder not in LAYERS:
        raise AssertionError(
            f"{module} is in no layer: a module lives in one of the folders {LAYERS} "
            f"(or add its folder to LAYERS in {Path(__file__).name} and to docs' layout)"
        )
    return LAYERS.index(folder)


def upward(edges: dict[str, set[str]]) -> list[str]:
    """Every import of a module from a later layer than its own."""
    return [
        f"{m} ({LAYERS[layer_of(m)]}) imports {d} ({LAYERS[layer_of(d)]})"
        for m, deps in sorted(edges.items())
        for d in sorted(deps)
        if layer_of(d) > layer_of(m)
    ]


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
    assert upward(graph()) == []


def test_the_layer_check_can_fail():
    """A core module importing the report layer is upward; the report importing core is not."""
    assert upward({"analysis.core.vocab": {"analysis.report.views"}, "analysis.report.views": set()}) == [
        "analysis.core.vocab (core) imports analysis.report.views (report)"
    ]
    assert upward({"analysis.report.views": {"analysis.core.vocab"}, "analysis.core.vocab": set()}) == []


def test_every_folder_of_the_package_is_a_layer_and_only_entry_points_sit_at_the_top():
    folders = sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists())
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert folders == sorted(LAYERS)
    assert top == ["__init__.py", "__main__.py"]


def test_vocab_is_the_bottom_and_select_reads_only_vocab():
    g = graph()
    assert g["analysis.core.vocab"] == set() and g["analysis.sources.select"] == {"analysis.core.vocab"}


def test_the_cycle_finder_can_fail():
    """A two-module cycle is found; a one-way import is not."""
    assert cycles({"analysis.core.a": {"analysis.core.b"}, "analysis.core.b": {"analysis.core.a"}}) == [
        ["analysis.core.a", "analysis.core.b"]
    ]
    assert cycles({"analysis.core.a": {"analysis.core.b"}, "analysis.core.b": set()}) == []


def test_an_import_inside_a_function_counts(tmp_path):
    mod = tmp_path / "m.py"
    mod.write_text("def f():\n    from analysis.claims.audit import read_claims\n    import analysis.report.views\n")
    assert imports("analysis.m", mod, {"analysis.claims.audit", "analysis.report.views"}) == {
        "analysis.claims.audit",
        "analysis.report.views",
    }
