"""Our LassoNet path to k features against the official `lassonet` package, side by side, on several architectures.

    pip install -e .   # the official package (lassonet==0.0.21) is a dependency
    python benchmarks/architectures_vs_official.py                    # every case below but widedeep, both
    python benchmarks/architectures_vs_official.py --quick            # the deep and the wide case only, one seed
    python benchmarks/architectures_vs_official.py --cases deep deep3 widedeep --seeds 0 1 2

The cases (hidden dims the same for both implementations; k the features to keep):

- mice: Mice Protein from the offline mirror (classification, 77 features), split 70/10/20 with seed 0, (100,), k = 20;
- diabetes: sklearn's diabetes (regression, 10 features, min-max scaled, target standardised), (100,), k = 5;
- friedman: make_friedman1 with 45 noise features (regression, 50 features, 5 informative), n = 1000, (100,), k = 5;
- deep: make_classification (50 features, 10 informative, 2 classes), n = 1000, (100, 50), k = 10;
- deep3: the same data with (50, 50, 20), k = 10;
- wide: 2000 features uniform on [-1, 1], the class decided by x0 + x1 + x2 + sin(2·x3) + x4 > its median, n = 300,
  (100,), k = 5;
- widedeep: the same data with (100, 50), k = 5.

The synthetic and diabetes cases are split 70/10/20 (train, validation, test) with seed 0. Each run is its own
process with one torch thread: ours (`LassoNetSelector` with its defaults) runs its path until at most k features
are left and keeps exactly k; the official (`LassoNetClassifier` / `LassoNetRegressor` with its defaults, the same
hidden dims, `random_state` and `torch_seed` = the seed) is stopped by its path callback at its first step with k
or fewer features. Printed per run: CPU seconds of the fit alone (`time.process_time`), path steps, features kept,
true features kept (synthetic cases), and ExtraTrees' held-out score on the kept features (100 trees, seed 0:
accuracy for classification, R² for regression); per case, the ratio of the mean CPU seconds (official / ours).
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO_ROOT = Path(__file__).resolve().parent.parent

# case: (task, hidden dims, k)
CASES = {
    "mice": ("classification", (100,), 20),
    "diabetes": ("regression", (100,), 5),
    "friedman": ("regression", (100,), 5),
    "deep": ("classification", (100, 50), 10),
    "deep3": ("classification", (50, 50, 20), 10),
    "wide": ("classification", (100,), 5),
    "widedeep": ("classification", (100, 50), 5),
}
DEFAULT_CASES = ["mice", "diabetes", "friedman", "deep", "deep3", "wide"]  # about 5 minutes on one core
QUICK_CASES = ["deep", "wide"]


class _Reached(Exception):
    pass


def load(case):
    """(X, y, informative feature indices or None) of a case, X as float32 in a bounded range."""
    from sklearn import datasets
    from sklearn.preprocessing import MinMaxScaler

    if case == "mice":
        from lassonet_bench.datasets import fetch, prepare, resolve_mirror

        with tempfile.TemporaryDirectory() as raw:
            fetch("mice", raw, resolve_mirror(repo_root=str(REPO_ROOT)), allow_download=False)
            ds = prepare("mice", raw)
        return ds.X.astype(np.float32), ds.y, None
    if case == "diabetes":
        X, y = datasets.load_diabetes(return_X_y=True)
        return MinMaxScaler().fit_transform(X).astype(np.float32), (y - y.mean()) / y.std(), None
    if case == "friedman":
        X, y = datasets.make_friedman1(n_samples=1000, n_features=50, noise=1.0, random_state=0)
        return X.astype(np.float32), (y - y.mean()) / y.std(), np.arange(5)
    if case in ("deep", "deep3"):
        X, y = datasets.make_classification(n_samples=1000, n_features=50, n_informative=10, n_redundant=0,
                                            shuffle=False, random_state=0)
        return MinMaxScaler().fit_transform(X).astype(np.float32), y, np.arange(10)
    if case in ("wide", "widedeep"):
        rng = np.random.default_rng(0)
        X = rng.uniform(-1, 1, size=(300, 2000)).astype(np.float32)
        rule = X[:, 0] + X[:, 1] + X[:, 2] + np.sin(2 * X[:, 3]) + X[:, 4]
        return X, (rule > np.median(rule)).astype(int), np.arange(5)
    raise ValueError(f"unknown case {case!r}")


def split(X, y):
    """Train, validation and test rows: 70/10/20, seed 0 (stratified for classes)."""
    from lassonet_bench.datasets import make_split

    stratify = not np.issubdtype(np.asarray(y).dtype, np.floating)
    rows = make_split(y, seed=0, stratify=stratify)
    return [(X[rows[part]], y[rows[part]]) for part in ("train", "val", "test")]


def run_ours(task, dims, k, seed, train, val):
    from lassonet_bench.selectors.lassonet import LassoNetSelector

    selector = LassoNetSelector(n_features_to_select=k, task=task, hidden_dims=dims, random_state=seed, device="cpu")
    started = time.process_time()
    selector.fit(*train, X_val=val[0], y_val=val[1])
    cpu_seconds = time.process_time() - started
    return dict(cpu_seconds=cpu_seconds, steps=len(selector.path_),
                selected=np.flatnonzero(selector.get_support()).tolist())


def run_official(task, dims, k, seed, train, val):
    from lassonet import LassoNetClassifier, LassoNetRegressor

    estimator = LassoNetClassifier if task == "classification" else LassoNetRegressor
    model = estimator(hidden_dims=dims, random_state=seed, torch_seed=seed, device="cpu", verbose=0)
    state = {"selected": []}

    def stop_at_k(model_, history):
        state["steps"] = len(history)
        if len(history) > 1 and history[-1].selected.sum().item() <= k:
            state["selected"] = np.flatnonzero(history[-1].selected.numpy()).tolist()
            raise _Reached

    started = time.process_time()
    try:
        model.path(*train, X_val=val[0], y_val=val[1], callback=stop_at_k)
    except _Reached:
        pass
    cpu_seconds = time.process_time() - started
    return dict(cpu_seconds=cpu_seconds, steps=state.get("steps", 0), selected=state["selected"])


def held_out_score(task, selected, train, test):
    from sklearn.ensemble import ExtraTreesClassifier, ExtraTreesRegressor

    if not selected:
        return float("nan")
    trees = (ExtraTreesClassifier if task == "classification" else ExtraTreesRegressor)(n_estimators=100,
                                                                                         random_state=0, n_jobs=1)
    trees.fit(train[0][:, selected], train[1])
    return float(trees.score(test[0][:, selected], test[1]))


def child(case, implementation, seed):
    import torch

    torch.set_num_threads(1)
    task, dims, k = CASES[case]
    X, y, informative = load(case)
    train, val, test = split(X, y)
    run = run_ours if implementation == "ours" else run_official
    result = run(task, dims, k, seed, train, val)
    result["true_kept"] = None if informative is None else len(set(result["selected"]) & set(informative.tolist()))
    result["score"] = held_out_score(task, result["selected"], train, test)
    print(json.dumps(result))


def run_child(case, implementation, seed):
    command = [sys.executable, __file__, "--child", case, implementation, str(seed)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        print(f"{case:9} {implementation:9} {seed:4d} failed:\n{done.stderr[-2000:]}", flush=True)
        return None
    result = json.loads(done.stdout.strip().splitlines()[-1])
    true_kept = "-" if result["true_kept"] is None else str(result["true_kept"])
    print(f"{case:9} {implementation:9} {seed:4d} {result['cpu_seconds']:8.1f} {result['steps']:6d} "
          f"{len(result['selected']):5d} {true_kept:>5} {result['score']:7.3f}", flush=True)
    return result


def summary(case, ours, official):
    """One line per case: mean CPU seconds, their ratio, features and true features kept, mean held-out score."""
    task, dims, k = CASES[case]

    def mean(runs, key):
        return float(np.mean([run[key] for run in runs]))

    def counts(runs, key):
        values = [len(run["selected"]) if key == "kept" else run["true_kept"] for run in runs]
        return "-" if None in values else "/".join(map(str, values))

    ratio = mean(official, "cpu_seconds") / mean(ours, "cpu_seconds")
    return (f"| {case} | {task} | {dims} | {k} | {mean(ours, 'cpu_seconds'):.1f} | {mean(official, 'cpu_seconds'):.1f} "
            f"| {ratio:.1f}x | {counts(ours, 'kept')} / {counts(official, 'kept')} "
            f"| {counts(ours, 'true')} / {counts(official, 'true')} "
            f"| {mean(ours, 'score'):.3f} / {mean(official, 'score'):.3f} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", nargs="+", choices=list(CASES), default=DEFAULT_CASES)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0], help="model seeds (the split is always seed 0)")
    parser.add_argument("--quick", action="store_true", help=f"only the cases {QUICK_CASES}, seed 0")
    parser.add_argument("--child", nargs=3, metavar=("CASE", "IMPLEMENTATION", "SEED"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        case, implementation, seed = args.child
        return child(case, implementation, int(seed))

    cases, seeds = (QUICK_CASES, [0]) if args.quick else (args.cases, args.seeds)
    print(f"{'case':9} {'impl':9} {'seed':>4} {'CPU s':>8} {'steps':>6} {'kept':>5} {'true':>5} {'score':>7}")
    lines = []
    for case in cases:
        runs = {"ours": [], "official": []}
        for seed in seeds:
            for implementation in runs:
                result = run_child(case, implementation, seed)
                if result is not None:
                    runs[implementation].append(result)
        if runs["ours"] and runs["official"]:
            lines.append(summary(case, runs["ours"], runs["official"]))
    print("\n| case | task | hidden dims | k | ours: CPU s | official: CPU s | ratio | features kept (ours / official) "
          "| true features kept | held-out score (ExtraTrees) |")
    print("|---|---|---|---:|---:|---:|---:|---|---|---|")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
