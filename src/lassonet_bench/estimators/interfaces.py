"""The official package's estimators: `LassoNetRegressor`, `LassoNetClassifier`, `LassoNetCoxRegressor`, and
`lassonet_path`."""

import numpy as np
import torch
from sklearn.base import ClassifierMixin, MultiOutputMixin, RegressorMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import validate_data

from lassonet_bench.core.survival import check_survival_targets, harrell_c
from lassonet_bench.estimators.base import BaseLassoNet, constructor


class LassoNetRegressor(RegressorMixin, MultiOutputMixin, BaseLassoNet):
    """LassoNet for (multi-output) regression, trained with the mean squared error. See `BaseLassoNet`."""

    _task = "regression"
    __init__ = constructor(trailing=[("n_features_to_select", None)])

    def _validate(self, X, y, reset):
        X, y = validate_data(self, X, y, reset=reset, dtype=[np.float32, np.float64], multi_output=True,
                             y_numeric=True)
        self._y_is_1d = y.ndim == 1
        return np.asarray(X, dtype=np.float32), np.asarray(y, dtype=np.float32)

    def _encode_val(self, y_val, n):
        y_val = np.asarray(y_val, dtype=np.float32)
        if len(y_val) != n:
            raise ValueError(f"X_val and y_val have different lengths: {n} and {len(y_val)}")
        return y_val

    def predict(self, X):
        outputs = self._outputs(X)
        return outputs[:, 0] if self._y_is_1d else outputs


class LassoNetClassifier(ClassifierMixin, BaseLassoNet):
    """LassoNet for classification, trained with the cross-entropy. See `BaseLassoNet`.

    class_weight (None): one weight per class, in the order of `classes_` (the official's form); also a
    {class: weight} dict or "balanced", as scikit-learn's classifiers take it. The cross-entropy is weighted as
    torch's `CrossEntropyLoss(weight=...)` weighs it.
    """

    _task = "classification"
    __init__ = constructor(leading=[("class_weight", None)], trailing=[("n_features_to_select", None)])

    def _class_weight(self):
        """One weight per class of `classes_`: a list (the official's form) or a {class: weight} dict (scikit-learn's,
        missing classes weighing 1), or "balanced"."""
        weight = self.class_weight
        if weight is None:
            return None
        if isinstance(weight, str) and weight == "balanced":
            counts = np.bincount(self._codes, minlength=len(self.classes_))
            return len(self._codes) / (len(self.classes_) * np.maximum(counts, 1))
        if isinstance(weight, dict):
            unknown = set(weight) - set(self.classes_.tolist())
            if unknown:
                raise ValueError(f"class_weight names classes that y does not hold: {sorted(unknown, key=str)}")
            return np.array([float(weight.get(c, 1.0)) for c in self.classes_.tolist()])
        weight = np.asarray(weight, dtype=float)
        if weight.shape != (len(self.classes_),):
            raise ValueError(f"class_weight must hold one weight per class ({len(self.classes_)}: "
                             f"{self.classes_.tolist()}), got {self.class_weight!r}")
        return weight

    def _validate(self, X, y, reset):
        X, y = validate_data(self, X, y, reset=reset, dtype=[np.float32, np.float64])
        check_classification_targets(y)
        self.classes_, codes = np.unique(y, return_inverse=True)
        self._codes = codes.astype(np.int64)
        return np.asarray(X, dtype=np.float32), self._codes

    def _encode_val(self, y_val, n):
        y_val = np.asarray(y_val)
        if len(y_val) != n:
            raise ValueError(f"X_val and y_val have different lengths: {n} and {len(y_val)}")
        unknown = np.setdiff1d(y_val, self.classes_)
        if len(unknown):
            raise ValueError(f"y_val holds classes that y does not: {unknown.tolist()}")
        return np.searchsorted(self.classes_, y_val).astype(np.int64)

    def _n_outputs(self):
        return len(self.classes_)

    def _loaded_without_fit(self, n_outputs):
        self.classes_ = np.arange(n_outputs)

    def predict(self, X):
        outputs = self._outputs(X)
        return self.classes_[outputs.argmax(1)]

    def predict_proba(self, X):
        return torch.softmax(torch.as_tensor(self._outputs(X)), 1).numpy()


class LassoNetCoxRegressor(BaseLassoNet):
    """LassoNet for Cox proportional hazards regression: y is (time, event) per row, a two-column array or
    scikit-survival's structured array; `predict` gives the log relative hazard, `score` Harrell's C-index.

    tie_approximation (None): "breslow" or "efron", how tied event times enter the partial likelihood; it must be
    given (the official's default None is refused too). See `BaseLassoNet` for the rest.
    """

    _task = "cox"
    __init__ = constructor(leading=[("tie_approximation", None)], trailing=[("n_features_to_select", None)])

    def _task_name(self):
        ties = {"efron": "cox", "breslow": "cox_breslow"}
        if self.tie_approximation not in ties:
            raise ValueError(f"tie_approximation must be one of ('breslow', 'efron'), got {self.tie_approximation!r}")
        return ties[self.tie_approximation]

    def _check_parameters(self):
        self._task_name()
        return super()._check_parameters()

    def _validate(self, X, y, reset):
        X = self._validate_X(X, reset=reset)
        return X, check_survival_targets(y, len(X))

    def _encode_val(self, y_val, n):
        return check_survival_targets(y_val, n, "y_val")

    def predict(self, X):
        return self._outputs(X)[:, 0]

    def score(self, X_test, y_test):
        """Harrell's concordance index of the predicted log hazards."""
        X_test = self._validate_X(X_test, reset=False)
        target = check_survival_targets(y_test, len(X_test), "y_test")
        return harrell_c(self.predict(X_test), target[:, 0], target[:, 1])

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        return tags


def lassonet_path(X, y, task, *, X_val=None, y_val=None, **kwargs):
    """The path of a LassoNet estimator for `task` ("classification", "regression" or "cox"), the other keyword
    arguments being its constructor's: `LassoNet...(**kwargs).path(X, y, X_val=X_val, y_val=y_val)`."""
    classes = {"classification": LassoNetClassifier, "regression": LassoNetRegressor, "cox": LassoNetCoxRegressor}
    if task not in classes:
        raise ValueError(f"task must be 'classification', 'regression' or 'cox', got {task!r}")
    return classes[task](**kwargs).path(X, y, X_val=X_val, y_val=y_val)
