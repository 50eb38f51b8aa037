"""Every test in tests/integration/ is end-to-end (the command line, real files, processes, kernels): all are
marked `slow`, so `make test-fast` (-m "not slow") is the unit tests alone."""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(item.fspath).parents:
            item.add_marker(pytest.mark.slow)
