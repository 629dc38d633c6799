"""rule prepare_dataset: raw files -> results/data/<dataset>.npz (the authors' preprocessing, Table 1's shape)."""

import logging

from lassonet_bench.datasets import DatasetUnavailable, prepare, read_fetch_report, save_dataset, subsample
from lassonet_bench.logs import log_to

log_to(snakemake.log[0])
name = snakemake.wildcards.dataset
report = read_fetch_report(snakemake.input.fetch)
if not report["available"]:
    raise DatasetUnavailable(name, [f["name"] for f in report["files"]], [report["reason"]])
dataset = subsample(prepare(name, snakemake.params.raw_dir, **snakemake.params.options), snakemake.params.max_samples)
logging.info("%s: X %s, meta %s", name, dataset.X.shape, dataset.meta)
save_dataset(dataset, snakemake.output.dataset)
