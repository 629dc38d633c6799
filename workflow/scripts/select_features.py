"""Select features with one method on one split: the selection JSON holds the full ranking, the selected
features, the runner's own time and memory figures and the provenance (versions, git commit, parameters)."""

import logging

from lassonet_bench.logs import log_to
from lassonet_bench.runs.runner import run_selection, write_json

log_to(snakemake.log[0])

selection = run_selection(
    snakemake.input.data,
    snakemake.input.split,
    snakemake.wildcards.method,
    snakemake.params.n_features_to_select,
    int(snakemake.wildcards.seed),
    method_params=snakemake.params.method_params,
    n_threads=snakemake.threads,
)
write_json(selection, snakemake.output.selection)
logging.info(
    "%s on %s: %.1f s, top features %s",
    selection["method"], selection["dataset"], selection["selection_seconds"], selection["ranking"][:10],
)
