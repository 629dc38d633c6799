"""The official package's LassoNet selection, scored by our learners on the record's splits (the first experiment
for a LassoNet cell outside the interval: does the official implementation hit the paper's number where we miss?).

    python experiments/official_selection.py --dataset mice --seeds 0 1 2 3 4 --out replication/experiments/official-mice.csv

For each split seed: the `lassonet_official` selector (`lassonet_bench.selectors.lassonet_official`, the
benchmark's method row): `lassonet==0.0.21`'s `LassoNetClassifier` with its default settings (M = 10, full-batch
Adam, n_iters (1000, 100), patience (100, 10), path multiplier 1.02), one path per width of the config's grid
(round(f·d) for f in `method_params.lassonet.width_fractions`), stopped at its first step with k or fewer features
(its path cannot give exactly k) and the k features ranked as its `feature_importances_` rank (the features of
that step, then those that left at it). The width whose model scores best on the validation rows at that step is
kept, as our selector keeps its width. Its k features then go to the decoder network and to ExtraTrees with the
record's learner settings and seeds (`runner.run_evaluation`), so the row is comparable with ours cell by cell
(`n_features` is k; `width_search` gives, per width, its validation accuracy and the features at its step).
The data and split files are the workflow's (`results/data/`): run the workflow's data stage first.
"""

import argparse
import os
import resource
import time
from pathlib import Path

import numpy as np
import torch
import yaml

from lassonet_bench.record import write_experiment
from lassonet_bench.runs.runner import load_run_data, run_evaluation
from lassonet_bench.selectors.lassonet_official import LassoNetOfficialSelector

REPO_ROOT = Path(__file__).resolve().parent.parent


def one_seed(dataset, seed, k, fractions, learner_params, data_dir):
    data_path, split_path = data_dir / f"{dataset}.npz", data_dir / dataset / f"split-{seed}.npz"
    _, X, y, split = load_run_data(data_path, split_path)
    tr, va = split["train"], split["val"]
    started = time.process_time()
    selector = LassoNetOfficialSelector(k, random_state=seed, width_fractions=fractions, device="auto")
    selector.fit(X[tr], y[tr], X_val=X[va], y_val=y[va])
    cpu_seconds = time.process_time() - started
    selected = np.flatnonzero(selector.get_support()).tolist()
    width = selector.hidden_dims_[0]
    rows = []
    for learner, params in learner_params.items():
        evaluation = run_evaluation(data_path, split_path, selected, learner, seed, learner_params=params)
        rows.append(dict(
            dataset=dataset, method="lassonet_official", seed=seed, k=k, learner=learner,
            accuracy=evaluation["accuracy"], n_features=len(selected), hidden_width=width,
            validation_accuracy=selector.validation_score_, path_steps=selector.path_steps_,
            width_search=" ".join(f"{row['hidden_dims'][0]}:{row['validation_score']:.4f}:{row['n_selected']}"
                                  for row in selector.width_search_),
            selection_cpu_s=cpu_seconds, selected=" ".join(map(str, selected)),
            lassonet_version=_version("lassonet"), torch_version=torch.__version__,
        ))
    return rows


def _version(distribution):
    from importlib.metadata import version

    return version(distribution)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", required=True)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--data", type=Path, default=REPO_ROOT / "results" / "data", help="the workflow's data folder")
    parser.add_argument("--config", type=Path, default=REPO_ROOT / "config.yaml")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    torch.set_num_threads(1)
    config = yaml.safe_load(args.config.read_text())
    fractions = config["method_params"]["lassonet"]["width_fractions"]
    learner_params = {name: config["learner_params"].get(name, {}) for name in config["learners"]}
    rows = []
    for seed in args.seeds:
        rows += one_seed(args.dataset, seed, config["n_features_to_select"], fractions, learner_params, args.data)
        for row in rows[-len(learner_params):]:
            print(f"{args.dataset} seed {seed} {row['learner']}: {row['accuracy']:.4f} "
                  f"({row['n_features']} features, width {row['hidden_width']})", flush=True)
    write_experiment(rows, args.out)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MB, pid {os.getpid()}")


if __name__ == "__main__":
    main()
