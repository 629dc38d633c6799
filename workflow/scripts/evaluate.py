"""Train one downstream learner from scratch on the k selected features of one split (all of them for method
"all"): a one-row CSV with the test accuracy, the selection's and the learner's provenance, the data set's shape."""

import logging

import pandas as pd

from lassonet_bench.io import atomic_path
from lassonet_bench.logs import log_to
from lassonet_bench.runs.runner import dataset_shape, read_selection, run_evaluation, run_selection, tidy_record

log_to(snakemake.log[0])

w, data, split = snakemake.wildcards, snakemake.input.data, snakemake.input.split
seed = int(w.seed)
if w.method == "all":
    selection = run_selection(data, split, "all", None, seed)
else:
    selection = read_selection(snakemake.input.selection, int(w.k))
evaluation = run_evaluation(
    data,
    split,
    selection["selected"],
    w.learner,
    seed,
    learner_params=snakemake.params.learner_params,
    n_threads=snakemake.threads,
)
record = tidy_record(selection, evaluation) | dataset_shape(data)
with atomic_path(snakemake.output.run) as tmp:
    pd.DataFrame([record]).to_csv(tmp, index=False)
logging.info("%s %s k=%s seed=%d %s: accuracy %.4f", w.dataset, w.method, w.k, seed, w.learner, record["accuracy"])
