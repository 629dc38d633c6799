"""What a run cost: the Snakemake benchmark files of its jobs (wall time, CPU time, peak memory), per job and
summed per rule (stage and method or learner)."""

from pathlib import Path

import pandas as pd

from lassonet_bench.reporting.results import METHOD_TITLES



# Snakemake benchmark column -> our column suffix.
BENCHMARK_COLUMNS = {"s": "wall_s", "max_rss": "max_rss_mb", "cpu_time": "cpu_s"}



def benchmark_figures(path, stage):
    """{stage_wall_s, stage_max_rss_mb, stage_cpu_s} from one Snakemake benchmark file."""
    table = pd.read_csv(path, sep="\t")
    if table.empty:
        raise ValueError(f"benchmark file {path} holds no measurement")
    row = table.iloc[-1]
    figures = {}
    for column, suffix in BENCHMARK_COLUMNS.items():
        value = pd.to_numeric(row.get(column), errors="coerce")
        if not pd.isna(value):
            figures[f"{stage}_{suffix}"] = float(value)
    return figures



def benchmark_stage(relative):
    """The stage a benchmark file (path under benchmarks/) belongs to: 'select <method>', 'evaluate <learner>', or
    its top folder (data, figures)."""
    parts = relative.parts
    if parts[0] == "select" and len(parts) > 2:
        return f"select {parts[2]}"
    if parts[0] == "evaluate":
        return f"evaluate {relative.stem}"
    return parts[0]



def benchmark_summary(results_dirs):
    """Wall time, CPU time and peak memory per rule (stage and method or learner) and in total."""
    rows = []
    for results in results_dirs:
        root = Path(results) / "benchmarks"
        for path in sorted(root.rglob("*.tsv")):
            figures = benchmark_figures(path, "job")
            rows.append(dict(rule=benchmark_stage(path.relative_to(root)), **figures))
    table = pd.DataFrame(rows).groupby("rule").agg(
        jobs=("job_wall_s", "size"), wall_h=("job_wall_s", "sum"), cpu_h=("job_cpu_s", "sum"),
        peak_rss_mb=("job_max_rss_mb", "max"),
    )
    table[["wall_h", "cpu_h"]] /= 3600
    table.loc["total"] = [table["jobs"].sum(), table["wall_h"].sum(), table["cpu_h"].sum(), table["peak_rss_mb"].max()]
    return table.reset_index().round({"wall_h": 3, "cpu_h": 3, "peak_rss_mb": 0})



COST_HEADING = "Cost beside quality"


def method_costs(runs, datasets, k):
    """Per selection method on the paper's data sets at k: mean test accuracy (both learners), the CPU seconds and
    peak memory of its selection jobs (one job serves both learners), and the learners' CPU seconds."""
    runs = runs[runs["dataset"].isin(datasets) & ((runs["k"] == k) | (runs["method"] == "all"))]
    jobs = runs.drop_duplicates(["dataset", "method", "seed"])
    selection = jobs.groupby("method").agg(jobs=("seed", "size"), select_cpu_s=("select_cpu_s", "sum"),
                                           median_select_cpu_s=("select_cpu_s", "median"),
                                           peak_select_mb=("select_max_rss_mb", "max"))
    quality = runs.groupby("method").agg(mean_accuracy=("accuracy", "mean"), evaluate_cpu_s=("evaluate_cpu_s", "sum"))
    return quality.join(selection).sort_values("mean_accuracy", ascending=False)


def machines(runs):
    """The platforms that made the runs, sorted (none where the runs do not say)."""
    return sorted(runs["platform"].dropna().astype(str).unique()) if "platform" in runs else []


def has_job_figures(runs):
    """Whether the runs carry their jobs' benchmark figures: the record's export adds them, the workflow's own
    runs.csv has none."""
    return {"select_cpu_s", "select_max_rss_mb", "evaluate_cpu_s", "platform"} <= set(runs.columns)


