"""One benchmark run, (data set, split seed, method, k, learner) -> one tidy record, without Snakemake.

`run_selection` fits a selector on the training rows (LassoNet also gets the validation rows, which its width
search and path need), `run_evaluation` trains a downstream learner from scratch on the selected columns, and
`run_one` does both and returns one flat record. Each has an `_arrays` twin that takes arrays instead of the
data layer's files (`results/data/<name>.npz`, `results/data/<name>/split-<seed>.npz`).

Seeds: every random state is derived from (data set, method or learner, seed) by SHA-256 (`stable_seed`), so a
run gives the same numbers whatever ran before it in the process, and never touches global RNG state.

Peak memory: the process's peak resident set size during the step, in MB. On Linux the kernel's own high-water
mark (VmHWM) is reset before the step (`/proc/self/clear_refs`) and read after it, so no short spike is missed;
elsewhere RSS is sampled every 5 ms. The resident size of child processes (joblib workers) is sampled too and added.
It is the whole process (interpreter, libraries, the loaded data): what a cluster job must request. On CUDA the
peak of `torch.cuda.max_memory_allocated` is reported separately.

torch is imported only by the runs that train a network (LassoNet, the decoder): importing it takes about 2 s,
which was most of each baseline or ExtraTrees job's time in the smoke run.
"""

import hashlib
import json
import platform
import subprocess
import sys
import threading
import time
from contextlib import contextmanager, nullcontext
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import numpy as np
import psutil
from threadpoolctl import threadpool_limits

from lassonet_bench.io import atomic_path
from lassonet_bench.learners import evaluate_extra_trees
from lassonet_bench.selection import METHODS, make_selector, selector_class
from lassonet_bench.validation import check_class_labels, check_features, check_n_features_to_select

ALL_FEATURES = "all"
RUN_METHODS = (*METHODS, ALL_FEATURES)
LEARNERS = ("decoder", "extra_trees")
SPLIT_PARTS = ("train", "val", "test")


# ---------------------------------------------------------------------------------------------------------------
# Seeds, provenance, measurement


def stable_seed(*parts):
    """A seed in [0, 2**32) from the parts' text, stable across processes and Python versions (unlike hash())."""
    text = "\x1f".join(str(part) for part in parts)
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "little")


