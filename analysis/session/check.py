"""The one parameter check, used by the runner before any kernel starts and by a notebook opened on its own.

`load_data(paths)` reads what parameters are checked against: the registry (checksums verified), the validated
figures table (from its cache per data digest, see sources/load.py) and CPI-U. `check(values, data, names)`
turns a mapping into AnalysisParams: types and ranges (params.from_mapping), the years and geographies the data
cover, and the claims file when `claims_file` is among the parameters in use. `validate(values, paths)` is both.

A notebook declares in its `parameters` cell only the run parameters it reads, and gets them as
`NotebookParams`: reading any other run parameter is an error naming the notebook and the parameter. The
rerun cache keys a notebook on the parameters it declares, so this is what makes reusing it safe; adding a
parameter to a notebook is one line in its parameters cell and the same name passed to its Session.

Plain papermill (`papermill NB.ipynb out.ipynb -p NAME VALUE`) only warns about a name the parameters cell does not
declare, and the notebook then runs on its defaults. `check_injected(notebook, history)` stops it instead: papermill
runs the cell it injects (its source starts with "# Parameters") right after the parameters cell, so the kernel's
input history holds both, and an injected name the parameters cell does not declare is an error naming it and the
declared ones. The runner injects only declared names (and checked them before any kernel started), so it never
trips this.
"""

from __future__ import annotations

import ast
import difflib
import sys
from dataclasses import dataclass
from typing import Any

from analysis.core.config import ProjectPaths, project_paths
from analysis.core.errors import InputError, ParameterError
from analysis.session.params import FIELDS, AnalysisParams, data_years, from_mapping


@dataclass(frozen=True)
class Data:
    registry: Any
    table: Any  # the validated figures table
    cpis: dict[str, Any]  # CPI-U per deflator basis (annual averages, May values)

    def cpi(self, deflator: str = "annual"):
        """CPI-U on the run's deflator basis (params.deflator)."""
        return self.cpis[deflator]


def load_data(paths: ProjectPaths | None = None) -> Data:
    from analysis.sources.load import figures_table
    from analysis.sources.reference import CPI_BASES, load_cpi
    from analysis.sources.registry import load_registry

    registry = load_registry(paths or project_paths())
    return Data(registry, figures_table(registry), {basis: load_cpi(registry, basis) for basis in CPI_BASES})


def check(values: dict[str, Any] | None, data: Data, names=None) -> AnalysisParams:
    """Validated parameters; `names` are the parameters in use (default: all), a notebook's declared ones."""
    deflator = (values or {}).get("deflator")  # an unknown basis is from_mapping's error; years checked on annual
    cpi = data.cpis.get(deflator, data.cpi()) if isinstance(deflator, str) else data.cpi()
    survey_years, dollar_years = data_years(data.table, cpi)
    params = from_mapping(values, survey_years=survey_years, dollar_years=dollar_years)
    from analysis.methods import geography

    geography.check(params, geography.candidates(data.table, params.hours_per_year))
    if names is None or "claims_file" in names:
        from analysis.claims.audit import claims_path, read_claims

        try:
            read_claims(claims_path(params, data.registry.paths.root), shown=params.claims_file)
        except InputError as e:
            raise ParameterError(f"parameter 'claims_file': {e}") from None
    return params


def validate(values: dict[str, Any] | None = None, paths: ProjectPaths | None = None) -> AnalysisParams:
    """Parameters checked against the shipped data (years, geography, the claims file), before anything runs."""
    return check(values, load_data(paths))


class NotebookParams:
    """The parameters one notebook declares; reading an undeclared run parameter raises ParameterError."""

    __slots__ = ("_params", "_names", "_notebook")

    def __init__(self, params: AnalysisParams, names, notebook: str):
        self._params, self._names, self._notebook = params, frozenset(names), notebook

    def __getattr__(self, name: str):
        if name in FIELDS and name not in self._names:
            raise ParameterError(
                f"notebook {self._notebook} reads parameter '{name}' but does not declare it: add `{name} = ...` to "
                f"its parameters cell and pass {name}={name} to Session (the rerun cache keys a notebook on what it "
                f"declares)"
            )
        return getattr(self._params, name)

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self._params.as_dict().items() if k in self._names}

    def declares(self, name: str) -> bool:
        return name in self._names

    def __repr__(self) -> str:
        return f"NotebookParams({', '.join(f'{k}={v!r}' for k, v in self.as_dict().items())})"


INJECTED = "# Parameters"  # the first line of the cell papermill injects (papermill.translators: codify)
PAPERMILL_NAMES = ("PAPERMILL_INPUT_PATH", "PAPERMILL_OUTPUT_PATH")  # what `papermill --inject-paths` adds


def assigned_names(source: str) -> list[str]:
    """Names assigned at the top level of a cell, in order (what papermill reads from a parameters cell)."""
    try:
        body = ast.parse(source).body
    except SyntaxError:
        return []
    names = []
    for node in body:
        targets = (
            node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        )
        names += [t.id for t in targets if isinstance(t, ast.Name) and t.id not in names]
    return names


def kernel_history() -> list[str]:
    """The cells this IPython kernel has run, oldest first (IPython's `In`); [] outside IPython."""
    ipython = sys.modules.get("IPython")  # not imported: not in a kernel
    shell = ipython.get_ipython() if ipython is not None else None
    return list(getattr(getattr(shell, "history_manager", None), "input_hist_raw", None) or [])


def check_injected(notebook: str, history: list[str], declared=()) -> None:
    """ParameterError when the newest papermill-injected cell in `history` assigns a name that the parameters cell
    (the cell run just before it) does not declare. `declared` adds names the notebook is known to declare (what it
    passes to its Session), so a cell run out of order in JupyterLab cannot make a declared name look undeclared."""
    at = next((i for i in range(len(history) - 1, -1, -1) if history[i].strip().split("\n")[0] == INJECTED), None)
    if at is None:
        return
    names = assigned_names(history[at - 1]) if at > 0 else []
    names += [n for n in declared if n not in names]
    undeclared = [n for n in assigned_names(history[at]) if n not in names and n not in PAPERMILL_NAMES]
    if not undeclared:
        return
    hints = {n: difflib.get_close_matches(n, names, n=1, cutoff=0.8) for n in undeclared}
    shown = ", ".join(f"'{n}'" + (f" (did you mean '{hints[n][0]}'?)" if hints[n] else "") for n in undeclared)
    several = len(undeclared) > 1
    raise ParameterError(
        f"notebook {notebook}: parameter{'s' * several} {shown} given to papermill {'are' if several else 'is'} not "
        f"declared in its parameters cell; declared: {', '.join(names) or 'none'}"
    )
