"""Figure 10: matrix completion on Mice Protein, the LassoNet imputation network (Algorithm 5) against Soft-Impute.

compute_figure10 writes two tidy tables: `trials` (one row per trial and method: test and validation MSE before
any feature selection; column-mean imputation included as the naive level) and `selection` (one row per number of
selected proteins: the test MSE of a network retrained from scratch on those proteins, and of the path's own
network). MSEs are in units of each protein's variance on the training entries (column-mean imputation ≈ 1).

A trial draws its own 80/10/10 split of the entries and its own initialisation (seed = base seed + trial), so both
methods' spread includes the choice of entries; the paper varied the initialisation ("25 trials with different
initializations"). The right panel comes from trial 0.
"""

import dataclasses
import inspect

import numpy as np
import pandas as pd

from lassonet_bench.variants.completion import (
    CompletionSettings, completion_path, fit_completion, masked_mse, split_entries, standardise_columns,
)
from lassonet_bench.variants.soft_impute import SoftImpute


def trial_errors(matrix, trial, seed, settings, device="cpu", soft_impute=None):
    """One trial: the entry split, LassoNet, Soft-Impute (`soft_impute`: its parameters, None for its defaults)
    and column means; returns (rows, masks, Z, LassoNet fit)."""
    masks = split_entries(matrix.shape, seed=seed + trial)
    Z = standardise_columns(matrix, masks["train"])
    fit = fit_completion(Z, masks, settings, seed=seed + trial, device=device)
    observed = np.where(masks["train"] | masks["val"], Z, np.nan)
    soft = SoftImpute(random_state=seed + trial, **(soft_impute or {})).fit(observed, validation_mask=masks["val"])
    rows = [
        dict(trial=trial, method="lassonet", val_mse=fit.val_mse, test_mse=fit.test_mse, seconds=fit.seconds),
        dict(trial=trial, method="soft_impute", val_mse=masked_mse(soft.completed_, Z, masks["val"]),
             test_mse=masked_mse(soft.completed_, Z, masks["test"]), seconds=np.nan),
        dict(trial=trial, method="column_mean", val_mse=masked_mse(np.zeros_like(Z), Z, masks["val"]),
             test_mse=masked_mse(np.zeros_like(Z), Z, masks["test"]), seconds=0.0),
    ]
    return rows, masks, Z, fit


def selection_errors(Z, masks, dense_fit, n_selected_grid, settings, seed, device="cpu"):
    """The λ-path from the dense fit; for each k, a network retrained from scratch on the top k proteins."""
    steps, ranking = completion_path(Z, masks, dense_fit, settings, seed=seed, device=device)
    path = pd.DataFrame(steps)
    rows = []
    for k in n_selected_grid:
        if not 1 <= k <= Z.shape[1]:
            raise ValueError(f"figure10.n_selected_grid holds {k}, outside 1..{Z.shape[1]}")
        refit = fit_completion(Z, masks, settings, input_columns=np.sort(ranking[:k]), seed=seed, device=device)
        on_path = path[path["n_selected"] <= k].head(1)
        rows.append(dict(
            n_selected=k,
            test_mse=refit.test_mse,
            val_mse=refit.val_mse,
            path_test_mse=float(on_path["test_mse"].iloc[0]) if len(on_path) else np.nan,
            proteins=" ".join(map(str, np.sort(ranking[:k]))),
        ))
    return pd.DataFrame(rows)


def compute_figure10(matrix, n_trials, n_selected_grid, settings=CompletionSettings(), seed=0, device="cpu",
                     soft_impute=None):
    """Both panels' tables: {"trials": DataFrame, "selection": DataFrame}. `soft_impute`: SoftImpute's parameters
    (None: its defaults)."""
    matrix = np.asarray(matrix, dtype=np.float64)
    if n_trials < 1:
        raise ValueError(f"figure10.n_trials must be at least 1, got {n_trials!r}")
    soft_impute = soft_impute_parameters(soft_impute)
    rows, first = [], None
    for trial in range(n_trials):
        trial_rows, masks, Z, fit = trial_errors(matrix, trial, seed, settings, device, soft_impute)
        rows.extend(trial_rows)
        if first is None:
            first = (Z, masks, fit)
    selection = selection_errors(*first, n_selected_grid, settings, seed, device)
    return {"trials": pd.DataFrame(rows), "selection": selection}


def completion_settings(options):
    """CompletionSettings from the config's `figure10.network` mapping; unknown keys are errors."""
    known = {f.name for f in dataclasses.fields(CompletionSettings)}
    unknown = set(options) - known
    if unknown:
        raise ValueError(f"figures.figure10.network: unknown key(s) {sorted(unknown)}; known: {sorted(known)}")
    options = dict(options)
    if "hidden_dims" in options:
        options["hidden_dims"] = tuple(options["hidden_dims"])
    return CompletionSettings(**options)


def soft_impute_parameters(parameters):
    """The config's `figure10.soft_impute` mapping (or None), checked against SoftImpute's parameters."""
    if parameters is None:
        return {}
    if not isinstance(parameters, dict):
        raise ValueError(f"figures.figure10.soft_impute must be a mapping or null, got {parameters!r}")
    known = set(inspect.signature(SoftImpute).parameters) - {"random_state"}
    unknown = set(parameters) - known
    if unknown:
        raise ValueError(f"figures.figure10.soft_impute: unknown key(s) {sorted(unknown)}; known: {sorted(known)}")
    return dict(parameters)


def figure10(figure, options, data, device):
    """Figure 10's tables from its settings; the data set is a matrix to complete (its labels are not used)."""
    return compute_figure10(
        data.dataset.X, int(options["n_trials"]), [int(k) for k in options["n_selected_grid"]],
        completion_settings(options["network"]), seed=int(options["seed"]), device=device,
        soft_impute=options["soft_impute"],
    )
