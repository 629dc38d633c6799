"""One data set's table cells re-run with one preprocessing option changed (a `data.<key>` of the config): the
experiment for cells that miss the paper on every method alike, where the data, not a method, is the suspect.

    python experiments/data_option_experiment.py --dataset mice --option mice_missing_fill=authors_code \
        --out replication/experiments/authors-fill-mice.csv

It runs the project's own workflow (the config's methods, learners, k and seeds, All-Features included) in a work
folder of its own with the option set, from the raw data on, so every number comes from the same code as the
record's; the run rows (`results/runs/<data set>/.../<learner>.csv`) are then gathered into one table. A job that
fails on the changed data (pyHSICLasso can, on nearly constant columns) is left out and named, the others go on.
"""

import argparse
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import yaml

from lassonet_bench.record import run_file, write_experiment
from lassonet_bench.selectors import ALL_FEATURES

REPO_ROOT = Path(__file__).resolve().parent.parent


def run_files(config, dataset):
    """The run files of the data set's table cells: every method at k, All-Features, each learner and seed."""
    k = config.get("n_features_to_select", 50)
    return [(Path("results/runs") / run_file(SimpleNamespace(dataset=dataset, method=method, seed=seed, k=k,
                                                              learner=learner))).as_posix()
            for method in [*config["methods"], ALL_FEATURES] for seed in range(config["n_seeds"])
            for learner in config["learners"]]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", required=True)
    parser.add_argument("--option", required=True, help="KEY=VALUE of the config's data section")
    parser.add_argument("--config", type=Path, default=REPO_ROOT / "config.yaml")
    parser.add_argument("--work", type=Path, default=None,
                        help="the work folder (default: results/experiments/<data set>-<option value>)")
    parser.add_argument("--cores", default="all")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    key, sep, value = args.option.partition("=")
    if not sep or not key or not value:
        raise SystemExit(f"--option must be KEY=VALUE, got {args.option!r}")
    config = yaml.safe_load(args.config.read_text())
    work = (args.work or REPO_ROOT / "results" / "experiments" / f"{args.dataset}-{value}").resolve()
    work.mkdir(parents=True, exist_ok=True)
    overlay = work / "overlay.yaml"
    overlay.write_text(yaml.safe_dump({"data": {**config.get("data", {}), key: value}}))
    targets = run_files(config, args.dataset)
    command = [sys.executable, "-m", "snakemake", "-s", str(REPO_ROOT / "Snakefile"), "--directory", str(work),
               "--cores", str(args.cores), "--keep-going", "--configfile", str(args.config), str(overlay), "--", *targets]
    subprocess.run(command)
    missing = [target for target in targets if not (work / target).exists()]
    for target in missing:  # a job that failed on the changed data: its log under work/logs/ says why
        print(f"not run (see {work / 'logs'}): {target}", file=sys.stderr)
    if len(missing) == len(targets):
        raise SystemExit(f"no run finished in {work}")
    rows = pd.concat([pd.read_csv(work / t) for t in targets if t not in missing], ignore_index=True)
    rows["data_option"] = args.option
    write_experiment(rows, args.out)


if __name__ == "__main__":
    main()
