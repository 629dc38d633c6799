"""The official package's `plot_path` and `plot_cv`: the same panels, on the current matplotlib figure.

matplotlib is imported when a plot is drawn, so that importing the estimators does not load it.
"""

from lassonet_bench.estimators.utils import confidence_interval, eval_on_path


def plot_path(model, X_test, y_test, *, score_function=None):
    """Score against the number of selected features and against λ, and the number of features against λ, for
    every item of `model.path_` (which must hold state dicts: `model.path(..., return_state_dicts=True)`).

    `score_function(y_true, y_pred)`, or `model.score` when None. The model is left loaded with the last item.
    """
    import matplotlib.pyplot as plt

    path = _path_of(model)
    score = eval_on_path(model, path, X_test, y_test, score_function=score_function)
    n_selected = [int(item.selected.sum()) for item in path]
    lambda_ = [item.lambda_ for item in path]

    plt.figure(figsize=(16, 16))
    panels = [(n_selected, score, "number of selected features", "score", False),
              (lambda_, score, "lambda", "score", True),
              (lambda_, n_selected, "lambda", "number of selected features", True)]
    for index, (x, y, xlabel, ylabel, log_x) in enumerate(panels):
        plt.subplot(3, 1, index + 1)
        plt.grid(True)
        plt.plot(x, y, ".-")
        plt.xlabel(xlabel)
        if log_x:
            plt.xscale("log")
        plt.ylabel(ylabel)
    plt.tight_layout()


def plot_cv(model, X_test, y_test, *, score_function=None):
    """For a fitted CV estimator: the folds' scores along λ, their interpolated mean with a 95 % confidence
    interval and the test score of the final path; below, the number of selected features along λ."""
    import matplotlib.pyplot as plt

    for name in ("raw_paths_", "raw_scores_", "interp_scores_", "lambdas_"):
        if not hasattr(model, name):
            raise ValueError(f"plot_cv needs a fitted LassoNet...CV estimator (with {name}); got {type(model).__name__}")
    path = _path_of(model)
    lambda_ = [item.lambda_ for item in path]
    fold_lambdas = [[item.lambda_ for item in fold] for fold in model.raw_paths_]
    score = eval_on_path(model, path, X_test, y_test, score_function=score_function)

    plt.figure(figsize=(16, 16))
    plt.subplot(211)
    plt.grid(True)
    for index, (lambdas, scores) in enumerate(zip(fold_lambdas, model.raw_scores_)):
        plt.plot(lambdas, scores, "r.-", markersize=5, alpha=0.2, label="cross-validation" if index == 0 else None)
    mean = model.interp_scores_.mean(axis=1)
    half_width = confidence_interval(model.interp_scores_)
    plt.plot(model.lambdas_, mean, "g.-", markersize=5, alpha=0.2, label="average cv with 95% CI")
    plt.fill_between(model.lambdas_, mean - half_width, mean + half_width, color="g", alpha=0.1)
    plt.plot(lambda_, score, "b.-", markersize=5, alpha=0.2, label="test")
    plt.legend()
    plt.xlabel("lambda")
    plt.xscale("log")
    plt.ylabel("score")

    plt.subplot(212)
    plt.grid(True)
    for index, (lambdas, fold) in enumerate(zip(fold_lambdas, model.raw_paths_)):
        plt.plot(lambdas, [int(item.selected.sum()) for item in fold], "r.-", markersize=5, alpha=0.2,
                 label="cross-validation" if index == 0 else None)
    plt.plot(lambda_, [int(item.selected.sum()) for item in path], "b.-", markersize=5, alpha=0.2, label="test")
    plt.legend()
    plt.xlabel("lambda")
    plt.xscale("log")
    plt.ylabel("number of selected features")
    plt.tight_layout()


def _path_of(model):
    path = getattr(model, "path_", None)
    if not path:
        raise ValueError(f"{type(model).__name__} has no path: call model.path(X, y, return_state_dicts=True) first")
    if path[0].state_dict is None:
        raise ValueError("the model's path holds no state dicts: call model.path(X, y, return_state_dicts=True)")
    return path
