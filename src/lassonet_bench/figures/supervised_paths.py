"""Figures 1 and 2: supervised LassoNet paths as the paper's introduction draws them.

Figure 1: Mice Protein, classification accuracy and the number of selected proteins along the dense->sparse path.
Figure 2: MNIST digits 5 against 6: accuracy against the number of selected pixels, and a test image with the
pixels kept at 160, 220 and 300 features. Accuracies are those of the path's own network on the test rows.
Reused from the core: `path.fit_path` (classification, Hier-Prox on the class outputs) and `feature_ranking`.
"""

import numpy as np
import pandas as pd

from ..path import feature_ranking, fit_path
from .common import predict


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


def plot_figure1(path):
    """Left: test accuracy against the number of selected proteins. Right: accuracy and proteins against λ."""
    import matplotlib.pyplot as plt

    from .style import FULL_WIDTH, OKABE_ITO, figure_style, method_colour

    steps = path[path["lambda"] > 0]
    colour = method_colour("lassonet")
    with figure_style():
        figure, (left, ax) = plt.subplots(1, 2, figsize=(FULL_WIDTH, 3.0), constrained_layout=True)
        best = path.groupby("n_selected", as_index=False)["test_accuracy"].max()
        left.plot(best["n_selected"], best["test_accuracy"], marker="o", ms=3, color=colour)
        left.set_xlabel("number of selected proteins")
        left.set_ylabel("test accuracy")
        left.set_ylim(0, 1.02)
        left.set_title("Accuracy by number of proteins")
        ax.plot(steps["lambda"], steps["test_accuracy"], color=colour, label="test accuracy")
        ax.set_xscale("log")
        ax.set_xlabel("λ (log scale)")
        ax.set_ylabel("test accuracy", color=colour)
        ax.set_ylim(0, 1.02)
        features = ax.twinx()
        features.plot(steps["lambda"], steps["n_selected"], color=OKABE_ITO["vermillion"], linestyle="--",
                      label="selected proteins")
        features.set_ylabel("number of selected proteins", color=OKABE_ITO["vermillion"])
        features.set_ylim(0, None)
        features.grid(False)
        handles = ax.get_lines() + features.get_lines()
        ax.legend(handles, [h.get_label() for h in handles], loc="lower left", frameon=False)
        ax.set_title("Along the path")
    return figure


def plot_figure2(path, pixels):
    import matplotlib.pyplot as plt

    from .style import FULL_WIDTH, SELECTED_PIXEL_COLOUR, figure_style, method_colour

    side = int(round(np.sqrt(pixels["sample_image"].shape[0])))
    levels = pixels["levels"]
    with figure_style():
        figure = plt.figure(figsize=(FULL_WIDTH * 0.7, 4.6), constrained_layout=True)
        grid = figure.add_gridspec(2, len(levels), height_ratios=[1, 1.1])
        top = figure.add_subplot(grid[0, :])
        best = path[path["n_selected"] > 0].groupby("n_selected", as_index=False)["test_accuracy"].max()
        top.plot(best["n_selected"], best["test_accuracy"], color=method_colour("lassonet"))
        top.set_xlabel("number of selected pixels")
        top.set_ylabel("test accuracy")
        a, b = pixels["digits"]
        top.set_title(f"MNIST {a} against {b}")
        for i, (level, mask) in enumerate(zip(levels, pixels["masks"])):
            ax = figure.add_subplot(grid[1, i])
            ax.imshow(pixels["sample_image"].reshape(side, side), cmap="gray_r", vmin=0, vmax=1)
            ys, xs = np.nonzero(mask.reshape(side, side))
            ax.scatter(xs, ys, s=4, marker="s", color=SELECTED_PIXEL_COLOUR, linewidths=0, alpha=0.8)
            ax.set_title(f"{int(level)} pixels")
            ax.set_axis_off()
    return figure
