"""The HTML report's pages and captions (lassonet_bench.reporting.html), on the committed replication record and on
small files made here; the report itself, built from the smoke run and opened in a browser, is tested in
tests/test_workflow.py."""

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image

from lassonet_bench.experiments.registry import FIGURES
from lassonet_bench.experiments.settings import FIGURE_NAMES
from lassonet_bench.record.__main__ import main as record_main
from lassonet_bench.reporting import captions
from lassonet_bench.reporting import html as html_report
from lassonet_bench.reporting import results
from lassonet_bench.reporting.report import CLAIMS_HEADING

REPO = Path(__file__).resolve().parents[1]
RECORD = REPO / "replication"
RECORD_FIGURES = RECORD / "figures"


@pytest.fixture(scope="module")
def record():
    params = json.loads((RECORD / "params.json").read_text())
    availability = results.read_availability(sorted((RECORD / "fetch").glob("*/fetch.json")))
    return pd.read_csv(RECORD / "runs.csv"), params, availability


def test_every_figure_has_a_category_and_only_the_papers_are_paper_figures():
    categories = {name: captions.report_category(name) for name in ["figure5", *FIGURE_NAMES]}
    paper = {name for name, category in categories.items() if category == captions.PAPER_CATEGORY}
    assert paper == {"figure5", *(name for name, figure in FIGURES.items() if not figure.beyond_the_paper)}
    assert {"conv_filters", "survival"} <= {n for n, c in categories.items() if c == captions.BEYOND_CATEGORY}
    with pytest.raises(ValueError, match="figure3"):
        captions.report_category("figure3")


def test_figure_captions_are_the_report_entries_without_their_images(tmp_path):
    from lassonet_bench.experiments.registry import table_paths

    figures = {}
    for name in ["figure2", "figure7"]:  # the record's tables give their numbers
        (tmp_path / "figures").mkdir(exist_ok=True)
        (tmp_path / "figures" / f"{name}.png").write_bytes(b"")
        tables = table_paths(name, (RECORD_FIGURES / "data" / name).as_posix())
        figures[name] = (tmp_path / "figures" / f"{name}.png", tables)
    captions = html_report.figure_captions(figures, tmp_path)
    assert set(captions) == {"figure2", "figure7"}
    assert "Ours." in captions["figure2"] and "reconstruction MSE" in captions["figure7"]
    title, description = FIGURES["figure2"].title, FIGURES["figure2"].description
    assert f"<strong>{title}</strong>" in captions["figure2"]
    assert "160, 220 and 300" in captions["figure2"] and description.startswith("Top: classification accuracy")
    assert "<img" not in captions["figure2"] and "figure2.pdf" not in captions["figure2"]


def test_markdown_page_embeds_its_images_and_names_a_missing_one(tmp_path):
    Image.new("RGB", (3, 2), "red").save(tmp_path / "plot.png")
    source = tmp_path / "page.md"
    source.write_text("# Title\n\n| a | b |\n|---|---:|\n| x | 1 |\n\n![A plot](plot.png)\n")
    page = html_report.markdown_page(source, "Page")
    assert "<table>" in page and "<h1>Title</h1>" in page
    assert re.search(r'<img src="data:image/png;base64,[A-Za-z0-9+/=]+" alt="A plot"', page)
    source.write_text("![Gone](gone.png)\n")
    with pytest.raises(FileNotFoundError, match="gone.png"):
        html_report.markdown_page(source, "Page")


def test_table_captions_count_the_record_s_cells_as_its_status_does(record):
    runs, params, availability = record
    captions = [html_report.table_caption(runs, params, table, availability) for table in ["table1", "table2"]]
    inside = [re.search(r"interval on (\d+) of the (\d+) cells with an interval", c).groups() for c in captions]
    status = (RECORD / "STATUS.md").read_text()
    expected_inside = int(re.search(r"prediction interval: \*\*(\d+)\*\* cells", status).group(1))
    expected_outside = int(re.search(r"outside: \*\*(\d+)\*\* cells", status).group(1))
    assert sum(int(i) for i, _ in inside) == expected_inside
    assert sum(int(n) - int(i) for i, n in inside) == expected_outside
    assert all(re.search(r"LassoNet within the interval on \d+ of \d+\.", c) for c in captions)
    assert captions[0].startswith("<p>Table 1: test accuracy with the decoder network")


def test_figure5_caption_says_where_lassonet_leads(record):
    runs, params, availability = record
    caption = html_report.figure5_caption(runs, params, availability)
    assert "LassoNet is the most accurate" in caption  # the paper's claim
    grid = runs.loc[(runs["dataset"] == "isolet1560") & runs["method"].isin(params["figure5_methods"]), "k"].nunique()
    assert re.findall(r"LassoNet the most accurate at \d+ of (\d+) values of k", caption) == [str(grid)] * 2


