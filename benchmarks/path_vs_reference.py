"""Our LassoNet path to k = 50 against the official `lassonet` package, side by side on the same split.

    pip install -e .   # the official package is a dependency
    python benchmarks/path_vs_reference.py                       # Mice and MNIST-10k, both implementations
    python benchmarks/path_vs_reference.py --datasets mice --only ours
    python benchmarks/path_vs_reference.py --seeds 0 1 2                # three model seeds, the same split

Each run is a separate process (so peak memory is its own): the data set from the offline mirror, split 70/10/20
with seed 0, one hidden layer of width d/3, M = 10; `--seeds` sets the models' seeds (initialisation, batches).
Ours runs its path until at most k features are left and keeps exactly k; the reference runs with its default
settings and is stopped at its first step with k or fewer features (its path would otherwise go on to zero). Both
then hand their features to ExtraTrees (50 trees, seed 0), scored on the test rows. Printed: wall time and CPU
time (the fair measure when other jobs share the cores: each run has one torch thread), the ratios, features at
the stop, peak memory (the process's high-water RSS).
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch
from sklearn.ensemble import ExtraTreesClassifier

from lassonet_bench.datasets import fetch, make_split, prepare, resolve_mirror


REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class _Reached(Exception):
    pass


def load(name):
    with tempfile.TemporaryDirectory() as raw:
        fetch(name, raw, resolve_mirror(repo_root=REPO_ROOT), allow_download=False)
        ds = prepare(name, raw)
    split = make_split(ds.y, seed=0, stratify=True)
    return ds.X, ds.y, split


def run_ours(X_train, y_train, X_val, y_val, k, seed, device):
    from lassonet_bench.selectors.lassonet import LassoNetSelector

    d = X_train.shape[1]
    selector = LassoNetSelector(
        n_features_to_select=k, hidden_dims=(round(d / 3),), M=10.0, random_state=seed, device=device
    )
    started, cpu_started = time.perf_counter(), time.process_time()
    selector.fit(X_train, y_train, X_val=X_val, y_val=y_val)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    path = selector.path_
    return dict(
        seconds=seconds,
        cpu_seconds=cpu_seconds,
        selected=np.flatnonzero(selector.get_support()).tolist(),
        features_at_stop=int(path["n_selected"].iloc[-1]),
        steps=len(path),
        dense_seconds=float(path["seconds"].iloc[0]),
    )


def run_reference(X_train, y_train, X_val, y_val, k, seed, device):
    from lassonet import LassoNetClassifier

    d = X_train.shape[1]
    model = LassoNetClassifier(hidden_dims=(d // 3,), M=10, random_state=seed, torch_seed=seed, device=device)
    state = {}

    def stop_at_k(model_, history):
        state["steps"] = len(history)
        if len(history) > 1 and history[-1].selected.sum().item() <= k:
            state["selected"] = np.flatnonzero(history[-1].selected.numpy()).tolist()
            raise _Reached

    started, cpu_started = time.perf_counter(), time.process_time()
    try:
        model.path(X_train, y_train, X_val=X_val, y_val=y_val, callback=stop_at_k)
    except _Reached:
        pass
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    selected = state.get("selected", [])
    return dict(seconds=seconds, cpu_seconds=cpu_seconds, selected=selected, features_at_stop=len(selected), steps=state.get("steps", 0))


def child(name, implementation, k, threads, seed, device):
    torch.set_num_threads(threads)
    X, y, split = load(name)
    tr, va, te = split["train"], split["val"], split["test"]
    run = run_ours if implementation == "ours" else run_reference
    result = run(X[tr], y[tr], X[va], y[va], k, seed, device)
    if result["selected"]:
        trees = ExtraTreesClassifier(n_estimators=50, random_state=0, n_jobs=threads)
        trees.fit(X[tr][:, result["selected"]], y[tr])
        result["extratrees_accuracy"] = float(trees.score(X[te][:, result["selected"]], y[te]))
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", nargs="+", default=["mice", "mnist"])
    parser.add_argument("--only", choices=["ours", "reference"])
    parser.add_argument("--k", type=int, default=50)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0], help="model seeds (the split is always seed 0)")
    parser.add_argument("--device", default="cpu", help="torch device of both implementations, e.g. cuda")
    parser.add_argument("--child", nargs=3, metavar=("DATASET", "IMPLEMENTATION", "SEED"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        name, implementation, seed = args.child
        return child(name, implementation, args.k, args.threads, int(seed), args.device)

    implementations = [args.only] if args.only else ["ours", "reference"]
    print(
        f"{'data set':10} {'implementation':14} {'seed':>4} {'seconds':>8} {'CPU s':>8} {'steps':>6} {'k at stop':>9} "
        f"{'selected':>8} {'peak MB':>8} {'ExtraTrees':>10}"
    )
    for name in args.datasets:
        results = {implementation: [] for implementation in implementations}
        for seed in args.seeds:
            for implementation in implementations:
                r = _run_child(name, implementation, seed, args)
                if r is not None:
                    results[implementation].append(r)
        if all(results.values()) and len(implementations) == 2:
            _print_ratio(name, results["ours"], results["reference"])


def _run_child(name, implementation, seed, args):
    command = [sys.executable, __file__, "--child", name, implementation, str(seed), "--k", str(args.k)]
    out = subprocess.run(command + ["--threads", str(args.threads), "--device", args.device], capture_output=True, text=True)
    if out.returncode != 0:
        print(f"{name:10} {implementation:14} {seed:4d} failed:\n{out.stderr[-2000:]}", flush=True)
        return None
    r = json.loads(out.stdout.strip().splitlines()[-1])
    print(
        f"{name:10} {implementation:14} {seed:4d} {r['seconds']:8.1f} {r['cpu_seconds']:8.1f} {r['steps']:6d} "
        f"{r['features_at_stop']:9d} {len(r['selected']):8d} {r['peak_rss_mb']:8.0f} "
        f"{r.get('extratrees_accuracy', float('nan')):10.3f}",
        flush=True,
    )
    return r


def _print_ratio(name, ours, reference):
    """Ratios of the mean times over the seeds, and the mean accuracy difference."""

    def mean(runs, key):
        return float(np.mean([r.get(key, np.nan) for r in runs]))

    print(
        f"{name:10} {'ratio':14} {mean(reference, 'seconds') / mean(ours, 'seconds'):.1f}x faster in wall time, "
        f"{mean(reference, 'cpu_seconds') / mean(ours, 'cpu_seconds'):.1f}x in CPU time; mean ExtraTrees accuracy "
        f"{mean(ours, 'extratrees_accuracy'):.3f} against {mean(reference, 'extratrees_accuracy'):.3f} "
        f"(ours - reference {mean(ours, 'extratrees_accuracy') - mean(reference, 'extratrees_accuracy'):+.3f}), "
        f"{len(ours)} seed(s)",
        flush=True,
    )


if __name__ == "__main__":
    main()
