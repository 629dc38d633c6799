"""Hier-Prox and Group-Hier-Prox against an independent brute-force solver of the per-feature problem."""

import numpy as np
import pytest
import torch
from scipy.optimize import minimize_scalar

from lassonet_bench.core import prox
from lassonet_bench.core.prox import checked_penalty, hier_prox, prox_objective, stacked_hier_prox, stacked_hier_prox_


def brute_force(v, u, lam, M):
    """Global minimum of ½‖v−b‖² + ½‖u−W‖² + λ‖b‖ s.t. ‖W‖∞ ≤ M‖b‖, by a grid over t = ‖b‖ then refinement.

    For a fixed t the best b is the point of norm t nearest v and the best W is u clipped to [−Mt, Mt], so the
    search is one-dimensional; the grid does not assume the 1-D function is convex.
    """
    v = np.atleast_1d(v)
    norm_v = np.linalg.norm(v)

    def objective(t):
        t = np.asarray(t, dtype=float)[..., None]
        w = np.clip(u, -M * t, M * t)
        return (0.5 * (norm_v - t[..., 0]) ** 2 + 0.5 * np.sum((u - w) ** 2, axis=-1) + lam * t[..., 0])

    upper = norm_v + M * np.abs(u).sum() + 1.0
    grid = np.linspace(0.0, upper, 4001)
    values = objective(grid)
    best = int(np.argmin(values))
    lo, hi = grid[max(best - 1, 0)], grid[min(best + 1, len(grid) - 1)]
    refined = minimize_scalar(objective, bounds=(lo, hi), method="bounded", options={"xatol": 1e-13})
    return min(values[best], float(refined.fun), float(objective(0.0)))


