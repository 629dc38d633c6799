"""What a LassoNet path gives back (`HistoryItem`, `NonFiniteLossError`) and the helpers that build it from the
engine's records."""

import dataclasses
import numbers

import numpy as np
import torch

class NonFiniteLossError(ValueError):
    """The training loss (or λ) stopped being finite; the message names the likely cause (usually X's scale)."""


@dataclasses.dataclass
class HistoryItem:
    """One λ of a path, as the official package's `HistoryItem` holds it."""

    lambda_: float
    state_dict: dict | None  # the network's weights after this λ (CPU tensors); None unless return_state_dicts
    objective: float  # loss + lambda_ * regularization
    loss: float  # mean training loss over the last epoch
    val_objective: float  # val_loss + lambda_ * regularization
    val_loss: float
    regularization: float  # Σ_j ‖θ_j‖₂
    l2_regularization: float  # Σ ‖W‖² over the layers after the first
    l2_regularization_skip: float  # ‖θ‖_F
    selected: torch.Tensor  # (d,) bools: the features still in the model
    n_iters: int  # epochs trained at this λ

    def log(self):
        print(
            f"{self.n_iters} epochs, val_objective {self.val_objective:.2e}, val_loss {self.val_loss:.2e}, "
            f"regularization {self.regularization:.2e}, l2_regularization {self.l2_regularization:.2e}"
        )


# The official constructor's parameters, keyword-only and with its defaults, in its order.
OFFICIAL_PARAMETERS = {
    "hidden_dims": (100,),
    "lambda_start": "auto",
    "lambda_seq": None,
    "gamma": 0.0,
    "gamma_skip": 0.0,
    "path_multiplier": 1.02,
    "M": 10,
    "groups": None,
    "dropout": 0,
    "batch_size": None,
    "optim": None,
    "n_iters": (1000, 100),
    "patience": (100, 10),
    "tol": 0.99,
    "backtrack": False,
    "val_size": None,
    "device": None,
    "verbose": 1,
    "random_state": None,
    "torch_seed": None,
}
OFFICIAL_LR = 1e-3  # the official default optimisers: Adam(lr=1e-3) for the dense fit, SGD(lr=1e-3, momentum=0.9)
OFFICIAL_MOMENTUM = 0.9


def _pair(value, name):
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return int(value), int(value)
    try:
        first, second = value
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be an int or a pair of ints (dense fit, each λ), got {value!r}") from None
    return first, second


def _check_k(k, d):
    if isinstance(k, numbers.Integral) and not isinstance(k, bool):
        if not 1 <= k <= d:
            raise ValueError(f"n_features_to_select={k} is out of range: it must lie in [1, {d}] (the features)")
        return int(k)
    if isinstance(k, numbers.Real) and 0 < k <= 1:
        return max(1, int(round(k * d)))
    raise ValueError(f"n_features_to_select must be None, an int in [1, {d}] or a fraction in (0, 1], got {k!r}")


def _cpu_state_dict(network):
    return {name: value.detach().cpu().clone() for name, value in network.state_dict().items()}


@torch.no_grad()
def _history_item(step, network, state_dict):
    norms = network.feature_norms().double().cpu()
    regularization = float(norms.sum())
    later = [m.weight for m in network.body.modules() if isinstance(m, torch.nn.Linear)][1:]
    lam = float(step["lambda_"])
    return HistoryItem(
        lambda_=lam,
        state_dict=state_dict,
        objective=step["train_loss"] + lam * regularization,
        loss=step["train_loss"],
        val_objective=step["val_loss"] + lam * regularization,
        val_loss=step["val_loss"],
        regularization=regularization,
        l2_regularization=float(sum(float((w.double() ** 2).sum()) for w in later)),
        l2_regularization_skip=float(torch.linalg.vector_norm(network.skip.weight.double())),
        selected=norms > 0,
        n_iters=int(step["epochs"]),
    )


def _feature_importances(history):
    """The λ of the first path item without each feature (inf for a feature never left), as the official computes."""
    current = history[0].selected.clone()
    importances = torch.full(current.shape, float("inf"))
    for item in history[1:]:
        left = current & ~item.selected
        importances[left] = item.lambda_
        current &= item.selected
    return importances


def _divergence_message(error, X_train, settings):
    largest = np.abs(X_train).max(axis=0)
    j = int(np.argmax(largest))
    spread = np.std(X_train, axis=0)
    return (
        f"the training loss is not finite ({error}); the likely cause is the scale of X: its largest value in "
        f"magnitude is {largest[j]:.3g} (column {j}) and its columns' standard deviations range from "
        f"{spread.min():.3g} to {spread.max():.3g}. Standardize X (e.g. sklearn.preprocessing.StandardScaler) "
        f"and, for regression, y; else try a smaller M (now {settings.M:g})"
    )


def _progress(verbose):
    if not verbose:
        return None
    from tqdm.auto import tqdm

    return tqdm(desc="LassoNet path", unit="λ", leave=False)


def _progress_range(n, verbose, description):
    if not verbose:
        return range(n)
    from tqdm.auto import tqdm

    return tqdm(range(n), desc=description)
