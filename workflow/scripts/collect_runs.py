"""Concatenate the one-row run CSVs into results/runs.csv, with the Snakemake benchmark figures of each run's
selection and evaluation jobs, and check every row against workflow/schemas/runs.schema.yaml."""

import sys

import pandas as pd
from snakemake.utils import validate

from lassonet_bench.io import atomic_path
from lassonet_bench.record import run_row

sys.stderr = sys.stdout = open(snakemake.log[0], "w", buffering=1)

rows = [
    run_row(entry["run"], entry["evaluate_benchmark"], entry["select_benchmark"])
    for entry in snakemake.params.table
]
runs = pd.DataFrame(rows)
validate(runs, snakemake.params.schema, set_default=False)
with atomic_path(snakemake.output.runs) as tmp:
    runs.to_csv(tmp, index=False)
print(f"{len(runs)} runs written to {snakemake.output.runs}")
