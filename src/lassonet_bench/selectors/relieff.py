"""ReliefF (Kononenko 1994) through scikit-rebate (`skrebate`), on a stratified, seeded subsample of the training rows
when they exceed `max_samples`."""

import contextlib
import io

import numpy as np

from lassonet_bench.selectors.base import BaselineSelector, check_max_samples, complete_ranking, subsample_rows
from lassonet_bench.validation import N_FEATURES_TO_SELECT


class ReliefFSelector(BaselineSelector):
    """Rank features by `skrebate.ReliefF(n_neighbors=n_neighbors).feature_importances_`, largest first, ties by
    index: each row's `n_neighbors` nearest hits and, for each other class, nearest misses (Manhattan distance on
    range-scaled features) reward the features that differ across classes more than within.

    The labels are passed as what they are (`label_type` "binary" or "multiclass"): skrebate would otherwise take
    more than 10 distinct labels (COIL-20's 20 classes) for a continuous target. Features with at most
    `categorical_threshold` distinct values (10, the library's default) are treated as categorical, as in the
    library. Columns constant on the rows used are left out (the library divides by their range, 0) and ranked last.

    Cost: the library builds the n x n distance matrix and searches each row's neighbours in Python, O(n^2 d)
    time and O(n^2) memory. When the training rows exceed `max_samples` (2000 by default; None: never), ReliefF is
    fitted on `max_samples` of them (`base.subsample_rows`: stratified, seeded by `random_state`).
    `selection_details_` says so for the run's row: `n_samples_used`, `n_samples_given` and `subsampled`.
    ReliefF itself is deterministic; `random_state` only seeds that subsample. Each feature's score does not
    depend on k: nested.
    """

    name = "relieff"
    title = "ReliefF"
    library = "skrebate"
    nested_selection = True
    param_schema = {
        "n_neighbors": {"$ref": "#/$defs/positive_int"},
        "max_samples": {"oneOf": [{"$ref": "#/$defs/positive_int"}, {"type": "null"}]},
    }

    def __init__(
        self, n_features_to_select=N_FEATURES_TO_SELECT, random_state=None, n_neighbors=100, max_samples=2000,
        categorical_threshold=10, n_jobs=1,
    ):
        super().__init__(n_features_to_select, random_state)
        self.n_neighbors = n_neighbors
        self.max_samples = max_samples
        self.categorical_threshold = categorical_threshold
        self.n_jobs = n_jobs

    def _check_params(self):
        def is_int(value):
            return isinstance(value, (int, np.integer)) and not isinstance(value, bool)

        if not is_int(self.n_neighbors) or self.n_neighbors < 1:
            raise ValueError(f"n_neighbors must be a positive integer, got {self.n_neighbors!r}")
        if not is_int(self.categorical_threshold) or self.categorical_threshold < 0:
            raise ValueError(f"categorical_threshold must be a non-negative integer, got {self.categorical_threshold!r}")
        check_max_samples(self.max_samples)

    def _rank_features(self, X, y):
        from skrebate import ReliefF

        self._check_params()
        X, y, self.selection_details_ = subsample_rows(X, y, self.max_samples, self.random_state)
        varying = np.flatnonzero(np.ptp(X, axis=0) > 0)
        if len(varying) == 0:
            raise ValueError(f"every column of X is constant on the {X.shape[0]} rows of the subsample ReliefF uses")
        relieff = ReliefF(
            n_features_to_select=1, n_neighbors=int(self.n_neighbors), categorical_threshold=self.categorical_threshold,
            n_jobs=self.n_jobs, label_type="binary" if len(np.unique(y)) == 2 else "multiclass",
        )
        with contextlib.redirect_stdout(io.StringIO()):  # it prints the label type it was given
            relieff.fit(np.ascontiguousarray(X[:, varying]), y)
        self.importances_ = np.full(X.shape[1], -np.inf)
        self.importances_[varying] = relieff.feature_importances_
        return complete_ranking(varying[np.argsort(-relieff.feature_importances_, kind="stable")], self.importances_)


SELECTOR = ReliefFSelector  # the registry (lassonet_bench.selectors) reads it
