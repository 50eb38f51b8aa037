"""The report's parts that need no run: numbered references, CSL-JSON, column labels and number formats,
and charts sized for the printed page with one colour per publisher and labels in words."""

from __future__ import annotations

import json
import re

import matplotlib.pyplot as plt
import pytest
from matplotlib.colors import to_rgb

from analysis.core import vocab
from analysis.methods import reconcile
from analysis.report import plots, views
from analysis.report.columns import LABELS, column, format_cell
from analysis.report.references import cite, csl_json, period_in_words, references
from analysis.session.params import AnalysisParams
from analysis.sources.reference import load_cpi, load_rpp
from analysis.sources.registry import load_registry
from tests.conftest import shipped_figures


@pytest.fixture(scope="module")
def registry():
    return load_registry()


@pytest.fixture(scope="module")
def table():
    return shipped_figures()


def test_every_publication_is_one_numbered_reference(registry):
    refs = references(registry)
    assert [r.number for r in refs] == list(range(1, len(registry.entries) + 1))
    assert sorted(r.id for r in refs) == sorted(e.id for e in registry.entries)
    by_id = {r.id: r for r in refs}
    for e in registry.entries:
        r = by_id[e.id]
        assert r.url == e.url and r.retrieved == str(e.retrieved) and r.title == e.title
        assert bool(r.quoted_by) == e.is_secondary
    assert by_id["bls_oews_national_2023"].author == "U.S. Bureau of Labor Statistics"
    assert by_id["bls_oews_national_2023"].period == "May 2023"


@pytest.mark.parametrize(
    "period, words", [("2023-05", "May 2023"), ("2023", "2023"), ("2022/2023", "2022–2023"), ("undated", "undated")]
)
def test_period_in_words(period, words):
    assert period_in_words(period) == words


def test_citations_are_short_numbered_ranges():
    numbers = {f"s{i}": i for i in range(1, 10)}
    assert cite(["s3", "s1", "s4", "s5", "s9", "s8", "missing"], numbers) == [
        ("[1]", 1),
        ("[3]–[5]", 3),
        ("[8]", 8),
        ("[9]", 9),
    ]
    assert cite([], numbers) == []


def test_csl_json_items_carry_title_link_access_date_and_quote(registry):
    items = json.loads(json.dumps(csl_json(references(registry))))
    assert len(items) == len(registry.entries)
    by_id = {i["id"]: i for i in items}
    official = by_id["bls_oews_national_2023"]
    assert official["type"] == "dataset" and official["note"] == "Figures for May 2023"
    assert not [i for i in items if "issued" in i]  # a reference period is no release date
    assert official["URL"].startswith("https://www.bls.gov/")
    assert re.fullmatch(r"\d{4}", str(official["accessed"]["date-parts"][0][0]))
    quoted = next(e for e in registry.entries if e.is_secondary)
    item = by_id[quoted.id]  # the quoting page is the item's author; the publisher it quotes is in the note
    assert item["author"] == [{"literal": quoted.quoted_by["name"]}] and item["publisher"] == quoted.quoted_by["name"]
    assert f"figures as quoted by {quoted.quoted_by['name']}" in item["note"]


@pytest.mark.parametrize(
    "text, fmt, shown",
    [
        ("48780.0000", "usd", ("$48,780", True)),
        ("23.4500", "usd", ("$23.45", True)),
        ("4910.0", "usd_signed", ("+$4,910", True)),
        ("-1234.4", "usd_signed", ("−$1,234", True)),
        ("12.5965", "pct_signed", ("+12.6%", True)),
        ("0.9509", "share", ("95%", True)),
        ("2023", "year", ("2023", False)),
        ("secondary_quote", "citation", ("quoted", False)),
        ("salary.com", "publisher", ("Salary.com", False)),
        ("", "usd", ("", False)),
        ("n/a", "usd", ("n/a", False)),
    ],
)
def test_cells_are_formatted_with_units(text, fmt, shown):
    assert format_cell(text, fmt) == shown


def test_every_label_is_words_and_every_formatted_column_is_defined():
    for name, c in LABELS.items():
        assert c.label and "_" not in c.label, name
        assert column(name).meaning, f"column {name} has no meaning for the Definitions appendix"


def test_one_distinct_colour_per_publisher():
    assert set(vocab.PUBLISHERS) <= set(plots.PUBLISHER_COLORS)
    colours = [to_rgb(plots.PUBLISHER_COLORS[p]) for p in vocab.PUBLISHERS]
    assert len(set(colours)) == len(colours)


def _charts(table, registry):
    params = AnalysisParams(survey_year=2023, cost_of_living=True, include_quotes=True)
    cpi = load_cpi(registry)
    yield plots.figure_counts(views.figure_counts(table))
    yield plots.national_band(views.national_figures(table, params), views.bls_band(table, params))
    yield plots.waterfall(reconcile.bridge(table, params))
    yield plots.comparable(reconcile.comparable(table, cpi, params))
    for factor, label in views.PAY_FACTORS.items():
        yield plots.by_category(views.pay_factor(table, cpi, params, factor), factor, label)
    yield plots.states(views.states(table, load_rpp(registry), params), True)
    yield plots.trend(views.trend(table, cpi, params), views.soc_eras(table))


