"""Figures 1, 2 and 4 drawn from their tidy tables: the supervised LassoNet paths and Figure 4's comparison of the
dense->sparse path with the sparse->dense one and the Lasso (tables: lassonet_bench.experiments.supervised_paths and
lassonet_bench.experiments.path_figures)."""

import numpy as np

import matplotlib.pyplot as plt

from lassonet_bench.plots.style import (
    FULL_WIDTH, METHOD_LABELS, NOISE_FEATURE_COLOUR, OKABE_ITO, SELECTED_PIXEL_COLOUR, TRUE_FEATURE_COLOUR,
    figure_style, method_colour,
)

FIGURE4_METHODS = ("lasso", "lassonet_sparse_to_dense", "lassonet")


def plot_figure1(path):
    """Left: test accuracy against the number of selected proteins. Right: accuracy and proteins against λ."""
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


def figure1_numbers(path):
    """The report's numbers: where the path's (penalised) network is most accurate, and its accuracy at 35 proteins
    and at a fifth of them, also as a share of the way from no protein to the best."""
    best = path[path["lambda"] > 0].groupby("n_selected")["test_accuracy"].max()
    top = best.max()
    fewest_at_top = int(best[best >= top].index.min())
    empty = best.get(0, best.iloc[0])

    def at_most(n):
        held = best[best.index <= n]
        return int(held.index.max()), float(held.iloc[-1])

    n_fifth = round(0.2 * int(path["n_selected"].max()))
    (n35, acc35), (n20, acc20) = at_most(35), at_most(n_fifth)
    share = (acc20 - empty) / (top - empty) if top > empty else np.nan
    return (
        f"The path's own network is most accurate on the test rows ({top:.3f}) with {fewest_at_top} proteins; with "
        f"{n35} proteins it reaches {acc35:.3f}, with {n20} (a fifth of them) {acc20:.3f}, {share:.0%} of the way "
        f"from no protein ({empty:.3f}) to the best."
    )


def figure2_numbers(path, pixels):
    """The report's numbers: the path's test accuracy at the paper's three pixel counts (the largest count on the path
    at or below each) and at every pixel."""
    best = path[(path["lambda"] > 0) & (path["n_selected"] > 0)].groupby("n_selected")["test_accuracy"].max()
    dense = float(path.loc[path["lambda"] == 0, "test_accuracy"].iloc[0])
    at = []
    for level in pixels["levels"]:
        held = best[best.index <= int(level)]
        if len(held):
            at.append(f"{held.iloc[-1]:.3f} with {int(held.index.max())} pixels")
    digits = " against ".join(str(int(d)) for d in pixels["digits"])
    return (f"Digits {digits}, one split: the dense network on all {int(path['n_selected'].max())} pixels scores "
            f"{dense:.3f} on the test rows; the path's network {', '.join(at)}.")


def plot_figure2(path, pixels):


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


FIGURE4_METHODS = ("lasso", "lassonet_sparse_to_dense", "lassonet")


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


def best_step_per_size(errors):
    """Per method and number of features, the step with the lowest validation MSE (and its test MSE)."""
    ranked = errors.sort_values(["method", "n_selected", "val_mse"])
    best = ranked.groupby(["method", "n_selected"], as_index=False).first()
    return best[best["n_selected"] > 0]


def plot_figure4(coefficients, errors):
    """Left: θ_j against λ (true solid, noise dashed), features along the top, a line at the lowest test error.
    Right: test MSE against the number of features for the Lasso and both LassoNet paths."""
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
    ax.axhline(0.0, color="black", linewidth=0.5)
    dense = errors[(errors["method"] == "lassonet") & (errors["lambda"] > 0)]
    best = dense.loc[dense["test_mse"].idxmin()]
    ax.axvline(best["lambda"], color="black", linestyle=":", linewidth=1)
    ax.set_xlabel("λ (log scale)")
    ax.set_ylabel("skip-layer coefficient θ$_j$")
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


def figure4_numbers(coefficients, errors):
    """The report's numbers: true features among those kept longest, and the best test error of each path."""
    n_true = int((~coefficients.drop_duplicates("feature")["is_noise"]).sum())
    kept = top_features(coefficients, n_true)
    best = best_step_per_size(errors).groupby("method")["test_mse"].min()
    dense = errors[(errors["method"] == "lassonet") & (errors["lambda"] > 0)]
    at_best = dense.loc[dense["test_mse"].idxmin()]
    titles = {"lasso": "Lasso", "lassonet_sparse_to_dense": "LassoNet sparse→dense", "lassonet": "dense→sparse"}
    bests = ", ".join(f"{title} {best[method]:.3f}" for method, title in titles.items() if method in best)
    return (
        f"Of the {n_true} features the dense→sparse path keeps longest, {int((~kept['is_noise']).sum())} are true "
        f"ones. Lowest test error on the path at {int(at_best['n_selected'])} features. Best test MSE (standardised "
        f"target) at any number of features: {bests}."
    )
