"""Concatenate the one-row run CSVs into results/runs.csv, with the Snakemake benchmark figures of each run's
selection and evaluation jobs, and check every row against workflow/schemas/runs.schema.yaml (completed from the
registries)."""

import logging

import pandas as pd
from snakemake.utils import validate

from lassonet_bench.io import atomic_path
from lassonet_bench.logs import log_to
from lassonet_bench.record import run_row
from lassonet_bench.schemas import runs_schema, schema_file

log_to(snakemake.log[0])

rows = [
    run_row(entry["run"], entry["evaluate_benchmark"], entry["select_benchmark"])
    for entry in snakemake.params.table
]
runs = pd.DataFrame(rows)
with schema_file(runs_schema(snakemake.params.schema)) as schema:
    validate(runs, schema, set_default=False)
with atomic_path(snakemake.output.runs) as tmp:
    runs.to_csv(tmp, index=False)
logging.info("%d runs written to %s", len(runs), snakemake.output.runs)
