"""Figures 4, 6-10, 1-2: that each figure's numbers mean what the paper says, on small synthetic data.

Each test runs a compute function on a problem where the answer is known, checks the property the figure is
meant to show, then draws the figure from the tidy tables it wrote (read back from disk)."""

import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest
from scipy.stats import hypergeom

from lassonet_bench.variants.completion import CompletionSettings, fit_completion, split_entries
from lassonet_bench.experiments.common import path_settings, write_csv, write_npz
from lassonet_bench.experiments.conv_filters import compute_conv_filters
from lassonet_bench.experiments.imputation import compute_figure10
from lassonet_bench.experiments.path_figures import compute_figure4
from lassonet_bench.plots import draw_figure
from lassonet_bench.plots.paths import best_step_per_size, top_features
from lassonet_bench.reporting.figures_section import figures_report_section
from lassonet_bench.experiments.settings import figure_settings
from lassonet_bench.experiments.supervised_paths import compute_figure1, compute_figure2
from lassonet_bench.experiments.common import predict
from lassonet_bench.experiments.unsupervised import compute_digit_pixels, compute_figure6, refit_on_pixels
from lassonet_bench.core.devices import torch_threads


def boston_like(n_samples=300, n_true=13, seed=0, weakest=0.5, noise=0.2):
    """13 informative features (effects of decreasing strength) and 13 standard Gaussian noise columns after them,
    like the data layer's Boston + noise."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_samples, 2 * n_true)).astype(np.float32)
    strength = np.linspace(1.0, weakest, n_true)
    # Every feature has a linear part, as Boston's do (a feature with no linear effect needs |θ_j| >= |W_j| / M
    # to be used at all, so the hierarchy ranks it low); every third one also bends.
    effects = [X[:, j] + (0 if j % 3 else np.abs(X[:, j]) - np.sqrt(2 / np.pi)) for j in range(n_true)]
    y = sum(w * e for w, e in zip(strength, effects)) + noise * rng.standard_normal(n_samples)
    names = [f"true_{j}" for j in range(n_true)] + [f"noise_{j}" for j in range(n_true)]
    order = rng.permutation(n_samples)
    split = {"train": order[:210], "val": order[210:240], "test": order[240:]}
    return X, y.astype(np.float32), split, names


FAST_PATH = {"M": 10.0, "path_multiplier": 1.1, "n_epochs": [100, 10], "patience": [10, 3], "batch_size": 64}


def write_tables(tables, folder, figure):
    """Each of a figure's tables as <figure>_<role>.csv in `folder`: {role: path}."""
    paths = {role: folder / f"{figure}_{role}.csv" for role in tables}
    for role, table in tables.items():
        write_csv(table, paths[role])
    return paths


@pytest.fixture(scope="module")
def figure4_tables(tmp_path_factory):
    X, y, split, names = boston_like()
    with torch_threads(1):  # module fixtures run before conftest's per-test one-thread fixture
        tables = compute_figure4(X, y, split, names, 13, [10], path_settings(FAST_PATH, "test"), seed=0)
    return tables, write_tables(tables, tmp_path_factory.mktemp("figure4"), "figure4")


def test_dense_to_sparse_path_keeps_true_features_longer_than_noise(figure4_tables):
    tables, _ = figure4_tables
    top13 = top_features(tables["coefficients"], 13)
    n_true = int((~top13["is_noise"]).sum())
    # 10 or more true features among 13 has probability 0.0085 when 13 of the 26 are drawn at random; the paper
    # reports 12 of 13 on Boston.
    assert hypergeom(26, 13, 13).sf(9) < 0.01
    assert n_true >= 10, top13


def test_figure4_paths_cover_the_feature_range_and_predict_better_than_the_mean(figure4_tables):
    tables, _ = figure4_tables
    errors = tables["errors"]
    assert set(errors["method"]) == {"lasso", "lassonet", "lassonet_sparse_to_dense"}
    for method, path in errors.groupby("method"):
        assert path["n_selected"].max() == 26 and path["n_selected"].min() <= 1, method
    best = best_step_per_size(errors).groupby("method")["test_mse"].min()
    # The target is standardised: 1 is the error of predicting the training mean. Sparse->dense is allowed to
    # generalise worse (that is the figure's point), not to learn nothing.
    assert best["lassonet"] < 0.5 and best["lasso"] < 0.5 and (best < 1.0).all(), best


