"""The LassoNet regularisation path (Algorithms 1 and 3): dense fit, then λ ← (1 + ε)λ with warm starts.

Every optimiser step is followed by the proximal step, with the penalty times the learning rate. Each λ is trained
until the validation objective stops improving (patience), as the reference implementation does. The path records,
for every feature, the λ at which it left the model: that order is LassoNet's feature ranking.

`fit_paths` trains the paths of several hidden widths at once (the paper's width search) as one stack of networks
(`lassonet_bench.core.stack`): one matrix product and one prox call per mini-batch serve them all, while each network
keeps its own λ path, early stopping and exit record, and leaves the stack once it has reached its target. Each
network's result is the one it would have on its own: the networks see the same mini-batches (the order of an
epoch depends only on the seed, the step and the epoch), and a network that stops a step early is restored to
where it stopped. Features that have left every network in the stack are dropped from its matrices.

The loop keeps the GPU busy: losses are summed on the device and checked once per epoch, and the data are moved to
the device once; the one value read back inside it is the prox's convergence flag, once per Newton pass.
"""

import copy
import dataclasses
import math
import time

import numpy as np
import torch

from lassonet_bench.core.devices import resolve_device
from lassonet_bench.core.model import (LassoNetModel, loss_and_gradient, loss_function, n_outputs_of, score,
                                       target_tensor, weighted_cross_entropy)
from lassonet_bench.core.optimizers import SGD, Adam
from lassonet_bench.core.recording import Recorder
from lassonet_bench.core.settings import PathSettings
from lassonet_bench.core.stack import NetworkStack, SingleNetwork


@dataclasses.dataclass
class PathResult:
    steps: list  # one dict per λ: lambda, n_selected, train_loss, val_loss, val_score, epochs, seconds
    exit_lambda: np.ndarray  # (d,) λ at which each feature left the model; inf if still in at the end
    exit_norm: np.ndarray  # (d,) ‖θ_j‖ at the last step where feature j was still in (breaks ties)
    coefficients: np.ndarray  # (steps, d): θ_j for one output, ‖θ_j‖ for several
    model: torch.nn.Module
    lambda_start: float
    dense_val_score: float


def fit_path(
    X_train,
    y_train,
    X_val,
    y_val,
    *,
    task,
    hidden_dims,
    settings=PathSettings(),
    n_outputs=None,
    stop_at_n_features=None,
    direction="dense_to_sparse",
    device="cpu",
    seed=0,
    callback=None,
    init="random",
    model=None,
    lambda_seq=None,
    lambda_max=math.inf,
    class_weight=None,
):
    """Train a LassoNet path and return a PathResult.

    `direction="dense_to_sparse"` is Algorithm 1 (dense fit, then λ grows by `path_multiplier` until no feature is
    left, or until at most `stop_at_n_features` are). `direction="sparse_to_dense"` lets λ shrink from the λ where
    no feature can enter until every feature is in (Figure 4's comparison; start it with `init="zero"`).
    `callback(step_record, model)` is called after every step, the dense fit's included.

    `lambda_seq` replaces the path's λ (λ_start, then ×`path_multiplier`) with these values, zeros skipped; the path
    then also ends when they run out. Steps whose λ would exceed `lambda_max` are not trained. `class_weight` (one
    weight per class, task "classification") weighs the cross-entropy as `F.cross_entropy(weight=...)` does.

    `init="zero"` starts with θ = 0 and W⁽⁰⁾ = 0 (the empty model) instead of the random initialisation. `model`
    replaces the default `LassoNetModel(d, n_outputs, hidden_dims)` with any module that offers its methods
    `prox_`, `feature_norms`, `penalty`, `coefficients`, `zero_input_weights_` and `null_scores` (then
    `hidden_dims` and `n_outputs` are not used); it is trained in place.
    """
    if direction not in ("dense_to_sparse", "sparse_to_dense"):
        raise ValueError(f"direction must be 'dense_to_sparse' or 'sparse_to_dense', got {direction!r}")
    [result] = fit_paths(
        X_train, y_train, X_val, y_val, task=task, hidden_dims_grid=[hidden_dims], settings=settings,
        n_outputs=n_outputs, stop_at_n_features=stop_at_n_features, device=device, seed=seed, callback=callback,
        init=init, model=model, direction=direction, lambda_seq=lambda_seq, lambda_max=lambda_max,
        class_weight=class_weight,
    )
    return result


