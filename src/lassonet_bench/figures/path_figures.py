"""Figure 4 (Boston housing + 13 noise features: the path and dense vs sparse initialisation).

compute_figure4 fits the paths and writes tidy tables; plot_figure4 draws only from those tables, so the figure
can be restyled without fitting anything again.

Tables: `coefficients` (one row per dense->sparse path step and feature: lambda, n_selected, feature, is_noise,
coefficient θ_j) and `errors` (one row per path step and method: lambda, n_selected, validation and test MSE).
The target is standardised with the training rows' mean and standard deviation, so an MSE of 1 is the error of
predicting the training mean.
"""

import dataclasses

import numpy as np
import pandas as pd
from sklearn.linear_model import lasso_path

import torch

from ..model import LassoNetModel
from ..path import _sparse_to_dense, _Trainer, fit_path, resolve_device
from .common import predict

FIGURE4_METHODS = ("lasso", "lassonet_sparse_to_dense", "lassonet")
SPARSE_START_FACTOR = 10.0


def standardised_target(y, train_rows):
    """y scaled by the training rows' mean and standard deviation."""
    y = np.asarray(y, dtype=np.float64)
    std = y[train_rows].std()
    if not std > 0:
        raise ValueError(f"the target is constant on the {len(train_rows)} training rows: nothing to regress")
    return (y - y[train_rows].mean()) / std


def lassonet_path_table(X, y, split, direction, hidden_dims, settings, seed, device="cpu"):
    """Fit one LassoNet path; return (one row per step with validation and test MSE, coefficients steps x d)."""
    test_rows = split["test"]
    test_mse = []

    def record_test_error(record, model):
        prediction = predict(model, X[test_rows])[:, 0]
        test_mse.append(float(np.mean((prediction - y[test_rows]) ** 2)))

    data = (X[split["train"]], y[split["train"]], X[split["val"]], y[split["val"]])
    if direction == "dense_to_sparse":
        result = fit_path(
            *data, task="regression", hidden_dims=tuple(hidden_dims), settings=settings, device=device, seed=seed,
            callback=record_test_error,
        )
    else:
        result = sparse_to_dense_from_empty(*data, hidden_dims, settings, seed, device, record_test_error)
    steps = pd.DataFrame(result.steps).rename(columns={"lambda_": "lambda", "val_loss": "val_mse"})
    steps["test_mse"] = test_mse
    steps["method"] = "lassonet" if direction == "dense_to_sparse" else "lassonet_sparse_to_dense"
    columns = ["method", "step", "lambda", "n_selected", "val_mse", "test_mse", "epochs", "seconds"]
    return steps[columns], result.coefficients


def sparse_to_dense_from_empty(
    X_train, y_train, X_val, y_val, hidden_dims, settings, seed, device, callback, start_factor=SPARSE_START_FACTOR
):
    """The sparse->dense path of Figure 4, started from the empty model (θ = 0, W⁽⁰⁾ = 0).

    `fit_path(direction="sparse_to_dense")` starts from the random initialisation, and at λ_null its proximal steps
    (λ·lr per step) do not shrink those weights to zero before the step stops, so every feature is in from the
    first step and the path ends at once (seen on Boston: 26 features at step 0). The paper's sparse->dense warm
    start begins with no feature in, so this builds the same trainer with θ and W⁽⁰⁾ zeroed and then reuses
    path.py's own sparse->dense loop (`_Trainer`, `_sparse_to_dense`) unchanged. λ_null is computed before any
    training; once the hidden layers train, the gradients grow and half the features enter at λ_null (seen on
    Boston), so with an automatic λ_start the path starts at `start_factor` · λ_null and ends, as path.py's does,
    at λ_null / 100 or when every feature is in.
    """
    device = resolve_device(device)
    tensors = [torch.as_tensor(a, dtype=torch.float32, device=device) for a in (X_train, y_train, X_val, y_val)]
    X_train_t, y_train_t, X_val_t, y_val_t = tensors
    devices = [device.index or 0] if device.type == "cuda" else []
    with torch.random.fork_rng(devices=devices):
        torch.manual_seed(seed)
        generator = torch.Generator().manual_seed(seed)
        model = LassoNetModel(X_train_t.shape[1], 1, tuple(hidden_dims), settings.dropout).to(device)
        model.zero_input_weights_()
        trainer = _Trainer(
            model, "regression", X_train_t, y_train_t[:, None], X_val_t, y_val_t[:, None], settings, generator
        )
        if settings.lambda_start == "auto":
            start = start_factor * trainer.null_lambda()
            trainer.settings = dataclasses.replace(
                settings, lambda_start=start, lambda_start_fraction=1e-2 / start_factor
            )
        return _sparse_to_dense(trainer, callback)


