"""What the command line does to its own process: imports it can skip, and when the cyclic GC can rest.

jsonschema, which nbformat imports (and so papermill, the notebook workers and the report), imports
`rfc3987_syntax` whenever it is installed (jupyterlab's dependencies install it), for its "iri" string format;
that module builds a Lark Earley parser when imported: about 1.1 s of every process that opens a notebook, on a
2-core machine a tenth of a cold run. No schema we validate (notebooks) uses that format, so the module is
marked absent and jsonschema skips only that format check. Workers forked from the process inherit this.
"""

from __future__ import annotations

import gc
import sys
from contextlib import contextmanager

SKIPPED = ("rfc3987_syntax",)


def skip_slow_optional_imports() -> None:
    for name in SKIPPED:
        sys.modules.setdefault(name, None)  # `import name` now raises ImportError, which jsonschema expects


@contextmanager
def gc_paused():
    """The cyclic garbage collector off for a bounded piece of work that allocates many short-lived objects and
    makes almost no reference cycles (a run, a report): its passes were a fifth of WeasyPrint's time and 0.3 s of
    a cold run's main process, for no memory saved (peak RSS 279 vs 282 MB). Processes forked meanwhile inherit it."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
