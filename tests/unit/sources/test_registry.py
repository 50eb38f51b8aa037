import re

import pytest
import yaml

from analysis.core.errors import ChecksumMismatchError, RegistryError
from analysis.sources.registry import load_registry, sha256_of


def test_shipped_registry_verifies(project):
    reg = load_registry(project)
    assert len(reg.entries) >= 50
    assert {e.publisher for e in reg.entries} >= {"bls", "aapc", "salary.com", "payscale"}
    for e in reg.entries:  # provenance is complete for every publication
        assert e.url and e.retrieved and e.collection_method and e.files
        if e.is_secondary:
            assert e.quoted_by["name"] and e.quoted_by["url"]


def test_checksum_mismatch_names_file_and_both_hashes(project):
    target = project.raw / "bls" / "national_M2023_dl.csv"
    expected = sha256_of(target)
    target.write_text(target.read_text().replace(",48780,", ",48790,"))
    with pytest.raises(ChecksumMismatchError) as info:
        load_registry(project)
    msg = str(info.value)
    assert "data/raw/bls/national_M2023_dl.csv" in msg
    assert expected in msg and sha256_of(target) in msg
    assert info.value.mismatches == [("data/raw/bls/national_M2023_dl.csv", expected, sha256_of(target))]


def test_unregistered_file_is_an_error(project):
    (project.raw / "aapc" / "stray.csv").write_text("a,b\n1,2\n")
    with pytest.raises(RegistryError, match=r"data/raw/aapc/stray.csv: file is not registered in data/sources.yaml"):
        load_registry(project)


def test_missing_registered_file_is_an_error(project):
    (project.raw / "bls" / "national_M2011_dl_extract.csv").unlink()
    with pytest.raises(
        RegistryError,
        match=r"data/raw/bls/national_M2011_dl_extract.csv: registered by 'bls_oews_national_2011' but missing",
    ):
        load_registry(project)


def _edit_first_entry(project, **changes):
    doc = yaml.safe_load(project.registry.read_text())
    for k, v in changes.items():
        if v is None:
            doc["sources"][0].pop(k)
        else:
            doc["sources"][0][k] = v
    project.registry.write_text(yaml.safe_dump(doc, sort_keys=False))


def test_unknown_publisher_in_registry(project):
    _edit_first_entry(project, publisher="glassdoor")
    with pytest.raises(RegistryError) as info:
        load_registry(project)
    assert re.search(
        r"data/sources.yaml, row 2, column 'publisher': entry 'bls_oews_national_2011': unknown publisher "
        r"'glassdoor'; expected one of bls, ",
        str(info.value),
    )


def test_missing_registry_field(project):
    _edit_first_entry(project, url=None)
    with pytest.raises(RegistryError, match=r"column 'url': entry 'bls_oews_national_2011': missing field 'url'"):
        load_registry(project)


def test_malformed_yaml_names_the_line(project):
    project.registry.write_text("sources:\n  - id: x\n    title: [unclosed\n")
    with pytest.raises(RegistryError, match=r"data/sources.yaml, row \d+: malformed YAML"):
        load_registry(project)
