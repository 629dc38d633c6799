"""Drawing a record: Tables 1-2, Figure 5, the replication report and the README's status, from the record's files
alone (runs.csv, params.json, fetch/, experiments/, figures/); the same files give the same bytes."""

import json
import os
from pathlib import Path

import pandas as pd
import yaml

from lassonet_bench.plots import draw_figure
from lassonet_bench.plots.costs import plot_cost_quality
from lassonet_bench.plots.critical_difference import plot_critical_difference, plot_no_diagram
from lassonet_bench.reporting import costs
from lassonet_bench.reporting import report
from lassonet_bench.reporting import statistics
from lassonet_bench.reporting import misses
from lassonet_bench.reporting import results
from lassonet_bench.reporting import tables
from lassonet_bench.plots.figure5 import plot_figure5
from lassonet_bench.reporting.figures_section import figures_report_section
from lassonet_bench.reporting.captions import FIGURE5_TITLE
from lassonet_bench.plots.style import save_figure
from lassonet_bench.experiments.registry import FIGURES, table_paths
from lassonet_bench.io import atomic_path
from lassonet_bench.runs.provenance import git_commit


TABLE_FILES = ("md", "tex", "csv")



def render(record_dir, out_dir=None):
    """Tables 1-2, Figure 5, the other figures (from their tables), the report and the status summary from
    `record_dir`'s files, into `out_dir`."""
    record = Path(record_dir)
    out = Path(out_dir or record)
    (out / "tables").mkdir(parents=True, exist_ok=True)
    p = json.loads((record / "params.json").read_text())
    runs = pd.read_csv(record / "runs.csv")
    availability = results.read_availability(sorted((record / "fetch").glob("*/fetch.json")))
    for table_name, learner in p["table_learners"].items():
        if learner in p["learners"]:
            render_table(runs, p, learner, int(table_name.removeprefix("table")), availability,
                         {ext: out / "tables" / f"{table_name}.{ext}" for ext in TABLE_FILES})
    figure = render_figure5(runs, p, availability, out / "figure5.png", out / "figure5.pdf")
    for name, (_, figure_tables) in recorded_figures(record).items():  # each from its tables, in the one style
        (out / "figures").mkdir(exist_ok=True)
        draw_figure(name, figure_tables, out / "figures" / f"{name}.png", out / "figures" / f"{name}.pdf")
    diagram = render_critical_difference(runs, p, out / "critical_difference.png", out / "critical_difference.pdf")
    cost_figure = render_cost_figure(runs, p, out / "cost_quality.png", out / "cost_quality.pdf")
    experiments = read_experiments(record)
    text = render_report(runs, p, availability, out / "replication_report.md", figure, record, experiments,
                         critical_difference=diagram, cost_figure=cost_figure)
    with atomic_path(out / "replication_report.md") as tmp:
        tmp.write_text(text, encoding="utf-8")
    with atomic_path(out / "STATUS.md") as tmp:
        tmp.write_text(status_summary(runs, p, availability, experiments, _cost_line(record, runs)), encoding="utf-8")



def render_table(runs, p, learner, number, availability, paths):
    extra = p.get("extra_methods", [])
    columns = tables.table_methods(p["methods"], extra)
    table = tables.build_table(runs, learner, p["datasets"], columns, p["n_features_to_select"], availability,
                               p["titles"], p["extra_datasets"])
    caption = tables.table_caption(number, learner, p["n_features_to_select"], table, columns)
    tables.write_table(table, columns, caption, f"tab:table{number}", paths["md"], paths["tex"], paths["csv"],
                       extra_methods=extra)
    return table



def render_figure5(runs, p, availability, png, pdf):
    dataset, note = results.figure5_choice(p["figure5_candidates"], availability, p["titles"], with_reason=False)
    title = None if dataset is None else p["titles"][dataset]
    figure = plot_figure5(results.summarize(runs), dataset, p["figure5_methods"], p["learners"], title, note)
    save_figure(figure, png, pdf)
    return png



