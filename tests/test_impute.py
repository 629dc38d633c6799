"""Soft-Impute: recovery of a low-rank matrix, the soft-thresholded SVD, the lambda path, bad input."""

import numpy as np
import pytest

from lassonet_bench.variants.soft_impute import SoftImpute, soft_thresholded_svd


def low_rank_problem(seed=0, n=200, d=50, rank=3, observed_fraction=0.5):
    rng = np.random.default_rng(seed)
    M = rng.normal(size=(n, rank)) @ rng.normal(size=(rank, d)) + rng.normal(size=d) * 3
    observed = rng.random((n, d)) < observed_fraction
    return M, observed, np.where(observed, M, np.nan)


def test_recovers_a_rank_3_matrix_from_half_of_its_entries():
    M, observed, X = low_rank_problem()
    imputer = SoftImpute(random_state=0).fit(X)
    missing = ~observed
    centred = M - M.mean(axis=0)
    relative_error = np.linalg.norm((imputer.completed_ - M)[missing]) / np.linalg.norm(centred[missing])
    assert relative_error < 0.05
    singular_values = np.linalg.svd(imputer.completed_ - imputer.completed_.mean(axis=0), compute_uv=False)
    assert (singular_values[:3] ** 2).sum() / (singular_values**2).sum() > 0.999
    # a mean-only fill, for scale: the low-rank structure is what recovers the entries
    column_means = np.nanmean(X, axis=0)
    assert relative_error < 0.1 * np.linalg.norm((column_means - M)[missing]) / np.linalg.norm(centred[missing])


def test_soft_thresholded_svd_shrinks_every_singular_value_by_lambda():
    rng = np.random.default_rng(1)
    matrix = rng.normal(size=(30, 8))
    singular_values = np.linalg.svd(matrix, compute_uv=False)
    lam = singular_values[3]
    shrunk = np.linalg.svd(soft_thresholded_svd(matrix, lam), compute_uv=False)
    np.testing.assert_allclose(shrunk[:3], singular_values[:3] - lam, rtol=1e-10)
    np.testing.assert_allclose(shrunk[3:], 0, atol=1e-10)
    np.testing.assert_array_equal(soft_thresholded_svd(matrix, singular_values[0] + 1), 0)


def test_lambda_path_decreases_and_lambda_is_the_validation_minimum():
    _, _, X = low_rank_problem(seed=2)
    imputer = SoftImpute(n_lambdas=12, random_state=0).fit(X)
    assert len(imputer.lambdas_) == len(imputer.validation_mse_) == len(imputer.n_iter_) == 12
    assert np.all(np.diff(imputer.lambdas_) < 0)
    assert imputer.lambda_ == imputer.lambdas_[np.argmin(imputer.validation_mse_)]
    assert imputer.n_iter_[-1] < imputer.max_iter  # warm starts: the last lambdas converge quickly


def test_validation_entries_are_not_used_for_training():
    _, observed, X = low_rank_problem(seed=3)
    validation = observed & (np.random.default_rng(0).random(observed.shape) < 0.2)
    altered = X.copy()
    altered[validation] += 100.0
    first = SoftImpute(n_lambdas=1).fit(X, validation_mask=validation).completed_
    second = SoftImpute(n_lambdas=1).fit(altered, validation_mask=validation).completed_
    np.testing.assert_allclose(first, second)


def test_fit_transform_keeps_the_observed_entries_and_is_deterministic():
    _, observed, X = low_rank_problem(seed=4)
    filled = SoftImpute(random_state=5).fit_transform(X)
    np.testing.assert_array_equal(filled[observed], X[observed])
    assert np.isfinite(filled).all()
    np.testing.assert_array_equal(filled, SoftImpute(random_state=5).fit_transform(X))


def test_bad_input_raises_a_value_error():
    _, observed, X = low_rank_problem(seed=5, n=20, d=6)
    with_inf = X.copy()
    with_inf[np.argwhere(observed)[0][0], np.argwhere(observed)[0][1]] = np.inf
    with pytest.raises(ValueError, match="infinite"):
        SoftImpute().fit(with_inf)
    with pytest.raises(ValueError, match="no observed entries"):
        SoftImpute().fit(np.full((4, 3), np.nan))
    with pytest.raises(ValueError, match="entries that are NaN in X"):
        SoftImpute().fit(X, validation_mask=~observed)
    with pytest.raises(ValueError, match="validation_mask has shape"):
        SoftImpute().fit(X, validation_mask=observed[:, :2])
    with pytest.raises(ValueError, match="training part is empty"):
        SoftImpute().fit(X, validation_mask=observed)
    with pytest.raises(ValueError, match="2-D"):
        SoftImpute().fit(np.ones(5))
