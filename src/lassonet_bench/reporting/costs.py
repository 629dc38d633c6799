"""What a run cost: the Snakemake benchmark files of its jobs (wall time, CPU time, peak memory), per job and
summed per rule (stage and method or learner)."""

from pathlib import Path

import pandas as pd



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

