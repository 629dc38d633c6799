"""LassoNet for matrix completion (the paper's Algorithm 5, Section 7, Figure 10).

Reused from the core: `model.LassoNetModel` (skip layer + ReLU network; with d outputs its `prox_` is
Group-Hier-Prox, Algorithm 4) and `path.feature_ranking` (features ordered by the λ at which they leave). Not
reused: `path.fit_path`, whose reconstruction loss compares the network's output with its whole input; here the
loss must count only the observed training entries, and the input is refreshed with the network's own imputation
(Algorithm 5, lines 4-8), so this module has its own training loop, written like path.py's (Adam for the dense fit;
SGD with momentum 0.9 and a proximal step after every optimiser step along the path).

Algorithm 5 as run here:
1. row-mean imputation of every entry outside the training set (line 3);
2. rounds of `epochs_per_round` epochs: train on X_proj = P_Ω(Z) + P_Ω⊥(X), then X ← f(X_proj) outside Ω
   (lines 4-8); the rounds stop when the validation entries' MSE has not improved for `patience_rounds` rounds or
   after `n_epochs` epochs in all, and the best round is kept;
3. the λ-path (line 9) on the dense network, and for each number of proteins k the top k of the path's ranking,
   with a network retrained from scratch on those input columns (as the paper does).

One choice the paper leaves unsaid: an autoencoder trained on L(f(X_proj), Z) over Ω can copy each observed entry
through its skip layer and learn nothing about the others. Each batch therefore hides a random `mask_fraction` of
its observed training entries from the input (they take the current imputation, as an unobserved entry would) and
the loss is computed on those hidden entries only: the network is always asked to predict entries it cannot see.
"""

import copy
import dataclasses
import time

import numpy as np
import torch

from lassonet_bench.core.model import LassoNetModel
from lassonet_bench.core.path import feature_ranking, resolve_device


@dataclasses.dataclass(frozen=True)
class CompletionSettings:
    """Training of the imputation network. Paper: two hidden layers, 200 epochs, learning rate 1e-3, M = 10."""

    hidden_dims: tuple = (77, 77)
    n_epochs: int = 200
    epochs_per_round: int = 10
    patience_rounds: int = 5
    batch_size: int = 128
    lr: float = 1e-3
    mask_fraction: float = 0.2
    M: float = 10.0
    path_multiplier: float = 1.05
    path_step_epochs: int = 5
    lambda_start_fraction: float = 0.01
    max_path_steps: int = 1000

    def __post_init__(self):
        if not self.hidden_dims or any(int(h) < 1 for h in self.hidden_dims):
            raise ValueError(f"hidden_dims must be positive widths, got {self.hidden_dims!r}")
        for name in ("n_epochs", "epochs_per_round", "patience_rounds", "batch_size", "path_step_epochs"):
            if int(getattr(self, name)) < 1:
                raise ValueError(f"{name} must be a positive integer, got {getattr(self, name)!r}")
        if not 0 < self.mask_fraction < 1:
            raise ValueError(f"mask_fraction must lie in (0, 1), got {self.mask_fraction!r}")
        if not self.path_multiplier > 1:
            raise ValueError(f"path_multiplier must be > 1, got {self.path_multiplier!r}")


def split_entries(shape, fractions=(0.8, 0.1, 0.1), seed=0):
    """Boolean masks `train`, `val`, `test` of `shape`: every entry in exactly one, drawn at random."""
    fractions = np.asarray(fractions, dtype=float)
    if fractions.shape != (3,) or (fractions <= 0).any() or not np.isclose(fractions.sum(), 1.0):
        raise ValueError(f"fractions must be three positive shares (train, val, test) summing to 1, got {fractions}")
    draw = np.random.default_rng(seed).random(shape)
    bounds = np.cumsum(fractions)
    return {"train": draw < bounds[0], "val": (draw >= bounds[0]) & (draw < bounds[1]), "test": draw >= bounds[1]}


def standardise_columns(Z, train):
    """Z with each column centred and scaled by its training entries' mean and standard deviation.

    In these units the column-mean imputation has a test MSE near 1, so MSEs read as shares of the variance."""
    Z = np.asarray(Z, dtype=np.float64)
    counts = train.sum(axis=0)
    if (counts < 2).any():
        raise ValueError(f"columns {np.flatnonzero(counts < 2).tolist()} have fewer than 2 training entries")
    mean = np.where(train, Z, 0).sum(axis=0) / counts
    var = np.where(train, (Z - mean) ** 2, 0).sum(axis=0) / counts
    std = np.sqrt(var)
    std[std == 0] = 1.0
    return (Z - mean) / std


