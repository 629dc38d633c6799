"""The paper's baseline feature selectors (Section 5, Figure 5): Fisher score, HSIC-Lasso, PFA and Trace Ratio.

Each is a scikit-learn `SelectorMixin` estimator with `n_features_to_select` and `random_state`. After `fit`,
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

import contextlib
import io
import types
import warnings

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.feature_selection import SelectorMixin
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


# ---------------------------------------------------------------------------------------------------------------
# Trace ratio


class TraceRatioSelector(BaselineSelector):
    """Trace ratio criterion (Nie et al. 2008) as scikit-feature computes it, `trace_ratio(X, y, k, style="fisher")`.

    The library returns only the k selected indices; `ranking_` lists them in the library's order, followed by
    the other features in decreasing Fisher ratio S_b/S_w, the per-feature criterion the library sorts by first.
    backend="skfeature" calls the library, which builds dense n x n Laplacians (several 8 n^2-byte matrices at
    once, 392 MB each for 7000 rows) and multiplies X^T by them: on MNIST peak RSS 2.7 GB (+2.4 GB), 11 s,
    against 0.55 GB and 0.2 s in closed form. backend="closed_form" (`trace_ratio_order`)
    takes the diagonals it needs, the per-feature within- and between-class scatter, in O(n d) and runs the
    library's own iteration on them; the tests check that both give the same ranking.

    Constant features are set aside before either backend runs and ranked last: the library gives them
    S_b/S_w = 1e-14/0 = inf, and with k or more of them (MNIST has 124 in its training rows) its lambda is inf, the
    convergence test |inf - inf| < 1e-3 never holds, and it loops forever. A property of the library worth
    knowing (checked in the tests): its iteration only reorders the k features of largest S_b/S_w, so the
    selected set is Fisher score's top k. `random_state` is not used (the method is deterministic).
    Not nested: the order inside the top k depends on k.

    Degenerate input: when every class has a single row, no within-class scatter exists and the method is refused
    with a ValueError. When k or more features are constant inside every class (each separates the classes
    perfectly, S_w = 0), any k of them reach the criterion's supremum, an infinite ratio, where the library's
    iteration never stops (|inf - inf| is NaN): the k of them with the largest S_b are selected, ties by lower
    column index, without running the iteration.
    """

    name = "trace_ratio"
    title = "Trace Ratio"
    library = "skfeature-chappers"

    def __init__(self, n_features_to_select=N_FEATURES_TO_SELECT, random_state=None, backend="skfeature"):
        super().__init__(n_features_to_select, random_state)
        self.backend = backend

    def _rank_features(self, X, y):
        k = self.n_features_to_select
        if self.backend not in ("skfeature", "closed_form"):
            raise ValueError(f"backend must be 'skfeature' or 'closed_form', got {self.backend!r}")
        varying = np.flatnonzero(np.ptp(X, axis=0) > 0)
        if len(varying) < k:
            raise ValueError(f"n_features_to_select={k} exceeds the {len(varying)} non-constant features")
        check_within_class_variation(y, "the trace ratio")
        between, within = class_scatter(X[:, varying], y)
        separating = within_class_constant(X[:, varying], y)
        if separating.sum() >= k:
            candidates = np.flatnonzero(separating)
            selected = varying[candidates[np.argsort(-between[candidates], kind="stable")[:k]]]
            return complete_ranking(selected, fisher_scores(X, y))
        with np.errstate(divide="ignore", invalid="ignore"):
            top = np.argsort(between / within)[::-1][:k]
        if within[top].sum() == 0:  # values that differ, by less than the square root of the smallest float
            raise ValueError(
                f"the within-class scatter of the {k} best features underflows to zero (X's largest magnitude is "
                f"{np.abs(X).max():g}): scale X"
            )
        if self.backend == "skfeature":
            from skfeature.function.similarity_based.trace_ratio import trace_ratio

            with np.errstate(divide="ignore", invalid="ignore"):
                selected, _, _ = trace_ratio(X[:, varying], y, k, style="fisher", mode="raw")
        elif self.backend == "closed_form":
            selected = trace_ratio_order(*class_scatter(X[:, varying], y), k)
        return complete_ranking(varying[np.asarray(selected)], fisher_scores(X, y))


def trace_ratio_order(between, within, k, tol=1e-3, max_iter=1000):
    """scikit-feature's trace-ratio iteration (style="fisher") on the per-feature scatters: the k features.

    The library's s_between and s_within are the diagonals of X^T L_b X and X^T L_w X, which equal S_b and S_w;
    it replaces a zero S_b by 1e-14, keeps the k largest S_b/S_w, starts lambda from the first k features in
    column order, and reorders the k by S_b - lambda S_w until lambda changes by less than 1e-3.
    """
    between = np.where(between == 0, 1e-14, between)
    with np.errstate(divide="ignore", invalid="ignore"):
        top = np.argsort(between / within, 0)[::-1][:k]
    lam = np.sum(between[:k]) / np.sum(within[:k])
    between, within = between[top], within[top]
    for _ in range(max_iter):
        order = np.argsort(between - lam * within)[::-1]
        previous, lam = lam, np.sum(between[order[:k]]) / np.sum(within[order[:k]])
        if abs(lam - previous) < tol:
            return top[order]
    raise RuntimeError(f"the trace-ratio iteration did not converge in {max_iter} steps (lambda={lam})")


def complete_ranking(first, scores):
    """`first` (in its order) followed by every other feature in decreasing `scores`, ties by index."""
    first = np.asarray(first, dtype=np.int64)
    rest = np.setdiff1d(np.arange(len(scores)), first)
    rest = rest[np.argsort(-scores[rest], kind="stable")]
    return np.concatenate([first, rest])


# ---------------------------------------------------------------------------------------------------------------
# HSIC-Lasso


class _NumpyLinalgWithLegacyAlias(types.ModuleType):
    """numpy.linalg plus the `numpy.linalg.linalg` alias that NumPy 2 removed (it pointed back to linalg)."""

    def __getattr__(self, name):
        if name == "linalg":
            return np.linalg
        return getattr(np.linalg, name)


class _NumpyForPyHSICLasso(types.ModuleType):
    """numpy as `pyHSICLasso.nlars` sees it: every attribute delegated, `linalg` with the legacy alias."""

    def __getattr__(self, name):
        if name == "linalg":
            return _LINALG_WITH_ALIAS
        return getattr(np, name)


_LINALG_WITH_ALIAS = _NumpyLinalgWithLegacyAlias("numpy.linalg")


def patch_pyhsiclasso_for_numpy2():
    """Make pyHSICLasso 1.4.2's singular-matrix branch work on NumPy 2.

    `pyHSICLasso.nlars.nlars` catches `np.linalg.linalg.LinAlgError`; NumPy 2 removed `np.linalg.linalg`, so the
    except clause itself raises AttributeError, but only when `np.linalg.solve` meets a singular matrix. The patch
    replaces the `np` global of that one module with a delegating view of numpy; numpy itself is untouched.
    """
    import pyHSICLasso.nlars as nlars_module

    if not hasattr(np.linalg, "linalg") and not isinstance(nlars_module.np, _NumpyForPyHSICLasso):
        nlars_module.np = _NumpyForPyHSICLasso("numpy")


@contextlib.contextmanager
def seeded_global_numpy_rng(seed):
    """Seed numpy's global RNG for a library that only uses it, and restore the caller's state afterwards."""
    saved = np.random.get_state()
    np.random.seed(seed)
    try:
        yield
    finally:
        np.random.set_state(saved)


class HSICLassoSelector(BaselineSelector):
    """Block HSIC Lasso (Yamada et al. 2014; Climente-González et al. 2019) via pyHSICLasso.

    Parameters as in the authors' `experiments/evaluate.py`: `hsic_lasso.classification(K, n_jobs=-1)`, that is
    pyHSICLasso's defaults, block size B=20 and M=3 permutations. When the number of training rows is not a
    multiple of B, pyHSICLasso drops the remainder (`n_discarded_samples_` says how many). Memory: the design
    matrix is (n B M) x d, float32 while built and float64 after scaling: 1.3 + 2.6 GB for MNIST's 7000 x 784;
    measured by `benchmarks/baseline_selectors.py`: peak RSS 4.7 GB (+4.4 GB), 190 s on one thread.
    `n_jobs` is joblib's (the authors used -1; the default 1 avoids oversubscribing cores under Snakemake).

    The nonnegative LARS can stop before k features (no feature left with positive correlation, or a lasso
    drop at the last step), and it cannot be asked for all d features (it fails), so it is asked for at most d - 1.
    `ranking_` is the LARS selection ordered by coefficient, then every other feature in
    decreasing marginal HSIC with y (the `Xty` vector pyHSICLasso computes); `n_selected_by_lars_` says how many
    of the first k came from LARS. pyHSICLasso seeds numpy's global RNG itself (block permutations, seed = m)
    and draws from it in the singular branch; `random_state` seeds that draw, and the caller's global state is
    restored afterwards.
    """

    name = "hsic"
    title = "HSIC-Lasso"
    library = "pyHSICLasso"

    def __init__(self, n_features_to_select=N_FEATURES_TO_SELECT, random_state=None, block_size=20, n_permutations=3, n_jobs=1):
        super().__init__(n_features_to_select, random_state)
        self.block_size = block_size
        self.n_permutations = n_permutations
        self.n_jobs = n_jobs

    def _lars_request(self, n_features):
        """pyHSICLasso's LARS runs one step past num_feat and fails on an empty candidate set when num_feat = d."""
        return min(self.n_features_to_select, n_features - 1)

    def _rank_features(self, X, y):
        from pyHSICLasso import HSICLasso

        patch_pyhsiclasso_for_numpy2()
        if self.block_size > X.shape[0]:
            raise ValueError(f"block_size={self.block_size} exceeds the {X.shape[0]} training rows")
        hsic = HSICLasso()
        hsic.input(np.ascontiguousarray(X), np.asarray(y))
        seed = np.random.RandomState(self.random_state).randint(2**31 - 1)
        with seeded_global_numpy_rng(seed), contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="B .* must be an exact divisor", category=RuntimeWarning)
            warnings.filterwarnings("ignore", category=RuntimeWarning, module="pyHSICLasso")
            hsic.classification(
                self._lars_request(X.shape[1]), B=self.block_size, M=self.n_permutations, n_jobs=self.n_jobs
            )
        selected = [int(i) for i in hsic.get_index()][: self.n_features_to_select]
        self.n_selected_by_lars_ = len(selected)
        self.n_discarded_samples_ = X.shape[0] % self.block_size
        return complete_ranking(selected, np.asarray(hsic.Xty, dtype=np.float64).ravel())


