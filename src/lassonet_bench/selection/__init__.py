"""Feature selectors: LassoNet (`selection.lassonet`) and the paper's baselines (`selection.baselines`).

`LassoNetSelector` is importable from here; torch is imported only when it is first used (a module-level
`__getattr__`), so the baselines and the runner's other paths start without it.
"""

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


def __getattr__(name):
    if name == "LassoNetSelector":
        from lassonet_bench.selection.lassonet import LassoNetSelector

        return LassoNetSelector
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(__all__)


def selector_class(method):
    """The selector class for a method name; LassoNet is imported only when asked for."""
    if method == "lassonet":
        return __getattr__("LassoNetSelector")
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
    "LassoNetSelector",
    "PFASelector",
    "TraceRatioSelector",
    "make_selector",
    "selector_class",
]
