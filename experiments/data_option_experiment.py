"""One data set's runs made again with one option of the config changed: a preprocessing option (`--option`, a
`data.<key>`), the experiment for cells that miss the paper on every method alike, where the data is the suspect;
or one method's parameter (`--method-option`, a `method_params.<method>.<key>`), for a method that misses where the
others do not.

    python experiments/data_option_experiment.py --dataset mice --option mice_missing_fill=authors_code \
        --out replication/experiments/authors-fill-mice.csv
    python experiments/data_option_experiment.py --dataset isolet1560 --method-option 'lassonet.hidden_dims=[205]' \
        --methods lassonet --figure5-grid --out replication/experiments/authors-width-isolet1560.csv

It runs the project's own workflow (by default the config's methods, All-Features included, at its k; every learner
and seed) in a work folder of its own with the option set, from the raw data on, so every number comes from the same
code as the record's; the run rows (`results/runs/<data set>/.../<learner>.csv`) are then gathered into one table. A
job that fails on the changed data (pyHSICLasso can, on nearly constant columns) is left out and named, the others
go on.
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


def run_files(config, dataset, methods=None, ks=None):
    """The run files of the data set's runs: each method (default: the config's and All-Features) at each k (default:
    the config's), each learner and seed. All-Features has one run per seed and learner, whatever the k."""
    methods = methods or [*config["methods"], ALL_FEATURES]
    ks = ks or [config.get("n_features_to_select", 50)]
    files = [(Path("results/runs") / run_file(SimpleNamespace(dataset=dataset, method=method, seed=seed, k=k,
                                                               learner=learner))).as_posix()
             for method in methods for k in ks for seed in range(config["n_seeds"]) for learner in config["learners"]]
    return list(dict.fromkeys(files))


def overlay_of(config, data_option, method_option):
    """(the config overlay, the option's value) of `--option KEY=VALUE` or `--method-option METHOD.KEY=YAML`."""
    text = data_option or method_option
    key, sep, value = text.partition("=")
    method, dot, parameter = key.partition(".")
    if not sep or not key or not value or (method_option and not (dot and method and parameter)):
        flag = "--option KEY=VALUE" if data_option else "--method-option METHOD.KEY=VALUE"
        raise SystemExit(f"{flag} expected, got {text!r}")
    if data_option:
        return {"data": {**config.get("data", {}), key: value}}, value
    params = config.get("method_params", {})
    return {"method_params": {**params, method: {**params.get(method, {}), parameter: yaml.safe_load(value)}}}, value


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", required=True)
    option = parser.add_mutually_exclusive_group(required=True)
    option.add_argument("--option", help="KEY=VALUE of the config's data section")
    option.add_argument("--method-option", help="METHOD.KEY=VALUE (YAML) of the config's method_params")
    parser.add_argument("--methods", nargs="+", help="the methods run (default: the config's and All-Features)")
    ks = parser.add_mutually_exclusive_group()
    ks.add_argument("--k", type=int, nargs="+", help="the numbers of features (default: the config's k)")
    ks.add_argument("--figure5-grid", action="store_true", help="k: the config's figure5.n_features_grid")
    parser.add_argument("--config", type=Path, default=REPO_ROOT / "config.yaml")
    parser.add_argument("--work", type=Path, default=None,
                        help="the work folder (default: results/experiments/<data set>-<option value>)")
    parser.add_argument("--cores", default="all")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    config = yaml.safe_load(args.config.read_text())
    changes, value = overlay_of(config, args.option, args.method_option)
    name = "".join(c if c.isalnum() or c in "-_." else "-" for c in value).strip("-")
    work = (args.work or REPO_ROOT / "results" / "experiments" / f"{args.dataset}-{name}").resolve()
    work.mkdir(parents=True, exist_ok=True)
    overlay = work / "overlay.yaml"
    overlay.write_text(yaml.safe_dump(changes))
    targets = run_files(config, args.dataset, args.methods,
                        config["figure5"]["n_features_grid"] if args.figure5_grid else args.k)
    command = [sys.executable, "-m", "snakemake", "-s", str(REPO_ROOT / "Snakefile"), "--directory", str(work),
               "--cores", str(args.cores), "--keep-going", "--configfile", str(args.config), str(overlay), "--", *targets]
    subprocess.run(command)
    missing = [target for target in targets if not (work / target).exists()]
    for target in missing:  # a job that failed on the changed data: its log under work/logs/ says why
        print(f"not run (see {work / 'logs'}): {target}", file=sys.stderr)
    if len(missing) == len(targets):
        raise SystemExit(f"no run finished in {work}")
    rows = pd.concat([pd.read_csv(work / t) for t in targets if t not in missing], ignore_index=True)
    rows["data_option" if args.option else "method_option"] = args.option or args.method_option
    write_experiment(rows, args.out)


if __name__ == "__main__":
    main()
