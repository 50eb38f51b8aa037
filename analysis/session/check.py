"""The one parameter check, used by the runner before any kernel starts and by a notebook opened on its own.

`load_data(paths)` reads what parameters are checked against: the registry (checksums verified), the validated
figures table (from its cache per data digest, see sources/load.py) and CPI-U. `check(values, data, names)`
turns a mapping into AnalysisParams: types and ranges (params.from_mapping), the years and geographies the data
cover, and the claims file when `claims_file` is among the parameters in use. `validate(values, paths)` is both.

A notebook declares in its `parameters` cell only the run parameters it reads, and gets them as
`NotebookParams`: reading any other run parameter is an error naming the notebook and the parameter. The
rerun cache keys a notebook on the parameters it declares, so this is what makes reusing it safe; adding a
parameter to a notebook is one line in its parameters cell and the same name passed to its Session.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from analysis.core.config import ProjectPaths, project_paths
from analysis.core.errors import InputError, ParameterError
from analysis.session.params import FIELDS, AnalysisParams, data_years, from_mapping


@dataclass(frozen=True)
class Data:
    registry: Any
    table: Any  # the validated figures table
    cpi: Any


def load_data(paths: ProjectPaths | None = None) -> Data:
    from analysis.sources.load import figures_table
    from analysis.sources.reference import load_cpi
    from analysis.sources.registry import load_registry

    registry = load_registry(paths or project_paths())
    return Data(registry, figures_table(registry), load_cpi(registry))


def check(values: dict[str, Any] | None, data: Data, names=None) -> AnalysisParams:
    """Validated parameters; `names` are the parameters in use (default: all), a notebook's declared ones."""
    survey_years, dollar_years = data_years(data.table, data.cpi)
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

    def __repr__(self) -> str:
        return f"NotebookParams({', '.join(f'{k}={v!r}' for k, v in self.as_dict().items())})"
