"""rule figure6_compute: MNIST -> unsupervised LassoNet at about 50 pixels, reconstructions of test images."""

import logging

from lassonet_bench.datasets import load_dataset, load_split
from lassonet_bench.figures.common import path_settings, write_csv, write_npz
from lassonet_bench.figures.unsupervised import compute_figure6
from lassonet_bench.devices import torch_threads

logging.basicConfig(filename=snakemake.log[0], level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
options = snakemake.params.options
dataset = load_dataset(snakemake.input.dataset)
with torch_threads(snakemake.threads):
    tables = compute_figure6(
        dataset.X, dataset.y, load_split(snakemake.input.split), int(options["n_features"]),
        int(options["n_per_digit"]), options["hidden_dims"], path_settings(options["path"], "figure6.path"),
        max_train_rows=options["max_train_rows"], seed=int(options["seed"]), device=snakemake.params.device,
    )
write_csv(tables["path"], snakemake.output.path)
write_npz(snakemake.output.images, **tables["images"])
logging.info("path:\n%s", tables["path"].to_string())