def package_version(distribution):
    """Installed version of a distribution, or 'not installed'."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


@lru_cache(maxsize=1)
def git_commit():
    """HEAD of the repository holding this file, '-dirty' when tracked files differ from it; 'unknown' outside git."""
    root = Path(__file__).resolve().parent
    try:
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True, timeout=10
        ).stdout.strip()
        dirty = subprocess.run(["git", "diff", "--quiet", "HEAD", "--"], cwd=root, timeout=30).returncode != 0
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return head + ("-dirty" if dirty else "")


def environment_record():
    return {
        "torch_version": package_version("torch"),
        "numpy_version": np.__version__,
        "sklearn_version": package_version("scikit-learn"),
        "python_version": platform.python_version(),
        "platform": platform.platform(),
        "git_commit": git_commit(),
    }


class PeakMemory:
    """Context manager measuring peak RSS (MB) of this process plus its children, and peak CUDA memory."""

    def __init__(self, device=None, interval=0.005):
        self.device = device
        self.on_cuda = getattr(device, "type", None) == "cuda"  # a torch.device; None or "cpu": no GPU to watch
        self.interval = interval
        self.peak_mb = self.start_mb = self.children_peak_mb = 0.0
        self.gpu_peak_mb = None
        self._process = psutil.Process()
        self._stop = threading.Event()
        self._hwm_reset = False

    def __enter__(self):
        self.start_mb = self._process.memory_info().rss / 2**20
        self._hwm_reset = _reset_peak_rss()
        if self.on_cuda:
            _cuda().reset_peak_memory_stats(self.device)
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self._take_sample()
        if self._hwm_reset:
            self.peak_mb = max(self.peak_mb, _read_peak_rss_mb())
        self.peak_mb += self.children_peak_mb
        if self.on_cuda:
            self.gpu_peak_mb = _cuda().max_memory_allocated(self.device) / 2**20
        return False

    def _sample(self):
        while not self._stop.wait(self.interval):
            self._take_sample()

    def _take_sample(self):
        try:
            own = self._process.memory_info().rss / 2**20
            children = sum(child.memory_info().rss for child in self._process.children(recursive=True)) / 2**20
        except psutil.Error:  # a child may exit between listing and reading
            return
        self.peak_mb = max(self.peak_mb, own)
        self.children_peak_mb = max(self.children_peak_mb, children)


def _cuda():
    import torch  # loaded already wherever a CUDA device was resolved

    return torch.cuda


def _torch_device(device):
    """The torch device a network will train on ('auto': CUDA when available)."""
    from lassonet_bench.devices import resolve_device

    return resolve_device(device)


def _reset_peak_rss():
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def _read_peak_rss_mb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


@contextmanager
def limited_threads(n_threads):
    """BLAS/OpenMP and torch intra-op threads limited to n_threads for the block (None: leave as they are).

    torch's threads only where torch is loaded already: the jobs that train no network never import it.
    """
    blas = threadpool_limits(limits=n_threads) if n_threads is not None else nullcontext()
    if "torch" in sys.modules:
        from lassonet_bench.devices import torch_threads

        torch_part = torch_threads(n_threads)
    else:
        torch_part = nullcontext()
    with blas, torch_part:
        yield


# ---------------------------------------------------------------------------------------------------------------
# Input checks (all before any work starts)


def check_split(split, n_samples, name="split"):
    """Return {'train','val','test'} as int64 index arrays; each part non-empty, in range, and disjoint."""
    missing = [part for part in SPLIT_PARTS if part not in split]
    if missing:
        raise ValueError(f"{name} lacks the part(s) {missing}; it needs {list(SPLIT_PARTS)}")
    checked = {}
    for part in SPLIT_PARTS:
        indices = np.asarray(split[part])
        if indices.ndim != 1 or len(indices) == 0:
            raise ValueError(f"{name}[{part!r}] is empty (shape {indices.shape}): every part needs at least one row")
        if not np.issubdtype(indices.dtype, np.integer):
            raise ValueError(f"{name}[{part!r}] must hold integer row indices, got dtype {indices.dtype}")
        if indices.min() < 0 or indices.max() >= n_samples:
            raise ValueError(
                f"{name}[{part!r}] holds row indices outside [0, {n_samples}): min {indices.min()}, max {indices.max()}"
            )
        checked[part] = indices.astype(np.int64)
    for first, second in (("train", "val"), ("train", "test"), ("val", "test")):
        shared = np.intersect1d(checked[first], checked[second])
        if len(shared):
            raise ValueError(f"{name} parts {first!r} and {second!r} share {len(shared)} rows (e.g. {shared[0]})")
    return checked


def check_run_inputs(X, y, split):
    """Features, labels and split checked together; the training part needs at least two classes."""
    X = check_features(X, "X")
    y = check_class_labels(y, "y")
    if len(y) != X.shape[0]:
        raise ValueError(f"X and y have different lengths: {X.shape[0]} rows in X, {len(y)} labels in y")
    split = check_split(split, X.shape[0])
    check_class_labels(y[split["train"]], "y[train]")
    return X, y, split


def check_selected(selected, n_features):
    selected = np.asarray(selected)
    if selected.ndim != 1 or len(selected) == 0:
        raise ValueError(f"selected must be a non-empty 1-D list of feature indices, got shape {selected.shape}")
    if not np.issubdtype(selected.dtype, np.integer):
        raise ValueError(f"selected must hold integer feature indices, got dtype {selected.dtype}")
    if selected.min() < 0 or selected.max() >= n_features:
        raise ValueError(
            f"selected holds feature indices outside [0, {n_features}): {selected.min()}..{selected.max()}"
        )
    if len(np.unique(selected)) != len(selected):
        raise ValueError(f"selected holds repeated feature indices: {len(selected) - len(np.unique(selected))} repeats")
    return selected.astype(np.int64)


def _check_method(method, n_features_to_select, n_features):
    if method not in RUN_METHODS:
        raise ValueError(f"method must be one of {RUN_METHODS}, got {method!r}")
    if method == ALL_FEATURES:
        return n_features if n_features_to_select is None else n_features_to_select
    return check_n_features_to_select(n_features_to_select, n_features)


def _check_learner(learner):
    if learner not in LEARNERS:
        raise ValueError(f"learner must be one of {LEARNERS}, got {learner!r}")


# ---------------------------------------------------------------------------------------------------------------
# Selection


def run_selection_arrays(
    X, y, split, method, n_features_to_select, seed, dataset="arrays", method_params=None, device="auto",
    n_threads=None,
):
    """Fit `method` on the training rows and return its ranking, selection, time, memory and provenance."""
    X, y, split = check_run_inputs(X, y, split)
    k = _check_method(method, n_features_to_select, X.shape[1])
    params = dict(method_params or {})
    random_state = stable_seed(dataset, method, seed)
    resolved = _torch_device(device) if method == "lassonet" else "cpu"
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
    if "device" in selector_class(method)._get_param_names():
        params = {**params, "device": device}
    selector = make_selector(method, k, random_state, **params)
    if getattr(selector, "uses_validation_rows", False):
        selector.fit(X[train], y[train], X_val=X[val], y_val=y[val])
    else:
        selector.fit(X[train], y[train])
    details = {
        name: getattr(selector, name)
        for name in ("hidden_dims_", "validation_score_", "n_components_", "n_selected_by_lars_",
                     "n_discarded_samples_")
        if hasattr(selector, name)
    }
    ranking = np.asarray(selector.ranking_, dtype=np.int64)
    support = np.flatnonzero(selector.get_support())
    if len(support) != k or set(support.tolist()) != set(ranking[:k].tolist()):
        raise RuntimeError(f"{method} selected {len(support)} features that differ from the top {k} of its ranking")
    return ranking, _jsonable(details)


def _selector_library(method):
    if method == ALL_FEATURES:
        return ""
    if method == "lassonet":
        return "lassonet-bench"
    return selector_class(method).library


def _jsonable(details):
    return {key: value.item() if isinstance(value, np.generic) else value for key, value in details.items()}


# ---------------------------------------------------------------------------------------------------------------
# Evaluation


def run_evaluation_arrays(
    X, y, split, selected, learner, seed, dataset="arrays", learner_params=None, device="auto", n_threads=None,
):
    """Train `learner` from scratch on the `selected` columns of the training rows; test accuracy and cost."""
    X, y, split = check_run_inputs(X, y, split)
    _check_learner(learner)
    selected = check_selected(selected, X.shape[1])
    params = dict(learner_params or {})
    random_state = stable_seed(dataset, f"learner:{learner}", seed)
    resolved = _torch_device(device) if learner == "decoder" else "cpu"
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
    (X_train, y_train), (X_val, y_val), (X_test, y_test) = parts["train"], parts["val"], parts["test"]
    if learner == "decoder":
        from lassonet_bench.decoder import evaluate_decoder

        return evaluate_decoder(
            X_train, y_train, X_val, y_val, X_test, y_test, random_state=random_state, device=device, **params
        )
    return evaluate_extra_trees(X_train, y_train, X_test, y_test, random_state=random_state, **params)


# ---------------------------------------------------------------------------------------------------------------
# Files and the tidy record


def load_run_data(dataset_path, split_path):
    """(name, X, y, split) from the data layer's files; the data set's name is the file's stem."""
    dataset_path, split_path = Path(dataset_path), Path(split_path)
    for path in (dataset_path, split_path):
        if not path.is_file():
            raise ValueError(f"no such file: {path}")
    with np.load(dataset_path, allow_pickle=False) as data:
        missing = [key for key in ("X", "y") if key not in data]
        if missing:
            raise ValueError(f"{dataset_path} lacks the array(s) {missing}")
        X, y = data["X"], data["y"]
    with np.load(split_path, allow_pickle=False) as parts:
        split = {part: parts[part] for part in SPLIT_PARTS if part in parts}
    return dataset_path.stem, X, y, split


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
    _check_method(method, n_features_to_select, X.shape[1])
    _check_learner(learner)
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