def row_mean_fill(Z, observed):
    """Algorithm 5, line 3: each unobserved entry takes the mean of its row's observed entries (0 if none)."""
    counts = observed.sum(axis=1, keepdims=True)
    means = np.divide(np.where(observed, Z, 0).sum(axis=1, keepdims=True), counts, out=np.zeros((len(Z), 1)),
                      where=counts > 0)
    return np.where(observed, Z, means)


def masked_mse(estimate, Z, mask):
    return float(np.mean((estimate[mask] - Z[mask]) ** 2))


@dataclasses.dataclass
class CompletionFit:
    model: LassoNetModel
    input_columns: np.ndarray  # the columns of X_proj the network reads
    completed: np.ndarray  # X after the best round: Z on the training entries, f(X_proj) elsewhere
    val_mse: float
    test_mse: float
    epochs: int
    seconds: float


class _Completion:
    """Tensors and the training loop shared by the dense fit, the λ-path and the refits."""

    def __init__(self, Z, masks, settings, device, generator):
        self.settings, self.device, self.generator = settings, device, generator
        self.Z = torch.as_tensor(Z, dtype=torch.float32, device=device)
        self.train_mask = torch.as_tensor(masks["train"], device=device)
        self.Z_np, self.masks = np.asarray(Z, dtype=np.float64), masks

    def projected(self, X):
        """X_proj = P_Ω(Z) + P_Ω⊥(X) (Algorithm 5, line 5)."""
        return torch.where(self.train_mask, self.Z, X)

    def epoch(self, model, optimizer, X_proj, X, columns, lam=0.0):
        """One pass over the rows; each batch hides `mask_fraction` of its training entries from the input."""
        s, n = self.settings, len(X_proj)
        order = torch.randperm(n, generator=self.generator).to(self.device)
        for start in range(0, n, s.batch_size):
            rows = order[start : start + s.batch_size]
            hidden = self.train_mask[rows] & (
                torch.rand(len(rows), X_proj.shape[1], generator=self.generator).to(self.device) < s.mask_fraction
            )
            if not hidden.any():
                continue
            inputs = torch.where(hidden, X[rows], X_proj[rows])[:, columns]
            output = model(inputs)
            loss = ((output - self.Z[rows]) ** 2)[hidden].mean()
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            if lam > 0:
                model.prox_(lam * s.lr, s.M)

    @torch.no_grad()
    def reconstruct(self, model, X_proj, columns):
        model.eval()
        output = model(X_proj[:, columns])
        model.train()
        return torch.where(self.train_mask, self.Z, output)

    def mse(self, X, part):
        return masked_mse(X.detach().cpu().numpy().astype(np.float64), self.Z_np, self.masks[part])


def _new_model(n_inputs, n_outputs, settings, device):
    return LassoNetModel(n_inputs, n_outputs, [int(h) for h in settings.hidden_dims]).to(device)


def fit_completion(Z, masks, settings=CompletionSettings(), input_columns=None, seed=0, device="cpu"):
    """Algorithm 5, lines 3-8: the dense imputation network, reading only `input_columns` (default: all)."""
    device = resolve_device(device)
    Z = np.asarray(Z, dtype=np.float64)
    _check_masks(Z, masks)
    columns = np.arange(Z.shape[1]) if input_columns is None else np.asarray(input_columns, dtype=np.int64)
    if columns.size == 0 or columns.min() < 0 or columns.max() >= Z.shape[1]:
        raise ValueError(f"input_columns must be non-empty indices below {Z.shape[1]}, got {columns.tolist()}")
    started = time.perf_counter()
    devices = [device.index or 0] if device.type == "cuda" else []
    with torch.random.fork_rng(devices=devices):
        torch.manual_seed(seed)
        completion = _Completion(Z, masks, settings, device, torch.Generator().manual_seed(seed))
        model = _new_model(len(columns), Z.shape[1], settings, device)
        X = torch.as_tensor(row_mean_fill(Z, masks["train"]), dtype=torch.float32, device=device)
        best, epochs = _train_rounds(completion, model, X, torch.as_tensor(columns, device=device))
    best_model, best_X, best_val = best
    return CompletionFit(
        model=best_model,
        input_columns=columns,
        completed=best_X.cpu().numpy().astype(np.float64),
        val_mse=best_val,
        test_mse=completion.mse(best_X, "test"),
        epochs=epochs,
        seconds=time.perf_counter() - started,
    )


