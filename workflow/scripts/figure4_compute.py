"""rule figure4_compute: Boston + noise -> the dense->sparse, sparse->dense and Lasso paths as tidy CSVs."""

import logging

from lassonet_bench.datasets import load_dataset, load_split
from lassonet_bench.figures.common import path_settings, write_csv
from lassonet_bench.figures.path_figures import compute_figure4, selected_at
from lassonet_bench.devices import torch_threads

logging.basicConfig(filename=snakemake.log[0], level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
options = snakemake.params.options
dataset = load_dataset(snakemake.input.dataset)
n_true = int(dataset.meta["n_true_features"])
with torch_threads(snakemake.threads):
    tables = compute_figure4(
        dataset.X, dataset.y, load_split(snakemake.input.split), dataset.feature_names, n_true,
        options["hidden_dims"], path_settings(options["path"], "figure4.path"), seed=options["seed"],
        device=snakemake.params.device,
    )
write_csv(tables["coefficients"], snakemake.output.coefficients)
write_csv(tables["errors"], snakemake.output.errors)
at_true_size = selected_at(tables["coefficients"], n_true)
logging.info("first step with <= %d features: %d true, %d noise", n_true, (~at_true_size["is_noise"]).sum(),
             at_true_size["is_noise"].sum())
