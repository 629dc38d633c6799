"""The runner's input checks, all made before any work starts: data, split, method, k, learner, selection."""

import numpy as np

from lassonet_bench import learners

from lassonet_bench.datasets.splits import SPLIT_KEYS
from lassonet_bench.selectors import ALL_FEATURES, methods
from lassonet_bench.validation import check_class_labels, check_features, check_n_features_to_select



def check_split(split, n_samples, name="split"):
    """Return {'train','val','test'} as int64 index arrays; each part non-empty, in range, and disjoint."""
    missing = [part for part in SPLIT_KEYS if part not in split]
    if missing:
        raise ValueError(f"{name} lacks the part(s) {missing}; it needs {list(SPLIT_KEYS)}")
    checked = {part: _check_indices(split[part], n_samples, f"{name}[{part!r}]", "row") for part in SPLIT_KEYS}
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
    """`selected` as int64 feature indices: non-empty, in range, without repeats."""
    selected = _check_indices(selected, n_features, "selected", "feature")
    if len(np.unique(selected)) != len(selected):
        raise ValueError(f"selected holds repeated feature indices: {len(selected) - len(np.unique(selected))} repeats")
    return selected


def _check_indices(values, bound, name, what):
    """`values` as a non-empty 1-D int64 array of indices in [0, bound); `what` they index names the error."""
    indices = np.asarray(values)
    if indices.ndim != 1 or len(indices) == 0:
        raise ValueError(f"{name} is empty or not 1-D (shape {indices.shape}): it needs at least one {what} index")
    if not np.issubdtype(indices.dtype, np.integer):
        raise ValueError(f"{name} must hold integer {what} indices, got dtype {indices.dtype}")
    if indices.min() < 0 or indices.max() >= bound:
        raise ValueError(f"{name} holds {what} indices outside [0, {bound}): min {indices.min()}, max {indices.max()}")
    return indices.astype(np.int64)


def check_method(method, n_features_to_select, n_features):
    """k for `method` (a registered selector, or "all": every feature unless k is given)."""
    run_methods = (*methods(), ALL_FEATURES)
    if method not in run_methods:
        raise ValueError(f"method must be one of {run_methods}, got {method!r}")
    if method == ALL_FEATURES:
        return n_features if n_features_to_select is None else n_features_to_select
    return check_n_features_to_select(n_features_to_select, n_features)


def check_learner(learner):
    learners.learner(learner)  # raises naming the registered learners
