"""Figures 6-9: unsupervised LassoNet on MNIST (Algorithm 3: reconstruction loss, Group-Hier-Prox).

compute_figure6: one dense->sparse path on images of every digit, stopped at about `n_features` pixels; the
reconstructions of `n_per_digit` random test images per digit by that model, and the test reconstruction MSE of
every path step. compute_digit_pixels (Figures 7-9): one path on the images of one digit; the pixels in the model
at the first step with at most each of `pixel_levels` pixels (the paper's three penalty levels, λ = 5, 1, 0.1 on
its own scale; our λ scale differs, so the levels are set by the number of pixels kept and the λ is recorded).

Reused from the core: path.py's dense->sparse loop on the reconstruction task (the network outputs its input, the
group penalty over the d outputs: Group-Hier-Prox, Algorithm 4), started from zero input weights (see
`path_from_zero_input_weights`), and `fit_path` for the refit on the selected pixels.
"""

import numpy as np
import pandas as pd

from lassonet_bench.core.path import feature_ranking, fit_path
from lassonet_bench.experiments.common import path_settings, predict


def _training_rows(y, rows, max_rows, seed):
    rows = np.asarray(rows)
    if max_rows is None or len(rows) <= max_rows:
        return rows
    return np.sort(np.random.default_rng(seed).choice(rows, size=int(max_rows), replace=False))


def path_from_zero_input_weights(X_train, X_val, hidden_dims, settings, stop_at, seed, device, callback):
    """`fit_path(task="reconstruction")` with θ and W⁽⁰⁾ initialised at zero instead of at random.

    On MNIST the random initial ‖θ_j‖ (about 0.6 over 784 outputs) is far above what the proximal step removes
    per step (λ·lr) and what the gradients of a pixel that never varies can change: border pixels kept their random
    weights to the end of the path and ranked among the best (seen on the smoke run). From zero, a pixel's weights
    are what the gradients put there, and a constant pixel leaves at the first λ.
    """
    return fit_path(X_train, None, X_val, None, task="reconstruction", hidden_dims=tuple(hidden_dims),
                    settings=settings, stop_at_n_features=stop_at, device=device, seed=seed, callback=callback,
                    init="zero")


def reconstruction_path(X, train, val, test, hidden_dims, settings, stop_at, seed, device, on_step=None):
    """A reconstruction path stopped at <= `stop_at` features; returns (PathResult, steps with test MSE)."""
    test_mse = []

    def record(step, model):
        test_mse.append(float(np.mean((predict(model, X[test]) - X[test]) ** 2)))
        if on_step is not None:
            on_step(step, model)

    result = path_from_zero_input_weights(X[train], X[val], hidden_dims, settings, stop_at, seed, device, record)
    steps = pd.DataFrame(result.steps).rename(columns={"lambda_": "lambda", "val_loss": "val_mse"})
    steps["test_mse"] = test_mse
    return result, steps[["step", "lambda", "n_selected", "val_mse", "test_mse", "epochs", "seconds"]]


def compute_figure6(X, y, split, n_features, n_per_digit, hidden_dims, settings, max_train_rows=None, seed=0,
                    device="cpu"):
    """Returns {"path": DataFrame, "images": dict of arrays} for Figure 6.

    The path runs until at most `n_features` pixels are left; the top `n_features` of its ranking are the
    selection, and the images are reconstructed by a network retrained from scratch on those pixels (all 784
    outputs), as the paper does for its downstream networks (Sections 5 and 7). On MNIST the path drops from
    hundreds of pixels to a handful within a few λ steps, so the path's own model at "about 50" is not on offer.
    """
    X = np.asarray(X, dtype=np.float32)
    train = _training_rows(y, split["train"], max_train_rows, seed)
    result, steps = reconstruction_path(X, train, split["val"], split["test"], hidden_dims, settings, n_features,
                                        seed, device)
    ranking = feature_ranking(result.exit_lambda, result.exit_norm)
    selected = np.zeros(X.shape[1], dtype=bool)
    selected[ranking[:n_features]] = True
    refit = refit_on_pixels(X, train, split["val"], selected, hidden_dims, settings, seed, device)
    shown = _test_images(y, split["test"], n_per_digit, seed)
    images = dict(
        originals=X[shown], reconstructions=np.clip(predict(refit, X[shown][:, selected]), 0, 1), labels=y[shown],
        rows=shown, selected=selected, n_selected=np.int64(selected.sum()), ranking=ranking, train_rows=train,
        refit_test_mse=np.float64(np.mean((predict(refit, X[split["test"]][:, selected]) - X[split["test"]]) ** 2)),
    )
    return {"path": steps, "images": images}


