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


def check_config_against_datasets(config):
    """What the data sets' declarations (datasets.yaml) tell about the workflow's configuration, checked at start.

    Each k must lie within the feature count of every data set it is asked of (n_features_to_select for the
    tables' data sets, figure5.n_features_grid for Figure 5's), and data.max_samples must leave a stratified
    subsample and a 70/10/20 split room for a row of every class in each part. These are the conditions the
    declared counts decide; a class much rarer than the others can still fail its split in the job.
    Raises a ValueError naming the config key and the data set.
    """
    from lassonet_bench.datasets import get_spec

    table = list(dict.fromkeys([*config["datasets"], *config["extra_datasets"]]))
    figure5 = [d for d in (config["figure5"]["dataset"], config["figure5"]["fallback_dataset"]) if d is not None]
    asks = [("n_features_to_select", config["n_features_to_select"], table)]
    if config["figure5"]["n_features_grid"]:
        asks.append(("figure5.n_features_grid", max(config["figure5"]["n_features_grid"]), figure5))
    for key, k, datasets in asks:
        for name in datasets:
            spec = get_spec(name)
            if k > spec.n_features:
                raise ValueError(
                    f"config key {key} asks for k = {k} features, but data set {name!r} declares "
                    f"{spec.n_features} (datasets.yaml)"
                )
    max_samples = config["data"].get("max_samples")
    if max_samples is not None:
        for name in dict.fromkeys([*table, *figure5]):
            problem = _subsample_problem(get_spec(name), max_samples)
            if problem:
                raise ValueError(f"config key data.max_samples = {max_samples} does not fit data set {name!r}: {problem}")


def _subsample_problem(spec, max_samples):
    """Why `max_samples` rows of `spec` cannot be subsampled and split 70/10/20 (None when they can)."""
    from lassonet_bench.datasets.splits import split_sizes

    rows = min(max_samples, spec.n_samples)
    if rows < 2:
        return f"a subsample needs at least 2 rows, it would have {rows}"
    sizes = dict(zip(("train", "validation", "test"), split_sizes(rows)))
    per_class = spec.n_classes or 1  # stratified for classification; otherwise each part needs one row
    if rows < spec.n_samples and spec.n_classes:
        sizes["left out of the subsample"] = spec.n_samples - rows  # a stratified draw puts every class on both sides
    short = {part: size for part, size in sizes.items() if size < per_class}
    if not short:
        return None
    need = "a row of each of its {} classes".format(spec.n_classes) if spec.n_classes else "at least one row"
    shown = ", ".join(f"{part} {size}" for part, size in short.items())
    return f"of its {rows} rows the parts would hold {shown}, and each needs {need}"
