"""The replication report's section on Figures 1, 2, 4 and 6-10: what each paper figure shows, our figure beside
it, and the numbers our tidy tables hold for the paper's claim (read from results/figures/data/ when present);
then the figures beyond the paper, labelled so."""

from pathlib import Path

import numpy as np
import pandas as pd

from .conv_filters import lassonet_against_pruning
from .path_figures import best_step_per_size, top_features
from .survival import survival_report_section

PAPER_FIGURES = {
    "figure1": (
        "Figure 1 (Section 1): the LassoNet path on Mice Protein",
        "Classification accuracy and the number of selected proteins along the path; about 35 proteins give "
        "the best accuracy, and 20 % of the features capture 70 % of the signal.",
    ),
    "figure2": (
        "Figure 2 (Section 1): MNIST 5 against 6",
        "Top: classification accuracy by the number of selected pixels. Bottom: a sample with the 160, 220 and "
        "300 pixels LassoNet keeps.",
    ),
    "figure4": (
        "Figure 4 (Section 4.1): Boston housing with 13 Gaussian noise features",
        "Left: the skip-layer coefficients θ along the dense→sparse path against λ, true features solid, noise "
        "dashed, the number of selected features along the top and a line at the lowest test error (the paper: "
        "13 predictors, 12 of them true). Right: test error against the number of features for the Lasso and "
        "LassoNet started sparse→dense and dense→sparse; the dense→sparse path generalises best.",
    ),
    "figure6": (
        "Figure 6 (Section 6): unsupervised LassoNet on MNIST",
        "Three random test images per digit and their reconstructions by the reconstruction network at about 50 "
        "selected pixels; the digits stay recognisable.",
    ),
    "figure7": ("Figure 7 (Section 6.3): digit 3", "The pixels unsupervised LassoNet keeps at three penalty levels."),
    "figure8": ("Figure 8 (Section 6.3): digit 5", "The pixels unsupervised LassoNet keeps at three penalty levels."),
    "figure9": ("Figure 9 (Section 6.3): digit 7", "The pixels unsupervised LassoNet keeps at three penalty levels."),
    "figure10": (
        "Figure 10 (Section 7): matrix completion on Mice Protein",
        "80 % of the entries observed, 10 % for validation and stopping, 10 % held out. Left: test MSE of the "
        "LassoNet imputation network (two hidden layers) and Soft-Impute before selection, mean ± std over 25 "
        "initialisations (the paper: about 30 % lower for LassoNet). Right: LassoNet's test MSE against the number "
        "of selected proteins, with Soft-Impute's level (the paper: Soft-Impute's error with about 40 proteins).",
    ),
}

BEYOND_THE_PAPER = {
    "conv_filters": (
        "Beyond the paper: convolutional LassoNet selects filters (MNIST)",
        "The paper proposes filter sparsity for ConvNets as future work (Section 8). A small CNN (one convolution, "
        "max-pooling, a dense layer) with the skip layer on the flattened convolution output and the constraint "
        "‖γ_j‖∞ ≤ M‖θ_j‖₂ per filter; test accuracy against the number of active filters along the dense→sparse "
        "path (per count, the step with the best validation accuracy) and of that network fine-tuned without "
        "penalty on its filters, beside the same CNN trained without the constraint and magnitude pruning (the "
        "trained CNN's k filters of largest norm, fine-tuned the same way) at the same counts. Right: the filters "
        "that survive at three points of the path.",
    ),
}


def figures_report_section(figures_dir, heading_level=2):
    """Markdown: one entry per paper figure whose PNG exists under `figures_dir` (paths relative to the report,
    which sits beside `figures/`), with the paper's content and our numbers."""
    figures_dir = Path(figures_dir)
    hashes = "#" * heading_level
    parts = [f"{hashes} Figures: the path, unsupervised selection and matrix completion\n"]
    entries = [(name, entry, "The paper's figure") for name, entry in PAPER_FIGURES.items()]
    entries += [(name, entry, "Beyond the paper") for name, entry in BEYOND_THE_PAPER.items()]
    for name, (title, description), label in entries:
        if not (figures_dir / f"{name}.png").exists():
            continue
        parts.append(f"{hashes}# {title}\n\n*{label}.* {description}\n")
        ours = _our_numbers(name, figures_dir / "data")
        if ours:
            parts.append(f"*Ours.* {ours}\n")
        parts.append(f"![{title}]({figures_dir.name}/{name}.png) ([PDF]({figures_dir.name}/{name}.pdf))\n")
    if (figures_dir / "survival.png").exists():
        parts.append(survival_report_section(figures_dir / "data", figures_dir.name, heading_level))
    return "\n".join(parts)


def _our_numbers(name, data_dir):
    reader = {"figure4": _figure4_numbers, "figure6": _figure6_numbers, "figure10": _figure10_numbers,
              "conv_filters": _conv_filters_numbers}.get(name)
    return reader(data_dir) if reader else ""


def _figure4_numbers(data_dir):
    coefficients = pd.read_csv(data_dir / "figure4_coefficients.csv")
    errors = pd.read_csv(data_dir / "figure4_errors.csv")
    n_true = int((~coefficients.drop_duplicates("feature")["is_noise"]).sum())
    kept = top_features(coefficients, n_true)
    best = best_step_per_size(errors).groupby("method")["test_mse"].min()
    dense = errors[(errors["method"] == "lassonet") & (errors["lambda"] > 0)]
    at_best = dense.loc[dense["test_mse"].idxmin()]
    return (
        f"Of the {n_true} features the dense→sparse path keeps longest, {int((~kept['is_noise']).sum())} are true "
        f"ones. Lowest test error on the path at {int(at_best['n_selected'])} features. Best test MSE (standardised "
        f"target) at any number of features: Lasso {best.get('lasso', np.nan):.3f}, LassoNet sparse→dense "
        f"{best.get('lassonet_sparse_to_dense', np.nan):.3f}, dense→sparse {best.get('lassonet', np.nan):.3f}."
    )


def _figure6_numbers(data_dir):
    with np.load(data_dir / "figure6_images.npz") as images:
        n_selected, refit_mse = int(images["n_selected"]), float(images["refit_test_mse"])
    path = pd.read_csv(data_dir / "figure6_path.csv")
    dense_mse = float(path.loc[path["lambda"] == 0, "test_mse"].iloc[0])
    return (
        f"Reconstructions by a network retrained on the top {n_selected} pixels of the path's ranking: test MSE "
        f"{refit_mse:.4f} per pixel, against {dense_mse:.4f} for the dense network on all pixels."
    )


def _figure10_numbers(data_dir):
    trials = pd.read_csv(data_dir / "figure10_trials.csv")
    selection = pd.read_csv(data_dir / "figure10_selection.csv")
    summary = trials.groupby("method")["test_mse"].agg(["mean", "std", "count"])
    soft = trials[(trials["method"] == "soft_impute") & (trials["trial"] == 0)]["test_mse"].iloc[0]
    matching = selection[selection["test_mse"] <= soft]["n_selected"]
    reach = f"{int(matching.min())} proteins" if len(matching) else "no number of proteins in the grid"
    cells = ", ".join(f"{m} {summary.loc[m, 'mean']:.3f} ± {summary.loc[m, 'std']:.3f}" for m in summary.index)
    return (
        f"Test MSE in units of each protein's variance over {int(summary['count'].max())} trials: {cells}. "
        f"LassoNet refit on the selected proteins matches Soft-Impute's trial-0 level with {reach}."
    )


def _conv_filters_numbers(data_dir):
    accuracy = pd.read_csv(data_dir / "conv_filters_accuracy.csv")
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
