"""LassoNet replication: our own LassoNet, the paper's baselines, and the pieces of the benchmark pipeline.

The official package's API (`LassoNetRegressor`, ..., `plot_path`) is importable from here; it is loaded on first
access, so that `import lassonet_bench` loads neither torch nor matplotlib.
"""

__version__ = "0.1.0"

# The names of lassonet_bench.estimators.__all__, listed here so that they resolve without importing it (a test
# keeps the two lists equal).
_ESTIMATORS = (
    "HistoryItem",
    "LassoNetClassifier",
    "LassoNetClassifierCV",
    "LassoNetCoxRegressor",
    "LassoNetCoxRegressorCV",
    "LassoNetRegressor",
    "LassoNetRegressorCV",
    "NonFiniteLossError",
    "lassonet_path",
    "plot_cv",
    "plot_path",
)


def __getattr__(name):
    if name in _ESTIMATORS:
        from lassonet_bench import estimators

        return getattr(estimators, name)
    raise AttributeError(f"module 'lassonet_bench' has no attribute {name!r}")


def __dir__():
    return sorted([*globals(), *_ESTIMATORS])