def test_runtime_page_sums_the_benchmarks_per_rule(tmp_path):
    folder = tmp_path / "benchmarks" / "select" / "mice" / "fisher"
    folder.mkdir(parents=True)
    header = "s\th:m:s\tmax_rss\tmax_vms\tmax_uss\tmax_pss\tio_in\tio_out\tmean_load\tcpu_time\n"
    (folder / "seed-0.tsv").write_text(header + "3600\t1:00:00\t100\t0\t0\t0\t0\t0\t0\t1800\n")
    (folder / "seed-1.tsv").write_text(header + "1800\t0:30:00\t300\t0\t0\t0\t0\t0\t0\t900\n")
    page = html_report.runtime_page([tmp_path])
    assert "<td>select fisher</td>" in page and "<td>total</td>" in page
    assert html_report.runtime_caption([tmp_path]).startswith("<p>2 benchmarked jobs: 1.5 h of wall time and 0.75 h")
    assert "<th>CPU time (h)</th>" in page and "cpu_h" not in page


def test_the_report_lists_its_categories_and_results_in_the_paper_s_order():
    # Snakemake's report sorts categories by name and a category's results by their labels' values.
    categories = [captions.TABLES_CATEGORY, captions.PAPER_CATEGORY, captions.BEYOND_CATEGORY, captions.COST_CATEGORY]
    assert sorted(categories) == categories
    names = list(captions.report_titles())
    numbers = [captions.report_labels(name)["No."] for name in names]
    assert sorted(numbers) == numbers and len(set(numbers)) == len(names)
    paper_figures = [n for n in names if n.startswith("figure")]
    assert paper_figures == sorted(paper_figures, key=lambda n: int(n.removeprefix("figure")))
    assert names[:2] == ["table1", "table2"] and names[-1] == "runtimes"
    assert names.index("figure10") < names.index("conv_filters") < names.index("critical_difference")
    assert captions.report_labels("figure5")["Result"].startswith("Figure 5 (Section 5)")
    with pytest.raises(ValueError, match="figure3"):
        captions.report_labels("figure3")


def test_front_page_says_what_ran_what_is_missing_and_the_claims(record):
    runs, _, _ = record
    page = html_report.front_page((RECORD / "replication_report.md").read_text(), runs)
    assert f"{len(runs)} runs of" in page and "devices: cpu" in page
    missing = page.split("<h2>Not available here</h2>")[1].split("<h2>")[0]
    assert missing.count("<li>") == 2 and "ISOLET" in missing and "Activity" in missing and "no network" in missing
    claims = page.split("<h2>The paper's claims</h2>")[1]
    assert claims.count("<li>") >= 4 and "holds" in claims and "href" not in claims


def test_settings_table_shows_nested_settings_one_row_each():
    table = html_report.settings_table({"k": 50, "path": {"M": 10, "n_epochs": [200, 5]}})
    cells = re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", table)
    assert cells == ["k", "50", "path.M", "10", "path.n_epochs", "200, 5"]


def test_critical_difference_caption_gives_the_friedman_test(record):
    from lassonet_bench.record import rendering

    runs, params, _ = record
    caption = html_report.critical_difference_caption(rendering.benchmark_verdict(runs, params))
    assert re.search(r"Friedman χ² = [\d.]+, p = [\d.e-]+", caption) and "Beyond the paper" in caption
    assert "Too few blocks" in html_report.critical_difference_caption(None)


@pytest.mark.slow
def test_the_record_page_reads_in_the_paper_s_order_in_a_browser(browser_page, tmp_path):
    """The record's own web page (`record html`) in headless Chromium at 1280 px: the claims first, then Tables 1-2,
    then the paper's figures in its order (Figure 5 between 4 and 6) and what goes beyond it; every image shown; no text past the window's
    edge; no JavaScript error."""
    page_file = tmp_path / "report.html"
    record_main(["html", str(RECORD), "--out", str(page_file)])
    page = browser_page.page
    page.goto(page_file.as_uri())
    page.get_by_role("heading", name=CLAIMS_HEADING).wait_for()
    headings = [" ".join(text.split()) for text in page.locator("h2, h3").all_inner_texts()]
    assert headings[0] == CLAIMS_HEADING, headings
    drawn = pd.read_csv(RECORD_FIGURES / "figures.csv")["figure"].tolist()
    before_figure5 = ["figure1", "figure2", "figure4"]
    titles = ([FIGURES[name].title for name in before_figure5 if name in drawn] + [captions.FIGURE5_TITLE]
              + [FIGURES[name].title for name in FIGURE_NAMES if name in drawn and name not in before_figure5])
    places = [next(i for i, h in enumerate(headings) if h.startswith(start)) for start in ("Table 1", "Table 2")]
    places += [headings.index(title) for title in titles]
    assert places == sorted(places), headings
    images = page.evaluate("() => [...document.images].map(i => i.complete && i.naturalWidth > 0)")
    assert len(images) >= 1 + len(titles) and all(images), images
    assert not browser_page.overflowing(), browser_page.overflowing()
    assert not browser_page.errors, browser_page.errors
