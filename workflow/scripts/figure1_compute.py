"""rule figure1_compute: the supervised LassoNet path of Figure 1 as tidy tables."""

import logging

from lassonet_bench.datasets import load_dataset, load_split
from lassonet_bench.figures.common import path_settings, write_csv
from lassonet_bench.figures.supervised_paths import compute_figure1
from lassonet_bench.devices import torch_threads

logging.basicConfig(filename=snakemake.log[0], level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
options = snakemake.params.options
dataset = load_dataset(snakemake.input.dataset)
split = load_split(snakemake.input.split)
settings = path_settings(options["path"], "figure1.path")
with torch_threads(snakemake.threads):
    tables = compute_figure1(dataset.X, dataset.y, split, options["hidden_dims"], settings, seed=int(options["seed"]),
                             device=snakemake.params.device)
write_csv(tables["path"], snakemake.output.path)
logging.info("path:\n%s", tables["path"].to_string())
