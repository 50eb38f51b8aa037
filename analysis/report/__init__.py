"""Report: what a reader sees, the notebooks' tables and charts and the report built from them.

`views` and `plots` (the tables and charts the notebooks show, one style, no typed-in numbers), `columns` (each
column's label, number format and meaning), `references` (the numbered references, CSL-JSON) and `build` (the HTML
and PDF report from a run's saved artifacts, with its templates in `templates/`). Modules here import the layers
below (`core` up to `session`) and each other.
"""
