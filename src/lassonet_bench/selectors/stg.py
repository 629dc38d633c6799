"""Stochastic Gates (Yamada, Lindenbaum, Negahban, Kluger, ICML 2020, "Feature Selection using Stochastic Gates"): a
classifier trained with a Gaussian-relaxed Bernoulli gate on each input and the gates' expected L0 norm as penalty.

Written here in torch: the authors' PyPI package `stg` (0.1.2) dates from July 2020 and is not maintained (no
release since, pinned to the torch and scikit-learn of its day), so it is not a dependency. This module follows
the paper's formulation (Section 3) and the package's defaults where the paper leaves a choice (σ = 0.5, gate means
initialised at 0.5, the penalty averaged over the features). torch is imported inside `fit` only, so that importing
the selector registry does not load it.
"""

import numpy as np
from sklearn.utils import check_random_state

from lassonet_bench.selectors.base import BaselineSelector
from lassonet_bench.validation import N_FEATURES_TO_SELECT


class STGSelector(BaselineSelector):
    """Stochastic Gates: rank features by their gate means μ after training, largest first, ties by index.

    Model: x ↦ f(x ⊙ z) with f a network of one hidden layer (`hidden_dim` ReLU units) and a linear layer to the
    classes, and one gate per feature, z_d = min(1, max(0, μ_d + ε_d)), ε_d ~ N(0, σ²) drawn anew for every row
    during training (σ = `sigma`; z_d = clip(μ_d) at test time). Loss: the mean cross-entropy plus
    `lam` · (1/d) Σ_d Φ(μ_d / σ), the expected fraction of open gates (Φ is the standard normal CDF). Adam
    (`lr`) on the network and μ together, `n_epochs` epochs of shuffled mini-batches of `batch_size` rows, no early
    stopping (a fixed budget, the same on every data set). The features are standardised inside `fit` (a
    `StandardScaler` on the training rows, `scaler_`): the gates multiply the inputs, and the paper's experiments
    standardise their data. Fitted: `mu_` (the gate means), `ranking_`, `loss_` (the last epoch's mean training
    loss) and `device_`.

    The gates do not depend on k (the penalty is not tied to k), so the selection is nested. `device` is torch's
    ("auto": CUDA when available), so the workflow runs its jobs on a GPU. Determinism: the initial weights, the
    batches and the gate noise come from generators seeded by `random_state`, so a fixed random_state gives the
    same ranking on the CPU (on a GPU, cuBLAS sums may differ in the last bits, as for LassoNet).
    """

    name = "stg"
    title = "STG"
    library = "torch"
    nested_selection = True
    param_schema = {
        "hidden_dim": {"$ref": "#/$defs/positive_int"},
        "n_epochs": {"$ref": "#/$defs/positive_int"},
        "batch_size": {"$ref": "#/$defs/positive_int"},
        "lr": {"type": "number", "exclusiveMinimum": 0},
        "lam": {"type": "number", "minimum": 0},
        "sigma": {"type": "number", "exclusiveMinimum": 0},
    }

    def __init__(
        self, n_features_to_select=N_FEATURES_TO_SELECT, random_state=None, hidden_dim=100, lam=0.5, sigma=0.5,
        n_epochs=300, batch_size=128, lr=1e-3, device="auto",
    ):
        super().__init__(n_features_to_select, random_state)
        self.hidden_dim = hidden_dim
        self.lam = lam
        self.sigma = sigma
        self.n_epochs = n_epochs
        self.batch_size = batch_size
        self.lr = lr
        self.device = device

    def _check_params(self):
        def positive_int(name):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(f"{name} must be a positive integer, got {value!r}")

        for name in ("hidden_dim", "n_epochs", "batch_size"):
            positive_int(name)
        for name, low, strict in (("lr", 0, True), ("sigma", 0, True), ("lam", 0, False)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float, np.number)) or not np.isfinite(value) \
                    or value < low or (strict and value == low):
                raise ValueError(f"{name} must be a {'positive' if strict else 'non-negative'} number, got {value!r}")

    def _rank_features(self, X, y):
        import torch

        from lassonet_bench.core.devices import resolve_device
        from sklearn.preprocessing import StandardScaler

        self._check_params()
        device = resolve_device(self.device)
        self.device_ = str(device)
        seed = int(check_random_state(self.random_state).randint(2**31 - 1))
        self.scaler_ = StandardScaler().fit(X)
        inputs = torch.as_tensor(self.scaler_.transform(X), dtype=torch.float32, device=device)
        labels = torch.as_tensor(y, dtype=torch.int64, device=device)
        n, d = inputs.shape
        with torch.random.fork_rng(devices=[]):  # the caller's global torch RNG is left as it was
            torch.manual_seed(seed)
            network = torch.nn.Sequential(
                torch.nn.Linear(d, self.hidden_dim), torch.nn.ReLU(), torch.nn.Linear(self.hidden_dim, int(y.max()) + 1)
            ).to(device)
        mu = torch.nn.Parameter(torch.full((d,), 0.5, device=device))
        optimizer = torch.optim.Adam([*network.parameters(), mu], lr=self.lr)
        batches = torch.Generator().manual_seed(seed)
        noise = torch.Generator(device=device).manual_seed(seed + 1)
        normal = torch.distributions.Normal(0.0, 1.0)
        loss_fn = torch.nn.CrossEntropyLoss()
        for _ in range(self.n_epochs):
            total = 0.0
            for rows in torch.randperm(n, generator=batches).split(self.batch_size):
                rows = rows.to(device)
                epsilon = self.sigma * torch.randn(len(rows), d, generator=noise, device=device)
                gates = torch.clamp(mu + epsilon, 0.0, 1.0)
                penalty = normal.cdf(mu / self.sigma).mean()
                loss = loss_fn(network(inputs[rows] * gates), labels[rows]) + self.lam * penalty
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                total += float(loss.detach()) * len(rows)
            self.loss_ = total / n
        if not np.isfinite(self.loss_):
            raise ValueError(f"STG's training loss is not finite ({self.loss_}): try a smaller lr (now {self.lr})")
        self.mu_ = mu.detach().cpu().numpy().astype(np.float64)
        return np.argsort(-self.mu_, kind="stable")


SELECTOR = STGSelector  # the registry (lassonet_bench.selectors) reads it
