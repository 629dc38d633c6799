"""How a LassoNet path is trained (`PathSettings`): the one place each of its defaults is written.

Torch-free, so that a selector can take its signature's defaults from here without loading torch.
"""

import dataclasses
import math
import numbers


@dataclasses.dataclass(frozen=True)
class PathSettings:
    """How a path is trained. The defaults are the paper's where it gives them (M = 10, learning rate 1e-3, ε = 0.02)."""

    M: float = 10.0
    path_multiplier: float = 1.02
    lambda_start: float | str = "auto"
    dense_epochs: int = 200
    dense_patience: int | None = 10
    # A network of several hidden layers waits at least this long in its dense fit (None: dense_patience). Its
    # validation objective stalls for over 10 epochs early on: with 10 the fit stopped after about 40 epochs,
    # λ_null was ten times too small and the path spent 200 steps before the first exit, then lost 40 features in
    # 12 (make_classification, 10 of 50 informative, (100, 50), seeds 0-1: 8 true features kept at k = 10, 2.4 CPU s;
    # with 100: 10, 1.5 CPU s). The official package waits 100 epochs for every network.
    deep_dense_patience: int | None = 100
    # Three, not five: once features leave, the penalty term keeps the validation objective falling, so every step
    # ran to the cap. MNIST, seeds 0 and 1: 492 -> 426 and 518 -> 431 CPU s, ExtraTrees 0.864 -> 0.878, 0.852 -> 0.857.
    step_epochs: int = 3
    step_patience: int | None = 2
    tol: float = 0.99
    batch_size: int | None = 128  # the setting the replication record's LassoNet runs were made with
    lr: float = 1e-3
    path_optimizer: str = "sgd"
    momentum: float = 0.9
    dropout: float = 0.0
    max_steps: int = 5000
    # The automatic λ_start is this fraction of λ_null (where the empty model is a fixed point). A fifth: the path
    # spends most of its steps before the first exit (sklearn digits 107-116 of 186-190 steps, Mice Protein 149 of
    # 188, a (100, 50) network 58-60 of 70), and starting at a tenth cost 35 more of them. The exits barely move on
    # one hidden layer (digits 1-2 %, the same selections in seeds 0-2) and come 17 % later on two (every true
    # feature still kept); at three tenths a (100, 50) network lost a true feature in one of three seeds.
    lambda_start_fraction: float = 0.2
    # A feature that has left stays out: its weights are held at zero, and once it has left every network trained
    # together it is dropped from their matrices. Without this, mini-batch noise brings features at the boundary back
    # (MNIST: 2392 returns over 184 of 396 steps) and they must stay in every matrix product and prox.
    drop_exited_features: bool = True

    def dense_patience_of(self, deep):
        """The dense fit's patience; a network of several hidden layers (`deep`) waits `deep_dense_patience` or more."""
        if not deep or self.dense_patience is None or self.deep_dense_patience is None:
            return self.dense_patience
        return max(self.dense_patience, self.deep_dense_patience)

    def __post_init__(self):
        if self.M < 0 or not math.isfinite(self.M):
            raise ValueError(f"M must be a finite number >= 0, got {self.M!r}")
        if not self.path_multiplier > 1:
            raise ValueError(f"path_multiplier must be > 1, got {self.path_multiplier!r}")
        if self.lambda_start != "auto" and not (isinstance(self.lambda_start, (int, float)) and self.lambda_start > 0):
            raise ValueError(f"lambda_start must be 'auto' or a positive number, got {self.lambda_start!r}")
        for name in ("dense_epochs", "step_epochs", "max_steps"):
            if int(getattr(self, name)) < 0:
                raise ValueError(f"{name} must be >= 0, got {getattr(self, name)!r}")
        if self.deep_dense_patience is not None and int(self.deep_dense_patience) < 0:
            raise ValueError(f"deep_dense_patience must be >= 0 or None, got {self.deep_dense_patience!r}")
        if self.batch_size is not None and self.batch_size < 1:
            raise ValueError(f"batch_size must be a positive integer or None (full batch), got {self.batch_size!r}")
        if not self.lr > 0:
            raise ValueError(f"lr must be > 0, got {self.lr!r}")
        if self.path_optimizer not in ("adam", "sgd"):
            raise ValueError(f"path_optimizer must be 'adam' or 'sgd', got {self.path_optimizer!r}")


def _pair(value, name):
    """An `n_epochs` or `patience` value as (dense fit, path step): an int (or None) serves both."""
    if value is None or isinstance(value, numbers.Integral):
        return value, value
    try:
        first, second = value
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be an int, None, or a pair (dense fit, path step), got {value!r}") from None
    return first, second


DEFAULT_N_EPOCHS = (PathSettings.dense_epochs, PathSettings.step_epochs)
DEFAULT_PATIENCE = (PathSettings.dense_patience, PathSettings.step_patience)


def path_settings(n_epochs=DEFAULT_N_EPOCHS, patience=DEFAULT_PATIENCE, **settings):
    """PathSettings with `n_epochs` and `patience` given as pairs (dense fit, path step) or single values."""
    dense_epochs, step_epochs = _pair(n_epochs, "n_epochs")
    dense_patience, step_patience = _pair(patience, "patience")
    return PathSettings(
        dense_epochs=dense_epochs,
        step_epochs=step_epochs,
        dense_patience=dense_patience,
        step_patience=step_patience,
        **settings,
    )
