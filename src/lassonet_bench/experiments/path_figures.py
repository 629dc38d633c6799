"""Figure 4 (Boston housing + 13 noise features: the path and dense vs sparse initialisation).

compute_figure4 fits the paths and returns tidy tables; lassonet_bench.plots.paths.plot_figure4 draws only from
them, so the figure can be restyled without fitting anything again.

Tables: `coefficients` (one row per dense->sparse path step and feature: lambda, n_selected, feature, is_noise,
coefficient θ_j) and `errors` (one row per path step and method: lambda, n_selected, validation and test MSE).
The target is standardised with the training rows' mean and standard deviation, so an MSE of 1 is the error of
predicting the training mean.
"""

import dataclasses

import numpy as np
import pandas as pd
from sklearn.linear_model import lasso_path


from lassonet_bench.core.path import fit_path
from lassonet_bench.experiments.common import path_settings, predict

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
    start begins with no feature in, so this runs `fit_path(init="zero")`. λ_null (the path's automatic start,
    read off a path of one step) is computed before any
    training; once the hidden layers train, the gradients grow and half the features enter at λ_null (seen on
    Boston), so with an automatic λ_start the path starts at `start_factor` · λ_null and ends, as path.py's does,
    at λ_null / 100 or when every feature is in.
    """
    if settings.lambda_start == "auto":
        null = fit_path(X_train, y_train, X_val, y_val, task="regression", hidden_dims=tuple(hidden_dims),
                        settings=dataclasses.replace(settings, max_steps=0), direction="sparse_to_dense",
                        device=device, seed=seed, init="zero").lambda_start
        settings = dataclasses.replace(
            settings, lambda_start=start_factor * null, lambda_start_fraction=1e-2 / start_factor
        )
    return fit_path(X_train, y_train, X_val, y_val, task="regression", hidden_dims=tuple(hidden_dims),
                    settings=settings, direction="sparse_to_dense", device=device, seed=seed, callback=callback,
                    init="zero")


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


def figure4(figure, options, data, device):
    """Figure 4's tables from its settings, on Boston + noise (its first `n_true_features` columns are real)."""
    dataset = data.dataset
    return compute_figure4(
        dataset.X, dataset.y, data.split, dataset.feature_names, int(dataset.meta["n_true_features"]),
        options["hidden_dims"], path_settings(options["path"], f"{figure.settings}.path"), seed=options["seed"],
        device=device,
    )
