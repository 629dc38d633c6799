"""Hier-Prox and Group-Hier-Prox (the paper's Algorithms 2 and 4), vectorised over all features.

For feature j with skip weights v = θ_j (a scalar, or m outputs) and first-layer weights u = W_j (K hidden units),
the proximal operator solves

    minimise_{b, W}  ½‖v − b‖² + ½‖u − W‖² + λ‖b‖   subject to ‖W‖∞ ≤ M‖b‖.

The problem is not convex in (b, W), but it reduces to a convex one in t = ‖b‖ ≥ 0: for a fixed t the best b is
t·v/‖v‖ and the best W is u clipped to [−Mt, Mt], leaving

    g(t) = ½(‖v‖ − t)² + ½ Σ_i (|u_i| − Mt)₊² + λt,

a convex piecewise quadratic. With the m largest |u_i| still above the clip, g'(t) = 0 gives

    t_m = (‖v‖ − λ + M·S_m) / (1 + m·M²),   S_m = sum of the m largest |u_i|,

and the minimiser is t* = max(t_m, 0) for the first m with |u_(m+1)| ≤ M·t_m (Appendix A of the paper, Algorithm 2
lines 5–6). Computing t directly, rather than the paper's w_m = M·t_m, keeps M = 0 (the Lasso) exact.
"""

import torch


def hier_prox(theta, W, lam, M):
    """Apply Hier-Prox (θ of shape (d,)) or Group-Hier-Prox (θ of shape (d, m)) to every feature at once.

    Parameters
    ----------
    theta : tensor (d,) or (d, m)
        Skip-layer weights, one row per feature. With m columns the penalty is the group norm ‖θ_j‖₂.
    W : tensor (d, K)
        First-layer weights; row j holds feature j's weights into the K hidden units.
    lam : float
        The ℓ1 penalty times the step size.
    M : float
        The hierarchy coefficient, M ≥ 0.

    Returns
    -------
    (theta_new, W_new) with the shapes, dtype and device of the inputs.
    """
    if lam < 0 or M < 0:
        raise ValueError(f"lam and M must be non-negative, got lam={lam}, M={M}")
    if W.ndim != 2 or theta.shape[0] != W.shape[0]:
        raise ValueError(f"theta {tuple(theta.shape)} and W {tuple(W.shape)} must have one row per feature")
    grouped = theta.ndim == 2
    theta_rows = theta if grouped else theta.unsqueeze(1)
    norm_theta = torch.linalg.vector_norm(theta_rows, dim=1)

    t = _optimal_norm(norm_theta, W.abs(), lam, M)

    # The direction of θ is kept; a zero θ has no direction, and +1 on the first output is as good as any
    # (the objective depends on ‖b‖ only).
    direction = theta_rows / norm_theta.clamp_min(torch.finfo(theta.dtype).tiny).unsqueeze(1)
    direction[norm_theta == 0] = 0
    direction[norm_theta == 0, 0] = 1
    theta_new = t.unsqueeze(1) * direction
    W_new = torch.sign(W) * torch.minimum(W.abs(), (M * t).unsqueeze(1))
    return (theta_new if grouped else theta_new.squeeze(1)), W_new


def _optimal_norm(norm_theta, W_abs, lam, M):
    """t* = argmin_t g(t) for every feature; see the module docstring.

    Rows where the m = 0 candidate already satisfies |u_(1)| ≤ M·t_0 need no sort (the first valid m is 0); only
    the others, usually few, are sorted. This is exact and saves most of the cost on wide first layers.
    """
    t = (norm_theta - lam).clamp_min(0)
    needs_sort = W_abs.amax(dim=1) > M * t
    if needs_sort.any():
        rows = needs_sort.nonzero().squeeze(1)
        t = t.index_put((rows,), _optimal_norm_sorted(norm_theta[rows], W_abs[rows], lam, M))
    return t


def _optimal_norm_sorted(norm_theta, W_abs, lam, M):
    d, K = W_abs.shape
    sorted_abs = torch.sort(W_abs, dim=1, descending=True).values
    zeros = torch.zeros(d, 1, dtype=W_abs.dtype, device=W_abs.device)
    partial_sums = torch.cat([zeros, torch.cumsum(sorted_abs, dim=1)], dim=1)  # S_0 .. S_K
    m = torch.arange(K + 1, dtype=W_abs.dtype, device=W_abs.device)
    candidates = (norm_theta.unsqueeze(1) - lam + M * partial_sums) / (1 + m * M**2)
    candidates = candidates.clamp_min(0)
    next_abs = torch.cat([sorted_abs, zeros], dim=1)  # |u_(m+1)|, with |u_(K+1)| = 0
    # m = K always qualifies (|u_(K+1)| = 0), so argmax finds a first True in every row.
    first_valid = torch.argmax((next_abs <= M * candidates).to(torch.uint8), dim=1)
    return candidates.gather(1, first_valid.unsqueeze(1)).squeeze(1)


def prox_objective(theta, W, theta_new, W_new, lam, M):
    """Per-feature value of the proximal objective at (theta_new, W_new); inf where the constraint is broken.

    Used by the tests to compare against a brute-force solver, and handy to check a prox by hand.
    """
    theta_rows = theta if theta.ndim == 2 else theta.unsqueeze(1)
    new_rows = theta_new if theta_new.ndim == 2 else theta_new.unsqueeze(1)
    norm_new = torch.linalg.vector_norm(new_rows, dim=1)
    value = (
        0.5 * ((theta_rows - new_rows) ** 2).sum(1) + 0.5 * ((W - W_new) ** 2).sum(1) + lam * norm_new
    )
    feasible = W_new.abs().amax(dim=1) <= M * norm_new * (1 + 1e-9) + 1e-12
    return torch.where(feasible, value, torch.full_like(value, float("inf")))
