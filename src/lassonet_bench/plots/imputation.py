"""Figure 10 drawn from its tidy tables (lassonet_bench.experiments.imputation): matrix completion on Mice Protein."""

import numpy as np

import matplotlib.pyplot as plt

from lassonet_bench.plots.style import FULL_WIDTH, figure_style, method_colour


FIGURE10_METHODS = ("soft_impute", "lassonet")


PANEL_LABELS = {"soft_impute": "Soft-Impute", "lassonet": "LassoNet"}


def plot_figure10(trials, selection):
    """Left: test MSE before selection, mean ± std over trials. Right: test MSE against selected proteins."""
    with figure_style():
        figure, (left, right) = plt.subplots(1, 2, figsize=(FULL_WIDTH, 3.0), constrained_layout=True,
                                             gridspec_kw={"width_ratios": [1, 1.6]})
        summary = trials.groupby("method")["test_mse"].agg(["mean", "std", "count"])
        methods = [m for m in FIGURE10_METHODS if m in summary.index]
        positions = np.arange(len(methods))
        # Each trial's pair joined (the comparison is paired: the same masked entries), on an axis from 0, so
        # that the gap reads at its true size against the errors themselves.
        paired = trials[trials["method"].isin(methods)].pivot_table(index="trial", columns="method", values="test_mse")
        for _, pair in paired.reindex(columns=methods).iterrows():
            left.plot(positions, pair.to_numpy(), color="0.75", linewidth=0.6, zorder=1)
        for position, method in zip(positions, methods):
            left.errorbar(position, summary.loc[method, "mean"], yerr=np.nan_to_num(summary.loc[method, "std"]),
                          fmt="o", ms=6, capsize=5, color=method_colour(method), zorder=2)
        left.set_xticks(positions, [PANEL_LABELS[m] for m in methods])
        left.set_xlim(-0.6, len(methods) - 0.4)
        left.set_ylim(0, None)
        left.set_ylabel("test MSE (units of protein variance)")
        n_trials = int(summary["count"].max())
        left.set_title(f"All 77 proteins: {n_trials} paired trials,\nmean ± std", fontsize=9)
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


def figure10_numbers(trials, selection):
    """The report's numbers: both methods' test MSE over the trials, and where LassoNet reaches Soft-Impute."""
    summary = trials.groupby("method")["test_mse"].agg(["mean", "std", "count"])
    soft = trials[(trials["method"] == "soft_impute") & (trials["trial"] == 0)]["test_mse"].iloc[0]
    matching = selection[selection["test_mse"] <= soft]["n_selected"]
    reach = f"{int(matching.min())} proteins" if len(matching) else "no number of proteins in the grid"
    cells = ", ".join(f"{m} {summary.loc[m, 'mean']:.3f} ± {summary.loc[m, 'std']:.3f}" for m in summary.index)
    return (
        f"Test MSE in units of each protein's variance over {int(summary['count'].max())} trials: {cells}. "
        f"LassoNet refit on the selected proteins matches Soft-Impute's trial-0 level with {reach}."
    )
