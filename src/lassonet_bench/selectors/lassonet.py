"""LassoNet as a scikit-learn feature selector that returns exactly k features.

torch (through `lassonet_bench.core.path`) is imported when a selector is first fitted, so that the selector registry,
the workflow and the report can read the class's declarations without loading it.
"""

import math
import time
import warnings

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.feature_selection import SelectorMixin
from sklearn.model_selection import train_test_split
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from lassonet_bench.core.settings import DEFAULT_N_EPOCHS, DEFAULT_PATIENCE, PathSettings, path_settings
from lassonet_bench.validation import (
    COX_TASKS,
    N_FEATURES_TO_SELECT,
    check_features_for_estimator,
    check_n_features_to_select,
    check_not_all_constant,
    check_regression_targets_for_estimator,
    check_task,
    encode_class_labels_for_estimator,
)

PAPER_WIDTH_FRACTIONS = (1 / 3, 2 / 3, 1.0, 4 / 3)


SCALE_RATIO_WARNING = 1e3  # largest over smallest column range on the training rows above which fit warns


class ScaleWarning(UserWarning):
    """X's columns differ so much in scale that the path's penalty, the same on every column, favours the large."""


class ChanceLevelWarning(UserWarning):
    """A selection whose network, at k features, predicts its validation rows no better than the majority class."""


