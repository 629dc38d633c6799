"""Hier-Prox and Group-Hier-Prox (the paper's Algorithms 2 and 4), vectorised over all features and networks.

For feature j with skip weights v = θ_j (a scalar, or m outputs) and first-layer weights u = W_j (K hidden units),
the proximal operator solves

    minimise_{b, W}  ½‖v − b‖² + ½‖u − W‖² + λ‖b‖   subject to ‖W‖∞ ≤ M‖b‖.

The problem is not convex in (b, W), but it reduces to a convex one in t = ‖b‖ ≥ 0: for a fixed t the best b is
t·v/‖v‖ and the best W is u clipped to [−Mt, Mt], leaving

    g(t) = ½(‖v‖ − t)² + ½ Σ_i (|u_i| − Mt)₊² + λt,

a convex piecewise quadratic. With the m largest |u_i| still above the clip, g'(t) = 0 gives

    t_m = (‖v‖ − λ + M·S_m) / (1 + m·M²),   S_m = sum of the m largest |u_i|,

and the minimiser is t* = max(t_m, 0) for the m with |u_(m+1)| ≤ M·t_m < |u_(m)| (Appendix A of the paper,
Algorithm 2 lines 5–6). Computing t directly, rather than the paper's w_m = M·t_m, keeps M = 0 (the Lasso) exact.

Algorithm 2 finds that m by sorting every row of |W|. We find the same m by Newton's method on g'(t) = 0 instead,
because the sort dominated the training step. g'(t) = t − ‖v‖ + λ − M·Σ_i (|u_i| − Mt)₊ is piecewise linear,
increasing and concave (its slope 1 + m(t)·M² falls as t grows). Each Newton step lands exactly on t_m for the
current m. Started anywhere, the first step lands left of the root or on it (a tangent of a concave function lies
above it); from there Newton's method climbs monotonically and stops as soon as m no longer changes: the result is
the same formula for the same m.

Where it starts decides how many passes over |W| it takes. In a training path the previous prox left the weights it
clipped at M‖v‖ (to within one optimiser step), and the root lies just below that cluster: for m ≥ 1 weights at
M‖v‖ exactly it is ‖v‖ − λ/(1 + m·M²). So we start at ‖v‖ − λ/(1 + M²), that root for m = 1, which is at or left of
it for any m ≥ 1: the first pass counts the whole cluster and lands next to the root. Started at ‖v‖ instead, the
cluster fell just below the first clip about as often as not; the first step, which then saw none of it, landed far
left, and the climb back passed the order statistics of |u| about half of them at a time. On the inputs of real
width searches this start takes 3.8–4.4 passes per call where ‖v‖ took 7.0 (Mice Protein), 8.6 (COIL-20) and 9.7
(MNIST) (`python benchmarks/prox_passes.py --dataset {mice,coil20,mnist} --steps {150,120,10} --no-compile`), with
the same m for every pair.

The weights W are laid out as the network holds them, (hidden units, features), so that the sums run over the
contiguous leading axis; several networks of one width search stack their hidden units along that axis.
"""

import math
from typing import NamedTuple

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
    if W.ndim != 2 or theta.shape[0] != W.shape[0]:
        raise ValueError(f"theta {tuple(theta.shape)} and W {tuple(W.shape)} must have one row per feature")
    grouped = theta.ndim == 2
    theta_rows = theta if grouped else theta.unsqueeze(1)
    theta_new, W_new = stacked_hier_prox(theta_rows.T.unsqueeze(0), W.T, [W.shape[1]], lam, M)
    theta_new = theta_new[0].T
    return (theta_new if grouped else theta_new.squeeze(1)), W_new.T


def stacked_hier_prox(theta, W, widths, lam, M):
    """(Group-)Hier-Prox for N networks at once, each with its own λ.

    theta : tensor (N, m, d), network i's skip weights (m outputs by d features).
    W : tensor (sum(widths), d), the first layers' weights stacked: network i owns `widths[i]` consecutive rows.
    lam : float or tensor (N,), the penalty times the step size of each network.
    Returns (theta_new, W_new) of the same shapes.
    """
    theta_new, W_new = torch.empty_like(theta), torch.empty_like(W)
    _apply(theta, W, widths, checked_penalty(lam, M, theta), theta_new, W_new)
    return theta_new, W_new


def stacked_hier_prox_(theta, W, widths, penalty):
    """`stacked_hier_prox` in place, for a `penalty` from `checked_penalty`.

    A training loop checks λ once per λ and calls this after every optimiser step: the check, the move of λ to
    the device and the constants are then not made per step, and W is clipped where it lies (on MNIST's width
    search no copy of the (units × features) layer is made).
    """
    _apply(theta, W, widths, penalty, theta, W)


