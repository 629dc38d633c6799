"""rule figure2_compute: the supervised LassoNet path of Figure 2 as tidy tables."""

import logging

from lassonet_bench.datasets import load_dataset, load_split
from lassonet_bench.figures.common import path_settings, write_csv, write_npz
from lassonet_bench.figures.supervised_paths import compute_figure2
from lassonet_bench.devices import torch_threads

logging.basicConfig(filename=snakemake.log[0], level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
options = snakemake.params.options
dataset = load_dataset(snakemake.input.dataset)
split = load_split(snakemake.input.split)
settings = path_settings(options["path"], "figure2.path")
with torch_threads(snakemake.threads):
    tables = compute_figure2(dataset.X, dataset.y, split, [int(d) for d in options["digits"]],
                             [int(k) for k in options["pixel_levels"]], options["hidden_dims"], settings,
                             seed=int(options["seed"]), device=snakemake.params.device)
write_csv(tables["path"], snakemake.output.path)
write_npz(snakemake.output.pixels, **tables["pixels"])
logging.info("path:\n%s", tables["path"].to_string())
