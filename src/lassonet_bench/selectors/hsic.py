"""HSIC-Lasso (Yamada et al. 2014) through pyHSICLasso, with the NumPy 2 alias its singular-matrix branch needs
and its global-RNG draws seeded."""

import contextlib
import io
import types
import warnings

import numpy as np

from lassonet_bench.selectors.base import (
    BaselineSelector,
    complete_ranking,
)
from lassonet_bench.validation import (
    N_FEATURES_TO_SELECT,
)


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



SELECTOR = HSICLassoSelector  # the registry (lassonet_bench.selectors) reads it
