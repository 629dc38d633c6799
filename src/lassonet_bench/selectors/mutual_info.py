"""Mutual information between each feature and the class (Kraskov et al. 2004; Ross 2014), as scikit-learn's
`mutual_info_classif` estimates it."""

import numpy as np
from sklearn.feature_selection import mutual_info_classif

from lassonet_bench.selectors.base import BaselineSelector
from lassonet_bench.validation import N_FEATURES_TO_SELECT


class MutualInfoSelector(BaselineSelector):
    """Rank features by their estimated mutual information with the class label, largest first, ties by index.

    `sklearn.feature_selection.mutual_info_classif(X, y, discrete_features=False, n_neighbors=n_neighbors,
    random_state=...)`: every feature is treated as continuous (the benchmark's data sets are pixel intensities and
    protein levels), scaled to unit variance by the library, and estimated by the k-nearest-neighbour estimator
    with `n_neighbors` neighbours (the library's default, 3). The library adds a little seeded noise to each
    feature to break ties between equal values; `random_state` seeds it, so a fixed `random_state` gives the same
    ranking. `mi_` holds the estimates (nats). Each feature is scored on its own, so the ranking does not depend on
    k: nested.
    """

    name = "mutual_info"
    title = "Mutual information"
    nested_selection = True
    param_schema = {"n_neighbors": {"$ref": "#/$defs/positive_int"}}

    def __init__(self, n_features_to_select=N_FEATURES_TO_SELECT, random_state=None, n_neighbors=3):
        super().__init__(n_features_to_select, random_state)
        self.n_neighbors = n_neighbors

    def _rank_features(self, X, y):
        counts = np.bincount(y)
        if counts.max() < 2:
            # The library's estimator only uses rows that have a neighbour of their own class, so it would fail
            # deep inside its nearest-neighbour search ("Found array with 0 sample(s)").
            raise ValueError(
                f"mutual information is not estimable when every class has a single row (y holds {len(counts)} "
                f"classes in {len(y)} rows): give some class two or more rows"
            )
        self.mi_ = mutual_info_classif(
            X, y, discrete_features=False, n_neighbors=self.n_neighbors, random_state=self.random_state
        )
        return np.argsort(-self.mi_, kind="stable")


SELECTOR = MutualInfoSelector  # the registry (lassonet_bench.selectors) reads it
