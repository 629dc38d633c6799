"""Figures 6-9 drawn from their tidy tables (lassonet_bench.experiments.unsupervised): reconstructions of test images
from the selected pixels, and the pixels kept at three penalty levels."""

import numpy as np

import matplotlib.pyplot as plt

from lassonet_bench.plots.style import FULL_WIDTH, SELECTED_PIXEL_COLOUR, figure_style


def _image_side(n_pixels):
    side = int(round(np.sqrt(n_pixels)))
    if side * side != n_pixels:
        raise ValueError(f"{n_pixels} pixels do not form a square image")
    return side


def plot_figure6(images, path):
    """Left: 3 test images per digit; right: their reconstructions from the selected pixels (marked)."""
    originals, reconstructions, labels = images["originals"], images["reconstructions"], images["labels"]
    side = _image_side(originals.shape[1])
    digits = np.unique(labels)
    per_digit = int(np.max(np.bincount(labels.astype(int))))
    with figure_style():
        size = (FULL_WIDTH, 0.36 * FULL_WIDTH * per_digit / 3)
        figure, axes = plt.subplots(per_digit, 2 * len(digits) + 1, figsize=size, squeeze=False,
                                    gridspec_kw={"width_ratios": [1] * len(digits) + [0.3] + [1] * len(digits)})
        selected = images["selected"].reshape(side, side)
        for column, digit in enumerate(digits):
            for row, index in enumerate(np.flatnonzero(labels == digit)):
                axes[row, column].imshow(originals[index].reshape(side, side), cmap="gray_r", vmin=0, vmax=1)
                ax = axes[row, len(digits) + 1 + column]
                ax.imshow(reconstructions[index].reshape(side, side), cmap="gray_r", vmin=0, vmax=1)
                ys, xs = np.nonzero(selected)
                ax.scatter(xs, ys, s=1.5, color=SELECTED_PIXEL_COLOUR, linewidths=0)
        for ax in axes.ravel():
            ax.set_axis_off()
        axes[0, len(digits) // 2].set_title("test images", loc="left")
        axes[0, len(digits) + 1 + len(digits) // 2].set_title(
            f"reconstructed from {int(images['n_selected'])} selected pixels (orange)", loc="center")
        figure.subplots_adjust(wspace=0.05, hspace=0.05)
    return figure


def plot_digit_pixels(pixels, path):
    """Figures 7-9: the pixels kept at each level, over the digit's mean training image (`path`, the steps of the
    digit's path, is not drawn)."""
    side = _image_side(pixels["mean_image"].shape[0])
    levels = pixels["levels"]
    with figure_style():
        figure, axes = plt.subplots(1, len(levels), figsize=(FULL_WIDTH * 0.75, FULL_WIDTH * 0.75 / len(levels) + 0.5),
                                    constrained_layout=True)
        order = np.argsort(pixels["n_selected"])  # the paper's order: strongest penalty (fewest pixels) first
        panels = zip(np.atleast_1d(axes), pixels["masks"][order], pixels["lambdas"][order], pixels["n_selected"][order])
        for ax, mask, lam, count in panels:
            ax.imshow(pixels["mean_image"].reshape(side, side), cmap="gray_r", vmin=0, vmax=1)
            ys, xs = np.nonzero(mask.reshape(side, side))
            ax.scatter(xs, ys, s=6, marker="s", color=SELECTED_PIXEL_COLOUR, linewidths=0)
            ax.set_title(f"λ = {lam:.3g}\n{int(count)} pixels")
            ax.set_axis_off()
        figure.suptitle(f"Digit {int(pixels['digit'])}: selected pixels (orange) over the mean image")
    return figure


def figure6_numbers(images, path):
    """The report's numbers: the reconstruction error from the selected pixels against the dense network's."""
    n_selected, refit_mse = int(images["n_selected"]), float(images["refit_test_mse"])
    dense_mse = float(path.loc[path["lambda"] == 0, "test_mse"].iloc[0])
    return (
        f"Reconstructions by a network retrained on the top {n_selected} pixels of the path's ranking: test MSE "
        f"{refit_mse:.4f} per pixel, against {dense_mse:.4f} for the dense network on all pixels."
    )


def digit_numbers(pixels, path):
    """The report's numbers for Figures 7-9: the reconstruction error at each of the three penalty levels shown."""
    steps = path[path["lambda"] > 0]
    dense = float(path.loc[path["lambda"] == 0, "test_mse"].iloc[0])
    at = []
    for n_selected, lam in zip(pixels["n_selected"], pixels["lambdas"]):
        step = steps.iloc[(steps["lambda"] - float(lam)).abs().argmin()]
        at.append(f"{int(n_selected)} pixels (λ = {float(lam):.3g}): {step['test_mse']:.4f}")
    return (f"Digit {int(pixels['digit'])}, one split: test reconstruction MSE per pixel of the dense network "
            f"{dense:.4f}; at the levels shown, " + "; ".join(at) + ".")
