"""The figures' settings: `config["figures"][<figure>]` over these defaults, so the workflow runs before the
config schema knows the keys. Paper settings where the paper gives them; cheaper choices say why."""

import copy

FIGURE_NAMES = [
    "figure1", "figure2", "figure4", "figure6", "figure7", "figure8", "figure9", "figure10", "conv_filters", "survival",
]

FIGURE_DEFAULTS = {
    "draw": FIGURE_NAMES,  # the figures `rule all` asks for (and the report shows); [] for none
    "device": "auto",  # every neural compute rule: "auto" (CUDA when available), "cpu" or "cuda"
    "figure4": {
        "dataset": "boston",
        "seed": 0,
        "hidden_dims": [10],  # the authors' Boston example (examples/boston_housing.py) uses one layer of 10
        "path": {
            "M": 10.0,
            "path_multiplier": 1.02,
            "n_epochs": [1000, 100],  # the reference package's defaults (dense fit, each λ step)
            "patience": [100, 10],
            "batch_size": None,  # full batch, as the reference does; 354 training rows
            "lr": 1e-3,
        },
    },
    "figure6": {
        "dataset": "mnist",
        "seed": 0,
        "n_features": 50,  # "about 50 active features"
        "n_per_digit": 3,
        "hidden_dims": [128],
        "max_train_rows": 2000,  # a random subset of the 7000 training images keeps the CPU path to minutes
        "path": {
            "M": 10.0,
            "path_multiplier": 1.02,
            "n_epochs": [200, 5],
            "patience": [10, 2],
            "batch_size": 32,  # more optimiser steps per λ than 256 gives (a few per epoch on 2000 images)
            "lr": 1e-3,
        },
    },
    "digits": {  # Figures 7, 8, 9: one path per digit on that digit's images
        "dataset": "mnist",
        "seed": 0,
        "figure_digits": {"figure7": 3, "figure8": 5, "figure9": 7},
        "pixel_levels": [150, 50, 15],  # the paper's three penalty levels, set by the pixels kept
        "hidden_dims": [128],
        "path": {
            "M": 10.0,
            "path_multiplier": 1.02,
            "n_epochs": [200, 5],
            "patience": [10, 2],
            "batch_size": 32,
            "lr": 1e-3,
        },
    },
    "figure1": {
        "dataset": "mice",
        "seed": 0,
        "hidden_dims": [26],  # d/3, the smallest width of the paper's grid
        "path": {"M": 10.0, "path_multiplier": 1.02, "n_epochs": [200, 5], "patience": [10, 2], "batch_size": 64,
                 "lr": 1e-3},
    },
    "figure2": {
        "dataset": "mnist",
        "seed": 0,
        "digits": [5, 6],
        "pixel_levels": [160, 220, 300],  # the paper's three samples
        "hidden_dims": [64],
        "path": {"M": 10.0, "path_multiplier": 1.02, "n_epochs": [200, 5], "patience": [10, 2], "batch_size": 64,
                 "lr": 1e-3},
    },
    "figure10": {
        "dataset": "mice",
        "seed": 0,
        "n_trials": 25,  # the paper's 25 trials
        "n_selected_grid": [5, 10, 15, 20, 30, 40, 50, 60, 77],
        "network": {
            "hidden_dims": [77, 77],  # two hidden layers (Appendix C); width d, the middle of the paper's grid
            "n_epochs": 200,  # the paper trains every reconstruction network for 200 epochs
            "epochs_per_round": 10,
            "patience_rounds": 5,
            "batch_size": 128,
            "lr": 1e-3,
            "mask_fraction": 0.2,
            "M": 10.0,
            "path_multiplier": 1.05,
            "path_step_epochs": 5,
        },
    },
    # Beyond the paper: convolutional LassoNet (filter sparsity) against magnitude pruning (figures/conv_filters.py).
    "conv_filters": {
        "dataset": "mnist",
        "seed": 0,
        "image_shape": [1, 28, 28],
        "n_filters": 32,
        "kernel_size": 5,
        "hidden_width": 64,  # the dense layer after 2×2 max-pooling
        "filter_levels": [16, 8, 4],  # the surviving filters are drawn at the first step with at most this many
        "baseline_epochs": 20,  # the CNN without constraint: Adam, early stopping on the validation loss
        "baseline_patience": 3,
        "fine_tune_epochs": 3,  # magnitude pruning: fine-tuning after the k filters of largest norm are kept
        "path": {
            "M": 10.0,
            "path_multiplier": 1.1,  # coarser than the paper's 1.02 to keep the CPU path to minutes (docs/conv.md)
            "n_epochs": [20, 2],
            "patience": [3, 1],
            "batch_size": 256,
            "lr": 1e-3,
        },
    },
    "survival": {  # beyond the paper: Cox LassoNet, Lasso-Cox and the official LassoNetCoxRegressor
        "dataset": "breast_cancer",  # scikit-survival's bundled GEO GSE7390: 198 patients, 82 features
        "seeds": [0, 1, 2, 3, 4],
        "methods": ["lassonet", "lasso_cox", "lassonet_official"],
        "n_features_grid": [2, 5, 10, 20, 40, 82],
        "lassonet": {  # ours and the official package's, alike
            "hidden_dims": [28],  # d/3, the smallest width of the paper's grid
            # The official package's defaults (it allows only full batches for Cox), except ε = 0.05 for a
            # few-minute run (1.02 needs about 2.5 times as many steps)
            "path": {"M": 10.0, "path_multiplier": 1.05, "n_epochs": [1000, 100], "patience": [100, 10],
                     "batch_size": None, "lr": 1e-3},
        },
        "lasso_cox": {"n_alphas": 100, "alpha_min_ratio": 0.001},  # CoxnetSurvivalAnalysis, l1_ratio = 1
    },
}


