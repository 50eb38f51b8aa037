"""Regenerate the README's pictures from a finished default run: `.venv/bin/python docs/make_pictures.py`.

Writes docs/images/report_first_page.png (the first page of reports/latest/report.pdf at 60 dpi) and
docs/images/national_band.png (a copy of the national picture's chart of every publisher's headline). When
reports/latest is missing,
failed or was made with other parameters than the defaults, it first runs the default report
(`python -m analysis run`, the same as `make report`); `--no-run` refuses instead.

The page is rendered with poppler's `pdftoppm` (Debian/Ubuntu: `apt-get install poppler-utils`; conda:
`conda install -c conda-forge poppler`), or with pypdfium2 when that is installed.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "docs" / "images"
LATEST = ROOT / "reports" / "latest"
CHART = Path("02_national_picture") / "national_band.png"
DPI = 60


def is_default_run(run_dir: Path) -> bool:
    """A successful run of the default parameters (as the current data and code resolve them)."""
    manifest = run_dir / "manifest.json"
    if not (manifest.is_file() and (run_dir / "report.pdf").is_file() and (run_dir / CHART).is_file()):
        return False
    m = json.loads(manifest.read_text())
    from analysis.session.check import validate

    return m.get("status") == "success" and m.get("parameters") == validate().as_dict()


def first_page_png(pdf: Path, out: Path) -> None:
    if shutil.which("pdftoppm"):
        with tempfile.TemporaryDirectory() as tmp:
            prefix = Path(tmp) / "page"
            cmd = ["pdftoppm", "-r", str(DPI), "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(prefix)]
            subprocess.run(cmd, check=True)
            shutil.copyfile(prefix.with_suffix(".png"), out)
        return
    try:
        import pypdfium2
    except ImportError:
        sys.exit("error: no PDF renderer: install poppler-utils (pdftoppm) or `pip install pypdfium2`")
    page = pypdfium2.PdfDocument(str(pdf))[0]
    page.render(scale=DPI / 72).to_pil().save(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-run", action="store_true", help="use reports/latest as it is; never run the report")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    if not is_default_run(LATEST):
        if args.no_run:
            sys.exit("error: reports/latest is not a successful default run (make report makes one)")
        print("reports/latest is not a finished default run: running `python -m analysis run` ...", flush=True)
        subprocess.run([sys.executable, "-m", "analysis", "run"], cwd=ROOT, check=True)
    run_dir = LATEST.resolve()
    IMAGES.mkdir(parents=True, exist_ok=True)
    first_page_png(run_dir / "report.pdf", IMAGES / "report_first_page.png")
    shutil.copyfile(run_dir / CHART, IMAGES / CHART.name)
    print(f"from {run_dir.relative_to(ROOT)}: wrote docs/images/report_first_page.png, docs/images/{CHART.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
