"""Input checks shared by every selector and learner.

Each check raises a ValueError that names the argument and the offending value or count, before any work starts.
The `*_for_estimator` checks are the selectors' `fit`: they take input as scikit-learn's own estimators do
(DataFrames with their column names, labels of any type through `classes_`).
"""

import numpy as np
import scipy.sparse
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import column_or_1d, validate_data

# The Cox tasks and their handling of tied times (lassonet_bench.core.survival).
COX_TASKS = {"cox": "efron", "cox_breslow": "breslow"}
TASKS = ("classification", "regression", "reconstruction", *COX_TASKS)
N_FEATURES_TO_SELECT = 50  # the paper's k (Tables 1 and 2): every selector's default


def check_features(X, name="X"):
    """Return X as a 2-D float array, or raise if it is empty, not 2-D, or holds NaN or infinite values."""
    X = np.asarray(X)
    if X.ndim != 2:
        raise ValueError(f"{name} must be 2-D (samples x features), got shape {X.shape}")
    if X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(f"{name} is empty: shape {X.shape}")
    if not np.issubdtype(X.dtype, np.number):
        raise ValueError(f"{name} must be numeric, got dtype {X.dtype}")
    bad = ~np.isfinite(X)
    if bad.any():
        row, col = np.argwhere(bad)[0]
        raise ValueError(
            f"{name} holds {int(bad.sum())} NaN or infinite values (first at row {row}, column {col}: {X[row, col]})"
        )
    return X


def check_not_all_constant(X, name="X"):
    """The mask of X's constant columns; raise a ValueError when every column is constant."""
    constant = np.ptp(X, axis=0) == 0
    if constant.all():
        raise ValueError(
            f"every column of {name} is constant over its {X.shape[0]} rows (column 0 is {X[0, 0]:g} throughout): "
            "no feature carries information to select by"
        )
    return constant


def check_task(task):
    if task not in TASKS:
        raise ValueError(f"task must be one of {TASKS}, got {task!r}")
    return task


def check_class_labels(y, name="y"):
    """Return y as int64 labels; raise if they are not integers or hold fewer than two classes."""
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"{name} must be 1-D class labels, got shape {y.shape}")
    if not np.issubdtype(y.dtype, np.integer):
        as_float = np.asarray(y, dtype=float) if np.issubdtype(y.dtype, np.number) else None
        if as_float is None or not np.all(np.isfinite(as_float)) or not np.all(as_float == np.round(as_float)):
            example = next((v for v in y.ravel() if not _is_integral(v)), y.ravel()[0])
            example = example.item() if isinstance(example, np.generic) else example
            raise ValueError(f"{name} must hold integer class labels for classification, got {example!r}")
        y = as_float.astype(np.int64)
    classes = np.unique(y)
    if len(classes) < 2:
        raise ValueError(f"{name} holds a single class ({classes.tolist()}): at least two are needed")
    return y.astype(np.int64)


def _is_integral(value):
    try:
        return float(value) == round(float(value))
    except (TypeError, ValueError):
        return False


def check_n_features_to_select(k, n_features, name="n_features_to_select"):
    """Return k as an int in [1, n_features], or raise naming the value and the number of features."""
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)):
        raise ValueError(f"{name} must be an integer, got {k!r}")
    if k < 1 or k > n_features:
        raise ValueError(f"{name}={k} is out of range: it must lie in [1, {n_features}] (the number of features)")
    return int(k)


def check_features_for_estimator(estimator, X, dtype, reset=True, name="X", min_samples=2):
    """X as scikit-learn's estimators take it, as a 2-D array of `dtype`; sparse input raises a TypeError.

    `validate_data` converts lists, numeric and bool DataFrames (nullable integer columns too) and refuses complex
    and non-numeric values; with reset=True it records `n_features_in_` and `feature_names_in_` on the estimator,
    with reset=False it checks X against them. NaN and infinite values are then refused by `check_features`,
    whose message gives the first one's position. Fewer than `min_samples` rows raise a ValueError.
    """
    if scipy.sparse.issparse(X):
        raise TypeError(
            f"{type(estimator).__name__} does not support sparse input: {name} is a {type(X).__name__}; "
            f"pass a dense array ({name}.toarray())"
        )
    try:
        X = validate_data(
            estimator, X, reset=reset, dtype=dtype, ensure_all_finite=False, ensure_min_samples=min_samples
        )
    except ValueError as error:
        if name == "X":
            raise
        raise ValueError(f"{name}: {error}") from error  # scikit-learn's messages call every input X
    return check_features(X, name)


