"""Methods: pure transforms of the figures table, `(table, params) -> table`.

Units and dollar years (harmonize), which areas can anchor the analysis (geography, anchor), fits of BLS's wage
distribution (distribution), the SOC crosswalk, pay by industry sector, the reconciliation of publishers' figures
and the bottom line's key findings. Modules here import `analysis.core`, `analysis.sources` and each other; they
never read files or write output themselves.
"""
