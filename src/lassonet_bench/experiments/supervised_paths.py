"""Figures 1 and 2: supervised LassoNet paths as the paper's introduction draws them.

Figure 1: Mice Protein, classification accuracy and the number of selected proteins along the dense->sparse path.
Figure 2: MNIST digits 5 against 6: accuracy against the number of selected pixels, and a test image with the
pixels kept at 160, 220 and 300 features. Accuracies are those of the path's own network on the test rows.
Reused from the core: `path.fit_path` (classification, Hier-Prox on the class outputs) and `feature_ranking`.
"""

import numpy as np
import pandas as pd

from lassonet_bench.core.path import feature_ranking, fit_path
from lassonet_bench.experiments.common import path_settings, predict


def classification_path(X, y, split, hidden_dims, settings, seed=0, device="cpu", stop_at=None):
    """The path on the training rows; returns (steps with test accuracy, PathResult)."""
    test_accuracy = []
    classes, codes = np.unique(y, return_inverse=True)

    def record(step, model):
        test_accuracy.append(float(np.mean(predict(model, X[split["test"]]).argmax(1) == codes[split["test"]])))

    result = fit_path(X[split["train"]], codes[split["train"]], X[split["val"]], codes[split["val"]],
                      task="classification", hidden_dims=tuple(hidden_dims), settings=settings,
                      n_outputs=len(classes), stop_at_n_features=stop_at, device=device, seed=seed, callback=record)
    steps = pd.DataFrame(result.steps).rename(columns={"lambda_": "lambda", "val_score": "val_accuracy"})
    steps["test_accuracy"] = test_accuracy
    return steps[["step", "lambda", "n_selected", "val_accuracy", "test_accuracy", "epochs", "seconds"]], result


def compute_figure1(X, y, split, hidden_dims, settings, seed=0, device="cpu"):
    steps, _ = classification_path(np.asarray(X, dtype=np.float32), y, split, hidden_dims, settings, seed, device)
    return {"path": steps}


def compute_figure2(X, y, split, digits, pixel_levels, hidden_dims, settings, seed=0, device="cpu"):
    """The path on the images of two digits; the top-k pixels for each k in `pixel_levels`."""
    X = np.asarray(X, dtype=np.float32)
    keep = np.isin(y, digits)
    if len(np.unique(y[keep])) != 2:
        raise ValueError(f"figure2.digits must name two digits present in the data, got {digits!r}")
    two = {part: rows[keep[rows]] for part, rows in split.items()}
    steps, result = classification_path(X, y, two, hidden_dims, settings, seed, device)
    ranking = feature_ranking(result.exit_lambda, result.exit_norm)
    levels = sorted(int(level) for level in pixel_levels)
    masks = np.zeros((len(levels), X.shape[1]), dtype=bool)
    for i, level in enumerate(levels):
        masks[i, ranking[:level]] = True
    sample = two["test"][np.random.default_rng(seed).integers(len(two["test"]))]
    pixels = dict(levels=np.asarray(levels), masks=masks, sample_image=X[sample], sample_label=np.int64(y[sample]),
                  digits=np.asarray(digits))
    return {"path": steps, "pixels": pixels}


def figure1(figure, options, data, device):
    """Figure 1's tables from its settings, on the data set and split."""
    settings = path_settings(options["path"], f"{figure.settings}.path")
    return compute_figure1(data.dataset.X, data.dataset.y, data.split, options["hidden_dims"], settings,
                           seed=int(options["seed"]), device=device)


def figure2(figure, options, data, device):
    """Figure 2's tables from its settings, on the data set and split."""
    settings = path_settings(options["path"], f"{figure.settings}.path")
    return compute_figure2(data.dataset.X, data.dataset.y, data.split, [int(d) for d in options["digits"]],
                           [int(k) for k in options["pixel_levels"]], options["hidden_dims"], settings,
                           seed=int(options["seed"]), device=device)