class Penalty(NamedTuple):
    """λ and M as the prox computes with them: tensors on the weights' device, in their dtype.

    Numbers, not Python floats: torch makes a tensor of a Python number on every operation that takes one, which
    on Mice Protein's network was about a fifth of the prox's time. The values are the same (a Python number is
    rounded to the tensors' dtype too), so the results are the same bits.
    """

    lam: torch.Tensor  # (N, 1): each network's λ times the step size
    M: torch.Tensor
    M_squared: torch.Tensor
    one: torch.Tensor
    start_offset: torch.Tensor  # (N, 1): λ / (1 + M²), where the Newton iteration starts below ‖v‖


def checked_penalty(lam, M, like):
    """The `Penalty` of λ (a number or one per network) and M, after checking both where they are given (the host).

    `like`: the skip weights (N, m, d), whose dtype and device the tensors take.
    """
    values = torch.as_tensor(lam, dtype=torch.float64).reshape(-1)
    if not (math.isfinite(M) and M >= 0) or not bool(torch.isfinite(values).all() and (values >= 0).all()):
        raise ValueError(f"lam and M must be finite and non-negative, got lam={values.tolist()}, M={M}")
    lam = values.to(like.dtype).to(like.device).expand(like.shape[0]).unsqueeze(1)
    number = lambda value: torch.tensor(value, dtype=like.dtype, device=like.device)  # noqa: E731
    return Penalty(lam, number(M), number(M**2), number(1), lam / (1 + M**2))


def _apply(theta, W, widths, penalty, theta_out, W_out):
    """The prox of (theta, W) written to (theta_out, W_out), which may be theta and W themselves."""
    norm_theta = torch.linalg.vector_norm(theta, dim=1)  # (N, d)
    t = _optimal_norm(norm_theta, W.abs(), widths, penalty)
    # The direction of θ is kept; a zero θ has no direction, and +1 on the first output is as good as any
    # (the objective depends on ‖b‖ only).
    direction = theta / norm_theta.clamp_min(torch.finfo(theta.dtype).tiny).unsqueeze(1)
    zero = (norm_theta == 0).unsqueeze(1)
    first_output = torch.zeros_like(direction)
    first_output[:, 0] = 1
    direction = torch.where(zero, first_output, direction)
    torch.mul(t.unsqueeze(1), direction, out=theta_out)
    bounds = penalty.M * t
    if len(widths) == 1:  # one network: no split (on small layers these calls cost more than the clamp)
        torch.clamp(W, -bounds, bounds, out=W_out)
        return
    for block, block_out, bound in zip(W.split(list(widths)), W_out.split(list(widths)), bounds):
        torch.clamp(block, -bound, bound, out=block_out)


def _clip_sums(W_abs, widths, clip):
    """Per network and feature: Σ_i (|u_i| − clip)₊ and the number m of |u_i| above the clip.

    One pass over each network's block of rows (views of W), so no (units, features) copy of the clip is made.
    """
    if len(widths) == 1:  # one network: the same sums without the split and stack calls
        excess = (W_abs - clip).clamp_min_(0)
        return excess.sum(0, keepdim=True), excess.sign_().sum(0, keepdim=True)
    sums, counts = [], []
    for block, bound in zip(W_abs.split(list(widths)), clip):
        excess = (block - bound).clamp_min_(0)
        sums.append(excess.sum(0))
        counts.append(excess.sign_().sum(0))  # counted in W's dtype: a sum of bools is a slow int64 copy
    return torch.stack(sums), torch.stack(counts)


def _optimal_norm(norm_theta, W_abs, widths, penalty):
    """t* = argmin_t g(t) for every network and feature: t ≥ 0 with g'(t) = 0 (see the module docstring).

    Newton's method from t = ‖v‖ − λ/(1 + M²) (see the module docstring). After the first step t is left of the
    root; from there it never falls in exact arithmetic, and taking the maximum with the previous t keeps rounding at
    a kink from sending it back (with M = 10⁴ it otherwise cycled). So m never rises after the first step, and K + 2
    steps always suffice.
    """
    target = norm_theta - penalty.lam
    t = _newton_start(norm_theta, penalty)
    previous_m = None
    for _ in range(max(widths) + 2):
        clip = penalty.M * t
        excess_sum, m = _clip_sums(W_abs, widths, clip)  # Σ (|u_i| − Mt)₊ and m
        if previous_m is not None and torch.equal(m, previous_m):
            break
        newton = _newton_step(target, excess_sum, m, clip, penalty)
        t = newton if previous_m is None else torch.maximum(t, newton)
        previous_m = m
    return t


def _newton_start(norm_theta, penalty):
    """‖v‖ − λ/(1 + M²), at least 0: the root if one weight sat at the previous clip M‖v‖, left of it for more."""
    return (norm_theta - penalty.start_offset).clamp_min(0)


def _newton_step(target, excess_sum, m, clip, penalty):
    """t_m = (‖v‖ − λ + M·S_m) / (1 + m·M²), at least 0, with S_m = Σ(|u_i| − clip)₊ + m·clip the sum of the m
    values above the clip (`target` is ‖v‖ − λ)."""
    above_sum = excess_sum + m * clip
    return ((target + penalty.M * above_sum) / (penalty.one + m * penalty.M_squared)).clamp_min(0)


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
