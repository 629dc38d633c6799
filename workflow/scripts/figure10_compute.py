"""rule figure10_compute: Mice Protein as a matrix -> LassoNet (Algorithm 5) and Soft-Impute test MSEs."""

import logging

from lassonet_bench.datasets import load_dataset
from lassonet_bench.figures.common import write_csv
from lassonet_bench.figures.imputation import completion_settings, compute_figure10
from lassonet_bench.devices import torch_threads

logging.basicConfig(filename=snakemake.log[0], level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
options = snakemake.params.options
matrix = load_dataset(snakemake.input.dataset).X  # the labels are not used: a matrix to complete
with torch_threads(snakemake.threads):
    tables = compute_figure10(
        matrix, int(options["n_trials"]), [int(k) for k in options["n_selected_grid"]],
        completion_settings(options["network"]), seed=int(options["seed"]), device=snakemake.params.device,
    )
write_csv(tables["trials"], snakemake.output.trials)
write_csv(tables["selection"], snakemake.output.selection)
logging.info("test MSE by method:\n%s", tables["trials"].groupby("method")["test_mse"].describe().to_string())