def encode_class_labels_for_estimator(estimator, y, n_samples, name="y", min_classes=2):
    """(classes, codes): the sorted distinct labels of y and each row's index into them.

    Labels may be integers, strings, bools or integral floats; a column vector (n, 1) is flattened with a
    warning, as scikit-learn's classifiers do. Continuous values, NaN, a length that differs from X and fewer
    than `min_classes` classes are refused.
    """
    if y is None:
        raise ValueError(f"{type(estimator).__name__} requires y to be passed, but the target y is None")
    y = column_or_1d(y, warn=True, input_name=name)
    if len(y) != n_samples:
        raise ValueError(f"X and {name} have different lengths: {n_samples} rows in X, {len(y)} in {name}")
    kind = type_of_target(y, input_name=name)
    if kind not in ("binary", "multiclass"):
        example = next((v for v in y if not _is_integral(v)), y[0]) if kind == "continuous" else y[0]
        example = example.item() if isinstance(example, np.generic) else example
        raise ValueError(
            f"Unknown label type for {name}: {kind} (e.g. {example!r}); class labels must be integers, strings or bools"
        )
    classes, codes = np.unique(y, return_inverse=True)
    if len(classes) < min_classes:
        raise ValueError(
            f"{name} holds a single class ({classes.tolist()}): one class is not enough, at least two are needed"
        )
    return classes, codes.astype(np.int64)


def check_regression_targets_for_estimator(estimator, y, n_samples, name="y"):
    """y as a 1-D float array of finite numbers, as long as X."""
    if y is None:
        raise ValueError(f"{type(estimator).__name__} requires y to be passed, but the target y is None")
    y = column_or_1d(y, warn=True, input_name=name)
    if len(y) != n_samples:
        raise ValueError(f"X and {name} have different lengths: {n_samples} rows in X, {len(y)} in {name}")
    try:
        y = y.astype(np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must hold numbers for regression, got dtype {y.dtype}") from None
    if not np.isfinite(y).all():
        raise ValueError(f"{name} holds {int((~np.isfinite(y)).sum())} NaN or infinite values")
    return y


def check_learner_input(*arrays):
    """Pairs (X, y) for each part: finite features, integer labels >= 0, equal lengths, equal widths."""
    names = ["train", "val", "test"] if len(arrays) == 6 else ["train", "test"]
    checked = []
    for name, X, y in zip(names, arrays[0::2], arrays[1::2]):
        X = check_features(X, f"X_{name}")
        y = np.asarray(y)
        y = check_class_labels(y, f"y_{name}") if name == "train" else _check_labels_any(y, f"y_{name}")
        if len(y) != len(X):
            raise ValueError(f"X_{name} and y_{name} have different lengths: {len(X)} and {len(y)}")
        if y.min() < 0:
            raise ValueError(f"y_{name} holds a negative class label ({y.min()}): labels must be 0..n_classes-1")
        if checked and X.shape[1] != checked[0].shape[1]:
            raise ValueError(f"X_{name} has {X.shape[1]} features, X_train has {checked[0].shape[1]}")
        checked += [X, y]
    return checked


def _check_labels_any(y, name):
    """Validation and test parts may hold a single class; they must still be integer labels."""
    if y.ndim != 1 or len(y) == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array of class labels, got shape {y.shape}")
    if not np.issubdtype(y.dtype, np.integer):
        numeric = np.issubdtype(y.dtype, np.number)
        if not numeric or not np.all(np.isfinite(y)) or not np.all(y == np.round(y)):
            raise ValueError(f"{name} must hold integer class labels, got dtype {y.dtype}")
    return y.astype(np.int64)


def check_positive(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
