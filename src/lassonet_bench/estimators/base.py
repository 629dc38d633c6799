"""`BaseLassoNet`: what the official `lassonet` 0.0.21 estimators share (parameters, `path`, `fit`, `load`,
`stability_selection`), trained by this package's engine (`lassonet_bench.core.path`).

Where they differ from the official package, on purpose or because the engine works otherwise, its docstring says
so (and docs/official-api.md lists it side by side).
"""

import inspect
import math
import numbers
import warnings

import numpy as np
import torch
from sklearn.base import BaseEstimator
from sklearn.model_selection import train_test_split
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted, validate_data

from lassonet_bench.core.devices import resolve_device
from lassonet_bench.core.model import LassoNetModel
from lassonet_bench.core.path import feature_ranking, fit_path
from lassonet_bench.core.settings import path_settings
from lassonet_bench.estimators.items import (
    OFFICIAL_LR,
    OFFICIAL_MOMENTUM,
    OFFICIAL_PARAMETERS,
    HistoryItem,
    NonFiniteLossError,
    _check_k,
    _cpu_state_dict,
    _divergence_message,
    _feature_importances,
    _history_item,
    _pair,
    _progress,
    _progress_range,
)



def constructor(leading=(), trailing=()):
    """An `__init__` taking `leading` (name, default) pairs positionally, then the official parameters and
    `trailing` ones keyword-only, storing each unchanged (scikit-learn's convention: checks happen in `fit`).

    One generated constructor rather than six hand-written copies of twenty parameters; scikit-learn's `get_params`
    and `clone` read the `__signature__` it carries.
    """
    P = inspect.Parameter
    parameters = [P("self", P.POSITIONAL_OR_KEYWORD)]
    parameters += [P(name, P.POSITIONAL_OR_KEYWORD, default=default) for name, default in leading]
    parameters += [P(name, P.KEYWORD_ONLY, default=default)
                   for name, default in [*OFFICIAL_PARAMETERS.items(), *trailing]]
    signature = inspect.Signature(parameters)

    def __init__(self, *args, **kwargs):
        bound = signature.bind(self, *args, **kwargs)
        bound.apply_defaults()
        for name, value in list(bound.arguments.items())[1:]:
            setattr(self, name, value)

    __init__.__signature__ = signature
    return __init__


def check_hidden_dims(hidden, name):
    """ValueError naming parameter `name` unless `hidden` is a non-empty tuple (or list) of positive ints."""
    if not (isinstance(hidden, (tuple, list)) and hidden
            and all(isinstance(h, numbers.Integral) and not isinstance(h, bool) and h >= 1 for h in hidden)):
        raise ValueError(f"{name} must be a non-empty tuple of positive ints, got {hidden!r}")