def benchmark_verdict(runs, p):
    """The Friedman and Nemenyi tests over every method of the tables, the paper's data sets' blocks (None: too few)."""
    paper_datasets = [d for d in p["datasets"] if d not in p["extra_datasets"]]
    selectors = tables.table_methods(p["methods"], p.get("extra_methods", []))
    return statistics.verdict(runs, paper_datasets, selectors, p["learners"], p["n_features_to_select"])


def render_critical_difference(runs, p, png, pdf):
    """The critical-difference diagram of the report's statistics section. With too few blocks for the tests, a
    figure that says so, and None (the report then links no diagram)."""
    result = benchmark_verdict(runs, p)
    if result is None:
        save_figure(plot_no_diagram(statistics.TOO_FEW_BLOCKS), png, pdf)
        return None
    save_figure(plot_critical_difference(result.mean_ranks, result.nemenyi_p, len(result.blocks)), png, pdf)
    return png


def render_cost_figure(runs, p, png, pdf):
    """The cost section's figure (each method's accuracy against its selection jobs' cost), or None where the runs
    carry no job figures."""
    if not costs.has_job_figures(runs):
        return None
    paper_datasets = [d for d in p["datasets"] if d not in p["extra_datasets"]]
    save_figure(plot_cost_quality(costs.method_costs(runs, paper_datasets, p["n_features_to_select"])), png, pdf)
    return png


def render_report(runs, p, availability, output, figure, record_dir=None, experiments=None,
                  critical_difference=None, figures=None, cost_figure=None):
    """The replication report's text; with a record folder, its figures (and the experiments on them) too, or the
    `figures` given (as figures_report_section takes them). `experiments`: the record's experiments on table cells
    (read_experiments); `critical_difference`: the statistics section's diagram (render_critical_difference);
    `cost_figure`: the cost section's (render_cost_figure)."""
    relative = (lambda path: None if path is None else Path(os.path.relpath(path, Path(output).parent)).as_posix())
    dataset, note = results.figure5_choice(p["figure5_candidates"], availability, p["titles"], with_reason=False)
    parameters = report.ReportParameters(
        p["table_learners"], p["datasets"], p["extra_datasets"], p["titles"], availability, p["methods"],
        p["learners"], p["n_features_to_select"], dataset, note, extra_methods=p.get("extra_methods", []),
        figure5_methods=tuple(p["figure5_methods"]),
        figure_path=relative(figure), confidence=p["confidence"], kind=p["interval"],
        critical_difference_path=relative(critical_difference), cost_figure_path=relative(cost_figure),
    )
    if figures is None:
        figures = {} if record_dir is None else recorded_figures(record_dir)
    text = report.replication_report(runs, results.load_published(), parameters, experiments,
                                     with_figure5=not figures)
    if not figures:
        return text
    figure5 = "\n".join(report.figure5_lines(parameters, f"### {FIGURE5_TITLE}", runs, experiments))
    if record_dir is None:  # the workflow's report: links from its folder, no figure experiments or stage costs
        return text.rstrip("\n") + "\n\n" + figures_report_section(figures, Path(output).parent, figure5=figure5)
    section = figures_report_section(figures, record_dir, experiments=figure_experiments(record_dir),
                                     figure5=figure5)  # links from the record
    return text.rstrip("\n") + "\n\n" + section + _stage_costs(Path(record_dir))


def _stage_costs(record):
    """The cost-by-stage section from the record's benchmarks.csv and figures.csv, or nothing without them."""
    if not (record / "benchmarks.csv").is_file():
        return ""
    return "\n".join(costs.stage_cost_lines(*_cost_tables(record))) + "\n"


def _cost_tables(record):
    """stage_costs' arguments from the record's benchmarks.csv and figures/figures.csv (None without it)."""
    figures = record / "figures" / "figures.csv"
    return pd.read_csv(record / "benchmarks.csv"), pd.read_csv(figures) if figures.is_file() else None



def recorded_figures(record_dir):
    """{figure: (PNG path, {role: table path})} of the record's figures (figures/figures.csv), in the report's order."""
    folder = Path(record_dir) / "figures"
    if not (folder / "figures.csv").exists():
        return {}
    listed = set(pd.read_csv(folder / "figures.csv")["figure"])
    return {name: ((folder / f"{name}.png").as_posix(), table_paths(name, (folder / "data" / name).as_posix()))
            for name in FIGURES if name in listed}