@pytest.mark.slow  # every chart of the report from the shipped data, about 8 s of CPU: end to end in nature
def test_charts_fit_the_printed_page_in_legible_words(table, registry):
    ids = {e.id for e in registry.entries}
    for chart in _charts(table, registry):
        width, height = chart.fig.get_size_inches()
        assert width <= plots.WIDTH and height <= plots.MAX_HEIGHT, chart.title
        texts = [
            t
            for t in chart.fig.findobj(lambda o: hasattr(o, "get_text") and hasattr(o, "get_fontsize"))
            if t.get_text().strip() and t.get_visible()
        ]
        small = {t.get_text() for t in texts if t.get_fontsize() < 8}
        assert not small, f"{chart.title}: text under 8 pt: {sorted(small)[:5]}"
        words = " ".join(t.get_text() for t in texts)
        assert not [i for i in ids if i in words], f"{chart.title} shows source ids"
        assert chart.data is not None and len(chart.data), chart.title
    assert plt.get_fignums() == []  # outside pyplot: the inline backend never shows a chart a second time


def test_values_published_differently_cite_reference_numbers_not_registry_ids():
    from analysis.report.build import _cited_values

    text = "aapc_2009_coding_edge_transcript=37,290.00; aapc_2009_for_the_record=38,290.00; unregistered=1.50"
    numbers = {"aapc_2009_coding_edge_transcript": 3, "aapc_2009_for_the_record": 4}
    assert _cited_values(text, numbers) == "[3] 37,290; [4] 38,290; unregistered=1.50"
    assert column("values").format == "source_values"


def test_audit_notes_cite_reference_numbers_not_registry_ids():
    from analysis.report.build import _cite_ids

    numbers = {"bls_oews_state_2023": 60, "bls_oews_state": 7, "seed_bls_figures": 64}
    note = (
        "period uncertain: none given, 2023-05 assumed; bls_oews_state_2023 (2023-05) gives 58,890; "
        "only quoted by seed_bls_figures (82,490); bls_oews_state"
    )
    assert _cite_ids(note, numbers) == (
        "period uncertain: none given, 2023-05 assumed; [60] (2023-05) gives 58,890; only quoted by [64] (82,490); [7]"
    )


def test_cells_read_booleans_as_words_and_negative_numbers_with_a_true_minus_sign():
    import pandas as pd

    from analysis.report.build import _cell, _is_boolean
    from analysis.report.document import Text

    assert _is_boolean(pd.Series(["True", "", "false"]))
    assert not _is_boolean(pd.Series(["", ""])) and not _is_boolean(pd.Series(["True", "maybe"]))
    assert _cell("False", "text", "boolean", {}) == [Text("no")]
    assert _cell("True", "text", "boolean", {}) == [Text("yes")]
    assert _cell("-4.3217", "number", "number", {}) == [Text("−4.322")]
    assert _cell("-0.1327", "text", "text", {}) == [Text("−0.1327")]
    for text in ("2019-2020", "25%-75%", "29-2072", "-", "- see note"):  # ranges, codes and words keep their hyphen
        assert _cell(text, "text", "text", {}) == [Text(text)]


def test_references_are_numbered_in_the_order_of_first_citation(registry):
    stable = references(registry)  # nothing cited: by publisher, period and id
    last, first_two = stable[-1].id, [stable[5].id, stable[3].id]
    # a figure citing the stable list's last entry, then a table citing two others (numbered among themselves in the
    # stable order) and that last entry again, and an unregistered id
    refs = references(registry, [[last], [*first_two, last, "unregistered"]])
    assert [r.id for r in refs[:3]] == [last, stable[3].id, stable[5].id]
    assert [r.number for r in refs] == list(range(1, len(stable) + 1))
    rest = [r.id for r in refs[3:]]
    assert rest == [r.id for r in stable if r.id not in {last, *first_two}]


def test_csl_json_never_gives_a_file_in_the_project_as_an_address(registry):
    local = [e for e in registry.entries if not e.url.startswith(("https://", "http://"))]
    assert local  # the seed article's figures point at data/raw/seed/...
    items = {i["id"]: i for i in csl_json(references(registry))}
    assert all("URL" not in items[e.id] for e in local)
    assert not [i for i in items.values() if "data/raw" in json.dumps(i)]


def test_every_number_format_has_a_document_column_kind():
    """A format columns.py writes numbers in must map to a numeric kind, or its column would align as text."""
    from analysis.report.build import KINDS
    from analysis.report.document import COLUMN_KINDS, NUMERIC_KINDS

    words = {"text", "publisher", "citation", "source", "source_values"}  # formats that write words or citations
    assert {c.format for c in LABELS.values()} - words <= KINDS.keys()
    assert set(KINDS.values()) | {"text", "boolean"} == set(COLUMN_KINDS)
    assert {KINDS[f] for f in ("usd", "usd_signed", "pct_signed", "share", "count")} <= set(NUMERIC_KINDS)


def test_the_title_block_names_the_jobs_the_run_covers():
    from analysis.report.build import _jobs_in_words

    assert _jobs_in_words("coders") == "Medical records specialists and coders (BLS 29-2072)"
    assert _jobs_in_words("both") == (
        "Medical records specialists and coders (BLS 29-2072) and medical billers (BLS 43-3021, in Health Care and "
        "Social Assistance where BLS's files reach)"
    )
