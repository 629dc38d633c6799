"""Feature selectors, one module each (LassoNet in `lassonet`, the paper's baselines in `fisher`, `hsic`, `pfa` and
`trace_ratio`, sharing `base`), and their registry: the one place the workflow, the runner and the report learn
which methods exist.

A selector class declares its entry itself: `name` (the method's name in the configuration and the result files),
`title` (the report's), `library` (the distribution whose version the runner records), `param_schema` (JSON schema
of its `method_params` entries) and `nested_selection`; its `__init__` signature is its parameters and their
defaults. A selector's module names its class `SELECTOR`; a new built-in selector is its module plus its name in
`BUILT_IN` below, and `register(cls)` adds any other class; the config schema's method names and parameter entries, the runs schema,
the selection rules' wildcard constraint and the report's titles and colours are all derived from `SELECTORS`.
Importing this package does not load torch (LassoNet imports it when it is first fitted).
"""

import importlib

from lassonet_bench.selectors.fisher import FisherScoreSelector
from lassonet_bench.selectors.hsic import HSICLassoSelector
from lassonet_bench.selectors.lassonet import LassoNetSelector
from lassonet_bench.selectors.pfa import PFASelector
from lassonet_bench.selectors.trace_ratio import TraceRatioSelector

# The built-in selectors' modules, in registration order: the figures give them the palette's colours in this order.
BUILT_IN = ("lassonet", "fisher", "hsic", "pfa", "trace_ratio", "mutual_info", "tree_importance", "l1_logistic", "mrmr", "relieff", "stg", "lassonet_official")

ALL_FEATURES = "all"  # the All-Features rows: no selection, every feature
ALL_FEATURES_TITLE = "All-Features"
SELECTORS = {}


def register(cls):
    """Add a selector class to the registry under `cls.name` (usable as a class decorator)."""
    for attribute in ("name", "title", "library"):
        if not isinstance(getattr(cls, attribute, None), str) or not getattr(cls, attribute):
            raise ValueError(f"selector {cls.__name__} must declare a non-empty string `{attribute}`")
    if not cls.name.replace("_", "").isalnum() or not cls.name.isascii() or not cls.name.islower() \
            or not cls.name[0].isalpha() or cls.name == ALL_FEATURES:
        raise ValueError(
            f"selector {cls.__name__}: name {cls.name!r} must be lower-case letters, digits and '_', starting with a "
            "letter, and not 'all'"
        )
    if SELECTORS.get(cls.name, cls) is not cls:
        raise ValueError(f"selector name {cls.name!r} is taken by {SELECTORS[cls.name].__name__}")
    SELECTORS[cls.name] = cls
    return cls


for _module in BUILT_IN:
    register(importlib.import_module(f"lassonet_bench.selectors.{_module}").SELECTOR)


def methods():
    """The registered method names, in registration order (the report's colour order)."""
    return tuple(SELECTORS)


def method_titles():
    """{method: the report's title}, All-Features included."""
    return {ALL_FEATURES: ALL_FEATURES_TITLE, **{name: cls.title for name, cls in SELECTORS.items()}}


def trains_a_network(method):
    """Whether the method's selector takes a torch `device`: its jobs ask for a GPU and measure CUDA memory."""
    return method != ALL_FEATURES and "device" in selector_class(method)._get_param_names()


def selector_class(method):
    """The registered selector class of a method name."""
    if method not in SELECTORS:
        raise ValueError(f"method must be one of {methods()}, got {method!r}")
    return SELECTORS[method]


def make_selector(method, n_features_to_select, random_state, **params):
    """A selector for `method` with its parameters; unknown parameters raise a ValueError."""
    cls = selector_class(method)
    allowed = set(cls._get_param_names())
    unknown = sorted(set(params) - allowed)
    if unknown:
        raise ValueError(f"unknown parameters for method {method!r}: {unknown}; allowed: {sorted(allowed)}")
    return cls(n_features_to_select=n_features_to_select, random_state=random_state, **params)


__all__ = [
    "ALL_FEATURES",
    "ALL_FEATURES_TITLE",
    "SELECTORS",
    "FisherScoreSelector",
    "HSICLassoSelector",
    "LassoNetSelector",
    "PFASelector",
    "TraceRatioSelector",
    "make_selector",
    "method_titles",
    "methods",
    "register",
    "selector_class",
    "trains_a_network",
]
