"""Session: what a notebook needs to run as one step of the suite.

The run parameters with their types and ranges (params), the one parameter check for the runner and a notebook
opened on its own (check), what a notebook saves, deterministically (outputs), and one parameter set's headline row,
which sweeps read (headline). Modules here import the layers below (`core`, `sources`, `methods`, `claims`) and each
other.
"""
