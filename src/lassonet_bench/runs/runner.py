"""One benchmark run, (data set, split seed, method, k, learner) -> one tidy record, without Snakemake.

`run_selection` fits a selector on the training rows (LassoNet also gets the validation rows, which its width
search and path need), `run_evaluation` trains a downstream learner from scratch on the selected columns, and
`run_one` does both and returns one flat record. Each has an `_arrays` twin that takes arrays instead of the
data layer's files (`results/data/<name>.npz`, `results/data/<name>/split-<seed>.npz`). `selection_for_k` reads
a selection file back for one k (the top k of a nested method's ranking).

The runner dispatches; the jobs around a run are their own modules: seeds and provenance (`provenance`), peak
memory (`measurement`), thread limits (`threads`) and the input checks (`run_checks`).

torch is imported only by the runs that train a network (LassoNet, the decoder): importing it takes about 2 s,
which was most of each baseline or ExtraTrees job's time in the smoke run.
"""

import json
import time
from pathlib import Path

import numpy as np

from lassonet_bench.datasets import load_dataset, load_split
from lassonet_bench.io import atomic_path
from lassonet_bench import learners
from lassonet_bench.runs.measurement import PeakMemory
from lassonet_bench.runs.provenance import environment_record, package_version, stable_seed
from lassonet_bench.runs.checks import check_learner, check_method, check_run_inputs, check_selected
from lassonet_bench.selectors import ALL_FEATURES, make_selector, selector_class, trains_a_network
from lassonet_bench.runs.threads import limited_threads


# ---------------------------------------------------------------------------------------------------------------
# Selection


def run_selection_arrays(
    X, y, split, method, n_features_to_select, seed, dataset="arrays", method_params=None, device="auto",
    n_threads=None,
):
    """Fit `method` on the training rows and return its ranking, selection, time, memory and provenance."""
    X, y, split = check_run_inputs(X, y, split)
    k = check_method(method, n_features_to_select, X.shape[1])
    params = dict(method_params or {})
    random_state = stable_seed(dataset, method, seed)
    resolved = _torch_device(device) if trains_a_network(method) else "cpu"
    with limited_threads(n_threads), PeakMemory(resolved) as memory:
        started = time.perf_counter()
        ranking, details = _fit_selector(X, y, split, method, k, random_state, params, device)
        seconds = time.perf_counter() - started
    selected = ranking if method == ALL_FEATURES else ranking[:k]
    library = _selector_library(method)
    return {
        "dataset": dataset,
        "method": method,
        "k": int(k),
        "seed": seed,
        "selection_random_state": random_state,
        "n_features": len(selected),
        "selected": [int(i) for i in selected],
        "ranking": [int(i) for i in ranking],
        "selection_seconds": seconds,
        "selection_peak_memory_mb": memory.peak_mb,
        "selection_peak_gpu_memory_mb": memory.gpu_peak_mb,
        "selection_device": str(resolved),
        "selector_library": library,
        "selector_library_version": package_version(library) if library else "",
        "method_params": json.dumps(params, sort_keys=True, default=str),
        "selection_details": details,
        **environment_record(),
    }


def _fit_selector(X, y, split, method, k, random_state, params, device):
    """(ranking of every feature, best first; method-specific details)."""
    train, val = split["train"], split["val"]
    if method == ALL_FEATURES:
        return np.arange(X.shape[1]), {}
    if trains_a_network(method):
        params = {**params, "device": device}
    selector = make_selector(method, k, random_state, **params)
    if getattr(selector, "uses_validation_rows", False):
        selector.fit(X[train], y[train], X_val=X[val], y_val=y[val])
    else:
        selector.fit(X[train], y[train])
    details = {
        name: getattr(selector, name)
        for name in ("hidden_dims_", "validation_score_", "chance_score_", "at_chance_level_", "n_components_",
                     "n_selected_by_lars_", "n_discarded_samples_")
        if hasattr(selector, name)
    }
    details.update(getattr(selector, "selection_details_", {}))  # what a selector reports of its own fit
    ranking = np.asarray(selector.ranking_, dtype=np.int64)
    support = np.flatnonzero(selector.get_support())
    if len(support) != k or set(support.tolist()) != set(ranking[:k].tolist()):
        raise RuntimeError(f"{method} selected {len(support)} features that differ from the top {k} of its ranking")
    return ranking, _jsonable(details)


def _selector_library(method):
    return "" if method == ALL_FEATURES else selector_class(method).library


def _torch_device(device):
    """The torch device a network will train on ('auto': CUDA when available); imports torch."""
    from lassonet_bench.core.devices import resolve_device

    return resolve_device(device)


def _jsonable(details):
    return {key: value.item() if isinstance(value, np.generic) else value for key, value in details.items()}


# ---------------------------------------------------------------------------------------------------------------
# Evaluation