def test_figure4_draws_from_its_tables(figure4_tables, tmp_path):
    _, paths = figure4_tables
    draw_figure("figure4", paths, tmp_path / "f.png", tmp_path / "f.pdf")
    assert (tmp_path / "f.png").stat().st_size > 10_000 and (tmp_path / "f.pdf").stat().st_size > 5_000


def test_figure_settings_reject_unknown_keys_and_merge_defaults():
    merged = figure_settings({"figures": {"figure4": {"path": {"M": 5.0}}}}, "figure4")
    assert merged["path"]["M"] == 5.0 and merged["path"]["path_multiplier"] == 1.02
    with pytest.raises(ValueError, match=r"figures.figure4.path: unknown key\(s\) \['m'\]"):
        figure_settings({"figures": {"figure4": {"path": {"m": 5.0}}}}, "figure4")


def mice_head_matrix():
    """The 32 rows of the Mice Protein fixture, preprocessed as the data layer does (77 proteins, min-max)."""
    from pathlib import Path

    from lassonet_bench.datasets.sources import mice

    frame = mice.read_mice_table(Path(__file__).parent / "data/datasets/Data_Cortex_Nuclear.head.csv")
    return mice.preprocess_mice(frame)[0].astype(np.float64)


SMALL_NETWORK = CompletionSettings(hidden_dims=(32, 32), n_epochs=60, epochs_per_round=5, batch_size=16,
                                   path_multiplier=1.2, path_step_epochs=2)


@pytest.fixture(scope="module")
def figure10_tables(tmp_path_factory):
    with torch_threads(1):
        tables = compute_figure10(mice_head_matrix(), n_trials=2, n_selected_grid=[5, 77], settings=SMALL_NETWORK)
    return tables, write_tables(tables, tmp_path_factory.mktemp("figure10"), "figure10")


def test_lassonet_imputer_beats_column_means_on_held_out_mice_entries(figure10_tables):
    trials = figure10_tables[0]["trials"].pivot(index="trial", columns="method", values="test_mse")
    assert (trials["column_mean"] > 0.8).all()  # the entries are standardised by the training entries
    assert (trials["lassonet"] < 0.7 * trials["column_mean"]).all(), trials


def test_imputation_error_falls_as_more_proteins_are_kept(figure10_tables):
    selection = figure10_tables[0]["selection"].set_index("n_selected")
    assert selection.loc[77, "test_mse"] < selection.loc[5, "test_mse"], selection
    assert len(selection.loc[5, "proteins"].split()) == 5


def test_figure10_draws_from_its_tables(figure10_tables, tmp_path):
    draw_figure("figure10", figure10_tables[1], tmp_path / "f.png", tmp_path / "f.pdf")
    assert (tmp_path / "f.png").stat().st_size > 10_000


def test_entry_split_is_a_partition_and_masks_are_checked():
    masks = split_entries((40, 7), seed=3)
    total = masks["train"].astype(int) + masks["val"] + masks["test"]
    assert (total == 1).all() and 0.7 < masks["train"].mean() < 0.9
    with pytest.raises(ValueError, match="masks overlap"):
        fit_completion(np.zeros((40, 7)), {**masks, "val": masks["train"]}, SMALL_NETWORK)


def tiny_images(n_per_class=60, side=6, seed=0):
    """Two classes of side x side 'images' in [0, 1], each pixel a non-linear function of 3 latent factors."""
    rng = np.random.default_rng(seed)
    n = 2 * n_per_class
    labels = np.repeat([0, 1], n_per_class)
    latent = rng.standard_normal((n, 3)) + labels[:, None]
    loadings = rng.standard_normal((3, side * side))
    X = 1 / (1 + np.exp(-(latent @ loadings))) + 0.05 * rng.standard_normal((n, side * side))
    order = rng.permutation(n)
    split = {"train": np.sort(order[:80]), "val": np.sort(order[80:100]), "test": np.sort(order[100:])}
    return np.clip(X, 0, 1).astype(np.float32), labels, split