def _train_rounds(completion, model, X, columns):
    s = completion.settings
    optimizer = torch.optim.Adam(model.parameters(), lr=s.lr)
    best, stalled, epochs = None, 0, 0
    while epochs < s.n_epochs and stalled < s.patience_rounds:
        X_proj = completion.projected(X)
        for _ in range(min(s.epochs_per_round, s.n_epochs - epochs)):
            completion.epoch(model, optimizer, X_proj, X, columns)
            epochs += 1
        X = completion.reconstruct(model, X_proj, columns)  # line 7: X <- f(X_proj)
        val = completion.mse(X, "val")
        if best is None or val < best[2]:
            best, stalled = (copy.deepcopy(model), X.clone(), val), 0
        else:
            stalled += 1
    return best, epochs


def completion_path(Z, masks, dense_fit, settings=CompletionSettings(), seed=0, device="cpu"):
    """Algorithm 5, line 9: the λ-path (Algorithm 1, lines 4-12, with Group-Hier-Prox) from the dense network.

    The input is the dense fit's X_proj, fixed. Returns (steps: list of dicts with lambda, n_selected, val_mse,
    test_mse of the path's own network; ranking: every column, longest-kept first)."""
    device = resolve_device(device)
    Z = np.asarray(Z, dtype=np.float64)
    _check_masks(Z, masks)
    d = Z.shape[1]
    if len(dense_fit.input_columns) != d:
        raise ValueError(f"the path starts from a dense fit on all {d} columns, got {len(dense_fit.input_columns)}")
    with torch.random.fork_rng(devices=[device.index or 0] if device.type == "cuda" else []):
        torch.manual_seed(seed)
        completion = _Completion(Z, masks, settings, device, torch.Generator().manual_seed(seed))
        model = copy.deepcopy(dense_fit.model).to(device)
        X = torch.as_tensor(dense_fit.completed, dtype=torch.float32, device=device)
        X_proj, columns = completion.projected(X), torch.arange(d, device=device)
        lam = settings.lambda_start_fraction * _null_lambda(completion, model, X_proj, X, columns)
        return _run_path(completion, model, X_proj, X, columns, lam)


def _run_path(completion, model, X_proj, X, columns, lam):
    s, d = completion.settings, X.shape[1]
    optimizer = torch.optim.SGD(model.parameters(), lr=s.lr, momentum=0.9)
    exit_lambda, exit_norm, steps = np.full(d, np.inf), np.zeros(d), []
    n_selected = d
    while n_selected > 0 and len(steps) < s.max_path_steps:
        for _ in range(s.path_step_epochs):
            completion.epoch(model, optimizer, X_proj, X, columns, lam)
        norms = model.feature_norms().cpu().numpy().astype(float)
        active = norms > 0
        exit_lambda[~active & np.isinf(exit_lambda)] = lam
        exit_lambda[active], exit_norm[active] = np.inf, norms[active]
        n_selected = int(active.sum())
        output = completion.reconstruct(model, X_proj, columns)
        steps.append(dict(step=len(steps), lambda_=lam, n_selected=n_selected,
                          val_mse=completion.mse(output, "val"), test_mse=completion.mse(output, "test")))
        lam *= s.path_multiplier
    return steps, feature_ranking(exit_lambda, exit_norm)


def _null_lambda(completion, model, X_proj, X, columns):
    """λ above which the model with no input is a fixed point of the proximal step (as path.py computes it)."""
    null = copy.deepcopy(model)
    null.zero_input_weights_()
    output = null(X_proj)
    loss = ((output - completion.Z) ** 2)[completion.train_mask].mean()
    loss.backward()
    return null.null_scores(completion.settings.M).max().item()


def _check_masks(Z, masks):
    if Z.ndim != 2 or not np.isfinite(Z).all():
        raise ValueError(f"Z must be a finite 2-D matrix, got shape {Z.shape} with {int((~np.isfinite(Z)).sum())} "
                         "non-finite entries")
    for part in ("train", "val", "test"):
        if part not in masks:
            raise ValueError(f"masks lack {part!r}; they hold {sorted(masks)}")
        if masks[part].shape != Z.shape:
            raise ValueError(f"masks[{part!r}] has shape {masks[part].shape}, Z has {Z.shape}")
        if not masks[part].any():
            raise ValueError(f"masks[{part!r}] is empty")
    if (masks["train"] & (masks["val"] | masks["test"])).any() or (masks["val"] & masks["test"]).any():
        raise ValueError("masks overlap: every entry must be in at most one of train, val, test")
