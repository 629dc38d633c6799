"""The Snakemake workflow's real run of the whole DAG on the smoke configuration (tiny real subsets of the mirror),
with its outputs, its HTML report in a browser and its behaviour on re-runs, config changes, lost outputs and a
failing job. The checks before a run (lint, config errors, dry runs) are in tests/test_workflow_config.py."""

import html
import os
import re
import runpy
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml

from lassonet_bench.datasets import REGISTRY
from lassonet_bench.experiments.registry import FIGURES
from lassonet_bench.experiments.settings import FIGURE_NAMES
from lassonet_bench.reporting.captions import report_category, report_labels, report_titles

from workflow_helpers import REPO, SMOKE_CONFIG, SNAKEFILE, executed_rules, job_counts, reachable_rules, snakemake

CI_PROFILE = REPO / "workflow" / "profiles" / "ci"
PICTURES = runpy.run_path(str(REPO / "docs" / "pictures.py"))  # the docs' screenshots, and the browser they use
MIRROR = Path(os.environ.get("LASSONET_BENCH_MIRROR") or REPO.parent / "shared" / "datasets")
_SMOKE = yaml.safe_load(SMOKE_CONFIG.read_text())
DATASET_TITLES = {name: REGISTRY[name].title for name in _SMOKE["datasets"] + _SMOKE["extra_datasets"]}


# ---------------------------------------------------------------------------------------------------------------
# The smoke run: the whole DAG on tiny real data


@pytest.fixture(scope="module")
def smoke_run(tmp_path_factory):
    if not MIRROR.is_dir():
        message = f"the data mirror {MIRROR} is missing (set LASSONET_BENCH_MIRROR or place it beside the repository)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + "; on CI the smoke run is required")
        pytest.skip(message)
    directory = tmp_path_factory.mktemp("smoke")
    started = time.perf_counter()
    code, output = snakemake(
        "--workflow-profile", CI_PROFILE, "--configfile", SMOKE_CONFIG, directory=directory, timeout=2400
    )
    seconds = time.perf_counter() - started
    (directory / "smoke-run.log").write_text(output)
    assert code == 0, output[-6000:]
    return directory, output, seconds


@pytest.mark.slow
def test_smoke_run_covers_every_rule(smoke_run):
    directory, output, seconds = smoke_run
    listed = subprocess.run(
        [sys.executable, "-m", "snakemake", "-s", str(SNAKEFILE), "--configfile", str(SMOKE_CONFIG), "--list-rules"],
        capture_output=True, text=True, cwd=directory,
    ).stdout.split()
    expected = reachable_rules(listed)
    ran = executed_rules(output)
    assert listed and expected <= set(ran), f"rules that did not run: {sorted(expected - set(ran))}"
    # Speed is a benchmark's business, not a test's: the time is reported, never asserted.
    print(f"smoke run: {seconds:.0f} s")


@pytest.mark.slow
def test_smoke_tables_hold_accuracies_for_every_available_cell(smoke_run):
    directory, _, _ = smoke_run
    for table in ["table1", "table2"]:
        frame = pd.read_csv(directory / "results" / "tables" / f"{table}.csv")
        assert set(frame["dataset"]) == set(DATASET_TITLES)
        available = frame[frame["status"] == "available"]
        assert set(available["dataset"]) == {"mice", "coil20", "isolet1560"}
        assert set(frame.loc[frame["status"] == "unavailable", "dataset"]) == {"isolet", "activity"}
        for method in ["all", "fisher", "hsic", "pfa", "lassonet"]:
            values = available[f"{method}_mean"]
            assert values.notna().all(), (table, method)
            assert values.between(0, 1).all(), (table, method, values.tolist())
        for suffix in ["md", "tex"]:
            assert (directory / "results" / "tables" / f"{table}.{suffix}").stat().st_size > 200


@pytest.mark.slow
@pytest.mark.parametrize("figure", ["figure5", *FIGURE_NAMES])
def test_smoke_figures_are_valid_png_and_pdf(smoke_run, figure):
    directory, _, _ = smoke_run
    png = (directory / "results" / "figures" / f"{figure}.png").read_bytes()
    pdf = (directory / "results" / "figures" / f"{figure}.pdf").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
    assert pdf[:5] == b"%PDF-" and b"%%EOF" in pdf[-1024:] and len(pdf) > 5_000


