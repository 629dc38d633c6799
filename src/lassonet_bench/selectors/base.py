"""What the selectors other than LassoNet share: `BaselineSelector` and the helpers of more than one method.

Each selector is a scikit-learn `SelectorMixin` estimator with `n_features_to_select` and `random_state`. After `fit`,
`ranking_` holds every feature index, best first, and `get_support()` marks exactly `ranking_[:k]`.
Columns constant on the rows given to `fit` carry no information: every selector ranks them last, in increasing
column index, and an X whose every column is constant is refused with a ValueError.
Each class declares its registry entry (`lassonet_bench.selectors`): `name` (the workflow's method name), `title`
(the report's), `library` (the distribution whose version the runner records) and `param_schema` (JSON schema of
its `method_params` entries; empty: the signature alone checks them). The class attribute `nested_selection` is True when one fit serves every k (the top-k of `ranking_` is the
selection the method would make for that k); the Figure 5 workflow then fits once per data set and seed.

Where the authors' evaluation script (lasso-net/lassonet, `experiments/evaluate.py`) fixes a parameter, its value
is the default here and the docstring says so.
"""


import numpy as np
from sklearn.base import BaseEstimator
from sklearn.feature_selection import SelectorMixin
from sklearn.model_selection import train_test_split
from sklearn.utils.validation import check_is_fitted

from lassonet_bench.validation import (
    N_FEATURES_TO_SELECT,
    check_features_for_estimator,
    check_n_features_to_select,
    check_not_all_constant,
    encode_class_labels_for_estimator,
)


class BaselineSelector(SelectorMixin, BaseEstimator):
    """Shared fit/get_support logic; subclasses implement `_rank_features(X, y) -> all indices, best first`.

    `fit` takes X as scikit-learn's estimators do (arrays, numeric or bool DataFrames; `feature_names_in_` is
    recorded and checked again at `transform`; sparse input raises a TypeError). Class labels of any type are
    encoded through `classes_`: the methods see y as 0..K-1.
    """

    name = title = None  # set by each selector
    library = "scikit-learn"
    param_schema = {}
    nested_selection = False
    requires_labels = True

    def __init__(self, n_features_to_select=N_FEATURES_TO_SELECT, random_state=None):
        self.n_features_to_select = n_features_to_select
        self.random_state = random_state

    def fit(self, X, y=None):
        X, y = self._check_fit_input(X, y)
        constant = check_not_all_constant(X)
        ranking = np.asarray(self._rank_features(X, y), dtype=np.int64)
        if sorted(ranking.tolist()) != list(range(X.shape[1])):
            raise RuntimeError(f"{type(self).__name__} produced a ranking that is not a permutation of the features")
        self.ranking_ = np.concatenate([ranking[~constant[ranking]], np.flatnonzero(constant)])
        return self

    def _check_fit_input(self, X, y):
        X = check_features_for_estimator(self, X, dtype=np.float64)
        if self.requires_labels:
            self.classes_, y = encode_class_labels_for_estimator(self, y, X.shape[0])
        else:
            y = None
        check_n_features_to_select(self.n_features_to_select, X.shape[1])
        return X, y

    def _get_support_mask(self):
        check_is_fitted(self, "ranking_")
        mask = np.zeros(self.n_features_in_, dtype=bool)
        mask[self.ranking_[: self.n_features_to_select]] = True
        return mask

    def _rank_features(self, X, y):
        raise NotImplementedError

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = self.requires_labels
        return tags


def check_within_class_variation(y, method):
    """Refuse labels where every class has a single row: no within-class scatter can be measured at all."""
    counts = np.bincount(y)
    if counts[counts > 0].max() < 2:
        raise ValueError(
            f"{method} is undefined when every class has a single row (y holds {len(counts)} classes in "
            f"{len(y)} rows): the within-class scatter of every feature is zero; give some class two or more rows"
        )


def within_class_constant(X, y):
    """Whether each column is constant inside every class (zero within-class scatter, exactly, not up to rounding)."""
    return np.logical_and.reduce([np.ptp(X[y == c], axis=0) == 0 for c in np.unique(y)])


# ---------------------------------------------------------------------------------------------------------------
# Fisher score


# ---------------------------------------------------------------------------------------------------------------
# Trace ratio


def complete_ranking(first, scores):
    """`first` (in its order) followed by every other feature in decreasing `scores`, ties by index."""
    first = np.asarray(first, dtype=np.int64)
    rest = np.setdiff1d(np.arange(len(scores)), first)
    rest = rest[np.argsort(-scores[rest], kind="stable")]
    return np.concatenate([first, rest])


# ---------------------------------------------------------------------------------------------------------------
# HSIC-Lasso


# ---------------------------------------------------------------------------------------------------------------
# Principal feature analysis




def check_max_samples(max_samples):
    if max_samples is not None and (isinstance(max_samples, bool) or not isinstance(max_samples, (int, np.integer))
                                    or max_samples < 2):
        raise ValueError(f"max_samples must be an integer of at least 2, or None, got {max_samples!r}")


def subsample_rows(X, y, max_samples, random_state):
    """At most `max_samples` rows of (X, y), for a method too costly at the data set's size: drawn by
    `train_test_split(train_size=max_samples, stratify=y, random_state=random_state)` (at random, not stratified,
    when some class has a single row), all rows when there are no more than that (or `max_samples` is None).
    Returns X, y and the run row's record of it: `n_samples_used`, `n_samples_given`, `subsampled`."""
    n = X.shape[0]
    if max_samples is not None and n > max_samples:
        classes = np.unique(y)
        stratify = y if np.bincount(y)[classes].min() >= 2 and max_samples >= len(classes) else None
        X, _, y, _ = train_test_split(X, y, train_size=max_samples, stratify=stratify, random_state=random_state)
    return X, y, {"n_samples_used": int(X.shape[0]), "n_samples_given": int(n), "subsampled": bool(X.shape[0] < n)}
