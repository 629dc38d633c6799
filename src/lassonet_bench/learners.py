"""Downstream learners that score a feature set (Section 5, Appendix B): the decoder network and ExtraTrees.

Both are trained from scratch on the selected columns only. The decoder's code is in `lassonet_bench.decoder` and
is loaded from there on first use (`learners.evaluate_decoder` works as usual): it needs torch, and an ExtraTrees
or baseline job that never imports torch starts about 2 s sooner, most of such a job's time in the smoke run.
"""

from sklearn.ensemble import ExtraTreesClassifier

from lassonet_bench.validation import check_learner_input

EXTRA_TREES_N_ESTIMATORS = 50
_DECODER_NAMES = {
    "DecoderFit", "DecoderTraining", "make_decoder", "fit_decoder", "fit_decoders", "evaluate_decoder",
    "hidden_width_grid", "derive_seed",
    "DECODER_MAX_EPOCHS", "DECODER_PATIENCE", "DECODER_BATCH_SIZE", "DECODER_LEARNING_RATE",
}


def __getattr__(name):
    """The decoder's names, imported from `lassonet_bench.decoder` (and torch with it) when first asked for."""
    if name in _DECODER_NAMES:
        from lassonet_bench import decoder

        return getattr(decoder, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def evaluate_extra_trees(
    X_train, y_train, X_test, y_test, n_estimators=EXTRA_TREES_N_ESTIMATORS, random_state=None, n_jobs=1
):
    """ExtraTreesClassifier with 50 trees (Appendix B) fitted on the training rows; test accuracy."""
    X_train, y_train, X_test, y_test = check_learner_input(X_train, y_train, X_test, y_test)
    forest = ExtraTreesClassifier(n_estimators=n_estimators, random_state=random_state, n_jobs=n_jobs)
    forest.fit(X_train, y_train)
    return {"accuracy": float(forest.score(X_test, y_test)), "device": "cpu"}