def lasso_path_table(X, y, split, n_alphas=100):
    """The Lasso path of scikit-learn on the training rows; one row per alpha."""
    train, val, test = split["train"], split["val"], split["test"]
    offset = y[train].mean()
    alphas, coefs, _ = lasso_path(X[train], y[train] - offset, alphas=n_alphas)
    predictions = {name: X[rows] @ coefs + offset for name, rows in (("val", val), ("test", test))}
    return pd.DataFrame(
        {
            "method": "lasso",
            "step": np.arange(len(alphas)),
            "lambda": alphas,
            "n_selected": (coefs != 0).sum(axis=0),
            "val_mse": ((predictions["val"] - y[val][:, None]) ** 2).mean(axis=0),
            "test_mse": ((predictions["test"] - y[test][:, None]) ** 2).mean(axis=0),
        }
    )


def compute_figure4(X, y, split, feature_names, n_true_features, hidden_dims, settings, seed=0, device="cpu"):
    """The three paths of Figure 4 on one split. Returns {"coefficients": DataFrame, "errors": DataFrame}.

    The first `n_true_features` columns are the real predictors, the others noise (the data layer's layout).
    """
    X = np.asarray(X, dtype=np.float32)
    if not 0 < n_true_features <= X.shape[1]:
        raise ValueError(f"n_true_features must lie in 1..{X.shape[1]}, got {n_true_features!r}")
    y = standardised_target(y, split["train"])
    dense, coefficients = lassonet_path_table(X, y, split, "dense_to_sparse", hidden_dims, settings, seed, device)
    sparse, _ = lassonet_path_table(X, y, split, "sparse_to_dense", hidden_dims, settings, seed, device)
    lasso = lasso_path_table(X.astype(np.float64), y, split)
    d = X.shape[1]
    long = pd.DataFrame(
        {
            "step": np.repeat(dense["step"].to_numpy(), d),
            "lambda": np.repeat(dense["lambda"].to_numpy(), d),
            "n_selected": np.repeat(dense["n_selected"].to_numpy(), d),
            "feature": np.tile(np.asarray(feature_names, dtype=str), len(dense)),
            "is_noise": np.tile(np.arange(d) >= n_true_features, len(dense)),
            "coefficient": coefficients.reshape(-1),
        }
    )
    errors = pd.concat([lasso, sparse, dense], ignore_index=True)
    return {"coefficients": long, "errors": errors}


def top_features(coefficients, n_features):
    """The `n_features` features that stay longest on the dense->sparse path (the path's exact-k selection).

    A feature's exit is the first step after its last non-zero coefficient; later exits rank first, ties broken
    by |θ_j| at its last non-zero step (the order of `path.feature_ranking`)."""
    active = coefficients[coefficients["coefficient"] != 0]
    last = active.sort_values("step").groupby("feature", sort=False).last()
    last["magnitude"] = last["coefficient"].abs()
    ranked = last.sort_values(["step", "magnitude"], ascending=False)
    if len(ranked) < n_features:
        raise ValueError(f"only {len(ranked)} features are ever in the path, fewer than {n_features}")
    return ranked.head(n_features).reset_index()[["feature", "is_noise"]]


def selected_at(coefficients, n_selected):
    """The features in the model at the first dense->sparse step with at most `n_selected` features."""
    steps = coefficients[coefficients["n_selected"] <= n_selected]
    if steps.empty:
        raise ValueError(f"the path never comes down to {n_selected} features")
    first = steps[steps["step"] == steps["step"].min()]
    return first.loc[first["coefficient"] != 0, ["feature", "is_noise"]]