def fit_paths(
    X_train,
    y_train,
    X_val,
    y_val,
    *,
    task,
    hidden_dims_grid,
    settings=PathSettings(),
    n_outputs=None,
    stop_at_n_features=None,
    device="cpu",
    seed=0,
    callback=None,
    init="random",
    model=None,
    direction="dense_to_sparse",
    lambda_seq=None,
    lambda_max=math.inf,
    class_weight=None,
):
    """One dense→sparse path per entry of `hidden_dims_grid`, trained together; a PathResult for each, in order.

    Each path is the one `fit_path` gives for those hidden dims on its own with the same seed: the same
    initialisation, the same mini-batches, the same λ (to float rounding: the stacked matrix products may add in
    another order). Networks of one hidden layer are stacked; deeper ones (and `model`) run alone. `lambda_seq`,
    `lambda_max` (dense to sparse only) and `class_weight` are `fit_path`'s.
    """
    if init not in ("random", "zero"):
        raise ValueError(f"init must be 'random' or 'zero', got {init!r}")
    grid = _check_grid(hidden_dims_grid, model)
    device = resolve_device(device)
    data = _Data(task, X_train, y_train, X_val, y_val, device)
    n_outputs = n_outputs_of(task, data.y_train) if n_outputs is None else n_outputs

    devices = [device.index or 0] if device.type == "cuda" else []
    with torch.random.fork_rng(devices=devices):  # seeds initialisation and dropout without touching global state
        torch.manual_seed(seed)
        stack = _build_stack(grid, model, data.n_features, n_outputs, settings.dropout, seed).to(device)
        if init == "zero":
            stack.zero_input_weights_()
        path = _Path(stack, data, settings, seed, callback if stack.n_networks == 1 else None, class_weight)
        if direction == "dense_to_sparse":
            return path.dense_to_sparse(stop_at_n_features or 0, lambda_seq, lambda_max)
        return path.sparse_to_dense()


def _check_grid(hidden_dims_grid, model):
    grid = [tuple(int(h) for h in dims) for dims in hidden_dims_grid] if model is None else [None]
    if not grid:
        raise ValueError("hidden_dims_grid must hold at least one entry")
    for dims in grid:
        if dims is not None and (not dims or any(h < 1 for h in dims)):
            raise ValueError(f"hidden dims must be non-empty lists of positive widths, got {dims!r}")
    if len(set(grid)) < len(grid):
        raise ValueError(f"hidden_dims_grid holds a duplicate entry: {grid}")
    return grid


def _build_stack(grid, model, d, n_outputs, dropout, seed):
    """The networks of the grid, each initialised as it would be alone with `seed`."""
    if model is not None:
        return SingleNetwork(model)
    if len(grid) == 1 and len(grid[0]) > 1:
        return NetworkStack([LassoNetModel(d, n_outputs, grid[0], dropout)], dropout)
    if any(len(dims) > 1 for dims in grid):
        raise ValueError(f"several networks are trained together only with one hidden layer each, got {grid}")
    networks = []
    for dims in grid:
        torch.manual_seed(seed)
        networks.append(LassoNetModel(d, n_outputs, dims, dropout))
    return NetworkStack(networks, dropout)


class _Data:
    """The training and validation tensors, moved to the device once; `select` keeps some columns."""

    def __init__(self, task, X_train, y_train, X_val, y_val, device):
        self.task = task
        self.X_train = torch.as_tensor(X_train, dtype=torch.float32, device=device)
        self.X_val = torch.as_tensor(X_val, dtype=torch.float32, device=device)
        self.y_train = target_tensor(task, y_train, X_train, device)
        self.y_val = target_tensor(task, y_val, X_val, device)
        self.n_features = self.X_train.shape[1]
        self.inputs_train, self.inputs_val = self.X_train, self.X_val

    def select(self, features):
        """Feed the networks only these columns of X (the targets are unchanged, also for reconstruction)."""
        columns = features.to(self.X_train.device)
        self.inputs_train = self.X_train.index_select(1, columns)
        self.inputs_val = self.X_val.index_select(1, columns)


