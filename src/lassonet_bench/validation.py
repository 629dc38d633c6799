"""Input checks shared by every selector and learner.

Each check raises a ValueError that names the argument and the offending value or count, before any work starts.
"""

import numpy as np

from .survival import COX_TASKS, check_survival_targets

TASKS = ("classification", "regression", "reconstruction", *COX_TASKS)


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


def check_targets(y, n_samples, task, name="y"):
    """Return y checked against the task: integer class labels (at least two classes) or finite numbers."""
    if task not in TASKS:
        raise ValueError(f"task must be one of {TASKS}, got {task!r}")
    if task == "reconstruction":
        return None
    if y is None:
        raise ValueError(f"{name} is required for task={task!r}")
    if task in COX_TASKS:
        return check_survival_targets(y, n_samples, name)
    y = np.asarray(y)
    if len(y) != n_samples:
        raise ValueError(f"X and {name} have different lengths: {n_samples} rows in X, {len(y)} in {name}")
    if task == "classification":
        return check_class_labels(y, name)
    y = np.asarray(y, dtype=float)
    if not np.isfinite(y).all():
        raise ValueError(f"{name} holds {int((~np.isfinite(y)).sum())} NaN or infinite values")
    return y


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
