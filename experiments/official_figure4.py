"""Figure 4's dense-to-sparse path by the official package, on the record's data and split: the first experiment
for a LassoNet miss (does the official implementation show what the paper shows where ours does not?).

    python experiments/official_figure4.py --seed 0 --data <results>/data \
        --out replication/experiments/figures/figure4/official-package

`lassonet==0.0.21`'s `LassoNetRegressor` with the settings of Figure 4 (one hidden layer of 10, M = 10, path
multiplier 1.02, n_iters (1000, 100), patience (100, 10), full batch: the package's defaults but the width, as in
the authors' examples/boston_housing.py), fitted on the training rows with the validation rows for its early
stopping, on the target standardised as our Figure 4 standardises it. Every path step's model is scored on the test
rows. The tables have Figure 4's layout (its `lassonet` rows only), so the report reads them with the figure's own
numbers; `experiment.yaml` beside them says what ran.
"""

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd
import torch
import yaml

from lassonet_bench.datasets import load_dataset, load_split
from lassonet_bench.experiments.common import write_tables
from lassonet_bench.experiments.path_figures import standardised_target
from lassonet_bench.experiments.registry import figure, table_paths
from lassonet_bench.io import atomic_path
from lassonet_bench.runs.provenance import git_commit, package_version

REPO_ROOT = Path(__file__).resolve().parent.parent


def official_path_tables(X, y, split, feature_names, n_true, hidden_width, seed):
    """{"coefficients", "errors"} of the official dense-to-sparse path, one row per step (and feature)."""
    from lassonet import LassoNetRegressor

    model = LassoNetRegressor(hidden_dims=(hidden_width,), M=10, path_multiplier=1.02, n_iters=(1000, 100),
                              patience=(100, 10), random_state=seed, torch_seed=seed, verbose=0)
    train, val, test = (split[part] for part in ("train", "val", "test"))
    history = model.path(X[train], y[train], X_val=X[val], y_val=y[val], return_state_dicts=True)
    errors, coefficients = [], []
    for step, item in enumerate(history):
        model.load(item.state_dict)
        n_selected = int(item.selected.sum())
        test_mse = float(np.mean((model.predict(X[test]).reshape(-1) - y[test]) ** 2))
        errors.append(dict(method="lassonet", step=step, **{"lambda": item.lambda_}, n_selected=n_selected,
                           val_mse=float(item.val_loss), test_mse=test_mse, epochs=item.n_iters, seconds=np.nan))
        theta = item.state_dict["skip.weight"].reshape(-1).numpy()
        coefficients += [dict(step=step, **{"lambda": item.lambda_}, n_selected=n_selected, feature=name,
                              is_noise=j >= n_true, coefficient=float(theta[j]))
                         for j, name in enumerate(feature_names)]
    return {"coefficients": pd.DataFrame(coefficients), "errors": pd.DataFrame(errors)}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=0, help="the split seed, also the package's seeds")
    parser.add_argument("--data", type=Path, default=REPO_ROOT / "results" / "data")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    torch.set_num_threads(1)
    paths = args.data / "boston.npz", args.data / "boston" / f"split-{args.seed}.npz"
    for path in paths:
        if not path.is_file():
            raise SystemExit(f"no such file: {path} (run the workflow's data stage for boston first)")
    dataset, split = load_dataset(paths[0]), load_split(paths[1])
    [width] = figure("figure4").defaults["hidden_dims"]
    y = standardised_target(dataset.y, split["train"]).astype(np.float32)
    started = time.process_time()
    tables = official_path_tables(np.asarray(dataset.X, dtype=np.float32), y, split, dataset.feature_names,
                                  int(dataset.meta["n_true_features"]), width, args.seed)
    cpu_s = time.process_time() - started
    args.out.mkdir(parents=True, exist_ok=True)
    write_tables(tables, table_paths("figure4", str(args.out)))
    record = dict(figure="figure4", name=args.out.name,
                  settings=dict(implementation=f"lassonet {package_version('lassonet')}", seed=args.seed),
                  why="Does the official package's dense-to-sparse path on the same split reach its lowest test "
                      "error near 13 features, 12 of them true?",
                  git_commit=git_commit(), compute_cpu_s=round(cpu_s, 1))
    with atomic_path(args.out / "experiment.yaml") as tmp:
        Path(tmp).write_text(yaml.safe_dump(record, sort_keys=False, allow_unicode=True))
    print(f"wrote {args.out} ({cpu_s:.0f} CPU s, {len(tables['errors'])} path steps)")


if __name__ == "__main__":
    main()
