"""The official package's cross-validated estimators: λ chosen by K-fold cross-validation, then one path on all
the rows along the chosen λ sequence."""

import numpy as np
from sklearn.base import is_classifier
from sklearn.model_selection import check_cv

from lassonet_bench.estimators.base import BaseLassoNet, check_hidden_dims, constructor
from lassonet_bench.estimators.interfaces import LassoNetClassifier, LassoNetCoxRegressor, LassoNetRegressor


class BaseLassoNetCV(BaseLassoNet):
    """The official `BaseLassoNetCV`: `cv` (None: 5 folds; an int, a splitter or an iterable of splits) picks λ.

    Each fold's path is scored on its held-out rows (`score`) at each of its λ; the scores are interpolated in log λ
    onto one geometric grid `lambdas_` (from the smallest first λ of the folds to the largest last one, by
    `path_multiplier`), and `best_lambda_` maximises their mean (`best_cv_score_`; per fold `best_cv_scores_`). A
    final path on all rows then follows `lambdas_` up to `best_lambda_`, leaving the model there: `predict` uses
    it and `best_selected_` holds its features. For Cox, a final model without any feature is retrained one λ short.
    Also kept: `raw_paths_`, `raw_scores_` (per fold), `interp_scores_` (λ × fold), `path_`.

    Ours: `hidden_dims_grid` (None: `hidden_dims` alone), a list of hidden layer widths to choose from together with
    λ. Each width runs the folds above on the same splits; the one with the best `best_cv_score_` is kept (ties: the
    first listed) and the final path trains it. `width_cv_scores_` gives each width's best mean score and
    `best_hidden_dims_` the chosen one; `hidden_dims` itself is left as given.

    Difference: for the classifier, an int or None `cv` gives stratified folds (scikit-learn's `check_cv` with
    classifier=True); the official's gives plain K-fold. See `BaseLassoNet` for the rest.
    """

    def path(self, X, y, *, return_state_dicts=True):
        """Choose the width and λ by cross-validation and train the final path (see the class docstring)."""
        self._check_parameters()
        grid = self._hidden_dims_grid()
        X, _ = self._validate(X, y, reset=True)
        y = np.asarray(y)
        folds = check_cv(self.cv, y if y.dtype.names is None else None, classifier=is_classifier(self))
        splits = list(folds.split(X, y))
        searches = {dims: self._cross_validate(X, y, splits, dims) for dims in grid}
        self.width_cv_scores_ = {dims: search["best_cv_score_"] for dims, search in searches.items()}
        self.best_hidden_dims_ = max(grid, key=lambda dims: self.width_cv_scores_[dims])  # ties: the first listed
        for name, value in searches[self.best_hidden_dims_].items():
            setattr(self, name, value)
        best = self.lambdas_.index(self.best_lambda_)
        if self.lambda_start == "auto":
            self.lambda_start_ = self.lambdas_[0]

        self._network_hidden_dims = self.best_hidden_dims_
        path = BaseLassoNet.path(self, X, y, lambda_seq=self.lambdas_[: best + 1],
                                 return_state_dicts=return_state_dicts, disable_lambda_warning=True)
        if isinstance(self, LassoNetCoxRegressor) and not path[-1].selected.any() and len(path) > 2:
            path = BaseLassoNet.path(self, X, y, lambda_seq=[item.lambda_ for item in path[1:-1]],
                                     return_state_dicts=return_state_dicts, disable_lambda_warning=True)
        self.best_selected_ = path[-1].selected
        return path

    def _hidden_dims_grid(self):
        """The widths to choose from: `hidden_dims_grid`, or `hidden_dims` alone."""
        grid = [self.hidden_dims] if self.hidden_dims_grid is None else list(self.hidden_dims_grid)
        if not grid:
            raise ValueError("hidden_dims_grid must hold at least one tuple of hidden layer widths")
        for dims in grid:
            check_hidden_dims(dims, "hidden_dims_grid" if self.hidden_dims_grid is not None else "hidden_dims")
        return list(dict.fromkeys(tuple(dims) for dims in grid))

    def _cross_validate(self, X, y, splits, hidden_dims):
        """One width's folds: each fold's path scored on its held-out rows, interpolated onto one λ grid."""
        self._network_hidden_dims = hidden_dims
        raw_lambdas, raw_scores, raw_paths = [], [], []
        for train, test in _progress(splits, self.verbose, hidden_dims):
            lambdas, scores = [], []

            def score_fold(estimator, history):
                lambdas.append(history[-1].lambda_)
                scores.append(estimator.score(X[test], y[test]))

            fold_path = BaseLassoNet.path(self, X[train], y[train], callback=score_fold, disable_lambda_warning=True)
            if len(fold_path) < 2:
                raise ValueError(f"a fold's path holds the dense model only: nothing to choose λ from ({self.cv=})")
            raw_lambdas.append(lambdas)
            raw_scores.append(scores)
            raw_paths.append(fold_path)
        return _choose_lambda(raw_lambdas, raw_scores, self.path_multiplier) | {
            "raw_scores_": raw_scores, "raw_paths_": raw_paths}

    def fit(self, X, y):
        """Choose λ by cross-validation and train the model there (`path` without state dicts)."""
        self.path(X, y, return_state_dicts=False)
        return self


class LassoNetRegressorCV(BaseLassoNetCV, LassoNetRegressor):
    __doc__ = BaseLassoNetCV.__doc__
    __init__ = constructor(leading=[("cv", None)], trailing=[("hidden_dims_grid", None)])


class LassoNetClassifierCV(BaseLassoNetCV, LassoNetClassifier):
    __doc__ = BaseLassoNetCV.__doc__
    __init__ = constructor(leading=[("cv", None)], trailing=[("class_weight", None), ("hidden_dims_grid", None)])


class LassoNetCoxRegressorCV(BaseLassoNetCV, LassoNetCoxRegressor):
    __doc__ = BaseLassoNetCV.__doc__
    __init__ = constructor(leading=[("cv", None)],
                           trailing=[("tie_approximation", None), ("hidden_dims_grid", None)])


def _choose_lambda(raw_lambdas, raw_scores, path_multiplier):
    """The folds' scores on one geometric λ grid and the λ of the best mean (the CV class's attributes)."""
    lam, lambda_max = min(ls[1] for ls in raw_lambdas), max(ls[-1] for ls in raw_lambdas)
    lambdas = []
    while lam < lambda_max:
        lambdas.append(lam)
        lam *= path_multiplier
    lambdas = lambdas or [lambda_max]
    interp_scores = np.stack(
        [np.interp(np.log(lambdas), np.log(ls[1:]), ss[1:]) for ls, ss in zip(raw_lambdas, raw_scores)], axis=-1)
    mean = interp_scores.mean(axis=1)
    if np.isnan(mean).all():
        raise ValueError("every cross-validated score is NaN: no λ can be chosen")
    best = int(np.nanargmax(mean))
    return {"lambdas_": lambdas, "interp_scores_": interp_scores, "best_lambda_": lambdas[best],
            "best_cv_scores_": interp_scores[best], "best_cv_score_": float(interp_scores[best].mean())}


def _progress(splits, verbose, hidden_dims):
    if not verbose:
        return splits
    from tqdm.auto import tqdm

    return tqdm(splits, desc=f"Choosing lambda with cross-validation (hidden_dims={hidden_dims})")
