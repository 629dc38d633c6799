"""The Snakemake workflow before it runs: lint and format, light imports at parse time, config validation that
names the key at fault, a new figure from its own module, and dry runs of the full replication. No data needed."""

import os
import re
import subprocess
import sys

import pytest

from lassonet_bench.experiments.settings import FIGURE_NAMES
from workflow_helpers import REPO, SMOKE_CONFIG, SNAKEFILE, job_counts, snakemake


def test_lint_reports_nothing(tmp_path):
    code, output = snakemake("--lint", directory=tmp_path)
    assert code == 0, output
    assert "Lints for" not in output, output


def test_parsing_the_workflow_imports_no_plotting_library(tmp_path):
    """A cluster job parses the workflow again: the rule files' imports stay light (no matplotlib, no seaborn)."""
    code = ("import atexit, sys\n"
            "atexit.register(lambda: print('PLOTTING', sorted(m for m in ('matplotlib', 'seaborn') if m in sys.modules)))\n"
            "from snakemake.cli import main\n"
            "main()\n")
    result = subprocess.run([sys.executable, "-c", code, "-s", str(SNAKEFILE), "--directory", str(tmp_path),
                             "--list-rules"], capture_output=True, text=True, timeout=300)
    assert "PLOTTING []" in result.stdout, result.stdout[-3000:] + result.stderr[-3000:]


def test_rule_files_are_formatted_with_snakefmt():
    files = [SNAKEFILE, *sorted((REPO / "workflow" / "rules").glob("*.smk"))]
    result = subprocess.run(
        [sys.executable, "-m", "snakefmt", "--check", *map(str, files)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        (["--config", "sedds=3"], r"'sedds' was unexpected"),
        (["--config", "n_seeds=five"], r"'five' is not of type 'integer'[\s\S]*n_seeds"),
        (["--config", "preset=fast"], r"'fast' is not one of \['full', 'quick'\]"),
        (["--config", "learners=[decoder,svm]"], r"'svm' is not one of"),
        (["--config", "n_features_to_select=100"], r"n_features_to_select asks for k = 100 .* data set 'mice' declares 77"),
    ],
)
def test_config_errors_stop_at_once_naming_the_key(tmp_path, overrides, expected):
    code, output = snakemake("-n", *overrides, directory=tmp_path, timeout=120)
    assert code != 0
    assert re.search(expected, output), output
    assert "Select jobs to execute" not in output and "Finished job" not in output, output


@pytest.mark.parametrize(
    ("overlay", "expected"),
    [
        ("data:\n  max_samples: 1\n", r"config key data\.max_samples = 1 does not fit data set 'mice'"),
        ("method_params:\n  pfa:\n    n_component: 0.5\n", r"config key method_params\.pfa holds \['n_component'\]"),
        ("figures:\n  figure4:\n    pathh: {M: 5}\n", r"figures\.figure4: unknown key\(s\) \['pathh'\]"),
        ("figures:\n  draw: [figure3]\n", r"figures\.draw: unknown figure\(s\) \['figure3'\]"),
        ("figures:\n  figure3: {seed: 1}\n", r"figures: unknown key\(s\) \['figure3'\]"),
    ],
)
def test_a_config_file_that_does_not_fit_stops_at_once_naming_the_key(tmp_path, overlay, expected):
    """A configuration file whose subsample cannot hold the classes, or with a misspelt method or figure setting."""
    path = tmp_path / "overlay.yaml"
    path.write_text(overlay)
    code, output = snakemake("-n", "--configfile", path, directory=tmp_path, timeout=120)
    assert code != 0
    assert re.search(expected, output), output
    assert "Select jobs to execute" not in output, output


TOY_FIGURE = """
import pandas as pd

from lassonet_bench.experiments.registry import Figure, register


def compute(figure, options, data, device):
    return {"rows": pd.DataFrame({"n_rows": [len(data.split[part]) for part in ("train", "val", "test")]})}


def plot(rows):
    import matplotlib.pyplot as plt

    figure, ax = plt.subplots()
    ax.bar(range(len(rows)), rows["n_rows"])
    return figure


register(Figure(name="toy", title="A toy figure", description="The split's sizes.", tables={"rows": "csv"},
                compute="toy_figure:compute", plot="toy_figure:plot", defaults={"dataset": "mice", "seed": 0}))
"""


def test_a_new_figure_is_its_module_and_one_registration(tmp_path):
    """A figure registered from its own module (nothing else edited) gets a compute job on its data and a plot job,
    in the smoke configuration's dry run, and the report waits for both."""
    (tmp_path / "toy_figure.py").write_text(TOY_FIGURE)
    run = "import sys, toy_figure; from snakemake.cli import main; sys.argv[0] = 'snakemake'; main()"
    command = [sys.executable, "-c", run, "-s", str(SNAKEFILE), "--directory", str(tmp_path), "-n", "--cores", "1",
               "--configfile", str(SMOKE_CONFIG)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")])}
    result = subprocess.run(command, capture_output=True, text=True, timeout=180, cwd=tmp_path, env=env)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    counts = job_counts(output)
    assert counts["figure_compute"] == counts["plot_figure"] == len(FIGURE_NAMES) + 1, counts
    compute = re.search(r"rule figure_compute:\n    input: results/data/mice\.npz, results/data/mice/split-0\.npz\n"
                        r"    output: results/figures/data/toy\n", output)
    assert compute, output
    assert re.search(r"rule plot_figure:\n    input: results/figures/data/toy\n"
                     r"    output: results/figures/toy\.png, results/figures/toy\.pdf", output), output
    assert re.search(r"rule write_report:\n    input: [^\n]*results/figures/toy\.png", output), output


@pytest.mark.parametrize("preset", ["full", "quick"])
def test_full_configuration_dry_run(tmp_path, preset):
    code, output = snakemake("-n", "--cores", 2, "--config", f"preset={preset}", directory=tmp_path, timeout=180)
    assert code == 0, output
    counts = job_counts(output)
    # The DAG opens with one fetch checkpoint per data set (Tables 1-2, the extra row, Figure 5's fallback, Boston).
    assert counts.get("fetch_dataset") == 8, output
    for rule in ["collect_runs", "render_tables", "plot_figure5", "write_report"]:
        assert rule in counts, output