@pytest.mark.slow
def test_smoke_report_names_every_dataset(smoke_run):
    directory, _, _ = smoke_run
    report = (directory / "results" / "replication_report.md").read_text()
    for name, title in DATASET_TITLES.items():
        assert f"**{title}** (`{name}`" in report
    assert "**unavailable**" in report
    assert "![Figure 5](figures/figure5.png)" in report
    for figure in FIGURE_NAMES:  # each with the paper's description beside it, or labelled as beyond the paper
        label = "Beyond the paper" if FIGURES[figure].beyond_the_paper else "The paper's figure"
        assert re.search(rf"\*{label}\.\*.*\n(?:.*\n)*?!\[.*\]\(figures/{figure}\.png\)", report), figure


@pytest.mark.slow
@pytest.mark.parametrize("figure", ["figure5", *FIGURE_NAMES])
def test_smoke_every_figure_has_a_caption(smoke_run, figure):
    directory, _, _ = smoke_run
    caption = (directory / "results" / "report" / "captions" / f"{figure}.html").read_text()
    assert caption.startswith("<p>") and re.search(r"The paper's|Beyond the paper", caption), caption


@pytest.mark.slow
def test_smoke_html_report_opens_in_a_browser(smoke_run, browser_page, tmp_path):
    """`snakemake --report` on the smoke run, opened in headless Chromium at 1280 px: no JavaScript error; the front
    page says what ran, what is unavailable and the claims; the categories and their results in the paper's order
    with their titles; every figure's image loaded and its own caption behind its info button; Table 1 shown; no
    text past the window's edge. Screenshots land in the test's temporary folder."""
    from playwright.sync_api import expect

    directory, _, _ = smoke_run
    page_file = directory / "results" / "report.html"
    code, output = snakemake("--configfile", SMOKE_CONFIG, "--report", page_file, directory=directory)
    assert code == 0, output[-3000:]
    results = {}  # category -> [(name, labels)], in the report's order
    for name in report_titles():
        results.setdefault(report_category(name), []).append((name, report_labels(name)))
    page, overflowing = browser_page.page, {}
    page.goto(page_file.as_uri())
    for heading in ["LassoNet replication", "What ran", "Not available here", "The paper's claims"]:
        page.get_by_text(heading).first.wait_for()
    assert "ISOLET" in page.content() and "Activity" in page.content()
    title = page.get_by_role("heading", name="LassoNet replication").bounding_box()
    assert title["y"] >= 0, f"the front page's title is above the window, out of reach: {title}"
    overflowing["front page"] = browser_page.overflowing()
    menu = [link for link in page.get_by_role("link").all_inner_texts() if link in results]
    assert menu[: len(results)] == sorted(results) == list(results)  # the menu, in the paper's order
    for category, entries in results.items():
        show_category(page, category)
        expect(page.locator("tbody tr td:nth-child(1)")).to_have_text([e["No."] for _, e in entries])
        expect(page.locator("tbody tr td:nth-child(2)")).to_have_text([e["Result"] for _, e in entries])
        for name, labels in entries:
            if (directory / "results" / "figures" / f"{name}.png").is_file():
                check_figure(page, category, labels["Result"], f"results/figures/{name}.png")
                overflowing[name] = browser_page.overflowing()
            if caption_start(directory, name):
                show_result(page, category, labels["Result"], button="information-circle")
                page.get_by_text(caption_start(directory, name)).first.wait_for()  # its own caption
        page.screenshot(path=tmp_path / f"{category}.png")
    show_result(page, report_category("table1"), report_labels("table1")["Result"])
    table = page.frame_locator("iframe")
    table.get_by_text("Table 1: test accuracy").wait_for()
    overflowing["table1"] = browser_page.overflowing() + table.locator("html").evaluate(
        "html => html.scrollWidth > html.clientWidth + 1 ? ['the table page is wider than its frame'] : []")
    page.screenshot(path=tmp_path / "table1.png")
    assert not browser_page.errors, browser_page.errors
    assert not any(overflowing.values()), {view: found for view, found in overflowing.items() if found}
    PICTURES["front_page_picture"](page_file, tmp_path / "front-page.png", page)  # docs/pictures.py's picture of it
    assert (tmp_path / "front-page.png").stat().st_size > 10_000


def check_figure(page, category, title, path):
    """Show the figure of row `title` and wait until its image (the report's copy of `path`) is decoded."""
    show_result(page, category, title)
    page.wait_for_function(
        "uri => [...document.images].some(i => i.src === uri && i.complete && i.naturalWidth > 0)",
        arg=page.evaluate("path => results[path].data_uri", path),
    )


