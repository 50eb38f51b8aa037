"""Pipeline: running the notebook suite, once or for a grid of parameter sets.

`runner` (plan, execute, build the report, write the manifest, atomically), `kernels` (Jupyter kernels kept warm
across notebooks), `run_cache` (reuse what did not change) and `sweep` (every combination of a parameter grid,
local processes or Dask). Modules here import every layer below and each other, never the command line.
"""
