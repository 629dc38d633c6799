"""One figure computed again with some of its settings changed: the experiment for a figure whose numbers miss the
paper's, where a setting (a training budget, a seed, a baseline's configuration) is the suspect.

    python experiments/figure_experiment.py --figure figure4 --name seed-1 --set '{seed: 1}' \
        --why "Is the lowest test error at 21 features a property of split seed 0?"

`--set` is YAML merged over the figure's settings (the `figures.<section>` keys of the config; an unknown key is
refused by name). The project's own workflow computes the figure's tables in a work folder of its own with that
override (from the raw data on, as the record's figures were computed), and the tables are copied to
`<out>/<figure>/<name>/` with `experiment.yaml` (the override, the question, the commit and the compute time). The
record's report shows each experiment under its figure with the figure's own numbers read from these tables.
"""

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from lassonet_bench.experiments.registry import figure, table_paths
from lassonet_bench.experiments.settings import figure_settings, tables_folder
from lassonet_bench.io import atomic_path
from lassonet_bench.runs.provenance import git_commit

REPO_ROOT = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--figure", required=True)
    parser.add_argument("--name", required=True, help="the experiment's name: a folder name, e.g. seed-1")
    parser.add_argument("--set", required=True, dest="override", help="YAML mapping over the figure's settings")
    parser.add_argument("--why", required=True, help="the question the experiment answers")
    parser.add_argument("--config", type=Path, default=REPO_ROOT / "config.yaml")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "replication" / "experiments" / "figures")
    parser.add_argument("--cores", default="1")
    args = parser.parse_args()
    declared = figure(args.figure)
    if not args.name.replace("-", "").isalnum():
        raise SystemExit(f"--name must be letters, digits and '-', got {args.name!r}")
    override = yaml.safe_load(args.override)
    if not isinstance(override, dict):
        raise SystemExit(f"--set must be a YAML mapping, got {args.override!r}")
    config = yaml.safe_load(args.config.read_text())
    overlay = {"figures": {**(config.get("figures") or {}), declared.settings: override}}
    figure_settings(overlay, declared.settings)  # refuses an unknown key before any work
    work = (REPO_ROOT / "results" / "experiments" / "figures" / f"{args.figure}-{args.name}").resolve()
    work.mkdir(parents=True, exist_ok=True)
    (work / "overlay.yaml").write_text(yaml.safe_dump(overlay))
    target = tables_folder(args.figure)
    command = [sys.executable, "-m", "snakemake", "-s", str(REPO_ROOT / "Snakefile"), "--directory", str(work),
               "--cores", str(args.cores), "--configfile", str(args.config), str(work / "overlay.yaml"), "--", target]
    if subprocess.run(command).returncode != 0:
        raise SystemExit(f"the figure's compute job failed: see {work / 'logs'}")
    out = args.out / args.figure / args.name
    out.mkdir(parents=True, exist_ok=True)
    for path in table_paths(args.figure, str(work / target)).values():
        shutil.copy2(path, out / Path(path).name)
    benchmark = (work / "results" / "benchmarks" / "figures" / f"{args.figure}_compute.tsv").read_text().splitlines()
    cpu_s = float(dict(zip(benchmark[0].split("\t"), benchmark[1].split("\t")))["cpu_time"])
    record = dict(figure=args.figure, name=args.name, settings=override, why=args.why,
                  git_commit=git_commit(), compute_cpu_s=round(cpu_s, 1))
    with atomic_path(out / "experiment.yaml") as tmp:
        Path(tmp).write_text(yaml.safe_dump(record, sort_keys=False, allow_unicode=True))
    print(f"wrote {out} ({cpu_s:.0f} CPU s)")


if __name__ == "__main__":
    main()