IMAGE_PATH = {"M": 10.0, "path_multiplier": 1.05, "n_epochs": [100, 5], "patience": [10, 2], "batch_size": 16}


def test_unsupervised_reconstruction_error_falls_as_more_features_are_kept(tmp_path):
    X, labels, split = tiny_images()
    tables = compute_figure6(X, labels, split, 4, 2, [12], path_settings(IMAGE_PATH, "test"))
    images = tables["images"]
    settings = path_settings(IMAGE_PATH, "test")
    errors = []
    for k in (2, 8, 30):  # networks retrained on the top k pixels of the path's ranking, as Figure 6 shows them
        selected = np.isin(np.arange(36), images["ranking"][:k])
        refit = refit_on_pixels(X, images["train_rows"], split["val"], selected, [12], settings, 0, "cpu")
        errors.append(float(np.mean((predict(refit, X[split["test"]][:, selected]) - X[split["test"]]) ** 2)))
    assert errors[0] > errors[1] > errors[2], errors
    assert errors[0] > 1.5 * errors[2], errors
    images = tables["images"]
    assert images["selected"].sum() == images["n_selected"] <= 4 and images["originals"].shape == (4, 36)
    write_csv(tables["path"], tmp_path / "path.csv")
    write_npz(tmp_path / "images.npz", **images)
    draw_figure("figure6", {"images": tmp_path / "images.npz", "path": tmp_path / "path.csv"},
                tmp_path / "f.png", tmp_path / "f.pdf")
    assert (tmp_path / "f.png").stat().st_size > 5_000


def test_digit_pixels_are_nested_across_penalty_levels(tmp_path):
    X, labels, split = tiny_images()
    tables = compute_digit_pixels(X, labels, split, 1, [20, 8, 3], [12], path_settings(IMAGE_PATH, "test"))
    pixels = tables["pixels"]
    assert list(pixels["levels"]) == [20, 8, 3]
    assert (pixels["masks"].sum(axis=1) == pixels["n_selected"]).all() and (pixels["n_selected"] <= [20, 8, 3]).all()
    assert np.all(pixels["lambdas"][:-1] <= pixels["lambdas"][1:])  # fewer pixels: a stronger penalty
    write_npz(tmp_path / "pixels.npz", **pixels)
    write_csv(tables["path"], tmp_path / "path.csv")
    draw_figure("figure8", {"pixels": tmp_path / "pixels.npz", "path": tmp_path / "path.csv"}, tmp_path / "f.png",
                tmp_path / "f.pdf")
    assert (tmp_path / "f.png").stat().st_size > 5_000
    with pytest.raises(ValueError, match="digit 7 has no image"):
        compute_digit_pixels(X, labels, split, 7, [3], [12], path_settings(IMAGE_PATH, "test"))


def test_supervised_paths_of_figures_1_and_2(tmp_path):
    X, labels, split = tiny_images()
    settings = path_settings(IMAGE_PATH, "test")
    figure1 = compute_figure1(X, labels, split, [12], settings)["path"]
    dense = figure1.loc[figure1["lambda"] == 0, "test_accuracy"].iloc[0]
    assert dense >= 0.8 and figure1["n_selected"].min() == 0  # the classes differ by a latent shift
    assert figure1.loc[figure1["n_selected"] == 0, "test_accuracy"].max() <= 0.75  # no pixel: one class
    figure2 = compute_figure2(X, labels, split, [0, 1], [10, 4], [12], settings)
    masks = figure2["pixels"]["masks"]
    assert list(figure2["pixels"]["levels"]) == [4, 10] and list(masks.sum(axis=1)) == [4, 10]
    assert not (masks[0] & ~masks[1]).any()  # the 4 pixels are among the 10
    write_csv(figure1, tmp_path / "f1.csv")
    write_csv(figure2["path"], tmp_path / "f2.csv")
    write_npz(tmp_path / "f2.npz", **figure2["pixels"])
    draw_figure("figure1", {"path": tmp_path / "f1.csv"}, tmp_path / "1.png", tmp_path / "1.pdf")
    draw_figure("figure2", {"path": tmp_path / "f2.csv", "pixels": tmp_path / "f2.npz"}, tmp_path / "2.png",
                tmp_path / "2.pdf")
    assert (tmp_path / "1.png").stat().st_size > 5_000 and (tmp_path / "2.png").stat().st_size > 5_000
    with pytest.raises(ValueError, match="two digits"):
        compute_figure2(X, labels, split, [0, 7], [4], [12], settings)