def caption_start(directory, name):
    """The first words of result `name`'s caption as the page shows them: its second paragraph (the first of a
    figure's repeats its title), or its only one; None for a result whose caption is static text."""
    fragment = directory / "results" / "report" / "captions" / f"{name}.html"
    if not fragment.is_file():
        return None
    paragraphs = [" ".join(re.sub(r"<[^>]+>", "", html.unescape(p)).split())
                  for p in re.findall(r"<p>(.*?)</p>", fragment.read_text(), re.S)]
    return paragraphs[min(1, len(paragraphs) - 1)][:50]


def show_category(page, category):
    """List the results of `category` from the report's menu (its first link of that name; the front page's is below)."""
    page.evaluate("app.setView({navbarMode: 'menu'})")  # what the breadcrumbs' home button does
    page.get_by_role("link", name=category, exact=True).first.click()


def show_result(page, category, title, button="eye"):
    """Press `button` (eye: view, information-circle: caption) on the row titled `title` of `category`."""
    show_category(page, category)
    page.locator("tr", has_text=title).locator(f"a[iconname='{button}']").click()


@pytest.mark.slow
def test_smoke_runs_table_is_tidy(smoke_run):
    directory, _, _ = smoke_run
    runs = pd.read_csv(directory / "results" / "runs.csv")
    keys = ["dataset", "method", "k", "seed", "learner"]
    assert not runs.duplicated(keys).any()
    assert runs["accuracy"].between(0, 1).all()
    for column in ["git_commit", "torch_version", "evaluate_wall_s", "evaluate_max_rss_mb", "dataset_n_samples"]:
        assert runs[column].notna().all(), column
    selected = runs[runs["method"] != "all"]
    assert selected["select_wall_s"].notna().all()
    assert (runs["dataset_n_samples"] <= 300).all()


@pytest.mark.slow
def test_smoke_reruns_exactly_what_changed(smoke_run):
    directory, _, _ = smoke_run
    common = ["-n", "--cores", 2, "--configfile", SMOKE_CONFIG]  # a second --configfile flag would replace it
    runs = pd.read_csv(directory / "results" / "runs.csv")

    # Finished: nothing to do.
    code, output = snakemake(*common, directory=directory)
    assert code == 0 and "Nothing to be done" in output, output

    # A config change reruns exactly the jobs it touches: the ExtraTrees runs and what is drawn from runs.csv.
    overlay = directory / "more-trees.yaml"
    overlay.write_text("learner_params:\n  extra_trees:\n    n_estimators: 11\n")
    code, output = snakemake(*common, overlay, directory=directory)
    assert code == 0, output
    drawn_from_runs = {"collect_runs": 1, "render_tables": 2, "plot_figure5": 1, "plot_critical_difference": 1,
                       "write_report": 1, "table_page": 2, "replication_report_page": 1, "figure_captions": 1,
                       "runtime_summary": 1, "all": 1}
    expected = {"evaluate": int((runs["learner"] == "extra_trees").sum()), **drawn_from_runs}
    assert job_counts(output) == expected, output[-3000:]

    # An interrupted run (two runs and everything after them missing) redoes those alone; finished jobs are kept.
    lost = sorted((directory / "results" / "runs").rglob("*.csv"))[:2] + [directory / "results" / "runs.csv"]
    for path in lost:
        path.unlink()
    code, output = snakemake(*common, directory=directory)
    assert code == 0, output
    assert job_counts(output) == {"evaluate": 2, **drawn_from_runs}, output[-3000:]


@pytest.mark.slow
def test_smoke_failed_job_leaves_no_finished_looking_output(smoke_run):
    directory, _, _ = smoke_run
    run_file = sorted((directory / "results" / "runs").rglob("*.csv"))[-1]
    original = run_file.read_text()
    frame = pd.read_csv(run_file)
    frame["accuracy"] = 1.7
    frame.to_csv(run_file, index=False)
    try:
        code, output = snakemake(
            "--cores", 1, "--configfile", SMOKE_CONFIG, "--forcerun", "collect_runs", "results/runs.csv",
            directory=directory,
        )
        assert code != 0
        assert not (directory / "results" / "runs.csv").exists()
        log = (directory / "logs" / "collect_runs.log").read_text()
        assert "1.7" in log and "accuracy" in log, log
        assert not list((directory / "results").glob(".runs.csv.*")), "a temporary file was left behind"
    finally:
        run_file.write_text(original)
