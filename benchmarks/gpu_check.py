"""The GPU check of the LassoNet core, in one table: run it where a GPU is (`benchmarks/gpu_check.sh`).

    python benchmarks/gpu_check.py --device cuda            # the check, about 5 minutes on one card
    python benchmarks/gpu_check.py --device cpu --tiny      # the same script on small data, to test it on a CPU

1. agreement: the selection on `--device` against the one on the CPU, sklearn's digits (k = 10, width search of
   two widths; one with `--tiny`): how many of the k features agree, and both validation scores (cuBLAS may add in another order,
   so a feature near a tie may swap).
2. path: our path to k = 50 against the official package's to <= 50 features, MNIST (Mice Protein with `--tiny`),
   split and model seed 0, both on `--device` (`path_vs_reference.py --child`).
3. width search: our four widths d·[1/3, 2/3, 1, 4/3] trained at once, same data (`width_search.py --child`).
Each part runs in its own process with a time limit, so the table comes out even when one part is too slow.
"""

import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(os.path.dirname(HERE), "src")


def agreement(device, fractions, k=10):
    import numpy as np
    from sklearn.datasets import load_digits

    from lassonet_bench.selectors.lassonet import LassoNetSelector

    X, y = load_digits(return_X_y=True)
    X = (X / 16).astype(np.float32)
    rows = np.random.default_rng(0).permutation(len(X))
    train, val = rows[:1200], rows[1200:1500]
    fits = {}
    for where in ("cpu", device):
        started = time.perf_counter()
        selector = LassoNetSelector(k, hidden_dims="search", width_fractions=fractions, random_state=0,
                                    device=where).fit(X[train], y[train], X_val=X[val], y_val=y[val])
        fits[where] = (selector, time.perf_counter() - started)
    (cpu, cpu_s), (other, other_s) = fits["cpu"], fits[device]
    same = len(set(np.flatnonzero(cpu.get_support())) & set(np.flatnonzero(other.get_support())))
    return dict(seconds=other_s, result=f"{same}/{k} features agree; validation accuracy {other.validation_score_:.3f}"
                f" ({device}) vs {cpu.validation_score_:.3f} (cpu, {cpu_s:.0f} s)")


def child(script, arguments, limit):
    """Run a benchmark script's child mode; its JSON record, or the reason there is none."""
    command = [sys.executable, os.path.join(HERE, script), *arguments]
    try:
        out = subprocess.run(command, capture_output=True, text=True, timeout=limit)
    except subprocess.TimeoutExpired:
        return dict(error=f"stopped after {limit} s")
    if out.returncode != 0:
        return dict(error=out.stderr.strip().splitlines()[-1] if out.stderr.strip() else f"exit {out.returncode}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def describe(record):
    if "error" in record:
        return float("nan"), record["error"]
    text = f"ExtraTrees {record['extratrees_accuracy']:.3f}"
    if "steps" in record:
        text += f", {record['steps']} steps, {record['features_at_stop']} features at the stop"
    if "hidden_dims" in record:
        text += f", width {record['hidden_dims'][0]} kept (validation {record['validation_score']:.3f})"
    return record["seconds"], text


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--tiny", action="store_true", help="Mice Protein instead of MNIST (a CPU test of the script)")
    parser.add_argument("--limit", type=int, default=150, help="seconds allowed to each timed part")
    args = parser.parse_args()
    sys.path.insert(0, SOURCE)
    import torch

    card = torch.cuda.get_device_name(0) if args.device.startswith("cuda") else "CPU"
    dataset = "mice" if args.tiny else "mnist"
    print(f"GPU check on {card} ({args.device}), torch {torch.__version__}")
    print("| check | data set | seconds | result |\n|---|---|---:|---|", flush=True)
    show("agreement with the CPU", "digits", *describe_agreement(args.device, args.tiny))
    device = ["--device", args.device]
    for label, script, arguments in [
        ("path to k=50, ours", "path_vs_reference.py", ["--child", dataset, "ours", "0", *device]),
        ("path to <=50, official", "path_vs_reference.py", ["--child", dataset, "reference", "0", *device]),
        ("four-width search, ours", "width_search.py", ["--child", dataset, SOURCE, *device]),
    ]:
        show(label, dataset, *describe(child(script, arguments, args.limit)))


def show(label, data, seconds, result):
    print(f"| {label} | {data} | {seconds:.1f} | {result} |", flush=True)


def describe_agreement(device, tiny):
    try:
        record = agreement(device, fractions=(1 / 3,) if tiny else (1 / 3, 2 / 3))
    except Exception as error:  # the table must come out; the error is its row
        return float("nan"), f"failed: {error}"
    return record["seconds"], record["result"]


if __name__ == "__main__":
    main()
