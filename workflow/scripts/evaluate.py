"""Train one downstream learner on the selected features of one split: writes a one-row run CSV."""

import sys

from lassonet_bench.runner import run_evaluation

sys.stderr = sys.stdout = open(snakemake.log[0], "w", buffering=1)

w = snakemake.wildcards
run_evaluation(
    dataset_path=snakemake.input.data,
    split_path=snakemake.input.split,
    selection_path=snakemake.input.get("selection"),
    method=w.method,
    n_features_to_select=None if w.k == "all" else int(w.k),
    learner=w.learner,
    seed=int(w.seed),
    params=dict(snakemake.params.learner_params),
    output_path=snakemake.output.run,
    threads=snakemake.threads,
)
