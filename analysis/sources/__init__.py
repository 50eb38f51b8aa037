"""Sources: the registry of publications and one loader per kind of published input, filling one tidy table.

The registry (provenance and sha256 of every file), the loaders (BLS OEWS files, state agencies' tables, curated
publisher figures, CPI-U and price parities), the tidy figures table with its schema and domain checks, its parse
cache, `add-source`, and the selectors that say which rows a rule means. Modules here import only `analysis.core`
and each other.
"""
