"""rule conv_filters_compute: convolutional LassoNet, the plain CNN and magnitude pruning on MNIST as tidy tables."""

import logging

from lassonet_bench.datasets import load_dataset, load_split
from lassonet_bench.devices import torch_threads
from lassonet_bench.figures.common import path_settings, write_csv, write_npz
from lassonet_bench.figures.conv_filters import compute_conv_filters

logging.basicConfig(filename=snakemake.log[0], level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
options = snakemake.params.options
dataset = load_dataset(snakemake.input.dataset)
split = load_split(snakemake.input.split)
settings = path_settings(options["path"], "conv_filters.path")
with torch_threads(snakemake.threads):
    tables = compute_conv_filters(
        dataset.X, dataset.y, split, [int(s) for s in options["image_shape"]], int(options["n_filters"]),
        int(options["kernel_size"]), int(options["hidden_width"]), [int(k) for k in options["filter_levels"]],
        settings, int(options["baseline_epochs"]), int(options["baseline_patience"]),
        int(options["fine_tune_epochs"]), seed=int(options["seed"]), device=snakemake.params.device,
    )
write_csv(tables["accuracy"], snakemake.output.accuracy)
write_npz(snakemake.output.filters, **tables["filters"])
logging.info("accuracy:\n%s", tables["accuracy"].to_string())
