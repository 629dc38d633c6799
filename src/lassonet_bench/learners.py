"""Downstream learners that score a feature set (Section 5, Appendix B): the decoder network and ExtraTrees.

Both are trained from scratch on the selected columns only. The decoder's code is in `lassonet_bench.decoder` and
is loaded from there on first use (`learners.evaluate_decoder` works as usual): it needs torch, and an ExtraTrees
or baseline job that never imports torch starts about 2 s sooner, most of such a job's time in the smoke run.
"""

import numpy as np
from sklearn.ensemble import ExtraTreesClassifier

from lassonet_bench.validation import check_class_labels, check_features

HIDDEN_WIDTH_FRACTIONS = (1 / 3, 2 / 3, 1, 4 / 3)
EXTRA_TREES_N_ESTIMATORS = 50
_DECODER_NAMES = {
    "DecoderFit", "make_decoder", "fit_decoder", "evaluate_decoder",
    "DECODER_MAX_EPOCHS", "DECODER_PATIENCE", "DECODER_BATCH_SIZE", "DECODER_LEARNING_RATE",
}


def __getattr__(name):
    """The decoder's names, imported from `lassonet_bench.decoder` (and torch with it) when first asked for."""
    if name in _DECODER_NAMES:
        from lassonet_bench import decoder

        return getattr(decoder, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def hidden_width_grid(n_features, fractions=HIDDEN_WIDTH_FRACTIONS):
    """The decoder's candidate widths: round(f * n_features) for each fraction, at least 1, duplicates dropped."""
    widths = [max(1, int(round(f * n_features))) for f in fractions]
    return list(dict.fromkeys(widths))


def derive_seed(random_state, *labels):
    """A 32-bit seed from a base seed and labels, independent of call order (None stays None)."""
    if random_state is None:
        return None
    words = [int(random_state)] + [int(x) for x in labels]
    return int(np.random.SeedSequence(words).generate_state(1)[0])


def evaluate_extra_trees(
    X_train, y_train, X_test, y_test, n_estimators=EXTRA_TREES_N_ESTIMATORS, random_state=None, n_jobs=1
):
    """ExtraTreesClassifier with 50 trees (Appendix B) fitted on the training rows; test accuracy."""
    X_train, y_train, X_test, y_test = check_learner_input(X_train, y_train, X_test, y_test)
    forest = ExtraTreesClassifier(n_estimators=n_estimators, random_state=random_state, n_jobs=n_jobs)
    forest.fit(X_train, y_train)
    return {"accuracy": float(forest.score(X_test, y_test)), "device": "cpu"}


def check_learner_input(*arrays):
    """Pairs (X, y) for each part: finite features, integer labels >= 0, equal lengths, equal widths."""
    names = ["train", "val", "test"] if len(arrays) == 6 else ["train", "test"]
    checked = []
    for name, X, y in zip(names, arrays[0::2], arrays[1::2]):
        X = check_features(X, f"X_{name}")
        y = np.asarray(y)
        y = check_class_labels(y, f"y_{name}") if name == "train" else _check_labels_any(y, f"y_{name}")
        if len(y) != len(X):
            raise ValueError(f"X_{name} and y_{name} have different lengths: {len(X)} and {len(y)}")
        if y.min() < 0:
            raise ValueError(f"y_{name} holds a negative class label ({y.min()}): labels must be 0..n_classes-1")
        if checked and X.shape[1] != checked[0].shape[1]:
            raise ValueError(f"X_{name} has {X.shape[1]} features, X_train has {checked[0].shape[1]}")
        checked += [X, y]
    return checked


def _check_labels_any(y, name):
    """Validation and test parts may hold a single class; they must still be integer labels."""
    if y.ndim != 1 or len(y) == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array of class labels, got shape {y.shape}")
    if not np.issubdtype(y.dtype, np.integer):
        numeric = np.issubdtype(y.dtype, np.number)
        if not numeric or not np.all(np.isfinite(y)) or not np.all(y == np.round(y)):
            raise ValueError(f"{name} must hold integer class labels, got dtype {y.dtype}")
    return y.astype(np.int64)


def check_positive(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
