"""Minimum redundancy, maximum relevance (Ding and Peng 2005) through the `mrmr-selection` package: the greedy
order of every feature by F-statistic relevance over mean absolute correlation with the features already chosen."""

import warnings

import numpy as np
import pandas as pd

from lassonet_bench.selectors.base import BaselineSelector, complete_ranking
from lassonet_bench.validation import N_FEATURES_TO_SELECT


def import_mrmr_classif():
    """`mrmr.mrmr_classif`, imported without its side effect: `mrmr.main` calls `warnings.filterwarnings("ignore")`
    when it is first imported, which would silence every warning of the process (ours included) from then on."""
    with warnings.catch_warnings():
        from mrmr import mrmr_classif
    return mrmr_classif


class MRMRSelector(BaselineSelector):
    """mRMR as `mrmr.mrmr_classif(X, y, K, relevance="f", redundancy="c", denominator="mean")` computes it (the
    package's defaults, its "FCQ" variant): at each step the feature of largest ANOVA F-statistic with the class
    divided by its mean absolute Pearson correlation with the features chosen so far.

    The greedy order is nested by construction: step i depends only on the i - 1 features chosen before it, so
    the first k of the order of K > k features are the order of k features (the tests check this on the library).
    The workflow fits a nested method once, for the least k it needs, and reads larger k off the ranking, so the
    library is asked for the order of every feature it can rank (K = d), not only the first k: `ranking_` is that
    greedy order, then the features the library leaves out (F-statistic 0 or undefined, e.g. constant columns) in
    index order. Cost: d greedy steps, each one correlation of the last feature chosen with the rest in pandas; 1 s
    for Mice Protein's 77 features, about 40 s for 200 of MNIST's 784 (measured on random 7000 x 784 data).
    `relevance_` holds the library's F-statistics. Deterministic (ties go to the lower column index, as the
    library takes the first maximum): `random_state` is accepted for a uniform interface and not used. `n_jobs` is
    the library's joblib workers for the F-statistics and correlations (1 by default, not the library's -1).
    """

    name = "mrmr"
    title = "mRMR"
    library = "mrmr-selection"
    nested_selection = True

    def __init__(self, n_features_to_select=N_FEATURES_TO_SELECT, random_state=None, n_jobs=1):
        super().__init__(n_features_to_select, random_state)
        self.n_jobs = n_jobs

    def _rank_features(self, X, y):
        mrmr_classif = import_mrmr_classif()
        frame = pd.DataFrame(X, columns=range(X.shape[1]))
        with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=RuntimeWarning)  # F-statistics of constant columns (0 / 0)
            # scikit-learn's f_classif warns of the constant columns at each of the d greedy steps (MNIST: 784 times)
            warnings.filterwarnings("ignore", message="Features .* are constant", category=UserWarning)
            selected, relevance, _ = mrmr_classif(
                frame, pd.Series(y), K=X.shape[1], return_scores=True, n_jobs=self.n_jobs, show_progress=False,
            )
        self.relevance_ = relevance.reindex(range(X.shape[1])).fillna(0.0).to_numpy(dtype=np.float64)
        self.n_ranked_by_library_ = len(selected)
        return complete_ranking([int(j) for j in selected], np.zeros(X.shape[1]))


SELECTOR = MRMRSelector  # the registry (lassonet_bench.selectors) reads it
