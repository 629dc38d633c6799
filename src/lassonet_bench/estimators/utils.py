"""Helpers of the official package's `lassonet.utils` that its public functions use: a score along a path, the
confidence interval of cross-validated scores, and stability selection's selection probabilities."""

import numpy as np
import scipy.stats
import torch


def eval_on_path(model, path, X_test, y_test, *, score_function=None):
    """The score of the model at every item of `path` (each item's state dict is loaded into `model` in turn).

    `score_function(y_true, y_pred)`, or `model.score(X, y)` when None.
    """
    if score_function is not None and not callable(score_function):
        raise TypeError(f"score_function must be callable (y_true, y_pred) -> float, got {score_function!r}")
    scores = []
    for item in path:
        model.load(item)
        if score_function is None:
            scores.append(model.score(X_test, y_test))
        else:
            scores.append(score_function(y_test, model.predict(X_test)))
    return scores


def confidence_interval(data, confidence=0.95):
    """Half the width of Student's t interval of the mean of each row of `data` (one number for a 1-D input)."""
    data = np.asarray(data, dtype=float)
    if data.ndim > 1:
        return [confidence_interval(row, confidence) for row in data]
    return scipy.stats.t.interval(confidence, len(data) - 1, scale=scipy.stats.sem(data))[1]


def selection_probability(paths):
    """Per path step and feature, the share of the paths that keep the feature, made non-increasing along the steps;
    and the features ordered by the expected number of falsely selected features (Meinshausen and Bühlmann's bound,
    d·q̄²/(2π − 1) with q̄ the mean selection probability and π a feature's, where π > 1/2).

    Returns (prob: tensor (steps, features), (values, indices) of the sorted per-feature minimum of that bound). The
    paths must share their λ sequence; a shorter path counts as selecting nothing at its missing steps.
    """
    if not paths:
        raise ValueError("selection_probability needs at least one path")
    n_steps = max(len(path) for path in paths)
    d = len(paths[0][0].selected)
    selected = torch.zeros(len(paths), n_steps, d)
    for i, path in enumerate(paths):
        for step, item in enumerate(path):
            selected[i, step] = torch.as_tensor(item.selected, dtype=torch.float32)
    prob = torch.cummin(selected.mean(0), dim=0).values
    expected_wrong = d * prob.mean(1, keepdim=True) ** 2 / (2 * prob - 1)
    expected_wrong[prob <= 0.5] = float("inf")
    return prob, expected_wrong.min(0).values.sort()