def digit_images(n=600, seed=0):
    """The first n of scikit-learn's 8×8 digits (bundled, no download), in [0, 1], split 400/100/100."""
    from sklearn.datasets import load_digits

    X, y = load_digits(return_X_y=True)
    order = np.random.default_rng(seed).permutation(n)
    split = {"train": np.sort(order[:400]), "val": np.sort(order[400:500]), "test": np.sort(order[500:n])}
    return (X[:n] / 16).astype(np.float32), y[:n], split


def test_conv_filters_tables_figure_and_report(tmp_path):
    """Beyond the paper: the conv path, the plain CNN and magnitude pruning at the path's filter counts."""
    X, labels, split = digit_images()
    settings = path_settings({"M": 10.0, "path_multiplier": 1.3, "n_epochs": [40, 2], "patience": [5, 1],
                              "batch_size": 32, "lr": 3e-3}, "test")
    with torch_threads(1):
        tables = compute_conv_filters(X, labels, split, (1, 8, 8), 6, 3, 16, [4, 2], settings, baseline_epochs=40,
                                      baseline_patience=5, fine_tune_epochs=2)
    accuracy, filters = tables["accuracy"], tables["filters"]
    path = accuracy[accuracy["method"] == "lassonet"]
    assert path["n_filters"].iloc[0] == 6 and path["n_filters"].iloc[-1] <= 1  # the path stops at one filter
    cnn = accuracy[accuracy["method"] == "cnn"]
    assert list(cnn["n_filters"]) == [6] and cnn["test_accuracy"].iloc[0] >= 0.9
    visited = sorted(c for c in path["n_filters"].unique() if 0 < c < 6)
    for method in ("magnitude_pruning", "lassonet_fine_tuned"):
        assert visited and sorted(accuracy.loc[accuracy["method"] == method, "n_filters"]) == visited
    assert filters["weights"].shape == (len(filters["levels"]), 6, 3, 3) and len(filters["levels"]) > 0
    assert (filters["n_filters"] <= filters["levels"]).all()
    assert list(filters["active"].sum(axis=1)) == list(filters["n_filters"])
    assert not filters["weights"][~filters["active"]].any()  # a filter out of the model has zero weights

    data = tmp_path / "data"
    write_csv(accuracy, data / "conv_filters_accuracy.csv")
    write_npz(data / "conv_filters_filters.npz", **filters)
    inputs = {"accuracy": data / "conv_filters_accuracy.csv", "filters": data / "conv_filters_filters.npz"}
    draw_figure("conv_filters", inputs, tmp_path / "conv_filters.png", tmp_path / "conv_filters.pdf")
    section = figures_report_section({"conv_filters": (tmp_path / "conv_filters.png", inputs)}, tmp_path)
    assert "*Beyond the paper.*" in section and "filter selection" in section and "magnitude pruning" in section
    assert "![Beyond the paper" in section
    with pytest.raises(ValueError, match=r"image_shape \(1, 5, 5\) does not match the data's 64 features"):
        compute_conv_filters(X, labels, split, (1, 5, 5), 6, 3, 8, [2], settings, 1, 1, 1)


