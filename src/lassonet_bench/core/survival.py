"""Survival targets for task="cox": checks and conversion, the Cox partial likelihood loss, Harrell's C-index.

A survival target is (time, event) per row: a two-column array (time, event) or scikit-survival's structured array
(fields event: bool, time: float, in that order, as `sksurv.util.Surv.from_arrays` makes it). The model's single
output is the log relative hazard η(x); a higher η means an earlier event.
"""

import numpy as np
import torch

from lassonet_bench.validation import COX_TASKS  # task name -> how tied event times enter the partial likelihood


def is_cox(task):
    return task in COX_TASKS


def check_survival_targets(y, n_samples=None, name="y"):
    """Return y as a float (n, 2) array of (time, event); raise a ValueError naming the fault.

    Faults: not (time, event) pairs, a length other than `n_samples`, NaN, infinite or negative times, events other
    than 0/1, or no event at all (every row censored: the partial likelihood is constant).
    """
    time, event = _time_and_event(y, name)
    if n_samples is not None and len(time) != n_samples:
        raise ValueError(f"X and {name} have different lengths: {n_samples} rows in X, {len(time)} in {name}")
    if len(time) == 0:
        raise ValueError(f"{name} is empty")
    bad_time = ~np.isfinite(time) | (time < 0)
    if bad_time.any():
        row = int(np.flatnonzero(bad_time)[0])
        raise ValueError(
            f"{name} holds {int(bad_time.sum())} negative, NaN or infinite survival times "
            f"(first at row {row}: {time[row]})"
        )
    bad_event = ~np.isin(event, (0, 1))
    if bad_event.any():
        row = int(np.flatnonzero(bad_event)[0])
        raise ValueError(f"{name}'s event indicator must be 0 or 1, got {event[row]} at row {row}")
    if not event.any():
        raise ValueError(f"every row of {name} is censored (no event): the Cox model has nothing to fit")
    return np.column_stack([time, event]).astype(float)


def _time_and_event(y, name):
    y = np.asarray(y)
    if y.dtype.names is not None:
        if len(y.dtype.names) != 2 or y.ndim != 1:
            raise ValueError(
                f"{name} must be a 1-D structured array with two fields (event, time), got fields {y.dtype.names} "
                f"and shape {y.shape}"
            )
        event_field, time_field = y.dtype.names
        if y.dtype[event_field] != np.bool_:
            raise ValueError(
                f"{name}'s first field {event_field!r} must be the boolean event indicator (scikit-survival's "
                f"order: event, time), got dtype {y.dtype[event_field]}"
            )
        return np.asarray(y[time_field], dtype=float), np.asarray(y[event_field], dtype=float)
    if y.ndim != 2 or y.shape[1] != 2:
        raise ValueError(f"{name} must have two columns (time, event) for task='cox', got shape {y.shape}")
    if not np.issubdtype(y.dtype, np.number) and y.dtype != np.bool_:
        raise ValueError(f"{name} must be numeric (time, event), got dtype {y.dtype}")
    return y[:, 0].astype(float), y[:, 1].astype(float)


def survival_tensor(y, device):
    """The (n, 2) float32 tensor (time, event) the loss and score read."""
    return torch.as_tensor(check_survival_targets(y), dtype=torch.float32, device=device)


def cox_loss(task):
    """The training loss of a Cox task: the negative partial log-likelihood with that task's handling of ties."""
    ties = COX_TASKS[task]
    return lambda outputs, targets: cox_partial_nll(outputs, targets, ties)


def cox_partial_nll(log_hazard, targets, ties="efron"):
    """Negative Cox partial log-likelihood per event, on the rows given (a mini-batch's rows are its risk sets).

    For the event times t with d tied events D and risk set R = {k : t_k ≥ t}, the log-likelihood is
    Σ_t [Σ_{i∈D} η_i − Σ_{l=0}^{d−1} log(Σ_{k∈R} e^{η_k} − (l/d) Σ_{i∈D} e^{η_i})] (Efron) or with l = 0 throughout
    (Breslow). Written here by hand because neither scikit-survival nor lifelines offers it on torch tensors; sorted
    once, O(n log n), no loop over rows. Rows without any event give 0 (connected to the graph).
    """
    if ties not in ("efron", "breslow"):
        raise ValueError(f"ties must be 'efron' or 'breslow', got {ties!r}")
    eta = log_hazard.reshape(-1)
    time, event = targets[:, 0], targets[:, 1]
    n_events = event.sum()
    if n_events == 0:
        return eta.sum() * 0.0
    order = torch.argsort(time, descending=True, stable=True)
    eta, time, event = eta[order], time[order], event[order]
    _, group, group_size = torch.unique_consecutive(time, return_inverse=True, return_counts=True)
    last_row = group_size.cumsum(0) - 1
    # log Σ_{k: t_k ≥ t_i} e^{η_k}: the running log-sum-exp at the last row tied with row i
    log_risk = torch.logcumsumexp(eta, 0)[last_row][group]
    log_denominator = log_risk
    if ties == "efron":
        n_groups = len(group_size)
        tied_events = torch.zeros(n_groups, dtype=eta.dtype, device=eta.device).index_add(0, group, event)
        log_tied = _log_sum_exp_of_events(eta, event, group, n_groups)[group]  # log Σ_{i∈D} e^{η_i}
        events_so_far = event.cumsum(0)
        events_before_group = (events_so_far - event)[last_row - group_size + 1][group]
        rank_in_ties = (events_so_far - events_before_group - 1).clamp(min=0)  # l = 0, ..., d − 1 on event rows
        fraction = rank_in_ties / tied_events[group].clamp(min=1)
        log_denominator = log_risk + torch.log1p(-fraction * torch.exp(log_tied - log_risk))
    return -((eta - log_denominator) * event).sum() / n_events


def _log_sum_exp_of_events(eta, event, group, n_groups):
    """log Σ_{event rows of the group} e^{η} per group of tied times; 0 for a group without events (unused there,
    and finite so that no NaN reaches the gradient)."""
    peak = torch.full((n_groups,), -torch.inf, dtype=eta.dtype, device=eta.device)
    peak = peak.scatter_reduce(0, group, eta.detach(), reduce="amax")
    sums = torch.zeros_like(peak).index_add(0, group, torch.exp(eta - peak[group]) * event)
    has_events = sums > 0
    return torch.where(has_events, torch.log(torch.where(has_events, sums, torch.ones_like(sums))) + peak, 0.0)


@torch.no_grad()
def concordance_index(outputs, targets):
    """Harrell's C-index of the predicted log hazards (scikit-survival's); NaN when no pair is comparable."""
    risk = np.asarray(torch.as_tensor(outputs).reshape(-1).cpu(), dtype=float)
    targets = np.asarray(torch.as_tensor(targets).cpu(), dtype=float)
    return harrell_c(risk, targets[:, 0], targets[:, 1])


def harrell_c(risk, time, event):
    """Harrell's C-index of `risk` (higher: earlier event) for numpy inputs; NaN when no pair is comparable."""
    from sksurv.metrics import concordance_index_censored  # on first use: every import of the model need not pay it

    event = np.asarray(event).astype(bool)
    if not event.any() or not np.isfinite(risk).all():
        return float("nan")
    try:
        return float(concordance_index_censored(event, np.asarray(time, dtype=float), risk)[0])
    except ValueError:  # no comparable pair: every event at the latest time
        return float("nan")
