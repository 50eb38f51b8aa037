"""What a bad-input case runs in: the corpus folder and the registry entries its minimal project keeps."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent
KEEP = ("bls_cpi_u_annual", "bls_cpi_u_annual_and_may", "bea_rpp_state", "bls_oews_national_2023")