def test_the_report_side_imports_neither_torch_nor_a_model_module():
    """What the plot rule, Figure 5's rule and write_report.py import, with every figure's declared plot and numbers
    functions, loads no torch and no module that fits a model (checked in a fresh interpreter)."""
    script = textwrap.dedent("""
        import sys
        import lassonet_bench.plots, lassonet_bench.plots.figure5, lassonet_bench.reporting.figures_section
        import lassonet_bench.record, lassonet_bench.reporting.report
        from lassonet_bench.experiments.registry import FIGURES, resolve
        import lassonet_bench.experiments.settings
        for figure in FIGURES.values():
            resolve(figure.plot), figure.numbers and resolve(figure.numbers)
        print(" ".join(sorted(sys.modules)))
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    loaded = set(result.stdout.split())
    assert "lassonet_bench.plots.paths" in loaded and "lassonet_bench.plots.survival" in loaded
    assert not {name for name in loaded if name == "torch" or name.startswith("torch.")}
    ours = {name for name in loaded if name.startswith("lassonet_bench.")}
    # The registries give the report its method and learner titles: the selector classes and the learner registry
    # load, the code that trains (core's path, model, stack, prox; the learners' modules; torch) does not.
    light = {"lassonet_bench.io", "lassonet_bench.validation", "lassonet_bench.core", "lassonet_bench.core.settings",
             "lassonet_bench.experiments", "lassonet_bench.experiments.registry",
             "lassonet_bench.experiments.settings", "lassonet_bench.selectors", "lassonet_bench.selectors.base", "lassonet_bench.selectors.fisher",
             "lassonet_bench.selectors.hsic", "lassonet_bench.selectors.pfa", "lassonet_bench.selectors.trace_ratio",
             "lassonet_bench.selectors.lassonet", "lassonet_bench.learners", "lassonet_bench.reporting",
             "lassonet_bench.reporting.report", "lassonet_bench.reporting.costs", "lassonet_bench.reporting.results",
             "lassonet_bench.reporting.tables", "lassonet_bench.reporting.misses",
             "lassonet_bench.reporting.figures_section", "lassonet_bench.reporting.statistics",
             "lassonet_bench.reporting.captions",
             "lassonet_bench.experiments.tables", "lassonet_bench.runs", "lassonet_bench.runs.provenance",
             "lassonet_bench.runs.kernels", "lassonet_bench.record",
             "lassonet_bench.record.drift", "lassonet_bench.record.gathering", "lassonet_bench.record.rendering"}
    selectors = {name for name in ours if name.startswith("lassonet_bench.selectors.")}  # their fits import torch lazily
    assert {name for name in ours - selectors if not name.startswith("lassonet_bench.plots")} <= light, sorted(ours)


def test_figure1_numbers_read_the_best_size_and_the_accuracy_at_35_and_a_fifth_of_the_proteins():
    from lassonet_bench.plots.paths import figure1_numbers

    sizes = [100, 60, 35, 20, 10, 0]
    path = pd.DataFrame(dict(step=range(7), **{"lambda": [0.0, 1, 2, 3, 4, 5, 6]}, n_selected=[100, *sizes],
                             test_accuracy=[0.9, 0.9, 0.9, 0.7, 0.5, 0.3, 0.1]))
    text = figure1_numbers(path)
    assert "(0.900) with 60 proteins" in text and "with 35 proteins it reaches 0.700" in text
    assert "with 20 (a fifth of them) 0.500, 50% of the way from no protein (0.100)" in text


def test_figure10_soft_impute_parameters_are_checked_by_name():
    from lassonet_bench.experiments.imputation import soft_impute_parameters

    assert soft_impute_parameters(None) == {} and soft_impute_parameters({"n_lambdas": 1}) == {"n_lambdas": 1}
    with pytest.raises(ValueError, match=r"soft_impute: unknown key\(s\) \['shrinkage'\]"):
        soft_impute_parameters({"shrinkage": 0.1})
    with pytest.raises(ValueError, match="must be a mapping or null"):
        soft_impute_parameters([1])


def test_the_critical_difference_diagram_tells_every_registered_method_apart():
    """Twelve selectors and seven colours: each method's elbow and marker still differ (line style, marker)."""
    import numpy as np
    import pandas as pd

    from lassonet_bench.plots.critical_difference import plot_critical_difference
    from lassonet_bench.selectors import methods

    names = list(methods())
    assert len(names) > 7  # more methods than colours: the case this guards
    ranks = pd.Series(np.linspace(1, len(names), len(names)), index=names)
    figure = plot_critical_difference(ranks, pd.DataFrame(0.5, index=names, columns=names), 10)
    ax = figure.axes[0]
    elbows = [line for line in ax.lines if len(line.get_xdata()) == 3]
    markers = [collection.get_paths()[0].vertices.shape[0] for collection in ax.collections]
    looks = {(str(e.get_color()), e.get_linestyle(), m) for e, m in zip(elbows, markers)}
    assert len(elbows) == len(names) and len(looks) == len(names)
