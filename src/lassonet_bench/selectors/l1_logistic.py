"""L1-regularised logistic regression: features ranked by the order in which they enter the model along a path of
increasing C (scikit-learn's `LogisticRegression` with the saga solver, warm-started from one C to the next)."""

import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from sklearn.svm import l1_min_c

from lassonet_bench.selectors.base import BaselineSelector
from lassonet_bench.validation import N_FEATURES_TO_SELECT


class PathEndWarning(UserWarning):
    """The L1 path's largest C left fewer than k features with a non-zero coefficient."""


class L1LogisticSelector(BaselineSelector):
    """L1-penalised (multinomial, for more than two classes) logistic regression along a path in C.

    The features are standardised inside `fit` (a `StandardScaler` on the training rows, `scaler_`): the L1 penalty
    is the same on every coefficient, so on raw columns it would favour the wide ones; a column constant on those
    rows stays at zero and never enters. The path starts at `sklearn.svm.l1_min_c(X, y, loss="log")`, the C below
    which every coefficient is zero, and multiplies C by 10^(1/`steps_per_decade`) at each step, fitting
    `LogisticRegression(C, l1_ratio=1, solver="saga", warm_start=True, tol, max_iter, random_state)` (saga is the
    scikit-learn solver that fits the L1 penalty for a multinomial model; liblinear would fit one-vs-rest models).
    It stops at the first C where at least k features have a non-zero coefficient for some class (`C_` is that C,
    `path_` one row per step: C and the number of non-zero features), or after `n_decades` decades.

    `ranking_`: the features by the step at which they first entered (earlier first), ties (features entering at the
    same step) by their largest |coefficient| over the classes at that step, then by index; then the features that
    never entered, in index order. If the path ends before k features entered, a `PathEndWarning` says so and the
    selection is filled up in index order; `selection_details_` records how many of the k came from the path
    (`n_selected_by_path`) in every case. saga draws samples at random: `random_state` seeds it, so a fixed
    random_state gives the same ranking; `n_unconverged_` counts the steps where saga hit `max_iter` (their
    ConvergenceWarnings are counted there, not repeated) and `n_iter_` sums saga's epochs over the path. Not nested:
    the path stops at k, so the order beyond k features is not computed (the workflow fits it once per k).

    `tol` is 1e-3, not scikit-learn's 1e-4: the ranking reads only which coefficients are non-zero at each step, and
    saga's last digits cost half its epochs or more (split seed 0, k = 50: MNIST 280 CPU s against the record's
    job at 1e-4, 575, 47 of the 50 features the same; ISOLET's 1560-row subset 119 against 282, 48 the same; every
    step converged).
    """

    name = "l1_logistic"
    title = "L1 logistic regression"
    param_schema = {
        "steps_per_decade": {"$ref": "#/$defs/positive_int"},
        "n_decades": {"type": "number", "exclusiveMinimum": 0},
        "max_iter": {"$ref": "#/$defs/positive_int"},
        "tol": {"type": "number", "exclusiveMinimum": 0},
    }

    def __init__(
        self, n_features_to_select=N_FEATURES_TO_SELECT, random_state=None, steps_per_decade=20, n_decades=4,
        max_iter=1000, tol=1e-3,
    ):
        super().__init__(n_features_to_select, random_state)
        self.steps_per_decade = steps_per_decade
        self.n_decades = n_decades
        self.max_iter = max_iter
        self.tol = tol

    def _check_params(self):
        if isinstance(self.steps_per_decade, bool) or not isinstance(self.steps_per_decade, (int, np.integer)) \
                or self.steps_per_decade < 1:
            raise ValueError(f"steps_per_decade must be a positive integer, got {self.steps_per_decade!r}")
        if isinstance(self.n_decades, bool) or not isinstance(self.n_decades, (int, float, np.number)) \
                or not 0 < self.n_decades < np.inf:
            raise ValueError(f"n_decades must be a positive number, got {self.n_decades!r}")

    def _rank_features(self, X, y):
        self._check_params()
        k = self.n_features_to_select
        self.scaler_ = StandardScaler().fit(X)
        X = self.scaler_.transform(X)
        n_varying = int(np.count_nonzero(self.scaler_.var_ > 0))
        target = min(k, n_varying)
        start = l1_min_c(X, y, loss="log")
        n_steps = int(np.ceil(self.n_decades * self.steps_per_decade)) + 1
        Cs = start * 10.0 ** (np.arange(n_steps) / self.steps_per_decade)
        model = LogisticRegression(
            l1_ratio=1.0, solver="saga", warm_start=True, tol=self.tol, max_iter=self.max_iter,
            random_state=self.random_state,
        )
        entry_step = np.full(X.shape[1], np.inf)
        entry_size = np.zeros(X.shape[1])
        path, self.n_unconverged_, self.n_iter_ = [], 0, 0
        for step, C in enumerate(Cs):
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", ConvergenceWarning)
                model.set_params(C=C).fit(X, y)
            for caught_warning in caught:
                if issubclass(caught_warning.category, ConvergenceWarning):
                    self.n_unconverged_ += 1
                else:
                    warnings.warn_explicit(caught_warning.message, caught_warning.category, caught_warning.filename,
                                           caught_warning.lineno)
            self.n_iter_ += int(np.max(model.n_iter_))
            size = np.abs(model.coef_).max(axis=0)
            entering = (size > 0) & ~np.isfinite(entry_step)
            entry_step[entering], entry_size[entering] = step, size[entering]
            n_nonzero = int(np.count_nonzero(size))
            path.append({"C": float(C), "n_nonzero": n_nonzero})
            if n_nonzero >= target:
                break
        self.path_, self.C_ = path, float(C)
        entered = int(np.isfinite(entry_step).sum())
        if entered < k:
            warnings.warn(
                f"the L1 path reached only {entered} features with a non-zero coefficient at its largest C, {C:.3g} "
                f"({self.n_decades} decades above l1_min_c), fewer than n_features_to_select={k}: the other "
                f"{k - entered} are the next features in index order; raise n_decades for a longer path",
                PathEndWarning,
                stacklevel=3,
            )
        self.selection_details_ = {
            "n_selected_by_path": min(entered, k), "C": self.C_, "path_steps": len(path),
            "n_unconverged_steps": self.n_unconverged_,
        }
        # lexsort sorts by its last key first: entry step, then larger |coefficient|, then index
        return np.lexsort((np.arange(X.shape[1]), -entry_size, entry_step))


SELECTOR = L1LogisticSelector  # the registry (lassonet_bench.selectors) reads it