def random_instances(rng, n, K, m):
    cases = []
    for _ in range(n):
        scale = 10 ** rng.uniform(-2, 1)
        v = rng.normal(size=m) * scale
        u = rng.normal(size=K) * scale
        kind = rng.integers(6)
        if kind == 0:
            v[:] = 0.0  # a zero skip weight
        elif kind == 1:
            u[: K // 2] = u[0]  # ties among the first-layer weights
        elif kind == 2:
            u[:] = 0.0
        elif kind == 3:
            u = np.round(u, 1)  # many exact ties and zeros
        lam = float(rng.choice([0.0, 10 ** rng.uniform(-3, 1)]))
        M = float(rng.choice([0.0, 0.5, 1.0, 10.0, 1e4, 10 ** rng.uniform(-2, 2)]))
        cases.append((v, u, lam, M))
    return cases


@pytest.mark.parametrize("m", [None, 1, 3])
def test_prox_reaches_the_global_minimum(m):
    rng = np.random.default_rng(0 if m is None else m)
    K = 7
    for v, u, lam, M in random_instances(rng, 150, K, m or 1):
        theta = torch.tensor(v if m else v[:1].copy(), dtype=torch.float64)
        theta = theta.reshape(1, -1) if m else theta.reshape(1)
        W = torch.tensor(u, dtype=torch.float64).reshape(1, K)
        theta_new, W_new = hier_prox(theta, W, lam, M)
        ours = prox_objective(theta, W, theta_new, W_new, lam, M).item()
        best = brute_force(v if m else v[:1], u, lam, M)
        assert np.isfinite(ours), (v, u, lam, M)
        scale = 1.0 + abs(best)
        assert ours <= best + 1e-9 * scale, (v, u, lam, M, ours, best)


def test_prox_after_a_prox_step_reaches_the_global_minimum_in_few_passes(monkeypatch):
    """A path's regime: the previous prox left a cluster of weights at its clip, one small step moved them."""
    rng = np.random.default_rng(5)
    K, lam, M = 40, 0.05, 10.0
    passes = []
    clip_sums = prox._clip_sums
    monkeypatch.setattr(prox, "_clip_sums", lambda *args: passes.append(1) or clip_sums(*args))
    for case in range(60):
        theta, W = hier_prox(torch.tensor(rng.normal(size=1)), torch.tensor(rng.normal(size=(1, K))), lam, M)
        theta = theta + torch.tensor(rng.normal(size=1)) * 1e-4  # one optimiser step
        W = W + torch.tensor(rng.normal(size=(1, K))) * 1e-4
        calls_before = len(passes)
        theta_new, W_new = hier_prox(theta, W, lam, M)
        ours = prox_objective(theta, W, theta_new, W_new, lam, M).item()
        best = brute_force(theta.numpy(), W[0].numpy(), lam, M)
        assert ours <= best + 1e-9 * (1.0 + abs(best)), (case, ours, best)
        assert len(passes) - calls_before <= 3, case  # the first pass counts the whole cluster


def test_stacked_prox_in_place_is_each_networks_prox():
    rng = np.random.default_rng(6)
    widths, d, m = [3, 5, 8], 12, 2
    theta = torch.tensor(rng.normal(size=(len(widths), m, d)))
    W = torch.tensor(rng.normal(size=(sum(widths), d)))
    lam = torch.tensor([0.0, 0.4, 2.0])
    theta_new, W_new = stacked_hier_prox(theta, W, widths, lam, 3.0)
    for i, (theta_i, W_i) in enumerate(zip(theta, W.split(widths))):
        expected_theta, expected_W = hier_prox(theta_i.T, W_i.T, float(lam[i]), 3.0)
        torch.testing.assert_close(theta_new[i], expected_theta.T)
        torch.testing.assert_close(W_new.split(widths)[i], expected_W.T)
    stacked_hier_prox_(theta, W, widths, checked_penalty(lam, 3.0, theta))
    assert torch.equal(theta, theta_new) and torch.equal(W, W_new)


def test_prox_is_vectorised_over_features():
    rng = np.random.default_rng(1)
    d, K = 50, 9
    theta = torch.tensor(rng.normal(size=d))
    W = torch.tensor(rng.normal(size=(d, K)))
    theta_all, W_all = hier_prox(theta, W, 0.7, 2.0)
    for j in range(d):
        theta_j, W_j = hier_prox(theta[j : j + 1], W[j : j + 1], 0.7, 2.0)
        torch.testing.assert_close(theta_all[j : j + 1], theta_j)
        torch.testing.assert_close(W_all[j : j + 1], W_j)


def test_single_output_and_group_of_one_agree():
    rng = np.random.default_rng(2)
    theta = torch.tensor(rng.normal(size=20))
    W = torch.tensor(rng.normal(size=(20, 4)))
    a_theta, a_W = hier_prox(theta, W, 0.3, 1.5)
    b_theta, b_W = hier_prox(theta.unsqueeze(1), W, 0.3, 1.5)
    torch.testing.assert_close(a_theta, b_theta.squeeze(1))
    torch.testing.assert_close(a_W, b_W)


def test_M_zero_is_the_lasso_soft_threshold():
    theta = torch.tensor([3.0, -0.5, -2.0, 0.0])
    W = torch.ones(4, 3)
    theta_new, W_new = hier_prox(theta, W, 1.0, 0.0)
    torch.testing.assert_close(theta_new, torch.tensor([2.0, 0.0, -1.0, 0.0]))
    assert torch.count_nonzero(W_new) == 0


def test_constraint_holds_and_dead_features_stay_dead():
    rng = np.random.default_rng(3)
    theta = torch.tensor(rng.normal(size=30), dtype=torch.float32)
    W = torch.tensor(rng.normal(size=(30, 6)) * 3, dtype=torch.float32)
    theta[:10] *= 0.05  # weak features, to be removed
    W[:10] *= 0.01
    theta_new, W_new = hier_prox(theta, W, 0.8, 3.0)
    assert (W_new.abs().amax(1) <= 3.0 * theta_new.abs() * (1 + 1e-6) + 1e-7).all()
    dead = theta_new == 0
    assert dead.any() and (W_new[dead] == 0).all()
    assert theta_new.dtype == torch.float32 and W_new.dtype == torch.float32
    # signs are kept
    alive = ~dead
    assert (torch.sign(theta_new[alive]) == torch.sign(theta[alive])).all()


def test_large_lambda_kills_everything_and_zero_lambda_with_large_M_changes_nothing():
    rng = np.random.default_rng(4)
    theta = torch.tensor(rng.normal(size=10))
    W = torch.tensor(rng.normal(size=(10, 5)))
    theta_new, W_new = hier_prox(theta, W, 1e6, 10.0)
    assert torch.count_nonzero(theta_new) == 0 and torch.count_nonzero(W_new) == 0
    theta_same, W_same = hier_prox(theta, W, 0.0, 1e6)
    torch.testing.assert_close(theta_same, theta)
    torch.testing.assert_close(W_same, W)


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="lam"):
        hier_prox(torch.ones(3), torch.ones(3, 2), -1.0, 1.0)
    with pytest.raises(ValueError, match="one row per feature"):
        hier_prox(torch.ones(3), torch.ones(4, 2), 1.0, 1.0)
    with pytest.raises(ValueError, match=r"lam=\[0.5, nan\]"):
        checked_penalty([0.5, float("nan")], 1.0, torch.ones(2, 1, 3))
