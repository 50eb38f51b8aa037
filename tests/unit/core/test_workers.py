"""A clean pool's workers can typeset a PDF after this process did (a forked one waits for ever: Typst's threads)."""

import typst

from analysis.core.workers import pool


def _compile() -> bytes:
    return typst.compile(b"= A worker's page\nText.")[:4]


def test_a_clean_worker_compiles_typst_after_its_parent_did():
    typst.compile(b"= The parent's page")  # the compiler's threads now exist in this process only
    with pool(1, clean=True) as workers:
        assert workers.submit(_compile).result(timeout=60) == b"%PDF"