def best_step_per_size(errors):
    """Per method and number of features, the step with the lowest validation MSE (and its test MSE)."""
    ranked = errors.sort_values(["method", "n_selected", "val_mse"])
    best = ranked.groupby(["method", "n_selected"], as_index=False).first()
    return best[best["n_selected"] > 0]


def plot_figure4(coefficients, errors):
    """Left: θ_j against λ (true solid, noise dashed), features along the top, a line at the lowest test error.
    Right: test MSE against the number of features for the Lasso and both LassoNet paths."""
    from .style import (
        FULL_WIDTH, NOISE_FEATURE_COLOUR, TRUE_FEATURE_COLOUR, figure_style, method_colour, METHOD_LABELS,
    )
    import matplotlib.pyplot as plt

    with figure_style():
        figure, (left, right) = plt.subplots(1, 2, figsize=(FULL_WIDTH, 3.0), constrained_layout=True)
        _plot_coefficient_path(left, coefficients, errors, TRUE_FEATURE_COLOUR, NOISE_FEATURE_COLOUR)
        best = best_step_per_size(errors)
        for method in FIGURE4_METHODS:
            line = best[best["method"] == method]
            right.plot(line["n_selected"], line["test_mse"], marker="o", ms=3, color=method_colour(method),
                       label=METHOD_LABELS[method])
        right.set_xlabel("number of selected features")
        right.set_ylabel("test MSE (standardised MEDV)")
        right.set_title("Test error by number of features")
        right.legend(loc="upper right", frameon=False)
    return figure


def _plot_coefficient_path(ax, coefficients, errors, true_colour, noise_colour):
    from matplotlib.lines import Line2D

    path = coefficients[coefficients["lambda"] > 0]  # the dense fit (λ = 0) has no place on a log axis
    for (feature, is_noise), line in path.groupby(["feature", "is_noise"], sort=False):
        ax.plot(line["lambda"], line["coefficient"], color=noise_colour if is_noise else true_colour,
                linestyle="--" if is_noise else "-", linewidth=0.9 if is_noise else 1.2)
    ax.set_xscale("log")
    # Symmetric log: past the lowest test error the coefficients are small but still leave one by one.
    small = np.abs(path.loc[path["coefficient"] != 0, "coefficient"])
    linthresh = max(float(small.quantile(0.05)), 1e-6) if len(small) else 1e-3
    ax.set_yscale("symlog", linthresh=linthresh)
    # Ticks at 0 and at whole decades from two above the linear region: nearer ones overlap the 0 label.
    largest = float(np.abs(path["coefficient"]).max()) if len(path) else linthresh
    decades = 10.0 ** np.arange(np.floor(np.log10(linthresh)) + 2, np.floor(np.log10(max(largest, linthresh))) + 1)
    if len(decades):
        ax.set_yticks(np.concatenate([-decades[::-1], [0.0], decades]))
    dense = errors[(errors["method"] == "lassonet") & (errors["lambda"] > 0)]
    best = dense.loc[dense["test_mse"].idxmin()]
    ax.axvline(best["lambda"], color="black", linestyle=":", linewidth=1)
    ax.set_xlabel("λ (log scale)")
    ax.set_ylabel("skip-layer coefficient θ$_j$ (symlog)")
    ax.set_title(f"Path (lowest test error at {int(best['n_selected'])} features)", pad=4)
    _features_along_top(ax, path)
    handles = [
        Line2D([], [], color=true_colour, label="true feature"),
        Line2D([], [], color=noise_colour, linestyle="--", label="noise feature"),
        Line2D([], [], color="black", linestyle=":", label="lowest test error"),
    ]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=3, frameon=False)


def _features_along_top(ax, path, n_ticks=6):
    """A top axis that labels λ positions with the number of features selected there."""
    steps = path.drop_duplicates("step")[["lambda", "n_selected"]].sort_values("lambda")
    positions = np.geomspace(steps["lambda"].iloc[0], steps["lambda"].iloc[-1], n_ticks)
    nearest = [steps.iloc[int(np.argmin(np.abs(np.log(steps["lambda"].to_numpy() / p))))] for p in positions]
    top = ax.secondary_xaxis("top")
    top.set_xticks([row["lambda"] for row in nearest], labels=[str(int(row["n_selected"])) for row in nearest])
    top.minorticks_off()
    top.set_xlabel("number of selected features")
