"""rule figure_compute: one figure's tidy tables, by its declared compute function (lassonet_bench.experiments.registry)."""

import logging

import pandas as pd

from lassonet_bench.datasets import load_dataset, load_split
from lassonet_bench.core.devices import torch_threads
from lassonet_bench.experiments.common import write_tables
from lassonet_bench.experiments.registry import FigureData, figure, resolve, table_paths
from lassonet_bench.logs import log_to

log_to(snakemake.log[0])
declared = figure(snakemake.wildcards.figure)
inputs = snakemake.input
data = FigureData(
    dataset=load_dataset(inputs.dataset) if "dataset" in inputs.keys() else None,
    split=load_split(inputs.split) if "split" in inputs.keys() else None,
)
device = snakemake.params.device if declared.gpu else "cpu"
with torch_threads(snakemake.threads):
    tables = resolve(declared.compute)(declared, snakemake.params.options, data, device)
write_tables(tables, table_paths(declared.name, snakemake.output.tables))
for role, table in tables.items():
    if isinstance(table, pd.DataFrame):
        logging.info("%s:\n%s", role, table.to_string())
