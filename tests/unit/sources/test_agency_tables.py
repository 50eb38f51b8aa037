"""State agencies' OEWS-based tables load from their own layouts (column maps as data), on the real rows."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.core.errors import InputError
from analysis.sources import agency
from analysis.sources.figures import validate_figures
from analysis.sources.registry import SourceEntry
from tests.oews_support import MAPS
from tests.oews_support import entry as oews_entry

STATES = Path(__file__).parents[2] / "fixtures" / "states"


def entry(layout: str, period: str, publisher: str) -> SourceEntry:
    return oews_entry(
        period,
        f"test_{layout}",
        "oews_state",
        publisher=publisher,
        title="agency table fixture",
        url="https://example.org/",
        loader="agency_table",
        layout=layout,
    )


def load(name: str, layout: str, period: str, publisher: str, path: Path | None = None) -> pd.DataFrame:
    t = agency.extract(entry(layout, period, publisher), path or STATES / name, name, MAPS)
    return validate_figures(t)


def test_washington_2022_state_metros_and_nonmetro_areas():
    t = load("wa_esd_oews_2022.csv", "wa_esd_oews", "2022", "wa_esd")
    areas = t.drop_duplicates("geography_code").set_index("geography_code")["geography_level"]
    assert len(areas) == 16 and areas["WA"] == "state" and areas["42660"] == "metro" and areas["38900"] == "metro"
    assert set(areas[areas == "nonmetro"].index) == {"530006", "530007"}
    wa = t[t["geography_code"] == "WA"].set_index(["statistic", "unit"])["value"]
    assert wa.to_dict() == {
        ("employment", "jobs"): 3517,
        ("mean", "USD/hour"): 26.44,
        ("median", "USD/hour"): 23.32,
        ("p25", "USD/hour"): 20.47,
        ("p75", "USD/hour"): 29.65,
        ("mean", "USD/year"): 54980,
    }
    assert set(t["survey_year"]) == {2022} and not t["statistic"].isin(["p10", "p90"]).any()
    assert (t.loc[t["geography_code"] == "42660", "geography_name"] == "Seattle-Tacoma-Bellevue, WA").all()


def test_new_york_undated_and_entry_experienced_wages_are_not_read_as_percentiles():
    t = load("ny_dol_oews_undated.csv", "ny_dol_oews", "undated", "ny_dol")
    assert set(t["reference_period"]) == {"undated"} and t["survey_year"].isna().all()
    assert set(t["statistic"]) == {"employment", "mean", "median"}  # Entry / Experienced Wage are NY DOL's own means
    ny = t[t["geography_code"] == "NY"].set_index("statistic")["value"]
    assert ny.to_dict() == {"employment": 9130, "mean": 57529, "median": 51289}
    regions = t[t["geography_level"] == "region"]
    assert regions["geography_code"].nunique() == 10
    north = regions[regions["geography_name"] == "North Country"]
    assert set(north["statistic"]) == {"mean", "median"}  # its employment is blank in the table


def test_unknown_area_and_missing_column_name_row_and_column(tmp_path):
    text = (STATES / "wa_esd_oews_2022.csv").read_text().replace(",000053,", ",990053,")
    bad = tmp_path / "wa.csv"
    bad.write_text(text)
    with pytest.raises(InputError) as e:
        load("wa.csv", "wa_esd_oews", "2022", "wa_esd", bad)
    assert "row 2, column 'Area code': area '990053' (type '') matches no area rule of layout wa_esd_oews" in str(
        e.value
    )
    bad.write_text((STATES / "wa_esd_oews_2022.csv").read_text().replace("25th Percentile", "P25"))
    with pytest.raises(InputError, match="columns 25th Percentile of layout wa_esd_oews are missing"):
        load("wa.csv", "wa_esd_oews", "2022", "wa_esd", bad)