class LassoNetSelector(SelectorMixin, BaseEstimator):
    """Select features along a LassoNet dense→sparse path (the paper's Algorithm 1, or 3 for reconstruction).

    The path runs until at most `n_features_to_select` features are left (or to zero with `stop_early=False`).
    Features are ranked by the λ at which each left the path, later first, ties by ‖θ_j‖ just before they left;
    `get_support()` holds the top `n_features_to_select` of that ranking, so it has exactly k features even when
    one path step drops several at once.

    `hidden_dims`: the widths of the hidden layers, e.g. `(100,)` (an int for one hidden layer); None means one
    hidden layer of width d/3;
    `"search"` is the paper's protocol: one hidden layer of width d·f for each f in `width_fractions` (d/3, 2d/3,
    d, 4d/3), all trained at once (`lassonet_bench.core.path.fit_paths`), keeping the width whose path scores best on
    the validation rows when k features are left (the narrowest of equal scores).

    `n_epochs` and `patience` are an int or a pair (dense fit, each path step); `patience=None` trains every step for
    the full number of epochs. Extra path settings (`path_multiplier`, `lambda_start`, ...) are those of
    `PathSettings`.

    Scale: the penalty is the same on every column's weights, so columns of very different scales are not selected
    on their merit. `fit` gives a `ScaleWarning` naming the columns when the columns' ranges on the training rows
    differ by more than `SCALE_RATIO_WARNING` (1000; min-max scaled data, the paper's, stay far below it: 64 on
    MNIST's training rows). `standardize=True` fits a `StandardScaler` on the training rows' non-constant columns
    (`scaler_`) and trains on the standardized columns, the validation rows scaled alike; `model_` then takes
    standardized input. The default, False, trains on X as given. A training loss or λ that stops being finite
    raises a ValueError naming X's scale as the likely cause.

    Input is taken as scikit-learn's estimators take it: arrays or numeric and bool DataFrames (their column names
    become `feature_names_in_` and are checked again at `transform`); class labels of any type (integers, strings,
    bools) through `classes_`. Sparse input raises a TypeError.

    Validation rows: `X_val` and `y_val` when given; otherwise `validation_fraction` of the rows is held out,
    stratified by class when every class can have a row on both sides: each class has at least two rows and
    both parts have at least as many rows as there are classes. When the data are too small for that (say 100
    rows, 20 classes and validation_fraction=0.1, or a class with a single row), the rows are held out at random
    instead, so some classes may be missing from one side; pass `X_val` and `y_val` to control the split.
    Fewer than two rows, or a fraction that leaves no training row, raise a ValueError before any training.

    Fitted attributes: `ranking_` (every feature, best first), `hidden_dims_` and `validation_score_` of the kept
    network, `width_search_` (one row per network trained: hidden dims, validation score at k, path steps),
    `path_` (one row per λ: lambda, n_selected, train and validation loss, validation score, epochs, seconds),
    `model_` (the kept network after its last step) and `feature_importances_`: the λ at which each feature left
    the path, so larger is more important. A feature still in when the path stopped (it stops once at most k are
    left) gets the path's last λ, a lower bound of the λ at which it would leave; a column constant on the
    training rows gets 0 (it never enters). No entry is infinite. Such constant columns are ranked last, in increasing
    column index (except for task="reconstruction", whose network takes every column); an X whose every column is
    constant, on all its rows or on the training rows, raises a ValueError. For classification, `chance_score_` is
    the share of the validation rows in their most frequent class, and `at_chance_level_` is True (with a
    `ChanceLevelWarning`) when `validation_score_` is no better than that: the selection may then be arbitrary.

    Determinism: with the same `random_state` the selection is identical on CPU. On a GPU, cuBLAS may sum in a
    different order from run to run, so losses agree to float precision and a feature near a tie may swap places.
    """

    name = "lassonet"
    title = "LassoNet"
    library = "lassonet-bench"
    nested_selection = True
    uses_validation_rows = True
    # JSON schema of the workflow's method_params.lassonet entries (workflow/schemas/config.schema.yaml's $defs).
    param_schema = {
        "M": {"type": "number", "exclusiveMinimum": 0},
        "hidden_dims": {
            "oneOf": [
                {"const": "search"},
                {"type": "array", "items": {"$ref": "#/$defs/positive_int"}, "minItems": 1},
                {"type": "null"},
            ]
        },
        "width_fractions": {"$ref": "#/$defs/fraction_list"},
        "n_epochs": {"$ref": "#/$defs/epochs_pair"},
        "lr": {"type": "number", "exclusiveMinimum": 0},
        "path_multiplier": {"type": "number", "exclusiveMinimum": 1},
        "patience": {"oneOf": [{"$ref": "#/$defs/epochs_pair"}, {"type": "null"}]},
        "batch_size": {"$ref": "#/$defs/positive_int"},
        "standardize": {"type": "boolean"},
    }

    def __init__(
        self,
        n_features_to_select=N_FEATURES_TO_SELECT,
        task="classification",
        hidden_dims=None,
        M=PathSettings.M,
        path_multiplier=PathSettings.path_multiplier,
        n_epochs=DEFAULT_N_EPOCHS,
        patience=DEFAULT_PATIENCE,
        batch_size=PathSettings.batch_size,
        lr=PathSettings.lr,
        device="auto",
        random_state=None,
        dropout=PathSettings.dropout,
        lambda_start=PathSettings.lambda_start,
        validation_fraction=0.1,
        stop_early=True,
        width_fractions=PAPER_WIDTH_FRACTIONS,
        standardize=False,
    ):
        self.n_features_to_select = n_features_to_select
        self.task = task
        self.hidden_dims = hidden_dims
        self.M = M
        self.path_multiplier = path_multiplier
        self.n_epochs = n_epochs
        self.patience = patience
        self.batch_size = batch_size
        self.lr = lr
        self.device = device
        self.random_state = random_state
        self.dropout = dropout
        self.lambda_start = lambda_start
        self.validation_fraction = validation_fraction
        self.stop_early = stop_early
        self.width_fractions = width_fractions
        self.standardize = standardize

    def fit(self, X, y=None, X_val=None, y_val=None):
        from lassonet_bench.core.path import resolve_device

        X, y = self._check_data(X, y, "X", "y", reset=True)
        k = check_n_features_to_select(self.n_features_to_select, X.shape[1])
        check_not_all_constant(X)
        if self.task != "reconstruction" and (X_val is None) != (y_val is None):
            raise ValueError("X_val and y_val must be given together (or neither)")
        settings = self._settings()
        d = X.shape[1]
        grid = self._hidden_dims_grid(d)
        seed = int(check_random_state(self.random_state).randint(2**31 - 1))
        if X_val is None:
            X, X_val, y, y_val = self._hold_out(X, y, seed)
        else:
            X_val, y_val = self._check_data(X_val, y_val, "X_val", "y_val", reset=False)

        self.device_ = str(resolve_device(self.device))
        # A column constant on the training rows only adds to the bias, so it stays out of the network and is ranked
        # last. Kept in, such columns (MNIST has over a hundred) leave the path at random early points.
        informative = np.flatnonzero(X.min(axis=0) < X.max(axis=0))
        if len(informative) == 0:
            raise ValueError(
                f"every column of X is constant on the {X.shape[0]} training rows left after holding out the "
                "validation rows: no feature carries information to select by"
            )
        if self.task == "reconstruction":
            informative = np.arange(d)
        X_train, X_val = X[:, informative], X_val[:, informative]
        self.scaler_ = None
        if self.standardize:
            from sklearn.preprocessing import StandardScaler

            self.scaler_ = StandardScaler().fit(X_train)
            X_train, X_val = self.scaler_.transform(X_train), self.scaler_.transform(X_val)
        else:
            self._warn_about_scale(X_train, informative)
        started = time.perf_counter()
        try:
            results = self._fit_paths(X_train, y, X_val, y_val, grid, settings, k, seed)
        except FloatingPointError as error:
            raise ValueError(self._divergence_message(error, X_train, informative)) from error
        self.fit_seconds_ = time.perf_counter() - started
        scores = [_score_at(result, k) for result in results]
        best = int(np.argmax(scores))  # the first of equal scores: the narrowest
        self.width_search_ = pd.DataFrame(
            dict(hidden_dims=grid, validation_score=scores, steps=[len(r.steps) for r in results])
        )
        self._keep(results[best], grid[best], scores[best], informative, d)
        self._check_chance_level(y_val, k)
        return self

    def _fit_paths(self, X, y, X_val, y_val, grid, settings, k, seed):
        from lassonet_bench.core.path import fit_paths

        return fit_paths(
            X,
            y,
            X_val,
            y_val,
            task=self.task,
            hidden_dims_grid=grid,
            settings=settings,
            n_outputs=len(self.classes_) if self.task == "classification" else None,
            stop_at_n_features=k if self.stop_early else None,
            device=self.device_,
            seed=seed,
        )

    def _column_name(self, j):
        names = getattr(self, "feature_names_in_", None)
        return f"column {j}" if names is None else f"column {j} ({names[j]!r})"

    def _warn_about_scale(self, X_train, columns):
        """Warn, naming the columns, when the columns' ranges on the training rows differ by over SCALE_RATIO_WARNING.

        The range, not the standard deviation: a min-max scaled pixel with rare ink (MNIST's training rows) has a
        standard deviation 2,400 times below the widest column's but its range only 64 times below.
        """
        ranges = np.ptp(X_train, axis=0).astype(np.float64)
        ratio = ranges.max() / ranges.min()
        if not ratio > SCALE_RATIO_WARNING:
            return
        small = np.flatnonzero(ranges * SCALE_RATIO_WARNING < ranges.max())
        shown = ", ".join(f"{self._column_name(columns[j])}: {ranges[j]:.3g}" for j in small[:5])
        more = f" and {len(small) - 5} more" if len(small) > 5 else ""
        warnings.warn(
            f"the columns of X differ in scale by a factor of {ratio:.3g} on the {len(X_train)} training rows "
            f"(ranges: {self._column_name(columns[np.argmax(ranges)])}: {ranges.max():.3g}; {len(small)} columns "
            f"more than {SCALE_RATIO_WARNING:g} times narrower, {shown}{more}): LassoNet penalises every column's "
            "weight alike, so it favours the wide columns. Pass standardize=True, or scale X first (e.g. "
            "make_pipeline(StandardScaler(), LassoNetSelector(...)))",
            ScaleWarning,
            stacklevel=3,
        )

    def _divergence_message(self, error, X_train, columns):
        largest = np.abs(X_train).max(axis=0)
        j = int(np.argmax(largest))
        if self.standardize:
            cause = (f"X was standardized (standardize=True), so the likely cause is the training settings: try a "
                     f"smaller lr (now {self.lr}) or M (now {self.M})")
        else:
            cause = (f"the likely cause is the scale of X: its largest value in magnitude is {largest[j]:.3g}, in "
                     f"{self._column_name(columns[j])}; standardize X (standardize=True, or a StandardScaler before "
                     "the selector)")
        return f"LassoNet's training diverged ({error}): {cause}"

    def _check_chance_level(self, y_val, k):
        """Flag (and warn about) a validation accuracy at k no better than predicting the majority class."""
        if self.task != "classification":
            return
        self.chance_score_ = float(np.bincount(y_val).max() / len(y_val))
        self.at_chance_level_ = bool(self.validation_score_ <= self.chance_score_ + 1e-6)
        if self.at_chance_level_:
            warnings.warn(
                f"LassoNet's validation accuracy with k={k} features, {self.validation_score_:.4g}, is no better than "
                f"predicting the majority class ({self.chance_score_:.4g} of the {len(y_val)} validation rows): the "
                "selection may be arbitrary; a longer training budget (n_epochs, patience) or scaled input may help",
                ChanceLevelWarning,
                stacklevel=3,
            )

    def _keep(self, result, hidden_dims, validation_score, informative, d):
        from lassonet_bench.core.path import feature_ranking

        self.hidden_dims_ = hidden_dims
        self.validation_score_ = validation_score
        self.informative_features_ = informative
        constant = np.setdiff1d(np.arange(d), informative)
        self.ranking_ = np.concatenate([informative[feature_ranking(result.exit_lambda, result.exit_norm)], constant])
        self.path_ = pd.DataFrame(result.steps).rename(columns={"lambda_": "lambda"})
        self.lambda_start_ = result.lambda_start
        self.coefficients_ = result.coefficients  # (steps, informative features): columns follow informative_features_
        self.model_ = result.model
        last_lambda = self.path_["lambda"].iloc[-1]
        self.feature_importances_ = np.zeros(d)
        self.feature_importances_[informative] = np.where(
            np.isinf(result.exit_lambda), last_lambda, result.exit_lambda
        )

    def _hidden_dims_grid(self, d):
        """The hidden dims of each network to train: one entry, or the width search's."""
        if self.hidden_dims is None:
            return [(max(1, round(d / 3)),)]
        if isinstance(self.hidden_dims, str) and self.hidden_dims == "search":
            return _width_grid(self.width_fractions, d)
        widths = (self.hidden_dims,) if isinstance(self.hidden_dims, (int, np.integer)) else self.hidden_dims
        try:
            widths = tuple(widths)
        except TypeError:
            widths = ()
        if not widths or not all(isinstance(w, (int, np.integer)) and not isinstance(w, bool) and w >= 1
                                 for w in widths):
            raise ValueError(
                f"hidden_dims must be None, a positive int or a sequence of positive ints (layer widths), or "
                f"'search', got {self.hidden_dims!r}"
            )
        return [tuple(int(w) for w in widths)]

    def _get_support_mask(self):
        check_is_fitted(self, "ranking_")
        mask = np.zeros(self.n_features_in_, dtype=bool)
        mask[self.ranking_[: self.n_features_to_select]] = True
        return mask

    def _settings(self):
        return path_settings(
            self.n_epochs,
            self.patience,
            M=self.M,
            path_multiplier=self.path_multiplier,
            lambda_start=self.lambda_start,
            batch_size=self.batch_size,
            lr=self.lr,
            dropout=self.dropout,
        )

    def _check_data(self, X, y, x_name, y_name, reset):
        """X as float32; y as class codes into `classes_` (set with reset=True), floats, or None (reconstruction)."""
        X = check_features_for_estimator(self, X, np.float32, reset=reset, name=x_name, min_samples=2 if reset else 1)
        if check_task(self.task) == "reconstruction":
            return X, None
        if self.task == "regression":
            return X, check_regression_targets_for_estimator(self, y, X.shape[0], y_name)
        if self.task in COX_TASKS:
            from lassonet_bench.core.survival import check_survival_targets

            return X, check_survival_targets(y, X.shape[0], y_name)
        if reset:
            self.classes_, codes = encode_class_labels_for_estimator(self, y, X.shape[0], y_name)
            return X, codes
        return X, self._class_codes(y, X.shape[0], y_name)

    def _class_codes(self, y, n_samples, name):
        """Each label of y as its index in `classes_`; labels that `fit`'s y does not hold raise."""
        labels, codes = encode_class_labels_for_estimator(self, y, n_samples, name, min_classes=1)
        unknown = labels[~np.isin(labels, self.classes_)]
        if len(unknown):
            raise ValueError(f"{name} holds classes that are not in y: {unknown.tolist()}")
        return np.searchsorted(self.classes_, labels)[codes]

    def _hold_out(self, X, y, seed):
        """Hold out `validation_fraction` of the rows: stratified by class where possible (see the class doc)."""
        fraction = self.validation_fraction
        if not 0 < fraction < 1:
            raise ValueError(f"validation_fraction must lie in (0, 1), got {fraction!r}")
        n_samples = X.shape[0]
        n_val = math.ceil(fraction * n_samples)  # as train_test_split rounds
        if n_samples - n_val < 1:
            raise ValueError(
                f"n_samples={n_samples} is too few to hold out validation_fraction={fraction}: no training row "
                "would be left; pass more rows, a smaller validation_fraction, or X_val and y_val"
            )
        if y is None:
            X_train, X_val = train_test_split(X, test_size=fraction, random_state=seed)
            return X_train, X_val, None, None
        stratify = y if self.task == "classification" and _can_stratify(y, n_val, n_samples - n_val) else None
        return train_test_split(X, y, test_size=fraction, random_state=seed, stratify=stratify)

    def plot_path(self, axes=None):
        """Draw the path as the official package's `plot_path` does: the validation score and the number of
        features against λ (log scale), with a line where k features were reached. Returns the matplotlib axes."""
        check_is_fitted(self, "path_")
        import matplotlib.pyplot as plt

        if axes is None:
            _, axes = plt.subplots(2, 1, sharex=True, figsize=(6, 5))
        path = self.path_[self.path_["lambda"] > 0]
        for ax, column, label in zip(axes, ["val_score", "n_selected"], ["validation score", "features"]):
            ax.plot(path["lambda"], path[column], marker=".", markersize=3)
            ax.set_ylabel(label)
            ax.set_xscale("log")
            ax.grid(alpha=0.3)
        reached = path[path["n_selected"] <= self.n_features_to_select]
        if len(reached):
            for ax in axes:
                ax.axvline(reached["lambda"].iloc[0], color="grey", linestyle="--", linewidth=1)
        axes[-1].set_xlabel("λ")
        return axes

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = self.task != "reconstruction"
        return tags


