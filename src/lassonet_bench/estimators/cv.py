"""The official package's cross-validated estimators: λ chosen by K-fold cross-validation, then one path on all
the rows along the chosen λ sequence."""

import numpy as np
from sklearn.base import is_classifier
from sklearn.model_selection import check_cv

from lassonet_bench.estimators.base import BaseLassoNet, constructor
from lassonet_bench.estimators.interfaces import LassoNetClassifier, LassoNetCoxRegressor, LassoNetRegressor


class BaseLassoNetCV(BaseLassoNet):
    """The official `BaseLassoNetCV`: `cv` (None: 5 folds; an int, a splitter or an iterable of splits) picks λ.

    Each fold's path is scored on its held-out rows (`score`) at each of its λ; the scores are interpolated in log λ
    onto one geometric grid `lambdas_` (from the smallest first λ of the folds to the largest last one, by
    `path_multiplier`), and `best_lambda_` maximises their mean (`best_cv_score_`; per fold `best_cv_scores_`). A
    final path on all rows then follows `lambdas_` up to `best_lambda_`, leaving the model there: `predict` uses
    it and `best_selected_` holds its features. For Cox, a final model without any feature is retrained one λ short.
    Also kept: `raw_paths_`, `raw_scores_` (per fold), `interp_scores_` (λ × fold), `path_`.

    Difference: for the classifier, an int or None `cv` gives stratified folds (scikit-learn's `check_cv` with
    classifier=True); the official's gives plain K-fold. See `BaseLassoNet` for the rest.
    """

    def path(self, X, y, *, return_state_dicts=True):
        """Choose λ by cross-validation and train the final path (see the class docstring); its HistoryItems."""
        self._check_parameters()
        X, _ = self._validate(X, y, reset=True)
        y = np.asarray(y)
        folds = check_cv(self.cv, y if y.dtype.names is None else None, classifier=is_classifier(self))
        splits = list(folds.split(X, y))
        raw_lambdas, self.raw_scores_, self.raw_paths_ = [], [], []
        for train, test in _progress(splits, self.verbose):
            lambdas, scores = [], []

            def score_fold(estimator, history):
                lambdas.append(history[-1].lambda_)
                scores.append(estimator.score(X[test], y[test]))

            fold_path = BaseLassoNet.path(self, X[train], y[train], callback=score_fold, disable_lambda_warning=True)
            if len(fold_path) < 2:
                raise ValueError(f"a fold's path holds the dense model only: nothing to choose λ from ({self.cv=})")
            raw_lambdas.append(lambdas)
            self.raw_scores_.append(scores)
            self.raw_paths_.append(fold_path)

        lam, lambda_max = min(ls[1] for ls in raw_lambdas), max(ls[-1] for ls in raw_lambdas)
        self.lambdas_ = []
        while lam < lambda_max:
            self.lambdas_.append(lam)
            lam *= self.path_multiplier
        if not self.lambdas_:
            self.lambdas_ = [lambda_max]
        self.interp_scores_ = np.stack(
            [np.interp(np.log(self.lambdas_), np.log(ls[1:]), ss[1:]) for ls, ss in zip(raw_lambdas, self.raw_scores_)],
            axis=-1,
        )
        mean = self.interp_scores_.mean(axis=1)
        if np.isnan(mean).all():
            raise ValueError("every cross-validated score is NaN: no λ can be chosen")
        best = int(np.nanargmax(mean))
        self.best_lambda_ = self.lambdas_[best]
        self.best_cv_scores_ = self.interp_scores_[best]
        self.best_cv_score_ = float(self.best_cv_scores_.mean())
        if self.lambda_start == "auto":
            self.lambda_start_ = self.lambdas_[0]

        path = BaseLassoNet.path(self, X, y, lambda_seq=self.lambdas_[: best + 1],
                                 return_state_dicts=return_state_dicts, disable_lambda_warning=True)
        if isinstance(self, LassoNetCoxRegressor) and not path[-1].selected.any() and len(path) > 2:
            path = BaseLassoNet.path(self, X, y, lambda_seq=[item.lambda_ for item in path[1:-1]],
                                     return_state_dicts=return_state_dicts, disable_lambda_warning=True)
        self.best_selected_ = path[-1].selected
        return path

    def fit(self, X, y):
        """Choose λ by cross-validation and train the model there (`path` without state dicts)."""
        self.path(X, y, return_state_dicts=False)
        return self


class LassoNetRegressorCV(BaseLassoNetCV, LassoNetRegressor):
    __doc__ = BaseLassoNetCV.__doc__
    __init__ = constructor(leading=[("cv", None)])


class LassoNetClassifierCV(BaseLassoNetCV, LassoNetClassifier):
    __doc__ = BaseLassoNetCV.__doc__
    __init__ = constructor(leading=[("cv", None)], trailing=[("class_weight", None)])


class LassoNetCoxRegressorCV(BaseLassoNetCV, LassoNetCoxRegressor):
    __doc__ = BaseLassoNetCV.__doc__
    __init__ = constructor(leading=[("cv", None)], trailing=[("tie_approximation", None)])


def _progress(splits, verbose):
    if not verbose:
        return splits
    from tqdm.auto import tqdm

    return tqdm(splits, desc="Choosing lambda with cross-validation")
