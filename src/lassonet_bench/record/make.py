"""The whole record from a clean checkout, at one commit: `python -m lassonet_bench.record make`.

1. The protocol: `snakemake --cores N` (the default target: every run, the tables, the figures, the report's
   parameters) into results/.
2. The experiments on the misses that experiments/plan.yaml lists, each into results/experiments/.
3. The record: replication/ made anew from results/ alone (runs, job files, fetch status, figures, experiments),
   rendered, and its status copied into the README.

It resumes: Snakemake reruns only what is missing, and an experiment whose result is already in results/ for this
commit is not run again, so a long record can be made in parts (each a call of this command). A part made on
another machine comes back through `--resume-from`, a folder that `save-progress` wrote (progress.py). It refuses a
checkout with uncommitted changes, and results/ holding runs of another commit, so that every row names the same
commit.
"""

import json
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import yaml

from lassonet_bench.datasets import REGISTRY
from lassonet_bench.io import atomic_path, replaced_folder
from lassonet_bench.record.gathering import export, export_figures
from lassonet_bench.record.progress import restore_progress
from lassonet_bench.record.rendering import readme_with_status
from lassonet_bench.reporting.misses import EXPERIMENTS
from lassonet_bench.runs.provenance import git_commit

ROOT = Path(__file__).resolve().parents[3]
PLAN = ROOT / "experiments" / "plan.yaml"


def read_plan(path=PLAN):
    """experiments/plan.yaml, checked: every cell and Figure 5 experiment is one of EXPERIMENTS, made by a command
    of its own and on what its section says (a table cell, Figure 5), every figure entry complete."""
    plan = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    for section, figure in (("cells", None), ("figure5", "figure5")):
        for name in plan.get(section, {}):
            if name not in EXPERIMENTS:
                raise ValueError(f"{path}: {section}.{name} is not an experiment of reporting.misses.EXPERIMENTS "
                                 f"({', '.join(EXPERIMENTS)})")
            if "command" not in EXPERIMENTS[name]:
                raise ValueError(f"{path}: {section}.{name} is made by the protocol itself (the runs of "
                                 f"{EXPERIMENTS[name]['from_method']}), not by a command of its own")
            if EXPERIMENTS[name].get("figure") != figure:
                raise ValueError(f"{path}: {section}.{name} is an experiment on "
                                 f"{EXPERIMENTS[name].get('figure', 'table cells')}, not on {figure or 'table cells'}")
    for index, entry in enumerate(plan.get("figures", [])):
        missing = {"figure", "name"} - set(entry)
        if missing or ("set" in entry) == ("command" in entry) or ("set" in entry and "why" not in entry):
            raise ValueError(f"{path}: figures[{index}] needs figure, name and either set with why, or command")
    return plan


def experiment_commands(plan, results):
    """[(result path, command)] of every experiment of the plan, in its order."""
    results = Path(results)
    commands = []
    for name, datasets in [*plan.get("cells", {}).items(), *plan.get("figure5", {}).items()]:
        for dataset in datasets:
            out = results / "experiments" / f"{name}-{dataset}.csv"
            commands.append((out, EXPERIMENTS[name]["command"].format(dataset=dataset, out=out)))
    for entry in plan.get("figures", []):
        folder = results / "experiments" / "figures" / entry["figure"] / entry["name"]
        if "command" in entry:
            command = entry["command"].format(out=folder)
        else:
            command = (f"python experiments/figure_experiment.py --figure {entry['figure']} --name {entry['name']} "
                       f"--set {shlex.quote(json.dumps(entry['set']))} --why {shlex.quote(entry['why'])} "
                       f"--out {folder.parent.parent}")
        commands.append((folder / "experiment.yaml", command))
    return commands


