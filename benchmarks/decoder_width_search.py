"""The decoder learner's width search (hidden widths k·[1/3, 2/3, 1, 4/3]) as one batched job, against the same
search in a reference version of this project where the widths trained one after the other.

    python benchmarks/decoder_width_search.py --datasets mice coil20 --data results/data

For each data set and seed, the record's selection of `--method` at k = 50 (`replication/runs.csv`; `--method all`:
every feature, the All-Features cell) is scored by
the decoder learner (`runner.run_evaluation` with `learner_params.decoder` of config.yaml) twice: by this
checkout ("batched") and by the reference commit (default 2876723, the last with the sequential search), checked
out with `git worktree` into a temporary folder. Each run is a separate process with one torch thread; the two
versions of one data set and seed run one after the other. Printed per run: CPU seconds of the learner (the fair
measure when other jobs share the cores), wall seconds, test accuracy, the chosen width and its epochs; then per
data set the summed CPU seconds and their ratio.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
REFERENCE_COMMIT = "2876723"


def child(source, job):
    """Score one selection with the package found in `source` (a src/ folder) and print its JSON record."""
    sys.path.insert(0, source)
    import torch

    import lassonet_bench
    from lassonet_bench.runs.runner import load_run_data, run_evaluation_arrays

    assert os.path.realpath(lassonet_bench.__file__).startswith(os.path.realpath(source)), lassonet_bench.__file__
    torch.set_num_threads(1)
    name, X, y, split = load_run_data(job["data"], job["split"])
    torch.optim.Adam([torch.zeros(1, requires_grad=True)])  # its first use imports torch._dynamo (1-2 CPU s)
    started, cpu_started = time.perf_counter(), time.process_time()
    result = run_evaluation_arrays(X, y, split, job["selected"], "decoder", job["seed"], name,
                                   learner_params=job["params"], device="cpu")
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    print(json.dumps(dict(seconds=seconds, cpu_seconds=cpu_seconds, accuracy=result["accuracy"],
                          hidden_width=result["hidden_width"], epochs=result["epochs_trained"],
                          width_search=json.loads(result["decoder_width_search"]))))


def run(source, job):
    command = [sys.executable, os.path.abspath(__file__), "--child", source, json.dumps(job)]
    out = subprocess.run(command, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"{job['data']} with {source} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def jobs(args):
    import pandas as pd
    import yaml

    params = yaml.safe_load(args.config.read_text())["learner_params"]["decoder"]
    if args.max_epochs is not None:
        params["max_epochs"] = args.max_epochs
    runs = pd.read_csv(args.runs)
    runs = runs[runs["dataset"].isin(args.datasets) & (runs["learner"] == "decoder") & (runs["method"] == args.method)
                & runs["seed"].isin(args.seeds) & ((runs["k"] == 50) | (runs["method"] == "all"))]
    missing = set(args.datasets) - set(runs["dataset"])
    if missing:
        raise SystemExit(f"no {args.method} decoder run of {sorted(missing)} at seeds {args.seeds} in {args.runs}")
    for run in runs.sort_values(["dataset", "seed"]).itertuples():
        yield run.dataset, dict(data=str(args.data / f"{run.dataset}.npz"),
                                split=str(args.data / run.dataset / f"split-{run.seed}.npz"),
                                selected=[int(i) for i in str(run.selected).split()], seed=int(run.seed),
                                params=params)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", nargs="+", default=["mice", "coil20"])
    parser.add_argument("--method", default="fisher", help="whose k = 50 selection of the record to score (or all)")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--max-epochs", type=int, help="instead of config.yaml's learner_params.decoder.max_epochs")
    parser.add_argument("--reference-commit", default=REFERENCE_COMMIT)
    parser.add_argument("--runs", type=Path, default=REPO_ROOT / "replication" / "runs.csv")
    parser.add_argument("--data", type=Path, default=REPO_ROOT / "results" / "data")
    parser.add_argument("--config", type=Path, default=REPO_ROOT / "config.yaml")
    parser.add_argument("--child", nargs=2, metavar=("SOURCE", "JOB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child[0], json.loads(args.child[1]))

    todo = list(jobs(args))
    with tempfile.TemporaryDirectory() as folder:
        reference = os.path.join(folder, "reference")
        subprocess.run(["git", "-C", str(REPO_ROOT), "worktree", "add", "--detach", reference, args.reference_commit],
                       check=True, capture_output=True)
        sources = {"sequential": os.path.join(reference, "src"), "batched": str(REPO_ROOT / "src")}
        print(f"{'data set':10} {'seed':>4} {'version':10} {'CPU s':>8} {'seconds':>8} {'accuracy':>8} "
              f"{'width':>5} {'epochs':>6}  validation accuracy per width")
        totals = {}
        try:
            for name, job in todo:
                for version, source in sources.items():
                    r = run(source, job)
                    totals.setdefault(name, {}).setdefault(version, []).append(r)
                    widths = " ".join(f"{w}:{a:.3f}" for w, a in r["width_search"].items())
                    print(f"{name:10} {job['seed']:4d} {version:10} {r['cpu_seconds']:8.1f} {r['seconds']:8.1f} "
                          f"{r['accuracy']:8.4f} {r['hidden_width']:5d} {r['epochs']:6d}  {widths}", flush=True)
        finally:
            subprocess.run(["git", "-C", str(REPO_ROOT), "worktree", "remove", "--force", reference],
                           capture_output=True)
    print("\n| data set | runs | sequential: CPU s | batched: CPU s | ratio | test accuracy, sequential / batched |")
    print("|---|---:|---:|---:|---:|---|")
    for name, versions in totals.items():
        cpu = {v: sum(r["cpu_seconds"] for r in rs) for v, rs in versions.items()}
        accuracy = {v: sum(r["accuracy"] for r in rs) / len(rs) for v, rs in versions.items()}
        ratio = cpu["sequential"] / cpu["batched"]
        print(f"| {name} | {len(versions['batched'])} | {cpu['sequential']:.1f} | {cpu['batched']:.1f} | {ratio:.1f}× | "
              f"{accuracy['sequential']:.3f} / {accuracy['batched']:.3f} |")


if __name__ == "__main__":
    main()
