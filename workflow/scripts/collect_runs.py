"""Concatenate the one-row run CSVs into results/runs.csv, with the Snakemake benchmark figures of each run's
selection and evaluation jobs, and check every row against workflow/schemas/runs.schema.yaml."""

import sys

import pandas as pd
from snakemake.utils import validate

from lassonet_bench.io import atomic_path

sys.stderr = sys.stdout = open(snakemake.log[0], "w", buffering=1)

# Snakemake benchmark column -> our column suffix.
BENCHMARK_COLUMNS = {"s": "wall_s", "max_rss": "max_rss_mb", "cpu_time": "cpu_s"}


def benchmark_figures(path, stage):
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


rows = []
for entry in snakemake.params.table:
    run = pd.read_csv(entry["run"])
    if len(run) != 1:
        raise ValueError(f"run file {entry['run']} must hold exactly one row, has {len(run)}")
    record = run.iloc[0].to_dict()
    record.update(benchmark_figures(entry["evaluate_benchmark"], "evaluate"))
    if entry["select_benchmark"] is not None:
        record.update(benchmark_figures(entry["select_benchmark"], "select"))
    rows.append(record)
runs = pd.DataFrame(rows)
validate(runs, snakemake.params.schema, set_default=False)
with atomic_path(snakemake.output.runs) as tmp:
    runs.to_csv(tmp, index=False)
print(f"{len(runs)} runs written to {snakemake.output.runs}")
