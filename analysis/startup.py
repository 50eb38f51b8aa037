"""What the command line does to its own process before any work: imports it can skip.

jsonschema, which nbformat imports (and so papermill, the notebook workers and the report), imports
`rfc3987_syntax` whenever it is installed (jupyterlab's dependencies install it), for its "iri" string format;
that module builds a Lark Earley parser when imported: about 1.1 s of every process that opens a notebook, on a
2-core machine a tenth of a cold run. No schema we validate (notebooks) uses that format, so the module is
marked absent and jsonschema skips only that format check. Workers forked from the process inherit this.
"""
from __future__ import annotations

import sys

SKIPPED = ("rfc3987_syntax",)


def skip_slow_optional_imports() -> None:
    for name in SKIPPED:
        sys.modules.setdefault(name, None)  # `import name` now raises ImportError, which jsonschema expects
