"""Is the decoder's epoch bound or its patience what ends its training? The record's selections trained again by our
decoder under other bounds, side by side with the record's own run.

    python experiments/decoder_budget.py --dataset mice --methods lassonet fisher --max-epochs 300 1000 3000

For each run of the record (`replication/runs.csv`: data set, method, seed, k = 50, decoder) the same selection, split
and seed are trained again with `learner_params.decoder` of config.yaml but `max_epochs` set to each value given.
Printed per bound: test accuracy (mean over the runs), the mean number of epochs trained, how many runs stopped at
the bound rather than by patience, and the CPU seconds. The bound matters where raising it changes the accuracy.
"""

import argparse
import time
from pathlib import Path

import pandas as pd
import torch
import yaml

from lassonet_bench.runs.runner import run_evaluation

REPO_ROOT = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", required=True)
    parser.add_argument("--methods", nargs="+", default=["lassonet"])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--max-epochs", type=int, nargs="+", default=[300, 1000, 3000])
    parser.add_argument("--runs", type=Path, default=REPO_ROOT / "replication" / "runs.csv")
    parser.add_argument("--data", type=Path, default=REPO_ROOT / "results" / "data")
    parser.add_argument("--config", type=Path, default=REPO_ROOT / "config.yaml")
    args = parser.parse_args()
    torch.set_num_threads(1)
    params = yaml.safe_load(args.config.read_text())["learner_params"]["decoder"]
    runs = pd.read_csv(args.runs)
    runs = runs[(runs["dataset"] == args.dataset) & (runs["learner"] == "decoder") & runs["method"].isin(args.methods)
                & runs["seed"].isin(args.seeds) & (runs["k"] == 50)]
    if runs.empty:
        raise SystemExit(f"no decoder run of {args.dataset} {args.methods} seeds {args.seeds} in {args.runs}")
    rows = []
    for run in runs.itertuples():
        data, split = args.data / f"{run.dataset}.npz", args.data / run.dataset / f"split-{run.seed}.npz"
        selected = [int(i) for i in str(run.selected).split()]
        for bound in args.max_epochs:
            started = time.process_time()
            result = run_evaluation(data, split, selected, "decoder", run.seed,
                                    learner_params={**params, "max_epochs": bound}, device="cpu")
            rows.append(dict(method=run.method, seed=run.seed, max_epochs=bound, accuracy=result["accuracy"],
                             epochs=result["epochs_trained"], at_bound=result["epochs_trained"] >= bound,
                             record=run.accuracy, cpu_s=time.process_time() - started))
            print(f"{run.method} seed {run.seed} bound {bound}: {result['accuracy']:.4f} after "
                  f"{result['epochs_trained']} epochs (record {run.accuracy:.4f})", flush=True)
    table = pd.DataFrame(rows)
    summary = table.groupby("max_epochs").agg(runs=("accuracy", "size"), accuracy=("accuracy", "mean"),
                                              epochs=("epochs", "mean"), at_bound=("at_bound", "sum"),
                                              cpu_s=("cpu_s", "sum"))
    summary["record_accuracy"] = table.groupby("max_epochs")["record"].mean()
    print(f"\n{args.dataset}, methods {', '.join(args.methods)}, seeds {args.seeds}, decoder {params}")
    print(summary.round(4).to_string())


if __name__ == "__main__":
    main()
