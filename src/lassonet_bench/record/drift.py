"""The record's drift guard: recompute a cheap slice of the record with the workflow, and say what moved.

    python -m lassonet_bench.record check             # recompute the guarded slice, compare with replication/
    python -m lassonet_bench.record check --update    # a change that moves numbers: take the slice's new ones

The guarded slice is one data set and one split seed: every method of the tables (All-Features included) with
ExtraTrees, and every learner with All-Features and LassoNet. It runs each selector's and each learner's code under
the configuration the record was made with (config.yaml), so a change of a method's code or default moves it.
The decoder is not run on every selection: its code is the same whatever the selection, and its twelve runs were
half the slice's CPU time. Selections are compared feature by feature, in order (the learners see the columns in
that order), and accuracies exactly, as the run files write them.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd

from lassonet_bench.reporting.tables import table_methods
from lassonet_bench.selectors import ALL_FEATURES

GUARDED_DATASET = "mice"
GUARDED_SEED = 0
EVERY_METHOD_LEARNER = "extra_trees"  # the cheap learner, run on every method's selection
EVERY_LEARNER_METHODS = (ALL_FEATURES, "lassonet")  # the methods every learner runs on
ROOT = Path(__file__).resolve().parents[3]  # the repository: Snakefile, config.yaml


def slice_runs(params):
    """[(method, k, learner)] of the guarded slice, from the record's params.json: every table method (the paper's
    and those beyond it) and All-Features with EVERY_METHOD_LEARNER, and those of EVERY_LEARNER_METHODS with every
    learner (a record without that learner: every method with every learner)."""
    k = params["n_features_to_select"]
    methods = table_methods(params["methods"], params.get("extra_methods", []))
    learners = params["learners"]
    return [(method, "all" if method == ALL_FEATURES else k, learner)
            for method in [ALL_FEATURES, *methods] for learner in learners
            if learner == EVERY_METHOD_LEARNER or method in EVERY_LEARNER_METHODS
            or EVERY_METHOD_LEARNER not in learners]


def run_path(dataset, method, seed, k, learner):
    """A run's file in a results folder: runs/<dataset>/<method>/seed-<seed>/k-<k>/<learner>.csv (k-all for
    All-Features)."""
    return Path("runs", dataset, method, f"seed-{seed}", f"k-{k}", f"{learner}.csv")


def selection_path(folder, dataset, method, seed, k):
    """A selection file under `folder`/selections/: nested methods keep one per seed, the others one per k."""
    nested = Path(folder, "selections", dataset, method, f"seed-{seed}.json")
    return nested if nested.exists() else Path(folder, "selections", dataset, method, f"seed-{seed}", f"k-{k}.json")


def recompute(results, dataset=GUARDED_DATASET, seed=GUARDED_SEED, params=None, cores=2):
    """Run the guarded slice's jobs with the workflow into `results`' parent folder (a scratch working directory)."""
    work = Path(results).parent
    targets = [str(Path("results") / run_path(dataset, m, seed, k, learner)) for m, k, learner in slice_runs(params)]
    command = [sys.executable, "-m", "snakemake", "--snakefile", str(ROOT / "Snakefile"), "--directory", str(work),
               "--cores", str(cores), "--config", f"n_seeds={seed + 1}", "--", *targets]
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    if done.returncode != 0:
        raise RuntimeError(f"the guarded slice's workflow failed ({' '.join(command)}):\n{done.stderr[-4000:]}")


def differences(record_dir, results, dataset=GUARDED_DATASET, seed=GUARDED_SEED):
    """One line per number of the slice that differs between `results` (a workflow's results folder) and the
    record; empty when the slice reproduces the record exactly."""
    record = Path(record_dir)
    params = json.loads((record / "params.json").read_text())
    runs = pd.read_csv(record / "runs.csv")
    problems = []
    for method, k, learner in slice_runs(params):
        label = f"{dataset} / {method} / seed {seed} / {learner}"
        recorded = runs[(runs.dataset == dataset) & (runs.method == method) & (runs.seed == seed)
                        & (runs.learner == learner) & ((runs.k == k) if k != "all" else True)]
        new_path = Path(results) / run_path(dataset, method, seed, k, learner)
        if len(recorded) != 1:
            problems.append(f"{label}: the record holds {len(recorded)} runs, not one")
            continue
        if not new_path.exists():
            problems.append(f"{label}: not recomputed ({new_path} is missing)")
            continue
        new = pd.read_csv(new_path).iloc[0]
        old = recorded.iloc[0]
        if str(new["selected"]) != str(old["selected"]):
            problems.append(f"{label}: selected features {_first_difference(old['selected'], new['selected'])}")
        if new["accuracy"] != old["accuracy"]:
            problems.append(f"{label}: accuracy {float(new['accuracy'])!r}, the record's {float(old['accuracy'])!r}")
    return problems


def _first_difference(old, new):
    old, new = str(old).split(), str(new).split()
    for position, (a, b) in enumerate(zip(old, new)):
        if a != b:
            return f"differ from position {position} on: feature {b}, the record's {a}"
    return f"number {len(new)}, the record's {len(old)}"


def recompute_slice(record_dir, work, cores=2):
    """Recompute the record's guarded slice with the workflow in `work` (a scratch folder); its results folder."""
    params = json.loads((Path(record_dir) / "params.json").read_text())
    recompute(Path(work) / "results", params=params, cores=cores)
    return Path(work) / "results"


def check(record_dir, work, cores=2):
    """Recompute the guarded slice in `work` (a scratch folder); its differences from the record."""
    return differences(record_dir, recompute_slice(record_dir, work, cores))


def guard_message(problems, record_dir):
    return "\n".join([
        f"The guarded slice of the record ({record_dir}) no longer reproduces ({len(problems)} numbers moved):",
        *(f"  - {line}" for line in problems),
        "A change that moves the record's numbers must regenerate the record, or at least its guarded slice with a",
        f"note, in the same commit: python -m lassonet_bench.record check {record_dir} --update",
    ])
