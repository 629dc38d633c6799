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

import numpy as np
import pandas as pd

from ..completion import (
    CompletionSettings, completion_path, fit_completion, masked_mse, split_entries, standardise_columns,
)
from ..impute import SoftImpute

FIGURE10_METHODS = ("soft_impute", "lassonet")
PANEL_LABELS = {"soft_impute": "Soft-Impute", "lassonet": "LassoNet"}


def trial_errors(matrix, trial, seed, settings, device="cpu"):
    """One trial: the entry split, LassoNet, Soft-Impute and column means; returns (rows, masks, Z, LassoNet fit)."""
    masks = split_entries(matrix.shape, seed=seed + trial)
    Z = standardise_columns(matrix, masks["train"])
    fit = fit_completion(Z, masks, settings, seed=seed + trial, device=device)
    observed = np.where(masks["train"] | masks["val"], Z, np.nan)
    soft = SoftImpute(random_state=seed + trial).fit(observed, validation_mask=masks["val"])
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


def compute_figure10(matrix, n_trials, n_selected_grid, settings=CompletionSettings(), seed=0, device="cpu"):
    """Both panels' tables: {"trials": DataFrame, "selection": DataFrame}."""
    matrix = np.asarray(matrix, dtype=np.float64)
    if n_trials < 1:
        raise ValueError(f"figure10.n_trials must be at least 1, got {n_trials!r}")
    rows, first = [], None
    for trial in range(n_trials):
        trial_rows, masks, Z, fit = trial_errors(matrix, trial, seed, settings, device)
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


def plot_figure10(trials, selection):
    """Left: test MSE before selection, mean ± std over trials. Right: test MSE against selected proteins."""
    import matplotlib.pyplot as plt

    from .style import FULL_WIDTH, figure_style, method_colour

    with figure_style():
        figure, (left, right) = plt.subplots(1, 2, figsize=(FULL_WIDTH, 3.0), constrained_layout=True,
                                             gridspec_kw={"width_ratios": [1, 1.6]})
        summary = trials.groupby("method")["test_mse"].agg(["mean", "std", "count"])
        methods = [m for m in FIGURE10_METHODS if m in summary.index]
        positions = np.arange(len(methods))
        for position, method in zip(positions, methods):
            left.errorbar(position, summary.loc[method, "mean"], yerr=np.nan_to_num(summary.loc[method, "std"]),
                          fmt="o", ms=6, capsize=5, color=method_colour(method))
        left.set_xticks(positions, [PANEL_LABELS[m] for m in methods])
        left.set_xlim(-0.6, len(methods) - 0.4)
        left.set_ylabel("test MSE (units of protein variance)")
        n_trials = int(summary["count"].max())
        left.set_title(f"All 77 proteins (mean ± std, {n_trials} trials)")
        right.plot(selection["n_selected"], selection["test_mse"], marker="o", ms=3, color=method_colour("lassonet"),
                   label="LassoNet, refit on the selected proteins")
        soft = trials[(trials["method"] == "soft_impute") & (trials["trial"] == 0)]["test_mse"].iloc[0]
        right.axhline(soft, color=method_colour("soft_impute"), linestyle="--", label="Soft-Impute, all proteins")
        naive = trials[(trials["method"] == "column_mean") & (trials["trial"] == 0)]["test_mse"].iloc[0]
        right.axhline(naive, color=method_colour("column_mean"), linestyle=":", label="column mean")
        right.set_xlabel("number of selected proteins (input columns)")
        right.set_ylabel("test MSE (units of protein variance)")
        right.set_title("LassoNet with feature selection (trial 0)")
        right.set_ylim(0, None)
        right.legend(loc="center right", frameon=False)
    return figure