def made_by(path):
    """The commit that wrote an experiment's result (its rows' or its experiment.yaml's git_commit), or None."""
    path = Path(path)
    if not path.exists():
        return None
    if path.suffix == ".csv":
        commits = set(pd.read_csv(path, usecols=["git_commit"])["git_commit"].astype(str))
        return commits.pop() if len(commits) == 1 else "several"
    return str((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("git_commit"))


def check_one_commit(results, commit):
    """Refuse results/ whose finished runs were made by another commit than `commit`."""
    others = set()
    for run in sorted((Path(results) / "runs").rglob("*.csv")):
        others |= set(pd.read_csv(run, usecols=["git_commit"])["git_commit"].astype(str)) - {commit}
    if others:
        raise SystemExit(f"{results} holds runs of other commits ({', '.join(sorted(others))}), not only of {commit}: "
                         "make the record in a fresh checkout (git worktree add ../record <commit>)")


def make(record="replication", results="results", cores="all", run=subprocess.run, root=ROOT, resume_from=None):
    """Make the record: the protocol, the plan's experiments, then the record folder. Paths are taken from `root`
    (the checkout); `run` runs a command (subprocess.run's signature; tests pass a stand-in); `resume_from`: a
    folder of saved progress of this commit (progress.py)."""
    record, results = Path(root) / record, Path(root) / results
    commit = git_commit()
    if commit.endswith("-dirty") or commit == "unknown":
        raise SystemExit(f"the record is made from a commit: this checkout is {commit} (commit or stash first)")
    check_one_commit(results, commit)
    snakemake = [sys.executable, "-m", "snakemake", "--cores", str(cores)]
    if resume_from is not None:  # the data stage first: it is made again, not saved
        # By name: every data set's fetch checkpoint, then the prepared data and splits of those available (the
        # runs reach them only through the checkpoints, which neither --until nor --touch follows).
        _run(run, [*snakemake, *(f"results/raw/{name}/fetch.json" for name in REGISTRY)], root)
        _run(run, [*snakemake, *data_targets(root, results)], root)
        print(f"record make: {restore_progress(resume_from, results, commit)} saved files restored from {resume_from}")
        check_one_commit(results, commit)
        _run(run, [*snakemake, "--touch"], root)  # the restored files, up to date in the DAG's order
    _run(run, snakemake, root)
    planned = experiment_commands(read_plan(), results.relative_to(root))
    for out, command in planned:
        if made_by(root / out) == commit:
            continue  # made in an earlier part of this record
        _run(run, command, root, shell=True)
        if made_by(root / out) != commit:
            raise SystemExit(f"the experiment `{command}` did not write {out} for commit {commit}")
    with replaced_folder(record) as fresh:  # the old record is replaced whole, never half-way
        for out, _ in planned:  # the experiments' results, not their work folders
            result = out if out.suffix == ".csv" else out.parent
            source, target = root / result, fresh / result.relative_to(results.relative_to(root))
            target.parent.mkdir(parents=True, exist_ok=True)
            (shutil.copyfile if source.is_file() else shutil.copytree)(source, target)
        export_figures(results, fresh, commit)
        export([results], fresh)  # renders, the experiments and figures included
    readme = Path(root) / "README.md"
    with atomic_path(readme) as tmp:
        tmp.write_text(readme_with_status(readme.read_text(encoding="utf-8"),
                                          (Path(record) / "STATUS.md").read_text(encoding="utf-8")), encoding="utf-8")


def data_targets(root, results):
    """The prepared data and split files of every available data set, for config.yaml's split seeds."""
    seeds = range(yaml.safe_load((Path(root) / "config.yaml").read_text(encoding="utf-8"))["n_seeds"])
    targets = []
    for name in REGISTRY:
        status = json.loads((Path(results) / "raw" / name / "fetch.json").read_text(encoding="utf-8"))
        if status["available"]:
            targets += [f"results/data/{name}.npz", *(f"results/data/{name}/split-{seed}.npz" for seed in seeds)]
    return targets


def _run(run, command, root, shell=False):
    shown = command if shell else " ".join(map(str, command))
    print(f"record make: {shown}", flush=True)
    if run(command, shell=shell, cwd=root).returncode != 0:
        raise SystemExit(f"record make stopped: `{shown}` failed (run the command again to resume)")