def figure_settings(config, name):
    """Settings of figure `name`: the defaults, overridden key by key by config["figures"][name]."""
    figures = (config or {}).get("figures") or {}
    if name not in FIGURE_DEFAULTS:
        raise ValueError(f"no figure settings named {name!r}; known: {sorted(FIGURE_DEFAULTS)}")
    return _merge(FIGURE_DEFAULTS[name], figures.get(name) or {}, f"figures.{name}")


def _merge(defaults, overrides, where):
    if not isinstance(defaults, dict):
        return copy.deepcopy(overrides)
    if not isinstance(overrides, dict):
        raise ValueError(f"{where} must be a mapping, got {overrides!r}")
    unknown = set(overrides) - set(defaults)
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {sorted(unknown)}; known: {sorted(defaults)}")
    merged = copy.deepcopy(defaults)
    for key, value in overrides.items():
        merged[key] = _merge(defaults[key], value, f"{where}.{key}") if isinstance(defaults[key], dict) else value
    return merged


def figure_tables(config):
    """For each figure, its tidy tables (role -> path under results/figures/data/), as the plot rule reads them."""
    data = "results/figures/data"
    digits = figure_settings(config, "digits")["figure_digits"]
    return {
        "figure1": {"path": f"{data}/figure1_path.csv"},
        "figure2": {"path": f"{data}/figure2_path.csv", "pixels": f"{data}/figure2_pixels.npz"},
        "figure4": {"coefficients": f"{data}/figure4_coefficients.csv", "errors": f"{data}/figure4_errors.csv"},
        "figure6": {"images": f"{data}/figure6_images.npz", "path": f"{data}/figure6_path.csv"},
        **{name: {"pixels": f"{data}/{name}_pixels.npz", "path": f"{data}/{name}_path.csv"} for name in digits},
        "figure10": {"trials": f"{data}/figure10_trials.csv", "selection": f"{data}/figure10_selection.csv"},
        "conv_filters": {"accuracy": f"{data}/conv_filters_accuracy.csv",
                         "filters": f"{data}/conv_filters_filters.npz"},
        "survival": {"path": f"{data}/survival_path.csv", "curve": f"{data}/survival_curve.csv"},
    }


def figures_to_draw(config):
    """The names of the figures config["figures"]["draw"] asks for (all of them by default), checked."""
    draw = ((config or {}).get("figures") or {}).get("draw", FIGURE_DEFAULTS["draw"])
    unknown = [name for name in draw if name not in FIGURE_NAMES]
    if unknown:
        raise ValueError(f"figures.draw: unknown figure(s) {unknown}; known: {FIGURE_NAMES}")
    return [name for name in FIGURE_NAMES if name in draw]


def figure_targets(config):
    """The PNG and PDF of every figure figures.draw asks for (for `rule all` and the report)."""
    return [f"results/figures/{name}.{ext}" for name in figures_to_draw(config) for ext in ("png", "pdf")]
