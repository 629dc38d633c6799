"""The official LassoNet package (`lassonet==0.0.21`, lasso-net/lassonet) as a method row: its `LassoNetClassifier`
with its own defaults and its own path, stopped at the first step with at most k features.

The protocol runs it with its default width as the column beyond the paper `lassonet_official` (config.yaml), which
the report also reads as the experiment on our LassoNet cells. torch (through the package) is imported inside `fit`
only, so that importing the selector registry does not load it.
"""

import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.utils import check_random_state

from lassonet_bench.selectors.base import BaselineSelector, check_max_samples, subsample_rows
from lassonet_bench.validation import (
    N_FEATURES_TO_SELECT,
    check_features_for_estimator,
    check_not_all_constant,
    encode_class_labels_for_estimator,
)


class _Reached(Exception):
    """Raised from the path's callback to stop it at the first step with at most k features."""


class LassoNetOfficialSelector(BaselineSelector):
    """`lassonet.LassoNetClassifier(hidden_dims, M, path_multiplier, n_iters, patience, lambda_start, device,
    random_state=seed,
    torch_seed=seed, verbose=0)`, the package's defaults otherwise (full-batch Adam for the dense model, SGD with
    momentum on the path, λ from its 'auto' start, tol 0.99), and its `.path(X, y, X_val=..., y_val=...,
    return_state_dicts=False, callback=...)`, stopped at the first path step (after the dense model) with at most
    k selected features: the package's path cannot be asked for exactly k, and one step may drop several.
    `lambda_start` is the package's: "auto" searches for the λ where the first feature would leave (a bisection of
    thousands of proximal steps, seconds even on tiny data); a number starts the path there.

    Ranking, as the package's `feature_importances_` rank (computed by its own `_compute_feature_importances` on the
    path up to that step): the λ at which each feature left the path, larger first, the features still selected at
    the step (importance +inf) before all others; ties by column index. The top k are the features of the step plus,
    if it holds fewer than k, those that left at that step, in column order. Since the path does not depend on k,
    the selection is nested (a later step's features are a subset of an earlier step's) for one width.

    Validation rows: `X_val`, `y_val` when given; otherwise the rows the package itself would hold out
    (`train_test_split(X, y, test_size=0.1, random_state=seed)`, its val_size). `hidden_dims` is the package's
    default, (100,); `width_fractions` (e.g. the configuration's 1/3, 2/3, 1, 4/3) instead runs one path per width
    round(f·d) and keeps the width whose model predicts the validation rows best at its stopping step (the
    narrowest of equal scores), as our LassoNet selector keeps its width; the kept width then depends on k.
    Cost: every step of the package's path trains full-batch, so its cost grows with the training rows; with
    `max_samples` the path is fitted on that many of them (`base.subsample_rows`, seeded; None: all), and the run's
    `selection_details` says so (`n_samples_used`, `n_samples_given`, `subsampled`). The validation rows are all kept.
    Seeds: an int `random_state` is the package's random_state and torch_seed (so the experiment's seeds stay
    as they were); otherwise a seed is drawn from it.

    Fitted: `ranking_`, `feature_importances_` (of the kept width), `hidden_dims_`, `validation_score_`,
    `n_selected_at_step_`, `path_steps_` (the dense model and the path steps run), `width_search_` (one entry per
    width: width, validation score, features at the step, steps), `selection_details_` (for the run's row).
    """

    name = "lassonet_official"
    title = "LassoNet (official)"
    library = "lassonet"
    nested_selection = True
    uses_validation_rows = True
    param_schema = {
        "hidden_dims": {"type": "array", "items": {"$ref": "#/$defs/positive_int"}, "minItems": 1},
        "width_fractions": {"oneOf": [{"$ref": "#/$defs/fraction_list"}, {"type": "null"}]},
        "M": {"type": "number", "exclusiveMinimum": 0},
        "path_multiplier": {"type": "number", "exclusiveMinimum": 1},
        "n_iters": {"$ref": "#/$defs/epochs_pair"},
        "patience": {"$ref": "#/$defs/epochs_pair"},
        "lambda_start": {"oneOf": [{"const": "auto"}, {"type": "number", "exclusiveMinimum": 0}]},
        "max_samples": {"oneOf": [{"$ref": "#/$defs/positive_int"}, {"type": "null"}]},
    }

    def __init__(
        self, n_features_to_select=N_FEATURES_TO_SELECT, random_state=None, hidden_dims=(100,), width_fractions=None,
        M=10, path_multiplier=1.02, n_iters=(1000, 100), patience=(100, 10), lambda_start="auto", device="auto",
        max_samples=None,
    ):
        super().__init__(n_features_to_select, random_state)
        self.hidden_dims = hidden_dims
        self.width_fractions = width_fractions
        self.M = M
        self.path_multiplier = path_multiplier
        self.n_iters = n_iters
        self.patience = patience
        self.lambda_start = lambda_start
        self.device = device
        self.max_samples = max_samples

    def fit(self, X, y, X_val=None, y_val=None):
        X, y = self._check_fit_input(X, y)
        constant = check_not_all_constant(X)
        if (X_val is None) != (y_val is None):
            raise ValueError("X_val and y_val must be given together (or neither)")
        seed = self._seed()
        if X_val is None:
            if len(X) < 2:
                raise ValueError(f"n_samples={len(X)} is too few to hold out validation rows: pass X_val and y_val")
            X, X_val, y, y_val = train_test_split(X, y, test_size=0.1, random_state=seed)  # as the package does
        else:
            X_val = check_features_for_estimator(self, X_val, np.float64, reset=False, name="X_val", min_samples=1)
            y_val = self._class_codes(y_val, len(X_val))
        check_max_samples(self.max_samples)
        X, y, subsample = subsample_rows(X, y, self.max_samples, seed)
        grid = self._widths(X.shape[1])
        from lassonet_bench.core.devices import resolve_device

        device = resolve_device(self.device)
        self.device_ = str(device)
        results = [self._path_to_k(X, y, X_val, y_val, hidden_dims, seed, device) for hidden_dims in grid]
        best = max(range(len(grid)), key=lambda i: (results[i]["validation_score"], -grid[i][0]))
        kept = results[best]
        self.hidden_dims_ = grid[best]
        self.validation_score_ = kept["validation_score"]
        self.n_selected_at_step_ = kept["n_selected"]
        self.path_steps_ = kept["steps"]
        self.feature_importances_ = kept["importances"]
        self.width_search_ = [
            {"hidden_dims": list(dims), "validation_score": r["validation_score"], "n_selected": r["n_selected"],
             "steps": r["steps"]}
            for dims, r in zip(grid, results)
        ]
        self.selection_details_ = {
            "n_selected_at_step": self.n_selected_at_step_, "path_steps": self.path_steps_,
            "width_search": self.width_search_, **subsample,
        }
        # the package's order: larger importance (the λ at which a feature left; +inf: still in) first, then index
        ranking = np.lexsort((np.arange(X.shape[1]), -self.feature_importances_))
        self.ranking_ = np.concatenate([ranking[~constant[ranking]], np.flatnonzero(constant)])
        return self

    def _seed(self):
        if isinstance(self.random_state, (int, np.integer)) and not isinstance(self.random_state, bool):
            return int(self.random_state)
        return int(check_random_state(self.random_state).randint(2**31 - 1))

    def _class_codes(self, y_val, n_samples):
        labels, codes = encode_class_labels_for_estimator(self, y_val, n_samples, "y_val", min_classes=1)
        unknown = labels[~np.isin(labels, self.classes_)]
        if len(unknown):
            raise ValueError(f"y_val holds classes that are not in y: {unknown.tolist()}")
        return np.searchsorted(self.classes_, labels)[codes]

    def _widths(self, d):
        if self.width_fractions is None:
            dims = (self.hidden_dims,) if isinstance(self.hidden_dims, (int, np.integer)) else self.hidden_dims
            dims = tuple(dims) if isinstance(dims, (tuple, list)) else dims
            if not isinstance(dims, tuple) or not dims or any(
                    isinstance(w, bool) or not isinstance(w, (int, np.integer)) or w < 1 for w in dims):
                raise ValueError(f"hidden_dims must be positive ints, e.g. (100,), got {self.hidden_dims!r}")
            return [tuple(int(w) for w in dims)]
        from lassonet_bench.selectors.lassonet import _width_grid

        return _width_grid(self.width_fractions, d)  # the same grid as our LassoNet selector's

    def _path_to_k(self, X, y, X_val, y_val, hidden_dims, seed, device):
        from lassonet import LassoNetClassifier

        k = self.n_features_to_select
        model = LassoNetClassifier(
            hidden_dims=hidden_dims, M=self.M, path_multiplier=self.path_multiplier, n_iters=self.n_iters,
            patience=self.patience, lambda_start=self.lambda_start, device=device, random_state=seed, torch_seed=seed, verbose=0,
        )
        state = {}

        def stop_at_k(model_, history):
            if len(history) > 1 and int(history[-1].selected.sum().item()) <= k:
                state["n_selected"] = int(history[-1].selected.sum().item())
                state["importances"] = model_._compute_feature_importances(history).cpu().numpy().astype(np.float64)
                state["validation_score"] = float(np.mean(model_.predict(X_val) == y_val))
                state["steps"] = len(history)
                raise _Reached

        try:
            model.path(X, y, X_val=X_val, y_val=y_val, return_state_dicts=False, callback=stop_at_k)
        except _Reached:
            return state
        raise RuntimeError(f"the official path of hidden_dims {hidden_dims} ended without reaching {k} features")

    def _rank_features(self, X, y):  # fit is the selector's own (it takes validation rows)
        raise NotImplementedError


SELECTOR = LassoNetOfficialSelector  # the registry (lassonet_bench.selectors) reads it
