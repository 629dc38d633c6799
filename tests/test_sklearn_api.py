"""The selectors as scikit-learn estimators: its own estimator checks, DataFrames, label types, sparse input."""

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.sparse
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.utils.estimator_checks import parametrize_with_checks

import lassonet_bench
from lassonet_bench.selectors import (
    FisherScoreSelector,
    HSICLassoSelector,
    LassoNetSelector,
    PFASelector,
    TraceRatioSelector,
)
from lassonet_bench.selectors import SELECTORS
from lassonet_bench.selectors.mutual_info import MutualInfoSelector
from lassonet_bench.selectors.tree_importance import TreeImportanceSelector
from lassonet_bench.selectors.l1_logistic import L1LogisticSelector
from lassonet_bench.selectors.mrmr import MRMRSelector
from lassonet_bench.selectors.relieff import ReliefFSelector
from lassonet_bench.selectors.stg import STGSelector
from lassonet_bench.selectors.lassonet_official import LassoNetOfficialSelector
from lassonet_bench.core import path as path_module

TINY_LASSONET = dict(n_epochs=(2, 1), patience=(1, 1), path_multiplier=1.5, device="cpu")


@pytest.fixture
def no_training(monkeypatch):
    """fit_paths fails the test if called: errors must come before any training."""

    def fail(*args, **kwargs):
        raise AssertionError("training started")

    monkeypatch.setattr(path_module, "fit_paths", fail)


def small_selectors(k=1):
    """Every selector with settings that fit the checks' small data sets in well under a second."""
    return [
        FisherScoreSelector(k),
        TraceRatioSelector(k),
        HSICLassoSelector(k, block_size=5),
        PFASelector(k, n_init=1),
        LassoNetSelector(k, **TINY_LASSONET),
        MutualInfoSelector(k),
        TreeImportanceSelector(k, n_estimators=10),
        L1LogisticSelector(k, steps_per_decade=5, n_decades=3, max_iter=200),
        MRMRSelector(k),
        ReliefFSelector(k, n_neighbors=5),
        STGSelector(k, hidden_dim=4, n_epochs=2, device="cpu"),
        LassoNetOfficialSelector(k, hidden_dims=(4,), n_iters=(2, 1), patience=(1, 1), path_multiplier=2.0,
                                 lambda_start=1.0, device="cpu"),
    ]


@parametrize_with_checks(small_selectors())
def test_scikit_learn_estimator_checks(estimator, check):
    check(estimator)


SELECTOR_IDS = [type(selector).name for selector in small_selectors()]


def test_every_registered_selector_is_checked_here():
    assert sorted(SELECTOR_IDS) == sorted(SELECTORS)


def labelled_frame(n=120, seed=0):
    """Columns a and c carry the class; the labels are strings."""
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(rng.normal(size=(n, 5)), columns=["a", "b", "c", "d", "e"])
    y = np.where(X["a"] + X["c"] > 0, "yes", "no")
    X.loc[y == "yes", ["a", "c"]] += 1.0
    return X, y


@pytest.mark.parametrize("selector", small_selectors(k=2), ids=SELECTOR_IDS)
def test_a_dataframe_gives_its_column_names_and_they_are_checked_at_transform(selector):
    X, y = labelled_frame()
    selector.fit(X, y)
    np.testing.assert_array_equal(selector.feature_names_in_, X.columns)
    selected = X.columns[selector.get_support()]
    np.testing.assert_array_equal(selector.get_feature_names_out(), selected)
    np.testing.assert_array_equal(selector.transform(X), X[selected].to_numpy())
    with pytest.raises(ValueError, match="feature names should match"):
        selector.transform(X[X.columns[::-1]])


@pytest.mark.parametrize("selector", small_selectors(k=2), ids=SELECTOR_IDS)
def test_string_and_bool_labels_select_as_their_integer_codes_do(selector):
    X, y = labelled_frame()
    codes = (y == "yes").astype(int)
    by_code = np.flatnonzero(selector.set_params(random_state=0).fit(X.to_numpy(), codes).get_support())
    for labels in (y, y == "yes"):
        by_label = np.flatnonzero(selector.fit(X.to_numpy(), labels).get_support())
        np.testing.assert_array_equal(by_label, by_code)
        if selector.__sklearn_tags__().target_tags.required:
            np.testing.assert_array_equal(selector.classes_, np.unique(labels))


@pytest.mark.parametrize("selector", small_selectors(k=2), ids=SELECTOR_IDS)
def test_dummies_bool_and_nullable_integer_columns_are_taken_as_numbers(selector):
    X, y = labelled_frame()
    frame = pd.get_dummies(X.assign(group=np.where(X["b"] > 0, "up", "down")), columns=["group"])
    frame["count"] = pd.array(np.arange(len(frame)) % 7, dtype="Int64")
    assert {str(t) for t in frame.dtypes} == {"float64", "bool", "Int64"}
    selector.set_params(random_state=0)
    from_frame = selector.fit(frame, y).get_support()
    from_array = selector.fit(frame.to_numpy(dtype=np.float64), y).get_support()
    np.testing.assert_array_equal(from_frame, from_array)


@pytest.mark.parametrize("selector", small_selectors(k=2), ids=SELECTOR_IDS)
def test_sparse_input_is_refused_with_a_type_error_that_says_so(selector):
    X, y = labelled_frame()
    with pytest.raises(TypeError, match="does not support sparse input: X is a csr_matrix"):
        selector.fit(scipy.sparse.csr_matrix(X.to_numpy()), y)


@pytest.mark.parametrize("selector", small_selectors(k=2), ids=SELECTOR_IDS)
def test_complex_input_is_refused(selector):
    X, y = labelled_frame()
    with pytest.raises(ValueError, match="Complex data not supported"):
        selector.fit(X.to_numpy() + 1j, y)