def run_evaluation_arrays(
    X, y, split, selected, learner, seed, dataset="arrays", learner_params=None, device="auto", n_threads=None,
):
    """Train `learner` from scratch on the `selected` columns of the training rows; test accuracy and cost."""
    X, y, split = check_run_inputs(X, y, split)
    check_learner(learner)
    selected = check_selected(selected, X.shape[1])
    params = dict(learner_params or {})
    random_state = stable_seed(dataset, f"learner:{learner}", seed)
    resolved = _torch_device(device) if learners.learner(learner).trains_a_network else "cpu"
    parts = {part: (X[rows][:, selected], y[rows]) for part, rows in split.items()}
    with limited_threads(n_threads), PeakMemory(resolved) as memory:
        started = time.perf_counter()
        result = _fit_learner(parts, learner, random_state, params, resolved)
        seconds = time.perf_counter() - started
    return {
        "learner": learner,
        "accuracy": result["accuracy"],
        "hidden_width": result.get("hidden_width"),
        "validation_accuracy": result.get("validation_accuracy"),
        "epochs_trained": result.get("epochs_trained"),
        "decoder_width_search": json.dumps(result["width_search"]) if "width_search" in result else None,
        "learner_random_state": random_state,
        "learner_seconds": seconds,
        "learner_peak_memory_mb": memory.peak_mb,
        "learner_peak_gpu_memory_mb": memory.gpu_peak_mb,
        "learner_device": str(resolved),
        "learner_params": json.dumps(params, sort_keys=True, default=str),
        "n_train": len(split["train"]),
        "n_val": len(split["val"]),
        "n_test": len(split["test"]),
    }


def _fit_learner(parts, learner, random_state, params, device):
    arrays = [*parts["train"], *parts["val"], *parts["test"]]
    return learners.evaluate_function(learner)(*arrays, random_state=random_state, device=device, **params)


# ---------------------------------------------------------------------------------------------------------------
# Files and the tidy record


def load_run_data(dataset_path, split_path):
    """(name, X, y, split) from the data layer's files; the data set's name is the file's stem."""
    for path in (dataset_path, split_path):
        if not Path(path).is_file():
            raise ValueError(f"no such file: {path}")
    dataset = load_dataset(dataset_path)
    return Path(dataset_path).stem, dataset.X, dataset.y, load_split(split_path)


def run_selection(
    dataset_path, split_path, method, n_features_to_select, seed, method_params=None, device="auto", n_threads=None
):
    name, X, y, split = load_run_data(dataset_path, split_path)
    return run_selection_arrays(X, y, split, method, n_features_to_select, seed, name, method_params, device, n_threads)


def run_evaluation(
    dataset_path, split_path, selected, learner, seed, learner_params=None, device="auto", n_threads=None
):
    name, X, y, split = load_run_data(dataset_path, split_path)
    return run_evaluation_arrays(X, y, split, selected, learner, seed, name, learner_params, device, n_threads)


def run_one_arrays(
    X, y, split, method, n_features_to_select, seed, learner, dataset="arrays", method_params=None,
    learner_params=None, device="auto", n_threads=None,
):
    """Selection then evaluation; one flat record (see `tidy_record`). Every input is checked before any work."""
    X, y, split = check_run_inputs(X, y, split)
    check_method(method, n_features_to_select, X.shape[1])
    check_learner(learner)
    selection = run_selection_arrays(
        X, y, split, method, n_features_to_select, seed, dataset, method_params, device, n_threads
    )
    evaluation = run_evaluation_arrays(
        X, y, split, selection["selected"], learner, seed, dataset, learner_params, device, n_threads
    )
    return tidy_record(selection, evaluation)


def run_one(
    dataset_path, split_path, method, n_features_to_select, seed, learner, method_params=None, learner_params=None,
    device="auto", n_threads=None,
):
    name, X, y, split = load_run_data(dataset_path, split_path)
    return run_one_arrays(
        X, y, split, method, n_features_to_select, seed, learner, name, method_params, learner_params, device,
        n_threads,
    )


def tidy_record(selection, evaluation):
    """One flat row: scalars and strings only (`selected` as space-separated indices; the ranking is dropped)."""
    record = {key: value for key, value in selection.items() if key not in ("ranking", "selection_details")}
    record.update(evaluation)
    record["selected"] = " ".join(str(i) for i in selection["selected"])
    record["selection_details"] = json.dumps(selection["selection_details"], sort_keys=True, default=str)
    record["peak_memory_mb"] = max(selection["selection_peak_memory_mb"], evaluation["learner_peak_memory_mb"])
    gpu = [v for v in (selection["selection_peak_gpu_memory_mb"], evaluation["learner_peak_gpu_memory_mb"]) if v]
    record["peak_gpu_memory_mb"] = max(gpu) if gpu else None
    devices = {selection["selection_device"], evaluation["learner_device"]}
    record["device"] = "cuda" if any(d.startswith("cuda") for d in devices) else "cpu"
    return record


def write_json(record, path):
    """Write a record (or any JSON-able dict) atomically."""
    with atomic_path(path) as tmp:
        Path(tmp).write_text(json.dumps(record, indent=1, sort_keys=True, default=str) + "\n")
    return Path(path)


def selection_for_k(selection, k, source="selection"):
    """The selection record of k features: the top k of a nested method's ranking (one fit serves every k), or
    the record itself for a method fitted for this k; `source` names the file in errors."""
    if selector_class(selection["method"]).nested_selection:
        if len(selection["ranking"]) < k:
            raise ValueError(f"{source} ranks {len(selection['ranking'])} features, fewer than k={k}")
        return {**selection, "k": k, "n_features": k, "selected": selection["ranking"][:k]}
    if selection["k"] != k or len(selection["selected"]) != k:
        raise ValueError(f"{source} holds a selection of {selection['k']} features, not k={k}")
    return selection


def read_selection(path, k):
    """A selection JSON written by `write_json`, for k features (`selection_for_k`)."""
    with open(path) as handle:
        return selection_for_k(json.load(handle), k, source=str(path))


def dataset_shape(dataset_path):
    """The shape columns of a run record: rows, features and classes of the data set as run."""
    dataset = load_dataset(dataset_path)
    return {
        "dataset_n_samples": dataset.X.shape[0],
        "dataset_n_features": dataset.X.shape[1],
        "dataset_n_classes": len(np.unique(dataset.y)),
    }
