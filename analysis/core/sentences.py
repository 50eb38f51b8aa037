"""A bottom-line sentence that knows which saved table holds its numbers.

`Sentence` is a str (every caller that joins, tests or prints findings keeps working) with `source`, the saved
artifact as '<notebook>/<name>' ('00_at_a_glance/side_by_side'); the report links the sentence to that table or chart.
"""

from __future__ import annotations


class Sentence(str):
    source: str

    def __new__(cls, text: str, source: str = "") -> Sentence:
        s = super().__new__(cls, text)
        s.source = source
        return s
