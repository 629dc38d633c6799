"""Tree importance: the impurity-based feature importances of a seeded scikit-learn `ExtraTreesClassifier`."""

import numpy as np
from sklearn.ensemble import ExtraTreesClassifier

from lassonet_bench.selectors.base import BaselineSelector
from lassonet_bench.validation import N_FEATURES_TO_SELECT


class TreeImportanceSelector(BaselineSelector):
    """Rank features by the mean decrease in Gini impurity over an ExtraTrees forest (Geurts et al. 2006), largest
    first, ties by index.

    `ExtraTreesClassifier(n_estimators, random_state=..., n_jobs=n_jobs)` with scikit-learn's other defaults is fitted
    on every feature of the training rows, and `feature_importances_` (`importances_`) ranks them. This is not the
    ExtraTrees learner of Table 2 (`lassonet_bench.learners.extra_trees`): that one is a downstream learner with 50
    trees (Appendix B), trained from scratch on the k selected columns and scored by test accuracy; this one is a
    selector with `n_estimators` trees (scikit-learn's default, 100) over all d columns, whose only output is the
    ranking, and its random_state is the selection's (not the learner's) seed. A row with tree_importance and the
    ExtraTrees learner therefore uses two different forests. Each feature's importance does not depend on k:
    nested. `n_jobs` is joblib's (1 by default, so as not to oversubscribe cores under Snakemake).
    """

    name = "tree_importance"
    title = "Tree importance"
    nested_selection = True
    param_schema = {"n_estimators": {"$ref": "#/$defs/positive_int"}}

    def __init__(self, n_features_to_select=N_FEATURES_TO_SELECT, random_state=None, n_estimators=100, n_jobs=1):
        super().__init__(n_features_to_select, random_state)
        self.n_estimators = n_estimators
        self.n_jobs = n_jobs

    def _rank_features(self, X, y):
        forest = ExtraTreesClassifier(n_estimators=self.n_estimators, random_state=self.random_state, n_jobs=self.n_jobs)
        self.importances_ = forest.fit(X, y).feature_importances_
        return np.argsort(-self.importances_, kind="stable")


SELECTOR = TreeImportanceSelector  # the registry (lassonet_bench.selectors) reads it
