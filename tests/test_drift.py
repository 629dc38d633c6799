"""The record's drift guard and the determinism it rests on: the same commit gives the same numbers, run after run
and machine after machine (the BLAS kernels are pinned), and CI recomputes a slice of the record to prove it."""

import json
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from lassonet_bench.record import drift
from lassonet_bench.runs import kernels

ROOT = Path(__file__).resolve().parent.parent
RECORD = ROOT / "replication"
PARAMS = json.loads((RECORD / "params.json").read_text())
X86 = platform.machine().lower() in ("x86_64", "amd64")


def require_mirror():
    configured = os.environ.get("LASSONET_BENCH_MIRROR")
    mirror = Path(configured) if configured else ROOT.parent / "shared" / "datasets"
    if not (mirror / "MANIFEST.md").is_file():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but the staged data mirror {mirror} is missing: the drift guard needs it")
        pytest.skip(f"staged data mirror {mirror} not found")


@pytest.mark.slow
def test_the_guarded_slice_reproduces_the_record(tmp_path):
    require_mirror()
    problems = drift.check(RECORD, tmp_path, cores=2)
    assert not problems, drift.guard_message(problems, "replication")
    if X86:
        selection = json.loads(drift.selection_path(tmp_path / "results", "mice", "pfa", 0, 50).read_text())
        assert selection["blas_kernel"] == kernels.PINNED_CORETYPE


def recorded_slice(tmp_path):
    """The record's own job files of the slice, laid out as a results folder."""
    results = tmp_path / "results"
    for method, k, learner in drift.slice_runs(PARAMS):
        path = drift.run_path(drift.GUARDED_DATASET, method, drift.GUARDED_SEED, k, learner)
        (results / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(RECORD / "jobs" / path, results / path)
    return results


def test_the_guard_names_every_moved_number(tmp_path):
    results = recorded_slice(tmp_path)
    assert drift.differences(RECORD, results) == []
    moved = results / drift.run_path("mice", "pfa", 0, 50, "extra_trees")
    run = pd.read_csv(moved)
    run["accuracy"] = run["accuracy"] - 0.01
    selected = run.loc[0, "selected"].split()
    run.loc[0, "selected"] = " ".join([selected[1], selected[0], *selected[2:]])
    run.to_csv(moved, index=False)
    (results / drift.run_path("mice", "lassonet", 0, 50, "decoder")).unlink()
    problems = drift.differences(RECORD, results)
    assert len(problems) == 3, problems
    assert any("pfa / seed 0 / extra_trees: selected features differ from position 0" in p for p in problems)
    assert any("pfa / seed 0 / extra_trees: accuracy" in p for p in problems)
    assert any("lassonet / seed 0 / decoder: not recomputed" in p for p in problems)
    assert "record check replication --update" in drift.guard_message(problems, "replication")


def test_taking_the_slice_replaces_its_runs_only(tmp_path, monkeypatch):
    """`check --update` takes the slice's runs into the record: the decoder runs of the other methods on the
    guarded split, which the slice does not recompute, stay."""
    from lassonet_bench.record import gathering

    monkeypatch.setattr(gathering, "render", lambda record: None)  # the runs are the point, not the report

    record = tmp_path / "record"
    shutil.copytree(RECORD, record)
    results = tmp_path / "results"
    shutil.copytree(RECORD / "jobs", results)  # the record's job files: a results folder
    moved = results / drift.run_path("mice", "pfa", 0, 50, "extra_trees")
    run = pd.read_csv(moved)
    run["accuracy"] = 0.5
    run.to_csv(moved, index=False)
    gathering.take_slice(record, results)
    before, after = pd.read_csv(RECORD / "runs.csv"), pd.read_csv(record / "runs.csv")
    key = ["dataset", "method", "k", "learner", "seed"]
    assert sorted(map(tuple, after[key].values)) == sorted(map(tuple, before[key].values))
    taken = after[(after.dataset == "mice") & (after.method == "pfa") & (after.seed == 0)].set_index("learner")
    assert taken.loc["extra_trees", "accuracy"] == 0.5
    kept = before[(before.dataset == "mice") & (before.method == "pfa") & (before.seed == 0)].set_index("learner")
    assert taken.loc["decoder", "accuracy"] == kept.loc["decoder", "accuracy"]


def test_the_slice_touches_every_method_and_learner():
    covered = {(method, learner) for method, _, learner in drift.slice_runs(PARAMS)}
    methods = ["all", *PARAMS["methods"], *PARAMS.get("extra_methods", [])]  # the paper's and those beyond it
    assert covered == ({(m, "extra_trees") for m in methods}
                       | {(m, learner) for m in ("all", "lassonet") for learner in PARAMS["learners"]})
    with_extra = {**PARAMS, "extra_methods": ["mrmr"]}
    assert ("mrmr", "extra_trees") in {(method, learner) for method, _, learner in drift.slice_runs(with_extra)}
    decoder_only = {**PARAMS, "learners": ["decoder"]}  # without ExtraTrees, every method with the decoder
    assert {m for m, _, _ in drift.slice_runs(decoder_only)} == set(methods)


@pytest.mark.skipif(not X86, reason="the pinned kernel names are x86-64's")
def test_the_workflow_pins_the_blas_kernel_of_its_jobs():
    env = kernels.pinned_environment({"OPENBLAS_CORETYPE": "SkylakeX"})
    assert env["OPENBLAS_CORETYPE"] == kernels.PINNED_CORETYPE
    code = "from lassonet_bench.runs.kernels import blas_kernel; print(blas_kernel())"
    shown = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == kernels.PINNED_CORETYPE
    assert "pin_kernels()" in (ROOT / "Snakefile").read_text()


RUN_TWICE = """
import json, sys
import numpy as np
from sklearn.datasets import load_digits
from lassonet_bench.runs.runner import run_evaluation_arrays, run_selection_arrays
X, y = load_digits(return_X_y=True)
X = (X[:600] / 16.0).astype(np.float32)
y = y[:600]
order = np.random.default_rng(0).permutation(len(y))
split = {"train": order[:420], "val": order[420:480], "test": order[480:]}
tiny = {"lassonet": {"hidden_dims": [16], "n_epochs": [20, 2], "path_multiplier": 1.1}}
out = {}
for method in sys.argv[1:]:
    selection = run_selection_arrays(X, y, split, method, 8, 0, dataset="digits", method_params=tiny.get(method),
                                     device="cpu", n_threads=1)
    for learner in ("decoder", "extra_trees"):
        record = run_evaluation_arrays(X, y, split, selection["selected"], learner, 0, dataset="digits",
                                       learner_params={"max_epochs": 20, "patience": 3} if learner == "decoder"
                                       else None, device="cpu", n_threads=1)
        out[f"{method} {learner}"] = [selection["selected"], record["accuracy"]]
json.dump(out, sys.stdout)
"""


@pytest.mark.slow
def test_every_method_gives_the_same_numbers_in_two_processes():
    """Run to run, with one thread: the record's methods' selections and both learners' accuracies, bit for bit."""
    env = kernels.pinned_environment()
    slice_methods = ["all", *PARAMS["methods"]]
    runs = [subprocess.run([sys.executable, "-c", RUN_TWICE, *slice_methods], env=env, capture_output=True, text=True,
                           check=True) for _ in range(2)]
    first, second = (json.loads(run.stdout) for run in runs)
    assert len(first) == 2 * len(slice_methods) and all(len(s) in (8, 64) for s, _ in first.values())
    assert first == second
