"""Seconds and peak memory of every baseline selector on every classification data set in the mirror, k = 50.

    python benchmarks/baseline_selectors.py [--mirror ../shared/datasets] [--k 50] [--threads 1] [--methods fisher hsic ...]

Each (data set, selector) runs in its own Python process, so one run's memory cannot inflate another's figure,
and is measured by the runner (`run_selection_arrays`: the kernel's peak RSS of the process, see measurement.py) on the
training rows (70 %) of split seed 0, exactly as the workflow runs it. The table gives the peak RSS of the whole
process and its increase over the RSS when the selection started (data already loaded). A data set whose files are
not in the mirror is listed as unavailable. The issue's limit, 8 GB on MNIST for every selector, is checked at the end.
"""

import os
import sys

# Run as a script, this file's folder comes first on sys.path and its name would shadow the standard library's
# `selectors` module, which subprocess imports: drop the folder before importing anything else.
sys.path = [p for p in sys.path if os.path.abspath(p or ".") != os.path.dirname(os.path.abspath(__file__))]

import argparse  # noqa: E402
import json  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DATASETS = ("mice", "mnist", "fashion", "isolet", "isolet1560", "coil20", "activity")
# (label, method, parameters): Fisher score and Trace Ratio twice, through scikit-feature (the default) and in
# closed form (the same ranking, tested, in O(n d) memory)
SELECTORS = (
    ("fisher", "fisher", {}),
    ("fisher (closed form)", "fisher", {"backend": "closed_form"}),
    ("hsic", "hsic", {}),
    ("pfa", "pfa", {}),
    ("trace_ratio", "trace_ratio", {}),
    ("trace_ratio (closed form)", "trace_ratio", {"backend": "closed_form"}),
)
MEMORY_LIMIT_MB = 8 * 1000  # "8 GB"


def load_training_problem(name, mirror, raw_dir):
    """(X, y, split) of data set `name` from the mirror only (no download), split seed 0."""
    from lassonet_bench.datasets import fetch, make_split, prepare

    fetch(name, raw_dir, mirror=mirror, allow_download=False)
    dataset = prepare(name, raw_dir)
    return dataset.X, dataset.y, make_split(dataset.y, seed=0, stratify=True)


def measure_one(name, method, params, k, mirror, raw_dir, threads):
    """Run in the child process: one selection, its figures as a dict."""
    from lassonet_bench.runs.runner import run_selection_arrays

    X, y, split = load_training_problem(name, mirror, raw_dir)
    result = run_selection_arrays(X, y, split, method, k, 0, name, params, device="cpu", n_threads=threads)
    return {
        "n_train": len(split["train"]),
        "d": X.shape[1],
        "seconds": result["selection_seconds"],
        "peak_mb": result["selection_peak_memory_mb"],
        "details": result["selection_details"],
    }


def run_child(name, method, params, args):
    command = [
        sys.executable, __file__, "--child", name, method, json.dumps(params), "--k", str(args.k),
        "--mirror", str(args.mirror), "--threads", str(args.threads), "--raw-dir", str(args.raw_dir / name),
    ]
    completed = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
    if completed.returncode != 0:
        last_line = (completed.stderr.strip().splitlines() or [f"exit status {completed.returncode}"])[-1]
        return {"error": last_line[:120]}
    return json.loads(completed.stdout.strip().splitlines()[-1])


def child_main(args):
    from lassonet_bench.runs.measurement import PeakMemory

    name, method, params = args.child
    with PeakMemory() as idle:  # the process before any selection: interpreter, numpy, torch, the data
        pass
    figures = measure_one(name, method, json.loads(params), args.k, args.mirror, Path(args.raw_dir), args.threads)
    figures["increase_mb"] = figures["peak_mb"] - idle.start_mb
    print(json.dumps(figures))


def available_datasets(args):
    from lassonet_bench.datasets import DatasetUnavailable, fetch

    available = []
    for name in args.datasets:
        try:
            fetch(name, args.raw_dir / name, mirror=args.mirror, allow_download=False)
            available.append(name)
        except DatasetUnavailable as missing:
            print(f"{name}: unavailable in the mirror ({str(missing).splitlines()[0][:100]})")
    return available


def print_table(rows):
    header = f"{'data set':<11} {'n_train':>7} {'d':>4} {'selector':<26} {'seconds':>9} {'peak MB':>9} {'+MB':>8}  note"
    print(header)
    print("-" * len(header))
    for name, label, figures in rows:
        if "error" in figures:
            print(f"{name:<11} {'':>7} {'':>4} {label:<26} {'failed':>9} {'':>9} {'':>8}  {figures['error']}")
            continue
        note = ", ".join(f"{key}={value}" for key, value in figures["details"].items())
        print(
            f"{name:<11} {figures['n_train']:>7} {figures['d']:>4} {label:<26} {figures['seconds']:>9.1f} "
            f"{figures['peak_mb']:>9.0f} {figures['increase_mb']:>8.0f}  {note}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirror", type=Path, default=REPO.parent / "shared" / "datasets")
    parser.add_argument("--raw-dir", type=Path, default=None, help="where fetched raw files go (default: a temp dir)")
    parser.add_argument("--k", type=int, default=50)
    parser.add_argument("--threads", type=int, default=None, help="BLAS/torch threads (default: unchanged)")
    parser.add_argument("--datasets", nargs="+", default=list(DATASETS))
    parser.add_argument("--methods", nargs="+", default=[label for label, _, _ in SELECTORS])
    parser.add_argument("--child", nargs=3, metavar=("DATASET", "METHOD", "PARAMS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child_main(args)
    with tempfile.TemporaryDirectory(prefix="selectors-bench-") as scratch:
        args.raw_dir = args.raw_dir or Path(scratch)
        rows = [
            (name, label, run_child(name, method, params, args))
            for name in available_datasets(args)
            for label, method, params in SELECTORS
            if label in args.methods
        ]
    print_table(rows)
    over = [(n, label) for n, label, f in rows if n == "mnist" and f.get("peak_mb", 0) > MEMORY_LIMIT_MB]
    failed = [(n, label) for n, label, f in rows if "error" in f]
    print(f"\nMNIST over {MEMORY_LIMIT_MB} MB: {over or 'none'}; failed runs: {failed or 'none'}")
    return 1 if over or failed else 0


if __name__ == "__main__":
    sys.exit(main())
