"""rule survival_compute (beyond the paper): Cox LassoNet, Lasso-Cox and the official LassoNetCoxRegressor on a
survival data set shipped with scikit-survival -> the path and curve tables as tidy CSVs."""

import logging

from lassonet_bench.devices import torch_threads
from lassonet_bench.figures.common import write_csv
from lassonet_bench.figures.survival import compute_survival_comparison, load_survival_dataset, survival_summary

logging.basicConfig(filename=snakemake.log[0], level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
options = snakemake.params.options
X, y, _ = load_survival_dataset(options["dataset"])
logging.info("%s: %d rows, %d features, %d events", options["dataset"], *X.shape, int(y[:, 1].sum()))
with torch_threads(snakemake.threads):
    tables = compute_survival_comparison(
        X, y, options["seeds"], options["methods"], options["lassonet"], options["lasso_cox"],
        options["n_features_grid"], device="cpu",
    )
write_csv(tables["path"], snakemake.output.path)
write_csv(tables["curve"], snakemake.output.curve)
logging.info("test C-index by method and k:\n%s", survival_summary(tables["curve"]).to_string(index=False))
