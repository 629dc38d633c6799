"""rule figure_digit_compute (Figures 7-9): one digit's MNIST images -> the pixels kept at three levels."""

import logging

from lassonet_bench.datasets import load_dataset, load_split
from lassonet_bench.figures.common import path_settings, write_csv, write_npz
from lassonet_bench.figures.unsupervised import compute_digit_pixels
from lassonet_bench.devices import torch_threads

logging.basicConfig(filename=snakemake.log[0], level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
options = snakemake.params.options
dataset = load_dataset(snakemake.input.dataset)
with torch_threads(snakemake.threads):
    tables = compute_digit_pixels(
        dataset.X, dataset.y, load_split(snakemake.input.split), int(snakemake.params.digit),
        [int(level) for level in options["pixel_levels"]], options["hidden_dims"],
        path_settings(options["path"], "digits.path"), seed=int(options["seed"]), device=snakemake.params.device,
    )
write_csv(tables["path"], snakemake.output.path)
write_npz(snakemake.output.pixels, **tables["pixels"])
logging.info("path:\n%s", tables["path"].to_string())
