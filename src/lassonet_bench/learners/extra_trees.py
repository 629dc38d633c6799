"""Downstream learners that score a feature set (Section 5, Appendix B): the decoder network and ExtraTrees.

Both are trained from scratch on the selected columns only. The decoder's code is in `lassonet_bench.learners.decoder` and
is loaded from there on first use (`learners.evaluate_decoder` works as usual): it needs torch, and an ExtraTrees
or baseline job that never imports torch starts about 2 s sooner, most of such a job's time in the smoke run.
"""

from sklearn.ensemble import ExtraTreesClassifier

from lassonet_bench.validation import check_learner_input

EXTRA_TREES_N_ESTIMATORS = 50


def evaluate_extra_trees(
    X_train, y_train, X_val, y_val, X_test, y_test, n_estimators=EXTRA_TREES_N_ESTIMATORS, random_state=None,
    n_jobs=1, device="cpu",
):
    """ExtraTreesClassifier with 50 trees (Appendix B) fitted on the training rows; test accuracy. It has nothing to
    tune, so the validation rows are not used; it runs on the CPU whatever `device` says."""
    X_train, y_train, X_test, y_test = check_learner_input(X_train, y_train, X_test, y_test)
    forest = ExtraTreesClassifier(n_estimators=n_estimators, random_state=random_state, n_jobs=n_jobs)
    forest.fit(X_train, y_train)
    return {"accuracy": float(forest.score(X_test, y_test)), "device": "cpu"}
