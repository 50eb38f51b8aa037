"""Help text with lists: argparse fills every paragraph into one; this keeps paragraphs and `  name  text` lists."""

from __future__ import annotations

import argparse
import re
import textwrap


class ListFormatter(argparse.HelpFormatter):
    """Description and epilog: paragraphs (blank-line separated) are filled as argparse fills them, except lines
    that start with two spaces: a list, each line kept and wrapped under its text column. Either may be a function
    returning the text, called only when the help is shown (so building the parser imports nothing for it)."""

    def _format_text(self, text) -> str:
        return super()._format_text(text() if callable(text) else text)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        out = []
        for para in re.split(r"\n\s*\n", text.strip("\n")):
            prose: list[str] = []
            for line in [*para.splitlines(), None]:
                if line is not None and not line.startswith("  "):
                    prose.append(line)
                    continue
                if prose:
                    out.append(super()._fill_text(" ".join(prose), width, indent))
                    prose = []
                if line is not None:
                    m = re.match(r"\s+\S+\s+", line)
                    hang = " " * (len(m.group(0)) if m else 2)
                    out.append(textwrap.fill(line, width, initial_indent=indent, subsequent_indent=indent + hang))
            out.append("")
        return "\n".join(out).rstrip("\n")


def listing(items, gap: int = 2) -> str:
    """(name, text) pairs as list lines for ListFormatter: `  name   text`, the texts in one column."""
    items = list(items)
    width = max(len(name) for name, _ in items) + gap
    return "\n".join(f"  {name:<{width}}{text}" for name, text in items)
