"""Train one downstream learner from scratch on the k selected features of one split (all of them for method
"all"): a one-row CSV with the test accuracy, the selection's and the learner's provenance, the data set's shape."""

import json
import sys

import numpy as np
import pandas as pd

from lassonet_bench.io import atomic_path
from lassonet_bench.runner import run_evaluation, run_selection, tidy_record
from lassonet_bench.selection import selector_class

sys.stderr = sys.stdout = open(snakemake.log[0], "w", buffering=1)

w, data, split = snakemake.wildcards, snakemake.input.data, snakemake.input.split
seed = int(w.seed)
if w.method == "all":
    selection = run_selection(data, split, "all", None, seed)
else:
    with open(snakemake.input.selection) as handle:
        selection = json.load(handle)
    k = int(w.k)
    if selector_class(w.method).nested_selection:
        # One ranking serves every k: the top k of it.
        if len(selection["ranking"]) < k:
            raise ValueError(f"{snakemake.input.selection} ranks {len(selection['ranking'])} features, fewer than k={k}")
        selection = {**selection, "k": k, "n_features": k, "selected": selection["ranking"][:k]}
    elif selection["k"] != k or len(selection["selected"]) != k:
        raise ValueError(f"{snakemake.input.selection} holds a selection of {selection['k']} features, not k={k}")
evaluation = run_evaluation(
    data,
    split,
    selection["selected"],
    w.learner,
    seed,
    learner_params=snakemake.params.learner_params,
    n_threads=snakemake.threads,
)
record = tidy_record(selection, evaluation)
with np.load(data, allow_pickle=False) as arrays:
    record["dataset_n_samples"], record["dataset_n_features"] = arrays["X"].shape
    record["dataset_n_classes"] = len(np.unique(arrays["y"]))
with atomic_path(snakemake.output.run) as tmp:
    pd.DataFrame([record]).to_csv(tmp, index=False)
print(f"{w.dataset} {w.method} k={w.k} seed={seed} {w.learner}: accuracy {record['accuracy']:.4f}")