class BaseLassoNet(BaseEstimator):
    """LassoNet with the official package's interface (see its `BaseLassoNet`), trained by this package's engine.

    Parameters are the official ones (same names, defaults and meaning), plus `n_features_to_select`:

    - hidden_dims (tuple of int, (100,)), lambda_start ('auto' or float), lambda_seq (λ values to train on after
      the dense fit, until no feature is left or they run out), path_multiplier (1.02), M (10), dropout (0),
      batch_size (None: full batch), n_iters ((1000, 100): epochs of the dense fit and of each λ; an int serves
      both), patience ((100, 10), or None: no early stopping), tol (0.99: an epoch improves on the best validation
      objective when it is below tol × best), val_size (None: 0.1, 0 for Cox: the share of rows held out for early
      stopping; 0 validates on the training rows; ignored when X_val, y_val are given), device (None: GPU if
      available), verbose (0 silent; 1 a progress bar per path with λ, active features and validation loss;
      2 also a line per λ as the official prints), random_state (the validation split), torch_seed
      (initialisation, mini-batches and dropout; None: drawn from torch's global generator, as the official uses it).
    - gamma, gamma_skip, groups, optim, backtrack: only their defaults are supported (0, 0, None, None, False); any
      other value raises NotImplementedError naming it (see "Differences").
    - n_features_to_select (ours; None): an int k, or a fraction of the features in (0, 1]. `fit` then stops the
      path once at most k features are left and keeps the model with exactly k: the first λ with k features, or,
      when one step drops several and skips k, the step before it with its features outside the k best of the
      path's ranking (exit λ, then ‖θ_j‖) set to zero, without retraining. `lambda_`, `support_` and
      `n_features_selected_` describe it.

    Methods: `fit`, `path`, `predict`, `score` (and `predict_proba` for the classifier), `load`,
    `stability_selection`; attributes after a path: `path_` (HistoryItems), `feature_importances_` (torch tensor:
    the λ at which each feature left the path, inf if it never did), `lambda_start_` (when 'auto'), `model` (the
    torch network), `n_features_in_` (and `classes_` for the classifier).

    Differences from the official package (docs/official-api.md):

    - Hier-Prox is computed exactly (`lassonet_bench.core.prox`); the official's is an approximation.
    - A feature that has left the path stays out (its weights are held at zero); the official lets it come back.
    - 'auto' lambda_start is a fifth of the λ at which the model without features is a fixed point of the prox
      (from the gradients at θ = 0, W⁽⁰⁾ = 0); the official's is a tenth of the λ at which repeated prox steps make
      the dense model sparse. Both are λ in the same units (the prox's step is λ × learning rate).
    - A path stops after 5000 λ (`PathSettings.max_steps`) even if features are left.
    - `fit` without `n_features_to_select` ends, as the official's does, with the model at the last λ of the path,
      which for a full path has no feature left (the official documents this): use n_features_to_select, a CV
      class, or `load` a path item to predict.
    - `predict` returns NumPy arrays for any input (the official returns torch tensors unless X is an ndarray), of
      shape (n,) for a 1-D y and for Cox (the official: (n, 1)); the classifier's labels are `classes_` (any
      labels: the official needs 0..C−1).
    - Input is checked as scikit-learn's estimators check it (`validate_data`), and a non-finite training loss
      raises `NonFiniteLossError` (a ValueError; the official's is an AssertionError) naming X's scale.
    - Cox accepts mini-batches (risk sets within the batch); the official refuses them. Its score is Harrell's C
      with tied risks counted ½ (scikit-survival's); the official counts them 0.
    """

    _task = None  # set by the subclasses

    # ----------------------------------------------------------------------------------------------- parameters

    def _check_parameters(self):
        for name, default in (("gamma", 0.0), ("gamma_skip", 0.0), ("groups", None), ("optim", None),
                              ("backtrack", False)):
            value = getattr(self, name)
            if not (value is None if default is None else value == default):
                raise NotImplementedError(
                    f"{name}={value!r} is not supported by lassonet_bench's engine (only {name}={default!r}); "
                    "use the official package for it"
                )
        check_hidden_dims(self.hidden_dims, "hidden_dims")
        if not (isinstance(self.verbose, numbers.Real) and self.verbose >= 0):
            raise ValueError(f"verbose must be a number >= 0, got {self.verbose!r}")
        dropout = self.dropout or 0
        if not 0 <= dropout < 1:
            raise ValueError(f"dropout must lie in [0, 1), got {self.dropout!r}")
        if not (isinstance(self.tol, numbers.Real) and self.tol > 0):
            raise ValueError(f"tol must be a positive number, got {self.tol!r}")
        if self.batch_size is not None and not (isinstance(self.batch_size, numbers.Integral) and self.batch_size >= 1):
            raise ValueError(f"batch_size must be None or a positive int, got {self.batch_size!r}")
        return path_settings(
            _pair(self.n_iters, "n_iters"),
            self.patience if self.patience is None else _pair(self.patience, "patience"),
            M=float(self.M),
            path_multiplier=self.path_multiplier,
            lambda_start=self.lambda_start,
            tol=float(self.tol),
            batch_size=self.batch_size,
            lr=OFFICIAL_LR,
            path_optimizer="sgd",
            momentum=OFFICIAL_MOMENTUM,
            dropout=float(dropout),
        )

    def _val_size(self):
        val_size = self.val_size
        if val_size is None:
            return 0 if self._task_name() in ("cox", "cox_breslow") else 0.1
        if not (isinstance(val_size, numbers.Real) and 0 <= val_size < 1) and not (
                isinstance(val_size, numbers.Integral) and val_size >= 1):
            raise ValueError(f"val_size must be a fraction in [0, 1) or a number of rows, got {val_size!r}")
        return val_size

    def _device(self):
        return resolve_device("auto" if self.device is None else self.device)

    def _seed(self):
        if self.torch_seed is not None:
            return int(self.torch_seed)
        return int(torch.randint(0, 2**31 - 1, ()).item())

    def _task_name(self):
        return self._task

    # ---------------------------------------------------------------------------------------------------- input

    def _validate_X(self, X, reset):
        X = validate_data(self, X, reset=reset, dtype=[np.float32, np.float64])
        return np.asarray(X, dtype=np.float32)

    def _validate(self, X, y, reset):
        """X as float32 and y as the engine's targets; reset=True records n_features_in_ (and classes_)."""
        raise NotImplementedError

    def _validate_val(self, X_val, y_val):
        X_val = self._validate_X(X_val, reset=False)
        return X_val, self._encode_val(y_val, len(X_val))

    # ---------------------------------------------------------------------------------------------------- paths

    def path(self, X, y, *, X_val=None, y_val=None, lambda_seq=None, lambda_max=float("inf"),
             return_state_dicts=False, callback=None, disable_lambda_warning=False):
        """Train LassoNet along a λ path and return its HistoryItems (the dense fit first, at λ = 0).

        The path starts at `lambda_start` and grows by `path_multiplier`, or follows `lambda_seq` (the argument,
        else the parameter), and stops when no feature is left, or at λ above `lambda_max`. `lambda_seq=[]` trains
        the dense model only. `callback(estimator, history)` is called after every item, with `estimator.model` at
        that λ (the CV classes score folds this way).
        """
        settings = self._check_parameters()
        if (X_val is None) != (y_val is None):
            raise ValueError("X_val and y_val must be given together (or neither)")
        X, y = self._validate(X, y, reset=True)
        if X_val is not None:
            X_val, y_val = self._validate_val(X_val, y_val)
            X_train, y_train = X, y
        else:
            val_size = self._val_size()
            if val_size == 0:
                X_train, y_train, X_val, y_val = X, y, X, y
            else:
                X_train, X_val, y_train, y_val = train_test_split(
                    X, y, test_size=val_size, random_state=self.random_state)
        if lambda_seq is None:
            lambda_seq = self.lambda_seq
        history, result = self._run_path(
            X_train, y_train, X_val, y_val, settings, lambda_seq=lambda_seq, lambda_max=lambda_max,
            keep_state_dicts=return_state_dicts, callback=callback,
        )
        if not disable_lambda_warning and lambda_seq is None:
            self._warn_if_lambda_start_too_large(history)
        self.path_ = history
        return history

    def _run_path(self, X_train, y_train, X_val, y_val, settings, *, lambda_seq=None, lambda_max=math.inf,
                  keep_state_dicts=False, callback=None, stop_at_n_features=None):
        history = []
        last_states = []  # the last two networks' weights: n_features_to_select may need the step before the end
        progress = _progress(self.verbose)

        def on_step(step, network):
            self.model_ = network
            state = _cpu_state_dict(network)
            last_states[:] = [*last_states[-1:], state]
            item = _history_item(step, network, state if keep_state_dicts else None)
            history.append(item)
            if progress is not None:
                progress.update()
                progress.set_postfix(lambda_=f"{item.lambda_:.3g}", features=int(item.selected.sum()),
                                     val_loss=f"{item.val_loss:.3g}")
            if self.verbose > 1:
                print(f"Lambda = {item.lambda_:.2e}, selected {int(item.selected.sum())} features")
                item.log()
            if callback is not None:
                callback(self, history)

        try:
            result = fit_path(
                X_train, y_train, X_val, y_val, task=self._task_name(), hidden_dims=self._network_dims(),
                settings=settings, n_outputs=self._n_outputs(), stop_at_n_features=stop_at_n_features,
                device=self._device(), seed=self._seed(), callback=on_step, lambda_seq=lambda_seq,
                lambda_max=lambda_max, class_weight=self._class_weight(),
            )
        except FloatingPointError as error:
            raise NonFiniteLossError(_divergence_message(error, X_train, settings)) from error
        finally:
            if progress is not None:
                progress.close()
        self.model_ = result.model
        self._last_states = last_states
        if self.lambda_start == "auto" and lambda_seq is None:
            self.lambda_start_ = result.lambda_start
        self.feature_importances_ = _feature_importances(history)
        return history, result

    def _warn_if_lambda_start_too_large(self, history):
        """The official's warning: features already leave within a factor 2 of the first λ."""
        d = len(history[0].selected)
        path = [item for item in history if item.lambda_ > 0]
        first_sparse = next((item for item in path if int(item.selected.sum()) < d), None)
        if first_sparse is not None and first_sparse.lambda_ < 2 * path[0].lambda_:
            auto = "(selected automatically) " if self.lambda_start == "auto" else ""
            warnings.warn(
                f"lambda_start={path[0].lambda_:.3f} {auto}might be too large.\n"
                f"Features start to disappear at current_lambda={first_sparse.lambda_:.3f}.",
                stacklevel=3,
            )

    def fit(self, X, y, *, X_val=None, y_val=None, dense_only=False):
        """Train the path and keep its last model (the official's `fit`), or, with `n_features_to_select`, the
        model with exactly that many features (see the class docstring). `dense_only=True`: the dense model only."""
        if self.n_features_to_select is None or dense_only:
            self.path(X, y, X_val=X_val, y_val=y_val, lambda_seq=[] if dense_only else None,
                      disable_lambda_warning=True)
            return self
        settings = self._check_parameters()
        if (X_val is None) != (y_val is None):
            raise ValueError("X_val and y_val must be given together (or neither)")
        X, y = self._validate(X, y, reset=True)
        k = _check_k(self.n_features_to_select, X.shape[1])
        if X_val is not None:
            X_val, y_val = self._validate_val(X_val, y_val)
            X_train, y_train = X, y
        elif self._val_size() == 0:
            X_train, y_train, X_val, y_val = X, y, X, y
        else:
            X_train, X_val, y_train, y_val = train_test_split(
                X, y, test_size=self._val_size(), random_state=self.random_state)
        history, result = self._run_path(X_train, y_train, X_val, y_val, settings, lambda_seq=self.lambda_seq,
                                         stop_at_n_features=k)
        self.path_ = history
        self._keep_k(history, result, k)
        return self

    def _keep_k(self, history, result, k):
        last = history[-1]
        n_last = int(last.selected.sum())
        if n_last == k or len(history) < 2:
            self.lambda_, self.support_ = last.lambda_, last.selected.numpy().copy()
        else:  # the last step skipped k: the step before, pruned to the k best of the path's ranking
            keep = feature_ranking(result.exit_lambda, result.exit_norm)[:k]
            self.load(self._last_states[0])
            mask = torch.zeros(self.n_features_in_, dtype=torch.bool)
            mask[torch.as_tensor(keep)] = True
            with torch.no_grad():
                self.model_.skip.weight[:, ~mask] = 0
                self.model_.first_layer.weight[:, ~mask] = 0
            self.lambda_, self.support_ = history[-2].lambda_, mask.numpy()
        self.n_features_selected_ = int(self.support_.sum())

    def stability_selection(self, X, y, n_models=20, max_retries=3):
        """Stability selection (the official's): `n_models` paths, each on a random half of the rows, on the λ
        sequence of a first such path. Returns (oracle, order, wrong, paths, prob): the number of features to
        select, the features in order, the expected number of wrong features at each count, the paths, and the
        selection probability of each feature at each λ (see `utils.selection_probability`).

        The halves are drawn from `random_state` (the official draws them from Python's global `random`). A path
        whose loss stops being finite is drawn again on a new half, at most `max_retries` times per model.
        """
        from lassonet_bench.estimators.utils import selection_probability

        if not (isinstance(n_models, numbers.Integral) and n_models >= 1):
            raise ValueError(f"n_models must be a positive int, got {n_models!r}")
        X = self._validate_X(X, reset=True)
        y = np.asarray(y)
        rng = check_random_state(self.random_state)

        def half_path(lambda_seq=None):
            for attempt in range(max_retries + 1):
                rows = rng.permutation(len(X))[len(X) // 2:]
                try:
                    return BaseLassoNet.path(self, X[rows], y[rows], lambda_seq=lambda_seq,
                                             disable_lambda_warning=True)
                except NonFiniteLossError as error:
                    if attempt == max_retries:
                        raise
                    warnings.warn(f"{error} Drawing a new subsample.", stacklevel=3)

        first = half_path()
        lambda_seq = [item.lambda_ for item in first]
        paths = [half_path(lambda_seq) for _ in _progress_range(n_models, self.verbose, "Stability selection")]
        prob, (wrong, order) = selection_probability(paths)
        oracle = 0 if wrong[0] > 0.5 else int(torch.argmax(wrong[1:] / wrong[:-1])) + 1
        return oracle, order, wrong, paths, prob

    # ---------------------------------------------------------------------------------------------- prediction

    def _network_dims(self):
        """The hidden layers' widths of the network to train or load: `hidden_dims`, or the width a CV class is
        trying or has chosen (kept apart from the parameter, which fit never changes)."""
        return tuple(getattr(self, "_network_hidden_dims", None) or self.hidden_dims)

    @property
    def model(self):
        """The torch network (`LassoNetModel`): after `fit`/`path` the last λ's, after `load` the loaded one."""
        return getattr(self, "model_", None)

    def load(self, state_dict):
        """Load a path item's (or a state dict's) weights into the network; returns the estimator."""
        if isinstance(state_dict, HistoryItem):
            if state_dict.state_dict is None:
                raise ValueError(
                    f"the path item at lambda_={state_dict.lambda_} holds no state dict: train the path with "
                    "path(..., return_state_dicts=True)"
                )
            state_dict = state_dict.state_dict
        if not isinstance(state_dict, dict) or "skip.weight" not in state_dict:
            raise ValueError(f"load takes a HistoryItem or a LassoNet state dict, got {type(state_dict).__name__}")
        n_outputs, n_features = state_dict["skip.weight"].shape
        if self.model is None or self.model.skip.weight.shape != (n_outputs, n_features):
            with torch.random.fork_rng(devices=[]):
                self.model_ = LassoNetModel(n_features, n_outputs, self._network_dims(), float(self.dropout or 0))
        if not hasattr(self, "n_features_in_"):
            self.n_features_in_ = n_features
            self._loaded_without_fit(n_outputs)
        self.model_.load_state_dict(state_dict)
        self.model_.to(self._device())
        return self

    def _loaded_without_fit(self, n_outputs):
        """What `predict` needs besides the network when a state dict is loaded into an unfitted estimator."""
        self._y_is_1d = n_outputs == 1

    @torch.no_grad()
    def _outputs(self, X):
        check_is_fitted(self, "model_")
        X = self._validate_X(X, reset=False)
        network = self.model_
        was_training = network.training
        network.eval()
        try:
            device = next(network.parameters()).device
            return network(torch.as_tensor(X, device=device)).cpu().numpy().astype(np.float64)
        finally:
            network.train(was_training)

    def _n_outputs(self):
        return None

    def _class_weight(self):
        return None

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = self.torch_seed is None
        return tags
