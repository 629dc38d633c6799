"""rule split_dataset: results/data/<dataset>.npz -> split-<seed>.npz, 70/10/20, stratified for classification."""

import logging

from lassonet_bench.datasets import load_dataset, make_split, save_split
from lassonet_bench.logs import log_to

log_to(snakemake.log[0])
dataset = load_dataset(snakemake.input.dataset)
seed = int(snakemake.wildcards.seed)
split = make_split(dataset.y, seed, stratify=dataset.meta["task"] == "classification")
logging.info("%s seed %d: %s", snakemake.wildcards.dataset, seed, {key: len(rows) for key, rows in split.items()})
save_split(split, snakemake.output.split, seed=seed)
