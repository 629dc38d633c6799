"""Select features with one method on one split: writes the selection JSON (ranking, support, provenance)."""

import sys

from lassonet_bench.runner import run_selection

sys.stderr = sys.stdout = open(snakemake.log[0], "w", buffering=1)

run_selection(
    method=snakemake.wildcards.method,
    dataset_path=snakemake.input.data,
    split_path=snakemake.input.split,
    n_features_to_select=snakemake.params.n_features_to_select,
    seed=int(snakemake.wildcards.seed),
    params=dict(snakemake.params.method_params),
    output_path=snakemake.output.selection,
    threads=snakemake.threads,
)