def cost_lines(runs, datasets, k, titles, figure_path=None):
    """The report's section: each method's accuracy beside what its jobs cost, with the machines that ran them, and
    the figure of it (`figure_path`, relative to the report; plots.costs draws it)."""
    if not has_job_figures(runs):
        return ["", f"## {COST_HEADING}", "", "The record's export adds each job's benchmark figures "
                "(`python -m lassonet_bench.record export`); these runs carry none."]
    table = method_costs(runs, datasets, k)
    platforms = ", ".join(machines(runs))
    lines = ["", f"## {COST_HEADING}", "",
             f"The paper's data sets here ({', '.join(titles.get(d, d) for d in datasets)}), k = {k}: mean test "
             "accuracy over every run of both learners; the selection jobs' CPU time (Snakemake's benchmark files: "
             "one job per data set and seed serves both learners) and peak resident memory; the learners' CPU "
             f"time. Machines: {platforms or 'not recorded'}.", "",
             "| Method | Mean accuracy | Selection jobs | CPU h (all) | CPU s (median job) | Peak MB | Learners' CPU h |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for method, row in table.iterrows():
        jobs = "–" if method == "all" else f"{int(row.jobs)}"
        cpu_h = "–" if method == "all" else f"{row.select_cpu_s / 3600:.2f}"
        median = "–" if method == "all" else f"{row.median_select_cpu_s:.0f}"
        peak = "–" if method == "all" or pd.isna(row.peak_select_mb) else f"{row.peak_select_mb:.0f}"
        lines.append(f"| {METHOD_TITLES[method]} | {row.mean_accuracy:.3f} | {jobs} | {cpu_h} | {median} | {peak} | "
                     f"{row.evaluate_cpu_s / 3600:.2f} |")
    if figure_path is not None:
        lines += ["", f"![Cost beside quality]({figure_path})"]
    return lines


STAGE_COST_HEADING = "Cost by stage"


def stage_costs(benchmarks, figures=None):
    """Wall time, CPU time and peak memory of every stage of the record's jobs, the most costly first.
    `benchmarks`: benchmark_summary's table (the record's benchmarks.csv); `figures`: the figures' compute jobs
    (figures.csv: figure, compute_wall_s, compute_max_rss_mb, compute_cpu_s), one row each where measured."""
    rows = benchmarks[benchmarks["rule"] != "total"].to_dict("records")
    measured = ["compute_wall_s", "compute_cpu_s", "compute_max_rss_mb"]
    if figures is not None and set(measured) <= set(figures.columns):  # a figure made without a benchmark: none
        figures = figures.dropna(subset=measured)
        rows += [{"rule": f"compute {f.figure}", "jobs": 1, "wall_h": f.compute_wall_s / 3600,
                  "cpu_h": f.compute_cpu_s / 3600, "peak_rss_mb": f.compute_max_rss_mb} for f in figures.itertuples()]
    return pd.DataFrame(rows).sort_values("cpu_h", ascending=False)


def cost_status_line(table, platforms):
    """The status summary's line on what the record cost: stage_costs' totals and the machines."""
    return (f"The record's {int(table['jobs'].sum())} jobs took {table['cpu_h'].sum():.1f} CPU h and "
            f"{table['wall_h'].sum():.1f} h of wall time (summed over jobs), at most {table['peak_rss_mb'].max():.0f} MB "
            f"of memory in one job, on {', '.join(platforms) or 'machines not recorded'}; per stage and method: the "
            f"report's \"{STAGE_COST_HEADING}\" and \"{COST_HEADING}\".")


def stage_cost_lines(benchmarks, figures=None):
    """The record report's section: wall time, CPU time and peak memory of every stage of the record's jobs (the
    arguments are stage_costs')."""
    table = stage_costs(benchmarks, figures)
    lines = ["", f"## {STAGE_COST_HEADING}", "",
             "Every job of the record, summed per stage (selection by method, evaluation by learner, each figure's "
             "compute job), from Snakemake's benchmark files; peak memory is the largest of one job's.", "",
             "| Stage | Jobs | Wall h | CPU h | Peak MB |", "|---|---:|---:|---:|---:|"]
    lines += [f"| {r.rule} | {int(r.jobs)} | {r.wall_h:.2f} | {r.cpu_h:.2f} | {r.peak_rss_mb:.0f} |"
              for r in table.itertuples()]
    lines.append(f"| **total** | {int(table['jobs'].sum())} | {table['wall_h'].sum():.2f} | "
                 f"{table['cpu_h'].sum():.2f} | {table['peak_rss_mb'].max():.0f} |")
    return lines
