"""Trace Ratio (Nie et al. 2008), Figure 5's extra baseline: the feature subset maximising the ratio of between- to
within-class scatter traces, by scikit-feature's iteration or in closed form (`trace_ratio_order`)."""


import numpy as np

from lassonet_bench.selectors.fisher import class_scatter, fisher_scores
from lassonet_bench.selectors.base import (
    BaselineSelector,
    check_within_class_variation,
    complete_ranking,
    within_class_constant,
)
from lassonet_bench.validation import (
    N_FEATURES_TO_SELECT,
)


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



SELECTOR = TraceRatioSelector  # the registry (lassonet_bench.selectors) reads it
