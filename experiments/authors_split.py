"""Every method of one data set selected and scored again on splits of the sizes the authors' code uses, to test
whether the split explains cells where our whole row scores above the paper (MNIST, MNIST-Fashion, COIL-20).

    python experiments/authors_split.py --dataset fashion --methods all fisher hsic pfa \
        --out replication/experiments/authors-split-fashion.csv

The paper says 70/10/20, but the authors' `experiments/data_utils.py` (lasso-net/lassonet) splits otherwise:
- MNIST and MNIST-Fashion with `train_test_split(test_images, test_size=0.6)`: 4,000 rows for the selectors and
  learners and 6,000 test rows;
- COIL-20 by shuffling the images and keeping the last fifth for the test;
and their decoder then holds out 10 % of the training rows for validation. Here the one thing changed is the split's
sizes: train / validation / test = 36 / 4 / 60 % of the rows for MNIST and MNIST-Fashion, 72 / 8 / 20 % for COIL-20
(not stratified, as theirs), drawn with random_state = the split seed. Everything else is the record's: the prepared
data (`results/data/<data set>.npz`), our selectors with the config's `method_params` (LassoNet's width search
included), our decoder and ExtraTrees with the config's `learner_params`, through the runner
(`run_selection_arrays`, `run_evaluation_arrays`) and its seeds. Each finished run is written at once to
`<out>.partial` (rewritten atomically), and a rerun skips the runs already there; `<out>` is written when all are.
"""

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from sklearn.model_selection import train_test_split

from lassonet_bench.datasets import load_dataset
from lassonet_bench.record import write_experiment
from lassonet_bench.runs.runner import run_evaluation_arrays, run_selection_arrays, tidy_record
from lassonet_bench.selectors import ALL_FEATURES

REPO_ROOT = Path(__file__).resolve().parent.parent
# The test fraction of each data set in the authors' data_utils.py: load_mnist and load_fashion call
# train_test_split(..., test_size=0.6); load_coil keeps the last 1 - 4/5 of the shuffled images.
AUTHORS_TEST_FRACTIONS = {"mnist": 0.6, "fashion": 0.6, "coil20": 0.2}
AUTHORS_VALIDATION_FRACTION = 0.1  # evaluate.decoder: train_test_split(train, test_size=0.1)


def authors_split(n_rows, seed, test_fraction):
    """{"train", "val", "test"} row indices: `test_fraction` for the test, then 10 % of the rest for validation."""
    rest, test = train_test_split(np.arange(n_rows), test_size=test_fraction, random_state=seed)
    train, val = train_test_split(rest, test_size=AUTHORS_VALIDATION_FRACTION, random_state=seed)
    return {"train": np.sort(train), "val": np.sort(val), "test": np.sort(test)}


def split_label(test_fraction):
    """The split's name in the results: "authors-<train>-<validation>-<test>" in per cent."""
    rest = 1 - test_fraction
    parts = [rest * (1 - AUTHORS_VALIDATION_FRACTION), rest * AUTHORS_VALIDATION_FRACTION, test_fraction]
    return "authors-" + "-".join(f"{round(100 * part)}" for part in parts)


def finished_runs(path):
    if not path.is_file():
        return pd.DataFrame()
    return pd.read_csv(path)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", required=True)
    parser.add_argument("--methods", nargs="+", default=[ALL_FEATURES, "fisher", "hsic", "pfa"])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--config", type=Path, default=REPO_ROOT / "config.yaml")
    parser.add_argument("--data", type=Path, default=REPO_ROOT / "results" / "data")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    config = yaml.safe_load(args.config.read_text())
    k = config.get("n_features_to_select", 50)
    if args.dataset not in AUTHORS_TEST_FRACTIONS:
        raise SystemExit(f"--dataset {args.dataset}: the authors' split sizes are known for "
                         f"{', '.join(AUTHORS_TEST_FRACTIONS)} only")
    test_fraction = AUTHORS_TEST_FRACTIONS[args.dataset]
    data_path = args.data / f"{args.dataset}.npz"
    if not data_path.is_file():
        raise SystemExit(f"no such file: {data_path} (run the workflow's data stage first)")
    data = load_dataset(data_path)
    # The runs finished so far go to <out>.partial, so that `record make` (which skips an experiment whose result
    # exists) never takes a run cut short for a finished experiment; a rerun goes on from it.
    partial = args.out.with_name(args.out.name + ".partial")
    rows = finished_runs(partial if partial.is_file() else args.out)
    for method in args.methods:
        for seed in args.seeds:
            done = not rows.empty and ((rows["method"] == method) & (rows["seed"] == seed)).any()
            if done:
                print(f"{args.dataset} {method} seed {seed}: already in {args.out}", flush=True)
                continue
            split = authors_split(len(data.y), seed, test_fraction)
            started = time.process_time()
            selection = run_selection_arrays(data.X, data.y, split, method, k, seed, args.dataset,
                                             config.get("method_params", {}).get(method), device="cpu", n_threads=1)
            new = []
            for learner in config["learners"]:
                evaluation = run_evaluation_arrays(data.X, data.y, split, selection["selected"], learner, seed,
                                                   args.dataset, config.get("learner_params", {}).get(learner),
                                                   device="cpu", n_threads=1)
                new.append({**tidy_record(selection, evaluation), "split": split_label(test_fraction)})
                print(f"{args.dataset} {method} seed {seed} {learner}: {evaluation['accuracy']:.4f}", flush=True)
            for row in new:
                row["cpu_s"] = time.process_time() - started
            rows = pd.concat([rows, pd.DataFrame(new)], ignore_index=True)
            write_experiment(rows, partial, quiet=True)
    write_experiment(rows, args.out)
    partial.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
