"""The parse cache: a hit skips parsing; a changed file, loader or map misses; a corrupt entry is rebuilt."""

from __future__ import annotations

import shutil
import threading
import time

import pandas as pd
import pytest

from analysis.sources import bls_oews, cache
from analysis.sources.load import load_figures
from analysis.sources.registry import load_registry
from tests.oews_support import MAPS, OEWS, entry, rows, tidy, write_csv, write_xlsx


@pytest.fixture
def parses(monkeypatch):
    """Count calls of the real parser."""
    calls = []
    real = bls_oews.parse_official

    def counting(path, *a, **kw):
        calls.append(path.name)
        return real(path, *a, **kw)

    monkeypatch.setattr(bls_oews, "parse_official", counting)
    return calls


@pytest.fixture
def xlsx(tmp_path):
    return write_xlsx(rows(OEWS / "national_M2023_dl.csv"), tmp_path / "national_M2023_dl.xlsx")


def test_second_load_is_a_hit_and_skips_parsing(tmp_path, parses, xlsx):
    d = tmp_path / "cache"
    first = tidy(xlsx, cache_dir=d)
    second = tidy(xlsx, cache_dir=d)
    assert parses == ["national_M2023_dl.xlsx"]
    pd.testing.assert_frame_equal(first, second)
    pd.testing.assert_frame_equal(second, tidy(xlsx))  # cached = uncached
    assert len(list(d.glob("*.parquet"))) == 1 and not list(d.glob("*.tmp"))
    uncached = bls_oews.extract(entry(), xlsx, "f", MAPS)
    cached = bls_oews.extract(entry(), xlsx, "f", MAPS, cache_dir=d)
    pd.testing.assert_frame_equal(cached, uncached)  # row numbers and file names survive the cache too


def test_changed_file_misses(tmp_path, parses):
    d = tmp_path / "cache"
    table = rows(OEWS / "national_M2023_dl.csv")
    path = write_csv(table, tmp_path / "national_M2023_dl.csv")
    assert tidy(path, cache_dir=d)["value"].max() == 185690
    table[5][table[0].index("TOT_EMP")] = "185,700"
    write_csv(table, path)
    assert tidy(path, cache_dir=d)["value"].max() == 185700
    assert len(parses) == 2 and len(list(d.glob("*.parquet"))) == 2


def test_new_loader_version_or_column_maps_miss(tmp_path, parses, xlsx, monkeypatch):
    d = tmp_path / "cache"
    tidy(xlsx, cache_dir=d)
    monkeypatch.setattr(bls_oews, "LOADER_VERSION", bls_oews.LOADER_VERSION + "-next")
    tidy(xlsx, cache_dir=d)
    assert len(parses) == 2
    maps = tmp_path / "maps"
    maps.mkdir()
    for p in MAPS.glob("*.csv"):
        (maps / p.name).write_bytes(p.read_bytes())
    (maps / "oews_markers.csv").write_text((MAPS / "oews_markers.csv").read_text() + "(8),suppressed,test marker\n")
    bls_oews.load_parsed(xlsx, "x", maps, d)
    assert len(parses) == 3


def test_corrupt_entry_is_rebuilt_not_trusted(tmp_path, parses, xlsx):
    d = tmp_path / "cache"
    good = tidy(xlsx, cache_dir=d)
    (stored,) = d.glob("*.parquet")
    stored.write_bytes(stored.read_bytes()[:100])  # truncated
    with pytest.warns(UserWarning, match="unreadable.*rebuilding"):
        again = tidy(xlsx, cache_dir=d)
    pd.testing.assert_frame_equal(again, good)
    assert len(parses) == 2
    cache.read_entry(stored)  # the rebuilt entry is whole
    stored.write_bytes(b"garbage")
    with pytest.warns(UserWarning):
        pd.testing.assert_frame_equal(tidy(xlsx, cache_dir=d), good)
    assert tidy(xlsx, cache_dir=d).equals(good) and len(parses) == 3


def test_concurrent_loads_build_once(tmp_path):
    d, built = tmp_path / "cache", []

    def build():
        built.append(1)
        time.sleep(0.3)
        return pd.DataFrame({"a": ["1", "2"]}), {"layout": "x"}

    results = []
    threads = [threading.Thread(target=lambda: results.append(cache.load_or_build(d, "k", build))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(built) == 1 and len(results) == 4
    assert all(r[0]["a"].tolist() == ["1", "2"] and r[1] == {"layout": "x"} for r in results)


def test_unwritable_cache_still_loads(tmp_path, xlsx):
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be")
    with pytest.warns(UserWarning, match="not writable"):
        assert len(tidy(xlsx, cache_dir=blocker / "oews")) == 15


def test_load_figures_goes_through_the_cache(tmp_path, project_copy, parses):
    # two official files, from an empty parse cache (copy_project hands the checkout's on)
    project = project_copy(tmp_path, sources=["bls_oews_national_2023", "bls_oews_state_2023"])
    shutil.rmtree(project.oews_cache)
    first = load_figures(registry=load_registry(project))
    n_official = sum(len(e.files) for e in load_registry(project).entries if e.loader == "bls_oews")
    assert len(parses) == n_official and len(list(project.oews_cache.glob("*.parquet"))) == n_official
    second = load_figures(registry=load_registry(project))
    assert len(parses) == n_official  # nothing parsed again
    pd.testing.assert_frame_equal(first, second)
