"""Feature selectors: LassoNet (`selection.lassonet`) and the paper's baselines (`selection.baselines`)."""

from lassonet_bench.selection.baselines import (
    FisherScoreSelector,
    HSICLassoSelector,
    PFASelector,
    TraceRatioSelector,
)

BASELINE_SELECTORS = {
    "fisher": FisherScoreSelector,
    "hsic": HSICLassoSelector,
    "pfa": PFASelector,
    "trace_ratio": TraceRatioSelector,
}
METHODS = ("lassonet", *BASELINE_SELECTORS)


def selector_class(method):
    """The selector class for a method name; LassoNet is imported only when asked for."""
    if method == "lassonet":
        from lassonet_bench.selection.lassonet import LassoNetSelector

        return LassoNetSelector
    if method not in BASELINE_SELECTORS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    return BASELINE_SELECTORS[method]


def make_selector(method, n_features_to_select, random_state, **params):
    """A selector for `method` (one of METHODS) with its parameters; unknown parameters raise a ValueError."""
    cls = selector_class(method)
    allowed = set(cls._get_param_names())
    unknown = sorted(set(params) - allowed)
    if unknown:
        raise ValueError(f"unknown parameters for method {method!r}: {unknown}; allowed: {sorted(allowed)}")
    return cls(n_features_to_select=n_features_to_select, random_state=random_state, **params)


__all__ = [
    "BASELINE_SELECTORS",
    "METHODS",
    "FisherScoreSelector",
    "HSICLassoSelector",
    "PFASelector",
    "TraceRatioSelector",
    "make_selector",
    "selector_class",
]
