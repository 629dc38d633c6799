"""The Fisher score (He et al. 2005), the paper's first baseline: features ranked by between- over within-class
scatter, as scikit-feature computes it, in closed form (`fisher_scores`) or through the library."""


import numpy as np

from lassonet_bench.selectors.base import (
    BaselineSelector,
    check_within_class_variation,
)
from lassonet_bench.validation import (
    N_FEATURES_TO_SELECT,
)


def class_scatter(X, y):
    """Per-feature between-class and within-class scatter, S_b and S_w, in O(n d) memory (float64)."""
    X = np.asarray(X, dtype=np.float64)
    classes, codes = np.unique(y, return_inverse=True)
    counts = np.bincount(codes).astype(np.float64)
    class_means = np.zeros((len(classes), X.shape[1]))
    np.add.at(class_means, codes, X)
    class_means /= counts[:, None]
    overall_mean = X.mean(axis=0)
    between = (counts[:, None] * (class_means - overall_mean) ** 2).sum(axis=0)
    within = ((X - class_means[codes]) ** 2).sum(axis=0)
    return between, within



def fisher_scores(X, y):
    """Fisher score S_b / S_w of each feature, as scikit-feature defines it; constant features score 0.

    scikit-feature computes the same number through the Laplacian score of a dense n x n class-affinity matrix:
    with W_ij = 1/n_c for i, j in class c, its score 1/(1 - S_b/S_t) - 1 equals S_b/S_w. A feature whose
    classes do not overlap at all (S_w = 0 < S_b) scores +inf, as in the library.
    """
    between, within = class_scatter(X, y)
    total = between + within
    with np.errstate(divide="ignore", invalid="ignore"):
        scores = np.where(within > 0, between / within, np.inf)
    scores[total < 1e-12] = 0.0  # the library's guard for (near-)constant features
    return scores



class FisherScoreSelector(BaselineSelector):
    """Fisher score (He, Cai, Niyogi 2005): rank features by between-class over within-class variance.

    backend="skfeature" calls `skfeature.function.similarity_based.fisher_score.fisher_score(X, y, mode="index")`
    (the chappers fork; its default mode="rank" returns ranks, not indices). It builds the n x n affinity in a
    `lil_matrix` and densifies it twice (D and W): 2 x 8 n^2 bytes, 784 MB for MNIST's 7000 training rows;
    measured by `benchmarks/baseline_selectors.py`: peak RSS 1.29 GB, 0.95 GB above the process before the call, 18 s
    (closed form: 0.53 GB peak, +0.19 GB, 0.6 s; one thread, busy 2-core machine). backend="closed_form"
    computes the same score per feature in O(n d) memory (`fisher_scores`); the tests check that both rank the
    features identically.
    The score is deterministic: `random_state` is accepted for a uniform interface and not used.
    When every class has a single row the score is undefined (S_w = 0 for every feature) and `fit` raises a ValueError.
    """

    name = "fisher"
    title = "Fisher"
    library = "skfeature-chappers"
    nested_selection = True

    def __init__(self, n_features_to_select=N_FEATURES_TO_SELECT, random_state=None, backend="skfeature"):
        super().__init__(n_features_to_select, random_state)
        self.backend = backend

    def _rank_features(self, X, y):
        check_within_class_variation(y, "the Fisher score")
        if self.backend == "skfeature":
            from skfeature.function.similarity_based.fisher_score import fisher_score

            return fisher_score(X, y, mode="index")
        if self.backend == "closed_form":
            return np.argsort(-fisher_scores(X, y), kind="stable")
        raise ValueError(f"backend must be 'skfeature' or 'closed_form', got {self.backend!r}")



SELECTOR = FisherScoreSelector  # the registry (lassonet_bench.selectors) reads it
