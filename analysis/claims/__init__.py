"""Claims: an article's pay claims, read from its text and checked against the publishers' own figures.

`article` (plain text, Markdown, HTML into blocks), `amounts` (money forms), `cues` (publisher, statistic, period,
place and population words), `extract` (one claim per pay figure), `audit` (each claim's verdict) and `evaluate`
(recall and precision against hand labels). Modules here import `analysis.core`, `analysis.sources`,
`analysis.methods` and each other.
"""
