"""Files under .cache/runs/ are not trusted as they stand: a parameter memo that was edited (tolerance_pct 50, a NaN)
is ignored with a warning and the parameters are checked again."""

from __future__ import annotations

import json

import pytest

from analysis.pipeline.run_cache import RunCache
from analysis.session import check

WARNING = (
    "does not hold these parameters as they check out (edited or damaged); ignored, the parameters are checked again"
)


def _memo(project):
    (memo,) = (project.cache / "runs" / "params").glob("*.json")
    return memo


def _count_validations(monkeypatch) -> list:
    calls, real = [], check.validate
    monkeypatch.setattr(check, "validate", lambda *a, **k: calls.append(1) or real(*a, **k))
    return calls


def test_an_unchanged_memo_is_reused_silently(project, monkeypatch, capsys):
    cache = RunCache(project)
    first = cache.validated({"tolerance_pct": "5"}, project)
    calls = _count_validations(monkeypatch)
    assert cache.validated({"tolerance_pct": "5"}, project) == first
    assert calls == [] and capsys.readouterr().err == ""


@pytest.mark.parametrize(
    "edit",
    [
        lambda r: r["params"].update(tolerance_pct=50.0),  # the checksum no longer matches
        lambda r: r.update(params={**r["params"], "tolerance_pct": 50.0}, sha256=_sha(r["params"], tolerance_pct=50.0)),
        lambda r: r["params"].update(tolerance_pct=float("nan")),
        lambda r: r.update(params={**r["params"], "hours_per_year": 0}, sha256=_sha(r["params"], hours_per_year=0)),
        lambda r: r.update(params={**r["params"], "survey_year": "x"}, sha256=_sha(r["params"], survey_year="x")),
        lambda r: r.clear(),
    ],
    ids=["edited", "edited_with_its_checksum", "nan", "out_of_range_default", "survey_year_text", "empty"],
)
def test_an_edited_memo_is_ignored_and_recomputed(project, monkeypatch, capsys, edit):
    cache = RunCache(project)
    first = cache.validated({"tolerance_pct": "5"}, project)
    memo = _memo(project)
    record = json.loads(memo.read_text())
    edit(record)
    memo.write_text(json.dumps(record))
    calls = _count_validations(monkeypatch)
    again = cache.validated({"tolerance_pct": "5"}, project)
    assert again == first and again.tolerance_pct == 5.0 and calls == [1]
    assert capsys.readouterr().err == f"warning: .cache/runs/params/{memo.stem[:12]}... {WARNING}\n"
    # and the memo written again is trusted
    assert cache.validated({"tolerance_pct": "5"}, project) == first and calls == [1]


def _sha(params: dict, **changes) -> str:
    from analysis.core.digest import canonical, sha256_text

    return sha256_text(canonical({**params, **changes}))
