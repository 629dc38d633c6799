"""Soft-Impute (Mazumder, Hastie, Tibshirani 2010, Algorithm 1), the matrix-completion baseline of Figure 10.

Our own code rather than fancyimpute, which pulls in cvxpy, cvxopt and nose for solvers we do not use.
For each lambda of a decreasing grid, iterate Z <- S_lambda(P_obs(X) + P_obs^perp(Z)) until the relative change
is below `tol`, where S_lambda soft-thresholds the singular values; each lambda starts from the previous solution
(warm start). The lambda with the smallest mean squared error on the validation entries is kept.
"""

import numpy as np
from threadpoolctl import threadpool_limits


class SoftImpute:
    """Low-rank matrix completion by iterative soft-thresholded SVD.

    Parameters
    ----------
    n_lambdas: size of the geometric lambda grid, from just below the largest singular value of the observed
        (centred) matrix, where the solution becomes non-zero, down to `lambda_min_ratio` times it.
    max_iter, tol: per-lambda iteration cap and stopping rule ||Z_new - Z_old||_F^2 / ||Z_old||_F^2 < tol.
    center: subtract each column's mean over the training entries first and add it back (a rank-one offset that
        the nuclear norm would otherwise have to pay for).
    validation_fraction, random_state: when `fit` gets no validation mask, this share of the observed entries is
        held out at random to choose lambda.
    n_threads: BLAS threads during `fit` (None: unchanged). Figure 10's 1080 x 77 SVDs gain nothing from threads,
        and on a busy 2-core machine OpenBLAS threads made a 200 x 50 SVD 50 times slower (41 ms against 0.8 ms).

    Fitted: `lambdas_`, `validation_mse_` (one per lambda), `lambda_`, `rank_`, `n_iter_` (per lambda),
    `completed_` (the low-rank estimate plus the column means, every entry).
    """

    def __init__(
        self, n_lambdas=30, lambda_min_ratio=1e-3, max_iter=200, tol=1e-5, center=True,
        validation_fraction=0.1, random_state=None, n_threads=1,
    ):
        self.n_lambdas = n_lambdas
        self.lambda_min_ratio = lambda_min_ratio
        self.max_iter = max_iter
        self.tol = tol
        self.center = center
        self.validation_fraction = validation_fraction
        self.random_state = random_state
        self.n_threads = n_threads

    def fit(self, X, validation_mask=None):
        """X: 2-D array with NaN at the unobserved entries. validation_mask: boolean, same shape, observed entries
        held out from training to choose lambda (default: `validation_fraction` of them at random)."""
        X, observed = _check_matrix(X)
        validation = self._validation_mask(observed, validation_mask)
        train = observed & ~validation
        offset = self._column_means(X, train)
        target = np.where(train, X - offset, 0.0)
        self.lambdas_ = self._lambda_grid(target)
        with threadpool_limits(limits=self.n_threads):
            solutions = self._solve_path(target, train)
        self.validation_mse_ = np.array([_mse(solution + offset, X, validation) for solution in solutions])
        best = int(np.argmin(self.validation_mse_))
        self.lambda_ = float(self.lambdas_[best])
        self.rank_ = int(np.linalg.matrix_rank(solutions[best]))
        self.completed_ = solutions[best] + offset
        return self

    def fit_transform(self, X, validation_mask=None):
        """X with every NaN replaced by the completed matrix."""
        X = np.asarray(X, dtype=np.float64)
        self.fit(X, validation_mask)
        return np.where(np.isnan(X), self.completed_, X)

    def _validation_mask(self, observed, validation_mask):
        if validation_mask is None:
            if not 0 < self.validation_fraction < 1:
                raise ValueError(f"validation_fraction must lie in (0, 1), got {self.validation_fraction}")
            rng = np.random.default_rng(self.random_state)
            validation = observed & (rng.random(observed.shape) < self.validation_fraction)
        else:
            validation = np.asarray(validation_mask, dtype=bool)
            if validation.shape != observed.shape:
                raise ValueError(f"validation_mask has shape {validation.shape}, X has {observed.shape}")
            if (validation & ~observed).any():
                raise ValueError(
                    f"validation_mask marks {int((validation & ~observed).sum())} entries that are NaN in X"
                )
        if not validation.any():
            raise ValueError("the validation part is empty: no observed entry is held out to choose lambda")
        if not (observed & ~validation).any():
            raise ValueError("the training part is empty: every observed entry is in the validation mask")
        return validation

    def _column_means(self, X, train):
        if not self.center:
            return np.zeros((1, X.shape[1]))
        counts = train.sum(axis=0)
        sums = np.where(train, X, 0.0).sum(axis=0)
        return (np.divide(sums, counts, out=np.zeros(X.shape[1]), where=counts > 0))[None, :]

    def _lambda_grid(self, target):
        if self.n_lambdas < 1:
            raise ValueError(f"n_lambdas must be a positive integer, got {self.n_lambdas}")
        lambda_max = np.linalg.norm(target, ord=2)  # at lambda_max and above the solution is zero: start below
        return lambda_max * np.geomspace(1.0, self.lambda_min_ratio, self.n_lambdas + 1)[1:]

    def _solve_path(self, target, train):
        """One solution per lambda, each warm-started from the previous one."""
        estimate = np.zeros_like(target)
        solutions, self.n_iter_ = [], []
        for lam in self.lambdas_:
            estimate, n_iter = self._solve(target, train, lam, estimate)
            solutions.append(estimate)
            self.n_iter_.append(n_iter)
        return solutions

    def _solve(self, target, train, lam, start):
        estimate = start
        floor = 1e-12 * np.sum(target**2)  # a zero start would make the relative change undefined
        for n_iter in range(1, self.max_iter + 1):
            filled = np.where(train, target, estimate)
            new = soft_thresholded_svd(filled, lam)
            change = np.sum((new - estimate) ** 2) / max(np.sum(estimate**2), floor)
            estimate = new
            if change < self.tol:
                break
        return estimate, n_iter


def soft_thresholded_svd(matrix, lam):
    """S_lambda(M) = U diag(max(s - lambda, 0)) V^T, the prox of lambda * nuclear norm."""
    u, s, vt = np.linalg.svd(matrix, full_matrices=False)
    s = np.maximum(s - lam, 0.0)
    keep = s > 0
    return (u[:, keep] * s[keep]) @ vt[keep]


def _check_matrix(X):
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.size == 0:
        raise ValueError(f"X must be a non-empty 2-D matrix, got shape {X.shape}")
    if np.isinf(X).any():
        n_infinite = int(np.isinf(X).sum())
        raise ValueError(f"X holds {n_infinite} infinite values (NaN marks a missing entry; inf is invalid)")
    observed = ~np.isnan(X)
    if not observed.any():
        raise ValueError("X has no observed entries: every value is NaN")
    return X, observed


def _mse(estimate, X, mask):
    return float(np.mean((estimate[mask] - X[mask]) ** 2))