class _Path:
    """The path of every network in a stack."""

    def __init__(self, stack, data, settings, seed, callback, class_weight=None):
        self.stack, self.data, self.settings, self.seed, self.callback = stack, data, settings, seed, callback
        self.losses = loss_function(data.task)
        self.loss_and_gradient = loss_and_gradient(data.task)
        if class_weight is not None:
            self.losses, self.loss_and_gradient = weighted_cross_entropy(data.task, class_weight, data.X_train.device)
        n_features = stack.feature_norms().shape[1]
        self.records = [Recorder(n_features) for _ in range(stack.n_networks)]
        self.running = list(range(stack.n_networks))  # which network each stack position holds
        self.alive = None  # (networks, features) bools when some feature has left a network but is still stored
        self.results = [None] * stack.n_networks

    def dense_to_sparse(self, target, lambda_seq=None, lambda_max=math.inf):
        s = self.settings
        lam = torch.zeros(self.stack.n_networks, dtype=torch.float64)
        started = time.perf_counter()
        train_loss, epochs = self.train(Adam(self.stack, s.lr), lam, s.dense_epochs,
                                        s.dense_patience_of(getattr(self.stack, "n_deeper", 0) > 0), step=0)
        self.record(lam, train_loss, epochs, time.perf_counter() - started)
        dense_scores = [r.steps[0]["val_score"] for r in self.records]
        given = None if lambda_seq is None else iter(float(value) for value in lambda_seq if value != 0)
        exhausted = False  # an empty lambda_seq: the dense fit alone
        if given is not None:
            lam, exhausted = self._next_given(given, lam)
        elif s.lambda_start == "auto":
            lam = s.lambda_start_fraction * self.null_lambda()
        else:
            lam = torch.full_like(lam, float(s.lambda_start))
        starts = lam.tolist()
        optimizer = self._path_optimizer()
        while self.running and not exhausted and not min(starts) > lambda_max:
            started = time.perf_counter()
            train_loss, epochs = self.train(optimizer, lam, s.step_epochs, s.step_patience, step=self._step())
            self.record(lam, train_loss, epochs, time.perf_counter() - started)
            if given is None:
                lam = lam * s.path_multiplier
            else:
                lam, exhausted = self._next_given(given, lam)
            done = [p for p, i in enumerate(self.running)
                    if self.records[i].n_selected <= target or len(self.records[i].steps) > s.max_steps
                    or exhausted or float(lam[p]) > lambda_max]
            lam = self._shrink(optimizer, done, lam)
        return [self._result(i, starts[i], dense_scores[i]) for i in range(len(self.records))]

    @staticmethod
    def _next_given(given, lam):
        """The next λ of a given sequence for every network, and whether the sequence has run out."""
        value = next(given, None)
        return (lam, True) if value is None else (torch.full_like(lam, value), False)

    def sparse_to_dense(self):
        s = self.settings
        if s.lambda_start == "auto":
            lam = self.null_lambda()
        else:
            lam = torch.full((1,), float(s.lambda_start), dtype=torch.float64)
        lambda_start, lambda_end = float(lam[0]), float(lam[0]) * s.lambda_start_fraction
        optimizer = self._path_optimizer()
        record = self.records[0]
        while float(lam[0]) >= lambda_end and len(record.steps) <= s.max_steps:
            started = time.perf_counter()
            train_loss, epochs = self.train(optimizer, lam, s.step_epochs, s.step_patience, step=self._step())
            self.record(lam, train_loss, epochs, time.perf_counter() - started)
            if record.n_selected == len(record.exit_lambda):
                break
            lam = lam / s.path_multiplier
        self.results[0] = self.stack.network(0)
        return [self._result(0, lambda_start, float("nan"))]

    def _step(self):
        return len(self.records[self.running[0]].steps)

    def _path_optimizer(self):
        s = self.settings
        if s.path_optimizer == "adam":
            return Adam(self.stack, s.lr)
        return SGD(self.stack, s.lr, s.momentum)

    def train(self, optimizer, lam, max_epochs, patience, step):
        """Train every network at its penalty `lam` until its validation objective stalls.

        Returns (train loss, epochs) per network. A network that stalls while others go on is put back, weights
        and optimiser buffers, to where it stopped, as if it had trained alone.
        """
        s, n, N = self.settings, len(self.data.X_train), self.stack.n_networks
        if not bool(torch.isfinite(lam).all()):  # the gradients at the null model, or λ grown past float range
            raise FloatingPointError(f"the path's lambda overflowed: lambda={lam.tolist()}")
        batch = n if s.batch_size is None else min(s.batch_size, n)
        lam_lr = self.stack.step_penalty(lam * s.lr, s.M)
        penalised = bool((lam > 0).any())
        best = self._validation_objective(lam)
        stalled = np.zeros(N, dtype=int)
        epochs = np.zeros(N, dtype=int)
        train_loss = torch.full((N,), float("nan"), dtype=torch.float64)
        stopped = {}
        for epoch in range(1, max_epochs + 1):
            order = _epoch_order(self.seed, step, epoch, n).to(self.data.X_train.device)
            total = self._train_epoch(optimizer, order, batch, lam_lr if penalised else None)
            if not bool(torch.isfinite(total).all()):
                raise FloatingPointError(f"the training loss became {total.tolist()} at lambda={lam.tolist()}")
            current = self._validation_objective(lam)
            improved = current < s.tol * best
            best = np.where(improved, current, best)
            stalled = np.where(improved, 0, stalled + 1)
            for p in range(N):
                if p not in stopped:
                    epochs[p] = epoch
                    train_loss[p] = float(total[p]) / (n - n % batch)
                    if patience is not None and stalled[p] >= patience:
                        stopped[p] = self._save(p, optimizer) if len(stopped) < N - 1 else None
            if len(stopped) == N:
                break
        for p, saved in stopped.items():
            if saved is not None:
                self._restore(p, optimizer, saved)
        return train_loss, epochs

    def _train_epoch(self, optimizer, order, batch, penalty):
        """One pass over the training rows in `order`, in full batches only (as the reference does); each network's
        summed loss. `penalty`: the prox's, from `step_penalty`, or None for the unpenalised dense fit.

        The rows are taken with index_select: for a batch of Mice Protein's rows 3 µs, where indexing takes 8.
        """
        inputs, targets = self.data.inputs_train, self.data.y_train
        total = torch.zeros(self.stack.n_networks, device=inputs.device)
        batch_rows = torch.full((), batch, dtype=total.dtype, device=total.device)
        for start in range(0, len(order) - batch + 1, batch):
            rows = order[start : start + batch]
            optimizer.zero_grad()
            losses = self._gradients(inputs.index_select(0, rows), targets.index_select(0, rows))
            optimizer.step()
            if penalty is not None:
                self.stack.prox_(penalty, self.settings.M)
                if self.alive is not None:
                    self.stack.keep_out_(self.alive)
            total += losses * batch_rows
        return total

    def _gradients(self, inputs, targets):
        """Each network's loss on a mini-batch (detached), with the gradients of their sum set on the parameters."""
        if self.stack.n_networks == 1:
            return self.stack.backward_one(inputs, targets, self.loss_and_gradient)
        losses = self._losses(self.stack(inputs), targets)
        losses.sum().backward()
        return losses.detach()

    def _losses(self, outputs, targets):
        return torch.stack([self.losses(outputs[:, p], targets) for p in range(outputs.shape[1])])

    @torch.no_grad()
    def _validation_outputs(self):
        self.stack.eval()
        outputs = self.stack(self.data.inputs_val)
        self.stack.train()
        return outputs

    def evaluate(self):
        """Validation loss and score of every network."""
        outputs = self._validation_outputs()
        losses = self._losses(outputs, self.data.y_val).tolist()
        scores = [score(self.data.task, outputs[:, p], self.data.y_val) for p in range(outputs.shape[1])]
        return losses, scores

    def _validation_objective(self, lam):
        """Validation loss + λ·penalty of every network (its scores, which the stopping rule does not read, are not
        computed: this runs every epoch)."""
        losses = self._losses(self._validation_outputs(), self.data.y_val).double().cpu()
        penalty = self.stack.penalty().detach().double().cpu()
        return (losses + lam * penalty).numpy()

    def _save(self, p, optimizer):
        """Copies of network p's weights and optimiser buffers (a stack of several networks)."""
        index = self.stack.network_index
        params = {name: value.detach()[index(name, p)].clone() for name, value in self.stack.named_parameters()}
        buffers = {name: [value[index(name, p)].clone() for value in values]
                   for name, values in optimizer.buffers.items()}
        return params, buffers

    def _restore(self, p, optimizer, saved):
        params, buffers = saved
        index = self.stack.network_index
        with torch.no_grad():
            for name, value in self.stack.named_parameters():
                value[index(name, p)] = params[name]
            for name, values in optimizer.buffers.items():
                if name in buffers:  # a buffer created after p stopped holds nothing of p's
                    for value, saved in zip(values, buffers[name]):
                        value[index(name, p)] = saved

    def null_lambda(self):
        """Per network, the smallest λ at which its model without any input feature is a fixed point of the prox.

        At θ = 0, W⁽⁰⁾ = 0 the step keeps feature j out iff λ ≥ ‖∂L/∂θ_j‖ + M‖∂L/∂W⁽⁰⁾_j‖₁ (Appendix A), so the
        maximum over features is where the path ends; the path starts a fixed fraction below it.
        """
        null = copy.deepcopy(self.stack)
        null.zero_input_weights_()
        null.zero_grad()
        self._losses(null(self.data.inputs_train), self.data.y_train).sum().backward()
        return null.null_scores(self.settings.M).amax(1).double().cpu()

    def record(self, lam, train_loss, epochs, seconds):
        norms = self.stack.feature_norms().double().cpu().numpy()
        coefficients = self.stack.coefficients().double().cpu().numpy()
        val_losses, val_scores = self.evaluate()
        columns = getattr(self.stack, "features", None)
        for p, i in enumerate(self.running):
            step = self.records[i].record(
                float(lam[p]), norms[p], coefficients[p], columns, float(train_loss[p]), val_losses[p],
                val_scores[p], int(epochs[p]), seconds,
            )
            if self.callback is not None:
                self.callback(step, self.stack.network(p))

    def _shrink(self, optimizer, done, lam):
        """Take the finished networks out of the stack, and the features that have left every network; new λ."""
        for p in done:
            self.results[self.running[p]] = self.stack.network(p)
        keep = [p for p in range(len(self.running)) if p not in done]
        self.running = [self.running[p] for p in keep]
        if not keep or not isinstance(self.stack, NetworkStack):
            return lam[keep]
        alive = self.stack.feature_norms()[keep] > 0
        features = torch.arange(alive.shape[1], device=alive.device)
        if self.settings.drop_exited_features:
            features = torch.nonzero(alive.any(0)).squeeze(1)
        if done or len(features) < alive.shape[1]:
            cut = self.stack.slices(keep, features)
            optimizer.buffers = {name: [cut[name](value) for value in values]
                                 for name, values in optimizer.buffers.items()}
            self.stack = self.stack.compact(keep, features)
            optimizer.module = self.stack
            self.data.select(self.stack.features)
            alive = alive[:, features]
        self.alive = alive if self.settings.drop_exited_features and not bool(alive.all()) else None
        return lam[keep]

    def _result(self, i, lambda_start, dense_val_score):
        record = self.records[i]
        model = self.results[i] if self.results[i] is not None else self.stack.network(self.running.index(i))
        return PathResult(
            steps=record.steps,
            exit_lambda=record.exit_lambda.copy(),
            exit_norm=record.exit_norm.copy(),
            coefficients=np.array(record.coefficients),
            model=model,
            lambda_start=lambda_start,
            dense_val_score=dense_val_score,
        )


def _epoch_order(seed, step, epoch, n):
    """The rows' order in one epoch: a function of (seed, step, epoch) alone, so every network sees the same."""
    state = np.random.SeedSequence([seed, step, epoch]).generate_state(2, dtype=np.uint64)
    return torch.randperm(n, generator=torch.Generator().manual_seed(int(state[0] >> np.uint64(1))))


def feature_ranking(exit_lambda, exit_norm):
    """All features, best first: by the λ at which each left the path (later is better), ties by ‖θ_j‖."""
    return np.lexsort((-exit_norm, -exit_lambda))
