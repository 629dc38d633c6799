"""Beyond the paper, drawn from its tidy tables (lassonet_bench.experiments.conv_filters): convolutional LassoNet's
filter selection against magnitude pruning on MNIST."""

import numpy as np

import matplotlib.pyplot as plt

from lassonet_bench.experiments.tables import best_per_count, lassonet_against_pruning
from lassonet_bench.plots.style import FULL_WIDTH, OKABE_ITO, figure_style, method_colour


def plot_conv_filters(accuracy, filters):
    """Left: test accuracy by number of filters. Right: the path's surviving filters at each level, each level's
    weights divided by its largest |weight| (the colour bar's units)."""
    n_levels = len(filters["levels"])
    with figure_style():
        # A fixed layout, not constrained_layout: its solver placed this figure's many small axes a millionth of a
        # point differently from one process to another, and the PDF's bytes with them.
        figure = plt.figure(figsize=(FULL_WIDTH, 4.2))
        outer = figure.add_gridspec(1, 2, width_ratios=[1.1, 1], left=0.08, right=0.9, bottom=0.11, top=0.86,
                                    wspace=0.15)
        ax = figure.add_subplot(outer[0])
        lassonet = best_per_count(accuracy, "lassonet")
        fine_tuned = best_per_count(accuracy, "lassonet_fine_tuned")
        pruning = best_per_count(accuracy, "magnitude_pruning")
        cnn = accuracy[accuracy["method"] == "cnn"]
        ax.plot(lassonet["n_filters"], lassonet["test_accuracy"], marker="o", ms=3, color=method_colour("lassonet"),
                label="LassoNet path (filter sparsity)")
        ax.plot(fine_tuned["n_filters"], fine_tuned["test_accuracy"], marker="^", ms=3, color=OKABE_ITO["sky"],
                label="LassoNet's filters, fine-tuned")
        ax.plot(pruning["n_filters"], pruning["test_accuracy"], marker="s", ms=3, color=OKABE_ITO["vermillion"],
                label="magnitude pruning + fine-tuning")
        ax.axhline(cnn["test_accuracy"].iloc[0], color=OKABE_ITO["grey"], linestyle="--",
                   label=f"CNN, all {int(cnn['n_filters'].iloc[0])} filters, no constraint")
        ax.set_xlabel("number of filters")
        ax.set_ylabel("test accuracy")
        ax.legend(loc="lower right", frameon=False)
        ax.set_title("MNIST: accuracy by number of filters")
        right = outer[1].subgridspec(max(n_levels, 1), 1, hspace=0.45)
        images = [_draw_filters(figure, right[row], filters, row) for row in range(n_levels)]
        images = [image for image in images if image is not None]
        if images:  # each level is scaled to its own largest weight: the bar reads in those units
            bar = figure.add_axes([0.92, 0.11, 0.015, 0.75])
            figure.colorbar(images[0], cax=bar, ticks=[-1, 0, 1]).set_label("filter weight / level's largest |weight|")
        figure.suptitle("Beyond the paper: convolutional LassoNet selects filters")
    return figure


def _draw_filters(figure, cell, filters, row, per_row=8):
    weights = filters["weights"][row][filters["active"][row]]
    n_rows = max(1, -(-int(filters["levels"].max()) // per_row))
    grid = cell.subgridspec(n_rows, per_row, wspace=0.05, hspace=0.05)
    scale = np.abs(weights).max() if weights.size and np.abs(weights).max() > 0 else 1.0
    image = None
    for index in range(n_rows * per_row):
        ax = figure.add_subplot(grid[index // per_row, index % per_row])
        ax.set_axis_off()
        if index < len(weights):
            image = ax.imshow(weights[index] / scale, cmap="RdBu_r", vmin=-1, vmax=1)
        if index == 0:
            ax.set_title(f"λ = {filters['lambdas'][row]:.3g}: {int(filters['n_filters'][row])} filters",
                         loc="left", fontsize=8)
    return image


def conv_filters_numbers(accuracy, filters):
    """The report's numbers: LassoNet's filters against magnitude pruning's at the path's filter counts."""
    cnn = accuracy[accuracy["method"] == "cnn"].iloc[0]
    both = lassonet_against_pruning(accuracy)
    if both.empty:
        return (f"The CNN without constraint: test accuracy {cnn['test_accuracy']:.3f} with {int(cnn['n_filters'])} "
                "filters. The path visited no filter count between none and all, so there is no pruning to compare.")
    difference = both["lassonet_fine_tuned"] - both["magnitude_pruning"]
    wins, losses = int((difference > 0).sum()), int((difference < 0).sum())
    verdict = ("beats" if wins > losses and difference.mean() > 0
               else "does not beat" if wins < losses and difference.mean() < 0 else "does not clearly beat")
    path_gap = (both["lassonet"] - both["magnitude_pruning"]).mean()
    return (
        f"The CNN without constraint: test accuracy {cnn['test_accuracy']:.3f} with {int(cnn['n_filters'])} filters. "
        f"At the {len(both)} filter counts of the path, LassoNet's filters fine-tuned are more accurate than "
        f"magnitude pruning's at {wins}, less at {losses}, by {difference.mean():+.3f} on average (from "
        f"{difference.min():+.3f} to {difference.max():+.3f}); the path's own, penalised networks by "
        f"{path_gap:+.3f}. On this run LassoNet's filter selection {verdict} magnitude pruning."
    )