def refit_on_pixels(X, train, val, selected, hidden_dims, settings, seed, device):
    """A network trained from scratch to output every pixel from the selected ones (the dense fit only)."""
    k = int(selected.sum())
    result = fit_path(X[train][:, selected], X[train], X[val][:, selected], X[val], task="regression",
                      hidden_dims=tuple(hidden_dims), settings=settings, stop_at_n_features=k, device=device,
                      seed=seed)
    return result.model


def _test_images(y, test_rows, n_per_digit, seed):
    rng = np.random.default_rng(seed)
    shown = []
    for digit in np.unique(y):
        candidates = test_rows[y[test_rows] == digit]
        if len(candidates) < n_per_digit:
            raise ValueError(f"only {len(candidates)} test images of digit {digit}, fewer than {n_per_digit}")
        shown.extend(np.sort(rng.choice(candidates, n_per_digit, replace=False)))
    return np.asarray(shown)


def compute_digit_pixels(X, y, split, digit, pixel_levels, hidden_dims, settings, seed=0, device="cpu"):
    """Figures 7-9 for one digit: {"path": DataFrame, "pixels": dict of arrays (masks: levels x d)}.

    At each level k the pixels are the top k of the path's ranking (exactly k), and `lambdas` holds the λ at
    which the k-th of them left the path (the penalty at which fewer than k remain; the path's last λ if it was
    still in when the path stopped)."""
    X = np.asarray(X, dtype=np.float32)
    levels = sorted({int(level) for level in pixel_levels}, reverse=True)
    if not levels or levels[-1] < 1 or levels[0] > X.shape[1]:
        raise ValueError(f"pixel_levels must be pixel counts in 1..{X.shape[1]}, got {pixel_levels!r}")
    rows = {part: split[part][y[split[part]] == digit] for part in ("train", "val", "test")}
    if min(len(r) for r in rows.values()) == 0:
        raise ValueError(f"digit {digit!r} has no image in one of the train/val/test parts: "
                         f"{ {part: len(r) for part, r in rows.items()} }")
    result, steps = reconstruction_path(X, rows["train"], rows["val"], rows["test"], hidden_dims, settings,
                                        levels[-1], seed, device)
    ranking = feature_ranking(result.exit_lambda, result.exit_norm)
    exit_lambda = np.where(np.isinf(result.exit_lambda), steps["lambda"].iloc[-1], result.exit_lambda)
    masks = np.zeros((len(levels), X.shape[1]), dtype=bool)
    for i, level in enumerate(levels):
        masks[i, ranking[:level]] = True
    pixels = dict(
        levels=np.asarray(levels), masks=masks, n_selected=masks.sum(axis=1),
        lambdas=np.asarray([exit_lambda[ranking[level - 1]] for level in levels]),
        mean_image=X[rows["train"]].mean(axis=0), digit=np.int64(digit),
    )
    steps.insert(0, "digit", digit)
    return {"path": steps, "pixels": pixels}


def figure6(figure, options, data, device):
    """Figure 6's tables from its settings, on MNIST and its split."""
    return compute_figure6(
        data.dataset.X, data.dataset.y, data.split, int(options["n_features"]), int(options["n_per_digit"]),
        options["hidden_dims"], path_settings(options["path"], f"{figure.settings}.path"),
        max_train_rows=options["max_train_rows"], seed=int(options["seed"]), device=device,
    )


def digit_figure(figure, options, data, device):
    """Figures 7-9: the tables of the digit `figure_digits` gives this figure."""
    return compute_digit_pixels(
        data.dataset.X, data.dataset.y, data.split, int(options["figure_digits"][figure.name]),
        [int(level) for level in options["pixel_levels"]], options["hidden_dims"],
        path_settings(options["path"], f"{figure.settings}.path"), seed=int(options["seed"]), device=device,
    )