@pytest.mark.parametrize("selector", small_selectors(k=2), ids=SELECTOR_IDS)
def test_an_unfitted_selector_raises_not_fitted_error(selector):
    X, _ = labelled_frame()
    with pytest.raises(NotFittedError):
        selector.get_support()
    with pytest.raises(NotFittedError):
        selector.transform(X.to_numpy())


def test_a_pipeline_with_string_labels_predicts_them():
    X, y = labelled_frame()
    pipeline = make_pipeline(FisherScoreSelector(2), LogisticRegression()).fit(X, y)
    assert set(pipeline.predict(X)) == {"yes", "no"}
    assert list(pipeline[0].get_feature_names_out()) == ["a", "c"]


def test_lassonet_takes_string_validation_labels_and_refuses_unknown_ones():
    X, y = labelled_frame()
    selector = LassoNetSelector(2, random_state=0, **TINY_LASSONET)
    selector.fit(X[:100], y[:100], X_val=X[100:], y_val=y[100:])
    assert list(selector.classes_) == ["no", "yes"]
    with pytest.raises(ValueError, match=r"y_val holds classes that are not in y: \['maybe'\]"):
        selector.fit(X[:100], y[:100], X_val=X[100:], y_val=np.where(y[100:] == "yes", "yes", "maybe"))


def test_lassonet_validation_rows_are_checked_against_the_training_columns(no_training):
    X, y = labelled_frame()
    selector = LassoNetSelector(2, **TINY_LASSONET)
    with pytest.raises(ValueError, match="X_val: The feature names should match"):
        selector.fit(X[:100], y[:100], X_val=X.iloc[100:, ::-1], y_val=y[100:])
    X = X.to_numpy()
    with pytest.raises(ValueError, match="X_val: X has 4 features, but LassoNetSelector is expecting 5"):
        selector.fit(X[:100], y[:100], X_val=X[100:, :4], y_val=y[100:])


def test_lassonet_hidden_dims_may_be_one_int():
    X, y = labelled_frame()
    assert LassoNetSelector(2, hidden_dims=5, **TINY_LASSONET).fit(X, y).hidden_dims_ == (5,)


def many_classes(n_rows, n_classes, seed=0):
    rng = np.random.default_rng(seed)
    y = np.arange(n_rows) % n_classes
    return rng.normal(size=(n_rows, 4)) + y[:, None] * 0.1, y


@pytest.mark.parametrize(
    "X, y",
    [many_classes(100, 20), (many_classes(60, 3)[0], np.r_[np.zeros(30, int), np.ones(29, int), [2]])],
    ids=["100 rows 20 classes", "a class with one row"],
)
def test_lassonet_holds_out_at_random_when_the_data_are_too_small_to_stratify(X, y):
    selector = LassoNetSelector(2, random_state=0, **TINY_LASSONET)
    X_train, X_val, _, _ = selector._hold_out(X.astype(np.float32), y, seed=0)
    assert len(X_val) == np.ceil(0.1 * len(X)) and len(X_train) + len(X_val) == len(X)
    assert selector.fit(X, y).get_support().sum() == 2
    assert len(selector.classes_) == len(np.unique(y))


def test_lassonet_stratifies_its_validation_rows_when_it_can():
    X, y = many_classes(200, 4)
    _, _, y_train, y_val = LassoNetSelector(2)._hold_out(X.astype(np.float32), y, seed=0)
    np.testing.assert_array_equal(np.bincount(y_val), [5, 5, 5, 5])
    np.testing.assert_array_equal(np.bincount(y_train), [45, 45, 45, 45])


def test_lassonet_too_few_rows_for_a_validation_part_raise_before_training(no_training):
    X, y = many_classes(4, 2)
    with pytest.raises(ValueError, match="n_samples=4 is too few to hold out validation_fraction=0.8"):
        LassoNetSelector(1, validation_fraction=0.8, **TINY_LASSONET).fit(X, y)
    with pytest.raises(ValueError, match="1 sample"):
        LassoNetSelector(1, **TINY_LASSONET).fit(X[:1], y[:1])


def test_lassonet_bad_hidden_dims_raise_before_training(no_training):
    X, y = many_classes(40, 2)
    with pytest.raises(ValueError, match=r"hidden_dims must be None, a positive int .* got 'wide'"):
        LassoNetSelector(1, hidden_dims="wide", **TINY_LASSONET).fit(X, y)


def test_the_selector_registry_loads_torch_only_when_lassonet_is_fitted():
    code = textwrap.dedent(
        """
        import sys
        import numpy as np
        from lassonet_bench.selectors import LassoNetSelector, method_titles
        selector = LassoNetSelector(1, n_epochs=(1, 1), path_multiplier=2.0, device="cpu")
        assert method_titles()["lassonet"] == "LassoNet" and selector.get_params()["batch_size"] == 128
        assert "torch" not in sys.modules, "the registry or the selector's class imported torch"
        rng = np.random.default_rng(0)
        selector.fit(rng.normal(size=(20, 3)), np.arange(20) % 2)
        assert "torch" in sys.modules
        """
    )
    source = str(Path(lassonet_bench.__file__).parents[1])  # the code under test, installed or not
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [source, os.environ.get("PYTHONPATH")]))}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


def test_the_documented_scikit_learn_example_runs():
    text = (Path(__file__).parents[1] / "docs" / "selectors.md").read_text()
    # The first block is the user's example; the later one shows how to register a selector (tests/test_registries.py)
    example = re.findall(r"```python\n(.*?)```", text, re.DOTALL)[0]
    exec(compile(example, "docs/selectors.md", "exec"), {})
