"""LassoNet's width search (hidden widths d·[1/3, 2/3, 1, 4/3]) as one batched job, against a reference version.

    python benchmarks/width_search.py --datasets mice coil20                 # ours against the reference commit
    python benchmarks/width_search.py --datasets mnist --only ours

"ours" is this checkout's `LassoNetSelector(hidden_dims="search")`: the four networks trained together. "reference"
is the same search in another version of this project (by default commit 1fc3eba, where the four paths ran one
after the other), checked out with `git worktree` into a temporary folder and imported from there. Each run is a
separate process with one torch thread, on the split of seed 0 with model seed 0, stopped at k = 50 features.
Printed: CPU seconds (the fair measure when other jobs share the cores), wall seconds, the winning width, its
validation accuracy at k, ExtraTrees (50 trees) on the 50 features, and the ratio of the CPU times.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REFERENCE_COMMIT = "1fc3eba"


def child(name, source, k, device):
    """Run one search with the package found in `source` (a src/ folder) and print its JSON record."""
    sys.path.insert(0, source)
    import numpy as np
    import torch
    from sklearn.ensemble import ExtraTreesClassifier

    import lassonet_bench
    from lassonet_bench.datasets import fetch, make_split, prepare, resolve_mirror

    assert os.path.realpath(lassonet_bench.__file__).startswith(os.path.realpath(source)), lassonet_bench.__file__
    torch.set_num_threads(1)
    with tempfile.TemporaryDirectory() as raw:
        fetch(name, raw, resolve_mirror(repo_root=REPO_ROOT), allow_download=False)
        ds = prepare(name, raw)
    X, y = ds.X, ds.y
    split = make_split(y, seed=0, stratify=True)
    tr, va, te = split["train"], split["val"], split["test"]
    started, cpu_started = time.perf_counter(), time.process_time()
    selector = _search(X[tr], y[tr], X[va], y[va], k, device)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    selected = np.flatnonzero(selector.get_support())
    trees = ExtraTreesClassifier(n_estimators=50, random_state=0, n_jobs=1).fit(X[tr][:, selected], y[tr])
    print(json.dumps(dict(
        seconds=seconds, cpu_seconds=cpu_seconds, hidden_dims=list(selector.hidden_dims_),
        validation_score=float(selector.validation_score_),
        extratrees_accuracy=float(trees.score(X[te][:, selected], y[te])),
    )))


def _search(X_train, y_train, X_val, y_val, k, device):
    from lassonet_bench.selectors import lassonet

    if hasattr(lassonet, "fit_lassonet_selector"):  # versions before the search moved into the estimator
        return lassonet.fit_lassonet_selector(X_train, y_train, X_val, y_val, k, random_state=0, device=device)
    selector = lassonet.LassoNetSelector(k, hidden_dims="search", random_state=0, device=device)
    return selector.fit(X_train, y_train, X_val=X_val, y_val=y_val)


def run(name, source, k, device="cpu"):
    command = [sys.executable, os.path.abspath(__file__), "--child", name, source, "--k", str(k), "--device", device]
    out = subprocess.run(command, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"{name} with {source} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", nargs="+", default=["mice", "coil20"])
    parser.add_argument("--only", choices=["ours", "reference"])
    parser.add_argument("--reference-commit", default=REFERENCE_COMMIT)
    parser.add_argument("--k", type=int, default=50)
    parser.add_argument("--device", default="cpu", help="torch device, e.g. cuda")
    parser.add_argument("--child", nargs=2, metavar=("DATASET", "SOURCE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child[0], args.child[1], args.k, args.device)

    with tempfile.TemporaryDirectory() as folder:
        sources = {"ours": os.path.join(REPO_ROOT, "src")}
        if args.only != "ours":
            reference = os.path.join(folder, "reference")
            subprocess.run(["git", "-C", REPO_ROOT, "worktree", "add", "--detach", reference, args.reference_commit],
                           check=True, capture_output=True)
            sources["reference"] = os.path.join(reference, "src")
        if args.only:
            sources = {args.only: sources[args.only]}
        print(f"{'data set':10} {'version':10} {'CPU s':>8} {'seconds':>8} {'width':>6} {'val acc':>8} {'ExtraTrees':>10}")
        try:
            for name in args.datasets:
                results = {}
                for version, source in sources.items():
                    r = results[version] = run(name, source, args.k, args.device)
                    print(f"{name:10} {version:10} {r['cpu_seconds']:8.1f} {r['seconds']:8.1f} "
                          f"{r['hidden_dims'][0]:6d} {r['validation_score']:8.3f} {r['extratrees_accuracy']:10.3f}",
                          flush=True)
                if len(results) == 2:
                    ratio = results["reference"]["cpu_seconds"] / results["ours"]["cpu_seconds"]
                    print(f"{name:10} {'ratio':10} {ratio:.1f}x less CPU time for ours", flush=True)
        finally:
            if "reference" in sources:
                subprocess.run(["git", "-C", REPO_ROOT, "worktree", "remove", "--force", reference],
                               capture_output=True)


if __name__ == "__main__":
    main()