def figure_experiments(record_dir):
    """{figure: [(experiment.yaml's content, {role: table path})]} from experiments/figures/<figure>/<name>/."""
    found = {}
    for path in sorted((Path(record_dir) / "experiments" / "figures").glob("*/*/experiment.yaml")):
        experiment = yaml.safe_load(path.read_text(encoding="utf-8"))
        found.setdefault(experiment["figure"], []).append(
            (experiment, table_paths(experiment["figure"], path.parent.as_posix())))
    return found



def read_experiments(record_dir):
    """{experiment name: its results}, from `experiments/<name>-<data set>.csv` of the record (misses.EXPERIMENTS),
    or from the record's runs of the method an experiment names as `from_method`."""
    found = {}
    for name, spec in misses.EXPERIMENTS.items():
        rows = _method_runs(record_dir, spec["from_method"]) if "from_method" in spec else None
        if rows is not None and not rows.empty:
            rows.attrs["from_runs"] = True
            found[name] = rows
            continue  # else the experiment's own files, as a record made before the method was a row has them
        paths = sorted((Path(record_dir) / "experiments").glob(f"{name}-*.csv"))
        if paths:
            found[name] = pd.concat([pd.read_csv(path) for path in paths], ignore_index=True)
    return found


def _method_runs(record_dir, method):
    """The record's runs of `method` at the tables' k (Figure 5's grid apart), or None without runs."""
    runs_path, params_path = Path(record_dir) / "runs.csv", Path(record_dir) / "params.json"
    if not runs_path.exists() or not params_path.exists():
        return None
    k = str(json.loads(params_path.read_text(encoding="utf-8"))["n_features_to_select"])
    runs = pd.read_csv(runs_path, usecols=["dataset", "method", "learner", "seed", "accuracy", "k"])
    return runs[(runs["method"] == method) & (runs["k"].astype(str) == k)].reset_index(drop=True)



def write_experiment(rows, path, quiet=False):
    """Write an experiment's results (a tidy table, one row per run) atomically, and print its mean per cell. Rows
    without a `git_commit` get this checkout's: every experiment names the commit that made it."""
    rows = pd.DataFrame(rows)
    if "git_commit" not in rows:
        rows["git_commit"] = git_commit()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        rows.to_csv(tmp, index=False)
    if not quiet:
        summary = rows.groupby(["method", "learner"])["accuracy"].agg(["mean", "std", "count"])
        print(summary.to_string(float_format="%.4f"))
        print(f"wrote {path} ({len(rows)} rows)")



def status_summary(runs, p, availability, experiments=None, cost_line=None):
    """A few lines for the README: cells compared, inside and outside the interval, the biggest misses, what the
    record's experiments (read_experiments) say of the misses, and `cost_line` (_cost_line) where given."""
    comparison = results.comparison(runs, results.load_published(), p["datasets"], p["titles"], availability,
                                   p["n_features_to_select"], confidence=p["confidence"], kind=p["interval"])
    lines = misses.experiment_status_lines(comparison, experiments or {}, p["confidence"], p["interval"])
    if cost_line:
        lines = [*lines, "", cost_line]
    return report.status_text(comparison, p["confidence"], p.get("n_seeds"), experiment_lines=lines)


def _cost_line(record, runs):
    """The status summary's cost line, or None for a record without benchmarks.csv."""
    if not (record / "benchmarks.csv").is_file():
        return None
    return costs.cost_status_line(costs.stage_costs(*_cost_tables(record)), costs.machines(runs))



README_START = "<!-- replication status: generated by `python -m lassonet_bench.record readme` -->"



README_END = "<!-- end of the replication status -->"



def readme_with_status(readme_text, status):
    """The README with its status block replaced by `status` (the record's STATUS.md)."""
    try:
        head, rest = readme_text.split(README_START, 1)
        _, tail = rest.split(README_END, 1)
    except ValueError:
        raise ValueError(f"the README lacks the status markers {README_START!r} ... {README_END!r}") from None
    return f"{head}{README_START}\n{status}{README_END}{tail}"