# ---------------------------------------------------------------------------------------------------------------
# Principal feature analysis


class PFASelector(BaselineSelector):
    """Principal feature analysis (Lu, Cohen, Zhou, Tian 2007), our own implementation.

    Standardise the features, keep the principal components that explain `n_components` of the variance (0.5, as
    in the authors' `experiments/evaluate.py`; an int keeps that many components), run k-means with k clusters on
    the rows of the d x q loading matrix, and keep in each cluster the feature nearest its centroid.
    Constant features are left out of the clustering (standardised, they all sit at the origin of the loading
    space, and one could be picked as a cluster's representative) and ranked last. If fewer than k clusters are
    non-empty (fewer distinct loading rows than k), the remaining places go to the features nearest to their
    centroid. `ranking_`: the representatives (largest cluster first), then the other features by distance to their
    centroid. `n_components_` is the number of components kept. Not nested: the clusters change with k.
    """

    name = "pfa"
    title = "PFA"
    requires_labels = False

    def __init__(self, n_features_to_select=N_FEATURES_TO_SELECT, random_state=None, n_components=0.5, n_init=10):
        super().__init__(n_features_to_select, random_state)
        self.n_components = n_components
        self.n_init = n_init

    def _rank_features(self, X, y=None):
        std = X.std(axis=0)
        varying = np.flatnonzero(std > 1e-12)
        constant = np.flatnonzero(std <= 1e-12)
        if len(varying) < self.n_features_to_select:
            raise ValueError(
                f"n_features_to_select={self.n_features_to_select} exceeds the {len(varying)} non-constant features"
            )
        loadings = self._loadings((X[:, varying] - X[:, varying].mean(axis=0)) / std[varying])
        order = self._cluster_order(loadings)
        return np.concatenate([varying[order], constant])

    def _loadings(self, standardised):
        pca = PCA(n_components=self.n_components, svd_solver="full", random_state=self.random_state)
        pca.fit(standardised)
        self.n_components_ = int(pca.n_components_)
        return pca.components_.T

    def _cluster_order(self, loadings):
        k = self.n_features_to_select
        kmeans = KMeans(n_clusters=k, n_init=self.n_init, random_state=self.random_state)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Number of distinct clusters")
            labels = kmeans.fit_predict(loadings)
        distances = np.linalg.norm(loadings - kmeans.cluster_centers_[labels], axis=1)
        representatives = []
        sizes = np.bincount(labels, minlength=k)
        for cluster in np.argsort(-sizes, kind="stable"):
            members = np.flatnonzero(labels == cluster)
            if len(members):
                representatives.append(members[np.argmin(distances[members])])
        return complete_ranking(representatives, -distances)