def _can_stratify(codes, n_val, n_train):
    """Whether a stratified split can put every class on both sides (scikit-learn's conditions for it)."""
    counts = np.bincount(codes)
    n_classes = np.count_nonzero(counts)
    return counts[counts > 0].min() >= 2 and n_val >= n_classes and n_train >= n_classes


def _score_at(result, k):
    """The validation score of the path's first step with at most k features (its last step if none has)."""
    steps = pd.DataFrame(result.steps)
    reached = steps[steps["n_selected"] <= k]
    return float((reached if len(reached) else steps)["val_score"].iloc[0])


def _width_grid(fractions, d):
    """One hidden layer of width d·f for each fraction f (the paper's grid: d/3, 2d/3, d, 4d/3)."""
    if fractions is None or len(fractions) == 0:
        raise ValueError("width_fractions must hold at least one fraction")
    for fraction in fractions:
        if not (isinstance(fraction, (int, float, np.number)) and np.isfinite(fraction) and fraction > 0):
            raise ValueError(f"width_fractions must be positive numbers, got {fraction!r}")
    grid = [(max(1, round(d * fraction)),) for fraction in fractions]
    if len(set(grid)) < len(grid):
        raise ValueError(f"width_fractions {list(fractions)} give the same width twice for d = {d}: {grid}")
    return grid


SELECTOR = LassoNetSelector  # the registry (lassonet_bench.selectors) reads it
