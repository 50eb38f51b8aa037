"""JSON files with stable bytes (sorted keys, UTF-8, one trailing newline): the same object always writes the
same file. Kept apart from outputs.py so the runner can write its manifest without importing pandas."""

from __future__ import annotations

import json
from pathlib import Path


def write_json(path: Path, obj) -> None:
    path.write_text(json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
