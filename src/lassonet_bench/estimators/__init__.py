"""LassoNet as a library, with the official `lassonet` 0.0.21 public API (names, signatures, defaults, meaning),
trained by this package's engine (`lassonet_bench.core.path`); docs/official-api.md compares the two."""

from lassonet_bench.estimators.interfaces import LassoNetClassifier, LassoNetCoxRegressor, LassoNetRegressor, lassonet_path
from lassonet_bench.estimators.items import HistoryItem, NonFiniteLossError
from lassonet_bench.estimators.cv import LassoNetClassifierCV, LassoNetCoxRegressorCV, LassoNetRegressorCV
from lassonet_bench.estimators.plot import plot_cv, plot_path

__all__ = [
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
]
