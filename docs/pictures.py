"""The docs' pictures, made from their sources so that they cannot go stale: screenshots in headless Chromium.

    python docs/pictures.py                                  # docs/record-report.png, from replication/
    python docs/pictures.py --html-report results/report.html  # and docs/report-front-page.png, from that page

- `docs/record-report.png`: the top of the record's replication report as one web page
  (`python -m lassonet_bench.record html replication`), the paper's claims with their verdicts first;
- `docs/report-front-page.png`: the front page of Snakemake's HTML report (`snakemake --report`), after the smoke
  run in the README.

Chromium is Debian's (`tests/browser/install.sh` installs it if missing); Playwright drives it. Both are at 1280 px
width, the width the browser test checks for overflowing text.
"""

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BROWSER_INSTALL = ROOT / "tests" / "browser" / "install.sh"
RECORD_PICTURE = ROOT / "docs" / "record-report.png"
FRONT_PAGE_PICTURE = ROOT / "docs" / "report-front-page.png"
VIEWPORT = {"width": 1280, "height": 900}
# Headless Chromium on a machine without network: nothing to fetch, no GPU, no sandbox (root in CI).
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium_executable():
    """The path of Debian's chromium, installed first if missing; RuntimeError with install.sh's message if not."""
    result = subprocess.run(["bash", str(BROWSER_INSTALL)], capture_output=True, text=True, timeout=900)
    if result.returncode != 0:
        raise RuntimeError(f"tests/browser/install.sh failed ({result.returncode}): {result.stderr.strip()}")
    return result.stdout.strip().splitlines()[-1]


def screenshot(page_file, out, ready_text, page=None):
    """A 1280 x 900 screenshot of the page at `page_file` into `out`, once `ready_text` shows: in `page` (a
    Playwright page, as the browser test has one open) or in a Chromium launched for it."""
    if page is not None:
        shoot(page, page_file, out, ready_text)
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=VIEWPORT)
            page.set_default_timeout(180_000)  # a 5 MB page on a busy 2-core machine
            shoot(page, page_file, out, ready_text)
        finally:
            browser.close()


def shoot(page, page_file, out, ready_text):
    """Open `page_file` in the Playwright `page`, wait for `ready_text` and the network, and save the window."""
    page.goto(Path(page_file).resolve().as_uri())
    page.get_by_text(ready_text).first.wait_for()
    page.wait_for_load_state("networkidle")
    # Snakemake's page scrolls while its rule graph is drawn: back to the top of every scrolled box.
    page.evaluate("window.scrollTo(0, 0); document.querySelectorAll('*').forEach(e => { e.scrollTop = 0; })")
    page.screenshot(path=out)


def record_picture(record_dir, out):
    """The top of the record's replication report as one self-contained page (its images embedded)."""
    from lassonet_bench.reporting.html import markdown_page

    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "replication_report.html"
        page.write_text(markdown_page(Path(record_dir) / "replication_report.md", "Replication report"),
                        encoding="utf-8")
        screenshot(page, out, "The paper's claims")


def front_page_picture(html_report, out, page=None):
    """The front page of Snakemake's HTML report at `html_report` (in `page`, if given)."""
    screenshot(html_report, out, "LassoNet replication", page)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record", default=ROOT / "replication", type=Path, help="the record's folder")
    parser.add_argument("--html-report", type=Path, help="a page of `snakemake --report`: also its front page")
    args = parser.parse_args(argv)
    record_picture(args.record, RECORD_PICTURE)
    print(f"wrote {RECORD_PICTURE.relative_to(ROOT)}")
    if args.html_report:
        front_page_picture(args.html_report, FRONT_PAGE_PICTURE)
        print(f"wrote {FRONT_PAGE_PICTURE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
